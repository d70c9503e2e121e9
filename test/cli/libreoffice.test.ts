/**
 * An independent check of the live-formula workbook: LibreOffice Calc opens the district workbook
 * written with `--formulas`, recalculates every formula (the cached results are stripped first, so
 * nothing can pass by echoing them), and its numbers must equal those of the values workbook.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SheetGrid } from '../../src/core/grid';
import { SHEET_NAMES } from '../../src/workbook';
import { ensureBuilt, huizong, readBack, scratch, sheetNamed } from './helpers';

const SOFFICE = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p));

/** Removes the cached result after every formula, so a reader can only get numbers by recalculating. */
function stripCachedResults(bytes: Uint8Array): { bytes: Uint8Array; formulas: number } {
  const parts = unzipSync(bytes);
  let formulas = 0;
  for (const name of Object.keys(parts)) {
    if (!/^xl\/worksheets\/sheet\d+\.xml$/.test(name)) continue;
    const xml = strFromU8(parts[name]!);
    const out = xml.replace(/(<f(?:\s[^>]*)?>[^<]*<\/f>|<f(?:\s[^>]*)?\/>)<v>[^<]*<\/v>/g, (_m, f: string) => {
      formulas++;
      return f;
    });
    parts[name] = strToU8(out);
  }
  return { bytes: zipSync(parts), formulas };
}

/** Opens `file` in headless LibreOffice with recalculation on load forced, and saves it as .xlsx into `outDir`. */
function recalculate(file: string, outDir: string, profile: string): string {
  mkdirSync(path.join(profile, 'user'), { recursive: true });
  writeFileSync(
    path.join(profile, 'user/registrymodifications.xcu'),
    '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
      '<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item></oor:items>\n',
  );
  const r = spawnSync(SOFFICE!, [`-env:UserInstallation=file://${profile}`, '--headless', '--norestore', '--convert-to', 'xlsx', '--outdir', outDir, file], {
    encoding: 'utf8',
    timeout: 180_000,
  });
  const out = path.join(outDir, path.basename(file));
  if (r.status !== 0 || !existsSync(out)) throw new Error(`LibreOffice could not convert ${file}: ${r.stdout}\n${r.stderr}`);
  return out;
}


let values: SheetGrid;
let recalculated: SheetGrid;
let written: SheetGrid;
let stripped: number;
let equityValues: SheetGrid;
let equityWritten: SheetGrid;
let equityRecalculated: SheetGrid;

beforeAll(async () => {
  if (!SOFFICE) throw new Error("LibreOffice is missing: install Debian's libreoffice-calc (.ci/install does).");
  ensureBuilt();
  const dir = scratch('huizong-lo-');
  const demo = await huizong(['demo', '--out', 'demo'], dir);
  expect(demo.code, demo.stderr).toBe(0);
  const common = ['consolidate', '--definitions', 'demo/定义.xlsx', '--roster', 'demo/学校名册.xlsx', 'demo/schools', '--include-errors'];
  const v = await huizong([...common, '--out', 'values.xlsx'], dir);
  const f = await huizong([...common, '--formulas', '--out', 'formulas.xlsx'], dir);
  expect([v.code, f.code]).toEqual([1, 1]);
  const s = stripCachedResults(new Uint8Array(readFileSync(path.join(dir, 'formulas.xlsx'))));
  stripped = s.formulas;
  writeFileSync(path.join(dir, 'stripped.xlsx'), s.bytes);
  const out = recalculate(path.join(dir, 'stripped.xlsx'), path.join(dir, 'lo'), path.join(dir, 'profile'));
  const summary = SHEET_NAMES['zh-CN'].summary;
  values = sheetNamed(await readBack(path.join(dir, 'values.xlsx')), summary);
  written = sheetNamed(await readBack(path.join(dir, 'formulas.xlsx')), summary);
  recalculated = sheetNamed(await readBack(out), summary);
  const equity = SHEET_NAMES['zh-CN'].equity;
  equityValues = sheetNamed(await readBack(path.join(dir, 'values.xlsx')), equity);
  equityWritten = sheetNamed(await readBack(path.join(dir, 'formulas.xlsx')), equity);
  equityRecalculated = sheetNamed(await readBack(out), equity);
}, 300_000);

describe('live formulas recalculated by LibreOffice', () => {
  it('are real formulas: the summary holds many, and their cached results were removed before LibreOffice opened it', () => {
    const formulaCells = (written.formulas ?? []).flat().filter((f) => f !== null).length;
    expect(formulaCells).toBeGreaterThan(200);
    expect(stripped).toBeGreaterThan(200);
  });

  it('give the same numbers as the values workbook, cell by cell', () => {
    let compared = 0;
    const mismatches: string[] = [];
    values.values.forEach((row, r) => {
      row.forEach((v, c) => {
        if (typeof v !== 'number') return;
        const got = recalculated.values[r]?.[c];
        compared++;
        if (typeof got !== 'number' || Math.abs(got - v) > 1e-9 * Math.max(1, Math.abs(v))) mismatches.push(`R${r + 1}C${c + 1}: ${v} vs ${JSON.stringify(got)}`);
      });
    });
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(compared).toBeGreaterThan(500);
  });

  it('leave blank what the values workbook leaves blank (a rate with a zero denominator)', () => {
    let blanks = 0;
    values.values.forEach((row, r) => {
      row.forEach((v, c) => {
        if (v !== null || (written.formulas?.[r]?.[c] ?? null) === null) return;
        blanks++;
        const got = recalculated.values[r]?.[c] ?? null;
        expect(got === null || got === '', `R${r + 1}C${c + 1}`).toBe(true);
      });
    });
    // The demo has such cells: kindergartens report no disabled-children counts, so their subtotal is blank.
    expect(blanks).toBeGreaterThan(0);
  });
});

describe('the 均衡 sheet recalculated by LibreOffice', () => {
  it('holds live formulas for the monitoring tables, floor checks and verdicts', () => {
    const formulas = (equityWritten.formulas ?? []).flat().filter((f): f is string => f !== null);
    expect(formulas.some((f) => f.startsWith('=IFERROR(SUMPRODUCT('))).toBe(true);
    expect(formulas.some((f) => f.includes('AVERAGE('))).toBe(true);
    // X̄, S and CV of 8 + 7 indicators in two stages (90), the 综合 and stage verdicts, and a verdict per 优质均衡 school row.
    expect(formulas.length).toBeGreaterThan(120);
    expect(formulas.filter((f) => f.startsWith('=IF(COUNT(') && f.includes('MIN(')).length).toBeGreaterThan(20);
  });

  it('gives every X̄, S, CV, 综合, floor share and verdict the core computed, cell by cell', () => {
    let numbers = 0;
    let words = 0;
    const mismatches: string[] = [];
    equityValues.values.forEach((row, r) => {
      row.forEach((v, c) => {
        if ((equityWritten.formulas?.[r]?.[c] ?? null) === null) return;
        const got = equityRecalculated.values[r]?.[c] ?? null;
        if (typeof v === 'number') {
          numbers++;
          if (typeof got !== 'number' || Math.abs(got - v) > 1e-9 * Math.max(1, Math.abs(v))) mismatches.push(`R${r + 1}C${c + 1}: ${v} vs ${JSON.stringify(got)}`);
        } else {
          words++;
          if ((got ?? '') !== (v ?? '')) mismatches.push(`R${r + 1}C${c + 1}: ${JSON.stringify(v)} vs ${JSON.stringify(got)}`);
        }
      });
    });
    expect(mismatches.slice(0, 10)).toEqual([]);
    // 2 stages × (8 + 7 indicators × X̄, S, CV, and two 综合) at least, and the floor shares of the schools under a floor.
    expect(numbers).toBeGreaterThan(90);
    // 达标 / 未达标 words: the demo has schools under a floor, so both appear.
    expect(words).toBeGreaterThan(50);
    const texts = equityRecalculated.values.flat();
    expect(texts).toContain('未达标');
    expect(texts).toContain('达标');
  });
});
