/**
 * The school submission form (填报表) generated from the definitions: a metadata block, the
 * indicator table grouped by section, the rates computed by live formulas, data validation on
 * input cells, and protection leaving only the input cells open. Its layout is the one the
 * form reader (`src/core/layout.ts`) expects, with the layout's own labels.
 */
import { cellAddress } from '../core/grid';
import { parseExpression, referencedCodes, toExcelFormula } from '../core/expr';
import type { Definitions, Indicator, Lang, Rate, School } from '../core/types';
import { indicatorFormat, decimalsFormat } from './formats';
import { rateUnit, words } from './labels';
import type { PlannedCell, PlannedRow, SheetPlan, ValidationPlan } from './plan';
import { SHEET_NAMES, safeSheetName } from './names';

type Box = { r0: number; c0: number; r1: number; c1: number };

const CJK = /[\u3400-\u9fff]/;

/** The label of a list that suits the language: the first with Chinese characters for zh-CN, the first without for en-US. */
export function pickLabel(labels: readonly string[], lang: Lang, fallback: string): string {
  const wanted = labels.find((l) => CJK.test(l) === (lang === 'zh-CN'));
  return wanted ?? labels[0] ?? fallback;
}

/** Data validation for one indicator's input cell, or null for text and codes. */
function validationFor(ind: Indicator, at: Box, lang: Lang): ValidationPlan | null {
  if (ind.type === 'text' || ind.type === 'code') return null;
  const w = words(lang);
  const whole = ind.type === 'integer';
  // Counts cannot be negative even when the definitions give no minimum.
  const min = ind.min ?? (whole ? 0 : undefined);
  const max = ind.max;
  return {
    ...at,
    type: whole ? 'whole' : 'decimal',
    ...(min !== undefined ? { min } : {}),
    ...(max !== undefined ? { max } : {}),
    prompt: whole ? w.wholePrompt(min, max) : w.decimalPrompt(min, max),
    error: whole ? w.wholeError(min, max) : w.decimalError(min, max),
  };
}

/** Joins validations on vertically adjacent cells that are the same rule into one range. */
function mergeValidations(list: readonly ValidationPlan[]): ValidationPlan[] {
  const out: ValidationPlan[] = [];
  for (const v of list) {
    const last = out[out.length - 1];
    if (
      last !== undefined &&
      last.c0 === v.c0 &&
      last.c1 === v.c1 &&
      last.r1 + 1 === v.r0 &&
      last.type === v.type &&
      last.min === v.min &&
      last.max === v.max &&
      last.prompt === v.prompt &&
      last.error === v.error
    ) {
      out[out.length - 1] = { ...last, r1: v.r1 };
    } else {
      out.push(v);
    }
  }
  return out;
}

/** Joins single-cell boxes of one column into runs. */
function mergeBoxes(list: readonly Box[]): Box[] {
  const out: Box[] = [];
  for (const b of list) {
    const last = out[out.length - 1];
    if (last !== undefined && last.c0 === b.c0 && last.c1 === b.c1 && last.r1 + 1 === b.r0) out[out.length - 1] = { ...last, r1: b.r1 };
    else out.push({ ...b });
  }
  return out;
}

/** Indicators grouped by section in order of first appearance; indicators without a section come first, without a heading. */
function bySection(indicators: readonly Indicator[]): { section: string | undefined; items: Indicator[] }[] {
  const groups: { section: string | undefined; items: Indicator[] }[] = [];
  const index = new Map<string, number>();
  const loose: Indicator[] = [];
  for (const ind of indicators) {
    if (ind.section === undefined || ind.section.trim() === '') {
      loose.push(ind);
      continue;
    }
    let i = index.get(ind.section);
    if (i === undefined) {
      i = groups.length;
      index.set(ind.section, i);
      groups.push({ section: ind.section, items: [] });
    }
    groups[i]!.items.push(ind);
  }
  return loose.length > 0 ? [{ section: undefined, items: loose }, ...groups] : groups;
}

/** A rate as a live formula over the form's value cells, or null when it refers to a code the form lacks. */
export function rateFormula(rate: Rate, addressOf: ReadonlyMap<string, string>): string | null {
  const num = parseExpression(rate.numerator);
  const den = parseExpression(rate.denominator);
  if (!num.ok || !den.ok) return null;
  for (const code of [...referencedCodes(num.expr), ...referencedCodes(den.expr)]) if (!addressOf.has(code)) return null;
  const at = (code: string): string => addressOf.get(code)!;
  const factor = rate.factor === 1 ? '' : `*${rate.factor}`;
  const n = toExcelFormula(num.expr, at);
  const d = toExcelFormula(den.expr, at);
  const numParens = num.expr.kind === 'compare' || (num.expr.kind === 'binary' && (num.expr.op === '+' || num.expr.op === '-'));
  const denParens = den.expr.kind === 'compare' || den.expr.kind === 'binary';
  return `=IFERROR(${numParens ? `(${n})` : n}/${denParens ? `(${d})` : d}${factor},"")`;
}

function textCell(s: string | undefined): PlannedCell {
  return { value: s === undefined || s === '' ? null : s };
}

/**
 * The school form for the definitions, in `lang` (zh-CN by default), filled with the school's
 * code and name when given. A table layout gets a one-row table form instead.
 */
export function buildTemplatePlan(defs: Definitions, lang: Lang = 'zh-CN', school?: School): SheetPlan {
  const w = words(lang);
  const layout = defs.layout;
  const name = safeSheetName(layout.sheetName ?? SHEET_NAMES[lang].template);
  const title = w.templateTitle(defs.title[lang === 'zh-CN' ? 'zh' : 'en']);
  if (layout.kind === 'table') return tableTemplate(defs, lang, name, school);

  const rows: PlannedRow[] = [];
  const cellFormats: [number, number, string][] = [];
  const validations: ValidationPlan[] = [];
  const unlocked: Box[] = [];
  const push = (row: PlannedRow): number => rows.push(row) - 1;

  push({ role: 'title', cells: [{ value: title }] });
  const codeRow = push({ role: 'data', cells: [{ value: pickLabel(layout.schoolCodeLabels, lang, w.schoolCode) }, textCell(school?.code)] });
  cellFormats.push([codeRow, 1, '@']);
  const nameRow = push({ role: 'data', cells: [{ value: pickLabel(layout.schoolNameLabels, lang, w.schoolName) }, textCell(school?.name)] });
  cellFormats.push([nameRow, 1, '@']);
  const periodRow = push({ role: 'data', cells: [{ value: pickLabel(layout.periodLabels, lang, w.period) }, textCell(defs.period)] });
  cellFormats.push([periodRow, 1, '@']);
  unlocked.push({ r0: codeRow, c0: 1, r1: periodRow, c1: 1 });
  push({ role: 'blank', cells: [] });

  const codeHeader = pickLabel(layout.codeHeaders, lang, w.code);
  const unitHeader = pickLabel(layout.unitHeaders, lang, w.unit);
  const valueHeader = pickLabel(layout.valueHeaders, lang, w.value);
  push({ role: 'header', cells: [{ value: codeHeader }, { value: pickLabel(layout.labelHeaders, lang, w.indicator) }, { value: unitHeader }, { value: valueHeader }] });

  const valueCol = 3;
  const addressOf = new Map<string, string>();
  const inputs: Box[] = [];
  for (const group of bySection(defs.indicators)) {
    if (group.section !== undefined) push({ role: 'header', cells: [{ value: group.section }] });
    for (const ind of group.items) {
      const r = push({
        role: 'data',
        cells: [{ value: ind.code }, { value: ind.label[lang === 'zh-CN' ? 'zh' : 'en'] }, textCell(ind.type === 'percent' ? (ind.unit ?? '%') : ind.unit), { value: null }],
      });
      addressOf.set(ind.code, cellAddress(r, valueCol));
      cellFormats.push([r, valueCol, indicatorFormat(ind)]);
      const at = { r0: r, c0: valueCol, r1: r, c1: valueCol };
      inputs.push(at);
      const v = validationFor(ind, at, lang);
      if (v) validations.push(v);
    }
  }
  unlocked.push(...mergeBoxes(inputs));

  if (defs.rates.length > 0) {
    push({ role: 'blank', cells: [] });
    push({ role: 'header', cells: [{ value: codeHeader }, { value: w.rate }, { value: unitHeader }, { value: valueHeader }] });
    for (const rate of defs.rates) {
      const formula = rateFormula(rate, addressOf);
      const r = push({
        role: 'data',
        cells: [{ value: rate.code }, { value: rate.label[lang === 'zh-CN' ? 'zh' : 'en'] }, textCell(rateUnit(rate.factor)), formula === null ? { value: null } : { formula }],
      });
      cellFormats.push([r, valueCol, decimalsFormat(rate.decimals)]);
    }
  }

  push({ role: 'blank', cells: [] });
  push({ role: 'header', cells: [{ value: w.instructionsHeading }] });
  for (const line of w.instructions) push({ role: 'note', cells: [{ value: line }] });

  return {
    name,
    rows,
    columns: [{ width: 18, numberFormat: '@' }, { width: 40 }, { width: 10 }, { width: 16 }],
    cellFormats,
    validations: mergeValidations(validations),
    protection: { unlocked },
  };
}

/** One header row (school code, school name, then indicator codes) and one input row; the indicator labels show as input prompts. */
function tableTemplate(defs: Definitions, lang: Lang, name: string, school: School | undefined): SheetPlan {
  const w = words(lang);
  if (defs.layout.kind !== 'table') throw new TypeError('tableTemplate needs a table layout');
  const layout = defs.layout;
  const inputs = defs.indicators;
  const header: PlannedCell[] = [
    { value: pickLabel(layout.schoolCodeHeaders, lang, w.schoolCode) },
    { value: pickLabel(layout.schoolNameHeaders, lang, w.schoolName) },
    ...inputs.map((i) => ({ value: i.code })),
  ];
  const input: PlannedCell[] = [textCell(school?.code), textCell(school?.name), ...inputs.map(() => ({ value: null }))];
  // Nothing else goes under the header: a table reader takes every further row for a school.
  const rows: PlannedRow[] = [
    { role: 'header', cells: header },
    { role: 'data', cells: input },
  ];
  const validations: ValidationPlan[] = [];
  const cellFormats: [number, number, string][] = [
    [1, 0, '@'],
    [1, 1, '@'],
  ];
  inputs.forEach((ind, i) => {
    const at = { r0: 1, c0: i + 2, r1: 1, c1: i + 2 };
    cellFormats.push([1, i + 2, indicatorFormat(ind)]);
    const v = validationFor(ind, at, lang);
    if (v) validations.push({ ...v, prompt: `${ind.label[lang === 'zh-CN' ? 'zh' : 'en']}: ${v.prompt ?? ''}` });
  });
  return {
    name,
    rows,
    columns: [{ width: 18 }, { width: 30 }, ...inputs.map(() => ({ width: 14 }))],
    freeze: { rows: 1, cols: 2 },
    cellFormats,
    validations,
    protection: { unlocked: [{ r0: 1, c0: 0, r1: 1, c1: inputs.length + 1 }] },
  };
}
