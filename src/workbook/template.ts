/**
 * The school submission form (填报表) generated from the definitions: a metadata block, the
 * indicator table grouped by section, the rates computed by live formulas, data validation on
 * input cells, and protection leaving only the input cells open. Its layout is the one the
 * form reader (`src/core/layout.ts`) expects, with the layout's own labels.
 */
import { cellAddress, columnLetters } from '../core/grid';
import { parseExpression, referencedCodes, toExcelFormula } from '../core/expr';
import type { Definitions, Indicator, Lang, Rate, School } from '../core/types';
import { indicatorFormat, decimalsFormat } from './formats';
import { rateUnit, words } from './labels';
import { checkWords, formChecks, quoted, type FormCheck, type UncheckedRule } from './formChecks';
import type { ColumnPlan, HighlightPlan, PlannedCell, PlannedRow, SheetPlan, ValidationPlan } from './plan';
import { sheetHeading } from './heading';
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
  const ratio = `${numParens ? `(${n})` : n}/${denParens ? `(${d})` : d}${factor}`;
  // As the engine: a numerator none of whose figures is filled in gives no rate, not 0.
  const numRefs = referencedCodes(num.expr);
  return numRefs.length === 0 ? `=IFERROR(${ratio},"")` : `=IFERROR(IF(COUNT(${numRefs.map(at).join(',')})=0,"",${ratio}),"")`;
}

function textCell(s: string | undefined): PlannedCell {
  return { value: s === undefined || s === '' ? null : s };
}

/** Options of {@link buildTemplatePlan}. */
export interface TemplateOptions {
  /** Build the form's own checks (default true): a 自查提示 column, hidden check cells, red highlights and the 自查结果 line. */
  readonly checks?: boolean;
}

/** The first column of the hidden check cells, right of the 自查提示 column. */
const CHECK_COL = 5;
const MESSAGE_COL = 4;

/** What the checks add to a form: cells, columns, highlights, the cells whose formulas are hidden, the rules listed under the form. */
interface PlacedChecks {
  readonly cells: Map<number, Map<number, PlannedCell>>;
  readonly columns: ColumnPlan[];
  readonly highlights: HighlightPlan[];
  readonly hidden: Box[];
  readonly unchecked: readonly UncheckedRule[];
}

/** A row's messages as one text formula: each failing check's message, in order. */
function messages(list: readonly FormCheck[], at: (k: number) => string, before = ''): string {
  return list.map((c, k) => `IF(${at(k)},${before === '' ? '' : `${quoted(before)}&`}${c.message},"")`).join('&');
}

/**
 * Places the checks: each check's result (TRUE when it fails) in a hidden cell of its row, the row's
 * messages joined in the 自查提示 column, the 自查结果 line counting the failed checks, and the value
 * (or code) cell turning red while its row shows a message.
 */
function placeChecks(checks: readonly FormCheck[], unchecked: readonly UncheckedRule[], lang: Lang, codeRow: number, valueRows: { r0: number; r1: number }): PlacedChecks {
  const w = checkWords(lang);
  const byRow = new Map<number, FormCheck[]>();
  for (const c of checks) {
    const list = byRow.get(c.row);
    if (list === undefined) byRow.set(c.row, [c]);
    else list.push(c);
  }
  const cells = new Map<number, Map<number, PlannedCell>>();
  const set = (r: number, c: number, cell: PlannedCell): void => {
    let row = cells.get(r);
    if (row === undefined) cells.set(r, (row = new Map()));
    row.set(c, cell);
  };
  let width = 0;
  let first = Infinity;
  let last = -1;
  for (const [r, list] of byRow) {
    width = Math.max(width, list.length);
    first = Math.min(first, r);
    last = Math.max(last, r);
    const at = (k: number): string => cellAddress(r, CHECK_COL + k);
    const blocking = list.flatMap((c, k) => (c.blocking === true ? [at(k)] : []));
    list.forEach((c, k) => {
      const fails = c.unlessBlocked === true && blocking.length > 0 ? `AND(NOT(OR(${blocking.join(',')})),${c.fails})` : c.fails;
      set(r, CHECK_COL + k, { formula: `=${fails}` });
    });
    if (r > 0) set(r, MESSAGE_COL, { formula: `=${messages(list, at)}` });
  }
  const columns: ColumnPlan[] = Array.from({ length: width }, () => ({ width: 8, hidden: true }));
  const highlights: HighlightPlan[] = [];
  const hidden: Box[] = [];
  if (width > 0) {
    const range = `${cellAddress(first, CHECK_COL)}:${cellAddress(last, CHECK_COL + width - 1)}`;
    const count = `COUNTIF(${range},TRUE)`;
    // The title row's own checks (the school code) say their message after the count.
    const own = byRow.get(0);
    const tail = own === undefined ? '' : `&${messages(own, (k) => cellAddress(0, CHECK_COL + k), w.separator)}`;
    set(0, MESSAGE_COL, { formula: `=${quoted(w.result)}&IF(${count}=0,${quoted(w.none)},${w.found(count)})${tail}` });
    const message = (r: number): string => `LEN($${columnLetters(MESSAGE_COL)}${r + 1})>0`;
    highlights.push({ r0: 0, c0: MESSAGE_COL, r1: 0, c1: MESSAGE_COL, formula: `${count}>0` });
    if (own !== undefined) highlights.push({ r0: codeRow, c0: 1, r1: codeRow, c1: 1, formula: `OR(${own.map((_, k) => cellAddress(0, CHECK_COL + k)).join(',')})` });
    highlights.push({ r0: valueRows.r0, c0: 3, r1: valueRows.r1, c1: 3, formula: message(valueRows.r0) });
    hidden.push({ r0: 0, c0: MESSAGE_COL, r1: last, c1: CHECK_COL + width - 1 });
  }
  return { cells, columns, highlights, hidden, unchecked };
}

/**
 * The school form for the definitions, in `lang` (zh-CN by default), filled with the school's
 * code and name when given. A table layout gets a one-row table form instead. The form checks
 * itself (see `formChecks.ts`) unless `options.checks` is false; the checks sit right of the value
 * column and at the end of the title row, where the form reader does not look.
 */
export function buildTemplatePlan(defs: Definitions, lang: Lang = 'zh-CN', school?: School, options: TemplateOptions = {}): SheetPlan {
  const w = words(lang);
  const layout = defs.layout;
  const name = safeSheetName(layout.sheetName ?? SHEET_NAMES[lang].template);
  const title = w.templateTitle(defs.title[lang === 'zh-CN' ? 'zh' : 'en']);
  if (layout.kind === 'table') return tableTemplate(defs, lang, name, school, options.checks !== false);

  const rows: PlannedRow[] = [];
  const cellFormats: [number, number, string][] = [];
  const validations: ValidationPlan[] = [];
  const unlocked: Box[] = [];
  const push = (row: PlannedRow): number => rows.push(row) - 1;

  // The form's title block, from the one heading every sheet has (the period is a row of its own below).
  for (const row of sheetHeading({ lang, name: title }).rows) push(row);
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
  const headerRow = rows.length - 1;
  const addressOf = new Map<string, string>();
  const rowOf = new Map<string, number>();
  const rateCellOf = new Map<string, string>();
  const inputs: Box[] = [];
  for (const group of bySection(defs.indicators)) {
    if (group.section !== undefined) push({ role: 'header', cells: [{ value: group.section }] });
    for (const ind of group.items) {
      const r = push({
        role: 'data',
        cells: [{ value: ind.code }, { value: ind.label[lang === 'zh-CN' ? 'zh' : 'en'] }, textCell(ind.type === 'percent' ? (ind.unit ?? '%') : ind.unit), { value: null }],
      });
      addressOf.set(ind.code, cellAddress(r, valueCol));
      rowOf.set(ind.code, r);
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
      if (formula !== null) rateCellOf.set(rate.code, cellAddress(r, valueCol));
    }
  }

  const cw = checkWords(lang);
  let placed: PlacedChecks | null = null;
  if (options.checks !== false) {
    const { checks, unchecked } = formChecks(defs, lang, { codeCell: cellAddress(codeRow, 1), rowOf, addressOf, rateCellOf });
    const valueRows = inputs.length > 0 ? { r0: inputs[0]!.r0, r1: inputs[inputs.length - 1]!.r1 } : { r0: headerRow + 1, r1: headerRow + 1 };
    placed = placeChecks(checks, unchecked, lang, codeRow, valueRows);
    if (unchecked.length > 0) {
      push({ role: 'blank', cells: [] });
      push({ role: 'header', cells: [{ value: cw.laterHeading }] });
      for (const u of unchecked) push({ role: 'note', cells: [{ value: u.text }] });
    }
  }

  push({ role: 'blank', cells: [] });
  push({ role: 'header', cells: [{ value: w.instructionsHeading }] });
  for (const line of w.instructions) push({ role: 'note', cells: [{ value: line }] });
  if (placed !== null && placed.columns.length > 0) push({ role: 'note', cells: [{ value: `${w.instructions.length + 1}. ${cw.note}` }] });

  const columns: ColumnPlan[] = [{ width: 18, numberFormat: '@' }, { width: 40 }, { width: 10 }, { width: 16 }];
  if (placed === null || placed.columns.length === 0) {
    return { name, rows, columns, cellFormats, validations: mergeValidations(validations), protection: { unlocked } };
  }
  const { cells, highlights, hidden } = placed;
  rows[headerRow] = { ...rows[headerRow]!, cells: [...rows[headerRow]!.cells, { value: cw.header }] };
  for (const [r, extra] of cells) {
    const row = rows[r]!;
    const out: PlannedCell[] = [...row.cells];
    for (const [c, cell] of extra) {
      while (out.length < c) out.push({ value: null });
      out[c] = cell;
    }
    rows[r] = { ...row, cells: out };
  }
  return {
    name,
    rows,
    columns: [...columns, { width: 60 }, ...placed.columns],
    cellFormats,
    validations: mergeValidations(validations),
    highlights,
    protection: { unlocked, hiddenFormulas: hidden },
  };
}

/** One header row (school code, school name, then indicator codes) and one input row; the indicator labels show as input prompts. */
function tableTemplate(defs: Definitions, lang: Lang, name: string, school: School | undefined, checks: boolean): SheetPlan {
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
  const plan: SheetPlan = {
    name,
    rows,
    columns: [{ width: 18 }, { width: 30 }, ...inputs.map(() => ({ width: 14 }))],
    freeze: { rows: 1, cols: 2 },
    cellFormats,
    validations,
    protection: { unlocked: [{ r0: 1, c0: 0, r1: 1, c1: inputs.length + 1 }] },
  };
  return checks ? withTableChecks(plan, defs, lang) : plan;
}

/**
 * The one-row form's checks, right of its last column: the 自查结果 line as that column's header,
 * the input row's messages under it, the checks in hidden cells after it. A rule the form cannot
 * check is not listed: every row under the header is a school to the table reader.
 */
function withTableChecks(plan: SheetPlan, defs: Definitions, lang: Lang): SheetPlan {
  const cw = checkWords(lang);
  const addressOf = new Map(defs.indicators.map((ind, i) => [ind.code, cellAddress(1, i + 2)]));
  const rowOf = new Map(defs.indicators.map((ind) => [ind.code, 1]));
  const { checks } = formChecks(defs, lang, { codeCell: 'A2', rowOf, addressOf, rateCellOf: new Map() });
  // One message cell for the whole row: each of a figure's own checks names the figure.
  const list = checks.map((c) => ({ ...c, row: 1, message: c.label === undefined ? c.message : `${quoted(`${c.label}${lang === 'zh-CN' ? '：' : ': '}`)}&${c.message}` }));
  const messageCol = defs.indicators.length + 2;
  const first = messageCol + 1;
  const at = (k: number): string => cellAddress(1, first + k);
  const count = `COUNTIF(${at(0)}:${at(list.length - 1)},TRUE)`;
  const header = [...plan.rows[0]!.cells, { formula: `=${quoted(cw.result)}&IF(${count}=0,${quoted(cw.none)},${cw.found(count)})` }];
  // The one-row form has no rate cells, so no check here stands aside for another (`unlessBlocked`).
  const input: PlannedCell[] = [...plan.rows[1]!.cells, { formula: `=${messages(list, at)}` }, ...list.map((c) => ({ formula: `=${c.fails}` }))];
  return {
    ...plan,
    rows: [
      { ...plan.rows[0]!, cells: header },
      { ...plan.rows[1]!, cells: input },
    ],
    columns: [...(plan.columns ?? []), { width: 60 }, ...list.map(() => ({ width: 8, hidden: true }))],
    highlights: [
      { r0: 1, c0: 0, r1: 1, c1: messageCol - 1, formula: `LEN($${columnLetters(messageCol)}2)>0` },
      { r0: 0, c0: messageCol, r1: 0, c1: messageCol, formula: `${count}>0` },
    ],
    protection: { unlocked: plan.protection!.unlocked, hiddenFormulas: [{ r0: 0, c0: messageCol, r1: 1, c1: first + list.length - 1 }] },
  };
}
