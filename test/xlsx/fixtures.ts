/**
 * Hand-written SpreadsheetML zipped into small .xlsx files that look like what Excel, WPS and
 * LibreOffice (and .NET writers) produce, plus broken files. `fixtures.test.ts` checks the
 * committed copies under test/fixtures/xlsx/ against these generators (and rewrites them when
 * HUIZONG_UPDATE_FIXTURES=1), so every committed binary has its source here.
 */
import { strToU8, zipSync, type Zippable } from 'fflate';

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG = 'http://schemas.openxmlformats.org/package/2006/relationships';
const FIXED_TIME = new Date('2024-09-01T00:00:00Z');

/** Zips parts deterministically (fixed times), so a fixture's bytes depend only on its text. */
export function zipParts(parts: Record<string, string | Uint8Array>): Uint8Array {
  const z: Zippable = {};
  for (const [k, v] of Object.entries(parts)) z[k] = [typeof v === 'string' ? strToU8(v) : v, { mtime: FIXED_TIME }];
  return zipSync(z, { level: 6, mtime: FIXED_TIME });
}

/** Puts a namespace prefix on every element of hand-written XML (as .NET's OpenXML SDK writes). */
export function prefixed(xml: string, prefix: string): string {
  return xml.replace(/<(\/?)([A-Za-z])/g, `<$1${prefix}:$2`).replace(/ xmlns="/, ` xmlns:${prefix}="`);
}

/** One worksheet part. */
export interface SheetPart {
  readonly name: string;
  readonly xml: string;
  /** `worksheet` (default) or `chartsheet`. */
  readonly kind?: 'worksheet' | 'chartsheet';
  readonly state?: 'hidden';
}

/** Options of a generated package. */
export interface PackageOptions {
  readonly sheets: readonly SheetPart[];
  readonly sharedStrings?: string;
  readonly styles?: string;
  readonly date1904?: boolean;
  /** Element prefix for workbook.xml (worksheets carry their own). */
  readonly prefix?: string;
  /** Leave out the workbook's relationships part (sheet paths are then guessed). */
  readonly noWorkbookRels?: boolean;
}

/** A whole .xlsx package around the given parts. */
export function xlsxPackage(o: PackageOptions): Uint8Array {
  const overrides: string[] = [
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>',
  ];
  const rels: string[] = [];
  const sheets: string[] = [];
  const parts: Record<string, string> = {};
  o.sheets.forEach((s, i) => {
    const kind = s.kind ?? 'worksheet';
    const folder = kind === 'worksheet' ? 'worksheets' : 'chartsheets';
    const file = `${folder}/sheet${i + 1}.xml`;
    parts[`xl/${file}`] = s.xml;
    overrides.push(`<Override PartName="/xl/${file}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.${kind}+xml"/>`);
    rels.push(`<Relationship Id="rId${i + 1}" Type="${REL}/${kind}" Target="${file}"/>`);
    sheets.push(`<sheet name="${s.name}" sheetId="${i + 1}"${s.state ? ` state="${s.state}"` : ''} r:id="rId${i + 1}"/>`);
  });
  let n = o.sheets.length;
  if (o.sharedStrings !== undefined) {
    parts['xl/sharedStrings.xml'] = o.sharedStrings;
    rels.push(`<Relationship Id="rId${++n}" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>`);
    overrides.push('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>');
  }
  if (o.styles !== undefined) {
    parts['xl/styles.xml'] = o.styles;
    rels.push(`<Relationship Id="rId${n + 1}" Type="${REL}/styles" Target="/xl/styles.xml"/>`);
    overrides.push('<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>');
  }
  let workbook =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="${MAIN}" xmlns:r="${REL}">` +
    `<workbookPr${o.date1904 ? ' date1904="1"' : ''}/><bookViews><workbookView/></bookViews><sheets>${sheets.join('')}</sheets><calcPr calcId="191029"/></workbook>`;
  if (o.prefix !== undefined) workbook = prefixed(workbook, o.prefix);
  return zipParts({
    '[Content_Types].xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>${overrides.join('')}</Types>`,
    '_rels/.rels': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': workbook,
    ...(o.noWorkbookRels ? {} : { 'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${PKG}">${rels.join('')}</Relationships>` }),
    ...parts,
  });
}

/** A worksheet part around the given `<sheetData>` content and trailing elements. */
export function worksheet(sheetData: string, after = '', before = ''): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${MAIN}" xmlns:r="${REL}">${before}<sheetData>${sheetData}</sheetData>${after}</worksheet>`;
}

/** A styles part with the given custom formats and cell styles' format ids. */
export function stylesXml(numFmts: Record<number, string>, xfFormatIds: readonly number[], styleXfs = 1): string {
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const fmts = Object.entries(numFmts)
    .map(([id, code]) => `<numFmt numFmtId="${id}" formatCode="${esc(code)}"/>`)
    .join('');
  // cellStyleXfs come first and must not be mistaken for cell formats.
  const styleXf = Array.from({ length: styleXfs }, () => '<xf numFmtId="10" fontId="0" fillId="0" borderId="0"/>').join('');
  const xfs = xfFormatIds.map((id) => `<xf numFmtId="${id}" fontId="0" fillId="0" borderId="0" xfId="0"${id ? ' applyNumberFormat="1"' : ''}><alignment vertical="center"/></xf>`).join('');
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="${MAIN}">` +
    (fmts ? `<numFmts count="${Object.keys(numFmts).length}">${fmts}</numFmts>` : '') +
    `<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>` +
    `<borders count="1"><border/></borders><cellStyleXfs count="${styleXfs}">${styleXf}</cellStyleXfs><cellXfs count="${xfFormatIds.length}">${xfs}</cellXfs>` +
    `<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles></styleSheet>`
  );
}

// ───────────────────────────── the fixtures ─────────────────────────────

/** Excel: shared strings with rich runs and phonetic text, custom and built-in formats, shared formulas, merges, booleans and errors. */
export function excelBasic(): Uint8Array {
  const sst =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="${MAIN}" count="8" uniqueCount="8">` +
    '<si><t>学校代码</t></si>' +
    '<si><t>0012345678</t></si>' +
    '<si><r><rPr><b/></rPr><t>教职工</t></r><r><t xml:space="preserve"> 人数</t></r><rPh sb="0" eb="3"><t>ジャオ</t></rPh></si>' +
    '<si><t>A &amp; B &lt;c&gt;</t></si>' +
    '<si><t>line1_x000D_\nline2</t></si>' +
    '<si><t>=SUM(A1)</t></si>' +
    '<si><t/></si>' +
    '<si><t>接种率</t></si>' +
    '</sst>';
  const styles = stylesXml({ 164: '0.0%', 165: 'yyyy"年"m"月"d"日"' }, [0, 9, 164, 14, 49, 3, 165]);
  const sheet = worksheet(
    '<row r="1" spans="1:4"><c r="A1" t="s"><v>0</v></c><c r="B1" s="4" t="s"><v>1</v></c></row>' +
      '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" s="5"><v>2381</v></c><c r="C2" s="1"><v>0.95</v></c><c r="D2" s="2"><v>0.8884</v></c></row>' +
      '<row r="3"><c r="A3" t="s"><v>3</v></c><c r="B3"><v>10</v></c><c r="C3"><v>20</v></c><c r="D3"><f t="shared" ref="D3:D5" si="0">B3+C3</f><v>30</v></c></row>' +
      '<row r="4"><c r="A4" t="s"><v>4</v></c><c r="B4"><v>1</v></c><c r="C4"><v>2</v></c><c r="D4"><f t="shared" si="0"/><v>3</v></c></row>' +
      '<row r="5"><c r="A5" t="s"><v>5</v></c><c r="B5"><v>5</v></c><c r="C5"><v>6</v></c><c r="D5"><f t="shared" si="0"/><v>11</v></c><c r="E5" s="3"><v>45536</v></c></row>' +
      '<row r="7"><c r="A7" t="b"><v>1</v></c><c r="B7" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="C7" t="str"><f>"x"&amp;"y"</f><v>xy</v></c><c r="D7" s="6"><v>45537</v></c><c r="E7" t="s"><v>6</v></c></row>' +
      '<row r="8"><c r="A8" t="s"><v>7</v></c><c r="B8"><f>SUM(B2:B5)</f></c><c r="C8" s="1"/></row>',
    '<mergeCells count="2"><mergeCell ref="A10:C10"/><mergeCell ref="E1:F2"/></mergeCells><phoneticPr fontId="1" type="noConversion"/>',
    '<dimension ref="A1:F10"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><cols><col min="1" max="1" width="20"/></cols>',
  );
  const chart = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<chartsheet xmlns="${MAIN}"><sheetViews><sheetView workbookViewId="0"/></sheetViews></chartsheet>`;
  return xlsxPackage({
    sharedStrings: sst,
    styles,
    sheets: [
      { name: '填报表', xml: sheet },
      { name: 'Chart1', xml: chart, kind: 'chartsheet' },
      { name: '隐藏 &amp; 辅助', xml: worksheet('<row r="1"><c r="A1"><v>1</v></c></row>'), state: 'hidden' },
    ],
  });
}

/** WPS: inline strings, no shared-strings part, rows and cells without `r`, a skipped row by `r` only. */
export function wpsInline(): Uint8Array {
  const is = (t: string): string => `<c t="inlineStr"><is><t>${t}</t></is></c>`;
  const sheet = worksheet(
    `<row>${is('学校代码')}${is('0012345678')}</row>` +
      `<row>${is('学校名称')}${is('第一小学')}</row>` +
      '<row><c/><c/></row>' +
      `<row>${is('代码')}${is('指标')}${is('单位')}${is('数值')}</row>` +
      `<row>${is('STUDENTS')}${is('在校生数')}${is('人')}${is('1,234')}</row>` +
      `<row>${is('TEACHERS')}${is('专任教师数')}${is('人')}<c s="1"><v>88</v></c></row>` +
      `<row r="10">${is('STAFF_VACC_RATE')}${is('接种率')}${is('%')}<c s="2"><v>0.9</v></c></row>` +
      `<row><c t="inlineStr"><is><r><t>富</t></r><r><rPr><i/></rPr><t>文本</t></r><rPh><t>ふ</t></rPh></is></c></row>`,
  );
  return xlsxPackage({ styles: stylesXml({}, [0, 3, 10], 2), sheets: [{ name: 'Sheet1', xml: sheet }] });
}

/** .NET OpenXML SDK / LibreOffice flavour: `x:`-prefixed elements, explicit `t="n"`, `aca` formulas, 1904 dates, entities. */
export function prefixedPackage(): Uint8Array {
  const sst = prefixed(
    `<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="${MAIN}"><si><t>名称 &quot;甲&quot;</t></si><si><t>&#x4E00;&#20108;三</t></si></sst>`,
    'x',
  );
  const sheet = prefixed(
    worksheet(
      '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>' +
        '<row r="2"><c r="A2" s="0" t="n"><v>2</v></c><c r="B2" s="0" t="n"><v>3</v></c><c r="C2" s="0" t="n"><f aca="false">A2+B2</f><v>5</v></c></row>' +
        '<row r="3"><c r="A3" s="1" t="n"><v>0</v></c><c r="B3" t="d"><v>2024-09-01T00:00:00</v></c></row>',
      '<mergeCells count="1"><mergeCell ref="A5:B5"/></mergeCells>',
    ),
    'x',
  );
  const styles = prefixed(stylesXml({}, [0, 14]), 'x');
  return xlsxPackage({ sharedStrings: sst, styles, date1904: true, prefix: 'x', sheets: [{ name: 'Лист1', xml: sheet }] });
}

/** A workbook with one sheet and no cells. */
export function emptyWorkbook(): Uint8Array {
  return xlsxPackage({ sheets: [{ name: 'Sheet1', xml: worksheet('') }] });
}

/** A zip that is not a workbook (a word-processing document). */
export function notAWorkbook(): Uint8Array {
  return zipParts({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document/>' });
}

/** The first half of a good workbook: a zip whose central directory is gone. */
export function truncatedZip(): Uint8Array {
  const good = excelBasic();
  return good.slice(0, Math.floor(good.length / 2));
}

/**
 * A compound file (CFB/OLE) like the one Office writes for a password-protected .xlsx: streams
 * `EncryptionInfo` and `EncryptedPackage` (their contents are filler here).
 */
export function encryptedPackage(): Uint8Array {
  const SECTOR = 512;
  const streamSectors = 8; // 4096 bytes each, at the mini-stream cutoff, so no mini stream is needed
  const total = 1 + 2 + 2 * streamSectors; // header + FAT + directory + two streams
  const out = new Uint8Array(total * SECTOR);
  const dv = new DataView(out.buffer);
  out.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 0);
  dv.setUint16(24, 0x3e, true);
  dv.setUint16(26, 3, true);
  dv.setUint16(28, 0xfffe, true);
  dv.setUint16(30, 9, true);
  dv.setUint16(32, 6, true);
  dv.setUint32(44, 1, true); // FAT sectors
  dv.setUint32(48, 1, true); // first directory sector
  dv.setUint32(56, 4096, true);
  dv.setUint32(60, 0xfffffffe, true);
  dv.setUint32(68, 0xfffffffe, true);
  dv.setUint32(76, 0, true); // DIFAT[0] = FAT at sector 0
  for (let i = 1; i < 109; i++) dv.setUint32(76 + 4 * i, 0xffffffff, true);
  const sector = (n: number): number => SECTOR * (n + 1);
  // FAT: sector 0 is the FAT, 1 the directory, 2..9 EncryptionInfo, 10..17 EncryptedPackage.
  const fat = sector(0);
  for (let i = 0; i < 128; i++) dv.setUint32(fat + 4 * i, 0xffffffff, true);
  dv.setUint32(fat, 0xfffffffd, true);
  dv.setUint32(fat + 4, 0xfffffffe, true);
  for (const first of [2, 2 + streamSectors]) {
    for (let k = 0; k < streamSectors; k++) dv.setUint32(fat + 4 * (first + k), k === streamSectors - 1 ? 0xfffffffe : first + k + 1, true);
  }
  const dir = sector(1);
  const entry = (i: number, name: string, type: number, left: number, right: number, child: number, start: number, size: number): void => {
    const at = dir + 128 * i;
    for (let k = 0; k < name.length; k++) dv.setUint16(at + 2 * k, name.charCodeAt(k), true);
    dv.setUint16(at + 64, name.length === 0 ? 0 : 2 * (name.length + 1), true);
    out[at + 66] = type;
    out[at + 67] = 1; // black
    dv.setUint32(at + 68, left, true);
    dv.setUint32(at + 72, right, true);
    dv.setUint32(at + 76, child, true);
    dv.setUint32(at + 116, start, true);
    dv.setUint32(at + 120, size, true);
  };
  const NONE = 0xffffffff;
  entry(0, 'Root Entry', 5, NONE, NONE, 1, 0xfffffffe, 0);
  entry(1, 'EncryptionInfo', 2, NONE, 2, NONE, 2, 4096);
  entry(2, 'EncryptedPackage', 2, NONE, NONE, NONE, 2 + streamSectors, 4096);
  entry(3, '', 0, NONE, NONE, NONE, 0, 0);
  // Filler contents: an agile EncryptionInfo starts with version 4.4.
  const info = sector(2);
  dv.setUint16(info, 4, true);
  dv.setUint16(info + 2, 4, true);
  for (let k = 0; k < 4096; k++) out[sector(2 + streamSectors) + k] = (k * 131 + 7) & 0xff;
  return out;
}

/** Every generated fixture by file name under test/fixtures/xlsx/. */
export const GENERATED: Readonly<Record<string, () => Uint8Array>> = {
  'excel-basic.xlsx': excelBasic,
  'wps-inline.xlsx': wpsInline,
  'prefixed-1904.xlsx': prefixedPackage,
  'error.empty.xlsx': emptyWorkbook,
  'error.not-a-workbook.xlsx': notAWorkbook,
  'error.truncated.xlsx': truncatedZip,
  'error.encrypted.xlsx': encryptedPackage,
  'error.not-zip.xlsx': () => new TextEncoder().encode('学校代码,0012345678\n这不是 Excel 文件\n'),
};
