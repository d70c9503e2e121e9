/**
 * Reading sheets into the core's plain grids in a fixed number of round trips: the sheet list,
 * then every used range at once, then the cells in blocks packed into syncs of at most 4 MB
 * (a block never over Excel's 5,000,000 cells per range).
 */
import { cellAddress, type CellValue, type MergeRange, type SheetGrid } from '../core/grid';
import type { Issue } from '../core/types';
import { parseAreas, rectAddress } from './address';
import type { Capabilities } from './capabilities';
import { MAX_READ_CELLS, PAYLOAD_BUDGET, READ_BYTES_PER_CELL, jsonBytes } from './chunk';
import { errorCode } from './run';

/** A sheet as the workbook lists it. */
export interface SheetInfo {
  /** The sheet's id: it stays when the sheet is renamed. */
  readonly id: string;
  readonly name: string;
  readonly position: number;
  readonly visibility: string;
  /** When asked for: whether the sheet is protected, and what its protection allows. */
  readonly protection?: { readonly protected: boolean; readonly options: Excel.WorksheetProtectionOptions };
}

/** Queues the sheet list (with each sheet's protection when asked); the answer is ready after the next sync. */
export function queueSheetList(ctx: Excel.RequestContext, withProtection = false): () => SheetInfo[] {
  const sheets = ctx.workbook.worksheets;
  sheets.load(`items/id,items/name,items/position,items/visibility${withProtection ? ',items/protection/protected,items/protection/options' : ''}`);
  return () =>
    sheets.items.map((s) => ({
      id: s.id,
      name: s.name,
      position: s.position,
      visibility: String(s.visibility),
      ...(withProtection ? { protection: { protected: s.protection.protected, options: s.protection.options } } : {}),
    }));
}

/** The sheet list, in one sync. */
export async function loadSheetList(ctx: Excel.RequestContext): Promise<SheetInfo[]> {
  const list = queueSheetList(ctx);
  await ctx.sync();
  return list();
}

/** An Office.js cell value (`values` with its `valueTypes`) as a core cell value. */
export function cellValue(v: unknown, type: string | undefined): CellValue {
  if (type === 'Empty' || v === '' || v === null || v === undefined) return null;
  if (type === 'Error') return { error: String(v) };
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
  return String(v);
}

interface Block {
  readonly r0: number;
  readonly r1: number;
  values?: unknown[][];
  types?: string[][];
  formats?: unknown[][];
  formulas?: unknown[][];
}

interface Pending {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly blocks: Block[];
  merges?: MergeRange[];
}

/** Row blocks of a `height × width` rectangle from A1, each at most `maxCells` cells. */
function rowBlocks(height: number, width: number, maxCells: number): { r0: number; r1: number }[] {
  const rows = Math.max(1, Math.floor(maxCells / Math.max(1, width)));
  const out: { r0: number; r1: number }[] = [];
  for (let r0 = 0; r0 < height; r0 += rows) out.push({ r0, r1: Math.min(height, r0 + rows) - 1 });
  return out;
}

function toGrid(p: Pending): SheetGrid {
  const values: CellValue[][] = [];
  const formats: (string | null)[][] = [];
  const formulas: (string | null)[][] = [];
  let anyFormat = false;
  let anyFormula = false;
  for (const b of p.blocks) {
    for (let i = 0; i <= b.r1 - b.r0; i++) {
      const v = b.values?.[i] ?? [];
      const t = b.types?.[i] ?? [];
      const n = b.formats?.[i] ?? [];
      const f = b.formulas?.[i] ?? [];
      const vr: CellValue[] = [];
      const nr: (string | null)[] = [];
      const fr: (string | null)[] = [];
      for (let c = 0; c < p.width; c++) {
        vr.push(cellValue(v[c], t[c]));
        const fmt = n[c];
        const keep = typeof fmt === 'string' && fmt !== '' && fmt !== 'General' ? fmt : null;
        if (keep !== null) anyFormat = true;
        nr.push(keep);
        const formula = f[c];
        // Text that starts with `=` reads back the same in `formulas` as in `values`; a formula does not.
        const isFormula = typeof formula === 'string' && formula.startsWith('=') && formula !== v[c];
        if (isFormula) anyFormula = true;
        fr.push(isFormula ? formula : null);
      }
      values.push(vr);
      formats.push(nr);
      formulas.push(fr);
    }
  }
  return {
    name: p.name,
    values,
    ...(anyFormat ? { numberFormats: formats } : {}),
    ...(anyFormula ? { formulas } : {}),
    ...(p.merges !== undefined && p.merges.length > 0 ? { merges: p.merges } : {}),
  };
}

const PAYLOAD_ERRORS = new Set(['RequestPayloadSizeLimitExceeded', 'ResponsePayloadSizeLimitExceeded']);

/** One queued load: `cells` cells at the current bytes-per-cell estimate, plus `fixed` bytes. */
interface ReadOp {
  readonly cells: number;
  readonly fixed: number;
  readonly run: () => void;
}

/** Takes from the front of `queue` the ops that fit one sync at `rate` bytes per cell (always at least one). */
function takeGroup(queue: ReadOp[], rate: number): ReadOp[] {
  const group: ReadOp[] = [];
  let bytes = 0;
  while (queue.length > 0) {
    const next = queue[0]!;
    const cost = next.cells * rate + next.fixed;
    if (group.length > 0 && bytes + cost > PAYLOAD_BUDGET) break;
    group.push(queue.shift()!);
    bytes += cost;
  }
  return group;
}

/** What one loaded object adds to an answer besides its cells (property names, ids). */
const ANSWER_OVERHEAD = 256;

/** Enough cells in one answer to trust its bytes per cell for the rest. */
const CALIBRATION_CELLS = 10_000;

/**
 * Most cells a sheet's used range may span to be read: as many as the file reader takes from a whole
 * file. A stray space typed in the last row makes the used range tens of millions of cells. The file
 * reader keeps such a cell by itself (`SheetGrid.far`) and reads the sheet; here Office.js answers a
 * range as one rectangle, so the cost is the extent's and the sheet is refused with `sheet.too_large`.
 */
export const MAX_SHEET_CELLS = 1_000_000;

/** What to read besides values, formats and formulas. */
export interface ReadOptions {
  /**
   * Whether to read a sheet's merged areas (`getMergedAreasOrNullObject`, ExcelApi 1.13): only where
   * they matter, since asking for them clears the undo history on Excel for Windows (office-js issue
   * #5918). School forms need them (a label or value may sit in a merge); definition tables do not.
   */
  readonly merges?: (sheet: string) => boolean;
  /** Issues met while reading (a sheet too large to read), located by sheet. */
  readonly issues?: Issue[];
}

/**
 * Reads the named sheets (values, number formats, formulas and, where asked and the host has
 * `getMergedAreasOrNullObject`, merged areas) in two syncs plus one per extra 4 MB of cells.
 * The bytes per cell of each answer size the next syncs; a sync Excel refuses as too large is
 * sent again in smaller pieces. An empty sheet gives an empty grid; so does one whose used range
 * passes `MAX_SHEET_CELLS`, with an issue saying so.
 */
export async function readGrids(ctx: Excel.RequestContext, names: readonly string[], caps: Pick<Capabilities, 'mergedAreas'>, options: ReadOptions = {}): Promise<SheetGrid[]> {
  if (names.length === 0) return [];
  const used = names.map((name) => {
    const range = ctx.workbook.worksheets.getItem(name).getUsedRangeOrNullObject(true);
    range.load('rowIndex,columnIndex,rowCount,columnCount');
    return { name, range };
  });
  await ctx.sync();

  const pending: Pending[] = [];
  // Proxies queued by the sync under way, read back by `take` once it answers.
  const loaded = new Map<Block, Excel.Range>();
  const mergeProxies = new Map<Pending, Excel.RangeAreas>();
  const blockOf = new Map<ReadOp, { p: Pending; b: Block }>();
  const mergeOps = new Set<ReadOp>();
  const blockOp = (p: Pending, b: Block): ReadOp => {
    const o: ReadOp = {
      cells: (b.r1 - b.r0 + 1) * p.width,
      fixed: ANSWER_OVERHEAD,
      run: () => {
        const r = ctx.workbook.worksheets.getItem(p.name).getRange(rectAddress({ r0: b.r0, c0: 0, r1: b.r1, c1: p.width - 1 }));
        r.load('values,valueTypes,numberFormat,formulas');
        loaded.set(b, r);
      },
    };
    blockOf.set(o, { p, b });
    return o;
  };
  const queue: ReadOp[] = [];
  const maxCells = Math.min(MAX_READ_CELLS, Math.floor(PAYLOAD_BUDGET / READ_BYTES_PER_CELL));
  for (const { name, range } of used) {
    if (range.isNullObject) {
      pending.push({ name, width: 0, height: 0, blocks: [] });
      continue;
    }
    // From A1, so that grid coordinates are sheet coordinates.
    const height = range.rowIndex + range.rowCount;
    const width = range.columnIndex + range.columnCount;
    if (height * width > MAX_SHEET_CELLS) {
      const extent = cellAddress(height - 1, width - 1);
      options.issues?.push({ code: 'sheet.too_large', severity: 'error', sheet: name, params: { sheet: name, extent, cells: height * width } });
      pending.push({ name, width: 0, height: 0, blocks: [] });
      continue;
    }
    const p: Pending = { name, width, height, blocks: rowBlocks(height, width, maxCells).map((b) => ({ ...b })) };
    pending.push(p);
    for (const b of p.blocks) queue.push(blockOp(p, b));
    if (caps.mergedAreas && options.merges?.(name) === true) {
      const m: ReadOp = {
        cells: 0,
        fixed: ANSWER_OVERHEAD,
        run: () => {
          const areas = ctx.workbook.worksheets.getItem(name).getRange(rectAddress({ r0: 0, c0: 0, r1: height - 1, c1: width - 1 })).getMergedAreasOrNullObject();
          areas.load('address');
          mergeProxies.set(p, areas);
        },
      };
      mergeOps.add(m);
      queue.push(m);
    }
  }

  /** Moves what the last sync answered into the blocks; gives its cells and bytes. */
  const take = (): { cells: number; bytes: number } => {
    let cells = 0;
    let bytes = 0;
    for (const [b, r] of loaded) {
      b.values = r.values;
      b.types = r.valueTypes as string[][];
      b.formats = r.numberFormat;
      b.formulas = r.formulas;
      cells += r.values.length * (r.values[0]?.length ?? 0);
      bytes += jsonBytes(b.values) + jsonBytes(b.types) + jsonBytes(b.formats) + jsonBytes(b.formulas);
    }
    for (const [p, a] of mergeProxies) p.merges = a.isNullObject ? [] : parseAreas(a.address);
    loaded.clear();
    mergeProxies.clear();
    return { cells, bytes };
  };

  let rate = READ_BYTES_PER_CELL;
  while (queue.length > 0) {
    const group = takeGroup(queue, rate);
    for (const o of group) o.run();
    try {
      await ctx.sync();
    } catch (e) {
      loaded.clear();
      mergeProxies.clear();
      const code = errorCode(e) ?? '';
      if (PAYLOAD_ERRORS.has(code)) {
        rate *= 2;
        const only = group.length === 1 ? blockOf.get(group[0]!) : undefined;
        if (group.length > 1) {
          queue.unshift(...group);
          continue;
        }
        // One block answered more than Excel sends at once (long text): read it in two halves.
        if (only === undefined || only.b.r1 === only.b.r0) throw e;
        const mid = Math.floor((only.b.r0 + only.b.r1) / 2);
        const first: Block = { r0: only.b.r0, r1: mid };
        const second: Block = { r0: mid + 1, r1: only.b.r1 };
        only.p.blocks.splice(only.p.blocks.indexOf(only.b), 1, first, second);
        queue.unshift(blockOp(only.p, first), blockOp(only.p, second));
        continue;
      }
      // More than 512 merged areas in a range make Excel fail the request: read without merges.
      const withoutMerges = group.filter((o) => !mergeOps.has(o));
      if (withoutMerges.length === group.length) throw e;
      queue.unshift(...withoutMerges);
      continue;
    }
    const answered = take();
    // A tenth more than seen, for sheets with longer text; the budget keeps another megabyte below Excel's limit.
    if (answered.cells >= CALIBRATION_CELLS) rate = Math.max(16, Math.ceil((answered.bytes / answered.cells) * 1.1));
  }
  return pending.map(toGrid);
}
