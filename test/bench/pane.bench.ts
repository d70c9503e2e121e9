/**
 * The pane's bundles and start-up: raw and gzipped size of the initial JavaScript of the Excel pane
 * and the standalone page (what the HTML loads before anything else), and the time until the
 * standalone page is interactive in headless Chromium. Builds dist/web first when it is missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, serveDir } from '../browser/serve';
import { report } from './util';

const root = process.cwd();
const web = path.join(root, 'dist/web');

if (!existsSync(path.join(web, 'taskpane.html')) || !existsSync(path.join(web, 'standalone.html'))) {
  console.log('building dist/web (npx webpack --mode production --config-name taskpane --config-name standalone)…');
  const r = spawnSync('npx', ['webpack', '--mode', 'production', '--config-name', 'taskpane', '--config-name', 'standalone'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('the web build failed');
}

/** Strings only fflate's inflater carries: their presence means the .xlsx engine is in a bundle. */
const XLSX_MARKERS = ['invalid zip data', 'invalid block type'];

/** Scripts an HTML page loads from this build (Office.js from its CDN is not ours). */
function initialScripts(html: string): string[] {
  const text = readFileSync(path.join(web, html), 'utf8');
  return [...text.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]!).filter((src) => !/^https?:/.test(src));
}

function sizes(files: readonly string[]): { raw: number; gz: number } {
  let raw = 0;
  let gz = 0;
  for (const f of files) {
    const bytes = readFileSync(path.join(web, f));
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, gz };
}

function allJs(dir: string): string[] {
  const full = path.join(web, dir);
  return existsSync(full) ? readdirSync(full).filter((f) => f.endsWith('.js')).map((f) => `${dir}/${f}`) : [];
}

for (const [name, html, dir, goal] of [
  ['Excel pane', 'taskpane.html', 'pane', '≤ 350 KB gz'],
  ['standalone page', 'standalone.html', 'standalone', undefined],
] as const) {
  const initial = initialScripts(html);
  const s = sizes(initial);
  const rest = allJs(dir).filter((f) => !initial.includes(f));
  const lazy = sizes(rest);
  const text = initial.map((f) => readFileSync(path.join(web, f), 'utf8')).join('\n');
  const engine = XLSX_MARKERS.filter((m) => text.includes(m));
  report(`${name}: initial JS (${initial.length} file${initial.length === 1 ? '' : 's'}), raw`, s.raw / 1024, 'KB');
  report(`${name}: initial JS, gzipped`, s.gz / 1024, 'KB', goal);
  report(`${name}: lazy chunks and worker (${rest.length}), gzipped`, lazy.gz / 1024, 'KB');
  console.log(`${name}: .xlsx engine in the initial JS: ${engine.length === 0 ? 'no' : `yes (${engine.join(', ')})`}`);
}

const server = await serveDir(web);
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
try {
  const times: number[] = [];
  for (let i = 0; i < 6; i++) {
    const context = await browser.newContext({ viewport: { width: 480, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/standalone.html`, { waitUntil: 'commit' });
    const button = page.getByRole('button', { name: '用内置模板创建' });
    await button.waitFor({ state: 'visible' });
    await page.waitForFunction(() => {
      const b = [...document.querySelectorAll('button')].find((x) => x.textContent === '用内置模板创建');
      return b !== undefined && !b.disabled;
    });
    const t = await page.evaluate(() => performance.now());
    if (i > 0) times.push(t);
    await context.close();
  }
  times.sort((a, b) => a - b);
  report('standalone page: time until interactive (median of 5, warm server)', times[Math.floor(times.length / 2)]!, 'ms');
  report('standalone page: time until interactive (best)', times[0]!, 'ms');
} finally {
  await browser.close();
  await server.close();
}
