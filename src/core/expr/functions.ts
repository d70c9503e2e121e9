/**
 * The built-in functions, declared once: arity, argument kinds and behaviour.
 * The parser checks calls against this table; the evaluator applies it.
 */
import type { Bilingual } from '../types';
import { isEvalError, type EvalValue, type FunctionName } from './ast';

/** What an argument position accepts: any numeric expression, a condition (non-zero is true), or a bare indicator code. */
export type ArgKind = 'number' | 'condition' | 'ref';

/** A lazily evaluated argument, so IF and COALESCE evaluate only what they need. */
export type Thunk = () => EvalValue;

/** One function's declaration. */
export interface FunctionSpec {
  readonly name: FunctionName;
  readonly minArgs: number;
  /** `Infinity` for variadic functions. */
  readonly maxArgs: number;
  /** Kind of each argument position; the last one repeats for variadic functions. */
  readonly args: readonly ArgKind[];
  readonly doc: Bilingual;
  readonly apply: (args: readonly Thunk[]) => EvalValue;
}

const NUM_ERROR: EvalValue = { error: '#NUM!' };

function finite(x: number): EvalValue {
  return Number.isFinite(x) ? x : NUM_ERROR;
}

/** Folds the arguments that are present; errors win, missing ones are skipped, all missing gives missing. */
function foldPresent(args: readonly Thunk[], op: (acc: number, v: number) => number): EvalValue {
  let acc: number | null = null;
  for (const arg of args) {
    const v = arg();
    if (isEvalError(v)) return v;
    if (v === null) continue;
    acc = acc === null ? v : op(acc, v);
  }
  return acc === null ? null : finite(acc);
}

function truth(v: EvalValue): EvalValue {
  return typeof v === 'number' ? (v !== 0 ? 1 : 0) : v;
}

function first(args: readonly Thunk[], i: number): EvalValue {
  const t = args[i];
  return t ? t() : null;
}

const POWERS_OF_TEN = Array.from({ length: 16 }, (_, k) => 10 ** k);

/** Rounds half away from zero to `digits` decimals (negative digits round to tens, hundreds…), as Excel's ROUND does. */
export function roundHalfAway(x: number, digits: number): number {
  const d = Math.trunc(digits);
  if (!Number.isFinite(x) || x === 0) return x;
  if (d > 300) return x;
  if (d < -308) return 0;
  const sign = x < 0 ? -1 : 1;
  // Most values (rates to two decimals) are nowhere near a half: there the product by 10^d rounds the
  // same way as the exact decimal shift below, and k ÷ 10^d is the same double as the text `ke-d`.
  if (d >= 0 && d <= 15) {
    const p = POWERS_OF_TEN[d]!;
    const y = Math.abs(x) * p;
    if (y < 1e9 && Math.abs(y - Math.floor(y) - 0.5) > 1e-6) return (sign * Math.round(y)) / p;
  }
  // Shift by editing the decimal exponent, so 1.005 → 100.5 exactly rather than 100.49999999999999.
  const shift = (n: number, by: number): number => {
    const [mant, exp] = String(n).split('e');
    return Number(`${mant}e${Number(exp ?? 0) + by}`);
  };
  return sign * shift(Math.round(shift(Math.abs(x), d)), -d);
}

/** Every built-in function, by name. */
export const FUNCTIONS: Readonly<Record<FunctionName, FunctionSpec>> = {
  SUM: {
    name: 'SUM', minArgs: 1, maxArgs: Infinity, args: ['number'],
    doc: { zh: '求和；缺失值跳过，全部缺失则为缺失', en: 'Sum; missing values are skipped, all missing gives missing' },
    apply: (args) => foldPresent(args, (a, b) => a + b),
  },
  MIN: {
    name: 'MIN', minArgs: 1, maxArgs: Infinity, args: ['number'],
    doc: { zh: '最小值；缺失值跳过', en: 'Smallest value; missing values are skipped' },
    apply: (args) => foldPresent(args, Math.min),
  },
  MAX: {
    name: 'MAX', minArgs: 1, maxArgs: Infinity, args: ['number'],
    doc: { zh: '最大值；缺失值跳过', en: 'Largest value; missing values are skipped' },
    apply: (args) => foldPresent(args, Math.max),
  },
  IF: {
    name: 'IF', minArgs: 3, maxArgs: 3, args: ['condition', 'number', 'number'],
    doc: { zh: 'IF(条件, 为真时, 为假时)；条件缺失则为缺失', en: 'IF(condition, when true, when false); a missing condition gives missing' },
    apply: (args) => {
      const c = first(args, 0);
      if (c === null || isEvalError(c)) return c;
      return first(args, c !== 0 ? 1 : 2);
    },
  },
  ISBLANK: {
    name: 'ISBLANK', minArgs: 1, maxArgs: 1, args: ['ref'],
    doc: { zh: 'ISBLANK(代码)：未填报为 1，否则为 0', en: 'ISBLANK(code): 1 when not reported, else 0' },
    apply: (args) => (first(args, 0) === null ? 1 : 0),
  },
  ABS: {
    name: 'ABS', minArgs: 1, maxArgs: 1, args: ['number'],
    doc: { zh: '绝对值', en: 'Absolute value' },
    apply: (args) => {
      const v = first(args, 0);
      return v === null || isEvalError(v) ? v : Math.abs(v);
    },
  },
  ROUND: {
    name: 'ROUND', minArgs: 2, maxArgs: 2, args: ['number', 'number'],
    doc: { zh: 'ROUND(数值, 小数位数)：四舍五入', en: 'ROUND(value, digits): round half away from zero' },
    apply: (args) => {
      const x = first(args, 0);
      if (x === null || isEvalError(x)) return x;
      const n = first(args, 1);
      if (n === null || isEvalError(n)) return n;
      return finite(roundHalfAway(x, n));
    },
  },
  COALESCE: {
    name: 'COALESCE', minArgs: 1, maxArgs: Infinity, args: ['number'],
    doc: { zh: 'COALESCE(a, b, …)：第一个非缺失值（COALESCE(X, 0) 把缺失当作 0）', en: 'COALESCE(a, b, …): the first value that is not missing (COALESCE(X, 0) treats missing as 0)' },
    apply: (args) => {
      for (const arg of args) {
        const v = arg();
        if (v !== null) return v;
      }
      return null;
    },
  },
  AND: {
    name: 'AND', minArgs: 1, maxArgs: Infinity, args: ['condition'],
    doc: { zh: 'AND(条件, …)：全部为真为 1；缺失跳过', en: 'AND(condition, …): 1 when all are true; missing ones are skipped' },
    apply: (args) => truth(foldPresent(args, (a, b) => (a !== 0 && b !== 0 ? 1 : 0))),
  },
  PREV: {
    name: 'PREV', minArgs: 1, maxArgs: 1, args: ['ref'],
    doc: { zh: 'PREV(代码)：该校上期的值（仅用于校验规则；未载入上期或上期未填时，该规则不检查）', en: "PREV(code): the school's value last period (rules only; without last period, or a blank then, the rule is not checked)" },
    // Evaluation reads it from the lookup under previousKey(code); see evaluate.ts.
    apply: () => null,
  },
  OR: {
    name: 'OR', minArgs: 1, maxArgs: Infinity, args: ['condition'],
    doc: { zh: 'OR(条件, …)：任一为真为 1；缺失跳过', en: 'OR(condition, …): 1 when any is true; missing ones are skipped' },
    apply: (args) => truth(foldPresent(args, (a, b) => (a !== 0 || b !== 0 ? 1 : 0))),
  },
};

/** The function with this name (case-insensitive), or `undefined`. */
export function lookupFunction(name: string): FunctionSpec | undefined {
  const upper = name.toUpperCase();
  return Object.prototype.hasOwnProperty.call(FUNCTIONS, upper) ? FUNCTIONS[upper as FunctionName] : undefined;
}

/** The kind expected at argument position `i` of a function. */
export function argKind(spec: FunctionSpec, i: number): ArgKind {
  return spec.args[Math.min(i, spec.args.length - 1)] ?? 'number';
}
