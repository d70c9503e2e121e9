/**
 * Plain grid types: what every adapter turns a workbook into, and what the core reads.
 * Coordinates are zero-based (row 0, column 0 is A1); addresses shown to people are A1-style.
 */
import type { Issue } from './types';

/** An Excel error value such as `#DIV/0!` or `#REF!`, kept apart from text that merely looks like one. */
export interface CellError {
  readonly error: string;
}

/** One cell's value as the workbook holds it (a formula's cached result, not the formula). */
export type CellValue = string | number | boolean | null | CellError;

/** A merged area, zero-based and inclusive at both ends. */
export interface MergeRange {
  readonly r0: number;
  readonly c0: number;
  readonly r1: number;
  readonly c1: number;
}

/**
 * A cell stored far from the rest of its sheet (a space typed in A1048576, a note in XFD1): kept by
 * itself, so that a sheet costs its cells, never the extent of its grid. See {@link SheetGrid.far}.
 */
export interface FarCell {
  readonly row: number;
  readonly col: number;
  readonly value: CellValue;
  /** The formula (`=SUM(A1:A9)`), when the cell has one. */
  readonly formula?: string;
  readonly numberFormat?: string;
}

/**
 * A cell is far, and kept in {@link SheetGrid.far} rather than in the rows, when more than this many
 * empty rows lie between it and the sheet's rows above it. No form, list or table leaves such a gap inside itself.
 */
export const FAR_ROWS = 4_096;
/** Likewise across: more than this many empty columns between a cell and the sheet's columns to its left. */
export const FAR_COLUMNS = 256;

/**
 * One worksheet as plain data. `values[r][c]`; rows may be ragged, missing cells are `null`. The rows
 * are the sheet's from A1 as far as its cells lie together; a cell beyond a gap of {@link FAR_ROWS} rows
 * or {@link FAR_COLUMNS} columns is in `far` instead.
 */
export interface SheetGrid {
  readonly name: string;
  readonly values: readonly (readonly CellValue[])[];
  /** Number formats where the adapter knows them (`0%`, `yyyy-mm-dd`, `@`), same shape as `values`. */
  readonly numberFormats?: readonly (readonly (string | null)[])[];
  /** Formulas where the cell has one (`=SUM(D5:D9)`), same shape as `values`. */
  readonly formulas?: readonly (readonly (string | null)[])[];
  readonly merges?: readonly MergeRange[];
  /** Hidden (or very hidden) in its workbook, where the reader knows it. */
  readonly hidden?: boolean;
  /**
   * Cells far below or to the right of the rows (see {@link FarCell}), in row then column order, none
   * of them inside `values`. No form reader looks there; a copy of the sheet keeps them.
   */
  readonly far?: readonly FarCell[];
}

/** A workbook as plain data; `source` names where it came from (a file name), for messages. */
export interface WorkbookGrid {
  readonly source?: string;
  readonly sheets: readonly SheetGrid[];
  /** Issues the host met while reading the book (a sheet too large to read), reported with the book's own. */
  readonly issues?: readonly Issue[];
  /** `text` when the cells were typed from plain text (CSV): a number there says nothing about how a cell was stored. */
  readonly origin?: 'text';
}

/** True when a value is an Excel error value. */
export function isCellError(v: CellValue | undefined): v is CellError {
  return typeof v === 'object' && v !== null && 'error' in v;
}

/** True when a sheet holds any cell, near or far. */
export function sheetHasCells(sheet: SheetGrid): boolean {
  return sheet.values.length > 0 || (sheet.far !== undefined && sheet.far.length > 0);
}

/** The value at (row, col), a far cell's included, or `null` where the sheet holds none. */
export function cellAt(sheet: SheetGrid, row: number, col: number): CellValue {
  const near = sheet.values[row]?.[col];
  if (near !== undefined || sheet.far === undefined) return near ?? null;
  return sheet.far.find((f) => f.row === row && f.col === col)?.value ?? null;
}

/** Rows of a worksheet in Excel and in the file format (1,048,576: row numbers 1 to 1048576). */
export const SHEET_ROWS = 1_048_576;
/** Columns of a worksheet in Excel and in the file format (16,384: A to XFD). */
export const SHEET_COLUMNS = 16_384;

// Every school sheet names the same few hundred cells: the addresses near the top left are made once
// and shared (one string for each, however many sheets hold it), the rest built when asked for.
// The tables are filled in place (dense from the start: an array first written at a high index would
// turn into a slow dictionary).
const LETTERS_KEPT = 702; // A to ZZ
const LETTERS: (string | undefined)[] = new Array<string | undefined>(LETTERS_KEPT).fill(undefined);
const ADDRESS_ROWS = 1024;
const ADDRESS_COLUMNS = 32;
const ADDRESSES: ((string | undefined)[] | undefined)[] = new Array<(string | undefined)[] | undefined>(ADDRESS_ROWS).fill(undefined);

/** Column letters for a zero-based column index: 0 → A, 25 → Z, 26 → AA. */
export function columnLetters(col: number): string {
  if (col >= 0 && col < LETTERS_KEPT) return (LETTERS[col] ??= lettersOf(col));
  return lettersOf(col);
}

function lettersOf(col: number): string {
  let n = col + 1;
  let s = '';
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** A1-style address for a zero-based (row, col): (13, 3) → `D14`. */
export function cellAddress(row: number, col: number): string {
  if (row >= 0 && row < ADDRESS_ROWS && col >= 0 && col < ADDRESS_COLUMNS) {
    const kept = (ADDRESSES[row] ??= new Array<string | undefined>(ADDRESS_COLUMNS).fill(undefined));
    return (kept[col] ??= `${columnLetters(col)}${row + 1}`);
  }
  return `${columnLetters(col)}${row + 1}`;
}

/** Parses an A1-style address (`D14`, `$D$14`) into zero-based coordinates, or `null`. */
export function parseCellAddress(address: string): { row: number; col: number } | null {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/.exec(address.trim());
  if (!m) return null;
  const letters = m[1]!.toUpperCase();
  let col = 0;
  for (const ch of letters) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { row: Number(m[2]) - 1, col: col - 1 };
}
