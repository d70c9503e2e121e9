/**
 * A school roster (学校名册) loaded on its own, beside the definitions: from a workbook's sheets (the
 * sheet named like a roster, or the first) or from JSON (an array of schools, or `{ roster: [...] }`),
 * read by the core's own definition reader. The command's `--roster` and the standalone page's roster
 * file both come through here.
 */
import type { SheetGrid } from '../core/grid';
import { DEFINITION_SHEETS, definitionsFromJson, definitionsToJson, definitionsToSheets, readDefinitions } from '../core/definitions';
import type { Definitions, Issue } from '../core/types';

/** Where a roster comes from. */
export type RosterSource = { readonly kind: 'sheets'; readonly sheets: readonly SheetGrid[]; readonly name?: string } | { readonly kind: 'json'; readonly json: unknown; readonly name?: string };

const ROSTER_NAMES = new Set([DEFINITION_SHEETS.roster, '学校名册', '名册', 'roster', 'schools', 'school roster'].map((n) => n.toLowerCase()));

/**
 * The definitions with their roster replaced by the one in `source`, and the issues found in it (an
 * empty roster is a warning: completeness would say every school reported); null definitions when
 * the source holds no roster at all.
 */
export function withRoster(defs: Definitions, source: RosterSource): { readonly definitions: Definitions | null; readonly issues: readonly Issue[] } {
  let r: { definitions: Definitions | null; issues: readonly Issue[] };
  if (source.kind === 'json') {
    const list = Array.isArray(source.json) ? source.json : (source.json as { roster?: unknown } | null)?.roster;
    if (!Array.isArray(list)) return { definitions: null, issues: [] };
    r = definitionsFromJson({ ...(definitionsToJson(defs) as Record<string, unknown>), roster: list });
  } else {
    const sheet = source.sheets.find((g) => ROSTER_NAMES.has(g.name.trim().toLowerCase())) ?? source.sheets[0];
    if (sheet === undefined) return { definitions: null, issues: [] };
    // The roster sheet joins the definitions' own sheets so the core's reader parses it like any other.
    const own = definitionsToSheets({ ...defs, roster: [] }, 'zh-CN').filter((g) => g.name !== DEFINITION_SHEETS.roster);
    r = readDefinitions([...own, { ...sheet, name: DEFINITION_SHEETS.roster }]);
  }
  if (r.definitions === null) return r;
  const empty: Issue[] =
    r.definitions.roster.length > 0 ? [] : [{ code: 'def.empty', severity: 'warning', ...(source.name !== undefined ? { file: source.name } : {}), params: { sheet: DEFINITION_SHEETS.roster } }];
  return { definitions: r.definitions, issues: [...r.issues, ...empty] };
}
