/**
 * Definitions prepared once for the engine: every expression parsed a single time per definition
 * set, and the per-school rate computation shared by validation (school rates, stated-rate checks)
 * and consolidation (group rates are sums of the school sides computed here).
 */
import { compareNumbers, evaluate, isEvalError, parseExpression, previousCodes, referencedCodes, roundHalfAway, type EvalValue, type Expr } from './expr';
import type { Bilingual, Definitions, Dispersion, Indicator, Rate, RateValue, Rule, TargetStatus, Value } from './types';
import { record } from './record';

/** A rule with both sides parsed (`null` when a side does not parse; definition checks report that). */
export interface CompiledRule {
  readonly rule: Rule;
  readonly lhs: Expr | null;
  readonly rhs: Expr | null;
  /** Both sides as a person reads them: each indicator code replaced by its label, in each language. */
  readonly words: { readonly lhs: Bilingual; readonly rhs: Bilingual };
  /** Codes of both sides, left side first, each once. */
  readonly refs: readonly string[];
  /** Codes whose last-period value the rule reads (`PREV(X)`): the rule is checked only where last period has them. */
  readonly previous: readonly string[];
}

/** A rule as a person reads it, in one language: its sides in words around its operator. */
export function ruleInWords(r: CompiledRule, lang: 'zh' | 'en'): string {
  return `${r.words.lhs[lang]} ${r.rule.op} ${r.words.rhs[lang]}`;
}

/** A rate with numerator and denominator parsed. */
export interface CompiledRate {
  readonly rate: Rate;
  readonly numerator: Expr | null;
  readonly denominator: Expr | null;
  readonly numeratorRefs: readonly string[];
  readonly denominatorRefs: readonly string[];
}

/** A dispersion with its value and weight parsed. */
export interface CompiledDispersion {
  readonly dispersion: Dispersion;
  readonly value: Expr | null;
  readonly weight: Expr | null;
}

/** Definitions with every expression parsed, and indicators by code. */
export interface CompiledDefinitions {
  readonly indicatorByCode: ReadonlyMap<string, Indicator>;
  readonly rules: readonly CompiledRule[];
  readonly rates: readonly CompiledRate[];
  readonly dispersions: readonly CompiledDispersion[];
}

const cache = new WeakMap<Definitions, CompiledDefinitions>();

/** An expression's tree, or null when it does not parse (the definition checks report why). */
export function parsed(source: string): Expr | null {
  const r = parseExpression(source);
  return r.ok ? r.expr : null;
}

function refsOf(...exprs: (Expr | null)[]): string[] {
  const out = new Set<string>();
  for (const e of exprs) if (e) for (const c of referencedCodes(e)) out.add(c);
  return [...out];
}

/** An expression with each indicator code replaced by the indicator's label (`AS_PARTICIPANTS <= STUDENTS` → `课后服务参加人数 <= 在校学生数`). */
export function inWords(source: string, defs: Pick<Definitions, 'indicators'>): Bilingual {
  const byCode = new Map(defs.indicators.map((i) => [i.code, i.label]));
  const label = (code: string, lang: 'zh' | 'en'): string => byCode.get(code)?.[lang] ?? code;
  // PREV(X) reads as last period's X: 上期在校学生数, Students enrolled last period.
  const swap = (lang: 'zh' | 'en'): string =>
    source
      .replace(/\bPREV\s*\(\s*([A-Za-z_\u4e00-\u9fff][A-Za-z0-9_\u4e00-\u9fff]*)\s*\)/gi, (_m, code: string) => (lang === 'zh' ? `上期${label(code, lang)}` : `(${label(code, lang)} last period)`))
      .replace(/[A-Za-z_\u4e00-\u9fff][A-Za-z0-9_\u4e00-\u9fff]*/g, (tok) => label(tok, lang))
      .replace(/^=/, '');
  return { zh: swap('zh'), en: swap('en') };
}

/** Parses every expression of a definition set once; the result is cached per definitions object. */
export function compileDefinitions(defs: Definitions): CompiledDefinitions {
  const hit = cache.get(defs);
  if (hit) return hit;
  const compiled: CompiledDefinitions = {
    indicatorByCode: new Map(defs.indicators.map((i) => [i.code, i])),
    rules: defs.rules.map((rule) => {
      const lhs = parsed(rule.lhs);
      const rhs = parsed(rule.rhs);
      const previous = [...new Set([...(lhs ? previousCodes(lhs) : []), ...(rhs ? previousCodes(rhs) : [])])];
      return { rule, lhs, rhs, refs: refsOf(lhs, rhs), previous, words: { lhs: inWords(rule.lhs, defs), rhs: inWords(rule.rhs, defs) } };
    }),
    rates: defs.rates.map((rate) => {
      const numerator = parsed(rate.numerator);
      const denominator = parsed(rate.denominator);
      return { rate, numerator, denominator, numeratorRefs: refsOf(numerator), denominatorRefs: refsOf(denominator) };
    }),
    dispersions: defs.dispersions.map((dispersion) => ({ dispersion, value: parsed(dispersion.value), weight: parsed(dispersion.weight) })),
  };
  cache.set(defs, compiled);
  return compiled;
}

/** A lookup over a school's values: finite numbers as they are, anything else missing. */
export function lookupIn(values: Readonly<Record<string, Value>>): (code: string) => number | null {
  return (code) => {
    const v = values[code];
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  };
}

/**
 * One side of a rate for one school. Missing when every code it refers to is missing; otherwise a
 * missing code counts as 0, as a blank cell does in an Excel sum (a public kindergarten that leaves
 * 普惠性民办 blank still has KG_PUBLIC + KG_INCLUSIVE_PRIVATE). Error values count as missing.
 */
export function rateSide(expr: Expr | null, refs: readonly string[], values: Readonly<Record<string, Value>>): number | null {
  if (expr === null) return null;
  let any = refs.length === 0;
  for (const c of refs) {
    if (typeof values[c] === 'number') {
      any = true;
      break;
    }
  }
  if (!any) return null;
  const v: EvalValue = evaluate(expr, (code) => {
    const x = values[code];
    return typeof x === 'number' ? x : 0;
  });
  return v === null || isEvalError(v) ? null : v;
}

/** Whether a rate value meets its target, judged on the value rounded to the rate's decimals (the figure as published). */
export function rateStatus(rate: Rate, value: number | null): TargetStatus {
  if (value === null) return 'undefined';
  if (rate.target === undefined) return 'no_target';
  return compareNumbers(roundHalfAway(value, rate.decimals), rate.target.op, rate.target.value) ? 'met' : 'not_met';
}

/** A rate from its summed sides: numerator ÷ denominator × factor, `null` when a side is missing or the denominator is 0. */
export function rateValue(rate: Rate, numerator: number | null, denominator: number | null): RateValue {
  const value = numerator === null || denominator === null || denominator === 0 ? null : (numerator / denominator) * rate.factor;
  const finite = value !== null && Number.isFinite(value) ? value : null;
  return { numerator, denominator, value: finite, status: rateStatus(rate, finite) };
}

/** Every rate of one school, in full precision. */
export function schoolRates(rates: readonly CompiledRate[], values: Readonly<Record<string, Value>>): Record<string, RateValue> {
  const out = record<RateValue>();
  for (const r of rates) {
    out[r.rate.code] = rateValue(r.rate, rateSide(r.numerator, r.numeratorRefs, values), rateSide(r.denominator, r.denominatorRefs, values));
  }
  return out;
}
