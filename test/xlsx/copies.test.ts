/**
 * Copies of school sheets, written into the package directly: read back through the .xlsx reader
 * they give the sheet's cells (text as text, formulas only where the sheet had them, formats,
 * merges) with the updates written over them, and their marks as fills and notes Excel can show.
 */
import fc from 'fast-check';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { CellValue, SheetGrid, WorkbookGrid } from '../../src/core/grid';
import type { SheetPlan } from '../../src/workbook/plan';
import { readXlsx, writeXlsx, XlsxPlanError, type SheetCopy } from '../../src/xlsx';

function read(bytes: Uint8Array): WorkbookGrid {
  const r = readXlsx(bytes, 'out.xlsx');
  if ('issue' in r) throw new Error(JSON.stringify(r.issue));
  return r.book;
}

function sheet(book: WorkbookGrid, name: string): SheetGrid {
  const s = book.sheets.find((x) => x.name === name);
  if (!s) throw new Error(`no sheet ${name}`);
  return s;
}

function parts(bytes: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(unzipSync(bytes))) out[k] = strFromU8(v);
  return out;
}

const plan: SheetPlan = {
  name: '汇总',
  rows: [
    { role: 'title', cells: [{ value: '全区汇总' }] },
    { role: 'data', cells: [{ value: '学校' }, { value: 12 }, { value: 1, formula: '=B2/12' }] },
  ],
};

const school: SheetGrid = {
  name: '填报表',
  values: [
    ['学校基本情况', null, null],
    ['学校代码', '0012345678', null],
    ['教职工 & <人数>', 120, 240],
    ['=SUM(B3)', true, { error: '#DIV/0!' }],
    [' 前后空格 ', '两行\n文字', 0.5],
  ],
  formulas: [
    [null, null, null],
    [null, null, null],
    [null, null, '=B3*2'],
    [null, null, null],
    [null, null, null],
  ],
  numberFormats: [
    [null, null, null],
    [null, '@', null],
    [null, '#,##0', '0.000'],
    [null, null, null],
    [null, null, '0.0%'],
  ],
  merges: [
    { r0: 0, c0: 0, r1: 0, c1: 2 },
    // Overlaps the first: left out, as a spreadsheet cannot hold both.
    { r0: 0, c0: 1, r1: 1, c1: 1 },
  ],
};

const copy: SheetCopy = {
  grid: school,
  name: '0012345678 第一小学',
  updates: [
    { sheet: 'x', cell: 'C3', value: 250 },
    { sheet: 'x', cell: 'C5', value: 0.75, numberFormat: '0.00%' },
    { sheet: 'x', cell: 'D7', value: '新' },
  ],
  marks: [
    { sheet: 'x', cell: 'B3', severity: 'error', message: '教职工人数不是数字' },
    { sheet: 'x', cell: 'B3', severity: 'warning', message: '与上期相差很大' },
    { sheet: 'x', cell: 'E9', severity: 'error', message: '空单元格' },
    { sheet: 'x', cell: 'not a cell', severity: 'error', message: '无处可放' },
  ],
};

describe('a copied school sheet', () => {
  it('reads back with its cells, formats and merges, and the updates written over it', async () => {
    const book = read(await writeXlsx([plan], [copy]));
    expect(book.sheets.map((s) => s.name)).toEqual(['汇总', '0012345678 第一小学']);
    const s = sheet(book, '0012345678 第一小学');
    expect(s.values).toEqual([
      ['学校基本情况'],
      ['学校代码', '0012345678'],
      ['教职工 & <人数>', 120, 250],
      ['=SUM(B3)', true, { error: '#DIV/0!' }],
      [' 前后空格 ', '两行\n文字', 0.75],
      [],
      [null, null, null, '新'],
    ]);
    // An update is a value: the formula it overwrote is gone; text that looks like a formula stays text.
    expect(s.formulas ?? []).toEqual([]);
    expect(s.numberFormats?.[1]?.[1]).toBe('@');
    expect(s.numberFormats?.[2]).toEqual([null, '#,##0', '0.000']);
    expect(s.numberFormats?.[4]?.[2]).toBe('0.00%');
    expect(s.merges).toEqual([{ r0: 0, c0: 0, r1: 0, c1: 2 }]);
  });

  it('copies a merge over the whole grid below the form by the cells the sheet holds, not by its area', async () => {
    // A merge of A200:XFD1048576 spans 17 billion cells; only the one value stored inside it is touched.
    const grid: SheetGrid = { ...school, values: [...school.values, ...Array.from({ length: 194 }, () => []), ['inside', 1]], merges: [{ r0: 199, c0: 0, r1: 1_048_575, c1: 16_383 }, { r0: 199, c0: 1, r1: 199, c1: 2 }] };
    const p = parts(await writeXlsx([], [{ grid, name: 'M', updates: [{ sheet: 'x', cell: 'C300', value: 7 }] }]));
    const xml = p['xl/worksheets/sheet1.xml']!;
    expect(xml).toContain('<mergeCell ref="A200:XFD1048576"/>');
    // The second merge overlaps the first and is left out; the cell B200 inside the first loses its value; an update inside it lands on A200.
    expect(xml).not.toContain('B200:C200');
    const s = sheet(read(await writeXlsx([], [{ grid, name: 'M', updates: [{ sheet: 'x', cell: 'C300', value: 7 }] }])), 'M');
    expect(s.values[199]).toEqual([7]);
    expect(xml.length).toBeLessThan(20_000);
  });

  it('keeps formulas with their cached results of every type', async () => {
    const grid: SheetGrid = {
      name: 'f',
      values: [[1, 2, 3, 'ab', false, { error: '#N/A' }, null]],
      formulas: [[null, null, '=A1+B1', '=T("ab")', '=A1>B1', '=NA()', '=A1*0']],
    };
    const s = sheet(read(await writeXlsx([], [{ grid, name: 'F' }])), 'F');
    expect(s.values).toEqual([[1, 2, 3, 'ab', false, { error: '#N/A' }, null]]);
    expect(s.formulas).toEqual([[null, null, '=A1+B1', '=T("ab")', '=A1>B1', '=NA()', '=A1*0']]);
  });

  it('marks cells with a fill and a note per cell, messages joined, empty cells included', async () => {
    const p = parts(await writeXlsx([plan], [copy]));
    const sheetXml = p['xl/worksheets/sheet2.xml']!;
    expect(sheetXml).toContain('<legacyDrawing r:id="rId2"/>');
    expect(p['xl/worksheets/_rels/sheet2.xml.rels']).toContain('../comments2.xml');
    const comments = p['xl/comments2.xml']!;
    expect(comments).toContain('<comment ref="B3" authorId="0"><text><r><t xml:space="preserve">教职工人数不是数字\n与上期相差很大</t></r></text></comment>');
    expect(comments).toContain('<comment ref="E9"');
    expect(comments).not.toContain('无处可放');
    expect(p['xl/drawings/vmlDrawing2.vml']).toContain('<x:Row>8</x:Row><x:Column>4</x:Column>');
    expect(p['[Content_Types].xml']).toContain('/xl/comments2.xml');
    // The last mark on a cell decides its fill; the empty marked cell is written with its fill alone.
    const styles = p['xl/styles.xml']!;
    const xfs = [...styles.slice(styles.indexOf('<cellXfs')).matchAll(/<xf [^>]*>/g)].map((m) => m[0]);
    const fills = [...styles.slice(styles.indexOf('<fills'), styles.indexOf('</fills>')).matchAll(/<fill>.*?<\/fill>/g)].map((m) => m[0]);
    const fillOf = (ref: string): string => {
      const s = Number(new RegExp(`<c r="${ref}" s="(\\d+)"`).exec(sheetXml)![1]);
      return fills[Number(/fillId="(\d+)"/.exec(xfs[s]!)![1])]!;
    };
    expect(fillOf('B3')).toContain('FFFFEB9C');
    expect(fillOf('E9')).toContain('FFFFC7CE');
    expect(sheetXml).toMatch(/<c r="E9" s="\d+"\/>/);
  });

  it('lists every sheet in the workbook, the package properties and the relationships, copies first when asked', async () => {
    const p = parts(await writeXlsx([plan], [copy, { grid: school, name: 'B' }], { copiesFirst: true }));
    const names = [...p['xl/workbook.xml']!.matchAll(/<sheet [^>]*name="([^"]*)"/g)].map((m) => m[1]);
    expect(names).toEqual(['0012345678 第一小学', 'B', '汇总']);
    expect(p['docProps/app.xml']).toContain('<vt:i4>3</vt:i4>');
    expect([...p['docProps/app.xml']!.matchAll(/<vt:lpstr>([^<]*)<\/vt:lpstr>/g)].map((m) => m[1])).toEqual(['Worksheets', ...names]);
    const book = read(await writeXlsx([plan], [copy, { grid: school, name: 'B' }], { copiesFirst: true }));
    expect(book.sheets.map((s) => s.name)).toEqual(names);
    expect(sheet(book, '汇总').values[1]).toEqual(['学校', 12, 1]);
  });

  it('writes a workbook of copies alone, with its own shared strings', async () => {
    const book = read(await writeXlsx([], [{ grid: school, name: 'S' }]));
    expect(sheet(book, 'S').values[0]).toEqual(['学校基本情况']);
  });

  it('leaves out what a cell cannot hold: non-finite numbers and characters XML forbids', async () => {
    const grid: SheetGrid = { name: 'x', values: [[Number.NaN, Number.POSITIVE_INFINITY, 'a\u0001b\u0008c', 'tab\there']] };
    const s = sheet(read(await writeXlsx([], [{ grid, name: 'X' }])), 'X');
    expect(s.values).toEqual([[null, null, 'abc', 'tab\there']]);
  });

  it('refuses an update that names no cell', async () => {
    await expect(writeXlsx([], [{ grid: school, name: 'S', updates: [{ sheet: 'S', cell: '第一格', value: 1 }] }])).rejects.toThrow(XlsxPlanError);
  });

  it('gives back any grid of values and formats as it was', async () => {
    const value: fc.Arbitrary<CellValue> = fc.oneof(
      fc.constant(null),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer(),
      fc.boolean(),
      // Text without the characters XML cannot hold, nor a lone carriage return (XML reads it as a line feed).
      fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '&', '<', '>', '"', "'", '=', '学', '校', '\n', '1', '_', 'x') }),
      fc.constantFrom<CellValue>({ error: '#N/A' }, { error: '#REF!' }),
    );
    const format = fc.constantFrom<string | null>(null, '@', '0.00', '0.0%', '#,##0', 'yyyy"年"m"月"d"日"', '[Red]0;"neg"');
    const grid = fc.array(fc.array(fc.tuple(value, format), { maxLength: 6 }), { maxLength: 8 });
    await fc.assert(
      fc.asyncProperty(grid, async (rows) => {
        const g: SheetGrid = { name: 'g', values: rows.map((r) => r.map(([v]) => v)), numberFormats: rows.map((r) => r.map(([, f]) => f)) };
        const back = sheet(read(await writeXlsx([plan], [{ grid: g, name: 'G' }])), 'G');
        rows.forEach((r, ri) => {
          r.forEach(([v, f], ci) => {
            const got = back.values[ri]?.[ci] ?? null;
            if (v === null && f === null) return;
            expect(got).toEqual(typeof v === 'number' && Object.is(v, -0) ? 0 : v);
            if (v !== null) expect(back.numberFormats?.[ri]?.[ci] ?? null).toBe(f);
          });
        });
      }),
      { numRuns: 60 },
    );
  });
});
