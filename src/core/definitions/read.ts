/**
 * Reading definitions as a clerk keeps them: one table per kind on its own sheet (指标, 校验规则,
 * 比率, 差异系数, 均衡标准, 学校名册, 表样), headers in Chinese or English found wherever the header row is;
 * or the same as JSON. Every problem is an issue located at its sheet and cell (or, for JSON, its
 * item and field); the reader keeps going and returns what can be used.
 */
import { cellAddress, type CellValue, type SheetGrid } from '../grid';
import type { Definitions, Issue } from '../types';
import { checkAndClean, rememberLocation } from './check';
import { groupStandards, jsonStageStudent, jsonStandardSources, readStageStudents, readStandardRow, type StandardRow } from './standards';
import { readDispersion, readIndicator, readLayout, readRate, readRule, readSchool, textOf, type FieldValue, type ItemSource } from './items';
import { COLUMNS, DEFINITION_SHEETS, DEFINITION_SHEETS_EN, LAYOUT_HEADER, LAYOUT_KEYS, SHEET_ALIASES, type ColumnSpec, type DefinitionKind } from './sheets';
import { isBlankCell, looseLabel, normalizeLabel } from './text';

/** What reading definitions gives: the usable definitions (null when there are none, e.g. no indicator sheet) and every issue found. */
export interface DefinitionsRead {
  readonly definitions: Definitions | null;
  readonly issues: Issue[];
}

/** The title used when the definitions name none. */
export const DEFAULT_TITLE = { zh: '学校指标填报汇总', en: 'School indicator returns' } as const;

/** How many rows from the top a header row is looked for in (a title or a note may come first). */
const HEADER_SEARCH_ROWS = 10;

/** The sheet holding a kind of table, by its Chinese or English name or an alias. */
export function findDefinitionSheet(sheets: readonly SheetGrid[], kind: DefinitionKind): SheetGrid | undefined {
  const names = [DEFINITION_SHEETS[kind], DEFINITION_SHEETS_EN[kind], ...SHEET_ALIASES[kind]].map(normalizeLabel);
  for (const n of names) {
    const hit = sheets.find((s) => normalizeLabel(s.name) === n);
    if (hit) return hit;
  }
  return undefined;
}

/** True when a sheet's name is one of the definition sheets' (any language or alias). */
export function isDefinitionSheetName(name: string): boolean {
  const n = normalizeLabel(name);
  return (Object.keys(DEFINITION_SHEETS) as DefinitionKind[]).some((k) => [DEFINITION_SHEETS[k], DEFINITION_SHEETS_EN[k], ...SHEET_ALIASES[k]].some((x) => normalizeLabel(x) === n));
}

function headerMatcher(columns: readonly ColumnSpec[]): (text: string) => string | undefined {
  const exact = new Map<string, string>();
  const loose = new Map<string, string>();
  for (const c of columns) {
    for (const s of [c.zh, c.en, ...c.aliases]) {
      if (!exact.has(normalizeLabel(s))) exact.set(normalizeLabel(s), c.key);
      if (!loose.has(looseLabel(s))) loose.set(looseLabel(s), c.key);
    }
  }
  return (text) => exact.get(normalizeLabel(text)) ?? loose.get(looseLabel(text));
}

/** A table found on a sheet: its header row and each key's column. */
interface FoundTable {
  readonly headerRow: number;
  readonly columns: ReadonlyMap<string, number>;
}

/** Finds the header row: the first of the top rows holding every required column; issues for the missing ones otherwise. */
function findTable(sheet: SheetGrid, columns: readonly ColumnSpec[], issues: Issue[]): FoundTable | null {
  const match = headerMatcher(columns);
  const required = columns.filter((c) => c.required);
  let best: { row: number; columns: Map<string, number> } | null = null;
  const last = Math.min(sheet.values.length, HEADER_SEARCH_ROWS);
  for (let r = 0; r < last; r++) {
    const found = new Map<string, number>();
    (sheet.values[r] ?? []).forEach((v, c) => {
      if (typeof v !== 'string') return;
      const key = match(v);
      if (key !== undefined && !found.has(key)) found.set(key, c);
    });
    if (required.every((c) => found.has(c.key))) return { headerRow: r, columns: found };
    if (found.size > 0 && (best === null || found.size > best.columns.size)) best = { row: r, columns: found };
  }
  for (const c of required) {
    if (best?.columns.has(c.key)) continue;
    issues.push({ code: 'def.missing_column', severity: 'error', sheet: sheet.name, ...(best ? { cell: cellAddress(best.row, 0) } : {}), params: { column: c.zh, sheet: sheet.name } });
  }
  return null;
}

function columnTitle(columns: readonly ColumnSpec[], key: string): string {
  return columns.find((c) => c.key === key)?.zh ?? key;
}

/** Each data row of a table as an item source. */
function* tableRows(sheet: SheetGrid, columns: readonly ColumnSpec[], table: FoundTable, issues: Issue[]): Generator<{ src: ItemSource; index: number }> {
  let index = 0;
  for (let r = table.headerRow + 1; r < sheet.values.length; r++) {
    const row = sheet.values[r] ?? [];
    let blank = true;
    for (const c of table.columns.values()) if (!isBlankCell(row[c])) blank = false;
    if (blank) continue;
    const get = (key: string): FieldValue => {
      const c = table.columns.get(key);
      return c === undefined ? undefined : (row[c] ?? null);
    };
    const at = (field: string) => {
      const c = table.columns.get(field) ?? table.columns.get('code') ?? 0;
      return { sheet: sheet.name, cell: cellAddress(r, c), field };
    };
    yield { src: { get, at, column: (key) => columnTitle(columns, key), issues }, index: index++ };
  }
}

function readTable<T extends object>(
  sheet: SheetGrid | undefined,
  kind: Exclude<DefinitionKind, 'layout'>,
  read: (src: ItemSource, index: number) => T | null,
  subjectOf: (item: T) => string,
  issues: Issue[],
): T[] | null {
  if (!sheet) return null;
  const columns = COLUMNS[kind] as readonly ColumnSpec[];
  const table = findTable(sheet, columns, issues);
  if (!table) return null;
  const out: T[] = [];
  for (const { src, index } of tableRows(sheet, columns, table, issues)) {
    const item = read(src, index);
    if (item === null) continue;
    const subject = subjectOf(item);
    rememberLocation(item, (field) => ({ ...src.at(field), subject }));
    out.push(item);
  }
  return out;
}

const layoutKey = (() => {
  const map = new Map<string, string>();
  for (const k of LAYOUT_KEYS) for (const s of [k.key, k.zh, k.en, ...k.aliases]) map.set(normalizeLabel(s), k.key);
  return (text: string) => map.get(normalizeLabel(text));
})();

/** The 表样 sheet: one setting a row, `项目 | 值`, with an optional header row. */
function layoutSource(sheet: SheetGrid | undefined, issues: Issue[]): ItemSource {
  const values = new Map<string, { v: CellValue; cell: string }>();
  if (sheet) {
    sheet.values.forEach((row, r) => {
      const name = row[0];
      if (typeof name !== 'string') return;
      if ((LAYOUT_HEADER.zh as readonly string[]).includes(name.trim()) || (LAYOUT_HEADER.en as readonly string[]).includes(name.trim())) return;
      const key = layoutKey(name);
      if (key !== undefined && !values.has(key)) values.set(key, { v: row[1] ?? null, cell: cellAddress(r, 1) });
    });
  }
  return {
    get: (key) => values.get(key)?.v,
    at: (field) => ({ ...(sheet ? { sheet: sheet.name } : {}), ...(values.has(field) ? { cell: values.get(field)!.cell } : {}), field }),
    column: (key) => LAYOUT_KEYS.find((k) => k.key === key)?.zh ?? key,
    issues,
  };
}

/** Reads the definition sheets among `sheets` (others are ignored). Without an indicator sheet there are no definitions. */
export function readDefinitions(sheets: readonly SheetGrid[]): DefinitionsRead {
  const issues: Issue[] = [];
  const indicatorSheet = findDefinitionSheet(sheets, 'indicators');
  if (!indicatorSheet) {
    issues.push({ code: 'def.missing_sheet', severity: 'error', params: { sheet: DEFINITION_SHEETS.indicators } });
    return { definitions: null, issues };
  }
  const indicators = readTable(indicatorSheet, 'indicators', readIndicator, (i) => i.code, issues);
  if (indicators === null) return { definitions: null, issues };
  const rules = readTable(findDefinitionSheet(sheets, 'rules'), 'rules', readRule, (r) => r.id, issues) ?? [];
  const rates = readTable(findDefinitionSheet(sheets, 'rates'), 'rates', readRate, (r) => r.code, issues) ?? [];
  const dispersions = readTable(findDefinitionSheet(sheets, 'dispersions'), 'dispersions', readDispersion, (d) => d.code, issues) ?? [];
  const standardRows = readTable(findDefinitionSheet(sheets, 'standards'), 'standards', readStandardRow, (r) => r.standard, issues) ?? [];
  const roster = readTable(findDefinitionSheet(sheets, 'roster'), 'roster', readSchool, (s) => s.code, issues) ?? [];
  const layoutSrc = layoutSource(findDefinitionSheet(sheets, 'layout'), issues);
  const layout = readLayout(layoutSrc);
  const titleZh = textOf(layoutSrc.get('title'));
  const titleEn = textOf(layoutSrc.get('titleEn'));
  const period = textOf(layoutSrc.get('period'));
  const stageStudents = readStageStudents((stage) => layoutSrc.get(STAGE_STUDENT_KEYS[stage]));
  return assemble(
    { zh: titleZh, en: titleEn },
    period,
    { ...reportIdentity((key) => textOf(layoutSrc.get(key))), indicators, rules, rates, dispersions, ...standardsOf(standardRows), ...(stageStudents ? { stageStudents } : {}), roster, layout },
    issues,
  );
}

/** The district and the form's corner block, from the 表样 settings (or JSON) that hold them. */
function reportIdentity(text: (key: string) => string): Pick<Definitions, 'district' | 'form'> {
  const district = text('district');
  const form = { number: text('formNumber'), issuer: text('formIssuer'), approval: text('formApproval'), validUntil: text('formValidUntil') };
  const given = Object.fromEntries(Object.entries(form).filter(([, v]) => v !== '')) as Definitions['form'] & object;
  return { ...(district !== '' ? { district } : {}), ...(Object.keys(given).length > 0 ? { form: given } : {}) };
}

const STAGE_STUDENT_KEYS = { primary: 'stageStudentsPrimary', junior: 'stageStudentsJunior', senior: 'stageStudentsSenior' } as const;

/** The standards from their rows, each standard and indicator remembered where it was read; nothing when there are none. */
function standardsOf(rows: readonly StandardRow[]): { standards?: Definitions['standards'] } {
  if (rows.length === 0) return {};
  const { standards, rowsOf } = groupStandards(rows);
  for (const [standard, list] of rowsOf) {
    rememberLocation(standard, (field) => ({ ...list[0]!.src.at(field), subject: standard.code }));
    for (const r of list) rememberLocation(r.indicator, (field) => ({ ...r.src.at(field), subject: `${standard.code}.${r.indicator.code}` }));
  }
  return { standards };
}

/** The definitions from their parts, checked as a whole, with the items the checks blame left out. */
function assemble(title: { zh: string; en: string }, period: string, parts: Omit<Definitions, 'title' | 'period'>, issues: readonly Issue[]): DefinitionsRead {
  const defs: Definitions = {
    title: title.zh === '' && title.en === '' ? { ...DEFAULT_TITLE } : { zh: title.zh || title.en, en: title.en || title.zh },
    ...(period !== '' ? { period } : {}),
    ...parts,
  };
  const checked = checkAndClean(defs);
  return { definitions: checked.definitions, issues: [...issues, ...checked.issues] };
}

// ───────────────────────────── JSON ─────────────────────────────

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function jsonValue(v: unknown): FieldValue {
  if (v === undefined || v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v;
  if (isObject(v)) return v;
  return undefined;
}

/** Field aliases accepted in JSON beside the keys of the sheets' columns. */
const JSON_ALIASES: Readonly<Record<string, string>> = { label_zh: 'labelZh', label_en: 'labelEn', message_zh: 'messageZh', message_en: 'messageEn', min_weight: 'minWeight', stage: 'stages' };
/** The aliases of each key, looked up for every field of every item (a roster has thousands). */
const ALIASES_OF: ReadonlyMap<string, readonly string[]> = Object.entries(JSON_ALIASES).reduce((m, [alias, key]) => m.set(key, [...(m.get(key) ?? []), alias]), new Map<string, string[]>());

function jsonSource(o: Record<string, unknown>, list: string, index: number, subjectKey: string, issues: Issue[]): ItemSource {
  const get = (key: string): FieldValue => {
    if (key in o) return jsonValue(o[key]);
    for (const alias of ALIASES_OF.get(key) ?? []) if (alias in o) return jsonValue(o[alias]);
    return undefined;
  };
  const subject = (): string => {
    const v = o[subjectKey];
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : `${list}[${index}]`;
  };
  return { get, at: (field) => ({ subject: subject(), field }), column: (key) => key, issues };
}

function jsonList<T extends object>(
  json: Record<string, unknown>,
  list: string,
  subjectKey: string,
  read: (src: ItemSource, index: number) => T | null,
  subjectOf: (item: T) => string,
  issues: Issue[],
): T[] {
  const raw = json[list];
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    issues.push({ code: 'def.bad_value', severity: 'error', subject: list, params: { column: list, expected: 'array' } });
    return [];
  }
  const out: T[] = [];
  raw.forEach((entry, index) => {
    if (!isObject(entry)) {
      issues.push({ code: 'def.bad_value', severity: 'error', subject: `${list}[${index}]`, params: { column: list, value: JSON.stringify(entry) ?? '', expected: 'object' } });
      return;
    }
    const src = jsonSource(entry, list, index, subjectKey, issues);
    const item = read(src, index);
    if (item === null) return;
    const subject = subjectOf(item);
    rememberLocation(item, (field) => ({ subject, field }));
    out.push(item);
  });
  return out;
}

/** Definitions from JSON (as `definitionsToJson` writes, with the sheets' words accepted for types, stages and operators). */
export function definitionsFromJson(json: unknown): DefinitionsRead {
  const issues: Issue[] = [];
  if (!isObject(json)) {
    issues.push({ code: 'def.bad_value', severity: 'error', params: { column: 'definitions', expected: 'object' } });
    return { definitions: null, issues };
  }
  if (!Array.isArray(json.indicators)) {
    issues.push({ code: 'def.missing_sheet', severity: 'error', params: { sheet: 'indicators' } });
    return { definitions: null, issues };
  }
  const indicators = jsonList(json, 'indicators', 'code', readIndicator, (i) => i.code, issues);
  const rules = jsonList(json, 'rules', 'id', readRule, (r) => r.id, issues);
  const rates = jsonList(json, 'rates', 'code', readRate, (r) => r.code, issues);
  const dispersions = jsonList(json, 'dispersions', 'code', readDispersion, (d) => d.code, issues);
  const standardRows = jsonStandardSources(json.standards, issues)
    .map((src) => readStandardRow(src))
    .filter((r): r is StandardRow => r !== null);
  const stageStudents = readStageStudents((stage) => jsonStageStudent(json.stageStudents, stage));
  const roster = jsonList(json, 'roster', 'code', readSchool, (s) => s.code, issues);
  const layoutJson = isObject(json.layout) ? json.layout : {};
  const layout = readLayout(jsonSource(layoutJson, 'layout', 0, 'kind', issues));
  const title = json.title;
  const t = isObject(title)
    ? { zh: typeof title.zh === 'string' ? title.zh : '', en: typeof title.en === 'string' ? title.en : '' }
    : typeof title === 'string'
      ? { zh: title, en: title }
      : { zh: '', en: '' };
  const period = typeof json.period === 'string' ? json.period.trim() : '';
  const form = isObject(json.form) ? json.form : {};
  const jsonText = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
  const identity = reportIdentity((key) =>
    key === 'district' ? jsonText(json.district) : jsonText(form[{ formNumber: 'number', formIssuer: 'issuer', formApproval: 'approval', formValidUntil: 'validUntil' }[key] ?? key]),
  );
  return assemble(t, period, { ...identity, indicators, rules, rates, dispersions, ...standardsOf(standardRows), ...(stageStudents ? { stageStudents } : {}), roster, layout }, issues);
}
