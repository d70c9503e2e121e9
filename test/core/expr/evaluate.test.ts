import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluate, FUNCTIONS, parseExpression, roundHalfAway, type EvalValue } from '../../../src/core/expr';

interface Case {
  source: string;
  env: Record<string, number>;
  expected: EvalValue;
}

const cases = JSON.parse(readFileSync(new URL('../../fixtures/expr/cases.json', import.meta.url), 'utf8')) as Case[];

function run(source: string, env: Record<string, number | null>): EvalValue {
  const r = parseExpression(source);
  if (!r.ok) throw new Error(`${source}: ${r.message.en} at ${r.offset}`);
  return evaluate(r.expr, (code) => env[code] ?? null);
}

describe('evaluate: golden cases', () => {
  it.each(cases)('$source', ({ source, env, expected }) => {
    const got = run(source, env);
    if (typeof expected === 'number' && typeof got === 'number') expect(got).toBeCloseTo(expected, 9);
    else expect(got).toEqual(expected);
  });
});

describe('evaluate: missing values and errors', () => {
  it('never throws, whatever the lookup returns', () => {
    expect(() => run('A / B + SUM(C, D) * IF(E > 0, 1 / 0, 2)', { E: 1 })).not.toThrow();
    expect(run('A / B + SUM(C, D) * IF(E > 0, 1 / 0, 2)', { A: 1, B: 1, C: 1, E: 1 })).toEqual({ error: '#DIV/0!' });
  });

  it('evaluates only the branch IF takes and stops COALESCE at the first present value', () => {
    const asked: string[] = [];
    const r = parseExpression('IF(A > 0, B, C) + COALESCE(D, E, F)');
    if (!r.ok) throw new Error(r.message.en);
    const values: Record<string, number> = { A: 1, B: 2, C: 3, E: 5 };
    expect(evaluate(r.expr, (c) => (asked.push(c), values[c] ?? null))).toBe(7);
    expect(asked).toEqual(['A', 'B', 'D', 'E']);
  });

  it('declares every function with a consistent arity', () => {
    for (const spec of Object.values(FUNCTIONS)) {
      expect(spec.minArgs).toBeLessThanOrEqual(spec.maxArgs);
      expect(spec.args.length).toBeGreaterThan(0);
      expect(spec.doc.zh && spec.doc.en).toBeTruthy();
    }
  });
});

describe('roundHalfAway', () => {
  it.each([
    [1.005, 2, 1.01],
    [2.5, 0, 3],
    [-2.5, 0, -3],
    [88.835, 2, 88.84],
    [1234.5678, -2, 1200],
    [1e-7, 2, 0],
    [0.000001234, 8, 0.00000123],
    [5, 1e6, 5],
  ])('ROUND(%d, %d) = %d', (x, d, want) => {
    expect(roundHalfAway(x, d)).toBe(want);
  });

  /** Rounding on the decimal text of the number, digit shift by exponent: the definition. */
  const byText = (x: number, d: number): number => {
    if (!Number.isFinite(x) || x === 0) return x;
    const shift = (n: number, by: number): number => {
      const [mant, exp] = String(n).split('e');
      return Number(`${mant}e${Number(exp ?? 0) + by}`);
    };
    return (x < 0 ? -1 : 1) * shift(Math.round(shift(Math.abs(x), d)), -d);
  };

  it('gives what rounding the decimal text gives, for any number and digits, halves included', () => {
    const halves = fc.tuple(fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: 0, max: 6 })).map(([k, d]) => Number(`${k}5e-${d + 1}`));
    const near = fc.tuple(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: -3, max: 3 })).map(([k, d, u]) => Number(`${k}5e-${d + 1}`) * (1 + u * Number.EPSILON));
    fc.assert(
      fc.property(fc.oneof(fc.double({ noNaN: true }), halves, near, fc.integer()), fc.integer({ min: -3, max: 17 }), (x, d) => {
        expect(Object.is(roundHalfAway(x, d), byText(x, d)) || roundHalfAway(x, d) === byText(x, d)).toBe(true);
      }),
      { numRuns: 20000 },
    );
  });
});
