/**
 * The job pipeline, between the core and the faces: school books read, validated, consolidated, and
 * every sheet and cell planned for writing. The command, the pane's worker and the Excel service
 * call this and nothing else of the job; each keeps only its own input, output and host.
 */
export { readBook, failedBook, type BookRead, type ReadDefinitions } from './read';
export { runJob, validateBooks, consolidateValidated, severityCounts, DEFAULT_GROUP_BY, type GroupKey, type JobChoices, type JobResult, type Validated } from './run';
export { COPIES_DEFAULT_LIMIT, readTimeLimitMs } from './limits';
export { planOutputs, withNotes, type CopyPlan, type JobOutputs, type OutputChoices } from './plan';
export { previousFromJson, previousFromSheets, previousFromSummary, findSummarySheet, isSamePeriod, readPrevious, summaryPeriod, type PreviousSource as PreviousInputs, type PreviousValues } from './previous';
export { planReturns, returnIndexPlan, safeFileName, type ReturnPackage, type ReturnPlan, type ReturnIndexRow } from './returns';
export { withRoster, type RosterSource } from './roster';
export { STAMP_SHEET, contentFingerprint, isSelfCheckIssue, isStampSheet, laterRules, readStamp, selfCheck, selfCheckState, selfCheckWords, stampState, stampRows, withoutStamp, type SelfCheckResult, type SelfCheckStamp, type SelfCheckState } from './selfCheck';
export { SELF_CHECK_TEMPLATE, PAGE_DATA_ID, composePage, definitionsOfPage, scriptJson, selfCheckPageData, withPageData, type CarriedPage, type CarriedScripts, type SelfCheckPageData } from './selfCheckPage';
