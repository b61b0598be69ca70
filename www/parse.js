// Pure parsing of the text inputs. Each parser returns {value} or {error} with a message that
// names the offending input and says what is expected; nothing here touches the page.

const MAX_LISTED = 3;

function listProblems(problems) {
  const shown = problems.slice(0, MAX_LISTED).join('; ');
  const more = problems.length > MAX_LISTED ? `; and ${problems.length - MAX_LISTED} more` : '';
  return shown + more;
}

/**
 * A list of training-row indices: whole numbers in 0..n−1, separated by commas or spaces,
 * each at most once. Returns {value} (ascending), or {error, valid} with the indices that were fine.
 */
export function parseIndexList(text, n, what) {
  const tokens = String(text).split(/[\s,;]+/).filter((t) => t !== '');
  const problems = [];
  const seen = new Set();
  const value = [];
  for (const token of tokens) {
    if (!/^\d+$/.test(token)) {
      problems.push(`“${token}” is not a row index`);
      continue;
    }
    const index = Number(token);
    if (index >= n) {
      problems.push(`${token} is out of range`);
    } else if (seen.has(index)) {
      const twice = `${index} is listed twice`;
      if (!problems.includes(twice)) problems.push(twice);
    } else {
      seen.add(index);
      value.push(index);
    }
  }
  value.sort((a, b) => a - b);
  if (problems.length > 0) {
    return {
      error:
        `${what}: ${listProblems(problems)}. ` +
        `Enter training-row indices from 0 to ${n - 1}, separated by commas, each once.`,
      valid: value, // the indices that were fine, for callers that keep them
    };
  }
  return { value };
}

/** Decimal notation only: digits, an optional point and exponent (no hex, no "Infinity"). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * A finite number within [min, max] (either bound optional). Typed text is quoted back in the
 * message, so "1e400" is reported as not finite rather than as an empty field.
 */
export function parseNumber(text, what, { min = -Infinity, max = Infinity, integer = false } = {}) {
  const trimmed = String(text).trim();
  const kind = integer ? 'a whole number' : 'a number';
  const range =
    min > -Infinity && max < Infinity
      ? ` from ${min} to ${max}`
      : min > -Infinity
        ? ` ≥ ${min}`
        : max < Infinity
          ? ` ≤ ${max}`
          : '';
  if (trimmed === '') {
    return { error: `${what}: the field is empty. Enter ${kind}${range}.` };
  }
  if (!DECIMAL.test(trimmed)) {
    return { error: `${what}: “${trimmed}” is not ${kind}. Enter ${kind}${range}.` };
  }
  const value = Number(trimmed);
  if (!Number.isFinite(value)) {
    return { error: `${what}: “${trimmed}” is not a finite number. Enter ${kind}${range}.` };
  }
  if (integer && !Number.isInteger(value)) {
    return { error: `${what}: “${trimmed}” is not ${kind}. Enter ${kind}${range}.` };
  }
  if (value < min || value > max) {
    return { error: `${what}: ${trimmed} is out of range. Enter ${kind}${range}.` };
  }
  return { value };
}

/** Formats indices the way the inputs expect them. */
export function formatIndexList(rows) {
  return rows.join(', ');
}
