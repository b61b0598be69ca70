// Okabe–Ito colour-blind-safe palette (Okabe & Ito, 2008) and which method wears which colour.
export const OKABE_ITO = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
};

/** Colours of the methods drawn in the chart (the table's swatches use the same ones). */
export const METHOD_COLORS = {
  lazy: OKABE_ITO.skyBlue,
  first_order: OKABE_ITO.orange,
  second_order: OKABE_ITO.bluishGreen,
  retrain: OKABE_ITO.black,
  // the optional variants
  hessian_on_d: OKABE_ITO.blue,
  first_order_stepwise: OKABE_ITO.yellow,
  second_order_stepwise: OKABE_ITO.reddishPurple,
  fine_tune: '#999999',
  exact: OKABE_ITO.vermillion,
};

/** Outlines for colours that are too light on white on their own. */
export const METHOD_BORDERS = {
  first_order_stepwise: '#8f8500',
};

/** Highlight for forgotten features. */
export const FORGOTTEN_COLOR = OKABE_ITO.vermillion;
