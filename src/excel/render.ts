/**
 * A sheet plan as Office.js calls on a worksheet: contents as whole 2-D arrays in row blocks,
 * then number formats, row styles, widths, merges, a table, frozen panes, conditional formats,
 * data validation and protection. Each call is an `Op` with its estimated size, so the writer
 * can spread a large sheet over several syncs.
 */
import { cellAddress, isCellError, type CellValue } from '../core/grid';
import type { Comparator } from '../core/types';
import type { ConditionalPlan, PlannedCell, RowRole, SheetPlan, ValidationPlan } from '../workbook/plan';
import { planWidth } from '../workbook/grid';
import { rectAddress } from './address';
import { WRITE_BLOCK_BYTES, cost, jsonBytes, op, type Op } from './chunk';

/** Colours shared with the .xlsx writer, as Office.js takes them. */
export const COLORS = {
  header: '#D9D9D9',
  subtotal: '#F2F2F2',
  total: '#E4E4E4',
  note: '#595959',
  goodFill: '#C6EFCE',
  goodFont: '#006100',
  badFill: '#FFC7CE',
  badFont: '#9C0006',
} as const;

/**
 * What to type into a cell so that Excel stores exactly `v`. Text gets a leading apostrophe, as
 * a person would type it: Excel then keeps it as text whatever it looks like (`=1+1`, `-5 学生`,
 * `@x`, `0012345678`, `1/2`, `TRUE`) and the apostrophe is not part of the value. An error value
 * is typed as itself (`#DIV/0!`), which Excel stores as that error.
 */
export function typedInput(v: CellValue | undefined): string | number | boolean {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? v : '';
  if (typeof v === 'boolean') return v;
  if (isCellError(v)) return v.error;
  return v === '' ? '' : `'${v}`;
}

/** What to send for a planned cell: its formula (with `=`), or its value typed as text-safe input. */
export function plannedInput(cell: PlannedCell | undefined): string | number | boolean {
  if (cell === undefined) return '';
  if (cell.formula !== undefined) return cell.formula.startsWith('=') ? cell.formula : `=${cell.formula}`;
  return typedInput(cell.value);
}

/** Excel column width in points for a width in characters (the unit plans and .xlsx files use). */
export function widthPoints(chars: number): number {
  return Math.round((chars * 7 + 5) * 0.75 * 100) / 100;
}

type RoleStyle = { bold?: boolean; italic?: boolean; size?: number; color?: string; fill?: string; wrap?: boolean; topBorder?: boolean };

const ROLE_STYLE: Record<RowRole, RoleStyle | null> = {
  title: { bold: true, size: 14 },
  note: { italic: true, color: COLORS.note },
  header: { bold: true, fill: COLORS.header, wrap: true },
  data: null,
  subtotal: { bold: true, fill: COLORS.subtotal },
  total: { bold: true, fill: COLORS.total, topBorder: true },
  blank: null,
};

function applyStyle(range: Excel.Range, s: RoleStyle): void {
  const f = range.format;
  if (s.bold !== undefined) f.font.bold = s.bold;
  if (s.italic !== undefined) f.font.italic = s.italic;
  if (s.size !== undefined) f.font.size = s.size;
  if (s.color !== undefined) f.font.color = s.color;
  if (s.fill !== undefined) f.fill.color = s.fill;
  if (s.wrap !== undefined) {
    f.wrapText = s.wrap;
    f.verticalAlignment = 'Center';
  }
  if (s.topBorder) f.borders.getItem('EdgeTop').style = 'Continuous';
}

const FORMULA_OP: Record<Comparator, string> = { '==': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

function numberText(n: number): string {
  return Number.isFinite(n) ? String(n) : '0';
}

/**
 * Green where the comparison holds, red where it does not: formula rules over the top-left cell
 * (relative, so each cell tests itself), as the .xlsx writer does. A `cellValue` rule would paint
 * blank and text cells red, since it counts a blank as 0.
 */
function addConditional(range: Excel.Range, p: ConditionalPlan): void {
  const tl = cellAddress(p.r0, p.c0);
  const test = `${tl}${FORMULA_OP[p.op]}${numberText(p.value)}`;
  const rule = (formula: string, fill: string, font: string): void => {
    const cf = range.conditionalFormats.add('Custom');
    cf.custom.rule.formula = formula;
    cf.custom.format.fill.color = fill;
    cf.custom.format.font.color = font;
  };
  rule(`=AND(ISNUMBER(${tl}),NOT(${test}))`, COLORS.badFill, COLORS.badFont);
  rule(`=AND(ISNUMBER(${tl}),${test})`, COLORS.goodFill, COLORS.goodFont);
}

/** Excel refuses prompt and alert texts over 255 characters. */
function clip(s: string | undefined, max = 255): string {
  if (s === undefined) return '';
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function validationRule(v: ValidationPlan): Excel.DataValidationRule {
  let basic: Excel.BasicDataValidation;
  if (v.min !== undefined && v.max !== undefined) basic = { operator: 'Between', formula1: v.min, formula2: v.max };
  else if (v.min !== undefined) basic = { operator: 'GreaterThanOrEqualTo', formula1: v.min };
  else if (v.max !== undefined) basic = { operator: 'LessThanOrEqualTo', formula1: v.max };
  // No bounds: still a number.
  else basic = { operator: 'Between', formula1: -9.99e307, formula2: 9.99e307 };
  return v.type === 'whole' ? { wholeNumber: basic } : { decimal: basic };
}

function addValidation(range: Excel.Range, v: ValidationPlan): void {
  range.dataValidation.rule = validationRule(v);
  if (v.prompt !== undefined) range.dataValidation.prompt = { showPrompt: true, message: clip(v.prompt), title: '' };
  range.dataValidation.errorAlert = { showAlert: true, style: 'Stop', message: clip(v.error), title: '' };
}

/** Options for `planOps`. */
export interface RenderOptions {
  /** The name the plan's table gets for now (it is renamed when the sheet is swapped in). */
  readonly tableName?: string;
  /** Whether the host has `Range.dataValidation` (ExcelApi 1.8); without it validation is left out. */
  readonly dataValidation: boolean;
  /** Whether the host has `Worksheet.pageLayout` (ExcelApi 1.9); without it the sheet prints with Excel's defaults. */
  readonly pageLayout?: boolean;
}

/** The number formats of a plan's cells: the column's, overridden by `cellFormats`; null where none. */
function formatGrid(plan: SheetPlan, width: number): { rows: (string | null)[][]; any: boolean[] } {
  const rows: (string | null)[][] = [];
  const any: boolean[] = [];
  const colFormat: (string | null)[] = [];
  for (let c = 0; c < width; c++) colFormat.push(plan.columns?.[c]?.numberFormat ?? null);
  const colAny = colFormat.some((f) => f !== null);
  for (let r = 0; r < plan.rows.length; r++) {
    rows.push([...colFormat]);
    any.push(colAny);
  }
  for (const [r, c, fmt] of plan.cellFormats ?? []) {
    const row = rows[r];
    if (row === undefined || c >= width) continue;
    row[c] = fmt;
    any[r] = true;
  }
  return { rows, any };
}

/** Excel's tallest row, in points. */
const MAX_ROW_POINTS = 409;

/** Runs of consecutive rows for which `key` gives the same defined value: one call each. */
function runsOf<T>(count: number, key: (r: number) => T | undefined): { r0: number; r1: number; key: T }[] {
  const runs: { r0: number; r1: number; key: T }[] = [];
  for (let r = 0; r < count; ) {
    const k = key(r);
    let end = r;
    while (end + 1 < count && key(end + 1) === k) end++;
    if (k !== undefined) runs.push({ r0: r, r1: end, key: k });
    r = end + 1;
  }
  return runs;
}

/**
 * Row heights (rows of wrapped text that must show whole), a row's alignment and wrapping, and a column's
 * wrapping over its data rows, as the .xlsx writer sets them. Header rows wrap by their role's style.
 */
function rowLookOps(sheet: () => Excel.Worksheet, plan: SheetPlan, width: number): Op[] {
  const ops: Op[] = [];
  const rows = plan.rows;
  const across = (r0: number, r1: number, c0 = 0, c1 = width - 1): string => rectAddress({ r0, c0, r1, c1 });
  const heightOf = (r: number): number | undefined => {
    const h = rows[r]!.height;
    return h !== undefined && Number.isFinite(h) && h > 0 ? Math.min(MAX_ROW_POINTS, Math.round(h * 4) / 4) : undefined;
  };
  for (const run of runsOf(rows.length, heightOf)) {
    const address = across(run.r0, run.r1);
    ops.push(op(cost(1, 0), () => (sheet().getRange(address).format.rowHeight = run.key)));
  }
  const alignOf = (r: number): 'Center' | 'Right' | undefined => (rows[r]!.align === 'center' ? 'Center' : rows[r]!.align === 'right' ? 'Right' : undefined);
  for (const run of runsOf(rows.length, alignOf)) {
    const address = across(run.r0, run.r1);
    ops.push(op(cost(1, 0), () => (sheet().getRange(address).format.horizontalAlignment = run.key)));
  }
  const wrapped = (address: string): Op =>
    op(cost(2, 0), () => {
      const f = sheet().getRange(address).format;
      f.wrapText = true;
      f.verticalAlignment = 'Center';
    });
  for (const run of runsOf(rows.length, (r) => (rows[r]!.wrap === true ? true : undefined))) ops.push(wrapped(across(run.r0, run.r1)));
  // A column's wrapping applies to its data rows (and subtotals and totals); titles and notes run on.
  const body = (r: number): true | undefined => (['data', 'subtotal', 'total'].includes(rows[r]!.role) && rows[r]!.wrap !== true ? true : undefined);
  (plan.columns ?? []).forEach((col, c) => {
    if (col.wrap !== true || c >= width) return;
    for (const run of runsOf(rows.length, body)) ops.push(wrapped(across(run.r0, run.r1, c, c)));
  });
  // A column's alignment, over its data rows that have none of their own.
  (plan.columns ?? []).forEach((col, c) => {
    if (col.align === undefined || c >= width) return;
    const to = col.align === 'center' ? 'Center' : 'Right';
    for (const run of runsOf(rows.length, (r) => (['data', 'subtotal', 'total'].includes(rows[r]!.role) && rows[r]!.align === undefined ? true : undefined))) {
      const address = across(run.r0, run.r1, c, c);
      ops.push(op(cost(1, 0), () => (sheet().getRange(address).format.horizontalAlignment = to)));
    }
  });
  return ops;
}

/** Points in an inch, the unit `PageLayout`'s margins take. */
const POINTS_PER_INCH = 72;

/** The page setup of `print` on a sheet's page layout (ExcelApi 1.9): A4, orientation, size, margins, centring, repeated rows and columns, footers. */
function setPageLayout(layout: Excel.PageLayout, print: NonNullable<SheetPlan['print']>): void {
  layout.paperSize = 'A4';
  layout.orientation = print.landscape ? 'Landscape' : 'Portrait';
  if (print.fitToWidth) layout.zoom = { horizontalFitToPages: 1 };
  else if (print.scale !== undefined && Number.isFinite(print.scale)) layout.zoom = { scale: Math.round(Math.min(400, Math.max(10, print.scale))) };
  else layout.zoom = { scale: 100 };
  const m = print.margins;
  if (m !== undefined) {
    const points = (inches: number, fallback: number): number => Math.round(Math.max(0, Math.min(5, Number.isFinite(inches) ? inches : fallback)) * POINTS_PER_INCH * 100) / 100;
    layout.leftMargin = points(m.left, 0.7);
    layout.rightMargin = points(m.right, 0.7);
    layout.topMargin = points(m.top, 0.75);
    layout.bottomMargin = points(m.bottom, 0.75);
    // The header and footer sit halfway into the top and bottom margins, at most 0.3 inch from the edge (as in the .xlsx).
    layout.headerMargin = points(Math.min(0.3, m.top / 2), 0.3);
    layout.footerMargin = points(Math.min(0.3, m.bottom / 2), 0.3);
  }
  if (print.center === true) layout.centerHorizontally = true;
  if (print.repeatRows !== undefined) layout.setPrintTitleRows(`$${print.repeatRows.r0 + 1}:$${print.repeatRows.r1 + 1}`);
  if (print.repeatCols !== undefined) {
    const letters = (c: number): string => cellAddress(0, c).replace(/\d+$/, '');
    layout.setPrintTitleColumns(`$${letters(print.repeatCols.c0)}:$${letters(print.repeatCols.c1)}`);
  }
  // `&` starts a code in a header or footer: a literal one is doubled.
  const footer = layout.headersFooters.defaultForAllPages;
  if (print.footer !== undefined && print.footer !== '') footer.leftFooter = print.footer.replace(/&/g, '&&');
  footer.centerFooter = '&P / &N';
}

/**
 * The calls that write `plan` onto the worksheet `sheet()` returns (a fresh sheet): contents
 * first, then number formats (so that a formula in a text-formatted column stays a formula),
 * then styles, merges, the table and the rest. `sheet` is called when an op runs, after the op
 * that creates the sheet. Frozen panes are a `late` op, for when the sheet is visible.
 */
export function planOps(sheet: () => Excel.Worksheet, plan: SheetPlan, options: RenderOptions): Op[] {
  const ops: Op[] = [];
  const width = planWidth(plan);
  const height = plan.rows.length;
  if (width > 0 && height > 0) {
    const formats = formatGrid(plan, width);
    let r0 = 0;
    let block: (string | number | boolean)[][] = [];
    let blockFormats: (string | null)[][] = [];
    let bytes = 0;
    let hasFormula = false;
    let hasFormat = false;
    const flush = (r1: number): void => {
      if (block.length === 0) return;
      const values = block;
      const fmts = hasFormat ? blockFormats : null;
      const formula = hasFormula;
      const address = rectAddress({ r0, c0: 0, r1, c1: width - 1 });
      ops.push(
        op(bytes + (fmts === null ? 0 : jsonBytes(fmts)), () => {
          const range = sheet().getRange(address);
          if (formula) range.formulas = values;
          else range.values = values;
          if (fmts !== null) range.numberFormat = fmts;
        }),
      );
      r0 = r1 + 1;
      block = [];
      blockFormats = [];
      bytes = 0;
      hasFormula = false;
      hasFormat = false;
    };
    plan.rows.forEach((row, r) => {
      const inputs: (string | number | boolean)[] = [];
      for (let c = 0; c < width; c++) {
        const cell = row.cells[c];
        if (cell?.formula !== undefined) hasFormula = true;
        inputs.push(plannedInput(cell));
      }
      const rowBytes = jsonBytes(inputs);
      if (block.length > 0 && bytes + rowBytes > WRITE_BLOCK_BYTES) flush(r - 1);
      block.push(inputs);
      blockFormats.push(formats.rows[r]!);
      if (formats.any[r]) hasFormat = true;
      bytes += rowBytes + 1;
    });
    flush(height - 1);

    // Rows of one role next to each other share one call.
    for (let r = 0; r < height; ) {
      const role = plan.rows[r]!.role;
      let end = r;
      while (end + 1 < height && plan.rows[end + 1]!.role === role) end++;
      const style = ROLE_STYLE[role];
      if (style !== null) {
        const address = rectAddress({ r0: r, c0: 0, r1: end, c1: width - 1 });
        // Each style setting reaches its own part of the range's format.
        ops.push(op(jsonBytes(style) + cost(8, 8), () => applyStyle(sheet().getRange(address), style)));
      }
      r = end + 1;
    }
    ops.push(...rowLookOps(sheet, plan, width));
  }

  (plan.columns ?? []).forEach((col, c) => {
    if (col.width === undefined) return;
    const letters = cellAddress(0, c).replace(/\d+$/, '');
    const points = widthPoints(col.width);
    ops.push(op(cost(1, 0), () => (sheet().getRange(`${letters}:${letters}`).format.columnWidth = points)));
  });
  (plan.columns ?? []).forEach((col, c) => {
    if (col.hidden !== true) return;
    const letters = cellAddress(0, c).replace(/\d+$/, '');
    ops.push(op(cost(1, 0), () => (sheet().getRange(`${letters}:${letters}`).columnHidden = true)));
  });
  for (const m of plan.merges ?? []) {
    const address = rectAddress(m);
    ops.push(op(32, () => sheet().getRange(address).merge(false)));
  }
  const table = plan.table;
  if (table !== undefined) {
    const address = rectAddress(table);
    const name = options.tableName ?? table.name;
    ops.push(
      op(cost(2, 1), () => {
        const t = sheet().tables.add(sheet().getRange(address), true);
        t.name = name;
      }),
    );
  }
  const freeze = plan.freeze;
  if (freeze !== undefined && (freeze.rows > 0 || freeze.cols > 0)) {
    ops.push(
      op(32, () => {
        const panes = sheet().freezePanes;
        if (freeze.rows > 0 && freeze.cols > 0) panes.freezeAt(sheet().getRange(rectAddress({ r0: 0, c0: 0, r1: freeze.rows - 1, c1: freeze.cols - 1 })));
        else if (freeze.rows > 0) panes.freezeRows(freeze.rows);
        else panes.freezeColumns(freeze.cols);
      }, true),
    );
  }
  for (const cf of plan.conditionals ?? []) {
    const address = rectAddress(cf);
    ops.push(op(400 + cost(14, 6), () => addConditional(sheet().getRange(address), cf)));
  }
  for (const h of plan.highlights ?? []) {
    const address = rectAddress(h);
    const formula = h.formula.startsWith('=') ? h.formula : `=${h.formula}`;
    ops.push(
      op(jsonBytes(formula) + cost(6, 3), () => {
        const cf = sheet().getRange(address).conditionalFormats.add('Custom');
        cf.custom.rule.formula = formula;
        cf.custom.format.fill.color = COLORS.badFill;
        cf.custom.format.font.color = COLORS.badFont;
      }),
    );
  }
  if (options.dataValidation) {
    for (const v of plan.validations ?? []) {
      const address = rectAddress(v);
      ops.push(op(jsonBytes(v) + cost(1, 2), () => addValidation(sheet().getRange(address), v)));
    }
  }
  // How the sheet prints (ExcelApi 1.9): as the .xlsx writer sets it, before any protection.
  const print = plan.print;
  if (print !== undefined && options.pageLayout === true) ops.push(op(512 + jsonBytes(print.footer ?? ''), () => setPageLayout(sheet().pageLayout, print)));
  const protection = plan.protection;
  if (protection !== undefined) {
    for (const u of protection.unlocked) {
      const address = rectAddress(u);
      ops.push(op(cost(2, 0), () => (sheet().getRange(address).format.protection.locked = false)));
    }
    for (const h of protection.hiddenFormulas ?? []) {
      const address = rectAddress(h);
      ops.push(op(cost(2, 0), () => (sheet().getRange(address).format.protection.formulaHidden = true)));
    }
    // Late: the sheet is protected in the write's last sync, after everything else is written into it.
    ops.push(op(128, () => sheet().protection.protect({ allowFormatColumns: true, allowFormatRows: true }), true));
  }
  return ops;
}
