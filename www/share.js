// The whole view in the address bar: dataset, λ, τ, methods, the selection (features, rows to
// relabel, move or delete, poison, k, seed), the tab, ε on the hedging path and the playground —
// as the URL's hash, rewritten with history.replaceState whenever something changes, and read
// back on load so that a link reproduces the view. Flags for lessons: `hideControls=1`,
// `hideText=1` and `hide=certified,chart,…` hide parts of the page. Uploaded files are never put
// in a link (nor sent anywhere); a link made with one says so.
import { DATASETS } from './data.js';
import { linkDefaults } from './state.js';

/** The parts of the page `hide=` can hide. */
export const HIDEABLE = ['header', 'lessons', 'data', 'controls', 'results', 'table', 'chart', 'path', 'playground', 'explain', 'certified', 'share', 'footer'];



const tokens = (text) =>
  String(text ?? '')
    .split(',')
    .filter((t) => t !== '');

/** The whole numbers of a comma list; anything else is noted in `ignored` under `what`. */
const INDEX = /^\d{1,9}$/;

function numbers(text, what, ignored) {
  const all = tokens(text);
  const bad = all.filter((t) => !INDEX.test(t));
  if (bad.length > 0 && ignored) ignored.push(`${what}: ${quoteList(bad)} ${bad.length === 1 ? 'is not a row or column number' : 'are not row or column numbers'}`);
  return all.filter((t) => INDEX.test(t)).map(Number);
}

function pairs(text, ignored) {
  const all = tokens(text).map((t) => [t, t.split(':')]);
  const ok = ([, p]) => p.length === 2 && p.every((v) => /^\d+$/.test(v));
  const bad = all.filter((e) => !ok(e)).map(([t]) => t);
  if (bad.length > 0) ignored.push(`rt (row:class): ${quoteList(bad)} ignored`);
  return all.filter(ok).map(([, p]) => p.map(Number));
}

const clip = (t) => (t.length > 24 ? `${t.slice(0, 24)}…` : t);
const quoteList = (items) => items.slice(0, 5).map((t) => `“${clip(t)}”`).join(', ') + (items.length > 5 ? ` and ${items.length - 5} more` : '');
const VIEWS = ['compare', 'path', 'playground', 'certified'];
// Every key a link of this page may hold (see encode).
const KNOWN_KEYS = ['ds', 'l2', 'tau', 'fv', 'k', 'rk', 'mk', 'seed', 'steps', 'f', 'rl', 'rt', 'rm', 'mv', 'poison', 'm', 'chart', 'cls', 'img', 'view', 'eps', 'pg', 'pgd', 'pgx', 'pga', 'pgr', 'pgf', 'pgm', 'hideControls', 'hideText', 'hide'];

/** A number in decimal notation, or NaN (no hex, no "Infinity", no empty field read as 0). */
const decimal = (text) => (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text.trim()) ? Number(text) : NaN);

/** The hash's raw key/value pairs. */
export function readHash(hash = location.hash) {
  const raw = new URLSearchParams(String(hash).replace(/^#/, ''));
  return Object.fromEntries(raw.entries());
}

/** The page's state as a link describes it (each part optional). */
export function decode(raw) {
  // What a link asks for that the page cannot do, in words (shown, never silently dropped).
  const ignored = [];
  const controls = {};
  for (const key of ['l2', 'tau', 'fv', 'k', 'rk', 'mk', 'seed', 'steps']) if (raw[key] !== undefined) controls[key] = raw[key];
  if (raw.f !== undefined) controls.f = numbers(raw.f, 'f (features)', ignored);
  if (raw.rl !== undefined) controls.rl = numbers(raw.rl, 'rl (labels to correct)', ignored).join(',');
  if (raw.rm !== undefined) controls.rm = numbers(raw.rm, 'rm (rows to delete)', ignored).join(',');
  if (raw.rt !== undefined) controls.rt = pairs(raw.rt, ignored);
  if (raw.mv !== undefined) {
    const [group, target, rows = ''] = raw.mv.split(':');
    if (/^\d+$/.test(group) && /^\d+$/.test(target)) {
      controls.mv = { group: Number(group), target: Number(target), rows: numbers(rows.replaceAll('.', ','), 'mv (rows to move)', ignored).join(',') };
    } else {
      ignored.push(`mv: “${clip(raw.mv)}” is not column:category:rows`);
    }
  }
  if (raw.poison !== undefined) controls.poison = raw.poison === '1';
  if (raw.m !== undefined) controls.m = raw.m.split(',').filter(Boolean);
  if (raw.chart !== undefined) controls.chart = raw.chart;
  if (raw.cls !== undefined && /^\d+$/.test(raw.cls)) controls.cls = Number(raw.cls);
  else if (raw.cls !== undefined) ignored.push(`cls (class): “${clip(raw.cls)}” is not a class number`);
  if (raw.img !== undefined) controls.img = raw.img;
  const playground = {};
  // The seed and the added points are passed on as written: the playground checks them against
  // its limits and says what it refused, rather than dropping them here without a word.
  if (raw.pg !== undefined) playground.seed = raw.pg;
  if (raw.pgd !== undefined) playground.dropped = numbers(raw.pgd);
  if (raw.pgx !== undefined) playground.relabelled = numbers(raw.pgx);
  if (raw.pga !== undefined) {
    playground.added = raw.pga
      .split(';')
      .filter((p) => p !== '')
      .map((p) => p.split(':').map(decimal));
  }
  if (raw.pgr !== undefined) playground.remove = numbers(raw.pgr);
  if (raw.pgf !== undefined) playground.flip = numbers(raw.pgf);
  if (raw.pgm !== undefined && ['remove', 'flip', 'add'].includes(raw.pgm)) playground.mode = raw.pgm;
  const epsValue = raw.eps === undefined || raw.eps === '' ? NaN : Number(raw.eps);
  const eps = epsValue >= 0 && epsValue <= 1 ? epsValue : undefined;
  if (raw.eps !== undefined && eps === undefined) ignored.push(`eps: “${clip(raw.eps)}” is not an ε from 0 to 1`);
  if (raw.view !== undefined && !VIEWS.includes(raw.view)) ignored.push(`view: “${clip(raw.view)}” is not one of ${VIEWS.join(', ')}`);
  // (A bare word is one of the page's own anchors, #controls or #data, not part of a link.)
  const unknownKeys = Object.keys(raw).filter((key) => !KNOWN_KEYS.includes(key) && raw[key] !== '');
  if (unknownKeys.length > 0) ignored.push(`${quoteList(unknownKeys)}: not a part of a link to this page`);
  for (const flag of ['hideControls', 'hideText']) {
    if (raw[flag] !== undefined && raw[flag] !== '1') ignored.push(`${flag}: “${clip(raw[flag])}” — write ${flag}=1`);
  }
  if (raw.pgm !== undefined && !['remove', 'flip', 'add'].includes(raw.pgm)) ignored.push(`pgm: “${clip(raw.pgm)}” is not remove, flip or add`);
  const hide = tokens(raw.hide);
  const unknownHide = hide.filter((key) => !HIDEABLE.includes(key));
  if (unknownHide.length > 0) ignored.push(`hide: ${quoteList(unknownHide)} — the parts are ${HIDEABLE.join(', ')}`);
  return {
    ds: raw.ds,
    controls,
    hasControls: Object.keys(controls).length > 0,
    view: VIEWS.includes(raw.view) ? raw.view : undefined,
    eps,
    ignored,
    playground: Object.keys(playground).length > 0 ? playground : null,
    flags: {
      hideControls: raw.hideControls === '1',
      hideText: raw.hideText === '1',
      hide: hide.filter((key) => HIDEABLE.includes(key)),
    },
  };
}

/** Sets the embedding flags on the page (CSS does the hiding). */
export function applyFlags(flags, body = document.body) {
  if (flags.hideControls) body.dataset.hideControls = 'true';
  else delete body.dataset.hideControls;
  if (flags.hideText) body.dataset.hideText = 'true';
  else delete body.dataset.hideText;
  if (flags.hide.length > 0) body.dataset.hide = flags.hide.join(' ');
  else delete body.dataset.hide;
}

const encodeValue = (value) =>
  encodeURIComponent(String(value)).replace(/%2C/gi, ',').replace(/%3A/gi, ':').replace(/%3B/gi, ';');

/** The hash for a state: {ds, controls (shareState), view, eps, playground (snapshot), flags}. */
export function encode({ ds, controls: c, view, eps, playground: p, flags }) {
  const out = [];
  const put = (key, value) => {
    if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) return;
    out.push(`${key}=${encodeValue(Array.isArray(value) ? value.join(',') : value)}`);
  };
  put('ds', ds);
  if (c) {
    const defaults = linkDefaults();
    for (const key of Object.keys(defaults)) if (c[key] !== defaults[key]) put(key, c[key]);
    put('seed', c.seed);
    put('f', c.f);
    put('rl', c.rl);
    put('rt', (c.rt ?? []).map(([row, k]) => `${row}:${k}`));
    put('rm', c.rm);
    if (c.mv && c.mv.rows) put('mv', `${c.mv.group}:${c.mv.target}:${c.mv.rows.replaceAll(',', '.')}`);
    if (c.poison) put('poison', 1);
    put('m', c.m);
    if (c.chart && c.chart !== 'values') put('chart', c.chart);
    if (c.cls) put('cls', c.cls);
    if (c.img && c.img !== 'values') put('img', c.img);
  }
  if (view && view !== 'compare') put('view', view);
  if (eps !== undefined && eps !== null && eps !== 1) put('eps', eps);
  if (p) {
    const changed = p.seed !== 1 || p.dropped.length || p.relabelled.length || p.added.length || p.remove.length || p.flip.length || p.mode !== 'remove';
    if (changed) {
      put('pg', p.seed);
      put('pgd', p.dropped);
      put('pgx', p.relabelled);
      put('pga', p.added.map((a) => a.join(':')).join(';'));
      put('pgr', p.remove);
      put('pgf', p.flip);
      if (p.mode !== 'remove') put('pgm', p.mode);
    }
  }
  if (flags) {
    if (flags.hideControls) put('hideControls', 1);
    if (flags.hideText) put('hideText', 1);
    put('hide', flags.hide);
  }
  return `#${out.join('&')}`;
}

/** Whether `id` is a dataset a link can load (uploaded files cannot be). */
export function linkable(id) {
  return typeof id === 'string' && Object.hasOwn(DATASETS, id);
}

