/** Hostile and careless inputs, built in the test from a real school file: nothing large is committed. */
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { cellAddress } from '../../src/core/grid';
import { readBook } from '../../src/cli/io';

/** The parts of an .xlsx, by name. */
export function parts(bytes: Uint8Array): Record<string, Uint8Array> {
  return unzipSync(bytes);
}

/** The same workbook with its first sheet's XML changed by `edit`, zipped again (deflated, or stored with `level: 0`). */
export function withSheet(bytes: Uint8Array, edit: (xml: string) => string, extra: Record<string, Uint8Array> = {}, level: 0 | 6 = 6): Uint8Array {
  const p = parts(bytes);
  const files: Zippable = {};
  for (const [name, data] of Object.entries({ ...p, ...extra })) {
    files[name] = [name === 'xl/worksheets/sheet1.xml' ? strToU8(edit(strFromU8(data))) : data, { level }];
  }
  return zipSync(files);
}

/** Where a school form holds an indicator's number: the cell right of its code. */
export function cellOf(bytes: Uint8Array, indicator: string): string {
  const { book } = readBook(bytes, 'x.xlsx');
  const grid = book!.sheets[0]!;
  const row = grid.values.findIndex((r) => r.includes(indicator));
  const col = grid.values[row]!.findIndex((v) => typeof v === 'number');
  if (row < 0 || col < 0) throw new Error(`no number for ${indicator}`);
  return cellAddress(row, col);
}

/** The sheet XML with the cell at `address` replaced by `cell` (whole `<c …>…</c>` markup). */
export function replaceCell(xml: string, address: string, cell: string): string {
  const re = new RegExp(`<c r="${address}"[^>]*?(/>|>[\\s\\S]*?</c>)`);
  if (!re.test(xml)) throw new Error(`no cell ${address}`);
  return xml.replace(re, cell);
}

/** A row appended at the end of sheetData. */
export function appendRow(xml: string, row: string): string {
  return xml.replace('</sheetData>', `${row}</sheetData>`);
}

/** The central directory entry of `name` in a zip, with its stated inflated size changed to `size`. */
export function stateSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  const target = strToU8(name);
  for (let p = 0; p + 46 < out.length; p++) {
    if (view.getUint32(p, true) !== 0x02014b50) continue;
    const len = view.getUint16(p + 28, true);
    if (len === target.length && target.every((b, k) => out[p + 46 + k] === b)) {
      view.setUint32(p + 24, size, true);
      return out;
    }
  }
  throw new Error(`no entry ${name}`);
}

/** A stored (not deflated) zip with one byte of `name`'s data flipped: the CRC no longer matches. */
export function flipStoredByte(zip: Uint8Array, name: string, marker: string): Uint8Array {
  const out = zip.slice();
  const needle = strToU8(marker);
  for (let p = 0; p < out.length - needle.length; p++) {
    if (needle.every((b, k) => out[p + k] === b)) {
      const at = p + needle.length - 1;
      out[at] = out[at]! ^ 0x01;
      return out;
    }
  }
  throw new Error(`no ${marker} in ${name}`);
}

/** A zip again with its parts changed by `edit` (by name; undefined removes one), each stored or deflated at `level`. */
export function rezip(bytes: Uint8Array, edit: (parts: Record<string, Uint8Array>) => void, level: 0 | 6 = 6): Uint8Array {
  const p = parts(bytes);
  edit(p);
  const files: Zippable = {};
  // The OpenDocument `mimetype` stays first and stored, as the format asks.
  for (const [name, data] of Object.entries(p)) files[name] = [data, { level: name === 'mimetype' ? 0 : level }];
  return zipSync(files);
}

/** An .ods content.xml with its first sheet's rows replaced by `rows` (table-row markup). */
export function odsRows(xml: string, rows: string): string {
  const start = xml.indexOf('<table:table-row');
  const end = xml.indexOf('</table:table>');
  if (start < 0 || end < start) throw new Error('no rows');
  return xml.slice(0, start) + rows + xml.slice(end);
}

/** A binary workbook (.xls) with `extra` BIFF records appended to its Workbook stream, in a compound file built again by SheetJS's CFB. */
export function xlsWithRecords(bytes: Uint8Array, extra: Uint8Array, CFB: { read(d: Uint8Array, o: object): unknown; find(c: unknown, p: string): { content: Uint8Array } | null; utils: { cfb_new(): unknown; cfb_add(c: unknown, p: string, d: Uint8Array): void }; write(c: unknown, o: object): Uint8Array }): Uint8Array {
  const cfb = CFB.read(bytes, { type: 'array' });
  const wb = CFB.find(cfb, '/Workbook')!;
  const stream = new Uint8Array(wb.content.length + extra.length);
  stream.set(wb.content, 0);
  stream.set(extra, wb.content.length);
  const out = CFB.utils.cfb_new();
  CFB.utils.cfb_add(out, '/Workbook', stream);
  return new Uint8Array(CFB.write(out, { type: 'array' }));
}

/** `count` BIFF8 NUMBER records (one cell each), for row `row` onwards. */
export function numberRecords(count: number, row = 100): Uint8Array {
  const out = new Uint8Array(count * 18);
  const view = new DataView(out.buffer);
  for (let k = 0; k < count; k++) {
    const p = k * 18;
    view.setUint16(p, 0x0203, true);
    view.setUint16(p + 2, 14, true);
    view.setUint16(p + 4, (row + Math.floor(k / 200)) & 0xffff, true);
    view.setUint16(p + 6, k % 200, true);
    view.setFloat64(p + 10, k, true);
  }
  return out;
}
