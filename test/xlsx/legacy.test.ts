/**
 * What SheetJS reads for us, each built here like the file a clerk may receive: Excel 2.x–4.0 worksheets,
 * a text file under an .xls name, a password-protected .ods, a 1904 .xls with durations, a web page saved
 * as .xls with its texts kept, and SheetJS's console warnings kept from the clerk.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as XLSX from '@e965/xlsx';
import { strToU8 } from 'fflate';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { builtinPreset } from '../../src/core/preset';
import { readBook, runJob } from '../../src/job';
import { readWorkbookFileSync, sniffBytes } from '../../src/xlsx';
import { param } from '../core/engine-helpers';
import { zipParts } from './fixtures';

const sheetjs = () => XLSX;
const read = (bytes: Uint8Array, name: string) => readWorkbookFileSync(bytes, name, { sheetjs });
const formats = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/formats');

/** A one-sheet workbook written by SheetJS in `bookType`. */
function written(bookType: XLSX.BookType | 'biff3' | 'biff4', cells: XLSX.WorkSheet, date1904 = false): Uint8Array {
  const wb: XLSX.WorkBook = { SheetNames: ['S'], Sheets: { S: cells }, ...(date1904 ? { Workbook: { WBProps: { date1904 } } } : {}) };
  // SheetJS writes Excel 3.0 and 4.0 worksheets too, though its types name only biff2.
  return new Uint8Array(XLSX.write(wb, { bookType: bookType as XLSX.BookType, type: 'array' }) as ArrayBuffer);
}

describe('old and odd .xls files', () => {
  it('reads Excel 2.x, 3.0 and 4.0 worksheets (bare BIFF streams) instead of asking for a re-save', () => {
    const cells: XLSX.WorkSheet = { '!ref': 'A1:C1', A1: { t: 's', v: '学生数' }, B1: { t: 'n', v: 640 }, C1: { t: 'n', v: 12.5 } };
    for (const bookType of ['biff2', 'biff3', 'biff4'] as const) {
      const bytes = written(bookType, cells);
      expect(sniffBytes(bytes), bookType).toBe('biff');
      const r = read(bytes, `old-${bookType}.xls`);
      expect(r.issues, bookType).toEqual([]);
      expect(r.book?.sheets[0]?.values, bookType).toEqual([[expect.any(String), 640, 12.5]]);
    }
  });

  it('says a few lines of text under an .xls name are not a workbook (as calamine too_small.xls is)', () => {
    const note = strToU8('Attachment f:\\attachcus\\arnold-j\\Summer trading shots.xls not found!');
    for (const name of ['shots.xls', 'shots.xlsx', 'shots.et']) {
      expect(read(note, name).issues, name).toEqual([{ code: 'file.unreadable', severity: 'error', file: name, params: { file: name, why: 'text' } }]);
    }
    expect(param(read(strToU8('附件“学校.xls”未找到。\r\n'), 'a.xls').issues[0]!, 'why')).toBe('text');
  });

  it('calls a password-protected .ods encrypted, not damaged', () => {
    const manifest =
      '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">' +
      '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>' +
      '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml" manifest:size="1754"><manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" manifest:checksum="x">' +
      '<manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" manifest:initialisation-vector="x"/></manifest:encryption-data></manifest:file-entry></manifest:manifest>';
    const bytes = zipParts({ mimetype: 'application/vnd.oasis.opendocument.spreadsheet', 'META-INF/manifest.xml': manifest, 'content.xml': new Uint8Array(1168).fill(0x9c) });
    expect(read(bytes, '一小.ods').issues).toEqual([{ code: 'file.encrypted', severity: 'error', file: '一小.ods', params: { file: '一小.ods' } }]);
  });
});

describe('the 1904 date system, read by SheetJS', () => {
  it('moves dates, and leaves durations and plain numbers as they are', () => {
    const cells: XLSX.WorkSheet = { '!ref': 'A1:C1', A1: { t: 'n', v: 10.632, z: '[hh]:mm:ss' }, B1: { t: 'n', v: 0, z: 'yyyy-mm-dd' }, C1: { t: 'n', v: 10.632, z: '0.000' } };
    for (const bookType of ['biff8', 'xlsb'] as const) {
      const r = read(written(bookType, cells, true), `d1904.${bookType === 'biff8' ? 'xls' : 'xlsb'}`);
      expect(r.book?.sheets[0]?.values, bookType).toEqual([[10.632, 1462, 10.632]]);
    }
  });
});

describe('a web page saved as .xls', () => {
  const page = (rows: string[][]): Uint8Array =>
    strToU8(`<html><head><meta charset="utf-8"></head><body><table>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</table></body></html>`);

  it('keeps its texts as written: a percent, a code with leading zeros, grouped digits and a date stay text; plain numbers are numbers', () => {
    const r = read(page([['86.61%', '0012345', '1,234', '2024-05-01', '12', '-3.5', 'TRUE', '#N/A']]), 'export.xls');
    expect(r.book?.sheets[0]?.values).toEqual([['86.61%', '0012345', '1,234', '2024-05-01', 12, -3.5, 'TRUE', '#N/A']]);
  });

  it('gives the school its own percent and code, not a fraction and a number it is blamed for', () => {
    const defs = builtinPreset();
    const rate = defs.indicators.find((i) => i.type === 'percent')!;
    const rows = [
      ['学校代码', '0012345678'],
      ['学校名称', '城关一小'],
      ['代码', '指标', '单位', '数值'],
      ...defs.indicators.map((i) => [i.code, i.label.zh, '', i === rate ? '86.61%' : '10']),
    ];
    const r = read(page(rows), 'export.xls');
    const job = runJob([readBook(r.book!, defs)], defs);
    const school = job.consolidation.schools[0]!;
    expect(school.code).toBe('0012345678');
    expect(school.values[rate.code]).toBe(86.61);
    const onRate = job.consolidation.issues.filter((i) => i.subject === rate.code || i.code === 'value.code_as_number');
    expect(onRate.map((i) => i.code)).not.toContain('value.percent_as_fraction');
    expect(onRate.map((i) => i.code)).not.toContain('value.code_as_number');
  });
});

describe("SheetJS's own words", () => {
  afterEach(() => vi.restoreAllMocks());

  it('never reach the console, and the console is given back as it was', () => {
    const kept = { log: console.log, warn: console.warn, error: console.error };
    const said: unknown[] = [];
    for (const k of ['log', 'warn', 'error', 'info', 'debug'] as const) vi.spyOn(console, k).mockImplementation((...args) => void said.push(args));
    const spied = { log: console.log, warn: console.warn, error: console.error };
    // LibreOffice's .ods of a demo school: SheetJS warns "ODS number format may be incorrect" for its conditional formats.
    const r = read(new Uint8Array(readFileSync(path.join(formats, '3401020001.ods'))), '3401020001.ods');
    expect(r.issues).toEqual([]);
    expect(said).toEqual([]);
    expect({ log: console.log, warn: console.warn, error: console.error }).toEqual(spied);
    vi.restoreAllMocks();
    expect({ log: console.log, warn: console.warn, error: console.error }).toEqual(kept);
  });
});
