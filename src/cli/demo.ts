/**
 * The demo district: a seeded generator of a realistic county district (schools across stages and
 * townships, consistent indicator values), each school's workbook written from the template, and
 * the mistakes clerks really meet injected into particular schools, each recorded with its cell
 * so tests can check that it is found there. Touches no file system: it returns data.
 */
import { cellAddress, type CellValue } from '../core/grid';
import { evaluate, parseExpression } from '../core/expr';
import { SPLIT_WEIGHTS } from '../core/equity';
import { builtinPreset } from '../core/preset';
import type { Definitions, FormLayout, IssueCode, PartStage, School, Severity, Stage } from '../core/types';
import type { PlannedCell, PlannedRow, SheetPlan } from '../workbook/plan';
import { buildTemplatePlan, pickLabel, rateFormula } from '../workbook/template';
import { roundTo } from '../workbook/rates';
import { writeXlsx } from '../xlsx';

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same district. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Kindergarten ownership, which decides the public and inclusive counts. */
export type KindergartenKind = 'public' | 'inclusive_private' | 'private';

/** One generated school: its roster entry, its setting and its true values (what a careful school would report). */
export interface DemoSchool extends School {
  readonly rural: boolean;
  readonly kindergarten?: KindergartenKind;
  readonly values: Readonly<Record<string, number | null>>;
}

/** A mistake injected into one school's file, and where it must be reported. */
export interface ExpectedMistake {
  /** File name as in `files`; absent for a school that sent no file. */
  readonly file?: string;
  /** The school code the issue belongs to (the roster code). */
  readonly school: string;
  readonly code: IssueCode;
  /** How it must be reported: a note (提示) is found but asks nothing of the school. */
  readonly severity: Severity | 'info';
  /** A1 address on the school's sheet; absent for school-level issues without a cell. */
  readonly cell?: string;
  /** Indicator concerned, when there is one. */
  readonly subject?: string;
  /** What was done, in a few words (for test names and the demo's own notes). */
  readonly what: string;
}

/** A school file whose layout the school changed. */
export interface DriftFile {
  readonly file: string;
  readonly school: string;
  readonly drift: 'inserted_row' | 'moved_column';
  readonly values: Readonly<Record<string, number | null>>;
}

/** The demo district: definitions (with roster), the school files, what was injected, and the true values. */
export interface DemoDistrict {
  readonly seed: number;
  readonly definitions: Definitions;
  readonly roster: readonly School[];
  readonly schools: readonly DemoSchool[];
  readonly files: readonly { readonly name: string; readonly bytes: Uint8Array }[];
  readonly expectedMistakes: readonly ExpectedMistake[];
  /** Files whose layout drifted: the values read from them must equal `values` (what was meant, mistakes included). */
  readonly driftFiles: readonly DriftFile[];
  /** The school with no file, and the code in a file that is not in the roster. */
  readonly missingSchool: string;
  readonly unknownSchool: string;
}

/** The period the demo district reports for. */
export const DEMO_PERIOD = '2026年秋季学期';
/** The demo's district, the first words of every printed title. */
export const DEMO_DISTRICT = '东湖县';
const DISTRICT_PREFIX = '340102';

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

interface Blueprint {
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
function blueprints(): Blueprint[] {
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

type Rng = () => number;
const between = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * rng();
const intBetween = (rng: Rng, lo: number, hi: number): number => Math.floor(between(rng, lo, hi + 1));

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
function schoolValues(b: Blueprint, rng: Rng): Record<string, number | null> {
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

/** Full-width digits for a number: 1234 → １２３４. */
export function fullWidth(n: number): string {
  return String(n).replace(/[0-9.]/g, (d) => (d === '.' ? '．' : String.fromCharCode(d.charCodeAt(0) + 0xfee0)));
}

/** A number with thousands separators, as text: 32150 → "32,150". */
function withThousands(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** Where things are on one school's form, after any drift. */
interface FormMap {
  readonly codeCell: { r: number; c: number };
  readonly nameCell: { r: number; c: number };
  readonly codeCol: number;
  readonly valueCol: number;
  readonly rows: Map<string, number>;
}

/** A school's sheet being filled in: a mutable copy of the template plan. */
class Form {
  rows: { role: PlannedRow['role']; cells: PlannedCell[] }[];
  cellFormats: [number, number, string][];
  columns: SheetPlan['columns'];
  drifted = false;

  constructor(
    private readonly plan: SheetPlan,
    private readonly layout: FormLayout,
  ) {
    this.rows = plan.rows.map((r) => ({ role: r.role, cells: r.cells.map((c) => ({ ...c }) as PlannedCell) }));
    this.cellFormats = (plan.cellFormats ?? []).map(([r, c, f]) => [r, c, f]);
    this.columns = plan.columns;
  }

  /** Finds the metadata cells, the header row and each code's row by looking at the cells, as a reader would. */
  map(): FormMap {
    const norm = (v: CellValue | undefined): string => (typeof v === 'string' ? v.replace(/[\s:：]/g, '').toLowerCase() : '');
    const among = (labels: readonly string[], v: CellValue | undefined): boolean => {
      const n = norm(v);
      return n !== '' && labels.some((l) => norm(l) === n);
    };
    const find = (labels: readonly string[]): { r: number; c: number } => {
      for (let r = 0; r < this.rows.length; r++) {
        const cells = this.rows[r]!.cells;
        for (let c = 0; c < cells.length; c++) if (among(labels, cells[c]?.value)) return { r, c: c + 1 };
      }
      throw new DemoTemplateError(`label not found: ${labels.join('/')}`);
    };
    const codeCell = find(this.layout.schoolCodeLabels);
    const nameCell = find(this.layout.schoolNameLabels);
    let codeCol = -1;
    let valueCol = -1;
    const rows = new Map<string, number>();
    for (let r = 0; r < this.rows.length; r++) {
      const cells = this.rows[r]!.cells;
      if (this.rows[r]!.role === 'header') {
        const cc = cells.findIndex((c) => among(this.layout.codeHeaders, c.value));
        const vc = cells.findIndex((c) => among(this.layout.valueHeaders, c.value));
        if (cc >= 0 && vc >= 0) {
          codeCol = cc;
          valueCol = vc;
        }
        continue;
      }
      const code = codeCol >= 0 ? cells[codeCol]?.value : undefined;
      if (typeof code === 'string' && code !== '' && !rows.has(code)) rows.set(code, r);
    }
    if (codeCol < 0) throw new DemoTemplateError('header row not found');
    return { codeCell, nameCell, codeCol, valueCol, rows };
  }

  set(r: number, c: number, cell: PlannedCell): void {
    const cells = this.rows[r]!.cells;
    while (cells.length <= c) cells.push({ value: null });
    cells[c] = cell;
  }

  /** A number typed into a cell that was text-formatted (the school reformatted it as General). */
  setNumberAsCode(r: number, c: number, n: number): void {
    this.set(r, c, { value: n });
    this.cellFormats = this.cellFormats.filter(([fr, fc]) => fr !== r || fc !== c);
    this.cellFormats.push([r, c, 'General']);
  }

  /** A row typed in by the school under row `after` (everything below moves down one). */
  insertRowAfter(after: number, cells: PlannedCell[]): number {
    this.drifted = true;
    this.rows.splice(after + 1, 0, { role: 'data', cells });
    this.cellFormats = this.cellFormats.map(([r, c, f]) => [r > after ? r + 1 : r, c, f]);
    return after + 1;
  }

  /** Two columns swapped everywhere (the school moved the value column). */
  swapColumns(a: number, b: number): void {
    this.drifted = true;
    const width = Math.max(a, b) + 1;
    for (const row of this.rows) {
      if (row.cells.length === 0 || row.role === 'title' || row.role === 'note') continue;
      while (row.cells.length < width) row.cells.push({ value: null });
      const t = row.cells[a]!;
      row.cells[a] = row.cells[b]!;
      row.cells[b] = t;
    }
    const swap = (c: number): number => (c === a ? b : c === b ? a : c);
    this.cellFormats = this.cellFormats.map(([r, c, f]) => [r, swap(c), f]);
    if (this.columns) {
      const cols = [...this.columns];
      const ca = cols[a];
      const cb = cols[b];
      if (ca !== undefined && cb !== undefined) {
        cols[a] = cb;
        cols[b] = ca;
      }
      this.columns = cols;
    }
  }

  toPlan(): SheetPlan {
    const { validations, protection, ...rest } = this.plan;
    // A school that changed the layout had to unprotect the sheet; the template's validations no longer line up.
    return {
      ...rest,
      rows: this.rows.map((r) => ({ role: r.role, cells: r.cells })),
      cellFormats: this.cellFormats,
      ...(this.columns ? { columns: this.columns } : {}),
      ...(this.drifted ? {} : { ...(validations ? { validations } : {}), ...(protection ? { protection } : {}) }),
    };
  }
}

/** The template or the demo generator disagree about the form's shape (a programming error). */
export class DemoTemplateError extends Error {
  override name = 'DemoTemplateError';
}

/** What to do to one school's file. */
interface Injection {
  /** Cell edits after the true values are written: text or values as the school typed them. */
  readonly edits: { code: string; cell: PlannedCell; issue?: IssueCode; severity?: Severity | 'info'; what: string }[];
  /** Counts changed before writing (the school's numbers themselves are wrong). */
  readonly overrides: Record<string, number | null>;
  readonly issues: { code: IssueCode; severity: Severity | 'info'; subject?: string; at?: 'value' | 'school_code'; what: string }[];
  drift?: 'inserted_row' | 'moved_column';
  codeAsNumber?: boolean;
}

const emptyInjection = (): Injection => ({ edits: [], overrides: {}, issues: [] });

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
const DEMO_SHORTFALLS: Readonly<Record<string, readonly (readonly [string, number])[]>> = {
  西河镇中心小学: [['AREA_SPORTS', 0.7]],
  北湖镇初级中学: [['MULTIMEDIA_ROOMS', 0.88]],
  东城街道新华小学: [
    ['TEACHERS_BACKBONE', 0.9],
    ['TEACHERS_PE_ART', 0.86],
  ],
};

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
  const shortfalls = new Map(DEMO_SHORTFALLS[b.name] ?? []);
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

function plainCell(v: number | null | undefined): PlannedCell {
  return { value: v === undefined ? null : v };
}

/**
 * Builds the demo district: 47 schools, their files (one missing and its figures sent under a neighbour's code,
 * one sent again as a correction, one sent twice as a copy, one from a school not in the roster) with the real mistakes of DOMAIN.md injected, and the list of what was injected where.
 */
export async function buildDemoDistrict(seed = 2026): Promise<DemoDistrict> {
  const plan = planDemoDistrict(seed);
  const files: { name: string; bytes: Uint8Array }[] = [];
  for (const f of plan.sheets) files.push({ name: f.name, bytes: await writeXlsx([f.plan]) });
  return { ...plan, files };
}

/** Everything of the demo district except the written bytes: each school file as a sheet plan. */
export function planDemoDistrict(seed = 2026): Omit<DemoDistrict, 'files'> & { sheets: { name: string; plan: SheetPlan }[] } {
  const rng = mulberry32(seed ^ 0x5a5a5a5a);
  const schools = generateDistrictSchools(seed);
  const definitions = demoDefinitions(schools);
  if (definitions.layout.kind !== 'form') throw new DemoTemplateError('the preset layout must be a form');

  // Pick schools for each mistake, each school at most once, from those where the mistake makes sense.
  // The schools under a 均衡 floor keep clean files, so the 均衡 sheet shows them.
  const used = new Set<string>(schools.filter((s) => DEMO_SHORTFALLS[s.name] !== undefined).map((s) => s.code));
  const pick = (ok: (s: DemoSchool) => boolean): DemoSchool => {
    const pool = schools.filter((s) => !used.has(s.code) && ok(s));
    if (pool.length === 0) throw new DemoTemplateError('no school left for a mistake');
    const s = pool[Math.floor(rng() * pool.length)]!;
    used.add(s.code);
    return s;
  };
  const isCompulsory = (s: DemoSchool): boolean => s.stage === '小学' || s.stage === '初中' || s.stage === '九年一贯制';
  const injections = new Map<string, Injection>();
  const inject = (s: DemoSchool): Injection => {
    let i = injections.get(s.code);
    if (!i) injections.set(s.code, (i = emptyInjection()));
    return i;
  };
  const value = (s: DemoSchool, code: string): number => {
    const v = s.values[code];
    if (typeof v !== 'number') throw new DemoTemplateError(`${s.code} has no ${code}`);
    return v;
  };

  // 1. Full-width digits in the student count.
  {
    const s = pick((x) => x.stage === '小学' && x.rural);
    inject(s).edits.push({ code: 'STUDENTS', cell: { value: fullWidth(value(s, 'STUDENTS')) }, issue: 'value.coerced', severity: 'info', what: 'full-width digits' });
  }
  // 2. Thousands separators typed as text.
  {
    const s = pick((x) => x.stage === '初中' && (x.values.AREA_TEACHING ?? 0) >= 1000);
    inject(s).edits.push({ code: 'AREA_TEACHING', cell: { value: withThousands(value(s, 'AREA_TEACHING')) }, issue: 'value.coerced', severity: 'info', what: 'thousands separators as text' });
  }
  // 3. A stray unit: 万 on the equipment value.
  {
    const s = pick((x) => x.stage === '小学' && !x.rural);
    const wan = Math.round(value(s, 'EQUIP_VALUE') / 10000);
    inject(s).overrides.EQUIP_VALUE = wan * 10000;
    inject(s).edits.push({ code: 'EQUIP_VALUE', cell: { value: `${wan}万` }, issue: 'value.coerced', severity: 'info', what: '万 as a unit' });
  }
  // 4. A percent typed as a fraction.
  {
    const s = pick((x) => isCompulsory(x) && value(x, 'STAFF_TOTAL') >= 30);
    const staff = value(s, 'STAFF_TOTAL');
    const vacc = Math.round(staff * 0.91);
    inject(s).overrides.STAFF_VACC = vacc;
    inject(s).edits.push({ code: 'STAFF_VACC_RATE', cell: { value: roundTo(vacc / staff, 4) }, issue: 'value.percent_as_fraction', severity: 'warning', what: 'percent typed as a fraction' });
  }
  // 5. A part larger than its whole: vaccinated staff > staff.
  {
    const s = pick((x) => isCompulsory(x));
    inject(s).overrides.STAFF_VACC = value(s, 'STAFF_TOTAL') + intBetween(rng, 3, 8);
    inject(s).overrides.STAFF_VACC_RATE = null;
    inject(s).issues.push({ severity: 'error', code: 'rule.failed', subject: 'STAFF_VACC', what: 'vaccinated staff more than staff' });
  }
  // 6. Boys + girls ≠ students.
  {
    const s = pick((x) => x.stage === '九年一贯制');
    inject(s).overrides.BOYS = value(s, 'BOYS') + intBetween(rng, 5, 12);
    inject(s).issues.push({ severity: 'error', code: 'rule.failed', subject: 'BOYS', what: 'boys + girls ≠ students' });
  }
  // 7. A stale stated rate: last term's 93.5 copied over this term's counts (101 ÷ 120 = 84.17); and
  //    one unit off in the last decimal (88.84 stated, 175 ÷ 197 = 88.832), which is rounding: a note only.
  {
    const s = pick((x) => x.stage === '初中' && value(x, 'TEACHERS') <= 100 && value(x, 'STAFF_TOTAL') >= 60);
    inject(s).overrides.STAFF_TOTAL = 120;
    inject(s).overrides.TEACHERS = Math.min(value(s, 'TEACHERS'), 100);
    inject(s).overrides.STAFF_VACC = 101;
    inject(s).overrides.STAFF_VACC_RATE = 93.5;
    inject(s).issues.push({ code: 'rate.stated_mismatch', severity: 'warning', subject: 'STAFF_VACC_RATE', what: "last term's stated rate 93.5 vs counts 84.17" });
    const r = pick((x) => x.stage === '初中' && value(x, 'TEACHERS') <= 170 && value(x, 'STAFF_TOTAL') >= 100);
    inject(r).overrides.STAFF_TOTAL = 197;
    inject(r).overrides.STAFF_VACC = 175;
    inject(r).overrides.STAFF_VACC_RATE = 88.84;
    inject(r).issues.push({ code: 'rate.stated_rounding', severity: 'info', subject: 'STAFF_VACC_RATE', what: 'stated rate 88.84 vs counts 88.832, a rounding' });
  }
  // 8. "—" and "无" for zero.
  {
    const s = pick((x) => x.stage === '小学' && x.rural);
    inject(s).overrides.DIS_AGE = 0;
    inject(s).overrides.DIS_ENROLLED = 0;
    inject(s).edits.push({ code: 'DIS_AGE', cell: { value: '—' }, issue: 'value.coerced', severity: 'info', what: '— for zero' });
    inject(s).edits.push({ code: 'DIS_ENROLLED', cell: { value: '—' }, issue: 'value.coerced', severity: 'info', what: '— for zero' });
    const k = pick((x) => x.stage === '幼儿园' && x.kindergarten !== 'public');
    inject(k).edits.push({ code: 'KG_PUBLIC', cell: { value: '无' }, issue: 'value.coerced', severity: 'info', what: '无 for zero' });
  }
  // 9. A formula error value where a number belongs.
  {
    const s = pick((x) => isCompulsory(x));
    inject(s).edits.push({ code: 'STAFF_VACC_RATE', cell: { value: { error: '#DIV/0!' } }, issue: 'value.formula_error', severity: 'error', what: '#DIV/0!' });
  }
  // 10. Template drift: a row inserted in the table (with a mistake below it), a moved column (with a rule failure in it).
  {
    const s = pick((x) => x.stage === '初中' && (x.values.BOOKS ?? 0) >= 1000);
    inject(s).drift = 'inserted_row';
    inject(s).edits.push({ code: 'BOOKS', cell: { value: withThousands(value(s, 'BOOKS')) }, issue: 'value.coerced', severity: 'info', what: 'thousands separators below an inserted row' });
    const m = pick((x) => x.stage === '小学' && !x.rural);
    inject(m).drift = 'moved_column';
    inject(m).overrides.AS_PARTICIPANTS = value(m, 'STUDENTS') + intBetween(rng, 10, 40);
    inject(m).issues.push({ severity: 'error', code: 'rule.failed', subject: 'AS_PARTICIPANTS', what: 'participants more than students, in a moved value column' });
  }
  // 11. A code typed as a number, losing its leading zero.
  {
    const s = pick((x) => x.code.startsWith('0'));
    inject(s).codeAsNumber = true;
    inject(s).issues.push({ severity: 'warning', code: 'value.code_as_number', at: 'school_code', what: 'school code typed as a number' });
  }
  // 12. Outliers: a count typed with an extra digit, and an amount typed in 万元 where 元 belongs.
  {
    const s = pick((x) => x.stage === '幼儿园');
    inject(s).overrides.KG_AGE_POP = value(s, 'KG_AGE_POP') * 10 + intBetween(rng, 0, 9);
    inject(s).issues.push({ code: 'outlier.robust_z', severity: 'warning', subject: 'KG_AGE_POP', what: 'a count typed with an extra digit' });
    // At a kindergarten, so that the planted amount leaves the 均衡 results of the compulsory schools as they are.
    const u = pick((x) => x.stage === '幼儿园' && x !== s);
    inject(u).overrides.EQUIP_VALUE = roundTo(value(u, 'EQUIP_VALUE') / 10000, 2);
    inject(u).issues.push({ code: 'outlier.robust_z', severity: 'warning', subject: 'EQUIP_VALUE', what: 'equipment value typed in 万元, not 元' });
  }
  const missing = pick((x) => x.stage === '小学' && x.rural);
  // The school that mistyped its code takes one of a neighbour's: same stage, same township.
  const codeOwner = pick((x) => x.stage === '小学' && x.rural && x.township === missing.township);
  const duplicate = pick((x) => x.stage === '小学' || x.stage === '幼儿园');
  const copied = pick((x) => x.stage === '初中' || x.stage === '幼儿园');

  const unknown: DemoSchool = {
    code: `${DISTRICT_PREFIX}9${String(intBetween(rng, 100, 999))}`,
    name: '城关镇培英学校',
    stage: '小学',
    township: '城关镇',
    rural: false,
    values: schoolValues({ name: '城关镇培英学校', stage: '小学', township: '城关镇', rural: false, size: 'small' }, rng),
  };

  const sheets: { name: string; plan: SheetPlan }[] = [];
  const expected: ExpectedMistake[] = [];
  const driftFiles: DriftFile[] = [];

  const render = (s: DemoSchool, fileName: string, inj: Injection, tweak?: (values: Record<string, number | null>) => void): void => {
    const values: Record<string, number | null> = { ...s.values, ...inj.overrides };
    tweak?.(values);
    const { plan, at, codeAddress } = renderSchool(definitions, s, values, inj);
    sheets.push({ name: fileName, plan });
    for (const e of inj.edits) if (e.issue) expected.push({ file: fileName, school: s.code, code: e.issue, severity: e.severity ?? 'info', cell: at(e.code), subject: e.code, what: e.what });
    for (const i of inj.issues) {
      expected.push({
        file: fileName,
        school: s.code,
        code: i.code,
        severity: i.severity,
        ...(i.at === 'school_code' ? { cell: codeAddress } : i.subject ? { cell: at(i.subject), subject: i.subject } : {}),
        what: i.what,
      });
    }
    if (inj.drift) driftFiles.push({ file: fileName, school: s.code, drift: inj.drift, values });
  };

  const fileName = (s: School, suffix = ''): string => `${s.code}_${s.name}${suffix}.xlsx`;

  for (const s of schools) {
    if (s === missing) continue;
    render(s, fileName(s), injections.get(s.code) ?? emptyInjection());
  }
  // Duplicates judged by what they hold. A school sent a corrected file later: the correction stands, a note.
  {
    const name = fileName(duplicate, '（更正）');
    render(duplicate, name, emptyInjection(), (v) => {
      v.BOOKS = (v.BOOKS ?? 0) + 120;
    });
    expected.push({ file: fileName(duplicate), school: duplicate.code, code: 'school.duplicate_superseded', severity: 'info', what: 'the same school submitted twice; the corrected file stands' });
  }
  // A school sent the same file twice, the second a "- 副本" copy: one submission, a note.
  {
    render(copied, fileName(copied, ' - 副本'), emptyInjection());
    expected.push({ file: fileName(copied, ' - 副本'), school: copied.code, code: 'school.duplicate_identical', severity: 'info', what: 'an identical copy of the same file' });
  }
  // The school that never sent its own code sent its figures under its neighbour's: its name gives it away,
  // and the neighbour's own file, whose name agrees with the roster, stands.
  {
    const wrong = { ...missing, code: codeOwner.code };
    render(wrong, fileName(wrong), emptyInjection());
    expected.push({ file: fileName(wrong), school: codeOwner.code, code: 'school.name_mismatch', severity: 'warning', what: "a school's figures sent under another school's code" });
  }
  render(unknown, fileName(unknown), emptyInjection());
  expected.push({ file: fileName(unknown), school: unknown.code, code: 'school.unknown', severity: 'error', what: 'school code not in the roster' });
  expected.push({ school: missing.code, code: 'school.missing', severity: 'warning', what: 'in the roster, no file' });

  return {
    seed,
    definitions,
    roster: definitions.roster,
    schools,
    sheets,
    expectedMistakes: expected,
    driftFiles,
    missingSchool: missing.code,
    unknownSchool: unknown.code,
  };
}

/** One school's form filled with `values`, drift and edits applied; where each code's value cell ended up. */
function renderSchool(
  definitions: Definitions,
  s: School,
  values: Readonly<Record<string, number | null>>,
  inj: Injection,
): { plan: SheetPlan; at: (code: string) => string; codeAddress: string } {
  const layout = definitions.layout;
  if (layout.kind !== 'form') throw new DemoTemplateError('the layout must be a form');
  const indicatorCodes = new Set(definitions.indicators.map((i) => i.code));
  // The schools' files as a school saved them: the figures, without the form's own check cells (a moved column would leave them pointing elsewhere).
  const form = new Form(buildTemplatePlan(definitions, 'zh-CN', s, { checks: false }), layout);
  let map = form.map();
  if (inj.drift === 'inserted_row') {
    // A note row typed under the girls' row: 其中：寄宿生.
    const after = map.rows.get('GIRLS') ?? map.rows.get('STUDENTS')!;
    const cells: PlannedCell[] = [];
    cells[map.codeCol + 1] = { value: '其中：寄宿生' };
    cells[map.valueCol] = { value: Math.round((values.STUDENTS ?? 0) * 0.3) };
    for (let c = 0; c < cells.length; c++) cells[c] ??= { value: null };
    form.insertRowAfter(after, cells);
    map = form.map();
  } else if (inj.drift === 'moved_column') {
    form.swapColumns(map.valueCol - 1, map.valueCol);
    map = form.map();
  }
  const at = (code: string): string => {
    const r = map.rows.get(code);
    if (r === undefined) throw new DemoTemplateError(`${code} not on the form`);
    return cellAddress(r, map.valueCol);
  };
  for (const [code, r] of map.rows) if (indicatorCodes.has(code)) form.set(r, map.valueCol, plainCell(values[code]));
  // Rates: live formulas over the (possibly moved) cells, with the value Excel would have cached.
  const addressOf = new Map<string, string>();
  for (const code of indicatorCodes) if (map.rows.has(code)) addressOf.set(code, at(code));
  for (const rate of definitions.rates) {
    const r = map.rows.get(rate.code);
    if (r === undefined) continue;
    const formula = rateFormula(rate, addressOf);
    const cached = rateValue(rate.numerator, rate.denominator, rate.factor, values);
    form.set(r, map.valueCol, formula === null ? { value: cached } : { formula, value: cached ?? '' });
  }
  for (const e of inj.edits) form.set(map.rows.get(e.code)!, map.valueCol, e.cell);
  const codeAddress = cellAddress(map.codeCell.r, map.codeCell.c);
  if (inj.codeAsNumber) form.setNumberAsCode(map.codeCell.r, map.codeCell.c, Number(s.code));
  return { plan: form.toPlan(), at, codeAddress };
}

/** A clean, correctly filled form for one school (what the benchmarks read a thousand times). */
export function schoolFormPlan(definitions: Definitions, s: DemoSchool): SheetPlan {
  return renderSchool(definitions, s, s.values, emptyInjection()).plan;
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

/** A school's rate from its own values (num ÷ den × factor), null when undefined. */
function rateValue(numerator: string, denominator: string, factor: number, values: Readonly<Record<string, number | null>>): number | null {
  const n = parseExpression(numerator);
  const d = parseExpression(denominator);
  if (!n.ok || !d.ok) return null;
  const lookup = (code: string): number | null => values[code] ?? null;
  const nv = evaluate(n.expr, lookup);
  const dv = evaluate(d.expr, lookup);
  if (typeof nv !== 'number' || typeof dv !== 'number' || dv === 0) return null;
  return (nv / dv) * factor;
}

/** The layout label of the school code, for messages about the demo. */
export function demoCodeLabel(defs: Definitions): string {
  return defs.layout.kind === 'form' ? pickLabel(defs.layout.schoolCodeLabels, 'zh-CN', '学校代码') : '学校代码';
}
