/**
 * Renders sheet plans (and copies of school sheets) into .xlsx bytes with ExcelJS.
 *
 * `import ExcelJS from 'exceljs'` is the one import that works everywhere Huizong runs: Node and
 * vitest load the package's CommonJS `main`, and webpack for the browser follows its `browser`
 * field to the prebuilt `dist/exceljs.min.js`, which needs no Node polyfills.
 *
 * Text is always written as text: a planned value `"=SUM(A1)"` becomes a string cell. Only a
 * planned `formula` (or a formula the copied sheet had) becomes a formula, with its cached result.
 */
import ExcelJS from 'exceljs';
import type { CellValue, SheetGrid } from '../core/grid';
import { cellAddress, isCellError, parseCellAddress } from '../core/grid';
import type { Comparator } from '../core/types';
import { uniqueHeaders } from '../workbook/names';
import type { CellMark, CellUpdate, ConditionalPlan, PlannedCell, RowRole, SheetPlan, ValidationPlan } from '../workbook/plan';

/** A school's sheet copied into the output workbook, with values (rates) written over it. */
export interface SheetCopy {
  readonly grid: SheetGrid;
  /** Name of the copy in the output workbook (already safe: see `safeSheetName`). */
  readonly name: string;
  /** Cells to overwrite on this copy; their `sheet` field is not consulted. */
  readonly updates?: readonly CellUpdate[];
  /** Cells to mark on this copy (fill and a note); their `sheet` field is not consulted. */
  readonly marks?: readonly CellMark[];
}

/** Options for {@link writeXlsx}. */
export interface WriteOptions {
  /** Put the copies before the planned sheets (default: after). */
  readonly copiesFirst?: boolean;
  /** Ask the opening application to recalculate every formula (default true). */
  readonly fullCalcOnLoad?: boolean;
  /** Workbook author shown in the file properties (default `Huizong`). */
  readonly creator?: string;
}

/** A plan or copy that no spreadsheet can hold (a bad sheet name, overlapping merges): a bug in the caller. */
export class XlsxPlanError extends Error {
  override name = 'XlsxPlanError';
}

// A neutral palette that reads on screen and prints in grey.
const COLORS = {
  header: 'FFD9D9D9',
  subtotal: 'FFF2F2F2',
  total: 'FFE4E4E4',
  note: 'FF595959',
  goodFill: 'FFC6EFCE',
  goodFont: 'FF006100',
  badFill: 'FFFFC7CE',
  badFont: 'FF9C0006',
  errorMark: 'FFFFC7CE',
  warningMark: 'FFFFEB9C',
} as const;

const solid = (argb: string): ExcelJS.Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb } });

const ROLE_STYLE: Record<RowRole, Partial<ExcelJS.Style> | null> = {
  title: { font: { bold: true, size: 14 } },
  note: { font: { italic: true, color: { argb: COLORS.note } } },
  header: { font: { bold: true }, fill: solid(COLORS.header), alignment: { vertical: 'middle', wrapText: true } },
  data: null,
  subtotal: { font: { bold: true }, fill: solid(COLORS.subtotal) },
  total: { font: { bold: true }, fill: solid(COLORS.total), border: { top: { style: 'thin' } } },
  blank: null,
};

const MAX_NAME = 31;
const FORBIDDEN = /[[\]:*?/\\]/;

function checkSheetName(name: string, used: Set<string>): void {
  if (name.trim() === '' || name.length > MAX_NAME || FORBIDDEN.test(name) || name.startsWith("'") || name.endsWith("'")) {
    throw new XlsxPlanError(`not a valid sheet name: ${JSON.stringify(name)}`);
  }
  const key = name.toLowerCase();
  if (used.has(key)) throw new XlsxPlanError(`sheet name used twice: ${JSON.stringify(name)}`);
  used.add(key);
}

const ERRORS = new Set(['#N/A', '#REF!', '#NAME?', '#DIV/0!', '#NULL!', '#VALUE!', '#NUM!']);

/** A grid value as ExcelJS holds it; non-finite numbers cannot be stored and become blank. */
function excelValue(v: CellValue | undefined): ExcelJS.CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (isCellError(v)) return { error: (ERRORS.has(v.error) ? v.error : '#N/A') as ExcelJS.CellErrorValue['error'] };
  return v;
}

/** A formula cell: text without the leading `=`, with its cached result when known. */
function formulaValue(formula: string, result: CellValue | undefined): ExcelJS.CellValue {
  const f = formula.startsWith('=') ? formula.slice(1) : formula;
  const r = excelValue(result);
  return (r === null ? { formula: f } : { formula: f, result: r }) as ExcelJS.CellFormulaValue;
}

function plannedValue(cell: PlannedCell): ExcelJS.CellValue {
  return cell.formula !== undefined ? formulaValue(cell.formula, cell.value) : excelValue(cell.value);
}

const FORMULA_OP: Record<Comparator, string> = { '==': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

function rangeRef(r0: number, c0: number, r1: number, c1: number): string {
  const a = cellAddress(r0, c0);
  const b = cellAddress(r1, c1);
  return a === b ? a : `${a}:${b}`;
}

function numberText(n: number): string {
  return Number.isFinite(n) ? String(n) : '0';
}

/**
 * Green when the comparison holds, red when it does not. Expression rules over the top-left cell
 * (relative, so each cell tests itself) leave blank and text cells uncoloured, which `cellIs`
 * rules would not: a blank counts as 0 there.
 */
function addConditional(ws: ExcelJS.Worksheet, p: ConditionalPlan, priority: number): void {
  const tl = cellAddress(p.r0, p.c0);
  const test = `${tl}${FORMULA_OP[p.op]}${numberText(p.value)}`;
  const rule = (formula: string, fill: string, font: string, n: number): ExcelJS.ConditionalFormattingRule => ({
    type: 'expression',
    priority: n,
    formulae: [formula],
    style: { fill: { type: 'pattern', pattern: 'solid', bgColor: { argb: fill } }, font: { color: { argb: font } } },
  });
  ws.addConditionalFormatting({
    ref: rangeRef(p.r0, p.c0, p.r1, p.c1),
    rules: [
      rule(`AND(ISNUMBER(${tl}),${test})`, COLORS.goodFill, COLORS.goodFont, priority),
      rule(`AND(ISNUMBER(${tl}),NOT(${test}))`, COLORS.badFill, COLORS.badFont, priority + 1),
    ],
  });
}

/** Excel rejects prompt and error texts over 255 characters (and repairs the file). */
function clip(s: string | undefined, max: number): string | undefined {
  if (s === undefined) return undefined;
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

const UNBOUNDED = 999_999_999_999;

function addValidation(ws: ExcelJS.Worksheet, v: ValidationPlan): void {
  let operator: ExcelJS.DataValidationOperator = 'between';
  let formulae: number[];
  if (v.min !== undefined && v.max !== undefined) formulae = [v.min, v.max];
  else if (v.min !== undefined) {
    operator = 'greaterThanOrEqual';
    formulae = [v.min];
  } else if (v.max !== undefined) {
    operator = 'lessThanOrEqual';
    formulae = [v.max];
  } else formulae = [-UNBOUNDED, UNBOUNDED];
  const prompt = clip(v.prompt, 255);
  const error = clip(v.error, 255);
  const dv: ExcelJS.DataValidation = {
    type: v.type,
    allowBlank: true,
    operator,
    formulae,
    showErrorMessage: true,
    errorStyle: 'stop',
    ...(prompt !== undefined ? { showInputMessage: true, prompt } : {}),
    ...(error !== undefined ? { error } : {}),
  };
  (ws as unknown as { dataValidations: { add(address: string, dv: ExcelJS.DataValidation): void } }).dataValidations.add(rangeRef(v.r0, v.c0, v.r1, v.c1), dv);
}

/** A table header text Excel accepts: one line, as the header cell will hold it. */
function headerText(v: CellValue | undefined): string {
  if (v === null || v === undefined) return '';
  const s = isCellError(v) ? v.error : String(v);
  return s.replace(/[\r\n\t]+/g, ' ').trim();
}

function mergeOrThrow(ws: ExcelJS.Worksheet, m: { r0: number; c0: number; r1: number; c1: number }, strict: boolean): void {
  if (m.r0 === m.r1 && m.c0 === m.c1) return;
  try {
    ws.mergeCells(m.r0 + 1, m.c0 + 1, m.r1 + 1, m.c1 + 1);
  } catch (e) {
    if (strict) throw new XlsxPlanError(`${ws.name}: cannot merge ${rangeRef(m.r0, m.c0, m.r1, m.c1)}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function renderPlan(wb: ExcelJS.Workbook, plan: SheetPlan, tables: Set<string>): Promise<void> {
  const ws = wb.addWorksheet(plan.name);
  const columns = plan.columns ?? [];
  columns.forEach((col, c) => {
    if (col.width !== undefined) ws.getColumn(c + 1).width = col.width;
  });
  const cellFormats = new Map<number, string>();
  for (const [r, c, fmt] of plan.cellFormats ?? []) cellFormats.set(r * 16_384 + c, fmt);

  plan.rows.forEach((row, r) => {
    const roleStyle = ROLE_STYLE[row.role];
    const xrow = ws.getRow(r + 1);
    row.cells.forEach((cell, c) => {
      const x = xrow.getCell(c + 1);
      const numFmt = cellFormats.get(r * 16_384 + c) ?? columns[c]?.numberFormat;
      if (roleStyle !== null || numFmt !== undefined) {
        x.style = { ...(roleStyle ?? {}), ...(numFmt !== undefined ? { numFmt } : {}) };
      }
      x.value = plannedValue(cell);
    });
  });
  // Formats of single cells beyond a row's planned cells (an empty input cell).
  for (const [r, c, fmt] of plan.cellFormats ?? []) {
    if (plan.rows[r]?.cells[c] === undefined) ws.getCell(r + 1, c + 1).numFmt = fmt;
  }

  if (plan.table && plan.table.r1 > plan.table.r0) {
    const t = plan.table;
    const header = plan.rows[t.r0]?.cells ?? [];
    const names = uniqueHeaders(Array.from({ length: t.c1 - t.c0 + 1 }, (_, k) => headerText(header[t.c0 + k]?.value)));
    let name = t.name;
    for (let n = 2; tables.has(name.toLowerCase()); n++) name = `${t.name}_${n}`;
    tables.add(name.toLowerCase());
    const rows: ExcelJS.CellValue[][] = [];
    for (let r = t.r0 + 1; r <= t.r1; r++) {
      const cells = plan.rows[r]?.cells ?? [];
      rows.push(Array.from({ length: t.c1 - t.c0 + 1 }, (_, k) => {
        const cell = cells[t.c0 + k];
        return cell === undefined ? null : plannedValue(cell);
      }));
    }
    // ExcelJS writes the header names and row values into the cells itself; they equal what is there.
    ws.addTable({
      name,
      ref: cellAddress(t.r0, t.c0),
      headerRow: true,
      totalsRow: false,
      style: { theme: 'TableStyleLight1', showRowStripes: true },
      columns: names.map((n) => ({ name: n, filterButton: true })),
      rows,
    });
  }

  if (plan.freeze && (plan.freeze.rows > 0 || plan.freeze.cols > 0)) {
    ws.views = [{ state: 'frozen', xSplit: plan.freeze.cols, ySplit: plan.freeze.rows, topLeftCell: cellAddress(plan.freeze.rows, plan.freeze.cols) }];
  }
  (plan.conditionals ?? []).forEach((cf, k) => addConditional(ws, cf, 2 * k + 1));
  for (const v of plan.validations ?? []) addValidation(ws, v);
  for (const m of plan.merges ?? []) mergeOrThrow(ws, m, true);
  if (plan.protection) {
    for (const u of plan.protection.unlocked) {
      for (let r = u.r0; r <= u.r1; r++) for (let c = u.c0; c <= u.c1; c++) ws.getCell(r + 1, c + 1).protection = { locked: false };
    }
    await ws.protect('', { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true });
  }
}

/** Display width of text: CJK and other wide characters count twice. */
function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += (ch.codePointAt(0) ?? 0) > 0x2e80 ? 2 : 1;
  return w;
}

function renderCopy(wb: ExcelJS.Workbook, copy: SheetCopy): void {
  const { grid } = copy;
  const ws = wb.addWorksheet(copy.name);
  const widths: number[] = [];
  grid.values.forEach((row, r) => {
    const xrow = ws.getRow(r + 1);
    const frow = grid.formulas?.[r];
    const nrow = grid.numberFormats?.[r];
    row.forEach((v, c) => {
      const formula = frow?.[c] ?? null;
      const fmt = nrow?.[c] ?? null;
      if (v === null && formula === null && fmt === null) return;
      const x = xrow.getCell(c + 1);
      if (fmt !== null) x.numFmt = fmt;
      x.value = formula !== null ? formulaValue(formula, v) : excelValue(v);
      const shown = v === null ? '' : isCellError(v) ? v.error : typeof v === 'number' ? String(Math.round(v * 100) / 100) : String(v);
      widths[c] = Math.max(widths[c] ?? 0, textWidth(shown));
    });
  });
  widths.forEach((w, c) => {
    if (w !== undefined) ws.getColumn(c + 1).width = Math.min(50, Math.max(8, w + 2));
  });
  for (const m of grid.merges ?? []) mergeOrThrow(ws, m, false);
  for (const u of copy.updates ?? []) {
    const at = parseCellAddress(u.cell);
    if (at === null) throw new XlsxPlanError(`${copy.name}: not a cell address: ${u.cell}`);
    const x = ws.getCell(at.row + 1, at.col + 1);
    x.value = excelValue(u.value);
    if (u.numberFormat !== undefined) x.numFmt = u.numberFormat;
  }
  for (const m of copy.marks ?? []) {
    const at = parseCellAddress(m.cell);
    if (at === null) continue;
    const x = ws.getCell(at.row + 1, at.col + 1);
    x.fill = solid(m.severity === 'error' ? COLORS.errorMark : COLORS.warningMark);
    const prev = typeof x.note === 'string' ? `${x.note}\n` : '';
    x.note = prev + m.message;
  }
}

/**
 * Writes an .xlsx: each plan rendered in full (values, formulas with cached results, row styles,
 * widths, number formats, frozen panes, a table, highlights, data validation, protection, merges),
 * then each copy of a school sheet (its values, its formulas only where it had formulas, formats,
 * merges) with its updates and marks applied. Throws {@link XlsxPlanError} for impossible plans.
 */
export async function writeXlsx(plans: readonly SheetPlan[], copies: readonly SheetCopy[] = [], options: WriteOptions = {}): Promise<Uint8Array> {
  const names = new Set<string>();
  const order = options.copiesFirst ? [...copies.map((c) => c.name), ...plans.map((p) => p.name)] : [...plans.map((p) => p.name), ...copies.map((c) => c.name)];
  for (const n of order) checkSheetName(n, names);

  const wb = new ExcelJS.Workbook();
  wb.creator = options.creator ?? 'Huizong';
  wb.calcProperties.fullCalcOnLoad = options.fullCalcOnLoad ?? true;
  const tables = new Set<string>();
  if (options.copiesFirst) for (const c of copies) renderCopy(wb, c);
  for (const p of plans) await renderPlan(wb, p, tables);
  if (!options.copiesFirst) for (const c of copies) renderCopy(wb, c);
  // A Node Buffer (or its browser polyfill) is a Uint8Array; hand back a plain one over the same memory.
  const out = (await wb.xlsx.writeBuffer()) as unknown as Uint8Array | ArrayBuffer;
  return out instanceof Uint8Array ? new Uint8Array(out.buffer, out.byteOffset, out.byteLength) : new Uint8Array(out);
}
