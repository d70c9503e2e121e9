/**
 * The words a clerk may type in definition sheets (Chinese or English), mapped to the core's
 * literals, and the words written back per language.
 */
import type { Aggregation, Comparator, EquityTest, IndicatorType, Lang, MissingStrategy, Severity, Stage } from '../types';
import { STAGES } from '../types';
import { normalizeLabel } from './text';

type Words<T extends string> = Readonly<Record<T, { zh: string; en: string; aliases: readonly string[] }>>;

const TYPES: Words<IndicatorType> = {
  integer: { zh: '整数', en: 'integer', aliases: ['int', 'count', '计数', '人数', '整型', 'whole'] },
  decimal: { zh: '小数', en: 'decimal', aliases: ['number', 'numeric', '数值', '实数', 'float', '数字'] },
  percent: { zh: '百分比', en: 'percent', aliases: ['%', '百分数', 'percentage', '百分率'] },
  fraction: { zh: '比例', en: 'fraction', aliases: ['ratio', '比值', '小数比例', 'proportion'] },
  text: { zh: '文本', en: 'text', aliases: ['文字', 'string', '字符'] },
  code: { zh: '代码', en: 'code', aliases: ['编码', '代码文本', 'id'] },
};

const AGGREGATIONS: Words<Aggregation> = {
  sum: { zh: '求和', en: 'sum', aliases: ['合计', '汇总', '加总', 'total'] },
  mean: { zh: '平均', en: 'mean', aliases: ['平均值', '均值', 'average', 'avg'] },
  min: { zh: '最小', en: 'min', aliases: ['最小值', 'minimum'] },
  max: { zh: '最大', en: 'max', aliases: ['最大值', 'maximum'] },
  none: { zh: '不汇总', en: 'none', aliases: ['无', '否', '-', '—', 'no', '不合计'] },
};

const SEVERITIES: Words<Severity> = {
  error: { zh: '错误', en: 'error', aliases: ['严重', '必须修改', 'err', 'e'] },
  warning: { zh: '警告', en: 'warning', aliases: ['疑问', '提示', '核实', 'warn', 'w', 'query'] },
};

const MISSING: Words<MissingStrategy> = {
  skip_if_any_missing: { zh: '任一缺失跳过', en: 'skip if any missing', aliases: ['任一缺失', '缺失跳过', 'skip_if_any_value_missing', 'any'] },
  skip_if_all_missing: { zh: '全部缺失跳过', en: 'skip if all missing', aliases: ['全部缺失', 'skip_if_all_values_missing', 'all'] },
  never_skip: { zh: '缺失按0', en: 'missing as 0', aliases: ['缺失按零', '缺失视为0', '不跳过', 'never', 'missing_as_zero', 'treat missing as 0'] },
};

const STAGE_WORDS: Words<Stage> = {
  幼儿园: { zh: '幼儿园', en: 'Kindergarten', aliases: ['学前', '幼儿', 'preschool'] },
  小学: { zh: '小学', en: 'Primary', aliases: ['primary school'] },
  初中: { zh: '初中', en: 'Junior secondary', aliases: ['初级中学', 'junior', 'junior high', 'junior middle'] },
  九年一贯制: { zh: '九年一贯制', en: 'Nine-year', aliases: ['九年制', '九年一贯制学校', 'nine-year school'] },
  完全中学: { zh: '完全中学', en: 'Complete secondary', aliases: ['完中', 'complete middle'] },
  十二年一贯制: { zh: '十二年一贯制', en: 'Twelve-year', aliases: ['十二年制', '十二年一贯制学校', 'twelve-year school'] },
  高中: { zh: '高中', en: 'Senior secondary', aliases: ['普通高中', '普高', 'senior', 'senior high', 'high school'] },
  职高: { zh: '职高', en: 'Vocational', aliases: ['职业高中', '中职', '职业中学', 'vocational school'] },
  特教: { zh: '特教', en: 'Special education', aliases: ['特殊教育', '特教学校', '特殊教育学校', 'special'] },
};

const EQUITY_TESTS: Words<EquityTest> = {
  composite: { zh: '综合差异系数', en: 'composite', aliases: ['综合', '平均差异系数', 'mean of CVs', 'mean'] },
  each: { zh: '逐项差异系数', en: 'each', aliases: ['逐项', '每项', '各项', 'every CV', 'each CV'] },
};

const OPERATORS: Words<Comparator> = {
  '==': { zh: '=', en: '==', aliases: ['＝', '＝＝', '等于', 'eq'] },
  '!=': { zh: '≠', en: '!=', aliases: ['<>', '不等于', 'ne', '！＝'] },
  '<': { zh: '<', en: '<', aliases: ['＜', '小于', 'lt'] },
  '<=': { zh: '≤', en: '<=', aliases: ['≦', '=<', '不大于', '小于等于', '小于或等于', 'le'] },
  '>': { zh: '>', en: '>', aliases: ['＞', '大于', 'gt'] },
  '>=': { zh: '≥', en: '>=', aliases: ['≧', '=>', '不小于', '大于等于', '大于或等于', 'ge'] },
};

function lookup<T extends string>(words: Words<T>): (text: string) => T | undefined {
  const map = new Map<string, T>();
  for (const key of Object.keys(words) as T[]) {
    const w = words[key];
    for (const s of [key, w.zh, w.en, ...w.aliases]) map.set(normalizeLabel(s), key);
  }
  return (text) => map.get(normalizeLabel(text));
}

const pick = (lang: Lang): 'zh' | 'en' => (lang === 'zh-CN' ? 'zh' : 'en');

/** Reads an indicator type word (`整数`, `percent`, `%`). */
export const parseType = lookup(TYPES);
/** Reads an aggregation word (`求和`, `mean`). */
export const parseAggregation = lookup(AGGREGATIONS);
/** Reads a severity word (`错误`, `warning`). */
export const parseSeverity = lookup(SEVERITIES);
/** Reads a missing-value strategy (`任一缺失跳过`, `never_skip`). */
export const parseMissing = lookup(MISSING);
/** Reads a stage (`小学`, `Primary`, `普通高中`). */
export const parseStage = lookup(STAGE_WORDS);
/** Reads a 均衡 test (`综合差异系数`, `each`). */
export const parseEquityTest = lookup(EQUITY_TESTS);
/** Reads a comparison operator (`>=`, `≥`, `不小于`, `=`). */
export const parseOperator = lookup(OPERATORS);

const OWNERSHIP: Words<'public' | 'private'> = {
  public: { zh: '公办', en: 'public', aliases: ['公立', '公办园', '公办学校'] },
  private: { zh: '民办', en: 'private', aliases: ['私立', '民办园', '普惠性民办', '民办学校'] },
};
const AREA: Words<'urban' | 'rural'> = {
  urban: { zh: '城区', en: 'urban', aliases: ['城市', '城镇', '镇区', '县城', '市区', 'town'] },
  rural: { zh: '农村', en: 'rural', aliases: ['乡村', '乡镇', 'village'] },
};
/** Reads a roster's 办学性质 (`公办`, `民办`, `public`). */
export const parseOwnership = lookup(OWNERSHIP);
/** Reads a roster's 城乡 (`城区`, `农村`, `乡村`). */
export const parseArea = lookup(AREA);

/** The word written for each literal. */
export const typeWord = (t: IndicatorType, lang: Lang): string => TYPES[t][pick(lang)];
export const aggregationWord = (a: Aggregation, lang: Lang): string => AGGREGATIONS[a][pick(lang)];
export const severityWord = (s: Severity, lang: Lang): string => SEVERITIES[s][pick(lang)];
export const missingWord = (m: MissingStrategy, lang: Lang): string => MISSING[m][pick(lang)];
export const stageWord = (s: Stage, lang: Lang): string => STAGE_WORDS[s][pick(lang)];
export const operatorWord = (o: Comparator, lang: Lang): string => OPERATORS[o][pick(lang)];
export const ownershipWord = (o: 'public' | 'private', lang: Lang): string => OWNERSHIP[o][pick(lang)];
export const areaWord = (x: 'urban' | 'rural', lang: Lang): string => AREA[x][pick(lang)];
export const equityTestWord = (t: EquityTest, lang: Lang): string => EQUITY_TESTS[t][pick(lang)];

const YES = new Set(['是', '必填', 'y', 'yes', 'true', '1', '√', '✓', '✔', '要']);
const NO = new Set(['否', '非必填', 'n', 'no', 'false', '0', '×', '✗', '不', '-', '—']);

/** Reads a yes/no cell; `undefined` when the word is neither. */
export function parseYesNo(text: string): boolean | undefined {
  const t = normalizeLabel(text);
  if (YES.has(t)) return true;
  if (NO.has(t)) return false;
  return undefined;
}

/** The word written for a yes/no value. */
export const yesNoWord = (b: boolean, lang: Lang): string => (lang === 'zh-CN' ? (b ? '是' : '否') : b ? 'yes' : 'no');

/** Every stage, for checks. */
export const STAGE_SET: ReadonlySet<string> = new Set(STAGES);

/** Operators as accepted in a target: `>=96`, `≥ 96`, `≥96%`, `不低于 96`. */
const TARGET = /^\s*([<>=!≤≥≦≧≠＜＞＝！]{1,2}|不小于|不低于|不大于|不高于|大于|小于|等于|达到)\s*([+-]?\d+(?:\.\d+)?)\s*[%％]?\s*$/u;
const TARGET_WORDS: Readonly<Record<string, Comparator>> = { 不低于: '>=', 达到: '>=', 不高于: '<=' };

/** Reads a target such as `>=96`, `≥ 96`, `≥96%`; `undefined` when it is not one. */
export function parseTarget(text: string): { op: Comparator; value: number } | undefined {
  const m = TARGET.exec(text.normalize('NFKC'));
  if (!m) return undefined;
  const op = TARGET_WORDS[m[1]!] ?? parseOperator(m[1]!);
  if (op === undefined) return undefined;
  return { op, value: Number(m[2]) };
}

/** Writes a target: `≥96` in Chinese sheets, `>=96` in English ones. */
export function targetWord(t: { op: Comparator; value: number }, lang: Lang): string {
  return `${operatorWord(t.op, lang)}${t.value}`;
}
