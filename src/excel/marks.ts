/**
 * Marks on school sheets: a fill, plus a note (ExcelApi 1.18) or else a comment (1.10) with the
 * message, or the fill alone. Huizong keeps a record of what it marked — each cell, the fill it
 * put, the fill that was there before, and a hash of its note or comment — in the add-in's own
 * workbook setting, so that the next run clears exactly its own marks: a fill the school has
 * changed since, or a note the school wrote, is left alone.
 */
import type { CellMark } from '../workbook/plan';
import { normalizeCell, qualified, splitAddress } from './address';
import type { Capabilities } from './capabilities';
import { cost, jsonBytes, op, type Op } from './chunk';
import { settingData } from './setting';

/** The workbook setting holding Huizong's record of its marks. */
export const MARKS_SETTING = 'huizong.marks';

/** Fills of a mark, as the .xlsx writer uses them. */
export const MARK_FILL = { error: '#FFC7CE', warning: '#FFEB9C' } as const;

/** What Excel reports as the fill of a cell without one. */
const NO_FILL = '#FFFFFF';

/** How a mark carries its message. */
export type AnnotationKind = 'note' | 'comment' | 'none';

/** Notes where the host has them, else comments, else nothing but the fill. */
export function annotationKind(caps: Pick<Capabilities, 'notes' | 'comments'>): AnnotationKind {
  return caps.notes ? 'note' : caps.comments ? 'comment' : 'none';
}

/** FNV-1a of a text, 8 hex digits: enough to tell Huizong's note from one someone else wrote. */
export function textHash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** One recorded mark: sheet, cell, the fill put, the fill before, `n`ote / `c`omment / none, hash of its text. */
export type MarkEntry = readonly [sheet: string, cell: string, fill: string, previous: string, kind: 'n' | 'c' | '', hash: string];

/** The record as stored (JSON text in the setting). */
interface MarkRecord {
  readonly v: 1;
  readonly marks: readonly MarkEntry[];
}

/** The record's entries from the setting's value; anything unreadable counts as no record. */
export function parseRecord(value: unknown): MarkEntry[] {
  const data = settingData(value);
  if (typeof data !== 'object' || data === null || !Array.isArray((data as { marks?: unknown }).marks)) return [];
  const out: MarkEntry[] = [];
  for (const e of (data as { marks: unknown[] }).marks) {
    if (!Array.isArray(e) || e.length !== 6 || !e.every((x) => typeof x === 'string')) continue;
    const [sheet, cell, fill, previous, kind, hash] = e as string[];
    if (kind !== 'n' && kind !== 'c' && kind !== '') continue;
    out.push([sheet!, cell!, fill!, previous!, kind, hash!]);
  }
  return out;
}

function sameColor(a: string | null | undefined, b: string): boolean {
  return typeof a === 'string' && a.toUpperCase() === b.toUpperCase();
}

const key = (sheet: string, cell: string): string => `${sheet.toLowerCase()}!${cell}`;

interface CellState {
  readonly sheet: string;
  readonly cell: string;
  readonly fill: Excel.RangeFill;
  readonly note?: Excel.Note;
}

interface Group {
  readonly sheet: string;
  readonly cell: string;
  severity: 'error' | 'warning';
  readonly messages: string[];
}

/** A comment of the workbook as loaded: its id and text. */
export interface MarkComment {
  readonly id: string;
  readonly content: string;
}

/** Huizong's record of its marks as loaded (undefined: none), and, where marks are comments, the workbook's comments. */
export interface MarkRecordState {
  readonly value: unknown;
  readonly comments: readonly MarkComment[];
}

/**
 * Queues loading the record of marks (and, when marks are comments, the workbook's comments); the
 * answer is ready after the next sync. Loading only: a run may look before it decides how to write.
 */
export function queueMarkRecord(ctx: Excel.RequestContext, caps: Pick<Capabilities, 'notes' | 'comments'>): () => MarkRecordState {
  const setting = ctx.workbook.settings.getItemOrNullObject(MARKS_SETTING);
  setting.load('value');
  let comments: Excel.CommentCollection | undefined;
  if (annotationKind(caps) === 'comment') {
    comments = ctx.workbook.comments;
    comments.load('items/id,items/content');
  }
  return () => ({
    value: setting.isNullObject ? undefined : (setting.value as unknown),
    comments: comments === undefined ? [] : comments.items.map((c) => ({ id: c.id, content: c.content })),
  });
}

/**
 * Replaces Huizong's marks on some sheets, over three syncs shared with the rest of a write:
 * `prime` (the record, loaded by `queueMarkRecord`), `secondOps` (the state of every cell concerned) and `commitOps`
 * (clearing the old marks, then putting the new ones, then the new record).
 */
export class MarkWriter {
  private readonly kind: AnnotationKind;
  private record: MarkRecordState = { value: undefined, comments: [] };
  private readonly locations = new Map<string, Excel.Range>();
  private readonly cells = new Map<string, CellState>();
  private old: MarkEntry[] = [];
  private readonly groups: Group[] = [];
  private readonly clearing = new Map<string, { readonly entry: MarkEntry; readonly sheet: string; readonly cell: string }>();
  private readonly kept: MarkEntry[] = [];

  constructor(
    private readonly ctx: Excel.RequestContext,
    caps: Pick<Capabilities, 'notes' | 'comments'>,
    private readonly sheets: readonly string[],
    private readonly marks: readonly CellMark[],
  ) {
    this.kind = annotationKind(caps);
  }

  /** The record and comments as `queueMarkRecord` loaded them (in this or an earlier run). */
  prime(record: MarkRecordState): void {
    this.record = record;
  }

  /**
   * The loads of the fill and note of every cell to clear or mark, and of where each comment is
   * (to be synced before `commitOps`); `sheetName` gives a sheet's name as the workbook spells
   * it, or undefined when it is gone or cannot be changed; the recorded marks of a sheet that
   * cannot be changed (`untouchable`: locked by a password) stay in the record for a later run.
   */
  secondOps(sheetName: (name: string) => string | undefined, untouchable: (name: string) => boolean = () => false): Op[] {
    this.old = parseRecord(this.record.value);
    const replaced = new Set(this.sheets.map((s) => s.toLowerCase()));
    for (const e of this.old) {
      const sheet = sheetName(e[0]);
      const cell = normalizeCell(e[1]);
      if (sheet === undefined && untouchable(e[0])) this.kept.push(e);
      if (sheet === undefined || cell === null) continue;
      if (replaced.has(e[0].toLowerCase())) this.clearing.set(key(sheet, cell), { entry: e, sheet, cell });
      else this.kept.push(e);
    }
    const byCell = new Map<string, Group>();
    for (const m of this.marks) {
      const sheet = sheetName(m.sheet);
      const cell = normalizeCell(m.cell);
      if (sheet === undefined || cell === null) continue;
      const k = key(sheet, cell);
      const g = byCell.get(k);
      if (g === undefined) {
        const fresh: Group = { sheet, cell, severity: m.severity, messages: [m.message] };
        byCell.set(k, fresh);
        this.groups.push(fresh);
      } else {
        if (m.severity === 'error') g.severity = 'error';
        if (!g.messages.includes(m.message)) g.messages.push(m.message);
      }
    }
    const ops: Op[] = [];
    const queued = new Set<string>();
    const inspect = (sheet: string, cell: string): void => {
      const k = key(sheet, cell);
      if (queued.has(k)) return;
      queued.add(k);
      ops.push(
        op(jsonBytes(sheet) + 16 + cost(3, 2), () => {
          const fill = this.ctx.workbook.worksheets.getItem(sheet).getRange(cell).format.fill;
          fill.load('color');
          let note: Excel.Note | undefined;
          if (this.kind === 'note') {
            note = this.ctx.workbook.notes.getItemOrNullObject(qualified(sheet, cell));
            note.load('content');
          }
          this.cells.set(k, { sheet, cell, fill, ...(note !== undefined ? { note } : {}) });
        }),
      );
    };
    for (const c of this.clearing.values()) inspect(c.sheet, c.cell);
    for (const g of this.groups) inspect(g.sheet, g.cell);
    for (const c of this.record.comments) {
      ops.push(
        op(jsonBytes(c.id) + cost(2, 1), () => {
          const at = this.ctx.workbook.comments.getItem(c.id).getLocation();
          at.load('address');
          this.locations.set(c.id, at);
        }),
      );
    }
    return ops;
  }

  /** The comment Huizong would have put on a cell: its id, when its text still matches `hash` (any comment when `hash` is undefined). */
  private commentAt(k: string, hash?: string): MarkComment | undefined {
    for (const c of this.record.comments) {
      const at = this.locations.get(c.id);
      if (at === undefined) continue;
      const { sheet, local } = splitAddress(at.address);
      const cell = normalizeCell(local.split(':')[0] ?? '');
      if (sheet === undefined || cell === null || key(sheet, cell) !== k) continue;
      if (hash === undefined || textHash(c.content) === hash) return c;
    }
    return undefined;
  }

  /**
   * The calls that clear the old marks, put the new ones and store the new record. A record of the
   * old and the new marks together goes first, so that when the calls stop part-way (Excel keeps
   * what ran) the next run still finds and clears every mark this one may have left.
   */
  commitOps(): Op[] {
    const ops: Op[] = [];
    const ctx = this.ctx;
    const journal: MarkEntry[] = [...this.kept, ...[...this.clearing.values()].map((c) => c.entry)];
    const restored = new Set<string>();
    const unannotated = new Set<string>();
    for (const [k, { entry }] of this.clearing) {
      const state = this.cells.get(k);
      if (state === undefined) continue;
      const [, , fill, previous, kind, hash] = entry;
      if (sameColor(state.fill.color, fill)) {
        restored.add(k);
        ops.push(
          op(jsonBytes(state.sheet) + 32 + cost(2, 0), () => {
            const f = ctx.workbook.worksheets.getItem(state.sheet).getRange(state.cell).format.fill;
            if (previous === '' || sameColor(previous, NO_FILL)) f.clear();
            else f.color = previous;
          }),
        );
      }
      if (kind === 'n' && state.note !== undefined && !state.note.isNullObject && textHash(state.note.content) === hash) {
        const note = state.note;
        unannotated.add(k);
        ops.push(op(0, () => note.delete()));
      }
      if (kind === 'c') {
        const c = this.commentAt(k, hash);
        if (c !== undefined) {
          const id = c.id;
          unannotated.add(k);
          ops.push(op(jsonBytes(id), () => ctx.workbook.comments.getItem(id).delete()));
        }
      }
    }

    const entries: MarkEntry[] = [...this.kept];
    for (const g of this.groups) {
      const k = key(g.sheet, g.cell);
      const state = this.cells.get(k);
      if (state === undefined) continue;
      const before = this.clearing.get(k);
      const current = typeof state.fill.color === 'string' ? state.fill.color : NO_FILL;
      const previous = before !== undefined && restored.has(k) ? before.entry[3] : current;
      const fill = MARK_FILL[g.severity];
      const message = g.messages.join('\n');
      let kind: MarkEntry[4] = '';
      if (this.kind === 'note' && (state.note === undefined || state.note.isNullObject || unannotated.has(k))) kind = 'n';
      if (this.kind === 'comment' && (this.commentAt(k) === undefined || unannotated.has(k))) kind = 'c';
      ops.push(
        op(jsonBytes(g.sheet) + 32 + cost(2, 1) + (kind === '' ? 0 : jsonBytes(message) + cost(1, 1)), () => {
          const range = ctx.workbook.worksheets.getItem(g.sheet).getRange(g.cell);
          range.format.fill.color = fill;
          if (kind === 'n') ctx.workbook.notes.add(range, message);
          if (kind === 'c') ctx.workbook.comments.add(range, message);
        }),
      );
      entries.push([g.sheet, g.cell, fill, previous, kind, textHash(message)]);
    }
    const record: MarkRecord = { v: 1, marks: entries };
    const text = JSON.stringify(record);
    const before: MarkRecord = { v: 1, marks: [...journal, ...entries.slice(this.kept.length)] };
    const journalText = JSON.stringify(before);
    ops.unshift(op(jsonBytes(journalText), () => ctx.workbook.settings.add(MARKS_SETTING, journalText)));
    ops.push(op(jsonBytes(text), () => ctx.workbook.settings.add(MARKS_SETTING, text)));
    return ops;
  }
}
