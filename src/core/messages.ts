/**
 * Messages for issues, resolved at the edge from the stable code and its parameters, in zh-CN or
 * en-US. Every message is located: school, file (when no school), sheet and cell come first
 * (`学校 0012345678 · 表 填报表 · D14：…`), then what is wrong in the clerk's words.
 *
 * Each code's parameters are declared in `IssueParamsByCode` (core/issues.ts): a message reads them
 * through `Args<C>`, which names only its own code's parameters, so a message cannot read a
 * parameter its code lacks. `label` / `label_en` (the subject's name) are used where given; codes
 * (`rule`, `rate`, `issue.subject`) never are.
 */
import type { Issue, IssueCode, IssueParamsByCode, Lang } from './types';

/** The kinds of error that kept a school out, in words and brackets: `（校验规则未通过、公式错误）`. */
function excludedKinds(a: Args<'school.excluded'>, lang: Lang): string {
  const kinds = a.get('kinds').split(',').filter((k) => k !== '');
  if (kinds.length === 0) return lang === 'zh-CN' ? '，' : '';
  const words = kinds.map((k) => issueKindLabel(k as IssueCode, lang));
  return lang === 'zh-CN' ? `（${words.join('、')}），` : ` (${words.join(', ')})`;
}

/** The name of one of code C's parameters. */
type ParamName<C extends IssueCode> = keyof IssueParamsByCode[C] & string;

/** A parameter's value, whichever code it belongs to. */
type ParamValue = string | number | boolean | null | undefined;

/** The codes that have the parameter K. */
type CodesWith<K extends string> = { [C in IssueCode]: K extends keyof IssueParamsByCode[C] ? C : never }[IssueCode];

/** Reads the parameters of an issue of code C as display text; numbers are shown with at most 4 decimals. */
class Args<C extends IssueCode> {
  constructor(
    private readonly issue: Issue<C>,
    readonly zh: boolean,
  ) {}

  private raw(name: string): ParamValue {
    return (this.issue.params as Readonly<Record<string, ParamValue>>)[name];
  }

  /** The first of `names` that is present, as text; `''` when none is. */
  get(...names: ParamName<C>[]): string {
    for (const n of names) {
      const v = this.raw(n);
      if (v === undefined || v === null || v === '') continue;
      return show(v);
    }
    return '';
  }

  has(...names: ParamName<C>[]): boolean {
    return this.get(...names) !== '';
  }

  /**
   * The subject as the clerk and the school know it: its label in this language. Indicator and rule
   * codes are the definitions' internal names and stay in the issue's `subject` (and `--json`), never
   * in the words; without a label the message names no subject.
   */
  subject(this: Args<CodesWith<'label'>>): string {
    return this.get(this.zh ? 'label' : 'label_en', 'label');
  }

  /** Whether the value is above or below what peers report, when both are numbers. */
  direction(this: Args<'outlier.robust_z'>): 'above' | 'below' | null {
    const { value: v, expected: m } = this.issue.params;
    if (typeof v !== 'number' || typeof m !== 'number' || v === m) return null;
    return v > m ? 'above' : 'below';
  }

  /** The original text as typed, from params or the issue. */
  original(): string {
    const typed = this.raw('original');
    return typeof typed === 'string' && typed !== '' ? typed : (this.issue.original ?? '');
  }

  /**
   * The file the issue is about as its message names it: `文件“a.xlsx”` / `The file "a.xlsx"`, or
   * `该文件` / `This file` when the issue's location already names it, so the name is said once.
   */
  theFile(this: Args<CodesWith<'file'>>): string {
    const named = this.issue.file !== undefined && this.issue.file !== '' && !this.issue.school;
    if (named || !this.has('file')) return this.zh ? '该文件' : 'This file';
    return this.zh ? `文件${this.q(this.get('file'))}` : `The file ${this.q(this.get('file'))}`;
  }

  /** `“x”` in Chinese, `"x"` in English; `''` for empty text. */
  q(text: string): string {
    if (text === '') return '';
    return this.zh ? `“${text}”` : `"${text}"`;
  }
}

function show(v: string | number | boolean): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(4)));
  return String(v);
}

const OWNERSHIP_WORDS = { public: { zh: '公办', en: 'public' }, private: { zh: '民办', en: 'private' } } as const;
const AREA_WORDS = { urban: { zh: '城区', en: 'urban' }, rural: { zh: '农村', en: 'rural' } } as const;

/** The peers an outlier is compared with: `同类学校（农村·公办·小学）`. */
function peersZh(a: Args<'outlier.robust_z'>): string {
  const kind = [AREA_WORDS[a.get('area') as keyof typeof AREA_WORDS]?.zh ?? '', OWNERSHIP_WORDS[a.get('ownership') as keyof typeof OWNERSHIP_WORDS]?.zh ?? '', a.get('stage')].filter((x) => x !== '');
  return kind.length > 0 ? `同类学校（${kind.join('·')}）` : '其他学校';
}

/** The peers in English: `other rural public 小学 schools`. */
function peersEn(a: Args<'outlier.robust_z'>): string {
  const kind = [AREA_WORDS[a.get('area') as keyof typeof AREA_WORDS]?.en ?? '', OWNERSHIP_WORDS[a.get('ownership') as keyof typeof OWNERSHIP_WORDS]?.en ?? '', a.get('stage')].filter((x) => x !== '');
  return kind.length > 0 ? `other ${kind.join(' ')} schools` : 'other schools';
}

/** Joins the non-empty parts. */
const cat = (...parts: string[]): string => parts.filter((p) => p !== '').join('');

/** What a definition cell should have held (def.bad_value's `expected`). */
const EXPECTED: Readonly<Record<string, { zh: string; en: string }>> = {
  number: { zh: '一个数', en: 'a number' },
  integer: { zh: '一个整数', en: 'a whole number' },
  non_negative: { zh: '不小于 0 的数', en: 'a number not below 0' },
  positive: { zh: '大于 0 的数', en: 'a number above 0' },
  text: { zh: '文字', en: 'text' },
  code: { zh: '以字母、汉字或 _ 开头的代码', en: 'a code starting with a letter, a Chinese character or _' },
  type: { zh: '整数、小数、百分比、比例、文本或代码', en: 'integer, decimal, percent, fraction, text or code' },
  aggregation: { zh: '求和、平均、最小、最大或不汇总', en: 'sum, mean, min, max or none' },
  severity: { zh: '错误或警告', en: 'error or warning' },
  missing: { zh: '任一缺失跳过、全部缺失跳过或缺失按0', en: 'skip if any missing, skip if all missing, or missing as 0' },
  boolean: { zh: '是或否', en: 'yes or no' },
  target: { zh: '比较符加数，如 ≥96', en: 'a comparison and a number, such as >=96' },
  layout: { zh: 'form（表单）或 table（表格）', en: 'form or table' },
  min_max: { zh: '不大于最大值的最小值', en: 'a minimum not above the maximum' },
  expression: { zh: '一个表达式', en: 'an expression' },
  stage: { zh: '学段', en: 'a stage' },
  object: { zh: '一个对象', en: 'an object' },
  array: { zh: '一个列表', en: 'a list' },
  lang: { zh: '中文或英文标签', en: 'a Chinese or English label' },
  equity_test: { zh: '综合差异系数或逐项差异系数', en: 'composite or each' },
  same_standard: { zh: '与该标准第一行相同的值', en: "the value on the standard's first row" },
  indicator_code: { zh: '一个指标代码', en: 'an indicator code' },
  ownership: { zh: '公办或民办', en: 'public or private' },
  area: { zh: '城区或农村', en: 'urban or rural' },
};

const COERCIONS: Readonly<Record<string, { zh: string; en: string }>> = {
  fullwidth: { zh: '全角字符', en: 'full-width characters' },
  thousands: { zh: '千分位', en: 'thousands separators' },
  percent_sign: { zh: '百分号', en: 'a percent sign' },
  wan_unit: { zh: '“万”单位', en: 'the unit 万' },
  unit_stripped: { zh: '单位文字', en: 'a unit' },
  spaces: { zh: '空格', en: 'spaces' },
  dash_as_zero: { zh: '“—”按 0', en: 'a dash read as 0' },
  none_as_zero: { zh: '“无”按 0', en: '无 read as 0' },
  boolean: { zh: '是/否按 1/0', en: 'yes/no read as 1/0' },
  text_number: { zh: '文本格式的数字', en: 'a number stored as text' },
  number_as_code: { zh: '数字格式的代码', en: 'a code stored as a number' },
};

function coercionList(a: Args<'value.coerced'>): string {
  const raw = a.get('coercions');
  if (raw === '') return '';
  const names = raw.split(/[,，、\s]+/).filter(Boolean);
  return names.map((n) => COERCIONS[n]?.[a.zh ? 'zh' : 'en'] ?? n).join(a.zh ? '、' : ', ');
}

/** One code's kind (for filters and counts) and its message in each language, reading only that code's parameters. */
interface Entry<C extends IssueCode> {
  readonly kind: { readonly zh: string; readonly en: string };
  readonly zh: (a: Args<C>) => string;
  readonly en: (a: Args<C>) => string;
}

function ruleText(a: Args<'rule.failed'>, zh: boolean): string {
  const own = a.get(zh ? 'message_zh' : 'message_en');
  // The sides as a school reads them: indicator labels, not codes.
  const lhs = a.get(zh ? 'lhs_zh' : 'lhs_en', 'lhs');
  const rhs = a.get(zh ? 'rhs_zh' : 'rhs_en', 'rhs');
  const op = a.get('op');
  const lv = a.get('lhsValue');
  const rv = a.get('rhsValue');
  const values = lhs && rhs && (lv || rv) ? (zh ? `${lhs} = ${lv || '?'}，${rhs} = ${rv || '?'}` : `${lhs} = ${lv || '?'}, ${rhs} = ${rv || '?'}`) : '';
  const check = lhs && op && rhs ? `${lhs} ${op} ${rhs}` : '';
  if (zh) {
    const head = own || (check ? `未满足 ${check}` : '校验规则未通过');
    return cat(head, values ? `（${values}）` : '');
  }
  const head = own || (check ? `${check} does not hold` : 'A validation rule failed');
  return cat(head, values ? ` (${values})` : '');
}

/** What `file.unreadable`'s `why` says, after the file's name: what happened and what to do. */
const UNREADABLE: Readonly<Record<string, { readonly zh: string; readonly en: string }>> = {
  not_zip: { zh: '：它不是 Excel 工作簿（.xlsx），请让学校用 Excel 或 WPS 另存为 .xlsx 后重新发送', en: ': it is not an Excel workbook (.xlsx); ask the school to save it as .xlsx in Excel or WPS and resend it' },
  corrupt: { zh: '：文件已损坏（压缩包数据不完整），请让学校重新保存后发送', en: ': the file is damaged (its zip data is incomplete); ask the school to save it again and resend it' },
  crc: { zh: '：文件已损坏（校验和不符，数据在传输中出错），请让学校重新发送', en: ': the file is damaged (a checksum does not match: the data changed in transit); ask the school to send it again' },
  size: { zh: '：文件已损坏（内容长度与记录不符），请让学校重新保存后发送', en: ': the file is damaged (a part is not the length the file records); ask the school to save it again and resend it' },
  malformed: { zh: '：工作簿内部结构有误，请让学校用 Excel 打开后另存为 .xlsx 再发送', en: ': the workbook is malformed inside; ask the school to open it in Excel, save it as .xlsx and resend it' },
  no_workbook: { zh: '：压缩包里没有 Excel 工作簿，请让学校另存为 .xlsx 后重新发送', en: ': the zip archive holds no Excel workbook; ask the school to save it as .xlsx and resend it' },
  name_encoding: { zh: '：文件名的编码无法识别（常见于在 Windows 上压缩、在别处解压的文件），请把文件重命名后再试', en: ': its name is not in a known encoding (common for a Windows zip unpacked elsewhere); rename the file and try again' },
  missing: { zh: '：文件不存在（可能在读取前被移走或删除了）', en: ': it does not exist (moved or deleted before it was read?)' },
  no_read_permission: { zh: '：没有读取权限，请检查文件的权限设置', en: ': no permission to read it; check its permissions' },
  folder: { zh: '：这是一个目录', en: ': it is a folder' },
  link_loop: { zh: '：它是一个循环的快捷方式（符号链接），指不到任何文件', en: ': it is a link that loops back on itself and leads to no file' },
  not_a_file: { zh: '：它不是普通文件（可能是设备或管道的链接），已跳过', en: ': it is not a regular file (a link to a device or a pipe?) and was skipped' },
  damaged: { zh: '：文件已损坏，请让学校在 Excel 或 WPS 中打开、重新保存后发送', en: ': the file is damaged; ask the school to open it in Excel or WPS, save it again and resend it' },
  html: { zh: '：这是一个网页（HTML）文件，其中没有可读的表格，不是工作簿；请让学校另存为 .xlsx 后重新发送', en: ': it is a web page (HTML) with no table that can be read, not a workbook; ask the school to save it as .xlsx and resend it' },
  crashed: { zh: '：文件已损坏，读取时出错，请让学校在 Excel 或 WPS 中打开、重新保存后发送', en: ': the file is damaged and reading it failed; ask the school to open it in Excel or WPS, save it again and resend it' },
  timeout: { zh: '：读取超时，文件可能已损坏，已跳过；请让学校在 Excel 或 WPS 中打开、重新保存后发送', en: ': reading it took too long (the file may be damaged) and it was skipped; ask the school to open it in Excel or WPS, save it again and resend it' },
  memory: { zh: '：读取它所需的内存超出了限制，文件可能已损坏，已跳过；请让学校在 Excel 或 WPS 中打开、重新保存后发送', en: ': reading it needed more memory than allowed (the file may be damaged) and it was skipped; ask the school to open it in Excel or WPS, save it again and resend it' },
  xml: { zh: '：这是一个 XML 文件，不是工作簿，请让学校另存为 .xlsx 后重新发送', en: ': it is an XML file, not a workbook; ask the school to save it as .xlsx and resend it' },
  text: { zh: '：它不是工作簿，而是一段纯文本，请让学校重新发送表格文件（.xlsx）', en: ': it is not a workbook but plain text; ask the school to send the spreadsheet (.xlsx) again' },
  missing_strings: {
    zh: '：文件已损坏，单元格里的文字所在的部分（共享字符串表）缺失，文字都会成为空白；请让学校用 Excel 或 WPS 重新保存后发送',
    en: ": the file is damaged: the part holding its cells' texts (the shared strings) is missing, so every text would read as blank; ask the school to save it again in Excel or WPS and resend it",
  },
};

const MESSAGES: { readonly [C in IssueCode]: Entry<C> } = {
  'def.missing_sheet': {
    kind: { zh: '缺少定义表', en: 'Missing definition sheet' },
    zh: (a) => `缺少定义工作表${a.q(a.get('sheet'))}`,
    en: (a) => cat('The definition sheet', a.has('sheet') ? ` ${a.q(a.get('sheet'))}` : '', ' is missing'),
  },
  'def.missing_column': {
    kind: { zh: '缺少列', en: 'Missing column' },
    zh: (a) => `表头中找不到${a.q(a.get('column'))}列`,
    en: (a) => cat('No', a.has('column') ? ` ${a.q(a.get('column'))}` : '', ' column in the header row'),
  },
  'def.bad_value': {
    kind: { zh: '定义值有误', en: 'Bad definition value' },
    zh: (a) => {
      const exp = a.get('expected');
      const want = EXPECTED[exp]?.zh ?? exp;
      return cat(a.has('column') ? `${a.q(a.get('column'))}列` : '', a.has('value') ? `的值${a.q(a.get('value'))}` : '的值', '无法识别', want ? `，应为${want}` : '');
    },
    en: (a) => {
      const exp = a.get('expected');
      const want = EXPECTED[exp]?.en ?? exp;
      return cat(a.has('value') ? a.q(a.get('value')) : 'The value', a.has('column') ? ` in the column ${a.q(a.get('column'))}` : '', ' is not valid', want ? `: expected ${want}` : '');
    },
  },
  'def.duplicate_code': {
    kind: { zh: '代码重复', en: 'Duplicate code' },
    zh: (a) => cat(`代码${a.q(a.get('code'))}重复`, a.has('first') ? `，已在 ${a.get('first')} 定义` : ''),
    en: (a) => cat(`The code ${a.q(a.get('code'))} is used twice`, a.has('first') ? `; first defined at ${a.get('first')}` : ''),
  },
  'def.unknown_code': {
    kind: { zh: '未知代码', en: 'Unknown code' },
    zh: (a) => cat(a.has('expression') ? `表达式${a.q(a.get('expression'))}中的` : '', `代码${a.q(a.get('code'))}未定义`),
    en: (a) => cat(`The code ${a.q(a.get('code'))} is not defined`, a.has('expression') ? ` (in ${a.q(a.get('expression'))})` : ''),
  },
  'def.bad_operator': {
    kind: { zh: '运算符有误', en: 'Bad operator' },
    zh: (a) => `运算符${a.q(a.get('operator'))}无法识别，应为 =、≠、<、≤、>、≥ 之一`,
    en: (a) => `The operator ${a.q(a.get('operator'))} is not valid: use one of ==, !=, <, <=, >, >=`,
  },
  'def.bad_expression': {
    kind: { zh: '表达式有误', en: 'Bad expression' },
    zh: (a) =>
      cat(`表达式${a.q(a.get('expression'))}有误`, a.has('offset') ? `（第 ${Number(a.get('offset')) + 1} 个字符处）` : '', a.has('message_zh') ? `：${a.get('message_zh')}` : ''),
    en: (a) =>
      cat(`The expression ${a.q(a.get('expression'))} cannot be read`, a.has('offset') ? ` at character ${Number(a.get('offset')) + 1}` : '', a.has('message_en') ? `: ${a.get('message_en')}` : ''),
  },
  'def.cycle': {
    kind: { zh: '循环引用', en: 'Circular reference' },
    zh: (a) => cat('定义之间存在循环引用', a.has('path') ? `：${a.get('path')}` : ''),
    en: (a) => cat('The definitions refer to each other in a circle', a.has('path') ? `: ${a.get('path')}` : ''),
  },
  'def.bad_stage': {
    kind: { zh: '学段有误', en: 'Unknown stage' },
    zh: (a) => `学段${a.q(a.get('stage'))}无法识别，应为幼儿园、小学、初中、九年一贯制、完全中学、十二年一贯制、高中、职高或特教`,
    en: (a) => `The stage ${a.q(a.get('stage'))} is not known: use 幼儿园, 小学, 初中, 九年一贯制, 完全中学, 十二年一贯制, 高中, 职高 or 特教`,
  },
  'def.duplicate_school': {
    kind: { zh: '名册学校重复', en: 'Duplicate school in roster' },
    zh: (a) => cat(`学校代码${a.q(a.get('code'))}在名册中重复`, a.has('first') ? `，已在 ${a.get('first')} 出现` : ''),
    en: (a) => cat(`The school code ${a.q(a.get('code'))} appears twice in the roster`, a.has('first') ? `; first at ${a.get('first')}` : ''),
  },
  'def.empty': {
    kind: { zh: '定义为空', en: 'Empty definitions' },
    zh: (a) => `${a.q(a.get('sheet')) || '该'}表中没有任何条目（只有表头），据此什么也检查不了；请确认选对了文件`,
    en: (a) => `${a.has('sheet') ? `The ${a.q(a.get('sheet'))} sheet` : 'The sheet'} holds no entries (only its headers), so nothing can be checked against it; check that this is the right file`,
  },
  'sheet.not_found': {
    kind: { zh: '找不到工作表', en: 'Sheet not found' },
    zh: (a) => (a.has('sheet') ? `找不到工作表${a.q(a.get('sheet'))}，也没有其他工作表像填报表` : '找不到填报表工作表'),
    en: (a) => (a.has('sheet') ? `No sheet named ${a.q(a.get('sheet'))}, and no other sheet looks like the form` : 'No sheet looks like the school form'),
  },
  'sheet.header_not_found': {
    kind: { zh: '找不到表头', en: 'Header row not found' },
    zh: (a) => cat('找不到指标表的表头行', a.has('headers') ? `（应含${a.get('headers')}）` : ''),
    en: (a) => cat("The indicator table's header row was not found", a.has('headers') ? ` (expected ${a.get('headers')})` : ''),
  },
  'sheet.indicator_not_found': {
    kind: { zh: '找不到指标', en: 'Indicator not found' },
    zh: (a) => `表中找不到指标${a.q(a.subject() || a.get('code'))}的行（按代码和名称都未找到）`,
    en: (a) => `No row for the indicator ${a.q(a.subject() || a.get('code'))} (looked for its code and its name)`,
  },
  'sheet.school_code_missing': {
    kind: { zh: '缺少学校代码', en: 'School code missing' },
    zh: (a) => cat('没有填写学校代码', a.has('labels') ? `（应在${a.get('labels')}旁）` : ''),
    en: (a) => cat('The school code is missing', a.has('labels') ? ` (expected next to ${a.get('labels')})` : ''),
  },
  'sheet.hidden_form': {
    kind: { zh: '隐藏的旧表', en: 'Hidden old sheet' },
    zh: (a) => `隐藏的工作表${a.q(a.get('sheet'))}也像填报表，已采用可见的${a.has('used') ? a.q(a.get('used')) : '工作表'}；如果采用错了，请让学校删除旧表后重新发送`,
    en: (a) => `The hidden sheet ${a.q(a.get('sheet'))} also looks like the form; the visible ${a.has('used') ? a.q(a.get('used')) : 'sheet'} was used. If that is wrong, ask the school to delete the old sheet and send the file again`,
  },
  'file.unreadable': {
    kind: { zh: '文件无法读取', en: 'Unreadable file' },
    zh: (a) => cat(`${a.theFile()}无法读取`, UNREADABLE[a.get('why')]?.zh ?? (a.has('reason') ? `：${a.get('reason')}` : '')),
    en: (a) => cat(`${a.theFile()} cannot be read`, UNREADABLE[a.get('why')]?.en ?? (a.has('reason') ? `: ${a.get('reason')}` : '')),
  },
  'file.too_large': {
    kind: { zh: '文件过大', en: 'File too large' },
    zh: (a) =>
      a.get('what') === 'cells'
        ? `${a.theFile()}的单元格超过 ${a.get('limit')} 个，不像学校填报表，已跳过；请让学校只保留填报表工作表后重新发送`
        : a.get('what') === 'bytes'
          ? `${a.theFile()}超过 ${a.get('limit')} MB，不像学校填报表，已跳过；请确认选对了文件`
          : `${a.theFile()}解压后${a.has('limit') ? `超过 ${a.get('limit')} MB` : '过大'}，不像学校填报表（可能是压缩炸弹或损坏的文件），已跳过；请让学校重新另存后发送`,
    en: (a) =>
      a.get('what') === 'cells'
        ? `${a.theFile()} holds more than ${a.get('limit')} cells, which no school form does, and was skipped; ask the school to keep only the form sheet and send it again`
        : a.get('what') === 'bytes'
          ? `${a.theFile()} is larger than ${a.get('limit')} MB, which no school form is, and was skipped; check that it is the right file`
          : `${a.theFile()} unpacks to ${a.has('limit') ? `more than ${a.get('limit')} MB` : 'too much'}, which no school form does (a zip bomb or a damaged file), and was skipped; ask the school to save it again and resend it`,
  },
  'sheet.beyond_grid': {
    kind: { zh: '单元格超出表格范围', en: 'Cell beyond the grid' },
    zh: (a) => `工作表${a.q(a.get('sheet'))}引用了单元格 ${a.get('cell') || '?'}，超出了 Excel 的最大范围 XFD1048576，文件已损坏，已跳过；请让学校在 Excel 中打开、另存后重新发送`,
    en: (a) => `The sheet ${a.q(a.get('sheet'))} names the cell ${a.get('cell') || '?'}, beyond Excel's last cell XFD1048576: the file is damaged and was skipped; ask the school to open it in Excel, save it again and resend it`,
  },
  'sheet.too_large': {
    kind: { zh: '工作表范围过大', en: 'Sheet too large' },
    zh: (a) => `该工作表的已用区域延伸到 ${a.get('extent') || '?'}，远大于任何填报表，未读取；请删除表中末尾多余的内容（例如最后几行中的空格或格式），或只保留填报表部分，再校验一次`,
    en: (a) => `This sheet is in use as far as ${a.get('extent') || '?'}, far beyond any school form, and was not read; delete whatever stray content sits at its far end (a space or a format in the last rows, say), or keep only the form, and validate again`,
  },
  'file.encrypted': {
    kind: { zh: '文件已加密', en: 'Encrypted file' },
    zh: (a) => `${a.theFile()}设有打开密码，请学校去掉密码后重新报送`,
    en: (a) => `${a.theFile()} is password-protected: ask the school to send it without a password`,
  },
  'file.unsupported_format': {
    kind: { zh: '格式不支持', en: 'Unsupported format' },
    zh: (a) => cat(`${a.theFile()}的格式`, a.has('format') ? a.q(a.get('format')) : '', '不支持，请另存为 .xlsx'),
    en: (a) => cat(a.theFile(), a.has('format') ? ` (${a.get('format')})` : '', ' is in a format that cannot be read: save it as .xlsx'),
  },
  'file.empty': {
    kind: { zh: '空文件', en: 'Empty file' },
    zh: (a) => `${a.theFile()}没有任何数据`,
    en: (a) => `${a.theFile()} holds no data`,
  },
  'value.coerced': {
    kind: { zh: '数值已转换', en: 'Value converted' },
    zh: (a) => cat(a.original() ? `${a.q(a.original())}` : '该值', `已按 ${a.get('value') || '空'} 读取`, coercionList(a) ? `（含${coercionList(a)}）` : '', '，请改为纯数字'),
    en: (a) => cat(a.original() ? a.q(a.original()) : 'The value', ` was read as ${a.get('value') || 'blank'}`, coercionList(a) ? ` (${coercionList(a)})` : '', ': please type a plain number'),
  },
  'value.not_a_number': {
    kind: { zh: '不是数字', en: 'Not a number' },
    // A number too large to hold (stored as infinite) or not a number at all (NaN) is said in words, never as "Infinity" or "NaN".
    zh: (a) =>
      cat(
        a.subject() ? `${a.subject()}：` : '',
        a.q(a.original()) || '该值',
        a.get('reason') === 'too_large' ? '超出了表格能表示的数值范围，请填写实际的数' : a.get('reason') === 'invalid' ? '不是有效的数（文件里记的是一个无效的数值），请重新填写' : '不是数字',
      ),
    en: (a) =>
      cat(
        a.subject() ? `${a.subject()}: ` : '',
        a.q(a.original()) || 'the value',
        a.get('reason') === 'too_large' ? ' is beyond the numbers a spreadsheet can hold; type the real number' : a.get('reason') === 'invalid' ? ' is not a valid number (the file holds an invalid numeric value); type it again' : ' is not a number',
      ),
  },
  'value.bad_thousands': {
    kind: { zh: '千分位有误', en: 'Bad thousands separators' },
    zh: (a) => `${a.q(a.original()) || '该值'}的千分位逗号位置不对，无法确定数值`,
    en: (a) => `${a.q(a.original()) || 'The value'} has commas in the wrong places: the number is unclear`,
  },
  'value.formula_error': {
    kind: { zh: '公式错误', en: 'Formula error' },
    zh: (a) => `单元格是错误值 ${a.get('error') || a.original() || '#VALUE!'}，请检查公式`,
    en: (a) => `The cell holds the error ${a.get('error') || a.original() || '#VALUE!'}: check its formula`,
  },
  'value.formula_uncached': {
    kind: { zh: '公式没有计算结果', en: 'Formula without a result' },
    zh: (a) => `${a.subject() || '该单元格'}是公式，但文件里没有保存它的计算结果（生成文件的程序没有计算公式）；请在 Excel 或 WPS 中打开、保存后重新发送`,
    en: (a) => `${a.subject() || 'The cell'} is a formula whose result the file did not save (the program that wrote it does not calculate); open it in Excel or WPS, save it and send it again`,
  },
  'value.date_for_number': {
    kind: { zh: '日期代替了数字', en: 'Date where a number belongs' },
    zh: (a) => cat('此处应为数字，但单元格是日期', a.has('date') ? ` ${a.get('date')}` : '', '，请把单元格格式改为数值后重填'),
    en: (a) => cat('A number belongs here but the cell holds a date', a.has('date') ? ` (${a.get('date')})` : '', ': format it as a number and type it again'),
  },
  'value.required_missing': {
    kind: { zh: '必填项为空', en: 'Required value missing' },
    zh: (a) => `必填指标${a.q(a.subject())}未填写`,
    en: (a) => `The required indicator ${a.q(a.subject())} is blank`,
  },
  'value.not_integer': {
    kind: { zh: '应为整数', en: 'Not a whole number' },
    zh: (a) => cat(a.subject() ? `${a.subject()}` : '该值', a.has('value') ? ` ${a.get('value')} ` : '', '应为整数'),
    en: (a) => cat(a.subject() ? `${a.subject()}` : 'The value', a.has('value') ? ` ${a.get('value')}` : '', ' must be a whole number'),
  },
  'value.below_min': {
    kind: { zh: '小于最小值', en: 'Below minimum' },
    zh: (a) => cat(a.subject() ? `${a.subject()}` : '该值', a.has('value') ? ` ${a.get('value')} ` : '', `小于允许的最小值 ${a.get('min') || '?'}`),
    en: (a) => cat(a.subject() ? `${a.subject()}` : 'The value', a.has('value') ? ` ${a.get('value')}` : '', ` is below the minimum ${a.get('min') || '?'}`),
  },
  'value.above_max': {
    kind: { zh: '大于最大值', en: 'Above maximum' },
    zh: (a) => cat(a.subject() ? `${a.subject()}` : '该值', a.has('value') ? ` ${a.get('value')} ` : '', `大于允许的最大值 ${a.get('max') || '?'}`),
    en: (a) => cat(a.subject() ? `${a.subject()}` : 'The value', a.has('value') ? ` ${a.get('value')}` : '', ` is above the maximum ${a.get('max') || '?'}`),
  },
  'value.percent_as_fraction': {
    kind: { zh: '百分数填成小数', en: 'Percent typed as a fraction' },
    zh: (a) => cat(`百分比指标填了 ${a.get('value') || a.original() || '?'}，像是小数`, a.has('suggested') ? `，应为 ${a.get('suggested')}` : '', '（单位为 %）'),
    en: (a) => cat(`A percent was typed as ${a.get('value') || a.original() || '?'}, which looks like a fraction`, a.has('suggested') ? `; it should be ${a.get('suggested')}` : '', ' (the unit is %)'),
  },
  'value.fraction_as_percent': {
    kind: { zh: '比例填成百分数', en: 'Fraction typed as a percent' },
    zh: (a) => cat(`比例指标（0–1）填了 ${a.get('value') || a.original() || '?'}，像是百分数`, a.has('suggested') ? `，应为 ${a.get('suggested')}` : ''),
    en: (a) => cat(`A fraction (0–1) was typed as ${a.get('value') || a.original() || '?'}, which looks like a percent`, a.has('suggested') ? `; it should be ${a.get('suggested')}` : ''),
  },
  'value.code_as_number': {
    kind: { zh: '代码存为数字', en: 'Code stored as a number' },
    zh: (a) => cat(`代码 ${a.original() || '?'} 被存成了数字，开头的 0 可能已丢失`, a.has('padded') ? `（可能是 ${a.get('padded')}）` : '', '，请把单元格设为文本格式后重填'),
    en: (a) => cat(`The code ${a.original() || '?'} is stored as a number and may have lost its leading zeros`, a.has('padded') ? ` (perhaps ${a.get('padded')})` : '', ': format the cell as text and type it again'),
  },
  'rule.failed': {
    kind: { zh: '校验规则未通过', en: 'Rule failed' },
    zh: (a) => ruleText(a, true),
    en: (a) => ruleText(a, false),
  },
  'rule.eval_error': {
    kind: { zh: '规则无法计算', en: 'Rule could not be computed' },
    zh: (a) => cat(a.has('message_zh') ? `校验规则${a.q(a.get('message_zh'))}` : '校验规则', '无法计算', a.has('expression_zh') ? `（${a.get('expression_zh')}）` : '', a.has('error') ? `：${a.get('error')}` : ''),
    en: (a) => cat(a.has('message_en') ? `The check ${a.q(a.get('message_en'))}` : 'A check', ' could not be computed', a.has('expression_en') ? ` (${a.get('expression_en')})` : '', a.has('error') ? `: ${a.get('error')}` : ''),
  },
  'rate.stated_mismatch': {
    kind: { zh: '填报比率与计算不符', en: 'Stated rate does not match' },
    zh: (a) => cat(`填报的${a.subject() || '比率'}为 ${a.get('stated') || '?'}`, `，按本表数据计算为 ${a.get('computed') || '?'}`, a.has('numerator', 'denominator') ? `（${a.get('numerator')} ÷ ${a.get('denominator')}）` : '', '，两者不符，请核实'),
    en: (a) => cat(`The stated ${a.subject() || 'rate'} is ${a.get('stated') || '?'}`, ` but the sheet's own counts give ${a.get('computed') || '?'}`, a.has('numerator', 'denominator') ? ` (${a.get('numerator')} ÷ ${a.get('denominator')})` : '', ': please check'),
  },
  'rate.stated_rounding': {
    kind: { zh: '比率末位舍入不同', en: 'Stated rate rounded differently' },
    zh: (a) => cat(`填报的${a.subject() || '比率'}为 ${a.get('stated') || '?'}，按本表数据计算为 ${a.get('exact') || a.get('computed') || '?'}`, `，填报比率与计算相差 ${a.get('difference') || '?'}`, '，属末位舍入，不必退回'),
    en: (a) => cat(`The stated ${a.subject() || 'rate'} is ${a.get('stated') || '?'} and the sheet's counts give ${a.get('exact') || a.get('computed') || '?'}`, `: ${a.get('difference') || '?'} apart`, ', a rounding in the last digit, nothing to send back'),
  },
  'rate.above_100': {
    kind: { zh: '比率超过100%', en: 'Rate above 100%' },
    zh: (a) => `${a.subject() || '比率'}为 ${a.get('value') || '?'}%，超过 100%，请核实（毛入学率等可以超过 100%）`,
    en: (a) => `${a.subject() || 'The rate'} is ${a.get('value') || '?'}%, above 100%: please check (a gross ratio may exceed 100%)`,
  },
  'school.unknown': {
    kind: { zh: '学校不在名册', en: 'School not in roster' },
    zh: (a) => `学校代码 ${a.get('code') || '?'} 不在学校名册中`,
    en: (a) => `The school code ${a.get('code') || '?'} is not in the roster`,
  },
  'school.duplicate': {
    kind: { zh: '重复报送且数据不同', en: 'Conflicting submissions' },
    zh: (a) =>
      a.get('names') === 'true'
        ? cat(`学校代码 ${a.get('code') || '?'} 的${a.has('count') ? ` ${a.get('count')} ` : '几'}份文件`, a.has('file') ? `（本文件${a.q(a.get('file'))}，另有${a.q(a.get('others'))}）` : '', `上的学校名称都与名册中的${a.q(a.get('expected'))}不一致，均未计入汇总；请核实是哪所学校的文件，再选定采用哪一份`)
        : cat(`学校 ${a.get('code') || '?'} 报送了${a.has('count') ? ` ${a.get('count')} ` : '几'}份数据不同的文件`, a.has('file') ? `（本文件${a.q(a.get('file'))}，另有${a.q(a.get('others'))}）` : '', '，且没有一份标明“更正”，无法判断以哪份为准，均未计入汇总；请选定采用的一份（命令行用 --keep 文件名）'),
    en: (a) =>
      a.get('names') === 'true'
        ? cat(`The ${a.has('count') ? `${a.get('count')} ` : ''}files with the school code ${a.get('code') || '?'}`, a.has('file') ? ` (this one, ${a.q(a.get('file'))}, and ${a.q(a.get('others'))})` : '', ` all name a school other than the roster's ${a.q(a.get('expected'))}, and none counts in the totals; find out whose files they are, then choose the one to use`)
        : cat(`School ${a.get('code') || '?'} sent ${a.has('count') ? `${a.get('count')} ` : ''}files with different figures`, a.has('file') ? ` (this one, ${a.q(a.get('file'))}, and ${a.q(a.get('others'))})` : '', ' and none is marked as a correction, so none counts in the totals until you choose the one to use (--keep file on the command line)'),
  },
  'school.duplicate_identical': {
    kind: { zh: '重复报送（内容相同）', en: 'Same file sent twice' },
    zh: (a) => cat(`文件${a.q(a.get('file'))}与${a.q(a.get('other'))}数据完全相同，视为同一份报送，采用${a.q(a.get('other'))}`),
    en: (a) => `The file ${a.q(a.get('file'))} holds the same figures as ${a.q(a.get('other'))}: one submission sent twice, ${a.q(a.get('other'))} is used`,
  },
  'school.duplicate_superseded': {
    kind: { zh: '已由更正文件取代', en: 'Replaced by a correction' },
    zh: (a) =>
      a.get('chosen') === 'true'
        ? `按您的选择采用${a.q(a.get('other'))}中的数据，本文件${a.q(a.get('file'))}未计入汇总`
        : `更正文件${a.q(a.get('other'))}取代了本文件${a.q(a.get('file'))}，采用更正后的数据`,
    en: (a) =>
      a.get('chosen') === 'true'
        ? `As you chose, the figures of ${a.q(a.get('other'))} are used; this file, ${a.q(a.get('file'))}, is left out`
        : `The correction ${a.q(a.get('other'))} replaces this file, ${a.q(a.get('file'))}: the corrected figures are used`,
  },
  'school.missing': {
    kind: { zh: '未报送', en: 'Not submitted' },
    zh: (a) => cat('名册中的学校', a.get('code') ? ` ${a.get('code')}` : '', a.has('name') ? `（${a.get('name')}）` : '', ' 未报送'),
    en: (a) => cat('The school', a.get('code') ? ` ${a.get('code')}` : '', a.has('name') ? ` (${a.get('name')})` : '', ' in the roster has not submitted'),
  },
  'school.name_mismatch': {
    kind: { zh: '学校名称不符', en: 'School name differs' },
    zh: (a) =>
      cat(
        `填报的学校名称${a.q(a.get('name'))}与名册中的${a.q(a.get('expected'))}不一致`,
        a.has('other') ? `；该代码已由名称相符的文件${a.q(a.get('other'))}报送，本文件未计入汇总，请让填报学校核对学校代码后重新报送` : '',
      ),
    en: (a) =>
      cat(
        `The school name ${a.q(a.get('name'))} differs from the roster's ${a.q(a.get('expected'))}`,
        a.has('other') ? `; the file ${a.q(a.get('other'))}, whose name agrees, stands for this code, and this file is left out: ask the school that sent it to check its school code and send it again` : '',
      ),
  },
  'school.period_mismatch': {
    kind: { zh: '填报期不符', en: 'Different period' },
    zh: (a) => cat(a.has('period') ? `表上的填报期是${a.q(a.get('period'))}` : '表上的填报期', a.has('expected') ? `，本次汇总的是${a.q(a.get('expected'))}` : '与本次汇总不同', '：可能是上期的表，请核实后让学校按本期重新填报'),
    en: (a) =>
      cat(
        a.has('period') ? `The sheet states the period ${a.q(a.get('period'))}` : "The sheet's period differs from this consolidation's",
        a.has('period') && a.has('expected') ? `, but this consolidation is for ${a.q(a.get('expected'))}` : '',
        ": it may be last period's sheet; check it and ask the school to fill in this period's",
      ),
  },
  'school.excluded': {
    kind: { zh: '未计入汇总', en: 'Left out of totals' },
    zh: (a) => cat('该校有', a.has('errors') ? ` ${a.get('errors')} 个` : '', '错误', excludedKinds(a, 'zh-CN'), '涉及汇总用到的数据，未计入汇总'),
    en: (a) => cat('The school has', a.has('errors') ? ` ${a.get('errors')}` : '', ' errors', excludedKinds(a, 'en-US'), ' in figures the totals use and was left out of the totals'),
  },
  'outlier.robust_z': {
    kind: { zh: '异常值', en: 'Outlier' },
    // In words a school can act on: what schools like it report for its size, and how far off this is; the z-score stays in the data.
    zh: (a) =>
      a.get('size_check') === 'true'
        ? cat(`${a.subject() || '该值'} ${a.get('value')} 与本表其他数据不相称`, a.has('others') ? `：${a.get('others')} 项数据` : '：多项数据', `按${peersZh(a)}的水平折算，对应的${a.subject() || '该值'}约为 ${a.get('expected')}`, '；请核实是否多打或少打了一位数')
        : cat(
            `${a.subject() || '该值'} ${a.get('value')}`,
            a.has('size') ? `（${a.get('size_label')} ${a.get('size')}）` : '',
            `，按${peersZh(a)}`,
            a.has('size') ? '同等规模的水平' : '的水平',
            a.has('expected') ? `约为 ${a.get('expected')}` : '',
            a.has('factor') ? `，本校${a.direction() === 'below' ? '仅为其' : '是其'} ${a.direction() === 'below' ? `1/${a.get('factor')}` : `${a.get('factor')} 倍`}` : '',
            '；请核实是否多打或少打了一位数，或单位填错',
          ),
    en: (a) =>
      a.get('size_check') === 'true'
        ? cat(`${a.subject() || 'The value'} ${a.get('value')} does not fit the rest of the sheet`, `: ${a.has('others') ? a.get('others') : 'several'} of its figures, at the level of ${peersEn(a)}, suggest about ${a.get('expected')}`, '; please check for a digit too many or too few')
        : cat(
            `${a.subject() || 'The value'} ${a.get('value')}`,
            a.has('size') ? ` (${a.get('size_label_en') || a.get('size_label')} ${a.get('size')})` : '',
            a.has('expected') ? `: ${peersEn(a)}${a.has('size') ? ' of this size' : ''} report about ${a.get('expected')}` : '',
            a.has('factor') ? `, ${a.direction() === 'below' ? `1/${a.get('factor')} of that` : `${a.get('factor')} times that`}` : '',
            '; please check for a digit too many or too few, or a wrong unit',
          ),
  },
  'outlier.period_change': {
    kind: { zh: '与上期差异大', en: 'Large change from last period' },
    zh: (a) =>
      cat(
        `${a.subject() || '该值'} ${a.get('value')}`,
        a.has('previous') ? `，上期为 ${a.get('previous')}` : '',
        a.has('delta') ? `，${Number(a.get('delta')) >= 0 ? '增加' : '减少'} ${a.get('delta').replace(/^-/, '')}` : '',
        a.has('change') ? `（${a.get('change')}%）` : '',
        '，请核实',
      ),
    en: (a) =>
      cat(
        `${a.subject() || 'The value'} ${a.get('value')}`,
        a.has('previous') ? ` against ${a.get('previous')} last period` : '',
        a.has('delta') ? ` (${Number(a.get('delta')) >= 0 ? 'up' : 'down'} ${a.get('delta').replace(/^-/, '')}${a.has('change') ? `, ${a.get('change')}%` : ''})` : a.has('change') ? ` (${a.get('change')}% change)` : '',
        ': please check',
      ),
  },
  'output.copies_omitted': {
    kind: { zh: '未附学校表副本', en: 'School sheets not copied' },
    zh: (a) =>
      cat(
        a.has('sheets') ? `本汇总未附 ${a.get('sheets')} 张学校填报表的副本` : '本汇总未附学校填报表的副本',
        a.get('chosen') === 'true' ? '（按选择不附）' : a.has('limit') ? `（超过 ${a.get('limit')} 张时默认不附，工作簿过大将难以打开）` : '',
        '；各校数据仍计入汇总，如需副本请选择“附学校表副本”（命令行 --copies）',
      ),
    en: (a) =>
      cat(
        a.has('sheets') ? `The ${a.get('sheets')} school sheets are not copied into this summary` : 'The school sheets are not copied into this summary',
        a.get('chosen') === 'true' ? ' (as chosen)' : a.has('limit') ? ` (beyond ${a.get('limit')} sheets they are left out by default: such a workbook is too large to open)` : '',
        '; every school still counts in the totals. To include them, choose "Copy school sheets" (--copies on the command line)',
      ),
  },
};

/** All issue codes, in the order messages are declared. */
export const ISSUE_CODES: readonly IssueCode[] = Object.keys(MESSAGES) as IssueCode[];

/** Where the issue is, e.g. `学校 0012345678 · 表 填报表 · D14`; `''` when nothing locates it. */
export function issueLocation(issue: Issue, lang: Lang): string {
  const zh = lang === 'zh-CN';
  const parts: string[] = [];
  if (issue.school) parts.push(zh ? `学校 ${issue.school}` : `School ${issue.school}`);
  else if (issue.file) parts.push(zh ? `文件 ${issue.file}` : `File ${issue.file}`);
  if (issue.sheet) parts.push(zh ? `表 ${issue.sheet}` : `Sheet ${issue.sheet}`);
  if (issue.cell) parts.push(issue.cell);
  else if (issue.subject && issue.code.startsWith('def.')) parts.push(issue.field ? `${issue.subject}.${issue.field}` : issue.subject);
  return parts.join(' · ');
}

/** The message alone, without its location. */
export function issueMessage(issue: Issue, lang: Lang): string {
  const zh = lang === 'zh-CN';
  // An issue read back from JSON may carry a code this version does not know.
  if (!(issue.code in MESSAGES)) return zh ? `未知问题 ${issue.code}` : `Unknown issue ${issue.code}`;
  // Absent parameters leave gaps; close them rather than show doubled spaces.
  return words(issue, zh).replace(/ {2,}/g, ' ').trim();
}

/** The words of one issue from its own code's entry: the code ties the issue's parameters to the message that reads them. */
function words<C extends IssueCode>(issue: Issue<C>, zh: boolean): string {
  const entry: Entry<C> = MESSAGES[issue.code as C];
  const a = new Args(issue, zh);
  return zh ? entry.zh(a) : entry.en(a);
}

/** The located message for an issue in the given language: `学校 0012345678 · 表 填报表 · D14：…`. */
export function formatIssue(issue: Issue, lang: Lang): string {
  const where = issueLocation(issue, lang);
  const text = issueMessage(issue, lang);
  if (where === '') return text;
  return lang === 'zh-CN' ? `${where}：${text}` : `${where}: ${text}`;
}

/** Issues that are the clerk's to settle and ask nothing of a school: which of several files stands, and who never sent one. */
const CLERK_ONLY: ReadonlySet<IssueCode> = new Set<IssueCode>(['school.duplicate', 'school.missing']);

/** Whether an issue asks something of the school that sent the sheet: an error or a query that is not the clerk's own to settle. */
export function isForSchool(issue: Issue): boolean {
  return (issue.severity === 'error' || issue.severity === 'warning') && !CLERK_ONLY.has(issue.code);
}

/**
 * Tokens shaped like the definitions' internal names: indicator or rate codes (`STAFF_VACC`,
 * `R_STAFF_VACC`), rule and 均衡 column codes (`R06`, `L3`) and issue codes (`school.duplicate`). No
 * message a clerk or a school reads may hold one; tests scan for them.
 */
export const CODE_SHAPED = /\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|\b[RL]\d{1,2}\b|\b(?:def|sheet|file|value|rule|rate|school|outlier|output|previous)\.[a-z_]+\b/;

/**
 * Whether the clerk can make the issue's file stand for its school: a file of a conflict, one set
 * aside as a copy or for a correction, or one whose school name contradicts the roster.
 */
export function canKeep(issue: Issue): boolean {
  switch (issue.code) {
    case 'school.duplicate':
    case 'school.duplicate_identical':
    case 'school.duplicate_superseded':
      return true;
    case 'school.name_mismatch':
      return issue.params.other !== undefined;
    default:
      return false;
  }
}

/** A short name for the kind of issue, for filters and counts. */
export function issueKindLabel(code: IssueCode, lang: Lang): string {
  const entry = MESSAGES[code];
  if (!entry) return code;
  return lang === 'zh-CN' ? entry.kind.zh : entry.kind.en;
}
