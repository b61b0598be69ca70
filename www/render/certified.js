// Pure renderers of the certified panel: the budget gauge, the β history, the request log and
// the request summary. Data in, DOM out.
import { percent, sig } from './format.js';
import { el } from './table.js';

/** Short names of the updates the certified model accepts. */
export const CERTIFIED_METHODS = {
  second_order: 'Second-order',
  lazy: 'No update',
  first_order: 'First-order',
  exact: 'Exact',
  retrain: 'Retrain',
};

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

function listRows(rows, max = 6) {
  const shown = rows.slice(0, max).map((r) => `#${r}`).join(', ');
  return rows.length > max ? `${shown} and ${rows.length - max} more` : shown;
}

/**
 * "forget 2 features (…) · flip 3 labels (#…) · delete 3 rows (#…)", or '' for nothing.
 * `groups` are feature groups (original columns) named by `names`; without them, `features`.
 */
export function describeRequest({ groups, features, flip, remove }, names) {
  const parts = [];
  const forgotten = groups ?? features;
  if (forgotten.length > 0) {
    const shown = forgotten.slice(0, 3).map((j) => names[j]);
    const more = forgotten.length > 3 ? ` and ${forgotten.length - 3} more` : '';
    parts.push(`forget ${plural(forgotten.length, 'feature')} (${shown.join(', ')}${more})`);
  }
  if (flip.length > 0) parts.push(`flip ${plural(flip.length, 'label')} (${listRows(flip)})`);
  if (remove.length > 0) parts.push(`delete ${plural(remove.length, 'row')} (${listRows(remove)})`);
  return parts.join(' · ');
}

/** The gauge β / β_max and the text under it. */
export function renderGauge({ gauge, fill, text }, run) {
  if (!run) {
    gauge.removeAttribute('data-value');
    gauge.setAttribute('aria-valuenow', '0');
    gauge.setAttribute('aria-valuetext', 'no certified model yet');
    fill.style.width = '0%';
    gauge.classList.remove('gauge--full');
    text.textContent = 'Start the certified model to see how much of the budget each request uses.';
    return;
  }
  const ratio = run.beta / run.budget;
  const shown = Math.min(1, Math.max(0, ratio));
  gauge.dataset.value = String(ratio);
  gauge.setAttribute('aria-valuenow', String(shown));
  gauge.setAttribute('aria-valuetext', `${percent(ratio)} of the budget used`);
  fill.style.width = `${(shown * 100).toFixed(2)}%`;
  gauge.classList.toggle('gauge--full', ratio > 0.8);
  text.replaceChildren(
    el('strong', { text: `β = ${sig(run.beta)}` }),
    ` of β_max = ${sig(run.budget)} used (${percent(ratio)}).`,
  );
}

/** One small column per request: β after it as a share of the budget; ↺ marks a retrain. */
export function renderHistory(list, entries) {
  list.replaceChildren(
    ...entries.map((entry) => {
      const c = entry.certificate;
      const ratio = c.betaAfter === null ? 1 : c.betaAfter / c.budget;
      const bar = el('span', { className: 'history__bar' });
      bar.style.height = `${Math.max(2, Math.min(1, ratio) * 100).toFixed(1)}%`;
      const track = el('span', { className: 'history__track' }, [bar]);
      if (c.retrained) {
        // Where β would have gone without the retrain (past the top: over budget).
        const ghost = el('span', { className: 'history__ghost' });
        ghost.style.height = `${Math.min(1, (c.betaBefore + c.bound) / c.budget) * 100}%`;
        track.prepend(ghost);
      }
      const mark = c.retrained ? '↺' : !c.boundHolds ? '✗' : c.certified ? '' : '◐';
      const label = el('span', { className: 'history__label' }, [
        `${entry.n}`,
        ...(mark ? [el('span', { className: 'history__mark', 'aria-hidden': 'true', text: mark })] : []),
      ]);
      const item = el(
        'li',
        {
          className: `history__item${c.retrained ? ' history__item--retrained' : ''}${c.boundHolds ? '' : ' history__item--failed'}`,
          title:
            `Request ${entry.n}: β after = ${c.betaAfter === null ? '∞' : sig(c.betaAfter)}` +
            (c.retrained ? ' (retrained from scratch with fresh noise)' : '') +
            (c.boundHolds && !c.certified ? ' — reproducible noise: not a privacy guarantee' : ''),
        },
        [track, label],
      );
      return item;
    }),
  );
}

function cell(key, value, text, extra = {}) {
  return el('td', {
    'data-key': key,
    'data-value': typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined,
    title: typeof value === 'number' ? String(value) : undefined,
    text,
    ...extra,
  });
}

/**
 * ✓ certified; ◐ the bound holds but the noise is reproducible (no privacy guarantee); ✗ not
 * certified, with the reason.
 */
function verdictCell(c) {
  if (c.certified) {
    return el('td', { 'data-key': 'certified', 'data-verdict': 'certified', className: 'yes' }, [
      '✓',
      el('span', { className: 'visually-hidden', text: ' certified' }),
    ]);
  }
  if (c.boundHolds && c.noise === 'reproducible') {
    return el('td', { 'data-key': 'certified', 'data-verdict': 'reproducible', className: 'repro' }, [
      '◐',
      el('span', { className: 'log__verdict', text: ' bound holds' }),
      el('span', { className: 'log__reason', text: 'reproducible noise: not a privacy guarantee' }),
    ]);
  }
  return el('td', { 'data-key': 'certified', 'data-verdict': 'not-certified', className: 'no' }, [
    '✗',
    el('span', { className: 'log__verdict', text: ' not certified' }),
    ...(c.reason ? [el('span', { className: 'log__reason', text: c.reason })] : []),
  ]);
}

/** The request log: one row per request, newest last. */
export function renderLog(table, entries, featureNames) {
  const body = el('tbody');
  if (entries.length === 0) {
    body.append(
      el('tr', {}, [
        el('td', {
          colspan: '9',
          className: 'empty',
          text: 'No requests yet. Choose features, labels or rows in steps 1–3 and press “Apply request”.',
        }),
      ]),
    );
  }
  for (const entry of entries) {
    const c = entry.certificate;
    const certified = verdictCell(c);
    const retrained = el('td', { 'data-key': 'retrained', className: c.retrained ? 'retrained' : '' }, [
      c.retrained ? '↺ retrained' : '—',
    ]);
    if (c.retrained) retrained.title = c.reason ?? 'retrained from scratch with fresh noise';
    const row = el('tr', { 'data-request': String(entry.n), 'data-retrained': String(c.retrained) }, [
      el('th', { scope: 'row', text: String(entry.n) }),
      el('td', { 'data-key': 'request', className: 'log__request', text: describeRequest(entry.request, featureNames) }),
      el('td', { 'data-key': 'method', text: CERTIFIED_METHODS[c.method] ?? c.method }),
      cell('bound', c.bound, sig(c.bound)),
      cell('betaAfter', c.betaAfter, c.betaAfter === null ? '∞' : sig(c.betaAfter)),
      cell('residual', c.residual, sig(c.residual)),
      certified,
      retrained,
      cell('accuracy', entry.accuracy, percent(entry.accuracy)),
    ]);
    body.append(row);
  }
  table.tBodies[0]?.remove();
  table.append(body);
}

/** The failed assumptions of certified unlearning, if any (hidden otherwise). */
export function renderAssumptions(node, failed) {
  const list = node.querySelector('ul');
  list.replaceChildren(...failed.map((text) => el('li', { text })));
  node.hidden = failed.length === 0;
}
