/**
 * The text a clerk sends back to one school: its problems, errors first, each with its sheet and
 * cell, worded from the issue codes by the core's messages.
 */
import { isForSchool, issueMessage } from '../core/messages';
import type { Bilingual, Issue, Lang } from '../core/types';

/** The school, and the collection it reported for. */
export interface SchoolMessageContext {
  readonly code: string;
  readonly name: string;
  readonly title: Bilingual;
  readonly period?: string;
}

const NUMERALS = ['一', '二', '三'];

function where(issue: Issue, lang: Lang): string {
  if (issue.cell === undefined) return '';
  const sheet = issue.sheet ?? '';
  return lang === 'zh-CN' ? `工作表“${sheet}”${issue.cell} 单元格：` : `sheet "${sheet}", cell ${issue.cell}: `;
}

/** The message for one school (zh-CN by default: schools read Chinese). Issues without a severity of error or warning are left out. */
export function schoolMessage(ctx: SchoolMessageContext, issues: readonly Issue[], lang: Lang = 'zh-CN'): string {
  const zh = lang === 'zh-CN';
  // What the school must act on: the clerk's own choices (which duplicate file stands) are not the school's.
  const errors = issues.filter((i) => i.severity === 'error' && isForSchool(i));
  const warnings = issues.filter((i) => i.severity === 'warning' && isForSchool(i));
  const title = zh ? ctx.title.zh : ctx.title.en;
  const period = ctx.period ? (zh ? `（${ctx.period}）` : ` (${ctx.period})`) : '';
  const lines: string[] = [];
  const who = ctx.name ? (zh ? `${ctx.name}（学校代码 ${ctx.code}）：` : `${ctx.name} (school code ${ctx.code}):`) : zh ? `学校代码 ${ctx.code}：` : `School code ${ctx.code}:`;
  lines.push(who);
  if (errors.length === 0 && warnings.length === 0) {
    lines.push(zh ? `贵校报送的《${title}》${period}已通过校验，谢谢！` : `Your ${title}${period} passed every check. Thank you!`);
    return lines.join('\n');
  }
  lines.push(
    zh
      ? `经校验，贵校报送的《${title}》${period}有以下问题，请核实修改后重新报送：`
      : `We checked the ${title}${period} your school sent. Please look at the following and send it again:`,
  );
  const groups: [Issue[], string][] = [
    [errors, zh ? `必须修改的错误（${errors.length} 个）` : `Errors to fix (${errors.length})`],
    [warnings, zh ? `请核实的疑问（${warnings.length} 个）` : `Queries to check (${warnings.length})`],
  ];
  let section = 0;
  for (const [list, heading] of groups) {
    if (list.length === 0) continue;
    lines.push(zh ? `${NUMERALS[section] ?? section + 1}、${heading}：` : `${section + 1}. ${heading}:`);
    section++;
    list.forEach((issue, i) => lines.push(`${zh ? `${i + 1}. ` : `  ${i + 1}) `}${where(issue, lang)}${issueMessage(issue, lang)}`));
  }
  if (warnings.length > 0) lines.push(zh ? '如数据确实无误，请对疑问逐条说明原因。' : 'If a queried figure is right, please say why.');
  lines.push(zh ? '谢谢！' : 'Thank you.');
  return lines.join('\n');
}
