/**
 * The standalone page in Debian's Chromium: open the demo district's definitions and school files,
 * validate, check the known mistakes are listed with their cells, consolidate, download the district
 * workbook and check its district totals; screenshots in zh-CN and en-US go to test-output/screenshots.
 * Needs `npm run build` first (dist/web/standalone.html).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLANTED_SHORTFALLS, buildDemoDistrict, type DemoDistrict } from '../../src/demo';
import { definitionsToJson } from '../../src/core/definitions';
import type { CellValue, SheetGrid } from '../../src/core/grid';
import { readWorkbookFile } from '../../src/xlsx';
import { withUnit, words } from '../../src/workbook/labels';
import { SHEET_NAMES } from '../../src/workbook/names';
import { SUMMARY_HEADER_ROW } from '../../src/workbook/summary';
import { CHART_TEXT_RATIO, CHROMIUM, CHROMIUM_ARGS, requireBrowserSetup, serveDir, SHOTS_DIR as shots, WEB_DIR as web, type StaticServer } from './serve';


let server: StaticServer;
let browser: Browser;
let page: Page;
let demo: DemoDistrict;

/** Every uncaught error the page met, from load to the end of the flow. */
const problems: string[] = [];

beforeAll(async () => {
  requireBrowserSetup('standalone.html');
  demo = await buildDemoDistrict();
  server = await serveDir(web);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  page = await browser.newPage({ acceptDownloads: true, viewport: { width: 480, height: 900 }, locale: 'zh-CN' });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${server.url}/standalone.html`);
  await page.getByRole('button', { name: '用内置模板创建' }).waitFor();
  expect(problems).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const region = (name: string) => page.getByRole('region', { name, exact: true });

/** Every accordion item's header text and its issue rows' text. */
async function listedIssues(): Promise<{ header: string; rows: string[] }[]> {
  return await page.evaluate(() =>
    [...document.querySelectorAll('.fui-AccordionItem')].map((item) => ({
      header: item.querySelector('.fui-AccordionHeader')?.textContent ?? '',
      rows: [...item.querySelectorAll('li')].map((li) => li.textContent ?? ''),
    })),
  );
}

function num(v: CellValue | undefined): number | null {
  return typeof v === 'number' ? v : null;
}

describe('standalone page in Chromium', () => {
  it('loads the demo definitions with their roster', async () => {
    await page.getByLabel('定义文件').setInputFiles({
      name: 'definitions.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(definitionsToJson(demo.definitions))),
    });
    const box = region('指标定义').getByRole('status', { name: '当前定义' });
    await expect.poll(() => box.textContent()).toContain(`名册 ${demo.roster.length} 所学校`);
  });

  it('imports every school file', async () => {
    await page.getByLabel('学校文件', { exact: true }).setInputFiles(demo.files.map((f) => ({ name: f.name, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from(f.bytes) })));
    await expect.poll(() => region('导入学校文件').getByRole('status').textContent()).toBe(`已导入 ${demo.files.length} 个文件。`);
  });

  it('lists the known mistakes of the demo district with their cells', async () => {
    await region('校验').getByRole('button', { name: '开始校验' }).click();
    await region('校验').getByRole('button', { name: '全部展开' }).click();
    await page.getByRole('button', { name: '全部收起' }).waitFor();
    const groups = await listedIssues();
    expect(groups.length).toBeGreaterThan(0);
    const missed: string[] = [];
    for (const m of demo.expectedMistakes) {
      const mine = groups.filter((g) => g.header.includes(m.school));
      const found = m.cell === undefined ? mine.length > 0 : mine.some((g) => g.rows.some((r) => r.startsWith(m.cell!)));
      if (!found) missed.push(`${m.school} ${m.cell ?? ''} ${m.code} (${m.what})`);
    }
    expect(missed).toEqual([]);
    await page.screenshot({ path: path.join(shots, 'standalone-validate-zh-CN.png'), fullPage: true });
  });

  it('shows a picked cell', async () => {
    const withCell = demo.expectedMistakes.find((m) => m.cell !== undefined)!;
    const group = page.locator('.fui-AccordionItem').filter({ hasText: withCell.school }).first();
    await group.getByRole('button', { name: new RegExp(`^${withCell.cell}`) }).first().click();
    await expect.poll(() => page.getByText(new RegExp(`!${withCell.cell} 单元格`)).count()).toBeGreaterThan(0);
  });

  it('downloads one .zip of return packages: a workbook for each school with problems, and the index', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), region('校验').getByRole('button', { name: '生成退回修改包' }).click()]);
    expect(download.suggestedFilename()).toBe('退回修改包.zip');
    const files = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
    const names = Object.keys(files);
    expect(names).toContain('退回汇总.xlsx');
    const packages = names.filter((n) => n !== '退回汇总.xlsx');
    expect(packages.length).toBeGreaterThan(5);
    for (const n of packages) expect(n).toMatch(/^\d{10}_.+_退回修改\.xlsx$/);
    // Every located error or warning injected into a file the roster knows is in its school's package, at its cell
    // (a note — a text number read as a number, a stated rate rounded differently — is the clerk's and not sent back).
    let checked = 0;
    for (const m of demo.expectedMistakes) {
      if (m.cell === undefined || m.file === undefined || m.code === 'school.unknown' || m.severity === 'info') continue;
      const name = packages.find((n) => n.startsWith(`${m.school}_`));
      expect(name, `${m.school} ${m.what}`).toBeDefined();
      const book = (await readWorkbookFile(files[name!]!, name!)).book!;
      expect(book.sheets[0]!.name).toBe('退回意见');
      expect(book.sheets[0]!.values.some((row) => row[1] === m.cell), `${m.school} ${m.cell}`).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
    await expect.poll(() => region('校验').getByText(/已生成 \d+ 所学校的退回修改包/).count()).toBe(1);
  });

  it('consolidates and downloads a workbook whose district totals are the sums of its schools', async () => {
    await region('汇总').getByRole('button', { name: '开始汇总' }).click();
    const result = region('结果');
    await result.getByRole('img').waitFor();
    expect(await result.getByRole('list', { name: '未报送的学校' }).textContent()).toContain(demo.missingSchool);
    await page.screenshot({ path: path.join(shots, 'standalone-result-zh-CN.png'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), result.getByRole('button', { name: '下载全区汇总工作簿' }).click()]);
    expect(download.suggestedFilename()).toBe('全区汇总.xlsx');
    const bytes = new Uint8Array(readFileSync((await download.path())!));
    const read = await readWorkbookFile(bytes, '全区汇总.xlsx');
    expect(read.book).toBeTruthy();
    const summary = read.book!.sheets.find((s) => s.name === SHEET_NAMES['zh-CN'].summary) as SheetGrid;
    expect(summary).toBeDefined();

    const header = summary.values[SUMMARY_HEADER_ROW]!;
    const firstSchool = SUMMARY_HEADER_ROW + 1;
    let end = firstSchool;
    while (end < summary.values.length && (summary.values[end] ?? []).some((v) => v !== null && v !== '')) end++;
    const total = summary.values.find((row) => row.some((v) => typeof v === 'string' && v.startsWith(words('zh-CN').districtTotal)));
    expect(total).toBeDefined();
    const schoolRows = summary.values.slice(firstSchool, end);
    expect(schoolRows.length).toBeGreaterThan(30);

    let checked = 0;
    for (const ind of demo.definitions.indicators) {
      if (ind.aggregation !== 'sum' || ind.type === 'text' || ind.type === 'code') continue;
      const col = header.findIndex((h) => h === withUnit(ind.label.zh, ind.unit, 'zh-CN'));
      if (col < 0) continue;
      const sum = schoolRows.reduce((acc: number, row) => acc + (num(row[col]) ?? 0), 0);
      expect(num(total![col]), ind.code).toBeCloseTo(sum, 6);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });

  it('shows 均衡 as a step of its own: the verdict per standard and stage, and a failing school’s cell on a click', async () => {
    const eq = region('义务教育均衡');
    const quality = eq.getByRole('region', { name: '优质均衡 · 小学' });
    await quality.waitFor();
    expect(await quality.getByRole('status').textContent()).toMatch(/未达标/);
    expect(await eq.getByRole('region', { name: '基本均衡 · 初中' }).getByRole('status').textContent()).toMatch(/综合差异系数 0\.\d{3}（标准 ≤ 0\.55）：达标/);
    // A primary school planted one floor short and failing on it: its short input is shown on a click.
    const planted = PLANTED_SHORTFALLS.find((p) => p.stage === '小学' && !p.meets && p.short.length === 1)!;
    const input = demo.definitions.indicators.find((i) => i.code === planted.short[0]![0])!;
    const item = quality.getByRole('listitem').filter({ hasText: planted.school });
    await item.getByRole('button', { name: /^查看 / }).click();
    await item.getByText(input.label.zh).waitFor();
    await eq.screenshot({ path: path.join(shots, 'standalone-equity-zh-CN.png') });
  });

  it('switches to English', async () => {
    await page.getByRole('combobox', { name: '界面语言 / Language' }).selectOption('en-US');
    await page.getByRole('heading', { level: 2, name: 'Definitions' }).waitFor();
    await page.getByRole('button', { name: 'Download the district workbook' }).waitFor();
    await page.screenshot({ path: path.join(shots, 'standalone-result-en-US.png'), fullPage: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(shots, 'standalone-top-en-US.png') });
    expect(existsSync(path.join(shots, 'standalone-result-en-US.png'))).toBe(true);
  });

  it('keeps the chart’s labels near the body text’s size on a wide page, in both languages', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    for (const lang of ['en-US', 'zh-CN'] as const) {
      await page.getByRole('combobox', { name: /Language|界面语言/ }).selectOption(lang);
      const ratio = await page.evaluate(CHART_TEXT_RATIO);
      expect(ratio, lang).toBeGreaterThan(0.7);
      expect(ratio, lang).toBeLessThan(1.15);
    }
    await page.screenshot({ path: path.join(shots, 'standalone-result-1280px-zh-CN.png'), fullPage: true });
    await page.setViewportSize({ width: 480, height: 900 });
  });

  it('met no page error along the whole flow', () => {
    expect(problems).toEqual([]);
  });
});
