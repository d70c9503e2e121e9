/**
 * The zip reader: walks the central directory and inflates an entry only when it is asked for, with
 * the given `inflate` (Node's native zlib in the command, fflate's anywhere else). Every entry read
 * is checked against its CRC-32 and its stated size, and bounded: a part larger than
 * {@link ZIP_LIMITS}.part, or parts adding up to more than `total`, are refused before they are
 * inflated. It knows the plain archives spreadsheet programs write (stored or deflated entries, no
 * ZIP64, no encryption); for anything else it answers null and the caller decides.
 */

/** Inflates raw deflate data (no zlib header) into at most `max` bytes; more data than that may throw or be cut, and is then refused. */
export type Inflate = (data: Uint8Array, max: number) => Uint8Array;

/** Bounds on what one workbook may inflate to, in bytes. */
export const ZIP_LIMITS = { part: 48 * 1024 * 1024, total: 96 * 1024 * 1024 } as const;

/** Why an archive or one of its entries was refused. */
export type ZipProblemKind = 'crc' | 'size' | 'part_too_large' | 'total_too_large' | 'corrupt';

/** An archive, or an entry of it, that must not be read: damaged, lying about its size, or too large once inflated. */
export class ZipProblem extends Error {
  override readonly name = 'ZipProblem';
  constructor(
    readonly kind: ZipProblemKind,
    readonly entry?: string,
  ) {
    super(`${kind}${entry !== undefined ? ` (${entry})` : ''}`);
  }
}

/** An opened archive: every entry's name, and each entry's bytes on demand. */
export interface ZipArchive {
  readonly names: readonly string[];
  /** The entry's bytes, checked; undefined when there is no such entry. Throws {@link ZipProblem}. */
  read(name: string): Uint8Array | undefined;
  /**
   * The entry as the archive stores it (its method and its compressed bytes, not inflated or checked),
   * to tell a part equal byte for byte to one read before; undefined when there is no such entry.
   * Throws {@link ZipProblem} for an entry that points outside the file.
   */
  packed?(name: string): { readonly method: number; readonly bytes: Uint8Array } | undefined;
}

interface Entry {
  readonly method: number;
  readonly crc: number;
  readonly csize: number;
  readonly usize: number;
  readonly local: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

const utf8 = new TextDecoder('utf-8');
const latin1 = new TextDecoder('latin1');

let crcTable: Int32Array | null = null;

/** CRC-32 (the zip polynomial) of `bytes`. */
export function crc32(bytes: Uint8Array): number {
  if (crcTable === null) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  const t = crcTable;
  let c = -1;
  for (let i = 0; i < bytes.length; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/**
 * Opens the archive's central directory, or answers null when it is not a plain archive this reader
 * knows (no directory found, ZIP64, encrypted entries). Throws {@link ZipProblem} for a directory that
 * points outside the file.
 */
export function openZip(
  bytes: Uint8Array,
  inflate: Inflate,
  limits: { readonly part: number; readonly total: number } = ZIP_LIMITS,
  checksum: (bytes: Uint8Array) => number = crc32,
): ZipArchive | null {
  const n = bytes.length;
  if (n < 22) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let e = n - 22;
  const stop = Math.max(0, n - 22 - 0xffff);
  while (e >= stop && view.getUint32(e, true) !== EOCD) e--;
  if (e < stop) return null;
  const count = view.getUint16(e + 10, true);
  const cdOffset = view.getUint32(e + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff) return null;
  const entries = new Map<string, Entry>();
  const names: string[] = [];
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > n || view.getUint32(p, true) !== CENTRAL) return null;
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const crc = view.getUint32(p + 16, true);
    const csize = view.getUint32(p + 20, true);
    const usize = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const next = p + 46 + nameLen + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
    const local = view.getUint32(p + 42, true);
    if (next > n) return null;
    const name = (flags & 0x0800 ? utf8 : latin1).decode(bytes.subarray(p + 46, p + 46 + nameLen));
    names.push(name);
    p = next;
    if (flags & 1 || csize === 0xffffffff || usize === 0xffffffff) return null;
    if (!entries.has(name)) entries.set(name, { method, crc, csize, usize, local });
  }
  let inflated = 0;
  /** An entry's compressed bytes, after checking its local header lies inside the file. */
  const stored = (name: string, en: Entry): Uint8Array => {
    if (en.local + 30 > n || view.getUint32(en.local, true) !== LOCAL) throw new ZipProblem('corrupt', name);
    const start = en.local + 30 + view.getUint16(en.local + 26, true) + view.getUint16(en.local + 28, true);
    if (start + en.csize > n) throw new ZipProblem('corrupt', name);
    return bytes.subarray(start, start + en.csize);
  };
  return {
    names,
    packed(name: string) {
      const en = entries.get(name);
      return en === undefined ? undefined : { method: en.method, bytes: stored(name, en) };
    },
    read(name: string): Uint8Array | undefined {
      const en = entries.get(name);
      if (en === undefined) return undefined;
      if (en.usize > limits.part) throw new ZipProblem('part_too_large', name);
      if (inflated + en.usize > limits.total) throw new ZipProblem('total_too_large', name);
      const data = stored(name, en);
      let out: Uint8Array;
      if (en.method === 0) out = data.slice();
      else if (en.method === 8) {
        try {
          // One byte more than stated: an entry longer than its directory says is caught, not cut.
          out = inflate(data, en.usize + 1);
        } catch (e) {
          // Node's inflate stops at the bound with this code: the entry is longer than the directory says.
          throw new ZipProblem((e as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE' ? 'size' : 'corrupt', name);
        }
      } else throw new ZipProblem('corrupt', name);
      if (out.length !== en.usize) throw new ZipProblem('size', name);
      if (checksum(out) >>> 0 !== en.crc) throw new ZipProblem('crc', name);
      inflated += out.length;
      return out;
    },
  };
}
