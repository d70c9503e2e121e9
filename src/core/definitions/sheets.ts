/**
 * The definition sheets as a clerk keeps them: one table per kind, its sheet names and column
 * headers in Chinese and English, with the other spellings accepted when reading.
 */
import type { Lang } from '../types';

/** Sheet names of the definition tables (Chinese; the English names in DEFINITION_SHEETS_EN are accepted too). */
export const DEFINITION_SHEETS = {
  indicators: '指标',
  rules: '校验规则',
  rates: '比率',
  dispersions: '差异系数',
  standards: '均衡标准',
  roster: '学校名册',
  layout: '表样',
} as const;

/** One kind of definition table. */
export type DefinitionKind = keyof typeof DEFINITION_SHEETS;

/** English sheet names, written for `en-US` and accepted when reading. */
export const DEFINITION_SHEETS_EN: Readonly<Record<DefinitionKind, string>> = {
  indicators: 'Indicators',
  rules: 'Rules',
  rates: 'Rates',
  dispersions: 'Dispersion',
  standards: 'Standards',
  roster: 'Roster',
  layout: 'Layout',
};

/** Other sheet names accepted for each kind. */
export const SHEET_ALIASES: Readonly<Record<DefinitionKind, readonly string[]>> = {
  indicators: ['指标定义', '指标表', 'Indicator', 'Data elements'],
  rules: ['规则', '校验', 'Validation rules', 'Rule'],
  rates: ['比率指标', '计算指标', 'Rate'],
  dispersions: ['差异系数指标', 'Dispersions', 'CV'],
  standards: ['均衡指标', '均衡评估标准', 'Equity standards', 'Balance standards'],
  roster: ['名册', '学校', 'Schools', 'School roster'],
  layout: ['表样设置', '版式', 'Sheet layout'],
};

/** The sheet name written for a kind in a language. */
export function definitionSheetName(kind: DefinitionKind, lang: Lang): string {
  return lang === 'zh-CN' ? DEFINITION_SHEETS[kind] : DEFINITION_SHEETS_EN[kind];
}

/** One column of a definition table: written headers per language and accepted spellings. */
export interface ColumnSpec {
  readonly key: string;
  readonly zh: string;
  readonly en: string;
  readonly aliases: readonly string[];
  /** The table cannot be read without it. */
  readonly required?: boolean;
}

const col = (key: string, zh: string, en: string, aliases: readonly string[], required = false): ColumnSpec => ({ key, zh, en, aliases, required });

/** The columns of each table, in the order they are written. */
export const COLUMNS = {
  indicators: [
    col('code', '代码', 'Code', ['指标代码', '编码', '编号'], true),
    col('labelZh', '指标名称', 'Chinese name', ['名称', '中文名称', '指标', 'Name', 'Label', 'Name (zh)', 'Label (zh)'], true),
    col('labelEn', '英文名称', 'English name', ['英文', 'Name (en)', 'Label (en)', 'English']),
    col('type', '类型', 'Type', ['数据类型', '值类型', 'Value type']),
    col('unit', '单位', 'Unit', ['计量单位']),
    col('required', '必填', 'Required', ['是否必填', 'Mandatory']),
    col('min', '最小值', 'Min', ['下限', 'Minimum']),
    col('max', '最大值', 'Max', ['上限', 'Maximum']),
    col('section', '分组', 'Section', ['栏目', '分类', '类别', 'Group']),
    col('aggregation', '汇总方式', 'Aggregation', ['汇总', '汇总方法', 'Aggregate']),
    col('changeFloor', '上期变化下限', 'Change floor', ['变化下限', '最小变化量', 'Minimum change']),
  ],
  rules: [
    col('id', '编号', 'ID', ['规则编号', '代码', 'Code', 'Rule']),
    col('lhs', '左边', 'Left side', ['左式', '左侧', '左边表达式', 'Left', 'LHS'], true),
    col('op', '运算符', 'Operator', ['比较', '比较符', '关系', 'Op'], true),
    col('rhs', '右边', 'Right side', ['右式', '右侧', '右边表达式', 'Right', 'RHS'], true),
    col('tolerance', '容差', 'Tolerance', ['允许误差', '误差']),
    col('severity', '严重程度', 'Severity', ['级别', '程度', 'Importance', 'Level']),
    col('messageZh', '提示', 'Message', ['提示信息', '中文提示', '说明', 'Message (zh)']),
    col('messageEn', '英文提示', 'English message', ['Message (en)']),
    col('missing', '缺失处理', 'Missing values', ['缺失值处理', '缺失值', 'Missing', 'Missing value strategy']),
    col('note', '备注', 'Note', ['注释', '依据', 'Notes', 'Remark']),
  ],
  rates: [
    col('code', '代码', 'Code', ['比率代码', '编码'], true),
    col('labelZh', '名称', 'Chinese name', ['比率名称', '指标名称', '中文名称', 'Name', 'Label', 'Name (zh)']),
    col('labelEn', '英文名称', 'English name', ['Name (en)', 'Label (en)']),
    col('numerator', '分子', 'Numerator', ['分子表达式'], true),
    col('denominator', '分母', 'Denominator', ['分母表达式'], true),
    col('factor', '系数', 'Factor', ['乘数', '倍数', 'Multiplier']),
    col('decimals', '小数位', 'Decimals', ['小数位数', '保留小数']),
    col('target', '目标', 'Target', ['目标值', '标准', '达标标准']),
    col('stated', '填报率指标', 'Stated indicator', ['填报指标', '学校填报', '填报比率', 'Stated']),
    col('section', '分组', 'Section', ['栏目', '分类', 'Group']),
  ],
  dispersions: [
    col('code', '代码', 'Code', ['编码'], true),
    col('labelZh', '名称', 'Chinese name', ['指标名称', '中文名称', 'Name', 'Label', 'Name (zh)']),
    col('labelEn', '英文名称', 'English name', ['Name (en)', 'Label (en)']),
    col('value', '每校值', 'Per-school value', ['每校指标', '值', '校值', 'Value'], true),
    col('weight', '权重', 'Weight', ['权数', '学生数']),
    col('stages', '学段', 'Stages', ['Stage', '适用学段'], true),
    col('minWeight', '最小权重', 'Minimum weight', ['最少人数', '最小人数', 'Min weight']),
    col('threshold', '阈值', 'Threshold', ['标准', '达标值', '上限']),
  ],
  // One row per indicator of a standard; the standard's own fields may be given on its first row only.
  standards: [
    col('standard', '标准代码', 'Standard', ['标准', 'Standard code'], true),
    col('standardZh', '标准名称', 'Standard name', ['Standard (zh)']),
    col('standardEn', '标准英文名称', 'Standard name (English)', ['Standard (en)']),
    col('test', '判定方式', 'Test', ['检验方式', '达标方式', 'Test type']),
    col('thresholdPrimary', '小学差异系数标准', 'Primary CV limit', ['小学标准', '小学差异系数上限', 'Primary limit']),
    col('thresholdJunior', '初中差异系数标准', 'Junior CV limit', ['初中标准', '初中差异系数上限', 'Junior limit']),
    col('minWeight', '最少学生数', 'Minimum students', ['最少人数', '最小权重', 'Min weight']),
    // The weight is an expression (a code is the simplest); a stage's own weight, where given, takes its place for that stage.
    col('weight', '权重', 'Weight', ['权数']),
    col('weightPrimary', '小学权重', 'Primary weight', ['小学权数', 'Weight (primary)']),
    col('weightJunior', '初中权重', 'Junior weight', ['初中权数', 'Weight (junior)']),
    col('code', '指标代码', 'Indicator', ['Indicator code'], true),
    col('labelZh', '指标名称', 'Chinese name', ['中文名称', 'Name', 'Name (zh)']),
    col('labelEn', '英文名称', 'English name', ['Name (en)']),
    col('value', '每校值', 'Per-school value', ['每校指标', '校值', 'Value'], true),
    col('floorPrimary', '小学底线', 'Primary floor', ['小学最低标准', 'Floor (primary)']),
    col('floorJunior', '初中底线', 'Junior floor', ['初中最低标准', 'Floor (junior)']),
    col('note', '备注', 'Note', ['注释', '依据', 'Notes', 'Remark']),
  ],
  roster: [
    col('code', '学校代码', 'School code', ['学校标识码', '代码', '标识码', 'Code'], true),
    col('name', '学校名称', 'School name', ['名称', '学校', 'Name'], true),
    col('stage', '学段', 'Stage', ['学校类型', '办学类型', '类型', 'Type']),
    col('township', '乡镇/街道', 'Township', ['乡镇', '街道', '乡镇（街道）', '乡镇街道', '所属乡镇', 'Town']),
    col('studentsPrimary', '小学段学生数', 'Primary students', ['小学部学生数', '小学学生数']),
    col('studentsJunior', '初中段学生数', 'Junior students', ['初中部学生数', '初中学生数']),
    col('studentsSenior', '高中段学生数', 'Senior students', ['高中部学生数', '高中学生数']),
    col('ownership', '办学性质', 'Ownership', ['公办民办', '举办者类型', '性质']),
    col('area', '城乡', 'Urban or rural', ['城乡类型', '城乡分类', '所在地', 'Area']),
  ],
} as const satisfies Record<Exclude<DefinitionKind, 'layout'>, readonly ColumnSpec[]>;

/** One setting on the 表样 sheet. */
export interface LayoutKey {
  readonly key: string;
  readonly zh: string;
  readonly en: string;
  readonly aliases: readonly string[];
  readonly list?: boolean;
}

const key = (k: string, zh: string, en: string, aliases: readonly string[] = [], list = false): LayoutKey => ({ key: k, zh, en, aliases, list });

/** The settings of the 表样 sheet, in the order they are written. */
export const LAYOUT_KEYS: readonly LayoutKey[] = [
  key('title', '标题', 'Title', ['中文标题', '表名']),
  key('titleEn', '英文标题', 'English title'),
  key('district', '地区', 'District', ['地区名称', '区县', '行政区划', '填报地区']),
  key('period', '填报期', 'Period', ['统计时点', '统计期']),
  key('formNumber', '表号', 'Form number'),
  key('formIssuer', '制表机关', 'Issued by', ['制定机关']),
  key('formApproval', '批准文号', 'Approval', ['批准机关', '批准机关及文号']),
  key('formValidUntil', '有效期至', 'Valid until'),
  key('kind', '版式', 'Layout', ['表样类型', '格式', 'Kind']),
  key('sheetName', '工作表', 'Sheet', ['工作表名', '工作表名称', 'Sheet name']),
  key('schoolCodeLabels', '学校代码标签', 'School code labels', [], true),
  key('schoolNameLabels', '学校名称标签', 'School name labels', [], true),
  key('periodLabels', '填报期标签', 'Period labels', [], true),
  key('codeHeaders', '代码列标题', 'Code headers', [], true),
  key('labelHeaders', '指标列标题', 'Indicator headers', [], true),
  key('unitHeaders', '单位列标题', 'Unit headers', [], true),
  key('valueHeaders', '数值列标题', 'Value headers', [], true),
  key('stageStudentsPrimary', '小学段学生数指标', 'Primary students indicator'),
  key('stageStudentsJunior', '初中段学生数指标', 'Junior students indicator'),
  key('stageStudentsSenior', '高中段学生数指标', 'Senior students indicator'),
  key('schoolCodeHeaders', '学校代码列标题', 'School code headers', [], true),
  key('schoolNameHeaders', '学校名称列标题', 'School name headers', [], true),
];

/** Header cells of the 表样 sheet. */
export const LAYOUT_HEADER = { zh: ['项目', '值'], en: ['Setting', 'Value'] } as const;
