/**
 * Hostile files, one at a time, each read by `huizong validate` in its own child process: a zip bomb
 * (a 1 GB sheet packed into about a megabyte), the same bomb in a part the workbook never names, a
 * space typed in A1048576, a cell named beyond XFD1048576, one 1 MB text in 12,000 cells, a merge over
 * the whole grid below the form, and a sheet of 600 × 600 cells written column
 * by column (each cell in a row element of its own) beside the same cells row by row. Prints each one's time and peak memory
 * beside the goal (≤ 200 MB and ≤ 1 s per hostile file); nothing is asserted.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Zip, ZipDeflate, ZipPassThrough, strFromU8, strToU8, unzipSync } from 'fflate';
import { demoDefinitions, generateManySchools, schoolFormPlan } from '../../src/demo';
import { writeBook } from '../../src/cli/io';
import { cellAddress } from '../../src/core/grid';
import { runCli } from '../../src/cli/run';
import { peakRssMb, report } from './util';

/** A workbook with `sheet1.xml` (or an extra part) streamed in from `chunks`, never whole in memory. */
function streamedZip(base: Record<string, Uint8Array>, name: string, chunks: () => Iterable<Uint8Array>, replace: boolean): Uint8Array {
  const out: Uint8Array[] = [];
  const zip = new Zip((err, data) => {
    if (err) throw err;
    out.push(data);
  });
  for (const [n, data] of Object.entries(base)) {
    if (replace && n === name) continue;
    const f = new ZipPassThrough(n);
    zip.add(f);
    f.push(data, true);
  }
  const big = new ZipDeflate(name, { level: 9 });
  zip.add(big);
  let last: Uint8Array | null = null;
  for (const c of chunks()) {
    if (last) big.push(last);
    last = c;
  }
  big.push(last ?? new Uint8Array(), true);
  zip.end();
  const total = out.reduce((n, c) => n + c.length, 0);
  const bytes = new Uint8Array(total);
  let p = 0;
  for (const c of out) {
    bytes.set(c, p);
    p += c.length;
  }
  return bytes;
}

function* bombChunks(mb: number): Iterable<Uint8Array> {
  yield strToU8('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>');
  const spaces = new Uint8Array(1024 * 1024).fill(32);
  for (let k = 0; k < mb; k++) yield spaces;
  yield strToU8('</sheetData></worksheet>');
}

async function parent(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'huizong-bench-hostile-'));
  try {
    const schools = generateManySchools(1);
    const good = await writeBook([schoolFormPlan(demoDefinitions(schools), schools[0]!)]);
    const base = unzipSync(good);
    const sheet = strFromU8(base['xl/worksheets/sheet1.xml']!);
    const edited = (xml: string): Uint8Array => {
      const files = { ...base, 'xl/worksheets/sheet1.xml': strToU8(xml) };
      return streamedZip(files, 'docProps/none.xml', () => [], false);
    };
    // 600 × 600 numbers under the form, written in the order given: row by row, or column by column.
    const grid = (byColumn: boolean): string => {
      const cells: string[] = [];
      const cell = (r: number, c: number): string => `<row r="${r + 100}"><c r="${cellAddress(r + 99, c)}"><v>${r + c}</v></c></row>`;
      for (let a = 0; a < 600; a++) for (let b = 0; b < 600; b++) cells.push(byColumn ? cell(b, a) : cell(a, b));
      return sheet.replace('</sheetData>', `${cells.join('')}</sheetData>`);
    };
    // A shared string of 1 MB, named by 12,000 cells below the form.
    const longText = (): Uint8Array => {
      const sst = strFromU8(base['xl/sharedStrings.xml']!);
      const index = sst.split('<si>').length - 1;
      const text = Array.from({ length: 1 << 15 }, (_, k) => String.fromCharCode(65 + (k % 26)).repeat(32)).join('');
      const rows: string[] = [];
      for (let r = 200; r < 4200; r++) rows.push(`<row r="${r}">${['A', 'B', 'C'].map((c) => `<c r="${c}${r}" t="s"><v>${index}</v></c>`).join('')}</row>`);
      const files = { ...base, 'xl/sharedStrings.xml': strToU8(sst.replace('</sst>', `<si><t>${text}</t></si></sst>`)), 'xl/worksheets/sheet1.xml': strToU8(sheet.replace('</sheetData>', `${rows.join('')}</sheetData>`)) };
      return streamedZip(files, 'docProps/none.xml', () => [], false);
    };
    // 17 billion merged cells below the form.
    const wholeGridMerge = (): string => {
      const xml = sheet.replace('</sheetData>', '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>备注</t></is></c></row></sheetData>');
      const merge = '<mergeCell ref="A200:XFD1048576"/>';
      return xml.includes('</mergeCells>') ? xml.replace('</mergeCells>', `${merge}</mergeCells>`) : xml.replace('</sheetData>', `</sheetData><mergeCells count="1">${merge}</mergeCells>`);
    };
    const cases: [string, Uint8Array][] = [
      ['zip bomb: a 1 GB sheet', streamedZip(base, 'xl/worksheets/sheet1.xml', () => bombChunks(1024), true)],
      ['zip bomb in a part the workbook never names', streamedZip(base, 'xl/worksheets/sheet9.xml', () => bombChunks(1024), false)],
      ['a space typed in A1048576', edited(sheet.replace('</sheetData>', '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t xml:space="preserve"> </t></is></c></row></sheetData>'))],
      ['a cell named ZZZZZZZ69', edited(sheet.replace('</sheetData>', '<row r="69"><c r="ZZZZZZZ69"><v>1</v></c></row></sheetData>'))],
      ["one 1 MB text in 12,000 cells (as POI's poc-shared-strings.xlsx)", longText()],
      ['a merge over the rest of the grid, a note in XFD1048576', edited(wholeGridMerge())],
      ['360,000 cells written column by column', edited(grid(true))],
      ['the same cells row by row, for comparison', edited(grid(false))],
      ['a clean school file, for comparison', good],
    ];
    for (const [label, bytes] of cases) {
      const file = path.join(dir, 'school.xlsx');
      writeFileSync(file, bytes);
      const r = spawnSync(process.execPath, [process.argv[1]!, '--child', file], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`${label}: ${r.stderr}`);
      const m = JSON.parse(r.stdout.trim().split('\n').pop()!) as { ms: number; rssMb: number; exit: number; issue: string };
      console.log(`${label} (${(bytes.length / 1024).toFixed(0)} KB on disk): exit ${m.exit}, ${m.issue}`);
      report('  time', m.ms, 'ms', '≤ 1000 ms');
      report('  peak memory (whole process)', m.rssMb, 'MB', '≤ 200 MB');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function child(file: string): Promise<void> {
  let out = '';
  const sink = { write: (s: string) => ((out += s), true) };
  const t0 = performance.now();
  const exit = await runCli(['validate', file, '--json', '--no-progress'], { cwd: path.dirname(file), stdout: sink, stderr: { write: () => true } });
  const ms = performance.now() - t0;
  const json = JSON.parse(out) as { issues: { code: string }[] };
  const issue = json.issues.find((i) => i.code.startsWith('file.') || i.code.startsWith('sheet.'))?.code ?? 'read as a school';
  console.log(JSON.stringify({ ms, rssMb: peakRssMb(), exit, issue }));
}

if (process.argv[2] === '--child') await child(process.argv[3]!);
else await parent();
