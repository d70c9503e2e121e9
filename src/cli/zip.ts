/**
 * Zips the parts of an .xlsx package with Node's own zlib, in native code: several times faster than
 * the .xlsx adapter's own zip (fflate, pure JavaScript), which serves browsers. Deflating on libuv's
 * thread pool was measured too: a district workbook's thousands of small parts gain nothing from it.
 */
import { crc32, deflateRawSync } from 'node:zlib';
import type { PartZipper } from '../xlsx';

// Plain zip (no ZIP64): at most 65,535 entries and 4 GiB, far beyond any district workbook.
const MAX_ENTRIES = 0xffff;
const MAX_SIZE = 0xffffffff;

/** A zip writer's refusal: too many parts or too large for a plain zip. */
export class ZipLimitError extends Error {
  override name = 'ZipLimitError';
}

/** DOS date and time of `d`, as zip headers hold them. */
function dosTime(d: Date): { time: number; date: number } {
  const year = Math.max(1980, d.getFullYear());
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

/**
 * Deflate level of the parts. Measured on a district workbook of 1,000 schools with their copies:
 * level 4 takes two thirds of level 6's time for a file 5% larger (2.59 against 2.46 MB).
 */
const LEVEL = 4;

/** One part deflated, as the archive stores it. */
export interface PackedPart {
  readonly name: string;
  readonly crc: number;
  /** Length before deflating. */
  readonly size: number;
  readonly packed: Uint8Array;
}

/** `data` deflated at `level`, with its CRC-32 and length. */
export function packPart(name: string, data: Uint8Array, level = LEVEL): PackedPart {
  const packed = deflateRawSync(data, { level });
  return { name, crc: crc32(data), size: data.length, packed: new Uint8Array(packed.buffer, packed.byteOffset, packed.byteLength) };
}

/** A zip archive of `files` (name → bytes, in this order), each deflated; names are UTF-8. */
export function zipParts(files: Readonly<Record<string, Uint8Array>>, level = LEVEL, now = new Date()): Uint8Array {
  const names = Object.keys(files);
  if (names.length > MAX_ENTRIES) throw new ZipLimitError(`too many parts for a zip: ${names.length}`);
  return zipPacked(names.map((name) => packPart(name, files[name]!, level)), now);
}

/** A zip archive of parts already deflated, in this order. */
export function zipPacked(parts: readonly PackedPart[], now = new Date()): Uint8Array {
  if (parts.length > MAX_ENTRIES) throw new ZipLimitError(`too many parts for a zip: ${parts.length}`);
  const encoder = new TextEncoder();
  const entries = parts.map((p) => ({ name: encoder.encode(p.name), crc: p.crc, size: p.size, packed: p.packed }));
  const { time, date } = dosTime(now);
  let localSize = 0;
  let centralSize = 0;
  for (const e of entries) {
    localSize += 30 + e.name.length + e.packed.length;
    centralSize += 46 + e.name.length;
  }
  if (localSize + centralSize > MAX_SIZE) throw new ZipLimitError('package over 4 GiB');
  const out = new Uint8Array(localSize + centralSize + 22);
  const view = new DataView(out.buffer);
  let at = 0;
  let central = localSize;
  for (const e of entries) {
    const offset = at;
    view.setUint32(at, 0x04034b50, true);
    view.setUint16(at + 4, 20, true);
    view.setUint16(at + 6, 0x0800, true); // UTF-8 names
    view.setUint16(at + 8, 8, true); // deflate
    view.setUint16(at + 10, time, true);
    view.setUint16(at + 12, date, true);
    view.setUint32(at + 14, e.crc, true);
    view.setUint32(at + 18, e.packed.length, true);
    view.setUint32(at + 22, e.size, true);
    view.setUint16(at + 26, e.name.length, true);
    view.setUint16(at + 28, 0, true);
    out.set(e.name, at + 30);
    out.set(e.packed, at + 30 + e.name.length);
    at += 30 + e.name.length + e.packed.length;

    view.setUint32(central, 0x02014b50, true);
    view.setUint16(central + 4, 20, true);
    view.setUint16(central + 6, 20, true);
    view.setUint16(central + 8, 0x0800, true);
    view.setUint16(central + 10, 8, true);
    view.setUint16(central + 12, time, true);
    view.setUint16(central + 14, date, true);
    view.setUint32(central + 16, e.crc, true);
    view.setUint32(central + 20, e.packed.length, true);
    view.setUint32(central + 24, e.size, true);
    view.setUint16(central + 28, e.name.length, true);
    // Extra and comment lengths, disk number, internal and external attributes stay 0.
    view.setUint32(central + 42, offset, true);
    out.set(e.name, central + 46);
    central += 46 + e.name.length;
  }
  view.setUint32(central, 0x06054b50, true);
  view.setUint16(central + 8, entries.length, true);
  view.setUint16(central + 10, entries.length, true);
  view.setUint32(central + 12, centralSize, true);
  view.setUint32(central + 16, localSize, true);
  return out;
}

/** A zipper for the package writer that deflates each part with Node's zlib as it comes, on this thread. */
export function nativeZipper(now = new Date()): PartZipper {
  const parts: PackedPart[] = [];
  return {
    add: (name, bytes) => {
      if (parts.length >= MAX_ENTRIES) throw new ZipLimitError(`too many parts for a zip: ${parts.length + 1}`);
      parts.push(packPart(name, bytes));
    },
    finish: () => Promise.resolve(zipPacked(parts, now)),
  };
}
