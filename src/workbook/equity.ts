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

/** Where each indicator's value (and floor check) column is in a standard's blocks. */
function layout(standard: EquityStandard): { value: number[]; check: (number | null)[]; verdict: number; width: number } {
  const value: number[] = [];
  const check: (number | null)[] = [];
  let c = FIRST_VALUE;
  for (const ind of standard.indicators) {
    value.push(c++);
    check.push(ind.floors !== undefined ? c++ : null);
  }
  return { value, check, verdict: c, width: c + 1 };
}

/** The 均衡 sheet, or null when the definitions hold no standard. */
export function buildEquityPlan(c: Consolidation, defs: Definitions, o: EquityOptions): SheetPlan | null {
  const standards = defs.standards ?? [];
  if (standards.length === 0 || c.equity.length === 0) return null;
  const { lang } = o;
  const w = equityWords(lang);
  const key = lang === 'zh-CN' ? 'zh' : 'en';
  const formulas = o.mode === 'formulas';
  const names = new Map(c.schools.map((s) => [s.code, s.name]));

  const rows: PlannedRow[] = [
    { role: 'title', cells: [{ value: [w.sheet, c.title[key], c.period ?? ''].filter((s) => s !== '').join(' — ') }] },
    { role: 'note', cells: [{ value: w.note }] },
  ];
  const merges: { r0: number; c0: number; r1: number; c1: number }[] = [];
  const cellFormats: [number, number, string][] = [];
  const conditionals: ConditionalPlan[] = [];
  let width = FIRST_VALUE + 2;

  const label = (text: string): PlannedCell => ({ value: text });
  const text = (s: string): string => formulaString(s);
  const judged = (ref: string, limit: number): string =>
    `=IF(ISNUMBER(${ref}),IF(${ref}<=${limit},${text(w.met)},${text(w.notMet)}),${text(w.unknown)})`;

  for (const result of c.equity) {
    const standard = standards.find((s) => s.code === result.code);
    if (standard === undefined) continue;
    const cols = layout(standard);
    width = Math.max(width, cols.width);
    const floors = standard.indicators.some((i) => i.floors !== undefined) && standard.test === 'each';
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
    rows.push(tableRow('header', w.item, (j) => label(`${standard.indicators[j]!.code} ${standard.indicators[j]!.label[key]}`), label(w.composite)));
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
    [w.school + (lang === 'zh-CN' ? '代码' : ' code'), w.school, lang === 'zh-CN' ? '类型' : 'Type', w.students, w.share].forEach((h, k) => (headerCells[k] = label(h)));
    standard.indicators.forEach((ind, j) => {
      headerCells[cols.value[j]!] = label(ind.code);
      const ck = cols.check[j];
      if (ck !== null && ck !== undefined) headerCells[ck] = label(`${ind.code} ${w.floor}`);
    });
    headerCells[cols.verdict] = label(floors ? w.verdict : '');
    rows.push({ role: 'header', cells: headerCells });
    if (stage.schools.length === 0) rows.push({ role: 'note', cells: [label(w.noSchools)] });
    stage.schools.forEach((s, k) => {
      const r = first + k;
      const cells: PlannedCell[] = Array.from({ length: cols.width }, () => ({ value: null }));
      cells[0] = { value: s.school };
      cells[1] = { value: s.name };
      cells[2] = { value: stageLabel(s.stage, lang) || null };
      cells[3] = { value: s.weight };
      cells[4] = { value: s.share };
      const checks: string[] = [];
      standard.indicators.forEach((_, j) => {
        const x = num(s.values[j]);
        cells[cols.value[j]!] = { value: x };
        const ck = cols.check[j];
        const f = s.floors[j];
        if (ck === null || ck === undefined || !f) return;
        const value = f.reached === null ? null : f.met ? w.met : f.reached;
        const ref = cellAddress(r, cols.value[j]!);
        checks.push(cellAddress(r, ck));
        cells[ck] = formulas ? { formula: `=IF(ISNUMBER(${ref}),IF(${ref}>=${f.floor},${text(w.met)},${ref}/${f.floor}),"")`, value } : { value };
        cellFormats.push([r, ck, '0.0%']);
      });
      if (floors) {
        const value = verdictWord(s.met, lang);
        const valueRefs = standard.indicators.map((_, j) => cellAddress(r, cols.value[j]!)).filter((_, j) => cols.check[j] !== null);
        const short = `COUNT(${checks.join(',')})`;
        cells[cols.verdict] =
          formulas && checks.length > 0
            ? {
                formula: `=IF(COUNT(${valueRefs.join(',')})<${valueRefs.length},${text(w.unknown)},IF(${short}=0,${text(w.met)},IF(AND(${short}<=${FLOOR_SHORTFALLS_ALLOWED},MIN(${checks.join(',')})>=${FLOOR_SHORT_SHARE}),${text(w.met)},${text(w.notMet)})))`,
                value,
              }
            : { value };
      }
      rows.push({ role: 'data', cells });
      cellFormats.push([r, 3, '#,##0'], [r, 4, '0.0000']);
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
        rows.push({ role: 'data', cells: [label(ind.code), label(list)] });
      }
    }
    rows.push({ role: 'blank', cells: [] });
  }

  function excludedBlock(standard: EquityStandard, result: EquityResult): void {
    if (result.excluded.length === 0) return;
    rows.push({ role: 'title', cells: [label(`${standard.label[key]} — ${w.excludedHeading}`)] });
    rows.push({ role: 'header', cells: [label(w.school + (lang === 'zh-CN' ? '代码' : ' code')), label(w.school), label(lang === 'zh-CN' ? '学段' : 'Stage'), label(w.reason)] });
    for (const e of result.excluded) {
      rows.push({
        role: 'data',
        cells: [{ value: e.school }, { value: names.get(e.school) ?? null }, { value: e.stage ? stageLabel(e.stage, lang) : null }, { value: w.reasons(e.reason, standard.minWeight, e.indicator) }],
      });
    }
    rows.push({ role: 'blank', cells: [] });
  }

  const columns: ColumnPlan[] = Array.from({ length: width }, (_, k) =>
    k === 0 ? { width: 14, numberFormat: '@' } : k === 1 ? { width: 26, numberFormat: '@' } : k === 2 ? { width: 12, numberFormat: '@' } : k < FIRST_VALUE ? { width: 10 } : { width: 12 },
  );
  return {
    name: w.sheet,
    rows,
    columns,
    merges,
    cellFormats,
    conditionals,
    print: { landscape: true, fitToWidth: true, footer: [c.title[key], c.period ?? ''].filter((x) => x !== '').join(' ') },
  };
}
