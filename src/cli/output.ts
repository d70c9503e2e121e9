/** What the command prints: the short text report and the machine-readable `--json` result. */
import { formatIssue, issueKindLabel, issueMessage } from '../core/messages';
import type { Consolidation, Definitions, EquityResult, Issue, IssueCode, Lang, RateValue } from '../core/types';
import { exclusions, type Exclusion } from '../core/consolidate';
import { exclusionReason, exclusionText, inclusion, roundTo, severityLabel, stageLabel, stageTitle, stageVerdictLine, standardOf } from '../workbook';
import { severityCounts, type SelfCheckState } from '../job';

/** The version printed by `--version` and put in `--json`. */
export const VERSION = '0.1.0';

/** One issue as printed by `--json`: the issue, its kind and its message in the chosen language. */
export type JsonIssue = Issue & { readonly kind: string; readonly message: string };

/** The `--json` result of validate, consolidate and demo. */
export interface JsonResult {
  readonly tool: 'huizong';
  readonly version: string;
  readonly command: string;
  readonly lang: Lang;
  readonly exitCode: number;
  readonly ok: boolean;
  readonly title: string;
  readonly period: string | null;
  /** `selfCheck`: where the file stands against its school's self-check record. */
  readonly files: readonly { readonly file: string; readonly submissions: number; readonly issues: number; readonly selfCheck?: SelfCheckState }[];
  readonly output: Readonly<Record<string, string>> | null;
  readonly completeness: Consolidation['completeness'];
  readonly counts: { readonly errors: number; readonly warnings: number; readonly infos: number; readonly byCode: Readonly<Partial<Record<IssueCode, number>>> };
  readonly schools: Consolidation['schools'];
  /** Each school left out of the totals with its reason (`errors`), then each second copy not used (`duplicate`). */
  readonly excluded: readonly (Exclusion & { readonly text: string })[];
  readonly district: Consolidation['district'];
  readonly groups: Consolidation['groups'];
  readonly dispersions: Consolidation['dispersions'];
  /** Each 均衡 standard's result, with the standard's name, test and limits beside its code. */
  readonly equity: readonly (EquityResult & { readonly label: string; readonly test: string; readonly thresholds: Readonly<Record<string, number>> })[];
  readonly issues: readonly JsonIssue[];
}

/** Issue counts by code, in order of first appearance. */
export function countsByCode(issues: readonly Issue[]): Partial<Record<IssueCode, number>> {
  const out: Partial<Record<IssueCode, number>> = {};
  for (const i of issues) out[i.code] = (out[i.code] ?? 0) + 1;
  return out;
}

/** The `--json` result. */
export function jsonResult(input: {
  command: string;
  lang: Lang;
  exitCode: number;
  consolidation: Consolidation;
  files: readonly { file: string; submissions: number; issues: number; selfCheck?: SelfCheckState }[];
  output?: Record<string, string>;
  standards?: Definitions['standards'];
}): JsonResult {
  const c = input.consolidation;
  const key = input.lang === 'zh-CN' ? 'zh' : 'en';
  const counts = severityCounts(c.issues);
  return {
    tool: 'huizong',
    version: VERSION,
    command: input.command,
    lang: input.lang,
    exitCode: input.exitCode,
    ok: input.exitCode === 0,
    title: c.title[input.lang === 'zh-CN' ? 'zh' : 'en'],
    period: c.period ?? null,
    files: input.files,
    output: input.output ?? null,
    completeness: c.completeness,
    counts: { ...counts, byCode: countsByCode(c.issues) },
    schools: c.schools,
    excluded: exclusions(c).map((e) => ({ ...e, text: exclusionReason(e, input.lang) })),
    district: c.district,
    groups: c.groups,
    dispersions: c.dispersions,
    equity: c.equity.flatMap((r) => {
      const st = standardOf(r, input.standards);
      return st ? [{ ...r, label: st.label[key], test: st.test, thresholds: st.thresholds }] : [];
    }),
    issues: c.issues.map((i) => ({ ...i, kind: issueKindLabel(i.code, input.lang), message: formatIssue(i, input.lang) })),
  };
}

function fmt(n: number | null | undefined, decimals: number): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return roundTo(n, decimals).toFixed(decimals);
}

function statusMark(rv: RateValue, lang: Lang): string {
  const zh = lang === 'zh-CN';
  switch (rv.status) {
    case 'met':
      return zh ? '✓ 达标' : '✓ met';
    case 'not_met':
      return zh ? '✗ 未达标' : '✗ not met';
    case 'no_target':
      return '';
    case 'undefined':
      return undefinedReason(rv, zh);
  }
}

/** Why a district rate has no value, in words: no school's figures counted, or a denominator of 0. */
function undefinedReason(rv: RateValue, zh: boolean): string {
  if (rv.numerator === null || rv.denominator === null) return zh ? '无法计算：没有计入汇总的学校数据' : 'not computed: no school’s figures were counted';
  if (rv.denominator === 0) return zh ? '无法计算：分母为 0' : 'not computed: the denominator is 0';
  return zh ? '无法计算：结果不是有限的数' : 'not computed: the result is not a finite number';
}

/** Display width of a string in a terminal: CJK and full-width characters take two columns. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    w += (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) ? 2 : 1;
  }
  return w;
}

function pad(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}

/** The short report: completeness, issue counts by kind, district rates against targets, 均衡 per standard and stage, dispersion. */
export function textReport(c: Consolidation, defs: Definitions, lang: Lang, filesRead: number): string {
  const zh = lang === 'zh-CN';
  const key = zh ? 'zh' : 'en';
  const lines: string[] = [];
  const counts = severityCounts(c.issues);
  const cp = c.completeness;
  const who = inclusion(c);
  const schools = new Set(c.schools.map((s) => s.code)).size;
  lines.push(`${[c.districtName ?? '', c.title[key]].filter((x) => x !== '').join(zh ? '' : ' ')}${c.period ? `  ${c.period}` : ''}`);
  lines.push(
    zh
      ? `读取 ${filesRead} 个文件，${c.schools.length} 份填报（${schools} 所学校），${who.included} 所学校计入汇总${who.excluded.length > 0 ? `，${who.excluded.length} 所未计入` : ''}。`
      : `Read ${filesRead} files, ${c.schools.length} submissions (${schools} schools), ${who.included} schools counted in the totals${who.excluded.length > 0 ? `, ${who.excluded.length} left out` : ''}.`,
  );
  if (who.excluded.length > 0) lines.push(`  ${zh ? '未计入汇总' : 'Left out of the totals'}: ${who.excluded.map((e) => exclusionText(e, lang)).join(zh ? '；' : '; ')}`);
  if (who.duplicates.length > 0) lines.push(`  ${zh ? '重复报送未采用' : 'Second copies not used'}: ${who.duplicates.map((e) => `${e.file ?? e.sheet}`).join(zh ? '；' : '; ')}`);
  if (cp.expected > 0) {
    const ratio = cp.ratio === null ? '—' : `${fmt(cp.ratio * 100, 1)}%`;
    lines.push(zh ? `报送情况：应报 ${cp.expected} 所，已报 ${cp.submitted} 所（${ratio}）。` : `Completeness: ${cp.submitted} of ${cp.expected} schools (${ratio}).`);
    if (cp.missing.length > 0) lines.push(`  ${zh ? '未报送' : 'Not submitted'}: ${cp.missing.map((s) => `${s.code} ${s.name}`).join(zh ? '；' : '; ')}`);
    if (cp.unknown.length > 0) lines.push(`  ${zh ? '名册外代码' : 'Codes not in the roster'}: ${cp.unknown.join(', ')}`);
  }
  lines.push(
    zh
      ? `问题：${counts.errors} 个错误，${counts.warnings} 个警告，${counts.infos} 条提示。`
      : `Issues: ${counts.errors} errors, ${counts.warnings} warnings, ${counts.infos} notes.`,
  );
  const kinds = new Map<string, { n: number; severity: Issue['severity'] }>();
  for (const i of c.issues) {
    const k = issueKindLabel(i.code, lang);
    const prev = kinds.get(k);
    const worse = prev === undefined || rank(i.severity) < rank(prev.severity) ? i.severity : prev.severity;
    kinds.set(k, { n: (prev?.n ?? 0) + 1, severity: worse });
  }
  const kindList = [...kinds.entries()].sort((a, b) => rank(a[1].severity) - rank(b[1].severity) || b[1].n - a[1].n);
  const kw = Math.max(0, ...kindList.map(([k]) => displayWidth(k)));
  for (const [k, v] of kindList) lines.push(`  ${pad(k, kw)}  ${String(v.n).padStart(4)}  ${severityLabel(v.severity, lang)}`);

  if (defs.rates.length > 0) {
    lines.push(zh ? '全区比率（Σ分子 ÷ Σ分母）：' : 'District rates (Σ numerators ÷ Σ denominators):');
    const lw = Math.max(0, ...defs.rates.map((r) => displayWidth(r.label[key])));
    for (const rate of defs.rates) {
      const rv = c.district.rates[rate.code];
      const unit = rate.factor === 100 ? '%' : '';
      const target = rate.target ? `${zh ? '目标' : 'target'} ${rate.target.op} ${rate.target.value}${unit}` : '';
      const value = `${fmt(rv?.value, rate.decimals)}${rv?.value === null || rv?.value === undefined ? '' : unit}`;
      lines.push(`  ${pad(rate.label[key], lw)}  ${value.padStart(10)}  ${pad(target, 14)}  ${rv ? statusMark(rv, lang) : ''}`.trimEnd());
    }
  }
  if (c.equity.length > 0) {
    lines.push(zh ? '义务教育均衡（校际差异系数）：' : 'Compulsory-education balance (between-school CVs):');
    const names = new Map(c.schools.map((s) => [s.code, s.name]));
    for (const r of c.equity) {
      const st = standardOf(r, defs.standards);
      if (!st) continue;
      for (const stage of r.stages) {
        lines.push(`  ${stageTitle(st, stage, lang)}  ${stageVerdictLine(st, stage, lang)}`);
        const failing = stage.schools.filter((s) => s.met === false).map((s) => names.get(s.school) ?? s.school);
        if (failing.length > 0) lines.push(`    ${zh ? '未达底线' : 'Under their floors'}: ${failing.join(zh ? '、' : ', ')}`);
      }
    }
  }
  if (c.dispersions.length > 0) {
    lines.push(zh ? '差异系数：' : 'Coefficients of variation:');
    const byCode = new Map(defs.dispersions.map((d) => [d.code, d]));
    const lw = Math.max(0, ...c.dispersions.map((d) => displayWidth(byCode.get(d.code)?.label[key] ?? d.code)));
    for (const d of c.dispersions) {
      const def = byCode.get(d.code);
      const label = def?.label[key] ?? d.code;
      const stages = def ? def.stages.map((s) => stageLabel(s, lang)).join('/') : '';
      const mark = d.met === null ? '' : d.met ? (zh ? '✓' : '✓') : '✗';
      // Two decimals, as the sheet's 标准 column and the pane show it.
      const threshold = d.threshold === undefined ? '' : `≤ ${fmt(d.threshold, 2)}`;
      lines.push(`  ${pad(label, lw)}  ${fmt(d.cv, 3).padStart(7)}  ${pad(threshold, 7)} ${mark}  ${stages} ${zh ? `${d.schoolCount} 所` : `${d.schoolCount} schools`}`.trimEnd());
    }
  }
  return lines.join('\n');
}

function rank(s: Issue['severity']): number {
  return s === 'error' ? 0 : s === 'warning' ? 1 : 2;
}

/** Every issue, grouped by file, one line each: cell, severity, message (what `validate` prints). */
export function issueList(issues: readonly Issue[], lang: Lang): string {
  const zh = lang === 'zh-CN';
  const groups = new Map<string, Issue[]>();
  for (const i of issues) {
    const k = i.file ?? (i.school ? `${zh ? '学校' : 'School'} ${i.school}` : zh ? '(全区)' : '(district)');
    groups.set(k, [...(groups.get(k) ?? []), i]);
  }
  const lines: string[] = [];
  for (const [file, list] of groups) {
    lines.push(file);
    for (const i of list) {
      const where = [i.school, i.cell].filter(Boolean).join(' ');
      lines.push(`  ${pad(where, 16)} ${pad(severityLabel(i.severity, lang), 5)} ${issueMessage(i, lang)}`);
    }
  }
  return lines.join('\n');
}
