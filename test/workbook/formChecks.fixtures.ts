/** Definitions and filled forms shared by the tests of the school form's own checks. */
import type { Definitions, Rule } from '../../src/core/types';
import type { PlannedCell, SheetPlan } from '../../src/workbook/plan';
import { testDefinitions } from './fixtures';

const rule = (id: string, lhs: string, op: Rule['op'], rhs: string, zh: string, missing: Rule['missing'] = 'skip_if_any_missing'): Rule => ({
  id,
  lhs,
  op,
  rhs,
  severity: 'error',
  missing,
  message: { zh, en: id },
});

/** The test definitions with rules: a sum, a part within its whole, and one naming a figure the form lacks. */
export function checkedDefinitions(): Definitions {
  const base = testDefinitions();
  return {
    ...base,
    rules: [
      rule('SUM_STUDENTS', 'BOYS + GIRLS', '==', 'STUDENTS', '男生数与女生数之和应等于在校生数'),
      rule('VACC_PART', 'STAFF_VACC', '<=', 'STAFF_TOTAL', '已接种教职工数不能多于教职工数'),
      rule('PE_PART', 'PE_EXCELLENT + PE_GOOD', '<=', 'PE_TESTED', '优秀与良好人数之和不能多于测试人数', 'skip_if_all_missing'),
      rule('GHOST', 'LAST_YEAR_STUDENTS', '>=', '0', '上年在校生数不能为负'),
    ],
  };
}

/** The zero-based row of the form that holds `code` in its code column. */
export function rowOf(p: SheetPlan, code: string): number {
  const r = p.rows.findIndex((row) => row.cells[0]?.value === code);
  if (r < 0) throw new Error(`no row for ${code}`);
  return r;
}

/** The plan with values typed into the value column (column D). */
export function filled(p: SheetPlan, values: Readonly<Record<string, number | string | null>>): SheetPlan {
  const rows = p.rows.map((row) => ({ ...row, cells: [...row.cells] as PlannedCell[] }));
  for (const [code, v] of Object.entries(values)) {
    const r = rowOf(p, code);
    rows[r]!.cells[3] = { value: v };
  }
  return { ...p, rows };
}


/** The checked definitions with a table layout: one row per school. */
export function checkedTableDefinitions(): Definitions {
  return { ...checkedDefinitions(), layout: { kind: 'table', schoolCodeHeaders: ['学校代码', 'School code'], schoolNameHeaders: ['学校名称', 'School name'] } };
}

/** A one-row table form with values typed into the indicators' columns. */
export function filledTable(p: SheetPlan, defs: Definitions, values: Readonly<Record<string, number | string | null>>): SheetPlan {
  const cells = [...p.rows[1]!.cells] as PlannedCell[];
  defs.indicators.forEach((ind, i) => {
    if (ind.code in values) cells[i + 2] = { value: values[ind.code] ?? null };
  });
  return { ...p, rows: [p.rows[0]!, { ...p.rows[1]!, cells }] };
}
