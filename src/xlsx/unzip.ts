/**
 * A zip reader for hosts with a faster inflate than fflate's (Node's native zlib): it walks the
 * central directory and hands each wanted entry to the given `inflate`. It knows only the plain
 * archives spreadsheet programs write (stored or deflated entries, no ZIP64, no encryption); for
 * anything else it answers null and the caller unzips with fflate, as it would without it.
 */

/** Inflates raw deflate data (no zlib header) whose inflated size is `size`. */
export type Inflate = (data: Uint8Array, size: number) => Uint8Array;

/** The wanted entries by name, and the names of all entries. */
export interface Unzipped {
  readonly files: Record<string, Uint8Array>;
  readonly names: string[];
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

const utf8 = new TextDecoder('utf-8');
const latin1 = new TextDecoder('latin1');

/** Unzips the entries `filter` wants with `inflate`, or null when the archive needs fflate. */
export function unzipWith(bytes: Uint8Array, filter: (name: string) => boolean, inflate: Inflate): Unzipped | null {
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
  const files: Record<string, Uint8Array> = {};
  const names: string[] = [];
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > n || view.getUint32(p, true) !== CENTRAL) return null;
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const csize = view.getUint32(p + 20, true);
    const usize = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const next = p + 46 + nameLen + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
    const local = view.getUint32(p + 42, true);
    if (next > n) return null;
    const name = (flags & 0x0800 ? utf8 : latin1).decode(bytes.subarray(p + 46, p + 46 + nameLen));
    names.push(name);
    p = next;
    if (!filter(name)) continue;
    if (flags & 1 || csize === 0xffffffff || usize === 0xffffffff || local + 30 > n || view.getUint32(local, true) !== LOCAL) return null;
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (start + csize > n) return null;
    const data = bytes.subarray(start, start + csize);
    if (method === 0) files[name] = data.slice();
    else if (method === 8) files[name] = inflate(data, usize);
    else return null;
  }
  return { files, names };
}
