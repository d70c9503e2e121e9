/**
 * The completeness sheet (报送情况): how many schools were expected and submitted, which have
 * not, and which codes submitted without being on the roster — the list the clerk chases.
 */
import type { Consolidation, Lang } from '../core/types';
import { stageLabel, withUnit, words } from './labels';
import { SHEET_NAMES, TABLE_NAMES, uniqueHeaders } from './names';
import type { PlannedRow, SheetPlan } from './plan';
import { footerOf, placeOf, sheetHeading } from './heading';

/** Expected, submitted and the submission rate (in %), then the missing schools (a table) and the unknown codes. */
export function buildCompletenessPlan(c: Consolidation, lang: Lang): SheetPlan {
  const w = words(lang);
  const k = c.completeness;
  const heading = sheetHeading({ lang, name: `${c.title[lang === 'zh-CN' ? 'zh' : 'en']} — ${SHEET_NAMES[lang].completeness}`, ...placeOf(c) });
  const rows: PlannedRow[] = [
    ...heading.rows,
    { role: 'data', cells: [{ value: w.expected }, { value: k.expected }] },
    { role: 'data', cells: [{ value: w.submitted }, { value: k.submitted }] },
    { role: 'data', cells: [{ value: w.ratio }, { value: k.ratio === null ? null : k.ratio * 100 }] },
    { role: 'blank', cells: [] },
    { role: 'title', cells: [{ value: withUnit(w.missingSchools, String(k.missing.length), lang) }] },
  ];
  const cellFormats: [number, number, string][] = [
    [1, 1, '#,##0'],
    [2, 1, '#,##0'],
    [3, 1, '0.0'],
  ];

  let table: SheetPlan['table'];
  if (k.missing.length === 0) {
    rows.push({ role: 'note', cells: [{ value: w.noneMissing }] });
  } else {
    const header = uniqueHeaders([w.schoolCode, w.schoolName, w.stage, w.township]);
    const r0 = rows.length;
    rows.push({ role: 'header', cells: header.map((h) => ({ value: h })) });
    const missing = [...k.missing].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    for (const s of missing) {
      rows.push({
        role: 'data',
        cells: [{ value: s.code }, { value: s.name }, { value: stageLabel(s.stage, lang) || null }, { value: s.township ?? null }],
      });
    }
    table = { name: TABLE_NAMES.missing, r0, c0: 0, r1: rows.length - 1, c1: header.length - 1 };
  }

  rows.push({ role: 'blank', cells: [] });
  rows.push({ role: 'title', cells: [{ value: w.unknownCodes }] });
  if (k.unknown.length === 0) rows.push({ role: 'note', cells: [{ value: w.noneUnknown }] });
  for (const code of k.unknown) rows.push({ role: 'data', cells: [{ value: code }] });

  return {
    name: SHEET_NAMES[lang].completeness,
    rows,
    columns: [{ width: 18, numberFormat: '@' }, { width: 30, numberFormat: '@' }, { width: 14, numberFormat: '@' }, { width: 14, numberFormat: '@' }],
    cellFormats,
    ...(table ? { table } : {}),
    print: { landscape: false, fitToWidth: true, footer: footerOf(c, lang) },
  };
}
