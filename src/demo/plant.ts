/**
 * The demo district as the clerk receives it: every school's file, with the mistakes clerks really meet
 * (DOMAIN.md) planted in particular schools, and each planted mistake with the finding it must give —
 * school, file, sheet, cell, issue and severity — so that tests read what to look for from here.
 * Touches no file system: it returns sheet plans.
 */
import type { Definitions, IssueCode, School, Severity } from '../core/types';
import type { SheetPlan } from '../workbook/plan';
import { roundTo } from '../workbook/rates';
import { DemoTemplateError, emptyInjection, renderSchool, type Injection } from './form';
import { intBetween, mulberry32 } from './random';
import { DISTRICT_PREFIX, PLANTED_SHORTFALLS, demoDefinitions, generateDistrictSchools, schoolValues, type DemoSchool } from './schools';

/** A mistake injected into one school's file, and where it must be reported. */
export interface ExpectedMistake {
  /** File name as in `files`; absent for a school that sent no file. */
  readonly file?: string;
  /** The school code the issue belongs to (the roster code). */
  readonly school: string;
  readonly code: IssueCode;
  /** How it must be reported: a note (提示) is found but asks nothing of the school. */
  readonly severity: Severity | 'info';
  /** The school's sheet in that file. */
  readonly sheet?: string;
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

/** The demo district: definitions (with roster), the school files, what was planted, and the true values. */
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


/** Full-width digits for a number: 1234 → １２３４. */
export function fullWidth(n: number): string {
  return String(n).replace(/[0-9.]/g, (d) => (d === '.' ? '．' : String.fromCharCode(d.charCodeAt(0) + 0xfee0)));
}

/** A number with thousands separators, as text: 32150 → "32,150". */
function withThousands(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}


/** Everything of the demo district except the written bytes: each school file as a sheet plan. */
export function planDemoDistrict(seed = 2026): Omit<DemoDistrict, 'files'> & { sheets: { name: string; plan: SheetPlan }[] } {
  const rng = mulberry32(seed ^ 0x5a5a5a5a);
  const schools = generateDistrictSchools(seed);
  const definitions = demoDefinitions(schools);
  if (definitions.layout.kind !== 'form') throw new DemoTemplateError('the preset layout must be a form');

  // Pick schools for each mistake, each school at most once, from those where the mistake makes sense.
  // The schools under a 均衡 floor keep clean files, so the 均衡 sheet shows them.
  const used = new Set<string>(schools.filter((s) => PLANTED_SHORTFALLS.some((p) => p.school === s.name)).map((s) => s.code));
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
    for (const e of inj.edits) if (e.issue) expected.push({ file: fileName, sheet: plan.name, school: s.code, code: e.issue, severity: e.severity ?? 'info', cell: at(e.code), subject: e.code, what: e.what });
    for (const i of inj.issues) {
      expected.push({
        file: fileName,
        sheet: plan.name,
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
