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
