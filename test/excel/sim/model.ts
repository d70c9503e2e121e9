/**
 * The simulator's workbook as plain data (so a sync can be rolled back with `structuredClone`),
 * Excel's typed-input rules, and a deep snapshot for comparing a workbook before and after.
 */
import type { CellValue, SheetGrid } from '../../../src/core/grid';
import { MAX_COLS, a1, rectAddress, type Rect } from './address';

/** One cell's content and format. `formula` holds the leading `=`; `error` marks an error value. */
export interface Cell {
  value?: string | number | boolean;
  error?: string;
  formula?: string;
  numberFormat?: string;
  fill?: string;
  bold?: boolean;
  italic?: boolean;
  fontSize?: number;
  fontColor?: string;
  wrap?: boolean;
  vAlign?: string;
  hAlign?: string;
  borderTop?: string;
  /** Cells are locked unless unlocked (what protection leaves open). */
  unlocked?: boolean;
  /** The formula text is hidden while the sheet is protected (`format.protection.formulaHidden`). */
  formulaHidden?: boolean;
}

/** A conditional format as added through the API. */
export interface CondFormat {
  rect: Rect;
  type: string;
  formula?: string;
  fill?: string;
  fontColor?: string;
}

/** A data-validation rule on a range. */
export interface Validation {
  rect: Rect;
  rule?: unknown;
  prompt?: unknown;
  errorAlert?: unknown;
}

/** A chart as the API drew it. */
export interface ChartModel {
  id: number;
  type: string;
  source: Rect;
  seriesBy: string;
  title?: string;
  legend?: string;
  seriesTypes: Record<number, string>;
  position?: [string, string | undefined];
}

/** One worksheet. */
export interface SheetModel {
  id: string;
  name: string;
  visibility: 'Visible' | 'Hidden' | 'VeryHidden';
  cells: Map<number, Cell>;
  merges: Rect[];
  tables: { id: number; name: string; rect: Rect }[];
  conditionalFormats: CondFormat[];
  validations: Validation[];
  charts: ChartModel[];
  freeze: { rows: number; cols: number } | null;
  protected: boolean;
  /** With `protected`: what the protection still allows (Office.js `WorksheetProtectionOptions`), and its password. */
  protection: { options: ProtectionOptions; password: string | null };
  columnWidths: Map<number, number>;
  /** Columns hidden through `Range.columnHidden`. */
  hiddenColumns: Set<number>;
  /** Row heights in points set through `RangeFormat.rowHeight`. */
  rowHeights: Map<number, number>;
  /** The page layout set through the API (ExcelApi 1.9). */
  print: PrintModel;
}

/** A sheet's page layout as set through `Worksheet.pageLayout` (ExcelApi 1.9): margins in points. */
export interface PrintModel {
  orientation?: string;
  paperSize?: string;
  zoom?: Record<string, number>;
  titleRows?: string;
  titleColumns?: string;
  leftMargin?: number;
  rightMargin?: number;
  topMargin?: number;
  bottomMargin?: number;
  headerMargin?: number;
  footerMargin?: number;
  centerHorizontally?: boolean;
  leftFooter?: string;
  centerFooter?: string;
}

/** What a protected sheet still allows; everything absent is refused. */
export type ProtectionOptions = Partial<
  Record<
    | 'allowAutoFilter'
    | 'allowDeleteColumns'
    | 'allowDeleteRows'
    | 'allowEditObjects'
    | 'allowEditScenarios'
    | 'allowFormatCells'
    | 'allowFormatColumns'
    | 'allowFormatRows'
    | 'allowInsertColumns'
    | 'allowInsertHyperlinks'
    | 'allowInsertRows'
    | 'allowPivotTables'
    | 'allowSort',
    boolean
  >
>;

/** The whole workbook. */
export interface WorkbookModel {
  sheets: SheetModel[];
  notes: { sheetId: string; r: number; c: number; content: string }[];
  comments: { id: string; sheetId: string; r: number; c: number; content: string }[];
  settings: Map<string, unknown>;
  activeSheetId: string | null;
  selection: { sheetId: string; rect: Rect } | null;
  nextId: number;
}

/** An empty workbook with one sheet, as Excel makes one. */
export function newWorkbook(): WorkbookModel {
  const wb: WorkbookModel = { sheets: [], notes: [], comments: [], settings: new Map(), activeSheetId: null, selection: null, nextId: 1 };
  return wb;
}

/** A new, empty sheet (not yet in the workbook). */
export function newSheet(wb: WorkbookModel, name: string): SheetModel {
  return {
    id: `{SHEET-${wb.nextId++}}`,
    name,
    visibility: 'Visible',
    cells: new Map(),
    merges: [],
    tables: [],
    conditionalFormats: [],
    validations: [],
    charts: [],
    freeze: null,
    protected: false,
    protection: { options: {}, password: null },
    columnWidths: new Map(),
    hiddenColumns: new Set(),
    rowHeights: new Map(),
    print: {},
  };
}

/** The key of a cell in `SheetModel.cells`. */
export function cellKey(r: number, c: number): number {
  return r * MAX_COLS + c;
}

/** The cell at (r, c), created when `create`. */
export function cellAt(sheet: SheetModel, r: number, c: number, create: true): Cell;
export function cellAt(sheet: SheetModel, r: number, c: number, create?: false): Cell | undefined;
export function cellAt(sheet: SheetModel, r: number, c: number, create = false): Cell | undefined {
  const k = cellKey(r, c);
  let cell = sheet.cells.get(k);
  if (cell === undefined && create) {
    cell = {};
    sheet.cells.set(k, cell);
  }
  return cell;
}

/** Drops a cell that holds nothing at all. */
export function tidy(sheet: SheetModel, r: number, c: number): void {
  const k = cellKey(r, c);
  const cell = sheet.cells.get(k);
  if (cell !== undefined && Object.values(cell).every((v) => v === undefined)) sheet.cells.delete(k);
}

/** Whether a cell holds a value or a formula. */
export function hasContent(cell: Cell | undefined): boolean {
  return cell !== undefined && (cell.value !== undefined || cell.error !== undefined || cell.formula !== undefined);
}

/** Excel's error values. */
export const ERROR_VALUES = new Set(['#N/A', '#REF!', '#NAME?', '#DIV/0!', '#NULL!', '#VALUE!', '#NUM!', '#SPILL!', '#CALC!']);

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const PERCENT = /^[+-]?(\d+(\.\d*)?|\.\d+)%$/;

function clearContent(cell: Cell): void {
  delete cell.value;
  delete cell.error;
  delete cell.formula;
}

/**
 * What Excel stores when `input` is typed into a cell (the `values` and `formulas` setters
 * behave as typing): null changes nothing, `''` clears; in a text-formatted (`@`) cell a string
 * is stored as it is; otherwise a leading apostrophe makes the rest text, a string starting with
 * `=`, `+`, `-` or `@` becomes a formula, numbers, percentages, TRUE/FALSE and error literals are
 * converted, and anything else is text.
 */
export function typeInto(cell: Cell, input: unknown): void {
  if (input === null || input === undefined) return;
  if (typeof input === 'number') {
    clearContent(cell);
    if (Number.isFinite(input)) cell.value = input;
    else throw new TypeError('not a finite number');
    return;
  }
  if (typeof input === 'boolean') {
    clearContent(cell);
    cell.value = input;
    return;
  }
  const s = String(input);
  clearContent(cell);
  if (s === '') return;
  if (cell.numberFormat === '@') {
    cell.value = s;
    return;
  }
  if (s.startsWith("'")) {
    if (s.length > 1) cell.value = s.slice(1);
    return;
  }
  if (s.length > 1 && /^[=+\-@]/.test(s)) {
    cell.formula = s.startsWith('=') ? s : `=${s}`;
    cell.value = evaluateSimple(cell.formula);
    if (cell.value === undefined) {
      delete cell.value;
      cell.error = '#NAME?';
    }
    return;
  }
  const t = s.trim();
  if (NUMBER.test(t)) {
    cell.value = Number(t);
    return;
  }
  if (PERCENT.test(t)) {
    cell.value = Number(t.slice(0, -1)) / 100;
    cell.numberFormat ??= '0%';
    return;
  }
  if (/^(true|false)$/i.test(t)) {
    cell.value = t.toLowerCase() === 'true';
    return;
  }
  if (ERROR_VALUES.has(t.toUpperCase())) {
    cell.error = t.toUpperCase();
    return;
  }
  cell.value = s;
}

/** The value of a formula made only of numbers and + - * /: enough to tell `=1+1` (2) from text. */
function evaluateSimple(formula: string): number | undefined {
  const body = formula.slice(1).replace(/\s+/g, '');
  if (!/^[-+*/.\d()eE]+$/.test(body)) return undefined;
  let i = 0;
  const num = (): number => {
    if (body[i] === '(') {
      i++;
      const v = expr();
      i++;
      return v;
    }
    if (body[i] === '-' || body[i] === '+') {
      const sign = body[i++] === '-' ? -1 : 1;
      return sign * num();
    }
    const m = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(body.slice(i));
    if (!m) throw new Error('bad');
    i += m[0].length;
    return Number(m[0]);
  };
  const term = (): number => {
    let v = num();
    while (body[i] === '*' || body[i] === '/') v = body[i++] === '*' ? v * num() : v / num();
    return v;
  };
  const expr = (): number => {
    let v = term();
    while (body[i] === '+' || body[i] === '-') v = body[i++] === '+' ? v + term() : v - term();
    return v;
  };
  try {
    const v = expr();
    return i === body.length && Number.isFinite(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** A core grid cell value for a model cell. */
export function gridValue(cell: Cell | undefined): CellValue {
  if (cell === undefined) return null;
  if (cell.error !== undefined) return { error: cell.error };
  return cell.value ?? null;
}

/** Puts a core grid into a sheet as a file would hold it: values, cached results with formulas, formats, merges. */
export function fillFromGrid(sheet: SheetModel, grid: SheetGrid): void {
  grid.values.forEach((row, r) => {
    row.forEach((v, c) => {
      const formula = grid.formulas?.[r]?.[c] ?? null;
      const fmt = grid.numberFormats?.[r]?.[c] ?? null;
      if (v === null && formula === null && fmt === null) return;
      const cell = cellAt(sheet, r, c, true);
      if (fmt !== null && fmt !== 'General') cell.numberFormat = fmt;
      if (formula !== null) cell.formula = formula.startsWith('=') ? formula : `=${formula}`;
      if (v !== null) {
        if (typeof v === 'object') cell.error = v.error;
        else cell.value = v;
      }
    });
  });
  for (const m of grid.merges ?? []) sheet.merges.push({ ...m });
}

/** The used rectangle: cells with content (`valuesOnly`) or with anything at all. */
export function usedRect(sheet: SheetModel, valuesOnly: boolean): Rect | null {
  let r0 = Infinity;
  let c0 = Infinity;
  let r1 = -1;
  let c1 = -1;
  for (const [k, cell] of sheet.cells) {
    if (valuesOnly ? !hasContent(cell) : Object.values(cell).every((v) => v === undefined)) continue;
    const r = Math.floor(k / MAX_COLS);
    const c = k % MAX_COLS;
    r0 = Math.min(r0, r);
    c0 = Math.min(c0, c);
    r1 = Math.max(r1, r);
    c1 = Math.max(c1, c);
  }
  return r1 < 0 ? null : { r0, c0, r1, c1 };
}

/** Everything about the workbook that a person could see or a later run could read, without internal ids. */
export function snapshot(wb: WorkbookModel): unknown {
  const nameOf = (id: string): string => wb.sheets.find((s) => s.id === id)?.name ?? `?${id}`;
  return {
    sheets: wb.sheets.map((s) => ({
      name: s.name,
      visibility: s.visibility,
      cells: [...s.cells.entries()].sort((a, b) => a[0] - b[0]).map(([k, cell]) => [a1(Math.floor(k / MAX_COLS), k % MAX_COLS), { ...cell }]),
      merges: s.merges.map(rectAddress).sort(),
      tables: s.tables.map((t) => [t.name, rectAddress(t.rect)]),
      conditionalFormats: s.conditionalFormats.map((c) => ({ ...c, rect: rectAddress(c.rect) })),
      validations: s.validations.map((v) => ({ ...v, rect: rectAddress(v.rect) })),
      charts: s.charts.map((c) => ({ ...c, id: undefined, source: rectAddress(c.source) })),
      freeze: s.freeze,
      protected: s.protected,
      protection: s.protected ? { options: { ...s.protection.options }, password: s.protection.password !== null } : null,
      columnWidths: [...s.columnWidths.entries()].sort((a, b) => a[0] - b[0]),
      hiddenColumns: [...s.hiddenColumns].sort((a, b) => a - b),
      rowHeights: [...s.rowHeights.entries()].sort((a, b) => a[0] - b[0]),
      print: { ...s.print },
    })),
    notes: wb.notes.map((n) => [nameOf(n.sheetId), a1(n.r, n.c), n.content]).sort(),
    comments: wb.comments.map((c) => [nameOf(c.sheetId), a1(c.r, c.c), c.content]).sort(),
    settings: [...wb.settings.entries()].sort(),
    active: wb.activeSheetId === null ? null : nameOf(wb.activeSheetId),
  };
}
