/**
 * The demo district's schools: 47 across five townships and every stage, each with the true values a
 * careful school would report (consistent with every preset rule, and with its 均衡 inputs above the
 * 优质均衡 floors but for the planted shortfalls), and the preset definitions with their roster.
 */
import { SPLIT_WEIGHTS } from '../core/equity';
import { builtinPreset } from '../core/preset';
import type { Definitions, EquityStage, PartStage, School, Stage } from '../core/types';
import { roundTo } from '../workbook/rates';
import { between, intBetween, mulberry32, type Rng } from './random';

/** Kindergarten ownership, which decides the public and inclusive counts. */
export type KindergartenKind = 'public' | 'inclusive_private' | 'private';

/** One generated school: its roster entry, its setting and its true values (what a careful school would report). */
export interface DemoSchool extends School {
  readonly rural: boolean;
  readonly kindergarten?: KindergartenKind;
  readonly values: Readonly<Record<string, number | null>>;
}


export const DEMO_PERIOD = '2026年秋季学期';
/** The demo's district, the first words of every printed title. */
export const DEMO_DISTRICT = '东湖县';
/** The first digits of every school code of the demo. */
export const DISTRICT_PREFIX = '340102';

const TOWNSHIPS = [
  { name: '城关镇', rural: false },
  { name: '东城街道', rural: false },
  { name: '西河镇', rural: true },
  { name: '南山乡', rural: true },
  { name: '北湖镇', rural: true },
] as const;

const VILLAGES: Record<string, readonly string[]> = {
  西河镇: ['李庄', '柳湾', '河口'],
  南山乡: ['石门', '松林', '杨岭'],
  北湖镇: ['湖滨', '双桥', '新集'],
  城关镇: [],
  东城街道: [],
};

/** What a school is before its numbers: name, stage, place and size. */
export interface Blueprint {
  readonly name: string;
  readonly stage: Stage;
  readonly township: string;
  readonly rural: boolean;
  readonly size: 'village' | 'small' | 'medium' | 'large';
  readonly kindergarten?: KindergartenKind;
  /** A fixed enrolment instead of one drawn from the size's range. */
  readonly students?: number;
}

/** The district's schools, before numbers: 47 across five townships. */
export function blueprints(): Blueprint[] {
  const out: Blueprint[] = [];
  const add = (b: Blueprint): void => {
    out.push(b);
  };
  // Urban primaries and juniors.
  add({ name: '城关镇第一小学', stage: '小学', township: '城关镇', rural: false, size: 'large' });
  add({ name: '城关镇第二小学', stage: '小学', township: '城关镇', rural: false, size: 'large' });
  add({ name: '城关镇实验小学', stage: '小学', township: '城关镇', rural: false, size: 'large' });
  add({ name: '城关镇育才小学', stage: '小学', township: '城关镇', rural: false, size: 'medium' });
  add({ name: '东城街道第一小学', stage: '小学', township: '东城街道', rural: false, size: 'large' });
  add({ name: '东城街道阳光小学', stage: '小学', township: '东城街道', rural: false, size: 'medium' });
  add({ name: '东城街道新华小学', stage: '小学', township: '东城街道', rural: false, size: 'medium' });
  add({ name: '城关镇第一初级中学', stage: '初中', township: '城关镇', rural: false, size: 'large' });
  add({ name: '城关镇第二初级中学', stage: '初中', township: '城关镇', rural: false, size: 'large' });
  add({ name: '东城街道初级中学', stage: '初中', township: '东城街道', rural: false, size: 'large' });
  add({ name: '城关镇第三小学', stage: '小学', township: '城关镇', rural: false, size: 'medium' });
  add({ name: '东城街道第二初级中学', stage: '初中', township: '东城街道', rural: false, size: 'medium' });
  add({ name: '东城街道实验学校', stage: '九年一贯制', township: '东城街道', rural: false, size: 'large' });
  for (const t of TOWNSHIPS.filter((x) => x.rural)) {
    add({ name: `${t.name}中心小学`, stage: '小学', township: t.name, rural: true, size: 'medium' });
    for (const v of VILLAGES[t.name]!) add({ name: `${t.name}${v}小学`, stage: '小学', township: t.name, rural: true, size: 'village' });
    add({ name: `${t.name}初级中学`, stage: '初中', township: t.name, rural: true, size: 'medium' });
  }
  add({ name: '西河镇第二初级中学', stage: '初中', township: '西河镇', rural: true, size: 'small' });
  add({ name: '南山乡九年一贯制学校', stage: '九年一贯制', township: '南山乡', rural: true, size: 'small' });
  add({ name: '北湖镇九年一贯制学校', stage: '九年一贯制', township: '北湖镇', rural: true, size: 'medium' });
  add({ name: '西河镇河口学校', stage: '九年一贯制', township: '西河镇', rural: true, size: 'small' });
  // Kindergartens: public, inclusive private (普惠性民办) and private.
  add({ name: '城关镇中心幼儿园', stage: '幼儿园', township: '城关镇', rural: false, size: 'large', kindergarten: 'public' });
  add({ name: '城关镇实验幼儿园', stage: '幼儿园', township: '城关镇', rural: false, size: 'medium', kindergarten: 'public' });
  add({ name: '城关镇小太阳幼儿园', stage: '幼儿园', township: '城关镇', rural: false, size: 'medium', kindergarten: 'private' });
  add({ name: '东城街道中心幼儿园', stage: '幼儿园', township: '东城街道', rural: false, size: 'large', kindergarten: 'public' });
  add({ name: '东城街道阳光幼儿园', stage: '幼儿园', township: '东城街道', rural: false, size: 'medium', kindergarten: 'inclusive_private' });
  add({ name: '东城街道蓝天幼儿园', stage: '幼儿园', township: '东城街道', rural: false, size: 'small', kindergarten: 'private' });
  add({ name: '西河镇中心幼儿园', stage: '幼儿园', township: '西河镇', rural: true, size: 'medium', kindergarten: 'public' });
  add({ name: '西河镇童心幼儿园', stage: '幼儿园', township: '西河镇', rural: true, size: 'small', kindergarten: 'inclusive_private' });
  add({ name: '南山乡中心幼儿园', stage: '幼儿园', township: '南山乡', rural: true, size: 'small', kindergarten: 'public' });
  add({ name: '北湖镇中心幼儿园', stage: '幼儿园', township: '北湖镇', rural: true, size: 'medium', kindergarten: 'public' });
  add({ name: '北湖镇启明幼儿园', stage: '幼儿园', township: '北湖镇', rural: true, size: 'small', kindergarten: 'inclusive_private' });
  add({ name: '南山乡育苗幼儿园', stage: '幼儿园', township: '南山乡', rural: true, size: 'small', kindergarten: 'inclusive_private' });
  add({ name: '城关镇特殊教育学校', stage: '特教', township: '城关镇', rural: false, size: 'small' });
  add({ name: '城关镇第一中学', stage: '完全中学', township: '城关镇', rural: false, size: 'large' });
  // A 教学点 under 50 pupils: not assessed for 均衡.
  add({ name: '南山乡杨岭小学高坪教学点', stage: '小学', township: '南山乡', rural: true, size: 'village', students: 31 });
  return out;
}

/** Roster code: 10 digits, text. Kindergartens are registered under a scheme with a leading zero. */
function schoolCode(serial: number, stage: Stage): string {
  return stage === '幼儿园' ? `0${DISTRICT_PREFIX}${String(serial).padStart(3, '0')}` : `${DISTRICT_PREFIX}${String(serial).padStart(4, '0')}`;
}

const STUDENT_RANGE: Record<Stage, Record<Blueprint['size'], [number, number]>> = {
  小学: { village: [36, 140], small: [200, 400], medium: [450, 1100], large: [1400, 2600] },
  初中: { village: [80, 160], small: [220, 420], medium: [500, 1100], large: [1200, 2000] },
  九年一贯制: { village: [100, 200], small: [260, 480], medium: [520, 900], large: [1300, 1900] },
  十二年一贯制: { village: [200, 300], small: [500, 900], medium: [1000, 1600], large: [1800, 2800] },
  幼儿园: { village: [40, 80], small: [90, 160], medium: [180, 320], large: [330, 460] },
  特教: { village: [40, 60], small: [70, 130], medium: [130, 180], large: [180, 240] },
  完全中学: { village: [200, 300], small: [400, 800], medium: [900, 1500], large: [1600, 2500] },
  高中: { village: [200, 300], small: [400, 800], medium: [900, 1500], large: [1600, 2500] },
  职高: { village: [200, 300], small: [400, 800], medium: [900, 1500], large: [1600, 2500] },
};

const PUPILS_PER_TEACHER: Record<Stage, [number, number]> = {
  小学: [15, 19],
  初中: [11, 14],
  九年一贯制: [12, 16],
  十二年一贯制: [12, 15],
  幼儿园: [11, 15],
  特教: [3, 4.5],
  完全中学: [12, 14],
  高中: [12, 14],
  职高: [14, 18],
};

/** True values for one school, consistent with every preset rule. */
export function schoolValues(b: Blueprint, rng: Rng): Record<string, number | null> {
  const v: Record<string, number | null> = {};
  const [lo, hi] = STUDENT_RANGE[b.stage][b.size];
  const drawn = intBetween(rng, lo, hi);
  const students = b.students ?? drawn;
  const boys = Math.round(students * between(rng, 0.5, 0.54));
  const [pl, ph] = PUPILS_PER_TEACHER[b.stage];
  const teachers = Math.max(4, Math.round(students / between(rng, pl, ph)));
  const staff = teachers + Math.max(1, Math.round(teachers * between(rng, 0.08, 0.2)));
  const vacc = Math.round(staff * between(rng, 0.85, 0.95));
  v.STUDENTS = students;
  v.BOYS = boys;
  v.GIRLS = students - boys;
  v.TEACHERS = teachers;
  v.STAFF_TOTAL = staff;
  v.STAFF_VACC = vacc;
  v.STAFF_VACC_RATE = roundTo((vacc / staff) * 100, 2);

  const compulsory = b.stage === '小学' || b.stage === '初中' || b.stage === '九年一贯制';
  if (b.stage === '幼儿园') {
    v.KG_ENROLLED = students;
    v.KG_AGE_POP = Math.round(students / between(rng, 0.86, 0.98));
    v.KG_PUBLIC = b.kindergarten === 'public' ? students : 0;
    v.KG_INCLUSIVE_PRIVATE = b.kindergarten === 'inclusive_private' ? students : 0;
  }
  if (compulsory || b.stage === '特教') {
    const age = b.stage === '特教' ? intBetween(rng, 60, 90) : b.size === 'village' ? intBetween(rng, 0, 2) : intBetween(rng, 2, 12);
    const dropped = age > 0 && rng() < (b.stage === '特教' ? 1 : 0.25) ? Math.max(1, Math.round(age * between(rng, 0.01, 0.03))) : 0;
    v.DIS_AGE = age;
    v.DIS_ENROLLED = age - Math.min(dropped, age);
  }
  if (compulsory) {
    v.AS_OFFERED = 1;
    v.AS_PARTICIPANTS = Math.round(students * between(rng, 0.85, 0.97));
    if (b.rural) {
      v.NM_ELIGIBLE = students;
      v.NM_COVERED = rng() < 0.8 ? students : students - intBetween(rng, 1, Math.max(1, Math.round(students * 0.03)));
    }
    v.PE_TESTED = students - intBetween(rng, 0, Math.max(1, Math.round(students * 0.02)));
    const tested = v.PE_TESTED;
    v.PE_EXCELLENT = Math.round(tested * between(rng, 0.08, 0.16));
    v.PE_GOOD = Math.round(tested * between(rng, 0.32, 0.44));
  }
  v.SAFE_CLOSED = 1;
  v.SAFE_GUARDS_REQUIRED = Math.max(1, Math.ceil(students / 500)) + (b.stage === '幼儿园' ? 0 : 1);
  v.SAFE_GUARDS = v.SAFE_GUARDS_REQUIRED;
  v.SAFE_CCTV = 1;

  const perStudent = (lo2: number, hi2: number, digits = 0): number => roundTo(students * between(rng, lo2, hi2), digits);
  const junior = b.stage === '初中';
  v.AREA_TEACHING = perStudent(junior ? 5.8 : 4.5, junior ? 9.5 : 8, 0);
  v.AREA_SPORTS = perStudent(junior ? 10 : 7.5, junior ? 16 : 13, 0);
  v.EQUIP_VALUE = Math.round(perStudent(junior ? 2500 : 2000, junior ? 4200 : 3600) / 100) * 100;
  v.COMPUTERS = Math.max(3, Math.round(students * between(rng, 0.1, 0.2)));
  v.BOOKS = perStudent(b.stage === '幼儿园' ? 8 : 22, b.stage === '幼儿园' ? 14 : 42, 0);
  v.TEACHERS_QUALIFIED = Math.round(teachers * between(rng, 0.55, 0.9));
  v.TEACHERS_SENIOR = Math.round(teachers * between(rng, 0.3, 0.55));
  v.TEACHERS_BACKBONE = Math.round(teachers * between(rng, 0.04, 0.12));
  return v;
}


/** What the roster says of a school's kind: 公办 or 民办 (only kindergartens are private here), 城区 or 农村. */
function kindOf(b: Blueprint): Pick<School, 'ownership' | 'area'> {
  return { ownership: b.kindergarten === undefined || b.kindergarten === 'public' ? 'public' : 'private', area: b.rural ? 'rural' : 'urban' };
}

/** Generates the district's schools and their true values. */
export function generateDistrictSchools(seed = 2026): DemoSchool[] {
  const rng = mulberry32(seed);
  const equityRng = mulberry32(seed ^ 0x1e9a1e9a);
  let primarySerial = 1;
  let kgSerial = 1;
  return blueprints().map((b) => {
    const code = b.stage === '幼儿园' ? schoolCode(kgSerial++, b.stage) : schoolCode(primarySerial++, b.stage);
    return {
      code,
      name: b.name,
      stage: b.stage,
      township: b.township,
      ...kindOf(b),
      rural: b.rural,
      ...(b.kindergarten ? { kindergarten: b.kindergarten } : {}),
      values: withEquityInputs(b, schoolValues(b, rng), equityRng),
    };
  });
}


/** Floors (小学, 初中) of the 优质均衡 inputs the demo fills, as per-student (or per-100) rates of each input. */
const DEMO_FLOORS: readonly { code: string; per: number; primary: number; junior: number; whole: boolean }[] = [
  { code: 'TEACHERS_QUALIFIED', per: 100, primary: 4.2, junior: 5.3, whole: true },
  { code: 'TEACHERS_BACKBONE', per: 100, primary: 1, junior: 1, whole: true },
  { code: 'TEACHERS_PE_ART', per: 100, primary: 0.9, junior: 0.9, whole: true },
  { code: 'AREA_TEACHING', per: 1, primary: 4.5, junior: 5.8, whole: false },
  { code: 'AREA_SPORTS', per: 1, primary: 7.5, junior: 10.2, whole: false },
  { code: 'EQUIP_VALUE', per: 1, primary: 2000, junior: 2500, whole: false },
  { code: 'MULTIMEDIA_ROOMS', per: 100, primary: 2.3, junior: 2.4, whole: true },
];

/** Schools of the demo that fall short of 优质均衡 floors: the input and the share of its floor reached. */

/**
 * Schools planted under 优质均衡 floors: each input short and the share of its floor reached, and the
 * verdict that must follow (one floor short at 85% or more still meets; one under 85%, or two, do not).
 * Their files are otherwise clean, so the 均衡 sheet shows them.
 */
export const PLANTED_SHORTFALLS: readonly { readonly school: string; readonly stage: EquityStage; readonly short: readonly (readonly [string, number])[]; readonly meets: boolean }[] = [
  { school: '西河镇中心小学', stage: '小学', short: [['AREA_SPORTS', 0.7]], meets: false },
  { school: '北湖镇初级中学', stage: '初中', short: [['MULTIMEDIA_ROOMS', 0.88]], meets: true },
  {
    school: '东城街道新华小学',
    stage: '小学',
    short: [
      ['TEACHERS_BACKBONE', 0.9],
      ['TEACHERS_PE_ART', 0.86],
    ],
    meets: false,
  },
];

/**
 * The 均衡 inputs of a compulsory-education school: each stage's students for a school spanning
 * stages, and the 优质均衡 resources at 5–50% above their floors for every stage part (after the
 * 1 : 1.1 or 1 : 1.2 split), except the planned shortfalls. Drawn from a stream of their own so the
 * other figures stay as they were.
 */
function withEquityInputs(b: Blueprint, v: Record<string, number | null>, rng: Rng): Record<string, number | null> {
  const split = SPLIT_WEIGHTS[b.stage];
  const single = b.stage === '小学' || b.stage === '初中' ? ([[b.stage, 1]] as const) : undefined;
  const parts = split ?? single;
  if (parts === undefined) return v;
  const students = v.STUDENTS!;
  const n: Partial<Record<PartStage, number>> = {};
  if (split) {
    const first = Math.round(students * between(rng, b.stage === '完全中学' ? 0.4 : 0.6, b.stage === '完全中学' ? 0.55 : 0.7));
    n[split[0]![0]] = first;
    n[split[1]![0]] = students - first;
    v.STUDENTS_PRIMARY = n.小学 ?? null;
    v.STUDENTS_JUNIOR = n.初中 ?? null;
    v.STUDENTS_SENIOR = n.高中 ?? null;
  } else {
    n[b.stage as PartStage] = students;
  }
  // Resources are shared by students weighted 1 : 1.1 (or 1 : 1.2): part k's value is w_k × R ÷ Σ w·n.
  let weighted = 0;
  for (const [stage, w] of parts) weighted += w * (n[stage] ?? 0);
  const shortfalls = new Map(PLANTED_SHORTFALLS.find((p) => p.school === b.name)?.short ?? []);
  for (const f of DEMO_FLOORS) {
    let rate = 0;
    for (const [stage, w] of parts) {
      if (stage === '高中') continue;
      rate = Math.max(rate, (stage === '小学' ? f.primary : f.junior) / w);
    }
    const reached = shortfalls.get(f.code);
    const amount = ((reached ?? between(rng, 1.05, 1.5)) * rate * weighted) / f.per;
    // Above a floor rounds up, a planned shortfall to the nearest: either way the side of the floor holds.
    const step = f.code === 'EQUIP_VALUE' ? 100 : 1;
    let x = (reached === undefined ? Math.ceil(amount / step) : Math.round(amount / step)) * step;
    if (f.code.startsWith('TEACHERS_')) x = Math.min(x, v.TEACHERS!);
    v[f.code] = x;
  }
  return v;
}

/** The preset with the demo roster and period. */

export function demoDefinitions(schools: readonly School[]): Definitions {
  const preset = builtinPreset();
  return {
    ...preset,
    district: DEMO_DISTRICT,
    period: DEMO_PERIOD,
    form: { number: '教统汇 1 表', issuer: `${DEMO_DISTRICT}教育体育局`, approval: '东教统〔2026〕3号', validUntil: '2027年8月' },
    roster: schools.map((s) => ({
      code: s.code,
      name: s.name,
      stage: s.stage,
      ...(s.township ? { township: s.township } : {}),
      ...(s.ownership ? { ownership: s.ownership } : {}),
      ...(s.area ? { area: s.area } : {}),
    })),
  };
}

/** A large district for benchmarks: `count` schools cycling through the demo's kinds of school, each with its own code and name. */
export function generateManySchools(count: number, seed = 2026): DemoSchool[] {
  const rng = mulberry32(seed);
  const kinds = blueprints();
  const out: DemoSchool[] = [];
  // Codes stay ten digits: beyond 9,999 schools (a city or province) the serial takes a digit of the prefix.
  const digits = Math.max(4, String(count).length);
  const prefix = DISTRICT_PREFIX.slice(0, 10 - digits);
  for (let i = 0; i < count; i++) {
    const b = kinds[i % kinds.length]!;
    const round = Math.floor(i / kinds.length);
    const name = round === 0 ? b.name : `${b.name}（第${round + 1}校区）`;
    out.push({
      code: `${prefix}${String(i + 1).padStart(digits, '0')}`,
      name,
      stage: b.stage,
      township: b.township,
      ...kindOf(b),
      rural: b.rural,
      ...(b.kindergarten ? { kindergarten: b.kindergarten } : {}),
      values: schoolValues({ ...b, name }, rng),
    });
  }
  return out;
}

