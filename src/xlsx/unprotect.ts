/**
 * A school's .xlsx without its sheets' protection, for inserting into the clerk's workbook. The sheets
 * inserted are the bureau's working copies, which the clerk corrects and Huizong writes rates and
 * marks into: a protection carried in would refuse both, and lifting it in Excel is a call Excel
 * cannot undo (it clears the clerk's undo history). Inside Excel on the web, moreover, whether
 * `insertWorksheetsFromBase64` keeps protection at all is not settled (office-js issue #1565).
 */
import { inflateSync, zipSync, type Zippable } from 'fflate';
import { openZip, ZipProblem, type Inflate } from './unzip';

/** fflate's inflate into a buffer of `max` bytes (the archive checks the length it gets). */
const inflate: Inflate = (data, max) => inflateSync(data, { out: new Uint8Array(max) });

/** A worksheet part, however the package spells its path. */
const WORKSHEET = /^\/?xl[\\/]worksheets[\\/][^\\/]+\.xml$/i;

/** `<sheetProtection …/>` or `<x:sheetProtection …>…</x:sheetProtection>`, any namespace prefix. */
const PROTECTION = /<(?:[A-Za-z_][\w.-]*:)?sheetProtection\b[^>]*?(?:\/>|>[\s\S]*?<\/(?:[A-Za-z_][\w.-]*:)?sheetProtection\s*>)/g;

/**
 * The package with every worksheet's protection element removed, the rest byte for byte as it was
 * (each part within the reader's limits, its CRC checked); the bytes themselves when no sheet is
 * protected; null when the package cannot be opened this way (the caller then inserts it as it is).
 */
export function withoutSheetProtection(bytes: Uint8Array): Uint8Array | null {
  try {
    const zip = openZip(bytes, inflate);
    if (zip === null) return null;
    const files: Zippable = {};
    let changed = false;
    const decoder = new TextDecoder('utf-8');
    for (const name of new Set(zip.names)) {
      const data = zip.read(name);
      if (data === undefined || name.endsWith('/')) continue;
      if (WORKSHEET.test(name)) {
        const text = decoder.decode(data);
        const plain = text.replace(PROTECTION, '');
        if (plain !== text) {
          changed = true;
          files[name] = new TextEncoder().encode(plain);
          continue;
        }
      }
      files[name] = data;
    }
    return changed ? zipSync(files) : bytes;
  } catch (e) {
    if (e instanceof ZipProblem) return null;
    throw e;
  }
}
