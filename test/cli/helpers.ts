/** Shared by the command's end-to-end tests: build the bundle once when stale, run it, make scratch folders. */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SheetGrid, WorkbookGrid } from '../../src/core/grid';
import { readBook } from '../../src/cli/io';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const bundle = path.join(root, 'dist/cli/huizong.cjs');
/** The self-check page the command fills (`huizong self-check`), built with the standalone page. */
export const selfCheckTemplate = path.join(root, 'dist/web/selfcheck-template.html');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Builds dist/cli/huizong.cjs and the self-check page it fills when missing or older than any source file; one builder at a time across test files. */
export function ensureBuilt(): void {
  const newest = (): number => Math.max(newestMtime(path.join(root, 'src')), statSync(path.join(root, 'webpack.config.js')).mtimeMs);
  const stale = (): boolean => [bundle, selfCheckTemplate].some((f) => !existsSync(f) || statSync(f).mtimeMs < newest());
  if (!stale()) return;
  const lock = path.join(root, 'node_modules/.cache/huizong-cli-build.lock');
  mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 240_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another test file is building; a lock older than four minutes was left by a killed run.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 240_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for another build of the command');
      sleep(500);
    }
  }
  try {
    if (!stale()) return;
    const r = spawnSync('npx', ['webpack', '--mode', 'production', '--config-name', 'standalone', '--config-name', 'cli'], { cwd: root, encoding: 'utf8', timeout: 240_000 });
    if (r.status !== 0 || !existsSync(bundle)) throw new Error(`building the command failed:\n${r.stdout}\n${r.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** What a run of the command gave. */
export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built command with `args` in `cwd`; stdin closed, stdout and stderr captured (not terminals). */
export function huizong(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A fresh scratch folder under the system's temporary folder. */
export function scratch(prefix = 'huizong-cli-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Every file under `dir` (relative paths), hidden ones included. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/** SHA-256 and mtime of every file under `dir`, to show that inputs were not touched. */
export function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of listFiles(dir)) {
    const p = path.join(dir, f);
    out[f] = `${createHash('sha256').update(readFileSync(p)).digest('hex')} ${statSync(p).mtimeMs}`;
  }
  return out;
}

/** A workbook file read back through the .xlsx engine; throws when it cannot be read. */
export async function readBack(file: string): Promise<WorkbookGrid> {
  const r = await readBook(new Uint8Array(readFileSync(file)), path.basename(file));
  if (!r.book) throw new Error(`cannot read ${file}: ${JSON.stringify(r.issues)}`);
  return r.book;
}

/** The named sheet of a workbook; throws when there is none. */
export function sheetNamed(b: WorkbookGrid, name: string): SheetGrid {
  const s = b.sheets.find((x) => x.name === name);
  if (!s) throw new Error(`no sheet ${name} in ${b.sheets.map((x) => x.name).join(', ')}`);
  return s;
}
