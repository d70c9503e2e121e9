/**
 * Hostile and careless input against the built `huizong` command, each input built here: nothing lost
 * (inputs and earlier outputs keep their bytes), nothing crashes (exit codes, no stack trace), every
 * problem a located message of the right kind, and memory bounded (children run with a capped heap,
 * so a regression fails the test instead of the machine).
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { strFromU8, strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { definitionsToJson } from '../../src/core/definitions';
import { builtinPreset } from '../../src/core/preset';
import type { JsonResult } from '../../src/cli/output';
import { readBook } from '../../src/cli/io';
import { bundle, ensureBuilt, fingerprint, huizong, scratch } from '../cli/helpers';
import * as XLSX from '@e965/xlsx';
import { appendRow, cellOf, flipStoredByte, numberRecords, odsRows, parts, replaceCell, rezip, stateSize, withSheet, xlsWithRecords } from './build';

let dir: string;
let schoolNames: string[];
const school = (k: number): Uint8Array => new Uint8Array(readFileSync(path.join(dir, 'demo/schools', schoolNames[k]!)));

/** A heap ceiling for a child: a bomb or a runaway address must fail within it, not take the machine. */
const capped = (mb: number): Record<string, string> => ({ NODE_OPTIONS: `--max-old-space-size=${mb}` });

/** A folder of the first `good` demo school files plus the given hostile ones. */
function folder(name: string, good: number, hostile: Record<string, Uint8Array>): string {
  const f = path.join(dir, name);
  mkdirSync(f, { recursive: true });
  for (let k = 0; k < good; k++) writeFileSync(path.join(f, schoolNames[k]!), school(k));
  for (const [n, bytes] of Object.entries(hostile)) writeFileSync(path.join(f, n), bytes);
  return f;
}

async function validateJson(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; json: JsonResult; stderr: string }> {
  const r = await huizong(['validate', ...args, '--json'], dir, env);
  return { code: r.code, json: JSON.parse(r.stdout) as JsonResult, stderr: r.stderr };
}

const noStack = (text: string): void => {
  expect(text).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m);
  expect(text).not.toMatch(/TypeError|RangeError|FATAL ERROR/);
};

beforeAll(async () => {
  ensureBuilt();
  dir = scratch('huizong-hostile-');
  const r = await huizong(['demo', '--out', 'demo'], dir);
  expect(r.code).toBe(0);
  schoolNames = readdirSync(path.join(dir, 'demo/schools')).sort();
}, 120_000);

describe('nothing the clerk did not ask to replace is replaced', () => {
  it('demo refuses a folder holding files it did not write, and leaves every one of them as it was', async () => {
    const real = folder('real-term', 3, { '名册.xlsx': school(5) });
    mkdirSync(path.join(real, 'schools'));
    writeFileSync(path.join(real, 'schools', 'keep.xlsx'), school(6));
    const before = fingerprint(real);
    const r = await huizong(['demo', '--out', 'real-term'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('不是 huizong demo 写出的');
    expect(fingerprint(real)).toEqual(before);
  });

  it('demo reruns in its own folder, and refuses it once a file of the clerk’s is in it', async () => {
    expect((await huizong(['demo', '--out', 'mine'], dir)).code).toBe(0);
    expect((await huizong(['demo', '--out', 'mine', '--seed', '7'], dir)).code).toBe(0);
    writeFileSync(path.join(dir, 'mine/schools/真的学校.xlsx'), school(0));
    const before = fingerprint(path.join(dir, 'mine'));
    const r = await huizong(['demo', '--out', 'mine', '--lang', 'en-US'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('huizong demo did not write');
    expect(fingerprint(path.join(dir, 'mine'))).toEqual(before);
  });

  it('demo leaves its own folder alone once the clerk changed a file it wrote there, and says which', async () => {
    expect((await huizong(['demo', '--out', 'edited'], dir)).code).toBe(0);
    const schoolFile = path.join(dir, 'edited/schools', readdirSync(path.join(dir, 'edited/schools')).sort()[0]!);
    writeFileSync(schoolFile, withSheet(new Uint8Array(readFileSync(schoolFile)), (x) => x.replace('</sheetData>', '<row r="200"><c r="A200" t="inlineStr"><is><t>改过</t></is></c></row></sheetData>')));
    const before = fingerprint(path.join(dir, 'edited'));
    const r = await huizong(['demo', '--out', 'edited'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`在示例写出后被改过（edited/schools/${path.basename(schoolFile)}）`);
    expect(fingerprint(path.join(dir, 'edited'))).toEqual(before);
    // The district workbook it wrote counts as its own file too.
    expect((await huizong(['demo', '--out', 'summary-edited'], dir)).code).toBe(0);
    writeFileSync(path.join(dir, 'summary-edited/全区汇总.xlsx'), school(0));
    const again = await huizong(['demo', '--out', 'summary-edited', '--lang', 'en-US'], dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('changed after the demo wrote them (summary-edited/全区汇总.xlsx)');
  });

  it('refuses an output that is an input: a school file, the definitions, the roster, a link to a school file', async () => {
    const before = fingerprint(path.join(dir, 'demo'));
    symlinkSync(path.join(dir, 'demo/schools', schoolNames[0]!), path.join(dir, 'link.xlsx'));
    const outs = [`demo/schools/${schoolNames[1]}`, 'demo/定义.xlsx', './demo/../demo/学校名册.xlsx', 'link.xlsx'];
    for (const out of outs) {
      const r = await huizong(['consolidate', '-d', 'demo/定义.xlsx', '-r', 'demo/学校名册.xlsx', 'demo/schools', '--out', out], dir);
      expect(r.code, out).toBe(2);
      expect(r.stderr, out).toMatch(/也是输入文件“.+”，写出会覆盖它/);
    }
    const t = await huizong(['template', '-d', 'demo/定义.xlsx', '--out', 'demo/定义.xlsx', '--lang', 'en-US'], dir);
    expect(t.code).toBe(2);
    expect(t.stderr).toContain('is also the input "demo/定义.xlsx"');
    expect(fingerprint(path.join(dir, 'demo'))).toEqual(before);
  });

  it('leaves a read-only earlier output as it is', async () => {
    writeFileSync(path.join(dir, 'locked.xlsx'), school(0));
    chmodSync(path.join(dir, 'locked.xlsx'), 0o444);
    const before = readFileSync(path.join(dir, 'locked.xlsx'));
    const r = await huizong(['consolidate', 'demo/schools', '--out', 'locked.xlsx'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('只读文件，未覆盖');
    expect(readFileSync(path.join(dir, 'locked.xlsx'))).toEqual(before);
  });
});

describe('the file the clerk names is the one used', () => {
  it('keeps the --keep file by its real path when two batch folders hold a file of the same name, and refuses a --keep that names no input', async () => {
    const bytes = school(13);
    const at = cellOf(bytes, 'STUDENTS');
    mkdirSync(path.join(dir, 'batches/一批'), { recursive: true });
    mkdirSync(path.join(dir, 'batches/二批'), { recursive: true });
    writeFileSync(path.join(dir, 'batches/一批/学校.xlsx'), withSheet(bytes, (x) => replaceCell(x, at, `<c r="${at}"><v>1111</v></c>`)));
    writeFileSync(path.join(dir, 'batches/二批/学校.xlsx'), withSheet(bytes, (x) => replaceCell(x, at, `<c r="${at}"><v>2222</v></c>`)));
    // The file left out is the one set aside for the clerk's choice (a note naming the file that stands).
    const left = (r: { json: JsonResult }): (string | undefined)[] => r.json.issues.filter((i) => i.code === 'school.duplicate_superseded').map((i) => i.file);
    expect(left(await validateJson(['batches', '--keep', './batches/一批/../一批/学校.xlsx']))).toEqual(['batches/二批/学校.xlsx']);
    expect(left(await validateJson(['batches', '--keep', 'batches/二批/学校.xlsx']))).toEqual(['batches/一批/学校.xlsx']);
    const none = await huizong(['validate', 'batches', '--keep', 'batches/学校.xlsx'], dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--keep 给出的“batches/学校.xlsx”不是本次读取的学校文件之一');
    expect(none.stdout).toBe('');
  });

  it('refuses return packages inside a folder of school files, where the next run would read them as submissions', async () => {
    const f = folder('return-into', 2, {});
    const before = fingerprint(f);
    for (const out of ['return-into/退回包', './return-into/新/退回包']) {
      const r = await huizong(['return', 'return-into', '--out', out], dir);
      expect(r.code, out).toBe(2);
      expect(r.stderr, out).toContain('在学校文件目录“return-into”之内');
    }
    expect(fingerprint(f)).toEqual(before);
  });

  it('refuses a pipe named on the command line instead of waiting for it', async () => {
    const f = folder('pipes', 1, {});
    expect(spawnSync('mkfifo', [path.join(f, 'pipe.xlsx')]).status).toBe(0);
    const r = await validateJson([path.join('pipes', schoolNames[0]!), 'pipes/pipe.xlsx']);
    noStack(r.stderr);
    expect(r.json.issues.find((i) => i.file?.endsWith('pipe.xlsx'))).toMatchObject({ code: 'file.unreadable', params: { why: 'not_a_file' } });
    expect(r.json.schools).toHaveLength(1);
  }, 30_000);
});

describe('nothing crashes', () => {
  it('takes indicator codes named like built-ins (constructor, __proto__, toString) as plain codes', async () => {
    const base = await validateJson(['demo/schools']);
    const json = JSON.stringify(definitionsToJson(builtinPreset()));
    for (const code of ['constructor', '__proto__', 'toString']) {
      writeFileSync(path.join(dir, `defs-${code}.json`), json.replaceAll('"BOOKS"', JSON.stringify(code)).replaceAll('BOOKS', code));
      const r = await validateJson(['-d', `defs-${code}.json`, 'demo/schools']);
      noStack(r.stderr);
      expect(r.code, code).toBe(base.code);
      expect(Object.getOwnPropertyDescriptor(r.json.district.values, code)?.value, code).toBe(base.json.district.values.BOOKS);
      expect(r.json.issues.length, code).toBe(base.json.issues.length);
    }
  });

  it('stops quietly when the reader of its output goes away (`| head`)', async () => {
    const child = spawn(process.execPath, [bundle, 'validate', 'demo/schools'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect([0, 1]).toContain(code);
  });

  it('makes a cell beyond XFD1048576 a located error for its file, and reads the rest, within a small heap', async () => {
    const far = withSheet(school(2), (x) => appendRow(x, '<row r="69"><c r="ZZZZZZZ69"><v>1</v></c></row>'));
    const deep = withSheet(school(3), (x) => appendRow(x, '<row r="50000000"><c r="A50000000"><v>1</v></c></row>'));
    folder('beyond', 2, { 'far.xlsx': far, 'deep.xlsx': deep });
    const r = await validateJson(['beyond'], capped(160));
    noStack(r.stderr);
    expect(r.code).toBe(1);
    const located = r.json.issues.filter((i) => i.code === 'sheet.beyond_grid').map((i) => [path.basename(i.file ?? ''), i.params.cell]);
    expect(located.sort()).toEqual([
      ['deep.xlsx', '50000000'],
      ['far.xlsx', 'ZZZZZZZ69'],
    ]);
    expect(r.json.schools).toHaveLength(2);
  });

  it('reads twenty files with a space typed in A1048576 in a small heap, each school still read', async () => {
    const hostile: Record<string, Uint8Array> = {};
    for (let k = 0; k < 20; k++) hostile[`bottom-${k}.xlsx`] = withSheet(school(k), (x) => appendRow(x, '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t xml:space="preserve"> </t></is></c></row>'));
    folder('bottom', 0, hostile);
    const r = await validateJson(['bottom'], capped(128));
    noStack(r.stderr);
    expect(r.json.schools).toHaveLength(20);
  });
});

describe('bombs and damaged archives are bounded, located and worded', () => {
  it('refuses a sheet that unpacks beyond the limit before inflating it, reads the others, in a small heap', async () => {
    const payload = `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${' '.repeat(60 * 1024 * 1024)}</sheetData></worksheet>`;
    const bomb = withSheet(school(4), () => payload);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    // A bomb in a part the workbook never names is never inflated: that file reads as it is.
    const hidden = withSheet(school(5), (x) => x, { 'xl/worksheets/sheet9.xml': strToU8(payload) });
    folder('bombs', 1, { 'bomb.xlsx': bomb, 'hidden.xlsx': hidden });
    const r = await validateJson(['bombs'], capped(200));
    noStack(r.stderr);
    const bombIssue = r.json.issues.find((i) => i.file?.endsWith('bomb.xlsx'));
    expect(bombIssue).toMatchObject({ code: 'file.too_large', severity: 'error', params: { what: 'inflated', limit: 48 } });
    expect(bombIssue?.message).toContain('解压后超过 48 MB');
    expect(r.json.issues.filter((i) => i.file?.endsWith('hidden.xlsx') && i.code.startsWith('file.'))).toEqual([]);
    expect(r.json.schools.map((s) => s.file && path.basename(s.file)).sort()).toEqual([schoolNames[0], 'hidden.xlsx'].sort());
  });

  it('refuses a stored entry whose CRC does not match, and a sheet larger than its stated size', async () => {
    const stored = withSheet(school(6), (x) => x, {}, 0);
    const crc = flipStoredByte(stored, 'xl/worksheets/sheet1.xml', '<c r="A1" ');
    const xmlSize = withSheet(school(7), (x) => x).length; // same parts deflated; only the stated size changes below
    expect(xmlSize).toBeGreaterThan(0);
    const understated = stateSize(withSheet(school(7), (x) => x), 'xl/worksheets/sheet1.xml', 1000);
    folder('damaged', 1, { 'crc.xlsx': crc, 'short.xlsx': understated });
    const r = await validateJson(['damaged', '--lang', 'en-US']);
    noStack(r.stderr);
    const byFile = Object.fromEntries(r.json.issues.filter((i) => i.code === 'file.unreadable').map((i) => [path.basename(i.file ?? ''), i]));
    expect(byFile['crc.xlsx']?.params).toMatchObject({ why: 'crc', part: 'xl/worksheets/sheet1.xml' });
    expect(byFile['crc.xlsx']?.message).toContain('a checksum does not match');
    expect(byFile['short.xlsx']?.params).toMatchObject({ why: 'size' });
    expect(byFile['short.xlsx']?.message).toContain('not the length the file records');
    expect(r.json.schools).toHaveLength(1);
  });

  it('refuses a link to a device by name and finishes', async () => {
    const f = folder('devices', 1, {});
    symlinkSync('/dev/zero', path.join(f, 'zero.xlsx'));
    const r = await validateJson(['devices'], capped(128));
    noStack(r.stderr);
    const zero = r.json.issues.find((i) => i.file?.endsWith('zero.xlsx'));
    expect(zero).toMatchObject({ code: 'file.unreadable', params: { why: 'not_a_file' } });
    expect(zero?.message).toContain('不是普通文件');
    expect(r.json.schools).toHaveLength(1);
  }, 30_000);
});

describe('values that are not what they seem', () => {
  it('takes an ISO-date cell in a number field for a date, not for its serial number', async () => {
    const bytes = school(8);
    const at = cellOf(bytes, 'STUDENTS');
    folder('dates', 0, { 'date.xlsx': withSheet(bytes, (x) => replaceCell(x, at, `<c r="${at}" t="d"><v>2026-09-01</v></c>`)) });
    const r = await validateJson(['dates']);
    const issue = r.json.issues.find((i) => i.code === 'value.date_for_number');
    expect(issue).toMatchObject({ cell: at, subject: 'STUDENTS', severity: 'error' });
    expect(r.json.schools[0]!.values.STUDENTS).toBeNull();
  });

  it('makes 1e308 an error for its school instead of a blank district total', async () => {
    const files: Record<string, Uint8Array> = {};
    for (const k of [9, 10]) {
      const bytes = school(k);
      const at = cellOf(bytes, 'STUDENTS');
      files[`huge-${k}.xlsx`] = withSheet(bytes, (x) => replaceCell(x, at, `<c r="${at}"><v>1E308</v></c>`));
    }
    folder('huge', 3, files);
    const r = await validateJson(['huge']);
    expect(r.code).toBe(1);
    expect(r.json.issues.filter((i) => i.code === 'value.above_max' && i.subject === 'STUDENTS').map((i) => path.basename(i.file ?? '')).sort()).toEqual(['huge-10.xlsx', 'huge-9.xlsx']);
    expect(Number.isFinite(r.json.district.values.STUDENTS)).toBe(true);
    expect(existsSync(path.join(dir, 'huge'))).toBe(true);
  });
});

describe('messages that say what happened', () => {
  it('reads a file reached twice through a link loop once, not as a duplicate submission', async () => {
    const f = folder('loop', 2, {});
    symlinkSync(f, path.join(f, 'again'));
    const r = await validateJson(['loop']);
    expect(r.json.issues.filter((i) => i.code === 'school.duplicate')).toEqual([]);
    expect(r.json.schools).toHaveLength(2);
  });

  it('does not call a CSV school code a number that lost its zeros, and does when it did lose them', async () => {
    // The demo form as CSV text, its school code typed as plain digits.
    const grid = readBook(school(0), 'x.xlsx').book!.sheets[0]!;
    const code = grid.values.flat().find((v) => typeof v === 'string' && /^\d{10}$/.test(v)) as string;
    const csv = (typed: string): Uint8Array =>
      strToU8(grid.values.map((row) => row.map((v) => (v === code ? typed : v === null || typeof v === 'object' ? '' : `"${String(v).replace(/"/g, '""')}"`)).join(',')).join('\n'));
    folder('csv', 0, { 'full.csv': csv('1340102001'), 'short.csv': csv('340102001') });
    const r = await validateJson(['csv']);
    expect(r.json.schools).toHaveLength(2);
    expect(r.json.issues.filter((i) => i.code === 'value.code_as_number').map((i) => path.basename(i.file ?? ''))).toEqual(['short.csv']);
  });

  it('says a formula has no saved result instead of calling the cell blank', async () => {
    const bytes = school(11);
    const at = cellOf(bytes, 'STUDENTS');
    folder('uncached', 0, { 'formula.xlsx': withSheet(bytes, (x) => replaceCell(x, at, `<c r="${at}"><f>SUM(1,2)</f></c>`)) });
    const r = await validateJson(['uncached']);
    expect(r.json.issues.find((i) => i.subject === 'STUDENTS')).toMatchObject({ code: 'value.formula_uncached', cell: at });
  });

  it('warns of a roster with no school and of definitions with headers only', async () => {
    writeFileSync(path.join(dir, 'empty-roster.csv'), '学校代码,学校名称,学段\n');
    const roster = await huizong(['validate', '-r', 'empty-roster.csv', 'demo/schools'], dir);
    expect(roster.stderr).toContain('“学校名册”表中没有任何条目');
    const headersOnly = { ...(definitionsToJson(builtinPreset()) as Record<string, unknown>), indicators: [], rules: [], rates: [], dispersions: [] };
    writeFileSync(path.join(dir, 'headers-only.json'), JSON.stringify(headersOnly));
    const defs = await huizong(['validate', '-d', 'headers-only.json', 'demo/schools', '--lang', 'en-US'], dir);
    expect(defs.stderr).toContain('holds no entries (only its headers)');
  });

  it('names a file whose name is not UTF-8 and goes on with the rest', async () => {
    const f = folder('names', 1, {});
    // 汇总 in GBK, as `unzip` leaves a name from a Windows zip: not valid UTF-8.
    writeFileSync(Buffer.concat([Buffer.from(`${f}/`), Buffer.from([0xbb, 0xe3, 0xd7, 0xdc]), Buffer.from('.xlsx')]), school(1));
    const r = await validateJson(['names']);
    noStack(r.stderr);
    const odd = r.json.issues.find((i) => i.code === 'file.unreadable');
    expect(odd?.params.why).toBe('name_encoding');
    expect(r.json.schools).toHaveLength(1);
  });
});

describe('every file a clerk receives', () => {
  it('reads .xls, .ods and WPS .et files from a folder beside .xlsx, and names a file of a kind it cannot read', async () => {
    const fixtures = path.resolve(bundle, '../../../test/fixtures/formats');
    const f = folder('mixed', 0, {
      '城关一小.xls': new Uint8Array(readFileSync(path.join(fixtures, '3401020001.xls'))),
      '城关二小.ods': new Uint8Array(readFileSync(path.join(fixtures, '3401020002.ods'))),
      '西河幼儿园.et': new Uint8Array(readFileSync(path.join(fixtures, '0340102007-wps.et'))),
      '城关二中.xlsx': new Uint8Array(readFileSync(path.join(fixtures, '3401020009.xlsx'))),
      '说明.docx': strToU8('PK not really a document'),
    });
    const r = await validateJson([path.relative(dir, f)]);
    noStack(r.stderr);
    expect(r.json.schools.map((s) => path.basename(s.file ?? '')).sort()).toEqual(['城关一小.xls', '城关二中.xlsx', '城关二小.ods', '西河幼儿园.et'].sort());
    const docx = r.json.issues.find((i) => i.file?.endsWith('说明.docx'));
    expect(docx?.code).toMatch(/^file\./);
    expect(docx?.message).toContain('说明.docx');
  });
});

describe('a hidden old copy of the form', () => {
  it('is not the one consolidated, and the visible sheet is not called a duplicate', async () => {
    // The school kept last term's sheet, hidden and first, with other figures.
    const bytes = school(12);
    const at = cellOf(bytes, 'STUDENTS');
    const p = parts(bytes);
    const sheet = strFromU8(p['xl/worksheets/sheet1.xml']!);
    p['xl/worksheets/sheet2.xml'] = strToU8(sheet);
    p['xl/worksheets/sheet1.xml'] = strToU8(replaceCell(sheet, at, `<c r="${at}"><v>7</v></c>`));
    p['xl/workbook.xml'] = strToU8(
      strFromU8(p['xl/workbook.xml']!).replace(/<sheet [^>]*\/>/, '<sheet sheetId="1" name="2025秋" state="hidden" r:id="rId4"/><sheet sheetId="2" name="填报表" r:id="rId9"/>'),
    );
    p['xl/_rels/workbook.xml.rels'] = strToU8(
      strFromU8(p['xl/_rels/workbook.xml.rels']!).replace(
        '</Relationships>',
        '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/></Relationships>',
      ),
    );
    folder('hidden', 0, { 'kept-old.xlsx': zipSync(p) });
    const r = await validateJson(['hidden']);
    expect(r.json.schools.map((s) => s.sheet)).toEqual(['填报表']);
    expect(r.json.schools[0]!.values.STUDENTS).not.toBe(7);
    expect(r.json.issues.filter((i) => i.code === 'school.duplicate')).toEqual([]);
    const note = r.json.issues.find((i) => i.code === 'sheet.hidden_form');
    expect(note?.message).toContain('隐藏的工作表“2025秋”也像填报表，已采用可见的“填报表”');
  });
});

describe('every format SheetJS reads, and CSV, bounded as .xlsx is', () => {
  const formats = (): string => path.resolve(bundle, '../../../test/fixtures/formats');
  const fixture = (f: string): Uint8Array => new Uint8Array(readFileSync(path.join(formats(), f)));
  const byFile = (issues: JsonResult['issues']): Record<string, JsonResult['issues'][number]> =>
    Object.fromEntries(issues.filter((i) => i.code.startsWith('file.') || i.code === 'sheet.beyond_grid').map((i) => [path.basename(i.file ?? ''), i]));
  const pad = ' '.repeat(60 * 1024 * 1024);

  it('refuses an .ods bomb and an .xlsx bomb renamed .xlsb before inflating them, and reads the others, in a small heap', async () => {
    const ods = rezip(fixture('3401020002.ods'), (p) => {
      p['content.xml'] = strToU8(strFromU8(p['content.xml']!).replace('</office:document-content>', `${pad}</office:document-content>`));
    });
    const xlsb = withSheet(school(4), (x) => x.replace('</sheetData>', `${pad}</sheetData>`));
    expect(ods.length + xlsb.length).toBeLessThan(2 * 1024 * 1024);
    folder('sheetjs-bombs', 1, { 'bomb.ods': ods, 'bomb.xlsb': xlsb, '城关二小.ods': fixture('3401020002.ods') });
    const r = await validateJson(['sheetjs-bombs'], capped(200));
    noStack(r.stderr);
    const issues = byFile(r.json.issues);
    for (const f of ['bomb.ods', 'bomb.xlsb']) expect(issues[f], f).toMatchObject({ code: 'file.too_large', params: { what: 'inflated', limit: 48 } });
    expect(r.json.schools.map((s) => path.basename(s.file ?? '')).sort()).toEqual([schoolNames[0], '城关二小.ods'].sort());
  });

  it('refuses a damaged .ods (one digit changed, the CRC no longer matching) and an .xlsb whose part is longer than stated, instead of reading altered data', async () => {
    const stored = rezip(fixture('3401020002.ods'), () => undefined, 0);
    const understated = stateSize(withSheet(school(7), (x) => x), 'xl/worksheets/sheet1.xml', 1000);
    folder('sheetjs-crc', 0, { 'altered.ods': flipStoredByte(stored, 'content.xml', '<text:p>340102000'), 'short.xlsb': understated });
    const r = await validateJson(['sheetjs-crc', '--lang', 'en-US']);
    noStack(r.stderr);
    expect(byFile(r.json.issues)['altered.ods']).toMatchObject({ code: 'file.unreadable', params: { why: 'crc', part: 'content.xml' } });
    expect(byFile(r.json.issues)['short.xlsb']).toMatchObject({ code: 'file.unreadable', params: { why: 'size', part: 'xl/worksheets/sheet1.xml' } });
    expect(r.json.schools).toEqual([]);
  });

  it('refuses repeated and countless cells while reading: an .ods cell repeated, an .xls of a million cells, CSV beyond the cell and row limits', async () => {
    const repeated = rezip(fixture('3401020002.ods'), (p) => {
      const row = '<table:table-row table:number-rows-repeated="100000"><table:table-cell table:number-columns-repeated="1000" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>';
      p['content.xml'] = strToU8(odsRows(strFromU8(p['content.xml']!), row));
    });
    expect(repeated.length).toBeLessThan(100 * 1024);
    const xls = xlsWithRecords(fixture('3401020002.xls'), numberRecords(1_000_100), XLSX.CFB);
    const wide = strToU8(`${'1,'.repeat(999)}1\n`.repeat(1_001));
    const blank = new Uint8Array(60 * 1024 * 1024).fill(0x0a);
    folder('sheetjs-cells', 1, { 'repeated.ods': repeated, 'million.xls': xls, 'wide.csv': wide, 'blank.csv': blank });
    const r = await validateJson(['sheetjs-cells'], capped(200));
    noStack(r.stderr);
    const issues = byFile(r.json.issues);
    for (const f of ['repeated.ods', 'million.xls', 'wide.csv']) expect(issues[f], f).toMatchObject({ code: 'file.too_large', params: { what: 'cells', limit: 1_000_000 } });
    expect(issues['blank.csv']).toMatchObject({ code: 'sheet.beyond_grid', params: { cell: 'A1048577' } });
    expect(r.json.schools).toHaveLength(1);
  }, 120_000);

  it('calls an .xls whose cell record is cut to nothing damaged, and reads a CSV with one unterminated quote as one file with its own issues', async () => {
    const cfb = XLSX.CFB.read(fixture('3401020002.xls'), { type: 'array' });
    const stream = new Uint8Array((XLSX.CFB.find(cfb, '/Workbook') as { content: Uint8Array }).content);
    const view = new DataView(stream.buffer);
    let at = -1;
    for (let p = 0; p + 4 <= stream.length; p += 4 + view.getUint16(p + 2, true)) {
      if ([0x0203, 0x00fd, 0x027e].includes(view.getUint16(p, true))) {
        at = p;
        break;
      }
    }
    expect(at).toBeGreaterThan(0);
    view.setUint16(at + 2, 0, true);
    const rebuilt = XLSX.CFB.utils.cfb_new();
    XLSX.CFB.utils.cfb_add(rebuilt, '/Workbook', stream);
    const cut = new Uint8Array(XLSX.CFB.write(rebuilt, { type: 'array' }) as ArrayLike<number>);
    const quote = strToU8(`学校代码,3401020001\n在校学生数,100\n"${'备注,1\n'.repeat(1_500_000)}`);
    folder('sheetjs-damaged', 1, { 'cut.xls': cut, 'quote.csv': quote });
    const r = await validateJson(['sheetjs-damaged'], capped(200));
    noStack(r.stderr);
    expect(byFile(r.json.issues)['cut.xls']).toMatchObject({ code: 'file.unreadable', params: { why: 'damaged' } });
    expect(r.json.issues.filter((i) => i.file?.endsWith('quote.csv')).length).toBeGreaterThan(0);
    expect(r.json.files.map((f) => path.basename(f.file)).sort()).toEqual([schoolNames[0], 'cut.xls', 'quote.csv'].sort());
    expect(r.json.schools.some((s) => s.file?.endsWith(schoolNames[0]!))).toBe(true);
  }, 120_000);
});
