import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SHEET_COLUMNS, SHEET_ROWS, type CellValue, type MergeRange, type SheetGrid, type WorkbookGrid } from '../../src/core/grid';
import { labelKey, readSubmissions, type SubmissionsRead } from '../../src/core/layout';
import { normalizeLabel } from '../../src/core/definitions/text';
import { builtinPreset } from '../../src/core/preset';
import type { Definitions, FormLayout, Lang, SheetLayout, Submission, TableLayout } from '../../src/core/types';
import { buildTemplatePlan, planToGrid } from '../../src/workbook';

const defs: Definitions = { ...builtinPreset(), period: '2026 秋季' };
const formLayout = defs.layout as FormLayout;
const school = { code: '0012345678', name: '城关第一小学', stage: '小学' as const };
const indicatorCodes = defs.indicators.map((i) => i.code);
const rateCodes = defs.rates.map((r) => r.code);

/** What each indicator is filled with: a distinct number per code. */
const filled: Record<string, number> = Object.fromEntries(indicatorCodes.map((code, i) => [code, (i + 1) * 10]));

/** A sheet the test can change the way a school would: insert rows, swap columns, merge cells. */
interface Editable {
  name: string;
  values: CellValue[][];
  numberFormats: (string | null)[][];
  merges: MergeRange[];
}

/** The generated form, its value cells filled from `filled`. */
function form(opts: { lang?: Lang; name?: string; code?: string } = {}): Editable {
  const g = planToGrid(buildTemplatePlan(defs, opts.lang ?? 'zh-CN', { ...school, ...(opts.code !== undefined ? { code: opts.code } : {}) }));
  const values = g.values.map((row) => [...row]);
  for (const row of values) {
    const code = row[0];
    if (typeof code === 'string' && code in filled) row[3] = filled[code]!;
  }
  return { name: opts.name ?? g.name, values, numberFormats: (g.numberFormats ?? []).map((row) => [...row]), merges: [] };
}

function rowOf(s: Editable, code: string): number {
  const r = s.values.findIndex((row) => row[0] === code);
  if (r < 0) throw new Error(`no row for ${code}`);
  return r;
}

function headerRowOf(s: Editable): number {
  return s.values.findIndex((row) => row[0] === '代码');
}

/** A row typed in by the school at `at` (everything from there moves down). */
function insertRow(s: Editable, at: number, cells: CellValue[]): void {
  s.values.splice(at, 0, [...cells]);
  s.numberFormats.splice(at, 0, cells.map(() => null));
}

function removeRow(s: Editable, at: number): void {
  s.values.splice(at, 1);
  s.numberFormats.splice(at, 1);
}

function book(...sheets: (Editable | SheetGrid)[]): WorkbookGrid {
  return { source: '城关第一小学.xlsx', sheets };
}

function read(b: WorkbookGrid, layout: SheetLayout = formLayout): SubmissionsRead {
  return readSubmissions(b, layout, defs.indicators, defs.rates);
}

function valuesOf(sub: Submission): Record<string, CellValue> {
  return Object.fromEntries(Object.entries(sub.raw).map(([code, cell]) => [code, cell.value]));
}

function cellsOf(sub: Submission): Record<string, string> {
  return Object.fromEntries(Object.entries(sub.raw).map(([code, cell]) => [code, cell.cell]));
}

/** Where the template puts each indicator's and rate's value: column D of its row. */
const clean = form();
const templateCells: Record<string, string> = Object.fromEntries(indicatorCodes.map((code) => [code, `D${rowOf(clean, code) + 1}`]));
const templateRateCells: Record<string, string> = Object.fromEntries(rateCodes.map((code) => [code, `D${rowOf(clean, code) + 1}`]));

describe('readSubmissions: the generated form', () => {
  it('reads the metadata, every indicator with its cell and number format, and the rate cells', () => {
    const r = read(book(form()));
    expect(r.issues).toEqual([]);
    expect(r.submissions).toHaveLength(1);
    const sub = r.submissions[0]!;
    expect({ ...sub, raw: undefined }).toEqual({
      schoolCode: '0012345678',
      schoolName: '城关第一小学',
      period: '2026 秋季',
      periodCell: 'B4',
      file: '城关第一小学.xlsx',
      sheet: '填报表',
      schoolCodeCell: 'B2',
      raw: undefined,
    });
    expect(Object.keys(sub.raw)).toEqual(indicatorCodes);
    expect(valuesOf(sub)).toEqual(filled);
    expect(cellsOf(sub)).toEqual(templateCells);
    expect(sub.raw.STUDENTS).toEqual({ value: 10, cell: 'D8', numberFormat: '#,##0' });
    expect(sub.raw.STAFF_VACC_RATE).toEqual({ value: 70, cell: 'D15', numberFormat: '0.00' });
    expect(sub.raw.AREA_TEACHING!.numberFormat).toBe('#,##0.00');
    // Rates are located, not read as indicators.
    expect(r.rateCells).toEqual({ 0: templateRateCells });
    expect(r.rateCells[0]!.R_STAFF_VACC).toBe('D56');
    expect(r.rateCells[0]!.R_AREA_PER_STUDENT).toBe('D67');
    for (const code of rateCodes) expect(sub.raw[code]).toBeUndefined();
  });

  it('reads the English form the same way', () => {
    const r = read(book(form({ lang: 'en-US' })));
    expect(r.issues).toEqual([]);
    const sub = r.submissions[0]!;
    expect(sub.schoolCode).toBe('0012345678');
    expect(sub.sheet).toBe('School form');
    expect(valuesOf(sub)).toEqual(filled);
    expect(Object.keys(r.rateCells[0]!)).toEqual(rateCodes);
  });

  it('records an empty value cell as null at its address, so a required value is located', () => {
    const s = form();
    s.values[rowOf(s, 'STUDENTS')]![3] = null;
    s.values[rowOf(s, 'TEACHERS')]!.length = 2; // a ragged row: the value column is not even there
    const sub = read(book(s)).submissions[0]!;
    expect(sub.raw.STUDENTS).toEqual({ value: null, cell: 'D8', numberFormat: '#,##0' });
    expect(sub.raw.TEACHERS).toEqual({ value: null, cell: 'D11', numberFormat: '#,##0' });
  });

  it('keeps a formula cached result and an error value as they are', () => {
    const s = form();
    s.values[rowOf(s, 'STAFF_VACC_RATE')]![3] = { error: '#DIV/0!' };
    s.values[rowOf(s, 'BOOKS')]![3] = '32,150';
    const sub = read(book(s)).submissions[0]!;
    expect(sub.raw.STAFF_VACC_RATE!.value).toEqual({ error: '#DIV/0!' });
    expect(sub.raw.BOOKS!.value).toBe('32,150');
  });
});

describe('readSubmissions: template drift', () => {
  it('finds every value after rows are inserted above and among the indicators; addresses move with them', () => {
    const s = form();
    const header = headerRowOf(s);
    insertRow(s, header + 1, ['', '说明：本表数据截至 9 月 1 日', null, null]);
    insertRow(s, rowOf(s, 'GIRLS') + 1, [null, '其中：寄宿生', '人', 123]);
    insertRow(s, rowOf(s, 'BOOKS'), [null, null, null, null]);
    const r = read(book(s));
    expect(r.issues).toEqual([]);
    const sub = r.submissions[0]!;
    expect(valuesOf(sub)).toEqual(filled);
    expect(sub.raw.STUDENTS).toEqual({ value: 10, cell: 'D9', numberFormat: '#,##0' });
    expect(sub.raw.GIRLS!.cell).toBe('D11');
    expect(sub.raw.TEACHERS!.cell).toBe('D13'); // two rows above it now
    expect(sub.raw.BOOKS!.cell).toBe(`D${rowOf(clean, 'BOOKS') + 4}`);
    expect(r.rateCells[0]!.R_STAFF_VACC).toBe('D59');
  });

  it('finds the value column by its header when the school swapped 单位 and 数值', () => {
    const s = form();
    for (let r = headerRowOf(s); r < s.values.length; r++) {
      const row = s.values[r]!;
      [row[2], row[3]] = [row[3] ?? null, row[2] ?? null];
      const f = s.numberFormats[r]!;
      [f[2], f[3]] = [f[3] ?? null, f[2] ?? null];
    }
    expect(s.values[5]!.slice(0, 4)).toEqual(['代码', '指标', '数值', '单位']);
    const r = read(book(s));
    expect(r.issues).toEqual([]);
    const sub = r.submissions[0]!;
    expect(valuesOf(sub)).toEqual(filled);
    expect(sub.raw.STUDENTS).toEqual({ value: 10, cell: 'C8', numberFormat: '#,##0' });
    expect(r.rateCells[0]!.R_STAFF_VACC).toBe('C56');
  });

  it('follows a later header row that moves the columns (the rates block)', () => {
    const s = form();
    const ratesHeader = rowOf(s, 'R_STAFF_VACC') - 1;
    const last = rowOf(s, 'R_AREA_PER_STUDENT');
    for (let r = ratesHeader; r <= last; r++) s.values[r] = [null, ...s.values[r]!];
    expect(s.values[ratesHeader]!.slice(0, 5)).toEqual([null, '代码', '比率', '单位', '数值']);
    const r = read(book(s));
    expect(r.issues).toEqual([]);
    expect(r.rateCells[0]!.R_STAFF_VACC).toBe('E56');
    expect(valuesOf(r.submissions[0]!)).toEqual(filled);
  });

  it('reads codes typed in full width or lower case, and takes the first row of a code', () => {
    const s = form();
    s.values[rowOf(s, 'STUDENTS')]![0] = 'ＳＴＵＤＥＮＴＳ ';
    s.values[rowOf(s, 'BOYS')]![0] = 'boys';
    insertRow(s, rowOf(s, 'BOOKS') + 1, ['BOOKS', '图书册数（重复）', '册', 1]);
    const sub = read(book(s)).submissions[0]!;
    expect(sub.raw.STUDENTS).toEqual({ value: 10, cell: 'D8', numberFormat: '#,##0' });
    expect(sub.raw.BOYS!.value).toBe(20);
    expect(sub.raw.BOOKS).toEqual({ value: filled.BOOKS, cell: templateCells.BOOKS, numberFormat: '#,##0' });
  });

  it('falls back to the label when the code cell is blank or unknown (Chinese or English label)', () => {
    const s = form();
    s.values[rowOf(s, 'STUDENTS')]![0] = null;
    s.values[rowOf(s, 'TEACHERS')]![0] = '  ';
    const staff = rowOf(s, 'STAFF_TOTAL');
    s.values[staff]![0] = 'STAFF';
    s.values[staff]![1] = 'All staff';
    const sub = read(book(s)).submissions[0]!;
    expect(sub.raw.STUDENTS).toEqual({ value: 10, cell: 'D8', numberFormat: '#,##0' });
    expect(sub.raw.TEACHERS).toEqual({ value: filled.TEACHERS, cell: 'D11', numberFormat: '#,##0' });
    expect(sub.raw.STAFF_TOTAL).toEqual({ value: filled.STAFF_TOTAL, cell: 'D12', numberFormat: '#,##0' });
  });

  it('reports an indicator whose row is gone: an error when required, else a warning', () => {
    const s = form();
    removeRow(s, rowOf(s, 'STUDENTS'));
    removeRow(s, rowOf(s, 'BOOKS'));
    const r = read(book(s));
    expect(r.issues).toEqual([
      {
        code: 'sheet.indicator_not_found',
        severity: 'error',
        school: '0012345678',
        file: '城关第一小学.xlsx',
        sheet: '填报表',
        subject: 'STUDENTS',
        params: { code: 'STUDENTS', label: '在校学生数', label_en: 'Students enrolled' },
      },
      {
        code: 'sheet.indicator_not_found',
        severity: 'warning',
        school: '0012345678',
        file: '城关第一小学.xlsx',
        sheet: '填报表',
        subject: 'BOOKS',
        params: { code: 'BOOKS', label: '图书册数', label_en: 'Library books' },
      },
    ]);
    expect(r.submissions[0]!.raw.STUDENTS).toBeUndefined();
    expect(r.submissions[0]!.raw.BOYS!.cell).toBe('D8');
  });
});

describe('readSubmissions: merged cells', () => {
  it('takes the school code right of a merged label, a label merged with the unit, and a value typed into a merge', () => {
    const s = form();
    // 学校代码 merged over A2:B2, the code typed in C2.
    s.values[1] = ['学校代码', null, '0012345678', null];
    s.merges.push({ r0: 1, c0: 0, r1: 1, c1: 1 });
    // STUDENTS: code cleared, label merged over 指标 and 单位 (B8:C8).
    const students = rowOf(s, 'STUDENTS');
    s.values[students] = [null, '在校学生数', null, 1200];
    s.merges.push({ r0: students, c0: 1, r1: students, c1: 2 });
    // STAFF_TOTAL: unit and value merged (C12:D12), the number typed into the merge.
    const staff = rowOf(s, 'STAFF_TOTAL');
    s.values[staff] = ['STAFF_TOTAL', '教职工总数', 88, null];
    s.merges.push({ r0: staff, c0: 2, r1: staff, c1: 3 });
    const r = read(book(s));
    expect(r.issues).toEqual([]);
    const sub = r.submissions[0]!;
    expect(sub.schoolCode).toBe('0012345678');
    expect(sub.schoolCodeCell).toBe('C2');
    expect(sub.raw.STUDENTS).toEqual({ value: 1200, cell: 'D8', numberFormat: '#,##0' });
    expect(sub.raw.STAFF_TOTAL).toEqual({ value: 88, cell: 'C12' });
  });

  it('applies a label merged down several rows to each of them', () => {
    const s = form();
    // The school cleared the codes of 专任教师数 and 教职工总数 and merged B11:B12 under one label;
    // the first row takes it, the second (same label) is not a second reading.
    const teachers = rowOf(s, 'TEACHERS');
    s.values[teachers]![0] = null;
    s.values[teachers]![1] = '专任教师数';
    s.values[teachers + 1]![0] = null;
    s.values[teachers + 1]![1] = null;
    s.merges.push({ r0: teachers, c0: 1, r1: teachers + 1, c1: 1 });
    // A value cell merged down two rows reads its top-left value in both rows.
    const pe = rowOf(s, 'PE_EXCELLENT');
    s.values[pe + 1]![3] = null;
    s.merges.push({ r0: pe, c0: 3, r1: pe + 1, c1: 3 });
    const r = read(book(s));
    const sub = r.submissions[0]!;
    expect(sub.raw.TEACHERS).toEqual({ value: filled.TEACHERS, cell: 'D11', numberFormat: '#,##0' });
    expect(sub.raw.PE_GOOD).toEqual({ value: filled.PE_EXCELLENT, cell: `D${pe + 1}`, numberFormat: '#,##0' });
    expect(r.issues.map((i) => [i.code, i.subject, i.severity])).toEqual([['sheet.indicator_not_found', 'STAFF_TOTAL', 'error']]);
  });

  it('resolves large merges by their range, never cell by cell: a merge over the rest of the grid costs no more than a small one', () => {
    const s = form();
    const end = s.values.length;
    // A note in XFD1048576 makes the grid as wide and as long as Excel allows.
    const last = SHEET_ROWS - 1;
    const empty: CellValue[] = [];
    while (s.values.length < last) s.values.push(empty);
    s.values.push([...new Array<CellValue>(SHEET_COLUMNS - 1).fill(null), '备注']);
    // 17 billion merged cells below the form, and 2 × 16,381 across the value cells of two rows.
    const pe = rowOf(s, 'PE_EXCELLENT');
    s.values[pe + 1]![3] = null;
    s.merges.push({ r0: end + 1, c0: 0, r1: last, c1: SHEET_COLUMNS - 1 }, { r0: pe, c0: 3, r1: pe + 1, c1: SHEET_COLUMNS - 1 });
    const r = read(book(s));
    expect(r.submissions.map((sub) => sub.schoolCode)).toEqual(['0012345678']);
    const sub = r.submissions[0]!;
    expect(sub.raw.PE_GOOD).toEqual({ value: filled.PE_EXCELLENT, cell: `D${pe + 1}`, numberFormat: '#,##0' });
    expect(valuesOf(sub)).toEqual({ ...filled, PE_GOOD: filled.PE_EXCELLENT });
  });
});

describe('readSubmissions: the school code', () => {
  it('pads a code typed as a number back to 10 digits and says so at its cell', () => {
    const s = form();
    s.values[1]![1] = 12345678;
    s.numberFormats[1]![1] = 'General';
    const r = read(book(s));
    expect(r.submissions[0]!.schoolCode).toBe('0012345678');
    expect(r.submissions[0]!.schoolCodeCell).toBe('B2');
    expect(r.issues).toMatchInlineSnapshot(`
      [
        {
          "cell": "B2",
          "code": "value.code_as_number",
          "file": "城关第一小学.xlsx",
          "original": "12345678",
          "params": {
            "original": "12345678",
            "padded": "0012345678",
          },
          "school": "0012345678",
          "severity": "warning",
          "sheet": "填报表",
        },
      ]
    `);
  });

  it('keeps a 10-digit number as it is, still with the warning', () => {
    const s = form();
    s.values[1]![1] = 3401020001;
    const r = read(book(s));
    expect(r.submissions[0]!.schoolCode).toBe('3401020001');
    expect(r.issues.map((i) => [i.code, i.cell, i.params])).toEqual([['value.code_as_number', 'B2', { original: '3401020001', padded: '3401020001' }]]);
  });

  it('folds full-width digits and trims spaces, with no issue', () => {
    const s = form();
    s.values[1]![1] = ' ００１２３４５６７８　';
    const r = read(book(s));
    expect(r.issues).toEqual([]);
    expect(r.submissions[0]!.schoolCode).toBe('0012345678');
  });

  it('accepts labels with a colon, a bracketed aside or in full width, and `学校代码：…` in one cell', () => {
    const s = form();
    s.values[1]![0] = '学校代码（必填）：';
    s.values[2]![0] = 'ｓｃｈｏｏｌ ｎａｍｅ:';
    expect(read(book(s)).submissions[0]).toMatchObject({ schoolCode: '0012345678', schoolName: '城关第一小学', schoolCodeCell: 'B2' });

    const t = form();
    t.values[1] = ['学校代码：3401020001', null, null, null];
    t.values[2] = ['学校名称', null, '城关第二小学', null];
    const sub = read(book(t)).submissions[0]!;
    expect(sub).toMatchObject({ schoolCode: '3401020001', schoolName: '城关第二小学', schoolCodeCell: 'A2' });
  });

  it('does not take the next label for the value of a blank one', () => {
    const s = form();
    s.values[1] = ['学校代码', null, '学校名称', '城关第一小学'];
    s.values[2] = [null, null, null, null];
    const r = read(book(s));
    expect(r.submissions[0]).toMatchObject({ schoolCode: '', schoolName: '城关第一小学', schoolCodeCell: 'B2' });
    expect(r.issues.map((i) => i.code)).toEqual(['sheet.school_code_missing']);
  });

  it('reports a missing school code at the cell beside its label, and still returns the submission', () => {
    const s = form();
    s.values[1]![1] = null;
    const r = read(book(s));
    expect(r.issues).toEqual([
      {
        code: 'sheet.school_code_missing',
        severity: 'error',
        file: '城关第一小学.xlsx',
        sheet: '填报表',
        cell: 'B2',
        params: { labels: '学校代码/学校标识码/School code' },
      },
    ]);
    const sub = r.submissions[0]!;
    expect(sub.schoolCode).toBe('');
    expect(sub.schoolCodeCell).toBe('B2');
    expect(valuesOf(sub)).toEqual(filled);
    expect(r.rateCells[0]).toEqual(templateRateCells);
  });

  it('reports a missing school code without a cell when even the label is gone', () => {
    const s = form();
    s.values[1] = [null, null, null, null];
    const r = read(book(s));
    expect(r.issues).toEqual([
      { code: 'sheet.school_code_missing', severity: 'error', file: '城关第一小学.xlsx', sheet: '填报表', params: { labels: '学校代码/学校标识码/School code' } },
    ]);
    expect(r.submissions[0]!.schoolCodeCell).toBeUndefined();
  });
});

describe('readSubmissions: sheets', () => {
  const instructions: SheetGrid = { name: '填表说明', values: [['填表说明'], ['1. 请在“数值”列填写数字。'], ['2. 学校代码为 10 位学校标识码。']] };
  const chart: SheetGrid = { name: 'Chart1', values: [] };

  it('reports a sheet without the indicator header, and returns what it could read', () => {
    const s = form();
    s.values[headerRowOf(s)] = [null, null, null, null];
    s.values[rowOf(s, 'R_STAFF_VACC') - 1] = [null, null, null, null];
    const r = read(book(s));
    expect(r.issues).toEqual([
      { code: 'sheet.header_not_found', severity: 'error', school: '0012345678', file: '城关第一小学.xlsx', sheet: '填报表', params: { headers: '代码/数值' } },
    ]);
    expect(r.submissions).toHaveLength(1);
    expect(r.submissions[0]!.raw).toEqual({});
    expect(r.rateCells).toEqual({});
  });

  it('skips instruction, chart and cover sheets when the layout names no sheet (or one the book lacks)', () => {
    const cover: SheetGrid = { name: '封面', values: [['学校代码', '0012345678'], ['学校名称', '城关第一小学']] };
    for (const layout of [formLayout, { ...formLayout, sheetName: '学校填报' }]) {
      const r = read(book(instructions, cover, form({ name: '填报表（新）' }), chart), layout);
      expect(r.issues).toEqual([]);
      expect(r.submissions.map((s) => s.sheet)).toEqual(['填报表（新）']);
      expect(r.rateCells).toEqual({ 0: templateRateCells });
    }
  });

  it('reports no form at all once, with the sheet the layout names', () => {
    expect(read(book(instructions, chart), { ...formLayout, sheetName: '学校填报' })).toEqual({
      submissions: [],
      issues: [{ code: 'sheet.not_found', severity: 'error', file: '城关第一小学.xlsx', sheet: '学校填报', params: { sheet: '学校填报' } }],
      rateCells: {},
    });
    expect(read({ sheets: [] }).issues).toEqual([{ code: 'sheet.not_found', severity: 'error', params: { sheet: null } }]);
  });

  it('reads only the named sheet when the book has it (compared as a label)', () => {
    const other = form({ name: '上期', code: '0099999999' });
    const r = read(book(other, form({ name: ' 填报表 ' })), { ...formLayout, sheetName: '填报表' });
    expect(r.submissions.map((s) => [s.sheet, s.schoolCode])).toEqual([[' 填报表 ', '0012345678']]);
  });

  it('gives one submission per form sheet, each with its own rate cells', () => {
    const second = form({ name: '填报表 (2)', code: '0012345679' });
    insertRow(second, headerRowOf(second) + 1, [null, null, null, null]);
    const r = read(book(form(), instructions, second));
    expect(r.issues).toEqual([]);
    expect(r.submissions.map((s) => [s.sheet, s.schoolCode, s.raw.STUDENTS!.cell])).toEqual([
      ['填报表', '0012345678', 'D8'],
      ['填报表 (2)', '0012345679', 'D9'],
    ]);
    expect(r.rateCells[0]!.R_STAFF_VACC).toBe('D56');
    expect(r.rateCells[1]!.R_STAFF_VACC).toBe('D57');
  });
});

describe('readSubmissions: hidden sheets', () => {
  it('takes the visible form, not an old hidden copy before it, and names both sheets', () => {
    const old = { ...form({ name: '2025秋' }), hidden: true };
    old.values[rowOf(old, 'STUDENTS')]![3] = 1;
    const current = form({ name: '2026秋' });
    const r = read(book(old, current), { ...formLayout, sheetName: '填报表' });
    expect(r.submissions.map((s) => s.sheet)).toEqual(['2026秋']);
    expect(r.submissions[0]!.raw.STUDENTS!.value).toBe(filled.STUDENTS);
    expect(r.issues).toEqual([
      { code: 'sheet.hidden_form', severity: 'warning', file: '城关第一小学.xlsx', sheet: '2025秋', params: { sheet: '2025秋', used: '2026秋' } },
    ]);
  });

  it('does not take a hidden sheet on its name alone when a visible form is there', () => {
    const old = { ...form({ name: '填报表' }), hidden: true };
    const r = read(book(old, form({ name: '填报表 (2)' })));
    expect(r.submissions.map((s) => s.sheet)).toEqual(['填报表 (2)']);
    expect(r.issues.map((i) => i.code)).toEqual(['sheet.hidden_form']);
  });

  it('still reads a form that is hidden when it is the only one', () => {
    const r = read(book({ ...form({ name: '2026秋' }), hidden: true }));
    expect(r.submissions.map((s) => s.sheet)).toEqual(['2026秋']);
    expect(r.issues).toEqual([]);
  });
});

describe('readSubmissions: table layout', () => {
  const tableLayout: TableLayout = { kind: 'table', schoolCodeHeaders: ['学校代码', 'School code'], schoolNameHeaders: ['学校名称'] };
  const tableDefs: Definitions = { ...defs, layout: tableLayout };

  /** The generated one-row table with BOOKS dropped, two rate columns added and STUDENTS headed by its label and unit; then more schools. */
  function table(): SheetGrid {
    const g = planToGrid(buildTemplatePlan(tableDefs, 'zh-CN', school, { checks: false }));
    const header = [...g.values[0]!];
    const books = header.indexOf('BOOKS');
    const keep = (row: readonly CellValue[]): CellValue[] => row.filter((_, c) => c !== books);
    const head = keep(header).map((h) => (h === 'STUDENTS' ? '在校学生数（人）' : h));
    head.push('R_STAFF_VACC', '体质健康优良率（%）');
    const codes = keep(header).slice(2) as string[];
    const row = (code: CellValue, name: string, k: number): CellValue[] => [code, name, ...codes.map((c) => filled[c]! + k), 90 + k, 40 + k];
    return {
      name: '填报表',
      values: [
        head,
        row('0012345678', '城关第一小学', 0),
        row(12345679, '城关第二小学', 1),
        [null, null],
        row('', '无代码学校', 2),
        row('００１２３４５６８０', '城关第三小学', 3),
      ],
    };
  }

  it('reads one submission per school row, blank rows skipped, codes padded and folded', () => {
    const r = readSubmissions(book(table()), tableLayout, defs.indicators, defs.rates);
    expect(r.submissions.map((s) => [s.schoolCode, s.schoolName, s.schoolCodeCell])).toEqual([
      ['0012345678', '城关第一小学', 'A2'],
      ['0012345679', '城关第二小学', 'A3'],
      ['', '无代码学校', 'A5'],
      ['0012345680', '城关第三小学', 'A6'],
    ]);
    const first = r.submissions[0]!;
    expect(first.sheet).toBe('填报表');
    expect(first.file).toBe('城关第一小学.xlsx');
    expect(first.raw.STUDENTS).toEqual({ value: 10, cell: 'C2' });
    expect(r.submissions[1]!.raw.STUDENTS).toEqual({ value: 11, cell: 'C3' });
    expect(r.submissions[3]!.raw.TEACHERS_BACKBONE).toEqual({ value: filled.TEACHERS_BACKBONE! + 3, cell: 'AG6' });
    expect(Object.keys(first.raw)).toEqual(indicatorCodes.filter((c) => c !== 'BOOKS'));
    expect(r.rateCells).toEqual({
      0: { R_STAFF_VACC: 'AM2', R_PE_GOOD: 'AN2' },
      1: { R_STAFF_VACC: 'AM3', R_PE_GOOD: 'AN3' },
      2: { R_STAFF_VACC: 'AM5', R_PE_GOOD: 'AN5' },
      3: { R_STAFF_VACC: 'AM6', R_PE_GOOD: 'AN6' },
    });
    expect(r.issues).toEqual([
      {
        code: 'sheet.indicator_not_found',
        severity: 'warning',
        file: '城关第一小学.xlsx',
        sheet: '填报表',
        subject: 'BOOKS',
        params: { code: 'BOOKS', label: '图书册数', label_en: 'Library books' },
      },
      {
        code: 'value.code_as_number',
        severity: 'warning',
        school: '0012345679',
        file: '城关第一小学.xlsx',
        sheet: '填报表',
        cell: 'A3',
        original: '12345679',
        params: { original: '12345679', padded: '0012345679' },
      },
      { code: 'sheet.school_code_missing', severity: 'error', file: '城关第一小学.xlsx', sheet: '填报表', cell: 'A5', params: { labels: '学校代码/School code' } },
    ]);
  });

  it('finds the header under a title, and reads every sheet that has one', () => {
    const titled: SheetGrid = { name: '汇总导出', values: [['2026 秋季 学校填报导出'], [], ...table().values.slice(0, 2)] };
    const r = readSubmissions(book(titled, { name: '说明', values: [['本表由问卷系统导出']] }, table()), tableLayout, defs.indicators, defs.rates);
    expect(r.submissions.map((s) => `${s.sheet}!${s.schoolCodeCell}`)).toEqual(['汇总导出!A4', '填报表!A2', '填报表!A3', '填报表!A5', '填报表!A6']);
    expect(r.issues.filter((i) => i.code === 'sheet.indicator_not_found').map((i) => i.sheet)).toEqual(['汇总导出', '填报表']);
  });

  it('reports a missing sheet or header', () => {
    const none = readSubmissions(book({ name: '说明', values: [['本表由问卷系统导出']] }), tableLayout, defs.indicators, defs.rates);
    expect(none.issues).toEqual([{ code: 'sheet.not_found', severity: 'error', file: '城关第一小学.xlsx', params: { sheet: null } }]);
    const named = readSubmissions(book({ name: '数据', values: [['学校', '在校学生数']] }), { ...tableLayout, sheetName: '数据' }, defs.indicators, defs.rates);
    expect(named.issues).toEqual([
      { code: 'sheet.header_not_found', severity: 'error', file: '城关第一小学.xlsx', sheet: '数据', params: { headers: '学校代码/School code' } },
    ]);
    expect(named.submissions).toEqual([]);
  });
});

describe('readSubmissions: properties', () => {
  const base = form();
  const header = headerRowOf(base);
  const expected = read(book(base));
  const rows: readonly CellValue[][] = [
    [null, null, null, null],
    ['', '', '', ''],
    [null, '其中：寄宿生', '人', 123],
    ['说明：以上数据截至 9 月 1 日', null, null, null],
    ['其他', '其他情况', null, '无'],
  ];
  const unrelated: fc.Arbitrary<CellValue[]> = fc.oneof(
    fc.constantFrom(...rows),
    fc.string({ maxLength: 8 }).map((t): CellValue[] => [null, `备注${t}`, null, t]),
  );

  it('reads the same values whatever blank or unrelated rows are inserted below the header', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), unrelated), { maxLength: 12 }), (inserts) => {
        const s = form();
        for (const [at, cells] of inserts) insertRow(s, header + 1 + (at % (s.values.length - header)), cells);
        const r = read(book(s));
        expect(r.issues).toEqual(expected.issues);
        expect(valuesOf(r.submissions[0]!)).toEqual(valuesOf(expected.submissions[0]!));
        expect(Object.keys(r.rateCells[0]!)).toEqual(rateCodes);
      }),
    );
  });
});

describe('labelKey', () => {
  // The characters its shortcut lets through, their neighbours just outside, and what NFKC does change.
  const chars = ['a', 'Z', '0', '!', '~', ':', ' ', '\u00a0', '\u3000', '\t', '、', '。', '《', '》', '\u3003', '\u4e00', '\u9fff', '\ua000', '学', '校', '（', '）', '：', 'Ａ', '１', '\uf900', 'ﬁ', 'İ', 'Σ'];
  it('compares a label exactly as normalizeLabel does', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...chars), { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        expect(labelKey(text)).toBe(normalizeLabel(text));
      }),
      { numRuns: 2000 },
    );
  });
});
