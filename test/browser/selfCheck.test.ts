/**
 * The self-check page a bureau hands its schools, as `huizong self-check` writes it, opened from disk (file://)
 * in Debian's Chromium with every request beyond the file aborted and recorded. One page load serves every
 * drop: several of the demo's planted-mistake files, each listing exactly what the bureau's validation raises
 * for that file alone (computed here by the job pipeline, as `huizong validate` does); an .xls the page checks
 * but cannot stamp; a clean .xlsx downloaded with its record, which the command then reads as 已自查, and as
 * checked against other definitions once they change. Needs `npm run build` first.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoDistrict, type DemoDistrict } from '../../src/demo';
import type { JsonResult } from '../../src/cli/output';
import { definitionsToJson } from '../../src/core/definitions';
import { CODE_SHAPED, issueMessage } from '../../src/core/messages';
import type { Issue, IssueCode } from '../../src/core/types';
import { readBook, validateBooks } from '../../src/job';
import { readWorkbookFile } from '../../src/xlsx';
import { ensureBuilt, huizong, scratch } from '../cli/helpers';
import { CHROMIUM, CHROMIUM_ARGS, SHOTS_DIR, SINGLE_FILE, requireBrowserSetup } from './serve';

const XLS_FIXTURE = path.resolve(import.meta.dirname, '../fixtures/formats/3401020001.xls');

/** What the bureau finds only with every school's file, or last period's: not the page's to say. */
const ACROSS_SCHOOLS: ReadonlySet<IssueCode> = new Set<IssueCode>(['school.duplicate', 'school.duplicate_identical', 'school.duplicate_superseded', 'school.missing', 'school.excluded', 'outlier.robust_z', 'outlier.period_change']);

let browser: Browser;
let context: BrowserContext;
let page: Page;
/** The clean file as the page stamped it. */
let stampedFile: string;
let demo: DemoDistrict;
let dir: string;
let definitionsFile: string;
const network: string[] = [];
const problems: string[] = [];

beforeAll(async () => {
  requireBrowserSetup('selfcheck-template.html');
  ensureBuilt();
  demo = await buildDemoDistrict();
  dir = scratch('huizong-selfcheck-');
  definitionsFile = path.join(dir, '定义.json');
  writeFileSync(definitionsFile, JSON.stringify(definitionsToJson(demo.definitions)));
  const made = await huizong(['self-check', '--definitions', definitionsFile, '--out', '自查.html'], dir);
  expect(made.stderr).toBe('');
  expect(made.code).toBe(0);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  context = await browser.newContext({ acceptDownloads: true, viewport: { width: 900, height: 1000 }, locale: 'zh-CN', offline: true });
  await context.route(/^(?!file:|blob:|data:)/, async (route) => {
    network.push(route.request().url());
    await route.abort('internetdisconnected');
  });
  page = await context.newPage();
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  await page.goto(pathToFileURL(path.join(dir, '自查.html')).href);
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Serious and critical violations axe-core finds on the page as it is. */
async function axeViolations(): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axePath });
  return await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: unknown): Promise<{ violations: { id: string; impact: string; nodes: { html: string }[] }[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.html.slice(0, 100)).join(' | ')}`);
  });
}

/** Drops one file on the page, as a school drags it from its folder. */
async function drop(name: string, bytes: Uint8Array): Promise<void> {
  const zone = page.getByRole('region', { name: '把填报表文件拖到这里' });
  const data = await page.evaluateHandle(
    ({ name, b64 }) => {
      const bin = atob(b64);
      const arr = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) arr[i] = bin.charCodeAt(i);
      const dt = new DataTransfer();
      dt.items.add(new File([arr], name));
      return dt;
    },
    { name, b64: Buffer.from(bytes).toString('base64') },
  );
  await zone.dispatchEvent('drop', { dataTransfer: data });
  await page.getByRole('region', { name: `检查结果：${name}` }).waitFor({ timeout: 30_000 });
}

/** The problems the page lists: where, and what, as it says them. */
async function listed(): Promise<string[]> {
  const items = page.getByTestId('result').locator('li');
  const out: string[] = [];
  for (let k = 0; k < (await items.count()); k++) {
    const li = items.nth(k);
    out.push(`${(await li.getAttribute('data-sheet')) ?? ''}!${(await li.getAttribute('data-cell')) ?? ''} ${await li.getByTestId('message').innerText()}`);
  }
  return out;
}

/** What the bureau's validation raises for this one file (the job pipeline of `huizong validate`), but what needs other schools. */
async function engineSays(name: string, bytes: Uint8Array): Promise<string[]> {
  const { book, issues } = await readWorkbookFile(bytes, name);
  expect(book).not.toBeNull();
  const read = readBook({ ...book!, source: name }, demo.definitions);
  const all: Issue[] = [...issues, ...validateBooks([read], demo.definitions).validation.issues];
  return all.filter((i) => !ACROSS_SCHOOLS.has(i.code)).map((i) => `${i.sheet ?? ''}!${i.cell ?? ''} ${issueMessage(i, 'zh-CN')}`);
}

describe('the self-check page opened from disk with no network', () => {
  it('shows the bureau and the period, and the checks it leaves to the bureau', async () => {
    const bureau = await page.getByTestId('bureau').innerText();
    expect(bureau).toContain(demo.definitions.period!);
    expect(bureau).toContain(demo.definitions.district!);
    const later = page.getByRole('region', { name: '报送后由教育局校验' });
    expect(await later.locator('li').count()).toBeGreaterThanOrEqual(2);
  });

  it('lists, for each planted mistake file, exactly what the bureau would raise for it, each at its cell with the cell shown', async () => {
    // One file of each kind of planted mistake about one school alone.
    const byCode = new Map<string, string>();
    for (const m of demo.expectedMistakes) if (m.file !== undefined && !ACROSS_SCHOOLS.has(m.code) && !byCode.has(m.code)) byCode.set(m.code, m.file);
    const files = [...new Set(byCode.values())];
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const name of files) {
      const bytes = demo.files.find((f) => f.name === name)!.bytes;
      await drop(name, bytes);
      const expected = await engineSays(name, bytes);
      expect(expected.length).toBeGreaterThan(0);
      expect(await listed(), name).toEqual(expected);
      // Every mistake planted in this file at a cell is among them, at that cell.
      for (const m of demo.expectedMistakes.filter((x) => x.file === name && x.cell !== undefined && !ACROSS_SCHOOLS.has(x.code))) {
        const at = page.getByTestId('result').locator(`li[data-cell="${m.cell ?? ''}"]`);
        expect(await at.count(), `${name}: ${m.what}`).toBeGreaterThan(0);
      }
    }
    await page.screenshot({ path: path.join(SHOTS_DIR, 'selfcheck-mistakes.png'), fullPage: true });
    expect(await axeViolations()).toEqual([]);
    // In either language, no internal code in anything the school reads.
    expect(await page.locator('main').innerText()).not.toMatch(CODE_SHAPED);
    await page.getByLabel('界面语言 / Language').selectOption('en-US');
    await page.getByRole('heading', { name: 'Check your form before sending it' }).waitFor();
    const english = await page.locator('main').innerText();
    expect(english).not.toMatch(CODE_SHAPED);
    expect(english).toContain('Checked by the bureau after sending');
    await page.screenshot({ path: path.join(SHOTS_DIR, 'selfcheck-mistakes-en.png'), fullPage: true });
    await page.getByLabel('界面语言 / Language').selectOption('zh-CN');
    // The cell's content is shown with the problem: the #DIV/0! planted in one file.
    const div0 = demo.expectedMistakes.find((m) => m.code === 'value.formula_error')!;
    await drop(div0.file!, demo.files.find((f) => f.name === div0.file)!.bytes);
    expect(await page.getByTestId('result').locator(`li[data-cell="${div0.cell}"]`).innerText()).toContain('单元格内容：#DIV/0!');
    expect(await page.getByRole('button', { name: '下载已自查的文件' }).count()).toBe(0);
  });

  it('checks an .xls but records the check only in an .xlsx, and says why', async () => {
    const bytes = new Uint8Array(readFileSync(XLS_FIXTURE));
    await drop('3401020001.xls', bytes);
    expect(await listed()).toEqual(await engineSays('3401020001.xls', bytes));
    expect(await page.getByRole('button', { name: '下载已自查的文件' }).count()).toBe(0);
    expect(await page.getByTestId('result').innerText()).toContain('另存为');
  });

  it('downloads a clean file with its record; the command reads it as 已自查, and not once the definitions change', async () => {
    const planted = new Set(demo.expectedMistakes.map((m) => m.file));
    const clean = demo.files.find((f) => !planted.has(f.name) && !f.name.includes('副本') && !f.name.includes('更正'))!;
    await drop(clean.name, clean.bytes);
    expect(await listed()).toEqual(await engineSays(clean.name, clean.bytes));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载已自查的文件' }).click()]);
    expect(download.suggestedFilename()).toBe(clean.name);
    const stampedDir = path.join(dir, 'schools');
    mkdirSync(stampedDir, { recursive: true });
    const stamped = path.join(stampedDir, clean.name);
    await download.saveAs(stamped);
    stampedFile = stamped;
    await page.screenshot({ path: path.join(SHOTS_DIR, 'selfcheck-clean.png'), fullPage: true });
    expect(await axeViolations()).toEqual([]);

    // The command: 已自查, the stamp sheet no school sheet and no problem.
    const same = await huizong(['validate', '--definitions', definitionsFile, stampedDir, '--json'], dir);
    const json = JSON.parse(same.stdout) as JsonResult;
    expect(json.files.map((f) => f.selfCheck)).toEqual(['checked']);
    expect(json.schools).toHaveLength(1);
    const text = await huizong(['validate', '--definitions', definitionsFile, stampedDir], dir);
    expect(text.stdout).toContain(`已自查\u3000schools/${clean.name}`);

    // The bureau changes a rule's bound: the file was checked against other definitions.
    const changed = { ...demo.definitions, indicators: demo.definitions.indicators.map((i, k) => (k === 0 ? { ...i, max: (i.max ?? 100000) + 1 } : i)) };
    const changedFile = path.join(dir, '定义-新.json');
    writeFileSync(changedFile, JSON.stringify(definitionsToJson(changed)));
    const after = await huizong(['validate', '--definitions', changedFile, stampedDir], dir);
    expect(after.stdout).toContain(`自查时的定义与现行定义不同\u3000schools/${clean.name}`);
    expect(after.stdout).not.toContain('已自查\u3000');
  });

  it('is made by the clerk on the single-file page too, from the scripts it carries, which then reads the stamped file as 已自查', async () => {
    const clerk = await context.newPage();
    clerk.on('pageerror', (e) => problems.push(e.message));
    await clerk.goto(pathToFileURL(SINGLE_FILE).href);
    await clerk.getByLabel('定义文件').setInputFiles(definitionsFile);
    const make = clerk.getByRole('button', { name: '制作学校自查页' });
    await make.waitFor({ timeout: 30_000 });
    const [made] = await Promise.all([clerk.waitForEvent('download'), make.click()]);
    const madeFile = path.join(dir, made.suggestedFilename());
    await made.saveAs(madeFile);
    expect(madeFile.endsWith('填报表自查.html')).toBe(true);

    // The page it made works from disk as the command's does.
    const school = await context.newPage();
    school.on('pageerror', (e) => problems.push(e.message));
    await school.goto(pathToFileURL(madeFile).href);
    expect(await school.getByTestId('bureau').innerText()).toContain(demo.definitions.period!);
    const m = demo.expectedMistakes.find((x) => x.code === 'rule.failed' && x.file !== undefined)!;
    const bytes = demo.files.find((f) => f.name === m.file)!.bytes;
    const prior = page;
    page = school;
    try {
      await drop(m.file!, bytes);
      expect(await listed()).toEqual(await engineSays(m.file!, bytes));
    } finally {
      page = prior;
    }
    await school.close();

    // The clerk imports the stamped file: 已自查 beside it.
    await clerk.getByLabel('学校文件', { exact: true }).setInputFiles(stampedFile);
    const imp = clerk.getByRole('region', { name: '导入学校文件', exact: true });
    await imp.getByText('已自查', { exact: true }).waitFor({ timeout: 30_000 });
    await clerk.close();
  });

  it('made no request beyond its own file, and met no script error', () => {
    expect(network).toEqual([]);
    expect(problems).toEqual([]);
  });
});
