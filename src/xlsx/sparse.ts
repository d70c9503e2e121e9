/**
 * Where a read cell goes: into the sheet's rows, or, beyond a gap of {@link FAR_ROWS} empty rows or
 * {@link FAR_COLUMNS} empty columns, into its far cells. A space typed in A1048576 then costs one small
 * object, not a million rows, in reading, in every process a book is sent to, and in every copy made of it.
 */
import { FAR_COLUMNS, FAR_ROWS, type CellValue, type FarCell, type SheetGrid } from '../core/grid';

/** True when a cell at (row, col) lies beyond the gap from rows `rows` high and `width` wide. */
export function isFar(row: number, col: number, rows: number, width: number): boolean {
  return row >= rows + FAR_ROWS || col >= width + FAR_COLUMNS;
}

/** A far cell; `formula` as the file holds it, with or without its `=`. */
export function farCell(row: number, col: number, value: CellValue, formula: string | null, numberFormat: string | null): FarCell {
  return {
    row,
    col,
    value,
    ...(formula !== null ? { formula: formula.charCodeAt(0) === 61 ? formula : `=${formula}` } : {}),
    ...(numberFormat !== null ? { numberFormat } : {}),
  };
}

/** One row with no cells, shared by every empty row between stored ones. */
const NO_CELLS: readonly never[] = Object.freeze([]);

/**
 * Builds a sheet from cells given in any order (the readers of SheetJS's formats and of CSV): near
 * cells into rows, far ones aside, far cells that later rows bring near joined to the rows at the end.
 */
export class SheetCells {
  private readonly values: (CellValue[] | typeof NO_CELLS)[] = [];
  private readonly formats: ((string | null)[] | undefined)[] = [];
  private readonly formulas: ((string | null)[] | undefined)[] = [];
  private anyFormat = false;
  private anyFormula = false;
  private width = 0;
  private readonly far: FarCell[] = [];

  /** Adds a cell; `formula` with or without its `=`. */
  add(row: number, col: number, value: CellValue, formula: string | null, numberFormat: string | null): void {
    if (isFar(row, col, this.values.length, this.width)) {
      this.far.push(farCell(row, col, value, formula, numberFormat));
      return;
    }
    this.place(row, col, value, formula === null ? null : formula.charCodeAt(0) === 61 ? formula : `=${formula}`, numberFormat);
  }

  private place(row: number, col: number, value: CellValue, formula: string | null, numberFormat: string | null): void {
    while (this.values.length <= row) this.values.push(NO_CELLS);
    let cells = this.values[row]!;
    if (cells === NO_CELLS) this.values[row] = cells = [];
    const put = <T>(list: (T | null)[], v: T): void => {
      while (list.length < col) list.push(null);
      list[col] = v;
    };
    put(cells as CellValue[], value);
    if (cells.length > this.width) this.width = cells.length;
    if (numberFormat !== null) {
      put((this.formats[row] ??= []), numberFormat);
      this.anyFormat = true;
    }
    if (formula !== null) {
      put((this.formulas[row] ??= []), formula);
      this.anyFormula = true;
    }
  }

  /** The sheet: rows (trailing empty ones left out), formats and formulas shaped as the rows, far cells in order. */
  sheet(name: string): SheetGrid {
    const kept: FarCell[] = [];
    this.far.sort((a, b) => a.row - b.row || a.col - b.col);
    for (const f of this.far) {
      if (isFar(f.row, f.col, this.values.length, this.width)) kept.push(f);
      else this.place(f.row, f.col, f.value, f.formula ?? null, f.numberFormat ?? null);
    }
    const values = this.values as (readonly CellValue[])[];
    while (values.length > 0 && values[values.length - 1]!.length === 0) values.pop();
    const shape = (grid: ((string | null)[] | undefined)[]): (string | null)[][] =>
      values.map((row, r) => {
        const src = grid[r] ?? [];
        while (src.length < row.length) src.push(null);
        return src;
      });
    return {
      name,
      values,
      ...(this.anyFormat ? { numberFormats: shape(this.formats) } : {}),
      ...(this.anyFormula ? { formulas: shape(this.formulas) } : {}),
      ...(kept.length > 0 ? { far: kept } : {}),
    };
  }
}
