/** Which sheets are Huizong's own, which are definitions, and which may be a school's. */
import { isDefinitionSheetName } from '../core/definitions';
import type { Lang } from '../core/types';
import { SHEET_NAMES } from '../workbook/names';

/** Sheets being built are named with this prefix until they are swapped in. */
export const TEMP_PREFIX = '~hz~';

const OWN = new Set<string>();
for (const lang of Object.keys(SHEET_NAMES) as Lang[]) for (const n of Object.values(SHEET_NAMES[lang])) OWN.add(n.toLowerCase());

/** True for a sheet Huizong writes (summary, report, completeness, 均衡, template, chart, or one being built). */
export function isHuizongSheet(name: string): boolean {
  return OWN.has(name.toLowerCase()) || name.startsWith(TEMP_PREFIX);
}

const TEMPLATES = new Set((Object.keys(SHEET_NAMES) as Lang[]).map((l) => SHEET_NAMES[l].template.toLowerCase()));

/** True for the school template sheet Huizong writes, in either language. */
export function isTemplateSheet(name: string): boolean {
  return TEMPLATES.has(name.toLowerCase());
}

/** True for a definition sheet (any language or accepted spelling). */
export function isDefinitionSheet(name: string): boolean {
  return isDefinitionSheetName(name);
}

/** True when a sheet may hold a school's submission: neither a definition sheet nor one Huizong writes, and not hidden by code. */
export function mayBeSchoolSheet(name: string, visibility: string): boolean {
  return visibility !== 'VeryHidden' && !isDefinitionSheet(name) && !isHuizongSheet(name);
}

const OUTPUT = new Set<string>();
for (const lang of Object.keys(SHEET_NAMES) as Lang[]) {
  const n = SHEET_NAMES[lang];
  for (const x of [n.summary, n.report, n.completeness, n.equity, n.chart]) OUTPUT.add(x.toLowerCase());
}

/** True for a sheet a consolidation writes, in either language: a new run replaces them all. */
export function isOutputSheet(name: string): boolean {
  return OUTPUT.has(name.toLowerCase());
}

/** The other languages' names of the sheet Huizong writes as `name` (empty for any other name). */
export function sheetAliases(name: string): string[] {
  const lower = name.toLowerCase();
  for (const lang of Object.keys(SHEET_NAMES) as Lang[]) {
    for (const [role, n] of Object.entries(SHEET_NAMES[lang])) {
      if (n.toLowerCase() !== lower) continue;
      return (Object.keys(SHEET_NAMES) as Lang[]).filter((l) => l !== lang).map((l) => SHEET_NAMES[l][role as keyof (typeof SHEET_NAMES)[Lang]]);
    }
  }
  return [];
}
