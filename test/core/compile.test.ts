import { describe, expect, it } from 'vitest';
import { compileDefinitions, lookupIn, rateSide, rateStatus, rateValue, schoolRates } from '../../src/core/compile';
import { parseExpression, type Expr } from '../../src/core/expr';
import { definitionsWith, ind, rate, rule } from './engine-helpers';

function expr(source: string): Expr {
  const r = parseExpression(source);
  if (!r.ok) throw new Error(`does not parse: ${source}`);
  return r.expr;
}

describe('compileDefinitions', () => {
  const defs = definitionsWith({
    indicators: [ind('A'), ind('B'), ind('C')],
    rules: [rule('R1', 'A + B', '<=', 'C + A'), rule('R2', 'A +', '<=', 'B')],
    rates: [rate('RT', 'A + B', 'C')],
  });

  it('parses every expression once per definitions object', () => {
    const c = compileDefinitions(defs);
    expect(compileDefinitions(defs)).toBe(c);
    expect(compileDefinitions({ ...defs })).not.toBe(c);
    expect(c.indicatorByCode.get('B')).toBe(defs.indicators[1]);
  });

  it('lists each rule’s codes once, left side first', () => {
    expect(compileDefinitions(defs).rules[0]!.refs).toEqual(['A', 'B', 'C']);
  });

  it('keeps a side that does not parse as null, for the definition checks to report', () => {
    const r2 = compileDefinitions(defs).rules[1]!;
    expect(r2.lhs).toBeNull();
    expect(r2.rhs).not.toBeNull();
    expect(r2.refs).toEqual(['B']);
  });
});

describe('rate sides', () => {
  const sum = expr('KG_PUBLIC + KG_INCLUSIVE_PRIVATE');
  const refs = ['KG_PUBLIC', 'KG_INCLUSIVE_PRIVATE'];

  it('counts a blank part as 0 when another part is there, as an Excel sum does', () => {
    expect(rateSide(sum, refs, { KG_PUBLIC: 120, KG_INCLUSIVE_PRIVATE: null })).toBe(120);
    expect(rateSide(sum, refs, { KG_PUBLIC: 120, KG_INCLUSIVE_PRIVATE: 30 })).toBe(150);
  });

  it('is missing when every part is missing, or text, or the expression did not parse', () => {
    expect(rateSide(sum, refs, { KG_PUBLIC: null })).toBeNull();
    expect(rateSide(sum, refs, { KG_PUBLIC: 'n/a', KG_INCLUSIVE_PRIVATE: null })).toBeNull();
    expect(rateSide(null, refs, { KG_PUBLIC: 1 })).toBeNull();
  });

  it('is missing when it evaluates to an error, and a constant side is always there', () => {
    expect(rateSide(expr('A / B'), ['A', 'B'], { A: 1, B: 0 })).toBeNull();
    expect(rateSide(expr('1'), [], {})).toBe(1);
  });

  it('looks codes up as finite numbers only', () => {
    const look = lookupIn({ A: 3, B: 'x', C: null, E: Infinity, F: NaN, G: -0.5 });
    expect([look('A'), look('B'), look('C'), look('D'), look('E'), look('F'), look('G')]).toEqual([3, null, null, null, null, null, -0.5]);
  });
});

describe('rate values and targets', () => {
  const r = rate('R', 'N', 'D', { decimals: 1, target: { op: '>=', value: 96 } });

  it('is numerator ÷ denominator × factor, null without a denominator', () => {
    expect(rateValue(r, 9, 10)).toEqual({ numerator: 9, denominator: 10, value: 90, status: 'not_met' });
    expect(rateValue({ ...r, factor: 1 }, 9, 10).value).toBe(0.9);
    expect(rateValue(r, 5, 0)).toEqual({ numerator: 5, denominator: 0, value: null, status: 'undefined' });
    expect(rateValue(r, null, 10)).toEqual({ numerator: null, denominator: 10, value: null, status: 'undefined' });
    expect(rateValue(r, 5, null).value).toBeNull();
  });

  it('judges the target on the value rounded to the rate’s decimals', () => {
    expect(rateStatus(r, 95.95)).toBe('met'); // 96.0 as published
    expect(rateStatus(r, 95.9499)).toBe('not_met');
    expect(rateStatus({ ...r, decimals: 2 }, 95.95)).toBe('not_met');
    expect(rateStatus(r, null)).toBe('undefined');
    const { target: _t, ...plain } = r;
    expect(rateStatus(plain, 50)).toBe('no_target');
  });

  it('computes every rate of a school in full precision', () => {
    const defs = definitionsWith({ indicators: [ind('N'), ind('D')], rates: [r, rate('HALF', 'N', 'D * 2', { factor: 1 })] });
    const rates = schoolRates(compileDefinitions(defs).rates, { N: 2115, D: 2381 });
    expect(rates.R!.value).toBe((2115 / 2381) * 100);
    expect(rates.HALF!.value).toBe(2115 / 4762);
  });
});
