/**
 * Fixed wording of the 均衡 results, in both languages: the 均衡 sheet, the command's report and
 * the pane say the same things in the same words.
 */
import type { EquityExclusion, EquityResult, EquityStageResult, EquityStandard, Lang } from '../core/types';
import { stageLabel } from './labels';
import { SHEET_NAMES } from './names';

/** Words of the 均衡 sheet and report. */
export interface EquityWords {
  readonly sheet: string;
  /** The table's name in its printed title. */
  readonly title: string;
  readonly schoolCode: string;
  readonly schoolName: string;
  readonly schoolType: string;
  /** After an indicator's name in the school rows: its floor. */
  readonly floorOf: (floor: number) => string;
  readonly floorVerdict: string;
  readonly shortfallsHeading: string;
  /** One floor not met: the indicator, its value, its floor and the share reached. */
  readonly shortfall: (label: string, value: number, floor: number, reached: number | null) => string;
  readonly note: string;
  readonly item: string;
  readonly mean: string;
  readonly sd: string;
  readonly cv: string;
  readonly limit: string;
  readonly verdict: string;
  readonly composite: string;
  readonly students: string;
  readonly share: string;
  readonly floor: string;
  readonly school: string;
  readonly met: string;
  readonly notMet: string;
  readonly unknown: string;
  readonly pullsHeading: string;
  readonly excludedHeading: string;
  readonly reason: string;
  readonly noSchools: string;
  readonly below: string;
  readonly above: string;
  readonly reasons: (reason: EquityExclusion, minWeight: number, indicator?: string) => string;
  readonly schoolsLine: (met: number, total: number) => string;
}


/** A figure as the sheet shows it: up to two decimals, no trailing zeros. */
function figure(n: number): string {
  return String(Math.round(n * 100) / 100);
}

const ZH: EquityWords = {
  sheet: SHEET_NAMES['zh-CN'].equity,
  title: '义务教育均衡发展监测结果',
  schoolCode: '学校代码',
  schoolName: '学校名称',
  schoolType: '学校类型',
  floorOf: (floor) => `（底线 ${figure(floor)}）`,
  floorVerdict: '底线是否达标',
  shortfallsHeading: '未达到的底线（值 / 底线，达到比例）',
  shortfall: (label, value, floor, reached) => `${label} ${figure(value)} / ${figure(floor)}${reached === null ? '' : `（${Math.round(reached * 100)}%）`}`,
  note: '差异系数 = 标准差 ÷ 全县平均值，均按学生数加权（全县平均值 = 全县资源总量 ÷ 全县学生总数）；综合 = 各项差异系数的平均值；九年一贯制学校的资源按小学 : 初中 = 1 : 1.1 拆分（完全中学初中 : 高中 = 1 : 1.2，十二年一贯制 1 : 1.1 : 1.32），各部分按所属学段参评；不足 50 人的学校（教学点）和特教学校不参评。',
  item: '项目',
  mean: '全县平均值',
  sd: '标准差',
  cv: '差异系数',
  limit: '标准',
  verdict: '是否达标',
  composite: '综合',
  students: '学生数',
  share: '资源计入比例',
  floor: '底线',
  school: '学校',
  met: '达标',
  notMet: '未达标',
  unknown: '无法判定',
  pullsHeading: '对差异系数影响最大的学校（括号内为该校对差异的贡献比例，偏高或偏低）',
  excludedHeading: '未参评的学校',
  reason: '原因',
  noSchools: '（本学段没有参评学校）',
  below: '偏低',
  above: '偏高',
  reasons: (reason, minWeight, indicator) =>
    ({
      special_education: '特教学校不参评',
      below_min_weight: `学生数不足 ${minWeight} 人`,
      stage_students_missing: '未填分学段学生数，无法拆分到学段',
      missing_value: `${indicator ?? ''} 缺少数据，无法计算`,
      stage: '不在学校名册中，学段未知',
    })[reason],
  schoolsLine: (met, total) => `${total} 所（部）中 ${met} 所达到底线要求`,
};

const EN: EquityWords = {
  sheet: SHEET_NAMES['en-US'].equity,
  title: 'Compulsory-education balance: monitoring result',
  schoolCode: 'School code',
  schoolName: 'School',
  schoolType: 'Type of school',
  floorOf: (floor) => ` (floor ${figure(floor)})`,
  floorVerdict: 'Floors met',
  shortfallsHeading: 'Floors not met (value / floor, share reached)',
  shortfall: (label, value, floor, reached) => `${label} ${figure(value)} / ${figure(floor)}${reached === null ? '' : ` (${Math.round(reached * 100)}%)`}`,
  note: 'CV = standard deviation ÷ district mean, both weighted by students (district mean = the district’s resources ÷ its students); composite = the mean of the CVs; a nine-year school’s resources are split primary : junior = 1 : 1.1 (complete secondary junior : senior 1 : 1.2, twelve-year 1 : 1.1 : 1.32), each part assessed in its stage; schools under 50 students and special-education schools are not assessed.',
  item: 'Item',
  mean: 'District mean',
  sd: 'Standard deviation',
  cv: 'CV',
  limit: 'Limit',
  verdict: 'Met',
  composite: 'Composite',
  students: 'Students',
  share: 'Share of resources counted',
  floor: 'floor',
  school: 'School',
  met: 'met',
  notMet: 'not met',
  unknown: 'cannot tell',
  pullsHeading: 'Schools that affect each CV most (in brackets: their share of the spread, high or low)',
  excludedHeading: 'Schools not assessed',
  reason: 'Reason',
  noSchools: '(no school assessed in this stage)',
  below: 'low',
  above: 'high',
  reasons: (reason, minWeight, indicator) =>
    ({
      special_education: 'special-education school, not assessed',
      below_min_weight: `fewer than ${minWeight} students`,
      stage_students_missing: 'students per stage not given: cannot be split',
      missing_value: `${indicator ?? ''} cannot be computed: figures missing`,
      stage: 'not in the roster: stage unknown',
    })[reason],
  schoolsLine: (met, total) => `${met} of ${total} schools (or parts) meet their floors`,
};

/** The 均衡 words in a language. */
export function equityWords(lang: Lang): EquityWords {
  return lang === 'zh-CN' ? ZH : EN;
}

/** 达标 / 未达标 / 无法判定. */
export function verdictWord(met: boolean | null, lang: Lang): string {
  const w = equityWords(lang);
  return met === null ? w.unknown : met ? w.met : w.notMet;
}

/** `基本均衡 · 小学`, `Basic balance · Primary`. */
export function stageTitle(standard: EquityStandard, stage: EquityStageResult, lang: Lang): string {
  return `${standard.label[lang === 'zh-CN' ? 'zh' : 'en']} · ${stageLabel(stage.stage, lang)}`;
}

/**
 * One line saying how a stage stands: `综合差异系数 0.146（标准 ≤ 0.65）：达标`, or for 优质均衡
 * `差异系数全部 ≤ 0.50，22 所中 20 所达到底线要求：未达标`.
 */
export function stageVerdictLine(standard: EquityStandard, stage: EquityStageResult, lang: Lang): string {
  const zh = lang === 'zh-CN';
  const w = equityWords(lang);
  const fmt = (v: number | null): string => (v === null ? '—' : v.toFixed(3));
  const limit = stage.threshold.toFixed(2);
  const parts: string[] = [];
  if (standard.test === 'composite') {
    parts.push(zh ? `综合差异系数 ${fmt(stage.composite)}（标准 ≤ ${limit}）` : `composite CV ${fmt(stage.composite)} (limit ≤ ${limit})`);
  } else {
    // An L-column is named with its indicator: 'L5 生均教学仪器设备值', never a bare L5.
    const named = (code: string): string => {
      const label = standard.indicators.find((i) => i.code === code)?.label;
      return label === undefined ? code : `${code} ${zh ? label.zh : label.en}`;
    };
    const over = stage.indicators.filter((i) => i.met === false).map((i) => named(i.code));
    const worst = Math.max(...stage.indicators.map((i) => i.cv ?? 0));
    parts.push(
      over.length === 0
        ? zh
          ? `各项差异系数最高 ${stage.indicators.length > 0 ? fmt(worst) : '—'}（标准 ≤ ${limit}）`
          : `highest CV ${stage.indicators.length > 0 ? fmt(worst) : '—'} (limit ≤ ${limit})`
        : zh
          ? `${over.join('、')} 差异系数超过 ${limit}`
          : `${over.join(', ')} over the ${limit} limit`,
    );
    if (stage.schoolsMet !== null || stage.schools.some((s) => s.met !== null)) {
      parts.push(w.schoolsLine(stage.schools.filter((s) => s.met === true).length, stage.schools.length));
    }
  }
  return `${parts.join(zh ? '；' : '; ')}${zh ? '：' : ': '}${verdictWord(stage.met, lang)}`;
}

/** The standard a result belongs to. */
export function standardOf(result: EquityResult, standards: readonly EquityStandard[] | undefined): EquityStandard | undefined {
  return standards?.find((s) => s.code === result.code);
}
