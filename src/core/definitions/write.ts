/**
 * Definitions written out: as the sheets a clerk edits (headers and words in the chosen language,
 * read back by `readDefinitions` to the same definitions) and as plain JSON.
 */
import type { CellValue, SheetGrid } from '../grid';
import type { Definitions, Lang } from '../types';
import { standardsToRows } from './standards';
import { COLUMNS, LAYOUT_HEADER, LAYOUT_KEYS, definitionSheetName, type ColumnSpec } from './sheets';
import { aggregationWord, areaWord, missingWord, ownershipWord, operatorWord, severityWord, stageWord, targetWord, typeWord, yesNoWord } from './vocab';

const opt = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

function header(columns: readonly ColumnSpec[], lang: Lang): CellValue[] {
  return columns.map((c) => (lang === 'zh-CN' ? c.zh : c.en));
}

/** The definition sheets for `defs`, in `lang`: 指标, 校验规则, 比率, 差异系数, 均衡标准, 学校名册, 表样. */
export function definitionsToSheets(defs: Definitions, lang: Lang): SheetGrid[] {
  // Stages are written in Chinese in both languages: they are the roster's own words and read back either way.
  const stage = (s: Parameters<typeof stageWord>[0]): string => (lang === 'zh-CN' ? s : stageWord(s, lang));
  const indicators: CellValue[][] = [
    header(COLUMNS.indicators, lang),
    ...defs.indicators.map((i) => [
      i.code,
      i.label.zh,
      i.label.en,
      typeWord(i.type, lang),
      opt(i.unit),
      yesNoWord(i.required, lang),
      opt(i.min),
      opt(i.max),
      opt(i.section),
      aggregationWord(i.aggregation, lang),
      opt(i.changeFloor),
    ]),
  ];
  const rules: CellValue[][] = [
    header(COLUMNS.rules, lang),
    ...defs.rules.map((r) => [
      r.id,
      r.lhs,
      operatorWord(r.op, lang),
      r.rhs,
      opt(r.tolerance),
      severityWord(r.severity, lang),
      r.message.zh === '' ? null : r.message.zh,
      r.message.en === '' ? null : r.message.en,
      missingWord(r.missing, lang),
      opt(r.note),
    ]),
  ];
  const rates: CellValue[][] = [
    header(COLUMNS.rates, lang),
    ...defs.rates.map((r) => [
      r.code,
      r.label.zh,
      r.label.en,
      r.numerator,
      r.denominator,
      r.factor,
      r.decimals,
      r.target === undefined ? null : targetWord(r.target, lang),
      opt(r.stated),
      opt(r.section),
    ]),
  ];
  const dispersions: CellValue[][] = [
    header(COLUMNS.dispersions, lang),
    ...defs.dispersions.map((d) => [d.code, d.label.zh, d.label.en, d.value, d.weight, d.stages.map(stage).join(lang === 'zh-CN' ? '、' : ', '), d.minWeight, opt(d.threshold)]),
  ];
  const standards: CellValue[][] = [header(COLUMNS.standards, lang), ...standardsToRows(defs.standards ?? [], lang)];
  const roster: CellValue[][] = [
    header(COLUMNS.roster, lang),
    ...defs.roster.map((s) => [s.code, s.name, stage(s.stage), opt(s.township), opt(s.students?.小学), opt(s.students?.初中), opt(s.students?.高中), s.ownership === undefined ? null : ownershipWord(s.ownership, lang), s.area === undefined ? null : areaWord(s.area, lang)]),
  ];

  const layout = defs.layout as unknown as Record<string, unknown>;
  const settings: Record<string, CellValue> = {
    title: defs.title.zh,
    titleEn: defs.title.en,
    // Always written, empty until the bureau fills it in: every printed title starts with it.
    district: defs.district ?? '',
    period: opt(defs.period),
    formNumber: opt(defs.form?.number),
    formIssuer: opt(defs.form?.issuer),
    formApproval: opt(defs.form?.approval),
    formValidUntil: opt(defs.form?.validUntil),
    kind: defs.layout.kind,
    stageStudentsPrimary: opt(defs.stageStudents?.小学),
    stageStudentsJunior: opt(defs.stageStudents?.初中),
    stageStudentsSenior: opt(defs.stageStudents?.高中),
  };
  for (const k of LAYOUT_KEYS) {
    if (k.key in settings) continue;
    const v = layout[k.key];
    if (Array.isArray(v)) settings[k.key] = v.join('、');
    else if (typeof v === 'string') settings[k.key] = v;
  }
  const layoutRows: CellValue[][] = [
    [...(lang === 'zh-CN' ? LAYOUT_HEADER.zh : LAYOUT_HEADER.en)],
    ...LAYOUT_KEYS.filter((k) => settings[k.key] !== undefined && settings[k.key] !== null).map((k) => [lang === 'zh-CN' ? k.zh : k.en, settings[k.key] ?? null]),
  ];

  return [
    { name: definitionSheetName('indicators', lang), values: indicators },
    { name: definitionSheetName('rules', lang), values: rules },
    { name: definitionSheetName('rates', lang), values: rates },
    { name: definitionSheetName('dispersions', lang), values: dispersions },
    { name: definitionSheetName('standards', lang), values: standards },
    { name: definitionSheetName('roster', lang), values: roster },
    { name: definitionSheetName('layout', lang), values: layoutRows },
  ];
}

/** The definitions as plain JSON (a deep copy, read back by `definitionsFromJson`). */
export function definitionsToJson(defs: Definitions): Record<string, unknown> {
  return JSON.parse(JSON.stringify(defs)) as Record<string, unknown>;
}
