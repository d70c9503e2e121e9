/**
 * Writing into the open workbook in a fixed number of syncs, so that the clerk always has one
 * complete set of results — the last run's or this one's — whatever fails and wherever. New
 * sheets are built hidden under temporary names (their contents spread over as many syncs as 4 MB
 * chunks need); the last sync makes every change to existing sheets (rates, marks — the marks
 * record listing old and new marks goes first, a journal for the next run), then swaps: the
 * sheets replaced are renamed aside with their tables, the new ones take their names, and only
 * then are the old ones deleted. Excel keeps what ran before a failed call: a failure part-way
 * through the swap is finished when every new sheet already has its name, else undone (the new
 * sheets deleted, the old ones renamed back); a failure before it leaves only hidden temporary
 * sheets, which are deleted.
 *
 * Syncs: 1 (sheet list, table names, the marks record, first chunk of the new sheets)
 * + 1 (state of the cells to mark, when there are marks)
 * + 1 (the swap and every change to existing sheets), each step taking one more sync per further
 * 4 MB. When the changes to existing sheets alone pass 4 MB (tens of thousands of marks), they
 * take the syncs before the last one and are no longer all or nothing; the swap still is.
 *
 * Protected sheets to change (the school forms Huizong's template protects): after the first sync
 * their protection is lifted in one more sync — Excel refuses every write to a locked cell of a
 * protected sheet —, and the last sync puts it back with the options it had. A sheet protected
 * with a password cannot be opened: it is left alone (its rates and marks are not written) and
 * named in the result, and the rest is written. Excel does not roll back a failed sync: a failed
 * `unprotect` leaves the ones before it done, so the sheets still protected are read again to find
 * the one that refused; when anything fails later, the sheets opened are protected again.
 */
import { cellAddress, isCellError, parseCellAddress } from '../core/grid';
import { safeSheetName } from '../workbook/names';
import type { CellMark, CellUpdate, SheetPlan } from '../workbook/plan';
import { BASE_EXCEL_API, capabilities, requireExcelApi, type Capabilities } from './capabilities';
import { rectAddress } from './address';
import { chartOps, chartPlan, type ChartRequest } from './chart';
import { PAYLOAD_BUDGET, cost, jsonBytes, op, opsBytes, packOps, type Op } from './chunk';
import { MarkWriter } from './marks';
import { TEMP_PREFIX } from './names';
import { queueSheetList, type SheetInfo } from './read';
import { settingData } from './setting';
import { planOps, typedInput } from './render';
import { errorCode, runExcel } from './run';

/** What a write did. */
export interface WriteResult {
  /** The names the plans' sheets got. */
  readonly names: string[];
  /** Sheets whose changes were left out: protected with a password Huizong cannot know. */
  readonly locked: string[];
}

/** Everything one write does. */
export interface WriteRequest {
  /** Whole sheets; each replaces its namesake (compared ignoring case). */
  readonly plans: readonly SheetPlan[];
  /** A chart sheet to build (replacing its namesake too). */
  readonly chart?: ChartRequest;
  /** Single cells of existing sheets (rates written back); cells of missing sheets are skipped. */
  readonly updates?: readonly CellUpdate[];
  /** Huizong's marks on these sheets are replaced by these marks. */
  readonly marks?: { readonly sheets: readonly string[]; readonly marks: readonly CellMark[] };
  /** Keep existing sheets: a new sheet whose name is taken gets ` (2)`… instead of replacing it. */
  readonly keepExisting?: boolean;
  /** Other existing sheets to delete when the new ones are swapped in. */
  readonly replaces?: (name: string) => boolean;
  readonly onProgress?: (fraction: number) => void;
}

/** A sheet being built. */
interface Building {
  readonly plan: SheetPlan;
  readonly temp: string;
  /** The name it gets when swapped in. */
  name: string;
  readonly tableTemp?: string;
  /** The table's name once swapped in. */
  tableFinal?: string;
  proxy?: Excel.Worksheet;
}

/** An existing sheet the swap replaces: renamed aside (with its tables named like ours) and deleted only once the new sheets are in place. */
interface Aside {
  readonly id: string;
  readonly original: string;
  readonly aside: string;
  readonly tables: readonly { readonly original: string; readonly aside: string }[];
}

function newToken(): string {
  return Math.random().toString(36).slice(2, 8).padEnd(6, '0');
}

/** Calculation waits while the new (hidden) sheets fill; nothing on screen changes then. */
function suspendCalculation(ctx: Excel.RequestContext, caps: Capabilities): void {
  if (caps.suspendCalculation) ctx.workbook.application.suspendApiCalculationUntilNextSync();
}

/** Screen updating waits during the one sync the clerk would see: the swap. Called once per write, as the reference asks (repeated calls make the window flicker). */
function suspendScreen(ctx: Excel.RequestContext, caps: Capabilities): void {
  if (caps.suspendScreen) ctx.workbook.application.suspendScreenUpdatingUntilNextSync();
}

/** A protected sheet this write opened, and the options to protect it with again. */
interface Opened {
  readonly name: string;
  readonly options: Excel.WorksheetProtectionOptions;
}

/**
 * After a failure: deletes the sheets this write was building and protects again the sheets it
 * opened that are still open. Sheets set aside stay (the next run deletes them). A failure here
 * must not hide the first one.
 */
async function cleanup(ctx: Excel.RequestContext, prefix: string, opened: readonly Opened[]): Promise<void> {
  try {
    const list = queueSheetList(ctx, opened.length > 0);
    const notes = journals(ctx);
    await ctx.sync();
    const now = list();
    // Only the sheets being built: a sheet set aside (`<prefix>x…`) may hold the clerk's last results and stays.
    const mine = now.filter((s) => s.name.startsWith(prefix) && /^\d+$/.test(s.name.slice(prefix.length)));
    protectAgain(ctx, now, opened);
    for (const s of mine) ctx.workbook.worksheets.getItem(s.name).delete();
    // Every sheet this run opened is protected again; a sheet set aside stays listed for the next run.
    notes.done(now.some((s) => s.name.startsWith(`${prefix}x`)) ? [PROTECT_SETTING] : undefined);
    await ctx.sync();
  } catch {
    // The workbook may be closing or the host gone; the error that got us here is the one to report.
  }
}

/** The workbook setting listing the sheets a write opened and has not yet protected again, with their options. */
export const PROTECT_SETTING = 'huizong.reprotect';

/** The sheets a journal lists, as written by `openProtected`; anything unreadable is no journal. */
function parseJournal(value: unknown): Opened[] {
  const data = settingData(value);
  if (!Array.isArray(data)) return [];
  return data.flatMap((e): Opened[] => {
    const o = e as { name?: unknown; options?: unknown };
    return typeof o.name === 'string' && typeof o.options === 'object' && o.options !== null ? [{ name: o.name, options: o.options as Excel.WorksheetProtectionOptions }] : [];
  });
}

/** The workbook setting listing the sheets the swap set aside, by the names they stood for, until it ends. */
export const SWAP_SETTING = 'huizong.swap';

/** Aside name → the name it stood for, from the swap setting, for the asides still there. */
function parseSwap(value: unknown, existing: readonly SheetInfo[]): Map<string, string> {
  const data = settingData(value);
  const names = new Set(existing.map((s) => s.name.toLowerCase()));
  const out = new Map<string, string>();
  if (!Array.isArray(data)) return out;
  for (const e of data) {
    const o = e as { aside?: unknown; original?: unknown };
    if (typeof o.aside === 'string' && typeof o.original === 'string' && names.has(o.aside.toLowerCase())) out.set(o.aside, o.original);
  }
  return out;
}

/** Both journals as loaded: after the sync, `value(key)` is a journal's value (undefined when there is none), and `done(keys)` queues deleting those of them there are (nothing is left behind once a run is over). */
interface Journals {
  value(key: string): unknown;
  done(keys?: readonly string[]): void;
}

/** Queues loads of both journals. */
function journals(ctx: Excel.RequestContext): Journals {
  const items = new Map(
    [PROTECT_SETTING, SWAP_SETTING].map((k) => {
      const item = ctx.workbook.settings.getItemOrNullObject(k);
      item.load('value');
      return [k, item] as const;
    }),
  );
  return {
    value: (key) => {
      const item = items.get(key);
      return item === undefined || item.isNullObject ? undefined : item.value;
    },
    done: (keys = [PROTECT_SETTING, SWAP_SETTING]) => {
      for (const k of keys) {
        const item = items.get(k);
        if (item !== undefined && !item.isNullObject) item.delete();
      }
    },
  };
}

/** The entry of a protected sheet this write opens. */
function openedOf(s: SheetInfo): Opened {
  return { name: s.name, options: s.protection!.options };
}

/** Queues protecting again, with their own options, the sheets this write opened that `now` shows open. */
function protectAgain(ctx: Excel.RequestContext, now: readonly SheetInfo[], opened: readonly Opened[]): void {
  const open = new Set(now.filter((s) => s.protection?.protected === false).map((s) => s.name.toLowerCase()));
  for (const o of opened) if (open.has(o.name.toLowerCase())) ctx.workbook.worksheets.getItem(o.name).protection.protect(o.options);
}

/** The errors of a sheet refusing `unprotect` (a password): Office.js names no code of its own for it. */
const REFUSALS = new Set(['AccessDenied', 'InvalidArgument', 'InvalidOperation']);

/**
 * Lifts the protection of `sheets` (protected, to be written): all in one sync when none has a
 * password. Excel stops a sync at the call that fails and keeps the ones before: the sheets still
 * protected are read back, the first of them is the one whose password is unknown, and the rest
 * are tried again. Adds every sheet opened to `opened` as soon as it is; gives the locked ones.
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
      const first = states.findIndex((p) => p.protected);
      const done = first === -1 ? pending : pending.slice(0, first);
      opened.push(...done.map(openedOf));
      // Only a sheet refusing to be opened is passed over; any other failure fails the write (the sheets opened are protected again).
      if (!REFUSALS.has(errorCode(e) ?? '')) throw e;
      if (first === -1) break;
      locked.push(pending[first]!.name);
      pending = pending.slice(first + 1);
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

/**
 * The calls that put each new sheet in the place of the sheet it stands in for (`standIn`: its final
 * name → the id of the sheet set aside for it), while that sheet is still there: moving the new sheet
 * to the other's index pushes the other one right, so once the sheets set aside are deleted every new
 * sheet is where the old one was. `order` is the ids of the sheets as they stand now, left to right.
 * New sheets that replace nothing stay at the end, in their order.
 */
function placeOps(order: readonly string[], building: readonly Building[], standIn: ReadonlyMap<string, string>): Op[] {
  const now = [...order];
  const moves = building
    .map((b) => ({ b, at: standIn.get(b.name.toLowerCase()) }))
    .filter((m): m is { b: Building; at: string } => m.at !== undefined && m.b.proxy !== undefined && now.includes(m.at) && now.includes(m.b.proxy.id))
    .sort((x, y) => now.indexOf(x.at) - now.indexOf(y.at));
  const ops: Op[] = [];
  for (const { b, at } of moves) {
    now.splice(now.indexOf(b.proxy!.id), 1);
    const to = now.indexOf(at);
    now.splice(to, 0, b.proxy!.id);
    ops.push(op(32, () => (b.proxy!.position = to)));
  }
  return ops;
}

/** A table name not used by any table that stays. */
function freeTableName(wanted: string, taken: ReadonlySet<string>): string {
  if (!taken.has(wanted.toLowerCase())) return wanted;
  for (let n = 2; ; n++) if (!taken.has(`${wanted}${n}`.toLowerCase())) return `${wanted}${n}`;
}

/** The end of the swap: the sheets set aside and any leftover of an earlier run deleted. */
function deleteOps(ctx: Excel.RequestContext, asides: readonly Aside[], leftovers: readonly string[]): Op[] {
  return [
    ...asides.map((a) => op(64, () => ctx.workbook.worksheets.getItem(a.id).delete())),
    ...leftovers.map((name) => op(64, () => ctx.workbook.worksheets.getItem(name).delete())),
  ];
}

/**
 * Each final name → the id of the sheet that holds its place: the one an earlier run that stopped
 * set aside (the place the clerk last had it), else the one this run sets aside.
 */
function standIns(asides: readonly Aside[], setAside: ReadonlyMap<string, string>, sheets: readonly SheetInfo[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of asides) out.set(a.original.toLowerCase(), a.id);
  for (const [aside, original] of setAside) {
    const s = sheets.find((x) => x.name === aside);
    if (s !== undefined) out.set(original.toLowerCase(), s.id);
  }
  return out;
}

/**
 * After the last sync failed part-way (Excel keeps what ran before the failure): when every new
 * sheet already has its name, finishes the swap (tables named, old sheets deleted, places) and
 * says so; otherwise deletes the new sheets and gives the old ones their names back. Either way
 * the clerk has one complete set of results. Gives false when it could not finish (the write
 * then fails, and the caller's clean-up runs).
 */
async function recover(
  ctx: Excel.RequestContext,
  asides: readonly Aside[],
  leftovers: readonly string[],
  building: readonly Building[],
  existing: readonly SheetInfo[],
  opened: readonly Opened[],
  setAside: ReadonlyMap<string, string>,
): Promise<boolean> {
  try {
    const list = queueSheetList(ctx, opened.length > 0);
    const tables = ctx.workbook.tables;
    tables.load('items/name');
    const notes = journals(ctx);
    await ctx.sync();
    const now = list();
    const byId = new Map(now.map((s) => [s.id, s]));
    const tableNames = new Set(tables.items.map((t) => t.name.toLowerCase()));
    const inPlace = building.every((b) => b.proxy !== undefined && byId.get(b.proxy.id)?.name === b.name);
    if (inPlace) {
      for (const b of building) {
        if (b.tableTemp !== undefined && b.tableFinal !== undefined && tableNames.has(b.tableTemp.toLowerCase())) b.proxy!.tables.getItem(b.tableTemp).name = b.tableFinal;
      }
      const order = [...now].sort((x, y) => x.position - y.position).map((x) => x.id);
      for (const o of placeOps(order, building, standIns(asides, setAside, existing))) o.run();
      for (const o of deleteOps(ctx, asides.filter((a) => byId.has(a.id)), leftovers.filter((n) => now.some((x) => x.name === n)))) o.run();
    } else {
      for (const b of building) if (b.proxy !== undefined && byId.has(b.proxy.id)) b.proxy.delete();
      for (const a of asides) {
        const there = byId.get(a.id);
        if (there === undefined) continue;
        if (there.name !== a.original) ctx.workbook.worksheets.getItem(a.id).name = a.original;
        for (const t of a.tables) if (tableNames.has(t.aside.toLowerCase())) ctx.workbook.tables.getItem(t.aside).name = t.original;
      }
    }
    protectAgain(ctx, now, opened);
    // Both journals are done with: every sheet is in its place and protected again.
    notes.done();
    await ctx.sync();
    return inPlace;
  } catch {
    return false;
  }
}

async function writeIn(ctx: Excel.RequestContext, req: WriteRequest, caps: Capabilities): Promise<WriteResult> {
  const prefix = `${TEMP_PREFIX}${newToken()}`;
  const token = prefix.slice(TEMP_PREFIX.length);
  const chart = req.chart !== undefined && req.chart.categories.length > 0 ? chartPlan(req.chart) : undefined;
  const plans = chart !== undefined ? [...req.plans, chart.plan] : [...req.plans];
  const building: Building[] = plans.map((plan, i) => ({
    plan,
    temp: `${prefix}${i}`,
    name: plan.name,
    ...(plan.table !== undefined ? { tableTemp: `${plan.table.name}_${token}` } : {}),
  }));

  // The existing sheets this write changes: their protection is read with the sheet list.
  const changed = new Set([...(req.updates ?? []).map((u) => u.sheet), ...(req.marks?.sheets ?? []), ...(req.marks?.marks ?? []).map((m) => m.sheet)].map((n) => n.toLowerCase()));

  // First sync: what is there, alongside the first chunk of the new sheets.
  const list = queueSheetList(ctx, true);
  const notes = journals(ctx);
  const tables = ctx.workbook.tables;
  tables.load('items/name');
  const marks = req.marks !== undefined ? new MarkWriter(ctx, caps, req.marks.sheets, req.marks.marks) : undefined;
  marks?.queueFirst();

  const content: Op[] = [];
  for (const b of building) {
    content.push(
      op(64, () => {
        b.proxy = ctx.workbook.worksheets.add(b.temp);
        b.proxy.visibility = 'Hidden';
        b.proxy.load('id');
      }),
    );
    const sheet = (): Excel.Worksheet => b.proxy!;
    content.push(...planOps(sheet, b.plan, { dataValidation: caps.dataValidation, pageLayout: caps.pageLayout, ...(b.tableTemp !== undefined ? { tableName: b.tableTemp } : {}) }));
    if (chart !== undefined && b.plan === chart.plan && chart.ranges !== undefined) content.push(...chartOps(sheet, req.chart!.title, chart.ranges));
  }
  const late = content.filter((o) => o.late === true);
  // The first sync also carries the loads above.
  const groups = packOps(content.filter((o) => o.late !== true), PAYLOAD_BUDGET, 8192);
  const planned = Math.max(1, groups.length) + (marks !== undefined ? 2 : 1);
  let syncs = 0;
  const opened: Opened[] = [];
  let locked: string[] = [];
  const synced = async (): Promise<void> => {
    await ctx.sync();
    syncs++;
    req.onProgress?.(Math.min(1, syncs / planned));
  };

  try {
    if (groups.length === 0) await synced();
    for (const g of groups) {
      suspendCalculation(ctx, caps);
      for (const o of g) o.run();
      await synced();
    }

    const existing = list();
    // Sheets an earlier run opened and could not protect again (it stopped, and so did its clean-up): protected again at the end of this one.
    const open = new Map(existing.filter((x) => x.protection?.protected === false).map((x) => [x.name.toLowerCase(), x.name]));
    for (const j of parseJournal(notes.value(PROTECT_SETTING))) {
      const name = open.get(j.name.toLowerCase());
      if (name !== undefined && !opened.some((o) => o.name === name)) opened.push({ name, options: j.options });
    }
    // Protected sheets to change are opened now; those locked by a password are left out of every change.
    const guarded = existing.filter((s) => s.protection?.protected === true && changed.has(s.name.toLowerCase()) && !s.name.startsWith(TEMP_PREFIX));
    if (guarded.length > 0) locked = await openProtected(ctx, guarded, opened, synced);
    const lockedLower = new Set(locked.map((n) => n.toLowerCase()));
    const byLower = new Map(existing.map((s) => [s.name.toLowerCase(), s.name]));
    const sheetName = (n: string): string | undefined => {
      const name = byLower.get(n.toLowerCase());
      return name === undefined || name.startsWith(TEMP_PREFIX) || lockedLower.has(name.toLowerCase()) ? undefined : name;
    };
    if (req.keepExisting === true) {
      const taken = existing.filter((s) => !s.name.startsWith(TEMP_PREFIX)).map((s) => s.name);
      for (const b of building) {
        b.name = safeSheetName(b.plan.name, taken);
        taken.push(b.name);
      }
    }
    const finals = new Set(req.keepExisting === true ? [] : building.map((b) => b.name.toLowerCase()));
    const deleted = new Set(
      existing
        .filter((s) => !s.name.startsWith(prefix) && (finals.has(s.name.toLowerCase()) || s.name.startsWith(TEMP_PREFIX) || req.replaces?.(s.name) === true))
        .map((s) => s.name),
    );

    // Second sync: where tables named like ours live, and the cells to mark (over more syncs when there are very many).
    const wantedTables = new Set(building.flatMap((b) => (b.plan.table !== undefined ? [b.plan.table.name.toLowerCase()] : [])));
    const clashing = tables.items
      .filter((t) => wantedTables.has(t.name.toLowerCase()))
      .map((t) => {
        const ws = t.worksheet;
        ws.load('name');
        return { name: t.name, ws };
      });
    const second = packOps(marks?.secondOps(sheetName, (n) => lockedLower.has(n.toLowerCase())) ?? [], PAYLOAD_BUDGET, 1024 * clashing.length);
    if (second.length === 0 && clashing.length > 0) await synced();
    for (const g of second) {
      for (const o of g) o.run();
      await synced();
    }
    const takenTables = new Set<string>();
    for (const t of tables.items) if (!t.name.endsWith(`_${token}`)) takenTables.add(t.name.toLowerCase());
    for (const c of clashing) if (deleted.has(c.ws.name)) takenTables.delete(c.name.toLowerCase());

    // Last sync: every change to existing sheets, then the swap.
    // The swap, in an order that keeps a complete summary at every step: the sheets replaced go aside
    // (renamed, with their tables), the new ones take their names, and only then are the old ones deleted.
    const asides: Aside[] = [];
    const leftovers: string[] = [];
    [...deleted].forEach((name, i) => {
      const info = existing.find((x) => x.name === name)!;
      if (name.startsWith(TEMP_PREFIX)) {
        leftovers.push(name);
        return;
      }
      const tablesHere = clashing.filter((c) => c.ws.name === name).map((c, k) => ({ original: c.name, aside: `${c.name}_x${k}_${token}` }));
      asides.push({ id: info.id, original: name, aside: `${prefix}x${i}`, tables: tablesHere });
    });
    const setAside = parseSwap(notes.value(SWAP_SETTING), existing);
    const swap: Op[] = [];
    for (const b of building) swap.push(op(32, () => (b.proxy!.visibility = 'Visible')));
    swap.push(...late);
    // The journal of the swap first: a run that stops between setting aside and deleting leaves the next one the names.
    const swapText = JSON.stringify(asides.map((a) => ({ aside: a.aside, original: a.original })));
    if (asides.length > 0) swap.push(op(jsonBytes(swapText), () => ctx.workbook.settings.add(SWAP_SETTING, swapText)));
    for (const a of asides) {
      for (const t of a.tables) swap.push(op(64, () => (ctx.workbook.tables.getItem(t.original).name = t.aside)));
      swap.push(op(64, () => (ctx.workbook.worksheets.getItem(a.id).name = a.aside)));
    }
    for (const b of building) swap.push(op(64, () => (b.proxy!.name = b.name)));
    for (const b of building) {
      if (b.plan.table === undefined || b.tableTemp === undefined) continue;
      const finalName = freeTableName(b.plan.table.name, takenTables);
      takenTables.add(finalName.toLowerCase());
      b.tableFinal = finalName;
      const temp = b.tableTemp;
      swap.push(op(64, () => (b.proxy!.tables.getItem(temp).name = finalName)));
    }
    // Each new sheet takes the place of the one it replaces while that one still stands, then the old ones go.
    const order = [...[...existing].sort((x, y) => x.position - y.position).map((x) => x.id), ...building.map((b) => b.proxy!.id)];
    swap.push(...placeOps(order, building, standIns(asides, setAside, existing)));
    swap.push(...deleteOps(ctx, asides, leftovers));
    if (asides.length > 0 || notes.value(SWAP_SETTING) !== undefined) swap.push(op(32, () => ctx.workbook.settings.getItem(SWAP_SETTING).delete()));
    if (building.length > 0 && groups.length > 0 && caps.suspendCalculation) {
      swap.push(op(32, () => ctx.workbook.application.calculate('Recalculate')));
    }
    const changes = [...updateOps(ctx, req.updates ?? [], sheetName), ...(marks?.commitOps() ?? [])];
    // The sheets opened are protected again, with their own options, after every change and before the swap.
    const reprotect = opened.map((o) => op(128, () => ctx.workbook.worksheets.getItem(o.name).protection.protect(o.options)));
    if (opened.length > 0 || notes.value(PROTECT_SETTING) !== undefined) reprotect.push(op(64, () => ctx.workbook.settings.getItem(PROTECT_SETTING).delete()));
    try {
      const last = withLast(packOps(changes), [...reprotect, ...swap]);
      for (const [k, g] of last.entries()) {
        if (k === last.length - 1) suspendScreen(ctx, caps);
        for (const o of g) o.run();
        await synced();
      }
    } catch (e) {
      // Excel keeps what ran before the failure: finish the swap when the new sheets are all in place, else put the old ones back.
      if (!(await recover(ctx, asides, leftovers, building, existing, opened, setAside))) throw e;
    }
  } catch (e) {
    await cleanup(ctx, prefix, opened);
    throw e;
  }
  req.onProgress?.(1);
  return { names: building.slice(0, req.plans.length).map((b) => b.name), locked };
}

/**
 * The groups with `last` added to the final one, or as a group of its own when it does not fit:
 * the swap always travels in the very last sync, whole.
 */
function withLast(groups: Op[][], last: Op[]): Op[][] {
  const tail = groups[groups.length - 1];
  if (tail !== undefined && opsBytes(tail) + opsBytes(last) <= PAYLOAD_BUDGET) return [...groups.slice(0, -1), [...tail, ...last]];
  return last.length > 0 || groups.length === 0 ? [...groups, last] : groups;
}

/** Performs a write request on the open workbook, all or nothing (see the file comment); gives the names the plans' sheets got and the sheets left locked. */
export async function writeWorkbook(req: WriteRequest): Promise<WriteResult> {
  requireExcelApi(BASE_EXCEL_API);
  const caps = capabilities();
  return await runExcel((ctx) => writeIn(ctx, req, caps), { undoGroup: true });
}
