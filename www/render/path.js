// The hedging-path charts: one parameter along ε (the exact path θ(ε), the first- and
// second-order straight lines, θ* and the retrained value), and the lines' distance to the path
// and their gradient residual against ε. `pathView` is pure; the render functions hand it to
// Chart.js. Colours: Okabe–Ito, with distinct line styles so that colour is never the only cue.
import {
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
} from 'chart.js';
import { sig } from './format.js';
import { OKABE_ITO } from './palette.js';

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip);

export const PATH_STYLE = {
  exact: { label: 'Exact path θ(ε)', color: OKABE_ITO.black, dash: [], width: 3 },
  firstOrder: { label: 'First-order line θ* − ετG', color: OKABE_ITO.orange, dash: [7, 5], width: 2.5 },
  secondOrder: { label: 'Second-order line θ* − εH̃⁻¹G', color: OKABE_ITO.bluishGreen, dash: [2, 4], width: 3 },
};

/** Names of the entries of θ: the weights (class by class for K > 2), then the intercepts. */
export function parameterNames(featureNames, nClasses, length) {
  const d = featureNames.length;
  if (nClasses <= 2) return [...featureNames, 'intercept'].slice(0, length);
  const names = [];
  for (let k = 0; k < nClasses; k += 1) for (const f of featureNames) names.push(`class ${k}: ${f}`);
  for (let k = 0; k < nClasses; k += 1) names.push(`intercept of class ${k}`);
  return names.slice(0, Math.max(length, d));
}

/** The entry of θ that moves most between θ* and the retrained model. */
export function mostMoved(path) {
  const first = path[0].exact;
  const last = path.at(-1).exact;
  let best = 0;
  for (let i = 0; i < first.length; i += 1) {
    if (Math.abs(last[i] - first[i]) > Math.abs(last[best] - first[best])) best = i;
  }
  return best;
}

/** Everything the charts and the readout show for `path` at point `at` and parameter `j`. */
export function pathView(path, { at, j }) {
  const point = path[at];
  const series = (key) => path.map((p) => ({ x: p.epsilon, y: p[key][j] }));
  return {
    epsilon: point.epsilon,
    point,
    j,
    lines: { exact: series('exact'), firstOrder: series('firstOrder'), secondOrder: series('secondOrder') },
    start: { x: 0, y: path[0].exact[j] },
    end: { x: path.at(-1).epsilon, y: path.at(-1).exact[j] },
    distance: [0, 1].map((k) => path.map((p) => ({ x: p.epsilon, y: p.distance[k] > 0 ? p.distance[k] : null }))),
    residual: [0, 1].map((k) => path.map((p) => ({ x: p.epsilon, y: p.residual[k] > 0 ? p.residual[k] : null }))),
  };
}

/** Log-axis labels at 1, 2 and 5 × 10ⁿ only: the other ticks keep their grid lines but no text. */
function logLabel(v) {
  const mantissa = v / 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6) ? sig(v, 2) : '';
}

function baseOptions({ yTitle, log = false }) {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    parsing: false,
    // The markers at ε = 0 and ε = 1 sit on the plot's edges: draw them whole.
    layout: { padding: { right: 10, top: 4 } },
    datasets: { line: { clip: false } },
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    scales: {
      x: { type: 'linear', min: 0, max: 1, title: { display: true, text: 'ε', color: '#5b6175' }, ticks: { color: '#5b6175' }, grid: { color: '#e4e7ee' } },
      y: {
        type: log ? 'logarithmic' : 'linear',
        title: { display: true, text: yTitle, color: '#5b6175' },
        ticks: { color: '#5b6175', callback: (v) => (log ? logLabel(Number(v)) : sig(Number(v), 2)) },
        grid: { color: '#e4e7ee' },
      },
    },
    plugins: {
      legend: { position: 'top', align: 'start', labels: { usePointStyle: true, color: '#1d2130', boxWidth: 28 } },
      tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${sig(ctx.parsed.y, 4)} at ε = ${sig(ctx.parsed.x, 3)}` } },
    },
  };
}

export function createPathCharts({ param, distance, residual }) {
  return {
    param: new Chart(param, { type: 'line', data: { datasets: [] }, options: baseOptions({ yTitle: 'θ' }) }),
    distance: new Chart(distance, { type: 'line', data: { datasets: [] }, options: baseOptions({ yTitle: '‖θ_line(ε) − θ(ε)‖₂', log: true }) }),
    residual: new Chart(residual, { type: 'line', data: { datasets: [] }, options: baseOptions({ yTitle: '‖∇L_ε(θ_line(ε))‖₂', log: true }) }),
  };
}

function line(key, data, extra = {}) {
  const style = PATH_STYLE[key];
  return {
    label: style.label,
    data,
    borderColor: style.color,
    backgroundColor: style.color,
    borderWidth: style.width,
    borderDash: style.dash,
    pointRadius: 0,
    pointHitRadius: 6,
    pointStyle: 'line',
    tension: 0,
    ...extra,
  };
}

function marker(label, point, { color, style = 'circle', radius = 7, border = '#fff' }) {
  return {
    type: 'scatter',
    label,
    data: [point],
    pointStyle: style,
    pointRadius: radius,
    pointHoverRadius: radius + 1,
    backgroundColor: color,
    borderColor: border,
    borderWidth: 2,
  };
}

/** The vertical line at ε, across the y range of `datasets`. */
function cursor(epsilon, datasets, log) {
  const ys = datasets.flatMap((d) => d.data.map((p) => p.y)).filter((y) => y !== null && Number.isFinite(y) && (!log || y > 0));
  if (ys.length === 0) return null;
  const low = Math.min(...ys);
  const high = Math.max(...ys);
  return {
    label: `ε = ${sig(epsilon, 2)}`,
    data: [{ x: epsilon, y: low }, { x: epsilon, y: high }],
    borderColor: '#7f8db0',
    borderWidth: 1.5,
    borderDash: [3, 3],
    pointRadius: 0,
    pointStyle: 'line',
  };
}

export function renderPathCharts(charts, view, { parameterName }) {
  const { point } = view;
  const at = (key) => ({ x: view.epsilon, y: point[key][view.j] });
  const lines = [line('exact', view.lines.exact), line('firstOrder', view.lines.firstOrder), line('secondOrder', view.lines.secondOrder)];
  const param = [
    ...lines,
    marker('θ* (ε = 0)', view.start, { color: OKABE_ITO.skyBlue, radius: 8, border: OKABE_ITO.black }),
    marker('retrained (ε = 1)', view.end, { color: OKABE_ITO.black, style: 'rectRot', radius: 8 }),
    marker('θ(ε) here', at('exact'), { color: OKABE_ITO.black, radius: 6 }),
    marker('first-order here', at('firstOrder'), { color: OKABE_ITO.orange, style: 'triangle', radius: 7, border: OKABE_ITO.black }),
    marker('second-order here', at('secondOrder'), { color: OKABE_ITO.bluishGreen, style: 'rect', radius: 6, border: OKABE_ITO.black }),
  ];
  const c = cursor(view.epsilon, lines, false);
  if (c) param.push(c);
  charts.param.data.datasets = param;
  charts.param.options.scales.y.title.text = parameterName;
  charts.param.options.plugins.legend.labels.filter = (item) => !/here$|^ε =/.test(item.text);
  charts.param.update();

  for (const [chart, pair] of [[charts.distance, view.distance], [charts.residual, view.residual]]) {
    const sets = [line('firstOrder', pair[0]), line('secondOrder', pair[1])];
    const here = [
      marker('first-order here', pair[0].find((p) => p.x === view.epsilon), { color: OKABE_ITO.orange, style: 'triangle', radius: 6, border: OKABE_ITO.black }),
      marker('second-order here', pair[1].find((p) => p.x === view.epsilon), { color: OKABE_ITO.bluishGreen, style: 'rect', radius: 5, border: OKABE_ITO.black }),
    ].filter((m) => m.data[0] && m.data[0].y !== null);
    const cur = cursor(view.epsilon, sets, true);
    chart.data.datasets = [...sets, ...here, ...(cur ? [cur] : [])];
    chart.options.plugins.legend.labels.filter = (item) => !/here$|^ε =/.test(item.text);
    chart.update();
  }
}
