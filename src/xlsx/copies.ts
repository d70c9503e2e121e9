/**
 * Copies of school sheets written straight into the package as worksheet XML: values, formulas with
 * cached results, number formats, widths, merges, updates and marked cells with their notes, text
 * always written as a shared string, never as a formula. {@link copyParts} gives a copy's parts; the
 * package writer (`sheets.ts`) puts them beside the planned sheets, with one string table and one set
 * of cell formats for all.
 */
import type { CellValue, SheetGrid } from '../core/grid';
import { cellAddress, parseCellAddress } from '../core/grid';
import { fittedWidth, shownWidth } from '../workbook/grid';
import { formatShape, numberWidth } from '../workbook/page';
import type { CellMark, CellUpdate, PrintPlan } from '../workbook/plan';
import { NS, StringTable, XML_HEAD, XlsxPlanError, cellXml, pageMarginsXml, pageSetupXml, storable, tElement } from './xmlParts';

/** A school's sheet copied into the output workbook, with values (rates) written over it. */
export interface SheetCopy {
  readonly grid: SheetGrid;
  /** Name of the copy in the output workbook (already safe: see `safeSheetName`). */
  readonly name: string;
  /** Cells to overwrite on this copy; their `sheet` field is not consulted. */
  readonly updates?: readonly CellUpdate[];
  /** Cells to mark on this copy (fill and a note); their `sheet` field is not consulted. */
  readonly marks?: readonly CellMark[];
  /** How the copy prints (a form sent back to its school prints one page wide). */
  readonly print?: PrintPlan;
}

/** How a marked cell is filled. */
type MarkFill = 'error' | 'warning';

/** Fill colours of marked cells, as the planned sheets' palette has them. */
const MARK_COLORS: Readonly<Record<MarkFill, string>> = { error: 'FFFFC7CE', warning: 'FFFFEB9C' };

interface Cell {
  value: CellValue;
  formula: string | null;
  numFmt: string | null;
  fill: MarkFill | null;
}

const KEY = 16_384;

interface Note {
  readonly row: number;
  readonly col: number;
  readonly text: string;
}

/** The notes a copy's marks give, in cell order, each cell's messages joined by line breaks. */
function copyNotes(copy: SheetCopy): Note[] {
  const notes = new Map<number, Note>();
  for (const m of copy.marks ?? []) {
    const at = parseCellAddress(m.cell);
    if (at === null) continue;
    const k = at.row * KEY + at.col;
    const prev = notes.get(k);
    notes.set(k, { row: at.row, col: at.col, text: prev === undefined ? m.message : `${prev.text}\n${m.message}` });
  }
  return [...notes.entries()].sort((a, b) => a[0] - b[0]).map(([, n]) => n);
}

/**
 * The worksheet XML of a copy: its cells (text as shared strings, formulas only where the sheet had
 * them), column widths fitted to the values, merges (a merge over an already merged cell is left out,
 * and the other cells of a merge lose their values), the updates written over it and its marked cells
 * filled. `legacyDrawing` is the element pointing at the copy's notes, when it has any.
 */
function copySheetXml(copy: SheetCopy, strings: StringTable, styleOf: CellStyle, legacyDrawing?: string): string {
  const { grid } = copy;
  // Only the cells the sheet holds, by row and column: a far cell (a space in A1048576) costs one cell.
  const rows = new Map<number, Map<number, Cell>>();
  const widths = new Map<number, number>();
  const at = (r: number, c: number): Cell => {
    let row = rows.get(r);
    if (row === undefined) rows.set(r, (row = new Map()));
    let cell = row.get(c);
    if (cell === undefined) row.set(c, (cell = { value: null, formula: null, numFmt: null, fill: null }));
    return cell;
  };
  const put = (r: number, c: number, v: CellValue, formula: string | null, fmt: string | null): void => {
    if (v === null && formula === null && fmt === null) return;
    const cell = at(r, c);
    cell.value = storable(v);
    cell.formula = formula === null ? null : formula.charCodeAt(0) === 61 ? formula.slice(1) : formula;
    cell.numFmt = fmt;
    // A number as its format shows it (thousands separators, decimals): a column narrower than that prints "###".
    const shown = typeof v === 'number' && Number.isFinite(v) && fmt !== null ? numberWidth([v], formatShape(fmt).decimals, formatShape(fmt).thousands) - 2 : shownWidth(v);
    widths.set(c, Math.max(widths.get(c) ?? 0, shown));
  };
  grid.values.forEach((row, r) => {
    const frow = grid.formulas?.[r];
    const nrow = grid.numberFormats?.[r];
    for (let c = 0; c < row.length; c++) put(r, c, row[c] ?? null, frow?.[c] ?? null, nrow?.[c] ?? null);
  });
  for (const f of grid.far ?? []) put(f.row, f.col, f.value, f.formula ?? null, f.numberFormat ?? null);

  // Merges as Excel keeps them: the other cells take the first cell's format and lose their values. Only
  // cells the sheet holds are touched, so a merge over the whole grid costs its stored cells, not its area.
  const kept: { r0: number; c0: number; r1: number; c1: number }[] = [];
  const merges: string[] = [];
  const overlaps = (a: (typeof kept)[number], b: (typeof kept)[number]): boolean => a.r0 <= b.r1 && b.r0 <= a.r1 && a.c0 <= b.c1 && b.c0 <= a.c1;
  for (const m of grid.merges ?? []) {
    if (m.r0 === m.r1 && m.c0 === m.c1) continue;
    if (kept.some((k) => overlaps(k, m))) continue;
    kept.push(m);
    const fmt = rows.get(m.r0)?.get(m.c0)?.numFmt ?? null;
    for (const [r, row] of rows) {
      if (r < m.r0 || r > m.r1) continue;
      for (const [c, cell] of row) {
        if (c < m.c0 || c > m.c1 || (r === m.r0 && c === m.c0)) continue;
        cell.value = null;
        cell.formula = null;
        cell.numFmt = fmt;
      }
    }
    merges.push(`${cellAddress(m.r0, m.c0)}:${cellAddress(m.r1, m.c1)}`);
  }
  /** The first cell of the merge holding (r, c), or (r, c) itself. */
  const masterOf = (r: number, c: number): readonly [number, number] => {
    const m = kept.find((k) => r >= k.r0 && r <= k.r1 && c >= k.c0 && c <= k.c1);
    return m === undefined ? [r, c] : [m.r0, m.c0];
  };

  for (const u of copy.updates ?? []) {
    const p = parseCellAddress(u.cell);
    if (p === null) throw new XlsxPlanError(`${copy.name}: not a cell address: ${u.cell}`);
    const [mr, mc] = masterOf(p.row, p.col);
    const target = at(mr, mc);
    target.value = storable(u.value);
    target.formula = null;
    if (u.numberFormat !== undefined) at(p.row, p.col).numFmt = u.numberFormat;
  }
  for (const m of copy.marks ?? []) {
    const p = parseCellAddress(m.cell);
    if (p === null) continue;
    at(p.row, p.col).fill = m.severity === 'error' ? 'error' : 'warning';
  }

  let minR = Infinity;
  let maxR = -1;
  let minC = Infinity;
  let maxC = -1;
  let body = '';
  const ascending = (a: number, b: number): number => a - b;
  for (const r of [...rows.keys()].sort(ascending)) {
    const row = rows.get(r)!;
    let cells = '';
    for (const c of [...row.keys()].sort(ascending)) {
      const cell = row.get(c)!;
      const s = styleOf(cell.numFmt, cell.fill === null ? null : MARK_COLORS[cell.fill]);
      const { value, formula } = cell;
      if (value === null && formula === null && s === 0) continue;
      if (c < minC) minC = c;
      if (c > maxC) maxC = c;
      cells += cellXml(cellAddress(r, c), s, value, formula, strings);
    }
    if (cells === '') continue;
    if (r < minR) minR = r;
    maxR = r;
    body += `<row r="${r + 1}">${cells}</row>`;
  }

  let xml =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">';
  if (copy.print?.fitToWidth === true) xml += '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>';
  if (maxR >= 0) xml += `<dimension ref="${cellAddress(minR, minC)}:${cellAddress(maxR, maxC)}"/>`;
  xml += '<sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/>';
  let cols = '';
  for (const c of [...widths.keys()].sort(ascending)) cols += `<col min="${c + 1}" max="${c + 1}" width="${fittedWidth(widths.get(c)!)}" customWidth="1"/>`;
  if (cols !== '') xml += `<cols>${cols}</cols>`;
  xml += body === '' ? '<sheetData/>' : `<sheetData>${body}</sheetData>`;
  if (merges.length > 0) xml += `<mergeCells count="${merges.length}">${merges.map((m) => `<mergeCell ref="${m}"/>`).join('')}</mergeCells>`;
  if (copy.print?.center === true) xml += '<printOptions horizontalCentered="1"/>';
  xml += pageMarginsXml(copy.print?.margins);
  if (copy.print !== undefined) xml += pageSetupXml(copy.print);
  if (legacyDrawing !== undefined) xml += legacyDrawing;
  return `${xml}</worksheet>`;
}


/** The notes part of a sheet. */
function commentsXml(notes: readonly Note[]): string {
  const list = notes.map((n) => `<comment ref="${cellAddress(n.row, n.col)}" authorId="0"><text><r>${tElement(n.text)}</r></text></comment>`).join('');
  return `${XML_HEAD}<comments xmlns="${NS.main}"><authors><author>Author</author></authors><commentList>${list}</commentList></comments>`;
}

/** The legacy drawing that shows a sheet's notes in Excel, each shape anchored beside its cell. */
function notesVml(notes: readonly Note[]): string {
  const shapes = notes
    .map((n, k) => {
      const l = n.col + 1;
      const t = Math.max(n.row - 1, 0);
      return (
        `<v:shape id="_x0000_s${1025 + k}" type="#_x0000_t202" style="position:absolute; margin-left:105.3pt;margin-top:10.5pt;width:97.8pt;height:59.1pt;z-index:1;visibility:hidden" fillcolor="infoBackground [80]" strokecolor="none [81]" o:insetmode="auto">` +
        '<v:fill color2="infoBackground [80]"/><v:shadow color="none [81]" obscured="t"/><v:path o:connecttype="none"/>' +
        '<v:textbox style="mso-direction-alt:auto" inset="1.3mm,1.3mm,2.5mm,2.5mm"><div style="text-align:left"/></v:textbox>' +
        `<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>${l}, 6, ${t}, 14, ${l + 2}, 2, ${t + 4}, 16</x:Anchor>` +
        `<x:Locked>True</x:Locked><x:AutoFill>False</x:AutoFill><x:LockText>True</x:LockText><x:Row>${n.row}</x:Row><x:Column>${n.col}</x:Column></x:ClientData></v:shape>`
      );
    })
    .join('');
  return (
    `${XML_HEAD}<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">` +
    '<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="1"/></o:shapelayout>' +
    '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>' +
    `${shapes}</xml>`
  );
}

/** The cell format (`s` index) of a copied cell: its number format, and a mark's fill colour. */
export type CellStyle = (numFmt: string | null, fill: string | null) => number;

/** A copy's parts: its worksheet XML, and its notes (the comments part and the drawing Excel shows them with) when it has marks. */
export interface CopyParts {
  readonly sheet: string;
  readonly notes?: { readonly comments: string; readonly vml: string };
}

/**
 * A copy of a school sheet as parts of the package it goes into, its text in that package's
 * strings and its formats in that package's cell formats. The notes' drawing is the sheet's `rId2`.
 */
export function copyParts(copy: SheetCopy, strings: StringTable, styleOf: CellStyle): CopyParts {
  const notes = copyNotes(copy);
  if (notes.length === 0) return { sheet: copySheetXml(copy, strings, styleOf) };
  return { sheet: copySheetXml(copy, strings, styleOf, '<legacyDrawing r:id="rId2"/>'), notes: { comments: commentsXml(notes), vml: notesVml(notes) } };
}
