// Boot: start the worker, load the dataset (the default, or the one a link names), train the
// first model, wire the controls, the data panel, the tabs, the hedging path, the playground, the
// certified panel, model export/import and the lessons, apply a shared link, and keep the address
// bar in step with what the page shows.
import { mountActivity } from './activity.js';
import { mountControls, showError } from './controls.js';
import { DATASETS, DEFAULT_DATASET, fetchText, finishSetup, prefetchBuiltIns, startSetup } from './data.js';
import { mountDataPanel } from './dataset.js';
import * as engine from './engine.js';
import { renderExplanations } from './explain.js';
import { renderLessons } from './lessons.js';
import { mountModelIo } from './model-io.js';
import { mountPath } from './path.js';
import { mountPlayground } from './playground.js';
import { renderMath } from './render/math.js';
import { applyFlags, decode, encode, HIDEABLE, linkable, readHash } from './share.js';
import { createState, linkDefaults, SPLIT_SEED, TEST_FRACTION, useModuleDefaults } from './state.js';
import { mountTabs } from './tabs.js';

// A last safety net: nothing should get here, but if it does it is shown, not thrown.
window.addEventListener('error', (event) => {
  event.preventDefault();
  showError(`Something went wrong: ${event.message}`);
});
window.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  const reason = event.reason;
  showError(`Something went wrong: ${reason && reason.message ? reason.message : String(reason)}`);
});

const byId = (id) => document.getElementById(id);

async function loadBuiltIn(state, id) {
  const source = { ...DATASETS[id], builtIn: true };
  const pending = startSetup(await fetchText(source.url), source);
  if (pending.error || !pending.plan.ready) throw new Error(pending.error ?? pending.plan.errors.join(' '));
  const split = { seed: SPLIT_SEED, testFraction: TEST_FRACTION };
  const data = finishSetup(pending, { trainRowsOf: (n) => engine.splitTrainRows(n, split) });
  const model = await engine.loadTable(data, { l2: state.l2, ...split });
  return { pending, data, model };
}

async function boot() {
  const link = decode(readHash());
  applyFlags(link.flags);
  renderMath(document);
  const activityHooks = {};
  mountActivity(activityHooks);
  let state;
  let pending;
  try {
    await engine.initEngine();
    useModuleDefaults(engine.moduleDefaults());
    state = createState();
    let id = link.ds && linkable(link.ds) ? link.ds : DEFAULT_DATASET;
    let loaded;
    try {
      loaded = await loadBuiltIn(state, id);
    } catch (err) {
      if (id === DEFAULT_DATASET) throw err;
      id = DEFAULT_DATASET;
      loaded = await loadBuiltIn(state, id);
    }
    ({ pending } = loaded);
    state.data = loaded.data;
    state.model = loaded.model;
    state.seed = engine.randomSeed();
  } catch (err) {
    showError(`The demo could not start: ${err && err.message ? err.message : String(err)}`);
    return;
  }
  const controls = mountControls(state);
  const { queue, say } = controls;
  const dataPanel = mountDataPanel({ state, queue, initial: pending, onLoaded: controls.datasetChanged });
  // Cancel drops the actions queued behind the cancelled one (e.g. the Unlearn press that the
  // cancelled λ change was answering).
  activityHooks.onCancel = () => queue.dropQueued();
  const path = mountPath({ state, queue, say });
  mountModelIo({ state, queue, say });

  // ---------- the link in the address bar ----------
  const flags = link.flags; // kept in every rewritten link
  let view = 'compare'; // compare | path | playground | certified
  let syncTimer = 0;
  let playground = null;
  const shareNote = byId('share-note');

  function currentLink() {
    const ds = state.data.id;
    const shareable = linkable(ds);
    return encode({
      ds: shareable ? ds : 'upload',
      controls: shareable ? controls.shareState() : null,
      view,
      eps: view === 'path' ? path.epsilon() : undefined,
      playground: playground?.snapshot(),
      flags,
    });
  }

  function sync() {
    clearTimeout(syncTimer);
    syncTimer = 0;
    const hash = currentLink();
    if (hash !== location.hash && !(hash === '#' && location.hash === '')) {
      history.replaceState(null, '', `${location.pathname}${location.search}${hash === '#' ? '' : hash}`);
    }
    document.body.dataset.link = hash;
    const uploaded = !linkable(state.data.id);
    shareNote.dataset.upload = String(uploaded);
    if (uploaded && !shareNote.dataset.copied) {
      shareNote.textContent =
        'The link does not include your CSV file: files never leave this device, so the link opens the built-in data and the view, without your selection.';
    } else if (!uploaded && !shareNote.dataset.copied) {
      shareNote.textContent = '';
    }
  }
  const schedule = () => {
    clearTimeout(syncTimer);
    syncTimer = setTimeout(sync, 120);
  };
  for (const type of ['input', 'change', 'click', 'keyup']) document.addEventListener(type, schedule, true);
  for (const type of ['results', 'datasetchange']) document.addEventListener(type, schedule);
  engine.onActivity((event) => {
    if (event.phase === 'end') schedule();
    if (event.phase === 'restoring') {
      if (event.restoring) document.body.dataset.restoring = 'true';
      else delete document.body.dataset.restoring;
    }
    if (event.phase === 'error') showError(`The last model could not be restored after the cancel: ${event.error?.message ?? event.error}`);
  });

  const tabs = mountTabs({
    onSelect: (v) => {
      view = v;
      if (v === 'path') path.refresh();
      schedule();
    },
  });

  /** Shows `v`: a tab of the results, or scrolls to the playground or the certified panel. */
  function show(v) {
    if (v === 'compare' || v === 'path') {
      tabs.select(v);
      view = v;
      if (v === 'path') path.refresh();
    } else if (v === 'playground' || v === 'certified') {
      view = v;
      byId(v).scrollIntoView({ block: 'start' });
    }
    schedule();
  }

  playground = mountPlayground({ queue, onChange: schedule });
  renderExplanations(byId('explain-list'));
  renderMath(document);

  byId('share-link').addEventListener('click', async () => {
    sync();
    const href = location.href;
    let copied = false;
    try {
      await navigator.clipboard.writeText(href);
      copied = true;
    } catch {
      // No clipboard (permissions, an embedding frame): the link is shown instead.
    }
    shareNote.dataset.copied = 'true';
    shareNote.textContent =
      (copied ? 'Link copied: it opens this view. ' : `Copy this link to open this view: ${href} `) +
      (linkable(state.data.id) ? '' : 'It cannot include your CSV file, which never leaves this device.');
    setTimeout(() => {
      delete shareNote.dataset.copied;
      sync();
    }, 8000);
  });

  /** Says which parts of the link the page could not apply (they are dropped from the address). */
  function showLinkNote(ignored) {
    const note = byId('link-note');
    note.hidden = ignored.length === 0;
    const parts = ignored.slice(0, 12).map((text) => text.replace(/\.+$/, ''));
    if (ignored.length > 12) parts.push(`and ${ignored.length - 12} more`);
    byId('link-note-text').textContent = ignored.length === 0 ? '' : `Part of this link was ignored — ${parts.join('; ')}.`;
  }
  byId('link-note-close').addEventListener('click', () => showLinkNote([]));
  // A link pasted into the address bar of the open page: load it as a fresh visit would (the page
  // itself rewrites the address with replaceState, which does not come here). The page's own
  // anchors (#controls, #data, …) only scroll; the address is put back by the next sync.
  window.addEventListener('hashchange', () => {
    if (location.hash.includes('=')) location.reload();
    else schedule();
  });

  // ---------- lessons ----------
  /** Applies a link's or a lesson's controls (after the dataset is in place). */
  function applyControls(c) {
    if (!c) return;
    // A lesson starts from the defaults, not from what the previous one left behind.
    const full = { ...linkDefaults(), f: [], rl: '', rm: '', poison: false, m: [], ...c };
    if (c.featureNames) {
      full.f = state.data.groups.map((g, i) => [g.name, i]).filter(([name]) => c.featureNames.includes(name)).map(([, i]) => i);
    }
    if (c.flip) {
      full.k = String(c.flip.k);
      full.seed = String(c.flip.seed);
      full.rl = engine.sampleRows(state.model.report.nTrain, c.flip.k, c.flip.seed).join(',');
    }
    controls.applyShared(full);
  }

  async function runLesson(lesson) {
    const { ds, view: v, eps } = lesson.link;
    if (ds && ds !== state.data.id) {
      say({ status: `Lesson “${lesson.title}”: loading ${DATASETS[ds].short}…` });
      if (!(await dataPanel.pick(ds))) return;
    }
    // A lesson without controls (the playground's) leaves the selection, and so the results
    // the link describes, as they are.
    if (lesson.controls) applyControls(lesson.controls);
    if (eps !== undefined) path.setEpsilon(eps);
    show(v ?? 'compare');
    showLesson(lesson);
    if (v === 'compare' || v === 'path') document.querySelector('.results').scrollIntoView({ block: 'start' });
  }

  /** Keeps the lesson's text above the results while it is followed (status lines change). */
  function showLesson(lesson) {
    // Above the results, so only for the lessons that show them.
    byId('lesson-current').hidden = !lesson || !['compare', 'path', undefined].includes(lesson.link.view);
    byId('lesson-current-title').textContent = lesson ? `Lesson: ${lesson.title}.` : '';
    byId('lesson-current-text').textContent = lesson?.text ?? '';
    for (const button of document.querySelectorAll('.lesson')) {
      if (lesson && button.dataset.lesson === lesson.id) button.setAttribute('aria-current', 'true');
      else button.removeAttribute('aria-current');
    }
  }
  byId('lesson-current-close').addEventListener('click', () => showLesson(null));
  renderLessons(byId('lesson-list'), (lesson) => {
    runLesson(lesson).catch((err) => showError(`The lesson could not start: ${err.message}`));
  });

  // ---------- a shared link ----------
  playground.start(link.playground ?? {});
  const ignored = [...link.ignored];
  if (HIDEABLE.every((part) => link.flags.hide.includes(part))) {
    ignored.push('hide: this link hides every part of the page, so there is nothing to show — remove hide= from the address');
  }
  if (link.ds === 'upload') {
    dataPanel.say({
      status:
        'This link was made with a CSV file from the device of whoever shared it. Files are never put in links (nor sent anywhere), ' +
        'so the built-in data is shown: choose “Your CSV…” to read the same file here.',
    });
  } else if (link.ds !== undefined && !linkable(link.ds)) {
    ignored.unshift(`ds: there is no built-in dataset “${link.ds.slice(0, 40)}” (there are ${Object.keys(DATASETS).join(', ')}), so ${DATASETS[DEFAULT_DATASET].short} is shown and the selection is not applied`);
  } else if (link.hasControls) {
    ignored.push(...controls.applyShared(link.controls).ignored);
  }
  if (link.eps !== undefined) path.setEpsilon(link.eps);
  if (link.view) show(link.view);
  if (link.view === 'path') document.querySelector('.results').scrollIntoView({ block: 'start' });
  showLinkNote(ignored);

  sync();
  document.body.dataset.ready = 'true';
  // The other small built-in files, so that they open offline too.
  setTimeout(prefetchBuiltIns, 1500);
}

boot();
