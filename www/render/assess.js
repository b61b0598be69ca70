// Which methods of a comparison produced numbers worth looking at. Pure: comparison in, verdicts
// out. A method is "failed" when the core reports an error, "nonfinite" when any of its
// parameters or metrics is NaN or ±∞, and "absurd" when its parameters are orders of magnitude
// larger than both the original and the retrained model's (e.g. a nearly singular Hessian).
import { sig } from './format.js';
import { METHOD_LABELS } from './labels.js';

/** Parameters this many times larger than the reference models' are flagged. */
export const ABSURD_FACTOR = 100;

const METRICS = ['distanceToRetrain', 'residual', 'accuracy', 'logLoss', 'agreement'];

function maxAbs(values) {
  let m = 0;
  for (const v of values ?? []) m = Math.max(m, Math.abs(v));
  return m;
}

/**
 * @param {object|null} comparison the `Session.compare` result
 * @returns {{verdicts: Map<string, {status: 'ok'|'failed'|'nonfinite'|'absurd', reason: string}>,
 *            scale: number}}
 */
export function assessMethods(comparison) {
  const verdicts = new Map();
  if (!comparison) return { verdicts, scale: 0 };
  const find = (m) => comparison.methods.find((o) => o.method === m);
  const references = [find('lazy')?.theta, find('retrain')?.theta].filter(Boolean);
  const scale = Math.max(1, ...references.map(maxAbs));
  for (const outcome of comparison.methods) {
    const name = METHOD_LABELS[outcome.method] ?? outcome.method;
    if (outcome.error) {
      verdicts.set(outcome.method, { status: 'failed', reason: `${name} failed: ${outcome.error}` });
      continue;
    }
    const theta = outcome.theta ?? [];
    const bad = [...theta].some((v) => !Number.isFinite(v)) ||
      METRICS.some((k) => outcome[k] !== null && outcome[k] !== undefined && !Number.isFinite(outcome[k]));
    if (bad) {
      verdicts.set(outcome.method, {
        status: 'nonfinite',
        reason: `${name} produced numbers that are not finite (NaN or ∞); its results are meaningless.`,
      });
      continue;
    }
    const largest = maxAbs(theta);
    if (largest > ABSURD_FACTOR * scale) {
      verdicts.set(outcome.method, {
        status: 'absurd',
        reason:
          `${name}: its parameters reach ${sig(largest)}, more than ${ABSURD_FACTOR}× the largest ` +
          `of the original and retrained models (${sig(scale)}); the update is meaningless here.`,
      });
      continue;
    }
    verdicts.set(outcome.method, { status: 'ok', reason: '' });
  }
  return { verdicts, scale };
}
