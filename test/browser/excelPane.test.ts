/**
 * The Excel pane end to end in Debian's Chromium: the pane's production bundle (dist/web/taskpane.html)
 * runs unchanged on the Excel simulator, served in place of office.js (see officeShim.ts), so the real
 * `Office.onReady`, `Excel.run`, proxies and syncs are the simulator's, as strict as Excel (protected
 * sheets, no rollback). The clerk's whole path: create the definition sheets, fill the roster, import
 * the demo's school files (protected template sheets, inserted without their protection; one insert
 * fails part-way), validate, click a problem (Excel's selection moves to its cell), correct the cell,
 * validate again, consolidate, put a formula of their own on 全区汇总, consolidate again, and undo — on
 * every host profile the simulator plays (web, Windows and Mac at ExcelApi 1.20, an older Windows at
 * 1.9, the add-in's minimum at 1.7), each with its own undo rules. Screenshots of each step go to
 * test-output/screenshots. Needs `npm run build`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoDistrict, type DemoDistrict } from '../../src/demo';
import { definitionsToSheets } from '../../src/core/definitions';
import { SHEET_NAMES } from '../../src/workbook/names';
import { PROFILES, type ProfileName } from '../excel/sim/undo';
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
  runs: number;
  undoSteps: number;
  historyCleared: number;
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
      runs: sim.runs,
      undoSteps: sim.undoStack.length,
      historyCleared: sim.historyCleared,
    };
  });
}

/** Everything about the simulated workbook a person could see, as text to compare. */
async function workbookText(): Promise<string> {
  return await page.evaluate(() => JSON.stringify((globalThis as unknown as { __sim: import('../excel/sim').ExcelSim }).__sim.snapshot()));
}

let profileName: ProfileName = 'windows';

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(shots, `excel-${profileName}-${name}.png`), fullPage: true });
}

const region = (name: string) => page.getByRole('region', { name, exact: true });

/** Opens every school's list of problems, when they are not open already. */
async function expandAll(): Promise<void> {
  const open = region('校验').getByRole('button', { name: '全部展开' });
  await open.or(region('校验').getByRole('button', { name: '全部收起' })).first().waitFor({ timeout: 60_000 });
  if ((await open.count()) > 0) await open.click();
}

let shimJs = '';

beforeAll(async () => {
  requireBrowserSetup('taskpane.html');
  demo = await buildDemoDistrict();
  const shim = await build({ entryPoints: [fileURLToPath(new URL('./officeShim.ts', import.meta.url))], bundle: true, write: false, format: 'iife', platform: 'browser', target: 'es2022', logLevel: 'silent' });
  shimJs = shim.outputFiles[0]!.text;
  server = await serveDir(web);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh pane on a fresh simulated Excel playing `profile`. */
async function openPane(profile: ProfileName): Promise<void> {
  profileName = profile;
  await page?.close();
  problems.length = 0;
  page = await browser.newPage({ viewport: { width: 420, height: 900 }, locale: 'zh-CN' });
  page.on('pageerror', (e) => problems.push(e.message));
  // Office.js comes from Microsoft's CDN in Excel; here the simulator stands in for it. Nothing else leaves the machine.
  // (Playwright tries the last route registered first.)
  await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
  await page.route('https://appsforoffice.microsoft.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: shimJs }));
  await page.goto(`${server.url}/taskpane.html?profile=${profile}`);
  await page.getByRole('button', { name: '用内置模板创建' }).waitFor();
}

describe.each(Object.keys(PROFILES) as ProfileName[])('the Excel pane in Chromium, on %s', (profile) => {
  const grouping = PROFILES[profile].apiVersion === '1.20';
  beforeAll(async () => openPane(profile), 60_000);

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

  it('imports every school file: protected forms without their protection, and a file whose insert fails part-way by its values', async () => {
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
    // The forms are the clerk's working copies: inserted (or written by values, below ExcelApi 1.13) without the template's protection.
    expect(view.protectedSheets.filter((n) => /^\d{10}/.test(n))).toEqual([]);
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

  it('consolidates into the workbook, as one undo step where Excel groups them', async () => {
    const before = await simView();
    await region('汇总').getByRole('button', { name: '开始汇总' }).click();
    await region('结果').getByRole('button', { name: '打开全区汇总表' }).waitFor({ timeout: 60_000 });
    const view = await simView();
    const names = SHEET_NAMES['zh-CN'];
    expect(view.names).toEqual(expect.arrayContaining([names.summary, names.report, names.completeness, names.equity]));
    expect(view.undoGroups - before.undoGroups).toBe(grouping ? 1 : 0);
    // The summary holds a row per school counted.
    const summaryRows = await page.evaluate((name) => (globalThis as unknown as { __sim: import('../excel/sim').ExcelSim }).__sim.values(name).length, names.summary);
    expect(summaryRows).toBeGreaterThan(40);
    await expect.poll(() => region('结果').textContent()).toContain(grouping ? '按一次 Ctrl+Z 即可撤销整个汇总' : '一步步撤销各部分');
    expect(problems).toEqual([]);
    await shot('5-consolidate');
  });

  it('consolidates again over a formula of the clerk’s own on 全区汇总: the same sheets, the formula still on its figure, and Ctrl+Z as the host allows', async () => {
    const summary = SHEET_NAMES['zh-CN'].summary;
    // The clerk's own sheet for the city bureau points at the district total's first figure; then they type a note (an undo step of their own).
    const target = await page.evaluate((name) => {
      const sim = (globalThis as unknown as { __sim: import('../excel/sim').ExcelSim }).__sim;
      const rows = sim.values(name);
      // The district total row: the one whose label starts 全区合计.
      const r = rows.findIndex((row) => row.some((v) => typeof v === 'string' && v.startsWith('全区合计')));
      const c = rows[r]!.findIndex((v) => typeof v === 'number' && v > 0);
      const address = `${String.fromCharCode(65 + c)}${r + 1}`;
      sim.addSheet('报市局');
      sim.type('报市局', 'A1', { formula: `=${name}!${address}` });
      sim.type('报市局', 'B1', { value: '上报数' });
      return { address, value: rows[r]![c] };
    }, summary);
    const own = async (): Promise<unknown> =>
      await page.evaluate(() => {
        const cell = (globalThis as unknown as { __sim: import('../excel/sim').ExcelSim }).__sim.cell('报市局', 'A1');
        return { formula: cell?.formula, value: cell?.value ?? cell?.error };
      });
    expect(await own()).toEqual({ formula: `=${summary}!${target.address}`, value: target.value });

    const first = await simView();
    const beforeWrite = await workbookText();
    await region('汇总').getByRole('button', { name: '开始汇总' }).click();
    await expect.poll(async () => (await simView()).runs, { timeout: 60_000 }).toBeGreaterThan(first.runs + 1);
    await region('结果').getByRole('button', { name: '打开全区汇总表' }).waitFor({ timeout: 60_000 });
    const again = await simView();
    expect(again.names).toEqual(first.names);
    expect(again.names.filter((n) => n.startsWith('~hz~'))).toEqual([]);
    // Rewritten in place, never deleted: the clerk's formula still names 全区汇总 and shows the figure there now.
    const now = await page.evaluate(({ name, address }) => (globalThis as unknown as { __sim: import('../excel/sim').ExcelSim }).__sim.cell(name, address)?.value, { name: summary, address: target.address });
    expect(await own()).toEqual({ formula: `=${summary}!${target.address}`, value: now });

    const undo = async (): Promise<boolean> => await page.evaluate(() => (globalThis as unknown as { __sim: import('../excel/sim').ExcelSim }).__sim.undo());
    if (grouping) {
      // One Ctrl+Z: the whole consolidation is undone, and the workbook is as it was before it.
      expect(again.undoGroups - first.undoGroups).toBe(1);
      expect(await undo()).toBe(true);
      expect(await workbookText()).toBe(beforeWrite);
      // Asking for merged areas clears the history on Windows (office-js #5918), which a full read of the forms does; elsewhere the clerk's own typing is the next step back.
      if (PROFILES[profile].platform !== 'windows') {
        expect(again.historyCleared).toBe(first.historyCleared);
        expect(await undo()).toBe(true);
        expect(await page.evaluate(() => (globalThis as unknown as { __sim: import('../excel/sim').ExcelSim }).__sim.cell('报市局', 'B1'))).toBeUndefined();
      }
    } else {
      // No grouping: the write is several undo steps, and nothing in it cleared the history.
      expect(again.undoGroups).toBe(first.undoGroups);
      expect(again.undoSteps - first.undoSteps).toBeGreaterThan(1);
    }
    expect(problems).toEqual([]);
    await shot('6-again');
  });
});
