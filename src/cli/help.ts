/** Help texts and usage messages of the `huizong` command, in zh-CN and en-US. */
import type { Lang } from '../core/types';
import type { CommandName, UsageProblem } from './args';

const ZH: Record<'global' | CommandName, string> = {
  global: `汇总 Huizong — 校验学校填报表并汇总为全区汇总表

用法:
  huizong <命令> [选项] [文件…]

命令:
  demo         生成示例区县(学校填报表含常见错误)，校验、汇总并写出全区汇总表
  template     按指标定义生成学校填报表模板
  self-check   生成发给学校的自查页面(单个离线 HTML 文件)
  validate     校验学校填报表，列出每个问题所在的学校、工作表和单元格
  consolidate  校验并汇总学校填报表，写出全区汇总工作簿
  return       为每所有问题的学校生成退回修改包(退回意见 + 标注问题的原表)

通用选项:
  --lang zh-CN|en-US  信息语言(默认 zh-CN)
  --json              向标准输出打印机器可读的结果
  --no-progress       不显示进度条(进度条仅在终端中显示于标准错误)
  -h, --help          显示帮助；huizong <命令> --help 显示该命令的帮助
  -v, --version       显示版本

退出码: 0 无错误(允许有警告)，1 发现校验错误，2 用法或读写问题。`,
  demo: `用法: huizong demo [--out 目录] [--seed 数字] [--formulas] [--lang zh-CN|en-US] [--json]

生成一个示例区县(至少 40 所学校，含小学、初中、九年一贯制、幼儿园和特教学校，分布在多个乡镇街道)，
其中部分学校的填报表带有常见错误(全角数字、千分位文本、百分比填成小数、分项大于总数、男女生之和不等于
在校生、比率与自身数据不符、重复报送、漏报、插入行、移动列、代码丢失前导零、#DIV/0! 等)。
然后写出定义、学校名册和各校填报表，校验并汇总，写出全区汇总工作簿，并打印简要报告。

选项:
  -o, --out 目录   输出目录(默认 demo-output)
  --seed 数字      随机种子(默认 2026；相同种子生成相同的数据)
  --formulas       汇总表写入引用各校工作表的公式，而非数值
  --lang, --json   见 huizong --help

写出的文件:
  <目录>/定义.xlsx           指标、校验规则、比率、差异系数和表样
  <目录>/学校名册.xlsx       学校名册
  <目录>/schools/*.xlsx      各校填报表
  <目录>/全区汇总.xlsx       全区汇总、校验报告、报送情况及各校工作表(写回计算的比率)

示例中的错误是有意放入的；顺利运行时退出码为 0。`,
  template: `用法: huizong template [--definitions 定义.xlsx|定义.json] [--roster 名册] [--school 学校代码] --out 填报表.xlsx

按指标定义生成学校填报表模板：表头信息、指标表、数据有效性、锁定的标签和比率单元格、填表说明。

选项:
  -d, --definitions 文件  含定义工作表的 .xlsx 或 .json；省略时使用内置预设
  -r, --roster 文件       学校名册(.xlsx、.csv 或 .json)，与 --school 一起使用
  -s, --school 代码       预填该校的代码、名称
  -o, --out 文件          输出的 .xlsx(必填)
  --lang                  模板语言`,
  'self-check': `用法: huizong self-check [--definitions 定义.xlsx|定义.json] [--roster 名册] --out 自查.html

生成发给学校的自查页面：一个自带本局指标定义(和名册)的 HTML 文件，学校双击即可在浏览器中打开，
不需联网。学校把填好的填报表拖入页面，即看到教育局校验会指出的每个问题及其单元格；没有错误时可下载
“已自查的文件”(原文件加一个隐藏的自查记录工作表，仅限 .xlsx)。validate 和 consolidate 会对每个
文件显示“已自查”或“未自查”。

选项:
  -d, --definitions 文件  含定义工作表的 .xlsx 或 .json；省略时使用内置预设
  -r, --roster 文件       学校名册(.xlsx、.csv 或 .json)：页面据此核对学校代码
  -o, --out 文件          输出的 .html(必填)
  --lang, --json          见 huizong --help`,
  validate: `用法: huizong validate [--definitions 定义] [--roster 名册] <文件、通配符或目录…> [--previous 上期] [--json]

校验学校填报表。目录会读取其中的 *.xlsx、*.xls 和 *.csv；通配符如 "schools/**/*.xlsx"。
每个问题给出学校、文件、工作表、单元格和说明。不写任何文件，输入文件不会被修改。

选项:
  -d, --definitions 文件  含定义工作表的 .xlsx 或 .json；省略时使用内置预设
  -r, --roster 文件       学校名册(.xlsx、.csv 或 .json)；省略时用定义中的名册
  -p, --previous 文件     上期 huizong 写出的全区汇总 .xlsx 或 --json 输出，用于与上期比较
  --keep 文件             同一学校报送了多个文件时采用这个(可重复)；默认采用标有“更正”的，否则采用后一个
  --json                  打印机器可读结果(各校数值与比率、全区与分组合计、差异系数、报送情况、问题)

退出码: 0 无错误(允许有警告)，1 发现校验错误，2 用法或读写问题。`,
  consolidate: `用法: huizong consolidate [--definitions 定义] [--roster 名册] <文件…> --out 全区汇总.xlsx
                           [--formulas] [--include-errors] [--group-by stage,township] [--previous 上期]
                           [--copies | --no-copies] [--json]

校验并汇总学校填报表，写出全区汇总工作簿：全区汇总(含分组小计和合计)、校验报告、报送情况，
以及每所学校工作表的副本(写回计算的比率；超过 300 个学校表时默认不附副本，报告中注明)。
比率一律为 Σ分子 ÷ Σ分母，不是各校比率的平均数。
先写入同目录下的临时文件再改名，中断时不会留下写了一半的工作簿。

选项:
  -d, --definitions 文件  含定义工作表的 .xlsx 或 .json；省略时使用内置预设
  -r, --roster 文件       学校名册(.xlsx、.csv 或 .json)
  -o, --out 文件          输出的 .xlsx(必填)
  --formulas              汇总表写入引用各校工作表的公式，而非数值
  --include-errors        有错误的学校也计入合计(默认不计入并在报告中列出)
  --group-by 分组         按学段(stage)和/或乡镇(township)分组小计，逗号分隔(默认 stage,township)
  -p, --previous 文件     上期全区汇总 .xlsx 或 --json 输出
  --copies, --no-copies   附 / 不附各校工作表的副本(默认 300 个以内附)
  --keep 文件             同一学校报送了多个文件时采用这个(可重复)；默认采用标有“更正”的，否则采用后一个
  --json                  打印机器可读结果

退出码: 0 无错误(允许有警告)，1 发现校验错误，2 用法或读写问题。`,
  return: `用法: huizong return [--definitions 定义] [--roster 名册] <文件…> --out 退回包目录 [--previous 上期] [--json]

校验学校填报表，为每张有错误或警告的学校填报表生成一个退回修改包（以学校代码和名称命名的 .xlsx）：
第一张工作表“退回意见”列出学校、填报期和每个问题（单元格、问题、填报的值、应为、类别），错误在前，
末尾留有签字栏；第二张是学校原来的表，问题单元格已标色并加批注，其余内容不变。
另写“退回汇总.xlsx”，列出退回了哪些学校及原因。全部写入一个新目录（先写入临时目录再改名）；
目录已存在且不为空时不会写入。

选项:
  -d, --definitions 文件  含定义工作表的 .xlsx 或 .json；省略时使用内置预设
  -r, --roster 文件       学校名册(.xlsx、.csv 或 .json)
  -o, --out 目录          要新建的退回包目录(必填)
  -p, --previous 文件     上期全区汇总 .xlsx 或 --json 输出
  --keep 文件             同一学校报送了多个文件时采用这个(可重复)
  --json                  打印机器可读结果

退出码: 0 无错误(允许有警告)，1 发现校验错误，2 用法或读写问题。`,
};

const EN: Record<'global' | CommandName, string> = {
  global: `Huizong — validate school indicator sheets and consolidate them into a district summary

Usage:
  huizong <command> [options] [files…]

Commands:
  demo         build a demo district (school sheets with common mistakes), validate, consolidate, write the district workbook
  template     write the school submission template from the definitions
  self-check   write the self-check page the bureau hands its schools (one offline HTML file)
  validate     check school sheets; every problem with its school, sheet and cell
  consolidate  check and consolidate school sheets into the district workbook
  return       a return package for every school with problems (the corrections sheet and its marked sheet)

Common options:
  --lang zh-CN|en-US  language of messages (default zh-CN)
  --json              print a machine-readable result to stdout
  --no-progress       no progress bar (shown on stderr only when it is a terminal)
  -h, --help          this help; huizong <command> --help for a command
  -v, --version       print the version

Exit codes: 0 clean (warnings allowed), 1 validation errors found, 2 usage or I/O problems.`,
  demo: `Usage: huizong demo [--out dir] [--seed n] [--formulas] [--lang zh-CN|en-US] [--json]

Builds a demo district (at least 40 schools: primary, junior, nine-year, kindergartens and a special school,
across several townships), some of whose sheets carry the mistakes clerks meet (full-width digits, thousands
separators as text, a percent typed as a fraction, a part larger than its whole, boys + girls ≠ students, a stated
rate that does not match its counts, a duplicate submission, a missing school, an inserted row, a moved column,
a code that lost its leading zero, #DIV/0! …). Writes the definitions, roster and school files, validates,
consolidates, writes the district workbook and prints a short report.

Options:
  -o, --out dir    output folder (default demo-output)
  --seed n         random seed (default 2026; the same seed gives the same data)
  --formulas       the summary holds live formulas over the school sheets instead of values
  --lang, --json   see huizong --help

Files written:
  <dir>/定义.xlsx           indicators, rules, rates, dispersions and layout
  <dir>/学校名册.xlsx       the school roster
  <dir>/schools/*.xlsx      the school sheets
  <dir>/全区汇总.xlsx       summary, validation report, completeness and each school's sheet with rates written back

The demo's mistakes are there on purpose; a run that finds them exits with 0.`,
  template: `Usage: huizong template [--definitions defs.xlsx|defs.json] [--roster roster] [--school code] --out template.xlsx

Writes the school submission template: metadata block, indicator table, data validation, locked label and
rate cells, instructions.

Options:
  -d, --definitions file  an .xlsx holding the definition sheets, or .json; the built-in preset when omitted
  -r, --roster file       school roster (.xlsx, .csv or .json), used with --school
  -s, --school code       fill in this school's code and name
  -o, --out file          the .xlsx to write (required)
  --lang                  language of the template`,
  'self-check': `Usage: huizong self-check [--definitions defs.xlsx|defs.json] [--roster roster] --out self-check.html

Writes the self-check page the bureau hands its schools: one HTML file with the bureau's definitions (and
roster) inside, which a school opens by double-click, with no network. The school drops its filled form on it
and sees every problem the bureau's validation would raise, at its cell; with no errors left it can download
the checked file (its own file with a hidden sheet recording the check; .xlsx only). validate and consolidate
then show each file as self-checked or not.

Options:
  -d, --definitions file  .xlsx with definition sheets, or .json; the built-in preset when omitted
  -r, --roster file       school roster (.xlsx, .csv or .json): the page checks the school code against it
  -o, --out file          the .html to write (required)
  --lang, --json          see huizong --help`,
  validate: `Usage: huizong validate [--definitions defs] [--roster roster] <files, globs or folders…> [--previous prev] [--json]

Checks school sheets. A folder is read for *.xlsx, *.xls and *.csv; globs such as "schools/**/*.xlsx" work.
Every problem comes with its school, file, sheet, cell and message. Writes nothing; inputs are never modified.

Options:
  -d, --definitions file  an .xlsx holding the definition sheets, or .json; the built-in preset when omitted
  -r, --roster file       school roster (.xlsx, .csv or .json); the definitions' roster when omitted
  -p, --previous file     an earlier district workbook written by huizong, or its --json output, to compare with
  --keep file             the file that stands when a school sent several (repeatable); by default the one
                          marked 更正 (corrected), else the later one
  --json                  machine-readable result (per-school values and rates, totals, dispersion, completeness, issues)

Exit codes: 0 clean (warnings allowed), 1 validation errors found, 2 usage or I/O problems.`,
  consolidate: `Usage: huizong consolidate [--definitions defs] [--roster roster] <files…> --out district.xlsx
                           [--formulas] [--include-errors] [--group-by stage,township] [--previous prev]
                           [--copies | --no-copies] [--json]

Checks and consolidates school sheets and writes the district workbook: the summary (with subtotals and the
total), the validation report, the completeness list, and a copy of each school's sheet with its computed rates
written back (beyond 300 school sheets the copies are left out by default, and the report says so). Every
rate is Σ numerators ÷ Σ denominators, never an average of school rates. The workbook is written to a temporary file in the same folder and renamed, so an interrupted run leaves no half-written file.

Options:
  -d, --definitions file  an .xlsx holding the definition sheets, or .json; the built-in preset when omitted
  -r, --roster file       school roster (.xlsx, .csv or .json)
  -o, --out file          the .xlsx to write (required)
  --formulas              the summary holds live formulas over the school sheets instead of values
  --include-errors        count schools with errors in the totals (by default they are left out and reported)
  --group-by groups       subtotals by stage and/or township, comma-separated (default stage,township)
  -p, --previous file     an earlier district workbook or --json output
  --copies, --no-copies   copy the school sheets in, or not (default: up to 300 sheets)
  --keep file             the file that stands when a school sent several (repeatable); by default the one
                          marked 更正 (corrected), else the later one
  --json                  machine-readable result

Exit codes: 0 clean (warnings allowed), 1 validation errors found, 2 usage or I/O problems.`,
  return: `Usage: huizong return [--definitions defs] [--roster roster] <files…> --out folder [--previous prev] [--json]

Checks school sheets and writes a return package for every sheet with errors or warnings (an .xlsx named by
the school's code and name): a first sheet "Corrections" with the school, the period and every problem (cell,
problem, value sent, expected, kind), errors first, and a line to sign; then the school's own sheet as it sent
it, the problem cells filled and annotated, nothing else changed. An index, Sent back.xlsx (退回汇总.xlsx in Chinese), lists which schools
were sent back and why. Everything goes into a new folder (written aside, then renamed into place); a folder
that exists and is not empty is left alone.

Options:
  -d, --definitions file  an .xlsx holding the definition sheets, or .json; the built-in preset when omitted
  -r, --roster file       school roster (.xlsx, .csv or .json)
  -o, --out folder        the folder to create (required)
  -p, --previous file     an earlier district workbook or --json output
  --keep file             the file that stands when a school sent several (repeatable)
  --json                  machine-readable result

Exit codes: 0 clean (warnings allowed), 1 validation errors found, 2 usage or I/O problems.`,
};

/** The help text for the whole command or one subcommand. */
export function helpText(lang: Lang, command?: CommandName): string {
  return (lang === 'en-US' ? EN : ZH)[command ?? 'global'];
}

/** A one-line explanation of a usage problem, followed by where to find help. */
export function usageMessage(problem: UsageProblem, lang: Lang, command?: CommandName): string {
  const zh = lang === 'zh-CN';
  const hint = zh ? `运行 huizong ${command ? `${command} ` : ''}--help 查看用法。` : `Run huizong ${command ? `${command} ` : ''}--help for usage.`;
  let line: string;
  switch (problem.code) {
    case 'no_command':
      line = zh ? '缺少命令。' : 'No command given.';
      break;
    case 'unknown_command':
      line = zh ? `未知命令“${problem.name}”。` : `Unknown command "${problem.name}".`;
      break;
    case 'unknown_option':
      line = zh ? `未知选项 ${problem.option}。` : `Unknown option ${problem.option}.`;
      break;
    case 'missing_value':
      line = zh ? `选项 ${problem.option} 缺少值。` : `Option ${problem.option} needs a value.`;
      break;
    case 'bad_value':
      line = zh ? `选项 ${problem.option} 的值“${problem.value}”无效。` : `Option ${problem.option} does not accept "${problem.value}".`;
      break;
    case 'missing_option':
      line = zh ? `缺少必填选项 ${problem.option}。` : `The option ${problem.option} is required.`;
      break;
    case 'no_inputs':
      line = zh ? '没有给出学校填报表(文件、通配符或目录)。' : 'No school files given (files, globs or folders).';
      break;
    case 'unexpected_argument':
      line = zh ? `多余的参数“${problem.value}”。` : `Unexpected argument "${problem.value}".`;
      break;
  }
  return `huizong: ${line}\n${hint}`;
}
