// The activity bar at the bottom of the window: what the worker is computing, Newton's progress
// (iteration and ‖∇L‖) while a model trains, the time spent, and a Cancel button. It appears
// only for work that takes longer than a moment, and never moves the page's layout (it floats).
import * as engine from './engine.js';
import { sig } from './render/format.js';

/** Work shorter than this is not announced. */
const SHOW_AFTER_MS = 250;
/** The training tolerance on ‖∇L‖ (the API's default), where the bar is full. */
const TOL = 1e-10;

const byId = (id) => document.getElementById(id);

/**
 * @param {object} hooks (may be set later)
 * @param {() => void} [hooks.onCancel] called right before the worker is stopped
 * @param {(what: string) => void} [hooks.onCancelled] called after, with the cancelled work's label
 */
export function mountActivity(hooks = {}) {
  const dom = {
    bar: byId('activity'),
    label: byId('activity-label'),
    progress: byId('activity-bar'),
    text: byId('activity-text'),
    cancel: byId('activity-cancel'),
  };
  let running = null; // { label, started, iteration, gradNorm, first }
  let showTimer = 0;
  let tick = 0;

  function render() {
    if (!running) return;
    const seconds = (performance.now() - running.started) / 1000;
    dom.label.textContent = `${running.label}…`;
    const parts = [];
    if (running.steps) {
      // The hedging path: one warm-started Newton solve per ε; the bar counts the ε done.
      parts.push(`ε = ${running.epsilon.toFixed(2)} (${running.step + 1} of ${running.steps})`, `Newton iteration ${running.iteration}`, `‖∇L‖ = ${sig(running.gradNorm)}`);
      dom.progress.value = Math.max(0.02, running.step / running.steps);
      dom.bar.dataset.iteration = String(running.iteration);
      dom.bar.dataset.gradNorm = String(running.gradNorm);
      dom.bar.dataset.step = String(running.step);
    } else if (running.iteration !== null) {
      parts.push(`Newton iteration ${running.iteration}`, `‖∇L‖ = ${sig(running.gradNorm)}`);
      // How far ‖∇L‖ has come from its first value down to the tolerance, on a log scale.
      const from = Math.log10(Math.max(running.first, TOL * 10));
      const now = Math.log10(Math.max(running.gradNorm, TOL));
      const done = from > Math.log10(TOL) ? (from - now) / (from - Math.log10(TOL)) : 0;
      dom.progress.value = Math.min(1, Math.max(0.02, done));
      dom.bar.dataset.iteration = String(running.iteration);
      dom.bar.dataset.gradNorm = String(running.gradNorm);
    } else {
      dom.progress.removeAttribute('value'); // indeterminate: no iterations to show
    }
    parts.push(`${seconds.toFixed(1)} s`);
    dom.text.textContent = parts.join(' · ');
  }

  function show() {
    dom.bar.hidden = false;
    document.body.dataset.activity = 'true';
    render();
    clearInterval(tick);
    tick = setInterval(render, 200);
  }

  function hide() {
    clearTimeout(showTimer);
    clearInterval(tick);
    dom.bar.hidden = true;
    delete document.body.dataset.activity;
    delete dom.bar.dataset.iteration;
    delete dom.bar.dataset.gradNorm;
    delete dom.bar.dataset.step;
  }

  engine.onActivity((event) => {
    if (event.phase === 'start') {
      const wasShown = !dom.bar.hidden;
      running = { label: event.label, started: performance.now(), iteration: null, gradNorm: null, first: null };
      dom.progress.removeAttribute('value');
      dom.cancel.disabled = false;
      if (wasShown) render();
      else {
        clearTimeout(showTimer);
        showTimer = setTimeout(show, SHOW_AFTER_MS);
      }
    } else if (event.phase === 'progress' && running) {
      if (running.label !== event.label) return;
      if (running.first === null || event.iteration === 0) running.first = event.gradNorm;
      running.iteration = event.iteration;
      running.gradNorm = event.gradNorm;
      Object.assign(running, event.steps ? { epsilon: event.epsilon, step: event.step, steps: event.steps } : {});
      if (!dom.bar.hidden) render();
    } else if (event.phase === 'end') {
      running = null;
      // The next job of a sequence usually starts at once: hide only if none does.
      setTimeout(() => {
        if (!running) hide();
      }, 0);
    }
  });

  dom.cancel.addEventListener('click', () => {
    if (!engine.busy()) return;
    dom.cancel.disabled = true;
    const what = running?.label ?? 'the computation';
    hooks.onCancel?.();
    engine.cancel();
    hooks.onCancelled?.(what);
  });
  window.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !dom.bar.hidden && engine.busy() && !event.defaultPrevented) {
      dom.cancel.click();
    }
  });
}
