/**
 * `huizong return` on the demo district: a package for every school sheet with errors or warnings and
 * none for the others; each package's 退回意见 sheet lists exactly that sheet's problems, errors first;
 * the school's sheet is copied with nothing changed, and LibreOffice finds the notes on the problem
 * cells; the folder appears whole or not at all.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JsonResult } from '../../src/cli/output';
import { ensureBuilt, huizong, readBack, scratch, sheetNamed } from './helpers';

const SOFFICE = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p));

interface ReturnJson {
  readonly exitCode: number;
  readonly output: { readonly folder: string };
  readonly packages: readonly { school: string; name: string; file: string; errors: number; warnings: number; package: string }[];
}

let dir: string;
let validation: JsonResult;
let result: ReturnJson;

/** The problems of one sheet the school must see: errors and warnings, located at that file and sheet. */
function problemsOf(file: string, sheet: string) {
  return validation.issues.filter((i) => i.file === file && i.sheet === sheet && i.severity !== 'info');
}

beforeAll(async () => {
  ensureBuilt();
  dir = scratch('huizong-return-');
  expect((await huizong(['demo', '--out', 'demo'], dir)).code).toBe(0);
  const args = ['-d', 'demo/定义.xlsx', '-r', 'demo/学校名册.xlsx', 'demo/schools'];
  validation = JSON.parse((await huizong(['validate', ...args, '--json'], dir)).stdout) as JsonResult;
  const r = await huizong(['return', ...args, '--out', 'returns', '--json'], dir);
  expect(r.stderr).toBe('');
  result = JSON.parse(r.stdout) as ReturnJson;
}, 120_000);

describe('huizong return', () => {
  it('writes a package for exactly the school sheets with errors or warnings, and an index', () => {
    const withProblems = new Set(validation.issues.filter((i) => i.severity !== 'info' && i.school !== undefined && i.sheet !== undefined).map((i) => `${i.file}|${i.sheet}`));
    expect(result.packages.length).toBe(withProblems.size);
    expect(result.packages.length).toBeGreaterThan(5);
    const files = readdirSync(path.join(dir, 'returns')).sort();
    expect(files).toEqual([...result.packages.map((p) => p.package), '退回汇总.xlsx'].sort());
    for (const p of result.packages) expect(p.package).toMatch(new RegExp(`^${p.school}_.+_退回修改\\.xlsx$`));
  });

  it('lists in 退回意见 exactly the sheet’s problems, errors first, with a line to sign', async () => {
    let ruleRows = 0;
    for (const p of result.packages) {
      const [file, sheet] = p.file.split(' / ') as [string, string];
      const problems = problemsOf(file, sheet);
      const book = await readBack(path.join(dir, 'returns', p.package));
      expect(book.sheets.map((s) => s.name)).toEqual(['退回意见', sheet]);
      const opinion = sheetNamed(book, '退回意见');
      const header = opinion.values.findIndex((row) => row[0] === '序号');
      const rows = opinion.values.slice(header + 1).filter((row) => typeof row[0] === 'number');
      expect(rows.map((row) => row[2]), p.package).toEqual(
        [...problems.filter((i) => i.severity === 'error'), ...problems.filter((i) => i.severity === 'warning')].map((i) => expect.stringContaining(i.message.slice(i.message.indexOf('：') + 1))),
      );
      expect(rows.map((row) => row[1] ?? '')).toEqual(expect.arrayContaining(problems.filter((i) => i.cell !== undefined).map((i) => i.cell)));
      const kinds = rows.map((row) => String(row[5]));
      const firstWarning = kinds.findIndex((k) => k.startsWith('警告'));
      if (firstWarning >= 0) expect(kinds.slice(firstWarning).every((k) => k.startsWith('警告')), p.package).toBe(true);
      expect(opinion.values.flat().some((v) => typeof v === 'string' && v.includes('签字'))).toBe(true);
      expect(opinion.values.flat()).toContain(`学校：${p.name}（${p.school}）`);
      // A failed rule shows the values involved: what was sent (`在校学生数 = 931`) and what it should be (`= 其中：男生 + 其中：女生（930）`).
      for (const row of rows.filter((r) => String(r[5]).includes('校验规则未通过'))) {
        expect(String(row[3]), p.package).toMatch(/ = -?\d/);
        expect(String(row[4]), p.package).toMatch(/^[=≠≤≥<>] .+[（(]-?\d/);
        ruleRows++;
      }
    }
    expect(ruleRows).toBeGreaterThan(0);
  });

  it('copies the school’s sheet with nothing changed', async () => {
    for (const p of result.packages.slice(0, 6)) {
      const [file, sheet] = p.file.split(' / ') as [string, string];
      const original = sheetNamed(await readBack(path.join(dir, file)), sheet);
      const copy = sheetNamed(await readBack(path.join(dir, 'returns', p.package)), sheet);
      expect(copy.values, p.package).toEqual(original.values);
      expect(copy.formulas ?? null).toEqual(original.formulas ?? null);
    }
  });

  it('has notes LibreOffice finds on exactly the problem cells', () => {
    if (!SOFFICE) throw new Error("LibreOffice is missing: install Debian's libreoffice-calc (.ci/install does).");
    const p = [...result.packages].sort((a, b) => b.errors + b.warnings - (a.errors + a.warnings))[0]!;
    const [file, sheet] = p.file.split(' / ') as [string, string];
    const out = path.join(dir, 'lo');
    mkdirSync(path.join(dir, 'lo-profile'), { recursive: true });
    const r = spawnSync(SOFFICE, [`-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`, '--headless', '--norestore', '--convert-to', 'xlsx', '--outdir', out, path.join(dir, 'returns', p.package)], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const parts = unzipSync(new Uint8Array(readFileSync(path.join(out, p.package))));
    const refs = Object.entries(parts)
      .filter(([n]) => /^xl\/comments\d*\.xml$/.test(n))
      .flatMap(([, b]) => [...strFromU8(b).matchAll(/<comment ref="([A-Z]+\d+)"/g)].map((m) => m[1]));
    const cells = [...new Set(problemsOf(file, sheet).flatMap((i) => (i.cell !== undefined ? [i.cell] : [])))];
    expect(cells.length).toBeGreaterThan(0);
    expect(refs.sort()).toEqual(cells.sort());
  });

  it('leaves a folder that is not empty alone', async () => {
    writeFileSync(path.join(dir, 'keep.txt'), 'x');
    mkdirSync(path.join(dir, 'taken'));
    writeFileSync(path.join(dir, 'taken/real.xlsx'), 'the clerk’s');
    const r = await huizong(['return', 'demo/schools', '--out', 'taken'], dir);
    expect(r.code).toBe(2);
    expect(readdirSync(path.join(dir, 'taken'))).toEqual(['real.xlsx']);
    expect(readdirSync(dir).filter((f) => f.startsWith('.hz-'))).toEqual([]);
  });
});
