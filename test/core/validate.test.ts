import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CellValue } from '../../src/core/grid';
import { ISSUE_CODES, issueMessage } from '../../src/core/messages';
import type { Comparator, Definitions, Issue, IssueCode, MissingStrategy, Submission } from '../../src/core/types';
import { validate } from '../../src/core/validate';
import { definitionsWith, ind, param, rate, rosterSchool, rule, submission } from './engine-helpers';

/** A small district sheet: counts, a stated vaccination rate, a decimal, a fraction, free text and a code kept as text. */
const INDICATORS = [
  ind('STUDENTS', { required: true, min: 0 }),
  ind('BOYS', { min: 0 }),
  ind('GIRLS', { min: 0 }),
  ind('STAFF', { required: true, min: 0 }),
  ind('VACC', { min: 0 }),
  ind('VACC_RATE', { type: 'percent', max: 100, aggregation: 'none' }),
  ind('AREA', { type: 'decimal', min: 0 }),
  ind('SHARE', { type: 'fraction', aggregation: 'none' }),
  ind('NOTE', { type: 'text', aggregation: 'none' }),
  ind('ORG', { type: 'code', aggregation: 'none' }),
];
const ORDER = INDICATORS.map((i) => i.code);
/** Where the helper puts each indicator: column D from row 7, in ORDER. */
const CELL = Object.fromEntries(ORDER.map((c, i) => [c, `D${7 + i}`])) as Record<string, string>;

const RATE_VACC = rate('R_VACC', 'VACC', 'STAFF', { decimals: 2, stated: 'VACC_RATE' });

function defsWith(parts: Partial<Definitions> = {}): Definitions {
  return definitionsWith({ indicators: INDICATORS, roster: [rosterSchool('001', '小学', '东镇', '第一小学')], ...parts });
}

/** A clean sheet for school 001; `values` overrides single cells. */
function sheet(values: Readonly<Record<string, CellValue>> = {}, code = '001', extra: Partial<Omit<Submission, 'raw'>> & { formats?: Record<string, string> } = {}): Submission {
  const base: Record<string, CellValue> = { STUDENTS: 1200, BOYS: 610, GIRLS: 590, STAFF: 2381, VACC: 2115 };
  const order = [...ORDER, ...Object.keys(values).filter((c) => !ORDER.includes(c))];
  return submission(code, { ...base, ...values }, { order, ...extra });
}

function issuesOf(subs: readonly Submission[], defs: Definitions = defsWith(), options = {}): Issue[] {
  return [...validate(subs, defs, options).issues];
}

/** The one issue at a code's cell, with what locates it. */
function only(issues: readonly Issue[], code: IssueCode): Issue {
  const found = issues.filter((i) => i.code === code);
  expect(found, `${code} in ${JSON.stringify(issues.map((i) => i.code))}`).toHaveLength(1);
  return found[0]!;
}

describe('validate: a clean sheet', () => {
  it('gives no issue and the parsed values, cells and rates of the school', () => {
    const { schools, issues } = validate([sheet({ VACC_RATE: 88.83, AREA: 5400.5, SHARE: 0.5, NOTE: '无备注', ORG: '0012345678' })], defsWith({ rates: [RATE_VACC] }));
    expect(issues).toEqual([]);
    expect(schools).toHaveLength(1);
    const s = schools[0]!;
    expect(s).toMatchObject({ code: '001', name: '第一小学', stage: '小学', township: '东镇', file: '001.xlsx', sheet: '填报表', errors: 0, warnings: 0, included: true });
    expect(s.values).toEqual({ STUDENTS: 1200, BOYS: 610, GIRLS: 590, STAFF: 2381, VACC: 2115, VACC_RATE: 88.83, AREA: 5400.5, SHARE: 0.5, NOTE: '无备注', ORG: '0012345678' });
    expect(s.cells).toEqual(CELL);
    expect(s.rates.R_VACC!.numerator).toBe(2115);
    expect(s.rates.R_VACC!.denominator).toBe(2381);
    expect(s.rates.R_VACC!.value).toBe((2115 / 2381) * 100);
  });
});

describe('validate: cell values, each problem at its own cell', () => {
  /** Cases of one cell: what the school typed, what it reads as, and the coercions listed. */
  const coerced: [string, string, CellValue, number, string][] = [
    ['full-width digits', 'STUDENTS', '１２００', 1200, 'fullwidth,text_number'],
    ['a thousands separator', 'STAFF', '2,381', 2381, 'thousands,text_number'],
    ['full-width digits and comma', 'STAFF', '２，３８１', 2381, 'fullwidth,thousands,text_number'],
    ['万 as a unit', 'STUDENTS', '0.12万', 1200, 'wan_unit,text_number'],
    ['a unit after the number', 'GIRLS', '590人', 590, 'unit_stripped,text_number'],
    ['spaces around a number', 'BOYS', ' 610 ', 610, 'spaces,text_number'],
    ['a dash for zero', 'BOYS', '—', 0, 'dash_as_zero'],
    ['无 for zero', 'GIRLS', '无', 0, 'none_as_zero'],
    ['a percent string in a percent field (0–100)', 'VACC_RATE', '88.84%', 88.84, 'percent_sign,text_number'],
    ['a percent string in a fraction field (0–1)', 'SHARE', '95%', 0.95, 'percent_sign,text_number'],
    ['a percent string in a decimal field', 'AREA', '50%', 0.5, 'percent_sign,text_number'],
  ];
  it.each(coerced)('reads %s and reports it as info at the cell', (_what, code, typed, value, coercions) => {
    const { schools, issues } = validate([sheet({ [code]: typed })], defsWith());
    expect(schools[0]!.values[code]).toBe(value);
    const coercedIssues = issues.filter((i) => i.code === 'value.coerced');
    expect(coercedIssues).toEqual([
      { code: 'value.coerced', severity: 'info', school: '001', file: '001.xlsx', sheet: '填报表', cell: CELL[code], subject: code, original: typed, params: { code, label: code, label_en: code, coercions, value } },
    ]);
  });

  const unreadable: [string, string, CellValue, IssueCode, Record<string, unknown>][] = [
    ['`1,23,4` (commas in the wrong places)', 'STAFF', '1,23,4', 'value.bad_thousands', { original: '1,23,4' }],
    ['text that is not a number', 'BOYS', '约六百', 'value.not_a_number', { original: '约六百' }],
    ['the error value #DIV/0!', 'VACC', { error: '#DIV/0!' }, 'value.formula_error', { error: '#DIV/0!' }],
    ['the text #REF! pasted from a broken formula', 'GIRLS', '#REF!', 'value.formula_error', { error: '#REF!' }],
    ['a date typed as text', 'STUDENTS', '2024-05-01', 'value.date_for_number', { date: '2024-05-01' }],
    ['a year and month typed as text', 'AREA', '2024年5月', 'value.date_for_number', { date: '2024-05' }],
  ];
  it.each(unreadable)('reports %s as an error at its cell, leaving the value missing', (_what, code, typed, issueCode, params) => {
    const { schools, issues } = validate([sheet({ [code]: typed })], defsWith());
    expect(schools[0]!.values[code]).toBeNull();
    const issue = only(issues, issueCode);
    expect(issue).toMatchObject({ severity: 'error', school: '001', sheet: '填报表', cell: CELL[code], subject: code, params: { code, ...params } });
    expect(issues.filter((i) => i.cell === CELL[code])).toHaveLength(1);
  });

  it('reports a date where a number belongs from the cell’s date format, with the date it shows', () => {
    const issues = issuesOf([sheet({ AREA: 45413 }, '001', { formats: { AREA: 'yyyy-mm-dd' } })]);
    // 45413 days after 1899-12-30 is 2024-05-01.
    expect(only(issues, 'value.date_for_number')).toMatchObject({ severity: 'error', cell: CELL.AREA, original: '45413', params: { date: '2024-05-01' } });
  });

  it('reads a 0.00% formatted cell as the percent it shows, without a query', () => {
    const { schools, issues } = validate([sheet({ VACC_RATE: 0.8883 }, '001', { formats: { VACC_RATE: '0.00%' } })], defsWith({ rates: [RATE_VACC] }));
    expect(schools[0]!.values.VACC_RATE).toBe(88.83);
    expect(issues).toEqual([]);
  });

  it('warns when a code was stored as a number, keeping it as text with its leading zeros', () => {
    const { schools, issues } = validate([sheet({ ORG: 12345678 }, '001', { formats: { ORG: '0000000000' } })], defsWith());
    expect(schools[0]!.values.ORG).toBe('0012345678');
    expect(only(issues, 'value.code_as_number')).toMatchObject({ severity: 'warning', cell: CELL.ORG, subject: 'ORG', original: '12345678' });
  });

  it('keeps free text as typed and queries nothing', () => {
    const { schools, issues } = validate([sheet({ NOTE: ' 新校区 2024 年启用 ' })], defsWith());
    expect(schools[0]!.values.NOTE).toBe('新校区 2024 年启用');
    expect(issues).toEqual([]);
  });

  it('lists a messy sheet’s issues whole, in the order of the sheet, rules after cells', () => {
    const defs = defsWith({
      rules: [rule('R_SEX', 'BOYS + GIRLS', '==', 'STUDENTS'), rule('R_VACC', 'VACC', '<=', 'STAFF')],
      rates: [RATE_VACC],
    });
    const issues = issuesOf([sheet({ STUDENTS: '１，２００', GIRLS: '580人', STAFF: '1,23,4', VACC_RATE: '88.84%', AREA: { error: '#DIV/0!' } })], defs);
    // STUDENTS reads as 1200 and GIRLS as 580, so 610 + 580 = 1190 ≠ 1200 fails at BOYS's cell (the rule's first operand).
    // STAFF cannot be read: it is reported once (not also as required), R_VACC and the stated rate say nothing about it.
    expect(issues).toMatchInlineSnapshot(`
      [
        {
          "cell": "D7",
          "code": "value.coerced",
          "file": "001.xlsx",
          "original": "１，２００",
          "params": {
            "code": "STUDENTS",
            "coercions": "fullwidth,thousands,text_number",
            "label": "STUDENTS",
            "label_en": "STUDENTS",
            "value": 1200,
          },
          "school": "001",
          "severity": "info",
          "sheet": "填报表",
          "subject": "STUDENTS",
        },
        {
          "cell": "D9",
          "code": "value.coerced",
          "file": "001.xlsx",
          "original": "580人",
          "params": {
            "code": "GIRLS",
            "coercions": "unit_stripped,text_number",
            "label": "GIRLS",
            "label_en": "GIRLS",
            "value": 580,
          },
          "school": "001",
          "severity": "info",
          "sheet": "填报表",
          "subject": "GIRLS",
        },
        {
          "cell": "D10",
          "code": "value.bad_thousands",
          "file": "001.xlsx",
          "original": "1,23,4",
          "params": {
            "code": "STAFF",
            "label": "STAFF",
            "label_en": "STAFF",
            "original": "1,23,4",
          },
          "school": "001",
          "severity": "error",
          "sheet": "填报表",
          "subject": "STAFF",
        },
        {
          "cell": "D12",
          "code": "value.coerced",
          "file": "001.xlsx",
          "original": "88.84%",
          "params": {
            "code": "VACC_RATE",
            "coercions": "percent_sign,text_number",
            "label": "VACC_RATE",
            "label_en": "VACC_RATE",
            "value": 88.84,
          },
          "school": "001",
          "severity": "info",
          "sheet": "填报表",
          "subject": "VACC_RATE",
        },
        {
          "cell": "D13",
          "code": "value.formula_error",
          "file": "001.xlsx",
          "original": "#DIV/0!",
          "params": {
            "code": "AREA",
            "error": "#DIV/0!",
            "label": "AREA",
            "label_en": "AREA",
          },
          "school": "001",
          "severity": "error",
          "sheet": "填报表",
          "subject": "AREA",
        },
        {
          "cell": "D8",
          "code": "rule.failed",
          "file": "001.xlsx",
          "params": {
            "lhs": "BOYS + GIRLS",
            "lhsValue": 1190,
            "lhs_en": "BOYS + GIRLS",
            "lhs_zh": "BOYS + GIRLS",
            "message_en": "R_SEX",
            "message_zh": "R_SEX",
            "op": "==",
            "rhs": "STUDENTS",
            "rhsValue": 1200,
            "rhs_en": "STUDENTS",
            "rhs_zh": "STUDENTS",
            "rule": "R_SEX",
          },
          "school": "001",
          "severity": "error",
          "sheet": "填报表",
          "subject": "R_SEX",
        },
      ]
    `);
  });
});

describe('validate: required, whole numbers and bounds', () => {
  it('reports a required value left blank at its cell, and one not on the sheet at all without a cell', () => {
    const blank = issuesOf([sheet({ STUDENTS: null })]);
    expect(blank).toEqual([{ code: 'value.required_missing', severity: 'error', school: '001', file: '001.xlsx', sheet: '填报表', cell: 'D7', subject: 'STUDENTS', params: { code: 'STUDENTS', label: 'STUDENTS', label_en: 'STUDENTS' } }]);
    const absent = submission('001', { STUDENTS: 1200 });
    const issues = issuesOf([absent]);
    expect(issues.map((i) => [i.code, i.subject, i.cell])).toEqual([['value.required_missing', 'STAFF', undefined]]);
  });

  it('does not count a dash or 无 as missing: they read as 0', () => {
    const issues = issuesOf([sheet({ STUDENTS: '—', STAFF: '无', VACC: 0, BOYS: 0, GIRLS: 0 })]);
    expect(issues.map((i) => i.code)).toEqual(['value.coerced', 'value.coerced']);
  });

  it('reports a fraction in a count as not a whole number, and a decimal field accepts it', () => {
    const issues = issuesOf([sheet({ BOYS: 610.5, AREA: 10.25 })]);
    expect(issues).toEqual([{ code: 'value.not_integer', severity: 'error', school: '001', file: '001.xlsx', sheet: '填报表', cell: CELL.BOYS, subject: 'BOYS', params: { code: 'BOYS', label: 'BOYS', label_en: 'BOYS', value: 610.5 } }]);
  });

  it('reports values below the minimum and above the maximum, with the bound', () => {
    const issues = issuesOf([sheet({ GIRLS: -5, VACC_RATE: 101 })]);
    expect(issues.map((i) => [i.code, i.severity, i.cell, param(i, 'value'), param(i, 'min') ?? param(i, 'max')])).toEqual([
      ['value.below_min', 'error', CELL.GIRLS, -5, 0],
      ['value.above_max', 'error', CELL.VACC_RATE, 101, 100],
    ]);
    // Exactly on the bounds is fine.
    expect(issuesOf([sheet({ GIRLS: 0, BOYS: 0, VACC_RATE: 100 })])).toEqual([]);
  });

  it('queries a percent above 100 as a warning when the indicator sets no maximum (a gross ratio may exceed 100)', () => {
    const defs = defsWith({ indicators: [...INDICATORS, ind('GER', { type: 'percent', aggregation: 'none' })] });
    const issues = issuesOf([submission('001', { STUDENTS: 1, STAFF: 1, GER: 104.5 })], defs);
    expect(issues).toEqual([{ code: 'rate.above_100', severity: 'warning', school: '001', file: '001.xlsx', sheet: '填报表', cell: 'D9', subject: 'GER', params: { code: 'GER', label: 'GER', label_en: 'GER', value: 104.5 } }]);
    expect(issuesOf([submission('001', { STUDENTS: 1, STAFF: 1, GER: 100 })], defs)).toEqual([]);
  });

  it('queries a fraction typed as a percent, suggesting the fraction', () => {
    const issue = only(issuesOf([sheet({ SHARE: 95 })]), 'value.fraction_as_percent');
    expect(issue).toMatchObject({ severity: 'warning', cell: CELL.SHARE, params: { value: 95, suggested: 0.95 } });
    expect(issuesOf([sheet({ SHARE: 1 })])).toEqual([]);
  });
});

describe('validate: percent typed as a fraction', () => {
  const roster = ['001', '002', '003', '004'].map((c) => rosterSchool(c, '小学'));

  it('is queried when the school’s own counts give a rate far above the fraction it typed', () => {
    const issues = issuesOf([sheet({ VACC_RATE: 0.8883 })], defsWith({ rates: [RATE_VACC] }));
    expect(issues).toEqual([
      { code: 'value.percent_as_fraction', severity: 'warning', school: '001', file: '001.xlsx', sheet: '填报表', cell: CELL.VACC_RATE, subject: 'VACC_RATE', params: { code: 'VACC_RATE', label: 'VACC_RATE', label_en: 'VACC_RATE', value: 0.8883, suggested: 88.83 } },
    ]);
  });

  it('is not queried when the counts agree that the rate is below 1 %', () => {
    // 1 vaccinated of 200 staff is 0.5 %, exactly what was typed.
    expect(issuesOf([sheet({ STAFF: 200, VACC: 1, VACC_RATE: 0.5 })], defsWith({ rates: [RATE_VACC] }))).toEqual([]);
  });

  it('without a rate to check against, is queried when most schools report above 1', () => {
    const subs = [sheet({ VACC_RATE: 95 }, '001'), sheet({ VACC_RATE: 96 }, '002'), sheet({ VACC_RATE: 0.97 }, '003'), sheet({ VACC_RATE: 98 }, '004')];
    const issues = issuesOf(subs, defsWith({ roster }));
    expect(issues.map((i) => [i.code, i.school, i.cell, param(i, 'suggested')])).toEqual([['value.percent_as_fraction', '003', CELL.VACC_RATE, 97]]);
  });

  it('without a rate, is not queried when most schools report small percentages', () => {
    const subs = [sheet({ VACC_RATE: 0.5 }, '001'), sheet({ VACC_RATE: 0.6 }, '002'), sheet({ VACC_RATE: 0.7 }, '003'), sheet({ VACC_RATE: 2 }, '004')];
    expect(issuesOf(subs, defsWith({ roster }))).toEqual([]);
  });
});

describe('validate: rules', () => {
  const ops: Comparator[] = ['==', '!=', '<', '<=', '>', '>='];
  /** The comparison written out independently of the engine. */
  const holds = (l: number, op: Comparator, r: number): boolean =>
    op === '==' ? l === r : op === '!=' ? l !== r : op === '<' ? l < r : op === '<=' ? l <= r : op === '>' ? l > r : l >= r;

  for (const op of ops) {
    it(`evaluates ${op} and reports a failure at the first operand’s cell with both sides’ values`, () => {
      const defs = defsWith({ rules: [rule('R', 'BOYS', op, 'GIRLS')] });
      for (const [boys, girls] of [[500, 600], [600, 600], [700, 600]] as const) {
        const issues = issuesOf([sheet({ BOYS: boys, GIRLS: girls })], defs);
        if (holds(boys, op, girls)) {
          expect(issues, `${boys} ${op} ${girls}`).toEqual([]);
        } else {
          expect(issues, `${boys} ${op} ${girls}`).toEqual([
            {
              code: 'rule.failed',
              severity: 'error',
              school: '001',
              file: '001.xlsx',
              sheet: '填报表',
              cell: CELL.BOYS,
              subject: 'R',
              params: { rule: 'R', lhs: 'BOYS', op, rhs: 'GIRLS', lhs_zh: 'BOYS', lhs_en: 'BOYS', rhs_zh: 'GIRLS', rhs_en: 'GIRLS', lhsValue: boys, rhsValue: girls, message_zh: 'R', message_en: 'R' },
            },
          ]);
        }
      }
    });
  }

  it('takes the severity from the rule: a warning rule gives a query', () => {
    const issues = issuesOf([sheet({ VACC: 2400 })], defsWith({ rules: [rule('R', 'VACC', '<=', 'STAFF', { severity: 'warning' })] }));
    expect(only(issues, 'rule.failed')).toMatchObject({ severity: 'warning', cell: CELL.VACC, params: { lhsValue: 2400, rhsValue: 2381 } });
  });

  it('allows the tolerance on ==: a difference up to it passes, beyond it fails and says the tolerance', () => {
    const defs = defsWith({ rules: [rule('R_SEX', 'BOYS + GIRLS', '==', 'STUDENTS', { tolerance: 2 })] });
    expect(issuesOf([sheet({ BOYS: 610, GIRLS: 588 })], defs)).toEqual([]); // 1198, off by 2
    expect(issuesOf([sheet({ BOYS: 610, GIRLS: 592 })], defs)).toEqual([]); // 1202, off by 2
    const issue = only(issuesOf([sheet({ BOYS: 610, GIRLS: 587 })], defs), 'rule.failed'); // 1197, off by 3
    expect(issue.params).toMatchObject({ lhsValue: 1197, rhsValue: 1200, tolerance: 2 });
    // Without a tolerance the same 2 fails.
    expect(issuesOf([sheet({ BOYS: 610, GIRLS: 588 })], defsWith({ rules: [rule('R_SEX', 'BOYS + GIRLS', '==', 'STUDENTS')] })).map((i) => i.code)).toEqual(['rule.failed']);
  });

  it('compares decimals without binary noise: 0.1 + 0.2 == 0.3', () => {
    const defs = defsWith({ indicators: [ind('X', { type: 'decimal' }), ind('Y', { type: 'decimal' }), ind('Z', { type: 'decimal' })], rules: [rule('R', 'X + Y', '==', 'Z')], roster: [] });
    expect(issuesOf([submission('001', { X: 0.1, Y: 0.2, Z: 0.3 })], defs)).toEqual([]);
    expect(issuesOf([submission('001', { X: 0.1, Y: 0.2, Z: 0.31 })], defs).map((i) => i.code)).toEqual(['rule.failed']);
  });

  describe('missing-value strategies (DHIS2)', () => {
    /** `A + B == C` and `A + B >= 1` under one strategy, for one school. */
    function run(strategy: MissingStrategy, values: Record<string, CellValue>): string[] {
      const defs = definitionsWith({
        indicators: [ind('A'), ind('B'), ind('C')],
        rules: [rule('SUM', 'A + B', '==', 'C', { missing: strategy }), rule('ANY', 'A + B', '>=', '1', { missing: strategy })],
      });
      return issuesOf([submission('S', values)], defs).map((i) => `${i.subject}:${param(i, 'lhsValue')}${param(i, 'op')}${param(i, 'rhsValue')}`);
    }
    const someMissing = { A: 5, B: null, C: 7 };
    const someMissingButAddsUp = { A: 7, B: null, C: 7 };
    const allMissing = { A: null, B: null, C: null };

    it('skip if any missing (the default): a rule with a blank operand is not evaluated', () => {
      expect(run('skip_if_any_missing', someMissing)).toEqual([]);
      expect(run('skip_if_any_missing', allMissing)).toEqual([]);
      expect(run('skip_if_any_missing', { A: 5, B: 1, C: 7 })).toEqual(['SUM:6==7']);
    });

    it('skip if all missing: evaluated with blanks as 0 when at least one operand is there', () => {
      expect(run('skip_if_all_missing', someMissing)).toEqual(['SUM:5==7']);
      expect(run('skip_if_all_missing', someMissingButAddsUp)).toEqual([]);
      expect(run('skip_if_all_missing', allMissing)).toEqual([]);
    });

    it('never skip (missing as 0): evaluated even when everything is blank', () => {
      expect(run('never_skip', someMissing)).toEqual(['SUM:5==7']);
      expect(run('never_skip', someMissingButAddsUp)).toEqual([]);
      expect(run('never_skip', allMissing)).toEqual(['ANY:0>=1']);
    });
  });

  it('says nothing about a rule whose operand could not be read: the cell’s own issue is enough', () => {
    const defs = defsWith({ rules: [rule('R_SEX', 'BOYS + GIRLS', '==', 'STUDENTS', { missing: 'never_skip' })] });
    const issues = issuesOf([sheet({ GIRLS: '#N/A' })], defs);
    expect(issues.map((i) => i.code)).toEqual(['value.formula_error']);
  });

  it('reports a rule that cannot be computed (division by zero) as a query, with the side and the error', () => {
    const defs = defsWith({ rules: [rule('R_DIV', 'VACC / STAFF', '<=', '1')] });
    const issues = issuesOf([sheet({ STAFF: 0, VACC: 0 })], defs);
    expect(issues).toEqual([
      { code: 'rule.eval_error', severity: 'warning', school: '001', file: '001.xlsx', sheet: '填报表', cell: CELL.VACC, subject: 'R_DIV', params: expect.objectContaining({ rule: 'R_DIV', error: '#DIV/0!', side: 'lhs', expression: 'VACC / STAFF', expression_zh: 'VACC / STAFF' }) },
    ]);
  });

  it('leaves a rule whose expression does not parse to the definition checks', () => {
    const defs = defsWith({ rules: [rule('R_BAD', 'BOYS +', '<=', 'STUDENTS')] });
    expect(issuesOf([sheet()], defs)).toEqual([]);
  });
});

describe('validate: a stated rate against its own counts', () => {
  const defs = defsWith({ rates: [RATE_VACC] });
  // 2115 ÷ 2381 = 0.888282…, published to 2 decimals as 88.83 %.
  const computed = Math.round((2115 / 2381) * 10000) / 100;

  it('checks the arithmetic the test relies on', () => {
    expect(computed).toBe(88.83);
    expect(2115 / 2381).toBeGreaterThan(0.88825);
    expect(2115 / 2381).toBeLessThan(0.88835);
  });

  it('notes 88.84 % stated against 2115 ÷ 2381 = 88.83 % at the stated cell as a rounding, not a query', () => {
    const issues = issuesOf([sheet({ VACC_RATE: 88.84 })], defs);
    expect(issues).toEqual([
      {
        code: 'rate.stated_rounding',
        severity: 'info',
        school: '001',
        file: '001.xlsx',
        sheet: '填报表',
        cell: CELL.VACC_RATE,
        subject: 'R_VACC',
        params: { rate: 'R_VACC', label: 'R_VACC', label_en: 'R_VACC', indicator: 'VACC_RATE', stated: 88.84, computed, exact: 88.828, difference: 0.01, decimals: 2, numerator: 2115, denominator: 2381 },
      },
    ]);
  });

  it.each([88.83, 88.8, 89, '88.83%'])('accepts %s: it is the computed rate at the precision stated', (stated) => {
    const issues = issuesOf([sheet({ VACC_RATE: stated })], defs);
    expect(issues.filter((i) => i.code !== 'value.coerced')).toEqual([]);
  });

  it.each([[88.9, 88.8], [88, 89], [88.82, 88.83]])('notes %s as a rounding of %s, one unit off in its last decimal', (stated, shown) => {
    const issues = issuesOf([sheet({ VACC_RATE: stated })], defs);
    expect(issues.map((i) => [i.code, i.severity])).toEqual([['rate.stated_rounding', 'info']]);
    expect(issues[0]!.params).toMatchObject({ stated, computed: shown });
  });

  it.each([[88.6, 88.8], [87, 89], [88.81, 88.83], [93.5, 88.8]])('queries %s: the counts give %s, more than one unit off', (stated, shown) => {
    expect(only(issuesOf([sheet({ VACC_RATE: stated })], defs), 'rate.stated_mismatch')).toMatchObject({ severity: 'warning', params: { stated, computed: shown } });
  });

  it('accepts a rate exactly half-way rounded either way (17767 ÷ 20000 = 88.835: 88.83 or 88.84)', () => {
    for (const stated of [88.83, 88.84]) expect(issuesOf([sheet({ VACC_RATE: stated, VACC: 17767, STAFF: 20000 })], defs)).toEqual([]);
  });

  it('compares a rate typed as a fraction after scaling it, so a correct 0.8883 is only queried as a fraction', () => {
    expect(issuesOf([sheet({ VACC_RATE: 0.8883 })], defs).map((i) => i.code)).toEqual(['value.percent_as_fraction']);
    const wrong = issuesOf([sheet({ VACC_RATE: 0.8874 })], defs);
    expect(wrong.map((i) => i.code)).toEqual(['value.percent_as_fraction', 'rate.stated_mismatch']);
    expect(wrong[1]!.params).toMatchObject({ stated: 88.74, computed: 88.83 });
  });

  it('compares a fraction-type stated rate as the fraction it is', () => {
    const fractionDefs = defsWith({ rates: [{ ...RATE_VACC, stated: 'SHARE' }] });
    expect(issuesOf([sheet({ SHARE: 0.8883 })], fractionDefs)).toEqual([]);
    expect(only(issuesOf([sheet({ SHARE: 0.8874 })], fractionDefs), 'rate.stated_mismatch').params).toMatchObject({ stated: 88.74, computed: 88.83 });
    expect(only(issuesOf([sheet({ SHARE: 0.8884 })], fractionDefs), 'rate.stated_rounding').params).toMatchObject({ stated: 88.84, computed: 88.83 });
  });

  it('says nothing without the counts: a blank or zero denominator gives no rate to compare', () => {
    expect(issuesOf([sheet({ VACC_RATE: 88.84, VACC: null })], defs)).toEqual([]);
    expect(issuesOf([sheet({ VACC_RATE: 88.84, VACC: 0, STAFF: 0 })], defs)).toEqual([]);
  });
});

describe('validate: the schools against the roster', () => {
  const roster = [rosterSchool('001', '小学', '东镇', '第一小学（东校区）'), rosterSchool('002', '初中', '西镇', '第二中学'), rosterSchool('003', '小学', '西镇', '第三小学')];
  const defs = defsWith({ roster });

  it('lists the roster checks whole: name differs, duplicate, unknown code, never submitted', () => {
    const subs = [
      sheet({}, '001', { schoolName: '第一小学' }),
      sheet({}, '999', { schoolName: '新开学校' }),
      sheet({ STUDENTS: 1300 }, '001', { file: '001-更正.xlsx' }),
      sheet({}, '002', { schoolName: ' 第二中学 ' }),
    ];
    expect(issuesOf(subs, defs)).toMatchInlineSnapshot(`
      [
        {
          "cell": "C3",
          "code": "school.name_mismatch",
          "file": "001.xlsx",
          "params": {
            "code": "001",
            "expected": "第一小学（东校区）",
            "file": "001.xlsx",
            "name": "第一小学",
            "other": "001-更正.xlsx",
          },
          "school": "001",
          "severity": "warning",
          "sheet": "填报表",
        },
        {
          "cell": "C3",
          "code": "school.unknown",
          "file": "999.xlsx",
          "params": {
            "code": "999",
            "name": "新开学校",
          },
          "school": "999",
          "severity": "error",
          "sheet": "填报表",
        },
        {
          "code": "school.missing",
          "params": {
            "code": "003",
            "name": "第三小学",
            "stage": "小学",
            "township": "西镇",
          },
          "school": "003",
          "severity": "warning",
        },
      ]
    `);
  });

  const standing = (r: ReturnType<typeof validate>): (string | undefined)[] => r.schools.filter((s) => s.included).map((s) => s.file);
  const dupIssues = (r: ReturnType<typeof validate>) => r.issues.filter((i) => i.school === '001').map((i) => [i.code, i.severity, i.file]);

  it('takes two files with the same figures as one submission: a note, either file stands', () => {
    const r = validate([sheet({}, '001', { file: 'a.xlsx' }), sheet({}, '001', { file: 'a - 副本.xlsx' })], defs);
    expect(standing(r)).toEqual(['a.xlsx']);
    expect(dupIssues(r)).toEqual([['school.duplicate_identical', 'info', 'a - 副本.xlsx']]);
    expect(r.issues.find((i) => i.code === 'school.duplicate_identical')!.params).toMatchObject({ file: 'a - 副本.xlsx', other: 'a.xlsx' });
    // Whichever order the files come in, the one not named as a copy stands.
    expect(standing(validate([sheet({}, '001', { file: 'a - 副本.xlsx' }), sheet({}, '001', { file: 'a.xlsx' })], defs))).toEqual(['a.xlsx']);
  });

  it('lets a file marked as a correction replace an earlier one with a note naming both, whatever the order', () => {
    const subs = [sheet({ STUDENTS: 1300, BOYS: 710 }, '001', { file: 'dir/001（更正）.xlsx' }), sheet({}, '001', { file: 'dir/z-late.xlsx' })];
    const r = validate(subs, defs);
    expect(standing(r)).toEqual(['dir/001（更正）.xlsx']);
    expect(dupIssues(r)).toEqual([['school.duplicate_superseded', 'info', 'dir/z-late.xlsx']]);
    expect(r.issues.find((i) => i.code === 'school.duplicate_superseded')!.params).toMatchObject({ file: 'z-late.xlsx', other: '001（更正）.xlsx', chosen: false });
  });

  it('calls different figures without a correction a conflict: an error on each file, none stands until the clerk chooses', () => {
    const subs = [sheet({ STUDENTS: '1,23,4', BOYS: -1 }, '001', { file: 'first.xlsx' }), sheet({}, '001', { file: 'again.xlsx' })];
    const r = validate(subs, defs);
    expect(standing(r)).toEqual([]);
    expect(dupIssues(r)).toEqual([
      ['school.duplicate', 'error', 'first.xlsx'],
      ['school.duplicate', 'error', 'again.xlsx'],
    ]);
    // Submitted all the same: not missing. The files' values are still read, so the clerk can compare them.
    expect(r.issues.some((i) => i.code === 'school.missing' && i.school === '001')).toBe(false);
    expect(r.schools[0]!.values.BOYS).toBe(-1);
    const chosen = validate(subs, defs, { keep: [{ file: 'folder/again.xlsx' }] });
    expect(standing(chosen)).toEqual(['again.xlsx']);
    expect(dupIssues(chosen)).toEqual([['school.duplicate_superseded', 'info', 'first.xlsx']]);
    expect(chosen.issues[0]!.params).toMatchObject({ chosen: true, other: 'again.xlsx' });
  });

  it('never lets a file whose school name contradicts the roster stand in place of one that agrees, in either order', () => {
    const own = sheet({}, '001', { file: '001_第一小学.xlsx', schoolName: '第一小学（东校区）' });
    const other = sheet({ STUDENTS: 400, BOYS: 200, GIRLS: 200 }, '001', { file: '001_第九小学（更正）.xlsx', schoolName: '第九小学' });
    for (const subs of [
      [own, other],
      [other, own],
    ]) {
      const r = validate(subs, defs);
      expect(standing(r)).toEqual(['001_第一小学.xlsx']);
      expect(r.schools.find((s) => s.included)!.values.STUDENTS).toBe(1200);
      const mismatch = only(r.issues, 'school.name_mismatch');
      expect(mismatch).toMatchObject({ severity: 'warning', file: '001_第九小学（更正）.xlsx', params: { name: '第九小学', expected: '第一小学（东校区）', other: '001_第一小学.xlsx' } });
      // The set-aside file is named as it names itself: its return goes to the school that sent it.
      expect(r.schools.find((s) => !s.included)!.name).toBe('第九小学');
    }
  });

  it('lets none stand when no file’s name agrees with the roster, until the clerk chooses', () => {
    const subs = [sheet({}, '001', { file: 'x.xlsx', schoolName: '第八小学' }), sheet({ STUDENTS: 1300, BOYS: 710 }, '001', { file: 'y.xlsx', schoolName: '第九小学' })];
    const r = validate(subs, defs);
    expect(standing(r)).toEqual([]);
    expect(r.issues.filter((i) => i.school === '001').map((i) => [i.code, param(i, 'names')])).toEqual([
      ['school.duplicate', true],
      ['school.duplicate', true],
    ]);
    expect(standing(validate(subs, defs, { keep: [{ file: 'y.xlsx' }] }))).toEqual(['y.xlsx']);
  });

  it('keeps the file the clerk named by its whole name, not another of the same name in another folder', () => {
    const subs = [sheet({ STUDENTS: 1300 }, '001', { file: 'batch1/001.xlsx' }), sheet({ STUDENTS: 1200 }, '001', { file: 'batch2/001.xlsx' })];
    const chosen = validate(subs, defs, { keep: [{ file: 'batch1/001.xlsx' }] });
    expect(chosen.schools.filter((s) => s.included).map((s) => s.file)).toEqual(['batch1/001.xlsx']);
  });

  it('matches codes with surrounding spaces, and names that differ only in spaces or bracket width', () => {
    const issues = issuesOf([sheet({}, ' 001 ', { schoolName: '第一小学 (东校区)' }), sheet({}, '002'), sheet({}, '003')], defs);
    expect(issues).toEqual([]);
  });

  it('without a roster, knows no unknown or missing school', () => {
    expect(issuesOf([sheet({}, '777')], defsWith({ roster: [] }))).toEqual([]);
  });

  it('reports every roster school that did not submit, once, in roster order', () => {
    const issues = issuesOf([sheet({}, '002')], defsWith({ roster: [...roster, roster[0]!] }));
    expect(issues.map((i) => [i.code, i.school])).toEqual([
      ['school.missing', '001'],
      ['school.missing', '003'],
    ]);
  });

  it('skips a sheet without a school code: the reader reports it, there is no school to attach values to', () => {
    const { schools, issues } = validate([sheet({ BOYS: -1 }, '  ')], defsWith({ roster: [] }));
    expect(schools).toEqual([]);
    expect(issues).toEqual([]);
  });
});

describe('validate: outliers', () => {
  const roster = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6'].map((c) => rosterSchool(c, '小学'));
  const defs = defsWith({ indicators: [ind('STUDENTS'), ind('BOOKS', { max: 1_000_000 })], roster });
  const books = [3000, 3100, 2900, 3050, 2950, 30000];
  const subs = books.map((b, i) => submission(`P${i + 1}`, { STUDENTS: 500, BOOKS: b }));

  it('queries a value far from the other schools of its stage for its size, at its cell, saying what is expected', () => {
    const issues = issuesOf(subs, { ...defs, indicators: [ind('STUDENTS', { required: true }), ind('BOOKS', { max: 1_000_000 })] });
    expect(issues).toEqual([
      {
        code: 'outlier.robust_z',
        severity: 'warning',
        school: 'P6',
        file: 'P6.xlsx',
        sheet: '填报表',
        cell: 'D8',
        subject: 'BOOKS',
        params: {
          code: 'BOOKS',
          label: 'BOOKS',
          label_en: 'BOOKS',
          value: 30000,
          // Every school has 500 students: what they suggest is the median, 3025 (on a log scale, 3024.9).
          expected: 3025,
          factor: 9.9,
          size_label: 'STUDENTS',
          size_label_en: 'STUDENTS',
          size: 500,
          stage: '小学',
          z: expect.any(Number),
        },
      },
    ]);
  });

  it('uses the threshold given, queries nothing less than twice what peers suggest, and leaves a value already out of bounds to its bound', () => {
    expect(issuesOf(subs, defs, { outlierZ: 0.2 }).map((i) => i.school)).toEqual(['P6']);
    expect(issuesOf(subs, defs, { outlierZ: 1000 })).toEqual([]);
    const bounded = defsWith({ indicators: [ind('STUDENTS'), ind('BOOKS', { max: 10_000 })], roster });
    expect(issuesOf(subs, bounded).map((i) => i.code)).toEqual(['value.above_max']);
  });

  it('compares counts relative to size: a large school with many books is ordinary, a small one with as many is not', () => {
    const sizes = [300, 450, 600, 900, 1200, 1800, 2400, 400];
    const schools = sizes.map((n, i) => submission(`S${i}`, { STUDENTS: n, BOOKS: i === 7 ? 60000 : n * 25 + i }));
    const r = defsWith({ indicators: [ind('STUDENTS', { required: true }), ind('BOOKS')], roster: sizes.map((_, i) => rosterSchool(`S${i}`, '小学')) });
    expect(issuesOf(schools, r).map((i) => [i.school, i.subject])).toEqual([['S7', 'BOOKS']]);
  });

  it('leaves structural zeros out: an indicator that is 0 or blank at most schools of a kind sets no median', () => {
    // Meals only at the rural schools: every one of them is ordinary, and so are the urban zeros.
    const kinds = ['rural', 'rural', 'rural', 'rural', 'rural', 'urban', 'urban', 'urban', 'urban', 'urban', 'urban', 'urban'] as const;
    const r = defsWith({
      indicators: [ind('STUDENTS', { required: true }), ind('MEALS')],
      roster: kinds.map((area, i) => ({ ...rosterSchool(`M${i}`, '小学'), area })),
    });
    const schools = kinds.map((area, i) => submission(`M${i}`, { STUDENTS: 200 + 150 * i, MEALS: area === 'rural' ? 200 + 150 * i : 0 }));
    expect(issuesOf(schools, r)).toEqual([]);
    const typo = schools.map((s, i) => (i === 2 ? submission('M2', { STUDENTS: 500, MEALS: 5000 }) : s));
    expect(issuesOf(typo, r).map((i) => [i.school, i.subject, param(i, 'area')])).toEqual([['M2', 'MEALS', 'rural']]);
  });

  it('queries the size itself, once, when most of a school’s counts are off the same way', () => {
    const n = [300, 450, 600, 900, 1200, 1800];
    const r = defsWith({ indicators: ['STUDENTS', 'BOOKS', 'TEACHERS', 'COMPUTERS'].map((c) => ind(c, c === 'STUDENTS' ? { required: true } : {})), roster: n.map((_, i) => rosterSchool(`T${i}`, '初中')) });
    const schools = n.map((k, i) => submission(`T${i}`, { STUDENTS: i === 3 ? k * 10 : k, BOOKS: k * 30, TEACHERS: Math.round(k / 12), COMPUTERS: Math.round(k / 6) }));
    const issues = issuesOf(schools, r);
    expect(issues.map((i) => [i.school, i.subject, param(i, 'size_check')])).toEqual([['T3', 'STUDENTS', true]]);
    expect(param(issues[0]!, 'expected')).toBe(900);
  });

  it('queries a change of more than 50 % since the previous period beyond the change floor, and only with a previous period', () => {
    const previous = { P1: { BOOKS: 1000, STUDENTS: 480 }, P2: { BOOKS: 3000, STUDENTS: 1000 } };
    const two = { ...defs, roster: roster.slice(0, 2) };
    const issues = issuesOf(subs.slice(0, 2), two, { previous });
    // P1: 1000 → 3000 is +200 %; P2: 3000 → 3100 is +3.3 %, students 1000 → 500 is exactly −50 %: not beyond.
    expect(issues).toEqual([
      {
        code: 'outlier.period_change',
        severity: 'warning',
        school: 'P1',
        file: 'P1.xlsx',
        sheet: '填报表',
        cell: 'D8',
        subject: 'BOOKS',
        params: { code: 'BOOKS', label: 'BOOKS', label_en: 'BOOKS', value: 3000, previous: 1000, changePct: 200, change: 200, delta: 2000 },
      },
    ]);
    expect(issuesOf(subs.slice(0, 2), two)).toEqual([]);
    expect(issuesOf(subs.slice(0, 2), two, { previous, periodChangePct: 40 }).map((i) => [i.school, i.subject])).toEqual([
      ['P1', 'BOOKS'],
      ['P2', 'STUDENTS'],
    ]);
    // 2 → 12 students is +500 % but 10 more: not news under the default floor of 10 a count; a floor set in the definitions rules.
    const small = { P1: { STUDENTS: 2, BOOKS: 3000 } };
    const tiny = [submission('P1', { STUDENTS: 12, BOOKS: 3000 })];
    const one = { ...defs, roster: roster.slice(0, 1) };
    expect(issuesOf(tiny, one, { previous: small })).toEqual([]);
    const strict = { ...one, indicators: [ind('STUDENTS', { changeFloor: 5 }), ind('BOOKS', { max: 1_000_000 })] };
    expect(issuesOf(tiny, strict, { previous: small }).map((i) => [i.subject, param(i, 'delta')])).toEqual([['STUDENTS', 10]]);
  });
});

describe('validate: rules against last period', () => {
  const roster = [rosterSchool('001', '小学'), rosterSchool('002', '小学')];
  const fell = rule('R_FELL', 'STUDENTS', '>=', 'PREV(STUDENTS) * 0.9', { severity: 'warning', message: { zh: '学生数比上期减少一成以上', en: 'Students fell by more than a tenth' } });
  const defs = defsWith({ roster, rules: [fell] });
  const subs = [sheet({ STUDENTS: 800, BOYS: 400, GIRLS: 400 }, '001'), sheet({}, '002')];

  it('is checked only with last period loaded and the school’s value then, and reported at the cell it is about', () => {
    expect(issuesOf(subs, defs)).toEqual([]);
    expect(issuesOf(subs, defs, { previous: { '002': { STUDENTS: 1200 } } })).toEqual([]);
    expect(issuesOf(subs, defs, { previous: { '001': { STUDENTS: null } } })).toEqual([]);
    const issues = issuesOf(subs, defs, { previous: { '001': { STUDENTS: 1000 }, '002': { STUDENTS: 1200 } } });
    expect(issues).toMatchObject([{ code: 'rule.failed', severity: 'warning', school: '001', cell: CELL.STUDENTS, subject: 'R_FELL', params: { lhsValue: 800, rhsValue: 900 } }]);
    expect(issueMessage(issues[0]!, 'zh-CN')).toBe('学生数比上期减少一成以上（STUDENTS = 800，上期STUDENTS * 0.9 = 900）');
  });

  it('is not reported again by the blanket period-change query', () => {
    const previous = { '001': { STUDENTS: 2000 } };
    expect(issuesOf(subs, defsWith({ roster }), { previous }).map((i) => [i.code, i.subject])).toEqual([['outlier.period_change', 'STUDENTS']]);
    expect(issuesOf(subs, defs, { previous }).map((i) => [i.code, i.subject])).toEqual([['rule.failed', 'R_FELL']]);
  });
});

describe('validate: each problem once per school', () => {
  it('reports a failed rule once even when it is defined twice', () => {
    const r = rule('R_VACC', 'VACC', '<=', 'STAFF');
    const issues = issuesOf([sheet({ VACC: 2400 })], defsWith({ rules: [r, r] }));
    expect(issues.map((i) => i.code)).toEqual(['rule.failed']);
  });

  it('reports the same problem once in each school that has it', () => {
    const defs = defsWith({ roster: [rosterSchool('001', '小学'), rosterSchool('002', '小学')], rules: [rule('R_VACC', 'VACC', '<=', 'STAFF')] });
    const issues = issuesOf([sheet({ VACC: 2400 }, '001'), sheet({ VACC: 2400 }, '002')], defs);
    expect(issues.map((i) => [i.code, i.school])).toEqual([
      ['rule.failed', '001'],
      ['rule.failed', '002'],
    ]);
  });

  it('does not also report a stated rate out of bounds as a mismatch', () => {
    // 888.4 is above the maximum of 100: that is the problem; a mismatch with 88.83 would say it again.
    const issues = issuesOf([sheet({ VACC_RATE: 888.4 })], defsWith({ rates: [RATE_VACC] }));
    expect(issues.map((i) => [i.code, i.cell])).toEqual([['value.above_max', CELL.VACC_RATE]]);
  });

  it('compares a fraction-type stated rate typed as a percent as the percent it is', () => {
    const defs = defsWith({ rates: [{ ...RATE_VACC, stated: 'SHARE' }] });
    // 88.83 in a 0–1 field: queried as a percent, and it agrees with the counts once read as one.
    expect(issuesOf([sheet({ SHARE: 88.83 })], defs).map((i) => i.code)).toEqual(['value.fraction_as_percent']);
    const wrong = issuesOf([sheet({ SHARE: 88.74 })], defs);
    expect(wrong.map((i) => i.code)).toEqual(['value.fraction_as_percent', 'rate.stated_mismatch']);
    expect(wrong[1]!.params).toMatchObject({ stated: 88.74, computed: 88.83 });
  });
});

describe('validate: careless sheets', () => {
  it('takes a formula with no saved result for what it is, not for a blank', () => {
    const base = sheet();
    const sub = { ...base, raw: { ...base.raw, STUDENTS: { value: null, cell: 'D8', uncached: true } } };
    const issues = issuesOf([sub], defsWith({ indicators: INDICATORS.map((i) => (i.code === 'STUDENTS' ? { ...i, required: true } : i)) }));
    expect(issues.filter((i) => i.subject === 'STUDENTS').map((i) => [i.code, i.severity, i.cell])).toEqual([['value.formula_uncached', 'error', 'D8']]);
  });

  it('reads float noise in an integer field as the integer it means, and still rejects a real fraction', () => {
    const r = validate([sheet({ STUDENTS: 1946.0000000000002, BOYS: 1000, GIRLS: 946 }), sheet({ STUDENTS: 1946.5 }, '002')], defsWith());
    expect(r.schools[0]!.values.STUDENTS).toBe(1946);
    expect(r.issues.filter((i) => i.code === 'value.not_integer').map((i) => i.school)).toEqual(['002']);
  });

  it('makes a value beyond 10^15 an error, so no total overflows', () => {
    const issues = issuesOf([sheet({ STAFF: 1e308 }), sheet({ STAFF: -1e16 }, '002')], defsWith());
    expect(issues.filter((i) => i.subject === 'STAFF').map((i) => [i.school, i.code, param(i, 'max') ?? param(i, 'min')])).toEqual([
      ['001', 'value.above_max', 1e15],
      ['002', 'value.below_min', -1e15],
    ]);
  });

  it('queries a sheet that states another period, at its cell, and not one that writes the same period differently', () => {
    const defs = defsWith({ period: '2026年秋季学期' });
    const issues = issuesOf(
      [sheet({}, '001', { period: '2025年秋季学期', periodCell: 'B4' }), sheet({}, '002', { period: ' 2026 年秋季学期 ' }), sheet({}, '003')],
      defs,
    );
    expect(issues.filter((i) => i.code === 'school.period_mismatch').map((i) => [i.school, i.cell, i.severity, i.params.period, i.params.expected])).toEqual([
      ['001', 'B4', 'warning', '2025年秋季学期', '2026年秋季学期'],
    ]);
  });
});

describe('validate: every code it can produce', () => {
  it('produces each value, rule, rate, school and outlier code in one collection, none twice for one cell', () => {
    const roster = ['001', '002', '003', '004', '005', '006', '007', '008', '009', '010'].map((c) => rosterSchool(c, '小学', '东镇', `学校${c}`));
    const defs = defsWith({
      indicators: [...INDICATORS, ind('GER', { type: 'percent', aggregation: 'none' })],
      rules: [rule('R_VACC', 'VACC', '<=', 'STAFF'), rule('R_DIV', 'BOYS / GIRLS', '<', '10')],
      rates: [RATE_VACC],
      roster,
      period: '2026 秋季',
    });
    const lastTerm = sheet({}, '007', { period: '2025 秋季', periodCell: 'B4' });
    const subs = [
      sheet({ STUDENTS: '１２００', BOYS: '1,23,4', GIRLS: 'abc', VACC: { error: '#REF!' }, AREA: '2024-05-01', SHARE: 95 }, '001'),
      sheet({ STUDENTS: null, BOYS: 2.5, GIRLS: -1, VACC_RATE: 101, ORG: 123 }, '002', { schoolName: '别的名字' }),
      sheet({ VACC: 2400, GER: 120, BOYS: 5, GIRLS: 0 }, '003'),
      sheet({ VACC_RATE: 88.84 }, '004'),
      sheet({ VACC_RATE: 0.8883 }, '005'),
      // A school that sent a correction (its area far off the others'), one that sent a copy, and one that sent two different files.
      sheet({}, '006'),
      sheet({ AREA: 900000 }, '006', { file: '006（更正）.xlsx' }),
      sheet({ VACC_RATE: 80 }, '008'),
      sheet({ VACC_RATE: 80 }, '008', { file: '008 - 副本.xlsx' }),
      sheet({}, '009'),
      sheet({ STUDENTS: 1300, BOYS: 710 }, '009', { file: '009-2.xlsx' }),
      sheet({}, '999'),
      { ...lastTerm, raw: { ...lastTerm.raw, STAFF: { value: null, cell: 'D12', uncached: true } } },
    ];
    const areas = { '001': 100, '002': 110, '003': 120, '004': 105, '005': 95 } as const;
    const withAreas = subs.map((s) => (s.schoolCode in areas && s.raw.AREA?.value === undefined ? { ...s, raw: { ...s.raw, AREA: { value: areas[s.schoolCode as keyof typeof areas], cell: CELL.AREA! } } } : s));
    const { issues } = validate(withAreas, defs, { previous: { '004': { STAFF: 1000 } } });
    const produced = new Set(issues.map((i) => i.code));
    const expected = ISSUE_CODES.filter((c) => /^(value|rule|rate|school|outlier)\./.test(c) && c !== 'school.excluded');
    expect([...produced].sort()).toEqual([...expected].sort());
    const keys = issues.map((i) => `${i.school}|${i.file ?? ''}|${i.code}|${i.cell ?? ''}|${i.subject ?? ''}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('validate: plain numbers', () => {
  // A number with a General format goes through the full cell parse; the same number without a
  // format is taken on a shorter path. Both must give the same values and the same issues.
  it('finds the same in a plain number as in the same number formatted General, for every type and bound', () => {
    const number = fc.oneof(
      fc.integer({ min: -2000, max: 2000 }),
      fc.double({ min: -1e16, max: 1e16, noNaN: true }),
      fc.constantFrom(0, -0, 1, 100, 100.5, 1e15, -1e15, 1e15 + 2, 1946.0000000000002, 0.5, Number.NaN, Infinity, -Infinity),
    );
    const bound = fc.option(fc.constantFrom(-5, 0, 1, 50, 100, 1e15), { nil: undefined });
    const type = fc.constantFrom('integer', 'decimal', 'percent', 'fraction', 'text', 'code') as fc.Arbitrary<'integer'>;
    fc.assert(
      fc.property(fc.array(fc.tuple(type, bound, bound, fc.boolean(), number), { minLength: 1, maxLength: 6 }), (cols) => {
        const indicators = cols.map(([t, min, max, required], k) => ind(`X${k}`, { type: t, required, aggregation: 'none', ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) }));
        const defs = definitionsWith({ indicators, roster: [rosterSchool('001', '小学', '东镇', '第一小学')] });
        const sub = (general: boolean): Submission => ({
          schoolCode: '001',
          sheet: '填报表',
          raw: Object.fromEntries(cols.map(([, , , , v], k) => [`X${k}`, { value: v, cell: `D${k + 1}`, ...(general ? { numberFormat: 'General' } : {}) }])),
        });
        const plain = validate([sub(false)], defs);
        const general = validate([sub(true)], defs);
        expect(plain.schools[0]!.values).toEqual(general.schools[0]!.values);
        expect(plain.issues).toEqual(general.issues);
      }),
      { numRuns: 400 },
    );
  });
});

describe('validate: cell addresses', () => {
  it('keeps each school’s own addresses when one school moved a row and another left a cell out', () => {
    const indicators = [ind('A', { min: 0 }), ind('B', { min: 0 }), ind('C', { min: 0 })];
    const roster = ['001', '002', '003', '004'].map((c) => rosterSchool(c, '小学'));
    const defs = definitionsWith({ indicators, roster });
    const at = (school: string, cells: Record<string, string>): Submission => ({
      schoolCode: school,
      sheet: '填报表',
      raw: Object.fromEntries(Object.entries(cells).map(([code, cell]) => [code, { value: 1, cell }])),
    });
    const r = validate(
      [
        at('001', { A: 'D7', B: 'D8', C: 'D9' }),
        at('002', { A: 'D7', B: 'D8', C: 'D9' }),
        at('003', { A: 'D7', B: 'D10', C: 'D9' }),
        at('004', { A: 'D7', C: 'D9' }),
      ],
      defs,
    );
    expect(r.schools.map((s) => [s.code, s.cells.A, s.cells.B, s.cells.C])).toEqual([
      ['001', 'D7', 'D8', 'D9'],
      ['002', 'D7', 'D8', 'D9'],
      ['003', 'D7', 'D10', 'D9'],
      ['004', 'D7', undefined, 'D9'],
    ]);
    // The first school's record is not changed by the school that moved a row.
    expect(r.schools[0]!.cells.B).toBe('D8');
  });
});
