/**
 * A sheet plan seen as the plain grid a reader would get back from the written sheet:
 * used by tests (round trips through the core's readers) and by the Excel simulator.
 */
import { isCellError, type CellValue, type SheetGrid } from '../core/grid';
import type { PlannedCell, SheetPlan } from './plan';

/** The widest a fitted column is, in characters. */
const WIDEST = 50;

/**
 * How wide a value shows, in characters: numbers to two decimals, CJK and other wide characters counting
 * twice. Counted only up to the widest a column is fitted to: a 1 MB text in thousands of cells costs no
 * more than a short one.
 */
export function shownWidth(v: CellValue): number {
  const shown = v === null ? '' : isCellError(v) ? v.error : typeof v === 'number' ? String(Math.round(v * 100) / 100) : String(v);
  let w = 0;
  for (let i = 0; i < shown.length && w < WIDEST; i++) {
    const c = shown.charCodeAt(i);
    // A character beyond U+FFFF (two UTF-16 units) is one wide character.
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < shown.length) i++;
    w += c > 0x2e80 ? 2 : 1;
  }
  return w;
}

/** A column width fitted to its widest value (`chars`, from {@link shownWidth}): 8 to 50 characters. */
export function fittedWidth(chars: number): number {
  return Math.min(WIDEST, Math.max(8, chars + 2));
}

/** Width of the widest row of a plan. */
export function planWidth(plan: SheetPlan): number {
  let w = 0;
  for (const row of plan.rows) w = Math.max(w, row.cells.length);
  return w;
}

/** The value a reader sees in a planned cell: the value, or a formula's cached value (null when none). */
export function plannedValue(cell: PlannedCell | undefined): CellValue {
  if (cell === undefined) return null;
  return cell.value ?? null;
}

/**
 * The grid a reader would get from the written sheet: values (a formula cell shows its cached
 * `value`), formulas with their leading `=`, number formats (the column's, overridden by
 * `cellFormats`) and merges. Rows are padded to the plan's width.
 */
export function planToGrid(plan: SheetPlan): SheetGrid {
  const width = planWidth(plan);
  const values: CellValue[][] = [];
  const formulas: (string | null)[][] = [];
  const formats: (string | null)[][] = [];
  let anyFormula = false;
  let anyFormat = false;
  const columnFormat = (c: number): string | null => plan.columns?.[c]?.numberFormat ?? null;
  for (const row of plan.rows) {
    const v: CellValue[] = [];
    const f: (string | null)[] = [];
    const n: (string | null)[] = [];
    for (let c = 0; c < width; c++) {
      const cell = row.cells[c];
      v.push(plannedValue(cell));
      const formula = cell?.formula;
      if (formula !== undefined) {
        anyFormula = true;
        f.push(formula.startsWith('=') ? formula : `=${formula}`);
      } else {
        f.push(null);
      }
      const fmt = columnFormat(c);
      if (fmt !== null) anyFormat = true;
      n.push(fmt);
    }
    values.push(v);
    formulas.push(f);
    formats.push(n);
  }
  for (const [r, c, fmt] of plan.cellFormats ?? []) {
    const row = formats[r];
    if (row === undefined || c >= width) continue;
    row[c] = fmt;
    anyFormat = true;
  }
  return {
    name: plan.name,
    values,
    ...(anyFormat ? { numberFormats: formats } : {}),
    ...(anyFormula ? { formulas } : {}),
    ...(plan.merges && plan.merges.length > 0 ? { merges: plan.merges } : {}),
  };
}
