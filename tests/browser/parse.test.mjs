// Unit tests of the demo's pure input parsing and number formatting (no browser needed).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatIndexList, parseIndexList, parseNumber } from '../../www/parse.js';
import {
  duration as rawDuration,
  factor as rawFactor,
  percent as rawPercent,
  sig as rawSig,
} from '../../www/render/format.js';

describe('parseIndexList', () => {
  it('accepts commas and spaces, sorts, and allows an empty list', () => {
    assert.deepEqual(parseIndexList(' 12, 3 ,7  0', 455, 'Rows').value, [0, 3, 7, 12]);
    assert.deepEqual(parseIndexList('', 455, 'Rows').value, []);
    assert.deepEqual(parseIndexList(' , ', 455, 'Rows').value, []);
    assert.equal(formatIndexList([1, 2, 30]), '1, 2, 30');
  });

  it('names every problem and the valid range', () => {
    const { error, value } = parseIndexList('abc, 99999, 4, 4, -1, 2.5', 455, 'Rows to delete');
    assert.equal(value, undefined);
    assert.match(error, /^Rows to delete: /);
    assert.match(error, /“abc” is not a row index/);
    assert.match(error, /99999 is out of range/);
    assert.match(error, /4 is listed twice/);
    assert.match(error, /and 2 more/);
    assert.match(error, /from 0 to 454/);
    assert.match(parseIndexList('455', 455, 'Rows').error, /455 is out of range/);
  });
});

describe('parseNumber', () => {
  it('checks numbers, ranges and whole numbers', () => {
    assert.equal(parseNumber('0.5', 'λ', { min: 0 }).value, 0.5);
    assert.equal(parseNumber(' 1e-3 ', 'τ', { min: 0 }).value, 0.001);
    assert.match(parseNumber('-1', 'λ', { min: 0 }).error, /^λ: -1 is out of range\. Enter a number ≥ 0\.$/);
    assert.match(parseNumber('', 'λ', { min: 0 }).error, /^λ: the field is empty\. Enter a number ≥ 0\.$/);
    assert.match(parseNumber('x', 'λ').error, /“x” is not a number/);
    assert.match(parseNumber('2.5', 'k', { min: 1, max: 10, integer: true }).error, /“2.5” is not a whole number\. Enter a whole number from 1 to 10\./);
    assert.match(parseNumber('Infinity', 'λ').error, /not a number/);
  });

  it('quotes what was typed: not finite, not a number, never "empty" for text', () => {
    assert.equal(parseNumber('1e400', 'λ', { min: 0 }).error, 'λ: “1e400” is not a finite number. Enter a number ≥ 0.');
    assert.equal(parseNumber('--1', 'λ', { min: 0 }).error, 'λ: “--1” is not a number. Enter a number ≥ 0.');
    assert.equal(parseNumber('e', 'τ').error, 'τ: “e” is not a number. Enter a number.');
    assert.match(parseNumber('0x10', 'k', { integer: true }).error, /“0x10” is not a whole number/);
    assert.match(parseNumber('-1e400', 'x').error, /“-1e400” is not a finite number/);
    assert.equal(parseNumber('.5', 'x').value, 0.5);
    assert.equal(parseNumber('+2.', 'x').value, 2);
    assert.equal(parseNumber('1E-3', 'x').value, 0.001);
    assert.equal(parseNumber('1e-400', 'x').value, 0, 'underflow is a finite number');
  });
});

describe('format', () => {
  // Display strings use no-break spaces; compare them with plain ones.
  const plain = (f) => (value) => f(value).replace(/\u00a0/g, ' ');
  const [sig, percent, duration, factor] = [rawSig, rawPercent, rawDuration, rawFactor].map(plain);

  it('rounds for display', () => {
    assert.equal(sig(1.4068312280795), '1.41');
    assert.equal(sig(0.0682720643), '0.0683');
    assert.equal(sig(-0.5), '−0.500');
    assert.equal(sig(1.4), '1.40');
    assert.equal(sig(12345), '12300');
    assert.equal(sig(0), '0');
    assert.equal(sig(2.618e-15), '2.62 × 10⁻¹⁵');
    assert.equal(sig(123456), '123000');
    assert.equal(sig(1.5e7), '1.50 × 10⁷');
    assert.equal(percent(0.9736842105263158), '97.4 %');
    assert.equal(duration(0), '—');
    assert.equal(duration(0.0000349), '34.9 µs');
    assert.equal(duration(0.00204), '2.04 ms');
    assert.equal(duration(1.5), '1.50 s');
    assert.equal(factor(58.43), '58.4×');
    assert.equal(factor(null), '—');
  });
});
