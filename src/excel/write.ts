/**
 * Writing into the open workbook, in place, in a fixed number of syncs — and, on a host with undo
 * grouping (ExcelApi 1.20), as one step of the clerk's undo history.
 *
 * An output sheet that exists is rewritten where it stands: its tables, charts, merges, conditional
 * formats and validation are removed and its cells cleared, never the sheet itself, so a clerk's own
 * formula elsewhere (`=全区汇总!C5`) or chart keeps pointing at the same place. A sheet that does not
 * exist is added under its final name. Excel's "Undo capabilities" page lists the calls that cannot be
 * undone — deleting, renaming, hiding or moving a sheet (renaming, hiding and moving are undoable on
 * the web only; taken as never), protecting and unprotecting: a write that needs none of them runs as
 * one undo group; one that needs them (a protected sheet to change, a sheet of the other language to
 * rename, a sheet to delete) runs without a group, since inside one such a call throws
 * `UndoNotSupported`, and the result says the clerk's undo history was lost. The page setup of the
 * sheets (`Worksheet.pageLayout`, row heights, alignment and wrapping) is not in that page's table:
 * it can be undone, so it never keeps a write out of its group. It needs ExcelApi 1.9; below it the
 * sheets print with Excel's defaults and the result names the set the host lacks.
 *
 * Excel keeps what ran before a failed call, and nothing can roll a sync back. So a sync before any
 * sheet is touched records the write as unfinished (a workbook setting); the first content sync empties
 * the sheets it rewrites, putting a banner in each one's first cell; the very last sync writes the
 * first cells and, as its very last call, drops the record. Whatever fails and wherever, the clerk has the complete new results, or sheets that say
 * they are unfinished — never a mix that looks complete. New sheets of a write that failed are
 * deleted again when the host allows it.
 *
 * Syncs: 1 (a look: sheet list, protection, tables, journals, the marks record; nothing changes)
 * + 1 (lifting protection, renames, only when needed) + 1 (the objects on the sheets rewritten and the
 * state of the cells to mark) + 1 (everything else), each step one more sync per further 4 MB.
 *
 * A protected sheet to change is opened before and protected again, with the options it had, in the
 * last sync. A sheet protected with a password cannot be opened: it is left alone (its rates and marks
 * are not written) and named in the result.
 */
import { cellAddress, isCellError, parseCellAddress } from '../core/grid';
import { safeSheetName } from '../workbook/names';
import type { CellMark, CellUpdate, PlannedCell, SheetPlan } from '../workbook/plan';
import { BASE_EXCEL_API, capabilities, requireExcelApi, type Capabilities } from './capabilities';
import { rectAddress } from './address';
import { chartOps, chartPlan, type ChartRequest } from './chart';
import { PAYLOAD_BUDGET, cost, jsonBytes, op, opsBytes, packOps, type Op } from './chunk';
import { MarkWriter, queueMarkRecord, type MarkRecordState } from './marks';
import { TEMP_PREFIX } from './names';
import { queueSheetList, type SheetInfo } from './read';
import { settingData } from './setting';
import { planOps, plannedInput, typedInput } from './render';
import { errorCode, runExcel } from './run';

/** The workbook setting remembering the sheets each kind of write made, by kind. */
export const OUTPUTS_SETTING = 'huizong.outputs';

/** What the clerk's undo history holds after a write. */
export type UndoOutcome =
  /** One Ctrl+Z undoes the whole write (ExcelApi 1.20). */
  | 'whole'
  /** The host cannot group: each part of the write is its own undo step. */
  | 'steps'
  /** The write needed calls Excel cannot undo (protection, renaming, deleting): the history before it is gone. */
  | 'lost';

/** Why a write cannot be undone, for the pane's words. */
export type UndoLoss = 'protected' | 'rename' | 'delete';

/** What a write did. */
export interface WriteResult {
  /** The names the plans' sheets got. */
  readonly names: string[];
  /** Sheets whose changes were left out: protected with a password Huizong cannot know. */
  readonly locked: string[];
  /** What the clerk's undo history holds now. */
  readonly undo: UndoOutcome;
  /** Requirement sets this host lacks for parts of the write, which were left out: `ExcelApi 1.9` for how the sheets print. */
  readonly lacking: readonly string[];
}

/** Everything one write does. */
export interface WriteRequest {
  /** Whole sheets; each is written into its namesake (compared ignoring case), or added. */
  readonly plans: readonly SheetPlan[];
  /** A chart sheet to build (written into its namesake too). */
  readonly chart?: ChartRequest;
  /** Single cells of existing sheets (rates written back); cells of missing sheets are skipped. */
  readonly updates?: readonly CellUpdate[];
  /** Huizong's marks on these sheets are replaced by these marks. */
  readonly marks?: { readonly sheets: readonly string[]; readonly marks: readonly CellMark[] };
  /** Keep existing sheets: a new sheet whose name is taken gets ` (2)`… instead of being written into it. */
  readonly keepExisting?: boolean;
  /** Other names a plan's sheet may have (the other language's): such a sheet, when the plan's own is missing, is rewritten in place and renamed. */
  readonly aliases?: (name: string) => readonly string[];
  /** Other existing sheets to delete once the write is done (an output this run no longer makes). */
  readonly replaces?: (name: string) => boolean;
  /** The text a rewritten sheet shows in its first cell until the write is complete. */
  readonly banner?: string;
  /**
   * Remember the plans' sheets as this kind of write's outputs (`OUTPUTS_SETTING` under this key): the
   * next such write treats the sheets remembered as its own — rewritten in place when a plan has their
   * name or its other language's, deleted when no plan does. Sheets of names a run makes up (a table per
   * section of the definitions) are found again this way, and a clerk's sheet of a like name never is.
   */
  readonly outputs?: string;
  readonly onProgress?: (fraction: number) => void;
}

/** The workbook setting recording a write under way: the sheets it rewrites. Dropped by its last sync. */
export const UNFINISHED_SETTING = 'huizong.unfinished';

/** What a sheet being rewritten shows until the write is complete, when the caller gives no words of its own. */
export const DEFAULT_BANNER = '汇总未完成，请在汇总面板中再次汇总 · Unfinished: consolidate again in the Huizong pane';

/** The journal of an earlier design, which set sheets aside under temporary names; dropped when found. */
const LEGACY_SWAP_SETTING = 'huizong.swap';

/** A protected sheet this write opened, and the options to protect it with again. */
interface Opened {
  readonly name: string;
  readonly options: Excel.WorksheetProtectionOptions;
}

/** The workbook setting listing the sheets a write opened and has not yet protected again, with their options. */
export const PROTECT_SETTING = 'huizong.reprotect';

/**
 * Protection options as `protect()` takes them: only the options that are set, as booleans. Options
 * read back from Excel may hold nulls, which `protect()` refuses (office-js issue #1931).
 */
export function protectionOptions(options: unknown): Excel.WorksheetProtectionOptions {
  if (typeof options !== 'object' || options === null) return {};
  const out: Record<string, boolean> = {};
  for (const [k, v] of Object.entries(options)) if (k.startsWith('allow') && typeof v === 'boolean') out[k] = v;
  return out as Excel.WorksheetProtectionOptions;
}

/** The sheets a journal lists, as written by `openProtected`; anything unreadable is no journal. */
function parseJournal(value: unknown): Opened[] {
  const data = settingData(value);
  if (!Array.isArray(data)) return [];
  return data.flatMap((e): Opened[] => {
    const o = e as { name?: unknown; options?: unknown };
    return typeof o.name === 'string' && typeof o.options === 'object' && o.options !== null ? [{ name: o.name, options: protectionOptions(o.options) }] : [];
  });
}

/** The entry of a protected sheet this write opens. */
function openedOf(s: SheetInfo): Opened {
  return { name: s.name, options: protectionOptions(s.protection!.options) };
}

/** Queues protecting again, with their own options, the sheets this write opened that `now` shows open. */
function protectAgain(ctx: Excel.RequestContext, now: readonly SheetInfo[], opened: readonly Opened[]): void {
  const open = new Set(now.filter((s) => s.protection?.protected === false).map((s) => s.name.toLowerCase()));
  for (const o of opened) if (open.has(o.name.toLowerCase())) ctx.workbook.worksheets.getItem(o.name).protection.protect(o.options);
}

/**
 * The errors of a sheet refusing `unprotect` (a password): `BadPassword` is the code the error-handling
 * reference gives for a wrong password; the others are what hosts have been seen to answer.
 */
const REFUSALS = new Set(['BadPassword', 'AccessDenied', 'InvalidArgument', 'InvalidOperation']);

/**
 * Lifts the protection of `sheets` (protected, to be written): all in one sync when none has a
 * password. Excel stops a sync at the call that fails and keeps the ones before: the sheets still
 * protected are read back, the first of them is the one whose password is unknown, and the rest
 * are tried again. Adds every sheet opened to `opened` as soon as it is; gives the locked ones. Calls
 * queued before it ride in its first sync.
 */
async function openProtected(ctx: Excel.RequestContext, sheets: readonly SheetInfo[], opened: Opened[], synced: () => Promise<void>): Promise<string[]> {
  const locked: string[] = [];
  let pending = [...sheets];
  while (pending.length > 0) {
    // First, in the same sync, the journal: should this run stop before it protects them again, the next one will.
    const journal = JSON.stringify([...opened, ...pending.map(openedOf)]);
    ctx.workbook.settings.add(PROTECT_SETTING, journal);
    for (const s of pending) ctx.workbook.worksheets.getItem(s.name).protection.unprotect();
    try {
      await synced();
      opened.push(...pending.map(openedOf));
      break;
    } catch (e) {
      // Which sheets the failed sync opened: Excel kept every call before the one that failed.
      const states = pending.map((s) => {
        const p = ctx.workbook.worksheets.getItem(s.name).protection;
        p.load('protected');
        return p;
      });
      await synced();
      const at = states.findIndex((p) => p.protected);
      const done = at === -1 ? pending : pending.slice(0, at);
      opened.push(...done.map(openedOf));
      // Only a sheet refusing to be opened is passed over; any other failure fails the write (the sheets opened are protected again).
      if (!REFUSALS.has(errorCode(e) ?? '')) throw e;
      if (at === -1) break;
      locked.push(pending[at]!.name);
      pending = pending.slice(at + 1);
    }
  }
  return locked;
}

/** What to send for a rate written into an existing cell: text goes into a text-formatted cell as it is, so it stays text whatever the cell's format was. */
function updateInput(u: CellUpdate): { input: string | number | boolean; format: string | undefined } {
  const v = u.value;
  if (typeof v === 'string' && v !== '') return { input: v, format: '@' };
  return { input: isCellError(v) ? v.error : typedInput(v), format: u.numberFormat };
}

/**
 * The calls that write rates back into existing cells. A sheet's cells go in one call over the
 * rectangle around them, `null` everywhere else — Office.js leaves a cell given `null`
 * untouched — unless they are too scattered for that to be smaller.
 */
function updateOps(ctx: Excel.RequestContext, updates: readonly CellUpdate[], sheetName: (n: string) => string | undefined): Op[] {
  const bySheet = new Map<string, Map<string, { row: number; col: number; input: string | number | boolean; format: string | undefined }>>();
  for (const u of updates) {
    const sheet = sheetName(u.sheet);
    const at = parseCellAddress(u.cell);
    if (sheet === undefined || at === null) continue;
    let cells = bySheet.get(sheet);
    if (cells === undefined) bySheet.set(sheet, (cells = new Map()));
    cells.set(`${at.row},${at.col}`, { ...at, ...updateInput(u) });
  }
  const ops: Op[] = [];
  for (const [sheet, map] of bySheet) {
    const cells = [...map.values()];
    const rect = { r0: Infinity, c0: Infinity, r1: -1, c1: -1 };
    for (const c of cells) {
      rect.r0 = Math.min(rect.r0, c.row);
      rect.c0 = Math.min(rect.c0, c.col);
      rect.r1 = Math.max(rect.r1, c.row);
      rect.c1 = Math.max(rect.c1, c.col);
    }
    const area = (rect.r1 - rect.r0 + 1) * (rect.c1 - rect.c0 + 1);
    if (area <= Math.max(16, cells.length * 8)) {
      const values: (string | number | boolean | null)[][] = [];
      const formats: (string | null)[][] = [];
      for (let r = rect.r0; r <= rect.r1; r++) {
        values.push(new Array<string | number | boolean | null>(rect.c1 - rect.c0 + 1).fill(null));
        formats.push(new Array<string | null>(rect.c1 - rect.c0 + 1).fill(null));
      }
      let anyFormat = false;
      for (const c of cells) {
        values[c.row - rect.r0]![c.col - rect.c0] = c.input;
        if (c.format !== undefined) {
          formats[c.row - rect.r0]![c.col - rect.c0] = c.format;
          anyFormat = true;
        }
      }
      const address = rectAddress(rect);
      ops.push(
        op(jsonBytes(sheet) + jsonBytes(values) + (anyFormat ? jsonBytes(formats) + cost(0, 1) : 0), () => {
          const range = ctx.workbook.worksheets.getItem(sheet).getRange(address);
          // The format first: a text format must be there before the text is typed.
          if (anyFormat) range.numberFormat = formats;
          range.values = values;
        }),
      );
      continue;
    }
    for (const c of cells) {
      const address = cellAddress(c.row, c.col);
      ops.push(
        op(jsonBytes(sheet) + jsonBytes(c.input) + (c.format === undefined ? 0 : jsonBytes(c.format) + cost(0, 1)) + 32, () => {
          const range = ctx.workbook.worksheets.getItem(sheet).getRange(address);
          if (c.format !== undefined) range.numberFormat = [[c.format]];
          range.values = [[c.input]];
        }),
      );
    }
  }
  return ops;
}

/** What a look at the workbook found, before anything is written. */
interface Survey {
  readonly sheets: SheetInfo[];
  readonly tables: string[];
  readonly journal: { readonly protect: unknown; readonly unfinished: unknown; readonly legacySwap: unknown; readonly outputs: unknown };
  readonly marks: MarkRecordState;
}

/** Queues the look (one sync, nothing changed); the answer is ready after it. */
function queueSurvey(ctx: Excel.RequestContext, caps: Capabilities): () => Survey {
  const list = queueSheetList(ctx, true);
  const tables = ctx.workbook.tables;
  tables.load('items/name');
  const setting = (key: string): (() => unknown) => {
    const item = ctx.workbook.settings.getItemOrNullObject(key);
    item.load('value');
    return () => (item.isNullObject ? undefined : (item.value as unknown));
  };
  const protect = setting(PROTECT_SETTING);
  const unfinished = setting(UNFINISHED_SETTING);
  const legacySwap = setting(LEGACY_SWAP_SETTING);
  const outputs = setting(OUTPUTS_SETTING);
  const marks = queueMarkRecord(ctx, caps);
  return () => ({
    sheets: list(),
    tables: tables.items.map((t) => t.name),
    journal: { protect: protect(), unfinished: unfinished(), legacySwap: legacySwap(), outputs: outputs() },
    marks: marks(),
  });
}

/** One sheet to write: its plan, the existing sheet it is written into (by id), and its final name. */
interface Target {
  readonly plan: SheetPlan;
  name: string;
  /** The existing sheet rewritten in place; undefined for a sheet to add. */
  readonly existing?: SheetInfo;
  /** Set when the existing sheet has another name (the other language's) and takes `name`. */
  readonly rename?: boolean;
  proxy?: Excel.Worksheet;
}

/** What a write will do, worked out from the look. */
interface Layout {
  readonly targets: Target[];
  /** Protected sheets to open: targets and sheets whose cells change. */
  readonly guarded: SheetInfo[];
  /** Sheets to delete at the end: outputs no plan writes, and temporary sheets of an earlier design. */
  readonly deletes: SheetInfo[];
  /** Sheets an earlier run opened and could not protect again. */
  readonly reopened: Opened[];
  /** Why the undo history cannot be kept; empty when it can. */
  readonly losses: UndoLoss[];
}

/** Works out, from the look, where each plan goes and what else the write must do. */
function layout(req: WriteRequest, plans: readonly SheetPlan[], survey: Survey): Layout {
  const sheets = survey.sheets;
  const remembered = new Set(rememberedOutputs(survey.journal.outputs, req.outputs).map((n) => n.toLowerCase()));
  const isRemembered = (name: string): boolean => remembered.has(name.toLowerCase());
  const byLower = new Map(sheets.map((s) => [s.name.toLowerCase(), s]));
  const used = new Set<string>();
  const taken = sheets.map((s) => s.name);
  const targets: Target[] = plans.map((plan) => {
    if (req.keepExisting === true) {
      const name = safeSheetName(plan.name, taken);
      taken.push(name);
      return { plan, name };
    }
    const own = byLower.get(plan.name.toLowerCase());
    if (own !== undefined && !used.has(own.id)) {
      used.add(own.id);
      return { plan, name: own.name, existing: own };
    }
    const aliases = [...(req.aliases?.(plan.name) ?? []), ...otherLanguageNames(plan.name).filter(isRemembered)];
    for (const alias of aliases) {
      const other = byLower.get(alias.toLowerCase());
      if (other === undefined || used.has(other.id)) continue;
      used.add(other.id);
      return { plan, name: plan.name, existing: other, rename: other.name !== plan.name };
    }
    return { plan, name: plan.name };
  });
  const changed = new Set([...(req.updates ?? []).map((u) => u.sheet), ...(req.marks?.sheets ?? []), ...(req.marks?.marks ?? []).map((m) => m.sheet)].map((n) => n.toLowerCase()));
  const targetIds = new Set(targets.flatMap((t) => (t.existing !== undefined ? [t.existing.id] : [])));
  const guarded = sheets.filter((s) => s.protection?.protected === true && (targetIds.has(s.id) || changed.has(s.name.toLowerCase())));
  const deletes = sheets.filter((s) => !targetIds.has(s.id) && (s.name.startsWith(TEMP_PREFIX) || req.replaces?.(s.name) === true || isRemembered(s.name)));
  const open = new Map(sheets.filter((s) => s.protection?.protected === false).map((s) => [s.name.toLowerCase(), s.name]));
  const reopened = parseJournal(survey.journal.protect).flatMap((j) => {
    const name = open.get(j.name.toLowerCase());
    return name === undefined ? [] : [{ name, options: j.options }];
  });
  const losses: UndoLoss[] = [];
  if (guarded.length > 0 || reopened.length > 0 || plans.some((p) => p.protection !== undefined)) losses.push('protected');
  if (targets.some((t) => t.rename === true)) losses.push('rename');
  if (deletes.length > 0) losses.push('delete');
  return { targets, guarded, deletes, reopened, losses };
}

/** The sheets a write of kind `kind` remembered making; none when there is no such record. */
function rememberedOutputs(value: unknown, kind: string | undefined): string[] {
  if (kind === undefined) return [];
  const data = settingData(value) as Record<string, unknown> | undefined;
  const list = typeof data === 'object' && data !== null ? data[kind] : undefined;
  return Array.isArray(list) ? list.filter((n): n is string => typeof n === 'string') : [];
}

/** A section table's sheet name in the other language: `表3 学前教育` ↔ `T3 学前教育`. */
function otherLanguageNames(name: string): string[] {
  const m = /^(表|T)(\d+(?:-\d+)?) (.*)$/.exec(name);
  return m === null ? [] : [`${m[1] === '表' ? 'T' : '表'}${m[2]} ${m[3]}`];
}

/** The plan with its first cell showing `banner`, and the cell the last sync puts back. */
function withBanner(plan: SheetPlan, banner: string): { plan: SheetPlan; first: PlannedCell | undefined } {
  const row = plan.rows[0];
  if (row === undefined) return { plan: { ...plan, rows: [{ role: 'title', cells: [{ value: banner }] }] }, first: undefined };
  const first = row.cells[0];
  return { plan: { ...plan, rows: [{ ...row, cells: [{ ...(first ?? {}), value: banner, formula: undefined }, ...row.cells.slice(1)] }, ...plan.rows.slice(1)] }, first };
}

/** The number format a plan gives its first cell (the cell's own, else its column's). */
function firstFormat(plan: SheetPlan): string | undefined {
  for (const [r, c, fmt] of plan.cellFormats ?? []) if (r === 0 && c === 0) return fmt;
  return plan.columns?.[0]?.numberFormat;
}

/**
 * The calls that empty a sheet rewritten in place, its first cell taking the banner before anything
 * else goes (so that at every call the sheet either shows its old results whole or says it is
 * unfinished): then its tables, charts, merges, conditional formats, validation, panes and cells.
 */
function emptyOps(ws: () => Excel.Worksheet, objects: { tables: Excel.TableCollection; charts: Excel.ChartCollection } | undefined, caps: Capabilities, banner: string): Op[] {
  const ops: Op[] = [op(jsonBytes(banner) + cost(2, 2), () => {
    // Formats first: in a text-formatted cell the apostrophe that keeps the banner text would stay.
    const first = ws().getRange('A1');
    first.clear('Formats');
    first.values = [[typedInput(banner)]];
  })];
  for (const t of objects?.tables.items ?? []) ops.push(op(64, () => t.delete()));
  for (const c of objects?.charts.items ?? []) ops.push(op(64, () => c.delete()));
  ops.push(
    op(cost(8, 6), () => {
      const all = ws().getRange();
      all.unmerge();
      if (caps.conditionalFormats) all.conditionalFormats.clearAll();
      if (caps.dataValidation) all.dataValidation.clear();
      // Everything but the first cell: the rest of the first row, and every row below it.
      ws().getRange('B1:XFD1').clear('All');
      ws().getRange('A2:XFD1048576').clear('All');
      if (caps.freezePanes) ws().freezePanes.unfreeze();
    }),
  );
  return ops;
}

/** The calls that add a sheet under its final name, its first cell saying it is unfinished. */
function addOps(ctx: Excel.RequestContext, t: Target, banner: string): Op[] {
  return [
    op(64 + jsonBytes(banner), () => {
      t.proxy = ctx.workbook.worksheets.add(t.name);
      t.proxy.getRange('A1').values = [[typedInput(banner)]];
    }),
  ];
}

/**
 * The groups with `last` added to the final one, or as a group of its own when it does not fit:
 * the closing calls always travel in the very last sync, whole.
 */
function withLast(groups: Op[][], last: Op[]): Op[][] {
  const tail = groups[groups.length - 1];
  if (tail !== undefined && opsBytes(tail) + opsBytes(last) <= PAYLOAD_BUDGET) return [...groups.slice(0, -1), [...tail, ...last]];
  return last.length > 0 || groups.length === 0 ? [...groups, last] : groups;
}

/** What the clean-up after a failed write needs to know. */
interface Failed {
  /** Sheets the write opened, to protect again. */
  readonly opened: readonly Opened[];
  /** Names of the sheets the write was adding. */
  readonly added: readonly string[];
  /** Ids of the existing sheets it was rewriting. */
  readonly rewriting: readonly string[];
  /** Whether the record of the write under way was in place before any sheet was touched. */
  readonly recorded: boolean;
  readonly banner: string;
}

/**
 * After a failure. When the record of the write under way was in place and is gone now, the last
 * sync ran whole — the record's deletion is its very last call — and only its answer was lost: the
 * write is complete and true is given. Otherwise protects again the sheets this write opened and gives
 * false; unless the record says the last sync had begun (the sheets are then whole, or say they are
 * not, and the record stays), it also deletes the sheets the write added (by name: a name no sheet had
 * before the write is one it gave) and drops the record when no sheet was touched after all (none
 * shows the banner, the first call on each, and none was added). Runs without an undo group. A failure
 * here must not hide the first one.
 */
async function cleanup(ctx: Excel.RequestContext, f: Failed): Promise<boolean> {
  try {
    const list = queueSheetList(ctx, true);
    const record = ctx.workbook.settings.getItemOrNullObject(UNFINISHED_SETTING);
    record.load('value');
    const firsts = f.rewriting.map((id) => {
      const cell = ctx.workbook.worksheets.getItemOrNullObject(id).getRange('A1');
      cell.load('values');
      return cell;
    });
    await ctx.sync();
    if (f.recorded && record.isNullObject) return true;
    const now = list();
    const bannered = firsts.some((c) => c.values[0]?.[0] === f.banner);
    const closing = !record.isNullObject && (settingData(record.value) as { closing?: unknown } | undefined)?.closing === true;
    protectAgain(ctx, now, f.opened);
    if (f.opened.length > 0) ctx.workbook.settings.getItemOrNullObject(PROTECT_SETTING).delete();
    // The last sync had begun: its sheets are whole or say they are not; the record stays, to say the write is not complete.
    if (closing) {
      await ctx.sync();
      return false;
    }
    const ours = new Set(f.added.map((n) => n.toLowerCase()));
    const added = now.filter((s) => ours.has(s.name.toLowerCase()));
    // A record put in before a sync that touched no sheet at all says nothing true: it goes.
    if (!record.isNullObject && !bannered && added.length === 0) record.delete();
    for (const s of added) ctx.workbook.worksheets.getItem(s.id).delete();
    await ctx.sync();
  } catch {
    // The workbook may be closing or the host gone; the error that got us here is the one to report.
  }
  return false;
}

/** A write that failed inside an undo group, with what its clean-up needs. */
/** The look before a write failed: nothing was written, and the workbook is as it was. `reason` is what Excel answered. */
export class WriteNotStartedError extends Error {
  override name = 'WriteNotStartedError';
  /** The code Excel answered with, if any (a cell being edited gives `InvalidOperation`). */
  readonly code: string | undefined;
  constructor(readonly reason: unknown) {
    super(reason instanceof Error ? reason.message : String(reason));
    this.code = typeof reason === 'object' && reason !== null && 'code' in reason ? String((reason as { code: unknown }).code) : undefined;
  }
}

class WriteFailure extends Error {
  override name = 'WriteFailure';
  constructor(
    readonly reason: unknown,
    readonly failed: Failed,
    readonly result: Omit<WriteResult, 'undo' | 'lacking'>,
  ) {
    super('write failed');
  }
}

async function writeIn(ctx: Excel.RequestContext, req: WriteRequest, caps: Capabilities, look: Survey, plans: readonly SheetPlan[], chart: ReturnType<typeof chartPlan> | undefined, grouped: boolean): Promise<Omit<WriteResult, 'undo' | 'lacking'>> {
  const planned = layout(req, plans, look);
  const { targets } = planned;
  const banner = req.banner ?? DEFAULT_BANNER;
  let syncs = 0;
  const total = 2 + (planned.guarded.length > 0 || targets.some((t) => t.rename === true) ? 1 : 0);
  const synced = async (): Promise<void> => {
    await ctx.sync();
    syncs++;
    req.onProgress?.(Math.min(0.95, syncs / total));
  };
  const opened: Opened[] = [...planned.reopened];
  const added = targets.filter((t) => t.existing === undefined).map((t) => t.name);
  let locked: string[] = [];
  let recorded = false;
  try {
    // Names first (a plan's formulas name the sheets as they end), with lifting protection: calls Excel cannot undo, in a run without a group.
    if (!grouped) {
      for (const t of targets) if (t.rename === true) ctx.workbook.worksheets.getItem(t.existing!.id).name = t.name;
      if (planned.guarded.length > 0) locked = await openProtected(ctx, planned.guarded, opened, synced);
      else if (targets.some((t) => t.rename === true)) await synced();
    } else {
      // Nothing to open in a group: a sheet found protected is left alone and named, as a password-protected one is.
      locked = planned.guarded.map((s) => s.name);
    }
    const lockedLower = new Set(locked.map((n) => n.toLowerCase()));
    const live = new Map(look.sheets.map((s) => [s.name.toLowerCase(), s.name]));
    for (const t of targets) if (t.rename === true) live.set(t.name.toLowerCase(), t.name);
    const sheetName = (n: string): string | undefined => {
      const name = live.get(n.toLowerCase());
      return name === undefined || name.startsWith(TEMP_PREFIX) || lockedLower.has(name.toLowerCase()) ? undefined : name;
    };
    const writable = targets.filter((t) => t.existing === undefined || !lockedLower.has(t.existing.name.toLowerCase()));

    // The objects on the sheets rewritten, and the state of the cells to mark.
    const objects = new Map<Target, { tables: Excel.TableCollection; charts: Excel.ChartCollection }>();
    const marks = req.marks !== undefined ? new MarkWriter(ctx, caps, req.marks.sheets, req.marks.marks) : undefined;
    marks?.prime(look.marks);
    const loads: Op[] = writable
      .filter((t) => t.existing !== undefined)
      .map((t) =>
        op(cost(3, 2), () => {
          const ws = ctx.workbook.worksheets.getItem(t.existing!.id);
          const tables = ws.tables;
          tables.load('items/name');
          const charts = ws.charts;
          charts.load('items/name');
          objects.set(t, { tables, charts });
        }),
      );
    loads.push(...(marks?.secondOps(sheetName, (n) => lockedLower.has(n.toLowerCase())) ?? []));
    // The record of the write under way goes in before any sheet is touched, so that a failure later is always seen as one.
    const rewritten = writable.map((t) => t.name);
    const record = JSON.stringify({ sheets: rewritten });
    if (rewritten.length > 0) loads.unshift(op(jsonBytes(record), () => ctx.workbook.settings.add(UNFINISHED_SETTING, record)));
    for (const g of packOps(loads)) {
      for (const o of g) o.run();
      await synced();
    }
    recorded = rewritten.length > 0;

    // Table names: those of the tables removed are free again; one another sheet holds is not.
    const removed = new Set([...objects.values()].flatMap((o) => o.tables.items.map((t) => t.name.toLowerCase())));
    const takenTables = new Set(look.tables.map((n) => n.toLowerCase()).filter((n) => !removed.has(n)));
    const tableName = (wanted: string): string => {
      let name = wanted;
      for (let n = 2; takenTables.has(name.toLowerCase()); n++) name = `${wanted}${n}`;
      takenTables.add(name.toLowerCase());
      return name;
    };

    const content: Op[] = [];
    const firsts: { target: Target; cell: PlannedCell | undefined }[] = [];
    // Every sheet rewritten is emptied and marked unfinished before any is filled.
    for (const t of writable) {
      if (t.existing === undefined) {
        content.push(...addOps(ctx, t, banner));
        continue;
      }
      content.push(op(32, () => (t.proxy = ctx.workbook.worksheets.getItem(t.existing!.id))));
      content.push(...emptyOps(() => t.proxy!, objects.get(t), caps, banner));
    }
    for (const t of writable) {
      const { plan, first } = withBanner(t.plan, banner);
      firsts.push({ target: t, cell: first });
      const sheet = (): Excel.Worksheet => t.proxy!;
      const name = plan.table !== undefined ? tableName(plan.table.name) : undefined;
      content.push(...planOps(sheet, plan, { dataValidation: caps.dataValidation, pageLayout: caps.pageLayout, ...(name !== undefined ? { tableName: name } : {}) }));
      if (chart !== undefined && t.plan === chart.plan && chart.ranges !== undefined) content.push(...chartOps(sheet, req.chart!.title, chart.ranges));
    }
    content.push(...updateOps(ctx, req.updates ?? [], sheetName), ...(marks?.commitOps() ?? []));

    // The last sync: first cells, protection back, sheets no longer wanted deleted, the record dropped.
    const closingRecord = JSON.stringify({ sheets: rewritten, closing: true });
    const closing: Op[] = rewritten.length > 0 ? [op(jsonBytes(closingRecord), () => ctx.workbook.settings.add(UNFINISHED_SETTING, closingRecord))] : [];
    for (const { target, cell } of firsts) {
      // The cell already has the plan's format: a text-formatted one takes its text as it is, any other as typed (text behind an apostrophe).
      const text = firstFormat(target.plan) === '@' && cell?.formula === undefined && typeof cell?.value === 'string';
      const input = text ? (cell.value as string) : plannedInput(cell);
      closing.push(op(jsonBytes(input) + cost(2, 1), () => (target.proxy!.getRange('A1').formulas = [[input]])));
    }
    closing.push(...content.filter((o) => o.late === true));
    const reprotect = [...opened];
    if (!grouped) closing.push(...reprotect.map((o) => op(128, () => ctx.workbook.worksheets.getItem(o.name).protection.protect(o.options))));
    if (!grouped) {
      for (const s of planned.deletes) {
        closing.push(
          op(96, () => {
            const ws = ctx.workbook.worksheets.getItem(s.id);
            // A very hidden sheet cannot be deleted until it is made visible or hidden ("Work with worksheets").
            if (s.visibility === 'VeryHidden') ws.visibility = 'Hidden';
            ws.delete();
          }),
        );
      }
    }
    const dropped = (key: string, there: unknown): void => {
      if (there !== undefined) closing.push(op(64, () => ctx.workbook.settings.getItem(key).delete()));
    };
    if (rewritten.length === 0) dropped(UNFINISHED_SETTING, look.journal.unfinished);
    if (!grouped) {
      if (opened.length > 0 || look.journal.protect !== undefined) closing.push(op(64, () => ctx.workbook.settings.getItemOrNullObject(PROTECT_SETTING).delete()));
      dropped(LEGACY_SWAP_SETTING, look.journal.legacySwap);
    }
    if (req.outputs !== undefined) {
      const data = settingData(look.journal.outputs);
      const all = { ...(typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {}), [req.outputs]: targets.map((t) => t.name) };
      const text = JSON.stringify(all);
      closing.push(op(jsonBytes(text), () => ctx.workbook.settings.add(OUTPUTS_SETTING, text)));
    }
    if (writable.length > 0 && caps.suspendCalculation) closing.push(op(32, () => ctx.workbook.application.calculate('Recalculate')));
    // The very last call: once it has run, every call before it has.
    if (rewritten.length > 0) closing.push(op(64, () => ctx.workbook.settings.getItem(UNFINISHED_SETTING).delete()));

    const groups = withLast(packOps(content.filter((o) => o.late !== true)), closing);
    for (const [k, g] of groups.entries()) {
      if (k === 0) suspendCalculation(ctx, caps);
      if (k === groups.length - 1) suspendScreen(ctx, caps);
      for (const o of g) o.run();
      await synced();
    }
  } catch (e) {
    const result = { names: targets.slice(0, req.plans.length).map((t) => t.name), locked };
    // Inside an undo group nothing Excel cannot undo may run: the clean-up then runs after, on its own.
    const failed: Failed = { opened: grouped ? [] : opened, added, rewriting: targets.flatMap((t) => (t.existing !== undefined ? [t.existing.id] : [])), recorded, banner };
    if (grouped) throw new WriteFailure(e, failed, result);
    if (await cleanup(ctx, failed)) return result;
    throw e;
  }
  req.onProgress?.(1);
  return { names: targets.slice(0, req.plans.length).map((t) => t.name), locked };
}

/** Calculation waits while the sheets fill. */
function suspendCalculation(ctx: Excel.RequestContext, caps: Capabilities): void {
  if (caps.suspendCalculation) ctx.workbook.application.suspendApiCalculationUntilNextSync();
}

/** Screen updating waits during the last sync, the one the clerk would see. Called once per write, as the reference asks (repeated calls make the window flicker). */
function suspendScreen(ctx: Excel.RequestContext, caps: Capabilities): void {
  if (caps.suspendScreen) ctx.workbook.application.suspendScreenUpdatingUntilNextSync();
}

/** The plans a request writes, the chart's data sheet last. */
function allPlans(req: WriteRequest): { plans: SheetPlan[]; chart: ReturnType<typeof chartPlan> | undefined } {
  const chart = req.chart !== undefined && req.chart.categories.length > 0 ? chartPlan(req.chart) : undefined;
  return { plans: chart !== undefined ? [...req.plans, chart.plan] : [...req.plans], chart };
}

/** The look before a write, in a run of its own (one sync; nothing changes, so the clerk's undo history is untouched). */
async function survey(caps: Capabilities): Promise<Survey> {
  return await runExcel(async (ctx) => {
    const queued = queueSurvey(ctx, caps);
    await ctx.sync();
    return queued();
  });
}

/** What the clerk's undo history will hold after a write, and why it cannot be kept. */
export interface WriteOutlook {
  readonly undo: UndoOutcome;
  readonly losses: readonly UndoLoss[];
}

function outlookOf(caps: Capabilities, losses: readonly UndoLoss[]): WriteOutlook {
  return { undo: losses.length > 0 ? 'lost' : caps.undoGroup ? 'whole' : 'steps', losses };
}

/** Looks (one sync, nothing changed) at what a write would do to the clerk's undo history, so the pane can say so before writing. */
export async function writeOutlook(req: WriteRequest): Promise<WriteOutlook> {
  requireExcelApi(BASE_EXCEL_API);
  const caps = capabilities();
  const look = await survey(caps);
  return outlookOf(caps, layout(req, allPlans(req).plans, look).losses);
}

/** Performs a write request on the open workbook (see the file comment); gives the names the plans' sheets got, the sheets left locked, and what the undo history holds. */
export async function writeWorkbook(req: WriteRequest): Promise<WriteResult> {
  requireExcelApi(BASE_EXCEL_API);
  const caps = capabilities();
  const { plans, chart } = allPlans(req);
  let look: Survey;
  try {
    look = await survey(caps);
  } catch (e) {
    throw new WriteNotStartedError(e);
  }
  const outlook = outlookOf(caps, layout(req, plans, look).losses);
  const grouped = outlook.undo === 'whole';
  // Page setup needs ExcelApi 1.9: below it the sheets print with Excel's defaults, and the pane says so.
  const lacking = !caps.pageLayout && plans.some((p) => p.print !== undefined) ? ['ExcelApi 1.9'] : [];
  try {
    const done = await runExcel((ctx) => writeIn(ctx, req, caps, look, plans, chart, grouped), { undoGroup: grouped });
    return { ...done, undo: outlook.undo, lacking };
  } catch (e) {
    if (!(e instanceof WriteFailure)) throw e;
    if (await runExcel((ctx) => cleanup(ctx, e.failed))) return { ...e.result, undo: outlook.undo, lacking };
    throw e.reason instanceof Error ? e.reason : new Error(String(e.reason));
  }
}
