/**
 * Shared formulas: SpreadsheetML stores the text once, on the master cell, and the other cells of
 * the range refer to it by index. Each dependent's own formula is the master's with its relative
 * references moved by the offset between the two cells.
 */
import { columnLetters, SHEET_COLUMNS, SHEET_ROWS } from '../core/grid';

function isRunChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) || // 0-9
    (c >= 65 && c <= 90) || // A-Z
    (c >= 97 && c <= 122) || // a-z
    c === 95 || // _
    c === 46 || // .
    c === 36 || // $
    c === 92 || // \
    c > 127
  );
}

const CELL = /^(\$?)([A-Za-z]{1,3})(\$?)(\d{1,7})$/;
const COL = /^(\$?)([A-Za-z]{1,3})$/;
const ROW = /^(\$?)(\d{1,7})$/;

function colIndex(letters: string): number {
  let n = 0;
  for (let i = 0; i < letters.length; i++) n = n * 26 + ((letters.charCodeAt(i) | 32) - 96);
  return n - 1;
}

function moveCol(abs: string, letters: string, d: number): string | null {
  const c = abs ? colIndex(letters) : colIndex(letters) + d;
  if (c < 0 || c >= SHEET_COLUMNS) return null;
  return abs + columnLetters(c);
}

function moveRow(abs: string, digits: string, d: number): string | null {
  const r = abs ? Number(digits) : Number(digits) + d;
  if (r < 1 || r > SHEET_ROWS) return null;
  return abs + String(r);
}

/** A single reference moved by (dRow, dCol), or null when it is not a reference or falls off the sheet (→ `#REF!`). */
function moveRef(run: string, dRow: number, dCol: number): string | null | undefined {
  const m = CELL.exec(run);
  if (!m) return undefined;
  if (colIndex(m[2]!) >= SHEET_COLUMNS || Number(m[4]) > SHEET_ROWS || Number(m[4]) < 1) return undefined;
  const col = moveCol(m[1]!, m[2]!.toUpperCase(), dCol);
  const row = moveRow(m[3]!, m[4]!, dRow);
  return col === null || row === null ? null : col + row;
}

/**
 * The formula `f` (no leading `=`) as it reads `dRow` rows and `dCol` columns away: relative
 * references move, `$`-anchored parts stay; strings, quoted sheet names and structured
 * references are left alone; whole-column `A:B` and whole-row `1:3` ranges move too.
 */
export function shiftFormula(f: string, dRow: number, dCol: number): string {
  if (dRow === 0 && dCol === 0) return f;
  let out = '';
  let i = 0;
  const n = f.length;
  while (i < n) {
    const c = f.charCodeAt(i);
    if (c === 34 /* " */ || c === 39 /* ' */) {
      let j = i + 1;
      for (;;) {
        const q = f.indexOf(c === 34 ? '"' : "'", j);
        if (q < 0) {
          j = n;
          break;
        }
        if (f.charCodeAt(q + 1) === c) {
          j = q + 2;
          continue;
        }
        j = q + 1;
        break;
      }
      out += f.slice(i, j);
      i = j;
      continue;
    }
    if (c === 91 /* [ */) {
      let depth = 0;
      let j = i;
      for (; j < n; j++) {
        const d = f.charCodeAt(j);
        if (d === 91) depth++;
        else if (d === 93 && --depth === 0) break;
      }
      out += f.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (!isRunChar(c)) {
      out += f[i];
      i++;
      continue;
    }
    let j = i;
    while (j < n && isRunChar(f.charCodeAt(j))) j++;
    const run = f.slice(i, j);
    const next = f.charCodeAt(j);
    if (next === 40 /* ( */ || next === 33 /* ! */) {
      out += run;
      i = j;
      continue;
    }
    // Whole columns (A:C) and whole rows (2:5) come as two runs around a colon.
    if (next === 58 /* : */) {
      let k = j + 1;
      while (k < n && isRunChar(f.charCodeAt(k))) k++;
      const second = f.slice(j + 1, k);
      const c1 = COL.exec(run);
      const c2 = COL.exec(second);
      if (c1 && c2) {
        const a = moveCol(c1[1]!, c1[2]!.toUpperCase(), dCol);
        const b = moveCol(c2[1]!, c2[2]!.toUpperCase(), dCol);
        out += a === null || b === null ? '#REF!' : `${a}:${b}`;
        i = k;
        continue;
      }
      const r1 = ROW.exec(run);
      const r2 = ROW.exec(second);
      if (r1 && r2) {
        const a = moveRow(r1[1]!, r1[2]!, dRow);
        const b = moveRow(r2[1]!, r2[2]!, dRow);
        out += a === null || b === null ? '#REF!' : `${a}:${b}`;
        i = k;
        continue;
      }
    }
    const moved = moveRef(run, dRow, dCol);
    out += moved === undefined ? run : moved === null ? '#REF!' : moved;
    i = j;
  }
  return out;
}
