/**
 * A small hidden sheet added to a school's .xlsx, or taken out of it, with the school's own parts left as
 * they are: the new sheet's part is added, and only the three parts that list a workbook's sheets
 * (`[Content_Types].xml`, the workbook part and its relationships) gain or lose one entry. Every other
 * part's content is carried over byte for byte. Used for the self-check record (src/job/selfCheck.ts).
 */
import { inflateSync, zipSync, type Zippable } from 'fflate';
import { dirOf, relsPathFor, resolveTarget } from './read';
import { openZip, ZipProblem, type Inflate } from './unzip';
import { decodeEntities } from './xml';
import { tElement, xmlEscape } from './xmlParts';

const inflate: Inflate = (data, max) => inflateSync(data, { out: new Uint8Array(max) });

const REL_WORKSHEET = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const WORKSHEET_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml';

/** The package is not an .xlsx this can add a sheet to (damaged, or not a SpreadsheetML package). */
export class SheetPartError extends Error {
  override readonly name = 'SheetPartError';
}

const utf8 = new TextDecoder('utf-8');
const encode = (s: string): Uint8Array => new TextEncoder().encode(s);

/** An attribute's value in a tag's text. */
function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name.replace(':', '\\:')}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(tag);
  return m === null ? undefined : (m[2] ?? m[3]);
}

interface Package {
  /** Every part by its name as the archive spells it, and a lookup by the name without a leading slash, lower-cased. */
  readonly files: Zippable;
  readonly byKey: Map<string, string>;
  readonly workbook: string;
}

function openPackage(bytes: Uint8Array): Package {
  let zip;
  try {
    zip = openZip(bytes, inflate);
  } catch (e) {
    if (e instanceof ZipProblem) throw new SheetPartError(e.message);
    throw e;
  }
  if (zip === null) throw new SheetPartError('not a zip package');
  const files: Zippable = {};
  const byKey = new Map<string, string>();
  for (const name of new Set(zip.names)) {
    if (name.endsWith('/')) continue;
    let data;
    try {
      data = zip.read(name);
    } catch (e) {
      if (e instanceof ZipProblem) throw new SheetPartError(e.message);
      throw e;
    }
    if (data === undefined) continue;
    files[name] = data;
    byKey.set(name.replace(/^\/+/, '').toLowerCase(), name);
  }
  const rootRels = text(files, byKey, '_rels/.rels');
  let workbook = 'xl/workbook.xml';
  if (rootRels !== undefined) {
    for (const tag of rootRels.match(/<(?:\w+:)?Relationship\b[^>]*>/g) ?? []) {
      if ((attr(tag, 'Type') ?? '').endsWith('/officeDocument')) workbook = resolveTarget('', decodeEntities(attr(tag, 'Target') ?? ''));
    }
  }
  if (!byKey.has(workbook.toLowerCase()) || !byKey.has('[content_types].xml')) throw new SheetPartError('not a SpreadsheetML package');
  return { files, byKey, workbook };
}

function text(files: Zippable, byKey: Map<string, string>, key: string): string | undefined {
  const name = byKey.get(key.toLowerCase());
  const data = name === undefined ? undefined : files[name];
  return data instanceof Uint8Array ? utf8.decode(data) : undefined;
}

function put(pkg: Package, key: string, content: string): void {
  const name = pkg.byKey.get(key.toLowerCase()) ?? key;
  pkg.files[name] = encode(content);
  pkg.byKey.set(key.toLowerCase(), name);
}

/** The workbook's `<sheet>` tags with their names and relationship ids, in order. */
function sheetTags(workbookXml: string): { tag: string; name: string; rid: string | undefined }[] {
  const sheets = /<(?:\w+:)?sheets\b[^>]*>([\s\S]*?)<\/(?:\w+:)?sheets>/.exec(workbookXml);
  if (sheets === null) return [];
  return (sheets[1]!.match(/<(?:\w+:)?sheet\b[^>]*?\/?>/g) ?? []).map((tag) => {
    const ridAttr = /\s([\w.-]+:)?id\s*=\s*("([^"]*)"|'([^']*)')/.exec(tag);
    return { tag, name: decodeEntities(attr(tag, 'name') ?? ''), rid: ridAttr === null ? undefined : (ridAttr[3] ?? ridAttr[4]) };
  });
}

/** The rows as a worksheet part: text cells written inline, two columns wide enough to read. */
function sheetXml(rows: readonly (readonly string[])[]): string {
  const body = rows
    .map((row, r) => `<row r="${r + 1}">${row.map((v, c) => `<c r="${String.fromCharCode(65 + c)}${r + 1}" t="inlineStr"><is>${tElement(v)}</is></c>`).join('')}</row>`)
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
    '<cols><col min="1" max="1" width="16" customWidth="1"/><col min="2" max="2" width="72" customWidth="1"/></cols>' +
    `<sheetData>${body}</sheetData></worksheet>`
  );
}

/** The relationship Target of `rid` in a relationships part, resolved. */
function targetOf(rels: string, rid: string, base: string): string | undefined {
  for (const tag of rels.match(/<(?:\w+:)?Relationship\b[^>]*>/g) ?? []) if (attr(tag, 'Id') === rid) return resolveTarget(dirOf(base), decodeEntities(attr(tag, 'Target') ?? ''));
  return undefined;
}

/**
 * The package with a hidden sheet `name` holding `rows` (at most 26 columns of text): added as the
 * last sheet, or, when the workbook already has a sheet of that name, that sheet's part rewritten in place.
 * Throws {@link SheetPartError} when the bytes are not an .xlsx package.
 */
export function withHiddenSheet(bytes: Uint8Array, name: string, rows: readonly (readonly string[])[]): Uint8Array {
  const pkg = openPackage(bytes);
  const wbXml = text(pkg.files, pkg.byKey, pkg.workbook)!;
  const relsPath = relsPathFor(pkg.workbook);
  const rels = text(pkg.files, pkg.byKey, relsPath) ?? '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>';
  const content = sheetXml(rows);
  const existing = sheetTags(wbXml).find((s) => s.name === name);
  const existingPart = existing?.rid === undefined ? undefined : targetOf(rels, existing.rid, pkg.workbook);
  if (existingPart !== undefined && pkg.byKey.has(existingPart.toLowerCase())) {
    put(pkg, existingPart, content);
    return zipSync(pkg.files);
  }
  if (existing !== undefined) throw new SheetPartError(`the sheet ${name} has no part`);

  // A part name and a relationship id the package does not use yet.
  let n = 1;
  while (pkg.byKey.has(resolveTarget(dirOf(pkg.workbook), `worksheets/huizong${n}.xml`).toLowerCase())) n++;
  const target = `worksheets/huizong${n}.xml`;
  const part = resolveTarget(dirOf(pkg.workbook), target);
  const ids = new Set((rels.match(/\sId\s*=\s*("[^"]*"|'[^']*')/g) ?? []).map((m) => m.replace(/^\sId\s*=\s*["']|["']$/g, '')));
  let k = 1;
  while (ids.has(`rIdHz${k}`)) k++;
  const rid = `rIdHz${k}`;
  const sheetIds = sheetTags(wbXml).map((s) => Number(attr(s.tag, 'sheetId') ?? 0));
  const sheetId = Math.max(0, ...sheetIds.filter(Number.isFinite)) + 1;

  const closeSheets = /<\/((?:\w+:)?)sheets>/.exec(wbXml);
  if (closeSheets === null) throw new SheetPartError('the workbook lists no sheets');
  const prefix = closeSheets[1]!;
  const sheetTag = `<${prefix}sheet xmlns:hzr="${REL_NS}" name="${xmlEscape(name)}" sheetId="${sheetId}" state="hidden" hzr:id="${rid}"/>`;
  put(pkg, pkg.workbook, wbXml.slice(0, closeSheets.index) + sheetTag + wbXml.slice(closeSheets.index));

  const closeRels = /<\/((?:\w+:)?)Relationships>/.exec(rels);
  if (closeRels === null) throw new SheetPartError('the workbook relationships cannot be read');
  const relTag = `<${closeRels[1]}Relationship Id="${rid}" Type="${REL_WORKSHEET}" Target="${target}"/>`;
  put(pkg, relsPath, rels.slice(0, closeRels.index) + relTag + rels.slice(closeRels.index));

  const types = text(pkg.files, pkg.byKey, '[Content_Types].xml')!;
  const closeTypes = /<\/((?:\w+:)?)Types>/.exec(types);
  if (closeTypes === null) throw new SheetPartError('the content types cannot be read');
  const override = `<${closeTypes[1]}Override PartName="/${part}" ContentType="${WORKSHEET_TYPE}"/>`;
  put(pkg, '[Content_Types].xml', types.slice(0, closeTypes.index) + override + types.slice(closeTypes.index));

  pkg.files[part] = encode(content);
  return zipSync(pkg.files);
}

/**
 * The package without its sheet `name` (its entry, relationship, content type and part), for a host that
 * would otherwise take it in with the school's sheets; the bytes themselves when there is no such sheet,
 * and null when the package cannot be read this way (the caller then uses it as it is).
 */
export function withoutSheet(bytes: Uint8Array, name: string): Uint8Array | null {
  let pkg: Package;
  try {
    pkg = openPackage(bytes);
  } catch (e) {
    if (e instanceof SheetPartError) return null;
    throw e;
  }
  const wbXml = text(pkg.files, pkg.byKey, pkg.workbook)!;
  const tags = sheetTags(wbXml);
  const index = tags.findIndex((s) => s.name === name);
  if (index < 0) return bytes;
  const sheet = tags[index]!;
  const relsPath = relsPathFor(pkg.workbook);
  const rels = text(pkg.files, pkg.byKey, relsPath) ?? '';
  const part = sheet.rid === undefined ? undefined : targetOf(rels, sheet.rid, pkg.workbook);
  // Names scoped to a sheet count sheets by position: those after the one taken out move up by one.
  let wb = wbXml.replace(sheet.tag, '');
  wb = wb.replace(/<((?:\w+:)?)definedName\b([^>]*)>([\s\S]*?)<\/\1definedName>/g, (whole, p: string, attrs: string, body: string) => {
    const local = attr(attrs, 'localSheetId');
    if (local === undefined) return whole;
    const at = Number(local);
    if (at === index) return '';
    return at > index ? `<${p}definedName${attrs.replace(/localSheetId\s*=\s*("[^"]*"|'[^']*')/, `localSheetId="${at - 1}"`)}>${body}</${p}definedName>` : whole;
  });
  wb = wb.replace(/(\sactiveTab\s*=\s*)("(\d+)"|'(\d+)')/, (_m, pre: string, _q: string, a?: string, b?: string) => `${pre}"${Math.max(0, Math.min(Number(a ?? b), tags.length - 2))}"`);
  put(pkg, pkg.workbook, wb);
  if (sheet.rid !== undefined) {
    const rid = sheet.rid;
    put(pkg, relsPath, rels.replace(/<(?:\w+:)?Relationship\b[^>]*>(?:\s*<\/(?:\w+:)?Relationship>)?/g, (tag) => (attr(tag, 'Id') === rid ? '' : tag)));
  }
  if (part !== undefined) {
    const types = text(pkg.files, pkg.byKey, '[Content_Types].xml')!;
    put(pkg, '[Content_Types].xml', types.replace(/<(?:\w+:)?Override\b[^>]*\/>/g, (tag) => ((attr(tag, 'PartName') ?? '').replace(/^\//, '').toLowerCase() === part.toLowerCase() ? '' : tag)));
    const stored = pkg.byKey.get(part.toLowerCase());
    if (stored !== undefined) delete pkg.files[stored];
    const partRels = pkg.byKey.get(relsPathFor(part).toLowerCase());
    if (partRels !== undefined) delete pkg.files[partRels];
  }
  return zipSync(pkg.files);
}
