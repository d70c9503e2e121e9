/**
 * The built-in preset: the indicators, rules, rates and 差异系数 a district bureau typically
 * collects, modelled on the figures its yearly reports publish (staff vaccination, 学前 enrolment
 * and 普惠 coverage, disabled-children enrolment, after-school service, nutrition meals, campus
 * safety, PE health, and the resources of the 基本均衡 and 优质均衡 standards). Codes are fixed: demo data and tests use them.
 */
import type { Definitions, EquityStandard, Indicator, Rate, Rule, FormLayout } from './types';

type IndicatorExtra = Partial<Omit<Indicator, 'code' | 'label'>>;

const count = (code: string, zh: string, en: string, section: string, extra: IndicatorExtra = {}): Indicator => ({
  code,
  label: { zh, en },
  type: 'integer',
  unit: '人',
  required: false,
  min: 0,
  section,
  aggregation: 'sum',
  ...extra,
});

/** A yes/no flag typed as 1 or 0; summed, it counts the schools that say yes. */
const flag = (code: string, zh: string, en: string, section: string): Indicator => ({
  code,
  label: { zh, en },
  type: 'integer',
  unit: '是=1，否=0',
  required: false,
  min: 0,
  max: 1,
  section,
  aggregation: 'sum',
});

const measure = (code: string, zh: string, en: string, unit: string, section: string): Indicator => ({
  code,
  label: { zh, en },
  type: 'decimal',
  unit,
  required: false,
  min: 0,
  section,
  aggregation: 'sum',
});

/** Section names as they appear on the form (分组). */
export const PRESET_SECTIONS = {
  basic: '基本情况',
  vaccination: '疫苗接种',
  preschool: '学前教育',
  special: '特殊教育',
  afterSchool: '课后服务',
  meals: '营养餐',
  safety: '校园安全',
  fitness: '体质健康',
  conditions: '办学条件',
  stages: '分学段学生数（九年一贯制、完全中学、十二年一贯制学校填）',
} as const;

const S = PRESET_SECTIONS;

function presetIndicators(): Indicator[] {
  return [
    count('STUDENTS', '在校学生数', 'Students enrolled', S.basic, { required: true }),
    count('BOYS', '其中：男生', 'of which boys', S.basic),
    count('GIRLS', '其中：女生', 'of which girls', S.basic),
    count('TEACHERS', '专任教师数', 'Full-time teachers', S.basic, { required: true }),
    count('STAFF_TOTAL', '教职工总数', 'All staff', S.basic, { required: true }),
    count('STAFF_VACC', '已接种疫苗教职工数', 'Vaccinated staff', S.vaccination, { required: true }),
    {
      code: 'STAFF_VACC_RATE',
      label: { zh: '教职工疫苗接种率（学校填报）', en: 'Staff vaccination rate (as stated by the school)' },
      type: 'percent',
      unit: '%',
      required: false,
      min: 0,
      max: 100,
      section: S.vaccination,
      aggregation: 'none',
    },
    count('KG_AGE_POP', '服务区内3—5周岁适龄人口', 'Children aged 3–5 in the catchment area', S.preschool),
    count('KG_ENROLLED', '在园幼儿数', 'Children enrolled in kindergarten', S.preschool),
    count('KG_PUBLIC', '其中：公办园在园幼儿数', 'of which in public kindergartens', S.preschool),
    count('KG_INCLUSIVE_PRIVATE', '其中：普惠性民办园在园幼儿数', 'of which in inclusive private kindergartens', S.preschool),
    count('DIS_AGE', '适龄残疾儿童少年数', 'School-age children with disabilities', S.special),
    count('DIS_ENROLLED', '其中：已入学适龄残疾儿童少年数', 'of which enrolled', S.special),
    flag('AS_OFFERED', '是否开展课后服务', 'Offers after-school service', S.afterSchool),
    count('AS_PARTICIPANTS', '参加课后服务学生数', 'Students taking part in after-school service', S.afterSchool),
    count('NM_ELIGIBLE', '营养改善计划应覆盖学生数', 'Students eligible for nutrition meals', S.meals),
    count('NM_COVERED', '享受营养餐学生数', 'Students receiving nutrition meals', S.meals),
    flag('SAFE_CLOSED', '是否实现校园封闭化管理', 'Campus under closed management', S.safety),
    count('SAFE_GUARDS', '专职保安员人数', 'Full-time security guards', S.safety),
    count('SAFE_GUARDS_REQUIRED', '应配专职保安员人数', 'Security guards required', S.safety),
    flag('SAFE_CCTV', '视频监控是否接入公安联网', 'CCTV linked to the police network', S.safety),
    count('PE_TESTED', '体质健康测试人数', 'Students given the fitness test', S.fitness),
    count('PE_EXCELLENT', '其中：优秀人数', 'of which excellent', S.fitness),
    count('PE_GOOD', '其中：良好人数', 'of which good', S.fitness),
    measure('AREA_TEACHING', '教学及辅助用房面积', 'Teaching and auxiliary rooms area', 'm²', S.conditions),
    measure('AREA_SPORTS', '体育运动场馆面积', 'Sports grounds and halls area', 'm²', S.conditions),
    measure('EQUIP_VALUE', '教学仪器设备值', 'Value of teaching equipment', '元', S.conditions),
    count('COMPUTERS', '教学用计算机台数', 'Computers for teaching', S.conditions, { unit: '台' }),
    count('BOOKS', '图书册数', 'Library books', S.conditions, { unit: '册' }),
    count('TEACHERS_QUALIFIED', '高于规定学历专任教师数', 'Teachers above the required qualification', S.conditions),
    count('TEACHERS_SENIOR', '中级及以上专业技术职务专任教师数', 'Teachers with intermediate or senior titles', S.conditions),
    count('TEACHERS_BACKBONE', '县级及以上骨干教师数', 'County-level or higher backbone teachers', S.conditions),
    count('TEACHERS_PE_ART', '体育、艺术专任教师数', 'Full-time PE and arts teachers', S.conditions),
    count('MULTIMEDIA_ROOMS', '网络多媒体教室数', 'Networked multimedia classrooms', S.conditions, { unit: '间' }),
    count('STUDENTS_PRIMARY', '小学段学生数', 'Primary students', S.stages),
    count('STUDENTS_JUNIOR', '初中段学生数', 'Junior secondary students', S.stages),
    count('STUDENTS_SENIOR', '高中段学生数', 'Senior secondary students', S.stages),
  ];
}

const rule = (
  id: string,
  lhs: string,
  op: Rule['op'],
  rhs: string,
  severity: Rule['severity'],
  zh: string,
  en: string,
  missing: Rule['missing'] = 'skip_if_any_missing',
  tolerance?: number,
): Rule => ({ id, lhs, op, rhs, ...(tolerance !== undefined ? { tolerance } : {}), severity, message: { zh, en }, missing });

function presetRules(): Rule[] {
  return [
    rule('R01', 'BOYS + GIRLS', '==', 'STUDENTS', 'error', '男生数与女生数之和应等于在校学生数', 'Boys plus girls must equal the students enrolled', 'skip_if_any_missing', 0),
    rule('R02', 'STAFF_VACC', '<=', 'STAFF_TOTAL', 'error', '已接种疫苗教职工数不能多于教职工总数', 'Vaccinated staff cannot exceed all staff'),
    rule('R03', 'TEACHERS', '<=', 'STAFF_TOTAL', 'error', '专任教师数不能多于教职工总数', 'Full-time teachers cannot exceed all staff'),
    rule('R04', 'KG_PUBLIC + KG_INCLUSIVE_PRIVATE', '<=', 'KG_ENROLLED', 'error', '公办园与普惠性民办园在园幼儿之和不能多于在园幼儿数', 'Children in public and inclusive private kindergartens cannot exceed all children enrolled', 'skip_if_all_missing'),
    rule('R05', 'DIS_ENROLLED', '<=', 'DIS_AGE', 'error', '已入学残疾儿童少年数不能多于适龄残疾儿童少年数', 'Enrolled children with disabilities cannot exceed the school-age total'),
    rule('R06', 'AS_PARTICIPANTS', '<=', 'STUDENTS', 'error', '参加课后服务学生数不能多于在校学生数', 'After-school participants cannot exceed the students enrolled'),
    rule('R07', 'NM_COVERED', '<=', 'NM_ELIGIBLE', 'error', '享受营养餐学生数不能多于应覆盖学生数', 'Students receiving meals cannot exceed those eligible'),
    rule('R08', 'PE_EXCELLENT + PE_GOOD', '<=', 'PE_TESTED', 'error', '体质健康优秀与良好人数之和不能多于测试人数', 'Excellent plus good cannot exceed the students tested', 'skip_if_all_missing'),
    rule('R09', 'PE_TESTED', '<=', 'STUDENTS', 'warning', '体质健康测试人数多于在校学生数，请核实', 'More students tested than enrolled: please check'),
    rule('R10', 'NM_ELIGIBLE', '<=', 'STUDENTS', 'warning', '营养改善计划应覆盖学生数多于在校学生数，请核实', 'More students eligible for meals than enrolled: please check'),
    rule('R11', 'TEACHERS_QUALIFIED', '<=', 'TEACHERS', 'error', '高于规定学历教师数不能多于专任教师数', 'Teachers above the required qualification cannot exceed full-time teachers'),
    rule('R12', 'TEACHERS_SENIOR', '<=', 'TEACHERS', 'error', '中级及以上职称教师数不能多于专任教师数', 'Teachers with intermediate or senior titles cannot exceed full-time teachers'),
    rule('R13', 'TEACHERS_BACKBONE', '<=', 'TEACHERS', 'error', '骨干教师数不能多于专任教师数', 'Backbone teachers cannot exceed full-time teachers'),
    rule('R14', 'AS_PARTICIPANTS', '<=', 'STUDENTS', 'warning', '课后服务参加人数多于在校学生数，请核实', 'More after-school participants than students: please check'),
    rule('R15', 'SAFE_GUARDS', '<=', 'SAFE_GUARDS_REQUIRED * 3', 'warning', '专职保安员人数远多于应配人数，请核实', 'Far more security guards than required: please check'),
    // AS_OFFERED is 1 or 0: the left side is the participants of a school that does not offer the service, and 0 otherwise.
    rule('R16', 'AS_PARTICIPANTS * (1 - AS_OFFERED)', '<=', '0', 'warning', '未开展课后服务的学校填报了参加人数，请核实', 'After-school participants reported by a school that does not offer the service: please check'),
    rule('R17', 'TEACHERS_PE_ART', '<=', 'TEACHERS', 'error', '体育、艺术专任教师数不能多于专任教师数', 'PE and arts teachers cannot exceed full-time teachers'),
    rule(
      'R18',
      'STUDENTS_PRIMARY + STUDENTS_JUNIOR + STUDENTS_SENIOR',
      '==',
      // A school that fills no stage (a 小学 or 初中) passes: with every part blank both sides are 0.
      'IF(STUDENTS_PRIMARY + STUDENTS_JUNIOR + STUDENTS_SENIOR > 0, STUDENTS, 0)',
      'error',
      '各学段学生数之和应等于在校学生数',
      'The students of each stage must add up to the students enrolled',
      'skip_if_all_missing',
      0,
    ),
    // Against last period (checked only when it is loaded and the school reported then).
    {
      ...rule('R19', 'STUDENTS', '>=', 'PREV(STUDENTS) * 0.8', 'warning', '在校学生数比上期减少两成以上，请核实', 'Students enrolled fell by more than a fifth since last period: please check'),
      note: '0.8：一年里学生数减少两成以上，多是漏报了一个年级或学段；撤并、划片调整过的学校请让其在表上说明。',
    },
    {
      ...rule('R20', 'EQUIP_VALUE', '>=', 'PREV(EQUIP_VALUE) * 0.9', 'warning', '教学仪器设备值比上期减少一成以上，请核实', 'The value of teaching equipment fell by more than a tenth since last period: please check'),
      note: '0.9：设备值按原值登记，只在报废核销时减少，一年减少一成以上少见，常是填成了万元或漏了一类设备。',
    },
  ];
}

const rate = (code: string, zh: string, en: string, numerator: string, denominator: string, section: string, extra: Partial<Rate> = {}): Rate => ({
  code,
  label: { zh, en },
  numerator,
  denominator,
  factor: 100,
  decimals: 2,
  section,
  ...extra,
});

function presetRates(): Rate[] {
  return [
    rate('R_STAFF_VACC', '教职工疫苗接种率', 'Staff vaccination rate', 'STAFF_VACC', 'STAFF_TOTAL', S.vaccination, { stated: 'STAFF_VACC_RATE' }),
    rate('R_KG_GER', '学前三年毛入园率', 'Pre-school gross enrolment ratio', 'KG_ENROLLED', 'KG_AGE_POP', S.preschool, { decimals: 1 }),
    rate('R_KG_INCLUSIVE', '普惠性幼儿园覆盖率', 'Inclusive kindergarten coverage', 'KG_PUBLIC + KG_INCLUSIVE_PRIVATE', 'KG_ENROLLED', S.preschool, {
      decimals: 1,
      target: { op: '>=', value: 80 },
    }),
    rate('R_DIS_ENROL', '残疾儿童少年义务教育入学率', 'Enrolment rate of children with disabilities', 'DIS_ENROLLED', 'DIS_AGE', S.special, {
      decimals: 1,
      target: { op: '>=', value: 96 },
    }),
    rate('R_AS_PART', '课后服务学生参与率', 'After-school service participation', 'AS_PARTICIPANTS', 'STUDENTS', S.afterSchool, { decimals: 1 }),
    // A denominator of 1 per school sums to the number of schools, so the district value is the share of schools.
    rate('R_AS_SCHOOLS', '开展课后服务学校覆盖率', 'Schools offering after-school service', 'AS_OFFERED', '1', S.afterSchool, { decimals: 1 }),
    rate('R_NM_COVER', '营养餐覆盖率', 'Nutrition meal coverage', 'NM_COVERED', 'NM_ELIGIBLE', S.meals, { decimals: 1 }),
    rate('R_SAFE_CLOSED', '校园封闭化管理达标率', 'Schools under closed campus management', 'SAFE_CLOSED', '1', S.safety, {
      decimals: 1,
      target: { op: '>=', value: 100 },
    }),
    rate('R_SAFE_GUARDS', '专职保安员配备率', 'Security guard staffing rate', 'SAFE_GUARDS', 'SAFE_GUARDS_REQUIRED', S.safety, {
      decimals: 1,
      target: { op: '>=', value: 100 },
    }),
    rate('R_SAFE_CCTV', '视频监控联网率', 'CCTV network connection rate', 'SAFE_CCTV', '1', S.safety, { decimals: 1, target: { op: '>=', value: 100 } }),
    rate('R_PE_GOOD', '体质健康优良率', 'Fitness good-or-better rate', 'PE_EXCELLENT + PE_GOOD', 'PE_TESTED', S.fitness, {
      decimals: 1,
      target: { op: '>=', value: 40 },
    }),
    rate('R_AREA_PER_STUDENT', '生均教学及辅助用房面积（m²）', 'Teaching area per student (m²)', 'AREA_TEACHING', 'STUDENTS', S.conditions, { factor: 1 }),
  ];
}

/** 基本均衡's eight indicators, each per student (or per 100 students). */
const BASIC_INDICATORS: readonly [string, string, string][] = [
  ['生均教学及辅助用房面积', 'teaching area per student', 'AREA_TEACHING / STUDENTS'],
  ['生均体育运动场馆面积', 'sports area per student', 'AREA_SPORTS / STUDENTS'],
  ['生均教学仪器设备值', 'equipment value per student', 'EQUIP_VALUE / STUDENTS'],
  ['每百名学生拥有计算机台数', 'computers per 100 students', 'COMPUTERS / STUDENTS * 100'],
  ['生均图书册数', 'books per student', 'BOOKS / STUDENTS'],
  ['师生比', 'teachers per student', 'TEACHERS / STUDENTS'],
  ['生均高于规定学历教师数', 'teachers above the required qualification per student', 'TEACHERS_QUALIFIED / STUDENTS'],
  ['生均中级及以上专业技术职务教师数', 'teachers with intermediate or senior titles per student', 'TEACHERS_SENIOR / STUDENTS'],
];

/** 优质均衡's seven indicators with their per-school floors (小学, 初中). */
const QUALITY_INDICATORS: readonly [string, string, string, number, number][] = [
  ['每百名学生拥有高于规定学历教师数', 'teachers above the required qualification per 100 students', 'TEACHERS_QUALIFIED / STUDENTS * 100', 4.2, 5.3],
  ['每百名学生拥有县级及以上骨干教师数', 'county-level or higher backbone teachers per 100 students', 'TEACHERS_BACKBONE / STUDENTS * 100', 1, 1],
  ['每百名学生拥有体育、艺术专任教师数', 'PE and arts teachers per 100 students', 'TEACHERS_PE_ART / STUDENTS * 100', 0.9, 0.9],
  ['生均教学及辅助用房面积', 'teaching area per student', 'AREA_TEACHING / STUDENTS', 4.5, 5.8],
  ['生均体育运动场馆面积', 'sports area per student', 'AREA_SPORTS / STUDENTS', 7.5, 10.2],
  ['生均教学仪器设备值', 'equipment value per student', 'EQUIP_VALUE / STUDENTS', 2000, 2500],
  ['每百名学生拥有网络多媒体教室数', 'networked multimedia classrooms per 100 students', 'MULTIMEDIA_ROOMS / STUDENTS * 100', 2.3, 2.4],
];

/** What the preset's 均衡标准 sheet says of a standard's weight, on its first row: how to weigh a form with stage rows only. */
const WEIGHT_NOTE =
  '权重：各校（部）的在校学生数。表上只有小学、初中、高中在校生数而没有合计时，填小学权重 STUDENTS_PRIMARY、初中权重 STUDENTS_JUNIOR，或权重 SUM(STUDENTS_PRIMARY, STUDENTS_JUNIOR)，每校值中的学生数同样写成 SUM(STUDENTS_PRIMARY, STUDENTS_JUNIOR, STUDENTS_SENIOR)；一个标准即可，不必按学段各建一个。';

/**
 * The two 均衡 standards: 基本均衡 (教督〔2012〕3号: 8 indicators, 综合差异系数 ≤ 0.65 小学 and
 * ≤ 0.55 初中) and 优质均衡 (教督〔2017〕6号: 7 indicators, each CV ≤ 0.50 小学 and ≤ 0.45 初中,
 * and every school meeting 6 of the 7 floors with the seventh at 85% of its floor or more).
 */
export function presetStandards(): EquityStandard[] {
  return [
    {
      code: 'BASIC',
      label: { zh: '基本均衡', en: 'Basic balance' },
      test: 'composite',
      weight: 'STUDENTS',
      thresholds: { 小学: 0.65, 初中: 0.55 },
      minWeight: 50,
      indicators: BASIC_INDICATORS.map(([zh, en, value], k) => ({
        code: `L${k + 1}`,
        label: { zh, en },
        value,
        ...(k === 0 ? { note: `综合差异系数（8 项差异系数的平均）小学 ≤ 0.65、初中 ≤ 0.55，教督〔2012〕3号。${WEIGHT_NOTE}` } : {}),
      })),
    },
    {
      code: 'QUALITY',
      label: { zh: '优质均衡', en: 'Quality balance' },
      test: 'each',
      weight: 'STUDENTS',
      thresholds: { 小学: 0.5, 初中: 0.45 },
      minWeight: 50,
      indicators: QUALITY_INDICATORS.map(([zh, en, value, p, j], k) => ({
        code: `L${k + 1}`,
        label: { zh, en },
        value,
        floors: { 小学: p, 初中: j },
        ...(k === 0 ? { note: `每项差异系数小学 ≤ 0.50、初中 ≤ 0.45，每校 7 项底线至少达到 6 项、余下一项不低于底线的 85%，教督〔2017〕6号。${WEIGHT_NOTE}` } : {}),
      })),
    },
  ];
}

/** The preset's stage-students indicators: how a school spanning stages is split. */
export const PRESET_STAGE_STUDENTS = { 小学: 'STUDENTS_PRIMARY', 初中: 'STUDENTS_JUNIOR', 高中: 'STUDENTS_SENIOR' } as const;

/** The default school form layout: a metadata block, then 代码 | 指标 | 单位 | 数值. */
export function defaultFormLayout(): FormLayout {
  return {
    kind: 'form',
    schoolCodeLabels: ['学校代码', '学校标识码', 'School code'],
    schoolNameLabels: ['学校名称', 'School name'],
    periodLabels: ['填报期', '统计时点', 'Period'],
    codeHeaders: ['代码', 'Code'],
    labelHeaders: ['指标', '指标名称', 'Indicator'],
    unitHeaders: ['单位', 'Unit'],
    valueHeaders: ['数值', '填报值', 'Value'],
  };
}

/** The built-in definitions, in zh-CN and en-US, with an empty roster; a fresh copy on every call. */
export function builtinPreset(): Definitions {
  return {
    title: { zh: '学校教育统计指标填报', en: 'School education statistics return' },
    indicators: presetIndicators(),
    rules: presetRules(),
    rates: presetRates(),
    dispersions: [],
    standards: presetStandards(),
    stageStudents: { ...PRESET_STAGE_STUDENTS },
    roster: [],
    layout: defaultFormLayout(),
  };
}
