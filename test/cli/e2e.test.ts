/**
 * The built `huizong` command end to end on the demo district: the files it writes, read back; every
 * injected mistake found at its cell; district totals equal to the sum of the included schools; exit
 * codes; `--json`; bad files; inputs never modified; no temporary files left.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cellAt, parseCellAddress } from '../../src/core/grid';
import type { Issue, SchoolResult } from '../../src/core/types';
import { PLANTED_SHORTFALLS, planDemoDistrict } from '../../src/demo';
import { writeBook } from '../../src/cli/io';
import type { JsonResult } from '../../src/cli/output';
import { previousFromSummary } from '../../src/job';
import { buildTemplatePlan, sectionItems, SHEET_NAMES, SUMMARY_HEADER_ROW } from '../../src/workbook';

/** The printed tables' sheet names: 表1 基本情况, 表9-2 办学条件. */
const PRINTED_TABLE = /^表\d+(-\d+)? /;
import { ensureBuilt, fingerprint, huizong, listFiles, readBack, scratch, sheetNamed, type Run } from './helpers';

const demo = planDemoDistrict(2026);
let dir: string;
let demoRun: Run;
let json: JsonResult;
let jsonRun: Run;
let before: Record<string, string>;

const book = readBack;
const sheet = sheetNamed;

function base(file: string | undefined): string | undefined {
  return file === undefined ? undefined : path.basename(file);
}

beforeAll(async () => {
  ensureBuilt();
  dir = scratch();
  demoRun = await huizong(['demo', '--out', 'demo'], dir);
  before = fingerprint(path.join(dir, 'demo'));
  jsonRun = await huizong(
    ['consolidate', '--definitions', 'demo/定义.xlsx', '--roster', 'demo/学校名册.xlsx', 'demo/schools', '--out', 'out/district.xlsx', '--json'],
    dir,
  );
  json = JSON.parse(jsonRun.stdout) as JsonResult;
});

describe('huizong demo', () => {
  it('exits 0 and prints where the files are and a short report', () => {
    expect(demoRun.stderr).toBe('');
    expect(demoRun.code).toBe(0);
    const out = demoRun.stdout;
    expect(out).toContain('demo/定义.xlsx');
    expect(out).toContain('demo/学校名册.xlsx');
    expect(out).toContain('demo/schools/');
    expect(out).toContain('demo/全区汇总.xlsx');
    expect(out).toMatch(/报送情况：应报 47 所，已报 46 所/);
    expect(out).toMatch(/问题：\d+ 个错误，\d+ 个警告/);
    expect(out).toContain('全区比率');
    expect(out).toContain('教职工');
    expect(out).toMatch(/目标 >= 96/);
    // 均衡: both standards, both stages, and the demo's schools under a floor named.
    expect(out).toMatch(/基本均衡 · 小学 {2}综合差异系数 0\.\d{3}（标准 ≤ 0\.65）：达标/);
    expect(out).toMatch(/基本均衡 · 初中 {2}综合差异系数 0\.\d{3}（标准 ≤ 0\.55）：达标/);
    expect(out).toMatch(/优质均衡 · 小学 {2}.*：未达标\n {4}未达底线: /);
    // The schools planted under a floor are named there when their shortfall fails them, and not when one floor at 85% still meets.
    const under = out.split('\n').filter((l) => l.startsWith('    未达底线: ')).join('\n');
    for (const p of PLANTED_SHORTFALLS) expect(under.includes(p.school), p.school).toBe(!p.meets);
  });

  it('carries 均衡 in --json: each standard’s CVs, 综合, verdicts and the schools left out, as the report says', () => {
    expect(json.equity.map((r) => [r.code, r.label, r.test, r.thresholds])).toEqual([
      ['BASIC', '基本均衡', 'composite', { 小学: 0.65, 初中: 0.55 }],
      ['QUALITY', '优质均衡', 'each', { 小学: 0.5, 初中: 0.45 }],
    ]);
    const basic = json.equity[0]!;
    for (const stage of basic.stages) {
      const cvs = stage.indicators.map((i) => i.cv!);
      expect(cvs).toHaveLength(8);
      expect(stage.composite).toBeCloseTo(cvs.reduce((a, v) => a + v, 0) / 8, 12);
    }
    // The nine-year and complete secondary schools take part as stage parts, their shares adding up to at most 1.
    const parts = new Map<string, number>();
    for (const stage of basic.stages) for (const s of stage.schools) parts.set(s.school, (parts.get(s.school) ?? 0) + s.share);
    const spanning = json.schools.filter((s) => s.included && (s.stage === '九年一贯制' || s.stage === '完全中学'));
    expect(spanning.length).toBeGreaterThanOrEqual(3);
    for (const s of spanning) expect(parts.get(s.code)).toBeGreaterThan(0);
    expect(spanning.filter((s) => s.stage === '九年一贯制').every((s) => Math.abs(parts.get(s.code)! - 1) < 1e-12)).toBe(true);
    expect(spanning.filter((s) => s.stage === '完全中学').every((s) => parts.get(s.code)! < 1)).toBe(true);
    const quality = json.equity[1]!;
    expect(quality.stages.map((s) => s.met)).toEqual([false, true]);
    expect(quality.excluded.map((e) => e.reason).sort()).toEqual(['below_min_weight', 'special_education']);
  });

  it('writes the definitions, the roster, one file per submission and the district workbook', () => {
    const files = listFiles(path.join(dir, 'demo'));
    expect(files).toContain('定义.xlsx');
    expect(files).toContain('学校名册.xlsx');
    expect(files).toContain('全区汇总.xlsx');
    const schools = files.filter((f) => f.startsWith('schools/'));
    expect(schools).toHaveLength(demo.sheets.length);
    expect(schools.length).toBeGreaterThanOrEqual(45);
  });

  it('leaves no temporary file behind, only its own list of what it wrote', () => {
    for (const d of ['demo', 'out']) for (const f of listFiles(path.join(dir, d))) expect(path.basename(f)).not.toMatch(/\.tmp$/);
    expect(listFiles(path.join(dir, 'demo')).filter((f) => path.basename(f).startsWith('.'))).toEqual(['.huizong-demo.json']);
  });

  it('writes a district workbook with the summary, the report, completeness and a copy of each school sheet', async () => {
    const b = await book(path.join(dir, 'demo/全区汇总.xlsx'));
    const names = b.sheets.map((s) => s.name);
    // The summary, its printed tables (one per section, 表1 基本情况…), then the report, completeness and 均衡.
    const tables = names.filter((n) => PRINTED_TABLE.test(n));
    expect(tables.length).toBeGreaterThanOrEqual(sectionItems(demo.definitions, 'zh-CN').length);
    expect(names.slice(1, 1 + tables.length)).toEqual(tables);
    expect(names.filter((n) => !PRINTED_TABLE.test(n)).slice(0, 4)).toEqual([SHEET_NAMES['zh-CN'].summary, SHEET_NAMES['zh-CN'].report, SHEET_NAMES['zh-CN'].completeness, SHEET_NAMES['zh-CN'].equity]);
    expect(names.length - 4 - tables.length).toBe(json.schools.length);
  });
});

describe('huizong consolidate --json on the demo files', () => {
  it('exits 1 because the demo holds errors, and prints the JSON result only', () => {
    expect(jsonRun.code).toBe(1);
    expect(json).toMatchObject({ tool: 'huizong', command: 'consolidate', lang: 'zh-CN', exitCode: 1, ok: false, output: { workbook: 'out/district.xlsx' } });
    expect(json.counts.errors).toBeGreaterThan(0);
    expect(json.files).toHaveLength(demo.sheets.length);
    expect(json.issues.every((i) => typeof i.message === 'string' && i.message.length > 0 && typeof i.kind === 'string')).toBe(true);
  });

  it('reports every injected mistake at its file and cell', () => {
    expect(demo.expectedMistakes.length).toBeGreaterThanOrEqual(15);
    const missed: string[] = [];
    for (const m of demo.expectedMistakes) {
      const found = json.issues.find(
        (i: Issue) =>
          i.code === m.code &&
          (m.file === undefined || base(i.file) === m.file) &&
          (m.cell === undefined || i.cell === m.cell) &&
          (i.school === undefined || i.school === m.school || m.code === 'value.code_as_number'),
      );
      if (!found) missed.push(`${m.code} ${m.file ?? m.school} ${m.cell ?? ''} (${m.what})`);
    }
    expect(missed).toEqual([]);
  });

  it('reports no error in a school file that was left clean', () => {
    const touched = new Set(demo.expectedMistakes.map((m) => m.file));
    const clean = demo.sheets.map((s) => s.name).filter((n) => !touched.has(n));
    expect(clean.length).toBeGreaterThan(25);
    const errors = json.issues.filter((i) => i.severity === 'error' && clean.includes(base(i.file) ?? ''));
    expect(errors.map((i) => `${i.file} ${i.cell} ${i.message}`)).toEqual([]);
  });

  it('reads drifted sheets (inserted row, moved column) to the values meant', () => {
    expect(demo.driftFiles.map((d) => d.drift).sort()).toEqual(['inserted_row', 'moved_column']);
    for (const d of demo.driftFiles) {
      const s = json.schools.find((x) => base(x.file) === d.file);
      expect(s, d.file).toBeDefined();
      for (const [code, v] of Object.entries(d.values)) if (code !== 'STAFF_VACC_RATE') expect(s!.values[code] ?? null, `${d.file} ${code}`).toBe(v);
    }
  });

  it('counts completeness against the roster: one missing, one not in the roster', () => {
    expect(json.completeness.expected).toBe(demo.roster.length);
    expect(json.completeness.missing.map((s) => s.code)).toEqual([demo.missingSchool]);
    expect(json.completeness.unknown).toEqual([demo.unknownSchool]);
  });

  it('gives district totals equal to the sum of the included schools, and rates as Σnum ÷ Σden', () => {
    const included = json.schools.filter((s: SchoolResult) => s.included);
    expect(included.length).toBeGreaterThan(30);
    expect(included.length).toBeLessThan(json.schools.length);
    for (const code of ['STUDENTS', 'BOYS', 'GIRLS', 'TEACHERS', 'STAFF_TOTAL', 'STAFF_VACC', 'KG_ENROLLED', 'DIS_AGE', 'BOOKS']) {
      const sum = included.reduce((a, s) => a + (typeof s.values[code] === 'number' ? (s.values[code] as number) : 0), 0);
      expect(json.district.values[code], code).toBeCloseTo(sum, 6);
    }
    for (const rate of demo.definitions.rates) {
      const rv = json.district.rates[rate.code]!;
      // Each side is summed over the schools that reported both (a school without the numerator does not pull the rate down).
      const both = included.filter((s) => s.rates[rate.code]?.numerator != null && s.rates[rate.code]?.denominator != null);
      const num = both.reduce((a, s) => a + s.rates[rate.code]!.numerator!, 0);
      const den = both.reduce((a, s) => a + s.rates[rate.code]!.denominator!, 0);
      expect(rv.numerator ?? 0, rate.code).toBeCloseTo(num, 6);
      expect(rv.denominator ?? 0, rate.code).toBeCloseTo(den, 6);
      if (den !== 0) expect(rv.value, rate.code).toBeCloseTo((num / den) * rate.factor, 9);
    }
    const vacc = json.district.rates.R_STAFF_VACC!;
    expect(vacc.value).toBeCloseTo((json.district.values.STAFF_VACC! / json.district.values.STAFF_TOTAL!) * 100, 9);
  });

  it('writes the same totals into the summary sheet that it prints', async () => {
    const b = await book(path.join(dir, 'out/district.xlsx'));
    const s = sheet(b, SHEET_NAMES['zh-CN'].summary);
    const header = s.values[SUMMARY_HEADER_ROW]!;
    const total = s.values.findIndex((row) => typeof row[1] === 'string' && row[1].startsWith('全区合计'));
    expect(total).toBeGreaterThan(SUMMARY_HEADER_ROW);
    const students = header.findIndex((h) => typeof h === 'string' && h.startsWith('在校学生数'));
    expect(students).toBeGreaterThan(0);
    expect(cellAt(s, total, students)).toBe(json.district.values.STUDENTS);
    let rowsSum = 0;
    for (let r = SUMMARY_HEADER_ROW + 1; r < s.values.length && cellAt(s, r, 0) !== null; r++) rowsSum += Number(cellAt(s, r, students) ?? 0);
    expect(rowsSum).toBe(json.district.values.STUDENTS);
    // The summary reads back as a previous period, school by school.
    const prev = previousFromSummary(s, demo.definitions);
    const anyIncluded = json.schools.find((x) => x.included)!;
    expect(prev[anyIncluded.code]?.STUDENTS).toBe(anyIncluded.values.STUDENTS);
  });

  it('writes each school its computed rates back into its copy', async () => {
    const b = await book(path.join(dir, 'out/district.xlsx'));
    const school = json.schools.find((x) => x.included && x.rates.R_STAFF_VACC?.value !== null)!;
    const copy = b.sheets.find((s) => s.name.startsWith(school.code))!;
    expect(copy).toBeDefined();
    const codeCol = 0;
    const row = copy.values.findIndex((r) => r[codeCol] === 'R_STAFF_VACC');
    expect(row).toBeGreaterThan(0);
    const valueCol = parseCellAddress(school.cells.STUDENTS!)!.col;
    expect(cellAt(copy, row, valueCol)).toBeCloseTo(school.rates.R_STAFF_VACC!.value!, 2);
  });

  it('never modifies its inputs', () => {
    expect(fingerprint(path.join(dir, 'demo'))).toEqual(before);
  });
});

describe('exit codes and languages', () => {
  it('0 for clean files, warnings allowed', async () => {
    const d = scratch();
    const touched = new Set(demo.expectedMistakes.map((m) => m.file));
    const clean = demo.sheets.map((s) => s.name).filter((n) => !touched.has(n)).slice(0, 6);
    mkdirSync(path.join(d, 's'));
    for (const f of clean) copyFileSync(path.join(dir, 'demo/schools', f), path.join(d, 's', f));
    const r = await huizong(['validate', 's', '--definitions', path.join(dir, 'demo/定义.xlsx')], d);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0 个错误');
  });

  it('1 when validation finds errors, with each message in the chosen language', async () => {
    const r = await huizong(['validate', 'demo/schools', '--lang', 'en-US'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Issues: [1-9]\d* errors/);
    expect(r.stdout).not.toMatch(/[错误警告]/);
  });

  it('2 for usage problems, missing inputs and unreadable definitions', async () => {
    expect((await huizong(['consolidate', 'demo/schools'], dir)).code).toBe(2);
    expect((await huizong(['frobnicate'], dir)).code).toBe(2);
    const missing = await huizong(['validate', 'nowhere/*.xlsx'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nowhere/*.xlsx');
    writeFileSync(path.join(dir, 'broken.json'), '{ not json');
    const defs = await huizong(['validate', 'demo/schools', '--definitions', 'broken.json', '--lang', 'en-US'], dir);
    expect(defs.code).toBe(2);
    expect(defs.stderr).toContain('broken.json');
  });

  it('prints help for the command and each subcommand, and the version', async () => {
    const h = await huizong(['--help'], dir);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('huizong <命令>');
    const c = await huizong(['consolidate', '--help', '--lang', 'en-US'], dir);
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('--include-errors');
    expect((await huizong(['--version'], dir)).stdout).toMatch(/^huizong \d+\.\d+\.\d+/);
  });

  it('draws no progress bar when stderr is not a terminal', async () => {
    const r = await huizong(['validate', 'demo/schools', '--json'], dir);
    expect(r.stderr).not.toContain('\r');
    expect(JSON.parse(r.stdout).command).toBe('validate');
  });
});

describe('bad files', () => {
  it('each become an issue for that file while the rest are processed', async () => {
    const d = scratch();
    const s = path.join(d, 'in');
    mkdirSync(s);
    const good = demo.sheets.filter((x) => !demo.expectedMistakes.some((m) => m.file === x.name)).slice(0, 2);
    for (const g of good) copyFileSync(path.join(dir, 'demo/schools', g.name), path.join(s, g.name));
    writeFileSync(path.join(s, 'not-a-zip.xlsx'), 'this is a text file, not a workbook');
    writeFileSync(path.join(s, 'empty.xlsx'), '');
    const real = readFileSync(path.join(s, good[0]!.name));
    writeFileSync(path.join(s, 'corrupt.xlsx'), real.subarray(0, Math.floor(real.length / 2)));
    // An encrypted workbook is an OLE compound file, not a zip.
    const ole = new Uint8Array(4096);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    // Its directory names the EncryptionInfo stream (UTF-16LE), which an old .xls does not have.
    ole.set(new Uint8Array(Buffer.from('EncryptionInfo', 'utf16le')), 1024 + 64);
    writeFileSync(path.join(s, 'password.xlsx'), ole);
    writeFileSync(path.join(s, 'other.xlsx'), await writeBook([{ name: 'Sheet1', rows: [{ role: 'data', cells: [{ value: '会议纪要' }] }] }]));
    const noCode = buildTemplatePlan(demo.definitions, 'zh-CN');
    writeFileSync(path.join(s, 'no-code.xlsx'), await writeBook([noCode]));
    writeFileSync(path.join(s, 'junk.csv'), 'a,b\n1,2\n');
    const before2 = fingerprint(s);

    const r = await huizong(['validate', 'in', '--json', '--definitions', path.join(dir, 'demo/定义.xlsx'), '--roster', path.join(dir, 'demo/学校名册.xlsx')], d);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as JsonResult;
    expect(j.files).toHaveLength(9);
    const issuesOf = (f: string): Issue[] => j.issues.filter((i) => base(i.file) === f);
    for (const f of ['not-a-zip.xlsx', 'empty.xlsx', 'corrupt.xlsx', 'password.xlsx', 'other.xlsx', 'no-code.xlsx', 'junk.csv']) {
      expect(issuesOf(f).length, f).toBeGreaterThan(0);
    }
    expect(issuesOf('password.xlsx').map((i) => i.code)).toContain('file.encrypted');
    expect(issuesOf('empty.xlsx').map((i) => i.code)).toContain('file.empty');
    expect(issuesOf('no-code.xlsx').map((i) => i.code)).toContain('sheet.school_code_missing');
    // Each file is named once: by where the message says the problem is, not again in its words.
    const fileIssues = j.issues.filter((i) => i.code.startsWith('file.'));
    expect(fileIssues.length).toBeGreaterThanOrEqual(4);
    for (const i of fileIssues) expect(i.message.split(base(i.file) ?? '').length - 1, i.message).toBe(1);
    const goodCodes = good.map((g) => g.name.split('_')[0]);
    for (const code of goodCodes) expect(j.schools.some((x) => x.code === code && x.errors === 0)).toBe(true);
    expect(fingerprint(s)).toEqual(before2);
  });
});

describe('template', () => {
  it('writes the school form, with the school filled in', async () => {
    const d = scratch();
    const school = demo.roster[3]!;
    const r = await huizong(['template', '--definitions', path.join(dir, 'demo/定义.xlsx'), '--roster', path.join(dir, 'demo/学校名册.xlsx'), '--school', school.code, '--out', 't/填报表.xlsx'], d);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const b = await book(path.join(d, 't/填报表.xlsx'));
    const values = b.sheets[0]!.values.flat();
    expect(values).toContain(school.code);
    expect(values).toContain(school.name);
    expect(values).toContain('STAFF_VACC');
    expect(readdirSync(path.join(d, 't'))).toEqual(['填报表.xlsx']);
  });
});

describe('worker threads', () => {
  it('give the same result as reading on one thread', async () => {
    const one = await huizong(['validate', 'demo/schools', '--json'], dir, { HUIZONG_WORKERS: '0' });
    const two = await huizong(['validate', 'demo/schools', '--json'], dir, { HUIZONG_WORKERS: '2' });
    expect(two.stderr).toBe('');
    const a = JSON.parse(one.stdout) as JsonResult;
    const b = JSON.parse(two.stdout) as JsonResult;
    expect(b.schools).toEqual(a.schools);
    expect(b.issues).toEqual(a.issues);
  });
});

describe('--previous', () => {
  it('accepts an earlier district workbook and an earlier --json output', async () => {
    writeFileSync(path.join(dir, 'prev.json'), jsonRun.stdout);
    for (const prev of ['out/district.xlsx', 'prev.json']) {
      const r = await huizong(['validate', 'demo/schools', '--previous', prev, '--json'], dir);
      expect(r.code, r.stderr).toBe(1);
      const j = JSON.parse(r.stdout) as JsonResult;
      // Same data as the previous period: nothing changed by half.
      expect(j.issues.filter((i) => i.code === 'outlier.period_change')).toEqual([]);
    }
  });

  it('flags a value that changed by more than half since the previous period', async () => {
    const prev = JSON.parse(jsonRun.stdout) as Omit<JsonResult, 'schools'> & { schools: { code: string; included: boolean; values: Record<string, unknown> }[] };
    const target = prev.schools.find((s) => s.included && typeof s.values.BOOKS === 'number')!;
    target.values.BOOKS = (target.values.BOOKS as number) * 3;
    writeFileSync(path.join(dir, 'prev2.json'), JSON.stringify(prev));
    const r = await huizong(['validate', 'demo/schools', '--previous', 'prev2.json', '--json'], dir);
    const j = JSON.parse(r.stdout) as JsonResult;
    expect(j.issues.some((i) => i.code === 'outlier.period_change' && i.school === target.code && i.subject === 'BOOKS')).toBe(true);
  });
});

describe('--previous of this same period', () => {
  it('is refused with a plain reason, a workbook or a --json output alike, and an earlier period is taken', async () => {
    const defs = ['--definitions', 'demo/定义.xlsx', '--roster', 'demo/学校名册.xlsx'];
    writeFileSync(path.join(dir, 'same.json'), jsonRun.stdout);
    for (const prev of ['out/district.xlsx', 'same.json']) {
      const r = await huizong(['validate', ...defs, 'demo/schools', '--previous', prev], dir);
      expect(r.code, prev).toBe(2);
      expect(r.stderr, prev).toContain(`填报期“${demo.definitions.period}”与本期相同`);
    }
    const earlier = { ...(JSON.parse(jsonRun.stdout) as JsonResult), period: '2025年秋季学期' };
    writeFileSync(path.join(dir, 'earlier.json'), JSON.stringify(earlier));
    const ok = await huizong(['validate', ...defs, 'demo/schools', '--previous', 'earlier.json', '--json'], dir);
    expect(ok.code, ok.stderr).toBe(1);
  });
});

describe('a rule against last period, from the definitions sheet', () => {
  it('is checked with --previous, reported at the cell it is about, and not queried again as a change', async () => {
    const prev = { ...(JSON.parse(jsonRun.stdout) as JsonResult), period: '2025年秋季学期' };
    const target = prev.schools.find((s) => s.included && typeof s.values.STUDENTS === 'number')!;
    const students = target.values.STUDENTS as number;
    (target.values as Record<string, unknown>).STUDENTS = students * 2;
    writeFileSync(path.join(dir, 'fell.json'), JSON.stringify(prev));
    const defs = ['--definitions', 'demo/定义.xlsx', '--roster', 'demo/学校名册.xlsx'];
    const without = JSON.parse((await huizong(['validate', ...defs, 'demo/schools', '--json'], dir)).stdout) as JsonResult;
    expect(without.issues.some((i) => i.subject === 'R19')).toBe(false);
    const r = JSON.parse((await huizong(['validate', ...defs, 'demo/schools', '--previous', 'fell.json', '--json'], dir)).stdout) as JsonResult;
    const found = r.issues.filter((i) => i.school === target.code && (i.subject === 'R19' || (i.code === 'outlier.period_change' && i.subject === 'STUDENTS')));
    expect(found.map((i) => [i.code, i.severity, i.cell])).toEqual([['rule.failed', 'warning', target.cells.STUDENTS]]);
    expect(found[0]!.message).toContain('在校学生数比上期减少两成以上');
    expect(found[0]!.message).toContain(`在校学生数 = ${students}，上期在校学生数 * 0.8 = ${Number((students * 2 * 0.8).toFixed(4))}`);
  });
});

describe('--copies and --no-copies', () => {
  it('writes no school-sheet copies with --no-copies, and says so in the report sheet and the JSON', async () => {
    const r = await huizong(['consolidate', 'demo/schools', '--out', 'out/bare.xlsx', '--no-copies', '--json'], dir);
    expect(r.stderr).toBe('');
    const j = JSON.parse(r.stdout) as JsonResult;
    const note = j.issues.find((i) => i.code === 'output.copies_omitted');
    expect(note?.severity).toBe('info');
    const b = await book(path.join(dir, 'out/bare.xlsx'));
    expect(b.sheets.map((s) => s.name).filter((n) => !PRINTED_TABLE.test(n))).toEqual([SHEET_NAMES['zh-CN'].summary, SHEET_NAMES['zh-CN'].report, SHEET_NAMES['zh-CN'].completeness, SHEET_NAMES['zh-CN'].equity]);
    const report = sheet(b, SHEET_NAMES['zh-CN'].report);
    expect(report.values.some((row) => row.some((v) => v === note!.message))).toBe(true);
  });

  it('copies every school sheet by default for a district', async () => {
    const b = await book(path.join(dir, 'out/district.xlsx'));
    const tables = b.sheets.filter((x) => PRINTED_TABLE.test(x.name)).length;
    expect(tables).toBeGreaterThan(0);
    expect(b.sheets.length).toBe(4 + tables + json.files.filter((f) => f.submissions > 0).length);
    expect(json.issues.some((i) => i.code === 'output.copies_omitted')).toBe(false);
  });
});

describe('a school that sent a corrected file', () => {
  it('has the corrected file stand by default, with a note, and the one named with --keep when the clerk says so', async () => {
    const dup = demo.expectedMistakes.find((m) => m.code === 'school.duplicate_superseded')!;
    const standing = (j: JsonResult) => j.schools.filter((s) => s.code === dup.school && s.included).map((s) => path.basename(s.file ?? ''));
    expect(standing(json)).toEqual([expect.stringContaining('（更正）')]);
    expect(json.issues.find((i) => i.code === dup.code)).toMatchObject({ severity: 'info', school: dup.school });
    const original = `demo/schools/${dup.file}`;
    const r = await huizong(['validate', 'demo/schools', '--keep', original, '--json'], dir);
    expect(standing(JSON.parse(r.stdout) as JsonResult)).toEqual([dup.file]);
  });
});
