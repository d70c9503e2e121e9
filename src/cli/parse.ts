/**
 * What a reader process does with one file: its bytes become a workbook grid (SheetJS loaded only for a
 * file that needs it) and, for a school file, its submissions. This module and what it imports are all
 * a reader process loads (dist/cli/reader.cjs): none of the command's planning, writing or messages.
 */
import { createRequire } from 'node:module';
import { crc32, inflateRawSync } from 'node:zlib';
import type { WorkbookGrid } from '../core/grid';
import type { Issue, UnreadableWhy } from '../core/types';
import { failedBook, readBook as readSubmissionsOf, type BookRead, type ReadDefinitions } from '../job/read';
import { readWorkbookFileSync, type ReadFileResult } from '../xlsx/file';
import type { Inflate } from '../xlsx/unzip';
import type { SheetJSModule } from '../xlsx/legacy';
import { MAX_INPUT_BYTES, readFileBytesSync } from './files';
import { childMain } from './pool';

// Node's native inflate: several times faster than fflate's on the parts of a school file. It stops
// at `max` bytes, so an entry larger than its directory says is refused, never inflated whole.
const inflate: Inflate = (data, max) => {
  const out = inflateRawSync(data, { maxOutputLength: Math.max(1, max) });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
};

let sheetjs: SheetJSModule | undefined;

/** SheetJS, loaded from node_modules the first time a file needs it (an .xls, .et, .ods…): most runs never pay for it. */
function loadSheetJS(): SheetJSModule {
  sheetjs ??= createRequire(import.meta.url)('@e965/xlsx') as SheetJSModule;
  return sheetjs;
}

/** Reads a school or definitions file (.xlsx, .csv, and by SheetJS .xls, .et, .ods, .xlsb, web-page exports) by its name; never throws for bad data. */
export function readBook(bytes: Uint8Array, name: string): ReadFileResult {
  return readWorkbookFileSync(bytes, name, { inflate, crc32: (b) => crc32(b), sheetjs: loadSheetJS });
}

/** What reading one school file gave: the job's read of its book, and where it is. */
export interface FileRead extends BookRead {
  /** Absolute path. */
  readonly path: string;
  /** The name used in issues and output (relative to the working folder); the book's source. */
  readonly file: string;
  /** The workbook itself, when kept for copying its sheets into the output. */
  readonly book?: WorkbookGrid;
}

/** Why a file could not be read, as the issue for that file: the clerk's words for the system's error code. */
export function readFailure(display: string, error: string): Issue {
  if (error === 'too_large') return { code: 'file.too_large', severity: 'error', file: display, params: { file: display, what: 'bytes', limit: MAX_INPUT_BYTES / 1024 / 1024 } };
  // A name the system listed but cannot open again: bytes that are not UTF-8 (a Windows zip unpacked elsewhere).
  const why: UnreadableWhy | undefined = error === 'ENOENT' && display.includes('\uFFFD') ? 'name_encoding' : READ_WHY[error];
  return { code: 'file.unreadable', severity: 'error', file: display, params: { file: display, ...(why !== undefined ? { why } : { reason: error }) } };
}

const READ_WHY: Readonly<Record<string, UnreadableWhy>> = {
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
  const { book, issues } = readBook(got.bytes, display);
  return { book: book === null ? null : { ...book, source: display }, issues };
}

/** Reads one file: bytes, workbook, submissions (the job's `readBook`). Never throws for bad data. */
export function readOneFile(abs: string, display: string, defs: ReadDefinitions, keepBook: boolean): FileRead {
  const { book, issues } = loadFileBook(abs, display);
  if (!book) return { path: abs, file: display, ...failedBook(display, issues) };
  const read = readSubmissionsOf(book, defs);
  return { path: abs, file: display, ...(keepBook ? { book } : {}), ...read, issues: issues.length === 0 ? read.issues : [...issues, ...read.issues] };
}

/** What parsing one file gave: its workbook, or the issues that say why there is none. */
export type LoadedBook = ReturnType<typeof loadFileBook>;

/** The argument that starts this bundle as a reader process. */
export const READER_ARG = '--huizong-reader';

/** A file for a reader process: a workbook alone, or a school file read through to its submissions. */
export type ReaderTask = { readonly kind: 'book'; readonly abs: string; readonly display: string } | { readonly kind: 'school'; readonly abs: string; readonly display: string; readonly keepBook: boolean };
/** A reader process's answer to a {@link ReaderTask}. */
export type ReaderResult = LoadedBook | FileRead;

/** The body of a reader process: reads the files it is sent until its parent goes away. */
export function readerMain(): void {
  childMain<ReaderTask, ReaderResult, ReadDefinitions>((task, defs) => {
    if (task.kind === 'book') return loadFileBook(task.abs, task.display);
    if (defs === undefined) throw new Error('no definitions');
    return readOneFile(task.abs, task.display, defs, task.keepBook);
  });
}
