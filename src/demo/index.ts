/**
 * The demo district, the fixture source of every layer's tests and of the benchmarks: its schools and
 * their true values, their forms as filled in, the mistakes planted in them with the findings each
 * must give, and the .xlsx files written from them. Pure data in, plans and bytes out; no file system.
 */
export { mulberry32 } from './random';
export {
  DEMO_DISTRICT,
  DEMO_PERIOD,
  PLANTED_SHORTFALLS,
  demoDefinitions,
  generateDistrictSchools,
  generateManySchools,
  type DemoSchool,
  type KindergartenKind,
} from './schools';
export { DemoTemplateError, schoolFormPlan } from './form';
export { fullWidth, planDemoDistrict, type DemoDistrict, type DriftFile, type ExpectedMistake } from './plant';
export { buildDemoDistrict, demoDefinitionPlans } from './files';
