/**
 * The standalone page at task-pane widths, in both languages, in Debian's Chromium: the whole demo
 * (definitions, the roster from its own file, every school file, validation, consolidation) at 320
 * and 350 px, checking after each step that nothing is wider than the pane (no sideways scrolling),
 * that axe-core finds no serious or critical accessibility violation, and that the page met no
 * error; at 350 px in Chinese the workbook the page gives says what the command says for the same files
 * (completeness, every subtotal and total, 均衡). Screenshots of each width and language go to
 * test-output/screenshots.
 * Needs `npm run build` first (dist/web/standalone.html).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoDistrict, type DemoDistrict } from '../../src/demo';
import { definitionsToJson } from '../../src/core/definitions';
import type { Definitions, Lang } from '../../src/core/types';
import { SHEET_NAMES } from '../../src/workbook/names';
import { huizong, readBack, scratch, sheetNamed } from '../cli/helpers';
import { CHROMIUM, CHROMIUM_ARGS, requireBrowserSetup, serveDir, SHOTS_DIR as shots, WEB_DIR as web, type StaticServer } from './serve';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let server: StaticServer;
let browser: Browser;
let demo: DemoDistrict;

beforeAll(async () => {
  requireBrowserSetup('standalone.html');
  demo = await buildDemoDistrict();
  server = await serveDir(web);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** How far the page is wider than its window (0 when it fits), and the widest element that sticks out. */
async function overflow(page: Page): Promise<{ by: number; culprit: string }> {
  return await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    let culprit = '';
    let worst = 0;
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const out = r.right - width;
      if (out > worst + 0.5) {
        worst = out;
        culprit = `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 60)} "${(el.textContent ?? '').slice(0, 40)}"`;
      }
    }
    return { by: Math.max(0, document.documentElement.scrollWidth - width), culprit };
  });
}

/**
 * The layout faults seen at task-pane widths: a text squeezed into a column a few characters wide (a message
 * beside a long file name), a badge broken over lines, a label that wraps although it is short.
 */
async function layoutFaults(page: Page): Promise<string[]> {
  return await page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll('main *, header *')) {
      const text = (el.textContent ?? '').trim();
      if (el.children.length > 0 || text.length < 6) continue;
      const r = el.getBoundingClientRect();
      const size = parseFloat(getComputedStyle(el).fontSize);
      // 1 px wide: visually hidden for screen readers, not squeezed.
      if (r.width > 1 && r.width < 3 * size) out.push(`squeezed to ${Math.round(r.width)}px: "${text.slice(0, 30)}"`);
    }
    for (const b of document.querySelectorAll('.fui-Badge')) {
      const r = b.getBoundingClientRect();
      if (r.height > 2 * parseFloat(getComputedStyle(b).fontSize) + 6) out.push(`badge over lines (${Math.round(r.height)}px): "${b.textContent}"`);
    }
    const lang = [...document.querySelectorAll('label')].find((l) => (l.textContent ?? '').includes(' / '));
    if (lang !== undefined && lang.getBoundingClientRect().height > 1.6 * parseFloat(getComputedStyle(lang).fontSize) + 4) out.push(`"${lang.textContent}" wraps`);
    return out;
  });
}

/** Serious and critical violations axe-core finds on the page as it is. */
async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axePath });
  return await page.evaluate(async () => {
    type Node = { target: string[]; html: string; any: { data?: { fgColor?: string; bgColor?: string; contrastRatio?: number } }[] };
    const axe = (window as unknown as { axe: { run(ctx: Document, o: unknown): Promise<{ violations: { id: string; impact: string; nodes: Node[] }[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    const what = (n: Node): string => {
      const d = n.any[0]?.data;
      return `${n.html.slice(0, 120)}${d?.contrastRatio !== undefined ? ` [${d.fgColor} on ${d.bgColor}: ${d.contrastRatio}]` : ''}`;
    };
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.nodes.map(what).slice(0, 3).join(' | ')}`);
  });
}

const WORDS: Record<Lang, { current: string; defs: string; roster: string; files: string; validate: string; consolidate: string; result: string; imported: (n: number) => string; step: (s: 'defs' | 'import' | 'validate' | 'consolidate') => string }> = {
  'zh-CN': {
    current: '当前定义',
    defs: '定义文件',
    roster: '学校名册文件',
    files: '学校文件',
    validate: '开始校验',
    consolidate: '开始汇总',
    result: '下载全区汇总工作簿',
    imported: (n) => `已导入 ${n} 个文件，1 个未导入。`,
    step: (s) => ({ defs: '指标定义', import: '导入学校文件', validate: '校验', consolidate: '汇总' })[s],
  },
  'en-US': {
    current: 'Current definitions',
    defs: 'Definitions file',
    roster: 'School roster file',
    files: 'School files',
    validate: 'Validate',
    consolidate: 'Consolidate',
    result: 'Download the district workbook',
    imported: (n) => `${n} files imported, 1 not imported.`,
    step: (s) => ({ defs: 'Definitions', import: 'Import school files', validate: 'Validate', consolidate: 'Consolidate' })[s],
  },
};

describe.each([
  [320, 'zh-CN'],
  [350, 'zh-CN'],
  [320, 'en-US'],
  [350, 'en-US'],
] as const)('the standalone page at %i px in %s', (width, lang) => {
  it('runs the whole demo without sideways scrolling, page errors or serious accessibility violations', async () => {
    const w = WORDS[lang];
    const page = await browser.newPage({ viewport: { width, height: 800 }, locale: lang, acceptDownloads: true });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    const checks: { step: string; by: number; culprit: string; axe: string[]; primary: string[]; faults: string[] }[] = [];
    const check = async (step: string): Promise<void> => {
      // Measured once the pane is idle and its transitions (fades, colour changes) are over, as the clerk sees it.
      await expect.poll(() => page.getByRole('progressbar').count(), { timeout: 60_000 }).toBe(0);
      await page.waitForTimeout(600);
      const o = await overflow(page);
      // The one primary action: the buttons filled with the brand colour.
      const primary = await page.evaluate(() =>
        [...document.querySelectorAll('button')].filter((b) => getComputedStyle(b).backgroundColor === 'rgb(15, 108, 189)' && b.getBoundingClientRect().width > 0).map((b) => b.textContent ?? ''),
      );
      checks.push({ step, ...o, axe: await axeViolations(page), primary, faults: await layoutFaults(page) });
    };
    await page.goto(`${server.url}/standalone.html`);
    if (lang === 'en-US') await page.getByRole('combobox', { name: '界面语言 / Language' }).selectOption('en-US');
    const region = (name: string) => page.getByRole('region', { name: w.step(name as 'defs'), exact: true });
    await region('defs').waitFor();
    await check('start');

    // The definitions without their roster, then the roster from its own file.
    const { roster: _roster, ...rest } = demo.definitions;
    const definitions: Definitions = { ...rest, roster: [] };
    const box = region('defs').getByRole('status', { name: w.current });
    await page.getByLabel(w.defs, { exact: true }).setInputFiles({ name: 'definitions.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(definitionsToJson(definitions))) });
    await expect.poll(() => box.textContent()).toMatch(/definitions\.json/);
    await page.getByLabel(w.roster, { exact: true }).setInputFiles({ name: 'roster.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ roster: demo.roster })) });
    await expect.poll(() => box.textContent()).toMatch(new RegExp(`${demo.roster.length} (所学校|schools in the roster)`));
    await check('definitions');

    // With them a file that cannot be read, under a long name: its message must not be squeezed beside it.
    const unreadable = { name: '城关镇第一小学2026年秋季学期教育事业统计报表（修正版）说明.txt', mimeType: 'text/plain', buffer: Buffer.from('不是工作簿') };
    await page.getByLabel(w.files, { exact: true }).setInputFiles([...demo.files.map((f) => ({ name: f.name, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from(f.bytes) })), unreadable]);
    await expect.poll(() => region('import').getByRole('status').textContent(), { timeout: 60_000 }).toBe(w.imported(demo.files.length));
    await check('import');

    await region('validate').getByRole('button', { name: w.validate, exact: true }).click();
    await page.locator('.fui-AccordionItem').first().waitFor({ timeout: 60_000 });
    await page.locator('.fui-AccordionItem').first().locator('button').first().click();
    await check('validate');

    await page.getByRole('button', { name: w.consolidate, exact: true }).click();
    await page.getByRole('button', { name: w.result }).waitFor({ timeout: 60_000 });
    await check('result');
    await page.screenshot({ path: path.join(shots, `standalone-${width}px-${lang}.png`), fullPage: true });

    // The page's workbook says what the command says: completeness, every subtotal and total, and 均衡.
    if (width === 350 && lang === 'zh-CN') {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: w.result }).click()]);
      const fromPage = await readBack((await download.path())!);
      const dir = scratch('huizong-page-');
      writeFileSync(path.join(dir, 'definitions.json'), JSON.stringify(definitionsToJson(definitions)));
      writeFileSync(path.join(dir, 'roster.json'), JSON.stringify({ roster: demo.roster }));
      mkdirSync(path.join(dir, 'schools'));
      for (const f of demo.files) writeFileSync(path.join(dir, 'schools', f.name), f.bytes);
      const run = await huizong(['consolidate', '--definitions', 'definitions.json', '--roster', 'roster.json', 'schools', '--out', 'command.xlsx'], dir);
      expect(run.stderr).toBe('');
      const fromCommand = await readBack(path.join(dir, 'command.xlsx'));
      const names = SHEET_NAMES['zh-CN'];
      // The note row of the summary says when it was made; everything else is the same, cell by cell.
      const summary = (b: typeof fromPage) => sheetNamed(b, names.summary).values.filter((_, r) => r !== 1);
      expect(summary(fromPage)).toEqual(summary(fromCommand));
      expect(sheetNamed(fromPage, names.completeness).values).toEqual(sheetNamed(fromCommand, names.completeness).values);
      expect(sheetNamed(fromPage, names.equity).values).toEqual(sheetNamed(fromCommand, names.equity).values);
      expect(sheetNamed(fromPage, names.summary).values.length).toBeGreaterThan(40);
    }

    expect(problems).toEqual([]);
    expect(checks.map((c) => [c.step, c.primary.length]), JSON.stringify(checks.map((c) => c.primary))).toEqual(checks.map((c) => [c.step, 1]));
    expect(checks.filter((c) => c.by > 0).map((c) => `${c.step}: ${c.by}px wider (${c.culprit})`)).toEqual([]);
    expect(checks.filter((c) => c.axe.length > 0).map((c) => `${c.step}: ${c.axe.join('; ')}`)).toEqual([]);
    expect(checks.filter((c) => c.faults.length > 0).map((c) => `${c.step}: ${c.faults.join('; ')}`)).toEqual([]);
    await page.close();
  }, 180_000);
});
