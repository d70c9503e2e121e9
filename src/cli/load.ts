/**
 * Loading what a command needs besides the school files: definitions (.xlsx with the definition
 * sheets, or .json, or the built-in preset), a roster (.xlsx, .csv or .json) and the previous period
 * (a district workbook written by huizong, or its --json output). Everything goes through the core's
 * own readers; problems come back as issues or an I/O failure, never as throws.
 */
import path from 'node:path';
import type { SheetGrid } from '../core/grid';
import { definitionsFromJson, readDefinitions } from '../core/definitions';
import { builtinPreset } from '../core/preset';
import type { Definitions, Issue } from '../core/types';
import { readPrevious, withRoster, type PreviousInputs, type PreviousValues, type RosterSource } from '../job';
import { readFileBytes } from './files';
import { inlineReader, type BookReader } from './read';

/** A file could not be used at all (missing, unreadable, not a format we read). */
export interface LoadFailure {
  readonly file: string;
  readonly reason: string;
  /** For `same_period`: the period the file states. */
  readonly period?: string;
}

/** Definitions as loaded, with any issues found in them. */
export type LoadedDefinitions = { readonly definitions: Definitions; readonly issues: readonly Issue[] } | { readonly failure: LoadFailure; readonly issues: readonly Issue[] };

const decoder = new TextDecoder('utf-8');

async function readText(file: string): Promise<{ text: string } | { failure: LoadFailure }> {
  const got = await readFileBytes(file);
  if ('error' in got) return { failure: { file, reason: got.error } };
  return { text: decoder.decode(got.bytes).replace(/^\uFEFF/, '') };
}

/** The system's error code behind an issue of a file that could not be opened (not one that was opened and found bad). */
function ioReason(issue: Issue): string | undefined {
  if (issue.code === 'file.too_large' && issue.params.what === 'bytes') return 'too_large';
  if (issue.code !== 'file.unreadable') return undefined;
  const why = issue.params.why;
  if (why === undefined) return typeof issue.params.reason === 'string' ? issue.params.reason : undefined;
  return IO_CODES[String(why)];
}

const IO_CODES: Readonly<Record<string, string>> = { missing: 'ENOENT', no_read_permission: 'EACCES', folder: 'EISDIR', link_loop: 'ELOOP', not_a_file: 'not_a_file' };

/** The sheets of a workbook file, parsed by `reader` (in a reader process, for the command). */
async function readSheets(file: string, reader: BookReader): Promise<{ sheets: readonly SheetGrid[]; issues: readonly Issue[] } | { failure: LoadFailure; issues: readonly Issue[] }> {
  const { book, issues } = await reader.book(file, path.basename(file));
  if (!book) {
    // A file that could not be opened at all is said once, as the reason the load failed.
    const io = issues.length === 1 ? ioReason(issues[0]!) : undefined;
    return { failure: { file, reason: io ?? 'unreadable' }, issues: io !== undefined ? [] : issues };
  }
  return { sheets: book.sheets, issues };
}

function parseJson(text: string, file: string): { json: unknown } | { failure: LoadFailure } {
  try {
    return { json: JSON.parse(text) as unknown };
  } catch (e) {
    return { failure: { file, reason: `JSON: ${e instanceof Error ? e.message : String(e)}` } };
  }
}

/** Definitions from a file, or the built-in preset when `file` is undefined. */
export async function loadDefinitions(file: string | undefined, reader: BookReader = inlineReader): Promise<LoadedDefinitions> {
  if (file === undefined) return { definitions: builtinPreset(), issues: [] };
  if (file.toLowerCase().endsWith('.json')) {
    const t = await readText(file);
    if ('failure' in t) return { failure: t.failure, issues: [] };
    const p = parseJson(t.text, file);
    if ('failure' in p) return { failure: p.failure, issues: [] };
    const r = definitionsFromJson(p.json);
    return r.definitions ? { definitions: r.definitions, issues: r.issues } : { failure: { file, reason: 'definitions' }, issues: r.issues };
  }
  const s = await readSheets(file, reader);
  if ('failure' in s) return s;
  const r = readDefinitions(s.sheets);
  return r.definitions ? { definitions: r.definitions, issues: r.issues } : { failure: { file, reason: 'definitions' }, issues: r.issues };
}

/** Replaces the definitions' roster with the one in `file` (.xlsx/.xls/.csv sheet, or JSON: an array of schools or `{ roster: [...] }`). */
export async function loadRoster(defs: Definitions, file: string, reader: BookReader = inlineReader): Promise<LoadedDefinitions> {
  let source: RosterSource;
  if (file.toLowerCase().endsWith('.json')) {
    const t = await readText(file);
    if ('failure' in t) return { failure: t.failure, issues: [] };
    const p = parseJson(t.text, file);
    if ('failure' in p) return { failure: p.failure, issues: [] };
    source = { kind: 'json', json: p.json, name: path.basename(file) };
  } else {
    const s = await readSheets(file, reader);
    if ('failure' in s) return s;
    source = { kind: 'sheets', sheets: s.sheets, name: path.basename(file) };
  }
  const r = withRoster(defs, source);
  return r.definitions ? { definitions: r.definitions, issues: r.issues } : { failure: { file, reason: 'roster' }, issues: r.issues };
}

/** Values of an earlier period: a district workbook written by huizong (its summary sheet) or a `--json` output; refused when it is this period's. */
export async function loadPrevious(defs: Definitions, file: string, reader: BookReader = inlineReader): Promise<{ previous: PreviousValues } | { failure: LoadFailure }> {
  let source: PreviousInputs;
  if (file.toLowerCase().endsWith('.json')) {
    const t = await readText(file);
    if ('failure' in t) return t;
    const p = parseJson(t.text, file);
    if ('failure' in p) return p;
    source = { kind: 'json', json: p.json };
  } else {
    const s = await readSheets(file, reader);
    if ('failure' in s) return { failure: s.failure };
    source = { kind: 'sheets', sheets: s.sheets };
  }
  const r = readPrevious(source, defs);
  if (r.samePeriod) return { failure: { file, reason: 'same_period', ...(r.period !== undefined ? { period: r.period } : {}) } };
  return r.values === null ? { failure: { file, reason: 'previous' } } : { previous: r.values };
}
