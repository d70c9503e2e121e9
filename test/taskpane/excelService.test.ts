/** The Excel pane's service over the simulated workbook: the job pipeline through the pane's runner, last period from a sheet or a file, files read by the reader it is wired with. */
import { unzipSync } from 'fflate';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cellAddress } from '../../src/core/grid';
import { createExcelService } from '../../src/taskpane/excelService';
import { errorText, isCellEditRefusal } from '../../src/taskpane/i18n';
import { createInlineRunner } from '../../src/taskpane/runner';
import type { ConsolidateChoices, RunControl } from '../../src/taskpane/service';
import { SHEET_NAMES } from '../../src/workbook/names';
import { readWorkbookFile } from '../../src/xlsx/file';
import { writeXlsx } from '../../src/xlsx/write';
import { gridPlan } from '../../src/excel/grids';
import { cleanSchools, workbookWith } from '../excel/helpers';

let uninstall = (): void => {};
afterEach(() => uninstall());

const CHOICES: ConsolidateChoices = { groupBy: ['stage', 'township'], mode: 'values', includeSchoolsWithErrors: false, writeRates: true };
const ctl: RunControl = { signal: new AbortController().signal, onProgress: () => {} };

function setUp() {
  const { definitions, grids } = cleanSchools(6);
  const w = workbookWith(definitions, grids);
  uninstall = w.uninstall;
  const readFile = vi.fn(readWorkbookFile);
  const service = createExcelService({ runner: createInlineRunner(), readFile, writeFile: writeXlsx });
  // Where the first school's student count is on its sheet.
  const g = grids[0]!;
  const row = g.values.findIndex((r) => r.includes('STUDENTS'));
  const col = g.values[row]!.findIndex((v) => typeof v === 'number');
  return { sim: w.sim, service, readFile, sheet: g.name, students: { cell: cellAddress(row, col), value: g.values[row]![col] as number } };
}

/** The summary sheet made last period's: its note row states an earlier 填报期. */
function asLastPeriod(sim: ReturnType<typeof setUp>['sim']): void {
  sim.type(SHEET_NAMES['zh-CN'].summary, 'A2', { value: '填报期：上一学期' });
}

const changes = (issues: readonly { code: string; school?: string; subject?: string }[]) => issues.filter((i) => i.code === 'outlier.period_change').map((i) => `${i.school}:${i.subject}`);

describe('the Excel service', () => {
  it('compares with last period’s summary sheet, read when the clerk picks it', async () => {
    const { sim, service, sheet, students } = setUp();
    await service.consolidate(CHOICES, 'zh-CN', ctl);
    const sheets = await service.previousSheets!();
    expect(sheets).toContain(SHEET_NAMES['zh-CN'].summary);
    expect(sheets.some((s) => ['指标', '校验规则', '比率', '学校名册'].includes(s))).toBe(false);

    // This period's own summary is refused; last period's (as the clerk's workbook holds it before consolidating) is taken.
    await expect(service.loadPrevious({ sheet: SHEET_NAMES['zh-CN'].summary }, ctl)).rejects.toMatchObject({ name: 'PaneError', code: 'previous_same_period' });
    asLastPeriod(sim);
    const view = await service.loadPrevious({ sheet: SHEET_NAMES['zh-CN'].summary }, ctl);
    expect(view).toEqual({ name: SHEET_NAMES['zh-CN'].summary, from: 'sheet', schools: 6 });
    expect(changes((await service.validate(ctl)).issues)).toEqual([]);

    // The school now reports three times as many students: queried against last period.
    sim.type(sheet, students.cell, { value: students.value * 3 });
    const code = (await service.validate(ctl)).schools.find((s) => s.sheet === sheet)!.code;
    expect(changes((await service.validate(ctl)).issues)).toContain(`${code}:STUDENTS`);

    // Consolidating again replaces the summary sheet, but the values loaded stay last period's.
    await service.consolidate(CHOICES, 'zh-CN', ctl);
    expect(changes((await service.validate(ctl)).issues)).toContain(`${code}:STUDENTS`);

    await service.clearPrevious();
    expect(changes((await service.validate(ctl)).issues)).toEqual([]);
  });

  it('reads a previous file with the reader it was wired with, and keeps the loaded values when a file holds no summary', async () => {
    const { sim, service, readFile, sheet, students } = setUp();
    await service.consolidate(CHOICES, 'zh-CN', ctl);
    asLastPeriod(sim);
    const summary = await readFileFromWorkbook();
    await service.loadPrevious({ file: { name: 'last.xlsx', bytes: summary } }, ctl);
    expect(readFile).toHaveBeenCalledWith(summary, 'last.xlsx');

    const other = await writeXlsx([gridPlan({ name: '名册', values: [['代码'], ['x']] }, '名册')]);
    await expect(service.loadPrevious({ file: { name: 'roster.xlsx', bytes: other } }, ctl)).rejects.toMatchObject({ name: 'PaneError', code: 'previous_invalid' });
    await expect(service.loadPrevious({ sheet: '没有这张表' }, ctl)).rejects.toMatchObject({ code: 'previous_invalid' });
    // last.xlsx still stands: a change since it is queried.
    sim.type(sheet, students.cell, { value: students.value * 3 });
    expect(changes((await service.validate(ctl)).issues)).toHaveLength(1);
  });
});

describe('a write that fails', () => {
  it('says nothing was written when Excel fails the look before writing, and leaves the workbook as it was', async () => {
    const { sim, service } = setUp();
    await service.validate(ctl);
    const sheets = sim.names();
    const before = sim.syncs.length;
    // Consolidating after a validation: one sync to see the sheets are unchanged, then the look before writing.
    sim.failAt = (n) => n === before + 2;
    const err = await service.consolidate(CHOICES, 'zh-CN', ctl).catch((e: unknown) => e);
    sim.failAt = null;
    expect(err).toMatchObject({ name: 'PaneError', code: 'write_not_started' });
    expect(errorText(err, 'zh-CN').message).toContain('工作簿没有任何改动');
    expect(errorText(err, 'zh-CN').message).not.toContain('中途');
    expect(sim.names()).toEqual(sheets);
    expect(sim.syncs.slice(before).filter((x) => x.failed === undefined)).toHaveLength(1);
  });

  it('says the write stopped part-way when Excel fails once writing has begun', async () => {
    const { sim, service } = setUp();
    await service.validate(ctl);
    const before = sim.syncs.length;
    // Every sync after the look fails, the clean-up too.
    sim.failAt = (n) => n > before + 2;
    const err = await service.consolidate(CHOICES, 'zh-CN', ctl).catch((e: unknown) => e);
    sim.failAt = null;
    expect(err).toMatchObject({ name: 'PaneError', code: 'write_unfinished' });
  });

  it('takes the refusals while a cell is edited from one list, and words them as such', () => {
    const refusal = (code: string): Error => Object.assign(new Error(code), { code });
    for (const code of ['InvalidOperation', 'InvalidOperationInCellEditMode']) {
      expect(isCellEditRefusal(refusal(code)), code).toBe(true);
      expect(errorText(refusal(code), 'zh-CN').message).toContain('单元格');
    }
    expect(isCellEditRefusal(refusal('GeneralException'))).toBe(false);
    expect(errorText(refusal('GeneralException'), 'zh-CN').message).not.toContain('单元格');
  });
});

/** The summary the service wrote, saved as a district file would be. */
async function readFileFromWorkbook(): Promise<Uint8Array> {
  const { readForJob } = await import('../../src/excel');
  const read = await readForJob({ schoolSheets: [SHEET_NAMES['zh-CN'].summary] });
  return await writeXlsx([gridPlan(read.schoolBook.sheets[0]!, SHEET_NAMES['zh-CN'].summary)]);
}

describe('return packages from Excel', () => {
  it('packs a workbook for each school sheet with problems and writes the index into the workbook too', async () => {
    const { sim, service, sheet, students } = setUp();
    sim.type(sheet, students.cell, { value: 'many' });
    const r = await service.returnPackages('zh-CN', ctl);
    expect(r.schools).toBe(1);
    expect(r.indexSheet).toBe('退回汇总');
    const files = unzipSync(r.file.bytes);
    const names = Object.keys(files).sort();
    expect(names).toHaveLength(2);
    expect(names).toContain('退回汇总.xlsx');
    const pkg = (await readWorkbookFile(files[names.find((n) => n !== '退回汇总.xlsx')!]!, 'p.xlsx')).book!;
    expect(pkg.sheets.map((s) => s.name)).toEqual(['退回意见', sheet]);
    expect(pkg.sheets[1]!.values.flat()).toContain('many');
    expect(sim.names()).toContain('退回汇总');
    // Asked again, the index sheet is replaced, not added.
    await service.returnPackages('zh-CN', ctl);
    expect(sim.names().filter((n) => n === '退回汇总')).toHaveLength(1);
  });
});
