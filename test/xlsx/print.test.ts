/**
 * Every sheet Huizong writes prints: landscape (the completeness list portrait), one page wide, the
 * header row repeated, the title and period in the footer with page numbers. Checked in the package
 * and by LibreOffice printing the demo district's summary to PDF.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { planDemoDistrict } from '../../src/cli/demo';
import { planOutputs, readBook, runJob } from '../../src/job';
import type { SheetPlan } from '../../src/workbook';
import { planToGrid } from '../../src/workbook/grid';
import { writeXlsx } from '../../src/xlsx/write';

const SOFFICE = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p));
let plans: readonly SheetPlan[];

beforeAll(() => {
  const demo = planDemoDistrict();
  const books = demo.sheets.map((f) => ({ source: f.name, sheets: [{ ...planToGrid(f.plan), name: '填报表' }] }));
  const job = runJob(books.map((b) => readBook(b, demo.definitions)), demo.definitions);
  plans = planOutputs(job, demo.definitions, { lang: 'zh-CN', mode: 'values', target: 'file', copies: false }).plans;
});


describe('page setup', () => {
  it('is in the package: landscape, one page wide, the header row repeated, the footer with title, period and page numbers', async () => {
    const summary = plans[0]!;
    const parts = unzipSync(await writeXlsx([summary]));
    const sheet = strFromU8(parts['xl/worksheets/sheet1.xml']!);
    expect(sheet).toMatch(/<pageSetUpPr fitToPage="1"\/>/);
    expect(sheet).toMatch(/<pageSetup[^>]*orientation="landscape"/);
    expect(sheet).toMatch(/<pageSetup[^>]*fitToWidth="1"[^>]*fitToHeight="0"|<pageSetup[^>]*fitToHeight="0"[^>]*fitToWidth="1"/);
    expect(sheet).toMatch(/<oddFooter>&amp;L.*2026.*&amp;C&amp;P \/ &amp;N<\/oddFooter>/);
    const workbook = strFromU8(parts['xl/workbook.xml']!);
    expect(workbook).toMatch(/<definedName name="_xlnm.Print_Titles" localSheetId="0">(?:'|&apos;)全区汇总(?:'|&apos;)!\$3:\$3<\/definedName>/);
    expect(plans.map((p) => [p.name, p.print?.fitToWidth])).toEqual([['全区汇总', true], ['校验报告', true], ['报送情况', true], ['均衡', true]]);
  });

  it('fits the summary’s columns on one page width when LibreOffice prints it', async () => {
    if (!SOFFICE) throw new Error("LibreOffice is missing: install Debian's libreoffice-calc (.ci/install does).");
    const dir = mkdtempSync(path.join(tmpdir(), 'huizong-print-'));
    const summary = plans[0]!;
    const { print: _print, ...unprinted } = summary;
    writeFileSync(path.join(dir, 'fit.xlsx'), await writeXlsx([summary]));
    writeFileSync(path.join(dir, 'plain.xlsx'), await writeXlsx([unprinted]));
    mkdirSync(path.join(dir, 'profile'), { recursive: true });
    const r = spawnSync(SOFFICE, [`-env:UserInstallation=file://${path.join(dir, 'profile')}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', dir, path.join(dir, 'fit.xlsx'), path.join(dir, 'plain.xlsx')], {
      encoding: 'utf8',
      timeout: 180_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const pages = (f: string): number => (readFileSync(path.join(dir, f), 'latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    const fit = pages('fit.pdf');
    const plain = pages('plain.pdf');
    // 45 schools, subtotals and the 差异系数 block, one page wide: a few pages; unscaled, every page holds a few columns.
    expect(fit).toBeGreaterThan(0);
    expect(fit).toBeLessThanOrEqual(4);
    expect(plain).toBeGreaterThan(fit * 2);
  }, 200_000);
});
