/**
 * The expression language's syntax tree: a tagged union with source offsets, and its value domain.
 * Used by rules (`lhs op rhs`), rates (numerator, denominator) and dispersions (value, weight).
 */
import type { Bilingual, Comparator } from '../types';

/** Names of the built-in functions (see FUNCTIONS in functions.ts). */
export type FunctionName = 'SUM' | 'MIN' | 'MAX' | 'IF' | 'ISBLANK' | 'ABS' | 'ROUND' | 'COALESCE' | 'AND' | 'OR';

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

/** Codes the expression refers to: unique, in order of first appearance. */
export function referencedCodes(expr: Expr): string[] {
  const seen = new Set<string>();
  const visit = (e: Expr): void => {
    switch (e.kind) {
      case 'number':
        return;
      case 'ref':
        seen.add(e.code);
        return;
      case 'unary':
        visit(e.arg);
        return;
      case 'binary':
      case 'compare':
        visit(e.left);
        visit(e.right);
        return;
      case 'call':
        e.args.forEach(visit);
        return;
    }
  };
  visit(expr);
  return [...seen];
}
