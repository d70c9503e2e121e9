import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { consolidate } from '../../src/core/consolidate';
import { definitionsFromJson, definitionsToJson, definitionsToSheets, readDefinitions } from '../../src/core/definitions';
import { assessEquity, assessStandard, floorsMet } from '../../src/core/equity';
import type { CellValue, SheetGrid } from '../../src/core/grid';
import { builtinPreset } from '../../src/core/preset';
import type { EquityResult, EquityStandard, Issue, SchoolResult, Stage, StageStudents } from '../../src/core/types';
import { validate } from '../../src/core/validate';
import { buildEquityPlan, planToGrid } from '../../src/workbook';
import { param, schoolResult, submission } from './engine-helpers';

const STAGE_STUDENTS: StageStudents = { 小学: 'SP', 初中: 'SJ', 高中: 'SS' };

/** A test standard over AREA and BOOKS per student, with floors on AREA only. */
function standard(parts: Partial<EquityStandard> = {}): EquityStandard {
  return {
    code: 'T',
    label: { zh: '测试', en: 'Test' },
    test: 'each',
    weight: 'STUDENTS',
    thresholds: { 小学: 0.5, 初中: 0.45 },
    minWeight: 50,
    indicators: [
      { code: 'L1', label: { zh: '生均面积', en: 'area' }, value: 'AREA / STUDENTS', floors: { 小学: 4.5, 初中: 5.8 } },
      { code: 'L2', label: { zh: '生均图书', en: 'books' }, value: 'BOOKS / STUDENTS' },
    ],
    ...parts,
  };
}

const school = (code: string, stage: Stage | undefined, values: Record<string, number | null>): SchoolResult =>
  schoolResult({ code, ...(stage !== undefined ? { stage } : {}), values });

describe('assessStandard: the published arithmetic', () => {
  it('reproduces the worked 差异系数 example through a standard: X̄ = 1913 ÷ 302 = 6.334, CV = 0.515', () => {
    // 小学1 45/279, 小学2 37/137, 小学3 89/935, 小学4 76/160, 小学5 55/402 (the handout's schools are all under 50 or near it, so no minimum here).
    const data = [
      [45, 279],
      [37, 137],
      [89, 935],
      [76, 160],
      [55, 402],
    ];
    const schools = data.map(([students, books], k) => school(`S${k}`, '小学', { STUDENTS: students!, BOOKS: books!, AREA: 5 * students! }));
    const r = assessStandard(standard({ minWeight: 0 }), schools);
    const l2 = r.stages[0]!.indicators[1]!;
    expect(l2.schoolCount).toBe(5);
    expect(l2.mean!.toFixed(3)).toBe('6.334');
    expect(l2.cv!.toFixed(3)).toBe('0.515');
    // Every school has 5 m² per student: no spread at all.
    expect(r.stages[0]!.indicators[0]!.cv).toBe(0);
  });

  it('gives the monitoring table: X̄, S and CV per indicator, 综合 the plain mean of the CVs, held to the stage limit', () => {
    // Weights 100, 200, 100. L1 values 2, 4, 6: X̄ = (200 + 800 + 600) ÷ 400 = 4, S² = (100·4 + 0 + 100·4) ÷ 400 = 2, CV = √2 ÷ 4 = 0.353553.
    // L2 values 1, 1, 4: X̄ = (100 + 200 + 400) ÷ 400 = 1.75, S² = (100·0.5625 + 200·0.5625 + 100·5.0625) ÷ 400 = 1.6875, CV = 1.299038 ÷ 1.75 = 0.742307.
    // 综合 = (0.353553 + 0.742307) ÷ 2 = 0.547930.
    const schools = [
      school('A', '小学', { STUDENTS: 100, AREA: 200, BOOKS: 100 }),
      school('B', '小学', { STUDENTS: 200, AREA: 800, BOOKS: 200 }),
      school('C', '小学', { STUDENTS: 100, AREA: 600, BOOKS: 400 }),
    ];
    const composite = assessStandard(standard({ test: 'composite', thresholds: { 小学: 0.65, 初中: 0.55 } }), schools).stages[0]!;
    expect(composite.indicators.map((i) => [i.mean, i.sd! ** 2])).toEqual([
      [4, expect.closeTo(2, 12)],
      [1.75, expect.closeTo(1.6875, 12)],
    ]);
    expect(composite.indicators.map((i) => i.cv!.toFixed(6))).toEqual(['0.353553', '0.742307']);
    expect(composite.composite!.toFixed(6)).toBe('0.547930');
    expect([composite.cvMet, composite.met, composite.threshold]).toEqual([true, true, 0.65]);
    // The same CVs under 优质均衡's test: L2 is over 0.50, so the stage is not met whatever the 综合.
    const each = assessStandard(standard(), schools).stages[0]!;
    expect(each.indicators.map((i) => i.met)).toEqual([true, false]);
    expect([each.cvMet, each.met]).toEqual([false, false]);
  });

  it('names the schools that pull each CV up, by their share of Σ Pᵢ(Xᵢ − X̄)²', () => {
    // L2 above: A contributes 100·0.5625 = 56.25, B 200·0.5625 = 112.5, C 100·5.0625 = 506.25 of 675.
    const schools = [
      school('A', '小学', { STUDENTS: 100, AREA: 200, BOOKS: 100 }),
      school('B', '小学', { STUDENTS: 200, AREA: 800, BOOKS: 200 }),
      school('C', '小学', { STUDENTS: 100, AREA: 600, BOOKS: 400 }),
    ];
    const pulls = assessStandard(standard(), schools).stages[0]!.indicators[1]!.pulls;
    expect(pulls.map((p) => [p.school, p.share.toFixed(4), p.below])).toEqual([
      ['C', (506.25 / 675).toFixed(4), false],
      ['B', (112.5 / 675).toFixed(4), true],
      ['A', (56.25 / 675).toFixed(4), true],
    ]);
  });

  it('keeps the three largest shares, then by code, whatever the order and however many schools tie', () => {
    const row = fc.record({ students: fc.integer({ min: 50, max: 400 }), books: fc.constantFrom(50, 100, 200, 400, 800, 1600) });
    fc.assert(
      fc.property(fc.array(row, { minLength: 2, maxLength: 30 }), (rows) => {
        const schools = rows.map((r, k) => school(`S${String(k).padStart(2, '0')}`, '小学', { STUDENTS: r.students, BOOKS: r.books, AREA: 5 * r.students }));
        const ind = assessStandard(standard(), schools).stages[0]!.indicators[1]!;
        if (ind.mean === null || ind.sd === null || ind.sd === 0) return;
        const mean = ind.mean;
        const weights = rows.reduce((a, r) => a + r.students, 0);
        const total = ind.sd * ind.sd * weights;
        const all = rows.map((r, k) => ({ school: `S${String(k).padStart(2, '0')}`, share: (r.students * (r.books / r.students - mean) ** 2) / total }));
        all.sort((a, b) => b.share - a.share || (a.school < b.school ? -1 : 1));
        expect(ind.pulls.map((p) => p.school)).toEqual(all.slice(0, 3).map((p) => p.school));
      }),
      { numRuns: 300 },
    );
  });

  it('a published-style row: 综合 0.367503 is the mean of its seven CVs', () => {
    // The row a bureau published for 小学; the 综合 column is the plain mean, as the core computes it.
    const cvs = [0.297929, 0.501787, 0.401952, 0.288419, 0.37545, 0.312782, 0.394205];
    const indicators = cvs.map((_, k) => ({ code: `L${k + 1}`, label: { zh: `L${k + 1}`, en: `L${k + 1}` }, value: `V${k + 1}` }));
    // Each indicator's CV made exact: two schools of equal weight at 1 ± cv have X̄ = 1 and S = cv.
    const two = [school('A', '小学', { STUDENTS: 100 }), school('B', '小学', { STUDENTS: 100 })];
    cvs.forEach((cv, k) => {
      (two[0]!.values as Record<string, number>)[`V${k + 1}`] = 1 - cv;
      (two[1]!.values as Record<string, number>)[`V${k + 1}`] = 1 + cv;
    });
    const r = assessStandard(standard({ test: 'composite', indicators }), two).stages[0]!;
    r.indicators.forEach((ind, k) => expect(ind.cv).toBeCloseTo(cvs[k]!, 12));
    expect(r.composite!.toFixed(6)).toBe('0.367503');
  });
});

describe('assessStandard: schools that span stages', () => {
  it('splits a nine-year school 1 : 1.1 by its stage students, each part a school of its stage', () => {
    // 300 students: 200 primary, 100 junior; 1,560 m². Weighted students 200·1 + 100·1.1 = 310.
    // Primary part: share 200 ÷ 310, area 1,006.45 m² over 200 students → 1,560 ÷ 310 = 5.0323 m² (floor 4.5: met).
    // Junior part: share 110 ÷ 310, area 553.55 m² over 100 students → 1.1 · 1,560 ÷ 310 = 5.5355 m² (floor 5.8: 95.4%).
    const nine = school('N', '九年一贯制', { STUDENTS: 300, SP: 200, SJ: 100, AREA: 1560, BOOKS: 6000 });
    const r = assessStandard(standard(), [nine], STAGE_STUDENTS);
    const [primary, junior] = r.stages.map((s) => s.schools[0]!);
    expect([primary!.weight, primary!.share]).toEqual([200, 200 / 310]);
    expect(primary!.values[0]).toBeCloseTo(1560 / 310, 12);
    expect(primary!.floors[0]).toEqual({ floor: 4.5, met: true, reached: expect.closeTo(1560 / 310 / 4.5, 12) });
    expect([junior!.weight, junior!.share]).toEqual([100, expect.closeTo(110 / 310, 12)]);
    expect(junior!.values[0]).toBeCloseTo((1.1 * 1560) / 310, 12);
    expect(junior!.floors[0]!.reached!.toFixed(4)).toBe('0.9544');
    // One floor short, at 95% of it: the junior part still meets 优质均衡's school test.
    expect([junior!.shortfalls, junior!.met]).toEqual([1, true]);
    // Books: 6,000 · 200/310 ÷ 200 and 6,000 · 110/310 ÷ 100.
    expect(primary!.values[1]).toBeCloseTo(6000 / 310, 12);
    expect(junior!.values[1]).toBeCloseTo((6000 * 1.1) / 310, 12);
  });

  it('splits a 完全中学 1 : 1.2 (junior : senior) and a 十二年一贯制 1 : 1.1 : 1.32, assessing only the compulsory parts', () => {
    // 完全中学: 400 junior, 600 senior, 11,200 m² → weighted 400 + 720 = 1,120, junior X = 11,200 ÷ 1,120 = 10 m².
    // 十二年一贯制: 300 / 200 / 100 and 6,160 m² → weighted 300 + 220 + 132 = 652; primary X = 6,160 ÷ 652, junior 1.1 × that.
    const complete = school('W', '完全中学', { STUDENTS: 1000, SJ: 400, SS: 600, AREA: 11200, BOOKS: 1 });
    const twelve = school('T', '十二年一贯制', { STUDENTS: 600, SP: 300, SJ: 200, SS: 100, AREA: 6160, BOOKS: 1 });
    const r = assessStandard(standard(), [complete, twelve], STAGE_STUDENTS);
    const primary = r.stages[0]!.schools;
    const junior = r.stages[1]!.schools;
    expect(primary.map((s) => s.school)).toEqual(['T']);
    expect(primary[0]!.values[0]).toBeCloseTo(6160 / 652, 12);
    expect(junior.map((s) => [s.school, s.weight])).toEqual([
      ['W', 400],
      ['T', 200],
    ]);
    expect(junior[0]!.values[0]).toBeCloseTo(10, 12);
    expect(junior[1]!.values[0]).toBeCloseTo((1.1 * 6160) / 652, 12);
  });

  it('takes a spanning school’s stage students from the roster when its form gives none, and the form’s when it does', () => {
    const schools = [
      school('N', '九年一贯制', { STUDENTS: 300, AREA: 1560, BOOKS: 6000 }),
      school('M', '九年一贯制', { STUDENTS: 300, SP: 150, SJ: 150, AREA: 1560, BOOKS: 6000 }),
    ];
    const roster = new Map([
      ['N', { 小学: 200, 初中: 100 }],
      ['M', { 小学: 200, 初中: 100 }],
    ]);
    const r = assessStandard(standard(), schools, STAGE_STUDENTS, roster);
    expect(r.excluded).toEqual([]);
    expect(r.stages[0]!.schools.map((s) => [s.school, s.weight])).toEqual([
      ['N', 200],
      ['M', 150],
    ]);
    // N: 1,560 ÷ (200 + 110) as in the form-split example above.
    expect(r.stages[0]!.schools[0]!.values[0]).toBeCloseTo(1560 / 310, 12);
    const fromDefs = assessEquity(schools, { standards: [standard()], stageStudents: STAGE_STUDENTS, roster: [{ code: 'N', name: 'N', stage: '九年一贯制', students: { 小学: 200, 初中: 100 } }] });
    expect(fromDefs[0]!.stages[1]!.schools.map((s) => [s.school, s.weight])).toEqual([
      ['N', 100],
      ['M', 150],
    ]);
  });

  it('lists every school left out with its reason: 特教, under 50 (a whole school or one part), no stage students, no roster stage, a missing value', () => {
    const schools = [
      school('SP1', '特教', { STUDENTS: 120, AREA: 600, BOOKS: 10 }),
      school('TINY', '小学', { STUDENTS: 31, AREA: 200, BOOKS: 10 }),
      school('NINE', '九年一贯制', { STUDENTS: 330, SP: 300, SJ: 30, AREA: 2000, BOOKS: 10 }),
      school('NOSPLIT', '九年一贯制', { STUDENTS: 500, AREA: 2000, BOOKS: 10 }),
      school('UNKNOWN', undefined, { STUDENTS: 500, AREA: 2000, BOOKS: 10 }),
      school('NOBOOKS', '小学', { STUDENTS: 400, AREA: 2000, BOOKS: null }),
      school('KG', '幼儿园', { STUDENTS: 200, AREA: 900, BOOKS: 10 }),
    ];
    const r = assessStandard(standard(), schools, STAGE_STUDENTS);
    expect(r.excluded).toEqual([
      { school: 'SP1', reason: 'special_education' },
      { school: 'TINY', reason: 'below_min_weight', stage: '小学' },
      { school: 'NINE', reason: 'below_min_weight', stage: '初中' },
      { school: 'NOSPLIT', reason: 'stage_students_missing' },
      { school: 'UNKNOWN', reason: 'stage' },
      { school: 'NOBOOKS', reason: 'missing_value', stage: '小学', indicator: 'L2' },
    ]);
    // NINE's primary part stays; NOBOOKS counts for L1 but not L2, and its verdict is still reached on L1's floor.
    expect(r.stages[0]!.schools.map((s) => s.school)).toEqual(['NINE', 'NOBOOKS']);
    expect(r.stages[0]!.indicators.map((i) => i.schoolCount)).toEqual([2, 1]);
    expect(r.stages[1]!.schools).toEqual([]);
    expect(r.stages[1]!.met).toBeNull();
  });
});

describe('floorsMet: 6 of 7 floors, the seventh at 85% or more', () => {
  const check = (reached: number) => ({ floor: 1, met: reached >= 1, reached });
  it('meets with every floor, or one short at 85%; fails one short under 85% or two short', () => {
    expect(floorsMet([check(1.2), check(1), check(1.5)])).toBe(true);
    expect(floorsMet([check(1.2), check(0.85), check(1.5)])).toBe(true);
    expect(floorsMet([check(1.2), check(0.849), check(1.5)])).toBe(false);
    expect(floorsMet([check(0.95), check(0.9), check(1.5)])).toBe(false);
    expect(floorsMet([null, null])).toBeNull();
    expect(floorsMet([check(1.2), { floor: 1, met: false, reached: null }])).toBeNull();
  });

  it('fails the 优质均衡 stage when one school fails its floors, even with every CV within the limit', () => {
    const schools = [
      school('A', '小学', { STUDENTS: 400, AREA: 2400, BOOKS: 12000 }),
      school('B', '小学', { STUDENTS: 400, AREA: 2300, BOOKS: 12000 }),
      // 1,200 ÷ 400 = 3 m², 67% of the 4.5 floor.
      school('C', '小学', { STUDENTS: 400, AREA: 1200, BOOKS: 12000 }),
    ];
    const s = assessStandard(standard({ thresholds: { 小学: 0.9, 初中: 0.9 } }), schools).stages[0]!;
    expect([s.cvMet, s.schoolsMet, s.met]).toEqual([true, false, false]);
    expect(s.schools.map((r) => [r.school, r.met])).toEqual([
      ['A', true],
      ['B', true],
      ['C', false],
    ]);
  });
});

describe('properties', () => {
  const primarySchool = fc.record({
    students: fc.integer({ min: 50, max: 3000 }),
    area: fc.integer({ min: 100, max: 30000 }),
    books: fc.integer({ min: 100, max: 100000 }),
  });
  const preset = builtinPreset();

  it('a nine-year school with no junior students gives the same results as a primary school with its figures', () => {
    fc.assert(
      fc.property(fc.array(primarySchool, { minLength: 1, maxLength: 8 }), primarySchool, (others, x) => {
        const rest = others.map((o, k) => school(`P${k}`, '小学', { STUDENTS: o.students, AREA: o.area, BOOKS: o.books }));
        const asPrimary = assessStandard(standard(), [...rest, school('X', '小学', { STUDENTS: x.students, AREA: x.area, BOOKS: x.books })], STAGE_STUDENTS);
        const asNine = assessStandard(standard(), [...rest, school('X', '九年一贯制', { STUDENTS: x.students, SP: x.students, SJ: 0, AREA: x.area, BOOKS: x.books })], STAGE_STUDENTS);
        expect(asNine.stages[0]!.indicators.map((i) => i.cv)).toEqual(asPrimary.stages[0]!.indicators.map((i) => i.cv));
        expect(asNine.stages[0]!.composite).toEqual(asPrimary.stages[0]!.composite);
        const row = (r: typeof asNine) => r.stages[0]!.schools.find((s) => s.school === 'X')!;
        expect({ ...row(asNine), stage: '小学' }).toEqual(row(asPrimary));
        expect(asNine.stages[1]!.schools).toEqual([]);
      }),
    );
  });

  it('one standard assessed again over other schools gives what a fresh copy of it gives', () => {
    const once = standard();
    const first = [school('A', '小学', { STUDENTS: 100, AREA: 500, BOOKS: 3000 }), school('B', '小学', { STUDENTS: 200, AREA: 800, BOOKS: 2000 })];
    const second = [school('C', '小学', { STUDENTS: 300, AREA: 3000, BOOKS: 900 }), school('D', '小学', { STUDENTS: 120, AREA: 480, BOOKS: 4800 })];
    const a = assessStandard(once, first);
    const b = assessStandard(once, second);
    expect(b).toEqual(assessStandard(standard(), second));
    expect(b).not.toEqual(a);
  });

  it('scaling one resource at every school by the same factor leaves every CV unchanged', () => {
    fc.assert(
      fc.property(fc.array(primarySchool, { minLength: 2, maxLength: 10 }), fc.double({ min: 0.01, max: 1000, noNaN: true }), (schools, k) => {
        const make = (f: number) => schools.map((s, i) => school(`S${i}`, '小学', { STUDENTS: s.students, AREA: s.area * f, BOOKS: s.books }));
        const a = assessStandard(standard(), make(1)).stages[0]!;
        const b = assessStandard(standard(), make(k)).stages[0]!;
        a.indicators.forEach((ind, j) => expect(b.indicators[j]!.cv!).toBeCloseTo(ind.cv!, 9));
      }),
    );
  });

  it('CVs, 综合 and verdicts never depend on the order of the schools (the preset, all stages mixed)', () => {
    const anySchool = fc.record({
      stage: fc.constantFrom<Stage>('小学', '初中', '九年一贯制', '完全中学'),
      students: fc.integer({ min: 60, max: 2000 }),
      part: fc.double({ min: 0.1, max: 0.9, noNaN: true }),
      per: fc.array(fc.double({ min: 0.5, max: 50, noNaN: true }), { minLength: 10, maxLength: 10 }),
    });
    const codes = ['AREA_TEACHING', 'AREA_SPORTS', 'EQUIP_VALUE', 'COMPUTERS', 'BOOKS', 'TEACHERS', 'TEACHERS_QUALIFIED', 'TEACHERS_SENIOR', 'TEACHERS_BACKBONE', 'TEACHERS_PE_ART'];
    fc.assert(
      fc.property(fc.array(anySchool, { minLength: 2, maxLength: 12 }), (list) => {
        const schools = list.map((s, i) => {
          const first = Math.round(s.students * s.part);
          const values: Record<string, number> = { STUDENTS: s.students, MULTIMEDIA_ROOMS: Math.ceil(s.students / 40) };
          codes.forEach((c, j) => (values[c] = s.per[j]! * s.students));
          if (s.stage === '九年一贯制') Object.assign(values, { STUDENTS_PRIMARY: first, STUDENTS_JUNIOR: s.students - first });
          if (s.stage === '完全中学') Object.assign(values, { STUDENTS_JUNIOR: first, STUDENTS_SENIOR: s.students - first });
          return school(`S${String(i).padStart(2, '0')}`, s.stage, values);
        });
        const summary = (r: ReturnType<typeof assessEquity>) =>
          r.map((st) => st.stages.map((s) => ({ cvs: s.indicators.map((i) => i.cv), composite: s.composite, met: s.met, schools: [...s.schools].sort((a, b) => (a.school + a.weight < b.school + b.weight ? -1 : 1)) })));
        const a = summary(assessEquity(schools, preset));
        const b = summary(assessEquity([...schools].reverse(), preset));
        const close = (x: unknown, y: unknown): void => {
          if (typeof x === 'number' && typeof y === 'number') expect(y).toBeCloseTo(x, 9);
          else if (Array.isArray(x)) x.forEach((v, i) => close(v, (y as unknown[])[i]));
          else if (x !== null && typeof x === 'object') for (const k of Object.keys(x)) close((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]);
          else expect(y).toEqual(x);
        };
        close(a, b);
      }),
    );
  });
});

describe('a form with stage rows and no total: the weight per stage, or as an expression', () => {
  // The bureau's definitions workbook: its form asks 小学/初中/高中在校生数 and no 在校学生数.
  const header = ['标准代码', '标准名称', '判定方式', '小学差异系数标准', '初中差异系数标准', '最少学生数', '权重', '小学权重', '初中权重', '指标代码', '指标名称', '每校值'];
  const perStudent = (code: string): string => `${code} / SUM(SP, SJ, SS)`;
  const workbook = (weight: string | null, primary: string | null, junior: string | null): SheetGrid[] =>
    Object.entries({
      指标: [
        ['代码', '指标名称', '英文名称', '类型'],
        ['SP', '小学在校生数', 'Primary pupils', '整数'],
        ['SJ', '初中在校生数', 'Junior pupils', '整数'],
        ['SS', '高中在校生数', 'Senior pupils', '整数'],
        ['AREA', '教学用房面积', 'Teaching area', '小数'],
        ['BOOKS', '图书册数', 'Books', '整数'],
      ],
      均衡标准: [
        header,
        ['B', '基本均衡', '综合', 0.65, 0.55, 50, weight, primary, junior, 'L1', '生均面积', perStudent('AREA')],
        ['B', null, null, null, null, null, null, null, null, 'L2', '生均图书', perStudent('BOOKS')],
      ],
      学校名册: [
        ['学校代码', '学校名称', '学段'],
        ['P1', '一小', '小学'],
        ['P2', '二小', '小学'],
        ['P3', '教学点', '小学'],
        ['J1', '一中', '初中'],
        ['J2', '二中', '初中'],
        ['N1', '九年制学校', '九年一贯制'],
      ],
      表样: [
        ['项目', '值'],
        ['小学段学生数指标', 'SP'],
        ['初中段学生数指标', 'SJ'],
        ['高中段学生数指标', 'SS'],
      ],
    }).map(([name, values]) => ({ name, values: values as CellValue[][] }));
  // Each school fills only its own stage's row, as such forms are filled; P3 is a 教学点 of 40 pupils.
  const forms = [
    submission('P1', { SP: 400, AREA: 2400, BOOKS: 12000 }),
    submission('P2', { SP: 250, AREA: 1000, BOOKS: 5000 }),
    submission('P3', { SP: 40, AREA: 100, BOOKS: 400 }),
    submission('J1', { SJ: 600, AREA: 4800, BOOKS: 24000 }),
    submission('J2', { SJ: 300, AREA: 1500, BOOKS: 6000 }),
    submission('N1', { SP: 300, SJ: 200, AREA: 3640, BOOKS: 15600 }),
  ];
  const assess = (sheets: SheetGrid[]): { issues: readonly Issue[]; equity: readonly EquityResult[] } => {
    const read = readDefinitions(sheets);
    const defs = read.definitions!;
    return { issues: read.issues, equity: consolidate(validate(forms, defs), defs).equity };
  };

  /** DOMAIN.md's formula over (students, resource) pairs: X̄ = Σ resource ÷ Σ students, S = √(Σ Pᵢ(Xᵢ − X̄)² ÷ P), CV = S ÷ X̄. */
  const cv = (points: readonly (readonly [number, number])[]): number => {
    const P = points.reduce((a, [p]) => a + p, 0);
    const mean = points.reduce((a, [, r]) => a + r, 0) / P;
    const s = Math.sqrt(points.reduce((a, [p, r]) => a + p * (r / p - mean) ** 2, 0) / P);
    return s / mean;
  };
  // N1's resources split 300 : 200 × 1.1 between its parts: the primary part holds 300/520 of them, the junior 220/520.
  const primaryShare = 300 / 520;
  const juniorShare = 220 / 520;
  const expected = {
    小学: [
      cv([[400, 2400], [250, 1000], [300, 3640 * primaryShare]]),
      cv([[400, 12000], [250, 5000], [300, 15600 * primaryShare]]),
    ],
    初中: [
      cv([[600, 4800], [300, 1500], [200, 3640 * juniorShare]]),
      cv([[600, 24000], [300, 6000], [200, 15600 * juniorShare]]),
    ],
  };

  it.each([
    ['a weight per stage (小学权重 SP, 初中权重 SJ)', null, 'SP', 'SJ'],
    ['one weight as an expression (SUM(SP, SJ))', 'SUM(SP, SJ)', null, null],
  ])('%s: one standard, no spurious 学生数不足, each stage weighted by its own students', (_, weight, primary, junior) => {
    const { issues, equity } = assess(workbook(weight, primary, junior));
    expect(issues).toEqual([]);
    expect(equity.map((r) => r.code)).toEqual(['B']);
    const [result] = equity;
    // Only the 教学点 is under 50; no 初中 school is left out for the 小学 row it leaves blank, nor the other way round.
    expect(result!.excluded).toEqual([{ school: 'P3', reason: 'below_min_weight', stage: '小学' }]);
    for (const stage of result!.stages) {
      expect(stage.schools.map((s) => [s.school, s.weight])).toEqual(
        stage.stage === '小学'
          ? [['P1', 400], ['P2', 250], ['N1', 300]]
          : [['J1', 600], ['J2', 300], ['N1', 200]],
      );
      stage.indicators.forEach((ind, j) => expect(ind.cv).toBeCloseTo(expected[stage.stage][j]!, 12));
    }
  });

  it('names a school whose own stage row is blank as missing that figure, by its name on the 均衡 sheet, never its code', () => {
    const defs = readDefinitions(workbook(null, 'SP', 'SJ')).definitions!;
    const c = consolidate(validate([...forms, submission('P4', { SJ: 0, AREA: 900, BOOKS: 3000 })], { ...defs, roster: [...defs.roster, { code: 'P4', name: '四小', stage: '小学' }] }), defs);
    expect(c.equity[0]!.excluded).toContainEqual({ school: 'P4', reason: 'missing_value', stage: '小学', indicator: 'SP' });
    for (const lang of ['zh-CN', 'en-US'] as const) {
      const rows = planToGrid(buildEquityPlan(c, defs, { lang, mode: 'values' })!).values;
      const p4 = rows.find((r) => r[0] === 'P4')!;
      expect(p4[3]).toBe(lang === 'zh-CN' ? '小学在校生数 缺少数据，无法计算' : 'Primary pupils cannot be computed: figures missing');
    }
  });

  it('the one weight the form lacks (the default 在校学生数) is named at its cell, and a stage weight at its own', () => {
    const read = readDefinitions(workbook(null, 'SP', null));
    expect(read.issues.map((i) => [i.code, i.sheet, i.cell, param(i, 'code')])).toEqual([['def.unknown_code', '均衡标准', 'G2', 'STUDENTS']]);
    expect(read.definitions!.standards).toEqual([]);
  });

  it('writes the stage weights back to the sheet and the JSON, and reads them to the same standard', () => {
    const defs = readDefinitions(workbook(null, 'SP', 'SJ')).definitions!;
    expect(defs.standards![0]!.weights).toEqual({ 小学: 'SP', 初中: 'SJ' });
    expect(readDefinitions(definitionsToSheets(defs, 'zh-CN')).definitions!.standards).toEqual(defs.standards);
    expect(readDefinitions(definitionsToSheets(defs, 'en-US')).definitions!.standards).toEqual(defs.standards);
    expect(definitionsFromJson(definitionsToJson(defs)).definitions!.standards).toEqual(defs.standards);
  });
});
