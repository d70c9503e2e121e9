/**
 * The Excel pane end to end in Debian's Chromium: the pane's production bundle (dist/web/taskpane.html)
 * runs unchanged on the Excel simulator, served in place of office.js (see officeShim.ts), so the real
 * `Office.onReady`, `Excel.run`, proxies and syncs are the simulator's, as strict as Excel (protected
 * sheets, no rollback). The clerk's whole path: create the definition sheets, fill the roster, import
 * the demo's school files (protected template sheets; one insert fails part-way), validate, click a
 * problem (Excel's selection moves to its cell), correct the cell, validate again, consolidate, and
 * consolidate again. Screenshots of each step go to test-output/screenshots. Needs `npm run build`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoDistrict, type DemoDistrict } from '../../src/cli/demo';
import { definitionsToSheets } from '../../src/core/definitions';
import { SHEET_NAMES } from '../../src/workbook/names';
import { CHROMIUM, CHROMIUM_ARGS, requireBrowserSetup, serveDir, SHOTS_DIR as shots, WEB_DIR as web, type StaticServer } from './serve';


let server: StaticServer;
let browser: Browser;
let page: Page;
let demo: DemoDistrict;
const problems: string[] = [];

/** What the test reads of the simulated workbook, inside the page. */
interface SimView {
  names: string[];
  protectedSheets: string[];
  selection: { sheet: string; address: string } | null;
  undoGroups: number;
}

async function simView(): Promise<SimView> {
  return await page.evaluate(() => {
    const sim = (globalThis as unknown as { __sim: import('../excel/sim').ExcelSim }).__sim;
    const sel = sim.model.selection;
    const sheetName = (id: string): string => sim.model.sheets.find((s) => s.id === id)?.name ?? '?';
    const col = (c: number): string => {
      let s = '';
      for (let n = c + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
      return s;
    };
    return {
      names: sim.names(),
      protectedSheets: sim.model.sheets.filter((s) => s.protected).map((s) => s.name),
      selection: sel === null ? null : { sheet: sheetName(sel.sheetId), address: `${col(sel.rect.c0)}${sel.rect.r0 + 1}` },
      undoGroups: sim.undoGroups,
    };
  });
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(shots, `excel-${name}.png`), fullPage: true });
}

const region = (name: string) => page.getByRole('region', { name, exact: true });

/** Opens every school's list of problems, when they are not open already. */
async function expandAll(): Promise<void> {
  const open = region('校验').getByRole('button', { name: '全部展开' });
  await open.or(region('校验').getByRole('button', { name: '全部收起' })).first().waitFor({ timeout: 60_000 });
  if ((await open.count()) > 0) await open.click();
}

beforeAll(async () => {
  requireBrowserSetup('taskpane.html');
  demo = await buildDemoDistrict();
  const shim = await build({ entryPoints: [fileURLToPath(new URL('./officeShim.ts', import.meta.url))], bundle: true, write: false, format: 'iife', platform: 'browser', target: 'es2022', logLevel: 'silent' });
  const shimJs = shim.outputFiles[0]!.text;
  server = await serveDir(web);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  page = await browser.newPage({ viewport: { width: 420, height: 900 }, locale: 'zh-CN' });
  page.on('pageerror', (e) => problems.push(e.message));
  // Office.js comes from Microsoft's CDN in Excel; here the simulator stands in for it. Nothing else leaves the machine.
  // (Playwright tries the last route registered first.)
  await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
  await page.route('https://appsforoffice.microsoft.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: shimJs }));
  await page.goto(`${server.url}/taskpane.html`);
  await page.getByRole('button', { name: '用内置模板创建' }).waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the Excel pane on the simulated Excel, in Chromium', () => {
  it('creates the definition sheets and a protected form from the preset, and reads the roster the clerk fills in', async () => {
    await page.getByRole('button', { name: '用内置模板创建' }).click();
    const box = region('指标定义').getByRole('status', { name: '当前定义' });
    await expect.poll(() => box.textContent()).toContain('2 项均衡标准');
    const view = await simView();
    expect(view.names).toEqual(expect.arrayContaining(['指标', '校验规则', '比率', '均衡标准', '学校名册', '表样', SHEET_NAMES['zh-CN'].template]));
    expect(view.protectedSheets).toContain(SHEET_NAMES['zh-CN'].template);
    // The clerk pastes the district's roster into 学校名册.
    const roster = definitionsToSheets(demo.definitions, 'zh-CN').find((g) => g.name === '学校名册')!.values;
    await page.evaluate((rows) => {
      const sim = (globalThis as unknown as { __sim: import('../excel/sim').ExcelSim }).__sim;
      const col = (c: number): string => String.fromCharCode(65 + c);
      sim.sheet('学校名册').cells.clear();
      rows.forEach((row, r) => row.forEach((v, c) => v !== null && sim.type('学校名册', `${col(c)}${r + 1}`, { value: v as string | number })));
    }, roster);
    await region('指标定义').getByRole('button', { name: '检查定义' }).click();
    await expect.poll(() => box.textContent()).toContain(`名册 ${demo.roster.length} 所学校`);
    expect(problems).toEqual([]);
    await shot('1-definitions');
  });

  it('imports every school file: protected forms as they are, and a file whose insert fails part-way by its values', async () => {
    const files = demo.files.map((f) => ({ name: f.name, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from(f.bytes) }));
    const input = page.getByLabel('学校文件', { exact: true });
    await input.setInputFiles(files.slice(0, -1));
    await expect.poll(() => region('导入学校文件').getByRole('status').textContent(), { timeout: 60_000 }).toBe(`已导入 ${files.length - 1} 个文件。`);
    // The last file: Excel inserts its sheet and then throws. The sheet goes, and the file is written by its values.
    await page.evaluate(() => {
      const sim = (globalThis as unknown as { __sim: import('../excel/sim').ExcelSim }).__sim;
      sim.insertBehavior = () => 'partial';
    });
    await input.setInputFiles(files.slice(-1));
    await expect.poll(() => region('导入学校文件').getByRole('status').textContent(), { timeout: 60_000 }).toBe(`已导入 ${files.length} 个文件。`);
    const view = await simView();
    const schoolSheets = view.names.filter((n) => /^\d{10}/.test(n));
    expect(schoolSheets).toHaveLength(files.length);
    // Inserted forms keep the template's protection (the two drifted demo forms never had it); the one written by values has none.
    expect(view.protectedSheets.filter((n) => /^\d{10}/.test(n)).length).toBeGreaterThan(40);
    expect(view.names.filter((n) => n.startsWith('~hz~'))).toEqual([]);
    await shot('2-import');
  });

  it('validates, and a click on a problem moves Excel’s selection to its cell', async () => {
    await region('校验').getByRole('button', { name: '开始校验' }).click();
    await expandAll();
    const mistake = demo.expectedMistakes.find((m) => m.code === 'rule.failed' && m.subject === 'BOYS')!;
    const group = page.locator('.fui-AccordionItem').filter({ hasText: mistake.school }).first();
    await group.getByRole('button', { name: new RegExp(`^${mistake.cell}`) }).first().click();
    await expect.poll(async () => (await simView()).selection?.address).toBe(mistake.cell);
    expect((await simView()).selection!.sheet.startsWith(mistake.school)).toBe(true);
    await shot('3-validate');
  });

  it('sees a cell the clerk corrected when validating again', async () => {
    const mistake = demo.expectedMistakes.find((m) => m.code === 'rule.failed' && m.subject === 'BOYS')!;
    const school = demo.schools.find((s) => s.code === mistake.school)!;
    const sheet = (await simView()).selection!.sheet;
    await page.evaluate(
      ({ sheet, cell, value }) => (globalThis as unknown as { __sim: import('../excel/sim').ExcelSim }).__sim.type(sheet, cell, { value }),
      { sheet, cell: mistake.cell!, value: school.values.BOYS as number },
    );
    await region('校验').getByRole('button', { name: '开始校验' }).click();
    await expandAll();
    // The other schools' problems are still listed; this one's is gone.
    expect(await page.locator('.fui-AccordionItem').count()).toBeGreaterThan(3);
    await expect.poll(() => page.locator('.fui-AccordionItem').filter({ hasText: mistake.school }).getByRole('button', { name: new RegExp(`^${mistake.cell}`) }).count()).toBe(0);
    await shot('4-corrected');
  });

  it('consolidates into the workbook: results written, forms still protected, one undo step', async () => {
    const before = await simView();
    await region('汇总').getByRole('button', { name: '开始汇总' }).click();
    await region('结果').getByRole('button', { name: '打开全区汇总表' }).waitFor({ timeout: 60_000 });
    const view = await simView();
    const names = SHEET_NAMES['zh-CN'];
    expect(view.names).toEqual(expect.arrayContaining([names.summary, names.report, names.completeness, names.equity]));
    expect(view.protectedSheets.filter((n) => /^\d{10}/.test(n)).sort()).toEqual(before.protectedSheets.filter((n) => /^\d{10}/.test(n)).sort());
    expect(view.undoGroups).toBeGreaterThan(before.undoGroups);
    // The summary holds a row per school counted, and a protected form got its rates.
    const summaryRows = await page.evaluate((name) => (globalThis as unknown as { __sim: import('../excel/sim').ExcelSim }).__sim.values(name).length, names.summary);
    expect(summaryRows).toBeGreaterThan(40);
    expect(problems).toEqual([]);
    await shot('5-consolidate');
  });

  it('consolidates again: the same sheets, replaced, nothing left over', async () => {
    const first = await simView();
    await region('汇总').getByRole('button', { name: '开始汇总' }).click();
    await expect.poll(async () => (await simView()).undoGroups, { timeout: 60_000 }).toBeGreaterThan(first.undoGroups);
    const again = await simView();
    expect(again.names).toEqual(first.names);
    expect(again.names.filter((n) => n.startsWith('~hz~'))).toEqual([]);
    expect(problems).toEqual([]);
    await shot('6-again');
  });
});
