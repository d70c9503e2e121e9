/** A tiny static file server over node:http for the built pages, and how Debian's Chromium is launched. */
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The built pages (`npm run build`). */
export const WEB_DIR = path.join(root, 'dist/web');

/** The standalone page as one file (`npm run build`). */
export const SINGLE_FILE = path.join(root, 'dist/汇总.html');

/** Where the browser tests keep their screenshots, as test artefacts. */
export const SHOTS_DIR = path.join(root, 'test-output/screenshots');

/** Fails with what to do when the page or Chromium is missing; makes the screenshots folder. */
export function requireBrowserSetup(page: string): void {
  if (!existsSync(path.join(WEB_DIR, page))) throw new Error(`dist/web/${page} is missing: run \`npm run build\` before the browser tests.`);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (.ci/install does).`);
  mkdirSync(SHOTS_DIR, { recursive: true });
}

/** Debian's Chromium. */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless, no sandbox (containers), and nothing that reaches the network on its own. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.xml': 'application/xml',
  '.map': 'application/json',
};

/** A running server. */
export interface StaticServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves `dir` on a free port of 127.0.0.1. */
export async function serveDir(dir: string): Promise<StaticServer> {
  const base = path.resolve(dir);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const file = path.resolve(base, `.${decodeURIComponent(url.pathname)}`);
    if (!file.startsWith(base + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    let size: number;
    try {
      const st = statSync(file);
      if (!st.isFile()) throw new Error('not a file');
      size = st.size;
    } catch {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'content-length': size });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The chart's label size as drawn (its SVG scaled to the page) over the body text's size. */
export const CHART_TEXT_RATIO = (): number => {
  const svg = document.querySelector('figure svg') as SVGSVGElement | null;
  const label = svg?.querySelector('text');
  const body = document.querySelector('main p');
  if (!svg || !label || !body) return Number.NaN;
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return (parseFloat(getComputedStyle(label).fontSize) * scale) / parseFloat(getComputedStyle(body).fontSize);
};
