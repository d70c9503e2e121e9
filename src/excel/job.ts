/** What the task pane's Excel service calls: read for a job, create definitions, write results, select a cell. */
import { definitionsToSheets } from '../core/definitions';
import { cellAddress, isCellError, type CellValue, type SheetGrid, type WorkbookGrid } from '../core/grid';
import type { Definitions, Issue, Lang } from '../core/types';
import type { CellMark, CellUpdate, SheetPlan } from '../workbook/plan';
import { buildTemplatePlan } from '../workbook/template';
import { BASE_EXCEL_API, capabilities, requireExcelApi } from './capabilities';
import type { ChartRequest } from './chart';
import { gridPlan } from './grids';
import { isDefinitionSheet, isHuizongSheet, isOutputSheet, isTemplateSheet, mayBeSchoolSheet, sheetAliases } from './names';
import { parseAreas } from './address';
import { PAYLOAD_BUDGET } from './chunk';
import { loadSheetList, queueSheetList, readGrids } from './read';
import { runExcel } from './run';
import { settingData } from './setting';
import { OUTPUTS_SETTING, UNFINISHED_SETTING, writeOutlook, writeWorkbook, type UndoOutcome, type WriteOutlook, type WriteRequest } from './write';

/** Bytes per cell of a `values`-only load, as Office.js answers (the number or text and its JSON). */
const VALUE_BYTES_PER_CELL = 24;

/** What one read of the workbook gives a job. */
export interface JobRead {
  /** The definition sheets, as found (any language or accepted spelling). */
  readonly definitionSheets: SheetGrid[];
  /** The school sheets. */
  readonly schoolBook: WorkbookGrid;
  /** Every sheet's name, in order. */
  readonly sheetNames: string[];
  /** Sheets protected now (a consolidation writing into them cannot be undone). */
  readonly protectedSheets: string[];
  /** The sheets an earlier write left unfinished, when one did. */
  readonly unfinished?: string[];
}

/**
 * Reads the definition sheets and the school sheets in one `Excel.run` and three syncs (plus one
 * per extra 4 MB of cells). School sheets are `schoolSheets` when given (`[]`: none); otherwise
 * every non-empty sheet that is neither a definition sheet nor one Huizong writes.
 */
export async function readForJob(opts: { readonly schoolSheets?: readonly string[]; readonly merges?: boolean } = {}): Promise<JobRead> {
  requireExcelApi(BASE_EXCEL_API);
  const caps = capabilities();
  return await runExcel(async (ctx) => {
    const list = queueSheetList(ctx, true);
    const record = ctx.workbook.settings.getItemOrNullObject(UNFINISHED_SETTING);
    record.load('value');
    const outputs = ctx.workbook.settings.getItemOrNullObject(OUTPUTS_SETTING);
    outputs.load('value');
    await ctx.sync();
    // Sheets a consolidation made under names of its own (a table per section) are never read as schools' sheets.
    const made = new Set(madeSheets(outputs.isNullObject ? undefined : outputs.value).map((n) => n.toLowerCase()));
    const sheets = list();
    const unfinished = unfinishedSheets(record.isNullObject ? undefined : record.value);
    const byLower = new Map(sheets.map((s) => [s.name.toLowerCase(), s.name]));
    const definitions = sheets.filter((s) => isDefinitionSheet(s.name)).map((s) => s.name);
    const schools =
      opts.schoolSheets === undefined
        ? sheets.filter((s) => mayBeSchoolSheet(s.name, s.visibility) && !made.has(s.name.toLowerCase())).map((s) => s.name)
        : opts.schoolSheets.flatMap((n) => {
            const name = byLower.get(n.toLowerCase());
            return name === undefined ? [] : [name];
          });
    // Merges matter on school forms only; reading them costs the clerk's undo history on Windows.
    const merged = new Set(opts.merges === false ? [] : schools.map((n) => n.toLowerCase()));
    const issues: Issue[] = [];
    const grids = await readGrids(ctx, [...definitions, ...schools], caps, { merges: (n) => merged.has(n.toLowerCase()), issues });
    const schoolGrids = grids.slice(definitions.length);
    const tooLarge = new Set(issues.map((i) => i.sheet));
    return {
      definitionSheets: grids.slice(0, definitions.length),
      schoolBook: {
        sheets: opts.schoolSheets === undefined ? schoolGrids.filter((g) => g.values.length > 0 || tooLarge.has(g.name)) : schoolGrids,
        ...(issues.length > 0 ? { issues } : {}),
      },
      sheetNames: sheets.map((s) => s.name),
      protectedSheets: sheets.filter((s) => s.protection?.protected === true).map((s) => s.name),
      ...(unfinished !== undefined ? { unfinished } : {}),
    };
  });
}

/** Every sheet the remembered outputs name, of any kind of write. */
function madeSheets(value: unknown): string[] {
  const data = settingData(value);
  if (typeof data !== 'object' || data === null) return [];
  return Object.values(data as Record<string, unknown>).flatMap((list) => (Array.isArray(list) ? list.filter((n): n is string => typeof n === 'string') : []));
}

/** The sheets the record of an unfinished write names; undefined when there is no record. */
function unfinishedSheets(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const data = settingData(value) as { sheets?: unknown } | undefined;
  return Array.isArray(data?.sheets) ? data.sheets.filter((s): s is string => typeof s === 'string') : [];
}

/** A value as Office.js gives it (`values`) equal to one a full read turned into a grid value. */
function sameValue(raw: unknown, read: CellValue): boolean {
  if (read === null) return raw === '' || raw === null || raw === undefined;
  if (isCellError(read)) return raw === read.error;
  return raw === read;
}

/**
 * The workbook read again, but only in full when it changed since `cached`. One sync (more only past
 * 4 MB) loads the sheet list and, for each sheet read before, its extent and its values — no
 * formats, types or formulas, a fraction of a full read. When the same sheets are there, none has
 * grown, and every value is the one read before, the cached read is given back (`reused`);
 * otherwise, or when a sheet read before is gone, everything is read again as `readForJob` does.
 */
export async function readAgain(cached: JobRead): Promise<{ readonly read: JobRead; readonly reused: boolean }> {
  requireExcelApi(BASE_EXCEL_API);
  const unchanged = await runExcel(async (ctx) => {
    const list = queueSheetList(ctx);
    const grids = [...cached.definitionSheets, ...cached.schoolBook.sheets];
    const queue = grids.map((g) => {
      const width = g.values.reduce((w, row) => Math.max(w, row.length), 0);
      return { g, width, cells: g.values.length * width };
    });
    // Sheets that were there but empty (a fresh Sheet1): they must still be empty.
    const readNames = new Set(grids.map((g) => g.name));
    const blank = cached.sheetNames.filter((n) => !readNames.has(n) && !isDefinitionSheet(n) && !isHuizongSheet(n));
    try {
      const empties = blank.map((n) => {
        const used = ctx.workbook.worksheets.getItem(n).getUsedRangeOrNullObject(true);
        used.load('address');
        return used;
      });
      const checks: { g: SheetGrid; used: Excel.Range; range: Excel.Range | null }[] = [];
      let first = true;
      while (queue.length > 0 || first) {
        let bytes = 0;
        while (queue.length > 0 && (bytes === 0 || bytes + queue[0]!.cells * VALUE_BYTES_PER_CELL <= PAYLOAD_BUDGET)) {
          const { g, width, cells } = queue.shift()!;
          const ws = ctx.workbook.worksheets.getItem(g.name);
          const used = ws.getUsedRangeOrNullObject(true);
          used.load('address');
          const range = cells > 0 ? ws.getRange(`A1:${cellAddress(g.values.length - 1, width - 1)}`) : null;
          range?.load('values');
          checks.push({ g, used, range });
          bytes += cells * VALUE_BYTES_PER_CELL + 256;
        }
        await ctx.sync();
        first = false;
      }
      const now = list();
      const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
      // The same sheets, in the same order: none added, removed or renamed, and the empty ones still empty.
      if (!same(now.map((x) => x.name), cached.sheetNames) || empties.some((u) => !u.isNullObject)) return false;
      const candidates = now.filter((x) => mayBeSchoolSheet(x.name, x.visibility)).map((x) => x.name);
      if (cached.schoolBook.sheets.some((g) => !candidates.includes(g.name))) return false;
      for (const { g, used, range } of checks) {
        if (!used.isNullObject) {
          const end = parseAreas(used.address)[0];
          if (end === undefined || end.r1 >= g.values.length || end.c1 >= (range === null ? 0 : range.values[0]!.length)) return false;
        } else if (range !== null && g.values.some((row) => row.some((v) => v !== null))) return false;
        if (range === null) continue;
        const values = range.values;
        for (let r = 0; r < g.values.length; r++) {
          const row = g.values[r]!;
          for (let c = 0; c < values[r]!.length; c++) if (!sameValue(values[r]![c], row[c] ?? null)) return false;
        }
      }
      return true;
    } catch {
      // A sheet read before is gone (or renamed): read everything again.
      return false;
    }
  });
  if (unchanged) return { read: cached, reused: true };
  return { read: await readForJob({}), reused: false };
}

/**
 * Writes the definition sheets for `defs` in `lang`, and the school template sheet, replacing
 * the definition and template sheets there were (in either language, so the new ones are the
 * ones read).
 */
export async function createDefinitionSheets(defs: Definitions, lang: Lang): Promise<{ readonly undo: UndoOutcome }> {
  const plans: SheetPlan[] = definitionsToSheets(defs, lang).map((g) => gridPlan(g, g.name, { header: true }));
  plans.push(buildTemplatePlan(defs, lang));
  const { undo } = await writeWorkbook({ plans, replaces: (name) => isDefinitionSheet(name) || isTemplateSheet(name) });
  return { undo };
}

/** What a consolidation writes into the workbook. */
export interface ResultsOutput {
  /** Summary, report and completeness sheets. */
  readonly plans: SheetPlan[];
  /** Rates written into the school sheets' rate cells. */
  readonly rateUpdates: CellUpdate[];
  readonly marks: CellMark[];
  /** Sheets whose earlier marks are replaced. */
  readonly markSheets: string[];
  readonly chart?: ChartRequest;
  /** What a sheet being rewritten shows in its first cell until the write is complete, in the clerk's language. */
  readonly banner?: string;
}

function resultsRequest(out: ResultsOutput, onProgress?: (fraction: number) => void): WriteRequest {
  return {
    plans: out.plans,
    ...(out.chart !== undefined ? { chart: out.chart } : {}),
    updates: out.rateUpdates,
    marks: { sheets: out.markSheets, marks: out.marks },
    aliases: sheetAliases,
    replaces: isOutputSheet,
    outputs: 'results',
    ...(out.banner !== undefined ? { banner: out.banner } : {}),
    ...(onProgress !== undefined ? { onProgress } : {}),
  };
}

/**
 * Writes a consolidation's results: the previous run's sheets (in either language) rewritten in place,
 * rates into the school sheets, marks replacing Huizong's earlier ones — as one undo step where the
 * host allows it. `onProgress` gets the fraction done after each sync. Gives the school sheets left
 * unchanged because a password protects them, and what the undo history holds.
 */
export async function writeResults(out: ResultsOutput, onProgress: (fraction: number) => void = () => {}): Promise<{ readonly locked: string[]; readonly undo: UndoOutcome; readonly lacking: readonly string[] }> {
  const { locked, undo, lacking } = await writeWorkbook(resultsRequest(out, onProgress));
  return { locked, undo, lacking };
}

/** What writing these results would do to the clerk's undo history (one sync, nothing changed): for the pane to say before writing. */
export async function resultsOutlook(out: ResultsOutput): Promise<WriteOutlook> {
  return await writeOutlook(resultsRequest(out));
}

/** The workbook's sheet names, in order, in one sync (nothing else is read). */
export async function listSheetNames(): Promise<string[]> {
  requireExcelApi(BASE_EXCEL_API);
  return await runExcel(async (ctx) => (await loadSheetList(ctx)).map((s) => s.name));
}

/** Sheets of return-package indexes, in either language: replaced by the next one. */
const INDEX_SHEETS = new Set(['退回汇总', 'sent back']);

/** Writes the index of return packages as a sheet, replacing an earlier one. */
export async function writeIndexSheet(plan: SheetPlan): Promise<void> {
  await writeWorkbook({ plans: [plan], replaces: (name) => INDEX_SHEETS.has(name.trim().toLowerCase()) });
}

/** Activates a sheet and selects a cell on it (one sync). */
export async function selectCell(sheet: string, cell: string): Promise<void> {
  requireExcelApi(BASE_EXCEL_API);
  await runExcel(async (ctx) => {
    const ws = ctx.workbook.worksheets.getItem(sheet);
    ws.activate();
    ws.getRange(cell).select();
    await ctx.sync();
  });
}
