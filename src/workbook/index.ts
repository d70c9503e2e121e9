/**
 * The workbook layer: the port both adapters implement (`plan.ts`) and the pure builders that
 * turn the core's results into sheet plans. Formulas in plans start with `=`.
 */
export * from './plan';
export { SHEET_NAMES, TABLE_NAMES, MAX_SHEET_NAME, safeSheetName, safeSheetNames, quoteSheetName, sheetRef, formulaString, uniqueHeaders } from './names';
export { stageLabel, severityLabel, rateUnit, withUnit, words } from './labels';
export { indicatorFormat, decimalsFormat } from './formats';
export { buildSummaryPlan, summarySchools, SUMMARY_HEADER_ROW, type SummaryOptions } from './summary';
export { buildReportPlan, sortIssues } from './report';
export { buildSectionPlans, sectionItems, signatureLines, type SectionOptions } from './sections';
export { sheetHeading, headingTitle, cornerText, type HeadingSpec, type Merge } from './heading';
export { inclusion, inclusionNote, exclusionReason, exclusionText, type Inclusion } from './inclusion';
export { PAPER_MARGINS, MIN_READABLE_SCALE, WRAP_ALLOWANCE, columnPixels, printablePixels, readableScale, fitsAcross, wrappedLines, wrappedHeight, numberWidth } from './page';
export { buildCompletenessPlan } from './completeness';
export { buildEquityPlan, type EquityOptions } from './equity';
export { equityWords, verdictWord, stageTitle, stageVerdictLine, standardOf, type EquityWords } from './equityWords';
export { buildTemplatePlan, pickLabel, rateFormula } from './template';
export { buildRateUpdates, roundTo, type SubmissionRef } from './rates';
export { buildRateCharts, buildChartPlan, type ChartData, type ChartOptions, type ChartRanges } from './chart';
export { planToGrid, planWidth, plannedValue } from './grid';
