import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseExpression, referencedCodes, type Expr } from '../../../src/core/expr';

const dir = new URL('../../fixtures/expr/', import.meta.url);
const errorFiles = readdirSync(dir).filter((f) => f.startsWith('error.') && f.endsWith('.json'));

interface ErrorCase {
  source: string;
  offset: number;
  en: string;
}

/** The tree without offsets, to compare shapes. */
function shape(e: Expr): unknown {
  switch (e.kind) {
    case 'number':
      return e.value;
    case 'ref':
      return e.code;
    case 'unary':
      return [e.op, shape(e.arg)];
    case 'binary':
    case 'compare':
      return [e.op, shape(e.left), shape(e.right)];
    case 'call':
      return [e.name, ...e.args.map(shape)];
  }
}

function parsed(source: string): Expr {
  const r = parseExpression(source);
  if (!r.ok) throw new Error(`${source}: ${r.message.en} at ${r.offset}`);
  return r.expr;
}

describe('parseExpression: precedence and associativity', () => {
  it.each([
    ['A + B * C', ['+', 'A', ['*', 'B', 'C']]],
    ['A * B + C', ['+', ['*', 'A', 'B'], 'C']],
    ['A - B - C', ['-', ['-', 'A', 'B'], 'C']],
    ['A / B / C', ['/', ['/', 'A', 'B'], 'C']],
    ['A / B * C', ['*', ['/', 'A', 'B'], 'C']],
    ['A - (B - C)', ['-', 'A', ['-', 'B', 'C']]],
    ['-A * B', ['*', ['-', 'A'], 'B']],
    ['-(A * B)', ['-', ['*', 'A', 'B']]],
    ['- -A', ['-', ['-', 'A']]],
    ['A + B > C * 2', ['>', ['+', 'A', 'B'], ['*', 'C', 2]]],
    ['A > B == 1', ['==', ['>', 'A', 'B'], 1]],
    ['A = B', ['==', 'A', 'B']],
    ['A <> B', ['!=', 'A', 'B']],
    ['A ≥ B', ['>=', 'A', 'B']],
    ['IF(A > 0, B / A, 0)', ['IF', ['>', 'A', 0], ['/', 'B', 'A'], 0]],
    ['round(A, 2)', ['ROUND', 'A', 2]],
    ['=A/B*100', ['*', ['/', 'A', 'B'], 100]],
    ['＝A＝B', ['==', 'A', 'B']],
  ])('%s', (source, expected) => {
    expect(shape(parsed(source))).toEqual(expected);
  });
});

describe('parseExpression: full-width input', () => {
  it.each([
    ['A × B ÷ C', 'A * B / C'],
    ['（A ＋ B）－ C', '(A + B) - C'],
    ['ＳＵＭ（A，B）', 'SUM(A, B)'],
    ['１２．５ ＊ A ／ ２', '12.5 * A / 2'],
    ['A　＜＝　B', 'A <= B'],
    ['A ＞ B', 'A > B'],
    ['A ！＝ B', 'A != B'],
    ['A − B', 'A - B'],
    ['ＳＴＵＤＥＮＴＳ．１ + 1', 'STUDENTS.1 + 1'],
  ])('%s reads as %s', (full, ascii) => {
    expect(shape(parsed(full))).toEqual(shape(parsed(ascii)));
  });

  it('keeps CJK identifiers verbatim', () => {
    expect(shape(parsed('在园幼儿数 ÷ 适龄人口 × 100'))).toEqual(['*', ['/', '在园幼儿数', '适龄人口'], 100]);
    expect(shape(parsed('𠀀码 + 1'))).toEqual(['+', '𠀀码', 1]);
  });
});

describe('parseExpression: offsets', () => {
  it('records start and end of every node', () => {
    const e = parsed('SUM(AB, 12) * -C');
    expect(e).toMatchObject({ kind: 'binary', start: 0, end: 16 });
    if (e.kind !== 'binary') throw new Error('binary');
    expect(e.left).toMatchObject({ kind: 'call', start: 0, end: 11 });
    expect(e.right).toMatchObject({ kind: 'unary', start: 14, end: 16, arg: { kind: 'ref', code: 'C', start: 15, end: 16 } });
    if (e.left.kind !== 'call') throw new Error('call');
    expect(e.left.args[0]).toMatchObject({ kind: 'ref', code: 'AB', start: 4, end: 6 });
    expect(e.left.args[1]).toMatchObject({ kind: 'number', value: 12, start: 8, end: 10 });
  });

  it('widens a parenthesised expression to its parentheses', () => {
    expect(parsed('（A + B）')).toMatchObject({ kind: 'binary', start: 0, end: 7 });
  });

  it('rejects nesting deeper than the limit with an offset rather than overflowing the stack', () => {
    const deep = '('.repeat(5000) + '1' + ')'.repeat(5000);
    const r = parseExpression(deep);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.offset).toBeLessThan(5000);
    expect(parseExpression('-'.repeat(5000) + '1').ok).toBe(false);
    expect(parseExpression('('.repeat(100) + '1' + ')'.repeat(100)).ok).toBe(true);
  });
});

describe.each(errorFiles)('golden must-fail fixtures: %s', (file) => {
  const cases = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as ErrorCase[];
  it.each(cases)('$source fails at $offset', ({ source, offset, en }) => {
    const r = parseExpression(source);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.offset).toBe(offset);
    expect(r.message.en).toContain(en);
    expect(r.message.zh.length).toBeGreaterThan(0);
    expect(r.message.zh).not.toBe(r.message.en);
  });
});

describe('referencedCodes', () => {
  it('lists unique codes in order of first appearance', () => {
    expect(referencedCodes(parsed('B + A * B + IF(ISBLANK(C), A, 学生数)'))).toEqual(['B', 'A', 'C', '学生数']);
    expect(referencedCodes(parsed('1 + 2'))).toEqual([]);
  });
});
