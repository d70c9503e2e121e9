/** One school workbook's grids to its submissions: the first step of every job, one book at a time so a face can stream. */
import type { WorkbookGrid } from '../core/grid';
import { readSubmissions } from '../core/layout';
import type { Definitions, Issue, Submission } from '../core/types';
import { contentFingerprint, readStamp, type SelfCheckStamp } from './selfCheck';
import { withoutStamp } from './stampSheet';

/** What one school workbook gave: its submissions, the issues met reading it, and where each submission's rate cells are. */
export interface BookRead {
  /** The book's source (the file name), copied onto submissions and issues that have none. */
  readonly source?: string;
  readonly submissions: readonly Submission[];
  readonly issues: readonly Issue[];
  /** Rate cells located on each submission, by index into `submissions`. */
  readonly rateCells: Readonly<Record<number, Readonly<Record<string, string>>>>;
  /** The book's self-check record, with the fingerprint of its content as read now; absent when it has none. */
  readonly stamp?: { readonly record: SelfCheckStamp; readonly content: string };
}

/** The parts of the definitions reading needs (what a reader thread is sent). */
export type ReadDefinitions = Pick<Definitions, 'layout' | 'indicators' | 'rates'>;

/** Reads the submissions of one book; submissions and issues carry the book's source as their file. The self-check record's sheet is set aside. */
export function readBook(book: WorkbookGrid, defs: ReadDefinitions): BookRead {
  const read = readSubmissions(withoutStamp(book), defs.layout, defs.indicators, defs.rates);
  // The host's own issues (a sheet it would not read) come first, as the reader's would.
  const issues = book.issues !== undefined && book.issues.length > 0 ? [...book.issues, ...read.issues] : read.issues;
  const source = book.source;
  const record = readStamp(book);
  const stamp = record === null ? {} : { stamp: { record, content: contentFingerprint(book) } };
  if (source === undefined) return { submissions: read.submissions, issues, rateCells: read.rateCells, ...stamp };
  return { source, submissions: withFile(read.submissions, source), issues: withFile(issues, source), rateCells: read.rateCells, ...stamp };
}

/** The items with `file` set where it is missing; the same array when none is (the reader sets it from the book's source). */
function withFile<T extends { readonly file?: string }>(items: readonly T[], source: string): readonly T[] {
  return items.every((x) => x.file !== undefined) ? items : items.map((x) => (x.file === undefined ? { ...x, file: source } : x));
}

/** A book that could not be read at all: no submissions, only the issues that say why. */
export function failedBook(source: string, issues: readonly Issue[]): BookRead {
  return { source, submissions: [], issues: withFile(issues, source), rateCells: {} };
}
