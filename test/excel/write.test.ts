/** Writing sheet plans: whole arrays, text kept as text, under 4 MB a sync, all or nothing. */
import { afterEach, describe, expect, it } from 'vitest';
import { builtinPreset } from '../../src/core/preset';
import { DEFAULT_BANNER, TEMP_PREFIX, UNFINISHED_SETTING, createDefinitionSheets, createExcelPort, writeWorkbook } from '../../src/excel';
import type { SheetPlan } from '../../src/workbook/plan';
import { faultsOf, failsWith } from './helpers';
import { ExcelSim } from './sim';

let uninstall = (): void => {};
afterEach(() => uninstall());

function install(sim: ExcelSim): ExcelSim {
  uninstall = sim.install();
  return sim;
}

const TRICKY = ['=1+1', '-5 学生', '@x', '+86', '0012345678', "'quoted", '1/2', 'TRUE', '#N/A', '50%'];

/** A plan with every feature the renderer knows. */
function fullPlan(name = 'Out'): SheetPlan {
  return {
    name,
    rows: [
      { role: 'title', cells: [{ value: '标题' }] },
      { role: 'header', cells: [{ value: '学校代码' }, { value: '名称' }, { value: '数' }, { value: '率' }] },
      ...TRICKY.map((t, i) => ({ role: 'data' as const, cells: [{ value: `00${i}` }, { value: t }, { value: i * 10 }, { formula: `C${i + 3}/100`, value: i / 10 }] })),
      { role: 'blank', cells: [] },
      { role: 'total', cells: [{ value: '合计' }, { value: null }, { formula: '=SUM(C3:C12)', value: 450 }, { value: { error: '#DIV/0!' } }] },
    ],
    columns: [{ width: 14, numberFormat: '@' }, { width: 30 }, { numberFormat: '#,##0' }, { numberFormat: '0.00' }],
    cellFormats: [[13, 3, '0.0%']],
    freeze: { rows: 2, cols: 1 },
    table: { name: 'HuizongSummary', r0: 1, c0: 0, r1: 11, c1: 3 },
    conditionals: [{ r0: 2, c0: 3, r1: 11, c1: 3, op: '>=', value: 0.5 }],
    validations: [{ r0: 2, c0: 2, r1: 11, c1: 2, type: 'whole', min: 0, prompt: '整数', error: '请填整数' }],
    merges: [{ r0: 0, c0: 0, r1: 0, c1: 3 }],
  };
}

describe('writing sheet plans', () => {
  it('writes every string as text, never as a formula or a number', async () => {
    const sim = install(new ExcelSim());
    sim.addSheet({ name: 'Keep', values: [['x']] });
    await createExcelPort().writeSheets([fullPlan()]);
    TRICKY.forEach((t, i) => {
      const cell = sim.cell('Out', `B${i + 3}`)!;
      expect(cell.formula, t).toBeUndefined();
      expect(cell.error, t).toBeUndefined();
      expect(cell.value, t).toBe(t);
      expect(sim.cell('Out', `A${i + 3}`)!.value).toBe(`00${i}`);
    });
    const [grid] = await createExcelPort().readSheets(['Out']);
    expect(grid!.values.slice(2, 12).map((r) => r[1])).toEqual(TRICKY);
  });

  it('renders formulas, formats, styles, the table, frozen panes, highlights, validation and merges', async () => {
    const sim = install(new ExcelSim());
    sim.addSheet({ name: 'Keep', values: [['x']] });
    await writeWorkbook({ plans: [fullPlan()] });
    const out = sim.sheet('Out');
    expect(sim.cell('Out', 'D3')).toMatchObject({ formula: '=C3/100', numberFormat: '0.00' });
    expect(sim.cell('Out', 'C14')).toMatchObject({ formula: '=SUM(C3:C12)', numberFormat: '#,##0', bold: true, fill: '#E4E4E4', borderTop: 'Continuous' });
    expect(sim.cell('Out', 'D14')).toMatchObject({ error: '#DIV/0!', numberFormat: '0.0%' });
    expect(sim.cell('Out', 'A1')).toMatchObject({ value: '标题', bold: true, fontSize: 14 });
    expect(sim.cell('Out', 'B2')).toMatchObject({ bold: true, fill: '#D9D9D9', wrap: true });
    expect(sim.cell('Out', 'A3')!.numberFormat).toBe('@');
    expect(out.tables.map((t) => t.name)).toEqual(['HuizongSummary']);
    expect(out.freeze).toEqual({ rows: 2, cols: 1 });
    expect(out.merges).toEqual([{ r0: 0, c0: 0, r1: 0, c1: 3 }]);
    expect(out.conditionalFormats.map((c) => c.formula)).toEqual(['=AND(ISNUMBER(D3),NOT(D3>=0.5))', '=AND(ISNUMBER(D3),D3>=0.5)']);
    expect(out.validations).toEqual([
      {
        rect: { r0: 2, c0: 2, r1: 11, c1: 2 },
        rule: { wholeNumber: { operator: 'GreaterThanOrEqualTo', formula1: 0 } },
        prompt: { showPrompt: true, message: '整数', title: '' },
        errorAlert: { showAlert: true, style: 'Stop', message: '请填整数', title: '' },
      },
    ]);
    expect(out.columnWidths.get(0)).toBeCloseTo((14 * 7 + 5) * 0.75);
    expect(out.visibility).toBe('Visible');
    expect(sim.names()).toEqual(['Keep', 'Out']);
  });

  it('replaces a namesake in its place, reusing its table name, and leaves no temporary sheet', async () => {
    const sim = install(new ExcelSim());
    sim.addSheet({ name: 'A', values: [['a']] });
    await writeWorkbook({ plans: [fullPlan('全区汇总')] });
    sim.addSheet({ name: 'Z', values: [['z']] });
    sim.model.sheets.push(sim.model.sheets.splice(1, 1)[0]!);
    expect(sim.names()).toEqual(['A', 'Z', '全区汇总']);
    sim.model.sheets.unshift(sim.model.sheets.pop()!);
    expect(sim.names()).toEqual(['全区汇总', 'A', 'Z']);
    await writeWorkbook({ plans: [{ ...fullPlan('全区汇总'), rows: [{ role: 'data', cells: [{ value: 'new' }] }], table: { name: 'HuizongSummary', r0: 0, c0: 0, r1: 0, c1: 0 }, conditionals: [], validations: [], merges: [] }] });
    expect(sim.names()).toEqual(['全区汇总', 'A', 'Z']);
    expect(sim.cell('全区汇总', 'A1')!.value).toBe('new');
    expect(sim.sheet('全区汇总').tables.map((t) => t.name)).toEqual(['HuizongSummary']);
  });

  it('gives the table another name when a sheet that stays holds one by that name', async () => {
    const sim = install(new ExcelSim());
    sim.addSheet({ name: 'A', values: [['a']] });
    await writeWorkbook({ plans: [fullPlan('Old copy')] });
    await writeWorkbook({ plans: [fullPlan('全区汇总')] });
    expect(sim.sheet('Old copy').tables[0]!.name).toBe('HuizongSummary');
    expect(sim.sheet('全区汇总').tables[0]!.name).toBe('HuizongSummary2');
  });

  it('splits a large write into syncs under 4 MB', async () => {
    const sim = install(new ExcelSim());
    sim.addSheet({ name: 'Keep', values: [['x']] });
    const rows = Array.from({ length: 60_000 }, (_, r) => ({ role: 'data' as const, cells: Array.from({ length: 10 }, (_, c) => ({ value: c === 0 ? `学校${r}` : r * c + 0.5 })) }));
    await writeWorkbook({ plans: [{ name: 'Big', rows, columns: [{ numberFormat: '@' }] }] });
    expect(sim.maxRequestBytes).toBeLessThan(4 * 1024 * 1024);
    expect(sim.syncs.reduce((s, x) => s + x.requestBytes, 0)).toBeGreaterThan(5 * 1024 * 1024);
    expect(sim.syncCount).toBeGreaterThan(2);
    expect(sim.cell('Big', 'A60000')!.value).toBe('学校59999');
    expect(sim.cell('Big', 'J60000')!.value).toBe(59_999 * 9 + 0.5);
  });

  it('leaves, at a failure in any sync, either the workbook as it was or sheets that say they are unfinished; the next write completes', async () => {
    const setup = (): ExcelSim => {
      const sim = new ExcelSim();
      sim.addSheet({ name: 'A', values: [['a']] });
      sim.addSheet({ name: 'Out', values: [['old']] });
      return sim;
    };
    const write = (): Promise<unknown> => writeWorkbook({ plans: [fullPlan()], updates: [{ sheet: 'A', cell: 'B2', value: 1 }] });
    const probe = install(setup());
    await write();
    const total = probe.syncCount;
    const clean = probe.snapshot();
    uninstall();
    // A look, the record with the objects on the sheet rewritten, then the content.
    expect(total).toBe(3);
    const faults = faultsOf(probe.syncs.map((x) => x.actions));
    let unfinished = 0;
    for (const f of faults) {
      const sim = install(setup());
      const before = sim.snapshot();
      if (!(await failsWith(sim, f, write))) {
        // The record's deletion, the very last call, ran: the write is complete.
        expect(sim.snapshot(), f.at).toEqual(clean);
      } else if (sim.model.settings.has(UNFINISHED_SETTING)) {
        unfinished++;
        // What was rewritten says so in its first cell (or is whole, when the last sync had begun); the clerk's own sheet is as it was.
        expect([DEFAULT_BANNER, '标题'], f.at).toContain(sim.cell('Out', 'A1')?.value);
        expect(sim.cell('A', 'A1')?.value).toBe('a');
      } else {
        expect(sim.snapshot(), f.at).toEqual(before);
      }
      await write();
      expect(sim.snapshot(), `${f.at}, then a write`).toEqual(clean);
      uninstall();
    }
    expect(unfinished).toBeGreaterThan(0);
  });

  it('writes cells of existing sheets: numbers, blanks, text as text; skips sheets that are gone', async () => {
    const sim = install(new ExcelSim());
    sim.addSheet({ name: 'S', values: [[1, 2, 3]], numberFormats: [[null, null, '@']] });
    await createExcelPort().writeCells([
      { sheet: 'S', cell: 'A1', value: 88.84, numberFormat: '0.00' },
      { sheet: 's', cell: 'B1', value: null },
      { sheet: 'S', cell: 'D1', value: '=1+1' },
      { sheet: 'Gone', cell: 'A1', value: 5 },
    ]);
    expect(sim.cell('S', 'A1')).toEqual({ value: 88.84, numberFormat: '0.00' });
    expect(sim.cell('S', 'B1')).toBeUndefined();
    expect(sim.cell('S', 'D1')).toEqual({ value: '=1+1', numberFormat: '@' });
    // C1 lies between the cells written in one call, and is left as it was.
    expect(sim.cell('S', 'C1')).toEqual({ value: 3, numberFormat: '@' });
    expect(sim.syncCount).toBe(2);
  });

  it('creates definitions in English over Chinese ones, replacing them and the template', async () => {
    const sim = install(new ExcelSim());
    sim.addSheet({ name: 'School 1', values: [['x']] });
    await createDefinitionSheets(builtinPreset(), 'zh-CN');
    sim.addSheet({ name: '名册', values: [['alias of the roster']] });
    await createDefinitionSheets(builtinPreset(), 'en-US');
    expect(sim.names()).toEqual(['School 1', 'Indicators', 'Rules', 'Rates', 'Dispersion', 'Standards', 'Roster', 'Layout', 'School form']);
    expect(await createExcelPort().listSheets()).toEqual(sim.names());
  });

  it('removes sheets a crashed run left half-built', async () => {
    const sim = install(new ExcelSim());
    sim.addSheet({ name: 'A', values: [['a']] });
    sim.addSheet({ name: `${TEMP_PREFIX}dead00`, values: [['half']] }).visibility = 'Hidden';
    await writeWorkbook({ plans: [{ name: 'B', rows: [{ role: 'data', cells: [{ value: 1 }] }] }] });
    expect(sim.names()).toEqual(['A', 'B']);
  });
});
