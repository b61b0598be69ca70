// The "Hedging path θ(ε)" tab: traces the path of the request of the results table (in the
// worker, through the page's queue), and lets a slider walk along it. Its numbers are the
// path's own (data-value attributes hold them at full precision).
import * as engine from './engine.js';
import { sig } from './render/format.js';
import { createPathCharts, mostMoved, parameterNames, pathView, renderPathCharts } from './render/path.js';
import { el } from './render/table.js';

/** ε = 0, 0.05, …, 1. */
export const STEPS = 20;
export const EPSILONS = Array.from({ length: STEPS + 1 }, (_, i) => i / STEPS);

const byId = (id) => document.getElementById(id);

/**
 * @param {object} deps
 * @param {object} deps.state the page state (result, model, data)
 * @param {object} deps.queue the page's action queue
 * @param {(m: {status?: string, error?: string}) => void} deps.say the results' message line
 */
export function mountPath({ state, queue, say }) {
  const dom = {
    panel: byId('panel-path'),
    empty: byId('path-empty'),
    body: byId('path-body'),
    slider: byId('path-eps'),
    value: byId('path-eps-value'),
    readout: byId('path-readout'),
    param: byId('path-param'),
    table: byId('path-table'),
  };
  const charts = createPathCharts({ param: byId('path-chart'), distance: byId('path-distance'), residual: byId('path-residual') });
  let path = null; // { of: comparison number, points }
  let wanted = null; // the comparison number a path is being traced for
  let names = [];
  let j = 0;
  let chosenParam = null; // kept across paths of the same table while the user picked one

  const visible = () => !dom.panel.hidden;
  const at = () => Number(dom.slider.value);

  function renderEmpty(text) {
    dom.empty.textContent = text;
    dom.empty.hidden = false;
    dom.body.hidden = true;
    dom.panel.dataset.ready = 'false';
  }

  function render() {
    if (!path) return;
    const i = at();
    const view = pathView(path.points, { at: i, j });
    const eps = view.epsilon;
    dom.value.textContent = sig(eps, 2);
    dom.slider.setAttribute('aria-valuetext', `ε = ${sig(eps, 2)}`);
    renderPathCharts(charts, view, { parameterName: names[j] ?? `θ[${j}]` });
    const p = view.point;
    const num = (key, value, text = sig(value)) => el('strong', { 'data-key': key, 'data-value': String(value), text });
    dom.readout.replaceChildren(
      `At ε = ${sig(eps, 2)}: the second-order line is `,
      num('distance-second', p.distance[1]),
      ' from θ(ε), the first-order line ',
      num('distance-first', p.distance[0]),
      '. Gradient residuals ‖∇L_ε‖: second-order ',
      num('residual-second', p.residual[1]),
      ', first-order ',
      num('residual-first', p.residual[0]),
      `. θ(ε) took ${p.iterations} warm-started Newton step${p.iterations === 1 ? '' : 's'}.`,
    );
    const first = path.points[0].exact;
    const last = path.points.at(-1).exact;
    const columns = [
      ['start', 'θ* (ε = 0)', first],
      ['exact', `θ(ε = ${sig(eps, 2)})`, p.exact],
      ['firstOrder', 'first-order line', p.firstOrder],
      ['secondOrder', 'second-order line', p.secondOrder],
      ['end', 'retrained (ε = 1)', last],
    ];
    const head = el('thead', {}, [el('tr', {}, [el('th', { scope: 'col', text: 'Parameter' }), ...columns.map(([, label]) => el('th', { scope: 'col', text: label }))])]);
    const body = el('tbody');
    names.forEach((name, k) => {
      body.append(
        el('tr', { 'data-param': String(k) }, [
          el('th', { scope: 'row', text: name }),
          ...columns.map(([key, , values]) => el('td', { 'data-series': key, 'data-value': String(values[k]), title: String(values[k]), text: sig(values[k]) })),
        ]),
      );
    });
    dom.table.replaceChildren(head, body);
    dom.panel.dataset.epsilon = String(eps);
  }

  function buildParamPicker() {
    dom.param.replaceChildren(
      ...names.map((name, k) => {
        const option = el('option', { value: String(k), text: name });
        option.selected = k === j;
        return option;
      }),
    );
  }

  /** Traces the path for the current result (queued), if the tab is shown and it is not traced yet. */
  function refresh() {
    if (!visible()) return;
    const result = state.result;
    if (!result) {
      path = null;
      renderEmpty('Choose what to forget and press Unlearn: the path is traced for the request of the results table.');
      return;
    }
    const of = state.comparisons;
    if ((path && path.of === of) || wanted === of) return;
    wanted = of;
    renderEmpty('Tracing the path θ(ε) for the request of the table…');
    queue.push(async () => {
      if (state.comparisons !== of || !state.result) {
        wanted = null;
        return;
      }
      try {
        const points = await engine.hedgingPath(result.edit, { epsilons: EPSILONS, tau: result.request.tau });
        path = { of, points };
        names = parameterNames(state.data.featureNames, state.model.nClasses, points[0].exact.length);
        j = chosenParam !== null && chosenParam < names.length ? chosenParam : mostMoved(points);
        buildParamPicker();
        dom.empty.hidden = true;
        dom.body.hidden = false;
        render();
        dom.panel.dataset.ready = 'true';
        dom.panel.dataset.of = String(of);
      } catch (err) {
        path = null;
        const text = err && err.message ? err.message.replace(/^Error:\s*/, '') : String(err);
        renderEmpty(err?.cancelled ? 'Cancelled: the path was not traced. Show this tab again to trace it.' : `The path could not be traced: ${text}`);
        if (!err?.cancelled) say({ error: `The hedging path could not be traced: ${text}` });
      } finally {
        wanted = null;
      }
    });
  }

  dom.slider.addEventListener('input', render);
  dom.param.addEventListener('change', () => {
    j = Number(dom.param.value);
    chosenParam = j;
    render();
  });
  document.addEventListener('results', () => {
    if (visible()) refresh();
  });
  document.addEventListener('datasetchange', () => {
    chosenParam = null;
  });

  return {
    refresh,
    /** ε of the slider. */
    epsilon: () => at() / STEPS,
    /** Moves the slider to the grid point nearest `eps`. */
    setEpsilon(eps) {
      const i = Math.round(Math.min(1, Math.max(0, eps)) * STEPS);
      dom.slider.value = String(i);
      render();
    },
  };
}
