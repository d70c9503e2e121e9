/**
 * Who is in the totals, said the same way everywhere — the summary's note, the printed tables, the
 * command's report and the pane: how many schools are counted, and each school left out with its
 * reason in a few words.
 */
import { exclusions, type Exclusion } from '../core/consolidate';
import { issueKindLabel } from '../core/messages';
import type { Consolidation, Lang } from '../core/types';

/** Schools counted, schools left out, and second copies of a school's sheet not used. */
export interface Inclusion {
  readonly included: number;
  /** Schools left out for errors (schools, not files). */
  readonly excluded: readonly Exclusion[];
  /** Second copies of a school that sent twice: files, the school itself counted from its other copy. */
  readonly duplicates: readonly Exclusion[];
}

/** Who is in the totals of a consolidation. */
export function inclusion(c: Pick<Consolidation, 'schools' | 'issues'>): Inclusion {
  const all = exclusions(c);
  return {
    included: c.schools.filter((s) => s.included).length,
    excluded: all.filter((e) => e.reason === 'errors'),
    duplicates: all.filter((e) => e.reason === 'duplicate'),
  };
}

/** Why one school sheet is left out, in a few words: `2 个错误：校验规则未通过、公式错误`. */
export function exclusionReason(e: Exclusion, lang: Lang): string {
  const zh = lang === 'zh-CN';
  if (e.reason === 'duplicate') return zh ? '重复报送，采用该校的另一份' : 'sent twice; the other copy is used';
  const kinds = e.kinds.map((k) => issueKindLabel(k, lang)).join(zh ? '、' : ', ');
  if (zh) return `${e.errors} 个错误${kinds === '' ? '' : `：${kinds}`}`;
  return `${e.errors} ${e.errors === 1 ? 'error' : 'errors'}${kinds === '' ? '' : `: ${kinds}`}`;
}

/** One school left out, with its reason: `北湖镇中心小学（2 个错误：公式错误）`. */
export function exclusionText(e: Exclusion, lang: Lang): string {
  const who = e.name !== '' ? e.name : e.school;
  return lang === 'zh-CN' ? `${who}（${exclusionReason(e, lang)}）` : `${who} (${exclusionReason(e, lang)})`;
}

/**
 * The note on who is in the figures: `本表计入 42 所学校。未计入 5 所：甲（…）；乙（…）。另有 1 份重复报送未采用：丙。`
 */
export function inclusionNote(c: Pick<Consolidation, 'schools' | 'issues'>, lang: Lang): string {
  const zh = lang === 'zh-CN';
  const { included, excluded, duplicates } = inclusion(c);
  const parts: string[] = [zh ? `本表计入 ${included} 所学校。` : `${included} schools are counted in these figures.`];
  if (excluded.length > 0) {
    const list = excluded.map((e) => exclusionText(e, lang)).join(zh ? '；' : '; ');
    parts.push(zh ? `未计入 ${excluded.length} 所：${list}。` : `${excluded.length} left out: ${list}.`);
  }
  if (duplicates.length > 0) {
    const list = duplicates.map((e) => e.name || e.school).join(zh ? '、' : ', ');
    parts.push(zh ? `另有 ${duplicates.length} 份重复报送未采用（${list}），该校按另一份计入。` : `${duplicates.length} second ${duplicates.length === 1 ? 'copy' : 'copies'} not used (${list}); the school is counted from its other copy.`);
  }
  return parts.join(zh ? '' : ' ');
}
