/** Evaluation of an expression tree against a school's (or a group's) values. */
import type { Comparator } from '../types';
import { isEvalError, previousKey, type EvalValue, type Expr } from './ast';
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

type Lookup = (code: string) => number | null;
type Compiled = (lookup: Lookup) => EvalValue;

// Each tree is turned once into nested functions, one per node: a rule or rate evaluated for every
// school then runs straight through them instead of walking the tree and switching on each node's kind.
const compiled = new WeakMap<Expr, Compiled>();

function compile(e: Expr): Compiled {
  switch (e.kind) {
    case 'number': {
      const value = e.value;
      return () => value;
    }
    case 'ref': {
      const code = e.code;
      return (lookup) => lookup(code);
    }
    case 'unary': {
      const arg = compile(e.arg);
      const negate = e.op === '-';
      return (lookup) => {
        const v = arg(lookup);
        if (v === null || isEvalError(v)) return v;
        return negate ? -v : v;
      };
    }
    case 'binary': {
      const left = compile(e.left);
      const right = compile(e.right);
      const op = e.op;
      return (lookup) => {
        const l = left(lookup);
        if (isEvalError(l)) return l;
        const r = right(lookup);
        if (isEvalError(r)) return r;
        if (l === null || r === null) return null;
        let out: number;
        switch (op) {
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
      };
    }
    case 'compare': {
      const left = compile(e.left);
      const right = compile(e.right);
      const op = e.op;
      return (lookup) => {
        const l = left(lookup);
        if (isEvalError(l)) return l;
        const r = right(lookup);
        if (isEvalError(r)) return r;
        if (l === null || r === null) return null;
        return compareNumbers(l, op, r) ? 1 : 0;
      };
    }
    case 'call': {
      if (e.name === 'PREV' && e.args[0]?.kind === 'ref') {
        const key = previousKey(e.args[0].code);
        return (lookup) => lookup(key);
      }
      const fn = FUNCTIONS[e.name];
      const args = e.args.map(compile);
      return (lookup) => fn.apply(args.map((a) => () => a(lookup)));
    }
  }
}

/**
 * Evaluates an expression. Missing values propagate as `null` through arithmetic and comparisons
 * (SUM/MIN/MAX skip them; COALESCE and ISBLANK test for them); errors are values, never thrown.
 */
export function evaluate(expr: Expr, lookup: Lookup): EvalValue {
  let run = compiled.get(expr);
  if (run === undefined) {
    run = compile(expr);
    compiled.set(expr, run);
  }
  return run(lookup);
}
