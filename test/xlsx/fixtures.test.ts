import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readWorkbookFileSync, readXlsx } from '../../src/xlsx';
import type { SheetGrid } from '../../src/core/grid';
import { GENERATED } from './fixtures';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/xlsx');
const load = (name: string): Uint8Array => new Uint8Array(readFileSync(path.join(dir, name)));

function bookOf(name: string): SheetGrid[] {
  const r = readXlsx(load(name), name);
  if ('issue' in r) throw new Error(`${name}: ${JSON.stringify(r.issue)}`);
  return [...r.book.sheets];
}

describe('committed fixtures match their generators', () => {
  for (const [name, make] of Object.entries(GENERATED)) {
    it(name, () => {
      const bytes = make();
      const file = path.join(dir, name);
      if (process.env['HUIZONG_UPDATE_FIXTURES'] === '1' || !existsSync(file)) writeFileSync(file, bytes);
      expect(Buffer.from(load(name)).equals(Buffer.from(bytes))).toBe(true);
    });
  }
});

describe('Excel-style fixture', () => {
  const [sheet, hidden, more] = bookOf('excel-basic.xlsx');

  it('keeps worksheets in order, hidden ones included, chart sheets left out', () => {
    expect(sheet!.name).toBe('填报表');
    expect(hidden!.name).toBe('隐藏 & 辅助');
    expect(more).toBeUndefined();
  });

  it('reads shared strings: rich runs joined, phonetic text dropped, entities and _x000D_ decoded', () => {
    expect(sheet!.values[1]![0]).toBe('教职工 人数');
    expect(sheet!.values[2]![0]).toBe('A & B <c>');
    expect(sheet!.values[3]![0]).toBe('line1\r\nline2');
    expect(sheet!.values[6]![4]).toBe('');
  });

  it('keeps text that looks like a formula as text, with no formula', () => {
    expect(sheet!.values[4]![0]).toBe('=SUM(A1)');
    expect(sheet!.formulas![4]![0]).toBeNull();
  });

  it('keeps a code with leading zeros as text and its text format', () => {
    expect(sheet!.values[0]![1]).toBe('0012345678');
    expect(sheet!.numberFormats![0]![1]).toBe('@');
  });

  it('knows built-in and custom number formats, through cellXfs only', () => {
    const f = sheet!.numberFormats!;
    expect(f[1]).toEqual([null, '#,##0', '0%', '0.0%']);
    expect(f[4]![4]).toBe('yyyy/m/d');
    expect(f[6]![3]).toBe('yyyy"年"m"月"d"日"');
    expect(f[2]![1]).toBeNull();
  });

  it('reads numbers, booleans, errors, formula strings and cached results', () => {
    expect(sheet!.values[1]!.slice(1)).toEqual([2381, 0.95, 0.8884]);
    expect(sheet!.values[6]!.slice(0, 3)).toEqual([true, { error: '#DIV/0!' }, 'xy']);
    expect(sheet!.formulas![6]!.slice(0, 3)).toEqual([null, '=1/0', '="x"&"y"']);
  });

  it('expands shared formulas from their master', () => {
    expect(sheet!.formulas!.slice(2, 5).map((r) => r[3])).toEqual(['=B3+C3', '=B4+C4', '=B5+C5']);
    expect(sheet!.values.slice(2, 5).map((r) => r[3])).toEqual([30, 3, 11]);
  });

  it('keeps a formula without a cached value as a formula over a blank', () => {
    expect(sheet!.values[7]![1]).toBeNull();
    expect(sheet!.formulas![7]![1]).toBe('=SUM(B2:B5)');
  });

  it('fills a skipped row and gives formulas and formats the shape of values', () => {
    expect(sheet!.values[5]).toEqual([]);
    expect(sheet!.values).toHaveLength(8);
    sheet!.values.forEach((row, r) => {
      expect(sheet!.formulas![r]).toHaveLength(row.length);
      expect(sheet!.numberFormats![r]).toHaveLength(row.length);
    });
  });

  it('reads merged ranges', () => {
    expect(sheet!.merges).toEqual([
      { r0: 9, c0: 0, r1: 9, c1: 2 },
      { r0: 0, c0: 4, r1: 1, c1: 5 },
    ]);
  });
});

describe('WPS-style fixture (inline strings, no r attributes)', () => {
  const [sheet] = bookOf('wps-inline.xlsx');

  it('places rows and cells by order when r is missing', () => {
    expect(sheet!.values[0]).toEqual(['学校代码', '0012345678']);
    expect(sheet!.values[3]).toEqual(['代码', '指标', '单位', '数值']);
    expect(sheet!.values[4]).toEqual(['STUDENTS', '在校生数', '人', '1,234']);
    expect(sheet!.values[5]).toEqual(['TEACHERS', '专任教师数', '人', 88]);
  });

  it('jumps to a row given by r and continues after it', () => {
    expect(sheet!.values[9]).toEqual(['STAFF_VACC_RATE', '接种率', '%', 0.9]);
    expect(sheet!.values[10]).toEqual(['富文本']);
    expect(sheet!.values[2]).toEqual([]);
  });

  it('takes formats from cellXfs, not cellStyleXfs', () => {
    expect(sheet!.numberFormats![5]![3]).toBe('#,##0');
    expect(sheet!.numberFormats![9]![3]).toBe('0.00%');
    expect(sheet!.numberFormats![4]![3]).toBeNull();
  });
});

describe('prefixed fixture (x: elements, 1904 dates)', () => {
  const [sheet] = bookOf('prefixed-1904.xlsx');

  it('reads prefixed parts', () => {
    expect(sheet!.name).toBe('Лист1');
    expect(sheet!.values[0]).toEqual(['名称 "甲"', '一二三']);
    expect(sheet!.values[1]).toEqual([2, 3, 5]);
    expect(sheet!.formulas![1]![2]).toBe('=A2+B2');
    expect(sheet!.merges).toEqual([{ r0: 4, c0: 0, r1: 4, c1: 1 }]);
  });

  it('moves 1904-system dates to the 1900 system so every workbook agrees', () => {
    // Serial 0 in the 1904 system is 1 Jan 1904 = 1462 in the 1900 system.
    expect(sheet!.values[2]![0]).toBe(1462);
    expect(sheet!.numberFormats![2]![0]).toBe('yyyy/m/d');
    // t="d" ISO dates become 1900-system serials: 2024-09-01 = 45536.
    expect(sheet!.values[2]![1]).toBe(45536);
  });
});

describe('error fixtures each give one issue', () => {
  const cases: [string, string, Record<string, unknown>][] = [
    ['error.empty.xlsx', 'file.empty', {}],
    ['error.not-a-workbook.xlsx', 'file.unreadable', {}],
    ['error.truncated.xlsx', 'file.unreadable', {}],
    ['error.encrypted.xlsx', 'file.encrypted', {}],
    // A few lines of text under a workbook's name.
    ['error.not-zip.xlsx', 'file.unreadable', { why: 'text' }],
    ['error.old.xls', 'file.unsupported_format', { format: 'xls', saveAs: '.xlsx' }],
  ];
  for (const [name, code, params] of cases) {
    it(`${name} → ${code}`, () => {
      const r = readWorkbookFileSync(load(name), name);
      expect(r.book).toBeNull();
      expect(r.issues).toHaveLength(1);
      expect(r.issues[0]).toMatchObject({ code, severity: 'error', file: name, params: { file: name, ...params } });
    });
  }

  it('error.old.xls was written by LibreOffice as a real BIFF8 workbook (not an encrypted package)', () => {
    const bytes = load('error.old.xls');
    expect([...bytes.subarray(0, 4)]).toEqual([0xd0, 0xcf, 0x11, 0xe0]);
    expect(readXlsx(bytes, 'renamed.xlsx')).toMatchObject({ issue: { code: 'file.unsupported_format', params: { format: 'xls' } } });
  });
});
