/**
 * Parser for the expression language: `(KG_PUBLIC + KG_INCLUSIVE_PRIVATE) × 100 ÷ KG_ENROLLED`, `IF(A > 0, B, 0)`.
 */
// Why hand-written: a tagged-union AST with start/end offsets, CJK identifiers and full-width operators (× ÷ （ ） ＋ －) are simpler to get exactly right in ~250 lines than to bend jsep's generic JS grammar to, and the core stays free of dependencies.
import type { Bilingual, Comparator } from '../types';
import type { Expr, ParseResult } from './ast';
import { argKind, lookupFunction } from './functions';

type Token =
  | { t: 'num'; value: number; start: number; end: number }
  | { t: 'id'; text: string; start: number; end: number }
  | { t: 'arith'; op: '+' | '-' | '*' | '/'; start: number; end: number }
  | { t: 'cmp'; op: Comparator; start: number; end: number }
  | { t: '(' | ')' | ',' | 'eof'; start: number; end: number };

/** Thrown inside the parser only, caught by parseExpression and turned into a ParseResult. */
class SyntaxFailure {
  constructor(readonly offset: number, readonly message: Bilingual) {}
}

const MAX_DEPTH = 200;

/** Full-width and typographic characters folded to their ASCII meaning. */
const FOLD: Readonly<Record<string, string>> = {
  '×': '*', '＊': '*', '÷': '/', '／': '/', '＋': '+', '－': '-', '−': '-', '–': '-',
  '（': '(', '）': ')', '，': ',', '＜': '<', '＞': '>', '＝': '=', '！': '!',
  '．': '.', '　': ' ',
};

function fold(ch: string): string {
  const f = FOLD[ch];
  if (f !== undefined) return f;
  const code = ch.charCodeAt(0);
  if (code >= 0xff10 && code <= 0xff19) return String.fromCharCode(code - 0xfee0); // ０-９
  return ch;
}

const IDENT_START = /[\p{L}_]/u;
const IDENT_PART = /[\p{L}\p{N}\p{M}_.]/u;

function isDigit(ch: string): boolean {
  return ch >= '0' && ch <= '9';
}

function quote(ch: string): string {
  return /\s/u.test(ch) || ch === '' ? JSON.stringify(ch) : `“${ch}”`;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const chars = source;
  let i = 0;
  const at = (k: number): string => fold(chars[k] ?? '');
  while (i < chars.length) {
    const start = i;
    const raw = String.fromCodePoint(chars.codePointAt(i)!);
    const ch = at(i);
    if (/\s/u.test(ch)) {
      i++;
      continue;
    }
    if (isDigit(ch) || (ch === '.' && isDigit(at(i + 1)))) {
      let text = '';
      while (isDigit(at(i))) text += at(i++);
      if (at(i) === '.') {
        text += '.';
        i++;
        while (isDigit(at(i))) text += at(i++);
      }
      if ((at(i) === 'e' || at(i) === 'E') && (isDigit(at(i + 1)) || ((at(i + 1) === '+' || at(i + 1) === '-') && isDigit(at(i + 2))))) {
        text += 'e';
        i++;
        if (at(i) === '+' || at(i) === '-') text += at(i++);
        while (isDigit(at(i))) text += at(i++);
      }
      if (IDENT_START.test(at(i))) {
        throw new SyntaxFailure(i, {
          zh: `数字后不能紧跟 ${quote(String.fromCodePoint(chars.codePointAt(i)!))}（代码须以字母或汉字开头）`,
          en: `${quote(String.fromCodePoint(chars.codePointAt(i)!))} cannot follow a number (codes start with a letter or a Chinese character)`,
        });
      }
      tokens.push({ t: 'num', value: Number(text), start, end: i });
      continue;
    }
    if (IDENT_START.test(raw)) {
      let text = '';
      while (i < chars.length) {
        const c = String.fromCodePoint(chars.codePointAt(i)!);
        if (!IDENT_PART.test(c.length === 1 ? fold(c) : c)) break;
        text += c;
        i += c.length;
      }
      // NFKC folds full-width letters and digits typed through a Chinese IME: ＳＴＵＤＥＮＴＳ is STUDENTS.
      tokens.push({ t: 'id', text: text.normalize('NFKC'), start, end: i });
      continue;
    }
    i++;
    switch (ch) {
      case '+':
      case '-':
      case '*':
      case '/':
        tokens.push({ t: 'arith', op: ch, start, end: i });
        continue;
      case '(':
      case ')':
      case ',':
        tokens.push({ t: ch, start, end: i });
        continue;
      case '≤':
        tokens.push({ t: 'cmp', op: '<=', start, end: i });
        continue;
      case '≥':
        tokens.push({ t: 'cmp', op: '>=', start, end: i });
        continue;
      case '≠':
        tokens.push({ t: 'cmp', op: '!=', start, end: i });
        continue;
      case '=':
        if (at(i) === '=') i++;
        tokens.push({ t: 'cmp', op: '==', start, end: i });
        continue;
      case '!':
        if (at(i) === '=') {
          i++;
          tokens.push({ t: 'cmp', op: '!=', start, end: i });
          continue;
        }
        break;
      case '<':
        if (at(i) === '=') {
          i++;
          tokens.push({ t: 'cmp', op: '<=', start, end: i });
        } else if (at(i) === '>') {
          i++;
          tokens.push({ t: 'cmp', op: '!=', start, end: i });
        } else tokens.push({ t: 'cmp', op: '<', start, end: i });
        continue;
      case '>':
        if (at(i) === '=') {
          i++;
          tokens.push({ t: 'cmp', op: '>=', start, end: i });
        } else tokens.push({ t: 'cmp', op: '>', start, end: i });
        continue;
    }
    throw new SyntaxFailure(start, { zh: `无法识别的字符 ${quote(raw)}`, en: `Unexpected character ${quote(raw)}` });
  }
  tokens.push({ t: 'eof', start: chars.length, end: chars.length });
  return tokens;
}

function tokenText(source: string, tok: Token): string {
  return source.slice(tok.start, tok.end);
}

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly source: string, private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private next(): Token {
    const tok = this.tokens[this.pos]!;
    if (tok.t !== 'eof') this.pos++;
    return tok;
  }

  private unexpected(tok: Token): SyntaxFailure {
    if (tok.t === 'eof') return new SyntaxFailure(tok.start, { zh: '表达式不完整', en: 'Unexpected end of expression' });
    const text = tokenText(this.source, tok);
    return new SyntaxFailure(tok.start, { zh: `此处不应出现 “${text}”`, en: `Unexpected “${text}”` });
  }

  parseAll(): Expr {
    // A formula pasted from Excel starts with `=`; that sign is not a comparison.
    const lead = this.peek();
    if (lead.t === 'cmp' && lead.op === '==' && lead.end - lead.start === 1) this.next();
    if (this.peek().t === 'eof') throw new SyntaxFailure(0, { zh: '表达式为空', en: 'The expression is empty' });
    const expr = this.comparison();
    const tok = this.peek();
    if (tok.t !== 'eof') {
      if (tok.t === ')') throw new SyntaxFailure(tok.start, { zh: '多余的右括号', en: 'Unmatched closing parenthesis' });
      throw this.unexpected(tok);
    }
    return expr;
  }

  /** Lowest precedence, left-associative, as in Excel: `a + b > c` is `(a + b) > c`. */
  private comparison(): Expr {
    let left = this.additive();
    for (let tok = this.peek(); tok.t === 'cmp'; tok = this.peek()) {
      this.next();
      const right = this.additive();
      left = { kind: 'compare', op: tok.op, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private additive(): Expr {
    let left = this.multiplicative();
    for (let tok = this.peek(); tok.t === 'arith' && (tok.op === '+' || tok.op === '-'); tok = this.peek()) {
      this.next();
      const right = this.multiplicative();
      left = { kind: 'binary', op: tok.op, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private multiplicative(): Expr {
    let left = this.unary();
    for (let tok = this.peek(); tok.t === 'arith' && (tok.op === '*' || tok.op === '/'); tok = this.peek()) {
      this.next();
      const right = this.unary();
      left = { kind: 'binary', op: tok.op, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  /** Unary signs bind tightest, as in Excel: `-A * B` is `(-A) * B`. */
  private unary(): Expr {
    const tok = this.peek();
    if (tok.t === 'arith' && (tok.op === '-' || tok.op === '+')) {
      this.next();
      const arg = this.nested(() => this.unary(), tok);
      return { kind: 'unary', op: tok.op, arg, start: tok.start, end: arg.end };
    }
    return this.primary();
  }

  private nested<T>(f: () => T, at: Token): T {
    if (++this.depth > MAX_DEPTH) {
      throw new SyntaxFailure(at.start, { zh: `嵌套层数超过 ${MAX_DEPTH}`, en: `Nested more than ${MAX_DEPTH} levels deep` });
    }
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  private expectClose(open: Token): Token {
    const tok = this.peek();
    if (tok.t === ')') return this.next();
    if (tok.t === 'eof') {
      return this.fail(tok.start, { zh: `缺少右括号（与第 ${open.start + 1} 个字符处的左括号配对）`, en: `Missing closing parenthesis for the one at character ${open.start + 1}` });
    }
    throw this.unexpected(tok);
  }

  private fail(offset: number, message: Bilingual): never {
    throw new SyntaxFailure(offset, message);
  }

  private primary(): Expr {
    const tok = this.next();
    switch (tok.t) {
      case 'num':
        return { kind: 'number', value: tok.value, start: tok.start, end: tok.end };
      case '(': {
        const inner = this.nested(() => this.comparison(), tok);
        const close = this.expectClose(tok);
        // The parenthesised span is kept, so offsets point at what the user sees.
        return { ...inner, start: tok.start, end: close.end };
      }
      case 'id': {
        if (this.peek().t !== '(') return { kind: 'ref', code: tok.text, start: tok.start, end: tok.end };
        return this.call(tok);
      }
      default:
        throw this.unexpected(tok);
    }
  }

  private call(nameTok: Extract<Token, { t: 'id' }>): Expr {
    const spec = lookupFunction(nameTok.text);
    if (!spec) {
      this.fail(nameTok.start, { zh: `未知函数 ${nameTok.text}`, en: `Unknown function ${nameTok.text}` });
    }
    const open = this.next();
    const args: Expr[] = [];
    if (this.peek().t !== ')') {
      for (;;) {
        const arg = this.nested(() => this.comparison(), open);
        if (argKind(spec, args.length) === 'ref' && arg.kind !== 'ref') {
          this.fail(arg.start, { zh: `${spec.name} 的第 ${args.length + 1} 个参数须为指标代码`, en: `Argument ${args.length + 1} of ${spec.name} must be an indicator code` });
        }
        args.push(arg);
        if (this.peek().t !== ',') break;
        this.next();
      }
    }
    const close = this.expectClose(open);
    if (args.length < spec.minArgs || args.length > spec.maxArgs) {
      const want = spec.maxArgs === Infinity ? `≥ ${spec.minArgs}` : spec.minArgs === spec.maxArgs ? `${spec.minArgs}` : `${spec.minArgs}–${spec.maxArgs}`;
      this.fail(nameTok.start, { zh: `${spec.name} 需要 ${want} 个参数，实际为 ${args.length} 个`, en: `${spec.name} takes ${want} argument(s), got ${args.length}` });
    }
    return { kind: 'call', name: spec.name, args, start: nameTok.start, end: close.end };
  }
}

/** Parses an expression; never throws. Accepts full-width digits and operators (× ÷ （ ） ＋ － ，), `=`/`<>` as well as `==`/`!=`, and ≤ ≥ ≠. */
export function parseExpression(source: string): ParseResult {
  try {
    const tokens = tokenize(source);
    return { ok: true, expr: new Parser(source, tokens).parseAll() };
  } catch (e) {
    if (e instanceof SyntaxFailure) return { ok: false, offset: e.offset, message: e.message };
    throw e;
  }
}
