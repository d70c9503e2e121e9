/** Sizes the job's defaults turn on; a module of its own so the pane's first bundle can show them without the planners. */

/**
 * Copies of school sheets are written by default up to this many: a workbook of a few hundred
 * sheets still opens and can be paged through; one of thousands cannot.
 */
export const COPIES_DEFAULT_LIMIT = 300;
