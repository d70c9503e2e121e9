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
});
