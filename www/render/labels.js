// Names and one-line explanations of the unlearning methods, shared by the table, the chart,
// the method picker and the certified panel.

export const METHOD_LABELS = {
  lazy: 'No update (lazy)',
  first_order: 'First-order θ*−τG',
  second_order: 'Second-order θ*−H̃⁻¹G',
  hessian_on_d: 'Hessian on D θ*−H⁻¹G',
  first_order_stepwise: 'First-order in k steps',
  second_order_stepwise: 'Second-order in k steps',
  fine_tune: 'Fine-tuning',
  exact: 'Exact (refined)',
  retrain_warm: 'Retrain (warm start)',
  retrain: 'Retrain (from scratch)',
};

/** What each method does, in one line. */
export const METHOD_NOTES = {
  lazy: 'keeps θ*: the baseline to beat',
  first_order: 'one gradient step of size τ',
  second_order: 'one Newton step, Hessian on the edited data',
  hessian_on_d: 'influence functions: Hessian before the edit',
  first_order_stepwise: 'τG in k parts, G recomputed after each',
  second_order_stepwise: 'H̃⁻¹G in k parts, G and H̃ recomputed',
  fine_tune: 'one epoch of minibatch SGD on D̃ (rate τ)',
  exact: 'second-order, refined with the kept factor',
  retrain_warm: 'Newton from θ*',
  retrain: 'Newton from 0 · reference',
};

/** The label with k filled in for the stepwise variants. */
export function methodLabel(method, { steps } = {}) {
  const label = METHOD_LABELS[method] ?? method;
  return steps !== undefined ? label.replace(' k steps', ` ${steps} steps`) : label;
}
