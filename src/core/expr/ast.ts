/**
 * The expression language's syntax tree: a tagged union with source offsets, and its value domain.
 * Used by rules (`lhs op rhs`), rates (numerator, denominator) and dispersions (value, weight).
 */
import type { Bilingual, Comparator } from '../types';

/** Names of the built-in functions (see FUNCTIONS in functions.ts). */
export type FunctionName = 'SUM' | 'MIN' | 'MAX' | 'IF' | 'ISBLANK' | 'ABS' | 'ROUND' | 'COALESCE' | 'AND' | 'OR' | 'PREV';

/** A parsed expression; `start`/`end` are UTF-16 offsets into the source (end exclusive). */
export type Expr =
  | { kind: 'number'; value: number; start: number; end: number }
  | { kind: 'ref'; code: string; start: number; end: number }
  | { kind: 'unary'; op: '-' | '+'; arg: Expr; start: number; end: number }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/'; left: Expr; right: Expr; start: number; end: number }
  | { kind: 'compare'; op: Comparator; left: Expr; right: Expr; start: number; end: number }
  | { kind: 'call'; name: FunctionName; args: Expr[]; start: number; end: number };

/** The result of parsing: the tree, or where and why parsing failed. */
export type ParseResult = { ok: true; expr: Expr } | { ok: false; offset: number; message: Bilingual };

/** An evaluation error, as Excel would show it. */
export type EvalError = { error: '#DIV/0!' | '#VALUE!' | '#REF!' | '#NUM!' };

/** What an expression evaluates to: a number, `null` for missing, or an error value. Comparisons give 1 or 0. */
export type EvalValue = number | null /* missing */ | EvalError;

/** True when an evaluation result is an error value. */
export function isEvalError(v: EvalValue): v is EvalError {
  return typeof v === 'object' && v !== null;
}

/**
 * The key under which an evaluation's lookup is asked for an indicator's last-period value: `PREV(X)`
 * looks up `X@PREV`. `@` is in no indicator code, so a lookup that knows no last period gives missing.
 */
export function previousKey(code: string): string {
  return `${code}@PREV`;
}

/** Calls `fn` on every node of `expr`, a node before its children; `fn` giving false skips the node's children. */
function eachNode(expr: Expr, fn: (e: Expr) => boolean | void): void {
  if (fn(expr) === false) return;
  switch (expr.kind) {
    case 'number':
    case 'ref':
      return;
    case 'unary':
      eachNode(expr.arg, fn);
      return;
    case 'binary':
    case 'compare':
      eachNode(expr.left, fn);
      eachNode(expr.right, fn);
      return;
    case 'call':
      for (const a of expr.args) eachNode(a, fn);
      return;
  }
}

/** Codes the expression reads last period's value of (`PREV(X)`): unique, in order of first appearance. */
export function previousCodes(expr: Expr): string[] {
  const seen = new Set<string>();
  eachNode(expr, (e) => {
    if (e.kind !== 'call' || e.name !== 'PREV' || e.args[0]?.kind !== 'ref') return;
    seen.add(e.args[0].code);
    return false;
  });
  return [...seen];
}

/** Codes the expression refers to: unique, in order of first appearance. */
export function referencedCodes(expr: Expr): string[] {
  const seen = new Set<string>();
  eachNode(expr, (e) => {
    if (e.kind === 'ref') seen.add(e.code);
  });
  return [...seen];
}
