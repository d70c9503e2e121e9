/**
 * A small spreadsheet formula evaluator for tests: enough of Excel's semantics to recalculate the
 * formulas the builders write (arithmetic, comparisons, cross-sheet references and ranges, IF,
 * IFERROR, ISBLANK, COUNT, SUM, AVERAGE, MIN, MAX and their *IFS forms) and compare the results
 * with the values the plans carry.
 */
import { parseCellAddress } from '../../src/core/grid';
import type { SheetPlan } from '../../src/workbook/plan';

type Scalar = number | string | boolean | null | { error: string };
type RangeValue = { range: Scalar[]; blanks: boolean[] };
type Val = Scalar | RangeValue;

/** A cell of a test workbook: a value, or a formula (with a leading `=`). */
export interface EvalCell {
  readonly value?: Scalar;
  readonly formula?: string;
}

/** Sheets by name; each `cells[row][col]`. */
export type EvalBook = Map<string, (EvalCell | undefined)[][]>;

const err = (e: string): { error: string } => ({ error: e });
const isErr = (v: unknown): v is { error: string } => typeof v === 'object' && v !== null && 'error' in v;
const isRange = (v: Val): v is RangeValue => typeof v === 'object' && v !== null && 'range' in v;

/** Adds a plan's cells to a book under the plan's name. */
export function addPlan(book: EvalBook, plan: SheetPlan): void {
  book.set(
    plan.name,
    plan.rows.map((r) => r.cells.map((c) => (c.formula !== undefined ? { formula: c.formula } : { value: (c.value ?? null) as Scalar }))),
  );
}

type Tok = { t: 'num'; v: number } | { t: 'str'; v: string } | { t: 'ref'; sheet: string | null; a: string; b: string | null } | { t: 'name'; v: string } | { t: 'op'; v: string };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const refRe = /^\$?[A-Z]{1,3}\$?\d+(:\$?[A-Z]{1,3}\$?\d+)?/;
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === ' ') {
      i++;
      continue;
    }
    if (/[0-9.]/.test(ch)) {
      const m = /^\d*\.?\d+(e[+-]?\d+)?/i.exec(src.slice(i))!;
      out.push({ t: 'num', v: Number(m[0]) });
      i += m[0].length;
      continue;
    }
    if (ch === '"') {
      let s = '';
      i++;
      for (;;) {
        if (src[i] === '"' && src[i + 1] === '"') {
          s += '"';
          i += 2;
        } else if (src[i] === '"') {
          i++;
          break;
        } else {
          if (i >= src.length) throw new Error(`unterminated string in ${src}`);
          s += src[i++];
        }
      }
      out.push({ t: 'str', v: s });
      continue;
    }
    if (ch === "'") {
      let s = '';
      i++;
      for (;;) {
        if (src[i] === "'" && src[i + 1] === "'") {
          s += "'";
          i += 2;
        } else if (src[i] === "'") {
          i++;
          break;
        } else {
          if (i >= src.length) throw new Error(`unterminated sheet name in ${src}`);
          s += src[i++];
        }
      }
      if (src[i] !== '!') throw new Error(`expected ! after sheet name in ${src}`);
      i++;
      const m = refRe.exec(src.slice(i));
      if (!m) throw new Error(`expected a reference after ${s}! in ${src}`);
      const [a, b] = m[0].split(':');
      out.push({ t: 'ref', sheet: s, a: a!, b: b ?? null });
      i += m[0].length;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '<=' || two === '>=' || two === '<>') {
      out.push({ t: 'op', v: two });
      i += 2;
      continue;
    }
    if ('+-*/(),<>=&'.includes(ch)) {
      out.push({ t: 'op', v: ch });
      i++;
      continue;
    }
    const ref = refRe.exec(src.slice(i));
    if (ref && !/^[A-Z]+\(/.test(src.slice(i))) {
      const [a, b] = ref[0].split(':');
      out.push({ t: 'ref', sheet: null, a: a!, b: b ?? null });
      i += ref[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(src.slice(i));
    if (name) {
      out.push({ t: 'name', v: name[0].toUpperCase() });
      i += name[0].length;
      continue;
    }
    throw new Error(`unexpected ${ch} in ${src}`);
  }
  return out;
}

type Node =
  | { k: 'lit'; v: Scalar }
  | { k: 'ref'; sheet: string | null; a: string; b: string | null }
  | { k: 'un'; op: string; x: Node }
  | { k: 'bin'; op: string; l: Node; r: Node }
  | { k: 'call'; name: string; args: Node[] };

function parse(src: string): Node {
  const toks = tokenize(src);
  let p = 0;
  const peek = (): Tok | undefined => toks[p];
  const isOp = (v: string): boolean => {
    const t = peek();
    return t?.t === 'op' && t.v === v;
  };
  const expect = (v: string): void => {
    if (!isOp(v)) throw new Error(`expected ${v} in ${src}`);
    p++;
  };
  const comparison = (): Node => {
    let l = additive();
    for (;;) {
      const t = peek();
      if (t?.t === 'op' && ['<', '>', '<=', '>=', '=', '<>'].includes(t.v)) {
        p++;
        l = { k: 'bin', op: t.v, l, r: additive() };
      } else return l;
    }
  };
  const additive = (): Node => {
    let l = term();
    for (;;) {
      const t = peek();
      if (t?.t === 'op' && (t.v === '+' || t.v === '-' || t.v === '&')) {
        p++;
        l = { k: 'bin', op: t.v, l, r: term() };
      } else return l;
    }
  };
  const term = (): Node => {
    let l = unary();
    for (;;) {
      const t = peek();
      if (t?.t === 'op' && (t.v === '*' || t.v === '/')) {
        p++;
        l = { k: 'bin', op: t.v, l, r: unary() };
      } else return l;
    }
  };
  const unary = (): Node => {
    const t = peek();
    if (t?.t === 'op' && (t.v === '-' || t.v === '+')) {
      p++;
      return { k: 'un', op: t.v, x: unary() };
    }
    return primary();
  };
  const primary = (): Node => {
    const t = toks[p++];
    if (!t) throw new Error(`unexpected end of ${src}`);
    if (t.t === 'num') return { k: 'lit', v: t.v };
    if (t.t === 'str') return { k: 'lit', v: t.v };
    if (t.t === 'ref') return { k: 'ref', sheet: t.sheet, a: t.a, b: t.b };
    if (t.t === 'op' && t.v === '(') {
      const e = comparison();
      expect(')');
      return e;
    }
    if (t.t === 'name') {
      if (t.v === 'TRUE' || t.v === 'FALSE') return { k: 'lit', v: t.v === 'TRUE' };
      expect('(');
      const args: Node[] = [];
      if (!isOp(')')) {
        args.push(comparison());
        while (isOp(',')) {
          p++;
          args.push(comparison());
        }
      }
      expect(')');
      return { k: 'call', name: t.v, args };
    }
    throw new Error(`unexpected token in ${src}`);
  };
  const e = comparison();
  if (p !== toks.length) throw new Error(`trailing tokens in ${src}`);
  return e;
}

/** Evaluates formulas of a book, cell by cell, with memoisation and cycle detection. */
export class Evaluator {
  private readonly memo = new Map<string, Scalar>();
  private readonly busy = new Set<string>();
  constructor(private readonly book: EvalBook) {}

  /** The value of a cell: its formula's result (a blank result reads as 0, as in Excel), or its value. */
  cell(sheet: string, row: number, col: number): Scalar {
    const key = `${sheet}!${row},${col}`;
    if (this.memo.has(key)) return this.memo.get(key)!;
    const grid = this.book.get(sheet);
    if (!grid) return err('#REF!');
    const c = grid[row]?.[col];
    if (!c) return null;
    if (c.formula === undefined) return c.value ?? null;
    if (this.busy.has(key)) throw new Error(`cycle at ${key}`);
    this.busy.add(key);
    const v = this.formula(c.formula, sheet);
    this.busy.delete(key);
    const out = isRange(v) ? err('#VALUE!') : v === null ? 0 : v;
    this.memo.set(key, out);
    return out;
  }

  /** Evaluates one formula (leading `=` optional) on a sheet. */
  formula(text: string, sheet: string): Val {
    return this.eval(parse(text.startsWith('=') ? text.slice(1) : text), sheet);
  }

  private isBlank(sheet: string, row: number, col: number): boolean {
    const c = this.book.get(sheet)?.[row]?.[col];
    return !c || (c.formula === undefined && (c.value === null || c.value === undefined));
  }

  private range(n: Extract<Node, { k: 'ref' }>, sheet: string): Val {
    const s = n.sheet ?? sheet;
    const a = parseCellAddress(n.a)!;
    if (n.b === null) return this.cell(s, a.row, a.col);
    const b = parseCellAddress(n.b)!;
    const range: Scalar[] = [];
    const blanks: boolean[] = [];
    for (let r = Math.min(a.row, b.row); r <= Math.max(a.row, b.row); r++)
      for (let c = Math.min(a.col, b.col); c <= Math.max(a.col, b.col); c++) {
        range.push(this.cell(s, r, c));
        blanks.push(this.isBlank(s, r, c));
      }
    return { range, blanks };
  }

  private eval(n: Node, sheet: string): Val {
    switch (n.k) {
      case 'lit':
        return n.v;
      case 'ref':
        return this.range(n, sheet);
      case 'un': {
        const x = toNumber(this.eval(n.x, sheet));
        if (isErr(x)) return x;
        return n.op === '-' ? -x : x;
      }
      case 'bin':
        return this.binary(n.op, this.eval(n.l, sheet), this.eval(n.r, sheet));
      case 'call':
        return this.call(n, sheet);
    }
  }

  private binary(op: string, l: Val, r: Val): Val {
    if (isRange(l) || isRange(r)) return err('#VALUE!');
    if (isErr(l)) return l;
    if (isErr(r)) return r;
    if (op === '&') return `${l ?? ''}${r ?? ''}`;
    if (['<', '>', '<=', '>=', '=', '<>'].includes(op)) {
      const a = l ?? 0;
      const b = r ?? 0;
      const cmp = typeof a === typeof b ? (a < b ? -1 : a > b ? 1 : 0) : typeof a === 'string' ? 1 : -1;
      return { '<': cmp < 0, '>': cmp > 0, '<=': cmp <= 0, '>=': cmp >= 0, '=': cmp === 0, '<>': cmp !== 0 }[op]!;
    }
    const a = toNumber(l);
    const b = toNumber(r);
    if (isErr(a)) return a;
    if (isErr(b)) return b;
    switch (op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        return b === 0 ? err('#DIV/0!') : a / b;
    }
    throw new Error(`operator ${op}`);
  }

  private numbersOf(v: Val): number[] | { error: string } {
    if (isRange(v)) {
      for (const x of v.range) if (isErr(x)) return x;
      return v.range.filter((x): x is number => typeof x === 'number');
    }
    if (isErr(v)) return v;
    if (typeof v === 'number') return [v];
    if (typeof v === 'boolean') return [v ? 1 : 0];
    return [];
  }

  private ifs(n: Extract<Node, { k: 'call' }>, sheet: string): number[] | { error: string } {
    const target = this.eval(n.args[0]!, sheet);
    if (!isRange(target)) return err('#VALUE!');
    let keep = target.range.map(() => true);
    for (let i = 1; i + 1 < n.args.length; i += 2) {
      const crit = this.eval(n.args[i]!, sheet);
      const what = this.eval(n.args[i + 1]!, sheet);
      if (!isRange(crit) || crit.range.length !== target.range.length) return err('#VALUE!');
      keep = keep.map((k, j) => k && matches(crit.range[j]!, crit.blanks[j]!, what as Scalar));
    }
    const out: number[] = [];
    target.range.forEach((x, j) => {
      if (keep[j] && typeof x === 'number') out.push(x);
    });
    return out;
  }

  private call(n: Extract<Node, { k: 'call' }>, sheet: string): Val {
    const arg = (i: number): Val => this.eval(n.args[i]!, sheet);
    const all = (): number[] | { error: string } => {
      const out: number[] = [];
      for (const a of n.args) {
        const ns = this.numbersOf(this.eval(a, sheet));
        if (isErr(ns)) return ns;
        out.push(...ns);
      }
      return out;
    };
    switch (n.name) {
      case 'IF': {
        const c = arg(0);
        if (isErr(c)) return c;
        const truthy = typeof c === 'number' ? c !== 0 : c === true;
        return truthy ? arg(1) : n.args.length > 2 ? arg(2) : false;
      }
      case 'IFERROR': {
        const v = arg(0);
        return isErr(v) ? arg(1) : v;
      }
      case 'ISBLANK': {
        const r = n.args[0]!;
        if (r.k !== 'ref') return false;
        const a = parseCellAddress(r.a)!;
        return this.isBlank(r.sheet ?? sheet, a.row, a.col);
      }
      case 'COUNT': {
        let count = 0;
        for (const a of n.args) {
          const v = this.eval(a, sheet);
          if (isRange(v)) count += v.range.filter((x) => typeof x === 'number').length;
          else if (typeof v === 'number') count += 1;
        }
        return count;
      }
      case 'SUM': {
        const ns = all();
        return isErr(ns) ? ns : ns.reduce((a, b) => a + b, 0);
      }
      case 'AVERAGE': {
        const ns = all();
        return isErr(ns) ? ns : ns.length === 0 ? err('#DIV/0!') : ns.reduce((a, b) => a + b, 0) / ns.length;
      }
      case 'MIN': {
        const ns = all();
        return isErr(ns) ? ns : ns.length === 0 ? 0 : Math.min(...ns);
      }
      case 'MAX': {
        const ns = all();
        return isErr(ns) ? ns : ns.length === 0 ? 0 : Math.max(...ns);
      }
      case 'ROUND': {
        const x = toNumber(arg(0));
        const d = toNumber(arg(1));
        if (isErr(x)) return x;
        if (isErr(d)) return d;
        return Math.round(x * 10 ** d) / 10 ** d;
      }
      case 'N': {
        // N: numbers as they are, TRUE as 1, anything else (text, "") as 0.
        const v = arg(0);
        if (isErr(v)) return v;
        if (isRange(v)) return err('#VALUE!');
        return typeof v === 'number' ? v : v === true ? 1 : 0;
      }
      case 'ABS': {
        const x = toNumber(arg(0));
        return isErr(x) ? x : Math.abs(x);
      }
      case 'COUNTIFS': {
        // The same criteria pairs as SUMIFS, over a first range that is itself a criteria range.
        const first = this.eval(n.args[0]!, sheet);
        if (!isRange(first)) return err('#VALUE!');
        let keep = first.range.map(() => true);
        for (let i = 0; i + 1 < n.args.length; i += 2) {
          const crit = this.eval(n.args[i]!, sheet);
          const what = this.eval(n.args[i + 1]!, sheet);
          if (!isRange(crit) || crit.range.length !== first.range.length) return err('#VALUE!');
          keep = keep.map((k, j) => k && matches(crit.range[j]!, crit.blanks[j]!, what as Scalar));
        }
        return keep.filter(Boolean).length;
      }
      case 'SUMIFS': {
        const ns = this.ifs(n, sheet);
        return isErr(ns) ? ns : ns.reduce((a, b) => a + b, 0);
      }
      case 'AVERAGEIFS': {
        const ns = this.ifs(n, sheet);
        return isErr(ns) ? ns : ns.length === 0 ? err('#DIV/0!') : ns.reduce((a, b) => a + b, 0) / ns.length;
      }
      case 'MINIFS': {
        const ns = this.ifs(n, sheet);
        return isErr(ns) ? ns : ns.length === 0 ? 0 : Math.min(...ns);
      }
      case 'MAXIFS': {
        const ns = this.ifs(n, sheet);
        return isErr(ns) ? ns : ns.length === 0 ? 0 : Math.max(...ns);
      }
    }
    throw new Error(`function ${n.name} is not known to the test evaluator`);
  }
}

function toNumber(v: Val): number | { error: string } {
  if (isRange(v)) return err('#VALUE!');
  if (isErr(v)) return v;
  if (v === null) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const t = v.trim();
  if (t !== '' && Number.isFinite(Number(t))) return Number(t);
  return err('#VALUE!');
}

/** Excel's criterion matching for "=text" / "text" / numbers, with ~ escapes and * ? wildcards. */
function matches(cell: Scalar, blank: boolean, crit: Scalar): boolean {
  if (typeof crit === 'number') return cell === crit;
  if (typeof crit !== 'string') return false;
  // A comparison with a number ("<5", ">=-1E+300") matches numeric cells only.
  const cmp = /^(<=|>=|<>|<|>)(.*)$/.exec(crit);
  if (cmp && cmp[2]!.trim() !== '' && Number.isFinite(Number(cmp[2]))) {
    if (typeof cell !== 'number') return cmp[1] === '<>';
    const x = Number(cmp[2]);
    switch (cmp[1]) {
      case '<':
        return cell < x;
      case '<=':
        return cell <= x;
      case '>':
        return cell > x;
      case '>=':
        return cell >= x;
      default:
        return cell !== x;
    }
  }
  let text = crit;
  if (text.startsWith('=')) text = text.slice(1);
  if (text === '') return blank;
  if (typeof cell !== 'string') return false;
  let re = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '~' && i + 1 < text.length) re += escapeRe(text[++i]!);
    else if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else re += escapeRe(ch);
  }
  return new RegExp(`^${re}$`, 'i').test(cell);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
