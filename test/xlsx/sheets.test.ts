/**
 * Sheet plans written as SpreadsheetML: read back through the .xlsx reader they give the planned
 * cells; every part keeps the element order the schema requires (Excel repairs or refuses a file
 * that does not); text never becomes a formula; a table's header cells hold its column names; and
 * what no spreadsheet can hold is refused.
 */
import fc from 'fast-check';
import { strFromU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { CellValue, SheetGrid, WorkbookGrid } from '../../src/core/grid';
import { planToGrid } from '../../src/workbook/grid';
import type { SheetPlan } from '../../src/workbook/plan';
import { readXlsx, writeXlsx, XlsxPlanError } from '../../src/xlsx';

function read(bytes: Uint8Array): WorkbookGrid {
  const r = readXlsx(bytes, 'out.xlsx');
  if ('issue' in r) throw new Error(JSON.stringify(r.issue));
  return r.book;
}

function parts(bytes: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(unzipSync(bytes))) out[k] = strFromU8(v);
  return out;
}

/** The names of the root element's children, in order. */
function children(xml: string, root: string): string[] {
  const start = xml.indexOf('>', xml.indexOf(`<${root}`)) + 1;
  const out: string[] = [];
  let depth = 0;
  for (const m of xml.slice(start).matchAll(/<(\/?)([A-Za-z:]+)[^>]*?(\/?)>/g)) {
    if (m[1] === '/') {
      depth--;
      if (depth < 0) break;
      continue;
    }
    if (depth === 0) out.push(m[2]!);
    if (m[3] !== '/') depth++;
  }
  return out;
}

/** True when `list` follows `order` (each name at most where the schema allows it, repeats adjacent). */
function inSchemaOrder(list: readonly string[], order: readonly string[]): boolean {
  let at = 0;
  for (const name of list) {
    const k = order.indexOf(name, at);
    if (k < 0) return false;
    at = k;
  }
  return true;
}

// ECMA-376 Part 1, CT_Worksheet, CT_Stylesheet and CT_Workbook, the elements that may appear.
const WORKSHEET = ['sheetPr', 'dimension', 'sheetViews', 'sheetFormatPr', 'cols', 'sheetData', 'sheetCalcPr', 'sheetProtection', 'protectedRanges', 'scenarios', 'autoFilter', 'sortState', 'dataConsolidate', 'customSheetViews', 'mergeCells', 'phoneticPr', 'conditionalFormatting', 'dataValidations', 'hyperlinks', 'printOptions', 'pageMargins', 'pageSetup', 'headerFooter', 'rowBreaks', 'colBreaks', 'customProperties', 'cellWatches', 'ignoredErrors', 'smartTags', 'drawing', 'legacyDrawing', 'legacyDrawingHF', 'picture', 'oleObjects', 'controls', 'webPublishItems', 'tableParts', 'extLst'];
const STYLESHEET = ['numFmts', 'fonts', 'fills', 'borders', 'cellStyleXfs', 'cellXfs', 'cellStyles', 'dxfs', 'tableStyles', 'colors', 'extLst'];
const WORKBOOK = ['fileVersion', 'fileSharing', 'workbookPr', 'workbookProtection', 'bookViews', 'sheets', 'functionGroups', 'externalReferences', 'definedNames', 'calcPr', 'oleSize', 'customWorkbookViews', 'pivotCaches', 'smartTagPr', 'smartTagTypes', 'webPublishing', 'fileRecoveryPr', 'webPublishObjects', 'extLst'];

/** A plan with every feature a plan can have. */
const full: SheetPlan = {
  name: '全区汇总',
  columns: [{ width: 14 }, { width: 20 }, { width: 12, numberFormat: '0.00' }, { width: 12, numberFormat: '0.00' }],
  rows: [
    { role: 'title', cells: [{ value: '标题' }] },
    { role: 'note', cells: [{ value: '说明 & <注>' }] },
    { role: 'header', cells: [{ value: '代码' }, { value: '名称' }, { value: '比率\n(%)' }, { value: '比率 (%)' }] },
    { role: 'data', cells: [{ value: '001' }, { value: '=SUM(A1)' }, { value: 95.5 }, { formula: '=C4*2', value: 191 }] },
    { role: 'subtotal', cells: [{ value: '小计' }, { value: null }, { value: 1 }, { formula: 'IF(C5>0,"是","否")', value: '是' }] },
    { role: 'total', cells: [{ value: '合计' }, { value: true }, { value: { error: '#DIV/0!' } }, { formula: 'C6', value: { error: '#DIV/0!' } }] },
  ],
  freeze: { rows: 3, cols: 1 },
  table: { name: 'HuizongSummary', r0: 2, c0: 0, r1: 5, c1: 3 },
  conditionals: [{ r0: 3, c0: 2, r1: 5, c1: 2, op: '>=', value: 90 }],
  validations: [{ r0: 3, c0: 2, r1: 5, c1: 2, type: 'decimal', min: 0, max: 100, prompt: 'p'.repeat(300), error: '错误' }],
  protection: { unlocked: [{ r0: 3, c0: 2, r1: 7, c1: 2 }] },
  merges: [{ r0: 0, c0: 0, r1: 0, c1: 3 }],
  cellFormats: [[7, 2, '@']],
  print: { landscape: true, fitToWidth: true, repeatRows: { r0: 2, r1: 2 }, footer: 'A & B' },
};

describe('sheet plans as SpreadsheetML', () => {
  it('keeps the schema’s element order in the worksheet, the styles and the workbook', async () => {
    const p = parts(await writeXlsx([full, { name: '二', rows: [{ role: 'data', cells: [{ value: 1 }] }] }]));
    for (const sheet of ['xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml']) {
      const list = children(p[sheet]!, 'worksheet');
      expect(inSchemaOrder(list, WORKSHEET), list.join(' ')).toBe(true);
    }
    expect(children(p['xl/worksheets/sheet1.xml']!, 'worksheet')).toEqual([
      'sheetPr', 'dimension', 'sheetViews', 'sheetFormatPr', 'cols', 'sheetData', 'sheetProtection', 'mergeCells', 'conditionalFormatting', 'dataValidations', 'pageMargins', 'pageSetup', 'headerFooter', 'tableParts',
    ]);
    const styles = children(p['xl/styles.xml']!, 'styleSheet');
    expect(inSchemaOrder(styles, STYLESHEET), styles.join(' ')).toBe(true);
    const workbook = children(p['xl/workbook.xml']!, 'workbook');
    expect(inSchemaOrder(workbook, WORKBOOK), workbook.join(' ')).toBe(true);
    // Cells in a row, and rows, in ascending order.
    for (const m of p['xl/worksheets/sheet1.xml']!.matchAll(/<row r="(\d+)">(.*?)<\/row>/g)) {
      const cols = [...m[2]!.matchAll(/<c r="([A-Z]+)(\d+)"/g)].map((c) => {
        expect(c[2]).toBe(m[1]);
        return c[1]!.length * 100 + c[1]!.charCodeAt(c[1]!.length - 1);
      });
      expect([...cols].sort((a, b) => a - b)).toEqual(cols);
    }
  });

  it('reads back as the plan: values, cached results, formulas, formats and merges', async () => {
    const back = read(await writeXlsx([full])).sheets[0]!;
    const want = planToGrid(full);
    const header = ['代码', '名称', '比率 (%)', '比率 (%) 2'];
    want.values.forEach((row, r) =>
      row.forEach((v, c) => {
        // The table's header cells hold its column names: one line each, unique.
        expect(back.values[r]?.[c] ?? null, `${r},${c}`).toEqual(r === 2 ? header[c] : v);
      }),
    );
    expect(back.formulas?.[3]?.[3]).toBe('=C4*2');
    expect(back.formulas?.[4]?.[3]).toBe('=IF(C5>0,"是","否")');
    expect(back.numberFormats?.[3]?.[2]).toBe('0.00');
    expect(back.merges).toEqual([{ r0: 0, c0: 0, r1: 0, c1: 3 }]);
  });

  it('writes text as text, never as a formula, whatever it starts with', async () => {
    const texts = ['=SUM(A1:A9)', '+1', '-2', '@INDIRECT("A1")', '=HYPERLINK("http://x","y")'];
    const p = parts(await writeXlsx([{ name: 'T', rows: [{ role: 'data', cells: texts.map((value) => ({ value })) }] }]));
    expect(p['xl/worksheets/sheet1.xml']).not.toContain('<f>');
    expect(read(await writeXlsx([{ name: 'T', rows: [{ role: 'data', cells: texts.map((value) => ({ value })) }] }])).sheets[0]!.values[0]).toEqual(texts);
  });

  it('gives the table part the column names its header cells hold, and each table a name and id of its own', async () => {
    const p = parts(await writeXlsx([full, { ...full, name: '二' }]));
    const t1 = p['xl/tables/table1.xml']!;
    const t2 = p['xl/tables/table2.xml']!;
    expect([...t1.matchAll(/<tableColumn id="\d+" name="([^"]*)"/g)].map((m) => m[1])).toEqual(['代码', '名称', '比率 (%)', '比率 (%) 2']);
    expect(t1).toMatch(/ id="1" name="HuizongSummary" displayName="HuizongSummary" ref="A3:D6"/);
    expect(t2).toMatch(/ id="2" name="HuizongSummary_2" displayName="HuizongSummary_2"/);
    expect(p['xl/worksheets/_rels/sheet2.xml.rels']).toContain('Target="../tables/table2.xml"');
    expect(p['[Content_Types].xml']).toContain('<Override PartName="/xl/tables/table2.xml"');
  });

  it('unlocks only the input cells of a protected sheet, blanks included', async () => {
    const p = parts(await writeXlsx([full]));
    const xfs = [...p['xl/styles.xml']!.split('<cellXfs')[1]!.matchAll(/<xf [^>]*?(?:\/>|>.*?<\/xf>)/g)].map((m) => m[0]);
    const styleOf = (ref: string): string => xfs[Number(new RegExp(`<c r="${ref}"(?: s="(\\d+)")?`).exec(p['xl/worksheets/sheet1.xml']!)?.[1] ?? 0)]!;
    for (const ref of ['C4', 'C5', 'C6', 'C7', 'C8']) expect(styleOf(ref), ref).toContain('<protection locked="0"/>');
    for (const ref of ['A4', 'B4', 'D4']) expect(styleOf(ref), ref).not.toContain('locked="0"');
    // A blank input cell keeps the single-cell format planned for it (text), beyond the planned rows.
    expect(styleOf('C8')).toMatch(/numFmtId="49"/);
    expect(p['xl/worksheets/sheet1.xml']).toContain('<sheetProtection sheet="1" formatColumns="0" formatRows="0"/>');
  });

  it('writes a paper sheet’s setup: scale, margins, centring, repeated columns and rows, row heights, wrapped and aligned cells', async () => {
    const paper: SheetPlan = {
      name: '表1 基本情况',
      rows: [
        { role: 'title', cells: [{ value: '东湖县汇总表' }], align: 'center', height: 24 },
        { role: 'header', cells: [{ value: '学校名称' }, { value: '在校学生数（人）' }], height: 33 },
        { role: 'data', cells: [{ value: '一个很长很长的学校名称' }, { value: 1200 }] },
        { role: 'note', cells: [{ value: '本表计入 1 所学校。' }], wrap: true, height: 48.1 },
      ],
      columns: [{ width: 12, numberFormat: '@', wrap: true }, { width: 9, numberFormat: '#,##0' }],
      merges: [{ r0: 0, c0: 0, r1: 0, c1: 1 }],
      print: { landscape: true, fitToWidth: false, scale: 100, repeatRows: { r0: 1, r1: 1 }, repeatCols: { c0: 0, c1: 0 }, margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6 }, center: true },
    };
    const p = parts(await writeXlsx([paper]));
    const sheet = p['xl/worksheets/sheet1.xml']!;
    expect(inSchemaOrder(children(sheet, 'worksheet'), WORKSHEET)).toBe(true);
    expect(sheet).not.toContain('fitToPage');
    expect(sheet).toContain('<printOptions horizontalCentered="1"/><pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>');
    expect(sheet).toContain('<pageSetup paperSize="9" orientation="landscape" scale="100"/>');
    expect(sheet).toContain('<row r="1" ht="24" customHeight="1">');
    expect(sheet).toContain('<row r="2" ht="33" customHeight="1">');
    expect(sheet).toContain('<row r="3">');
    // Heights are written in quarter points, as Excel keeps them.
    expect(sheet).toContain('<row r="4" ht="48" customHeight="1">');
    expect(p['xl/workbook.xml']).toContain('<definedName name="_xlnm.Print_Titles" localSheetId="0">&apos;表1 基本情况&apos;!$A:$A,&apos;表1 基本情况&apos;!$2:$2</definedName>');
    const xfs = [...p['xl/styles.xml']!.split('<cellXfs')[1]!.matchAll(/<xf [^>]*?(?:\/>|>.*?<\/xf>)/g)].map((m) => m[0]);
    const styleOf = (ref: string): string => xfs[Number(new RegExp(`<c r="${ref}"(?: s="(\\d+)")?`).exec(sheet)?.[1] ?? 0)]!;
    expect(styleOf('A1')).toContain('<alignment horizontal="center"/>');
    expect(styleOf('A3')).toContain('wrapText="1"');
    expect(styleOf('B3')).not.toContain('wrapText');
    expect(styleOf('A4')).toContain('wrapText="1"');
    // The plan reads back unchanged.
    expect(read(await writeXlsx([paper])).sheets[0]!.values[2]).toEqual(['一个很长很长的学校名称', 1200]);
  });

  it('centres a column’s data rows when the column asks, and leaves its header and a row with its own alignment alone', async () => {
    const plan: SheetPlan = {
      name: 'Index',
      rows: [
        { role: 'header', cells: [{ value: '错误' }, { value: '问题类别' }] },
        { role: 'data', cells: [{ value: 1 }, { value: '校验规则未通过' }] },
        { role: 'note', cells: [{ value: 'x' }], align: 'right' },
      ],
      columns: [{ width: 5, align: 'center' }, { width: 24 }],
    };
    const p = parts(await writeXlsx([plan]));
    const sheet = p['xl/worksheets/sheet1.xml']!;
    const xfs = [...p['xl/styles.xml']!.split('<cellXfs')[1]!.matchAll(/<xf [^>]*?(?:\/>|>.*?<\/xf>)/g)].map((m) => m[0]);
    const styleOf = (ref: string): string => xfs[Number(new RegExp(`<c r="${ref}"(?: s="(\\d+)")?`).exec(sheet)?.[1] ?? 0)]!;
    expect(styleOf('A2')).toContain('horizontal="center"');
    expect(styleOf('B2')).not.toContain('horizontal');
    expect(styleOf('A1')).not.toContain('horizontal="center"');
    expect(styleOf('A3')).toContain('horizontal="right"');
  });

  it('prints as planned and clips texts Excel would refuse', async () => {
    const p = parts(await writeXlsx([full]));
    const sheet = p['xl/worksheets/sheet1.xml']!;
    expect(sheet).toContain('<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>');
    expect(sheet).toContain('<oddFooter>&amp;LA &amp;&amp; B&amp;C&amp;P / &amp;N</oddFooter>');
    expect(sheet).toContain('<pane xSplit="1" ySplit="3" topLeftCell="B4" activePane="bottomRight" state="frozen"/>');
    expect(/prompt="(p*…)"/.exec(sheet)?.[1]).toHaveLength(255);
    expect(p['xl/workbook.xml']).toContain('<definedName name="_xlnm.Print_Titles" localSheetId="0">&apos;全区汇总&apos;!$3:$3</definedName>');
  });

  it('refuses overlapping merges, bad sheet names, a workbook without sheets and a sheet beyond the grid', async () => {
    await expect(writeXlsx([{ ...full, merges: [{ r0: 0, c0: 0, r1: 1, c1: 1 }, { r0: 1, c0: 1, r1: 2, c1: 2 }] }])).rejects.toThrow(XlsxPlanError);
    await expect(writeXlsx([{ ...full, name: 'a/b' }])).rejects.toThrow(XlsxPlanError);
    await expect(writeXlsx([full, full])).rejects.toThrow(XlsxPlanError);
    await expect(writeXlsx([])).rejects.toThrow(XlsxPlanError);
    const wide: SheetPlan = { name: 'W', rows: [{ role: 'data', cells: Array.from({ length: 16_385 }, () => ({ value: 1 })) }] };
    await expect(writeXlsx([wide])).rejects.toThrow(/16385 columns/);
    const long: SheetPlan = { name: 'L', rows: [{ role: 'data', cells: [{ value: 1 }] }], cellFormats: [[1_048_576, 0, '@']] };
    await expect(writeXlsx([long])).rejects.toThrow(/1048577 rows/);
  });

  it('gives back any planned grid of values, formulas and column formats', async () => {
    const value: fc.Arbitrary<CellValue> = fc.oneof(
      fc.constant(null),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer(),
      fc.boolean(),
      fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '&', '<', '>', '"', "'", '=', '+', '-', '@', '学', '\n', '1') }),
      fc.constantFrom<CellValue>({ error: '#N/A' }, { error: '#REF!' }),
    );
    const cell = fc.oneof(
      value.map((v) => ({ value: v })),
      fc.tuple(fc.constantFrom('A1+1', '=SUM(A1:B2)', 'IF(A1>0,"x&y","")'), value).map(([formula, v]) => ({ formula, value: v })),
    );
    const rows = fc.array(fc.record({ role: fc.constantFrom('data', 'header', 'total', 'note') as fc.Arbitrary<'data'>, cells: fc.array(cell, { maxLength: 5 }) }), { maxLength: 6 });
    const formats = fc.array(fc.constantFrom<string | undefined>(undefined, '0.00', '#,##0', '0.0"%"'), { maxLength: 5 });
    await fc.assert(
      fc.asyncProperty(rows, formats, async (planned, fmts) => {
        const plan: SheetPlan = { name: 'P', rows: [...planned, { role: 'data', cells: [{ value: '末行' }] }], columns: fmts.map((f) => (f === undefined ? {} : { numberFormat: f })) };
        const back: SheetGrid = read(await writeXlsx([plan])).sheets[0]!;
        const want = planToGrid(plan);
        want.values.forEach((row, r) =>
          row.forEach((v, c) => {
            const expected = typeof v === 'number' && Object.is(v, -0) ? 0 : v;
            expect(back.values[r]?.[c] ?? null, `${r},${c}`).toEqual(expected);
            const f = want.formulas?.[r]?.[c] ?? null;
            expect(back.formulas?.[r]?.[c] ?? null).toBe(f === null ? null : f.startsWith('=') ? f : `=${f}`);
          }),
        );
      }),
      { numRuns: 80 },
    );
  });
});

describe('characters XML cannot hold', () => {
  // XML 1.0's Char production, as a test of every part written.
  const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

  it('are left out of every part, from a school file that carried them escaped into the summary, a copy of its sheet and its notes', async () => {
    // A school's .xlsx may hold U+FFFE and U+FFFF as `_xFFFE_`/`_xFFFF_`, and controls as `_x0001_`: valid there, not once unescaped.
    const base = await writeXlsx([{ name: '填报表', rows: [{ role: 'data', cells: [{ value: '学校名称' }, { value: 'NAME' }] }], columns: [] }]);
    const p = unzipSync(base);
    const shared = strFromU8(p['xl/sharedStrings.xml']!).replace('>NAME<', '>城关_xFFFE_一小_xFFFF__x0001_<');
    p['xl/sharedStrings.xml'] = new TextEncoder().encode(shared);
    const school = read(zipSync(p));
    const grid = school.sheets[0]!;
    const name = grid.values[0]![1] as string;
    expect(name).toBe('城关\uFFFE一小\uFFFF\u0001');
    const plan: SheetPlan = { name: `汇总${name}`.slice(0, 31), rows: [{ role: 'data', cells: [{ value: name }, { value: 1 }] }], columns: [{ width: 10 }] };
    const bytes = await writeXlsx([plan], [{ grid, name: '副本', updates: [], marks: [{ sheet: '副本', cell: 'B1', severity: 'error', message: `学校 ${name} 有误` }] }]);
    for (const [part, xml] of Object.entries(parts(bytes))) expect(NOT_XML.test(xml), part).toBe(false);
    const back = read(bytes);
    expect(back.sheets.map((s) => s.values[0]![0])).toContain('城关一小');
    expect(back.sheets.find((s) => s.name === '副本')!.values[0]![1]).toBe('城关一小');
  });
});
