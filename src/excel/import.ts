/**
 * Importing school workbooks the clerk picks as new sheets, named by school code. Each file is
 * inserted as it is (`insertWorksheetsFromBase64`, ExcelApi 1.13) when the host can; when the
 * host lacks it, the file is too large for one request, or the insert fails (Excel on the web
 * refuses sheets with charts, comments or PivotTables, and sometimes throws after inserting),
 * whatever it inserted is deleted and the file is read by the file reader the caller passes in (the
 * pane wires the .xlsx engine, loaded only then) and its values written into a new sheet. Files
 * neither way can read become issues.
 */
import type { SheetGrid, WorkbookGrid } from '../core/grid';
import { readSubmissions } from '../core/layout';
import { builtinPreset } from '../core/preset';
import type { Issue, SheetLayout } from '../core/types';
import { safeSheetName } from '../workbook/names';
import type { SheetPlan } from '../workbook/plan';
import { BASE_EXCEL_API, capabilities, requireExcelApi } from './capabilities';
import { PAYLOAD_BUDGET, op, packOps, type Op } from './chunk';
import { gridPlan } from './grids';
import { TEMP_PREFIX } from './names';
import { cellValue, queueSheetList } from './read';
import { runExcel } from './run';
import { writeWorkbook } from './write';

/** A file the clerk picked. */
export interface SchoolFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** Reads a file the host could not insert into grids; never throws for bad data. Passed in, so this adapter depends on no other. */
export type SchoolFileReader = (bytes: Uint8Array, name: string) => Promise<{ readonly book: WorkbookGrid | null; readonly issues: readonly Issue[] }>;

/** Gives a school's .xlsx without its sheets' protection (null when it cannot), before it is inserted. Passed in, as the reader is. */
export type ProtectionStripper = (bytes: Uint8Array) => Promise<Uint8Array | null>;

/** What an import needs besides the files. */
export interface ImportOptions {
  /** Reads files the host cannot insert. */
  readonly readFile: SchoolFileReader;
  /**
   * Takes the sheets' protection out of a file before it is inserted: the sheets are the bureau's
   * working copies, which the clerk corrects and Huizong writes into, and lifting protection inside
   * Excel is a call it cannot undo. Without it, a protected sheet stays protected.
   */
  readonly unprotect?: ProtectionStripper;
  /** Where a sheet states its school code (the built-in preset's by default). */
  readonly layout?: SheetLayout;
}

/** One sheet an import made: from which file, its name, and whether the file was inserted or its values written. */
export interface ImportedSheet {
  readonly file: string;
  readonly sheet: string;
  readonly via: 'insert' | 'values';
}

/** What an import did. */
export interface ImportResult {
  readonly imported: ImportedSheet[];
  readonly issues: Issue[];
}

/** The top-left block read from an inserted sheet to find its school code (the form's metadata is at the top). */
const CODE_WINDOW = 'A1:L40';

/** Bytes as base64, without building one huge argument list. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) binary += String.fromCharCode(...bytes.subarray(i, i + step));
  return btoa(binary);
}

function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b;
}

function stem(file: string): string {
  const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/** The school code a sheet states, read the way the core reads a submission; undefined when there is not exactly one. */
export function schoolCodeOf(grid: SheetGrid, layout: SheetLayout): string | undefined {
  const read = readSubmissions({ sheets: [grid] }, { ...layout, sheetName: undefined }, [], []);
  if (read.submissions.length !== 1) return undefined;
  const code = read.submissions[0]!.schoolCode.trim();
  return code === '' ? undefined : code;
}

/** Names for the sheets of one file: its school code, else the file's name (with the sheet's when it has several). */
function namesFor(file: string, grids: readonly SheetGrid[], layout: SheetLayout, taken: string[]): string[] {
  return grids.map((g) => {
    const base = schoolCodeOf(g, layout) ?? (grids.length === 1 ? stem(file) : `${stem(file)} ${g.name}`);
    const name = safeSheetName(base, taken, 'School');
    taken.push(name);
    return name;
  });
}

interface Inserted {
  readonly file: string;
  readonly ids: string[];
}

/**
 * Inserts the files, 4 MB of them per sync. A sync that fails leaves behind whatever Excel got
 * to insert: those sheets are found by name and deleted, and that sync's files are returned as
 * failed.
 */
async function insertFiles(ctx: Excel.RequestContext, files: readonly SchoolFile[]): Promise<{ inserted: Inserted[]; failed: SchoolFile[]; known: string[] }> {
  const before = queueSheetList(ctx);
  await ctx.sync();
  const known = new Set(before().map((s) => s.name));
  const inserted: Inserted[] = [];
  const failed: SchoolFile[] = [];
  const results = new Map<SchoolFile, OfficeExtension.ClientResult<string[]>>();
  const ops: Op[] = [];
  const opFile = new Map<Op, SchoolFile>();
  for (const f of files) {
    const base64 = toBase64(f.bytes);
    const o = op(base64.length, () => results.set(f, ctx.workbook.insertWorksheetsFromBase64(base64, { positionType: 'End' })));
    opFile.set(o, f);
    ops.push(o);
  }
  for (const group of packOps(ops)) {
    results.clear();
    for (const o of group) o.run();
    try {
      await ctx.sync();
      for (const [f, r] of results) inserted.push({ file: f.name, ids: [...r.value] });
    } catch {
      failed.push(...group.map((o) => opFile.get(o)!));
      // Excel may have inserted some sheets before it threw: everything new that is not ours yet goes.
      const ours = inserted.flatMap((i) => i.ids);
      const ids = ctx.workbook.worksheets;
      ids.load('items/name,items/id');
      await ctx.sync();
      const stray = ids.items.filter((s) => !known.has(s.name) && !ours.includes(s.id));
      for (const s of stray) s.delete();
      if (stray.length > 0) await ctx.sync();
    }
  }
  return { inserted, failed, known: [...known] };
}

/** Deletes sheets by id, keeping the error that got us here should this fail too. */
async function removeSheets(ctx: Excel.RequestContext, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  try {
    for (const id of ids) ctx.workbook.worksheets.getItem(id).delete();
    await ctx.sync();
  } catch {
    // Nothing more to do: the first error is the one the clerk sees.
  }
}

/**
 * Reads the top of each inserted sheet, names it by its school code, and renames it (through a
 * temporary name first, so that one sheet's new name may be another's old one).
 */
async function nameInserted(ctx: Excel.RequestContext, inserted: readonly Inserted[], layout: SheetLayout, taken: string[]): Promise<ImportedSheet[]> {
  const reads: { file: string; sheet: Excel.Worksheet; range: Excel.Range }[] = [];
  const ops: Op[] = [];
  for (const i of inserted) {
    for (const id of i.ids) {
      ops.push(
        op(480 * 40, () => {
          const sheet = ctx.workbook.worksheets.getItem(id);
          sheet.load('name');
          const range = sheet.getRange(CODE_WINDOW);
          range.load('values,valueTypes,numberFormat');
          reads.push({ file: i.file, sheet, range });
        }),
      );
    }
  }
  for (const group of packOps(ops)) {
    for (const o of group) o.run();
    await ctx.sync();
  }
  const out: ImportedSheet[] = [];
  const renames: { sheet: Excel.Worksheet; name: string }[] = [];
  for (const i of inserted) {
    const mine = reads.filter((r) => r.file === i.file);
    const grids: SheetGrid[] = mine.map((r) => ({
      name: r.sheet.name,
      values: r.range.values.map((row, y) => row.map((v, x) => cellValue(v, r.range.valueTypes[y]?.[x]))),
      numberFormats: r.range.numberFormat.map((row) => row.map((f) => (typeof f === 'string' && f !== 'General' ? f : null))),
    }));
    const names = namesFor(i.file, grids, layout, taken);
    mine.forEach((r, k) => renames.push({ sheet: r.sheet, name: names[k]! }));
    for (const name of names) out.push({ file: i.file, sheet: name, via: 'insert' });
  }
  renames.forEach((r, k) => (r.sheet.name = `${TEMP_PREFIX}import${k}`));
  for (const r of renames) r.sheet.name = r.name;
  if (renames.length > 0) await ctx.sync();
  return out;
}

/**
 * Imports school files as new sheets named by school code (duplicates get ` (2)`…). `existing`
 * are the workbook's sheet names.
 */
export async function importSchoolFiles(picked: readonly SchoolFile[], existing: readonly string[], options: ImportOptions): Promise<ImportResult> {
  let files = picked;
  const layout = options.layout ?? builtinPreset().layout;
  requireExcelApi(BASE_EXCEL_API);
  const caps = capabilities();
  const imported: ImportedSheet[] = [];
  const issues: Issue[] = [];
  const taken = [...existing];

  let insertable = caps.insertWorksheets ? files.filter((f) => isZip(f.bytes) && Math.ceil(f.bytes.length / 3) * 4 < PAYLOAD_BUDGET) : [];
  if (options.unprotect !== undefined && insertable.length > 0) {
    const strip = options.unprotect;
    const plain = await Promise.all(insertable.map(async (f) => ({ name: f.name, bytes: (await strip(f.bytes)) ?? f.bytes })));
    const byFile = new Map(insertable.map((f, i) => [f, plain[i]!]));
    files = files.map((f) => byFile.get(f) ?? f);
    insertable = plain.filter((f) => Math.ceil(f.bytes.length / 3) * 4 < PAYLOAD_BUDGET);
  }
  let toRead = files.filter((f) => !insertable.includes(f));
  if (insertable.length > 0) {
    const done = await runExcel(async (ctx) => {
      const { inserted, failed, known } = await insertFiles(ctx, insertable);
      for (const name of known) if (!taken.includes(name)) taken.push(name);
      try {
        return { named: await nameInserted(ctx, inserted, layout, taken), failed };
      } catch (e) {
        // Sheets that could not be named are taken out again: the import did not happen.
        await removeSheets(ctx, inserted.flatMap((i) => i.ids));
        throw e;
      }
    });
    imported.push(...done.named);
    toRead = files.filter((f) => toRead.includes(f) || done.failed.includes(f));
  }
  if (toRead.length === 0) return { imported, issues };

  const plans: SheetPlan[] = [];
  const planned: { file: string }[] = [];
  for (const f of toRead) {
    const read = await options.readFile(f.bytes, f.name);
    issues.push(...read.issues);
    if (read.book === null) continue;
    const grids = read.book.sheets.filter((s) => s.values.some((row) => row.some((v) => v !== null && v !== '')));
    if (grids.length === 0) {
      if (read.issues.length === 0) issues.push({ code: 'file.empty', severity: 'error', file: f.name, params: { file: f.name } });
      continue;
    }
    const names = namesFor(f.name, grids, layout, taken);
    grids.forEach((g, k) => {
      plans.push(gridPlan(g, names[k]!));
      planned.push({ file: f.name });
    });
  }
  if (plans.length > 0) {
    const { names: written } = await writeWorkbook({ plans, keepExisting: true });
    planned.forEach((p, k) => imported.push({ file: p.file, sheet: written[k]!, via: 'values' }));
  }
  return { imported, issues };
}
