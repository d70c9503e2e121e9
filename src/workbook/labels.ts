/**
 * Fixed wording of the sheets Huizong writes, in both languages. Data (school names, codes,
 * indicator labels) never comes from here.
 */
import type { Lang, Severity, Stage } from '../core/types';

const STAGE_EN: Record<Stage, string> = {
  幼儿园: 'Kindergarten',
  小学: 'Primary',
  初中: 'Junior secondary',
  九年一贯制: '9-year school',
  完全中学: 'Complete secondary',
  十二年一贯制: '12-year school',
  高中: 'Senior secondary',
  职高: 'Vocational',
  特教: 'Special education',
};

/** A stage as shown in a sheet: the Chinese name, or its English name in en-US. Unknown stages pass through. */
export function stageLabel(stage: string | undefined, lang: Lang): string {
  if (stage === undefined) return '';
  if (lang === 'zh-CN') return stage;
  return (STAGE_EN as Record<string, string>)[stage] ?? stage;
}

/** 错误 / 警告 / 提示, or Error / Warning / Info. */
export function severityLabel(severity: Severity | 'info', lang: Lang): string {
  const zh = lang === 'zh-CN';
  switch (severity) {
    case 'error':
      return zh ? '错误' : 'Error';
    case 'warning':
      return zh ? '警告' : 'Warning';
    case 'info':
      return zh ? '提示' : 'Info';
  }
}

/** A label with its unit in brackets: `在校生数（人）`, `Students (人)`. */
export function withUnit(label: string, unit: string | undefined, lang: Lang): string {
  if (!unit) return label;
  return lang === 'zh-CN' ? `${label}（${unit}）` : `${label} (${unit})`;
}

/** The unit a rate is shown in, from its factor: `%` for 100, `‰` for 1000, none otherwise. */
export function rateUnit(factor: number): string | undefined {
  if (factor === 100) return '%';
  if (factor === 1000) return '‰';
  return undefined;
}

interface Words {
  readonly schoolCode: string;
  readonly schoolName: string;
  readonly stage: string;
  readonly township: string;
  readonly file: string;
  readonly sheet: string;
  readonly cell: string;
  readonly severity: string;
  readonly kind: string;
  readonly message: string;
  readonly original: string;
  readonly period: string;
  readonly generated: string;
  readonly rateRule: string;
  readonly subtotal: string;
  readonly districtTotal: string;
  readonly schools: (n: number) => string;
  readonly noIssues: string;
  /** The report lists `shown` of `total` problems: a sheet has a last row. */
  readonly reportCut: (shown: number, total: number) => string;
  readonly reportTitle: (errors: number, warnings: number, infos: number) => string;
  readonly expected: string;
  readonly submitted: string;
  readonly ratio: string;
  readonly missingSchools: string;
  readonly noneMissing: string;
  readonly unknownCodes: string;
  readonly noneUnknown: string;
  readonly code: string;
  readonly indicator: string;
  readonly rate: string;
  readonly unit: string;
  readonly value: string;
  readonly target: string;
  readonly templateTitle: (title: string) => string;
  readonly instructionsHeading: string;
  readonly instructions: readonly string[];
  readonly wholePrompt: (min?: number, max?: number) => string;
  readonly decimalPrompt: (min?: number, max?: number) => string;
  readonly wholeError: (min?: number, max?: number) => string;
  readonly decimalError: (min?: number, max?: number) => string;
  readonly otherSection: string;
  readonly dispersionHeading: string;
  readonly dispersionHeaders: readonly string[];
  readonly met: string;
  readonly notMet: string;
}

function range(min: number | undefined, max: number | undefined, lang: Lang): string {
  const zh = lang === 'zh-CN';
  if (min !== undefined && max !== undefined) return zh ? `${min} 到 ${max} 之间的` : ` between ${min} and ${max}`;
  if (min !== undefined) return zh ? `不小于 ${min} 的` : ` of at least ${min}`;
  if (max !== undefined) return zh ? `不大于 ${max} 的` : ` of at most ${max}`;
  return zh ? '' : '';
}

const ZH: Words = {
  schoolCode: '学校代码',
  schoolName: '学校名称',
  stage: '学段',
  township: '乡镇',
  file: '文件',
  sheet: '工作表',
  cell: '单元格',
  severity: '严重程度',
  kind: '类别',
  message: '说明',
  original: '原始内容',
  period: '填报期',
  generated: '生成时间',
  rateRule: '比率 = Σ分子 ÷ Σ分母（先汇总各校数据再计算，不是各校比率的平均）',
  subtotal: '小计',
  districtTotal: '全区合计',
  schools: (n) => `${n} 所`,
  noIssues: '没有发现问题。',
  reportCut: (shown, total) => `共 ${total} 条问题，一张工作表最多 1,048,576 行，本表列出其中 ${shown} 条：先列全部错误，再列警告和提示。`,
  reportTitle: (e, w, i) => `校验报告：${e} 个错误，${w} 个警告，${i} 条提示`,
  expected: '应报学校数',
  submitted: '已报学校数',
  ratio: '报送率（%）',
  missingSchools: '未报送学校',
  noneMissing: '所有学校均已报送。',
  unknownCodes: '名册外的学校代码',
  noneUnknown: '无',
  code: '代码',
  indicator: '指标',
  rate: '比率',
  unit: '单位',
  value: '数值',
  target: '目标',
  templateTitle: (t) => `${t} 填报表`,
  instructionsHeading: '填表说明',
  instructions: [
    '1. 请在“数值”列填写数字，不要修改“代码”列，不要插入或删除行。',
    '2. 学校代码为 10 位学校标识码，请按文本填写，保留开头的 0。',
    '3. 数字请用半角阿拉伯数字，不要带单位、千分位逗号或“万”字；没有的填 0。',
    '4. 百分比直接填写百分数的数值，例如 95.5% 填 95.5。',
    '5. 比率由表格自动计算，无需填写。',
  ],
  wholePrompt: (min, max) => `请输入${range(min, max, 'zh-CN')}整数。`,
  decimalPrompt: (min, max) => `请输入${range(min, max, 'zh-CN')}数字。`,
  wholeError: (min, max) => `此处只能填写${range(min, max, 'zh-CN')}整数。`,
  decimalError: (min, max) => `此处只能填写${range(min, max, 'zh-CN')}数字。`,
  otherSection: '其他',
  dispersionHeading: '校际差异系数（按在校生数加权；学生不足规定人数的学校不计入）',
  dispersionHeaders: ['代码', '指标', '学段', '学校数', '均值', '标准差', '差异系数', '标准（≤）', '是否达标'],
  met: '达标',
  notMet: '未达标',
};

const EN: Words = {
  schoolCode: 'School code',
  schoolName: 'School name',
  stage: 'Stage',
  township: 'Township',
  file: 'File',
  sheet: 'Sheet',
  cell: 'Cell',
  severity: 'Severity',
  kind: 'Kind',
  message: 'Message',
  original: 'Original text',
  period: 'Period',
  generated: 'Generated',
  rateRule: 'Rates are Σ numerators ÷ Σ denominators (inputs are added up first, never an average of school rates)',
  subtotal: 'subtotal',
  districtTotal: 'District total',
  schools: (n) => `${n} ${n === 1 ? 'school' : 'schools'}`,
  noIssues: 'No problems found.',
  reportCut: (shown, total) => `${total} problems; a sheet holds at most 1,048,576 rows, so this one lists ${shown} of them: every error first, then warnings and notes.`,
  reportTitle: (e, w, i) => `Validation report: ${e} errors, ${w} warnings, ${i} notes`,
  expected: 'Schools expected',
  submitted: 'Schools submitted',
  ratio: 'Submission rate (%)',
  missingSchools: 'Schools that have not submitted',
  noneMissing: 'Every school has submitted.',
  unknownCodes: 'School codes not in the roster',
  noneUnknown: 'None',
  code: 'Code',
  indicator: 'Indicator',
  rate: 'Rate',
  unit: 'Unit',
  value: 'Value',
  target: 'Target',
  templateTitle: (t) => `${t} — school form`,
  instructionsHeading: 'How to fill in this form',
  instructions: [
    '1. Type numbers in the "Value" column only; do not change the "Code" column or insert or delete rows.',
    '2. The school code is the 10-digit school identifier; type it as text and keep its leading zeros.',
    '3. Type plain digits, without units, thousands separators or 万; type 0 where there is none.',
    '4. Type percentages as the number of percent, e.g. 95.5 for 95.5%.',
    '5. Rates are calculated by the form; leave them as they are.',
  ],
  wholePrompt: (min, max) => `Type a whole number${range(min, max, 'en-US')}.`,
  decimalPrompt: (min, max) => `Type a number${range(min, max, 'en-US')}.`,
  wholeError: (min, max) => `Only a whole number${range(min, max, 'en-US')} can go here.`,
  decimalError: (min, max) => `Only a number${range(min, max, 'en-US')} can go here.`,
  otherSection: 'Other',
  dispersionHeading: 'Between-school coefficients of variation (weighted by students; schools below the minimum are left out)',
  dispersionHeaders: ['Code', 'Indicator', 'Stages', 'Schools', 'Mean', 'SD', 'CV', 'Threshold (≤)', 'Met'],
  met: 'Met',
  notMet: 'Not met',
};

/** The fixed words of every sheet in one language. */
export function words(lang: Lang): Words {
  return lang === 'zh-CN' ? ZH : EN;
}
