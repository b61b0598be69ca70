// Number formatting for display. Full-precision values go into data-value attributes; these
// strings are only what people read. Numbers and their units never break across lines.

const NBSP = '\u00a0';

const SUPERSCRIPT = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };

function superscript(n) {
  return String(n).replace(/[-0-9]/g, (c) => SUPERSCRIPT[c]);
}

/** Three significant digits; scientific notation (a × 10ⁿ) outside [0.001, 1000000). */
export function sig(value, digits = 3) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (value === 0) return '0';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  const abs = Math.abs(value);
  const sign = value < 0 ? '−' : '';
  if (abs >= 1e-3 && abs < 10 ** digits) {
    return sign + abs.toPrecision(digits); // keeps trailing zeros: 1.40, 0.0500
  }
  if (abs >= 10 ** digits && abs < 1e6) {
    return sign + String(Number(abs.toPrecision(digits))); // 12345 → 12300
  }
  const [mantissa, exponent] = abs.toExponential(digits - 1).split('e');
  return `${sign}${mantissa}${NBSP}×${NBSP}10${superscript(Number(exponent))}`;
}

/** A fraction as a percentage with one decimal (0.9737 → "97.4 %"). */
export function percent(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${(value * 100).toFixed(1)}${NBSP}%`;
}

/** Seconds as s, ms or µs with three significant digits; 0 means "not computed". */
export function duration(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  if (seconds === 0) return '—';
  if (seconds >= 1) return `${sig(seconds)}${NBSP}s`;
  if (seconds >= 1e-3) return `${sig(seconds * 1e3)}${NBSP}ms`;
  return `${sig(seconds * 1e6)}${NBSP}µs`;
}

/** A speed-up factor (68.2 → "68.2×"); null for "not applicable". */
export function factor(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${sig(value)}×`;
}
