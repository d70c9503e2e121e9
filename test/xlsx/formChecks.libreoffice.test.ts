/**
 * The school form's checks recalculated by LibreOffice: forms filled with one mistake each are
 * opened headless with recalculation forced and saved again; the rows the check cells flag must be
 * the rows the engine's validation reports for that file, the 自查结果 line must count them, and a
 * clean form must say 未发现问题. The engine reads each recalculated file exactly as it reads one
 * without checks.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCellAddress, type SheetGrid } from '../../src/core/grid';
import { readSubmissions } from '../../src/core/layout';
import { validate } from '../../src/core/validate';
import type { SheetPlan } from '../../src/workbook/plan';
import { buildTemplatePlan } from '../../src/workbook/template';
import { readXlsx } from '../../src/xlsx/read';
import { writeXlsx } from '../../src/xlsx/write';
import { checkedDefinitions, checkedTableDefinitions, filled, filledTable } from '../workbook/formChecks.fixtures';

const SOFFICE = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p));
const defs = checkedDefinitions();
const school = { code: '0012345678', name: '城关第一小学', stage: '小学' as const };

const CLEAN: Record<string, number | string | null> = {
  STUDENTS: 420,
  BOYS: 200,
  GIRLS: 220,
  STAFF_TOTAL: 2381,
  STAFF_VACC: 2115,
  STAFF_VACC_RATE: 88.83, // 2115 ÷ 2381 = 88.829…: stated as published
  AS_OFFERED: 1,
  PE_TESTED: 400,
  PE_EXCELLENT: 100,
  PE_GOOD: 150,
  AREA_TEACHING: 2100.5,
  NOTE: '无',
};

/** One mistake per file, and a clean one. */
const CASES: Record<string, Record<string, number | string | null>> = {
  clean: {},
  rounding: { STAFF_VACC_RATE: 88.84 }, // one unit off in the last decimal: rounding, a note at most
  sum: { GIRLS: 210 },
  part: { STAFF_VACC: 2400, STAFF_VACC_RATE: 100 },
  stated: { STAFF_VACC_RATE: 80 },
  fraction: { STAFF_VACC_RATE: 0.8883 },
  bound: { AS_OFFERED: 2 },
  notWhole: { PE_GOOD: 150.5 },
  required: { STAFF_TOTAL: null },
  text: { STUDENTS: '四百二十' },
  pe: { PE_EXCELLENT: 300, PE_GOOD: 150 },
  code: { __code: null },
  blankRate: { PE_EXCELLENT: null, PE_GOOD: null },
};

function recalculate(files: string[], outDir: string, profile: string): void {
  mkdirSync(path.join(profile, 'user'), { recursive: true });
  writeFileSync(
    path.join(profile, 'user/registrymodifications.xcu'),
    '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
      '<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item></oor:items>\n',
  );
  const r = spawnSync(SOFFICE!, [`-env:UserInstallation=file://${profile}`, '--headless', '--norestore', '--convert-to', 'xlsx', '--outdir', outDir, ...files], { encoding: 'utf8', timeout: 240_000 });
  if (r.status !== 0) throw new Error(`LibreOffice could not convert: ${r.stdout}\n${r.stderr}`);
}

function planFor(values: Record<string, number | string | null>, checks: boolean): SheetPlan {
  const { __code, ...rest } = { ...CLEAN, ...values };
  const p = filled(buildTemplatePlan(defs, 'zh-CN', __code === null ? { ...school, code: '' } : school, { checks }), rest);
  return p;
}

const sheets = new Map<string, SheetGrid>();
const tableDefs = checkedTableDefinitions();
const TABLE_CASES: Record<string, Record<string, number | string | null>> = { 'table-clean': {}, 'table-sum': { GIRLS: 210 } };

beforeAll(async () => {
  if (!SOFFICE) throw new Error("LibreOffice is missing: install Debian's libreoffice-calc (.ci/install does).");
  const dir = mkdtempSync(path.join(tmpdir(), 'huizong-checks-'));
  const files: string[] = [];
  for (const [name, values] of Object.entries(CASES)) {
    const file = path.join(dir, `${name}.xlsx`);
    writeFileSync(file, await writeXlsx([planFor(values, true)]));
    files.push(file);
  }
  // The one-row table form: clean, and with the sum broken.
  for (const [name, values] of Object.entries(TABLE_CASES)) {
    const file = path.join(dir, `${name}.xlsx`);
    const { __code: _, ...clean } = CLEAN;
    writeFileSync(file, await writeXlsx([filledTable(buildTemplatePlan(tableDefs, 'zh-CN', school), tableDefs, { ...clean, ...values })]));
    files.push(file);
  }
  recalculate(files, path.join(dir, 'lo'), path.join(dir, 'profile'));
  for (const name of [...Object.keys(CASES), ...Object.keys(TABLE_CASES)]) {
    const r = readXlsx(new Uint8Array(readFileSync(path.join(dir, 'lo', `${name}.xlsx`))), `${name}.xlsx`);
    if (!('book' in r)) throw new Error(`LibreOffice's ${name}.xlsx is unreadable`);
    sheets.set(name, r.book.sheets[0]!);
  }
});

/** Zero-based rows whose 自查提示 cell (column E) shows a message; the title row when its 自查结果 line says more than the count. */
function flaggedRows(sheet: SheetGrid): number[] {
  const out: number[] = [];
  sheet.values.forEach((row, r) => {
    const v = r === 0 && typeof row[4] === 'string' ? row[4].replace(/^自查结果：(?:未发现问题|发现 \d+ 处问题)/, '') : row[4];
    if (typeof v === 'string' && v !== '' && v !== '自查提示') out.push(r);
  });
  return out;
}

/** Rows of the errors and warnings the engine reports for the file; the school code's is said on the title row. */
function engineRows(sheet: SheetGrid): { rows: number[]; count: number } {
  const read = readSubmissions({ sheets: [sheet], source: 'form.xlsx' }, defs.layout, defs.indicators, defs.rates);
  const result = validate(read.submissions, defs);
  const issues = [...read.issues, ...result.issues].filter((i) => i.severity === 'error' || i.severity === 'warning');
  const rows = issues.map((i) => (i.code === 'sheet.school_code_missing' ? 0 : parseCellAddress(i.cell!)!.row));
  return { rows: [...new Set(rows)].sort((a, b) => a - b), count: issues.length };
}

describe('LibreOffice recalculates the form’s checks', () => {
  it('says 未发现问题 on a clean form, and on one whose stated rate is only rounded differently', () => {
    for (const name of ['clean', 'rounding']) {
      const s = sheets.get(name)!;
      expect(s.values[0]![4], name).toBe('自查结果：未发现问题');
      expect(flaggedRows(s), name).toEqual([]);
      expect(engineRows(s), name).toEqual({ rows: [], count: 0 });
    }
  });

  it('leaves a rate blank whose numerator figures are all blank, as the engine has none, where it showed 0 before', () => {
    const s = sheets.get('blankRate')!;
    const row = s.values.find((r) => r[0] === 'R_PE_GOOD')!;
    expect(row[3] === null || row[3] === '').toBe(true);
    const read = readSubmissions({ sheets: [s], source: 'form.xlsx' }, defs.layout, defs.indicators, defs.rates);
    expect(validate(read.submissions, defs).schools[0]!.rates.R_PE_GOOD?.value).toBeNull();
    // With a figure filled in, the rate is there.
    expect(typeof sheets.get('clean')!.values.find((r) => r[0] === 'R_PE_GOOD')![3]).toBe('number');
  });

  it.each(Object.keys(CASES).filter((n) => n !== 'clean' && n !== 'rounding' && n !== 'blankRate'))('flags the rows the engine reports: %s', (name) => {
    const s = sheets.get(name)!;
    const engine = engineRows(s);
    expect(engine.count).toBeGreaterThan(0);
    expect(flaggedRows(s)).toEqual(engine.rows);
    expect(String(s.values[0]![4])).toMatch(new RegExp(`^自查结果：发现 ${engine.count} 处问题`));
  });

  it('shows the messages in plain Chinese', () => {
    const at = (name: string, r: number): unknown => sheets.get(name)!.values[r]![4];
    const row = (code: string): number => sheets.get('clean')!.values.findIndex((v) => v[0] === code);
    expect(at('sum', row('BOYS'))).toBe('男生数与女生数之和应等于在校生数。');
    expect(at('part', row('STAFF_VACC'))).toBe('已接种教职工数不能多于教职工数。');
    expect(at('stated', row('STAFF_VACC_RATE'))).toBe('所填教职工疫苗接种率与按本表数据算出的 88.83 不一致。');
    expect(at('fraction', row('STAFF_VACC_RATE'))).toBe('百分数请直接填写百分数的数值，例如 95 而不是 0.95。');
    expect(at('bound', row('AS_OFFERED'))).toBe('不能大于 1。');
    expect(at('required', row('STAFF_TOTAL'))).toBe('必填，请填写。');
    expect(at('code', 0)).toBe('自查结果：发现 1 处问题；请填写学校代码。');
  });

  it('leaves what the engine reads unchanged: the same submission as the form without checks', async () => {
    for (const name of Object.keys(CASES)) {
      const r = readXlsx(await writeXlsx([planFor(CASES[name]!, false)]), `${name}.xlsx`);
      if (!('book' in r)) throw new Error('unreadable');
      const bare = readSubmissions({ sheets: r.book.sheets }, defs.layout, defs.indicators, defs.rates);
      const checked = readSubmissions({ sheets: [sheets.get(name)!] }, defs.layout, defs.indicators, defs.rates);
      const values = (x: typeof bare) => x.submissions.map((s) => ({ ...s, raw: Object.fromEntries(Object.entries(s.raw).filter(([code]) => !code.startsWith('R_')).map(([code, c]) => [code, { value: c.value, cell: c.cell }])) }));
      expect(values(checked), name).toEqual(values(bare));
      expect(checked.issues, name).toEqual(bare.issues);
    }
  });

  it('checks the one-row table form too: its 自查结果 header and the row’s messages', () => {
    const at = tableDefs.indicators.length + 2;
    const clean = sheets.get('table-clean')!;
    expect(clean.values[0]![at]).toBe('自查结果：未发现问题');
    expect(clean.values[1]![at] ?? '').toBe('');
    const sum = sheets.get('table-sum')!;
    expect(sum.values[0]![at]).toBe('自查结果：发现 1 处问题');
    expect(sum.values[1]![at]).toBe('男生数与女生数之和应等于在校生数。');
    const read = readSubmissions({ sheets: [sum] }, tableDefs.layout, tableDefs.indicators, tableDefs.rates);
    expect(read.submissions).toHaveLength(1);
    expect(validate(read.submissions, tableDefs).issues.filter((i) => i.severity !== 'info').map((i) => i.code)).toEqual(['rule.failed']);
  });
});
