/**
 * Every word the pane shows, in zh-CN and en-US. Issue messages come from the core
 * (`formatIssue`); this table holds the pane's own wording.
 */
import type { Lang } from '../core/types';
import { CancelledError, PaneError, type PaneNoticeCode, type ProgressPhase } from './service';

/** How many errors, warnings and notes a count is made of. */
interface SeverityCounts {
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
}

const zh = {
  appTitle: '汇总',
  appSubtitle: '学校填报表校验与汇总',
  language: '界面语言',
  langName: { 'zh-CN': '中文', 'en-US': 'English' } as Record<Lang, string>,
  workflow: '工作步骤',
  help: '帮助',

  stepDefinitions: '指标定义',
  defsIntroExcel: '指标、校验规则、比率和学校名册保存在本工作簿的定义工作表中。',
  defsIntroFile: '使用内置模板，或打开保存定义的 .xlsx 或 .json 文件。',
  createPreset: '用内置模板创建',
  loadDefinitions: '打开定义文件…',
  definitionsFileInput: '定义文件',
  checkDefinitions: '检查定义',
  blankForm: '下载空白填报表',
  selfCheckPage: '制作学校自查页',
  selfCheckPageHint: '一个离线网页文件，自带当前的指标定义和名册。发给学校，学校报送前把填报表拖入即可看到教育局校验会指出的问题。',
  defsField: '当前定义',
  defsNone: '尚未载入定义',
  defsSource: (source: 'preset' | 'sheets' | 'file', name?: string) =>
    source === 'preset' ? '内置模板' : source === 'sheets' ? '本工作簿的定义工作表' : `文件 ${name ?? ''}`,
  defsSummary: (n: { indicators: number; rules: number; rates: number; dispersions: number; standards: number; schools: number }) =>
    `${n.indicators} 项指标、${n.rules} 条校验规则、${n.rates} 个比率${n.dispersions > 0 ? `、${n.dispersions} 个差异系数` : ''}${n.standards > 0 ? `、${n.standards} 项均衡标准` : ''}，名册 ${n.schools} 所学校`,
  defsOk: '定义检查通过。',
  defsUnreadable: '无法读取定义，请按下面的问题修改。',
  defsProblems: (e: number, w: number) => `定义中有 ${e} 个错误、${w} 个警告。`,
  defsProblemsList: '定义中的问题',
  rosterEmpty: '名册为空：无法统计未报送的学校。',
  rosterMissingFile: '尚未载入学校名册：报送情况（应报、未报送的学校）、名册外的学校、学段和乡镇分组以及差异系数都无法计算，学校也只能和所有学校相比较。请载入学校名册。',
  loadRoster: '载入学校名册',
  rosterFileInput: '学校名册文件',
  rosterLoaded: (name: string, n: number) => `学校名册：${name}，${n} 所学校`,

  stepImport: '导入学校文件',
  importIntroExcel: '选择各学校报送的文件（.xlsx、.xls、WPS 的 .et、.ods、.csv，可多选），每个文件插入为一个新工作表。',
  importIntroFile: '选择各学校报送的文件（.xlsx、.xls、WPS 的 .et、.ods、.csv，可多选）。',
  chooseFiles: '选择学校文件…',
  schoolFilesInput: '学校文件',
  clearFiles: '清空已导入的文件',
  filesList: '已导入的文件',
  noFiles: '还没有导入文件。',
  dropHint: '也可以把文件或整个文件夹拖到这里。',
  showAllFiles: (n: number) => `显示全部 ${n} 个文件`,
  foldFiles: '收起文件列表',
  fileOk: '已导入',
  fileFailed: '未导入',
  remove: '移除',
  removeFile: (name: string) => `移除 ${name}`,
  fileSheets: (sheets: readonly string[]) => `工作表：${sheets.join('、')}`,
  viaValues: '（仅导入了数值）',
  importedCount: (ok: number, failed: number) => (failed === 0 ? `已导入 ${ok} 个文件。` : `已导入 ${ok} 个文件，${failed} 个未导入。`),

  stepValidate: '校验',
  validateIntro: '逐校检查每个数值、校验规则、比率和名册。',
  validate: '开始校验',
  searchSchool: '查找学校（名称、代码或文件名）',
  searchNone: '没有找到这所学校的问题。',
  exportProblems: '导出问题清单',
  previousTitle: '与上期比较（可选）',
  previousIntro: '载入上期的全区汇总，数值比上期变化过大的会提示核实。',
  previousPickFile: '选择上期汇总文件',
  previousFileLabel: '上期全区汇总（.xlsx 或 .json）',
  previousSheetLabel: '或选用本工作簿中的工作表',
  previousSheetNone: '（不使用）',
  previousLoaded: (name: string, schools: number) => `已载入上期数据：${name}，${schools} 所学校。`,
  previousNone: '未载入上期数据，不做与上期的比较。',
  previousClear: '不再与上期比较',
  makeReturns: '生成退回修改包',
  keepShort: '改用这份',
  filesLeftOut: (names: readonly string[]) => `另有 ${names.length} 个文件未能导入，不在校验之内：${names.join('、')}。`,
  keepThis: (file: string) => `改用 ${file} 中的数据`,
  returnsIntro: '为每所有错误或警告的学校生成一个工作簿：“退回意见”列出每个问题，后附学校原表并标出问题单元格。',
  returnsMade: (n: number, file: string) => `已生成 ${n} 所学校的退回修改包：${file}。`,
  returnsIndexSheet: (sheet: string) => `如果下载没有开始（部分 Excel 不允许加载项下载文件），退回汇总已写入工作表“${sheet}”。`,
  noIssues: '没有发现问题。',
  validationSummary: (files: number, schools: number, e: number, w: number, i: number) =>
    `共 ${files} 份填报${files === schools ? '' : `（${schools} 所学校）`}，${e} 个错误，${w} 个警告，${i} 条提示。`,
  filterKind: '按问题类型筛选',
  allKinds: '全部类型',
  filteredCount: (shown: SeverityCounts, all: number) => `显示 ${shown.errors + shown.warnings + shown.infos} / ${all} 个问题：${shown.errors} 个错误，${shown.warnings} 个警告，${shown.infos} 条提示。`,
  issuesBySchool: '各校问题',
  expandAll: '全部展开',
  collapseAll: '全部收起',
  errorsCount: (n: number, of?: number) => `${of !== undefined && of !== n ? `${n} / ${of}` : n} 个错误`,
  warningsCount: (n: number, of?: number) => `${of !== undefined && of !== n ? `${n} / ${of}` : n} 个警告`,
  infoCount: (n: number, of?: number) => `${of !== undefined && of !== n ? `${n} / ${of}` : n} 条提示`,
  severityHeading: { error: '错误（必须修改）', warning: '警告（请核实）', info: '提示' } as Record<'error' | 'warning' | 'info', string>,
  noSchool: '未识别的学校',
  goToCell: (sheet: string, cell: string) => `定位到 ${sheet}!${cell}`,
  showCell: (sheet: string, cell: string) => `查看 ${sheet}!${cell}`,
  copyForSchool: '复制发给该校的文字',
  copied: (name: string) => `已复制发给 ${name} 的文字。`,
  copyFailed: '无法使用剪贴板，请手动复制下面的文字。',
  textForSchool: (name: string) => `发给 ${name} 的文字`,
  cellPreviewTitle: (sheet: string, cell: string) => `${sheet}!${cell} 单元格`,
  cellPreviewValue: (value: string) => (value === '' ? '（空白）' : `内容：${value}`),
  cellPreviewLabel: (label: string) => `指标：${label}`,
  closePreview: '关闭',

  stepConsolidate: '汇总',
  consolidateIntro: '合计各校数据，比率一律按 Σ分子 ÷ Σ分母 计算。',
  subtotals: '小计',
  groupStage: '按学段小计',
  groupTownship: '按乡镇（街道）小计',
  summaryHolds: '汇总表中写入',
  modeValues: '数值',
  modeFormulas: '公式（随学校工作表自动更新）',
  includeErrors: '有错误的学校也计入汇总',
  willExclude: (n: number) => `按当前设置，${n} 所学校因错误不计入汇总：`,
  willExcludeHint: '打开“有错误的学校也计入汇总”即可将它们计入。',
  excludedHeading: '未计入汇总的学校',
  duplicatesHeading: (n: number) => `另有 ${n} 份重复报送未采用（该校按另一份计入）`,
  writeRates: '把比率写回学校工作表',
  copySheets: (limit: number) => `附各校工作表的副本（超过 ${limit} 个文件时默认不附）`,
  consolidate: '开始汇总',

  stepResult: '结果',
  noResult: '汇总后在这里显示结果。',
  completeness: (submitted: number, expected: number, pct: string) => `已报送 ${submitted} / ${expected} 所（${pct}）`,
  completenessNoRoster: (submitted: number) => `已报送 ${submitted} 所（名册为空，无法计算报送率）`,
  missingSchools: '未报送的学校',
  noneMissing: '名册中的学校均已报送。',
  unknownSchools: '名册以外的学校代码',
  schoolsCounted: (included: number, excluded: number) => (excluded === 0 ? `${included} 所学校计入汇总。` : `${included} 所学校计入汇总，${excluded} 所未计入。`),
  ratesTitle: '全区比率与目标',
  chartLabel: (met: number, notMet: number, total: number) => `全区比率条形图：${total} 个比率，${met} 个达标，${notMet} 个未达标。`,
  chartTable: '全区比率数据',
  colRate: '比率',
  colValue: '全区数值',
  colTarget: '目标',
  colStatus: '状态',
  colCv: '差异系数',
  colThreshold: '上限',
  status: { met: '达标', not_met: '未达标', no_target: '无目标', undefined: '无法计算' } as Record<'met' | 'not_met' | 'no_target' | 'undefined', string>,
  otherRates: '其他比率',
  legendTarget: '目标值',
  dispersionTitle: '校际差异系数',
  dispersionMet: (met: boolean | null): string => (met === null ? '—' : met ? '达标' : '未达标'),
  printSetupLacking: (requirement: string) => `此版本 Excel 不支持设置打印格式（需要 ${requirement}）：各表将按 Excel 的默认方式打印，不会自动设为 A4、每页重复表头和页脚。可在“页面布局”中手动设置，或更新 Excel。`,
  lockedSheets: (names: string) => `以下学校工作表设有密码保护，未写入比率和标记：${names}。撤销这些工作表的保护后再汇总一次即可补上。`,
  undoLostBefore: (names: string) => `本次汇总后无法用撤销（Ctrl+Z）还原，可再次汇总覆盖：以下工作表设有保护，写入前须先解除，而 Excel 不能撤销解除保护。${names}`,
  undoAfter: (undo: 'whole' | 'steps' | 'lost'): string =>
    undo === 'whole' ? '按一次 Ctrl+Z 即可撤销整个汇总。' : undo === 'steps' ? '这个版本的 Excel 不能把汇总合为一步撤销：Ctrl+Z 会一步步撤销各部分。' : '本次汇总无法用撤销还原；要改动结果，再次汇总即可覆盖。',
  unfinishedBefore: '上次汇总没有写完，部分工作表第一格标有“汇总未完成”。再次汇总即可补全。',
  missingDefinitions: '还缺：定义（用内置模板创建，或打开定义文件）。',
  missingFiles: '还缺：学校文件（在第 2 步选择）。',
  notValidated: '建议先校验：汇总前看一看各校的问题。',
  stepEquity: '义务教育均衡',
  noEquity: '汇总后，这里按学段列出基本均衡、优质均衡的差异系数，以及未达到底线要求的学校。',
  noStandards: '定义中没有均衡标准（均衡标准表）。',
  equityTable: (standard: string, stage: string) => `${standard} · ${stage}`,
  equityIndicator: '指标',
  equityComposite: '综合（各项平均）',
  equityLimit: (limit: string) => `标准 ≤ ${limit}`,
  equitySchools: (n: number) => `${n} 所（部）参评`,
  equityFailing: '未达到底线要求的学校',
  equityNoneFailing: '参评学校都达到底线要求。',
  equityShort: (n: number, lowest: string | null) => `${n} 项未达底线${lowest !== null ? `，最低只达到底线的 ${lowest}` : ''}`,
  equitySheetNote: '完整的监测表和每校数值在“均衡”工作表中。',
  openSummary: '打开全区汇总表',
  download: '下载全区汇总工作簿',
  downloadName: '全区汇总.xlsx',

  phase: {
    checking: '正在检查定义…',
    reading: '正在读取工作表…',
    importing: '正在导入文件…',
    validating: '正在校验…',
    consolidating: '正在汇总…',
    writing: '正在写入工作簿…',
    building: '正在生成工作簿…',
  } as Record<ProgressPhase, string>,
  working: '处理中',
  cancel: '取消',
  cancelled: '已取消，工作簿未作改动。',
  cancelledFile: '已取消。',
  cancelledWhileWriting: '已取消。取消时正在写入工作簿：新的汇总表可能已经写入，请查看工作簿；再次汇总会整体替换它。',
  pageTitle: '汇总 Huizong — 学校填报表校验与汇总',
  notice: {
    inline_jobs: '此浏览器不允许本页在后台线程中计算（从本地文件打开时常见），校验和汇总改在页面中进行：文件很多时，计算期间页面会暂时不响应，请耐心等待。',
    storage_unavailable: '此浏览器不允许本页保存工作进度（从本地文件打开时常见）：重新载入或关闭页面后，需要重新载入定义和学校文件。',
  } as Record<PaneNoticeCode, string>,
  noticeTitle: '提示',
  offerTitle: '继续上次的工作',
  offerWhat: (o: { definitions: boolean; roster: boolean; files: number; previous: boolean }) =>
    [o.definitions ? '定义' : '', o.roster ? '名册' : '', o.files > 0 ? `${o.files} 个文件` : '', o.previous ? '上期汇总' : ''].filter((x) => x !== '').join('、'),
  offerSaved: (when: string) => `（保存于 ${when}，仅在本机）`,
  offerContinue: '继续',
  offerDiscard: '不用了，清除',
  undoRemoved: (names: readonly string[]) => (names.length === 1 ? `已移除 ${names[0]}。` : `已移除 ${names.length} 个文件。`),
  undoCleared: (n: number) => `已清空 ${n} 个文件。`,
  undo: '撤销',
  forgetSaved: '清除本机保存的工作',
  forgetSavedConfirm: '清除本机保存的定义、名册和学校文件，并重新打开空白页面？（已下载的文件不受影响）',
  leaveWarning: '还有未保存的工作，确定离开？',
  errorTitle: '出错了',
  dismiss: '关闭',
  done: '完成',

  err: {
    no_definitions: '请先创建或载入指标定义。',
    definitions_invalid: '指标定义有错误，请先修改定义中的问题。',
    no_school_files: '还没有可校验的学校文件，请先导入。',
    nothing_to_download: '请先完成汇总，再下载。',
    selfcheck_unavailable: '无法制作自查页：本页面缺少自查页的程序文件。请从完整的汇总页面（汇总.html 或单位网站上的汇总）制作，或使用 huizong self-check 命令。',
    excel_capability: (p: Record<string, string | number>) => `当前 Excel 版本不支持此功能（需要 ${p['requirement'] ?? 'ExcelApi'}）。请更新 Excel，或改用网页版汇总。`,
    worker_failed: '后台计算失败。',
    unsupported_file: (p: Record<string, string | number>) => `无法读取文件 ${p['file'] ?? ''}：只支持 .xlsx 和 .json。`,
    roster_invalid: (p: Record<string, string | number>) =>
      `“${p['file'] ?? ''}”中没有可用的学校名册（应有学校代码、学校名称、学段等列），或名册中有错误；原先载入的定义和名册保持不变。`,
    previous_invalid: (p: Record<string, string | number>) =>
      `“${p['file'] ?? ''}”中找不到上期汇总：请选择汇总写出的全区汇总工作簿（含“全区汇总”工作表）或 --json 输出。原先载入的上期数据保持不变。`,
    write_not_started: '汇总结果没有写入：写入之前查看工作簿时 Excel 报错，工作簿没有任何改动。请稍后再次汇总。',
    write_unfinished: '汇总写入中途停止：写到一半的工作表第一格标有“汇总未完成”。学校工作表中填报的内容没有改动；再次汇总即可补全。',
    cell_edit: 'Excel 拒绝了这次操作。如果正在编辑某个单元格，请先按 Enter 或 Esc 结束编辑，再试一次。',
    previous_same_period: (p: Record<string, string | number>) =>
      `“${p['file'] ?? ''}”的填报期${p['period'] ? `“${p['period']}”` : ''}与本期相同，是本期的汇总而不是上期的，未采用；请选择上一期的全区汇总。原先载入的上期数据保持不变。`,
    unknown: '发生了意外错误。',
    detail: (d: string) => `详细信息：${d}`,
  },
};

type Strings = typeof zh;

const en: Strings = {
  appTitle: 'Huizong',
  appSubtitle: 'Check and consolidate school sheets',
  language: 'Language',
  langName: { 'zh-CN': '中文', 'en-US': 'English' },
  workflow: 'Steps',
  help: 'Help (in Chinese)',

  stepDefinitions: 'Definitions',
  defsIntroExcel: "Indicators, rules, rates and the school roster are kept on this workbook's definition sheets.",
  defsIntroFile: 'Use the built-in preset, or open an .xlsx or .json file that holds the definitions.',
  createPreset: 'Create from preset',
  blankForm: 'Download the blank form',
  selfCheckPage: 'Make the self-check page for schools',
  selfCheckPageHint: 'One offline web page with the current definitions and roster inside. Send it to the schools: before sending, a school drops its form on it and sees the problems the bureau would find.',
  loadDefinitions: 'Open definitions file…',
  definitionsFileInput: 'Definitions file',
  checkDefinitions: 'Check definitions',
  defsField: 'Current definitions',
  defsNone: 'No definitions loaded yet',
  defsSource: (source, name) => (source === 'preset' ? 'built-in preset' : source === 'sheets' ? "this workbook's definition sheets" : `file ${name ?? ''}`),
  defsSummary: (n) =>
    `${n.indicators} indicators, ${n.rules} rules, ${n.rates} rates${n.dispersions > 0 ? `, ${n.dispersions} dispersions` : ''}${n.standards > 0 ? `, ${n.standards} balance standards` : ''}; ${n.schools} schools in the roster`,
  defsOk: 'The definitions are fine.',
  defsUnreadable: 'The definitions could not be read; fix the problems below.',
  defsProblems: (e, w) => `${plural(e, 'error')} and ${plural(w, 'warning')} in the definitions.`,
  defsProblemsList: 'Problems in the definitions',
  rosterEmpty: 'The roster is empty: schools that did not report cannot be listed.',
  rosterMissingFile:
    'No school roster loaded: completeness (schools expected and missing), schools outside the roster, subtotals by stage and township and the 差异系数 cannot be computed, and each school is compared with all others. Load the school roster.',
  loadRoster: 'Load the school roster',
  rosterFileInput: 'School roster file',
  rosterLoaded: (name, n) => `School roster: ${name}, ${plural(n, 'school')}`,

  stepImport: 'Import school files',
  importIntroExcel: 'Pick the files the schools sent (.xlsx, .xls, WPS .et, .ods, .csv; several at once); each becomes a new sheet.',
  importIntroFile: 'Pick the files the schools sent (.xlsx, .xls, WPS .et, .ods, .csv; several at once).',
  chooseFiles: 'Choose school files…',
  schoolFilesInput: 'School files',
  clearFiles: 'Clear imported files',
  filesList: 'Imported files',
  noFiles: 'No files imported yet.',
  fileOk: 'Imported',
  fileFailed: 'Not imported',
  remove: 'Remove',
  removeFile: (name) => `Remove ${name}`,
  dropHint: 'You can also drag files or a whole folder here.',
  showAllFiles: (n) => `Show all ${n} files`,
  foldFiles: 'Fold the file list',
  fileSheets: (sheets) => `Sheets: ${sheets.join(', ')}`,
  viaValues: '(values only)',
  importedCount: (ok, failed) => (failed === 0 ? `${plural(ok, 'file')} imported.` : `${plural(ok, 'file')} imported, ${failed} not imported.`),

  stepValidate: 'Validate',
  searchSchool: 'Find a school (name, code or file)',
  searchNone: 'No problems found for that school.',
  exportProblems: 'Export the problem list',
  validateIntro: 'Checks every value, rule, rate and the roster, school by school.',
  validate: 'Validate',
  previousTitle: 'Compare with last period (optional)',
  previousIntro: "Load last period's district summary: values that changed too much since then are queried.",
  previousPickFile: "Choose last period's summary",
  previousFileLabel: "Last period's district summary (.xlsx or .json)",
  previousSheetLabel: 'Or use a sheet of this workbook',
  previousSheetNone: '(none)',
  previousLoaded: (name, schools) => `Last period loaded: ${name}, ${plural(schools, 'school')}.`,
  previousNone: 'No last period loaded: values are not compared with it.',
  previousClear: 'Stop comparing with last period',
  makeReturns: 'Make return packages',
  keepShort: 'Use this one',
  filesLeftOut: (names) => `${plural(names.length, 'file')} could not be imported and ${names.length === 1 ? 'is' : 'are'} not in this validation: ${names.join(', ')}.`,
  keepThis: (file) => `Use the data in ${file} instead`,
  returnsIntro: 'One workbook for each school with errors or warnings: a Corrections sheet listing every problem, then the school’s own sheet with the problem cells marked.',
  returnsMade: (n, file) => `Return packages made for ${plural(n, 'school')}: ${file}.`,
  returnsIndexSheet: (sheet) => `If the download did not start (some Excel versions do not let add-ins download files), the index was written to the sheet "${sheet}".`,
  noIssues: 'No problems found.',
  validationSummary: (files, schools, e, w, i) =>
    `${plural(files, 'school sheet')}${files === schools ? '' : ` (${plural(schools, 'school')})`}: ${plural(e, 'error')}, ${plural(w, 'warning')}, ${plural(i, 'note')}.`,
  filterKind: 'Filter by kind',
  allKinds: 'All kinds',
  filteredCount: (shown, all) => `Showing ${shown.errors + shown.warnings + shown.infos} of ${plural(all, 'problem')}: ${plural(shown.errors, 'error')}, ${plural(shown.warnings, 'warning')}, ${plural(shown.infos, 'note')}.`,
  issuesBySchool: 'Problems by school',
  expandAll: 'Expand all',
  collapseAll: 'Collapse all',
  errorsCount: (n, of) => (of !== undefined && of !== n ? `${n} of ${plural(of, 'error')}` : plural(n, 'error')),
  warningsCount: (n, of) => (of !== undefined && of !== n ? `${n} of ${plural(of, 'warning')}` : plural(n, 'warning')),
  infoCount: (n, of) => (of !== undefined && of !== n ? `${n} of ${plural(of, 'note')}` : plural(n, 'note')),
  severityHeading: { error: 'Errors (must be fixed)', warning: 'Warnings (please check)', info: 'Notes' },
  noSchool: 'School not identified',
  goToCell: (sheet, cell) => `Go to ${sheet}!${cell}`,
  showCell: (sheet, cell) => `Show ${sheet}!${cell}`,
  copyForSchool: 'Copy text for this school',
  copied: (name) => `Copied the text for ${name}.`,
  copyFailed: 'The clipboard is not available; copy the text below.',
  textForSchool: (name) => `Text for ${name}`,
  cellPreviewTitle: (sheet, cell) => `Cell ${sheet}!${cell}`,
  cellPreviewValue: (value) => (value === '' ? '(blank)' : `Content: ${value}`),
  cellPreviewLabel: (label) => `Indicator: ${label}`,
  closePreview: 'Close',

  stepConsolidate: 'Consolidate',
  consolidateIntro: 'Adds the schools up; every rate is Σ numerators ÷ Σ denominators.',
  subtotals: 'Subtotals',
  groupStage: 'Subtotal by stage',
  groupTownship: 'Subtotal by township',
  summaryHolds: 'The summary holds',
  modeValues: 'Values',
  modeFormulas: 'Live formulas (follow the school sheets)',
  includeErrors: 'Also count schools with errors in the totals',
  willExclude: (n) => `As set, ${plural(n, 'school')} will be left out of the totals for errors: `,
  willExcludeHint: 'Turn on “Also count schools with errors in the totals” to count them.',
  excludedHeading: 'Left out of the totals',
  duplicatesHeading: (n) => `${n === 1 ? 'One second copy' : `${n} second copies`} not used (the school is counted from its other copy)`,
  writeRates: 'Write rates back into the school sheets',
  copySheets: (limit) => `Copy the school sheets in (left out by default beyond ${limit} files)`,
  consolidate: 'Consolidate',

  stepResult: 'Result',
  noResult: 'The result shows here after consolidating.',
  completeness: (submitted, expected, pct) => `${submitted} of ${expected} schools reported (${pct})`,
  completenessNoRoster: (submitted) => `${plural(submitted, 'school')} reported (the roster is empty, so no rate)`,
  missingSchools: 'Schools that did not report',
  noneMissing: 'Every school in the roster has reported.',
  unknownSchools: 'Codes not in the roster',
  schoolsCounted: (included, excluded) =>
    excluded === 0 ? `${plural(included, 'school')} counted in the totals.` : `${plural(included, 'school')} counted in the totals, ${excluded} left out.`,
  ratesTitle: 'District rates against targets',
  chartLabel: (met, notMet, total) => `Bar chart of district rates: ${plural(total, 'rate')}, ${met} met, ${notMet} not met.`,
  chartTable: 'District rate data',
  colRate: 'Rate',
  colValue: 'District',
  colTarget: 'Target',
  colStatus: 'Status',
  colCv: 'CV',
  colThreshold: 'At most',
  status: { met: 'Met', not_met: 'Not met', no_target: 'No target', undefined: 'Undefined' },
  otherRates: 'Other rates',
  legendTarget: 'Target',
  dispersionTitle: 'Between-school dispersion (CV)',
  dispersionMet: (met) => (met === null ? '—' : met ? 'Met' : 'Not met'),
  printSetupLacking: (requirement) => `This version of Excel cannot set how the sheets print (it needs ${requirement}): they print with Excel's defaults, without A4, the header repeated on every page or the footer. Set them under Page Layout, or update Excel.`,
  lockedSheets: (names) => `These school sheets are protected with a password, so their rates and marks were not written: ${names}. Unprotect them and consolidate again to add them.`,
  undoLostBefore: (names) => `This consolidation cannot be undone with Ctrl+Z afterwards (consolidating again replaces it): these sheets are protected and must be unprotected first, which Excel cannot undo. ${names}`,
  undoAfter: (undo) =>
    undo === 'whole' ? 'One Ctrl+Z undoes the whole consolidation.' : undo === 'steps' ? 'This version of Excel cannot undo a consolidation in one step: Ctrl+Z undoes its parts one by one.' : 'This consolidation cannot be undone; consolidate again to replace it.',
  unfinishedBefore: 'The last consolidation did not finish writing; some sheets say “unfinished” in their first cell. Consolidate again to complete them.',
  missingDefinitions: 'Still missing: the definitions (create them from the preset or open a definitions file).',
  missingFiles: 'Still missing: the school files (choose them in step 2).',
  notValidated: 'Validate first: look at the schools’ problems before consolidating.',
  stepEquity: 'Compulsory-education balance',
  noEquity: 'After consolidating, this lists the basic and quality balance CVs per stage, and the schools under their floors.',
  noStandards: 'The definitions hold no balance standard (Standards sheet).',
  equityTable: (standard, stage) => `${standard} · ${stage}`,
  equityIndicator: 'Indicator',
  equityComposite: 'Composite (mean)',
  equityLimit: (limit) => `limit ≤ ${limit}`,
  equitySchools: (n) => `${n} schools (or parts) assessed`,
  equityFailing: 'Schools under their floors',
  equityNoneFailing: 'Every school assessed meets its floors.',
  equityShort: (n, lowest) => `${n} floor${n === 1 ? '' : 's'} not met${lowest !== null ? `; the lowest at ${lowest} of its floor` : ''}`,
  equitySheetNote: 'The full monitoring tables and every school’s values are on the Balance sheet.',
  openSummary: 'Go to the district summary',
  download: 'Download the district workbook',
  downloadName: 'District summary.xlsx',

  phase: {
    checking: 'Checking the definitions…',
    reading: 'Reading the sheets…',
    importing: 'Importing files…',
    validating: 'Validating…',
    consolidating: 'Consolidating…',
    writing: 'Writing to the workbook…',
    building: 'Building the workbook…',
  },
  working: 'Working',
  cancel: 'Cancel',
  cancelled: 'Cancelled; the workbook was not changed.',
  cancelledFile: 'Cancelled.',
  cancelledWhileWriting: 'Cancelled. The workbook was being written when you cancelled: the new summary may already be there, so check the workbook; consolidating again replaces it whole.',
  pageTitle: 'Huizong — check and consolidate school sheets',
  notice: {
    inline_jobs: 'This browser does not let the page compute in a background thread (common when it is opened from a file), so validation and consolidation run in the page itself: with many files the page stops responding while it works; please wait.',
    storage_unavailable: 'This browser does not let the page keep your work (common when it is opened from a file): after a reload or closing the page, load the definitions and school files again.',
  },
  noticeTitle: 'Note',
  offerTitle: 'Continue where you left off',
  offerWhat: (o) =>
    [o.definitions ? 'definitions' : '', o.roster ? 'roster' : '', o.files > 0 ? plural(o.files, 'file') : '', o.previous ? 'last period' : ''].filter((x) => x !== '').join(', '),
  offerSaved: (when) => ` (saved ${when}, on this computer only)`,
  offerContinue: 'Continue',
  offerDiscard: 'No, clear it',
  undoRemoved: (names) => (names.length === 1 ? `Removed ${names[0]}.` : `Removed ${plural(names.length, 'file')}.`),
  undoCleared: (n) => `Cleared ${plural(n, 'file')}.`,
  undo: 'Undo',
  forgetSaved: 'Clear the work kept on this computer',
  forgetSavedConfirm: 'Clear the definitions, roster and school files kept on this computer and open a blank page? (Files you downloaded are not affected.)',
  leaveWarning: 'There is unsaved work. Leave anyway?',
  errorTitle: 'Something went wrong',
  dismiss: 'Dismiss',
  done: 'Done',

  err: {
    no_definitions: 'Create or load the definitions first.',
    definitions_invalid: 'The definitions have errors; fix them first.',
    no_school_files: 'There are no school files to validate yet; import them first.',
    nothing_to_download: 'Consolidate first, then download.',
    selfcheck_unavailable: "The self-check page cannot be made here: this page lacks its program file. Make it from the full Huizong page (汇总.html or your bureau's site), or with the huizong self-check command.",
    excel_capability: (p) => `This version of Excel cannot do this (it needs ${p['requirement'] ?? 'ExcelApi'}). Update Excel, or use the standalone page.`,
    worker_failed: 'The background computation failed.',
    unsupported_file: (p) => `Cannot read ${p['file'] ?? 'the file'}: only .xlsx and .json are supported.`,
    roster_invalid: (p) =>
      `"${p['file'] ?? ''}" holds no usable school roster (it needs columns such as school code, name and stage), or the roster has errors; the definitions and roster loaded before are kept.`,
    previous_invalid: (p) =>
      `"${p['file'] ?? ''}" holds no earlier summary: choose a district workbook Huizong wrote (with its "District summary" or 全区汇总 sheet) or its --json output. Any earlier period loaded before is kept.`,
    write_not_started: 'The results were not written: Excel reported an error while the workbook was looked over before writing, and nothing in it was changed. Consolidate again in a moment.',
    write_unfinished: 'Writing the results stopped part-way: the sheets it had begun say “unfinished” in their first cell. Nothing the schools entered was changed; consolidate again to complete them.',
    cell_edit: 'Excel refused the operation. If a cell is being edited, press Enter or Esc to finish, then try again.',
    previous_same_period: (p) =>
      `"${p['file'] ?? ''}" is for ${p['period'] ? `"${p['period']}", ` : ''}this same period: it is this period's summary, not last period's, and was not used. Choose last period's district summary. Any earlier period loaded before is kept.`,
    unknown: 'Something unexpected went wrong.',
    detail: (d) => `Details: ${d}`,
  },
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The whole table, by language. */
export const STRINGS: Record<Lang, Strings> = { 'zh-CN': zh, 'en-US': en };

/** The pane's language for an Office display language (or a browser's): English for `en…`, Chinese otherwise. */
export function detectLang(displayLanguage: string | undefined | null): Lang {
  return displayLanguage?.toLowerCase().startsWith('en') ? 'en-US' : 'zh-CN';
}

/** A number as the pane prints it. */
export function formatNumber(value: number, decimals: number, lang: Lang): string {
  return value.toLocaleString(lang, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** A ratio 0–1 as a percentage with one decimal. */
export function formatPercent(ratio: number, lang: Lang): string {
  return `${formatNumber(ratio * 100, 1, lang)}%`;
}

/** The code an Office.js error carries, if any. */
export function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

/**
 * The codes Excel refuses a batch with while the clerk is editing a cell ("Delay execution while cell is
 * being edited"), where it cannot be told to wait: the one list the pane and its Excel service go by.
 */
const CELL_EDIT_CODES: ReadonlySet<string> = new Set(['InvalidOperation', 'InvalidOperationInCellEditMode']);

/** True when Excel refused the call because a cell is being edited. */
export function isCellEditRefusal(err: unknown): boolean {
  const code = errorCode(err);
  return code !== undefined && CELL_EDIT_CODES.has(code);
}

/** What went wrong, in the clerk's language: a main sentence and, for unexpected errors, the detail. */
export function errorText(err: unknown, lang: Lang): { message: string; detail?: string } {
  const s = STRINGS[lang].err;
  if (err instanceof PaneError) {
    const params = err.params as Record<string, string | number>;
    let message: string;
    switch (err.code) {
      case 'excel_capability':
        message = s.excel_capability(params);
        break;
      case 'unsupported_file':
        message = s.unsupported_file(params);
        break;
      case 'previous_invalid':
        message = s.previous_invalid(params);
        break;
      case 'previous_same_period':
        message = s.previous_same_period(params);
        break;
      case 'roster_invalid':
        message = s.roster_invalid(params);
        break;
      default:
        message = s[err.code];
    }
    return err.message !== err.code ? { message, detail: s.detail(err.message) } : { message };
  }
  if (isCellEditRefusal(err)) return { message: s.cell_edit, detail: s.detail(err instanceof Error ? err.message : String(errorCode(err))) };
  if (err instanceof Error && err.name === 'ExcelCapabilityError') {
    return { message: s.excel_capability({ requirement: (err as Error & { requirement?: string }).requirement ?? err.message }) };
  }
  const detail = err instanceof Error ? err.message : String(err);
  return { message: s.unknown, detail: s.detail(detail) };
}

/** True when the error is the clerk's own cancellation. */
export function isCancelled(err: unknown): boolean {
  return err instanceof CancelledError || (err instanceof Error && err.name === 'AbortError');
}

export type { Strings };
