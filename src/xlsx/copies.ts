/**
 * Copies of school sheets written straight into the package as worksheet XML: values, formulas with
 * cached results, number formats, widths, merges, updates and marked cells with their notes, text
 * always written as a shared string, never as a formula. The planned sheets are written first (see
 * `sheets.ts`); {@link appendCopies} adds the copies to that package, after or before them.
 */
import type { CellValue, SheetGrid } from '../core/grid';
import { cellAddress, isCellError, parseCellAddress } from '../core/grid';
import type { CellMark, CellUpdate } from '../workbook/plan';
import { decodeEntities } from './xml';
import { BUILTIN_IDS, NS, StringTable, TYPES, XML_HEAD, XlsxPlanError, cellXml, storable, tElement, xmlEscape } from './xmlParts';

export { XlsxPlanError } from './xmlParts';

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

/** How a marked cell is filled. */
type MarkFill = 'error' | 'warning';

/** Fill colours of marked cells, as the planned sheets' palette has them. */
const MARK_COLORS: Readonly<Record<MarkFill, string>> = { error: 'FFFFC7CE', warning: 'FFFFEB9C' };

/** Cell formats (`cellXfs` entries) added by the copies: a number format and a fill, each maybe none. */
class StyleTable {
  private readonly xfByKey = new Map<string, number>();
  private readonly fmtIds = new Map<string, number>();
  /** Custom number formats added, as [id, code]. */
  readonly numFmts: [number, string][] = [];
  /** `cellXfs` entries added, as [numFmtId, fill]. */
  readonly xfs: [number, MarkFill | null][] = [];
  private nextFmt: number;

  /**
   * `existingFormats`: the package's custom formats by code; `xfBase`: its count of cell formats;
   * `fillBase`: its count of fills (the two mark fills are appended after them).
   */
  constructor(
    existingFormats: ReadonlyMap<string, number>,
    private readonly xfBase: number,
    readonly fillBase: number,
  ) {
    let max = 163;
    for (const [code, id] of existingFormats) {
      this.fmtIds.set(code, id);
      max = Math.max(max, id);
    }
    this.nextFmt = max + 1;
  }

  private formatId(code: string): number {
    let id = BUILTIN_IDS.get(code) ?? this.fmtIds.get(code);
    if (id === undefined) {
      id = this.nextFmt++;
      this.fmtIds.set(code, id);
      this.numFmts.push([id, code]);
    }
    return id;
  }

  /** The `s` index for a cell with this format and fill; 0 (the default) for neither. */
  id(numFmt: string | null, fill: MarkFill | null): number {
    if (numFmt === null && fill === null) return 0;
    const key = fill === null ? numFmt! : `${numFmt ?? ''}\u0000${fill}`;
    let k = this.xfByKey.get(key);
    if (k === undefined) {
      k = this.xfBase + this.xfs.length;
      this.xfByKey.set(key, k);
      this.xfs.push([numFmt === null ? 0 : this.formatId(numFmt), fill]);
    }
    return k;
  }

  /** The fill id of a mark fill. */
  fillId(fill: MarkFill): number {
    return this.fillBase + (fill === 'error' ? 0 : 1);
  }
}

interface Cell {
  value: CellValue;
  formula: string | null;
  numFmt: string | null;
  fill: MarkFill | null;
}

/** Display width of text: CJK and other wide characters count twice. */
function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += (ch.codePointAt(0) ?? 0) > 0x2e80 ? 2 : 1;
  return w;
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
function copySheetXml(copy: SheetCopy, strings: StringTable, styles: StyleTable, legacyDrawing?: string): string {
  const { grid } = copy;
  const rows: (Cell | undefined)[][] = [];
  const widths: number[] = [];
  const at = (r: number, c: number): Cell => {
    const row = (rows[r] ??= []);
    return (row[c] ??= { value: null, formula: null, numFmt: null, fill: null });
  };
  grid.values.forEach((row, r) => {
    const frow = grid.formulas?.[r];
    const nrow = grid.numberFormats?.[r];
    for (let c = 0; c < row.length; c++) {
      const v = row[c] ?? null;
      const formula = frow?.[c] ?? null;
      const fmt = nrow?.[c] ?? null;
      if (v === null && formula === null && fmt === null) continue;
      const cell = at(r, c);
      cell.value = storable(v);
      cell.formula = formula === null ? null : formula.charCodeAt(0) === 61 ? formula.slice(1) : formula;
      cell.numFmt = fmt;
      const shown = v === null ? '' : isCellError(v) ? v.error : typeof v === 'number' ? String(Math.round(v * 100) / 100) : String(v);
      widths[c] = Math.max(widths[c] ?? 0, textWidth(shown));
    }
  });

  // Merges as Excel keeps them: the other cells take the first cell's format and lose their values.
  const masterOf = new Map<number, number>();
  const merges: string[] = [];
  for (const m of grid.merges ?? []) {
    if (m.r0 === m.r1 && m.c0 === m.c1) continue;
    let taken = false;
    for (let r = m.r0; r <= m.r1 && !taken; r++) for (let c = m.c0; c <= m.c1; c++) if (masterOf.has(r * KEY + c)) taken = true;
    if (taken) continue;
    const master = m.r0 * KEY + m.c0;
    const fmt = rows[m.r0]?.[m.c0]?.numFmt ?? null;
    for (let r = m.r0; r <= m.r1; r++) {
      for (let c = m.c0; c <= m.c1; c++) {
        masterOf.set(r * KEY + c, master);
        if (r === m.r0 && c === m.c0) continue;
        const cell = at(r, c);
        cell.value = null;
        cell.formula = null;
        cell.numFmt = fmt;
      }
    }
    merges.push(`${cellAddress(m.r0, m.c0)}:${cellAddress(m.r1, m.c1)}`);
  }

  for (const u of copy.updates ?? []) {
    const p = parseCellAddress(u.cell);
    if (p === null) throw new XlsxPlanError(`${copy.name}: not a cell address: ${u.cell}`);
    const master = masterOf.get(p.row * KEY + p.col);
    const target = master === undefined ? at(p.row, p.col) : at(Math.floor(master / KEY), master % KEY);
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
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (row === undefined) continue;
    let cells = '';
    for (let c = 0; c < row.length; c++) {
      const cell = row[c];
      if (cell === undefined) continue;
      const s = styles.id(cell.numFmt, cell.fill);
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
  if (maxR >= 0) xml += `<dimension ref="${cellAddress(minR, minC)}:${cellAddress(maxR, maxC)}"/>`;
  xml += '<sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/>';
  let cols = '';
  for (let c = 0; c < widths.length; c++) {
    const w = widths[c];
    if (w !== undefined) cols += `<col min="${c + 1}" max="${c + 1}" width="${Math.min(50, Math.max(8, w + 2))}" customWidth="1"/>`;
  }
  if (cols !== '') xml += `<cols>${cols}</cols>`;
  xml += body === '' ? '<sheetData/>' : `<sheetData>${body}</sheetData>`;
  if (merges.length > 0) xml += `<mergeCells count="${merges.length}">${merges.map((m) => `<mergeCell ref="${m}"/>`).join('')}</mergeCells>`;
  xml += '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>';
  if (legacyDrawing !== undefined) xml += legacyDrawing;
  return `${xml}</worksheet>`;
}


const enc = new TextEncoder();
const dec = new TextDecoder();

function countAttr(tag: string, name: string): number {
  const m = new RegExp(`\\s${name}="(\\d+)"`).exec(tag);
  return m ? Number(m[1]) : 0;
}

function setCount(tag: string, name: string, n: number): string {
  const re = new RegExp(`(\\s${name}=")\\d+(")`);
  return re.test(tag) ? tag.replace(re, `$1${n}$2`) : tag.replace(/\s*(\/?>)$/, ` ${name}="${n}"$1`);
}

/** Appends `items` (n entries) at the end of the element `name`, updating its count. */
function appendTo(xml: string, name: string, items: string, n: number): string {
  const open = new RegExp(`<${name}\\b[^>]*>`).exec(xml);
  if (!open) throw new XlsxPlanError(`the package has no <${name}> to add to`);
  const end = xml.indexOf(`</${name}>`, open.index);
  const tag = setCount(open[0], 'count', countAttr(open[0], 'count') + n);
  return xml.slice(0, open.index) + tag + xml.slice(open.index + open[0].length, end) + items + xml.slice(end);
}

function text(files: Record<string, Uint8Array>, part: string): string {
  const b = files[part];
  if (b === undefined) throw new XlsxPlanError(`the package has no ${part}`);
  return dec.decode(b);
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

/** The string table for copies going into this package: numbered after the strings of the planned sheets. */
function stringsFor(files: Record<string, Uint8Array>): StringTable {
  const sst = files['xl/sharedStrings.xml'];
  if (sst === undefined) return new StringTable(0);
  const open = /<sst\b[^>]*>/.exec(dec.decode(sst));
  return new StringTable(open ? countAttr(open[0], 'uniqueCount') : 0);
}

/** The style table for copies going into this package, after the formats of the planned sheets. */
function stylesFor(xml: string): StyleTable {
  const formats = new Map<string, number>();
  for (const m of xml.matchAll(/<numFmt\s+numFmtId="(\d+)"\s+formatCode="([^"]*)"\s*\/>/g)) formats.set(decodeEntities(m[2]!), Number(m[1]));
  const xfs = /<cellXfs\b[^>]*>/.exec(xml);
  const fills = /<fills\b[^>]*>/.exec(xml);
  return new StyleTable(formats, xfs ? countAttr(xfs[0], 'count') : 0, fills ? countAttr(fills[0], 'count') : 0);
}

function addStrings(files: Record<string, Uint8Array>, strings: StringTable): void {
  if (strings.list.length === 0) return;
  const si = strings.list.map((s) => `<si>${tElement(s)}</si>`).join('');
  const old = files['xl/sharedStrings.xml'];
  if (old === undefined) {
    files['xl/sharedStrings.xml'] = enc.encode(`${XML_HEAD}<sst xmlns="${NS.main}" count="${strings.refs}" uniqueCount="${strings.list.length}">${si}</sst>`);
    const rels = 'xl/_rels/workbook.xml.rels';
    files[rels] = enc.encode(
      text(files, rels).replace('</Relationships>', `<Relationship Id="rIdHuizongStrings" Type="${NS.rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`),
    );
    const types = '[Content_Types].xml';
    files[types] = enc.encode(text(files, types).replace('</Types>', `<Override PartName="/xl/sharedStrings.xml" ContentType="${TYPES.sharedStrings}"/></Types>`));
    return;
  }
  const xml = dec.decode(old);
  const open = /<sst\b[^>]*>/.exec(xml)!;
  let tag = setCount(open[0], 'count', countAttr(open[0], 'count') + strings.refs);
  tag = setCount(tag, 'uniqueCount', strings.base + strings.list.length);
  const end = xml.lastIndexOf('</sst>');
  files['xl/sharedStrings.xml'] = enc.encode(xml.slice(0, open.index) + tag + xml.slice(open.index + open[0].length, end) + si + xml.slice(end));
}

function addStyles(xml: string, styles: StyleTable): string {
  if (styles.xfs.length === 0) return xml;
  if (styles.numFmts.length > 0) {
    const added = styles.numFmts.map(([id, code]) => `<numFmt numFmtId="${id}" formatCode="${xmlEscape(code)}"/>`).join('');
    if (/<numFmts\b/.test(xml)) xml = appendTo(xml, 'numFmts', added, styles.numFmts.length);
    else {
      const at = xml.indexOf('<fonts');
      xml = `${xml.slice(0, at)}<numFmts count="${styles.numFmts.length}">${added}</numFmts>${xml.slice(at)}`;
    }
  }
  const fills = (['error', 'warning'] as const).map((f) => `<fill><patternFill patternType="solid"><fgColor rgb="${MARK_COLORS[f]}"/></patternFill></fill>`).join('');
  xml = appendTo(xml, 'fills', fills, 2);
  const xfs = styles.xfs
    .map(([fmt, fill]) => {
      const fillId = fill === null ? 0 : styles.fillId(fill);
      return `<xf numFmtId="${fmt}" fontId="0" fillId="${fillId}" borderId="0" xfId="0"${fmt !== 0 ? ' applyNumberFormat="1"' : ''}${fill !== null ? ' applyFill="1"' : ''}/>`;
    })
    .join('');
  return appendTo(xml, 'cellXfs', xfs, styles.xfs.length);
}

/** `docProps/app.xml` listing every sheet, in workbook order. */
function appXml(xml: string, names: readonly string[]): string {
  const titles = names.map((n) => `<vt:lpstr>${xmlEscape(n)}</vt:lpstr>`).join('');
  return xml
    .replace(/<vt:i4>\d+<\/vt:i4>/, `<vt:i4>${names.length}</vt:i4>`)
    .replace(/<TitlesOfParts>[\s\S]*?<\/TitlesOfParts>/, `<TitlesOfParts><vt:vector size="${names.length}" baseType="lpstr">${titles}</vt:vector></TitlesOfParts>`);
}

/**
 * Adds the copies to a package of planned sheets (parts by name, changed in place): a worksheet each,
 * with its notes when it has marks, listed after the package's own sheets (before them when
 * `first`), their strings added to the shared strings and their cell formats to the styles.
 */
export function appendCopies(files: Record<string, Uint8Array>, copies: readonly SheetCopy[], first: boolean): void {
  if (copies.length === 0) return;
  const wbPart = 'xl/workbook.xml';
  let wb = text(files, wbPart).replace(/<sheets\s*\/>/, '<sheets></sheets>');
  if (!wb.includes('<sheets>')) {
    // A package without a sheet list: it comes before these.
    const at = ['<functionGroups', '<externalReferences', '<definedNames', '<calcPr', '</workbook>'].map((t) => wb.indexOf(t)).find((i) => i >= 0)!;
    wb = `${wb.slice(0, at)}<sheets></sheets>${wb.slice(at)}`;
  }
  const own = [...wb.matchAll(/<sheet\s[^>]*>/g)];
  const ownNames = own.map((m) => decodeEntities(/\sname="([^"]*)"/.exec(m[0])?.[1] ?? ''));
  const firstId = Math.max(0, ...own.map((m) => Number(/\ssheetId="(\d+)"/.exec(m[0])?.[1] ?? 0))) + 1;
  let firstFile = 1;
  for (const name of Object.keys(files)) {
    const m = /^xl\/worksheets\/sheet(\d+)\.xml$/.exec(name);
    if (m) firstFile = Math.max(firstFile, Number(m[1]) + 1);
  }

  const strings = stringsFor(files);
  const stylesXml = text(files, 'xl/styles.xml');
  const styles = stylesFor(stylesXml);
  let sheets = '';
  let rels = '';
  let types = '';
  let anyNotes = false;
  copies.forEach((copy, k) => {
    const n = firstFile + k;
    const rid = `rIdHuizong${k + 1}`;
    const notes = copyNotes(copy);
    const drawing = notes.length > 0 ? '<legacyDrawing r:id="rId2"/>' : undefined;
    files[`xl/worksheets/sheet${n}.xml`] = enc.encode(copySheetXml(copy, strings, styles, drawing));
    if (notes.length > 0) {
      anyNotes = true;
      files[`xl/worksheets/_rels/sheet${n}.xml.rels`] = enc.encode(
        `${XML_HEAD}<Relationships xmlns="${NS.rels}"><Relationship Id="rId1" Type="${NS.rel}/comments" Target="../comments${n}.xml"/>` +
          `<Relationship Id="rId2" Type="${NS.rel}/vmlDrawing" Target="../drawings/vmlDrawing${n}.vml"/></Relationships>`,
      );
      files[`xl/comments${n}.xml`] = enc.encode(commentsXml(notes));
      files[`xl/drawings/vmlDrawing${n}.vml`] = enc.encode(notesVml(notes));
      types += `<Override PartName="/xl/comments${n}.xml" ContentType="${TYPES.comments}"/>`;
    }
    sheets += `<sheet sheetId="${firstId + k}" name="${xmlEscape(copy.name)}" state="visible" r:id="${rid}"/>`;
    rels += `<Relationship Id="${rid}" Type="${NS.rel}/worksheet" Target="worksheets/sheet${n}.xml"/>`;
    types += `<Override PartName="/xl/worksheets/sheet${n}.xml" ContentType="${TYPES.worksheet}"/>`;
  });

  if (first) {
    wb = wb.replace(/<sheets>/, `<sheets>${sheets}`);
    // Sheet-scoped names count sheets by position: the package's own moved back past the copies.
    wb = wb.replace(/(\slocalSheetId=")(\d+)(")/g, (_m, a: string, id: string, b: string) => `${a}${Number(id) + copies.length}${b}`);
  } else {
    wb = wb.replace('</sheets>', `${sheets}</sheets>`);
  }
  files[wbPart] = enc.encode(wb);
  const relsPart = 'xl/_rels/workbook.xml.rels';
  files[relsPart] = enc.encode(text(files, relsPart).replace('</Relationships>', `${rels}</Relationships>`));
  let ct = text(files, '[Content_Types].xml');
  if (anyNotes && !/<Default\s+Extension="vml"/.test(ct)) types = `<Default Extension="vml" ContentType="${TYPES.vml}"/>${types}`;
  ct = ct.replace('</Types>', `${types}</Types>`);
  files['[Content_Types].xml'] = enc.encode(ct);
  const app = files['docProps/app.xml'];
  if (app !== undefined) {
    const copyNames = copies.map((c) => c.name);
    files['docProps/app.xml'] = enc.encode(appXml(dec.decode(app), first ? [...copyNames, ...ownNames] : [...ownNames, ...copyNames]));
  }
  files['xl/styles.xml'] = enc.encode(addStyles(stylesXml, styles));
  addStrings(files, strings);
}
