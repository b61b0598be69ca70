// The weights of an image dataset (columns px_r_c, e.g. the 8×8 digits) drawn as images: one per
// class and model — the original, the second-order update and the retrained model — on one
// shared colour scale, so the shift unlearning causes is visible. `imageView` is pure;
// `renderImages` draws it into canvases.
import { sig } from './format.js';
import { el } from './table.js';

/** The models drawn, in order. */
export const IMAGE_SERIES = [
  { method: 'lazy', label: 'Original θ*' },
  { method: 'second_order', label: 'Second-order' },
  { method: 'retrain', label: 'Retrained' },
];

/** Pixels per image cell in the canvas. */
const CELL = 8;
const NEGATIVE = [0, 114, 178]; // Okabe–Ito blue
const POSITIVE = [213, 94, 0]; // Okabe–Ito vermillion
const DROPPED = [214, 218, 228];

/**
 * The images to draw.
 * @param {object} input
 * @param {{rows: number, cols: number, pixels: ({column: number}|null)[]}} input.image layout
 * @param {number} input.nFeatures d
 * @param {number} input.nClasses K (2: one weight vector, shown as the positive class)
 * @param {string[]} input.classNames
 * @param {Float64Array|number[]} input.theta θ* of the model
 * @param {object|null} input.comparison the last comparison
 * @param {number[]} input.forgotten forgotten encoded columns
 * @param {Set<string>} [input.exclude] methods not to draw (failed or meaningless)
 * @param {'values'|'change'} [input.mode] the weights, or their change from the original θ*
 * @returns {{rows, cols, classes: {index, name}[], series: {method, label, maps: Float64Array[]}[],
 *   scale: number, max: number, forgotten: Set<number>, dropped: Set<number>}} `scale` is the
 *   weight drawn in full colour (larger ones too), `max` the largest |w|.
 */
export function imageView({ image, nFeatures, nClasses, classNames, theta, comparison, forgotten, exclude = new Set(), mode = 'values' }) {
  const blocks = nClasses > 2 ? nClasses : 1;
  const classes = nClasses > 2 ? classNames.map((name, index) => ({ index, name })) : [{ index: 1, name: classNames[1] }];
  const gone = new Set(forgotten);
  const forgottenPixels = new Set();
  const dropped = new Set();
  image.pixels.forEach((p, i) => {
    if (!p) dropped.add(i);
    else if (gone.has(p.column)) forgottenPixels.add(i);
  });
  const thetaOf = (method) => (method === 'lazy' ? comparison?.methods.find((m) => m.method === 'lazy')?.theta ?? theta : comparison?.methods.find((m) => m.method === method)?.theta);
  const magnitudes = [];
  const base = thetaOf('lazy');
  const change = mode === 'change';
  const series = IMAGE_SERIES.map(({ method, label }) => {
    const values = thetaOf(method);
    if (!values || exclude.has(method) || (change && method === 'lazy')) return null;
    const maps = Array.from({ length: blocks }, (_, c) =>
      Float64Array.from(image.pixels, (p) => {
        if (!p) return NaN;
        const i = c * nFeatures + p.column;
        return change ? values[i] - base[i] : values[i];
      }),
    );
    for (const map of maps) for (const v of map) if (Number.isFinite(v)) magnitudes.push(Math.abs(v));
    return { method, label: change ? `${label} − θ*` : label, maps };
  }).filter(Boolean);
  // One scale for every image: the 98th percentile of |w|, so that a few large weights do not
  // wash out the rest (larger ones get the full colour).
  magnitudes.sort((a, b) => a - b);
  const max = magnitudes.at(-1) ?? 0;
  const scale = magnitudes.length ? magnitudes[Math.min(magnitudes.length - 1, Math.floor(0.98 * magnitudes.length))] || max : 0;
  return { rows: image.rows, cols: image.cols, classes, series, scale, max, mode, forgotten: forgottenPixels, dropped };
}

/** The colour of weight `v` on a scale of ±`scale`: blue below 0, white at 0, vermillion above. */
export function colourOf(v, scale) {
  const t = scale > 0 ? Math.min(1, Math.abs(v) / scale) : 0;
  const end = v < 0 ? NEGATIVE : POSITIVE;
  return end.map((c) => Math.round(255 + (c - 255) * t));
}

function draw(canvas, map, view) {
  const { rows, cols } = view;
  canvas.width = cols * CELL;
  canvas.height = rows * CELL;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  for (let r = 0; r < rows; r += 1) {
    for (let c = 0; c < cols; c += 1) {
      const i = r * cols + c;
      const [red, green, blue] = view.dropped.has(i) ? DROPPED : colourOf(map[i], view.scale);
      ctx.fillStyle = `rgb(${red}, ${green}, ${blue})`;
      ctx.fillRect(c * CELL, r * CELL, CELL, CELL);
      if (view.forgotten.has(i)) {
        // Forgotten pixels: a dark cross.
        ctx.strokeStyle = '#1d2130';
        ctx.lineWidth = 1;
        ctx.beginPath();
        ctx.moveTo(c * CELL + 1.5, r * CELL + 1.5);
        ctx.lineTo(c * CELL + CELL - 1.5, r * CELL + CELL - 1.5);
        ctx.moveTo(c * CELL + CELL - 1.5, r * CELL + 1.5);
        ctx.lineTo(c * CELL + 1.5, r * CELL + CELL - 1.5);
        ctx.stroke();
      }
    }
  }
}

/** Draws `view` as a table: one row per model, one column per class. */
export function renderImages(container, view) {
  const table = el('table', { className: 'image-grid' }, [
    el('caption', {
      className: 'visually-hidden',
      text: 'The weights of each class as images, for the original model, the second-order update and the retrained model',
    }),
  ]);
  const head = el('tr', {}, [el('th', { scope: 'col', text: '' })]);
  for (const { name } of view.classes) head.append(el('th', { scope: 'col', text: name }));
  table.append(el('thead', {}, [head]));
  const body = el('tbody');
  for (const s of view.series) {
    const row = el('tr', { 'data-method': s.method }, [el('th', { scope: 'row', text: s.label })]);
    s.maps.forEach((map, k) => {
      const cls = view.classes[k];
      const canvas = el('canvas', {
        className: 'image-grid__canvas',
        role: 'img',
        'data-method': s.method,
        'data-class': String(cls.index),
        'aria-label': `${s.label}: weights of class ${cls.name} as a ${view.rows}×${view.cols} image`,
      });
      draw(canvas, map, view);
      row.append(el('td', {}, [canvas]));
    });
    body.append(row);
  }
  table.append(body);
  const legend = el('div', { className: 'image-legend' }, [
    el('span', { text: `−${sig(view.scale)}` }),
    el('span', { className: 'image-legend__bar', 'aria-hidden': 'true' }),
    el('span', { text: `+${sig(view.scale)}` }),
    el('span', {
      className: 'image-legend__note',
      text: `${view.max > view.scale ? `beyond ±${sig(view.scale)} (up to ${sig(view.max)}): full colour · ` : ''}✕ forgotten pixel · grey: column not used (constant)`,
    }),
  ]);
  container.replaceChildren(table, legend);
  if (view.series.length === 0) {
    container.replaceChildren(el('p', { className: 'hint', text: 'Press Unlearn to see how the weights change.' }));
  }
  container.dataset.images = String(view.series.length * view.classes.length);
  container.dataset.scale = String(view.scale);
}
