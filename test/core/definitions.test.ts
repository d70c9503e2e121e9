import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  checkDefinitions,
  definitionsFromJson,
  definitionsToJson,
  definitionsToSheets,
  DEFINITION_SHEETS,
  isDefinitionSheetName,
  readDefinitions,
} from '../../src/core/definitions';
import type { CellValue, SheetGrid } from '../../src/core/grid';
import { formatIssue } from '../../src/core/messages';
import { builtinPreset } from '../../src/core/preset';
import type { Definitions, Issue } from '../../src/core/types';
import { param } from './engine-helpers';

interface ErrorCase {
  name: string;
  sheets: Record<string, CellValue[][]>;
  noDefinitions?: boolean;
  issues: (Partial<Omit<Issue, 'params'>> & { params?: Record<string, unknown> })[];
}

const errorCases = JSON.parse(readFileSync(new URL('../fixtures/definitions/error.sheets.json', import.meta.url), 'utf8')) as ErrorCase[];

const grids = (sheets: Record<string, CellValue[][]>): SheetGrid[] => Object.entries(sheets).map(([name, values]) => ({ name, values }));

function withRoster(): Definitions {
  return {
    ...builtinPreset(),
    period: '2026 秋季',
    roster: [
      { code: '0340102001', name: '城关镇中心幼儿园', stage: '幼儿园', township: '城关镇' },
      { code: '3401020001', name: '城关第一小学', stage: '小学', township: '城关镇' },
      { code: '3401020002', name: '北湖镇九年一贯制学校', stage: '九年一贯制', students: { 小学: 420, 初中: 180 } },
    ],
  };
}

describe('definition sheets', () => {
  it.each(['zh-CN', 'en-US'] as const)('round-trip the preset with a roster through the %s sheets', (lang) => {
    const defs = withRoster();
    const sheets = definitionsToSheets(defs, lang);
    const read = readDefinitions(sheets);
    expect(read.issues).toEqual([]);
    expect(read.definitions).toEqual(defs);
  });

  it('writes the Chinese sheet names and headers a clerk expects', () => {
    const sheets = definitionsToSheets(withRoster(), 'zh-CN');
    expect(sheets.map((s) => s.name)).toEqual(['指标', '校验规则', '比率', '差异系数', '均衡标准', '学校名册', '表样']);
    expect(sheets[0]!.values[0]).toEqual(['代码', '指标名称', '英文名称', '类型', '单位', '必填', '最小值', '最大值', '分组', '汇总方式', '上期变化下限']);
    const rules = sheets[1]!.values;
    expect(rules[1]).toEqual(['R01', 'BOYS + GIRLS', '=', 'STUDENTS', 0, '错误', '男生数与女生数之和应等于在校学生数', 'Boys plus girls must equal the students enrolled', '任一缺失跳过', null]);
    const standards = sheets[4]!.values;
    expect(standards[0]).toEqual(['标准代码', '标准名称', '标准英文名称', '判定方式', '小学差异系数标准', '初中差异系数标准', '最少学生数', '权重', '小学权重', '初中权重', '指标代码', '指标名称', '英文名称', '每校值', '小学底线', '初中底线', '备注']);
    expect(standards[1]!.slice(0, 11)).toEqual(['BASIC', '基本均衡', 'Basic balance', '综合差异系数', 0.65, 0.55, 50, 'STUDENTS', null, null, 'L1']);
    // The standard's own fields are written once, on its first row.
    expect(standards[2]!.slice(0, 11)).toEqual(['BASIC', null, null, null, null, null, null, null, null, null, 'L2']);
    expect(standards[9]!.slice(10, 16)).toEqual(['L1', '每百名学生拥有高于规定学历教师数', 'teachers above the required qualification per 100 students', 'TEACHERS_QUALIFIED / STUDENTS * 100', 4.2, 5.3]);
    // The first row of each standard says where its limits come from and how to weigh a form with stage rows only.
    for (const row of [standards[1]!, standards[9]!]) expect(row[16]).toMatch(/教督〔20\d\d〕\d号.*小学权重 STUDENTS_PRIMARY、初中权重 STUDENTS_JUNIOR/);
    expect(standards[2]![16]).toBeNull();
    const roster = sheets[5]!.values;
    expect(roster[0]).toEqual(['学校代码', '学校名称', '学段', '乡镇/街道', '小学段学生数', '初中段学生数', '高中段学生数', '办学性质', '城乡']);
    expect(roster[1]).toEqual(['0340102001', '城关镇中心幼儿园', '幼儿园', '城关镇', null, null, null, null, null]);
    expect(roster[3]).toEqual(['3401020002', '北湖镇九年一贯制学校', '九年一贯制', null, 420, 180, null, null, null]);
  });

  it('finds the header row under a title, accepts aliases, bracketed asides and full-width words, and skips blank rows', () => {
    const read = readDefinitions(
      grids({
        指标定义: [
          ['2026年秋季学校指标定义', null, null],
          [null, null, null],
          ['指标代码', '名称（中文）', '数据类型', '是否必填', '下限', '汇总'],
          ['ＳＴＵＤＥＮＴＳ', '在校学生数', '人数', '是', '0', '合计'],
          [null, null, null, null, null, null],
          ['RATE', '合格率', '%', '否', null, null],
        ],
        规则: [
          ['左式', '比较', '右式', '级别', '缺失值'],
          ['RATE', '不大于', '100', '疑问', '缺失按0'],
        ],
      }),
    );
    expect(read.issues).toEqual([]);
    const d = read.definitions!;
    expect(d.indicators).toEqual([
      { code: 'STUDENTS', label: { zh: '在校学生数', en: '在校学生数' }, type: 'integer', required: true, min: 0, aggregation: 'sum' },
      { code: 'RATE', label: { zh: '合格率', en: '合格率' }, type: 'percent', required: false, aggregation: 'none' },
    ]);
    expect(d.rules).toEqual([{ id: 'R01', lhs: 'RATE', op: '<=', rhs: '100', severity: 'warning', message: { zh: '', en: '' }, missing: 'never_skip' }]);
    expect(d.layout.kind).toBe('form');
    expect(d.roster).toEqual([]);
  });

  it('keeps school codes as text: a number typed into the roster gets its leading zero back', () => {
    const read = readDefinitions(
      grids({
        指标: [['代码', '指标名称'], ['A', '甲']],
        学校名册: [['学校代码', '学校名称', '学段'], [340102001, '城关镇中心幼儿园', '学前']],
      }),
    );
    expect(read.definitions!.roster).toEqual([{ code: '0340102001', name: '城关镇中心幼儿园', stage: '幼儿园' }]);
  });

  it('reads a table layout and its headers from the 表样 sheet', () => {
    const read = readDefinitions(
      grids({
        指标: [['代码', '指标名称'], ['A', '甲']],
        表样: [
          ['项目', '值'],
          ['标题', '课后服务专项统计'],
          ['版式', '表格'],
          ['学校代码列标题', '学校标识码、单位代码'],
        ],
      }),
    );
    expect(read.issues).toEqual([]);
    expect(read.definitions!.title).toEqual({ zh: '课后服务专项统计', en: '课后服务专项统计' });
    expect(read.definitions!.layout).toEqual({ kind: 'table', schoolCodeHeaders: ['学校标识码', '单位代码'], schoolNameHeaders: ['学校名称', 'School name'] });
  });

  it.each(errorCases.map((c) => [c.name, c] as const))('must fail: %s', (_name, c) => {
    const read = readDefinitions(grids(c.sheets));
    expect(read.definitions === null).toBe(c.noDefinitions === true);
    expect(read.issues).toHaveLength(c.issues.length);
    c.issues.forEach((want, i) => expect(read.issues[i]).toMatchObject(want));
    // Every issue reads as a located sentence in both languages.
    for (const issue of read.issues) {
      for (const lang of ['zh-CN', 'en-US'] as const) {
        const text = formatIssue(issue, lang);
        expect(text.length).toBeGreaterThan(8);
        if (issue.cell !== undefined) expect(text).toContain(issue.cell);
      }
    }
  });

  it('leaves a faulty item out of the definitions it returns, and keeps the rest', () => {
    const read = readDefinitions(grids(errorCases[0]!.sheets));
    expect(read.definitions!.rules).toEqual([]);
    expect(read.definitions!.indicators.map((i) => i.code)).toEqual(['STUDENTS', 'BOYS']);
    const dup = readDefinitions(grids(errorCases[1]!.sheets));
    expect(dup.definitions!.indicators.map((i) => i.label.zh)).toEqual(['在校学生数', '专任教师数']);
  });

  it('reports every problem, not just the first', () => {
    const read = readDefinitions(
      grids({
        指标: [['代码', '指标名称', '类型'], ['1BAD', '甲', '整数'], ['B', '乙', '不知道'], ['C', '丙', '整数']],
        比率: [['代码', '分子', '分母', '目标'], ['R1', 'B', 'X', '大概96']],
      }),
    );
    expect(read.issues.map((i) => [i.code, i.sheet, i.cell])).toEqual([
      ['def.bad_value', '指标', 'A2'],
      ['def.bad_value', '指标', 'C3'],
      ['def.bad_value', '比率', 'D2'],
      ['def.unknown_code', '比率', 'C2'],
    ]);
  });

  it('recognises its own sheet names in both languages', () => {
    expect(isDefinitionSheetName('指标')).toBe(true);
    expect(isDefinitionSheetName('Roster')).toBe(true);
    expect(isDefinitionSheetName(DEFINITION_SHEETS.layout)).toBe(true);
    expect(isDefinitionSheetName('3401020001 城关第一小学')).toBe(false);
  });
});

describe('definitions as JSON', () => {
  it('round-trips the preset with a roster', () => {
    const defs = withRoster();
    const read = definitionsFromJson(JSON.parse(JSON.stringify(definitionsToJson(defs))));
    expect(read.issues).toEqual([]);
    expect(read.definitions).toEqual(defs);
  });

  it('accepts the sheet words and plain labels, and locates problems by item and field', () => {
    const read = definitionsFromJson({
      title: '测试',
      indicators: [
        { code: 'A', label: '甲', type: '整数' },
        { code: 'B', label: { zh: '乙', en: 'B' }, type: 'percentage', aggregation: 'averagely' },
      ],
      rates: [{ code: 'RA', numerator: 'A', denominator: 'Z', target: '≥ 96' }],
      roster: [{ code: '3401020001', name: '一小', stage: 'Primary' }],
    });
    expect(read.definitions!.indicators[0]).toEqual({ code: 'A', label: { zh: '甲', en: '甲' }, type: 'integer', required: false, aggregation: 'sum' });
    expect(read.definitions!.roster).toEqual([{ code: '3401020001', name: '一小', stage: '小学' }]);
    expect(read.issues).toEqual([
      { code: 'def.bad_value', severity: 'error', subject: 'B', field: 'aggregation', original: 'averagely', params: { column: 'aggregation', value: 'averagely', expected: 'aggregation' } },
      { code: 'def.unknown_code', severity: 'error', subject: 'RA', field: 'denominator', params: { code: 'Z', expression: 'Z' } },
    ]);
  });

  it('refuses what is not a definitions object', () => {
    expect(definitionsFromJson([1, 2]).definitions).toBeNull();
    expect(definitionsFromJson({ rules: [] }).issues[0]!.code).toBe('def.missing_sheet');
  });
});

describe('checkDefinitions', () => {
  it('finds nothing wrong with the preset', () => {
    expect(checkDefinitions(builtinPreset())).toEqual([]);
  });

  it('names a code shared by an indicator and a rate, and a dispersion over an unknown code', () => {
    const p = builtinPreset();
    const defs: Definitions = {
      ...p,
      rates: [...p.rates, { ...p.rates[0]!, code: 'STUDENTS' }],
      dispersions: [{ code: 'CV_AREA', label: { zh: '生均面积差异系数', en: 'CV of area' }, value: 'NOPE / STUDENTS', weight: 'STUDENTS', stages: ['小学'], minWeight: 50 }],
    };
    expect(checkDefinitions(defs).map((i) => [i.code, i.subject, i.field, param(i, 'code')])).toEqual([
      ['def.duplicate_code', 'STUDENTS', 'code', 'STUDENTS'],
      ['def.unknown_code', 'CV_AREA', 'value', 'NOPE'],
    ]);
  });
});

describe('rules against last period', () => {
  it('reads a PREV() rule from the 校验规则 sheet with its severity, messages and note, as any rule', () => {
    const sheets = definitionsToSheets(builtinPreset(), 'zh-CN');
    const rules = sheets.find((g) => g.name === '校验规则')!;
    const header = rules.values[0]!;
    expect(header.at(-1)).toBe('备注');
    const row = [...header.map(() => null)] as CellValue[];
    const put = (h: string, v: CellValue): void => {
      row[header.indexOf(h)] = v;
    };
    put('编号', 'R_KEEP');
    put('左边', 'STUDENTS');
    put('运算符', '≥');
    put('右边', 'PREV(STUDENTS) * 0.9');
    put('严重程度', '警告');
    put('提示', '学生数比上期减少一成以上');
    put('英文提示', 'Students fell by more than a tenth');
    put('备注', '0.9：本区学生数一年波动不超过一成');
    const edited = sheets.map((g) => (g.name === '校验规则' ? { ...g, values: [...g.values, row] } : g));
    const read = readDefinitions(edited);
    expect(read.issues).toEqual([]);
    const r = read.definitions!.rules.find((x) => x.id === 'R_KEEP')!;
    expect(r).toMatchObject({ rhs: 'PREV(STUDENTS) * 0.9', op: '>=', severity: 'warning', message: { zh: '学生数比上期减少一成以上', en: 'Students fell by more than a tenth' }, note: '0.9：本区学生数一年波动不超过一成' });
    // The preset's own two, their thresholds explained in the note column.
    expect(read.definitions!.rules.filter((x) => x.rhs.includes('PREV(') && x.id !== 'R_KEEP').map((x) => [x.id, x.note?.slice(0, 4)])).toEqual([
      ['R19', '0.8：'],
      ['R20', '0.9：'],
    ]);
  });

  it('refuses PREV() outside a rule: a rate has no last period', () => {
    const p = builtinPreset();
    const defs: Definitions = { ...p, rates: [...p.rates, { ...p.rates[0]!, code: 'R_GROWTH', numerator: 'STUDENTS - PREV(STUDENTS)', stated: undefined as never }] };
    expect(checkDefinitions(defs).map((i) => [i.code, i.subject, i.field, param(i, 'message_zh')])).toEqual([['def.bad_expression', 'R_GROWTH', 'numerator', 'PREV() 只能用于校验规则']]);
  });
});

describe('均衡 standards', () => {
  const header = ['标准代码', '标准名称', '判定方式', '小学差异系数标准', '初中差异系数标准', '指标代码', '指标名称', '每校值', '小学底线', '初中底线'];
  const indicators: CellValue[][] = [
    ['代码', '指标名称', '类型'],
    ['STUDENTS', '在校学生数', '整数'],
    ['AREA', '教学用房面积', '小数'],
    ['BOOKS', '图书', '整数'],
  ];

  it('reads a standard whose own fields are on its first row only, and infers the test from its floors', () => {
    const read = readDefinitions(
      grids({
        指标: indicators,
        均衡标准: [
          header,
          ['Q', '优质均衡', null, 0.5, 0.45, 'L1', '生均面积', 'AREA / STUDENTS', 4.5, 5.8],
          ['Q', null, null, null, null, 'L2', '生均图书', 'BOOKS / STUDENTS', null, null],
          ['B', '基本均衡', '综合', 0.65, 0.55, 'L1', '生均图书', 'BOOKS / STUDENTS', null, null],
        ],
      }),
    );
    expect(read.issues).toEqual([]);
    const standards = read.definitions!.standards!;
    expect(standards.map((s) => [s.code, s.label.zh, s.test, s.thresholds, s.weight, s.minWeight, s.indicators.map((i) => i.code)])).toEqual([
      ['Q', '优质均衡', 'each', { 小学: 0.5, 初中: 0.45 }, 'STUDENTS', 50, ['L1', 'L2']],
      ['B', '基本均衡', 'composite', { 小学: 0.65, 初中: 0.55 }, 'STUDENTS', 50, ['L1']],
    ]);
    expect(standards[0]!.indicators[0]!.floors).toEqual({ 小学: 4.5, 初中: 5.8 });
    expect(standards[0]!.indicators[1]!.floors).toBeUndefined();
  });

  it('locates a repeated field that disagrees, a missing CV limit, an unknown test word and a value over an unknown code', () => {
    const read = readDefinitions(
      grids({
        指标: indicators,
        均衡标准: [
          header,
          ['Q', '优质均衡', '逐项', 0.5, 0.45, 'L1', '生均面积', 'AREA / STUDENTS', 4.5, 5.8],
          ['Q', null, null, 0.55, null, 'L2', '生均图书', 'BOOKS / STUDENTS', null, null],
          ['B', '基本均衡', '平均', 0.65, null, 'L1', '生均图书', 'BOOKS / STUDENTS', null, null],
          ['C', '自定', null, 0.5, 0.5, 'L1', '生均', 'NOPE / STUDENTS', null, null],
        ],
      }),
    );
    expect(read.issues.map((i) => [i.code, i.sheet, i.cell, param(i, 'expected') ?? param(i, 'code')])).toEqual([
      ['def.bad_value', '均衡标准', 'C4', 'equity_test'],
      ['def.bad_value', '均衡标准', 'D3', 'same_standard'],
      ['def.bad_value', '均衡标准', 'E4', 'positive'],
      ['def.unknown_code', '均衡标准', 'H5', 'NOPE'],
    ]);
    // Q stands with its first row's limit; B (no 初中 limit) and C (an unknown code) are left out whole.
    expect(read.definitions!.standards!.map((s) => [s.code, s.thresholds.小学])).toEqual([['Q', 0.5]]);
    expect(formatIssue(read.issues[1]!, 'zh-CN')).toContain('与该标准第一行相同的值');
  });

  it('reads the JSON block — standards with their indicators inside — to the same definitions as the sheets', () => {
    const p = builtinPreset();
    const json = definitionsToJson(p);
    expect(Array.isArray((json.standards as { indicators: unknown[] }[])[1]!.indicators)).toBe(true);
    const read = definitionsFromJson(json);
    expect(read.issues).toEqual([]);
    expect(read.definitions!.standards).toEqual(p.standards);
    expect(read.definitions!.stageStudents).toEqual(p.stageStudents);
    const broken = definitionsFromJson({ ...json, standards: [{ code: 'X', thresholds: { primary: 0.5, junior: 0.4 }, indicators: [{ code: 'L1', value: 'BOOKS / STUDENTS', floors: { 小学: -1 } }] }], stageStudents: { 小学: 'NOPE' } });
    expect(broken.issues.map((i) => [i.code, i.subject, i.field])).toEqual([
      ['def.bad_value', 'X.indicators[0]', 'floorPrimary'],
      ['def.unknown_code', '小学', 'stageStudents'],
    ]);
    expect(broken.definitions!.standards!.map((s) => [s.code, s.thresholds, s.test])).toEqual([['X', { 小学: 0.5, 初中: 0.4 }, 'composite']]);
    expect(broken.definitions!.stageStudents).toBeUndefined();
  });
});

describe('the district and the form’s corner block on the 表样 sheet', () => {
  it('writes an empty 地区 row for the bureau to fill in, and reads back what it holds', () => {
    const preset = builtinPreset();
    const sheets = definitionsToSheets(preset, 'zh-CN');
    const layout = sheets.find((s) => s.name === '表样')!;
    expect(layout.values.find((row) => row[0] === '地区')).toEqual(['地区', '']);
    expect(readDefinitions(sheets).definitions!.district).toBeUndefined();

    const filled = { ...preset, district: '东湖县', form: { number: '教统汇 1 表', issuer: '东湖县教育体育局', approval: '东教统〔2026〕3号', validUntil: '2027年8月' } };
    const back = readDefinitions(definitionsToSheets(filled, 'zh-CN')).definitions!;
    expect(back.district).toBe('东湖县');
    expect(back.form).toEqual(filled.form);
    expect(definitionsFromJson(definitionsToJson(filled)).definitions).toMatchObject({ district: '东湖县', form: filled.form });
  });

  it('takes the district under its other names', () => {
    const sheets = definitionsToSheets(builtinPreset(), 'zh-CN').map((s) => (s.name === '表样' ? { ...s, values: [...s.values.filter((r) => r[0] !== '地区'), ['区县', ' 西山区 ']] } : s));
    expect(readDefinitions(sheets).definitions!.district).toBe('西山区');
  });
});
