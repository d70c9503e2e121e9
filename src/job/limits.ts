/** Sizes the job's defaults turn on; a module of its own so the pane's first bundle can show them without the planners. */

/**
 * Copies of school sheets are written by default up to this many: a workbook of a few hundred
 * sheets still opens and can be paged through; one of thousands cannot.
 */
export const COPIES_DEFAULT_LIMIT = 300;

/** The largest school, definitions or roster file read: far beyond any real one, well within memory. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/**
 * The time one file may take to be parsed, in milliseconds, by its size in bytes: a base and more for
 * a larger file. A school file takes a few milliseconds; a file still being read after this long is
 * damaged or hostile, and its reader (a reader process, the pane's worker) is stopped.
 */
export function readTimeLimitMs(bytes: number): number {
  return 5_000 + Math.ceil((bytes / 1024 / 1024) * 1_000);
}
