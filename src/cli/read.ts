/**
 * Reading school files: each file's bytes become a workbook grid and its submissions. Many files are
 * read by this thread together with a small pool of worker threads running this same bundle; a bad
 * file becomes issues for that file and the others go on.
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { WorkbookGrid } from '../core/grid';
import type { Issue } from '../core/types';
import { failedBook, readBook, type BookRead, type CopyPlan, type ReadDefinitions } from '../job';
import { MAX_INPUT_BYTES, readFileBytesSync } from './files';
import { readBook as readBookFile, type SheetCopy } from './io';

/** What reading one school file gave: the job's read of its book, and where it is. */
export interface FileRead extends BookRead {
  /** Absolute path. */
  readonly path: string;
  /** The name used in issues and output (relative to the working folder); the book's source. */
  readonly file: string;
  /** The workbook itself, when kept for copying its sheets into the output. */
  readonly book?: WorkbookGrid;
}

type Needed = ReadDefinitions;

/** Why a file could not be read, as the issue for that file: the clerk's words for the system's error code. */
export function readFailure(display: string, error: string): Issue {
  if (error === 'too_large') return { code: 'file.too_large', severity: 'error', file: display, params: { file: display, what: 'bytes', limit: MAX_INPUT_BYTES / 1024 / 1024 } };
  // A name the system listed but cannot open again: bytes that are not UTF-8 (a Windows zip unpacked elsewhere).
  const why = error === 'ENOENT' && display.includes('\uFFFD') ? 'name_encoding' : READ_WHY[error];
  return { code: 'file.unreadable', severity: 'error', file: display, params: { file: display, ...(why !== undefined ? { why } : { reason: error }) } };
}

const READ_WHY: Readonly<Record<string, string>> = {
  ENOENT: 'missing',
  EACCES: 'no_read_permission',
  EPERM: 'no_read_permission',
  EISDIR: 'folder',
  ELOOP: 'link_loop',
  not_a_file: 'not_a_file',
};

/** The workbook in one file, or the issues that say why there is none. Never throws for bad data. */
export function loadFileBook(abs: string, display: string): { book: WorkbookGrid | null; issues: BookRead['issues'] } {
  const got = readFileBytesSync(abs);
  if ('error' in got) return { book: null, issues: [readFailure(display, got.error)] };
  const { book, issues } = readBookFile(got.bytes, display);
  return { book: book === null ? null : { ...book, source: display }, issues };
}

/**
 * A loader of school sheets to copy, each with its grid: from the book kept while reading, or read
 * again from its file when the books were not kept. The index of files is built once; with `cache`,
 * a file read again is kept for the next sheet of it (one output), without it each is dropped once
 * used (one return package at a time, memory flat).
 */
export function copyLoader(reads: readonly FileRead[], cache: boolean): (plans: readonly CopyPlan[]) => SheetCopy[] {
  const books = new Map(reads.map((r) => [r.file, r]));
  const again = new Map<string, ReturnType<typeof loadFileBook>['book']>();
  return (plans) => {
    const out: SheetCopy[] = [];
    for (const c of plans) {
      const read = c.file === undefined ? undefined : books.get(c.file);
      if (read === undefined) continue;
      let book = read.book ?? again.get(read.file);
      if (book === undefined) {
        book = loadFileBook(read.path, read.file).book;
        if (cache) again.set(read.file, book);
      }
      const grid = book?.sheets.find((g) => g.name === c.sheet);
      if (grid !== undefined) out.push({ grid, name: c.name, updates: c.updates, marks: c.marks, ...(c.print !== undefined ? { print: c.print } : {}) });
    }
    return out;
  };
}

/** The school sheets to copy into one output, each with its grid (see {@link copyLoader}). */
export function copiesWithGrids(plans: readonly CopyPlan[], reads: readonly FileRead[]): SheetCopy[] {
  return copyLoader(reads, true)(plans);
}

/** Reads one file: bytes, workbook, submissions (the job's `readBook`). Never throws for bad data. */
export function readOneFile(abs: string, display: string, defs: Needed, keepBook: boolean): FileRead {
  const { book, issues } = loadFileBook(abs, display);
  if (!book) return { path: abs, file: display, ...failedBook(display, issues) };
  const read = readBook(book, defs);
  return { path: abs, file: display, ...(keepBook ? { book } : {}), ...read, issues: issues.length === 0 ? read.issues : [...issues, ...read.issues] };
}

// Files read between two turns of the event loop, so that Ctrl-C and progress are not held up.
const BATCH = 32;

const MIN_FILES_FOR_WORKERS = 200;

/**
 * How many worker threads read `count` files beside this thread; `HUIZONG_WORKERS` overrides.
 * Measured on two cores (1,000 files): a worker takes a fifth of a second to start, each result
 * costs this thread a tenth of reading the file itself, and two threads parsing side by side each
 * run at little more than half speed, so one worker made reading slower, not faster. Workers are
 * used only with three cores or more, one per spare core (at most three), for a few hundred files.
 */
export function workerCount(count: number): number {
  const forced = process.env.HUIZONG_WORKERS;
  if (forced !== undefined && forced !== '' && Number.isInteger(Number(forced))) return Math.max(0, Math.min(Number(forced), count));
  const cores = availableParallelism();
  if (cores < 3 || count < MIN_FILES_FOR_WORKERS) return 0;
  return Math.min(cores - 1, 3, Math.floor(count / MIN_FILES_FOR_WORKERS));
}

/** Options for reading many files. */
export interface ReadOptions {
  readonly cwd: string;
  readonly keepBooks: boolean;
  /** The bundle to start worker threads from; without it everything is read on this thread. */
  readonly workerScript?: string;
  readonly onFile?: (file: string) => void;
}

/** The name shown for a file: relative to the working folder when inside it, else absolute. */
export function displayName(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : abs;
}

/** Reads every file, in order of `files` in the result, on this thread alone or with worker threads. */
export async function readSchoolFiles(files: readonly string[], defs: Needed, o: ReadOptions): Promise<FileRead[]> {
  const n = o.workerScript ? workerCount(files.length) : 0;
  const jobs = files.map((abs) => ({ abs, display: displayName(abs, o.cwd) }));
  if (n === 0) {
    const out: FileRead[] = [];
    for (const j of jobs) {
      if (out.length % BATCH === BATCH - 1) await new Promise((resolve) => setImmediate(resolve));
      out.push(readOneFile(j.abs, j.display, defs, o.keepBooks));
      o.onFile?.(j.display);
    }
    return out;
  }
  return readWithWorkers(jobs, defs, o, n);
}

interface WorkerInit {
  readonly huizongReader: true;
  readonly defs: Needed;
  readonly keepBooks: boolean;
}

type ToWorker = { readonly id: number; readonly abs: string; readonly display: string } | { readonly stop: true };
type FromWorker = { readonly id: number; readonly result: FileRead } | { readonly id: number; readonly failure: string };

async function readWithWorkers(jobs: readonly { abs: string; display: string }[], defs: Needed, o: ReadOptions, n: number): Promise<FileRead[]> {
  const results: (FileRead | undefined)[] = new Array(jobs.length);
  let next = 0;
  const init: WorkerInit = { huizongReader: true, defs: { layout: defs.layout, indicators: defs.indicators, rates: defs.rates }, keepBooks: o.keepBooks };
  const runWorker = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = new Worker(o.workerScript!, { workerData: init, stdout: false, stderr: false });
      let current = -1;
      let inFlight = 0;
      const feed = (): void => {
        if (next >= jobs.length) {
          if (inFlight === 0) worker.postMessage({ stop: true } satisfies ToWorker);
          return;
        }
        current = next++;
        inFlight++;
        const j = jobs[current]!;
        worker.postMessage({ id: current, abs: j.abs, display: j.display } satisfies ToWorker);
      };
      worker.on('message', (m: FromWorker) => {
        inFlight--;
        const j = jobs[m.id]!;
        results[m.id] =
          'result' in m
            ? m.result
            : { path: j.abs, file: j.display, ...failedBook(j.display, [{ code: 'file.unreadable', severity: 'error', file: j.display, params: { file: j.display, reason: m.failure } }]) };
        o.onFile?.(j.display);
        feed();
      });
      worker.on('error', reject);
      worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`reader thread stopped with code ${code} at ${jobs[current]?.display ?? '?'}`))));
      // Two files in flight per worker, so a worker never waits for the next message.
      feed();
      feed();
    });
  const pool = Promise.all(Array.from({ length: n }, runWorker));
  // Marked handled now, so that a failing worker does not count as unhandled while this thread reads; awaited below.
  pool.catch(() => undefined);
  // This thread reads too, one file between turns of the event loop that take in the workers' results:
  // on two cores one worker and this thread keep both busy, and this thread starts at once.
  while (next < jobs.length) {
    const k = next++;
    const j = jobs[k]!;
    results[k] = readOneFile(j.abs, j.display, defs, o.keepBooks);
    o.onFile?.(j.display);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await pool;
  // Anything a crashed worker left unread is read here.
  for (let i = 0; i < jobs.length; i++) {
    if (results[i] === undefined) results[i] = readOneFile(jobs[i]!.abs, jobs[i]!.display, defs, o.keepBooks);
  }
  return results as FileRead[];
}

/** The body of a reader thread: reads the files it is sent until told to stop. */
export function workerMain(): void {
  const init = workerData as WorkerInit | undefined;
  if (!parentPort || !init?.huizongReader) return;
  const port = parentPort;
  port.on('message', (m: ToWorker) => {
    if ('stop' in m) {
      port.close();
      return;
    }
    try {
      port.postMessage({ id: m.id, result: readOneFile(m.abs, m.display, init.defs, init.keepBooks) } satisfies FromWorker);
    } catch (e) {
      port.postMessage({ id: m.id, failure: e instanceof Error ? e.message : String(e) } satisfies FromWorker);
    }
  });
}
