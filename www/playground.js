// The 2-D playground: two features, a canvas with the points and the decision boundary
// w₁x₁ + w₂x₂ + b = 0. A click removes a point or flips its label (toggling it back on a second
// click); shift-click or the "Add" mode adds a point, which retrains the base model on the points
// as they are. After each edit the worker compares the second-order update with retraining, and
// both boundaries are drawn. The keyboard does everything the mouse does: arrow keys choose a
// point on the canvas (or use the list), Enter applies the mode; in the Add mode the arrow keys
// move a cursor inside the drawn square instead, and Enter adds a point there. A link's state is
// held to the same limits as the interface (at least three points of both classes, at most
// MAX_ADDED added points inside the square, a seed the Seed box accepts).
import * as engine from './engine.js';
import { parseNumber } from './parse.js';
import { sig } from './render/format.js';
import { OKABE_ITO } from './render/palette.js';
import { el } from './render/table.js';
import { blobs, toArrays } from './synthetic.js';

/** The square of the plane that is drawn. */
export const DOMAIN = { min: -4, max: 4 };
export const PLAYGROUND_L2 = 1;
export const PLAYGROUND_TAU = 1e-3;
export const PLAYGROUND_METHODS = ['lazy', 'second_order', 'retrain'];
/** The Seed box's range (the generator takes 32 bits) and the seed without a link. */
export const SEED_MAX = 2 ** 32 - 1;
export const DEFAULT_SEED = 1;
/** At most this many added points, by click, keyboard or link. */
export const MAX_ADDED = 200;
/** A click this close to a point (CSS pixels) hits it. */
const HIT_RADIUS = 14;
/** How far an arrow key moves the Add cursor (Shift: 1). */
const CURSOR_STEP = 0.25;

const COLORS = { c0: OKABE_ITO.blue, c1: OKABE_ITO.orange, ring: OKABE_ITO.reddishPurple };
export const LINE_STYLES = {
  lazy: { color: OKABE_ITO.skyBlue, width: 2.5, dash: [] },
  second_order: { color: OKABE_ITO.bluishGreen, width: 5, dash: [] },
  retrain: { color: OKABE_ITO.black, width: 2, dash: [9, 6] },
};

const byId = (id) => document.getElementById(id);
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
const minus = (v) => String(v).replace('-', '−');
/** Text from a link, quoted back without letting a long one fill the page. */
const quote = (text) => `“${text.length > 24 ? `${text.slice(0, 24)}…` : text}”`;
/** `v` moved into the drawn square. */
export const clampToDomain = (v) => Math.min(DOMAIN.max, Math.max(DOMAIN.min, v));

/**
 * The base points of a playground state: the seed's points, less the dropped ones (`dropped`:
 * original indices), with the labels of `relabelled` (original indices) flipped, then the
 * `added` points [x1, x2, label]. Rows are [x1, x2, label, origin] (origin: original index or null).
 */
export function basePoints({ seed, dropped = [], relabelled = [], added = [] }) {
  const gone = new Set(dropped);
  const flip = new Set(relabelled);
  const rows = blobs(seed).train
    .map(([a, b, c], i) => [a, b, flip.has(i) ? 1 - c : c, i])
    .filter((row) => !gone.has(row[3]));
  return [...rows, ...added.map(([a, b, c]) => [a, b, c, null])];
}

/** The rows of `base` still in the training data, with their current labels. */
export function shownRows(base, removed, flipped) {
  return base.flatMap(([a, b, c, origin], i) => (removed.has(i) ? [] : [[a, b, flipped.has(i) ? 1 - c : c, origin]]));
}

/**
 * What would be wrong with training on `rows`, or null: at least three points must stay (the
 * fit needs a few), and both classes (one class alone has nothing to separate).
 */
export function tooFew(rows) {
  if (rows.length < 3) return `${rows.length === 0 ? 'no points at all' : `only ${plural(rows.length, 'point')}`}, and at least three must stay`;
  if (new Set(rows.map((r) => r[2])).size < 2) return `only points of class ${rows[0][2]}, and both classes must stay`;
  return null;
}

/** A link's added points: well-formed ones only, at most MAX_ADDED, moved into the square. */
function linkAdded(points, notes) {
  const valid = points.filter((p) => p.length === 3 && Number.isFinite(p[0]) && Number.isFinite(p[1]) && (p[2] === 0 || p[2] === 1));
  const bad = points.length - valid.length;
  if (bad > 0) notes.push(`${plural(bad, 'added point')} left out (each needs two finite coordinates and a label 0 or 1)`);
  const kept = valid.slice(0, MAX_ADDED);
  if (kept.length < valid.length) notes.push(`only the first ${MAX_ADDED} of its ${valid.length} added points kept (at most ${MAX_ADDED} can be added)`);
  const inside = kept.map(([a, b, c]) => [clampToDomain(a), clampToDomain(b), c]);
  const moved = inside.filter(([a, b], k) => a !== kept[k][0] || b !== kept[k][1]).length;
  if (moved > 0) notes.push(`${plural(moved, 'added point')} outside the plot moved to its edge (${minus(DOMAIN.min)} to ${minus(DOMAIN.max)})`);
  return inside;
}

/**
 * A link's playground state (share.js `decode`) held to the interface's limits. Returns
 * {state, notes}: the state to show, and what was refused or changed, in words. Parts that would
 * break the rule of `tooFew` are ignored whole (a part of them would be an edit nobody made).
 */
export function fromLink(params = {}) {
  const notes = [];
  const state = { seed: DEFAULT_SEED, dropped: [], relabelled: [], added: [], remove: [], flip: [], mode: params.mode };
  if (params.seed !== undefined) {
    const parsed = parseNumber(String(params.seed), 'Seed', { min: 0, max: SEED_MAX, integer: true });
    if (parsed.error) {
      // Its point numbers belong to another seed's points: they would mean nothing here.
      notes.push(`its seed ${quote(String(params.seed))} is not a whole number from 0 to ${SEED_MAX}, so seed ${DEFAULT_SEED} is shown without its edits`);
      return { state, notes };
    }
    state.seed = parsed.value;
  }
  const added = linkAdded(params.added ?? [], notes);
  const base = basePoints({ seed: state.seed, dropped: params.dropped, relabelled: params.relabelled, added });
  const baseProblem = tooFew(base);
  if (baseProblem) {
    notes.push(`its dropped, relabelled and added points would leave ${baseProblem}, so the seed's own points are shown without its edits`);
    return { state, notes };
  }
  Object.assign(state, { dropped: params.dropped ?? [], relabelled: params.relabelled ?? [], added });
  const remove = (params.remove ?? []).filter((i) => i < base.length);
  const flip = (params.flip ?? []).filter((i) => i < base.length);
  const editProblem = tooFew(shownRows(base, new Set(remove), new Set(flip)));
  if (editProblem) notes.push(`its removed and flipped points would leave ${editProblem}, so they are ignored`);
  else Object.assign(state, { remove, flip });
  return { state, notes };
}

/**
 * @param {object} deps
 * @param {object} deps.queue the page's action queue
 * @param {() => void} deps.onChange called when the playground's state changed (for the link)
 */
export function mountPlayground({ queue, onChange = () => {} }) {
  const dom = {
    section: byId('playground'),
    canvas: byId('pg-canvas'),
    modes: document.querySelectorAll('input[name="pg-mode"]'),
    addClass: byId('pg-add-class'),
    list: byId('pg-point'),
    remove: byId('pg-remove'),
    flip: byId('pg-flip'),
    seed: byId('pg-seed'),
    seedError: byId('pg-seed-error'),
    fresh: byId('pg-new'),
    reset: byId('pg-reset'),
    heat: byId('pg-heat'),
    count: byId('pg-count'),
    selected: byId('pg-selected'),
    table: byId('pg-table'),
  };
  const seeded = blobs(DEFAULT_SEED); // replaced with the seed's points
  const pg = {
    seed: DEFAULT_SEED,
    original: seeded.train, // the seed's points, for the count and "Undo all edits"
    dropped: [],
    relabelled: [],
    added: [],
    base: [], // [x1, x2, label, origin]
    removed: new Set(), // base indices
    flipped: new Set(), // base indices
    theta: null, // θ* of the base model
    comparison: null, // of the current edit, or null
    selected: null, // base index
    cursor: [0, 0], // where Enter adds a point in the Add mode
    test: toArrays(seeded.test),
    trainings: 0,
    edits: 0,
  };

  const mode = () => [...dom.modes].find((r) => r.checked)?.value ?? 'remove';
  /** Whether an Add (or a link) changed the points the base model is trained on. */
  const baseChanged = () => pg.dropped.length + pg.relabelled.length + pg.added.length > 0;

  // ---------- drawing ----------
  function size() {
    const rect = dom.canvas.getBoundingClientRect();
    return Math.max(120, Math.round(rect.width));
  }

  const toPx = (v, s) => ((v - DOMAIN.min) / (DOMAIN.max - DOMAIN.min)) * s;
  const toPy = (v, s) => ((DOMAIN.max - v) / (DOMAIN.max - DOMAIN.min)) * s;
  const fromPx = (p, s) => DOMAIN.min + (p / s) * (DOMAIN.max - DOMAIN.min);
  const fromPy = (p, s) => DOMAIN.max - (p / s) * (DOMAIN.max - DOMAIN.min);

  function thetaOf(method) {
    if (method === 'lazy') return pg.comparison?.methods.find((m) => m.method === 'lazy')?.theta ?? pg.theta;
    return pg.comparison?.methods.find((m) => m.method === method && !m.error)?.theta ?? null;
  }

  /** The segment of w₁x₁ + w₂x₂ + b = 0 inside the domain, or null. */
  function segment(theta) {
    const [w1, w2, b] = theta;
    const { min, max } = DOMAIN;
    const hits = [];
    if (Math.abs(w2) > 1e-12) {
      for (const x of [min, max]) {
        const y = -(w1 * x + b) / w2;
        if (y >= min && y <= max) hits.push([x, y]);
      }
    }
    if (Math.abs(w1) > 1e-12) {
      for (const y of [min, max]) {
        const x = -(w2 * y + b) / w1;
        if (x >= min && x <= max) hits.push([x, y]);
      }
    }
    if (hits.length < 2) return null;
    hits.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
    return [hits[0], hits.at(-1)];
  }

  function heatMap(ctx, s, theta) {
    const cells = 64;
    const image = ctx.createImageData(cells, cells);
    const [w1, w2, b] = theta;
    for (let r = 0; r < cells; r += 1) {
      for (let c = 0; c < cells; c += 1) {
        const x = DOMAIN.min + ((c + 0.5) / cells) * (DOMAIN.max - DOMAIN.min);
        const y = DOMAIN.max - ((r + 0.5) / cells) * (DOMAIN.max - DOMAIN.min);
        const p = 1 / (1 + Math.exp(-(w1 * x + w2 * y + b)));
        // White at p = ½, towards the blue of class 0 and the orange of class 1.
        const t = Math.abs(p - 0.5) * 2;
        const [cr, cg, cb] = p < 0.5 ? [0, 114, 178] : [230, 159, 0];
        const k = 4 * (r * cells + c);
        const a = 0.3 * t;
        image.data[k] = Math.round(255 * (1 - a) + cr * a);
        image.data[k + 1] = Math.round(255 * (1 - a) + cg * a);
        image.data[k + 2] = Math.round(255 * (1 - a) + cb * a);
        image.data[k + 3] = 255;
      }
    }
    const off = document.createElement('canvas');
    off.width = cells;
    off.height = cells;
    off.getContext('2d').putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(off, 0, 0, s, s);
  }

  function drawPoint(ctx, x, y, label, { ghost = false, flipped = false, selected = false }) {
    ctx.save();
    if (ghost) {
      ctx.strokeStyle = '#8a90a3';
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(x - 5, y - 5);
      ctx.lineTo(x + 5, y + 5);
      ctx.moveTo(x + 5, y - 5);
      ctx.lineTo(x - 5, y + 5);
      ctx.stroke();
    } else {
      ctx.fillStyle = label === 1 ? COLORS.c1 : COLORS.c0;
      ctx.strokeStyle = label === 1 ? '#5c4000' : '#ffffff';
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      if (label === 1) {
        ctx.moveTo(x, y - 7);
        ctx.lineTo(x + 6.5, y + 5);
        ctx.lineTo(x - 6.5, y + 5);
        ctx.closePath();
      } else {
        ctx.arc(x, y, 5.5, 0, 2 * Math.PI);
      }
      ctx.fill();
      ctx.stroke();
      if (flipped) {
        ctx.strokeStyle = COLORS.ring;
        ctx.lineWidth = 2.5;
        ctx.beginPath();
        ctx.arc(x, y, 10, 0, 2 * Math.PI);
        ctx.stroke();
      }
    }
    if (selected) {
      ctx.strokeStyle = '#1d2130';
      ctx.lineWidth = 2;
      ctx.setLineDash([3, 2]);
      ctx.beginPath();
      ctx.arc(x, y, 14, 0, 2 * Math.PI);
      ctx.stroke();
    }
    ctx.restore();
  }

  /** The Add mode's keyboard cursor: a cross hair where Enter adds a point. */
  function drawCursor(ctx, x, y) {
    ctx.save();
    ctx.strokeStyle = '#1d2130';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) {
      ctx.moveTo(x + 5 * dx, y + 5 * dy);
      ctx.lineTo(x + 12 * dx, y + 12 * dy);
    }
    ctx.stroke();
    ctx.beginPath();
    ctx.arc(x, y, 5, 0, 2 * Math.PI);
    ctx.stroke();
    ctx.restore();
  }

  function draw() {
    const s = size();
    const ratio = window.devicePixelRatio || 1;
    dom.canvas.width = Math.round(s * ratio);
    dom.canvas.height = Math.round(s * ratio);
    const ctx = dom.canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, s, s);
    const shade = thetaOf('second_order') ?? pg.theta;
    if (dom.heat.checked && shade) heatMap(ctx, s, shade);
    else {
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, s, s);
    }
    // Axes through 0 and a light grid.
    ctx.strokeStyle = '#e4e7ee';
    ctx.lineWidth = 1;
    for (let v = DOMAIN.min; v <= DOMAIN.max; v += 1) {
      ctx.beginPath();
      ctx.moveTo(toPx(v, s), 0);
      ctx.lineTo(toPx(v, s), s);
      ctx.moveTo(0, toPy(v, s));
      ctx.lineTo(s, toPy(v, s));
      ctx.stroke();
    }
    ctx.strokeStyle = '#b9bfcd';
    ctx.beginPath();
    ctx.moveTo(toPx(0, s), 0);
    ctx.lineTo(toPx(0, s), s);
    ctx.moveTo(0, toPy(0, s));
    ctx.lineTo(s, toPy(0, s));
    ctx.stroke();
    // Points: removed ones as ghosts, flipped ones with their new label and a ring.
    pg.base.forEach(([x1, x2, label], i) => {
      const removed = pg.removed.has(i);
      const flipped = pg.flipped.has(i);
      drawPoint(ctx, toPx(x1, s), toPy(x2, s), flipped ? 1 - label : label, {
        ghost: removed,
        flipped,
        selected: pg.selected === i,
      });
    });
    // Boundaries: θ*, then the retrained one on top of the second-order one.
    for (const method of ['lazy', 'second_order', 'retrain']) {
      const theta = thetaOf(method);
      if (!theta) continue;
      const seg = segment(theta);
      if (!seg) continue;
      const style = LINE_STYLES[method];
      ctx.save();
      ctx.strokeStyle = style.color;
      ctx.lineWidth = style.width;
      ctx.setLineDash(style.dash);
      ctx.lineCap = 'round';
      ctx.beginPath();
      ctx.moveTo(toPx(seg[0][0], s), toPy(seg[0][1], s));
      ctx.lineTo(toPx(seg[1][0], s), toPy(seg[1][1], s));
      ctx.stroke();
      ctx.restore();
    }
    if (mode() === 'add' && document.activeElement === dom.canvas) drawCursor(ctx, toPx(pg.cursor[0], s), toPy(pg.cursor[1], s));
    dom.canvas.dataset.domain = `${DOMAIN.min},${DOMAIN.max}`;
    dom.canvas.dataset.cursor = pg.cursor.join(',');
    dom.canvas.dataset.lines = ['lazy', 'second_order', 'retrain'].filter((m) => thetaOf(m)).join(',');
  }

  // ---------- text ----------
  function describePoint(i) {
    const [x1, x2, label] = pg.base[i];
    const now = pg.flipped.has(i) ? 1 - label : label;
    const state = pg.removed.has(i) ? ' · removed' : pg.flipped.has(i) ? ` · label flipped from ${label}` : '';
    return `Point ${i}: class ${now} at (${x1.toFixed(2)}, ${x2.toFixed(2)})${state}`;
  }

  function renderList() {
    const order = pg.base.map((_, i) => i).sort((a, b) => pg.base[a][0] - pg.base[b][0] || a - b);
    dom.list.replaceChildren(
      ...order.map((i) => {
        const [x1, x2] = pg.base[i];
        const option = el('option', { value: String(i), 'data-x1': String(x1), 'data-x2': String(x2), text: describePoint(i) });
        option.selected = pg.selected === i;
        return option;
      }),
    );
  }

  /**
   * The training data against the seed's own points (not just the edit since the last Add, so
   * that nothing removed or flipped before an Add drops out of the count).
   */
  function tally() {
    const rows = shownRows(pg.base, pg.removed, pg.flipped);
    const kept = rows.filter((r) => r[3] !== null);
    return {
      shown: rows.length,
      removed: pg.original.length - kept.length,
      flipped: kept.filter(([, , label, origin]) => label !== pg.original[origin][2]).length,
      added: rows.length - kept.length,
    };
  }

  function renderCount() {
    const { shown, removed, flipped, added } = tally();
    const parts = [
      el('strong', { text: `${shown} points` }),
      ` in the training data · ${removed} removed · ${flipped} flipped · ${added} added, against seed ${pg.seed}'s ${pg.original.length} · ${pg.test.y.length} test points`,
    ];
    if (baseChanged()) {
      const e = edit();
      parts.push(`. The model “before” was last trained on ${plural(pg.base.length, 'point')}; the edit unlearned now removes ${e.remove.length} and flips ${e.relabel.length} of them.`);
    }
    dom.count.replaceChildren(...parts);
    Object.assign(dom.count.dataset, { count: String(shown), removed: String(removed), flipped: String(flipped), added: String(added) });
  }

  function describeChoice() {
    if (mode() === 'add') {
      const [x1, x2] = pg.cursor;
      return `Add mode: the cursor is at (${x1.toFixed(2)}, ${x2.toFixed(2)}). On the plot, arrow keys move it by ${CURSOR_STEP} (with Shift by 1), Enter adds a class ${dom.addClass.value} point there.`;
    }
    return pg.selected === null ? 'No point chosen: click one, or use the arrow keys on the plot or the list.' : `Chosen: ${describePoint(pg.selected)}.`;
  }

  function renderText() {
    renderCount();
    dom.selected.textContent = describeChoice();
    const retrain = thetaOf('retrain');
    const rows = [
      ['lazy', 'θ* (before)'],
      ['second_order', 'second-order'],
      ['retrain', 'retrained'],
    ];
    const body = el('tbody');
    for (const [method, label] of rows) {
      const theta = thetaOf(method);
      if (!theta) continue;
      const distance = retrain ? Math.hypot(...theta.map((v, k) => v - retrain[k])) : null;
      const swatch = el('span', { className: `pg-line pg-line--${method === 'lazy' ? 'original' : method === 'second_order' ? 'second' : 'retrain'}`, 'aria-hidden': 'true' });
      body.append(
        el('tr', { 'data-method': method }, [
          el('th', { scope: 'row' }, [swatch, ` ${label}`]),
          ...['w1', 'w2', 'b'].map((key, k) => el('td', { 'data-key': key, 'data-value': String(theta[k]), title: String(theta[k]), text: sig(theta[k]) })),
          el('td', { 'data-key': 'distance', 'data-value': distance === null ? undefined : String(distance), text: distance === null ? '—' : sig(distance) }),
        ]),
      );
    }
    dom.table.tBodies[0]?.remove();
    dom.table.append(body);
    dom.section.dataset.trainings = String(pg.trainings);
    dom.section.dataset.edits = String(pg.edits);
  }

  function render() {
    draw();
    renderList();
    renderText();
  }

  // ---------- actions ----------
  /** The playground's status line; '' clears it (a message must not outlive the next success). */
  function say(text) {
    if (text) dom.count.title = text;
    else dom.count.removeAttribute('title');
    const status = byId('pg-status-live');
    if (status) status.textContent = text;
  }

  const edit = () => ({
    remove: [...pg.removed].sort((a, b) => a - b),
    relabel: [...pg.flipped].filter((i) => !pg.removed.has(i)).sort((a, b) => a - b).map((i) => [i, 1 - pg.base[i][2]]),
  });

  /** Retrains the base model (queued). */
  function train() {
    return queue.push(async () => {
      const { x, y } = toArrays(pg.base);
      try {
        const out = await engine.playgroundTrain({ x, y, xTest: pg.test.x, yTest: pg.test.y, l2: PLAYGROUND_L2 });
        pg.theta = out.theta;
        pg.comparison = null;
        pg.trainings += 1;
      } catch (err) {
        say(err?.cancelled ? 'Cancelled.' : `The playground model could not be trained: ${err.message}`);
      }
      if (pg.removed.size + pg.flipped.size > 0) await compareNow();
      render();
      onChange();
    });
  }

  async function compareNow() {
    const e = edit();
    if (e.remove.length + e.relabel.length === 0) {
      pg.comparison = null;
      return;
    }
    try {
      pg.comparison = await engine.playgroundCompare(e, { methods: PLAYGROUND_METHODS, tau: PLAYGROUND_TAU });
      pg.edits += 1;
    } catch (err) {
      say(err?.cancelled ? 'Cancelled.' : `Unlearning failed: ${err.message}`);
    }
  }

  function changed() {
    render();
    onChange();
    queue.push(async () => {
      await compareNow();
      render();
      onChange();
    });
  }

  const toggled = (set, i) => {
    const out = new Set(set);
    if (out.has(i)) out.delete(i);
    else out.add(i);
    return out;
  };

  /** Removes or flips point `i` (or undoes that), unless too few points or one class would stay. */
  function act(i, what) {
    if (i === null || i === undefined) return;
    pg.selected = i;
    const removed = what === 'remove' ? toggled(pg.removed, i) : pg.removed;
    const flipped = what === 'flip' ? toggled(pg.flipped, i) : pg.flipped;
    const problem = tooFew(shownRows(pg.base, removed, flipped));
    if (problem) {
      say(`Point ${i} was not ${what === 'remove' ? 'removed' : 'flipped'}: that would leave ${problem}.`);
      render();
      return;
    }
    pg.removed = removed;
    pg.flipped = flipped;
    say('');
    changed();
  }

  /** Adds a point: the base becomes the points as they are now plus this one, and retrains. */
  function add(x1, x2, label) {
    const kept = shownRows(pg.base, pg.removed, pg.flipped);
    if (kept.filter((r) => r[3] === null).length >= MAX_ADDED) {
      say(`No point added: at most ${MAX_ADDED} points can be added. Remove one, or use “Undo all edits”.`);
      return;
    }
    const round = (v) => Math.round(clampToDomain(v) * 1000) / 1000;
    const point = [round(x1), round(x2), label, null];
    pg.cursor = point.slice(0, 2);
    setBase([...kept, point]);
    pg.selected = pg.base.length - 1;
    say('');
    render();
    train();
  }

  function setBase(rows) {
    pg.base = rows;
    pg.removed = new Set();
    pg.flipped = new Set();
    pg.comparison = null;
    const original = pg.original;
    const present = new Set(rows.filter((r) => r[3] !== null).map((r) => r[3]));
    pg.dropped = original.map((_, i) => i).filter((i) => !present.has(i));
    pg.relabelled = rows.filter((r) => r[3] !== null && r[2] !== original[r[3]][2]).map((r) => r[3]);
    pg.added = rows.filter((r) => r[3] === null).map(([a, b, c]) => [a, b, c]);
  }

  /** Shows `seed` in the Seed box, without an error. */
  function showSeed(seed) {
    dom.seed.value = String(seed);
    dom.seed.removeAttribute('aria-invalid');
    dom.seedError.hidden = true;
    dom.seedError.textContent = '';
  }

  function useSeed(seed) {
    const { train: points, test: held } = blobs(seed);
    pg.seed = seed;
    pg.original = points;
    pg.test = toArrays(held);
    showSeed(seed);
  }

  /** The seed's own points, unedited, retrained. */
  function restart(seed) {
    useSeed(seed);
    pg.selected = null;
    setBase(basePoints({ seed }));
    say('');
    render();
    train();
  }

  function hit(event) {
    const rect = dom.canvas.getBoundingClientRect();
    const s = rect.width;
    const px = event.clientX - rect.left;
    const py = event.clientY - rect.top;
    let best = null;
    let bestDistance = HIT_RADIUS;
    pg.base.forEach(([x1, x2], i) => {
      const d = Math.hypot(toPx(x1, s) - px, toPy(x2, s) - py);
      if (d <= bestDistance) {
        best = i;
        bestDistance = d;
      }
    });
    return { index: best, x1: fromPx(px, s), x2: fromPy(py, s) };
  }

  dom.canvas.addEventListener('click', (event) => {
    const { index, x1, x2 } = hit(event);
    if (event.shiftKey || mode() === 'add') {
      add(x1, x2, Number(dom.addClass.value));
      return;
    }
    if (index === null) {
      say('No point there: click on a point, or shift-click to add one.');
      return;
    }
    act(index, mode());
  });

  /** Moves the Add cursor, never out of the drawn square. */
  function moveCursor(dx, dy) {
    pg.cursor = [clampToDomain(pg.cursor[0] + dx), clampToDomain(pg.cursor[1] + dy)].map((v) => Math.round(v * 1000) / 1000);
    draw();
    renderText();
  }

  const ARROWS = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };

  /** The Add mode's keys: arrows move the cursor, Home centres it, Enter adds a point there. */
  function addKey(event) {
    const arrow = ARROWS[event.key];
    const by = event.shiftKey ? 1 : CURSOR_STEP;
    if (arrow) moveCursor(arrow[0] * by, arrow[1] * by);
    else if (event.key === 'Home') moveCursor(-pg.cursor[0], -pg.cursor[1]);
    else if (event.key === 'Enter' || event.key === ' ') add(pg.cursor[0], pg.cursor[1], Number(dom.addClass.value));
    else return false;
    return true;
  }

  function step(delta) {
    const order = pg.base.map((_, i) => i).sort((a, b) => pg.base[a][0] - pg.base[b][0] || a - b);
    if (order.length === 0) return;
    const at = pg.selected === null ? (delta > 0 ? -1 : order.length) : order.indexOf(pg.selected);
    pg.selected = order[(at + delta + order.length) % order.length];
    render();
  }

  dom.canvas.addEventListener('keydown', (event) => {
    if (mode() === 'add' && addKey(event)) event.preventDefault();
    else if (['ArrowRight', 'ArrowDown'].includes(event.key)) step(1);
    else if (['ArrowLeft', 'ArrowUp'].includes(event.key)) step(-1);
    else if (event.key === 'Home') {
      pg.selected = null;
      step(1);
    } else if (event.key === 'Enter' || event.key === ' ') act(pg.selected, mode());
    else if (event.key === 'Escape' && pg.selected !== null) {
      pg.selected = null;
      render();
    } else return;
    event.preventDefault();
  });
  dom.list.addEventListener('change', () => {
    pg.selected = dom.list.value === '' ? null : Number(dom.list.value);
    draw();
    renderText();
  });
  dom.list.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && dom.list.value !== '') {
      event.preventDefault();
      act(Number(dom.list.value), mode() === 'flip' ? 'flip' : 'remove');
    }
  });
  dom.remove.addEventListener('click', () => act(pg.selected ?? (dom.list.value === '' ? null : Number(dom.list.value)), 'remove'));
  dom.flip.addEventListener('click', () => act(pg.selected ?? (dom.list.value === '' ? null : Number(dom.list.value)), 'flip'));
  dom.heat.addEventListener('change', draw);
  /** "New points": the Seed box's points, or its error. */
  function newPoints() {
    const parsed = parseNumber(dom.seed.value, 'Seed', { min: 0, max: SEED_MAX, integer: true });
    dom.seedError.hidden = !parsed.error;
    dom.seedError.textContent = parsed.error ?? '';
    if (parsed.error) {
      dom.seed.setAttribute('aria-invalid', 'true');
      return;
    }
    restart(parsed.value);
  }
  dom.fresh.addEventListener('click', newPoints);
  // Enter in the box does what the button does, so the box never shows a seed that is not drawn.
  dom.seed.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    newPoints();
  });
  // After an Add the base model is trained on the edited points, so clearing the edit is not
  // enough: go back to the seed's own points.
  dom.reset.addEventListener('click', () => {
    if (baseChanged()) {
      restart(pg.seed);
      return;
    }
    showSeed(pg.seed);
    pg.removed = new Set();
    pg.flipped = new Set();
    say('');
    changed();
  });
  for (const radio of dom.modes) {
    radio.addEventListener('change', () => {
      // The Add cursor starts at the chosen point, if there is one.
      if (mode() === 'add' && pg.selected !== null) pg.cursor = pg.base[pg.selected].slice(0, 2);
      render();
      onChange();
    });
  }
  dom.addClass.addEventListener('change', renderText);
  for (const type of ['focus', 'blur']) dom.canvas.addEventListener(type, draw);
  new ResizeObserver(() => draw()).observe(dom.canvas);

  return {
    /** Starts with `params` (from a link, held to the interface's limits) or the default points. */
    start(params = {}) {
      const { state, notes } = fromLink(params);
      useSeed(state.seed);
      setBase(basePoints(state));
      pg.removed = new Set(state.remove);
      pg.flipped = new Set(state.flip);
      if (state.mode) for (const radio of dom.modes) radio.checked = radio.value === state.mode;
      if (notes.length > 0) say(`The link's playground was changed to fit the page: ${notes.join('; ')}.`);
      render();
      return train();
    },
    /** The state a link needs. */
    snapshot() {
      return {
        seed: pg.seed,
        dropped: pg.dropped,
        relabelled: pg.relabelled,
        added: pg.added,
        remove: [...pg.removed].sort((a, b) => a - b),
        flip: [...pg.flipped].sort((a, b) => a - b),
        mode: mode(),
      };
    },
  };
}
