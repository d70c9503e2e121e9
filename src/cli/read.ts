/**
 * Reading school files: each file's bytes become a workbook grid and its submissions. Every file is
 * parsed in a reader process (`parse.ts`, its own small bundle in the command), with a capped heap and
 * a time limit (see {@link ChildPool}): a file that crashes the parser, loops or grows without end
 * becomes one issue for that file, and the others go on.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { getHeapStatistics } from 'node:v8';
import type { WorkbookGrid } from '../core/grid';
import type { Issue } from '../core/types';
import { failedBook, readTimeLimitMs, type CopyPlan, type ReadDefinitions } from '../job';
import type { SheetCopy } from './io';
import { loadFileBook, READER_ARG, readOneFile, type FileRead, type LoadedBook, type ReaderResult, type ReaderTask } from './parse';
import { ChildPool, type PoolFailure, type PoolOutcome } from './pool';

export { loadFileBook, readerMain, READER_ARG, readFailure, readOneFile, type FileRead, type LoadedBook } from './parse';

type Needed = ReadDefinitions;

/**
 * A loader of school sheets to copy, each with its grid: from the book kept while reading, or read
 * again from its file (by `reader`, in a reader process) when the books were not kept. The index of
 * files is built once; with `cache`, a file read again is kept for the next sheet of it (one output),
 * without it each is dropped once used (one return package at a time, memory flat).
 */
export function copyLoader(reads: readonly FileRead[], cache: boolean, reader: BookReader = inlineReader): (plans: readonly CopyPlan[]) => Promise<SheetCopy[]> {
  const books = new Map(reads.map((r) => [r.file, r]));
  const again = new Map<string, WorkbookGrid | null>();
  return async (plans) => {
    const out: SheetCopy[] = [];
    for (const c of plans) {
      const read = c.file === undefined ? undefined : books.get(c.file);
      if (read === undefined) continue;
      let book = read.book ?? again.get(read.file);
      if (book === undefined) {
        book = (await reader.book(read.path, read.file)).book;
        if (cache) again.set(read.file, book);
      }
      const grid = book?.sheets.find((g) => g.name === c.sheet);
      if (grid !== undefined) out.push({ grid, name: c.name, updates: c.updates, marks: c.marks, ...(c.print !== undefined ? { print: c.print } : {}) });
    }
    return out;
  };
}

/** The school sheets to copy into one output, each with its grid (see {@link copyLoader}). */
export function copiesWithGrids(plans: readonly CopyPlan[], reads: readonly FileRead[], reader: BookReader = inlineReader): Promise<SheetCopy[]> {
  return copyLoader(reads, true, reader)(plans);
}

/** Reads files into workbooks and school reads: in reader processes (the command), or on this thread (tests). */
export interface BookReader {
  /** The workbook in one file (definitions, roster, previous period, a school sheet to copy). */
  book(abs: string, display: string): Promise<LoadedBook>;
  /** One school file read through to its submissions. */
  school(abs: string, display: string, defs: Needed, keepBook: boolean): Promise<FileRead>;
  /** Starts a reader process now, before any file is asked for, so that its start-up overlaps other work. */
  warm(): void;
  /** Stops the reader's processes, if any. */
  close(): void;
}

/** Reads on this thread: for tests and benches that measure the reader itself, never for the command. */
export const inlineReader: BookReader = {
  book: async (abs, display) => loadFileBook(abs, display),
  school: async (abs, display, defs, keepBook) => readOneFile(abs, display, defs, keepBook),
  warm: () => undefined,
  close: () => undefined,
};

/** The heap cap of a reader process, in MB: never more than this process's own. */
export const READER_HEAP_MB = 512;

/** The time limit for reading the file at `abs`, by its size (the job's `readTimeLimitMs`, as in the pane). */
function timeLimit(abs: string): number {
  return readTimeLimitMs(statSync(abs, { throwIfNoEntry: false })?.size ?? 0);
}

/**
 * How many reader processes read `count` files; `HUIZONG_WORKERS` overrides (at least one: every file
 * is read in a reader process). One per core beside this process's own, at most three: measured on two
 * cores (480 school files, and again with 1,000), a second reader process made reading slower, not
 * faster, as the two and this process then share two cores and each warms its own compiled code.
 */
export function workerCount(count: number): number {
  const forced = process.env.HUIZONG_WORKERS;
  const cap = forced !== undefined && forced !== '' && Number.isInteger(Number(forced)) ? Math.max(1, Number(forced)) : Math.min(availableParallelism() - 1, 3);
  return Math.max(1, Math.min(cap, count));
}

/** The issue for a file whose reader process gave no answer: the clerk's words for what happened. */
export function readerFailure(display: string, failed: PoolFailure): Issue {
  const why = failed === 'timeout' ? 'timeout' : failed === 'memory' ? 'memory' : 'crashed';
  return { code: 'file.unreadable', severity: 'error', file: display, params: { file: display, why } };
}

/** A reader whose every file is parsed in one of `size` reader processes started from `script`. */
export function processReader(script: string, size: number): BookReader {
  const ownHeap = Math.floor(getHeapStatistics().heap_size_limit / 1024 / 1024);
  const pool = new ChildPool<ReaderTask, ReaderResult, Needed>({ script, args: [READER_ARG], size, heapMb: Math.max(64, Math.min(READER_HEAP_MB, ownHeap)) });
  let context: Needed | undefined;
  const failedWith = <X>(o: PoolOutcome<ReaderResult>, display: string, whenFailed: (issue: Issue) => X): X | ReaderResult => ('ok' in o ? o.ok : whenFailed(readerFailure(display, o.failed)));
  return {
    async book(abs, display) {
      const o = await pool.run({ kind: 'book', abs, display }, timeLimit(abs));
      return failedWith(o, display, (issue) => ({ book: null, issues: [issue] })) as LoadedBook;
    },
    async school(abs, display, defs, keepBook) {
      if (context !== defs) {
        context = defs;
        pool.setContext({ layout: defs.layout, indicators: defs.indicators, rates: defs.rates });
      }
      const o = await pool.run({ kind: 'school', abs, display, keepBook }, timeLimit(abs));
      return failedWith(o, display, (issue) => ({ path: abs, file: display, ...failedBook(display, [issue]) })) as FileRead;
    },
    warm: () => pool.warm(),
    close: () => pool.close(),
  };
}

/** Options for reading many files. */
export interface ReadOptions {
  readonly cwd: string;
  readonly keepBooks: boolean;
  /** The reader; without it, one of reader processes started from `workerScript`, closed when done. */
  readonly reader?: BookReader;
  /** The bundle to start reader processes from; without it and without `reader` everything is read on this thread. */
  readonly workerScript?: string;
  readonly onFile?: (file: string) => void;
}

/** The name shown for a file: relative to the working folder when inside it, else absolute. */
export function displayName(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : abs;
}

/** Reads every file, in order of `files` in the result. */
export async function readSchoolFiles(files: readonly string[], defs: Needed, o: ReadOptions): Promise<FileRead[]> {
  const own = o.reader === undefined && o.workerScript !== undefined ? processReader(o.workerScript, workerCount(files.length)) : undefined;
  const reader = o.reader ?? own ?? inlineReader;
  try {
    return await Promise.all(
      files.map(async (abs) => {
        const display = displayName(abs, o.cwd);
        const read = await reader.school(abs, display, defs, o.keepBooks);
        o.onFile?.(display);
        return read;
      }),
    );
  } finally {
    own?.close();
  }
}
