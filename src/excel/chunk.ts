/**
 * Request sizes. Excel on the web rejects a request or a response over 5 MB, so every batch is
 * kept under 4 MB by an estimate of what it carries: queued work is a list of `Op`s with their
 * estimated bytes, packed into groups that are each one `context.sync()`.
 */

/** Most bytes one sync may carry, either way (Excel on the web's limit is 5 MB). */
export const PAYLOAD_BUDGET = 4 * 1024 * 1024;

/** What an object path (`getItem`, `getRange`, `format`…) adds to a request, with the action that creates it. */
export const PATH_COST = 150;

/** What an action (a property set, a method call, a load) adds besides its arguments. */
export const CALL_COST = 80;

/** Request bytes of `paths` object paths and `calls` actions, besides their arguments. */
export function cost(paths: number, calls: number): number {
  return paths * PATH_COST + calls * CALL_COST;
}

/** What a call costs besides its arguments when it reaches a range of a sheet: two paths, one action. */
export const OP_OVERHEAD = cost(2, 1);

/** Excel returns at most this many cells for one range (and may return nothing past it). */
export const MAX_READ_CELLS = 5_000_000;

/** Estimated response bytes per cell read (values, types, formats and formulas of a cell). */
export const READ_BYTES_PER_CELL = 56;

/** Rows written per call are grouped up to about this many bytes, so a sheet splits across syncs when it must. */
export const WRITE_BLOCK_BYTES = 512 * 1024;

/** UTF-8 bytes of a string as JSON, quotes and escapes included. */
export function stringBytes(s: string): number {
  let n = 2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) n += 2;
    else if (c < 0x20) n += 6;
    else if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** UTF-8 bytes of a value as JSON (what it adds to a request), without building the JSON. */
export function jsonBytes(v: unknown): number {
  if (v === null || v === undefined) return 4;
  switch (typeof v) {
    case 'string':
      return stringBytes(v);
    case 'number':
      return Number.isFinite(v) ? String(v).length : 4;
    case 'boolean':
      return v ? 4 : 5;
    case 'object': {
      if (Array.isArray(v)) {
        let n = 2 + Math.max(0, v.length - 1);
        for (const x of v) n += jsonBytes(x);
        return n;
      }
      let n = 2;
      let first = true;
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (x === undefined) continue;
        n += (first ? 0 : 1) + stringBytes(k) + 1 + jsonBytes(x);
        first = false;
      }
      return n;
    }
    default:
      return 4;
  }
}

/** One piece of queued work and what it adds to a request (or, for a load, to the response). */
export interface Op {
  readonly bytes: number;
  readonly run: () => void;
  /** A view setting (frozen panes) that waits until the sheet is visible. */
  readonly late?: boolean;
}

/** An op costing `bytes` plus the fixed overhead of a call. */
export function op(bytes: number, run: () => void, late = false): Op {
  return { bytes: bytes + OP_OVERHEAD, run, ...(late ? { late } : {}) };
}

/** Splits ops, in order, into groups of at most `budget` bytes; an op larger than the budget goes alone. */
export function packOps(ops: readonly Op[], budget: number = PAYLOAD_BUDGET, firstGroupUsed = 0): Op[][] {
  const groups: Op[][] = [];
  let group: Op[] = [];
  let used = firstGroupUsed;
  for (const o of ops) {
    if (group.length > 0 && used + o.bytes > budget) {
      groups.push(group);
      group = [];
      used = 0;
    }
    group.push(o);
    used += o.bytes;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/** Total bytes of some ops. */
export function opsBytes(ops: readonly Op[]): number {
  let n = 0;
  for (const o of ops) n += o.bytes;
  return n;
}
