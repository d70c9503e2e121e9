/** A fake `HuizongService` for component tests: a plain object whose methods are spies with canned answers. */
import { vi, type Mock } from 'vitest';
import type { Issue } from '../../src/core/types';
import type { DefinitionsView, HuizongService, ImportedFile, ResultView, ValidationView } from '../../src/taskpane/service';

/** Definitions as the preset gives them. */
export const PRESET_VIEW: DefinitionsView = {
  ready: true,
  source: 'preset',
  title: { zh: '学校基本情况统计表', en: 'School indicators' },
  indicators: 32,
  rules: 12,
  rates: 12,
  dispersions: 0,
  standards: 2,
  schools: 45,
  issues: [],
};

/** Issues of two schools and a missing one. */
export const ISSUES: Issue[] = [
  { code: 'rule.failed', severity: 'error', school: '3401020001', file: '第一小学.xlsx', sheet: '填报表', cell: 'D8', subject: 'R_BOYS_GIRLS', params: { message_zh: '男生数 + 女生数 应等于 在校生数', message_en: 'Boys + girls must equal students', lhs: 'BOYS + GIRLS', op: '==', rhs: 'STUDENTS', lhsValue: 410, rhsValue: 412 } },
  { code: 'value.not_a_number', severity: 'error', school: '3401020001', file: '第一小学.xlsx', sheet: '填报表', cell: 'D10', subject: 'TEACHERS', original: '八十', params: { original: '八十' } },
  { code: 'outlier.robust_z', severity: 'warning', school: '3401020002', file: '第二中学.xlsx', sheet: '填报表', cell: 'D21', subject: 'BOOKS', params: { value: 99999, z: 8.2 } },
  { code: 'school.missing', severity: 'error', school: '3401020045', params: { name: '第四十五小学' } },
];

/** What validation returns. */
export const VALIDATION: ValidationView = {
  title: { zh: '学校基本情况统计表', en: 'School indicators' },
  period: '2026年秋季学期',
  schools: [
    { code: '3401020001', name: '第一小学', file: '第一小学.xlsx', sheet: '填报表', errors: 2, warnings: 0 },
    { code: '3401020002', name: '第二中学', file: '第二中学.xlsx', sheet: '填报表', errors: 0, warnings: 1 },
  ],
  issues: ISSUES,
};

/** What consolidation returns. */
export const RESULT: ResultView = {
  completeness: { expected: 45, submitted: 44, ratio: 44 / 45, missing: [{ code: '3401020045', name: '第四十五小学', stage: '小学', township: '城关镇' }], unknown: ['3401029999'] },
  rates: [
    { code: 'R_DIS_ENROL', label: { zh: '残疾儿童入学率', en: 'Disabled children enrolment' }, value: 97.5, numerator: 390, denominator: 400, factor: 100, decimals: 2, target: { op: '>=', value: 96 }, status: 'met' },
    { code: 'R_PE_GOOD', label: { zh: '体质健康优良率', en: 'PE good or excellent' }, value: 35.2, numerator: 352, denominator: 1000, factor: 100, decimals: 1, target: { op: '>=', value: 40 }, status: 'not_met' },
    { code: 'R_AREA_PER_STUDENT', label: { zh: '生均教学用房面积', en: 'Teaching area per student' }, value: 5.43, numerator: 5430, denominator: 1000, factor: 1, decimals: 2, status: 'no_target' },
  ],
  dispersions: [{ code: 'CV_BOOKS_P', label: { zh: '生均图书（小学）', en: 'Books per student (primary)' }, cv: 0.334, threshold: 0.5, met: true, schoolCount: 20 }],
  equity: [
    {
      standard: 'BASIC',
      label: { zh: '基本均衡', en: 'Basic balance' },
      test: 'composite',
      stage: '小学',
      threshold: 0.65,
      composite: 0.334,
      met: true,
      schoolCount: 20,
      indicators: [{ code: 'L1', label: { zh: '生均教学及辅助用房面积', en: 'teaching area per student' }, cv: 0.334, met: null }],
      failing: [],
      verdict: '综合差异系数 0.334（标准 ≤ 0.65）：达标',
    },
    {
      standard: 'QUALITY',
      label: { zh: '优质均衡', en: 'Quality balance' },
      test: 'each',
      stage: '初中',
      threshold: 0.45,
      composite: 0.3,
      met: false,
      schoolCount: 8,
      indicators: [
        { code: 'L4', label: { zh: '生均教学及辅助用房面积', en: 'teaching area per student' }, cv: 0.21, met: true },
        { code: 'L5', label: { zh: '生均体育运动场馆面积', en: 'sports area per student' }, cv: 0.52, met: false },
      ],
      failing: [{ code: '3401020002', name: '第二中学', shortfalls: 1, lowest: 0.7, at: { file: '第二中学.xlsx', sheet: '填报表', cell: 'D40' } }],
      verdict: 'L5 差异系数超过 0.45；8 所（部）中 7 所达到底线要求：未达标',
    },
  ],
  schoolsIncluded: 42,
  schoolsExcluded: 2,
  excluded: [
    { code: '3401020001', name: '第一小学', reason: { zh: '2 个错误：校验规则未通过、不是数字', en: '2 errors: rule failed, not a number' } },
    { code: '3401020007', name: '第七小学', reason: { zh: '1 个错误：学校不在名册', en: '1 error: school not in the roster' } },
  ],
  duplicates: [{ code: '3401020002', name: '第二中学', reason: { zh: '重复报送，采用该校的另一份', en: 'sent twice; the other copy is used' } }],
  summarySheet: '全区汇总',
  copies: 0,
  notes: [],
  lockedSheets: [],
};

type Methods = Exclude<keyof HuizongService, 'kind'>;

/** A service whose every method is a spy. */
export type FakeService = { readonly kind: 'excel' | 'file' } & { [K in Methods]-?: Mock<NonNullable<HuizongService[K]>> };

/** A fake service of the given kind; any method can be replaced per test (it is wrapped in a spy too). */
export function fakeService(kind: 'excel' | 'file', overrides: Partial<Omit<HuizongService, 'kind'>> = {}): FakeService {
  const files: ImportedFile[] = [];
  const base: Partial<Omit<HuizongService, 'kind'>> = {
    createFromPreset: async () => PRESET_VIEW,
    checkDefinitions: async () => PRESET_VIEW,
    importFiles: async (picked) => [...files, ...picked.map((f) => ({ name: f.name, status: 'ok' as const, sheets: ['填报表'], issues: [] }))],
    loadPrevious: async (input) => ({ name: 'file' in input ? input.file.name : input.sheet, from: 'file' in input ? ('file' as const) : ('sheet' as const), schools: 44 }),
    clearPrevious: async () => {},
    keepSubmission: async () => {},
    returnPackages: async () => ({ file: { name: '退回修改包.zip', bytes: new Uint8Array([80, 75, 5, 6]) }, schools: 2, ...(kind === 'excel' ? { indexSheet: '退回汇总' } : {}) }),
    validate: async () => VALIDATION,
    consolidate: async () => RESULT,
    showCell: async () => null,
    ...(kind === 'file'
      ? {
          loadDefinitionsFile: async () => ({ ...PRESET_VIEW, source: 'file' as const, sourceName: 'defs.json' }),
          loadRosterFile: async (file: { name: string }) => ({ ...PRESET_VIEW, schools: 45, rosterName: file.name }),
          clearFiles: async () => {},
          removeFile: async () => {},
          download: async () => ({ name: '全区汇总.xlsx', bytes: new Uint8Array([80, 75, 3, 4]) }),
        }
      : { openSummary: async () => {}, previousSheets: async () => ['全区汇总', '上期汇总'] }),
    ...overrides,
  };
  const service: Record<string, unknown> = { kind };
  for (const [name, fn] of Object.entries(base)) if (typeof fn === 'function') service[name] = vi.fn(fn as (...args: never[]) => unknown);
  return service as FakeService;
}
