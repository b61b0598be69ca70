// Unit tests of reading and encoding tables (www/table/*), in Node, on small CSV fixtures written
// here (no personal data): delimiters and decimal commas, byte-order marks, quoted line breaks,
// CRLF, header detection, blank lines, every kind of bad cell, impossible labels and columns,
// constant and repeated columns, one-hot groups, the drop and impute policies and the size limits.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { defaultSetup, describeColumns, labelClasses, MISSING_CATEGORY } from '../../www/table/columns.js';
import { checkFileSize, decodeBytes, MAX_FILE_BYTES, parseCsv, readNumber } from '../../www/table/csv.js';
import { encodeTable, estimateSize, MAX_PARAMETERS, parameterCount, planTable } from '../../www/table/encode.js';
import { initSync, limits } from '../../www/pkg/unlearn.js';
import { classSlice, shiftView } from '../../www/render/chart.js';
import { colourOf, imageView } from '../../www/render/images.js';
import { buildReport } from '../../www/report.js';
import { editFromState, otherClass, relabelPlan } from '../../www/state.js';

/** Parses, describes and plans `text` with the default setup plus `changes`. */
function load(text, { parse = {}, setup = {} } = {}) {
  const parsed = parseCsv(text, parse);
  assert.equal(parsed.error, undefined, parsed.error);
  const columns = describeColumns(parsed);
  const base = defaultSetup(parsed, columns);
  const full = { ...base, ...setup, roles: setup.roles ? setup.roles(base.roles, columns) : base.roles };
  return { parsed, columns, setup: full, plan: planTable(parsed, columns, full) };
}

/** The training rows of a fake split: every row but every fifth. */
// The size limits come from the module itself.
initSync({ module: readFileSync(new URL('../../www/pkg/unlearn_bg.wasm', import.meta.url)) });

const trainRowsOf = (n) => [...Array(n).keys()].filter((i) => i % 5 !== 4);

describe('parseCsv: delimiters, decimal marks, quoting, line ends', () => {
  it('reads a semicolon file with decimal commas', () => {
    const { parsed, columns, plan } = load('a;b;label\n1,5;2;yes\n-0,25;3,75;no\n2;1e3;yes\n');
    assert.equal(parsed.delimiter, ';');
    assert.equal(parsed.decimalComma, true);
    assert.equal(parsed.header, true);
    assert.deepEqual(parsed.names, ['a', 'b', 'label']);
    assert.deepEqual(columns.map((c) => c.kind), ['numeric', 'numeric', 'categorical']);
    const data = encodeTable(parsed, plan, { trainRowsOf });
    assert.deepEqual(Array.from(data.x), [1.5, 2, -0.25, 3.75, 2, 1000]);
    assert.deepEqual(Array.from(data.y), [1, 0, 1]);
    assert.deepEqual(data.classes, ['no', 'yes']);
  });

  it('splits 1,5;2,5 at the semicolon even without a header', () => {
    const parsed = parseCsv('1,5;2,5;0\n3,5;4,5;1\n0,5;1,5;1\n');
    assert.equal(parsed.delimiter, ';');
    assert.equal(parsed.decimalComma, true);
    assert.equal(parsed.header, false);
    assert.deepEqual(parsed.names, ['column 1', 'column 2', 'column 3']);
  });

  it('detects tabs and vertical bars, and keeps commas inside quotes', () => {
    assert.equal(parseCsv('x\ty\tz\n1\t2\t0\n3\t4\t1\n').delimiter, '\t');
    assert.equal(parseCsv('x|y|z\n1|2|0\n3|4|1\n').delimiter, '|');
    const parsed = parseCsv('name,v,label\n"Smith, J.",1.5,0\n"Doe, A.",2.5,1\n');
    assert.equal(parsed.delimiter, ',');
    assert.equal(parsed.decimalComma, false);
    assert.deepEqual(parsed.rows[0], ['Smith, J.', '1.5', '0']);
  });

  it('removes a byte-order mark (text and bytes)', () => {
    const parsed = parseCsv('\uFEFFalpha,beta,label\n1,2,0\n3,4,1\n');
    assert.equal(parsed.bom, true);
    assert.equal(parsed.names[0], 'alpha', 'no mark glued to the first name');
    assert.match(parsed.notes.join(), /byte-order mark/);
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('ä,b\n1,2\n')]);
    const decoded = decodeBytes(bytes);
    assert.equal(decoded.bom, true);
    assert.equal(decoded.text, 'ä,b\n1,2\n');
    assert.equal(decodeBytes(new Uint8Array([0x63, 0xe9, 0x2c, 0x31])).text, 'cé,1', 'not UTF-8: Windows-1252');
  });

  it('keeps line breaks inside quoted fields and reports the line each row starts on', () => {
    const text = 'note,v,label\n"first\nsecond",1,0\nplain,2,1\n"a\r\nb",3,0\n';
    const parsed = parseCsv(text);
    assert.equal(parsed.rows.length, 3);
    assert.equal(parsed.rows[0][0], 'first\nsecond');
    assert.deepEqual(parsed.lines, [2, 4, 5]);
  });

  it('reads CRLF line ends like LF', () => {
    const crlf = parseCsv('a,b,label\r\n1,2,0\r\n3,4,1\r\n');
    const lf = parseCsv('a,b,label\n1,2,0\n3,4,1\n');
    assert.deepEqual(crlf.rows, lf.rows);
    assert.deepEqual(crlf.names, lf.names);
    assert.deepEqual(crlf.lines, [2, 3]);
  });

  it('tells a header from data, and takes an override', () => {
    assert.equal(parseCsv('h1,h2,y\n1,2,0\n3,4,1\n').header, true);
    const plain = parseCsv('1,2,0\n3,4,1\n5,6,0\n');
    assert.equal(plain.header, false);
    assert.deepEqual(plain.names, ['column 1', 'column 2', 'column 3']);
    assert.equal(plain.rows.length, 3);
    assert.equal(parseCsv('colour,size,label\nred,big,yes\nblue,small,no\n').header, true, 'all text, names never repeat');
    assert.equal(parseCsv('red,big,yes\nblue,small,no\nred,small,yes\n').header, false, 'the first row repeats later');
    const forced = parseCsv('h1,h2,y\n1,2,0\n3,4,1\n', { header: false });
    assert.equal(forced.header, false);
    assert.equal(forced.detected.header, true);
    assert.equal(forced.rows.length, 3);
    assert.deepEqual(parseCsv('a,,a,b\n1,2,3,0\n').names, ['a', 'column 2', 'a (2)', 'b']);
  });

  it('ignores blank lines, trailing ones included', () => {
    const parsed = parseCsv('a,b,label\n1,2,0\n\n3,4,1\n\n\n   \n');
    assert.equal(parsed.rows.length, 2);
    assert.equal(parsed.blankLines, 4);
    assert.deepEqual(parsed.lines, [2, 4]);
  });

  it('refuses an empty file, a header without rows and an unclosed quote', () => {
    assert.match(parseCsv('').error, /empty/);
    assert.match(parseCsv('\n\n  \n').error, /empty/);
    assert.match(parseCsv('alpha,beta,label\n').error, /header row \(alpha, beta, label\) but no data rows/);
    assert.match(parseCsv('a,b,label\n1,2,0\n"3,4,1\n5,6,0\n').error, /line 3: a quoted field starts here and is never closed/);
  });

  it('refuses files over 200 MB before reading them', () => {
    assert.match(checkFileSize(MAX_FILE_BYTES + 1, 'big.csv').error, /“big.csv” is 209\.7 MB; files over 209\.7 MB are refused before reading/);
    assert.equal(checkFileSize(1000, 'ok.csv').error, undefined);
    assert.match(checkFileSize(0, 'none.csv').error, /empty/);
  });
});

describe('cells and columns', () => {
  it('reads numbers and names every kind of bad cell', () => {
    assert.deepEqual(readNumber(' 2.5 '), { kind: 'number', value: 2.5 });
    assert.deepEqual(readNumber('1,5', { decimalComma: true }), { kind: 'number', value: 1.5 });
    assert.equal(readNumber('1,5').kind, 'text');
    assert.equal(readNumber('').kind, 'empty');
    assert.equal(readNumber('NA').kind, 'marker');
    assert.equal(readNumber('NaN').kind, 'nan');
    assert.equal(readNumber('inf').kind, 'inf');
    assert.equal(readNumber('-Infinity').kind, 'inf');
    assert.equal(readNumber('1e400').kind, 'overflow');
    assert.equal(readNumber('-1e400').kind, 'overflow');
    assert.deepEqual(readNumber('1e-400'), { kind: 'number', value: 0 });
    assert.equal(readNumber('abc').kind, 'text');
    assert.equal(readNumber('0x10').kind, 'text');
  });

  it('lists each bad cell with its file line, column and reason, and trains on nothing until a policy is chosen', () => {
    const rows = Array.from({ length: 40 }, (_, i) => `${i},${(i * 7) % 11},${i % 2 ? 'x' : 'y'}`);
    rows[3] = ',5,x'; // empty
    rows[5] = 'NaN,5,y'; // not a number
    rows[7] = 'inf,5,x'; // infinite
    rows[8] = '-inf,5,y';
    rows[9] = 'abc,5,x'; // text in a numeric column
    rows[11] = '1e400,5,y'; // out of range
    rows[13] = '4,5,'; // no label
    const { plan } = load(`v,w,label\n${rows.join('\n')}\n`);
    assert.equal(plan.needsPolicy, true);
    assert.equal(plan.ready, false, 'nothing trains before a policy');
    const byLine = new Map(plan.badCells.map((c) => [c.line, c]));
    assert.equal(plan.badCellCount, 7);
    assert.deepEqual([...byLine.keys()], [5, 7, 9, 10, 11, 13, 15]);
    assert.equal(byLine.get(5).why, 'empty');
    assert.equal(byLine.get(5).column, 'v');
    assert.match(byLine.get(7).why, /“NaN” is not a number/);
    assert.match(byLine.get(9).why, /“inf” is infinite/);
    assert.match(byLine.get(10).why, /“-inf” is infinite/);
    assert.match(byLine.get(11).why, /“abc” is text in a numeric column/);
    assert.match(byLine.get(13).why, /“1e400” is out of range/);
    assert.equal(byLine.get(15).column, 'label');
    assert.match(byLine.get(15).why, /no label/);
  });

  it('treats a mostly numeric column as numeric and a text one as categorical', () => {
    const numbers = Array.from({ length: 30 }, (_, i) => `${i},c${i % 3},${i % 2}`);
    numbers[4] = 'oops,c1,0';
    const { columns } = load(`n,c,label\n${numbers.join('\n')}\n`);
    assert.equal(columns[0].kind, 'numeric', 'one text cell in 30 is a bad cell');
    assert.equal(columns[0].counts.text, 1);
    assert.equal(columns[1].kind, 'categorical');
    assert.equal(columns[1].distinct, 3);
  });

  it('orders classes (numbers by value) and picks the last as the positive class', () => {
    const parsed = parseCsv('v,income\n1,<=50K\n2,>50K\n3,<=50K\n');
    const { classes } = labelClasses(parsed, 1);
    assert.deepEqual(classes.map((c) => c.name), ['<=50K', '>50K']);
    assert.equal(defaultSetup(parsed, describeColumns(parsed)).positive, '>50K');
    const digits = parseCsv('v,d\n1,10\n2,9\n3,1.0\n4,1\n');
    assert.deepEqual(labelClasses(digits, 1).classes.map((c) => [c.name, c.count]), [['1.0', 2], ['9', 1], ['10', 1]]);
  });
});

describe('planTable: impossible tables get a clear message', () => {
  it('one class only', () => {
    const { plan } = load('a,b,label\n1,2,yes\n3,4,yes\n5,6,yes\n');
    assert.equal(plan.ready, false);
    assert.match(plan.errors.join(), /only one class \(“yes”, 3 rows\); a classifier needs at least two/);
  });

  it('one class left after dropping rows', () => {
    const { plan } = load('a,b,label\n1,2,yes\n,4,no\n5,6,yes\n7,8,yes\n', { setup: { policy: 'drop' } });
    assert.match(plan.errors.join(), /After dropping rows, the label column “label” keeps only one class/);
    const imputed = load('a,b,label\n1,2,yes\n,4,no\n5,6,yes\n7,8,yes\n', { setup: { policy: 'impute' } });
    assert.equal(imputed.plan.ready, true);
  });

  it('no feature columns', () => {
    const single = parseCsv('label\n0\n1\n');
    const plan = planTable(single, describeColumns(single), defaultSetup(single, describeColumns(single)));
    assert.match(plan.errors.join(), /No feature columns: the file has a single column/);
    const ignored = load('a,b,label\n1,2,0\n3,4,1\n5,6,0\n', { setup: { roles: (roles) => roles.map((r) => (r === 'label' ? r : 'ignore')) } });
    assert.match(ignored.plan.errors.join(), /No feature columns: every column other than the label is ignored/);
  });

  it('too many classes for a label', () => {
    const rows = Array.from({ length: 80 }, (_, i) => `${i % 7},${i}`);
    const { plan } = load(`v,price\n${rows.join('\n')}\n`);
    assert.match(plan.errors.join(), /has 80 different values; at most 50 classes/);
  });

  it('constant and repeated columns: reported, constant dropped (or kept with a note)', () => {
    const rows = Array.from({ length: 12 }, (_, i) => `${i},7,${i},${(i * 3) % 5},${i % 2}`);
    const text = `a,const,copy,b,label\n${rows.join('\n')}\n`;
    const { columns, setup, plan } = load(text);
    assert.equal(columns[1].constant, true);
    assert.equal(columns[2].duplicateOf, 0);
    assert.deepEqual(setup.roles, ['numeric', 'ignore', 'ignore', 'numeric', 'label']);
    assert.equal(plan.ready, true);
    assert.equal(plan.encodedWidth, 2);
    assert.equal(plan.notes.length, 0);
    const kept = load(text, { setup: { roles: (roles) => roles.map((r) => (r === 'ignore' ? 'numeric' : r)) } });
    assert.equal(kept.plan.ready, true);
    assert.match(kept.plan.notes.join(' '), /“const” is constant \(every value is “7”\): it is kept, and its weight stays 0/);
    assert.match(kept.plan.notes.join(' '), /“copy” repeats “a”/);
  });
});

describe('encodeTable: one-hot groups and policies', () => {
  const text = [
    'age,colour,size,label',
    '30,red,1.5,yes',
    '41,blue,2.5,no',
    '25,,3.5,yes', // missing category
    '52,green,,no', // missing number
    '33,red,1.0,yes',
    '47,blue,2.0,no',
    '38,green,2.2,yes',
    '29,red,1.8,no',
    '',
  ].join('\n');

  it('encodes a categorical column as one 0/1 column per category, unscaled, as one group', () => {
    const { parsed, plan } = load(text, { setup: { policy: 'impute' } });
    const data = encodeTable(parsed, plan, { trainRowsOf });
    assert.deepEqual(data.featureNames, [
      'age',
      'colour = blue',
      'colour = green',
      'colour = red',
      `colour = ${MISSING_CATEGORY}`,
      'size',
    ]);
    assert.deepEqual(data.unscaledColumns, [1, 2, 3, 4]);
    assert.deepEqual(data.groups.map((g) => [g.name, g.kind, g.columns]), [
      ['age', 'numeric', [0]],
      ['colour', 'categorical', [1, 2, 3, 4]],
      ['size', 'numeric', [5]],
    ]);
    const row = (r) => Array.from(data.x.subarray(r * 6, r * 6 + 6));
    assert.deepEqual(row(0), [30, 0, 0, 1, 0, 1.5]);
    assert.deepEqual(row(2), [25, 0, 0, 0, 1, 3.5], 'the missing category');
    for (let r = 0; r < data.nRows; r += 1) {
      assert.equal(row(r).slice(1, 5).reduce((a, b) => a + b), 1, 'exactly one category per row');
    }
    assert.deepEqual(Array.from(data.y), [1, 0, 1, 0, 1, 0, 1, 0]);
    assert.deepEqual(data.lines, [2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('impute: numeric cells get the mean of the training rows, categorical ones “(missing)”', () => {
    const { parsed, plan } = load(text, { setup: { policy: 'impute' } });
    assert.equal(plan.effects.impute, '1 numeric cell set to the training mean; 1 categorical cell set to “(missing)”; 8 rows remain');
    const data = encodeTable(parsed, plan, { trainRowsOf });
    // Training rows 0,1,2,3,5,6,7 (row 4 is a test row); size is missing in row 3.
    const mean = (1.5 + 2.5 + 3.5 + 2.0 + 2.2 + 1.8) / 6;
    assert.ok(Math.abs(data.x[3 * 6 + 5] - mean) < 1e-12, `imputed ${data.x[3 * 6 + 5]}, mean ${mean}`);
    assert.deepEqual(data.imputed.map((i) => [i.column, i.cells, i.fromTrainingRows]), [['size', 1, 6]]);
    assert.equal(data.effect, plan.effects.impute);
  });

  it('drop: rows with a missing or bad cell are left out, and categories follow the kept rows', () => {
    const { parsed, plan } = load(text, { setup: { policy: 'drop' } });
    assert.equal(plan.effects.drop, '2 rows dropped, 6 remain');
    const data = encodeTable(parsed, plan, {});
    assert.equal(data.nRows, 6);
    assert.deepEqual(data.lines, [2, 3, 6, 7, 8, 9]);
    assert.deepEqual(data.groups[1].categories, ['blue', 'green', 'red'], 'no “(missing)” category');
    assert.throws(() => encodeTable(parsed, load(text).plan), /Choose what to do with the missing and bad cells/);
  });

  it('rows without a label or with too many cells are dropped by either policy', () => {
    const messy = 'a,b,label\n1,2,yes\n3,4,\n5,6,no,extra\n7,8,no\n9,10,yes\n11,,no\n';
    const { plan } = load(messy, { setup: { policy: 'impute' } });
    assert.equal(plan.badCells.find((c) => c.line === 4).kind, 'row');
    assert.match(plan.badCells.find((c) => c.line === 4).why, /4 cells, but the header has 3/);
    assert.equal(plan.effects.impute, '1 numeric cell set to the training mean; 1 row without a label and 1 malformed row dropped (they cannot be imputed); 4 rows remain');
    assert.equal(plan.keptRows.length, 4);
  });

  it('multiclass labels become class numbers 0…K−1 in order', () => {
    const { parsed, plan } = load('v,species\n1,setosa\n2,virginica\n3,versicolor\n4,setosa\n');
    const data = encodeTable(parsed, plan, {});
    assert.equal(data.nClasses, 3);
    assert.deepEqual(data.classes, ['setosa', 'versicolor', 'virginica']);
    assert.deepEqual(Array.from(data.y), [0, 2, 1, 0]);
  });

  it('the positive class chosen for two classes is label 1', () => {
    const { parsed, plan } = load('v,y\n1,spam\n2,ham\n3,spam\n', { setup: { positive: 'ham' } });
    const data = encodeTable(parsed, plan, {});
    assert.deepEqual(data.classes, ['spam', 'ham']);
    assert.deepEqual(Array.from(data.y), [0, 1, 0]);
  });
});

describe('size limits', () => {
  it('estimates rows × encoded features and refuses what WebAssembly cannot hold', () => {
    const ok = estimateSize({ rows: 2000, features: 100, classes: 2 });
    assert.deepEqual([ok.values, ok.bytes, ok.parameters, ok.error], [200000, 1.6e6, 101, undefined]);
    const big = estimateSize({ rows: 1_000_000, features: 51, classes: 2 });
    assert.equal(big.values, 51_000_000);
    assert.match(big.error, /51,000,000 numbers \(1,000,000 rows × 51 encoded features, 408\.0 MB\); WebAssembly refuses tables of more than 50,000,000 numbers/);
    assert.equal(limits().maxValues, 50_000_000, 'the limit is the module\'s own');
    const wide = estimateSize({ rows: 100, features: 400, classes: 10 });
    assert.equal(wide.parameters, parameterCount(400, 10));
    assert.ok(wide.parameters > MAX_PARAMETERS);
    assert.match(wide.error, /4,010 parameters \(400 encoded features × 10 classes, plus intercepts\)/);
  });

  it('a table whose one-hot encoding is too large is refused before it is built', () => {
    const rows = Array.from({ length: 3200 }, (_, i) => `id${i},${i % 3},${i % 2}`);
    const text = `code,v,label\n${rows.join('\n')}\n`;
    const { plan, setup } = load(text);
    assert.equal(setup.roles[0], 'ignore', 'an identifier is ignored by default');
    const forced = load(text, { setup: { roles: (roles) => ['categorical', ...roles.slice(1)] } });
    assert.equal(plan.ready, true);
    assert.equal(forced.plan.ready, false);
    assert.match(forced.plan.errors.join(), /The model would have 3,202 parameters/);
  });
});

describe('the request and the report', () => {
  const data = {
    id: 'upload',
    name: 'toy.csv',
    fileName: 'toy.csv',
    builtIn: false,
    nRows: 4,
    nFeatures: 3,
    x: Float64Array.from([0.5, 1, 0, 1.5, 0, 1, 2.5, 1, 0, 3.5, 0, 1]),
    featureNames: ['v', 'c = a', 'c = b'],
    groups: [
      { name: 'v', kind: 'numeric', columns: [0] },
      { name: 'c', kind: 'categorical', columns: [1, 2], categories: ['a', 'b'] },
    ],
    unscaledColumns: [1, 2],
    classNames: ['no', 'yes'],
    labelName: 'y',
  };
  const model = {
    nClasses: 2,
    trainRows: [0, 2, 3],
    trueLabels: [1, 0, 1],
    l2: 1,
    poison: [],
    theta: [0.1, 0.2, -0.2, 0.3],
    report: { nTrain: 3, nTest: 1, testAccuracy: 1 },
  };

  it('forgets a categorical group as all its columns, and moves rows between categories with cells', () => {
    const state = {
      data,
      model,
      features: [1],
      featureValue: 0,
      relabel: [1],
      relabelTo: new Map(),
      remove: [],
      poison: false,
      move: { group: 1, target: 1, rows: [0, 2] },
    };
    const edit = editFromState(state);
    assert.deepEqual(edit.features, [1, 2]);
    assert.deepEqual(edit.relabel, [[1, 1]]);
    // Training row 0 is table row 0 (category a), training row 2 is table row 3 (category b).
    assert.deepEqual(edit.cells, [[0, 1, 0], [0, 2, 1], [2, 2, 0], [2, 2, 1]]);
  });

  it('picks another class for relabelled rows, reproducibly', () => {
    for (let row = 0; row < 50; row += 1) {
      const c = otherClass(3, 10, row);
      assert.ok(c !== 3 && c >= 0 && c < 10);
      assert.equal(otherClass(3, 10, row), c);
    }
    assert.equal(otherClass(1, 2, 5), 0);
    const plan = relabelPlan({ model: { ...model, nClasses: 3, trueLabels: [2, 0, 1] }, relabel: [0], relabelTo: new Map([[0, 1]]), poison: true });
    assert.deepEqual(plan, [{ row: 0, csvRow: 0, truth: 2, from: 1, to: 2 }]);
  });

  it('reports the edit, every method and θ', () => {
    const comparison = {
      affected: [0],
      nEdited: 3,
      retrainIterations: 5,
      retrainGradNorm: 1e-12,
      warnings: [],
      methods: [
        { method: 'lazy', theta: [0.1, 0.2, -0.2, 0.3], distanceToRetrain: 0.3, accuracy: 1, logLoss: 0.2, agreement: 1, seconds: 0, speedup: null },
        { method: 'retrain', theta: [0.1, 0, 0, 0.3], distanceToRetrain: 0, accuracy: 1, logLoss: 0.2, agreement: 1, seconds: 0.01, speedup: 1 },
      ],
    };
    const state = {
      data,
      model,
      result: {
        comparison,
        edit: { features: [1, 2], featureValue: 0, relabel: [], remove: [] },
        request: { tau: 0.001, steps: 10 },
        selection: { features: [1], move: { group: null, target: null, rows: [] } },
      },
    };
    const report = buildReport(state, new Date('2024-01-01T00:00:00Z'));
    assert.equal(report.created, '2024-01-01T00:00:00.000Z');
    assert.deepEqual(report.edit.forgottenColumns, [{ name: 'c', kind: 'categorical', columns: [1, 2], replacedWith: 0 }]);
    assert.deepEqual(report.methods.map((m) => m.method), ['lazy', 'retrain']);
    assert.deepEqual(report.methods[1].theta, [0.1, 0, 0, 0.3]);
    assert.equal(report.dataset.positiveClass, 'yes');
    assert.match(report.model.parameterLayout, /3 weights, then the intercept/);
    assert.doesNotThrow(() => JSON.stringify(report));
  });
});

describe('drawing multiclass weights', () => {
  it('picks the weights and the intercept of one class out of θ', () => {
    // d = 2, K = 3: θ = [w0 (2), w1 (2), w2 (2), b0, b1, b2].
    assert.deepEqual(classSlice(2, 3, 1, 9), [2, 3, 7]);
    assert.deepEqual(classSlice(2, 2, 0, 3), [0, 1, 2]);
    const view = shiftView({ featureNames: ['a', 'b'], forgotten: [1], theta: [1, 2, 3, 4, 5, 6, 7, 8, 9], comparison: null, mode: 'values', nClasses: 3, classIndex: 2 });
    assert.deepEqual(view.labels, ['a', '✕ b', 'intercept']);
    assert.deepEqual(view.datasets[0].values, [5, 6, 9]);
  });

  it('draws each class as an image on one scale, with forgotten and unused pixels marked', () => {
    const image = { rows: 2, cols: 2, pixels: [null, { group: 0, column: 0 }, { group: 1, column: 1 }, { group: 2, column: 2 }] };
    // d = 3, K = 3: three blocks of weights, then three intercepts.
    const comparison = {
      methods: [
        { method: 'lazy', theta: [1, -2, 0.5, 3, 0, -1, 0.1, 0.2, 0.3, 0, 0, 0] },
        { method: 'second_order', theta: [0, -2, 0.5, 3, 0, -1, 0.1, 0.2, 0.3, 0, 0, 0] },
        { method: 'retrain', theta: [0, -1.5, 0.5, 2, 0, -1, 0.1, 0.2, 0.3, 0, 0, 0] },
      ],
    };
    const view = imageView({ image, nFeatures: 3, nClasses: 3, classNames: ['x', 'y', 'z'], theta: comparison.methods[0].theta, comparison, forgotten: [0] });
    assert.deepEqual(view.series.map((s) => s.method), ['lazy', 'second_order', 'retrain']);
    assert.equal(view.series[0].maps.length, 3);
    assert.ok(Number.isNaN(view.series[0].maps[0][0]), 'an unused pixel');
    assert.deepEqual(Array.from(view.series[1].maps[1]).slice(1), [3, 0, -1]);
    assert.deepEqual([...view.forgotten], [1]);
    assert.deepEqual([...view.dropped], [0]);
    assert.equal(view.max, 3);
    const change = imageView({ image, nFeatures: 3, nClasses: 3, classNames: ['x', 'y', 'z'], theta: comparison.methods[0].theta, comparison, forgotten: [0], mode: 'change' });
    assert.deepEqual(change.series.map((s) => s.method), ['second_order', 'retrain']);
    assert.deepEqual(Array.from(change.series[1].maps[0]).slice(1), [-1, 0.5, 0]);
    assert.deepEqual(colourOf(0, 1), [255, 255, 255]);
    assert.deepEqual(colourOf(-1, 1), [0, 114, 178]);
    assert.deepEqual(colourOf(5, 1), [213, 94, 0]);
  });
});
