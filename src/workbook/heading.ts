/**
 * The title block every sheet Huizong writes starts with, built in one place: the title
 * "‹地区›‹填报期›‹表名›" as national statistical forms carry it, the corner block (表号, 制表机关,
 * 批准文号, 有效期至) where the definitions give one, then the lines under the title (unit, period,
 * a note), one row each.
 */
import type { Consolidation, FormIdentity, Lang } from '../core/types';
import { wrappedHeight } from './page';
import type { PlannedRow } from './plan';

/** One merged range of a sheet (zero-based, inclusive). */
export interface Merge {
  readonly r0: number;
  readonly c0: number;
  readonly r1: number;
  readonly c1: number;
}

/** What a sheet's title block says. */
export interface HeadingSpec {
  readonly lang: Lang;
  /** The table's own name (表名), e.g. `学前教育汇总表`. */
  readonly name: string;
  readonly district?: string;
  readonly period?: string;
  /** The corner block, on a row of its own under the title; left out when the definitions give none. */
  readonly form?: FormIdentity;
  /** Lines under the title (unit line, who made it and when), each a note row. */
  readonly lines?: readonly string[];
  /** Columns the title spans: merged and centred over them when more than one. */
  readonly width?: number;
  /** Widths of those columns, so a corner block longer than the table wraps in a row tall enough. */
  readonly columnWidths?: readonly number[];
}

/** The printed title: `东湖县2026年秋季学期学前教育汇总表`, or `Donghu County · Autumn 2026 · Preschool summary`. */
export function headingTitle(lang: Lang, name: string, district?: string, period?: string): string {
  const parts = [district ?? '', period ?? '', name].map((s) => s.trim()).filter((s) => s !== '');
  return parts.join(lang === 'zh-CN' ? '' : ' · ');
}

/** The corner block's text, or null when the form names none of its parts. */
export function cornerText(form: FormIdentity | undefined, lang: Lang): string | null {
  if (form === undefined) return null;
  const zh = lang === 'zh-CN';
  const sep = zh ? '：' : ': ';
  const parts = [
    [zh ? '表号' : 'Form', form.number],
    [zh ? '制表机关' : 'Issued by', form.issuer],
    [zh ? '批准文号' : 'Approved', form.approval],
    [zh ? '有效期至' : 'Valid until', form.validUntil],
  ]
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}${sep}${v}`);
  return parts.length === 0 ? null : parts.join(zh ? '　' : '   ');
}

/** The title block: its rows (title, corner, lines) and the merges that centre the title and hold the corner. */
export function sheetHeading(spec: HeadingSpec): { rows: PlannedRow[]; merges: Merge[] } {
  const width = Math.max(1, spec.width ?? 1);
  const wide = width > 1;
  const rows: PlannedRow[] = [{ role: 'title', cells: [{ value: headingTitle(spec.lang, spec.name, spec.district, spec.period) }], ...(wide ? { align: 'center' as const, height: 24 } : {}) }];
  const merges: Merge[] = wide ? [{ r0: 0, c0: 0, r1: 0, c1: width - 1 }] : [];
  const corner = cornerText(spec.form, spec.lang);
  if (corner !== null) {
    const across = spec.columnWidths === undefined ? undefined : spec.columnWidths.reduce((a, b) => a + b, 0);
    rows.push({ role: 'note', cells: [{ value: corner }], ...(wide ? { align: 'right' as const } : {}), ...(across !== undefined ? { wrap: true, height: wrappedHeight([corner], [across]) } : {}) });
    if (wide) merges.push({ r0: rows.length - 1, c0: 0, r1: rows.length - 1, c1: width - 1 });
  }
  for (const line of spec.lines ?? []) {
    if (line === '') continue;
    rows.push({ role: 'note', cells: [{ value: line }] });
  }
  return { rows, merges };
}

/** The district and period of a consolidation, as a heading takes them. */
export function placeOf(c: Pick<Consolidation, 'districtName' | 'period'>): { district?: string; period?: string } {
  return { ...(c.districtName !== undefined ? { district: c.districtName } : {}), ...(c.period !== undefined ? { period: c.period } : {}) };
}

/** The text at the bottom left of every printed page: district, collection and period. */
export function footerOf(c: Pick<Consolidation, 'districtName' | 'period' | 'title'>, lang: Lang): string {
  return [c.districtName ?? '', c.title[lang === 'zh-CN' ? 'zh' : 'en'], c.period ?? ''].filter((x) => x !== '').join(' ');
}
