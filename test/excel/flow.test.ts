/** The whole validate + consolidate flow on the simulated workbook, as the pane runs it. */
import { afterEach, describe, expect, it } from 'vitest';
import { cellAddress, type SheetGrid } from '../../src/core/grid';
import type { Definitions } from '../../src/core/types';
import { DEFAULT_BANNER, UNFINISHED_SETTING, createDefinitionSheets, readAgain, readForJob, writeResults } from '../../src/excel';
import { consolidateBooks, loadDefinitions, validateBooks } from '../../src/taskpane/jobs';
import type { ConsolidateOutput } from '../../src/taskpane/protocol';
import type { ConsolidateChoices } from '../../src/taskpane/service';
import { SHEET_NAMES } from '../../src/workbook/names';
import { cleanSchools, demoSchools, failsWith, faultsOf, workbookWith } from './helpers';
import { applicationCalls, ExcelSim, PROFILES, type ProfileName } from './sim';
import { MAX_COLS, a1 } from './sim/address';

let uninstall = (): void => {};
afterEach(() => uninstall());

const CHOICES: ConsolidateChoices = { groupBy: ['stage', 'township'], mode: 'formulas', includeSchoolsWithErrors: false, writeRates: true };
const hooks = { onProgress: () => {} };

/** What the pane's Excel service does for "consolidate": read, run the job, write. */
async function consolidate(lang: 'zh-CN' | 'en-US' = 'zh-CN'): Promise<ConsolidateOutput> {
  const read = await readForJob({});
  const { definitions } = loadDefinitions({ kind: 'sheets', sheets: read.definitionSheets });
  if (definitions === null) throw new Error('definitions did not load');
  const out = await consolidateBooks(definitions, [read.schoolBook], CHOICES, lang, 'excel', hooks);
  await writeResults({ plans: [...out.plans], rateUpdates: [...out.rateUpdates], marks: [...out.marks], markSheets: [...out.markSheets], ...(out.chart ? { chart: out.chart } : {}) }, () => {});
  return out;
}

/** What the schools entered: every cell's value, formula and format on the school sheets, except the rate cells Huizong fills in. */
function entered(sim: ExcelSim, sheets: readonly string[], rateCells: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of sheets) {
    for (const [k, cell] of sim.sheet(name).cells) {
      const at = a1(Math.floor(k / MAX_COLS), k % MAX_COLS);
      if (rateCells.has(`${name}!${at}`)) continue;
      out[`${name}!${at}`] = { value: cell.value, error: cell.error, formula: cell.formula, numberFormat: cell.numberFormat };
    }
  }
  return out;
}

function setUp(definitions: Definitions, grids: readonly SheetGrid[], options: ConstructorParameters<typeof ExcelSim>[0] = {}): ExcelSim {
  const w = workbookWith(definitions, grids, options);
  uninstall = w.uninstall;
  return w.sim;
}

describe('validate and consolidate in Excel', () => {
  it('creates definitions, validates and consolidates the demo district (its forms protected by the template), in seven syncs', async () => {
    const { definitions, grids } = demoSchools();
    const sim = new ExcelSim();
    sim.addSheet('Sheet1');
    for (const g of grids) sim.addSheet(g, g.protection);
    uninstall = sim.install();

    await createDefinitionSheets(definitions, 'zh-CN');
    expect(sim.names().slice(-8)).toEqual(['指标', '校验规则', '比率', '差异系数', '均衡标准', '学校名册', '表样', SHEET_NAMES['zh-CN'].template]);
    expect(sim.sheet('填报表').protected).toBe(true);

    const read = await readForJob({});
    const loaded = loadDefinitions({ kind: 'sheets', sheets: read.definitionSheets });
    expect(loaded.view.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(read.schoolBook.sheets).toHaveLength(grids.length);
    const validation = await validateBooks(loaded.definitions!, [read.schoolBook], hooks);
    expect(validation.schools.length).toBeGreaterThan(40);
    expect(validation.issues.some((i) => i.code === 'rule.failed')).toBe(true);

    sim.resetCounters();
    const out = await consolidate();
    // The read (3), a look, lifting the forms' protection, the record with what to mark, the content.
    expect(sim.syncCount).toBe(7);
    // Screen updating suspended once, for the last sync: more calls make Excel's window flicker.
    expect(applicationCalls().filter((c) => c === 'suspendScreen')).toEqual(['suspendScreen']);
    // The read, the look, the write; protected forms must be opened, which Excel cannot undo: no undo group.
    expect(sim.runs).toBe(3);
    expect(sim.undoGroups).toBe(0);
    const summary = sim.sheet(SHEET_NAMES['zh-CN'].summary);
    expect(summary.tables.map((t) => t.name)).toEqual(['HuizongSummary']);
    // It prints as the .xlsx does: landscape, its header row on every page, district, title and period in the footer.
    expect(summary.print).toMatchObject({ orientation: 'Landscape', titleRows: '$3:$3', centerFooter: '&P / &N' });
    expect(summary.print.leftFooter).toContain(`${definitions.title.zh} ${definitions.period}`);
    // Several pages wide at full size with the code and name columns repeated, as the .xlsx prints it.
    expect(summary.print).toMatchObject({ paperSize: 'A4', zoom: { scale: 100 }, titleColumns: '$A:$B' });
    // A printed section table: its wrapped header and its note under the total in rows tall enough to show them.
    const section = out.plans.find((p) => /^表\d/.test(p.name))!;
    const printed = sim.sheet(section.name);
    const header = section.rows.findIndex((r) => r.role === 'header');
    const note = section.rows.findIndex((r) => r.role === 'note' && String(r.cells[0]?.value ?? '').startsWith('本表计入'));
    expect(printed.rowHeights.get(header)).toBe(section.rows[header]!.height);
    expect(printed.rowHeights.get(note)).toBe(section.rows[note]!.height);
    expect(printed.print).toMatchObject({ orientation: 'Landscape', centerHorizontally: true, titleRows: `$${header + 1}:$${header + 1}` });
    expect(sim.sheet(SHEET_NAMES['zh-CN'].completeness).print.orientation).toBe('Portrait');
    expect(summary.freeze).not.toBeNull();
    expect(summary.conditionalFormats.length).toBeGreaterThan(0);
    expect(sim.sheet(SHEET_NAMES['zh-CN'].report).tables.map((t) => t.name)).toEqual(['HuizongReport']);
    const chart = sim.sheet(SHEET_NAMES['zh-CN'].chart).charts;
    expect(chart).toHaveLength(1);
    expect(chart[0]).toMatchObject({ type: 'ColumnClustered', seriesBy: 'Columns', title: out.chart!.title, seriesTypes: { 1: 'Line' } });
    // The chart's values show the decimals the rate's definition gives, as the summary's column does.
    const charted = definitions.rates.find((r) => out.chart!.title.startsWith(r.label.zh))!;
    // Under the header row the chart names its series by, the first school's rate.
    const valueCell = cellAddress(chart[0]!.source.r0 + 1, chart[0]!.source.c0 + 1);
    expect(sim.cell(SHEET_NAMES['zh-CN'].chart, valueCell)?.numberFormat).toBe(charted.decimals === 0 ? '0' : `0.${'0'.repeat(charted.decimals)}`);

    expect(out.rateUpdates.length).toBeGreaterThan(0);
    for (const u of out.rateUpdates.slice(0, 20)) {
      const cell = sim.cell(u.sheet, u.cell);
      expect(cell?.value ?? null).toBe(u.value);
      expect(cell?.formula).toBeUndefined();
    }
    expect(out.marks.length).toBeGreaterThan(0);
    const marked = new Set(out.marks.map((m) => `${m.sheet}!${m.cell}`));
    expect(sim.model.notes).toHaveLength(marked.size);
    for (const m of out.marks) expect(sim.cell(m.sheet, m.cell)?.fill).toMatch(/^#FF(C7CE|EB9C)$/);
    // Every protected form is protected again, with the options it had; the two drifted forms the demo builds unprotected stay so.
    const guarded = grids.filter((g) => g.protection !== undefined);
    expect(guarded.length).toBeGreaterThan(40);
    for (const g of guarded) expect([g.name, sim.sheet(g.name).protected, sim.sheet(g.name).protection.options]).toEqual([g.name, true, { allowFormatColumns: true, allowFormatRows: true }]);
    for (const g of grids.filter((x) => x.protection === undefined)) expect(sim.sheet(g.name).protected).toBe(false);
  });

  it('takes the same syncs for 10 and 100 protected schools, at most seven', async () => {
    const counts: number[] = [];
    for (const n of [10, 100]) {
      const { definitions, grids } = cleanSchools(n);
      const sim = setUp(definitions, grids);
      await consolidate();
      counts.push(sim.syncCount);
      uninstall();
    }
    expect(counts[0]).toBe(counts[1]);
    expect(counts[0]).toBeLessThanOrEqual(7);
  });

  it('replaces what it wrote when run again: no duplicate sheets, marks replaced, entered values untouched', async () => {
    const { definitions, grids } = demoSchools();
    const sim = setUp(definitions, grids);
    const schoolSheets = grids.map((g) => g.name);
    const first = await consolidate();
    const rateCells = new Set(first.rateUpdates.map((u) => `${u.sheet}!${u.cell}`));
    const before = entered(sim, schoolSheets, rateCells);
    const names = sim.names();
    const notes = sim.model.notes.length;
    const fills = schoolSheets.flatMap((s) => [...sim.sheet(s).cells.values()].filter((c) => c.fill !== undefined)).length;

    // The sheets a consolidation made under names of its own (a table per section) are never read as schools' sheets.
    expect((await readForJob({})).schoolBook.sheets.map((g) => g.name).sort()).toEqual([...schoolSheets].sort());
    await consolidate();
    expect(sim.names()).toEqual(names);
    expect(sim.model.notes).toHaveLength(notes);
    expect(schoolSheets.flatMap((s) => [...sim.sheet(s).cells.values()].filter((c) => c.fill !== undefined))).toHaveLength(fills);
    expect(entered(sim, schoolSheets, rateCells)).toEqual(before);

    // A run in English rewrites the Chinese sheets in place under their English names, section tables (表1 … → T1 …) included, rather than adding to them.
    await consolidate('en-US');
    const sections = names.filter((n) => /^表\d/.test(n));
    expect(sections.length).toBeGreaterThan(0);
    expect(sim.names().length).toBe(names.length);
    expect(sim.names().filter((n) => !names.includes(n)).sort()).toEqual(
      [...Object.values(SHEET_NAMES['en-US']).filter((n) => n !== SHEET_NAMES['en-US'].template), ...sections.map((n) => n.replace(/^表/, 'T'))].sort(),
    );
    expect(sim.names().some((n) => n === SHEET_NAMES['zh-CN'].summary)).toBe(false);
  });

  it('never changes what a school entered, marks and rates aside', async () => {
    const { definitions, grids } = demoSchools();
    const sim = setUp(definitions, grids);
    const original = new Map(grids.map((g) => [g.name, g]));
    const out = await consolidate();
    const rateCells = new Set(out.rateUpdates.map((u) => `${u.sheet}!${u.cell}`));
    for (const [name, grid] of original) {
      grid.values.forEach((row, r) =>
        row.forEach((v, c) => {
          if (rateCells.has(`${name}!${a1(r, c)}`)) return;
          const cell = sim.cell(name, a1(r, c));
          const now = cell?.error !== undefined ? { error: cell.error } : (cell?.value ?? null);
          expect(now, `${name}!${a1(r, c)}`).toEqual(v);
        }),
      );
    }
  });

  // Protected forms on Windows (opened and protected again, no undo group, every eleventh action of the content sync faulted besides its first and last fifteen);
  // unprotected forms on every host profile (one undo group where the host has 1.20; the content sync sampled more thinly).
  const cases: { profile: ProfileName; protect: boolean; every: number }[] = [{ profile: 'windows', protect: true, every: 11 }, ...(Object.keys(PROFILES) as ProfileName[]).map((profile) => ({ profile, protect: false, every: 53 }))];
  it.each(cases)('keeps one complete set of results, or sheets that say they are unfinished, at a fault in any action of any sync or a lost response; the next run ends as a clean run does ($profile, forms protected: $protect)', async ({ profile, protect, every }) => {
    const made = cleanSchools(4);
    const definitions = made.definitions;
    const grids = protect ? made.grids : made.grids.map(({ protection: _p, ...g }) => g);
    // The last run marked a mistake in one school; that school fixed it and another made one: this write clears the old mark and puts a new one.
    const boys = (g: (typeof grids)[number]): string => `D${g.values.findIndex((row) => row[0] === 'BOYS') + 1}`;
    const edited = grids.map((g, i) => (i !== 2 ? g : { ...g, values: g.values.map((row) => (row[0] === 'BOYS' ? row.map((v, c) => (c === 3 ? 99_999 : v)) : row)) }));
    const probe = setUp(definitions, edited, { profile });
    await consolidate();
    probe.type(grids[2]!.name, boys(grids[2]!), { value: grids[2]!.values.find((row) => row[0] === 'BOYS')![3] as number });
    probe.type(grids[1]!.name, boys(grids[1]!), { value: 99_999 });
    const read = await readForJob({});
    const { definitions: defs } = loadDefinitions({ kind: 'sheets', sheets: read.definitionSheets });
    const out = await consolidateBooks(defs!, [read.schoolBook], { ...CHOICES, mode: 'values' }, 'zh-CN', 'excel', hooks);
    expect(out.marks.map((m) => m.sheet)).toContain(grids[1]!.name);
    expect(out.marks.map((m) => m.sheet)).not.toContain(grids[2]!.name);
    const write = (): Promise<unknown> =>
      writeResults({ plans: [...out.plans], rateUpdates: [...out.rateUpdates], marks: [...out.marks], markSheets: [...out.markSheets], ...(out.chart ? { chart: out.chart } : {}) }, () => {});
    const start = structuredClone(probe.model);
    // Every sheet the write rewrites, the chart's data sheet included.
    const outputs = [...out.plans.map((p) => p.name), ...(out.chart !== undefined ? [out.chart.sheet] : [])];
    const schoolSheets = edited.map((g) => g.name);
    const rateCells = new Set(out.rateUpdates.map((u) => `${u.sheet}!${u.cell}`));
    const old = Object.fromEntries(outputs.map((n) => [n, JSON.stringify(probe.values(n))]));
    const typed = entered(probe, schoolSheets, rateCells);
    uninstall();

    // The clean run, and how many actions each of its syncs has.
    const clean = new ExcelSim({ profile });
    clean.model = structuredClone(start);
    uninstall = clean.install();
    await write();
    const reference = clean.snapshot();
    const fresh = Object.fromEntries(outputs.map((n) => [n, JSON.stringify(clean.values(n))]));
    const actions = clean.syncs.map((x) => x.actions);
    uninstall();
    // A look; lifting the forms' protection (when they have it); the record, objects and cells to mark; the content.
    expect(actions.length).toBe(protect ? 4 : 3);

    /** What the clerk sees: the new results, the old ones, or sheets that say they are unfinished. */
    const seen = (sim: ExcelSim): 'new' | 'old' | 'unfinished' | 'mixed' => {
      const now = Object.fromEntries(outputs.map((n) => [n, JSON.stringify(sim.values(n))]));
      if (outputs.every((n) => now[n] === fresh[n]) && !sim.model.settings.has(UNFINISHED_SETTING)) return 'new';
      if (outputs.every((n) => now[n] === old[n]) && !sim.model.settings.has(UNFINISHED_SETTING)) return 'old';
      // Unfinished: recorded as such (the pane reads it and says so), every sheet old, new, or saying it is unfinished.
      const bannered = outputs.filter((n) => sim.cell(n, 'A1')?.value === DEFAULT_BANNER);
      if (sim.model.settings.has(UNFINISHED_SETTING) && outputs.every((n) => now[n] === old[n] || now[n] === fresh[n] || bannered.includes(n))) return 'unfinished';
      return 'mixed';
    };

    // Every action of the small syncs; of the content sync, its first and last 15 and a sample between (its calls repeat one pattern per sheet).
    const faults = faultsOf(actions, { dense: 120, keep: (i, count) => i < 15 || i >= count - 15 || i % every === 0, lostResponses: true });
    const outcomes = new Set<string>();
    for (const f of faults) {
      const sim = new ExcelSim({ profile });
      sim.model = structuredClone(start);
      uninstall = sim.install();
      const failed = await failsWith(sim, f, write);
      const which = seen(sim);
      outcomes.add(which);
      expect(which, f.at).not.toBe('mixed');
      // With its clean-up done, a write that stopped leaves a record only where a sheet says it is unfinished, or once its last sync had begun.
      if (which === 'unfinished') expect(outputs.some((n) => sim.cell(n, 'A1')?.value === DEFAULT_BANNER) || String(sim.model.settings.get(UNFINISHED_SETTING)).includes('"closing":true'), f.at).toBe(true);
      expect(failed || which === 'new', f.at).toBe(true);
      expect(sim.names().filter((n) => n.startsWith('~hz~')), f.at).toEqual([]);
      expect(entered(sim, schoolSheets, rateCells), f.at).toEqual(typed);
      for (const g of edited) expect(sim.sheet(g.name).protected, `${f.at}: ${g.name}`).toBe(protect);
      // The next run ends exactly as the clean run did.
      await write();
      expect(sim.snapshot(), f.at).toEqual(reference);
      uninstall();
    }
    expect([...outcomes].sort()).toEqual(['new', 'old', 'unfinished']);
    expect(faults.length).toBeGreaterThan(40);

    // The clean-up failing as well, after a fault at actions of the last sync (its first and last six, and a sample between): nothing the clerk
    // entered is lost, the results are complete or say they are not, and the next run ends as a clean one.
    const last = actions.length;
    for (let i = 0; i < actions[last - 1]!; i++) {
      if (!(i < 6 || i >= actions[last - 1]! - 6 || i % (every * 3) === 0)) continue;
      const sim = new ExcelSim({ profile });
      sim.model = structuredClone(start);
      uninstall = sim.install();
      sim.failAction = (n, a) => n === last && a === i;
      sim.failAt = (n) => n > last;
      await expect(write()).rejects.toBeInstanceOf(Error);
      sim.failAction = null;
      sim.failAt = null;
      expect(seen(sim), `action ${i}`).not.toBe('mixed');
      expect(entered(sim, schoolSheets, rateCells), `action ${i}`).toEqual(typed);
      await write();
      expect(sim.snapshot(), `action ${i}, then a run`).toEqual(reference);
      uninstall();
    }
  }, 240_000);

  it('reads again only when a sheet changed since validation: one sync when nothing did', async () => {
    const { definitions, grids } = cleanSchools(5);
    const sim = setUp(definitions, grids);
    sim.addSheet('Sheet9');
    const first = await readForJob({});
    sim.resetCounters();
    const same = await readAgain(first);
    expect([same.reused, sim.syncCount]).toEqual([true, 1]);
    expect(same.read).toBe(first);

    // A school corrects a figure: the next read is a full one, with the new figure.
    const at = `D${grids[3]!.values.findIndex((row) => row[0] === 'TEACHERS') + 1}`;
    sim.type(grids[3]!.name, at, { value: 77 });
    const edited = await readAgain(first);
    expect(edited.reused).toBe(false);
    expect(edited.read.schoolBook.sheets.find((g) => g.name === grids[3]!.name)!.values.flat()).toContain(77);

    // Something typed into the empty sheet, a sheet deleted, a definition changed: each is seen.
    const again = await readForJob({});
    sim.type('Sheet9', 'A1', { value: 'x' });
    expect((await readAgain(again)).reused).toBe(false);
    const third = await readForJob({});
    sim.model.sheets = sim.model.sheets.filter((x) => x.name !== grids[0]!.name);
    expect((await readAgain(third)).reused).toBe(false);
    const fourth = await readForJob({});
    sim.type('指标', 'B2', { value: '改过的名称' });
    expect((await readAgain(fourth)).reused).toBe(false);
  });

  it('validates then consolidates 10 and 100 protected forms in at most 8 syncs in all', async () => {
    for (const n of [10, 100]) {
      const { definitions, grids } = cleanSchools(n);
      const sim = setUp(definitions, grids);
      const first = await readForJob({});
      const defs = loadDefinitions({ kind: 'sheets', sheets: first.definitionSheets }).definitions!;
      await validateBooks(defs, [first.schoolBook], hooks);
      const { read } = await readAgain(first);
      const out = await consolidateBooks(defs, [read.schoolBook], CHOICES, 'zh-CN', 'excel', hooks);
      await writeResults({ plans: [...out.plans], rateUpdates: [...out.rateUpdates], marks: [...out.marks], markSheets: [...out.markSheets] });
      expect(sim.syncCount, `${n} schools`).toBeLessThanOrEqual(8);
      uninstall();
    }
  });

  it('leaves a form protected with a password untouched, writes everything else, and names it', async () => {
    const { definitions, grids } = cleanSchools(6);
    const sim = setUp(definitions, grids);
    // The password sheet is the third in the workbook's order: the two before it are opened in the same sync before it refuses.
    sim.sheet(grids[2]!.name).protection.password = 'school';
    const before = structuredClone([...sim.sheet(grids[2]!.name).cells.entries()]);
    const read = await readForJob({});
    const { definitions: defs } = loadDefinitions({ kind: 'sheets', sheets: read.definitionSheets });
    const out = await consolidateBooks(defs!, [read.schoolBook], CHOICES, 'zh-CN', 'excel', hooks);
    expect(out.rateUpdates.some((u) => u.sheet === grids[2]!.name)).toBe(true);
    const result = await writeResults({ plans: [...out.plans], rateUpdates: [...out.rateUpdates], marks: [...out.marks], markSheets: [...out.markSheets] });
    expect(result.locked).toEqual([grids[2]!.name]);
    expect([...sim.sheet(grids[2]!.name).cells.entries()]).toEqual(before);
    expect(sim.sheet(grids[2]!.name).protection.password).toBe('school');
    for (const g of grids) expect(sim.sheet(g.name).protected).toBe(true);
    // Every other form got its rates, and the summary is there.
    const written = out.rateUpdates.filter((u) => u.sheet !== grids[2]!.name);
    expect(written.length).toBeGreaterThan(0);
    for (const u of written) expect(sim.cell(u.sheet, u.cell)?.value ?? null).toBe(u.value);
    expect(sim.names()).toContain(SHEET_NAMES['zh-CN'].summary);
  });

  it('keeps what schools typed as text when it reaches the report: =1+1, -5 学生 and @x stay text', async () => {
    const { definitions, grids } = cleanSchools(3);
    const typed: Record<string, string> = { STUDENTS: '=1+1', TEACHERS: '-5 学生', BOYS: '@x' };
    const edited = grids.map((g, i) => {
      if (i !== 1) return g;
      const values = g.values.map((row) => {
        const code = row[0];
        return typeof code === 'string' && code in typed ? row.map((v, c) => (c === 3 ? typed[code]! : v)) : row;
      });
      return { ...g, values };
    });
    const sim = setUp(definitions, edited);
    await consolidate();
    const report = sim.values(SHEET_NAMES['zh-CN'].report).flat();
    for (const t of Object.values(typed)) expect(report).toContain(t);
    expect([...sim.sheet(SHEET_NAMES['zh-CN'].report).cells.values()].filter((c) => c.formula !== undefined || c.error !== undefined)).toEqual([]);
    // The school's own cells still hold the text.
    const school = sim.values(edited[1]!.name).flat();
    for (const t of Object.values(typed)) expect(school).toContain(t);
  });
});
