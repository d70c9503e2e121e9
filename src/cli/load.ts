/**
 * Loading what a command needs besides the school files: definitions (.xlsx with the definition
 * sheets, or .json, or the built-in preset), a roster (.xlsx, .csv or .json) and the previous period
 * (a district workbook written by huizong, or its --json output). Everything goes through the core's
 * own readers; problems come back as issues or an I/O failure, never as throws.
 */
import path from 'node:path';
import type { SheetGrid } from '../core/grid';
import { DEFINITION_SHEETS, definitionsFromJson, definitionsToJson, definitionsToSheets, readDefinitions } from '../core/definitions';
import { builtinPreset } from '../core/preset';
import type { Definitions, Issue } from '../core/types';
import { SHEET_NAMES, SUMMARY_HEADER_ROW, withUnit } from '../workbook';
import { readFileBytes } from './files';
import { readBook } from './io';

/** A file could not be used at all (missing, unreadable, not a format we read). */
export interface LoadFailure {
  readonly file: string;
  readonly reason: string;
}

/** Definitions as loaded, with any issues found in them. */
export type LoadedDefinitions = { readonly definitions: Definitions; readonly issues: readonly Issue[] } | { readonly failure: LoadFailure; readonly issues: readonly Issue[] };

const decoder = new TextDecoder('utf-8');

async function readText(file: string): Promise<{ text: string } | { failure: LoadFailure }> {
  const got = await readFileBytes(file);
  if ('error' in got) return { failure: { file, reason: got.error } };
  return { text: decoder.decode(got.bytes).replace(/^\uFEFF/, '') };
}

async function readSheets(file: string): Promise<{ sheets: readonly SheetGrid[]; issues: readonly Issue[] } | { failure: LoadFailure; issues: readonly Issue[] }> {
  const got = await readFileBytes(file);
  if ('error' in got) return { failure: { file, reason: got.error }, issues: [] };
  const { book, issues } = await readBook(got.bytes, path.basename(file));
  if (!book) return { failure: { file, reason: 'unreadable' }, issues };
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
export async function loadDefinitions(file: string | undefined): Promise<LoadedDefinitions> {
  if (file === undefined) return { definitions: builtinPreset(), issues: [] };
  if (file.toLowerCase().endsWith('.json')) {
    const t = await readText(file);
    if ('failure' in t) return { failure: t.failure, issues: [] };
    const p = parseJson(t.text, file);
    if ('failure' in p) return { failure: p.failure, issues: [] };
    const r = definitionsFromJson(p.json);
    return r.definitions ? { definitions: r.definitions, issues: r.issues } : { failure: { file, reason: 'definitions' }, issues: r.issues };
  }
  const s = await readSheets(file);
  if ('failure' in s) return s;
  const r = readDefinitions(s.sheets);
  return r.definitions ? { definitions: r.definitions, issues: r.issues } : { failure: { file, reason: 'definitions' }, issues: r.issues };
}

const ROSTER_NAMES = new Set([DEFINITION_SHEETS.roster, '学校名册', '名册', 'roster', 'schools', 'school roster'].map((n) => n.toLowerCase()));

/** Replaces the definitions' roster with the one in `file` (.xlsx/.xls/.csv sheet, or JSON: an array of schools or `{ roster: [...] }`). */
export async function loadRoster(defs: Definitions, file: string): Promise<LoadedDefinitions> {
  if (file.toLowerCase().endsWith('.json')) {
    const t = await readText(file);
    if ('failure' in t) return { failure: t.failure, issues: [] };
    const p = parseJson(t.text, file);
    if ('failure' in p) return { failure: p.failure, issues: [] };
    const roster = Array.isArray(p.json) ? p.json : (p.json as { roster?: unknown } | null)?.roster;
    if (!Array.isArray(roster)) return { failure: { file, reason: 'roster' }, issues: [] };
    const base = definitionsToJson(defs) as Record<string, unknown>;
    const r = definitionsFromJson({ ...base, roster });
    return r.definitions ? { definitions: r.definitions, issues: r.issues } : { failure: { file, reason: 'roster' }, issues: r.issues };
  }
  const s = await readSheets(file);
  if ('failure' in s) return s;
  const sheet = s.sheets.find((g) => ROSTER_NAMES.has(g.name.trim().toLowerCase())) ?? s.sheets[0];
  if (!sheet) return { failure: { file, reason: 'roster' }, issues: s.issues };
  // The roster sheet joins the definitions' own sheets so the core's reader parses it like any other.
  const own = definitionsToSheets({ ...defs, roster: [] }, 'zh-CN').filter((g) => g.name !== DEFINITION_SHEETS.roster);
  const r = readDefinitions([...own, { ...sheet, name: DEFINITION_SHEETS.roster }]);
  return r.definitions ? { definitions: r.definitions, issues: r.issues } : { failure: { file, reason: 'roster' }, issues: r.issues };
}

/** Previous-period values by school code and indicator code. */
export type PreviousValues = Record<string, Record<string, number | null>>;

/** Values of an earlier period: a district workbook written by huizong (its summary sheet) or a `--json` output. */
export async function loadPrevious(defs: Definitions, file: string): Promise<{ previous: PreviousValues } | { failure: LoadFailure }> {
  if (file.toLowerCase().endsWith('.json')) {
    const t = await readText(file);
    if ('failure' in t) return t;
    const p = parseJson(t.text, file);
    if ('failure' in p) return p;
    const schools = (p.json as { schools?: unknown } | null)?.schools;
    if (!Array.isArray(schools)) return { failure: { file, reason: 'previous' } };
    const out: PreviousValues = {};
    for (const s of schools as { code?: unknown; values?: Record<string, unknown>; included?: unknown }[]) {
      if (typeof s.code !== 'string' || typeof s.values !== 'object' || s.values === null || s.included === false) continue;
      const values: Record<string, number | null> = {};
      for (const [k, v] of Object.entries(s.values)) values[k] = typeof v === 'number' ? v : null;
      out[s.code] = values;
    }
    return { previous: out };
  }
  const s = await readSheets(file);
  if ('failure' in s) return { failure: s.failure };
  const summary = s.sheets.find((g) => g.name === SHEET_NAMES['zh-CN'].summary || g.name === SHEET_NAMES['en-US'].summary);
  if (!summary) return { failure: { file, reason: 'previous' } };
  return { previous: previousFromSummary(summary, defs) };
}

/** Reads a summary sheet written by huizong back into school values: columns are found by their headers (indicator labels with units). */
export function previousFromSummary(sheet: SheetGrid, defs: Definitions): PreviousValues {
  const header = sheet.values[SUMMARY_HEADER_ROW] ?? [];
  const byHeader = new Map<string, string>();
  for (const ind of defs.indicators) {
    const unit = ind.type === 'percent' ? (ind.unit ?? '%') : ind.unit;
    byHeader.set(withUnit(ind.label.zh, unit, 'zh-CN'), ind.code);
    byHeader.set(withUnit(ind.label.en, unit, 'en-US'), ind.code);
  }
  const columns: { col: number; code: string }[] = [];
  header.forEach((h, col) => {
    const code = typeof h === 'string' ? byHeader.get(h) : undefined;
    if (code) columns.push({ col, code });
  });
  const out: PreviousValues = {};
  for (let r = SUMMARY_HEADER_ROW + 1; r < sheet.values.length; r++) {
    const row = sheet.values[r] ?? [];
    const code = row[0];
    // School rows end at the blank row before the subtotals.
    if (code === null || code === undefined || code === '') break;
    const values: Record<string, number | null> = {};
    for (const { col, code: ind } of columns) {
      const v = row[col];
      values[ind] = typeof v === 'number' ? v : null;
    }
    out[String(code)] = values;
  }
  return out;
}
