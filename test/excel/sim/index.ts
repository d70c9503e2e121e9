/**
 * An in-memory Excel for adapter tests, keeping the Office.js semantics the adapter depends on
 * (office-addin-mock does not): proxies whose properties throw until loaded and synced, calls
 * applied in order at `sync` — and, as in Excel, never rolled back: a call that fails stops the
 * sync, the calls before it stay applied —, `ItemNotFound`, sheet protection (`AccessDenied`), a
 * 5 MB limit on each request and response, counters of syncs and bytes, and faults injected at any
 * sync, at any action inside one, or as a lost response (everything applied, then the sync throws).
 * It keeps an undo history by Excel's documented rules (`undo.ts`): per platform, the calls Excel cannot
 * undo throw `UndoNotSupported` inside a `mergeUndoGroup` run and clear the history outside one, and
 * `undo()` steps back as Ctrl+Z would. Every simulated behaviour and its source: `SOURCES.md`.
 *
 * `install()` puts it in place as the globals `Excel` and `Office` that the adapter calls.
 */
import type { SheetGrid } from '../../../src/core/grid';
import { parseLocal, type Rect } from './address';
import { cellAt, fillFromGrid, gridValue, newSheet, newWorkbook, snapshot, usedRect, type Cell, type SheetModel, type WorkbookModel } from './model';
import { SimApplication, SimContext, SimError, jsonSize, type Host, type Tx } from './objects';
import { recalcReferences } from './references';
import { PROFILES, clearsHistory, mutates, undoable, type Platform, type ProfileName } from './undo';

export { SimError } from './objects';
export { PROFILES, type Platform, type ProfileName, type Profile } from './undo';
export type { Cell, SheetModel, WorkbookModel } from './model';

/** One sync as the simulator saw it. */
export interface SyncRecord {
  readonly requestBytes: number;
  readonly responseBytes: number;
  readonly actions: number;
  readonly failed?: string;
}

/** Simulator options. */
export interface SimOptions {
  /** The host played (platform and ExcelApi version); `apiVersion` and `platform` override it. */
  readonly profile?: ProfileName;
  /** Highest ExcelApi version the host supports (default: the profile's, else 1.20). */
  readonly apiVersion?: string;
  /** Which column of the undo table applies (default: the profile's, else Windows). */
  readonly platform?: Platform;
  /** The code a wrong or missing password gets from `unprotect` (default `BadPassword`, the code the error reference gives). */
  readonly passwordError?: string;
  /** Versions reported as unsupported even if below `apiVersion` (e.g. `['1.18']` for no notes). */
  readonly unsupported?: readonly string[];
  /** Request and response limit in bytes (default 5 MB, as Excel on the web). */
  readonly payloadLimit?: number;
}

function versionParts(v: string): [number, number] {
  const [a, b] = v.split('.');
  return [Number(a), Number(b ?? 0)];
}

function atMost(v: string, max: string): boolean {
  const [a, b] = versionParts(v);
  const [x, y] = versionParts(max);
  return a < x || (a === x && b <= y);
}

/** One step of the clerk's undo history: what Ctrl+Z brings back. */
export interface UndoStep {
  readonly label: string;
  readonly before: WorkbookModel;
}

/** The simulated Excel. */
export class ExcelSim implements Host {
  model: WorkbookModel = newWorkbook();
  readonly platform: Platform;
  readonly passwordError: string;
  /** The undo history, oldest first. */
  undoStack: UndoStep[] = [];
  /** How often a call cleared the undo history. */
  historyCleared = 0;
  /** While true the clerk is typing in a cell: a run without `delayForCellEdit` fails with `InvalidOperation`, one with it waits. */
  cellEditMode = false;
  /** Runs that waited for the clerk to leave a cell. */
  delayedRuns = 0;
  readonly syncs: SyncRecord[] = [];
  runs = 0;
  /** Runs that asked for one undo group (and got it). */
  undoGroups = 0;
  apiVersion: string;
  unsupported: Set<string>;
  payloadLimit: number;
  /** The sync number (1-based, counted over the simulator's life) that fails before applying anything, or a predicate. */
  failAt: number | ((n: number) => boolean) | null = null;
  /** An action that fails instead of being applied: the actions before it in its sync stay applied (Excel does not roll back). */
  failAction: ((sync: number, action: number, name: string) => boolean) | null = null;
  /** A sync whose response is lost: every action is applied, then the sync throws as if the connection dropped. */
  loseResponseAt: ((sync: number) => boolean) | null = null;
  /** How each `insertWorksheetsFromBase64` behaves, by call index within a run. */
  insertBehavior: (index: number) => 'ok' | 'throw' | 'partial' = () => 'ok';

  constructor(options: SimOptions = {}) {
    const profile = options.profile !== undefined ? PROFILES[options.profile] : undefined;
    this.apiVersion = options.apiVersion ?? profile?.apiVersion ?? '1.20';
    this.platform = options.platform ?? profile?.platform ?? 'windows';
    this.passwordError = options.passwordError ?? 'BadPassword';
    this.unsupported = new Set(options.unsupported ?? []);
    this.payloadLimit = options.payloadLimit ?? 5 * 1024 * 1024;
  }

  // ── host ──

  supports(version: string): boolean {
    return atMost(version, this.apiVersion) && !this.unsupported.has(version);
  }

  async sync(ctx: SimContext): Promise<void> {
    const n = this.syncs.length + 1;
    const actions = ctx.pending.splice(0);
    const requestBytes = ctx.pendingBytes;
    ctx.pendingBytes = 0;
    const record = (responseBytes: number, failed?: string): void => {
      this.syncs.push({ requestBytes, responseBytes, actions: actions.length, ...(failed !== undefined ? { failed } : {}) });
    };
    await Promise.resolve();
    if (requestBytes > this.payloadLimit) {
      record(0, 'RequestPayloadSizeLimitExceeded');
      throw new SimError('RequestPayloadSizeLimitExceeded', `request of ${requestBytes} bytes`);
    }
    if (this.failAt !== null && (typeof this.failAt === 'number' ? this.failAt === n : this.failAt(n))) {
      record(0, 'injected');
      throw new SimError('GeneralException', `injected failure at sync ${n}`);
    }
    const tx: Tx = { wb: this.model, loads: [], results: [] };
    // The undo history: a run in an undo group is one step, opened by its first change; otherwise each sync that changes something is one.
    let step: UndoStep | null = null;
    const open = (): void => {
      if (ctx.undoGroup) {
        if (ctx.groupStep === null || !this.undoStack.includes(ctx.groupStep)) {
          ctx.groupStep = { label: 'group', before: structuredClone(this.model) };
          this.undoStack.push(ctx.groupStep);
        }
      } else if (step === null) {
        step = { label: `sync ${n}`, before: structuredClone(this.model) };
        this.undoStack.push(step);
      }
    };
    try {
      actions.forEach((a, i) => {
        if (this.failAction?.(n, i, a.name) === true) throw new SimError('GeneralException', `injected failure at action ${i} (${a.name}) of sync ${n}`);
        if (clearsHistory(a.name, this.platform)) this.clearHistory();
        if (!mutates(a.name)) return a.apply(tx);
        if (!undoable(a.name, this.platform)) {
          // "Undo capabilities": inside a group the call throws; outside one it clears the history from that call on.
          if (ctx.undoGroup) throw new SimError('UndoNotSupported', `${a.name} cannot be undone, so it cannot run in an undo group`);
          this.clearHistory();
          step = null;
          a.apply(tx);
          return;
        }
        open();
        a.apply(tx);
      });
    } catch (e) {
      const err = e instanceof SimError ? e : new SimError('GeneralException', e instanceof Error ? e.message : String(e));
      record(0, err.code);
      recalcReferences(this.model);
      throw err;
    }
    recalcReferences(this.model);
    if (this.loseResponseAt?.(n) === true) {
      record(0, 'response lost');
      throw new SimError('ConnectionFailure', `the response of sync ${n} was lost`);
    }
    const responseBytes = tx.loads.reduce((s, l) => s + jsonSize(l.data), 0) + tx.results.reduce((s, r) => s + jsonSize(r.value), 0);
    if (responseBytes > this.payloadLimit) {
      record(responseBytes, 'ResponsePayloadSizeLimitExceeded');
      throw new SimError('ResponsePayloadSizeLimitExceeded', `response of ${responseBytes} bytes`);
    }
    for (const l of tx.loads) l.obj.commitLoad(l.data);
    for (const r of tx.results) r.result.commit(r.value);
    record(responseBytes);
  }

  /** Drops the whole undo history, as a call Excel cannot undo does. */
  private clearHistory(): void {
    this.undoStack.length = 0;
    this.historyCleared++;
  }

  /** Ctrl+Z: the workbook as it was before the last step; false when there is nothing to undo. */
  undo(): boolean {
    const step = this.undoStack.pop();
    if (step === undefined) return false;
    this.model = step.before;
    return true;
  }

  // ── globals ──

  /** The `Excel` namespace the adapter calls. */
  get excel(): { run: (...args: unknown[]) => Promise<unknown> } {
    return {
      run: async (...args: unknown[]) => {
        const batch = args[args.length - 1] as (ctx: SimContext) => Promise<unknown>;
        const options = (args.length > 1 ? args[0] : {}) as { mergeUndoGroup?: boolean; delayForCellEdit?: boolean };
        const grouped = options.mergeUndoGroup === true && this.supports('1.20');
        const ctx = new SimContext(this, grouped);
        if (this.cellEditMode) {
          // "Delay execution while cell is being edited": without the option the batch fails with InvalidOperation; with it (ExcelApi 1.11), it waits.
          if (options.delayForCellEdit === true && this.supports('1.11')) this.delayedRuns++;
          else throw new SimError('InvalidOperation', 'The operation is not available while Excel is in cell edit mode.');
        }
        this.runs++;
        if (grouped) this.undoGroups++;
        const result = await batch(ctx);
        // Excel.run sends whatever is still queued.
        if (ctx.pending.length > 0) await ctx.sync();
        return result;
      },
    };
  }

  /** The `Office` namespace (requirement sets only). */
  get office(): { context: { requirements: { isSetSupported(name: string, version?: string): boolean } } } {
    return {
      context: {
        requirements: {
          isSetSupported: (name: string, version?: string) => name === 'ExcelApi' && this.supports(version ?? '1.1'),
        },
      },
    };
  }

  /** Makes this simulator the globals `Excel` and `Office`; returns a function that removes them. */
  install(): () => void {
    const g = globalThis as Record<string, unknown>;
    const before = { Excel: g['Excel'], Office: g['Office'] };
    g['Excel'] = this.excel;
    g['Office'] = this.office;
    return () => {
      g['Excel'] = before.Excel;
      g['Office'] = before.Office;
    };
  }

  // ── fixtures and inspection (outside Office.js: no syncs) ──

  /**
   * Adds a sheet holding a grid (values, cached formula results, formats, merges), as a file would;
   * with `protection`, protected as Huizong's template protects a form (formatting columns and rows
   * allowed, the given rectangles unlocked).
   */
  addSheet(grid: SheetGrid | string, protection?: { readonly unlocked: readonly Rect[]; readonly password?: string }): SheetModel {
    const sheet = newSheet(this.model, typeof grid === 'string' ? grid : grid.name);
    if (typeof grid !== 'string') fillFromGrid(sheet, grid);
    if (protection !== undefined) {
      sheet.protected = true;
      sheet.protection = { options: { allowFormatColumns: true, allowFormatRows: true }, password: protection.password ?? null };
      for (const u of protection.unlocked) for (let r = u.r0; r <= u.r1; r++) for (let c = u.c0; c <= u.c1; c++) cellAt(sheet, r, c, true).unlocked = true;
    }
    this.model.sheets.push(sheet);
    this.model.activeSheetId ??= sheet.id;
    return sheet;
  }

  /** The sheet with this name (any case). */
  sheet(name: string): SheetModel {
    const s = this.model.sheets.find((x) => x.name.toLowerCase() === name.toLowerCase());
    if (s === undefined) throw new Error(`no sheet ${name}`);
    return s;
  }

  /** Sheet names in order. */
  names(): string[] {
    return this.model.sheets.map((s) => s.name);
  }

  /** The cell at an A1 address (undefined when empty). */
  cell(sheet: string, address: string): Cell | undefined {
    const rect = parseLocal(address);
    if (rect === null) throw new Error(`bad address ${address}`);
    return cellAt(this.sheet(sheet), rect.r0, rect.c0);
  }

  /** Types into a cell as a person would (one step of the undo history). */
  type(sheet: string, address: string, patch: Partial<Cell>): void {
    const rect = parseLocal(address);
    if (rect === null) throw new Error(`bad address ${address}`);
    this.undoStack.push({ label: `typed ${sheet}!${address}`, before: structuredClone(this.model) });
    Object.assign(cellAt(this.sheet(sheet), rect.r0, rect.c0, true), patch);
    recalcReferences(this.model);
  }

  /** A sheet's values as a grid from A1 to its used range. */
  values(sheet: string): ReturnType<typeof gridValue>[][] {
    const s = this.sheet(sheet);
    const rect: Rect | null = usedRect(s, true);
    if (rect === null) return [];
    const out: ReturnType<typeof gridValue>[][] = [];
    for (let r = 0; r <= rect.r1; r++) {
      const row: ReturnType<typeof gridValue>[] = [];
      for (let c = 0; c <= rect.c1; c++) row.push(gridValue(cellAt(s, r, c)));
      out.push(row);
    }
    return out;
  }

  /** A deep snapshot of everything visible or readable (see `model.ts`). */
  snapshot(): unknown {
    return snapshot(this.model);
  }

  /** Resets the counters. */
  resetCounters(): void {
    this.syncs.length = 0;
    this.runs = 0;
    this.undoGroups = 0;
    SimApplication.calls.length = 0;
  }

  /** Syncs that succeeded since the last reset. */
  get syncCount(): number {
    return this.syncs.length;
  }

  /** The largest request sent since the last reset. */
  get maxRequestBytes(): number {
    return this.syncs.reduce((m, s) => Math.max(m, s.requestBytes), 0);
  }

  /** The largest response returned since the last reset. */
  get maxResponseBytes(): number {
    return this.syncs.reduce((m, s) => Math.max(m, s.responseBytes), 0);
  }
}

/** Application calls the adapter made (suspensions, recalculation), for tests. */
export function applicationCalls(): readonly string[] {
  return SimApplication.calls;
}
