// "How each method works": one card per method with its formula (KaTeX), what it does and what
// it costs. Static content, built once.
import { mathNode } from './render/math.js';
import { el } from './render/table.js';

export const EXPLANATIONS = [
  {
    method: 'lazy',
    name: 'No update (lazy)',
    tex: '\\theta = \\theta^*',
    text: 'Keeps the trained model. Every other method has to beat its distance to the retrained model.',
    cost: 'free',
  },
  {
    method: 'first_order',
    name: 'First-order',
    tex: '\\begin{gathered} \\theta = \\theta^* - \\tau G \\\\ G = \\textstyle\\sum_{\\tilde z \\in \\tilde Z} \\nabla \\ell(\\tilde z; \\theta^*) - \\sum_{z \\in Z} \\nabla \\ell(z; \\theta^*) \\end{gathered}',
    text: 'One gradient step against the change G that the request makes to the loss gradient. The step size τ is chosen by hand: too small and nothing moves, too large and it overshoots.',
    cost: 'O(m·d) for m affected rows',
  },
  {
    method: 'second_order',
    name: 'Second-order',
    tex: '\\theta = \\theta^* - \\tilde H^{-1} G, \\quad \\tilde H = \\nabla^2 L(\\theta^*; \\tilde D)',
    text: 'One Newton step of the edited objective, taken from θ*: the Hessian on the edited data sets the step for each direction, so no rate is needed. The kept Cholesky factor is updated with rank-one changes.',
    cost: 'O(m·d²)',
  },
  {
    method: 'hessian_on_d',
    name: 'Hessian on D',
    tex: '\\theta = \\theta^* - H^{-1} G, \\quad H = \\nabla^2 L(\\theta^*; D)',
    text: 'Classic influence functions (Koh & Liang): the Hessian of the data before the edit. It is the tangent of the hedging path at ε = 0; for removals it ignores how the removed rows curved the loss.',
    cost: 'O(d²) with the kept factor',
  },
  {
    method: 'second_order_stepwise',
    name: 'Stepwise (first- or second-order in k steps)',
    tex: '\\begin{gathered} \\theta_i = \\theta_{i-1} - \\tilde H_{i}(\\theta_{i-1})^{-1} G_i(\\theta_{i-1}) \\\\ i = 1, \\dots, k \\end{gathered}',
    text: 'The request cut into k parts; G (and H̃) are recomputed at each intermediate θ, so the update can follow a curved path (the paper’s 1st/2nd-Order-It). The first-order variant uses τG_i instead of H̃⁻¹G_i.',
    cost: 'k times one update',
  },
  {
    method: 'fine_tune',
    name: 'Fine-tuning',
    tex: '\\begin{gathered} \\theta \\leftarrow \\theta - \\tau \\, \\nabla \\textstyle\\sum_{z \\in B} \\ell(z; \\theta) \\\\ \\text{for each batch } B \\subset \\tilde D \\end{gathered}',
    text: 'One epoch of minibatch gradient descent on the edited data (batches of 32, rate τ): the paper’s baseline. It moves towards D̃ but forgets nothing on purpose.',
    cost: 'O(n·d)',
  },
  {
    method: 'exact',
    name: 'Exact (refined)',
    tex: '\\begin{gathered} \\theta \\leftarrow \\theta - F^{-1} \\nabla L(\\theta; \\tilde D) \\\\ \\text{until } \\lVert \\nabla L \\rVert \\le \\text{tol} \\end{gathered}',
    text: 'Starts from the second-order result and refines it with the kept factor F until the gradient of the edited objective vanishes: the retrained model, reached cheaply.',
    cost: 'O(n·d) per step',
  },
  {
    method: 'retrain',
    name: 'Retraining (the reference)',
    tex: '\\tilde\\theta^* = \\arg\\min_\\theta L(\\theta; \\tilde D)',
    text: 'Newton’s method on the edited data from θ = 0 (warm: from θ*). What every update tries to reach; its gradient residual is zero.',
    cost: '~6–10 Newton steps, O(n·d²) each',
  },
  {
    method: 'path',
    name: 'The hedging path',
    tex: '\\begin{gathered} \\theta(\\varepsilon) = \\arg\\min_\\theta L(\\theta; D) \\\\ {} + \\varepsilon \\textstyle\\sum \\ell(\\tilde z, \\theta) - \\varepsilon \\textstyle\\sum \\ell(z, \\theta) \\end{gathered}',
    text: 'Weighs the edited points in and the old ones out gradually: θ(0) = θ*, θ(1) = the retrained model. The updates are straight lines from θ*; the “Hedging path” tab shows where they leave it.',
    cost: 'one warm-started Newton solve per ε',
  },
  {
    method: 'certified',
    name: 'Certified unlearning',
    tex: '\\begin{gathered} \\beta = \\textstyle\\sum_k \\text{bound}_k \\le \\beta_{\\max} = \\dfrac{\\sigma \\varepsilon}{c} \\\\ c = \\sqrt{2 \\ln (1.5/\\delta)} \\end{gathered}',
    text: 'The model is trained with noise bᵀθ, b ~ N(0, σ²I). Each request adds a proven bound on its gradient residual to β; while β stays within the budget, the model is (ε, δ)-indistinguishable from one retrained without the data. Past it, the model is retrained with fresh noise.',
    cost: 'the update’s cost plus the bound',
  },
];

export function renderExplanations(container) {
  container.replaceChildren(
    ...EXPLANATIONS.map((item) =>
      el('article', { className: 'explain__item', 'data-method': item.method }, [
        el('h3', {}, [el('span', { className: 'swatch swatch--chart', 'data-method': item.method, 'aria-hidden': 'true' }), item.name]),
        mathNode(item.tex, { display: true, className: 'explain__formula' }),
        el('p', { className: 'explain__text text', text: item.text }),
        el('p', { className: 'explain__cost', text: `Cost: ${item.cost}` }),
      ]),
    ),
  );
}
