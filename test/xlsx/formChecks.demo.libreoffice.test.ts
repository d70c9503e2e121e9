/**
 * The demo district's school files typed into the form with its checks: each school's figures,
 * planted mistakes included, filled into a fresh template; LibreOffice recalculates every form; the
 * rows its check cells flag must be the rows of the problems the engine's validation finds in that
 * one file (its values, rules and stated rates: the checks that need no other school and no roster).
 * The form is stricter than the engine in one way, on purpose: a number typed as text (`7,062`,
 * full-width digits, `265万`, `—`) is asked to be typed as a plain number, where the engine reads it
 * and notes what it did (value.coerced), so such notes count among the problems here.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { planDemoDistrict } from '../../src/demo';
import { parseCellAddress, type SheetGrid } from '../../src/core/grid';
import { readSubmissions } from '../../src/core/layout';
import type { Definitions, Submission } from '../../src/core/types';
import { validate } from '../../src/core/validate';
import { planToGrid } from '../../src/workbook/grid';
import type { PlannedCell } from '../../src/workbook/plan';
import { buildTemplatePlan } from '../../src/workbook/template';
import { readXlsx } from '../../src/xlsx/read';
import { writeXlsx } from '../../src/xlsx/write';

const SOFFICE = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p));
/** The problems one file shows on its own: its values, rules and stated rates. */
const OWN = /^(value|rule|rate)\./;

let defs: Definitions;
let demo: ReturnType<typeof planDemoDistrict>;
const forms = new Map<string, SheetGrid>();
/** The demo file each form was filled from. */
const sourceOf = new Map<string, string>();

/** The school's figures as the engine read them from its demo file, typed into a fresh form with checks. */
function formOf(sub: Submission): ReturnType<typeof buildTemplatePlan> {
  const school = defs.roster.find((s) => s.code === sub.schoolCode) ?? { code: sub.schoolCode, name: sub.schoolName ?? '', stage: '小学' as const };
  const p = buildTemplatePlan(defs, 'zh-CN', school);
  const rows = p.rows.map((row) => {
    const code = row.cells[0]?.value;
    const raw = typeof code === 'string' ? sub.raw[code] : undefined;
    if (raw === undefined || !defs.indicators.some((i) => i.code === code)) return row;
    const cells = [...row.cells] as PlannedCell[];
    cells[3] = { value: typeof raw.value === 'object' && raw.value !== null ? null : raw.value };
    return { ...row, cells };
  });
  return { ...p, rows };
}

beforeAll(async () => {
  if (!SOFFICE) throw new Error("LibreOffice is missing: install Debian's libreoffice-calc (.ci/install does).");
  demo = planDemoDistrict();
  defs = demo.definitions;
  const dir = mkdtempSync(path.join(tmpdir(), 'huizong-demo-checks-'));
  const files: string[] = [];
  for (const sheet of demo.sheets) {
    const read = readSubmissions({ sheets: [planToGrid(sheet.plan)] }, defs.layout, defs.indicators, defs.rates);
    const sub = read.submissions[0];
    if (sub === undefined || sub.schoolCode === '' || read.issues.length > 0) continue;
    const file = path.join(dir, `${files.length}.xlsx`);
    writeFileSync(file, await writeXlsx([formOf(sub)]));
    sourceOf.set(path.basename(file), sheet.name);
    files.push(file);
  }
  const profile = path.join(dir, 'profile');
  mkdirSync(path.join(profile, 'user'), { recursive: true });
  writeFileSync(
    path.join(profile, 'user/registrymodifications.xcu'),
    '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
      '<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item></oor:items>\n',
  );
  const r = spawnSync(SOFFICE, [`-env:UserInstallation=file://${profile}`, '--headless', '--norestore', '--convert-to', 'xlsx', '--outdir', path.join(dir, 'lo'), ...files], { encoding: 'utf8', timeout: 280_000 });
  if (r.status !== 0) throw new Error(`LibreOffice could not convert: ${r.stdout}\n${r.stderr}`);
  for (const f of files) {
    const out = readXlsx(new Uint8Array(readFileSync(path.join(dir, 'lo', path.basename(f)))), path.basename(f));
    if (!('book' in out)) throw new Error(`LibreOffice's ${f} is unreadable`);
    forms.set(path.basename(f), out.book.sheets[0]!);
  }
}, 300_000);

describe("the demo district's files in the checking form, recalculated by LibreOffice", () => {
  it('flags in each form exactly the rows of the problems the engine finds in that file alone', () => {
    expect(forms.size).toBeGreaterThan(10);
    let flaggedFiles = 0;
    const differences: string[] = [];
    for (const [name, sheet] of forms) {
      const read = readSubmissions({ sheets: [sheet] }, defs.layout, defs.indicators, defs.rates);
      const issues = validate(read.submissions, { ...defs, roster: [] }).issues.filter((i) => OWN.test(i.code) && (i.severity !== 'info' || i.code === 'value.coerced') && i.cell !== undefined);
      const engine = [...new Set(issues.map((i) => parseCellAddress(i.cell!)!.row))].sort((a, b) => a - b);
      const form: number[] = [];
      sheet.values.forEach((row, r) => {
        const v = row[4];
        if (r > 0 && typeof v === 'string' && v !== '' && v !== '自查提示') form.push(r);
      });
      if (engine.length > 0) flaggedFiles++;
      if (JSON.stringify(engine) !== JSON.stringify(form)) differences.push(`${name}: engine ${engine.join(',')} form ${form.map((r) => `${String(sheet.values[r]![0])}=${JSON.stringify(sheet.values[r]![3])}:${String(sheet.values[r]![4])}`).join(' ')} ${issues.map((i) => i.code).join(',')}`);
      const count = /^自查结果：(?:未发现问题|发现 (\d+) 处问题)/.exec(String(sheet.values[0]![4]));
      expect(count, name).not.toBeNull();
    }
    expect(differences).toEqual([]);
    expect(flaggedFiles).toBeGreaterThan(3);
  });

  it("catches, of the demo's planted mistakes about one school alone, every one of a kind the form checks (values, rules, stated rates)", () => {
    const across = /^(school\.duplicate|school\.missing|outlier\.)/;
    const alone = demo.expectedMistakes.filter((m) => m.file !== undefined && !across.test(m.code));
    const formOfFile = new Map([...sourceOf].map(([form, file]) => [file, forms.get(form)!]));
    const caught = alone.filter((m) => {
      const sheet = formOfFile.get(m.file!);
      if (sheet === undefined || m.subject === undefined) return false;
      const row = sheet.values.findIndex((r) => r[0] === m.subject);
      const note = sheet.values[row]?.[4];
      return row > 0 && typeof note === 'string' && note !== '';
    });
    // What the form cannot catch: a code checked against the roster (the form holds none), a school's name, a number lost its leading zero in the code cell, a rounding note.
    // An error value (#DIV/0!) cannot be typed into a form here (it is left blank), so that mistake is counted as missed.
    const checkable = alone.filter((m) => OWN.test(m.code) && !['value.code_as_number', 'rate.stated_rounding', 'value.formula_error'].includes(m.code));
    expect(caught.map((m) => `${m.file}: ${m.what}`).sort()).toEqual(checkable.map((m) => `${m.file}: ${m.what}`).sort());
    // The share the README states.
    process.stdout.write(`form checks: ${caught.length} of ${alone.length} planted single-school mistakes caught\n`);
  });
});
