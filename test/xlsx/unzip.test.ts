/** The zip reader for a host's own inflate: every fixture reads as it does through fflate, odd archives included. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readXlsx, type Inflate } from '../../src/xlsx';
import { openZip } from '../../src/xlsx/unzip';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/xlsx');
const inflate: Inflate = (data, size) => new Uint8Array(inflateRawSync(data, { maxOutputLength: Math.max(1, size) }));
let inflated = 0;
const counting: Inflate = (data, size) => {
  inflated++;
  return inflate(data, size);
};

describe('openZip', () => {
  for (const name of readdirSync(dir)) {
    it(`reads ${name} as fflate does`, () => {
      const bytes = new Uint8Array(readFileSync(path.join(dir, name)));
      expect(readXlsx(bytes, name, { inflate })).toEqual(readXlsx(bytes, name));
    });
  }

  it('inflates the entries asked for with the given inflate, stored ones as they are, and names them all', () => {
    const files = { 'a.xml': strToU8('<a>学校</a>'.repeat(100)), 'b.bin': strToU8('skip'), '目录/c.xml': strToU8('<c/>') };
    const deflated = zipSync({ 'a.xml': files['a.xml'], 'b.bin': files['b.bin'], '目录/c.xml': [files['目录/c.xml'], { level: 0 }] });
    inflated = 0;
    const zip = openZip(deflated, counting)!;
    expect(zip.names).toEqual(['a.xml', 'b.bin', '目录/c.xml']);
    const wanted = zip.names.filter((n) => n.endsWith('.xml'));
    expect(wanted).toEqual(['a.xml', '目录/c.xml']);
    const got = Object.fromEntries(wanted.map((n) => [n, zip.read(n)!]));
    expect(got).toEqual(unzipSync(deflated, { filter: (f) => f.name.endsWith('.xml') }));
    expect(inflated).toBe(1);
  });

  it('leaves to fflate what it does not read: not a zip, a cut archive', () => {
    expect(openZip(strToU8('not a zip at all, just some text'), inflate)).toBeNull();
    const whole = zipSync({ 'a.xml': strToU8('<a/>') });
    expect(openZip(whole.subarray(0, whole.length - 10), inflate)).toBeNull();
  });
});
