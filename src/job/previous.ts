/**
 * Last period's values, for the period-change checks: read from a district workbook Huizong wrote
 * (its summary sheet, in either language) or from the command's `--json` output. Pure over grids
 * and parsed JSON, so the command, the standalone page and the Excel pane read them the same way.
 */
import type { SheetGrid } from '../core/grid';
import type { Definitions } from '../core/types';
import { SHEET_NAMES, SUMMARY_HEADER_ROW, withUnit } from '../workbook';

/** Previous-period values by school code and indicator code. */
export type PreviousValues = Readonly<Record<string, Readonly<Record<string, number | null>>>>;

/** The summary sheet among `sheets` (by its name in either language), if any. */
export function findSummarySheet(sheets: readonly SheetGrid[]): SheetGrid | undefined {
  const names = new Set([SHEET_NAMES['zh-CN'].summary, SHEET_NAMES['en-US'].summary].map((n) => n.toLowerCase()));
  return sheets.find((g) => names.has(g.name.trim().toLowerCase()));
}

/** Reads a summary sheet written by Huizong back into school values: columns are found by their headers (indicator labels with units). */
export function previousFromSummary(sheet: SheetGrid, defs: Pick<Definitions, 'indicators'>): PreviousValues {
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
  const out = new Map<string, Record<string, number | null>>();
  for (let r = SUMMARY_HEADER_ROW + 1; r < sheet.values.length; r++) {
    const row = sheet.values[r] ?? [];
    const code = row[0];
    // School rows end at the blank row before the subtotals.
    if (code === null || code === undefined || code === '') break;
    const values: Record<string, number | null> = Object.create(null) as Record<string, number | null>;
    for (const { col, code: ind } of columns) {
      const v = row[col];
      values[ind] = typeof v === 'number' ? v : null;
    }
    out.set(String(code), values);
  }
  return Object.fromEntries(out);
}

/** Previous values from the command's `--json` output (its `schools`), or null when it is not such an output. */
export function previousFromJson(json: unknown): PreviousValues | null {
  const schools = (json as { schools?: unknown } | null)?.schools;
  if (!Array.isArray(schools)) return null;
  const out = new Map<string, Record<string, number | null>>();
  for (const s of schools as { code?: unknown; values?: unknown; included?: unknown }[]) {
    if (s === null || typeof s !== 'object') continue;
    if (typeof s.code !== 'string' || typeof s.values !== 'object' || s.values === null || s.included === false) continue;
    const values: Record<string, number | null> = Object.create(null) as Record<string, number | null>;
    for (const [k, v] of Object.entries(s.values)) values[k] = typeof v === 'number' ? v : null;
    out.set(s.code, values);
  }
  return Object.fromEntries(out);
}

/** The period a summary states in its note row (`填报期：2026年秋季学期`, `Period: …`), if it states one. */
export function summaryPeriod(sheet: SheetGrid): string | undefined {
  for (let r = 0; r < Math.min(SUMMARY_HEADER_ROW, sheet.values.length); r++) {
    for (const v of sheet.values[r] ?? []) {
      if (typeof v !== 'string') continue;
      const m = /(?:填报期|Period)\s*[：:]\s*([^\u3000·]+?)\s*(?:\u3000|·|$)/.exec(v);
      if (m !== null) return m[1]!.trim();
    }
  }
  return undefined;
}

/** Whether two periods are one once width, spaces and punctuation are set aside; false when either is unknown. */
export function isSamePeriod(a: string | undefined, b: string | undefined): boolean {
  const norm = (s: string): string => s.normalize('NFKC').replace(/[\s\p{P}]/gu, '');
  return a !== undefined && b !== undefined && norm(a) !== '' && norm(a) === norm(b);
}

/** Where last period's values are read from: a workbook's sheets (its summary, or the one sheet named) or the command's JSON. */
export type PreviousSource = { readonly kind: 'json'; readonly json: unknown } | { readonly kind: 'sheets'; readonly sheets: readonly SheetGrid[]; readonly sheet?: string };

/**
 * Last period's values from a source and the period it states. A source that states this very period
 * is this period's summary, not last period's: it is refused (`samePeriod`), with no values, so that
 * nothing is compared with itself.
 */
export function readPrevious(source: PreviousSource, defs: Pick<Definitions, 'indicators' | 'period'>): { readonly values: PreviousValues | null; readonly period?: string; readonly samePeriod: boolean } {
  let values: PreviousValues | null;
  let period: string | undefined;
  if (source.kind === 'json') {
    values = previousFromJson(source.json);
    const p = (source.json as { period?: unknown } | null)?.period;
    period = typeof p === 'string' ? p : undefined;
  } else {
    const sheet = source.sheets.length === 1 && source.sheet !== undefined ? source.sheets[0] : findSummarySheet(source.sheets);
    values = sheet === undefined ? null : previousFromSummary(sheet, defs);
    period = sheet === undefined ? undefined : summaryPeriod(sheet);
  }
  const samePeriod = values !== null && isSamePeriod(period, defs.period);
  return { values: samePeriod ? null : values, ...(period !== undefined ? { period } : {}), samePeriod };
}

/** Previous values from a workbook's sheets, or null when none of them is a Huizong summary. */
export function previousFromSheets(sheets: readonly SheetGrid[], defs: Pick<Definitions, 'indicators'>): PreviousValues | null {
  const summary = findSummarySheet(sheets);
  return summary === undefined ? null : previousFromSummary(summary, defs);
}
