/**
 * The 均衡 sheet: for each standard and stage, the published monitoring table (L1…Ln and 综合;
 * rows 全县平均值, 标准差, 差异系数, 标准, 是否达标), then one row per assessed school (or stage part
 * of a school spanning stages) with its students, its share of the school's resources, each
 * indicator's value and, where the standard sets floors, the floor check and the school's
 * verdict; then the schools that pull each CV up most; and per standard the schools not assessed
 * with the reason.
 *
 * The monitoring table sits over the school rows, each indicator's figures in its own column, so
 * in formulas mode every figure is a live formula over the school rows below it (SUMPRODUCT and
 * SUMIFS over the students and values), as are the floor checks and the verdicts; a spreadsheet
 * recalculates them to the numbers the core computed. School values stay numbers: the split of
 * a school spanning stages is the core's.
 */
import { cellAddress, columnLetters } from '../core/grid';
import { FLOOR_SHORT_SHARE, FLOOR_SHORTFALLS_ALLOWED } from '../core/equity';
import type { Consolidation, Definitions, EquityResult, EquityStageResult, EquityStandard, Lang } from '../core/types';
import { equityWords, stageTitle, stageVerdictLine, verdictWord } from './equityWords';
import { stageLabel } from './labels';
import { formulaString } from './names';
import { footerOf, placeOf, sheetHeading } from './heading';
import { PAPER_MARGINS, readableScale, wrappedHeight } from './page';
import type { ColumnPlan, ConditionalPlan, PlannedCell, PlannedRow, SheetPlan } from './plan';

/** Options for the 均衡 sheet. */
export interface EquityOptions {
  readonly lang: Lang;
  /** Plain numbers, or live formulas over the school rows (each formula cell also carries its value). */
  readonly mode: 'values' | 'formulas';
}

/** Columns of a block: code, name, stage, students, share, then each indicator (value and, with floors, its check), then the verdict. */
const FIRST_VALUE = 5;

function num(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * Where each indicator's value column is in a standard's blocks, then the verdict (综合 in the
 * monitoring table) and, with floors, the floors a school does not meet, in words. One column per
 * indicator keeps the table on an A4 page at a readable size.
 */
function layout(standard: EquityStandard, floors: boolean): { value: number[]; verdict: number; shortfalls: number | null; width: number } {
  const value = standard.indicators.map((_, j) => FIRST_VALUE + j);
  const verdict = FIRST_VALUE + standard.indicators.length;
  return { value, verdict, shortfalls: floors ? verdict + 1 : null, width: verdict + (floors ? 2 : 1) };
}

/** Column widths of the 均衡 sheet: identity, students and share, then the indicators, the verdict and the floors not met. */
const WIDTHS = { code: 11, name: 18, type: 10, students: 7, share: 7, value: 9, shortfalls: 24 } as const;

/** The 均衡 sheet, or null when the definitions hold no standard. */
export function buildEquityPlan(c: Consolidation, defs: Definitions, o: EquityOptions): SheetPlan | null {
  const standards = defs.standards ?? [];
  if (standards.length === 0 || c.equity.length === 0) return null;
  const { lang } = o;
  const w = equityWords(lang);
  const key = lang === 'zh-CN' ? 'zh' : 'en';
  const formulas = o.mode === 'formulas';
  const names = new Map(c.schools.map((s) => [s.code, s.name]));

  const heading = sheetHeading({ lang, name: w.title, ...placeOf(c) });
  const rows: PlannedRow[] = [...heading.rows];
  const merges: { r0: number; c0: number; r1: number; c1: number }[] = [];
  // The note wraps across the widest block, in a row tall enough.
  const noteRow = rows.length;
  rows.push({ role: 'note', cells: [{ value: w.note }], wrap: true });
  const cellFormats: [number, number, string][] = [];
  const conditionals: ConditionalPlan[] = [];
  let width = FIRST_VALUE + 2;

  const label = (text: string): PlannedCell => ({ value: text });
  // The column that holds, in some block, the floors a school does not meet.
  let wordsColumn = -1;
  for (const st of standards) {
    const floors = st.indicators.some((i) => i.floors !== undefined) && st.test === 'each';
    wordsColumn = Math.max(wordsColumn, layout(st, floors).shortfalls ?? -1);
  }
  const text = (s: string): string => formulaString(s);
  const judged = (ref: string, limit: number): string =>
    `=IF(ISNUMBER(${ref}),IF(${ref}<=${limit},${text(w.met)},${text(w.notMet)}),${text(w.unknown)})`;

  for (const result of c.equity) {
    const standard = standards.find((s) => s.code === result.code);
    if (standard === undefined) continue;
    const floors = standard.indicators.some((i) => i.floors !== undefined) && standard.test === 'each';
    const cols = layout(standard, floors);
    width = Math.max(width, cols.width);
    for (const stage of result.stages) blockOf(standard, stage, cols, floors);
    excludedBlock(standard, result);
  }

  /** One standard in one stage: monitoring table, school rows, pulls. */
  function blockOf(standard: EquityStandard, stage: EquityStageResult, cols: ReturnType<typeof layout>, floors: boolean): void {
    const n = standard.indicators.length;
    rows.push({ role: 'title', cells: [label(`${stageTitle(standard, stage, lang)}${lang === 'zh-CN' ? '：' : ': '}${stageVerdictLine(standard, stage, lang)}`)] });

    // ── monitoring table; the school rows it reads come after it ──
    const header = rows.length;
    const meanRow = header + 1;
    const sdRow = header + 2;
    const cvRow = header + 3;
    const limitRow = header + 4;
    const verdictRow = header + 5;
    const schoolHeader = header + 7;
    const first = schoolHeader + 1;
    const last = first + stage.schools.length - 1;
    const live = formulas && stage.schools.length > 0;
    const range = (col: number): string => `$${columnLetters(col)}$${first + 1}:$${columnLetters(col)}$${last + 1}`;
    const students = range(3);
    const compositeCol = cols.verdict;

    const tableRow = (role: PlannedRow['role'], name: string, cell: (j: number) => PlannedCell, composite: PlannedCell): PlannedRow => {
      const cells: PlannedCell[] = Array.from({ length: cols.width }, () => ({ value: null }));
      cells[0] = label(name);
      standard.indicators.forEach((_, j) => (cells[cols.value[j]!] = cell(j)));
      cells[compositeCol] = composite;
      return { role, cells };
    };
    const tableHeader = tableRow('header', w.item, (j) => label(`${standard.indicators[j]!.code} ${standard.indicators[j]!.label[key]}`), label(w.composite));
    rows.push({ ...tableHeader, height: wrappedHeight(tableHeader.cells.map((x) => String(x.value ?? '')), columnWidths(cols.width).map((wd, k) => (k === 0 ? 0 : wd))) });
    const at = (r: number, j: number): string => cellAddress(r, cols.value[j]!);
    rows.push(
      tableRow(
        'data',
        w.mean,
        (j) => {
          const value = num(stage.indicators[j]!.mean);
          const x = range(cols.value[j]!);
          return live ? { formula: `=IFERROR(SUMPRODUCT(${students},${x})/SUMIFS(${students},${x},">-1E+300"),"")`, value } : { value };
        },
        { value: null },
      ),
    );
    rows.push(
      tableRow(
        'data',
        w.sd,
        (j) => {
          const value = num(stage.indicators[j]!.sd);
          const x = range(cols.value[j]!);
          // Blank values (a school left out of this indicator) count with weight 0: ISNUMBER is 0 there.
          return live ? { formula: `=IFERROR(SQRT(SUMPRODUCT(${students},--ISNUMBER(${x}),(${x}-${at(meanRow, j)})^2)/SUMIFS(${students},${x},">-1E+300")),"")`, value } : { value };
        },
        { value: null },
      ),
    );
    const cvRefs = standard.indicators.map((_, j) => at(cvRow, j));
    rows.push(
      tableRow(
        'data',
        w.cv,
        (j) => {
          const value = num(stage.indicators[j]!.cv);
          return live ? { formula: `=IFERROR(${at(sdRow, j)}/${at(meanRow, j)},"")`, value } : { value };
        },
        live ? { formula: `=IF(COUNT(${cvRefs.join(',')})=${n},AVERAGE(${cvRefs.join(',')}),"")`, value: num(stage.composite) } : { value: num(stage.composite) },
      ),
    );
    const each = standard.test === 'each';
    rows.push(tableRow('data', w.limit, () => ({ value: each ? stage.threshold : null }), { value: each ? null : stage.threshold }));
    rows.push(
      tableRow(
        'data',
        w.verdict,
        (j) => {
          if (!each) return { value: null };
          const value = verdictWord(stage.indicators[j]!.met, lang);
          return live ? { formula: judged(at(cvRow, j), stage.threshold), value } : { value };
        },
        each ? { value: null } : live ? { formula: judged(cellAddress(cvRow, compositeCol), stage.threshold), value: verdictWord(stage.cvMet, lang) } : { value: verdictWord(stage.cvMet, lang) },
      ),
    );
    for (let j = 0; j < n; j++) {
      cellFormats.push([meanRow, cols.value[j]!, '#,##0.000'], [sdRow, cols.value[j]!, '#,##0.000'], [cvRow, cols.value[j]!, '0.000'], [limitRow, cols.value[j]!, '0.00']);
      if (each) conditionals.push({ r0: cvRow, c0: cols.value[j]!, r1: cvRow, c1: cols.value[j]!, op: '<=', value: stage.threshold });
    }
    cellFormats.push([cvRow, compositeCol, '0.000'], [limitRow, compositeCol, '0.00']);
    if (!each) conditionals.push({ r0: cvRow, c0: compositeCol, r1: cvRow, c1: compositeCol, op: '<=', value: stage.threshold });
    for (let r = header; r <= verdictRow; r++) merges.push({ r0: r, c0: 0, r1: r, c1: FIRST_VALUE - 1 });
    rows.push({ role: 'blank', cells: [] });

    // ── school rows ──
    const headerCells: PlannedCell[] = Array.from({ length: cols.width }, () => ({ value: null }));
    [w.schoolCode, w.schoolName, w.schoolType, w.students, w.share].forEach((h, k) => (headerCells[k] = label(h)));
    standard.indicators.forEach((ind, j) => {
      // The plain name, and the floor the value is held against where the standard sets one.
      const floor = ind.floors?.[stage.stage];
      headerCells[cols.value[j]!] = label(floors && floor !== undefined ? `${ind.label[key]}${w.floorOf(floor)}` : ind.label[key]);
    });
    headerCells[cols.verdict] = label(floors ? w.floorVerdict : '');
    if (cols.shortfalls !== null) headerCells[cols.shortfalls] = label(w.shortfallsHeading);
    rows.push({ role: 'header', cells: headerCells, height: wrappedHeight(headerCells.map((x) => String(x.value ?? '')), columnWidths(cols.width)) });
    if (stage.schools.length === 0) rows.push({ role: 'note', cells: [label(w.noSchools)] });
    stage.schools.forEach((s, k) => {
      const r = first + k;
      const cells: PlannedCell[] = Array.from({ length: cols.width }, () => ({ value: null }));
      cells[0] = { value: s.school };
      cells[1] = { value: s.name };
      cells[2] = { value: stageLabel(s.stage, lang) || null };
      cells[3] = { value: s.weight };
      cells[4] = { value: s.share };
      // Each floor: the value cell, marked green or red against it; the ones not met said in words at the end of the row.
      const held: { ref: string; floor: number }[] = [];
      const short: string[] = [];
      standard.indicators.forEach((ind, j) => {
        const x = num(s.values[j]);
        cells[cols.value[j]!] = { value: x };
        const f = s.floors[j];
        if (!floors || !f) return;
        held.push({ ref: cellAddress(r, cols.value[j]!), floor: f.floor });
        conditionals.push({ r0: r, c0: cols.value[j]!, r1: r, c1: cols.value[j]!, op: '>=', value: f.floor });
        if (!f.met && x !== null) short.push(w.shortfall(ind.label[key], x, f.floor, f.reached));
      });
      if (floors) {
        const value = verdictWord(s.met, lang);
        const refs = held.map((h) => h.ref);
        const shortCount = held.map((h) => `(${h.ref}<${h.floor})`).join('+');
        const lowest = `MIN(${held.map((h) => `${h.ref}/${h.floor}`).join(',')})`;
        cells[cols.verdict] =
          formulas && held.length > 0
            ? {
                formula: `=IF(COUNT(${refs.join(',')})<${refs.length},${text(w.unknown)},IF(${shortCount}=0,${text(w.met)},IF(AND(${shortCount}<=${FLOOR_SHORTFALLS_ALLOWED},${lowest}>=${FLOOR_SHORT_SHARE}),${text(w.met)},${text(w.notMet)})))`,
                value,
              }
            : { value };
        if (cols.shortfalls !== null) cells[cols.shortfalls] = { value: short.join(lang === 'zh-CN' ? '；' : '; ') || null };
      }
      rows.push({ role: 'data', cells, ...(cols.shortfalls !== null && cells[cols.shortfalls]?.value ? { height: wrappedHeight([String(cells[cols.shortfalls]!.value)], [WIDTHS.shortfalls]) } : {}) });
      cellFormats.push([r, 3, '#,##0'], [r, 4, '0.00']);
      for (let j = 0; j < n; j++) cellFormats.push([r, cols.value[j]!, '#,##0.000']);
    });

    // ── who pulls each CV up ──
    const withPulls = stage.indicators.filter((i) => i.pulls.length > 0);
    if (withPulls.length > 0) {
      rows.push({ role: 'note', cells: [label(w.pullsHeading)] });
      for (const ind of withPulls) {
        const list = ind.pulls
          .map((p) => {
            const who = names.get(p.school) ?? p.school;
            const pct = (p.share * 100).toFixed(0);
            const side = p.below ? w.below : w.above;
            return lang === 'zh-CN' ? `${who}（${pct}%，${side}）` : `${who} (${pct}%, ${side})`;
          })
          .join(lang === 'zh-CN' ? '、' : ', ');
        const name = standard.indicators.find((i) => i.code === ind.code)?.label[key] ?? ind.code;
        const r = rows.length;
        const cells: PlannedCell[] = Array.from({ length: cols.width }, () => ({ value: null }));
        cells[0] = label(name);
        cells[FIRST_VALUE] = label(list);
        const listWidth = columnWidths(cols.width).slice(FIRST_VALUE).reduce((a, b) => a + b, 0);
        merges.push({ r0: r, c0: 0, r1: r, c1: FIRST_VALUE - 1 }, { r0: r, c0: FIRST_VALUE, r1: r, c1: cols.width - 1 });
        rows.push({ role: 'data', cells, wrap: true, height: wrappedHeight([name, list], [columnWidths(FIRST_VALUE).reduce((a, b) => a + b, 0), listWidth]) });
      }
    }
    rows.push({ role: 'blank', cells: [] });
  }

  function excludedBlock(standard: EquityStandard, result: EquityResult): void {
    if (result.excluded.length === 0) return;
    rows.push({ role: 'title', cells: [label(`${standard.label[key]} — ${w.excludedHeading}`)] });
    rows.push({ role: 'header', cells: [label(w.school + (lang === 'zh-CN' ? '代码' : ' code')), label(w.school), label(lang === 'zh-CN' ? '学段' : 'Stage'), label(w.reason)] });
    // The figure missing by its name: a standard's own indicator (L3) or a form's (the weight's students), never its code.
    const nameOf = (code: string | undefined): string | undefined =>
      code === undefined ? undefined : (standard.indicators.find((i) => i.code === code)?.label[key] ?? defs.indicators.find((i) => i.code === code)?.label[key] ?? code);
    for (const e of result.excluded) {
      rows.push({
        role: 'data',
        cells: [{ value: e.school }, { value: names.get(e.school) ?? null }, { value: e.stage ? stageLabel(e.stage, lang) : null }, { value: w.reasons(e.reason, standard.minWeight, nameOf(e.indicator)) }],
      });
    }
    rows.push({ role: 'blank', cells: [] });
  }

  const widths = columnWidths(width);
  const columns: ColumnPlan[] = widths.map((wd, k) => ({ width: wd, ...(k < 3 ? { numberFormat: '@' } : {}), ...(k === width - 1 && standards.some((st) => st.test === 'each') ? { wrap: true } : {}) }));
  const across = widths.reduce((a, b) => a + b, 0);
  rows[noteRow] = { ...rows[noteRow]!, height: wrappedHeight([w.note], [across]) };
  merges.push({ r0: noteRow, c0: 0, r1: noteRow, c1: width - 1 });
  // On A4 landscape at a readable size: fitted to the page width only where that keeps the text at 9 pt or more.
  const scale = readableScale(widths, true);
  return {
    name: w.sheet,
    rows,
    columns,
    merges,
    cellFormats,
    conditionals,
    print: {
      landscape: true,
      fitToWidth: scale !== null,
      ...(scale === null ? { scale: 100, repeatCols: { c0: 0, c1: 1 } } : {}),
      margins: PAPER_MARGINS,
      center: true,
      footer: footerOf(c, lang),
    },
  };

  /** Widths of the first `n` columns: the words of the floors not met get room, every figure a column of its own. */
  function columnWidths(n: number): number[] {
    const fixed = [WIDTHS.code, WIDTHS.name, WIDTHS.type, WIDTHS.students, WIDTHS.share];
    return Array.from({ length: n }, (_, k) => (k < FIRST_VALUE ? fixed[k]! : k === wordsColumn ? WIDTHS.shortfalls : WIDTHS.value));
  }
}
