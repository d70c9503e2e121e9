/**
 * Sheet protection as Excel enforces it: on a protected sheet a change to a locked cell (contents,
 * even a `null` inside a written rectangle), any formatting the protection does not allow, and any
 * object (note, comment, chart, table) is refused with `AccessDenied`; and the protection a sheet
 * carries in an .xlsx (its `<sheetProtection>` and the cells whose style unlocks them), which
 * `insertWorksheetsFromBase64` keeps.
 */
import { strFromU8, unzipSync } from 'fflate';
import { MAX_COLS, parseLocal, type Rect } from './address';
import type { ProtectionOptions, SheetModel } from './model';
import { SimError } from './objects';

/** What a change touches. */
export type Change = 'cells' | 'format' | 'columns' | 'rows' | 'objects' | 'structure';

const REFUSED = "The cell or chart you're trying to change is on a protected sheet. To make a change, unprotect the sheet.";

/** Unlocked stored cells inside `rect`. */
function unlockedIn(sheet: SheetModel, rect: Rect): number {
  let n = 0;
  for (const [k, cell] of sheet.cells) {
    if (cell.unlocked !== true) continue;
    const r = Math.floor(k / MAX_COLS);
    const c = k % MAX_COLS;
    if (r >= rect.r0 && r <= rect.r1 && c >= rect.c0 && c <= rect.c1) n++;
  }
  return n;
}

/** Throws `AccessDenied` when the sheet's protection refuses this change. */
export function guard(sheet: SheetModel, change: Change, rect?: Rect): void {
  if (!sheet.protected) return;
  const o = sheet.protection.options;
  switch (change) {
    case 'cells': {
      // Every cell of the rectangle must be unlocked: Excel refuses a write whose rectangle touches a locked cell, nulls included.
      if (rect === undefined) break;
      const area = (rect.r1 - rect.r0 + 1) * (rect.c1 - rect.c0 + 1);
      if (area <= sheet.cells.size && unlockedIn(sheet, rect) === area) return;
      break;
    }
    case 'format':
      if (o.allowFormatCells === true) return;
      break;
    case 'columns':
      if (o.allowFormatColumns === true) return;
      break;
    case 'rows':
      if (o.allowFormatRows === true) return;
      break;
    case 'objects':
      if (o.allowEditObjects === true) return;
      break;
    case 'structure':
      break;
  }
  throw new SimError('AccessDenied', REFUSED);
}

/** The protection of each sheet of an .xlsx, by sheet name. */
export interface FileProtection {
  readonly options: ProtectionOptions;
  readonly password: string | null;
  /** A1 addresses of the cells whose style unlocks them. */
  readonly unlocked: readonly string[];
}

const attr = (tag: string, name: string): string | undefined => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
const on = (v: string | undefined, byDefault: boolean): boolean => (v === undefined ? byDefault : v === '1' || v === 'true');

/**
 * The `<sheetProtection>` of each protected sheet and its unlocked cells. OOXML flags say what is
 * protected (`formatCells="0"` allows formatting cells); Office.js options say what is allowed.
 */
export function protectionFromXlsx(bytes: Uint8Array): Map<string, FileProtection> {
  const out = new Map<string, FileProtection>();
  let parts: Record<string, Uint8Array>;
  try {
    parts = unzipSync(bytes);
  } catch {
    return out;
  }
  const text = (name: string): string => (parts[name] ? strFromU8(parts[name]!) : '');
  const rels = new Map<string, string>();
  for (const m of text('xl/_rels/workbook.xml.rels').matchAll(/<Relationship\b[^>]*>/g)) {
    const id = attr(m[0], 'Id');
    const target = attr(m[0], 'Target');
    if (id !== undefined && target !== undefined) rels.set(id, target.replace(/^\/?(xl\/)?/, 'xl/'));
  }
  const unlockedStyles = new Set<number>();
  const xfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(text('xl/styles.xml'))?.[1] ?? '';
  let index = 0;
  for (const m of xfs.matchAll(/<xf\b[^>]*?(?:\/>|>([\s\S]*?)<\/xf>)/g)) {
    const protection = /<protection\b[^>]*>/.exec(m[1] ?? '')?.[0];
    if (protection !== undefined && !on(attr(protection, 'locked'), true)) unlockedStyles.add(index);
    index++;
  }
  for (const m of text('xl/workbook.xml').matchAll(/<sheet\b[^>]*>/g)) {
    const name = attr(m[0], 'name')?.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'");
    const rid = attr(m[0], 'r:id');
    const xml = rid !== undefined ? text(rels.get(rid) ?? '') : '';
    const tag = /<sheetProtection\b[^>]*>/.exec(xml)?.[0];
    if (name === undefined || tag === undefined || !on(attr(tag, 'sheet'), false)) continue;
    const unlocked: string[] = [];
    for (const c of xml.matchAll(/<c\b[^>]*>/g)) {
      const s = attr(c[0], 's');
      const r = attr(c[0], 'r');
      if (s !== undefined && r !== undefined && unlockedStyles.has(Number(s))) unlocked.push(r);
    }
    const allowed = (flag: string, protectedByDefault: boolean): boolean => !on(attr(tag, flag), protectedByDefault);
    out.set(name, {
      options: {
        allowFormatCells: allowed('formatCells', true),
        allowFormatColumns: allowed('formatColumns', true),
        allowFormatRows: allowed('formatRows', true),
        allowInsertColumns: allowed('insertColumns', true),
        allowInsertRows: allowed('insertRows', true),
        allowInsertHyperlinks: allowed('insertHyperlinks', true),
        allowDeleteColumns: allowed('deleteColumns', true),
        allowDeleteRows: allowed('deleteRows', true),
        allowSort: allowed('sort', true),
        allowAutoFilter: allowed('autoFilter', true),
        allowPivotTables: allowed('pivotTables', true),
        allowEditObjects: allowed('objects', false),
        allowEditScenarios: allowed('scenarios', false),
      },
      password: attr(tag, 'password') ?? attr(tag, 'hashValue') ?? null,
      unlocked,
    });
  }
  return out;
}

/** Puts a file's protection on a sheet just inserted from it. */
export function applyFileProtection(sheet: SheetModel, p: FileProtection, cell: (r: number, c: number) => { unlocked?: boolean }): void {
  sheet.protected = true;
  sheet.protection = { options: { ...p.options }, password: p.password };
  for (const a of p.unlocked) {
    const rect = parseLocal(a);
    if (rect !== null) cell(rect.r0, rect.c0).unlocked = true;
  }
}
