/**
 * References from one sheet to another, as far as the adapter's tests need them: a clerk's own
 * formula such as `=全区汇总!C5` (or `='District summary'!C5`) on a sheet of their own. As in Excel,
 * renaming a sheet rewrites the formulas that name it, deleting it turns them into `#REF!`, and a
 * formula that is one cell of another sheet shows that cell's value.
 */
import { parseLocal } from './address';
import { cellAt, type Cell, type WorkbookModel } from './model';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The pattern of a reference to sheet `name`, quoted (`'A b'!`) or not (`全区汇总!`), before its `!`. */
function sheetRef(name: string): RegExp {
  const quoted = `'${escapeRegExp(name.replace(/'/g, "''"))}'`;
  return new RegExp(`(^|[^A-Za-z0-9_.'\\u00C0-\\uFFFF])(${quoted}|${escapeRegExp(name)})!`, 'gi');
}

/** How a formula names a sheet: plain when it is letters, digits and CJK only, else quoted. */
function refName(name: string): string {
  return /^[A-Za-z_\u4e00-\u9fff][A-Za-z0-9_.\u4e00-\u9fff]*$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

function eachFormula(wb: WorkbookModel, fn: (cell: Cell & { formula: string }) => void): void {
  for (const s of wb.sheets) for (const cell of s.cells.values()) if (cell.formula !== undefined) fn(cell as Cell & { formula: string });
}

/** A sheet renamed: every formula naming it names it anew. */
export function renameReferences(wb: WorkbookModel, from: string, to: string): void {
  if (from === to) return;
  const re = sheetRef(from);
  eachFormula(wb, (cell) => {
    cell.formula = cell.formula.replace(re, (_m, lead: string) => `${lead}${refName(to)}!`);
  });
}

/** A sheet deleted: every reference to it becomes `#REF!`. */
export function breakReferences(wb: WorkbookModel, name: string): void {
  const re = new RegExp(`${sheetRef(name).source}\\$?[A-Za-z]{1,3}\\$?\\d+(?::\\$?[A-Za-z]{1,3}\\$?\\d+)?`, 'gi');
  eachFormula(wb, (cell) => {
    const next = cell.formula.replace(re, (_m, lead: string) => `${lead}#REF!`);
    if (next === cell.formula) return;
    cell.formula = next;
    delete cell.value;
    cell.error = '#REF!';
  });
}

const SINGLE = /^=(?:'((?:[^']|'')+)'|([^!'"()+\-*/,=<>&^%\s]+))!\$?([A-Za-z]{1,3})\$?(\d+)$/;

/** Formulas that are one cell of another sheet show its value (a blank shows 0); those holding `#REF!` show the error. */
export function recalcReferences(wb: WorkbookModel): void {
  eachFormula(wb, (cell) => {
    if (cell.formula.includes('#REF!')) {
      delete cell.value;
      cell.error = '#REF!';
      return;
    }
    const m = SINGLE.exec(cell.formula);
    if (m === null) return;
    const name = m[1] !== undefined ? m[1].replace(/''/g, "'") : m[2]!;
    const sheet = wb.sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
    const at = parseLocal(`${m[3]}${m[4]}`);
    delete cell.value;
    delete cell.error;
    if (sheet === undefined || at === null) {
      cell.error = '#REF!';
      return;
    }
    const source = cellAt(sheet, at.r0, at.c0);
    if (source?.error !== undefined) cell.error = source.error;
    else cell.value = source?.value ?? 0;
  });
}

