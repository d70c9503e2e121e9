/**
 * The core alone: `validate` + `consolidate` over 1,000 schools × 200 indicators × 30 rules, with a few
 * rates, a 差异系数 per stage and the two 均衡 standards, generated from a fixed seed. Submissions are plain data (as a reader
 * hands them over), with a share of the messy cells schools really type (text numbers, full-width
 * digits, thousands separators, 万, dashes, formula errors) so parsing is part of the cost.
 * Prints the median time after warm-up runs and the peak memory beside the goals; asserts nothing.
 */
import { consolidate } from '../../src/core/consolidate';
import { cellAddress, type CellValue } from '../../src/core/grid';
import { assessEquity } from '../../src/core/equity';
import { STAGES, type Definitions, type Dispersion, type EquityStandard, type Indicator, type Rate, type Rule, type School, type Submission } from '../../src/core/types';
import { validate } from '../../src/core/validate';
import { mulberry32 } from '../../src/demo';
import { peakRssMb, report, timeIt } from './util';

const SCHOOLS = Number(process.env.HUIZONG_BENCH_SCHOOLS ?? 1000);
const INDICATORS = 200;
const RULES = 30;
const WARMUP = 3;
const RUNS = 9;

const code = (i: number): string => `I${String(i).padStart(3, '0')}`;

/** I000 is the school's students; the rest are counts and a few decimals, 1 in 10 required. */
function indicators(): Indicator[] {
  return Array.from({ length: INDICATORS }, (_, i): Indicator => ({
    code: code(i),
    label: { zh: `指标${i}`, en: `Indicator ${i}` },
    type: i % 25 === 24 ? 'decimal' : 'integer',
    required: i % 10 === 0,
    min: 0,
    aggregation: i % 50 === 49 ? 'max' : 'sum',
  }));
}

/** Rules of the shapes the preset uses: parts ≤ a whole, sub-items = a total (with tolerance), bounded ratios. */
function rules(): Rule[] {
  return Array.from({ length: RULES }, (_, k): Rule => {
    const a = code(1 + 3 * k);
    const b = code(2 + 3 * k);
    const c = code(3 + 3 * k);
    const shape = k % 3;
    const message = { zh: `规则${k}`, en: `Rule ${k}` };
    if (shape === 0) return { id: `R${k}`, lhs: `${a} + ${b}`, op: '<=', rhs: `${c} + I000`, severity: 'error', message, missing: 'skip_if_any_missing' };
    if (shape === 1) return { id: `R${k}`, lhs: `${a}`, op: '<=', rhs: `I000 * 2`, severity: 'warning', message, missing: 'skip_if_all_missing' };
    return { id: `R${k}`, lhs: `SUM(${a}, ${b})`, op: '==', rhs: `${a} + ${b}`, tolerance: 1, severity: 'error', message, missing: 'never_skip' };
  });
}

function rates(): Rate[] {
  return Array.from({ length: 5 }, (_, k): Rate => ({
    code: `RATE${k}`,
    label: { zh: `比率${k}`, en: `Rate ${k}` },
    numerator: k === 4 ? `${code(100)} + ${code(101)}` : code(100 + 2 * k),
    denominator: k === 4 ? code(102) : 'I000',
    factor: k === 3 ? 1 : 100,
    decimals: 2,
    ...(k === 0 ? { target: { op: '>=' as const, value: 50 } } : {}),
  }));
}

function dispersions(): Dispersion[] {
  return (['小学', '初中'] as const).map((stage, k) => ({
    code: `CV${k}`,
    label: { zh: `差异系数${stage}`, en: `CV ${stage}` },
    value: `${code(150)} / I000`,
    weight: 'I000',
    stages: [stage],
    minWeight: 50,
    threshold: 0.5,
  }));
}

/** 基本均衡 (8 indicators, 综合) and 优质均衡 (7 indicators with floors) over the generated counts, as the preset defines them. */
function standards(): EquityStandard[] {
  const indicator = (k: number, floors?: { 小学: number; 初中: number }) => ({
    code: `L${k + 1}`,
    label: { zh: `指标${k}`, en: `Indicator ${k}` },
    value: `${code(160 + k)} / I000${k % 2 === 0 ? ' * 100' : ''}`,
    ...(floors ? { floors } : {}),
  });
  return [
    { code: 'BASIC', label: { zh: '基本均衡', en: 'Basic' }, test: 'composite', weight: 'I000', thresholds: { 小学: 0.65, 初中: 0.55 }, minWeight: 50, indicators: Array.from({ length: 8 }, (_, k) => indicator(k)) },
    { code: 'QUALITY', label: { zh: '优质均衡', en: 'Quality' }, test: 'each', weight: 'I000', thresholds: { 小学: 0.5, 初中: 0.45 }, minWeight: 50, indicators: Array.from({ length: 7 }, (_, k) => indicator(k, { 小学: 5, 初中: 6 })) },
  ];
}

function roster(): School[] {
  const stages = STAGES.filter((s) => s !== '特教');
  return Array.from({ length: SCHOOLS }, (_, i) => ({
    code: String(3_301_000_000 + i).padStart(10, '0'),
    name: `第${i + 1}学校`,
    stage: stages[i % stages.length]!,
    township: `镇${i % 12}`,
  }));
}

/** A value as a school might type it: mostly plain numbers, 1 in 50 as text that needs coercion; careless schools add errors. */
function messy(n: number, careless: boolean, rnd: () => number): CellValue {
  const r = rnd();
  if (careless && r < 0.01) return rnd() < 0.5 ? { error: '#DIV/0!' } : '1,23,4';
  if (r > 0.02) return n;
  const k = Math.floor(rnd() * 6);
  if (k === 0) return String(n);
  if (k === 1) return n.toLocaleString('en-US');
  if (k === 2) return String(n).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
  if (k === 3) return `${n / 10_000}万`;
  if (k === 4) return ` ${n} `;
  return n === 0 ? '—' : `${n}人`;
}

/**
 * Each indicator is a share of the school's students with some noise, so the rules hold for most
 * schools and the robust z-scores see a realistic spread; 1 school in 10 is careless (unreadable
 * cells, one value 40 times too large), a few submit twice or under a wrong code.
 */
function submissions(defs: Definitions, rnd: () => number): Submission[] {
  const shares = defs.indicators.map(() => 0.05 + 0.4 * rnd());
  return defs.roster.map((school, s) => {
    const students = 60 + Math.floor(rnd() * 2400);
    const careless = s % 10 === 3;
    const raw: Record<string, { value: CellValue; cell: string }> = {};
    defs.indicators.forEach((ind, i) => {
      const x = students * shares[i]! * (0.9 + 0.2 * rnd()) * (careless && i === 4 ? 40 : 1);
      const n = ind.type === 'decimal' ? Math.round(x * 100) / 100 : Math.floor(x);
      raw[ind.code] = { value: i === 0 ? students : messy(n, careless, rnd), cell: cellAddress(8 + i, 3) };
    });
    const schoolCode = s % 97 === 96 ? defs.roster[s - 1]!.code : s % 211 === 210 ? `9${school.code.slice(1)}` : school.code;
    return { schoolCode, schoolName: school.name, file: `${school.code}.xlsx`, sheet: '填报表', schoolCodeCell: 'C3', raw };
  });
}

function definitions(): Definitions {
  return {
    title: { zh: '基准', en: 'Benchmark' },
    indicators: indicators(),
    rules: rules(),
    rates: rates(),
    dispersions: dispersions(),
    standards: standards(),
    // Spanning schools (九年一贯制, 完全中学, 十二年一贯制 in the roster) are split by these.
    stageStudents: { 小学: code(190), 初中: code(191), 高中: code(192) },
    roster: roster(),
    layout: { kind: 'table', schoolCodeHeaders: ['学校代码'], schoolNameHeaders: ['学校名称'] },
  };
}

const rnd = mulberry32(20260101);
const defs = definitions();
const subs = submissions(defs, rnd);
const previous: Record<string, Record<string, number | null>> = {};
for (const s of defs.roster.slice(0, SCHOOLS / 2)) previous[s.code] = { I000: 1000, I150: 500 };
const cells = subs.length * INDICATORS;
const dataMb = peakRssMb();
console.log(`${subs.length} schools × ${INDICATORS} indicators (${cells.toLocaleString('en-US')} cells) × ${RULES} rules, ${defs.rates.length} rates, ${defs.dispersions.length} dispersions`);

let issues = 0;
let included = 0;
const pipeline = (): void => {
  const validation = validate(subs, defs, { previous });
  const result = consolidate(validation, defs);
  issues = result.issues.length;
  included = result.district.schoolCount;
};
const validateOnly = await timeIt(() => validate(subs, defs, { previous }), RUNS, WARMUP);
const validated = validate(subs, defs, { previous });
const consolidateOnly = await timeIt(() => consolidate(validated, defs), RUNS, WARMUP);
const both = await timeIt(pipeline, RUNS, WARMUP);

report(`validate, median of ${RUNS} after ${WARMUP} warm-up`, validateOnly.median, 'ms');
report(`consolidate, median of ${RUNS} after ${WARMUP} warm-up`, consolidateOnly.median, 'ms');
report(`validate + consolidate, median of ${RUNS} after ${WARMUP} warm-up`, both.median, 'ms', '≤ 70 ms on a quiet machine, so that it stays ≤ 100 ms on a busy one');
report('validate + consolidate, best run', both.best, 'ms');

// What the 均衡 assessment adds: the same run without standards, and the assessment alone.
const noStandards: Definitions = { ...defs, standards: [] };
const withoutEquity = await timeIt(() => consolidate(validate(subs, noStandards, { previous }), noStandards), RUNS, WARMUP);
const includedSchools = validated.schools.filter((x) => x.included);
const equityOnly = await timeIt(() => assessEquity(includedSchools, defs), RUNS, WARMUP);
report(`validate + consolidate, no equity standards, median`, withoutEquity.median, 'ms');
report('equity (均衡) assessment alone, 2 standards, median', equityOnly.median, 'ms');
report('equity assessment ÷ validate + consolidate without it', (100 * equityOnly.median) / withoutEquity.median, '%', '≤ 20 %');
report('peak memory after generating the data, before any run', dataMb, 'MB');
report('peak memory (whole process, data included)', peakRssMb(), 'MB', '≤ 300 MB');
console.log(`(${included} schools in the district total, ${issues.toLocaleString('en-US')} issues)`);
