import { describe, expect, it } from 'vitest';
import { formatIssue, issueKindLabel, issueLocation, issueMessage, ISSUE_CODES } from '../../src/core/messages';
import type { Issue, IssueCode, IssueParams } from '../../src/core/types';
import { parseCellValue } from '../../src/core/value';

// Kept in step with IssueCode by the compiler: a missing or extra key fails typechecking.
const ALL: Record<IssueCode, true> = {
  'def.missing_sheet': true, 'def.missing_column': true, 'def.bad_value': true, 'def.duplicate_code': true,
  'def.unknown_code': true, 'def.bad_operator': true, 'def.bad_expression': true, 'def.cycle': true,
  'def.bad_stage': true, 'def.duplicate_school': true, 'def.empty': true, 'school.period_mismatch': true, 'sheet.not_found': true, 'sheet.header_not_found': true,
  'sheet.indicator_not_found': true, 'sheet.school_code_missing': true, 'sheet.hidden_form': true, 'file.unreadable': true,
  'file.encrypted': true, 'file.unsupported_format': true, 'file.empty': true, 'file.too_large': true, 'sheet.beyond_grid': true, 'sheet.too_large': true, 'value.coerced': true,
  'value.not_a_number': true, 'value.bad_thousands': true, 'value.formula_error': true, 'value.formula_uncached': true, 'value.date_for_number': true,
  'value.required_missing': true, 'value.not_integer': true, 'value.below_min': true, 'value.above_max': true,
  'value.percent_as_fraction': true, 'value.fraction_as_percent': true, 'value.code_as_number': true,
  'rule.failed': true, 'rule.eval_error': true, 'rate.stated_mismatch': true, 'rate.above_100': true,
  'school.unknown': true, 'school.duplicate': true, 'school.missing': true, 'school.name_mismatch': true,
  'school.excluded': true, 'school.duplicate_identical': true, 'school.duplicate_superseded': true, 'rate.stated_rounding': true, 'outlier.robust_z': true, 'outlier.period_change': true, 'output.copies_omitted': true,
};
const CODES = Object.keys(ALL) as IssueCode[];

const PARAMS = {
  sheet: '指标', column: '类型', value: 88.8, expected: 'type', code: 'STAFF', first: '指标!A5', expression: 'A + B', operator: '=>',
  offset: 3, message_zh: '缺少右括号', message_en: 'missing )', path: 'R1 → R2 → R1', stage: '大学', headers: '代码, 数值', labels: '学校代码',
  file: 'a.xlsx', reason: 'zip', format: 'xls', original: '1,23,4', coercions: 'fullwidth,thousands', error: '#DIV/0!', date: '2024-05-01',
  min: 0, max: 100, suggested: 95, padded: '0012345678', rule: 'R01', lhs: 'BOYS + GIRLS', op: '==', rhs: 'STUDENTS', lhsValue: 101, rhsValue: 100,
  stated: 88.84, computed: 88.83, rate: 'R_STAFF_VACC', name: '一小', errors: 2, median: 10, z: 5.2, previous: 10, change: 300,
};

// Any code with any parameters: a message reads only those its own code has.
const located = (code: IssueCode, params: Readonly<Record<string, unknown>> = PARAMS): Issue => ({
  code, severity: 'error', school: '0012345678', sheet: '填报表', cell: 'D14', subject: 'STAFF_VACC', params,
}) as unknown as Issue;

describe('messages', () => {
  it('covers every issue code', () => {
    expect([...ISSUE_CODES].sort()).toEqual([...CODES].sort());
  });

  for (const lang of ['zh-CN', 'en-US'] as const) {
    it(`gives every code a located, non-empty message in ${lang}, with and without params`, () => {
      for (const code of CODES) {
        for (const params of [PARAMS, {}]) {
          const text = formatIssue(located(code, params), lang);
          const prefix = lang === 'zh-CN' ? '学校 0012345678 · 表 填报表 · D14：' : 'School 0012345678 · Sheet 填报表 · D14: ';
          expect(text.startsWith(prefix), `${code}: ${text}`).toBe(true);
          expect(text.length, code).toBeGreaterThan(prefix.length + 3);
          expect(text, code).not.toMatch(/undefined|NaN|\[object|null/);
          expect(text, code).not.toMatch(/ {2}/);
        }
        expect(issueKindLabel(code, lang).length, code).toBeGreaterThan(0);
      }
    });
    it(`gives distinct kind labels in ${lang}`, () => {
      expect(new Set(CODES.map((c) => issueKindLabel(c, lang))).size).toBe(CODES.length);
    });
  }

  it('words a rule failure with its own message and the values', () => {
    const rule = { rule: 'R01', lhs: 'BOYS + GIRLS', op: '==', rhs: 'STUDENTS', lhsValue: 101, rhsValue: 100, message_zh: '男生数与女生数之和应等于在校学生数', message_en: 'Boys plus girls must equal the students enrolled' };
    expect(formatIssue(located('rule.failed', rule), 'zh-CN')).toMatchInlineSnapshot(`"学校 0012345678 · 表 填报表 · D14：男生数与女生数之和应等于在校学生数（BOYS + GIRLS = 101，STUDENTS = 100）"`);
    expect(formatIssue(located('rule.failed', { lhs: 'A', op: '<=', rhs: 'B' }), 'en-US')).toMatchInlineSnapshot(`"School 0012345678 · Sheet 填报表 · D14: A <= B does not hold"`);
    expect(formatIssue(located('rule.failed', rule), 'en-US')).toMatchInlineSnapshot(`"School 0012345678 · Sheet 填报表 · D14: Boys plus girls must equal the students enrolled (BOYS + GIRLS = 101, STUDENTS = 100)"`);
  });

  it('uses the params it is given', () => {
    expect(issueMessage(located('rate.stated_mismatch', { stated: 88.84, computed: 88.8318, label: '教职工疫苗接种率' }), 'zh-CN')).toMatchInlineSnapshot(`"填报的教职工疫苗接种率为 88.84，按本表数据计算为 88.8318，两者不符，请核实"`);
    expect(issueMessage(located('value.coerced', { original: '１,234', value: 1234, coercions: 'fullwidth,thousands' }), 'en-US')).toMatchInlineSnapshot(`""１,234" was read as 1234 (full-width characters, thousands separators): please type a plain number"`);
    expect(issueMessage(located('def.bad_expression', { expression: '(A + B', offset: 6, message_zh: '缺少右括号', message_en: 'missing )' }), 'en-US')).toMatchInlineSnapshot(`"The expression "(A + B" cannot be read at character 7: missing )"`);
    expect(issueMessage(located('def.bad_value', { column: '类型', value: '整型', expected: 'type' }), 'zh-CN')).toMatchInlineSnapshot(`"“类型”列的值“整型”无法识别，应为整数、小数、百分比、比例、文本或代码"`);
  });

  it('locates file-level and definition issues', () => {
    expect(issueLocation({ code: 'file.empty', severity: 'error', file: 'x.xlsx', params: {} }, 'zh-CN')).toBe('文件 x.xlsx');
    expect(issueLocation({ code: 'def.cycle', severity: 'error', sheet: '比率', subject: 'R1', field: 'numerator', params: {} }, 'en-US')).toBe('Sheet 比率 · R1.numerator');
    expect(formatIssue({ code: 'def.missing_sheet', severity: 'error', params: { sheet: '指标' } }, 'en-US')).toBe('The definition sheet "指标" is missing');
  });

  it('names a file once: in the location when it locates the issue, else in the message', () => {
    const fileCodes = CODES.filter((c) => c.startsWith('file.'));
    for (const lang of ['zh-CN', 'en-US'] as const) {
      for (const code of fileCodes) {
        for (const extra of [{}, { what: 'cells' }, { what: 'bytes' }, { why: 'not_zip' }, { why: 'missing_strings' }] as Record<string, string>[]) {
          const params = { file: '一小.xlsx', limit: 48, format: 'xls', ...extra };
          const byFile = formatIssue({ code, severity: 'error', file: '一小.xlsx', params } as Issue, lang);
          expect(byFile.split('一小.xlsx').length - 1, byFile).toBe(1);
          expect(byFile.startsWith(lang === 'zh-CN' ? '文件 一小.xlsx：' : 'File 一小.xlsx: '), byFile).toBe(true);
          // Located by the school, the message still says which file.
          const bySchool = formatIssue({ code, severity: 'error', school: '3401020001', file: '一小.xlsx', params } as Issue, lang);
          expect(bySchool.split('一小.xlsx').length - 1, bySchool).toBe(1);
          expect(bySchool, bySchool).toContain(lang === 'zh-CN' ? '文件“一小.xlsx”' : 'The file "一小.xlsx"');
        }
      }
    }
    expect(formatIssue({ code: 'file.unreadable', severity: 'error', file: '一小.xlsx', params: { file: '一小.xlsx', why: 'not_zip' } }, 'zh-CN')).toBe(
      '文件 一小.xlsx：该文件无法读取：它不是 Excel 工作簿（.xlsx），请让学校用 Excel 或 WPS 另存为 .xlsx 后重新发送',
    );
    expect(formatIssue({ code: 'file.empty', severity: 'error', file: '一小.xlsx', params: { file: '一小.xlsx' } }, 'en-US')).toBe('File 一小.xlsx: This file holds no data');
  });

  it('says what an infinite or invalid number means instead of naming it Infinity or NaN', () => {
    for (const [raw, zh, en] of [
      [Infinity, '超出了表格能表示的数值范围', 'beyond the numbers a spreadsheet can hold'],
      [-Infinity, '超出了表格能表示的数值范围', 'beyond the numbers a spreadsheet can hold'],
      [NaN, '不是有效的数', 'not a valid number'],
      ['1e999', '超出了表格能表示的数值范围', 'beyond the numbers a spreadsheet can hold'],
    ] as const) {
      const parsed = parseCellValue(raw, 'integer');
      expect(parsed.value).toBeNull();
      const issue: Issue = { code: parsed.problem!.code, severity: 'error', school: '3401020001', sheet: '填报表', cell: 'D9', ...(parsed.original !== undefined ? { original: parsed.original } : {}), params: parsed.problem!.params };
      for (const [lang, words] of [['zh-CN', zh], ['en-US', en]] as const) {
        const text = formatIssue(issue, lang);
        expect(text).toContain(words);
        expect(text).not.toMatch(/Infinity|NaN/);
      }
    }
  });
});

describe('messages a school can act on', () => {
  it('names a rule’s sides by the indicators’ labels, not their codes, and says two rules that find the same thing once', async () => {
    const { builtinPreset } = await import('../../src/core/preset');
    const { validate } = await import('../../src/core/validate');
    const defs = builtinPreset();
    const raw = Object.fromEntries(defs.indicators.map((ind, i) => [ind.code, { value: ind.code === 'AS_PARTICIPANTS' ? 900 : ind.code === 'STUDENTS' ? 858 : ind.code === 'AS_OFFERED' ? 1 : null, cell: `D${i + 8}` }]));
    const { issues } = validate([{ schoolCode: '0012345678', sheet: '填报表', raw }], defs);
    // R06 (an error) and R14 (a warning) make the same comparison on the same cell: one problem, the stronger, naming both.
    const failed = issues.filter((i): i is Issue<'rule.failed'> => i.code === 'rule.failed');
    expect(failed.map((i) => [i.severity, i.params.rules])).toEqual([['error', 'R06, R14']]);
    const zh = formatIssue(failed[0]!, 'zh-CN');
    expect(zh.slice(zh.indexOf('：') + 1)).toBe('参加课后服务学生数不能多于在校学生数（参加课后服务学生数 = 900，在校学生数 = 858）');
    expect(zh).not.toMatch(/AS_PARTICIPANTS|STUDENTS|R06|R14|规则/);
    expect(formatIssue(failed[0]!, 'en-US')).not.toMatch(/AS_PARTICIPANTS|STUDENTS|R06|R14|Rule/);
    // A school that offers the service is not told it does not.
    expect(issues.some((i) => i.code === 'rule.failed' && i.params.rule === 'R16')).toBe(false);
  });

  it('says an outlier in words: what schools like it report for its size, and how far off it is', () => {
    const params: IssueParams<'outlier.robust_z'> = { code: 'BOOKS', label: '图书册数', label_en: 'Library books', value: 90000, expected: 12000, factor: 7.5, size_label: '在校学生数', size_label_en: 'Students', size: 480, stage: '小学', area: 'rural', z: 13.83 };
    const above: Issue<'outlier.robust_z'> = { code: 'outlier.robust_z', severity: 'warning', school: '1', subject: 'BOOKS', params };
    expect(issueMessage(above, 'zh-CN')).toBe('图书册数 90000（在校学生数 480），按同类学校（农村·小学）同等规模的水平约为 12000，本校是其 7.5 倍；请核实是否多打或少打了一位数，或单位填错');
    expect(issueMessage({ ...above, params: { ...params, value: 1600 } }, 'en-US')).toBe(
      'Library books 1600 (Students 480): other rural 小学 schools of this size report about 12000, 1/7.5 of that; please check for a digit too many or too few, or a wrong unit',
    );
    expect(issueMessage(above, 'zh-CN')).not.toMatch(/z =|BOOKS/);
  });
});
