import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, isEvalError, parseExpression, toExcelFormula, type Expr, type FunctionName } from '../../../src/core/expr';
import type { Comparator } from '../../../src/core/types';

interface Golden {
  addresses: Record<string, string>;
  cases: { source: string; excel: string; sheet?: string }[];
}

const golden = JSON.parse(readFileSync(new URL('../../fixtures/expr/excel.json', import.meta.url), 'utf8')) as Golden;

function parsed(source: string): Expr {
  const r = parseExpression(source);
  if (!r.ok) throw new Error(`${source}: ${r.message.en} at ${r.offset}`);
  return r.expr;
}

describe('toExcelFormula: golden', () => {
  it.each(golden.cases)('$source → $excel', ({ source, excel, sheet }) => {
    const address = (code: string): string => {
      const a = golden.addresses[code];
      if (!a) throw new Error(`no address for ${code}`);
      return sheet ? `'${sheet}'!${a}` : a;
    };
    expect(toExcelFormula(parsed(source), address)).toBe(excel);
  });
});

// ─── property: print as Excel, substitute the addresses back, re-parse with our parser: same value ───

const CODES = ['A', 'B', '学生数', 'X.1'] as const;
const SHEET = "'学校A'!";
const addressOf = (code: string): string => `${SHEET}D${CODES.indexOf(code as (typeof CODES)[number]) + 1}`;
const backToCodes = (formula: string): string => formula.replace(/'学校A'!D(\d+)/g, (_, n: string) => CODES[Number(n) - 1]!);

const at = { start: 0, end: 0 };
const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ expr: Expr }>((tie) => {
  const sub = tie('expr');
  const call = (name: FunctionName, args: fc.Arbitrary<Expr[]>): fc.Arbitrary<Expr> => args.map((a) => ({ kind: 'call', name, args: a, ...at }));
  return {
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.oneof(fc.integer({ min: 0, max: 20 }), fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true })).map((value): Expr => ({ kind: 'number', value, ...at })),
      fc.constantFrom(...CODES).map((code): Expr => ({ kind: 'ref', code, ...at })),
      fc.tuple(fc.constantFrom('-' as const, '+' as const), sub).map(([op, arg]): Expr => ({ kind: 'unary', op, arg, ...at })),
      fc.tuple(fc.constantFrom('+' as const, '-' as const, '*' as const, '/' as const), sub, sub).map(([op, left, right]): Expr => ({ kind: 'binary', op, left, right, ...at })),
      fc.tuple(fc.constantFrom<Comparator>('==', '!=', '<', '<=', '>', '>='), sub, sub).map(([op, left, right]): Expr => ({ kind: 'compare', op, left, right, ...at })),
      fc.constantFrom('SUM', 'MIN', 'MAX', 'COALESCE', 'AND', 'OR').chain((name) => call(name as FunctionName, fc.array(sub, { minLength: 1, maxLength: 3 }))),
      call('IF', fc.tuple(sub, sub, sub)),
      call('ABS', fc.tuple(sub)),
      call('ROUND', fc.tuple(sub, fc.integer({ min: -2, max: 4 }).map((value): Expr => ({ kind: 'number', value, ...at })))),
      fc.constantFrom(...CODES).map((code): Expr => ({ kind: 'call', name: 'ISBLANK', args: [{ kind: 'ref', code, ...at }], ...at })),
    ),
  };
}).expr;

const envArb = fc.record(
  Object.fromEntries(CODES.map((c) => [c, fc.option(fc.oneof(fc.constant(0), fc.integer({ min: -50, max: 50 }), fc.double({ min: -1e3, max: 1e3, noNaN: true })), { nil: null, freq: 3 })])) as Record<
    (typeof CODES)[number],
    fc.Arbitrary<number | null>
  >,
);

/** True when any node, evaluated on its own, is an error: the Excel form of COALESCE tests missing values only. */
function errorAnywhere(e: Expr, lookup: (c: string) => number | null): boolean {
  if (isEvalError(evaluate(e, lookup))) return true;
  switch (e.kind) {
    case 'number':
    case 'ref':
      return false;
    case 'unary':
      return errorAnywhere(e.arg, lookup);
    case 'binary':
    case 'compare':
      return errorAnywhere(e.left, lookup) || errorAnywhere(e.right, lookup);
    case 'call':
      return e.args.some((a) => errorAnywhere(a, lookup));
  }
}

function hasCoalesce(e: Expr): boolean {
  switch (e.kind) {
    case 'number':
    case 'ref':
      return false;
    case 'unary':
      return hasCoalesce(e.arg);
    case 'binary':
    case 'compare':
      return hasCoalesce(e.left) || hasCoalesce(e.right);
    case 'call':
      return e.name === 'COALESCE' || e.args.some(hasCoalesce);
  }
}

/** The tree without offsets; `-` before a number literal reads as a negative number, since Excel has no negative literals either. */
function shape(e: Expr): unknown {
  switch (e.kind) {
    case 'number':
      return e.value;
    case 'ref':
      return e.code;
    case 'unary':
      if (e.op === '-' && e.arg.kind === 'number') return -e.arg.value;
      return [e.op, shape(e.arg)];
    case 'binary':
    case 'compare':
      return [e.op, shape(e.left), shape(e.right)];
    case 'call':
      return [e.name, ...e.args.map(shape)];
  }
}

describe('toExcelFormula: properties', () => {
  it('printing as Excel and re-parsing gives the same value', () => {
    fc.assert(
      fc.property(exprArb, envArb, (expr, env) => {
        const lookup = (c: string): number | null => env[c as (typeof CODES)[number]] ?? null;
        fc.pre(!errorAnywhere(expr, lookup));
        const formula = toExcelFormula(expr, addressOf);
        const back = parseExpression(backToCodes(formula));
        expect(back.ok, formula).toBe(true);
        if (back.ok) expect(evaluate(back.expr, lookup)).toEqual(evaluate(expr, lookup));
      }),
      { numRuns: 3000 },
    );
  });

  it('printing and re-parsing keeps the tree (parentheses exactly where precedence needs them)', () => {
    fc.assert(
      fc.property(exprArb, (expr) => {
        fc.pre(!hasCoalesce(expr));
        const formula = toExcelFormula(expr, addressOf);
        const back = parseExpression(backToCodes(formula));
        expect(back.ok, formula).toBe(true);
        if (back.ok) expect(shape(back.expr)).toEqual(shape(expr));
      }),
      { numRuns: 3000 },
    );
  });

  it('adds no parentheses that precedence does not need', () => {
    expect(toExcelFormula(parsed('((A) * (B)) + ((C))'), (c) => c)).toBe('A*B+C');
  });
});
