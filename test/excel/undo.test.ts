/**
 * Excel's undo rules and the behaviours around them, as documented, on every host profile: the
 * simulator refuses what the documentation refuses (SOURCES.md says where each comes from), and the
 * adapter's writes keep the clerk's undo history, and their formulas, wherever Excel allows it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { builtinPreset } from '../../src/core/preset';
import { createDefinitionSheets, importSchoolFiles, readForJob, resultsOutlook, writeResults, writeWorkbook } from '../../src/excel';
import { demoDefinitions, generateManySchools, schoolFormPlan } from '../../src/demo';
import { consolidateBooks, loadDefinitions } from '../../src/taskpane/jobs';
import type { ConsolidateChoices } from '../../src/taskpane/service';
import { SHEET_NAMES } from '../../src/workbook/names';
import { readWorkbookFile } from '../../src/xlsx/file';
import { withoutSheetProtection } from '../../src/xlsx/unprotect';
import { writeXlsx } from '../../src/xlsx/write';
import { cleanSchools, workbookWith } from './helpers';
import { ExcelSim, PROFILES, type ProfileName } from './sim';

let uninstall = (): void => {};
afterEach(() => uninstall());

const ALL = Object.keys(PROFILES) as ProfileName[];
const CHOICES: ConsolidateChoices = { groupBy: ['stage'], mode: 'values', includeSchoolsWithErrors: false, writeRates: true };
const hooks = { onProgress: () => {} };

function install(sim: ExcelSim): ExcelSim {
  uninstall = sim.install();
  return sim;
}

/** One batch of calls on the simulated workbook, in or out of an undo group. */
async function batch(grouped: boolean, fn: (ctx: Excel.RequestContext) => void): Promise<void> {
  const run = (Excel as unknown as { run: (...a: unknown[]) => Promise<void> }).run;
  const body = async (ctx: Excel.RequestContext): Promise<void> => {
    fn(ctx);
    await ctx.sync();
  };
  await (grouped ? run({ mergeUndoGroup: true }, body) : run(body));
}

/** The forms of `n` schools as sheets, unprotected (inserted as the pane inserts them), and a consolidation's output for them. */
async function consolidation(n: number, profile: ProfileName, protect = false): Promise<{ sim: ExcelSim; out: Awaited<ReturnType<typeof consolidateBooks>> }> {
  const { definitions, grids } = cleanSchools(n);
  const w = workbookWith(definitions, protect ? grids : grids.map(({ protection: _p, ...g }) => g), { profile });
  uninstall = w.uninstall;
  const read = await readForJob({});
  const { definitions: defs } = loadDefinitions({ kind: 'sheets', sheets: read.definitionSheets });
  const out = await consolidateBooks(defs!, [read.schoolBook], CHOICES, 'zh-CN', 'excel', hooks);
  return { sim: w.sim, out };
}

const write = (out: Awaited<ReturnType<typeof consolidateBooks>>) =>
  writeResults({ plans: [...out.plans], rateUpdates: [...out.rateUpdates], marks: [...out.marks], markSheets: [...out.markSheets], ...(out.chart ? { chart: out.chart } : {}) });

describe('the undo table in the simulator', () => {
  it.each(ALL)('on %s: a call Excel cannot undo throws UndoNotSupported inside a group, and clears the history outside one', async (profile) => {
    const sim = install(new ExcelSim({ profile }));
    sim.addSheet({ name: 'A', values: [[1]] });
    sim.addSheet({ name: 'B', values: [[2]] });
    sim.type('A', 'A2', { value: 5 });
    const grouping = PROFILES[profile].apiVersion === '1.20';
    if (grouping) {
      await expect(batch(true, (ctx) => ctx.workbook.worksheets.getItem('B').delete())).rejects.toMatchObject({ code: 'UndoNotSupported' });
      expect(sim.names()).toEqual(['A', 'B']);
      // Renaming can be undone on the web only.
      const rename = batch(true, (ctx) => (ctx.workbook.worksheets.getItem('B').name = 'C'));
      if (PROFILES[profile].platform === 'web') await rename;
      else await expect(rename).rejects.toMatchObject({ code: 'UndoNotSupported' });
      expect(sim.undoStack.length).toBe(PROFILES[profile].platform === 'web' ? 2 : 1);
    }
    // Outside a group: done, and the history before it is gone.
    await batch(false, (ctx) => ctx.workbook.worksheets.getItem('A').protection.protect());
    expect(sim.undoStack).toEqual([]);
    expect(sim.historyCleared).toBe(1);
    // An undoable change outside a group is a step of its own, and Ctrl+Z takes it back.
    const b = sim.names()[1]!;
    await batch(false, (ctx) => (ctx.workbook.worksheets.getItem(b).getRange('A1').values = [[9]]));
    expect(sim.undo()).toBe(true);
    expect(sim.cell(b, 'A1')!.value).toBe(2);
  });

  it('asking for merged areas clears the history on Windows only (office-js #5918)', async () => {
    for (const profile of ['windows', 'mac', 'web'] as const) {
      const sim = install(new ExcelSim({ profile }));
      sim.addSheet({ name: 'A', values: [[1, null]], merges: [{ r0: 0, c0: 0, r1: 0, c1: 1 }] });
      sim.type('A', 'A2', { value: 5 });
      await batch(false, (ctx) => ctx.workbook.worksheets.getItem('A').getRange('A1:B1').getMergedAreasOrNullObject().load('address'));
      expect([profile, sim.undoStack.length]).toEqual([profile, profile === 'windows' ? 0 : 1]);
      uninstall();
    }
  });

  it('turns formulas that point at a deleted sheet into #REF!, and follows a renamed one', async () => {
    const sim = install(new ExcelSim());
    sim.addSheet({ name: '全区汇总', values: [[null, 42]] });
    sim.addSheet({ name: 'District summary', values: [[7]] });
    sim.addSheet('报市局');
    sim.type('报市局', 'A1', { formula: '=全区汇总!B1' });
    sim.type('报市局', 'A2', { formula: "='District summary'!A1*2" });
    expect(sim.cell('报市局', 'A1')).toMatchObject({ value: 42 });
    await batch(false, (ctx) => (ctx.workbook.worksheets.getItem('全区汇总').name = '上期汇总'));
    expect(sim.cell('报市局', 'A1')).toMatchObject({ formula: '=上期汇总!B1', value: 42 });
    await batch(false, (ctx) => ctx.workbook.worksheets.getItem('District summary').delete());
    expect(sim.cell('报市局', 'A2')).toMatchObject({ formula: '=#REF!*2', error: '#REF!' });
  });

  it('refuses to delete a very hidden sheet until its visibility changes ("Work with worksheets")', async () => {
    const sim = install(new ExcelSim());
    sim.addSheet({ name: 'A', values: [[1]] });
    sim.addSheet({ name: 'Hidden', values: [[2]] }).visibility = 'VeryHidden';
    await expect(batch(false, (ctx) => ctx.workbook.worksheets.getItem('Hidden').delete())).rejects.toMatchObject({ code: 'GeneralException' });
    await batch(false, (ctx) => {
      const ws = ctx.workbook.worksheets.getItem('Hidden');
      ws.visibility = 'Hidden';
      ws.delete();
    });
    expect(sim.names()).toEqual(['A']);
  });
});

describe('consolidating on every host', () => {
  it.each(ALL)('on %s: one Ctrl+Z undoes the whole write where Excel groups, and nothing clears the clerk’s history', async (profile) => {
    const { sim, out } = await consolidation(4, profile);
    sim.type(sim.names()[0]!, 'Z1', { value: 'the clerk’s note' });
    const history = sim.undoStack.length;
    const cleared = sim.historyCleared;
    const before = JSON.stringify(sim.snapshot());
    const outlook = await resultsOutlook({ plans: [...out.plans], rateUpdates: [...out.rateUpdates], marks: [...out.marks], markSheets: [...out.markSheets] });
    const result = await write(out);
    const grouping = PROFILES[profile].apiVersion === '1.20';
    expect([outlook.undo, result.undo]).toEqual(grouping ? ['whole', 'whole'] : ['steps', 'steps']);
    expect(sim.historyCleared).toBe(cleared);
    expect(sim.names()).toEqual(expect.arrayContaining([SHEET_NAMES['zh-CN'].summary, SHEET_NAMES['zh-CN'].report]));
    if (grouping) {
      expect(sim.undoStack.length).toBe(history + 1);
      sim.undo();
      expect(JSON.stringify(sim.snapshot())).toBe(before);
      sim.undo();
      expect(sim.cell(sim.names()[0]!, 'Z1')).toBeUndefined();
    } else {
      expect(sim.undoStack.length).toBeGreaterThan(history + 1);
    }
  });

  it.each(ALL)('on %s: protected forms to write into are opened outside any group, said before and after, and nothing throws', async (profile) => {
    const { sim, out } = await consolidation(3, profile, true);
    const outlook = await resultsOutlook({ plans: [...out.plans], rateUpdates: [...out.rateUpdates], marks: [...out.marks], markSheets: [...out.markSheets] });
    expect(outlook).toEqual({ undo: 'lost', losses: ['protected'] });
    const result = await write(out);
    expect(result.undo).toBe('lost');
    expect(sim.undoGroups).toBe(0);
    // Protected again with the options they had, though Excel read them back with nulls.
    for (const s of sim.model.sheets.filter((x) => /^\d{10}$/.test(x.name))) expect(s.protection.options).toEqual({ allowFormatColumns: true, allowFormatRows: true });
  });

  it('keeps a clerk’s formula on 全区汇总 on its figure through a second run and a run in the other language', async () => {
    const { sim, out } = await consolidation(3, 'windows');
    await write(out);
    const summary = SHEET_NAMES['zh-CN'].summary;
    const rows = sim.values(summary);
    const r = rows.findIndex((row) => row.some((v) => typeof v === 'string' && v.startsWith('全区合计')));
    const c = rows[r]!.findIndex((v) => typeof v === 'number' && v > 0);
    const address = `${String.fromCharCode(65 + c)}${r + 1}`;
    sim.addSheet('报市局');
    sim.type('报市局', 'A1', { formula: `=${summary}!${address}` });
    await write(out);
    expect(sim.cell('报市局', 'A1')).toMatchObject({ formula: `=${summary}!${address}`, value: sim.cell(summary, address)!.value });
    // In English the sheet is renamed in place (outside a group: Excel cannot undo a rename on Windows), and the formula follows it.
    const read = await readForJob({});
    const english = await consolidateBooks(loadDefinitions({ kind: 'sheets', sheets: read.definitionSheets }).definitions!, [read.schoolBook], CHOICES, 'en-US', 'excel', hooks);
    const result = await write(english);
    expect(result.undo).toBe('lost');
    const renamed = SHEET_NAMES['en-US'].summary;
    expect(sim.names()).not.toContain(summary);
    expect(sim.cell('报市局', 'A1')).toMatchObject({ formula: `='${renamed}'!${address}`, value: sim.cell(renamed, address)!.value });
  });

  it('counts BadPassword, and the other refusals hosts give, as a sheet with a password', async () => {
    for (const passwordError of ['BadPassword', 'AccessDenied', 'InvalidArgument']) {
      const { definitions, grids } = cleanSchools(3);
      const w = workbookWith(definitions, grids, { passwordError });
      uninstall = w.uninstall;
      w.sim.sheet(grids[1]!.name).protection.password = 'school';
      const read = await readForJob({});
      const out = await consolidateBooks(loadDefinitions({ kind: 'sheets', sheets: read.definitionSheets }).definitions!, [read.schoolBook], CHOICES, 'zh-CN', 'excel', hooks);
      const result = await write(out);
      expect([passwordError, result.locked]).toEqual([passwordError, [grids[1]!.name]]);
      uninstall();
    }
  });
});

describe('the rest of the Excel path', () => {
  it('creates definitions over a very hidden old definition sheet and a leftover temporary sheet', async () => {
    const sim = install(new ExcelSim());
    sim.addSheet({ name: 'Keep', values: [['x']] });
    sim.addSheet({ name: 'Rules', values: [['old']] }).visibility = 'VeryHidden';
    sim.addSheet({ name: '~hz~old0', values: [['half']] }).visibility = 'VeryHidden';
    const { undo } = await createDefinitionSheets(builtinPreset(), 'zh-CN');
    expect(undo).toBe('lost');
    expect(sim.names()).not.toContain('Rules');
    expect(sim.names()).not.toContain('~hz~old0');
    expect(sim.names()).toContain(SHEET_NAMES['zh-CN'].template);
  });

  it('reads a stray value in the last row as a located issue, not as twenty million cells', async () => {
    const sim = install(new ExcelSim());
    sim.addSheet({ name: 'Stray', values: [['学校代码', '3401020001']] });
    sim.type('Stray', 'L1048576', { value: ' ' });
    sim.resetCounters();
    const read = await readForJob({});
    expect(read.schoolBook.issues).toEqual([expect.objectContaining({ code: 'sheet.too_large', sheet: 'Stray', params: expect.objectContaining({ extent: 'L1048576' }) })]);
    expect(sim.maxResponseBytes).toBeLessThan(64 * 1024);
  });

  it('reads merged areas only on school sheets: reading the definitions alone keeps the history on Windows', async () => {
    const { definitions, grids } = cleanSchools(2);
    const w = workbookWith(definitions, grids, { profile: 'windows' });
    uninstall = w.uninstall;
    w.sim.type(grids[0]!.name, 'Z1', { value: 1 });
    await readForJob({ schoolSheets: [] });
    expect(w.sim.historyCleared).toBe(0);
    await readForJob({});
    expect(w.sim.historyCleared).toBeGreaterThan(0);
  });

  it('inserts school files without their sheets’ protection: working copies the clerk corrects', async () => {
    const schools = generateManySchools(2);
    const defs = demoDefinitions(schools);
    const files = await Promise.all(schools.map(async (s, i) => ({ name: `学校${i}.xlsx`, bytes: await writeXlsx([schoolFormPlan(defs, s)]) })));
    const sim = install(new ExcelSim());
    sim.addSheet({ name: '指标', values: [['代码']] });
    const result = await importSchoolFiles(files, sim.names(), { readFile: readWorkbookFile, unprotect: async (b) => withoutSheetProtection(b) });
    expect(result.imported.map((i) => i.via)).toEqual(['insert', 'insert']);
    expect(sim.model.sheets.filter((s) => s.protected)).toEqual([]);
    // Without the stripper the template's protection comes in, as Excel keeps it.
    uninstall();
    const kept = install(new ExcelSim());
    kept.addSheet({ name: '指标', values: [['代码']] });
    await importSchoolFiles(files, kept.names(), { readFile: readWorkbookFile });
    expect(kept.model.sheets.filter((s) => s.protected)).toHaveLength(2);
  });

  it('writes a whole request as one step, its first cells last, on a host without grouping', async () => {
    const sim = install(new ExcelSim({ profile: 'minimum' }));
    sim.addSheet({ name: 'A', values: [['a']] });
    const result = await writeWorkbook({ plans: [{ name: 'Out', rows: [{ role: 'title', cells: [{ value: '标题' }] }, { role: 'data', cells: [{ value: 1 }] }] }] });
    expect(result.undo).toBe('steps');
    expect(sim.cell('Out', 'A1')!.value).toBe('标题');
  });
});
