/** Small builders for the engine tests: definitions, submissions and school results as plain data. */
import { cellAddress, type CellValue } from '../../src/core/grid';
import type { Definitions, Indicator, Issue, Rate, Rule, School, SchoolResult, Submission } from '../../src/core/types';

/** One parameter of an issue of any code, by name: for assertions over issues of several codes at once. */
export function param(issue: Issue, name: string): unknown {
  return (issue.params as Readonly<Record<string, unknown>>)[name];
}

/** An indicator with defaults: an optional integer count summed up. */
export function ind(code: string, rest: Partial<Indicator> = {}): Indicator {
  return { code, label: { zh: code, en: code }, type: 'integer', required: false, aggregation: 'sum', ...rest };
}

/** A rule with defaults: error severity, skip if any operand is missing. */
export function rule(id: string, lhs: string, op: Rule['op'], rhs: string, rest: Partial<Rule> = {}): Rule {
  return { id, lhs, op, rhs, severity: 'error', message: { zh: id, en: id }, missing: 'skip_if_any_missing', ...rest };
}

/** A rate with defaults: a percentage to 1 decimal. */
export function rate(code: string, numerator: string, denominator: string, rest: Partial<Rate> = {}): Rate {
  return { code, label: { zh: code, en: code }, numerator, denominator, factor: 100, decimals: 1, ...rest };
}

/** Definitions with the given parts; indicators default to STUDENTS and BOOKS. */
export function definitionsWith(parts: Partial<Definitions> = {}): Definitions {
  return {
    title: { zh: '测试', en: 'Test' },
    indicators: [ind('STUDENTS'), ind('BOOKS')],
    rules: [],
    rates: [],
    dispersions: [],
    roster: [],
    layout: {
      kind: 'form',
      schoolCodeLabels: ['学校代码'],
      schoolNameLabels: ['学校名称'],
      periodLabels: ['填报期'],
      codeHeaders: ['代码'],
      labelHeaders: ['指标'],
      unitHeaders: ['单位'],
      valueHeaders: ['数值'],
    },
    ...parts,
  };
}

/** A school result with defaults (included, no issues). */
export function schoolResult(parts: Partial<SchoolResult> & { code: string }): SchoolResult {
  return { name: parts.code, sheet: '填报表', values: {}, cells: {}, rates: {}, errors: 0, warnings: 0, included: true, ...parts };
}

/**
 * A submission whose cells sit in column D from row 7 in the order of `order` (or of `values`),
 * as a form sheet would hold them. `formats` gives number formats by code.
 */
export function submission(
  schoolCode: string,
  values: Readonly<Record<string, CellValue>>,
  extra: Partial<Omit<Submission, 'raw'>> & { formats?: Readonly<Record<string, string>>; order?: readonly string[] } = {},
): Submission {
  const { formats, order, ...rest } = extra;
  const codes = order ?? Object.keys(values);
  const raw: Record<string, { value: CellValue; cell: string; numberFormat?: string | null }> = {};
  codes.forEach((code, i) => {
    if (!(code in values)) return;
    const f = formats?.[code];
    raw[code] = { value: values[code] ?? null, cell: cellAddress(6 + i, 3), ...(f !== undefined ? { numberFormat: f } : {}) };
  });
  return { schoolCode, sheet: '填报表', file: `${schoolCode}.xlsx`, schoolCodeCell: 'C3', ...rest, raw };
}

/** A roster school. */
export function rosterSchool(code: string, stage: School['stage'], township?: string, name = `学校${code}`): School {
  return { code, name, stage, ...(township !== undefined ? { township } : {}) };
}
