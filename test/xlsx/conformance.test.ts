/**
 * Our .xlsx reader against SheetJS over real files from other producers (test/fixtures/conformance, each
 * with its origin and licence in the README there): every cell's value, date format and formula, every
 * sheet's name, order, visibility and merges. Only the differences listed here are allowed, each with
 * the reason our reader is the right one; any other fails the test, and so does a listed one that no
 * longer occurs (the list says what is true today, nothing more).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { compare, line } from './conformance';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/conformance');

/** The differences allowed, by the reason ours is right. */
const ALLOWED: readonly { readonly reason: string; readonly lines: readonly string[] }[] = [
  {
    reason:
      'A shared formula moves its whole-column and whole-row references with the cell, as every relative reference moves: ' +
      'where B1 holds the master SUM(F:G), C1 is SUM(G:H), as LibreOffice reads the same file. SheetJS leaves them where the master has them.',
    lines: [
      'calamine/column_row_ranges.xlsx · Column ranges · C1 · formula: "=SUM(G:H)" ≠ "=SUM(F:G)"',
      'calamine/column_row_ranges.xlsx · Row ranges · A3 · formula: "=SUM(7:8)" ≠ "=SUM(6:7)"',
      'calamine/column_row_ranges.xlsx · Row ranges · B3 · formula: "=SUM(7:8)" ≠ "=SUM(6:7)"',
      'calamine/column_row_ranges.xlsx · Row ranges · C3 · formula: "=SUM(7:8)" ≠ "=SUM(6:7)"',
      'calamine/column_row_ranges.xlsx · Row ranges · D3 · formula: "=SUM(7:8)" ≠ "=SUM(6:7)"',
      'calamine/column_row_ranges.xlsx · Row ranges · E3 · formula: "=SUM(7:8)" ≠ "=SUM(6:7)"',
      'poi/47804.xlsx · Sheet1 · C2 · formula: "=CELL(\\"width\\",C:C )" ≠ "=CELL(\\"width\\",B:B )"',
      'poi/47804.xlsx · Sheet1 · D2 · formula: "=CELL(\\"width\\",D:D )" ≠ "=CELL(\\"width\\",B:B )"',
      'poi/47804.xlsx · Sheet1 · E2 · formula: "=CELL(\\"width\\",E:E )" ≠ "=CELL(\\"width\\",B:B )"',
      'poi/47804.xlsx · Sheet1 · F2 · formula: "=CELL(\\"width\\",F:F )" ≠ "=CELL(\\"width\\",B:B )"',
      'poi/47804.xlsx · Sheet1 · G2 · formula: "=CELL(\\"width\\",G:G )" ≠ "=CELL(\\"width\\",B:B )"',
      'poi/47804.xlsx · Sheet1 · H2 · formula: "=CELL(\\"width\\",H:H )" ≠ "=CELL(\\"width\\",B:B )"',
      'poi/47804.xlsx · Sheet1 · I2 · formula: "=CELL(\\"width\\",I:I )" ≠ "=CELL(\\"width\\",B:B )"',
    ],
  },
  {
    reason:
      '_x000D_ is an escaped carriage return (ECMA-376 Part 1, §22.9.2.19 ST_Xstring): "ABC_x000D_" and a line end is CR LF. SheetJS drops the CR.',
    lines: [
      'calamine/has_x000D_inline.xlsx · Sheet1 · A1 · value: "ABC\\r\\nDEF" ≠ "ABC\\nDEF"',
    ],
  },
  {
    reason:
      'XML reads a CR LF written in element text as LF (XML 1.0, §2.11 End-of-Line Handling). SheetJS keeps the CR.',
    lines: [
      'poi/NewlineInFormulas.xlsx · Sheet1 · B4 · formula: "=B2\\n+B3" ≠ "=B2\\r\\n+B3"',
      'poi/NewlineInFormulas.xlsx · Sheet1 · B5 · formula: "=B3\\n+B4" ≠ "=B3\\r\\n+B4"',
      'poi/NewlineInFormulas.xlsx · Sheet1 · B6 · formula: "=B4\\n+B5" ≠ "=B4\\r\\n+B5"',
      'poi/NewlineInFormulas.xlsx · Sheet1 · B7 · formula: "=B5\\n+B6" ≠ "=B5\\r\\n+B6"',
      'poi/NewlineInFormulas.xlsx · Sheet1 · B8 · formula: "=B6\\n+B7" ≠ "=B6\\r\\n+B7"',
      'poi/NewlineInFormulas.xlsx · Sheet1 · B9 · formula: "=B7\\n+B8" ≠ "=B7\\r\\n+B8"',
      'poi/NewlineInFormulas.xlsx · Sheet1 · B10 · formula: "=B8\\n+B9" ≠ "=B8\\r\\n+B9"',
    ],
  },
  {
    reason:
      'A string is all of its runs: a plain <t> and the <r> runs after it (the schema allows both). LibreOffice reads the whole text of both files; SheetJS keeps the first part only.',
    lines: [
      'calamine/minimal_package.xlsx · Sheet1 · A1 · value: "ARREST BOOKINGS for 01/30/17" ≠ "ARREST BOOKINGS for "',
      'calamine/richtext-after-plain.xlsx · Sheet1 · A2 · value: "tvalrval1rval2" ≠ "tval"',
    ],
  },
  {
    reason:
      'A character reference beyond U+FFFF (&#x1f61c;, an emoji) is that character; SheetJS cuts its code to 16 bits (U+F61C, a private-use character).',
    lines: [
      'poi/InlineString.xlsx · Sheet1 · A1 · value: "\ud83d\ude1cmore text" ≠ "more text"',
    ],
  },
  {
    reason:
      'LibreOffice saved the result of this formula (a link to another workbook) as t="inlineStr" with the text in <v>: that text is the saved result. SheetJS reads an empty text.',
    lines: [
      'poi/52575_main.xlsx · Tabelle1 · A2 · value: "POI rocks!" ≠ ""',
    ],
  },
  {
    reason:
      'An archive entry whose CRC or length differs from what the archive records is damaged (unzip -t says so too): the clerk is told the file is damaged ' +
      'and asked for a new copy, where SheetJS reads on and may give altered digits.',
    lines: [
      'calamine/issue252.xlsx ·  · book · book: file.unreadable (size) ≠ read',
      'poi/clusterfuzz-testcase-minimized-POIXSSFFuzzer-5265527465181184.xlsx ·  · book · book: file.unreadable (crc) ≠ read',
    ],
  },
];

/** Every .xlsx and .xlsm under the sample, by its path there. */
function sample(dir = root, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sample(full, `${prefix}${name}/`));
    else if (/\.xls[xm]$/i.test(name)) out.push(`${prefix}${name}`);
  }
  return out;
}

describe('our .xlsx reader against SheetJS, cell by cell, over files from other producers', () => {
  const files = sample();

  it('has the sample the README lists, and nothing it does not', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const listed = [...readme.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!).sort();
    expect([...files].sort()).toEqual(listed);
    expect(files.length).toBeGreaterThanOrEqual(40);
  });

  it('differs only where the list says, for the reason it gives', () => {
    const found: string[] = [];
    // SheetJS writes its own warnings to the console; they say nothing about the comparison.
    const quiet = console.error;
    console.error = () => undefined;
    try {
      for (const f of files) found.push(...compare(new Uint8Array(readFileSync(path.join(root, f))), f, XLSX).map(line));
    } finally {
      console.error = quiet;
    }
    const allowed = ALLOWED.flatMap((a) => a.lines);
    expect(found.filter((l) => !allowed.includes(l)), 'new differences').toEqual([]);
    expect(allowed.filter((l) => !found.includes(l)), 'listed differences that no longer occur').toEqual([]);
  });
});
