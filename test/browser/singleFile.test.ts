/**
 * dist/汇总.html, the standalone page as one file, opened from disk (file://) in Debian's Chromium with the
 * network blocked: the whole demo job — definitions, the roster from its own file, every school file with one
 * sent as an Excel 97–2003 .xls (SheetJS, loaded from inside the file), validation, the return .zip,
 * consolidation and the download — then a reload, which offers the session back, and continuing it. A second
 * page, where the browser refuses workers, says so and still validates. Screenshots of each step go to
 * test-output/screenshots. Needs `npm run build` first.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { unzipSync } from 'fflate';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoDistrict, type DemoDistrict } from '../../src/demo';
import { definitionsToJson } from '../../src/core/definitions';
import type { Definitions } from '../../src/core/types';
import { readWorkbookFile } from '../../src/xlsx';
import { SHEET_NAMES } from '../../src/workbook/names';
import { CHROMIUM, CHROMIUM_ARGS, SHOTS_DIR as shots, requireBrowserSetup, SINGLE_FILE } from './serve';

const XLS_FIXTURE = path.resolve(import.meta.dirname, '../fixtures/formats/3401020001.xls');

/** The guide's screenshots (assets/guide/使用说明.md), taken from this run so the guide shows the page as it is. */
const GUIDE_SHOTS = path.resolve(import.meta.dirname, '../../assets/guide/使用说明');

/** A screenshot of the window with `step` (a step's region) scrolled to its top, for the guide. */
async function guideShot(name: string, step?: string): Promise<void> {
  if (step !== undefined) await region(step).evaluate((el) => el.scrollIntoView({ block: 'start' }));
  else await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(GUIDE_SHOTS, `${name}.png`) });
}

let browser: Browser;
let context: BrowserContext;
let page: Page;
let demo: DemoDistrict;
/** Every request the page tried beyond its own file: there must be none. */
const network: string[] = [];
const problems: string[] = [];

beforeAll(async () => {
  requireBrowserSetup('standalone.html');
  if (!existsSync(SINGLE_FILE)) throw new Error('dist/汇总.html is missing: run `npm run build` before the browser tests.');
  demo = await buildDemoDistrict();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  context = await browser.newContext({ acceptDownloads: true, viewport: { width: 480, height: 900 }, locale: 'zh-CN', offline: true });
  await context.route(/^(?!file:|blob:|data:)/, async (route) => {
    network.push(route.request().url());
    await route.abort('internetdisconnected');
  });
  page = await context.newPage();
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('dialog', (d) => void d.accept());
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

const region = (name: string) => page.getByRole('region', { name, exact: true });

/** The demo's school files, the one of school 3401020001 sent as the .xls LibreOffice saved from it. */
function schoolFiles(): { name: string; mimeType: string; buffer: Buffer }[] {
  const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  const files = demo.files.filter((f) => !f.name.startsWith('3401020001'));
  expect(files.length).toBe(demo.files.length - 1);
  return [...files.map((f) => ({ name: f.name, mimeType: xlsx, buffer: Buffer.from(f.bytes) })), { name: '3401020001.xls', mimeType: 'application/vnd.ms-excel', buffer: readFileSync(XLS_FIXTURE) }];
}

describe('dist/汇总.html opened from disk with no network', () => {
  it('is one file that names nothing outside itself', () => {
    const html = readFileSync(SINGLE_FILE, 'utf8');
    expect(statSync(SINGLE_FILE).size).toBeGreaterThan(500_000);
    // No script, style, image or worker is fetched: every src and href is inline (data:) or a fragment.
    const refs = [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
    expect(refs.filter((r) => !r.startsWith('data:') && !r.startsWith('#'))).toEqual([]);
  });

  it('opens, and loads the definitions and then the roster from its own file', async () => {
    await page.goto(pathToFileURL(SINGLE_FILE).href);
    await page.getByRole('button', { name: '用内置模板创建' }).waitFor();
    await guideShot('1-打开');
    const { roster: _roster, ...rest } = demo.definitions;
    const definitions: Definitions = { ...rest, roster: [] };
    const box = region('指标定义').getByRole('status', { name: '当前定义' });
    await page.getByLabel('定义文件', { exact: true }).setInputFiles({ name: 'definitions.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(definitionsToJson(definitions))) });
    await expect.poll(() => box.textContent(), { timeout: 30_000 }).toMatch(/definitions\.json/);
    await page.getByLabel('学校名册文件', { exact: true }).setInputFiles({ name: 'roster.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ roster: demo.roster })) });
    await expect.poll(() => box.textContent(), { timeout: 30_000 }).toContain(`名册 ${demo.roster.length} 所学校`);
    await page.screenshot({ path: path.join(shots, 'single-definitions-zh-CN.png'), fullPage: true });
    await guideShot('2-定义', '指标定义');
  });

  it('links its help to the guide beside it, and gives the blank form of the definitions', async () => {
    const href = await page.getByRole('link', { name: '帮助' }).evaluate((a) => (a as HTMLAnchorElement).href);
    expect(href).toBe(pathToFileURL(path.join(path.dirname(SINGLE_FILE), '使用说明.html')).href);
    expect(readFileSync(path.join(path.dirname(SINGLE_FILE), '使用说明.html'), 'utf8')).toContain('<h2 id="第 1 步：指标定义">');
    const [download] = await Promise.all([page.waitForEvent('download'), region('指标定义').getByRole('button', { name: '下载空白填报表' }).click()]);
    expect(download.suggestedFilename()).toBe('填报表.xlsx');
    const form = (await readWorkbookFile(new Uint8Array(readFileSync((await download.path())!)), '填报表.xlsx')).book!;
    const labels = form.sheets[0]!.values.flat().filter((v) => typeof v === 'string');
    // Every indicator of the definitions has its row on the form.
    const missing = demo.definitions.indicators.filter((i) => !labels.some((l) => (l as string).includes(i.label.zh)));
    expect(missing.map((i) => i.label.zh)).toEqual([]);
  });

  it('imports every school file, the .xls among them', async () => {
    await page.getByLabel('学校文件', { exact: true }).setInputFiles(schoolFiles());
    await expect.poll(() => region('导入学校文件').getByRole('status').textContent(), { timeout: 60_000 }).toBe(`已导入 ${demo.files.length} 个文件。`);
    // Folded to its summary line, which has the focus, with 开始校验 in view below it.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(`已导入 ${demo.files.length} 个文件。`);
    await expect.poll(() => region('校验').getByRole('button', { name: '开始校验' }).isVisible()).toBe(true);
    await region('导入学校文件').getByRole('button', { name: `显示全部 ${demo.files.length} 个文件` }).click();
    expect(await region('导入学校文件').getByRole('list', { name: '已导入的文件' }).getByRole('listitem').filter({ hasText: '3401020001.xls' }).textContent()).toContain('已导入');
    await region('导入学校文件').getByRole('button', { name: '收起文件列表' }).click();
    await guideShot('3-导入', '导入学校文件');
  });

  it('validates, finding the demo mistakes, and downloads the return packages', async () => {
    await region('校验').getByRole('button', { name: '开始校验' }).click();
    await region('校验').getByRole('button', { name: '全部展开' }).waitFor({ timeout: 60_000 });
    const text = (await region('校验').textContent()) ?? '';
    for (const m of demo.expectedMistakes.filter((x) => x.file !== undefined && !x.file.startsWith('3401020001'))) expect(text, m.what).toContain(m.school);
    await page.screenshot({ path: path.join(shots, 'single-validate-zh-CN.png'), fullPage: true });
    await guideShot('4-校验', '校验');
    const [download] = await Promise.all([page.waitForEvent('download'), region('校验').getByRole('button', { name: '生成退回修改包' }).click()]);
    expect(download.suggestedFilename()).toBe('退回修改包.zip');
    expect(Object.keys(unzipSync(new Uint8Array(readFileSync((await download.path())!))))).toContain('退回汇总.xlsx');
  });

  it('finds a school by its code among the problems and exports them as an .xlsx list with filters', async () => {
    const m = demo.expectedMistakes.find((x) => x.cell !== undefined && x.file !== undefined && !x.file.startsWith('3401020001'))!;
    const v = region('校验');
    await v.getByRole('searchbox', { name: '查找学校（名称、代码或文件名）' }).fill(m.school);
    await expect.poll(() => page.locator('.fui-AccordionItem').count()).toBe(1);
    expect(await page.locator('.fui-AccordionItem').first().textContent()).toContain(m.school);
    const [download] = await Promise.all([page.waitForEvent('download'), v.getByRole('button', { name: '导出问题清单' }).click()]);
    expect(download.suggestedFilename()).toBe('问题清单.xlsx');
    const bytes = new Uint8Array(readFileSync((await download.path())!));
    const sheet = (await readWorkbookFile(bytes, '问题清单.xlsx')).book!.sheets[0]!;
    expect(sheet.values[0]!.slice(0, 5)).toEqual(['学校代码', '学校名称', '文件', '工作表', '单元格']);
    const rows = sheet.values.slice(1).filter((r) => r.some((c) => c !== null && c !== ''));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r[0] === m.school)).toBe(true);
    expect(rows.some((r) => r[4] === m.cell)).toBe(true);
    // The rows sit under a table, so Excel shows its filter buttons.
    const table = Object.entries(unzipSync(bytes)).find(([n]) => n.startsWith('xl/tables/'));
    expect(new TextDecoder().decode(table?.[1])).toContain('<autoFilter');
    await v.getByRole('searchbox').fill('');
    await expect.poll(() => page.locator('.fui-AccordionItem').count()).toBeGreaterThan(1);
  });

  it('consolidates and downloads the district workbook', async () => {
    // A choice the session keeps.
    await region('汇总').getByRole('checkbox', { name: '按乡镇（街道）小计' }).uncheck();
    await region('汇总').getByRole('button', { name: '开始汇总' }).click();
    await region('结果').getByRole('img').waitFor({ timeout: 60_000 });
    // A summary not yet downloaded: leaving asks first.
    expect(await page.evaluate(() => !window.dispatchEvent(new Event('beforeunload', { cancelable: true })))).toBe(true);
    const [download] = await Promise.all([page.waitForEvent('download'), region('结果').getByRole('button', { name: '下载全区汇总工作簿' }).click()]);
    const read = await readWorkbookFile(new Uint8Array(readFileSync((await download.path())!)), '全区汇总.xlsx');
    const summary = read.book!.sheets.find((s) => s.name === SHEET_NAMES['zh-CN'].summary);
    expect(summary?.values.flat()).toContain('3401020001');
    await page.screenshot({ path: path.join(shots, 'single-result-zh-CN.png'), fullPage: true });
    await guideShot('5-汇总', '结果');
    // Saved and downloaded: nothing is lost by leaving.
    await expect.poll(() => page.evaluate(() => !window.dispatchEvent(new Event('beforeunload', { cancelable: true })))).toBe(false);
  });

  it('after a reload offers the session back, and continuing it brings back definitions, roster and files', async () => {
    await page.reload();
    const offer = page.getByText('继续上次的工作');
    await offer.waitFor();
    expect(await page.getByText(new RegExp(`定义、名册、${demo.files.length} 个文件`)).count()).toBe(1);
    await page.screenshot({ path: path.join(shots, 'single-offer-zh-CN.png'), fullPage: true });
    await guideShot('6-继续');
    await page.getByRole('button', { name: '继续', exact: true }).click();
    await expect.poll(() => region('导入学校文件').getByRole('status').textContent(), { timeout: 60_000 }).toBe(`已导入 ${demo.files.length} 个文件。`);
    expect(await region('指标定义').getByRole('status', { name: '当前定义' }).textContent()).toContain(`名册 ${demo.roster.length} 所学校`);
    expect(await region('汇总').getByRole('checkbox', { name: '按乡镇（街道）小计' }).isChecked()).toBe(false);
    expect(await region('汇总').getByRole('checkbox', { name: '按学段小计' }).isChecked()).toBe(true);
    await region('校验').getByRole('button', { name: '开始校验' }).click();
    await region('校验').getByRole('button', { name: '全部展开' }).waitFor({ timeout: 60_000 });
  });

  it('ran its jobs in the worker, made no network request and met no page error', async () => {
    expect(await page.getByText('校验和汇总改在页面中进行').count()).toBe(0);
    expect(network).toEqual([]);
    expect(problems).toEqual([]);
  });
});

describe('dist/汇总.html where the browser refuses workers', () => {
  it('says so and runs the jobs in the page', async () => {
    const p = await context.newPage();
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(e.message));
    // As a browser that will not start a worker from a file's page does.
    await p.addInitScript(() => {
      window.Worker = class {
        constructor() {
          throw new DOMException('Script cannot be accessed from origin null', 'SecurityError');
        }
      } as unknown as typeof Worker;
    });
    await p.goto(pathToFileURL(SINGLE_FILE).href);
    await p.getByRole('button', { name: '不用了，清除' }).click();
    await p.getByRole('button', { name: '用内置模板创建' }).click();
    await p.getByText('校验和汇总改在页面中进行').waitFor();
    // Dropped on the import step rather than picked.
    const files = schoolFiles().slice(0, 5).map((f) => ({ name: f.name, b64: f.buffer.toString('base64') }));
    const drop = await p.evaluateHandle((list) => {
      const dt = new DataTransfer();
      for (const f of list) dt.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name));
      return dt;
    }, files);
    await p.getByText('也可以把文件或整个文件夹拖到这里。').dispatchEvent('drop', { dataTransfer: drop });
    const imp = p.getByRole('region', { name: '导入学校文件', exact: true });
    await expect.poll(() => imp.getByRole('status').textContent(), { timeout: 60_000 }).toMatch(/^已导入 5 个文件/);
    // Removing and clearing leave an undo.
    const first = files[0]!.name;
    await imp.getByRole('button', { name: `移除 ${first}` }).click();
    await expect.poll(() => imp.getByRole('status').textContent()).toMatch(/^已导入 4 个文件/);
    await p.getByText(`已移除 ${first}。`).waitFor();
    await p.getByRole('button', { name: '撤销' }).click();
    await expect.poll(() => imp.getByRole('status').textContent(), { timeout: 30_000 }).toMatch(/^已导入 5 个文件/);
    await imp.getByRole('button', { name: '清空已导入的文件' }).click();
    await imp.getByText('还没有导入文件。').waitFor();
    await p.getByText('已清空 5 个文件。').waitFor();
    await p.getByRole('button', { name: '撤销' }).click();
    await expect.poll(() => imp.getByRole('status').textContent(), { timeout: 30_000 }).toMatch(/^已导入 5 个文件/);
    await p.getByRole('button', { name: '开始校验' }).click();
    await p.getByRole('button', { name: '全部展开' }).waitFor({ timeout: 60_000 });
    expect(errors).toEqual([]);
    await p.close();
  });
});
