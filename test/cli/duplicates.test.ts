/**
 * A school that typed a neighbour's code: its file and the neighbour's own both carry the code. Saved
 * by LibreOffice (as a school without Excel sends them), the files go through the command; the figures
 * that stand for the code are the neighbour's, whose name agrees with the roster, whatever the files'
 * order or names (even one marked 更正), and the district totals and 差异系数 are those of the corpus
 * without the stray file. The stray file is a query for the school that sent it.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { planDemoDistrict } from '../../src/demo';
import type { JsonResult } from '../../src/cli/output';
import { ensureBuilt, huizong, scratch } from './helpers';

const SOFFICE = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p));
const demo = planDemoDistrict(2026);
const stray = demo.expectedMistakes.find((m) => m.code === 'school.name_mismatch')!;
const owner = demo.schools.find((s) => s.code === stray.school)!;
const ownFile = demo.sheets.find((s) => s.name !== stray.file && s.name.startsWith(`${owner.code}_`))!.name;

let dir: string;
/** The command's result per corpus: the stray file sorted first, sorted last, marked as a correction, and left out. */
const results: Record<'first' | 'last' | 'marked' | 'without', JsonResult> = {} as never;

beforeAll(async () => {
  if (!SOFFICE) throw new Error("LibreOffice is missing: install Debian's libreoffice-calc (.ci/install does).");
  ensureBuilt();
  dir = scratch('huizong-dup-');
  expect((await huizong(['demo', '--out', 'demo'], dir)).code).toBe(0);
  // The stray file, its neighbour's own, and five more schools of the same stage, each re-saved by LibreOffice.
  const others = demo.sheets.filter((s) => s.name !== stray.file && s.name !== ownFile && demo.schools.find((x) => s.name.startsWith(`${x.code}_`))?.stage === owner.stage).slice(0, 5);
  const picked = [stray.file!, ownFile, ...others.map((s) => s.name)];
  const r = spawnSync(SOFFICE!, [`-env:UserInstallation=file://${path.join(dir, 'profile')}`, '--headless', '--norestore', '--convert-to', 'xlsx:Calc MS Excel 2007 XML', '--outdir', path.join(dir, 'lo'), ...picked.map((f) => path.join(dir, 'demo/schools', f))], {
    encoding: 'utf8',
    timeout: 240_000,
  });
  expect(r.status, r.stderr).toBe(0);
  expect(readdirSync(path.join(dir, 'lo')).sort()).toEqual([...picked].sort());
  const corpus = async (name: keyof typeof results, strayAs: string | null): Promise<void> => {
    const to = path.join(dir, name);
    mkdirSync(to);
    for (const f of picked.slice(1)) copyFileSync(path.join(dir, 'lo', f), path.join(to, f));
    if (strayAs !== null) copyFileSync(path.join(dir, 'lo', stray.file!), path.join(to, strayAs));
    const run = await huizong(['consolidate', '-d', 'demo/定义.xlsx', '-r', 'demo/学校名册.xlsx', name, '--out', `${name}.xlsx`, '--json'], dir);
    expect(run.stderr).toBe('');
    results[name] = JSON.parse(run.stdout) as JsonResult;
  };
  await corpus('first', `${owner.code}_0.xlsx`);
  await corpus('last', `${owner.code}_zz.xlsx`);
  await corpus('marked', `${owner.code}_zz（更正）.xlsx`);
  await corpus('without', null);
}, 300_000);

describe('a file carrying another school’s code, as LibreOffice saved it', () => {
  it('never stands for the code: the neighbour’s own figures do, whatever the order or the name', () => {
    for (const name of ['first', 'last', 'marked'] as const) {
      const standing = results[name].schools.filter((s) => s.code === owner.code && s.included);
      expect(standing.map((s) => path.basename(s.file ?? '')), name).toEqual([ownFile]);
      expect(standing[0]!.values.STUDENTS, name).toBe(owner.values.STUDENTS);
      expect(standing[0]!.name, name).toBe(owner.name);
    }
  });

  it('leaves the district totals, rates and 差异系数 as they are without the stray file', () => {
    const base = results.without;
    for (const name of ['first', 'last', 'marked'] as const) {
      const r = results[name];
      expect(r.district.values, name).toEqual(base.district.values);
      expect(r.district.rates, name).toEqual(base.district.rates);
      expect(r.equity.map((e) => e.stages.map((s) => [s.stage, s.indicators.map((i) => i.cv)])), name).toEqual(base.equity.map((e) => e.stages.map((s) => [s.stage, s.indicators.map((i) => i.cv)])));
    }
  });

  it('queries the stray file, naming the file that stands, and raises no error for the code', () => {
    for (const name of ['first', 'last', 'marked'] as const) {
      const about = results[name].issues.filter((i) => i.school === owner.code);
      expect(about.map((i) => [i.code, i.severity]), name).toEqual([['school.name_mismatch', 'warning']]);
      expect(about[0]!.message, name).toContain(ownFile);
      expect(results[name].schools.find((s) => s.code === owner.code && !s.included)!.name, name).toBe(demo.schools.find((s) => s.code === demo.missingSchool)!.name);
    }
  });
});
