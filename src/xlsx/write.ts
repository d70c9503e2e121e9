/**
 * Renders sheet plans into .xlsx bytes with ExcelJS, then adds copies of school sheets to the
 * package directly (see `copies.ts`).
 *
 * ExcelJS is imported on first use, `import('exceljs')`: Node and vitest load the package's CommonJS
 * `main`, and webpack for the browser follows its `browser` field to the prebuilt
 * `dist/exceljs.min.js`, which needs no Node polyfills. Webpack keeps it in the same bundle
 * (`eager`), but evaluates it only when a workbook is written, so reading (and reader threads)
 * never pay for loading it.
 *
 * Text is always written as text: a planned value `"=SUM(A1)"` becomes a string cell. Only a
 * planned `formula` (or a formula the copied sheet had) becomes a formula, with its cached result.
 */
import type * as ExcelJS from 'exceljs';
import { unzipSync, zipSync } from 'fflate';
import type { CellValue } from '../core/grid';
import { cellAddress, isCellError } from '../core/grid';
import type { Comparator } from '../core/types';
import { uniqueHeaders } from '../workbook/names';
import type { ConditionalPlan, PlannedCell, RowRole, SheetPlan, ValidationPlan } from '../workbook/plan';
import { appendCopies, XlsxPlanError, type SheetCopy } from './copies';

export { XlsxPlanError, type SheetCopy } from './copies';

/** Options for {@link writeXlsx}. */
export interface WriteOptions {
  /** Put the copies before the planned sheets (default: after). */
  readonly copiesFirst?: boolean;
  /** Ask the opening application to recalculate every formula (default true). */
  readonly fullCalcOnLoad?: boolean;
  /** Workbook author shown in the file properties (default `Huizong`). */
  readonly creator?: string;
  /**
   * Zips the package's parts (name → bytes, in order). The default is fflate's, which runs
   * anywhere; the command passes Node's native zlib.
   */
  readonly zip?: (files: Record<string, Uint8Array>) => Uint8Array;
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

  // One style object per role and format: ExcelJS finds the style of an object it has seen at once.
  const styles = new Map<string, Partial<ExcelJS.Style>>();
  plan.rows.forEach((row, r) => {
    const roleStyle = ROLE_STYLE[row.role];
    const xrow = ws.getRow(r + 1);
    row.cells.forEach((cell, c) => {
      const x = xrow.getCell(c + 1);
      const numFmt = cellFormats.get(r * 16_384 + c) ?? columns[c]?.numberFormat;
      if (roleStyle !== null || numFmt !== undefined) {
        const key = `${row.role}\u0000${numFmt ?? ''}`;
        let style = styles.get(key);
        if (style === undefined) {
          style = { ...(roleStyle ?? {}), ...(numFmt !== undefined ? { numFmt } : {}) };
          styles.set(key, style);
        }
        x.style = style;
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

  if (plan.print) {
    const pr = plan.print;
    ws.pageSetup = {
      ...ws.pageSetup,
      orientation: pr.landscape ? 'landscape' : 'portrait',
      paperSize: 9, // A4
      ...(pr.fitToWidth ? { fitToPage: true, fitToWidth: 1, fitToHeight: 0 } : {}),
      ...(pr.repeatRows ? { printTitlesRow: `${pr.repeatRows.r0 + 1}:${pr.repeatRows.r1 + 1}` } : {}),
    };
    // `&` starts a code in a header or footer: a literal one is doubled. Page numbers need no words.
    ws.headerFooter = { oddFooter: `${pr.footer ? `&L${pr.footer.replace(/&/g, '&&')}` : ''}&C&P / &N` };
  }
  if (plan.freeze && (plan.freeze.rows > 0 || plan.freeze.cols > 0)) {
    ws.views = [{ state: 'frozen', xSplit: plan.freeze.cols, ySplit: plan.freeze.rows, topLeftCell: cellAddress(plan.freeze.rows, plan.freeze.cols) }];
  }
  (plan.conditionals ?? []).forEach((cf, k) => addConditional(ws, cf, 2 * k + 1));
  for (const v of plan.validations ?? []) addValidation(ws, v);
  for (const m of plan.merges ?? []) mergeOrThrow(ws, m, true);
  if (plan.protection) {
    for (const u of plan.protection.unlocked) {
      for (let r = u.r0; r <= u.r1; r++) {
        for (let c = u.c0; c <= u.c1; c++) {
          // A new object: the cell's style may be shared with other cells.
          const x = ws.getCell(r + 1, c + 1);
          x.style = { ...x.style, protection: { locked: false } };
        }
      }
    }
    await ws.protect('', { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true });
  }
}

/** ExcelJS itself, loaded once, on first use. */
async function loadExcelJS(): Promise<typeof ExcelJS> {
  const m = (await import(/* webpackMode: "eager" */ 'exceljs')) as typeof ExcelJS & { default?: typeof ExcelJS };
  return m.default ?? m;
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

  const { Workbook } = await loadExcelJS();
  const wb = new Workbook();
  wb.creator = options.creator ?? 'Huizong';
  wb.calcProperties.fullCalcOnLoad = options.fullCalcOnLoad ?? true;
  const tables = new Set<string>();
  for (const p of plans) await renderPlan(wb, p, tables);
  // Stored, not deflated: the package is opened again here, the copies added, and compressed once.
  const out = (await wb.xlsx.writeBuffer({ zip: { compression: 'STORE' } })) as unknown as Uint8Array | ArrayBuffer;
  const files = unzipSync(out instanceof Uint8Array ? out : new Uint8Array(out));
  appendCopies(files, copies, options.copiesFirst === true);
  return options.zip ? options.zip(files) : zipSync(files, { level: 4 });
}
