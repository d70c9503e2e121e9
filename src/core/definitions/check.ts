/**
 * Checks a definition set as a whole: duplicate codes, expressions that do not parse or refer to
 * codes that are not indicators, stated-rate indicators that do not exist, a rate computed from the
 * very figure it cross-checks (a cycle), dispersion stages, 均衡 standards (their indicators'
 * values, the weight, the stage-students codes), and duplicate roster schools. Items read
 * from sheets are located at their sheet and cell; items from JSON by code and field.
 */
import { parseExpression, previousCodes, referencedCodes } from '../expr';
import type { Definitions, Issue } from '../types';
import type { Locate } from './items';
import { DEFINITION_SHEETS } from './sheets';

const located = new WeakMap<object, Locate>();

/** Remembers where a definition item was read, so later checks can point at its cells. */
export function rememberLocation(item: object, at: Locate): void {
  located.set(item, at);
}

function where(item: object, subject: string, field: string): Pick<Issue, 'sheet' | 'cell' | 'subject' | 'field'> {
  const at = located.get(item);
  return at ? { ...at(field), subject } : { subject, field };
}

/** Each item's key in `check`'s duplicate search, with where the first one was. */
function firstPlace(item: object, subject: string, field: string): string {
  const w = where(item, subject, field);
  return w.sheet !== undefined ? `${w.sheet}!${w.cell ?? ''}` : `${subject}.${field}`;
}

/** The problems found, and the items they make unusable. */
interface Inspection {
  readonly issues: Issue[];
  readonly faulty: Set<object>;
}

function inspect(defs: Definitions): Inspection {
  const issues: Issue[] = [];
  const faulty = new Set<object>();
  const indicatorCodes = new Set<string>();

  // Codes share one namespace: a rate or dispersion named like an indicator would be ambiguous in the summary.
  const seen = new Map<string, object>();
  const claim = (item: object, code: string, field: string, own: Map<string, object>, issueCode: 'def.duplicate_code' | 'def.duplicate_school'): void => {
    const first = own.get(code);
    if (first !== undefined) {
      issues.push({ code: issueCode, severity: 'error', ...where(item, code, field), params: { code, first: firstPlace(first, code, field) } });
      faulty.add(item);
      return;
    }
    own.set(code, item);
  };
  for (const ind of defs.indicators) {
    claim(ind, ind.code, 'code', seen, 'def.duplicate_code');
    indicatorCodes.add(ind.code);
  }
  // A definitions file with headers only reads without an error, and then checks nothing.
  if (defs.indicators.length === 0) issues.push({ code: 'def.empty', severity: 'warning', params: { sheet: DEFINITION_SHEETS.indicators } });
  for (const r of defs.rates) claim(r, r.code, 'code', seen, 'def.duplicate_code');
  for (const d of defs.dispersions) claim(d, d.code, 'code', seen, 'def.duplicate_code');
  const ruleIds = new Map<string, object>();
  for (const r of defs.rules) claim(r, r.id, 'id', ruleIds, 'def.duplicate_code');

  const expression = (item: object, subject: string, field: string, source: string, lastPeriod = false): readonly string[] => {
    const parsed = parseExpression(source);
    if (!parsed.ok) {
      issues.push({
        code: 'def.bad_expression',
        severity: 'error',
        ...where(item, subject, field),
        original: source,
        params: { expression: source, offset: parsed.offset, message_zh: parsed.message.zh, message_en: parsed.message.en },
      });
      faulty.add(item);
      return [];
    }
    // Last period's values exist for a school being validated, never for a rate, a weight or a 均衡 value.
    if (!lastPeriod && previousCodes(parsed.expr).length > 0) {
      const at = source.search(/PREV\s*\(/i);
      issues.push({
        code: 'def.bad_expression',
        severity: 'error',
        ...where(item, subject, field),
        original: source,
        params: { expression: source, offset: Math.max(0, at), message_zh: 'PREV() 只能用于校验规则', message_en: 'PREV() can be used in validation rules only' },
      });
      faulty.add(item);
      return [];
    }
    const refs = referencedCodes(parsed.expr);
    for (const code of refs) {
      if (indicatorCodes.has(code)) continue;
      issues.push({ code: 'def.unknown_code', severity: 'error', ...where(item, subject, field), params: { code, expression: source } });
      faulty.add(item);
    }
    return refs;
  };

  for (const r of defs.rules) {
    expression(r, r.id, 'lhs', r.lhs, true);
    expression(r, r.id, 'rhs', r.rhs, true);
  }
  for (const r of defs.rates) {
    const refs = [...expression(r, r.code, 'numerator', r.numerator), ...expression(r, r.code, 'denominator', r.denominator)];
    if (r.stated === undefined) continue;
    if (!indicatorCodes.has(r.stated)) {
      issues.push({ code: 'def.unknown_code', severity: 'error', ...where(r, r.code, 'stated'), params: { code: r.stated } });
      faulty.add(r);
    } else if (refs.includes(r.stated)) {
      // The stated rate is the school's own figure the computed rate is checked against: computing the rate from it checks it against itself.
      issues.push({ code: 'def.cycle', severity: 'error', ...where(r, r.code, 'stated'), params: { path: `${r.code} → ${r.stated} → ${r.code}` } });
      faulty.add(r);
    }
  }
  for (const d of defs.dispersions) {
    expression(d, d.code, 'value', d.value);
    expression(d, d.code, 'weight', d.weight);
  }

  // A standard with a broken indicator is left out whole: a 综合 over fewer indicators would not be the official one.
  for (const st of defs.standards ?? []) {
    const codes = new Map<string, object>();
    for (const ind of st.indicators) {
      claim(ind, ind.code, 'code', codes, 'def.duplicate_code');
      const before = faulty.size;
      expression(ind, `${st.code}.${ind.code}`, 'value', ind.value);
      if (faulty.size > before || faulty.has(ind)) faulty.add(st);
    }
    // The weight each stage is assessed with: the stage's own where given, else the standard's.
    const weights = new Map<string, string>();
    if (st.weights?.小学 === undefined || st.weights.初中 === undefined) weights.set('weight', st.weight);
    if (st.weights?.小学 !== undefined) weights.set('weightPrimary', st.weights.小学);
    if (st.weights?.初中 !== undefined) weights.set('weightJunior', st.weights.初中);
    for (const [field, source] of weights) expression(st, st.code, field, source);
  }
  for (const [stage, code] of Object.entries(defs.stageStudents ?? {})) {
    if (code === undefined || indicatorCodes.has(code)) continue;
    issues.push({ code: 'def.unknown_code', severity: 'error', subject: stage, field: 'stageStudents', params: { code } });
    faulty.add(defs.stageStudents!);
  }

  const schools = new Map<string, object>();
  for (const s of defs.roster) claim(s, s.code, 'code', schools, 'def.duplicate_school');
  return { issues, faulty };
}

/** Every whole-set problem of `defs`, as issues; an empty list when the set can be used as it is. */
export function checkDefinitions(defs: Definitions): Issue[] {
  return inspect(defs).issues;
}

/** The whole-set problems, and the definitions without the items they blame (a duplicate after its first, a broken expression), so the engine never runs on them. */
export function checkAndClean(defs: Definitions): { readonly definitions: Definitions; readonly issues: Issue[] } {
  const { issues, faulty } = inspect(defs);
  if (faulty.size === 0) return { definitions: defs, issues };
  const keep = <T extends object>(items: readonly T[]): T[] => items.filter((x) => !faulty.has(x));
  const { stageStudents, ...rest } = defs;
  return {
    definitions: {
      ...rest,
      indicators: keep(defs.indicators),
      rules: keep(defs.rules),
      rates: keep(defs.rates),
      dispersions: keep(defs.dispersions),
      ...(defs.standards ? { standards: keep(defs.standards) } : {}),
      ...(stageStudents && !faulty.has(stageStudents) ? { stageStudents } : {}),
      roster: keep(defs.roster),
    },
    issues,
  };
}
