/** Evaluation of an expression tree against a school's (or a group's) values. */
import type { Comparator } from '../types';
import { isEvalError, type EvalValue, type Expr } from './ast';
import { FUNCTIONS } from './functions';

const DIV0: EvalValue = { error: '#DIV/0!' };
const NUM: EvalValue = { error: '#NUM!' };

/** Equality with a relative tolerance of 1e-9, so 0.1 + 0.2 = 0.3 holds as it does in Excel. */
function nearlyEqual(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Compares two numbers with one of the six comparators. */
export function compareNumbers(a: number, op: Comparator, b: number): boolean {
  switch (op) {
    case '==':
      return nearlyEqual(a, b);
    case '!=':
      return !nearlyEqual(a, b);
    case '<':
      return a < b && !nearlyEqual(a, b);
    case '<=':
      return a < b || nearlyEqual(a, b);
    case '>':
      return a > b && !nearlyEqual(a, b);
    case '>=':
      return a > b || nearlyEqual(a, b);
  }
}

/**
 * Evaluates an expression. Missing values propagate as `null` through arithmetic and comparisons
 * (SUM/MIN/MAX skip them; COALESCE and ISBLANK test for them); errors are values, never thrown.
 */
export function evaluate(expr: Expr, lookup: (code: string) => number | null): EvalValue {
  const ev = (e: Expr): EvalValue => {
    switch (e.kind) {
      case 'number':
        return e.value;
      case 'ref':
        return lookup(e.code);
      case 'unary': {
        const v = ev(e.arg);
        if (v === null || isEvalError(v)) return v;
        return e.op === '-' ? -v : v;
      }
      case 'binary': {
        const l = ev(e.left);
        if (isEvalError(l)) return l;
        const r = ev(e.right);
        if (isEvalError(r)) return r;
        if (l === null || r === null) return null;
        let out: number;
        switch (e.op) {
          case '+':
            out = l + r;
            break;
          case '-':
            out = l - r;
            break;
          case '*':
            out = l * r;
            break;
          case '/':
            if (r === 0) return DIV0;
            out = l / r;
            break;
        }
        return Number.isFinite(out) ? out : NUM;
      }
      case 'compare': {
        const l = ev(e.left);
        if (isEvalError(l)) return l;
        const r = ev(e.right);
        if (isEvalError(r)) return r;
        if (l === null || r === null) return null;
        return compareNumbers(l, e.op, r) ? 1 : 0;
      }
      case 'call':
        return FUNCTIONS[e.name].apply(e.args.map((a) => () => ev(a)));
    }
  };
  return ev(expr);
}
