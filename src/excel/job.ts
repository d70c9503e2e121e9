/** What the task pane's Excel service calls: read for a job, create definitions, write results, select a cell. */
import { definitionsToSheets } from '../core/definitions';
import type { SheetGrid, WorkbookGrid } from '../core/grid';
import type { Definitions, Lang } from '../core/types';
import type { CellMark, CellUpdate, SheetPlan } from '../workbook/plan';
import { buildTemplatePlan } from '../workbook/template';
import { BASE_EXCEL_API, capabilities, requireExcelApi } from './capabilities';
import type { ChartRequest } from './chart';
import { gridPlan } from './grids';
import { isDefinitionSheet, isOutputSheet, isTemplateSheet, mayBeSchoolSheet } from './names';
import { loadSheetList, readGrids } from './read';
import { runExcel } from './run';
import { writeWorkbook } from './write';

/** What one read of the workbook gives a job. */
export interface JobRead {
  /** The definition sheets, as found (any language or accepted spelling). */
  readonly definitionSheets: SheetGrid[];
  /** The school sheets. */
  readonly schoolBook: WorkbookGrid;
  /** Every sheet's name, in order. */
  readonly sheetNames: string[];
}

/**
 * Reads the definition sheets and the school sheets in one `Excel.run` and three syncs (plus one
 * per extra 4 MB of cells). School sheets are `schoolSheets` when given (`[]`: none); otherwise
 * every non-empty sheet that is neither a definition sheet nor one Huizong writes.
 */
export async function readForJob(opts: { readonly schoolSheets?: readonly string[] } = {}): Promise<JobRead> {
  requireExcelApi(BASE_EXCEL_API);
  const caps = capabilities();
  return await runExcel(async (ctx) => {
    const sheets = await loadSheetList(ctx);
    const byLower = new Map(sheets.map((s) => [s.name.toLowerCase(), s.name]));
    const definitions = sheets.filter((s) => isDefinitionSheet(s.name)).map((s) => s.name);
    const schools =
      opts.schoolSheets === undefined
        ? sheets.filter((s) => mayBeSchoolSheet(s.name, s.visibility)).map((s) => s.name)
        : opts.schoolSheets.flatMap((n) => {
            const name = byLower.get(n.toLowerCase());
            return name === undefined ? [] : [name];
          });
    const grids = await readGrids(ctx, [...definitions, ...schools], caps);
    const schoolGrids = grids.slice(definitions.length);
    return {
      definitionSheets: grids.slice(0, definitions.length),
      schoolBook: { sheets: opts.schoolSheets === undefined ? schoolGrids.filter((g) => g.values.length > 0) : schoolGrids },
      sheetNames: sheets.map((s) => s.name),
    };
  });
}

/**
 * Writes the definition sheets for `defs` in `lang`, and the school template sheet, replacing
 * the definition and template sheets there were (in either language, so the new ones are the
 * ones read).
 */
export async function createDefinitionSheets(defs: Definitions, lang: Lang): Promise<void> {
  const plans: SheetPlan[] = definitionsToSheets(defs, lang).map((g) => gridPlan(g, g.name, { header: true }));
  plans.push(buildTemplatePlan(defs, lang));
  await writeWorkbook({ plans, replaces: (name) => isDefinitionSheet(name) || isTemplateSheet(name) });
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
}

/**
 * Writes a consolidation's results all or nothing: the new sheets replace the previous run's (in
 * either language), rates go into the school sheets, marks replace Huizong's earlier ones.
 * `onProgress` gets the fraction done after each sync. Gives the school sheets left unchanged
 * because a password protects them.
 */
export async function writeResults(out: ResultsOutput, onProgress: (fraction: number) => void = () => {}): Promise<{ readonly locked: string[] }> {
  const { locked } = await writeWorkbook({
    plans: out.plans,
    ...(out.chart !== undefined ? { chart: out.chart } : {}),
    updates: out.rateUpdates,
    marks: { sheets: out.markSheets, marks: out.marks },
    replaces: isOutputSheet,
    onProgress,
  });
  return { locked };
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
