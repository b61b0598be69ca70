// The parameter-shift chart: horizontal grouped bars, one group per parameter (every feature
// weight, then the intercept), one bar per method. `shiftView` is pure; `renderShiftChart`
// only hands its output to Chart.js.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { sig } from './format.js';
import { FORGOTTEN_COLOR, METHOD_BORDERS, METHOD_COLORS } from './palette.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

/** The series the chart can draw, in drawing order: the core four, then the variants. */
const SERIES = [
  { method: 'lazy', label: 'Original θ*' },
  { method: 'first_order', label: 'First-order' },
  { method: 'second_order', label: 'Second-order' },
  { method: 'hessian_on_d', label: 'Hessian on D' },
  { method: 'first_order_stepwise', label: 'First-order in k steps' },
  { method: 'second_order_stepwise', label: 'Second-order in k steps' },
  { method: 'fine_tune', label: 'Fine-tuning' },
  { method: 'exact', label: 'Exact (refined)' },
  { method: 'retrain', label: 'Retrained' },
];

export const FORGOTTEN_MARK = '✕ ';

/** Pixels per parameter group with the four core series; the canvas box is sized from it. */
export const ROW_HEIGHT = 30;

/** Pixels per parameter group for `series` bars (more series, taller groups; many groups, thinner). */
export function rowHeight(series, groups = 31) {
  const base = Math.max(ROW_HEIGHT, 10 + 5 * series);
  return groups > 40 ? Math.max(16, Math.round(base * 0.6)) : base;
}

/**
 * Which entries of θ are the weights and the intercept of class `classIndex`: θ holds the
 * weights class by class (one block of d for two classes, K blocks for more), then the
 * intercepts (one, or K).
 */
export function classSlice(d, nClasses, classIndex, length) {
  const blocks = nClasses > 2 ? nClasses : 1;
  const c = nClasses > 2 ? classIndex : 0;
  const weights = Array.from({ length: d }, (_, j) => c * d + j);
  const intercept = blocks * d + c;
  return intercept < length ? [...weights, intercept] : weights;
}

/**
 * Labels and bar values for the chart.
 * @param {object} input
 * @param {string[]} input.featureNames
 * @param {number[]} input.forgotten feature columns of the last request
 * @param {Float64Array|number[]} input.theta θ* of the current model (weights, then intercepts)
 * @param {object|null} input.comparison the last comparison, or null
 * @param {'values'|'change'} input.mode
 * @param {Set<string>} [input.exclude] methods to leave out (failed or meaningless numbers)
 * @param {number} [input.steps] k of the stepwise variants, for their labels
 * @param {number} [input.nClasses] K (2: binary)
 * @param {number} [input.classIndex] the class whose weights are shown (K > 2)
 */
export function shiftView({ featureNames, forgotten, theta, comparison, mode, exclude = new Set(), steps, nClasses = 2, classIndex = 0 }) {
  const gone = new Set(forgotten);
  const d = featureNames.length;
  const base = comparison?.methods.find((m) => m.method === 'lazy')?.theta ?? theta;
  const picked = classSlice(d, nClasses, classIndex, base.length);
  const labels = [...featureNames.map((name, j) => (gone.has(j) ? FORGOTTEN_MARK + name : name)), 'intercept'].slice(0, picked.length);
  const thetaOf = (method) =>
    method === 'lazy' ? base : comparison?.methods.find((m) => m.method === method)?.theta;
  const datasets = SERIES.map(({ method, label }) => {
    const values = thetaOf(method);
    if (!values || exclude.has(method)) return null;
    return {
      method,
      label: steps !== undefined ? label.replace(' k steps', ` ${steps} steps`) : label,
      values: picked.map((i) => (mode === 'change' ? values[i] - base[i] : values[i])),
    };
  }).filter(Boolean);
  return { labels, datasets, forgotten: [...gone], mode, classIndex: nClasses > 2 ? classIndex : null };
}

function tickStyle(view) {
  const gone = new Set(view.forgotten);
  return {
    color: (ctx) => (gone.has(ctx.index) ? FORGOTTEN_COLOR : '#33384a'),
    font: (ctx) => ({ weight: gone.has(ctx.index) ? 'bold' : 'normal', size: 12 }),
  };
}

function reducedMotion() {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

export function createShiftChart(canvas) {
  return new Chart(canvas, {
    type: 'bar',
    data: { labels: [], datasets: [] },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      animation: reducedMotion() ? false : { duration: 250 },
      interaction: { mode: 'index', axis: 'y', intersect: false },
      datasets: { bar: { categoryPercentage: 0.84, barPercentage: 0.94, borderWidth: 0 } },
      scales: {
        y: { grid: { display: false }, ticks: { autoSkip: false } },
        x: {
          position: 'top',
          grid: { color: (ctx) => (ctx.tick && ctx.tick.value === 0 ? '#33384a' : '#e4e7ee') },
          ticks: { color: '#5b6175' },
          title: { display: true, text: 'θ', color: '#5b6175' },
        },
      },
      plugins: {
        legend: { position: 'top', align: 'start', labels: { boxWidth: 14, boxHeight: 14, color: '#1d2130' } },
        tooltip: {
          callbacks: {
            label: (ctx) => `${ctx.dataset.label}: ${sig(ctx.parsed.x, 4)}`,
          },
        },
      },
    },
  });
}

/** Draws `view` (from `shiftView`) into `chart`. */
export function renderShiftChart(chart, view) {
  chart.data.labels = view.labels;
  chart.data.datasets = view.datasets.map((d) => ({
    label: d.label,
    data: d.values,
    backgroundColor: METHOD_COLORS[d.method],
    borderColor: METHOD_BORDERS[d.method] ?? METHOD_COLORS[d.method],
    borderWidth: METHOD_BORDERS[d.method] ? 1 : 0,
    // The original θ* is all zeros as a change; keep it in the legend but hide its bars.
    hidden: view.mode === 'change' && d.method === 'lazy',
  }));
  chart.options.scales.y.ticks = { autoSkip: false, ...tickStyle(view) };
  const which = view.classIndex !== null && view.className !== undefined ? ` of class ${view.className}` : '';
  chart.options.scales.x.title.text =
    view.mode === 'change' ? `θ − θ* (change from original)${which}` : `θ${which} (standardised features)`;
  chart.update();
}
