/** Printing an expression tree as an Excel formula, so a rate can be written live into the workbook. */
import type { Comparator, MissingStrategy } from '../types';
import { referencedCodes, type Expr } from './ast';

const EXCEL_COMPARATOR: Readonly<Record<Comparator, string>> = { '==': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

/** Binding strength, as in Excel: comparison < additive < multiplicative < unary sign < atom. */
function precedence(e: Expr): number {
  switch (e.kind) {
    case 'compare':
      return 1;
    case 'binary':
      return e.op === '+' || e.op === '-' ? 2 : 3;
    case 'unary':
      return 4;
    case 'number':
      return e.value < 0 || Object.is(e.value, -0) ? 4 : 5;
    case 'ref':
    case 'call':
      return 5;
  }
}

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return '#NUM!';
  return String(n).toUpperCase();
}

/**
 * Prints the expression as an Excel formula (no leading `=`), each code replaced by `addressOf(code)`
 * (e.g. `D14` or `'学校A'!D14`). Parentheses are added only where precedence needs them; COALESCE
 * becomes nested `IF(ISBLANK(…), …, …)`. Excel counts a blank cell as 0 in arithmetic where this
 * language propagates "missing"; only ISBLANK, COALESCE and SUM/MIN/MAX carry over exactly.
 */
export function toExcelFormula(expr: Expr, addressOf: (code: string) => string): string {
  const wrap = (e: Expr, parens: boolean): string => (parens ? `(${print(e)})` : print(e));

  const anyOf = (tests: (string | null)[]): string | null => {
    const real = tests.filter((t): t is string => t !== null);
    if (real.length === 0) return null;
    return real.length === 1 ? real[0]! : `OR(${real.join(',')})`;
  };
  const allOf = (tests: (string | null)[]): string | null => {
    if (tests.some((t) => t === null)) return null;
    return tests.length === 1 ? tests[0]! : `AND(${tests.join(',')})`;
  };

  /** An Excel condition that is true when `e` evaluates to missing, or `null` when it never can. */
  const blankTest = (e: Expr): string | null => {
    switch (e.kind) {
      case 'number':
        return null;
      case 'ref':
        return `ISBLANK(${addressOf(e.code)})`;
      case 'unary':
        return blankTest(e.arg);
      case 'binary':
      case 'compare':
        return anyOf([blankTest(e.left), blankTest(e.right)]);
      case 'call':
        switch (e.name) {
          // PREV is for rules only (the definition checks refuse it in a rate): nothing of last period is on a sheet.
          case 'ISBLANK':
          case 'PREV':
            return null;
          case 'ABS':
          case 'ROUND':
            return anyOf(e.args.map(blankTest));
          case 'SUM':
          case 'MIN':
          case 'MAX':
          case 'COALESCE':
          case 'AND':
          case 'OR':
            return allOf(e.args.map(blankTest));
          case 'IF': {
            const [c, a, b] = e.args as [Expr, Expr, Expr];
            const ta = blankTest(a);
            const tb = blankTest(b);
            const branch = ta === null && tb === null ? null : `IF(${print(c)},${ta ?? '0'},${tb ?? '0'})`;
            return anyOf([blankTest(c), branch]);
          }
        }
    }
  };

  /** Prints like a function call would: an atom, so callers never need to parenthesise it. */
  const coalesce = (args: readonly Expr[]): string => {
    const [head, ...rest] = args;
    if (!head) return '0';
    const test = rest.length === 0 ? null : blankTest(head);
    return test === null ? wrap(head, precedence(head) < 5) : `IF(${test},${coalesce(rest)},${print(head)})`;
  };

  const print = (e: Expr): string => {
    switch (e.kind) {
      case 'number':
        return formatNumber(e.value);
      case 'ref':
        return addressOf(e.code);
      case 'unary':
        return `${e.op}${wrap(e.arg, precedence(e.arg) < 4)}`;
      case 'binary':
      case 'compare': {
        const p = precedence(e);
        const op = e.kind === 'compare' ? EXCEL_COMPARATOR[e.op] : e.op;
        return `${wrap(e.left, precedence(e.left) < p)}${op}${wrap(e.right, precedence(e.right) <= p)}`;
      }
      case 'call':
        if (e.name === 'COALESCE') return coalesce(e.args);
        return `${e.name}(${e.args.map(print).join(',')})`;
    }
  };

  return print(expr);
}

/** How a rule is judged, as `validate` judges it: its comparison, tolerance and missing-value strategy. */
export interface RuleTest {
  readonly op: Comparator;
  readonly tolerance?: number;
  readonly missing: MissingStrategy;
}

/**
 * A rule as an Excel condition that is TRUE when the rule fails on the cells `addressOf` gives, as
 * the engine's validation judges it: skipped (FALSE) by its missing-value strategy, and when one of
 * its cells holds something that is not a number (the cell's own check reports that); missing
 * values read as 0 unless the rule is skipped when any is missing; comparisons with the engine's
 * relative tolerance of 1e-9 and the rule's own; an error (a division by 0) is a failure, as the
 * engine reports it. Only COUNT, COUNTA, N, ABS, MAX, AND, OR, NOT, IF, IFERROR and the
 * expression's own functions are used: Excel 2010, WPS and LibreOffice all have them.
 */
export function toExcelRuleFailure(lhs: Expr, rhs: Expr, test: RuleTest, addressOf: (code: string) => string): string {
  const refs = [...new Set([...referencedCodes(lhs), ...referencedCodes(rhs)])];
  const cells = refs.map(addressOf);
  const list = cells.join(',');
  const skips: string[] = [];
  if (cells.length > 0) {
    skips.push(`COUNTA(${list})>COUNT(${list})`);
    if (test.missing === 'skip_if_any_missing') skips.push(`COUNT(${list})<${cells.length}`);
    else if (test.missing === 'skip_if_all_missing') skips.push(`COUNT(${list})=0`);
  }
  // Missing values are 0 to the engine unless the rule is skipped when any is missing; N() reads a blank as 0 even inside MIN and MAX.
  const at = test.missing === 'skip_if_any_missing' ? addressOf : (code: string): string => `N(${addressOf(code)})`;
  const l = toExcelFormula(lhs, at);
  const r = toExcelFormula(rhs, at);
  const L = `(${l})`;
  const R = `(${r})`;
  const near = `ABS(${L}-${R})<=1E-9*MAX(1,ABS(${L}),ABS(${R}))`;
  const tol = test.tolerance ?? 0;
  let holds: string;
  if (test.op === '==' && tol > 0) holds = `ABS(${L}-${R})<=${formatNumber(tol)}+1E-9*MAX(1,ABS(${L}),ABS(${R}))`;
  else if (test.op === '!=' && tol > 0) holds = `ABS(${L}-${R})>${formatNumber(tol)}`;
  else {
    switch (test.op) {
      case '==':
        holds = near;
        break;
      case '!=':
        holds = `NOT(${near})`;
        break;
      case '<':
        holds = `AND(${L}<${R},NOT(${near}))`;
        break;
      case '<=':
        holds = `OR(${L}<${R},${near})`;
        break;
      case '>':
        holds = `AND(${L}>${R},NOT(${near}))`;
        break;
      case '>=':
        holds = `OR(${L}>${R},${near})`;
        break;
    }
  }
  const fails = `IFERROR(NOT(${holds}),TRUE)`;
  return skips.length === 0 ? fails : `IF(OR(${skips.join(',')}),FALSE,${fails})`;
}
