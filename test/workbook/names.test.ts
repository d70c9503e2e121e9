import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formulaString, quoteSheetName, safeSheetName, safeSheetNames, SHEET_NAMES, sheetRef, uniqueHeaders } from '../../src/workbook/names';

describe('sheet names', () => {
  it('has the four sheets in both languages, each a valid name', () => {
    expect(SHEET_NAMES['zh-CN']).toMatchObject({ summary: '全区汇总', report: '校验报告', completeness: '报送情况', template: '填报表' });
    expect(SHEET_NAMES['en-US'].summary).toBe('District summary');
    for (const lang of ['zh-CN', 'en-US'] as const) for (const n of Object.values(SHEET_NAMES[lang])) expect(safeSheetName(n)).toBe(n);
  });

  it('replaces forbidden characters, trims apostrophes and cuts to 31 characters', () => {
    expect(safeSheetName('a[b]c:d*e?f/g\\h')).toBe('a_b_c_d_e_f_g_h');
    expect(safeSheetName("'quoted'")).toBe('quoted');
    expect(safeSheetName('   ')).toBe('Sheet');
    expect(safeSheetName('', [], '学校')).toBe('学校');
    expect(safeSheetName('History')).toBe('History_');
    expect(safeSheetName('x'.repeat(40))).toBe('x'.repeat(31));
    expect(safeSheetName('长'.repeat(40))).toHaveLength(31);
  });

  it('does not split a surrogate pair when cutting', () => {
    const name = `${'a'.repeat(30)}😀b`;
    const safe = safeSheetName(name);
    expect(safe).toBe('a'.repeat(30));
  });

  it('makes names unique ignoring case with a (2), (3)… suffix that still fits', () => {
    expect(safeSheetName('0012345678', ['0012345678'])).toBe('0012345678 (2)');
    expect(safeSheetName('Sheet', ['sheet', 'SHEET (2)'])).toBe('Sheet (3)');
    const long = 'y'.repeat(31);
    const second = safeSheetName(long, [long]);
    expect(second).toBe(`${'y'.repeat(27)} (2)`);
    expect(second.length).toBeLessThanOrEqual(31);
    expect(safeSheetNames(['a', 'A', 'a'])).toEqual(['a', 'A (2)', 'a (3)']);
  });

  it('always returns a valid, unique name (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 40 }), { maxLength: 12 }), (names) => {
        const out = safeSheetNames(names);
        const lower = out.map((n) => n.toLowerCase());
        expect(new Set(lower).size).toBe(out.length);
        for (const n of out) {
          expect(n.length).toBeGreaterThan(0);
          expect(n.length).toBeLessThanOrEqual(31);
          expect(n).not.toMatch(/[[\]:*?/\\]/);
          expect(n.startsWith("'")).toBe(false);
          expect(n.endsWith("'")).toBe(false);
        }
      }),
    );
  });
});

describe('formula quoting', () => {
  it('always single-quotes sheet names and doubles inner quotes', () => {
    expect(quoteSheetName('0012345678')).toBe("'0012345678'");
    expect(quoteSheetName("O'Brien")).toBe("'O''Brien'");
    expect(sheetRef('城关 一小', 'D14')).toBe("'城关 一小'!D14");
    expect(formulaString('say "hi"')).toBe('"say ""hi"""');
  });

  it('makes table headers unique and non-empty', () => {
    expect(uniqueHeaders(['a', 'A', '', 'a'])).toEqual(['a', 'A 2', 'Column3', 'a 3']);
  });
});
