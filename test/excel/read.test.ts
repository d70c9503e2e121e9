/** Reading the workbook: the same grids the .xlsx engine would give, in a fixed number of syncs. */
import { afterEach, describe, expect, it } from 'vitest';
import type { SheetGrid } from '../../src/core/grid';
import { ExcelCapabilityError, createExcelPort, readForJob } from '../../src/excel';
import { cleanSchools, workbookWith } from './helpers';
import { ExcelSim } from './sim';

let uninstall = (): void => {};
afterEach(() => uninstall());

function install(sim: ExcelSim): ExcelSim {
  uninstall = sim.install();
  return sim;
}

/** A grid trimmed of trailing empty rows and cells, without empty optional parts, for comparing. */
function trimmed(g: SheetGrid): SheetGrid {
  // A formula's empty-text result reads back as blank.
  const values = g.values.map((row) => {
    const r = row.map((v) => (v === '' ? null : v));
    while (r.length > 0 && r[r.length - 1] === null) r.pop();
    return r;
  });
  while (values.length > 0 && values[values.length - 1]!.length === 0) values.pop();
  const keep = <T>(m: readonly (readonly (T | null)[])[] | undefined): (T | null)[][] | undefined => {
    if (m === undefined) return undefined;
    const out = m.slice(0, values.length).map((row) => {
      const r = [...row];
      while (r.length > 0 && r[r.length - 1] === null) r.pop();
      return r;
    });
    while (out.length > 0 && out[out.length - 1]!.length === 0) out.pop();
    return out.length === 0 ? undefined : out;
  };
  const formats = keep(g.numberFormats);
  const formulas = keep(g.formulas);
  return {
    name: g.name,
    values,
    ...(formats !== undefined ? { numberFormats: formats } : {}),
    ...(formulas !== undefined ? { formulas } : {}),
    ...(g.merges !== undefined && g.merges.length > 0 ? { merges: [...g.merges].sort((a, b) => a.r0 - b.r0 || a.c0 - b.c0) } : {}),
  };
}

describe('readForJob', () => {
  it('reads definition and school sheets as the grids they hold, in three syncs', async () => {
    const { definitions, grids } = cleanSchools(12);
    const w = workbookWith(definitions, grids);
    uninstall = w.uninstall;
    const read = await readForJob({});
    expect(w.sim.syncCount).toBe(3);
    expect(read.definitionSheets.map((s) => s.name)).toEqual(['指标', '校验规则', '比率', '差异系数', '均衡标准', '学校名册', '表样']);
    expect(read.schoolBook.sheets.map(trimmed)).toEqual(grids.map(trimmed));
    expect(read.sheetNames).toEqual(w.sim.names());
  });

  it('reads the same number of syncs for 10 and 100 schools', async () => {
    const counts: number[] = [];
    for (const n of [10, 100]) {
      const { definitions, grids } = cleanSchools(n);
      const w = workbookWith(definitions, grids);
      await readForJob({});
      counts.push(w.sim.syncCount);
      w.uninstall();
    }
    expect(counts).toEqual([3, 3]);
  });

  it('leaves out empty sheets, Huizong’s own sheets and code-hidden sheets, and reads only definitions with []', async () => {
    const { definitions, grids } = cleanSchools(2);
    const w = workbookWith(definitions, grids);
    uninstall = w.uninstall;
    w.sim.addSheet('Sheet9');
    w.sim.addSheet({ name: '全区汇总', values: [['old']] });
    w.sim.addSheet({ name: 'District summary', values: [['old']] });
    w.sim.addSheet({ name: 'Secret', values: [['x']] }).visibility = 'VeryHidden';
    const all = await readForJob({});
    expect(all.schoolBook.sheets.map((s) => s.name)).toEqual(grids.map((g) => g.name));
    w.sim.resetCounters();
    const none = await readForJob({ schoolSheets: [] });
    expect(none.schoolBook.sheets).toEqual([]);
    expect(none.definitionSheets).toHaveLength(7);
    const chosen = await readForJob({ schoolSheets: [grids[1]!.name.toLowerCase(), 'missing'] });
    expect(chosen.schoolBook.sheets.map((s) => s.name)).toEqual([grids[1]!.name]);
  });

  it('keeps text, codes with leading zeros, errors and merges', async () => {
    const sim = install(new ExcelSim());
    sim.addSheet({
      name: 'S',
      values: [['学校代码', '0012345678', null], ['=1+1', { error: '#DIV/0!' }, 88.5], [true, null, '#N/A']],
      numberFormats: [[null, '@', null], [null, null, '0.00%'], [null, null, null]],
      merges: [{ r0: 2, c0: 0, r1: 2, c1: 1 }],
    });
    const [grid] = await createExcelPort().readSheets(['S']);
    expect(grid).toEqual({
      name: 'S',
      values: [['学校代码', '0012345678', null], ['=1+1', { error: '#DIV/0!' }, 88.5], [true, null, '#N/A']],
      numberFormats: [[null, '@', null], [null, null, '0.00%'], [null, null, null]],
      merges: [{ r0: 2, c0: 0, r1: 2, c1: 1 }],
    });
  });

  it('reads a large sheet in blocks under 4 MB, one sync per block', async () => {
    const sim = install(new ExcelSim());
    const values = Array.from({ length: 12_000 }, (_, r) => Array.from({ length: 8 }, (_, c) => `第${r}行第${c}列`));
    sim.addSheet({ name: 'Big', values });
    const [grid] = await createExcelPort().readSheets(['Big']);
    expect(grid!.values.length).toBe(12_000);
    expect(grid!.values[11_999]![7]).toBe('第11999行第7列');
    expect(sim.syncCount).toBeGreaterThan(3);
    expect(sim.maxResponseBytes).toBeLessThan(5 * 1024 * 1024);
  });

  it('splits a request Excel finds too large and tries again', async () => {
    const sim = install(new ExcelSim());
    // Long text: more than the per-cell estimate, so one block answers over the limit.
    const values = Array.from({ length: 6_000 }, (_, r) => Array.from({ length: 4 }, () => `${r}`.padEnd(120, '字')));
    sim.addSheet({ name: 'Wide', values });
    const [grid] = await createExcelPort().readSheets(['Wide']);
    expect(grid!.values.length).toBe(6_000);
    expect(grid!.values[5_999]![3]).toBe('5999'.padEnd(120, '字'));
    expect(sim.syncs.some((s) => s.failed === 'ResponsePayloadSizeLimitExceeded')).toBe(true);
  });

  it('reads without merges where the host lacks getMergedAreasOrNullObject, or Excel refuses them', async () => {
    const sim = install(new ExcelSim({ apiVersion: '1.12' }));
    sim.addSheet({ name: 'S', values: [['a', null]], merges: [{ r0: 0, c0: 0, r1: 0, c1: 1 }] });
    const [old] = await createExcelPort().readSheets(['S']);
    expect(old!.merges).toBeUndefined();

    uninstall();
    const many = install(new ExcelSim());
    many.addSheet({ name: 'M', values: Array.from({ length: 600 }, (_, i) => [`x${i}`]), merges: Array.from({ length: 600 }, (_, i) => ({ r0: i, c0: 0, r1: i, c1: 1 })) });
    const [grid] = await createExcelPort().readSheets(['M']);
    expect(grid!.values[599]).toEqual(['x599']);
    expect(grid!.merges).toBeUndefined();
    expect(many.syncs.filter((s) => s.failed !== undefined)).toHaveLength(1);
  });

  it('needs ExcelApi 1.7', async () => {
    install(new ExcelSim({ apiVersion: '1.6' }));
    await expect(readForJob({})).rejects.toBeInstanceOf(ExcelCapabilityError);
    await expect(readForJob({})).rejects.toMatchObject({ name: 'ExcelCapabilityError', requirement: 'ExcelApi 1.7' });
  });
});
