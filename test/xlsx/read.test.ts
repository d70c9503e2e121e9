/**
 * Packages as other producers write them, each built here like the real file it stands for: part names
 * with backslashes or in another case, a workbook outside `xl/`, 1904 workbooks with durations, XML line
 * ends, time-only ISO cells, a missing shared-strings part, and one long text in thousands of cells.
 */
import { strFromU8, strToU8, unzipSync } from 'fflate';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { builtinPreset } from '../../src/core/preset';
import { readBook } from '../../src/job/read';
import { readWorkbookFileSync, readXlsx } from '../../src/xlsx';
import { stylesXml, worksheet, xlsxPackage, zipParts } from './fixtures';

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG = 'http://schemas.openxmlformats.org/package/2006/relationships';

const SST = `<sst xmlns="${MAIN}"><si><t>学校代码</t></si><si><t>城关一小</t></si></sst>`;
const SHEET = worksheet('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>3401020001</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2"><v>12.5</v></c></row>');
const EXPECTED = [
  ['学校代码', 3401020001],
  ['城关一小', 12.5],
];

function values(bytes: Uint8Array, name = 'x.xlsx'): unknown {
  const r = readXlsx(bytes, name);
  if ('issue' in r) throw new Error(JSON.stringify(r.issue));
  return r.book.sheets.map((s) => ({ name: s.name, values: s.values }));
}

/** The package with every entry renamed by `rename`. */
function renamed(bytes: Uint8Array, rename: (name: string) => string): Uint8Array {
  const out: Record<string, Uint8Array> = {};
  for (const [name, data] of Object.entries(unzipSync(bytes))) out[rename(name)] = data;
  return zipParts(out);
}

describe('parts found through the package relationships', () => {
  const good = xlsxPackage({ sheets: [{ name: '填报表', xml: SHEET }], sharedStrings: SST });

  it('reads a package whose part names use backslashes (as POI 49609.xlsx and calamine issue_530.xlsx do)', () => {
    const bytes = renamed(good, (n) => n.replace(/\//g, '\\'));
    expect(Object.keys(unzipSync(bytes))).toContain('xl\\worksheets\\sheet1.xml');
    expect(values(bytes)).toEqual([{ name: '填报表', values: EXPECTED }]);
  });

  it('reads a package whose part names differ in case from their relationships', () => {
    const bytes = renamed(good, (n) => n.toLowerCase().replace('sharedstrings', 'SHAREDSTRINGS'));
    expect(values(bytes)).toEqual([{ name: '填报表', values: EXPECTED }]);
  });

  it('reads a minimal package that keeps its workbook and sheet outside xl/ (as POI minimal_package.xlsx does)', () => {
    const bytes = zipParts({
      '[Content_Types].xml': '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
      '_rels/.rels': `<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="workbook.xml"/></Relationships>`,
      'workbook.xml': `<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      '_rels/workbook.xml.rels': `<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/worksheet" Target="sheet1.xml"/><Relationship Id="rId2" Type="${REL}/sharedStrings" Target="strings.xml"/></Relationships>`,
      'sheet1.xml': SHEET,
      'strings.xml': SST,
    });
    expect(values(bytes)).toEqual([{ name: 'Sheet1', values: EXPECTED }]);
  });

  it('follows the root relationship to a workbook under another name and folder', () => {
    const p = unzipSync(good);
    const bytes = zipParts({
      ...Object.fromEntries(Object.entries(p).filter(([n]) => !n.startsWith('xl/'))),
      '_rels/.rels': `<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="/book/main.xml"/></Relationships>`,
      'book/main.xml': p['xl/workbook.xml']!,
      'book/_rels/main.xml.rels': strToU8(strFromU8(p['xl/_rels/workbook.xml.rels']!).replace('Target="worksheets/sheet1.xml"', 'Target="../sheets/one.xml"')),
      'sheets/one.xml': p['xl/worksheets/sheet1.xml']!,
      'book/sharedStrings.xml': p['xl/sharedStrings.xml']!,
    });
    expect(values(bytes)).toEqual([{ name: '填报表', values: EXPECTED }]);
  });
});

describe('Excel 2007 beta packages', () => {
  it('read their shared strings, kept as <sstItem> instead of <si> (as POI sample-beta.xlsx does)', () => {
    const beta = 'http://schemas.microsoft.com/office/excel/2006/2';
    const sst = `<sst xml:space="preserve" xmlns="${beta}" count="2" uniqueCount="2"><sstItem><t>Lorem</t></sstItem><sstItem><t>ipsum</t></sstItem></sst>`;
    const sheet = `<worksheet xmlns="${beta}"><sheetData><row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1"><v>111</v></c></row></sheetData></worksheet>`;
    expect(values(xlsxPackage({ sheets: [{ name: 'Sheet1', xml: sheet }], sharedStrings: sst }))).toEqual([{ name: 'Sheet1', values: [['ipsum', 111]] }]);
  });
});

describe('the 1904 date system', () => {
  // Styles: 1 date, 2 elapsed hours, 3 time of day, 4 minutes and seconds, 5 a plain number, 6 a date and time.
  const styles = stylesXml({ 164: 'yyyy-mm-dd', 165: '[hh]:mm:ss', 166: 'yyyy"年"m"月"d"日" h:mm' }, [0, 164, 165, 21, 45, 2, 166]);
  const sheet = worksheet(
    '<row r="1"><c r="A1" s="1"><v>0</v></c><c r="B1" s="2"><v>10.632</v></c><c r="C1" s="3"><v>0.5</v></c><c r="D1" s="4"><v>0.01</v></c><c r="E1" s="5"><v>10.632</v></c><c r="F1" s="6"><v>1.25</v></c></row>',
  );

  it('moves date serials to the 1900 system, and leaves durations, times and plain numbers as they are', () => {
    const bytes = xlsxPackage({ sheets: [{ name: 'S', xml: sheet }], styles, date1904: true });
    expect(values(bytes)).toEqual([{ name: 'S', values: [[1462, 10.632, 0.5, 0.01, 10.632, 1463.25]] }]);
  });

  it('changes nothing in a 1900 workbook', () => {
    const bytes = xlsxPackage({ sheets: [{ name: 'S', xml: sheet }], styles });
    expect(values(bytes)).toEqual([{ name: 'S', values: [[0, 10.632, 0.5, 0.01, 10.632, 1.25]] }]);
  });
});

describe('line ends and escapes in text', () => {
  it('reads CR LF and a lone CR as LF, as XML does, and keeps a CR written as _x000D_ or &#13;', () => {
    const sst = `<sst xmlns="${MAIN}"><si><t>abc\r\ndef</t></si><si><t>abc_x000D_\r\ndef</t></si><si><t>a\rb</t></si><si><r><t>x&#13;\r\n</t></r><r><t>y</t></r></si></sst>`;
    const sheet = worksheet(
      '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c>' +
        '<c r="E1" t="inlineStr"><is><t>p\r\nq</t></is></c><c r="F1" t="str"><f>"u"</f><v>u\r\nv</v></c></row>',
    );
    const bytes = xlsxPackage({ sheets: [{ name: 'S', xml: sheet }], sharedStrings: sst });
    expect(values(bytes)).toEqual([{ name: 'S', values: [['abc\ndef', 'abc\r\ndef', 'a\nb', 'x\r\ny', 'p\nq', 'u\nv']] }]);
  });
});

describe('ISO 8601 cells (t="d")', () => {
  it('reads a time alone as a time of day, and a date as its serial', () => {
    const sheet = worksheet('<row r="1"><c r="A1" t="d"><v>10:10:10</v></c><c r="B1" t="d"><v>2024-05-01</v></c><c r="C1" t="d"><v>2024-05-01T12:00:00</v></c></row>');
    const r = readXlsx(xlsxPackage({ sheets: [{ name: 'S', xml: sheet }] }), 'x.xlsx');
    if ('issue' in r) throw new Error('unread');
    const s = r.book.sheets[0]!;
    expect(s.values[0]![0]).toBeCloseTo((10 * 3600 + 10 * 60 + 10) / 86_400, 12);
    expect(s.values[0]!.slice(1)).toEqual([45413, 45413.5]);
    expect(s.numberFormats?.[0]).toEqual(['hh:mm:ss', 'yyyy-mm-dd', 'yyyy-mm-dd']);
  });
});

describe('a missing shared-strings part', () => {
  it('is a damaged file, located at the first text cell, not a sheet of blanks', () => {
    const sheet = worksheet('<row r="1"><c r="A1"><v>1</v></c></row><row r="3"><c r="A3"><v>2</v></c><c r="B3" t="s"><v>0</v></c></row>');
    const r = readXlsx(xlsxPackage({ sheets: [{ name: '填报表', xml: sheet }] }), 'x.xlsx');
    expect(r).toEqual({
      issue: { code: 'file.unreadable', severity: 'error', file: 'x.xlsx', sheet: '填报表', cell: 'B3', params: { file: 'x.xlsx', why: 'missing_strings', part: 'xl/sharedStrings.xml' } },
    });
  });

  it('is no problem for a workbook without text cells', () => {
    const sheet = worksheet('<row r="1"><c r="A1"><v>1</v></c></row>');
    expect(values(xlsxPackage({ sheets: [{ name: 'S', xml: sheet }] }))).toEqual([{ name: 'S', values: [[1]] }]);
  });
});

describe("a file like POI's poc-shared-strings.xlsx: one 1 MB text in 12,000 cells", () => {
  afterEach(() => vi.restoreAllMocks());

  it('is read as a school file with each distinct text normalised once, not once per cell', () => {
    // As in POI's file: runs of 32 letters, 1 MB in all.
    const long = Array.from({ length: 1 << 15 }, (_, k) => String.fromCharCode(65 + (k % 26) + (k % 2) * 32).repeat(32)).join('');
    const rows: string[] = [];
    for (let r = 1; r <= 4000; r++) rows.push(`<row r="${r}"><c r="A${r}" t="s"><v>0</v></c><c r="B${r}" t="s"><v>0</v></c><c r="C${r}" t="s"><v>1</v></c></row>`);
    const sst = `<sst xmlns="${MAIN}"><si><t>${long}</t></si><si><t>备注：${'说明'.repeat(300)}</t></si></sst>`;
    const bytes = xlsxPackage({ sheets: [{ name: 'Tabelle1', xml: worksheet(rows.join('')) }], sharedStrings: sst });
    expect(bytes.length).toBeLessThan(200_000);

    const read = readWorkbookFileSync(bytes, 'poc.xlsx');
    expect(read.issues).toEqual([]);
    // The work of comparing texts as labels: characters normalised or lower-cased.
    let normalised = 0;
    const normalize = String.prototype.normalize;
    const lower = String.prototype.toLowerCase;
    vi.spyOn(String.prototype, 'normalize').mockImplementation(function (this: string, form?: string) {
      normalised += this.length;
      return normalize.call(this, form);
    });
    vi.spyOn(String.prototype, 'toLowerCase').mockImplementation(function (this: string) {
      normalised += this.length;
      return lower.call(this);
    });
    const book = readBook(read.book!, builtinPreset());
    // Nothing in it is a form: said once, as for any workbook without one.
    expect(book.issues.map((i) => i.code)).toEqual(['sheet.not_found']);
    // 12,000 cells × 1 MB would be 12 billion characters; the 603-character note is worked out once.
    expect(normalised).toBeLessThan(10_000);
  });
});
