/**
 * The checks a school form (填报表) makes on itself while the school types: each check a worksheet
 * formula that is TRUE when the check fails, made from the definitions the engine validates with —
 * the indicator's own bounds and type, the rules through the expression language's Excel
 * translation (`toExcelRuleFailure`), a stated rate against the rate's own formula at its decimals.
 * Only functions Excel 2010, WPS and LibreOffice all have are used (IF, AND, OR, NOT, ISBLANK,
 * ISNUMBER, COUNT, COUNTA, COUNTIF, N, ABS, MAX, ROUND, INT, LEN, TRIM, TEXT, IFERROR).
 */
import { compileDefinitions, ruleInWords } from '../core/compile';
import { toExcelRuleFailure } from '../core/expr';
import type { Definitions, Indicator, Lang } from '../core/types';

/** One check: where its message shows (the row of the cell it is about), the failing condition, its message as a formula term. */
export interface FormCheck {
  /** Zero-based row the message sits beside: the row of the cell the engine would name. */
  readonly row: number;
  /** An Excel condition, TRUE when the check fails. */
  readonly fails: string;
  /** The message as an Excel text expression (a quoted literal, or literals joined with `&`). */
  readonly message: string;
  /** A check of the cell's own value that makes the engine stop comparing it (out of bounds, not whole, on the wrong scale). */
  readonly blocking?: boolean;
  /** The figure a check of one cell is about, for a form that shows all messages in one cell. */
  readonly label?: string;
  /** Stands aside when a blocking check of its row fails: a stated rate already reported as a wrong value. */
  readonly unlessBlocked?: boolean;
}

/** A rule the form cannot check (its expression does not parse, it names a figure not on the form, or it compares with last period). */
export interface UncheckedRule {
  readonly text: string;
}

/** An Excel string literal: quotes doubled. */
export function quoted(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** A number as a formula constant. */
function num(n: number): string {
  return Number.isFinite(n) ? String(n).toUpperCase() : '0';
}

/** A message that ends as a sentence, so several beside one row read apart. */
function sentence(s: string, lang: Lang): string {
  const t = s.trimEnd();
  if (/[。.!！?？；;]$/.test(t)) return t;
  return t + (lang === 'zh-CN' ? '。' : '. ');
}

const WORDS = {
  'zh-CN': {
    header: '自查提示',
    result: '自查结果：',
    none: '未发现问题',
    separator: '；',
    found: (n: string) => `"发现 "&${n}&" 处问题"`,
    codeMissing: '请填写学校代码',
    required: '必填，请填写',
    notNumber: '请填写数字，不带单位、逗号或文字',
    notWhole: '请填写整数',
    below: (min: number) => `不能小于 ${min}`,
    above: (max: number) => `不能大于 ${max}`,
    above100: '百分数超过 100，请核对',
    fractionAsPercent: '此处填 0 到 1 之间的小数（如 0.95），不是百分数',
    percentAsFraction: '百分数请直接填写百分数的数值，例如 95 而不是 0.95',
    stated: (label: string) => `所填${label}与按本表数据算出的 `,
    statedTail: ' 不一致',
    laterHeading: '报送后由教育局校验',
    laterLine: (message: string, words: string) => `${message}（${words}）`,
    note: '表头“自查结果”和右侧“自查提示”列在填写时即时检查本表；请改正提示的问题后再报送。',
  },
  'en-US': {
    header: 'Self-check',
    result: 'Self-check: ',
    none: 'no problems found',
    separator: '; ',
    found: (n: string) => `${n}&" problem(s) found"`,
    codeMissing: 'Type the school code',
    required: 'Required: please fill in',
    notNumber: 'Type a number, without units, commas or words',
    notWhole: 'Type a whole number',
    below: (min: number) => `Must be at least ${min}`,
    above: (max: number) => `Must be at most ${max}`,
    above100: 'A percentage above 100: please check',
    fractionAsPercent: 'Type a fraction between 0 and 1 (e.g. 0.95), not a percentage',
    percentAsFraction: 'Type the percentage itself, e.g. 95 rather than 0.95',
    stated: (label: string) => `The ${label} stated differs from the `,
    statedTail: ' computed from this form',
    laterHeading: 'Checked by the bureau after submission',
    laterLine: (message: string, words: string) => `${message} (${words})`,
    note: 'The self-check line at the top and the self-check column check this form as you type; fix what they show before sending it.',
  },
} as const;

/** The form's words for its checks, in `lang`. */
export function checkWords(lang: Lang): (typeof WORDS)[Lang] {
  return WORDS[lang];
}

/** Where the form put things: each indicator's value cell and row, each rate's value cell, the school code cell. */
export interface FormCells {
  readonly codeCell: string;
  readonly rowOf: ReadonlyMap<string, number>;
  readonly addressOf: ReadonlyMap<string, string>;
  readonly rateCellOf: ReadonlyMap<string, string>;
}

const NUMERIC = new Set<Indicator['type']>(['integer', 'decimal', 'percent', 'fraction']);

/** A check of one indicator's own cell: required, a number, whole, within bounds, on its scale. */
function fieldChecks(ind: Indicator, row: number, x: string, lang: Lang, percentRateCell: string | undefined): FormCheck[] {
  const w = WORDS[lang];
  const raw: FormCheck[] = [];
  const out = { push: (...checks: FormCheck[]): number => raw.push(...checks.map((c) => ({ ...c, label: ind.label[lang === 'zh-CN' ? 'zh' : 'en'] }))) };
  const msg = (s: string): string => quoted(sentence(s, lang));
  if (ind.required) out.push({ row, fails: `LEN(TRIM(${x}))=0`, message: msg(w.required) });
  if (!NUMERIC.has(ind.type)) return raw;
  out.push({ row, fails: `AND(LEN(TRIM(${x}))>0,NOT(ISNUMBER(${x})))`, message: msg(w.notNumber) });
  // AND evaluates every argument: text in the cell would make arithmetic an error, so each test of the value is guarded by IF and reads it through N().
  const v = `N(${x})`;
  const ifNumber = (test: string): string => `IF(ISNUMBER(${x}),${test},FALSE)`;
  if (ind.type === 'integer') out.push({ row, fails: ifNumber(`ABS(${v}-ROUND(${v},0))>1E-9*MAX(1,ABS(${v}))`), message: msg(w.notWhole), blocking: true });
  if (ind.min !== undefined) out.push({ row, fails: ifNumber(`${v}<${num(ind.min)}`), message: msg(w.below(ind.min)), blocking: true });
  if (ind.max !== undefined) out.push({ row, fails: ifNumber(`${v}>${num(ind.max)}`), message: msg(w.above(ind.max)), blocking: true });
  const inBounds = [ind.min !== undefined ? `${v}>=${num(ind.min)}` : null, ind.max !== undefined ? `${v}<=${num(ind.max)}` : null].filter((t): t is string => t !== null);
  const within = (test: string): string => ifNumber(`AND(${[...inBounds, test].join(',')})`);
  if (ind.type === 'percent' && ind.max === undefined) out.push({ row, fails: within(`${v}>100`), message: msg(w.above100) });
  if (ind.type === 'fraction' && ind.max === undefined) out.push({ row, fails: within(`${v}>1`), message: msg(w.fractionAsPercent) });
  if (ind.type === 'percent') {
    // 0.95 typed for 95 %: the engine says so when the school's own counts give a rate above 1 %, or, with no rate to compare, whenever the value is a fraction.
    const byRate = percentRateCell === undefined ? '' : `,ISNUMBER(${percentRateCell}),N(${percentRateCell})>1`;
    out.push({ row, fails: within(`${v}>0,${v}<=1${byRate}`), message: msg(w.percentAsFraction), blocking: true });
  }
  return raw;
}

/**
 * Every check the form can make on itself, located at the rows the engine's validation would name,
 * and the rules it cannot make (listed under the form for the school to read).
 * A stated-rate check is marked to stand aside when the stated cell's own check fails, as the engine does.
 */
export function formChecks(defs: Definitions, lang: Lang, at: FormCells): { checks: FormCheck[]; unchecked: UncheckedRule[] } {
  const w = WORDS[lang];
  const compiled = compileDefinitions(defs);
  // Nothing may stand right of a metadata label: the form reader takes the first filled cell there for the school's code. The code's check sits in the title row.
  const checks: FormCheck[] = [{ row: 0, fails: `LEN(TRIM(${at.codeCell}))=0`, message: quoted(sentence(w.codeMissing, lang)) }];

  const statedBy = new Map<string, string>();
  for (const r of defs.rates) if (r.stated !== undefined && !statedBy.has(r.stated)) statedBy.set(r.stated, r.code);

  for (const ind of defs.indicators) {
    const row = at.rowOf.get(ind.code);
    const x = at.addressOf.get(ind.code);
    if (row === undefined || x === undefined) continue;
    const rate = statedBy.get(ind.code);
    checks.push(...fieldChecks(ind, row, x, lang, rate === undefined ? undefined : at.rateCellOf.get(rate)));
  }

  const unchecked: UncheckedRule[] = [];
  const zh = lang === 'zh-CN' ? 'zh' : 'en';
  for (const r of compiled.rules) {
    const onForm = r.refs.every((c) => at.addressOf.has(c));
    // A rule against last period's value (PREV) needs last period's figures, which the form does not hold.
    if (r.lhs === null || r.rhs === null || !onForm || r.refs.length === 0 || r.previous.length > 0) {
      unchecked.push({ text: w.laterLine(r.rule.message[zh], ruleInWords(r, zh)) });
      continue;
    }
    const fails = toExcelRuleFailure(r.lhs, r.rhs, r.rule, (code) => at.addressOf.get(code)!);
    const message = r.rule.message[zh].trim() !== '' ? r.rule.message[zh] : ruleInWords(r, zh);
    checks.push({ row: at.rowOf.get(r.refs[0]!)!, fails, message: quoted(sentence(message, lang)) });
  }

  for (const { rate } of compiled.rates) {
    if (rate.stated === undefined) continue;
    const row = at.rowOf.get(rate.stated);
    const s = at.addressOf.get(rate.stated);
    const c = at.rateCellOf.get(rate.code);
    const ind = compiled.indicatorByCode.get(rate.stated);
    if (row === undefined || s === undefined || c === undefined || ind === undefined) continue;
    // The scale the school typed on, as the engine reads it: a fraction-type cell against a percentage.
    const scaled = ind.type === 'fraction' && rate.factor === 100 ? `(${s}*100)` : s;
    const slack = `1E-9*MAX(1,ABS(${c}))`;
    // The stated figure's own decimals, at most the rate's: 88.8 is compared at one decimal.
    const differs = (k: number): string => {
      const unit = 10 ** -k;
      return `AND(ABS(ROUND(${scaled},${k})-${c})>${num(unit / 2)}+${slack},ABS(ROUND(${scaled},${k})-ROUND(${c},${k}))>${num(unit)}+${slack})`;
    };
    let mismatch = differs(rate.decimals);
    for (let k = rate.decimals - 1; k >= 0; k--) mismatch = `IF(ROUND(${scaled},${k})=${scaled},${differs(k)},${mismatch})`;
    const label = rate.label[zh];
    const digits = rate.decimals > 0 ? `0.${'0'.repeat(rate.decimals)}` : '0';
    checks.push({
      row,
      fails: `IF(AND(ISNUMBER(${s}),ISNUMBER(${c})),${mismatch},FALSE)`,
      message: `${quoted(w.stated(label))}&TEXT(${c},${quoted(digits)})&${quoted(sentence(w.statedTail, lang))}`,
      unlessBlocked: true,
    });
  }
  return { checks, unchecked };
}
