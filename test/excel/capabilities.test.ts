/** What the adapter does with the requirement sets the clerk's Excel has. */
import { afterEach, describe, expect, it } from 'vitest';
import { readWorkbookFile } from '../../src/xlsx/file';
import { ExcelCapabilityError, createDefinitionSheets, importSchoolFiles, selectCell, writeResults, writeWorkbook } from '../../src/excel';
import { builtinPreset } from '../../src/core/preset';
import { COLORS } from '../../src/excel/render';
import { errorText } from '../../src/taskpane/i18n';
import { SHEET_NAMES } from '../../src/workbook/names';
import { PAPER_MARGINS } from '../../src/workbook/page';
import type { SheetPlan } from '../../src/workbook/plan';
import { UNDO_TABLE } from './sim/undo';
import { ExcelSim, applicationCalls } from './sim';

let uninstall = (): void => {};
afterEach(() => uninstall());

function workbook(options: ConstructorParameters<typeof ExcelSim>[0] = {}): ExcelSim {
  const sim = new ExcelSim(options);
  sim.addSheet({ name: 'S', values: [['x', 1]] });
  uninstall = sim.install();
  return sim;
}

const chart = { sheet: SHEET_NAMES['zh-CN'].chart, title: '率', categories: ['甲', '乙'], values: [90, 97], target: 96, decimals: 1 };

describe('requirement sets', () => {
  it('refuses below ExcelApi 1.7 with an error the pane puts in plain words', async () => {
    workbook({ apiVersion: '1.6' });
    const err = await writeResults({ plans: [], rateUpdates: [], marks: [], markSheets: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExcelCapabilityError);
    expect(err).toMatchObject({ name: 'ExcelCapabilityError', requirement: 'ExcelApi 1.7' });
    expect(errorText(err, 'zh-CN').message).toContain('ExcelApi 1.7');
    await expect(importSchoolFiles([], [], { readFile: readWorkbookFile })).rejects.toBeInstanceOf(ExcelCapabilityError);
    await expect(selectCell('S', 'A1')).rejects.toBeInstanceOf(ExcelCapabilityError);
  });

  it('writes as one undo step where the requirement set allows it, after one look that changes nothing, and never runs a write twice', async () => {
    const sim = workbook();
    const result = await writeResults({ plans: [], rateUpdates: [], marks: [], markSheets: [], chart });
    expect([sim.undoGroups, sim.runs, result.undo]).toEqual([1, 2, 'whole']);
    uninstall();

    const old = workbook({ apiVersion: '1.19' });
    const before = await writeResults({ plans: [], rateUpdates: [], marks: [], markSheets: [], chart });
    expect([old.undoGroups, old.runs, before.undo]).toEqual([0, 2, 'steps']);
  });

  it('knows the error codes Office.js defines, UndoNotSupported and BadPassword among them, and no other', async () => {
    const { SimError } = await import('./sim/objects');
    // "Application-specific API error handling" lists both.
    expect(new SimError('UndoNotSupported').code).toBe('UndoNotSupported');
    expect(new SimError('BadPassword').code).toBe('BadPassword');
    expect(() => new SimError('NoSuchCode')).toThrow(/does not define/);
  });

  it('asks Excel to wait while the clerk edits a cell where the host can (ExcelApi 1.11), and says plainly where it cannot', async () => {
    const sim = workbook();
    sim.cellEditMode = true;
    await writeResults({ plans: [], rateUpdates: [], marks: [], markSheets: [], chart });
    expect(sim.delayedRuns).toBe(2);
    expect(sim.names()).toContain(SHEET_NAMES['zh-CN'].chart);
    uninstall();
    const old = workbook({ apiVersion: '1.10' });
    old.cellEditMode = true;
    const err = await writeResults({ plans: [], rateUpdates: [], marks: [], markSheets: [], chart }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'InvalidOperation' });
    expect(errorText(err, 'zh-CN').message).toContain('单元格');
    expect(old.names()).toEqual(['S']);
  });

  it('suspends calculation while the sheets fill, screen updating once for the last sync, and recalculates at the end', async () => {
    workbook().resetCounters();
    await writeWorkbook({ plans: [{ name: 'New', rows: [{ role: 'data', cells: [{ formula: '=S!B1*2' }] }] }] });
    expect(applicationCalls()).toEqual(['suspendCalculation', 'suspendScreen', 'calculate Recalculate']);
    uninstall();
    workbook({ apiVersion: '1.8' }).resetCounters();
    await writeWorkbook({ plans: [{ name: 'New', rows: [{ role: 'data', cells: [{ value: 1 }] }] }] });
    expect(applicationCalls().filter((c) => c === 'suspendScreen')).toEqual([]);
  });

  it('sets how a sheet prints from ExcelApi 1.9, and below it leaves Excel’s defaults and says which set it lacks', async () => {
    const plan = { name: 'Printed', rows: [{ role: 'data' as const, cells: [{ value: 1 }] }], print: { landscape: true, fitToWidth: true, footer: 'A & B' } };
    const current = workbook();
    expect((await writeWorkbook({ plans: [plan] })).lacking).toEqual([]);
    // A literal & in a footer is doubled: a single one starts one of Excel's codes.
    expect(current.sheet('Printed').print).toEqual({ paperSize: 'A4', orientation: 'Landscape', zoom: { horizontalFitToPages: 1 }, leftFooter: 'A && B', centerFooter: '&P / &N' });
    uninstall();
    const old = workbook({ apiVersion: '1.8' });
    expect((await writeWorkbook({ plans: [plan] })).lacking).toEqual(['ExcelApi 1.9']);
    expect(old.sheet('Printed').print).toEqual({});
  });

  it('prints a printed table as the .xlsx does: A4 at its scale, margins, centred, repeated rows and columns, tall wrapped rows, aligned and wrapped cells', async () => {
    const plan: SheetPlan = {
      name: '表1 基本情况',
      rows: [
        { role: 'title', cells: [{ value: '东湖县2026年秋季学期基本情况汇总表' }], align: 'center', height: 24 },
        { role: 'note', cells: [{ value: '表号：教统汇 1 表' }], align: 'right', wrap: true, height: 33 },
        { role: 'header', cells: [{ value: '学校名称' }, { value: '在校学生数（人）' }, { value: '备注' }], height: 48 },
        { role: 'data', cells: [{ value: '甲' }, { value: 1 }, { value: '一段很长的说明' }] },
        { role: 'data', cells: [{ value: '乙' }, { value: 2 }, { value: '又一段' }] },
        { role: 'total', cells: [{ value: '全区合计' }, { value: 3 }] },
        { role: 'note', cells: [{ value: '本表计入 2 所学校。' }], wrap: true, height: 63 },
      ],
      columns: [{ width: 24 }, { width: 10, align: 'center' }, { width: 12, wrap: true }],
      merges: [{ r0: 0, c0: 0, r1: 0, c1: 2 }, { r0: 1, c0: 0, r1: 1, c1: 2 }, { r0: 6, c0: 0, r1: 6, c1: 2 }],
      print: { landscape: true, fitToWidth: false, scale: 100, repeatRows: { r0: 2, r1: 2 }, repeatCols: { c0: 0, c1: 1 }, margins: PAPER_MARGINS, center: true, footer: '东湖县 表1' },
    };
    const sim = workbook();
    const done = await writeWorkbook({ plans: [plan] });
    expect(done.lacking).toEqual([]);
    const sheet = sim.sheet(plan.name);
    const pt = (inches: number): number => Math.round(inches * 72 * 100) / 100;
    expect(sheet.print).toEqual({
      paperSize: 'A4',
      orientation: 'Landscape',
      zoom: { scale: 100 },
      // Inches as points (72 to the inch); header and footer halfway into the top and bottom margins.
      leftMargin: pt(PAPER_MARGINS.left),
      rightMargin: pt(PAPER_MARGINS.right),
      topMargin: pt(PAPER_MARGINS.top),
      bottomMargin: pt(PAPER_MARGINS.bottom),
      headerMargin: pt(PAPER_MARGINS.top / 2),
      footerMargin: pt(PAPER_MARGINS.bottom / 2),
      centerHorizontally: true,
      titleRows: '$3:$3',
      titleColumns: '$A:$B',
      leftFooter: '东湖县 表1',
      centerFooter: '&P / &N',
    });
    expect([...sheet.rowHeights.entries()]).toEqual([[0, 24], [1, 33], [2, 48], [6, 63]]);
    const cell = (a: string) => sim.cell(plan.name, a);
    expect([cell('A1')?.hAlign, cell('A2')?.hAlign, cell('A4')?.hAlign]).toEqual(['Center', 'Right', undefined]);
    // The wrapped notes, and the wrapping column over its data rows only.
    expect([cell('A2')?.wrap, cell('A7')?.wrap, cell('C4')?.wrap, cell('C5')?.wrap, cell('B4')?.wrap ?? false]).toEqual([true, true, true, true, false]);
    expect(cell('A7')?.vAlign).toBe('Center');
    // The centred column over its data and total rows, not its header.
    expect([cell('B3')?.hAlign, cell('B4')?.hAlign, cell('B5')?.hAlign, cell('B6')?.hAlign]).toEqual([undefined, 'Center', 'Center', 'Center']);
  });

  it('groups the page setup with the rest as one undo step: the undo page lists no call of PageLayout or RangeFormat', async () => {
    for (const api of Object.keys(UNDO_TABLE)) expect(api).not.toMatch(/^(PageLayout|HeaderFooter|RangeFormat)\b/);
    const plan: SheetPlan = { name: 'P', rows: [{ role: 'note', cells: [{ value: 'x' }], wrap: true, height: 40, align: 'right' }], columns: [{ width: 10, wrap: true }], print: { landscape: false, fitToWidth: false, scale: 90, repeatRows: { r0: 0, r1: 0 }, repeatCols: { c0: 0, c1: 0 }, margins: PAPER_MARGINS, center: true } };
    const sim = workbook({ profile: 'web' });
    const done = await writeWorkbook({ plans: [plan] });
    expect([done.undo, sim.undoGroups]).toEqual(['whole', 1]);
    expect(sim.sheet('P').print.titleColumns).toBe('$A:$A');
  });

  it('writes the template without data validation below ExcelApi 1.8', async () => {
    const sim = workbook({ apiVersion: '1.7' });
    await createDefinitionSheets(builtinPreset(), 'en-US');
    expect(sim.names()).toEqual(['S', 'Indicators', 'Rules', 'Rates', 'Dispersion', 'Standards', 'Roster', 'Layout', SHEET_NAMES['en-US'].template]);
    expect(sim.sheet(SHEET_NAMES['en-US'].template).validations).toEqual([]);
    uninstall();
    const now = workbook();
    await createDefinitionSheets(builtinPreset(), 'en-US');
    expect(now.sheet(SHEET_NAMES['en-US'].template).validations.length).toBeGreaterThan(0);
  });

  it("writes the template's own checks: hidden check columns, hidden formulas, a red highlight, the self-check line", async () => {
    const sim = workbook();
    await createDefinitionSheets(builtinPreset(), 'zh-CN');
    const t = sim.sheet(SHEET_NAMES['zh-CN'].template);
    expect([...t.hiddenColumns].sort((a, b) => a - b)[0]).toBe(5);
    const e1 = t.cells.get(4);
    expect(e1?.formulaHidden).toBe(true);
    expect(t.conditionalFormats.some((c) => c.type === 'Custom' && c.fill === COLORS.badFill && /^=LEN\(\$E\d+\)>0$/.test(c.formula ?? ''))).toBe(true);
    expect(t.protected).toBe(true);
  });

  it('selects a cell in one sync', async () => {
    const sim = workbook();
    sim.addSheet({ name: 'T', values: [[1]] });
    await selectCell('T', 'D14');
    expect(sim.syncCount).toBe(1);
    expect(sim.model.activeSheetId).toBe(sim.sheet('T').id);
    expect(sim.model.selection).toEqual({ sheetId: sim.sheet('T').id, rect: { r0: 13, c0: 3, r1: 13, c1: 3 } });
  });
});
