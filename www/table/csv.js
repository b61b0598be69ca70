// Reading a delimited text file into rows of cells, with PapaParse. Pure (no DOM): text in,
// rows, names and what was detected out, so every rule here is tested in Node.
//
// Detected, each with an override: the delimiter (`,` `;` tab `|`), the decimal mark (a point,
// or a comma in files whose numbers look like `1,5`), and whether the first row is a header.
// Handled on the way: a byte-order mark, quoted fields (with delimiters or line breaks inside),
// CRLF / LF / CR line ends, blank lines (anywhere, including trailing ones) and rows with too
// few or too many cells. Every data row keeps the line of the file it starts on, so problems
// can be reported where a person finds them.
import Papa from 'papaparse';

/** Files larger than this are refused before they are read. */
export const MAX_FILE_BYTES = 200 * 1024 * 1024;

export const DELIMITERS = [',', ';', '\t', '|'];

export const DELIMITER_NAMES = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'vertical bar' };

/** How much of the file the delimiter and decimal-mark detection look at. */
const SAMPLE_CHARS = 64 * 1024;
const SAMPLE_ROWS = 60;

const BOM = '\uFEFF';

/** Bytes as "1.5 MB". */
export function formatBytes(bytes) {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} bytes`;
}

/** Refuses files that are empty or too large to read, before reading them. */
export function checkFileSize(bytes, name = 'The file') {
  if (bytes === 0) return { error: `“${name}” is empty.` };
  if (bytes > MAX_FILE_BYTES) {
    return {
      error:
        `“${name}” is ${formatBytes(bytes)}; files over ${formatBytes(MAX_FILE_BYTES)} are refused before ` +
        'reading (their table would not fit in WebAssembly’s memory). Use fewer rows or columns.',
    };
  }
  return {};
}

/**
 * Decodes file bytes: UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark,
 * or — when the bytes are not valid UTF-8 — Windows-1252 (Latin-1), which every byte sequence is.
 * @returns {{text: string, encoding: string, bom: boolean}}
 */
export function decodeBytes(bytes) {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (b[0] === 0xff && b[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(b.subarray(2)), encoding: 'UTF-16 LE', bom: true };
  if (b[0] === 0xfe && b[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(b.subarray(2)), encoding: 'UTF-16 BE', bom: true };
  const bom = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bom ? b.subarray(3) : b);
    return { text, encoding: 'UTF-8', bom };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(b), encoding: 'Windows-1252 (not valid UTF-8)', bom: false };
  }
}

const blank = (cells) => cells.every((c) => c.trim() === '');

/** Non-blank rows of the first part of `text`, split at `delimiter`. */
function sampleRows(text, delimiter) {
  const sample = text.length > SAMPLE_CHARS ? text.slice(0, text.lastIndexOf('\n', SAMPLE_CHARS) + 1 || SAMPLE_CHARS) : text;
  return Papa.parse(sample, { delimiter, preview: SAMPLE_ROWS }).data.filter((cells) => !blank(cells));
}

/** The most common value of `values` and its share. */
function mode(values) {
  const counts = new Map();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = null;
  let bestCount = 0;
  for (const [v, count] of counts) {
    if (count > bestCount) [best, bestCount] = [v, count];
  }
  return { value: best, share: values.length ? bestCount / values.length : 0 };
}

// ---------- numbers ----------

/** Decimal notation: digits, an optional point and exponent (no hex, no thousands separators). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const COMMA_DECIMAL = /^[+-]?\d*,\d+(e[+-]?\d+)?$/i;
const POINT_DECIMAL = /^[+-]?\d*\.\d+(e[+-]?\d+)?$/i;
const INFINITE = /^[+-]?(inf|infinity)$/i;

/** Cells that stand for a missing value. */
export const MISSING_MARKERS = new Set(['na', 'n/a', 'null', '?', 'missing']);

/**
 * What one cell holds, read as a number.
 * @returns {{kind: 'number', value: number} | {kind: 'empty'|'marker'|'nan'|'inf'|'overflow'|'text'}}
 */
export function readNumber(raw, { decimalComma = false } = {}) {
  const s = String(raw).trim();
  if (s === '') return { kind: 'empty' };
  const lower = s.toLowerCase();
  if (MISSING_MARKERS.has(lower)) return { kind: 'marker' };
  if (lower === 'nan' || lower === '-nan' || lower === '+nan') return { kind: 'nan' };
  if (INFINITE.test(s)) return { kind: 'inf' };
  let t = s;
  if (decimalComma && s.includes(',')) {
    if (s.includes('.') || s.indexOf(',') !== s.lastIndexOf(',')) return { kind: 'text' };
    t = s.replace(',', '.');
  }
  if (!DECIMAL.test(t)) return { kind: 'text' };
  const value = Number(t);
  if (!Number.isFinite(value)) return { kind: 'overflow' };
  return { kind: 'number', value };
}

const isNumber = (cell, decimalComma) => readNumber(cell, { decimalComma }).kind === 'number';

// ---------- detection ----------

/**
 * The delimiter that splits the first rows most consistently into two or more cells; ties go to
 * the one that leaves more cells readable as numbers (so `1,5;2,5` is split at `;`), then to
 * the order `,` `;` tab `|`. Defaults to `,` (a file of one column).
 */
export function detectDelimiter(text) {
  let best = { delimiter: ',', score: -1 };
  for (const delimiter of DELIMITERS) {
    const rows = sampleRows(text, delimiter);
    if (rows.length === 0) continue;
    const { value: width, share } = mode(rows.map((r) => r.length));
    if (width < 2) continue;
    const cells = rows.flat();
    const numeric = cells.filter((c) => isNumber(c, false) || isNumber(c, delimiter !== ',')).length / cells.length;
    const score = share * 10 + numeric;
    if (score > best.score + 1e-9) best = { delimiter, score };
  }
  return best.delimiter;
}

/** Whether numbers in `rows` use a decimal comma: only where the delimiter is not a comma. */
export function detectDecimalComma(rows, delimiter) {
  if (delimiter === ',') return false;
  let comma = 0;
  let point = 0;
  for (const cells of rows) {
    for (const cell of cells) {
      const s = cell.trim();
      if (COMMA_DECIMAL.test(s)) comma += 1;
      else if (POINT_DECIMAL.test(s)) point += 1;
    }
  }
  return comma > point;
}

/**
 * Whether the first row is a header. Column by column: where the later rows are mostly numbers,
 * a first cell that is not a number votes "header" and one that is a number votes "no header".
 * Without votes (every column text), the first row is a header when its cells are filled,
 * distinct, and none of them occurs again in its column.
 */
export function detectHeader(rows, { decimalComma = false } = {}) {
  if (rows.length < 2) return rows.length === 1 && rows[0].every((c) => c.trim() !== '' && !isNumber(c, decimalComma));
  const [first, ...rest] = rows;
  const later = rest.slice(0, 200);
  let votes = 0;
  let voted = 0;
  first.forEach((cell, j) => {
    const values = later.map((r) => r[j] ?? '').filter((c) => c.trim() !== '');
    if (values.length === 0) return;
    const numeric = values.filter((c) => isNumber(c, decimalComma)).length / values.length;
    if (numeric < 0.8) return;
    voted += 1;
    votes += isNumber(cell, decimalComma) ? -1 : 1;
  });
  if (voted > 0) return votes > 0;
  const names = first.map((c) => c.trim());
  if (names.some((n) => n === '') || new Set(names).size !== names.length) return false;
  return names.every((name, j) => !later.some((r) => (r[j] ?? '').trim() === name));
}

/** Header names: trimmed; empty ones become "column j"; repeated ones get " (2)", " (3)"… */
export function headerNames(cells, width) {
  const seen = new Map();
  const names = [];
  for (let j = 0; j < width; j += 1) {
    let name = (cells[j] ?? '').trim() || `column ${j + 1}`;
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    if (count > 1) name = `${name} (${count})`;
    names.push(name);
  }
  return names;
}

// ---------- parsing ----------

/** 1-based line numbers of text positions, for positions visited in increasing order. */
function lineCounter(text) {
  let pos = 0;
  let line = 1;
  return (target) => {
    for (; pos < target; pos += 1) {
      const c = text.charCodeAt(pos);
      if (c === 10 || (c === 13 && text.charCodeAt(pos + 1) !== 10)) line += 1;
    }
    return line;
  };
}

/**
 * Parses delimited text.
 * @param {string} text the decoded file
 * @param {object} [options] overrides of what is detected
 * @param {string} [options.delimiter] one of DELIMITERS
 * @param {boolean} [options.decimalComma]
 * @param {boolean} [options.header]
 * @returns {{error: string} | {
 *   delimiter: string, decimalComma: boolean, header: boolean, detected: {delimiter, decimalComma, header},
 *   bom: boolean, names: string[], width: number, rows: string[][], lines: number[],
 *   headerLine: number|null, blankLines: number, rowProblems: {row: number, line: number, message: string}[],
 *   notes: string[]}}
 *   `rows` hold the data rows' cells (as in the file, padded with '' to `width`); `lines[i]` is
 *   the file line where data row i starts; `rowProblems` name rows whose cells cannot be trusted.
 */
export function parseCsv(text, options = {}) {
  let source = String(text);
  const bom = source.startsWith(BOM);
  if (bom) source = source.slice(1);
  if (source.trim() === '') return { error: 'The file is empty: it has no rows.' };

  const detectedDelimiter = detectDelimiter(source);
  const delimiter = options.delimiter ?? detectedDelimiter;
  if (!DELIMITERS.includes(delimiter)) return { error: `Unknown delimiter “${delimiter}”.` };

  const records = [];
  const starts = [];
  let cursor = 0;
  let unclosed = -1; // record with a quoted field that never ends
  let badQuotes = 0;
  Papa.parse(source, {
    delimiter,
    step: (result) => {
      if (result.errors.some((e) => e.code === 'MissingQuotes') && unclosed < 0) unclosed = records.length;
      else if (result.errors.some((e) => e.code === 'InvalidQuotes')) badQuotes += 1;
      records.push(result.data);
      starts.push(cursor);
      cursor = result.meta.cursor;
    },
  });
  // The text after the last line break is no line of its own when it is empty.
  if (records.length > 0 && starts.at(-1) >= source.length && blank(records.at(-1))) {
    records.pop();
    starts.pop();
  }
  const lineOf = lineCounter(source);
  const lineAt = starts.map((start) => lineOf(start));
  if (unclosed >= 0) {
    return {
      error:
        `The file could not be read: line ${lineAt[unclosed]}: a quoted field starts here and is never ` +
        'closed (a closing " is missing).',
    };
  }

  // Blank records (empty lines, or only delimiters and spaces) are skipped wherever they are.
  const kept = [];
  let blankLines = 0;
  records.forEach((cells, k) => {
    if (blank(cells)) blankLines += 1;
    else kept.push(k);
  });
  if (kept.length === 0) return { error: 'The file is empty: it has only blank lines.' };

  const firstRows = kept.slice(0, 200).map((k) => records[k]);
  const detectedDecimal = detectDecimalComma(firstRows, delimiter);
  const decimalComma = options.decimalComma ?? detectedDecimal;
  const detectedHeader = detectHeader(firstRows, { decimalComma });
  const header = options.header ?? detectedHeader;

  const dataKeys = header ? kept.slice(1) : kept;
  const width = header
    ? records[kept[0]].length
    : mode(dataKeys.slice(0, 1000).map((k) => records[k].length)).value;
  const names = header ? headerNames(records[kept[0]], width) : headerNames([], width);
  if (header && dataKeys.length === 0) {
    return {
      error: `The file has a header row (${names.slice(0, 6).join(', ')}${names.length > 6 ? ', …' : ''}) but no data rows.`,
    };
  }

  const rows = [];
  const lines = [];
  const rowProblems = [];
  for (const k of dataKeys) {
    let cells = records[k];
    const row = rows.length;
    if (cells.length > width) {
      const extra = cells.slice(width);
      if (extra.every((c) => c.trim() === '')) {
        cells = cells.slice(0, width);
      } else {
        rowProblems.push({
          row,
          line: lineAt[k],
          message: `${cells.length} cells, but ${header ? 'the header has' : 'most rows have'} ${width}`,
        });
        cells = cells.slice(0, width);
      }
    } else if (cells.length < width) {
      rowProblems.push({
        row,
        line: lineAt[k],
        message: `only ${cells.length} of ${width} cells`,
        short: true,
      });
      cells = [...cells, ...Array(width - cells.length).fill('')];
    }
    rows.push(cells);
    lines.push(lineAt[k]);
  }

  const notes = [];
  if (bom) notes.push('a byte-order mark at the start was removed');
  if (badQuotes > 0) notes.push(`${badQuotes} row${badQuotes === 1 ? ' has' : 's have'} a stray quote inside a quoted field (read as text)`);
  if (blankLines > 0) notes.push(`${blankLines} blank line${blankLines === 1 ? '' : 's'} ignored`);
  return {
    delimiter,
    decimalComma,
    header,
    detected: { delimiter: detectedDelimiter, decimalComma: detectedDecimal, header: detectedHeader },
    bom,
    names,
    width,
    rows,
    lines,
    headerLine: header ? lineAt[kept[0]] : null,
    blankLines,
    rowProblems,
    notes,
  };
}
