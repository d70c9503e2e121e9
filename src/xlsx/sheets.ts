/**
 * Sheet plans written straight into an .xlsx package as SpreadsheetML: a worksheet part per plan
 * (and per copy of a school sheet, see `copies.ts`), the shared strings, the styles, a table part per
 * planned table, and the workbook, its relationships, content types and properties around them. Each sheet is built as strings row by
 * row, never as an object per cell, so a province's summary of 20,000 schools takes the memory of
 * its XML text and no more. Elements come in the order the schema (ECMA-376 Part 1, §18) requires,
 * which Excel checks and other readers forgive.
 *
 * Text is always written as text (a shared string): a planned value `"=SUM(A1)"` stays a string.
 * Only a planned `formula` becomes a formula, with its cached result.
 */
import type { CellValue } from '../core/grid';
import { cellAddress, columnLetters, isCellError, SHEET_COLUMNS, SHEET_ROWS } from '../core/grid';
import type { Comparator } from '../core/types';
import { uniqueHeaders } from '../workbook/names';
import type { ConditionalPlan, HighlightPlan, PlannedCell, PlannedRow, PrintPlan, RowRole, SheetPlan, ValidationPlan } from '../workbook/plan';
import { copyParts, type SheetCopy } from './copies';
import { BUILTIN_IDS, NS, StringTable, TYPES, XML_HEAD, XlsxPlanError, cellXml, pageMarginsXml, pageSetupXml, storable, tElement, xmlEscape } from './xmlParts';

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

/** How a row's cells look: font, fill, top border, alignment. */
interface RoleLook {
  readonly font?: string;
  readonly fill?: string;
  readonly topBorder?: boolean;
  readonly wrap?: boolean;
}

/** A cell's alignment beyond its row role's: wrapped text (a column's), a horizontal alignment (a row's). */
interface CellLayout {
  readonly wrap?: boolean;
  readonly align?: 'center' | 'right';
}

// Font elements in the schema's order (b, i, sz, color, name, family).
const BASE_FONT = '<sz val="11"/><name val="Calibri"/><family val="2"/>';
const ROLE_LOOK: Readonly<Record<RowRole, RoleLook | null>> = {
  title: { font: `<b/><sz val="14"/><name val="Calibri"/><family val="2"/>` },
  note: { font: `<i/><sz val="11"/><color rgb="${COLORS.note}"/><name val="Calibri"/><family val="2"/>` },
  header: { font: `<b/>${BASE_FONT}`, fill: COLORS.header, wrap: true },
  data: null,
  subtotal: { font: `<b/>${BASE_FONT}`, fill: COLORS.subtotal },
  total: { font: `<b/>${BASE_FONT}`, fill: COLORS.total, topBorder: true },
  blank: null,
};

/**
 * The package's cell formats (`cellXfs`) and what they refer to: fonts, fills, borders and custom
 * number formats, each written once; the two differential formats of the highlights.
 */
class PlanStyles {
  private readonly fonts = [BASE_FONT];
  private readonly fills: string[] = [];
  private readonly numFmts = new Map<string, number>();
  private readonly xfs: string[] = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'];
  private readonly xfByKey = new Map<string, number>();

  /**
   * The `s` index of a cell of this row role, number format and lock; `fill` (a colour) is a school
   * sheet's marked cell, over the role's own fill.
   */
  id(role: RowRole | null, numFmt: string | undefined, unlocked: boolean, fill?: string, layout?: CellLayout, formulaHidden = false): number {
    const look = role === null ? null : ROLE_LOOK[role];
    const wrap = look?.wrap === true || layout?.wrap === true;
    const align = layout?.align;
    if (look === null && numFmt === undefined && !unlocked && !formulaHidden && fill === undefined && !wrap && align === undefined) return 0;
    const key = `${look === null ? '' : role}\u0000${numFmt ?? ''}\u0000${unlocked ? 1 : formulaHidden ? 2 : 0}\u0000${fill ?? ''}\u0000${wrap ? 1 : 0}${align ?? ''}`;
    let k = this.xfByKey.get(key);
    if (k !== undefined) return k;
    const fmtId = numFmt === undefined ? 0 : this.formatId(numFmt);
    const fontId = look?.font === undefined ? 0 : this.indexIn(this.fonts, look.font);
    // Fills 0 and 1 are the two every package has (none, gray125).
    const rgb = fill ?? look?.fill;
    const fillId = rgb === undefined ? 0 : 2 + this.indexIn(this.fills, rgb);
    const borderId = look?.topBorder === true ? 1 : 0;
    let xf = `<xf numFmtId="${fmtId}" fontId="${fontId}" fillId="${fillId}" borderId="${borderId}" xfId="0"`;
    if (fmtId !== 0) xf += ' applyNumberFormat="1"';
    if (fontId !== 0) xf += ' applyFont="1"';
    if (fillId !== 0) xf += ' applyFill="1"';
    if (borderId !== 0) xf += ' applyBorder="1"';
    if (wrap || align !== undefined) xf += ' applyAlignment="1"';
    if (unlocked || formulaHidden) xf += ' applyProtection="1"';
    const alignment = wrap || align !== undefined ? `<alignment${align !== undefined ? ` horizontal="${align}"` : ''}${wrap ? ' vertical="center" wrapText="1"' : ''}/>` : '';
    const inner = alignment + (unlocked ? '<protection locked="0"/>' : formulaHidden ? '<protection hidden="1"/>' : '');
    xf += inner === '' ? '/>' : `>${inner}</xf>`;
    k = this.xfs.length;
    this.xfs.push(xf);
    this.xfByKey.set(key, k);
    return k;
  }

  private indexIn(list: string[], item: string): number {
    const at = list.indexOf(item);
    if (at >= 0) return at;
    list.push(item);
    return list.length - 1;
  }

  private formatId(code: string): number {
    const builtin = BUILTIN_IDS.get(code);
    if (builtin !== undefined) return builtin;
    let id = this.numFmts.get(code);
    if (id === undefined) {
      id = 164 + this.numFmts.size;
      this.numFmts.set(code, id);
    }
    return id;
  }

  /** `xl/styles.xml`. */
  xml(): string {
    let x = `${XML_HEAD}<styleSheet xmlns="${NS.main}">`;
    if (this.numFmts.size > 0) {
      x += `<numFmts count="${this.numFmts.size}">`;
      for (const [code, id] of this.numFmts) x += `<numFmt numFmtId="${id}" formatCode="${xmlEscape(code)}"/>`;
      x += '</numFmts>';
    }
    x += `<fonts count="${this.fonts.length}">${this.fonts.map((f) => `<font>${f}</font>`).join('')}</fonts>`;
    const solid = this.fills.map((rgb) => `<fill><patternFill patternType="solid"><fgColor rgb="${rgb}"/><bgColor indexed="64"/></patternFill></fill>`);
    x += `<fills count="${2 + solid.length}"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>${solid.join('')}</fills>`;
    x += '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border><left/><right/><top style="thin"><color indexed="64"/></top><bottom/><diagonal/></border></borders>';
    x += '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>';
    x += `<cellXfs count="${this.xfs.length}">${this.xfs.join('')}</cellXfs>`;
    x += '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>';
    const dxf = (font: string, fill: string): string => `<dxf><font><color rgb="${font}"/></font><fill><patternFill patternType="solid"><bgColor rgb="${fill}"/></patternFill></fill></dxf>`;
    x += `<dxfs count="2">${dxf(COLORS.goodFont, COLORS.goodFill)}${dxf(COLORS.badFont, COLORS.badFill)}</dxfs>`;
    x += '<tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/>';
    return `${x}</styleSheet>`;
  }
}

/** `xl/sharedStrings.xml` of the planned sheets. */
function sstXml(strings: StringTable): string {
  const parts = [`${XML_HEAD}<sst xmlns="${NS.main}" count="${strings.refs}" uniqueCount="${strings.list.length}">`];
  for (const s of strings.list) parts.push(`<si>${tElement(s)}</si>`);
  parts.push('</sst>');
  return parts.join('');
}

const FORMULA_OP: Record<Comparator, string> = { '==': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
const UNBOUNDED = 999_999_999_999;
const KEY = 16_384;

function rangeRef(r0: number, c0: number, r1: number, c1: number): string {
  const a = cellAddress(r0, c0);
  const b = cellAddress(r1, c1);
  return a === b ? a : `${a}:${b}`;
}

function numberText(n: number): string {
  return Number.isFinite(n) ? String(n) : '0';
}

/** Excel rejects prompt and error texts over 255 characters (and repairs the file). */
function clip(s: string | undefined, max: number): string | undefined {
  if (s === undefined) return undefined;
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** A table header text Excel accepts: one line, as the header cell will hold it. */
function headerText(v: CellValue | undefined): string {
  if (v === null || v === undefined) return '';
  const s = isCellError(v) ? v.error : String(v);
  return s.replace(/[\r\n\t]+/g, ' ').trim();
}

/** A planned cell's XML (see `cellXml`): a value, or a formula we built with its cached result. */
function plannedXml(ref: string, s: number, cell: PlannedCell | undefined, strings: StringTable): string {
  const formula = cell?.formula;
  return cellXml(ref, s, storable(cell?.value), formula === undefined ? null : formula.startsWith('=') ? formula.slice(1) : formula, strings);
}

/** The two rules of a highlight: green when the comparison holds, red when not; blank and text cells stay plain. */
function conditionalXml(p: ConditionalPlan, priority: number): string {
  const tl = cellAddress(p.r0, p.c0);
  const test = `${tl}${FORMULA_OP[p.op]}${numberText(p.value)}`;
  const rule = (formula: string, dxf: number, n: number): string => `<cfRule type="expression" dxfId="${dxf}" priority="${n}"><formula>${xmlEscape(formula)}</formula></cfRule>`;
  return `<conditionalFormatting sqref="${rangeRef(p.r0, p.c0, p.r1, p.c1)}">${rule(`AND(ISNUMBER(${tl}),${test})`, 0, priority)}${rule(`AND(ISNUMBER(${tl}),NOT(${test}))`, 1, priority + 1)}</conditionalFormatting>`;
}

/** A red highlight where the planned formula holds, as the bad half of a comparison highlight looks. */
function highlightXml(h: HighlightPlan, priority: number): string {
  const formula = h.formula.startsWith('=') ? h.formula.slice(1) : h.formula;
  return `<conditionalFormatting sqref="${rangeRef(h.r0, h.c0, h.r1, h.c1)}"><cfRule type="expression" dxfId="1" priority="${priority}"><formula>${xmlEscape(formula)}</formula></cfRule></conditionalFormatting>`;
}

function validationXml(v: ValidationPlan): string {
  let operator = '';
  let formulae: number[];
  if (v.min !== undefined && v.max !== undefined) formulae = [v.min, v.max];
  else if (v.min !== undefined) {
    operator = ' operator="greaterThanOrEqual"';
    formulae = [v.min];
  } else if (v.max !== undefined) {
    operator = ' operator="lessThanOrEqual"';
    formulae = [v.max];
  } else formulae = [-UNBOUNDED, UNBOUNDED];
  const prompt = clip(v.prompt, 255);
  const error = clip(v.error, 255);
  let x = `<dataValidation type="${v.type}"${operator} allowBlank="1" showErrorMessage="1" errorStyle="stop"`;
  if (prompt !== undefined) x += ` showInputMessage="1" prompt="${xmlEscape(prompt)}"`;
  if (error !== undefined) x += ` error="${xmlEscape(error)}"`;
  x += ` sqref="${rangeRef(v.r0, v.c0, v.r1, v.c1)}">`;
  formulae.forEach((f, k) => (x += `<formula${k + 1}>${numberText(f)}</formula${k + 1}>`));
  return `${x}</dataValidation>`;
}

/** The frozen pane of a sheet view, as Excel writes it. */
function paneXml(rows: number, cols: number): string {
  const active = rows > 0 && cols > 0 ? 'bottomRight' : rows > 0 ? 'bottomLeft' : 'topRight';
  const split = (cols > 0 ? ` xSplit="${cols}"` : '') + (rows > 0 ? ` ySplit="${rows}"` : '');
  return `<pane${split} topLeftCell="${cellAddress(rows, cols)}" activePane="${active}" state="frozen"/><selection pane="${active}"/>`;
}

/** Column widths, runs of equal width written as one range. */
function colsXml(plan: SheetPlan): string {
  const columns = plan.columns ?? [];
  const widths = columns.map((c) => c.width);
  const hidden = columns.map((c) => c.hidden === true);
  let out = '';
  for (let c = 0; c < widths.length; ) {
    const w = widths[c];
    let end = c;
    while (end + 1 < widths.length && widths[end + 1] === w && hidden[end + 1] === hidden[c]) end++;
    const width = w !== undefined && Number.isFinite(w) ? ` width="${w}" customWidth="1"` : '';
    if (width !== '' || hidden[c]) out += `<col min="${c + 1}" max="${end + 1}"${width}${hidden[c] ? ' hidden="1"' : ''}/>`;
    c = end + 1;
  }
  return out === '' ? '' : `<cols>${out}</cols>`;
}

/** A planned table: its part's XML, and the names its header cells must hold. */
interface TablePart {
  readonly name: string;
  readonly ref: string;
  readonly columns: readonly string[];
}

function tableXml(t: TablePart, id: number): string {
  const cols = t.columns.map((n, k) => `<tableColumn id="${k + 1}" name="${xmlEscape(n)}"/>`).join('');
  return (
    `${XML_HEAD}<table xmlns="${NS.main}" id="${id}" name="${xmlEscape(t.name)}" displayName="${xmlEscape(t.name)}" ref="${t.ref}" headerRowCount="1" totalsRowShown="0">` +
    `<autoFilter ref="${t.ref}"/><tableColumns count="${t.columns.length}">${cols}</tableColumns>` +
    '<tableStyleInfo name="TableStyleLight1" showFirstColumn="0" showLastColumn="0" showRowStripes="1" showColumnStripes="0"/></table>'
  );
}

const enc = new TextEncoder();

/**
 * Text turned into UTF-8 bytes a quarter of a megabyte at a time: a sheet of 20,000 schools never
 * exists as one string, nor as a rope of a million cell strings.
 */
class Utf8Chunks {
  private pending: string[] = [];
  private size = 0;
  private readonly chunks: Uint8Array[] = [];
  length = 0;

  add(s: string): void {
    this.pending.push(s);
    this.size += s.length;
    if (this.size >= 1 << 18) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const bytes = enc.encode(this.pending.join(''));
    this.chunks.push(bytes);
    this.length += bytes.length;
    this.pending = [];
    this.size = 0;
  }

  /** Everything added, as bytes, after `head` and before `tail`. */
  bytes(head: string, tail: string): Uint8Array {
    this.flush();
    const h = enc.encode(head);
    const t = enc.encode(tail);
    const out = new Uint8Array(h.length + this.length + t.length);
    out.set(h, 0);
    let at = h.length;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    out.set(t, at);
    return out;
  }
}

/** A planned sheet as worksheet XML (UTF-8), and the table it holds. */
interface RenderedSheet {
  readonly xml: Uint8Array;
  readonly table?: TablePart;
}

/** True when (r, c) lies in one of the ranges. */
function inRanges(ranges: readonly { r0: number; c0: number; r1: number; c1: number }[], r: number, c: number): boolean {
  for (const u of ranges) if (r >= u.r0 && r <= u.r1 && c >= u.c0 && c <= u.c1) return true;
  return false;
}

function renderSheet(plan: SheetPlan, styles: PlanStyles, strings: StringTable, tableNames: Set<string>): RenderedSheet {
  const columns = plan.columns ?? [];
  const unlocked = plan.protection?.unlocked ?? [];
  const hiddenFormulas = plan.protection?.hiddenFormulas ?? [];
  const cellFormats = new Map<number, string>();
  for (const [r, c, fmt] of plan.cellFormats ?? []) cellFormats.set(r * KEY + c, fmt);

  // Merges: overlapping ones are a bug in the plan; the other cells of a merge show the first cell's look and hold nothing.
  const mergedInto = new Map<number, number>();
  const merges: string[] = [];
  for (const m of plan.merges ?? []) {
    if (m.r0 === m.r1 && m.c0 === m.c1) continue;
    if (m.r0 < 0 || m.c0 < 0 || m.r1 < m.r0 || m.c1 < m.c0) throw new XlsxPlanError(`${plan.name}: cannot merge ${rangeRef(m.r0, m.c0, m.r1, m.c1)}`);
    for (let r = m.r0; r <= m.r1; r++) {
      for (let c = m.c0; c <= m.c1; c++) {
        if (mergedInto.has(r * KEY + c)) throw new XlsxPlanError(`${plan.name}: cannot merge ${rangeRef(m.r0, m.c0, m.r1, m.c1)}: it overlaps another merge`);
        mergedInto.set(r * KEY + c, m.r0 * KEY + m.c0);
      }
    }
    merges.push(`<mergeCell ref="${rangeRef(m.r0, m.c0, m.r1, m.c1)}"/>`);
  }

  // A table's header cells hold its column names (unique, one line each), as Excel requires.
  let table: TablePart | undefined;
  const t = plan.table;
  if (t !== undefined && t.r1 > t.r0) {
    const header = plan.rows[t.r0]?.cells ?? [];
    const names = uniqueHeaders(Array.from({ length: t.c1 - t.c0 + 1 }, (_, k) => headerText(header[t.c0 + k]?.value)));
    let name = t.name;
    for (let n = 2; tableNames.has(name.toLowerCase()); n++) name = `${t.name}_${n}`;
    tableNames.add(name.toLowerCase());
    table = { name, ref: rangeRef(t.r0, t.c0, t.r1, t.c1), columns: names };
  }

  // Every cell that is written: planned cells, single-cell formats, unlocked input cells and merged cells.
  const extra = new Map<number, Set<number>>();
  const addExtra = (r: number, c: number): void => {
    if (plan.rows[r]?.cells[c] !== undefined) return;
    let set = extra.get(r);
    if (set === undefined) extra.set(r, (set = new Set()));
    set.add(c);
  };
  for (const [r, c] of plan.cellFormats ?? []) addExtra(r, c);
  for (const u of unlocked) for (let r = u.r0; r <= u.r1; r++) for (let c = u.c0; c <= u.c1; c++) addExtra(r, c);
  for (const k of mergedInto.keys()) addExtra(Math.floor(k / KEY), k % KEY);
  let lastRow = plan.rows.length - 1;
  for (const r of extra.keys()) if (r > lastRow) lastRow = r;
  if (lastRow >= SHEET_ROWS) throw new XlsxPlanError(`${plan.name}: ${lastRow + 1} rows, beyond a sheet's ${SHEET_ROWS}`);

  const merged = mergedInto.size > 0;
  // Without merges, single-cell formats, unlocked cells or aligned rows, a planned cell's look is its row's role and its column's format.
  const aligned = plan.rows.some((row) => row.align !== undefined || row.wrap === true);
  const simple = !merged && cellFormats.size === 0 && unlocked.length === 0 && hiddenFormulas.length === 0 && !aligned;
  const byRole = new Map<RowRole, number[]>();
  // A column's wrapping applies to its data rows; header rows wrap anyway, titles and notes run on.
  const layoutOf = (role: RowRole | null, c: number, row: PlannedRow | undefined): CellLayout | undefined => {
    const body = role === 'data' || role === 'subtotal' || role === 'total';
    const align = row?.align ?? (body ? columns[c]?.align : undefined);
    const wrap = row?.wrap === true || (columns[c]?.wrap === true && body);
    return wrap || align !== undefined ? { ...(wrap ? { wrap } : {}), ...(align !== undefined ? { align } : {}) } : undefined;
  };
  const styleAt = (r: number, c: number): number => {
    const row = plan.rows[r];
    if (simple && row?.cells[c] !== undefined) {
      let list = byRole.get(row.role);
      if (list === undefined) byRole.set(row.role, (list = []));
      return (list[c] ??= styles.id(row.role, columns[c]?.numberFormat, false, undefined, layoutOf(row.role, c, undefined)));
    }
    const master = merged ? mergedInto.get(r * KEY + c) : undefined;
    const mr = master === undefined ? r : Math.floor(master / KEY);
    const mc = master === undefined ? c : master % KEY;
    const planned = plan.rows[mr]?.cells[mc] !== undefined;
    const role = planned ? plan.rows[mr]!.role : null;
    const fmt = (cellFormats.size > 0 ? cellFormats.get(mr * KEY + mc) : undefined) ?? (planned ? columns[mc]?.numberFormat : undefined);
    const hideFormula = hiddenFormulas.length > 0 && inRanges(hiddenFormulas, r, c);
    return styles.id(role, fmt, unlocked.length > 0 && inRanges(unlocked, r, c), undefined, layoutOf(role, mc, plan.rows[mr]), hideFormula);
  };
  const body = new Utf8Chunks();
  const rowCells: string[] = [];
  let minC = Infinity;
  let maxC = -1;
  let minR = -1;
  let maxR = -1;
  for (let r = 0; r <= lastRow; r++) {
    const cells = plan.rows[r]?.cells ?? [];
    const more = extra.get(r);
    let width = cells.length;
    if (more !== undefined) for (const c of more) if (c >= width) width = c + 1;
    if (width > SHEET_COLUMNS) throw new XlsxPlanError(`${plan.name}: row ${r + 1} has ${width} columns, beyond a sheet's ${SHEET_COLUMNS}`);
    const inTable = table !== undefined && r === t!.r0;
    const rowNumber = String(r + 1);
    rowCells.length = 0;
    for (let c = 0; c < width; c++) {
      if (cells[c] === undefined && more?.has(c) !== true) continue;
      const master = merged ? mergedInto.get(r * KEY + c) : undefined;
      const own = master === undefined || master === r * KEY + c;
      let cell = own ? cells[c] : undefined;
      if (inTable && c >= t!.c0 && c <= t!.c1) cell = { value: table!.columns[c - t!.c0]! };
      const x = plannedXml(columnLetters(c) + rowNumber, styleAt(r, c), cell, strings);
      if (x === '') continue;
      rowCells.push(x);
      if (c < minC) minC = c;
      if (c > maxC) maxC = c;
    }
    if (rowCells.length === 0) continue;
    if (minR < 0) minR = r;
    maxR = r;
    const height = plan.rows[r]?.height;
    body.add(`<row r="${r + 1}"${height !== undefined && Number.isFinite(height) && height > 0 ? ` ht="${Math.min(409, Math.round(height * 4) / 4)}" customHeight="1"` : ''}>${rowCells.join('')}</row>`);
  }

  const parts: string[] = [`${XML_HEAD}<worksheet xmlns="${NS.main}" xmlns:r="${NS.rel}">`];
  if (plan.print?.fitToWidth === true) parts.push('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>');
  parts.push(`<dimension ref="${maxR < 0 ? 'A1' : rangeRef(minR, minC, maxR, maxC)}"/>`);
  const freeze = plan.freeze !== undefined && (plan.freeze.rows > 0 || plan.freeze.cols > 0) ? paneXml(plan.freeze.rows, plan.freeze.cols) : '';
  parts.push(`<sheetViews><sheetView workbookViewId="0">${freeze}</sheetView></sheetViews>`, '<sheetFormatPr defaultRowHeight="15"/>', colsXml(plan));
  const head = parts.join('');
  parts.length = 0;
  if (maxR < 0) parts.push('<sheetData/>');
  else parts.push('</sheetData>');
  if (plan.protection) parts.push('<sheetProtection sheet="1" formatColumns="0" formatRows="0"/>');
  if (merges.length > 0) parts.push(`<mergeCells count="${merges.length}">${merges.join('')}</mergeCells>`);
  const conditionals = plan.conditionals ?? [];
  conditionals.forEach((cf, k) => parts.push(conditionalXml(cf, 2 * k + 1)));
  (plan.highlights ?? []).forEach((h, k) => parts.push(highlightXml(h, 2 * conditionals.length + k + 1)));
  const validations = plan.validations ?? [];
  if (validations.length > 0) parts.push(`<dataValidations count="${validations.length}">${validations.map(validationXml).join('')}</dataValidations>`);
  const pr = plan.print;
  if (pr?.center === true) parts.push('<printOptions horizontalCentered="1"/>');
  parts.push(pageMarginsXml(pr?.margins));
  if (pr) {
    parts.push(pageSetupXml(pr));
    // `&` starts a code in a header or footer: a literal one is doubled. Page numbers need no words.
    parts.push(`<headerFooter><oddFooter>${xmlEscape(`${pr.footer ? `&L${pr.footer.replace(/&/g, '&&')}` : ''}&C&P / &N`)}</oddFooter></headerFooter>`);
  }
  if (table !== undefined) parts.push('<tableParts count="1"><tablePart r:id="rId1"/></tableParts>');
  parts.push('</worksheet>');
  const xml = maxR < 0 ? enc.encode(head + parts.join('')) : body.bytes(`${head}<sheetData>`, parts.join(''));
  return { xml, ...(table !== undefined ? { table } : {}) };
}

/** The print titles of a sheet: its repeated columns and rows, as the defined name `_xlnm.Print_Titles` holds them. */
export function printTitles(sheet: string, pr: PrintPlan): string | null {
  const parts: string[] = [];
  if (pr.repeatCols !== undefined) parts.push(`${quotedSheet(sheet)}!$${columnLetters(pr.repeatCols.c0)}:$${columnLetters(pr.repeatCols.c1)}`);
  if (pr.repeatRows !== undefined) parts.push(`${quotedSheet(sheet)}!$${pr.repeatRows.r0 + 1}:$${pr.repeatRows.r1 + 1}`);
  return parts.length === 0 ? null : parts.join(',');
}

/** A sheet name in a formula: always quoted, its apostrophes doubled. */
function quotedSheet(name: string): string {
  return `'${name.replace(/'/g, "''")}'`;
}

/** Options of {@link writePackage}. */
export interface PackageOptions {
  readonly creator?: string;
  readonly fullCalcOnLoad?: boolean;
  /** The time written as the package's created and modified time. */
  readonly now?: Date;
  /** Put the copies of school sheets before the planned sheets (default: after). */
  readonly copiesFirst?: boolean;
}

/**
 * The parts of an .xlsx package, by name: the planned sheets and the copies of school sheets, in
 * workbook order, sharing one string table and one set of cell formats.
 */
export function writePackage(plans: readonly SheetPlan[], copies: readonly SheetCopy[], options: PackageOptions = {}): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  emitPackage(plans, copies, options, (name, bytes) => {
    files[name] = bytes;
  });
  return files;
}

/**
 * The parts of an .xlsx package handed to `put` one by one as each is made, in the order of
 * {@link writePackage}: the sheets (each with its table or notes) first, then the parts they share.
 * A part once put is never changed, so it can be deflated while the next one is built.
 */
export function emitPackage(plans: readonly SheetPlan[], copies: readonly SheetCopy[], options: PackageOptions, put: (name: string, bytes: Uint8Array) => void): void {
  const styles = new PlanStyles();
  const strings = new StringTable();
  const tableNames = new Set<string>();
  let types = `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>`;
  types += `<Override PartName="/xl/workbook.xml" ContentType="${TYPES.workbook}"/>`;
  let sheets = '';
  let rels = `<Relationship Id="rId1" Type="${NS.rel}/styles" Target="styles.xml"/><Relationship Id="rId2" Type="${NS.rel}/sharedStrings" Target="sharedStrings.xml"/>`;
  let names = '';
  let tables = 0;
  let anyNotes = false;
  const sheetRels = (n: number, list: string): void => {
    put(`xl/worksheets/_rels/sheet${n}.xml.rels`, enc.encode(`${XML_HEAD}<Relationships xmlns="${NS.rels}">${list}</Relationships>`));
  };
  // A copy's cells ask for a handful of formats thousands of times: each answered once.
  const copyStyles = new Map<string, number>();
  const markStyle = (numFmt: string | null, fill: string | null): number => {
    if (numFmt === null && fill === null) return 0;
    const key = fill === null ? (numFmt ?? '') : `${numFmt ?? ''}\u0000${fill}`;
    let k = copyStyles.get(key);
    if (k === undefined) {
      k = styles.id(null, numFmt ?? undefined, false, fill ?? undefined);
      copyStyles.set(key, k);
    }
    return k;
  };
  const planned = plans.map((plan) => ({ name: plan.name, plan }));
  const copied = copies.map((copy) => ({ name: copy.name, copy }));
  const entries = options.copiesFirst === true ? [...copied, ...planned] : [...planned, ...copied];
  // Parts go in file order: the sheets first, the shared parts after them.
  entries.forEach((entry, k) => {
    const n = k + 1;
    if ('plan' in entry) {
      const { plan } = entry;
      const sheet = renderSheet(plan, styles, strings, tableNames);
      put(`xl/worksheets/sheet${n}.xml`, sheet.xml);
      if (sheet.table !== undefined) {
        tables++;
        sheetRels(n, `<Relationship Id="rId1" Type="${NS.rel}/table" Target="../tables/table${tables}.xml"/>`);
        put(`xl/tables/table${tables}.xml`, enc.encode(tableXml(sheet.table, tables)));
        types += `<Override PartName="/xl/tables/table${tables}.xml" ContentType="${TYPES.table}"/>`;
      }
      const titles = plan.print === undefined ? null : printTitles(plan.name, plan.print);
      if (titles !== null) names += `<definedName name="_xlnm.Print_Titles" localSheetId="${k}">${xmlEscape(titles)}</definedName>`;
    } else {
      const copy = copyParts(entry.copy, strings, markStyle);
      put(`xl/worksheets/sheet${n}.xml`, enc.encode(copy.sheet));
      if (copy.notes !== undefined) {
        anyNotes = true;
        sheetRels(n, `<Relationship Id="rId1" Type="${NS.rel}/comments" Target="../comments${n}.xml"/><Relationship Id="rId2" Type="${NS.rel}/vmlDrawing" Target="../drawings/vmlDrawing${n}.vml"/>`);
        put(`xl/comments${n}.xml`, enc.encode(copy.notes.comments));
        put(`xl/drawings/vmlDrawing${n}.vml`, enc.encode(copy.notes.vml));
        types += `<Override PartName="/xl/comments${n}.xml" ContentType="${TYPES.comments}"/>`;
      }
    }
    types += `<Override PartName="/xl/worksheets/sheet${n}.xml" ContentType="${TYPES.worksheet}"/>`;
    sheets += `<sheet name="${xmlEscape(entry.name)}" sheetId="${n}" r:id="rId${n + 2}"/>`;
    rels += `<Relationship Id="rId${n + 2}" Type="${NS.rel}/worksheet" Target="worksheets/sheet${n}.xml"/>`;
  });
  if (anyNotes) types += `<Default Extension="vml" ContentType="${TYPES.vml}"/>`;
  types += `<Override PartName="/xl/styles.xml" ContentType="${TYPES.styles}"/><Override PartName="/xl/sharedStrings.xml" ContentType="${TYPES.sharedStrings}"/>`;
  types += `<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>`;

  put('xl/styles.xml', enc.encode(styles.xml()));
  put('xl/sharedStrings.xml', enc.encode(sstXml(strings)));
  put(
    'xl/workbook.xml',
    enc.encode(
      `${XML_HEAD}<workbook xmlns="${NS.main}" xmlns:r="${NS.rel}"><workbookPr/><bookViews><workbookView/></bookViews>` +
        `<sheets>${sheets}</sheets>${names === '' ? '' : `<definedNames>${names}</definedNames>`}<calcPr calcId="191029"${options.fullCalcOnLoad === false ? '' : ' fullCalcOnLoad="1"'}/></workbook>`,
    ),
  );
  put('xl/_rels/workbook.xml.rels', enc.encode(`${XML_HEAD}<Relationships xmlns="${NS.rels}">${rels}</Relationships>`));
  put('[Content_Types].xml', enc.encode(`${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">${types}</Types>`));
  put(
    '_rels/.rels',
    enc.encode(
      `${XML_HEAD}<Relationships xmlns="${NS.rels}"><Relationship Id="rId1" Type="${NS.rel}/officeDocument" Target="xl/workbook.xml"/>` +
        `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
        `<Relationship Id="rId3" Type="${NS.rel}/extended-properties" Target="docProps/app.xml"/></Relationships>`,
    ),
  );
  const when = (options.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  put(
    'docProps/core.xml',
    enc.encode(
      `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
        `<dc:creator>${xmlEscape(options.creator ?? 'Huizong')}</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified></cp:coreProperties>`,
    ),
  );
  const titles = entries.map((p) => `<vt:lpstr>${xmlEscape(p.name)}</vt:lpstr>`).join('');
  put(
    'docProps/app.xml',
    enc.encode(
      `${XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">` +
        `<Application>Huizong</Application><HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>${entries.length}</vt:i4></vt:variant></vt:vector></HeadingPairs>` +
        `<TitlesOfParts><vt:vector size="${entries.length}" baseType="lpstr">${titles}</vt:vector></TitlesOfParts></Properties>`,
    ),
  );
}
