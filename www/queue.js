// Serialises the page's actions: each one runs after the previous one has finished, in the
// order the user made them. Callers read the controls when the user acts and queue the work,
// so every action applies the state it was made in; nothing is dropped while another runs.

/**
 * @param {object} hooks
 * @param {(busy: boolean) => void} [hooks.onBusy] called when the queue starts or stops working
 * @param {(err: unknown) => void} [hooks.onError] called with anything an action throws
 */
export function createQueue({ onBusy = () => {}, onError = () => {} } = {}) {
  let tail = Promise.resolve();
  let unfinished = []; // jobs queued or running, oldest first
  let seq = 0;
  const recent = []; // the last few jobs, finished or not, for jobsSince
  let dropUpTo = 0; // jobs with a sequence number up to this one are skipped if not started yet

  /**
   * Queues `action(job)`; `job` is an object the action may annotate (e.g. with what it
   * computed) for later actions to read. Returns a promise that settles when it has run.
   */
  function push(action) {
    seq += 1;
    const job = { seq, done: false };
    recent.push(job);
    if (recent.length > 32) recent.shift();
    if (unfinished.length === 0) onBusy(true);
    unfinished.push(job);
    job.finished = tail = tail.then(async () => {
      try {
        if (job.seq <= dropUpTo) return;
        await action(job);
      } catch (err) {
        onError(err);
      } finally {
        job.done = true;
        unfinished = unfinished.filter((j) => j !== job);
        if (unfinished.length === 0) onBusy(false);
      }
    });
    return job.finished;
  }

  return {
    push,
    /** The sequence number the next queued job will get. */
    nextSeq: () => seq + 1,
    /** The sequence number of the oldest job not finished yet, or null. */
    oldestUnfinishedSeq: () => unfinished[0]?.seq ?? null,
    /** The recent jobs with a sequence number ≥ `first`, oldest first. */
    jobsSince: (first) => recent.filter((job) => job.seq >= first),
    /** Skips every job queued so far that has not started yet (after a cancel). */
    dropQueued: () => {
      dropUpTo = seq;
    },
    /** Resolves when everything queued so far has run. */
    idle: () => tail,
  };
}
