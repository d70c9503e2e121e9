/**
 * Reading school sheets into submissions. A form layout is the generated 填报表: a metadata block
 * (学校代码, 学校名称, 填报期), then `代码 | 指标 | 单位 | 数值` rows; a table layout is one row per
 * school, as online forms export. Everything is found by its label, never by its position, so a
 * school that inserted rows, swapped columns, merged label cells or renamed the sheet is still
 * read right. Problems in the sheet are issues; nothing here throws on bad data.
 */
import { cellAddress, SHEET_COLUMNS, type CellValue, type MergeRange, type SheetGrid, type WorkbookGrid } from './grid';
import { cellText, isBlankCell, looseLabel, normalizeLabel } from './definitions/text';
import type { FormLayout, Indicator, Issue, Rate, SheetLayout, Submission, TableLayout } from './types';
import { record } from './record';

/** What reading one workbook gave: the submissions, every issue, and where each submission's rate cells are. */
export interface SubmissionsRead {
  readonly submissions: Submission[];
  readonly issues: Issue[];
  /** For submission i (index into `submissions`), the A1 address of each rate's cell on its sheet, by rate code. */
  readonly rateCells: Record<number, Record<string, string>>;
}

/** Reads every school submission in a workbook laid out as `layout`; bad data becomes issues, never exceptions. */
export function readSubmissions(book: WorkbookGrid, layout: SheetLayout, indicators: readonly Indicator[], rates: readonly Rate[]): SubmissionsRead {
  const out: SubmissionsRead = { submissions: [], issues: [], rateCells: {} };
  const ctx: Context = { book, catalog: catalogOf(indicators, rates), out };
  if (layout.kind === 'form') readForms(ctx, layout);
  else readTables(ctx, layout);
  return out;
}

/** How many rows from the top a table's header row is looked for in (a title or a note may come first). */
const TABLE_HEADER_ROWS = 20;

/** 学校标识码 has 10 digits; a code typed as a number is padded back to this. */
const SCHOOL_CODE_DIGITS = 10;

const BRACKET = /[([【]/u;
/**
 * Printable ASCII without spaces or colons, CJK unified ideographs and the ideographic comma, full stop
 * and title marks: text that `normalizeLabel` would only lower-case (NFKC leaves each of these as it is).
 */
const PLAIN_TEXT = /^[\x21-\x39\x3b-\x7e\u3001\u3002\u300a\u300b\u4e00-\u9fff]*$/u;
const COLON = /[:：]/u;

type RawCell = Submission['raw'][string];

interface Context {
  readonly book: WorkbookGrid;
  readonly catalog: Catalog;
  readonly out: SubmissionsRead;
}

// ───────────────────────────── what a code or label names ─────────────────────────────

/** An indicator, a rate, or both, that a row's code or label (or a table's header) names. */
interface Target {
  indicator?: Indicator;
  rate?: Rate;
}

/** The definitions as lookups by normalised code and label. */
interface Catalog {
  readonly indicators: readonly Indicator[];
  readonly byCode: ReadonlyMap<string, Target>;
  /** By normalised label; `null` marks a label shared by two different indicators (or two rates): it names neither. */
  labels(): { readonly indicators: ReadonlyMap<string, Target | null>; readonly rates: ReadonlyMap<string, Target | null> };
}

// A job reads thousands of books against one set of definitions: their lookups are built once per
// indicators and rates lists (definitions are never changed in place), not once per book.
const catalogs = new WeakMap<readonly Indicator[], { readonly rates: readonly Rate[]; readonly catalog: Catalog }>();

function catalogOf(indicators: readonly Indicator[], rates: readonly Rate[]): Catalog {
  const known = catalogs.get(indicators);
  if (known !== undefined && known.rates === rates) return known.catalog;
  const catalog = buildCatalog(indicators, rates);
  catalogs.set(indicators, { rates, catalog });
  return catalog;
}

function buildCatalog(indicators: readonly Indicator[], rates: readonly Rate[]): Catalog {
  const byCode = new Map<string, Target>();
  for (const ind of indicators) {
    const key = labelKey(ind.code);
    if (key === '') continue;
    const t = byCode.get(key);
    if (t === undefined) byCode.set(key, { indicator: ind });
    else t.indicator ??= ind;
  }
  for (const rate of rates) {
    const key = labelKey(rate.code);
    if (key === '') continue;
    const t = byCode.get(key);
    if (t === undefined) byCode.set(key, { rate });
    else t.rate ??= rate;
  }
  const byLabel = <T extends { code: string; label: { zh: string; en: string } }>(items: readonly T[], target: (item: T) => Target): Map<string, Target | null> => {
    const map = new Map<string, Target | null>();
    const owner = new Map<string, string>();
    for (const item of items) {
      for (const text of [item.label.zh, item.label.en]) {
        const key = labelKey(text);
        if (key === '') continue;
        const first = owner.get(key);
        if (first === undefined) {
          owner.set(key, item.code);
          map.set(key, target(item));
        } else if (first !== item.code) {
          map.set(key, null);
        }
      }
    }
    return map;
  };
  // Labels are only needed when a row's code is blank or unknown, which a clean form never has.
  let labels: ReturnType<Catalog['labels']> | undefined;
  return {
    indicators,
    byCode,
    labels: () =>
      (labels ??= {
        indicators: byLabel(indicators, (ind) => byCode.get(labelKey(ind.code)) ?? { indicator: ind }),
        rates: byLabel(rates, (rate) => ({ rate })),
      }),
  };
}

/** The indicator (else the rate) whose label is `key`; nothing when the label is ambiguous. */
function byLabel(catalog: Catalog, key: string): Target | undefined {
  if (key === '') return undefined;
  const labels = catalog.labels();
  const ind = labels.indicators.get(key);
  if (ind !== undefined) return ind ?? undefined;
  return labels.rates.get(key) ?? undefined;
}

/** A set of labels as compared: each normalised, and also without bracketed asides. */
function labelSet(labels: readonly string[]): ReadonlySet<string> {
  const set = new Set<string>();
  for (const l of labels) {
    for (const key of [normalizeLabel(l), looseLabel(l)]) if (key !== '') set.add(key);
  }
  return set;
}

// Every school's sheet repeats the template's codes and labels: each text is normalised once per job.
const KEYS_KEPT = 20_000;
const keys = new Map<string, string>();
const looseKeys = new Map<string, string>();

/** `work(text)`, remembered in `kept`; bounded, so that a batch of files full of distinct texts does not grow it without end. */
function remembered(kept: Map<string, string>, text: string, work: (text: string) => string): string {
  let done = kept.get(text);
  if (done === undefined) {
    done = work(text);
    if (kept.size >= KEYS_KEPT) kept.clear();
    if (text.length <= 200) kept.set(text, done);
  }
  return done;
}

const plainOrNormalised = (text: string): string => (PLAIN_TEXT.test(text) ? text.toLowerCase() : normalizeLabel(text));
const withoutAside = (key: string): string => (BRACKET.test(key) ? looseLabel(key) : '');

/** `normalizeLabel`, without its Unicode work for plain text such as indicator codes and most Chinese labels. */
export function labelKey(text: string): string {
  return remembered(keys, text, plainOrNormalised);
}

/** `looseLabel` of a normalised text with a bracketed aside, `''` without one: worked out once per text, as `labelKey` is. */
function looseKey(key: string): string {
  return remembered(looseKeys, key, withoutAside);
}

/** True when a normalised cell text is one of the labels (`学校代码（必填）` matches `学校代码`). */
function matches(set: ReadonlySet<string>, key: string, loose: (key: string) => string): boolean {
  if (key === '') return false;
  if (set.has(key)) return true;
  const bare = loose(key);
  return bare !== '' && set.has(bare);
}

/**
 * A cell text longer than this is a note or a pasted document, never a code, a label or a header: it
 * is not normalised at all (one long text repeated in many cells would otherwise cost minutes).
 */
export const LABEL_CHARS = 1_000;

/**
 * A sheet's texts as compared, each distinct text worked out once for the sheet however many cells
 * repeat it: the work per sheet grows with its distinct texts, never with texts × cells. Texts up to
 * 200 characters are also remembered across files (`labelKey`), for the template's codes and labels.
 */
class SheetKeys {
  private readonly keys = new Map<string, string>();
  private readonly bare = new Map<string, string>();
  private readonly heads = new Map<string, string>();

  /** The normalised text; `''` for a text too long to be a label. */
  key(text: string): string {
    if (text.length > LABEL_CHARS) return '';
    let key = this.keys.get(text);
    if (key === undefined) this.keys.set(text, (key = labelKey(text)));
    return key;
  }

  /** `looseKey`, once per key and sheet. */
  readonly loose = (key: string): string => {
    let bare = this.bare.get(key);
    if (bare === undefined) this.bare.set(key, (bare = looseKey(key)));
    return bare;
  };

  /** What a key holds before its first colon (`学校代码` of `学校代码:3401020001`), `''` without one; once per key and sheet. */
  beforeColon(key: string): string {
    let head = this.heads.get(key);
    if (head === undefined) {
      const colon = key.indexOf(':');
      this.heads.set(key, (head = colon <= 0 ? '' : key.slice(0, colon)));
    }
    return head;
  }

  /** `matches`, its loose form worked out once per key and sheet. */
  matches(set: ReadonlySet<string>, key: string): boolean {
    return matches(set, key, this.loose);
  }
}

// ───────────────────────────── a sheet, merge-aware ─────────────────────────────

// The work of resolving merges is bounded by these, not by the merges' extent (A1:XFD1048576 is 17 billion
// cells): a form merges a title across its width and a few label cells, never thousands of large ranges.
// Merges past both bounds are not resolved, their cells read as they are.
/** A merge of at most this many cells is mapped cell by cell. */
const SMALL_MERGE = 4_096;
/** Cells mapped in all, per sheet. */
const MERGED_CELLS = 1 << 20;
/** Merges found by their range, per sheet. */
const LARGE_MERGES = 64;

/** A sheet whose texts are compared normalised (once per distinct text and sheet), merged cells resolved to their top-left cell. */
class SheetView {
  readonly rowCount: number;
  readonly width: number;
  /** The sheet's texts as compared. */
  readonly keys = new SheetKeys();
  /** Merges by each of their cells; larger ones in `large`, found by their range. */
  private readonly merged = new Map<number, MergeRange>();
  private readonly large: MergeRange[] = [];

  constructor(readonly sheet: SheetGrid) {
    const values = sheet.values;
    // Trailing rows that hold nothing but blanks (a space typed in A1048576) are not part of the form:
    // every scan below stops at the last row with content.
    let rows = values.length;
    while (rows > 0 && (values[rows - 1] ?? []).every((v) => isBlankCell(v))) rows--;
    this.rowCount = rows;
    let width = 0;
    for (let r = 0; r < rows; r++) width = Math.max(width, values[r]!.length);
    this.width = width;
    let budget = MERGED_CELLS;
    for (const m of sheet.merges ?? []) {
      // Clipped to the grid: merged cells outside it hold nothing to read.
      const r1 = Math.min(m.r1, this.rowCount - 1);
      const c1 = Math.min(m.c1, width - 1, SHEET_COLUMNS - 1);
      if (m.r0 < 0 || m.c0 < 0 || m.r0 > r1 || m.c0 > c1 || (m.r0 === r1 && m.c0 === c1)) continue;
      const area = (r1 - m.r0 + 1) * (c1 - m.c0 + 1);
      if (area <= SMALL_MERGE && area <= budget) {
        budget -= area;
        for (let r = m.r0; r <= r1; r++) for (let c = m.c0; c <= c1; c++) this.merged.set(r * SHEET_COLUMNS + c, m);
      } else if (this.large.length < LARGE_MERGES) {
        this.large.push(m);
      }
    }
  }

  /** The merge holding (r, c), if any. */
  private mergeAt(r: number, c: number): MergeRange | undefined {
    const m = this.merged.size > 0 ? this.merged.get(r * SHEET_COLUMNS + c) : undefined;
    if (m !== undefined || this.large.length === 0) return m;
    return this.large.find((l) => l.r0 <= r && r <= l.r1 && l.c0 <= c && c <= l.c1);
  }

  /** The cell whose value (r, c) shows: the top-left of its merge, or itself. */
  anchor(r: number, c: number): readonly [number, number] {
    const m = this.mergeAt(r, c);
    return m === undefined ? [r, c] : [m.r0, m.c0];
  }

  /** The last column of the merge holding (r, c), or `c`. */
  mergeEnd(r: number, c: number): number {
    const m = this.mergeAt(r, c);
    return m === undefined ? c : Math.min(m.c1, this.width - 1);
  }

  /** The value (r, c) shows, merges resolved. */
  value(r: number, c: number): CellValue {
    if (this.merged.size === 0) return this.sheet.values[r]?.[c] ?? null;
    const [ar, ac] = this.anchor(r, c);
    return this.sheet.values[ar]?.[ac] ?? null;
  }

  /** The normalised text (r, c) shows, merges resolved; `''` for anything but text. */
  norm(r: number, c: number): string {
    if (this.merged.size === 0) return this.ownNorm(r, c);
    const [ar, ac] = this.anchor(r, c);
    return this.ownNorm(ar, ac);
  }

  /** The normalised text of the cell itself, ignoring merges (each distinct text normalised once per sheet). */
  ownNorm(r: number, c: number): string {
    const v = this.sheet.values[r]?.[c];
    return typeof v === 'string' ? this.keys.key(v) : '';
  }

  rowLength(r: number): number {
    return this.sheet.values[r]?.length ?? 0;
  }

  isBlankRow(r: number): boolean {
    return (this.sheet.values[r] ?? []).every((v) => isBlankCell(v));
  }

  /** The value cell as a submission keeps it: the merge's top-left value, address and number format. */
  rawCell(r: number, c: number): RawCell {
    const m = this.mergeAt(r, c);
    const ar = m === undefined ? r : m.r0;
    const ac = m === undefined ? c : m.c0;
    const fmt = this.sheet.numberFormats?.[ar]?.[ac];
    const value = this.sheet.values[ar]?.[ac] ?? null;
    const uncached = value === null && typeof this.sheet.formulas?.[ar]?.[ac] === 'string';
    const cell = cellAddress(ar, ac);
    if (typeof fmt === 'string') return uncached ? { value, cell, numberFormat: fmt, uncached } : { value, cell, numberFormat: fmt };
    return uncached ? { value, cell, uncached } : { value, cell };
  }
}

// ───────────────────────────── school codes and issues ─────────────────────────────

/** Where an issue is: the sheet, and the file when the workbook names one. */
function place(ctx: Context, sheet: string): { file?: string; sheet: string } {
  return { ...(ctx.book.source !== undefined ? { file: ctx.book.source } : {}), sheet };
}

/**
 * A school code as text; a number (the school reformatted the text cell) is padded back to 10 digits
 * and reported. In a text file (CSV) every cell is text: a code is reported only when it has lost digits.
 */
function readSchoolCode(v: CellValue, cell: string, at: { file?: string; sheet: string }, issues: Issue[], fromText = false): string {
  if (typeof v === 'string') return v.normalize('NFKC').trim();
  if (typeof v !== 'number' || !Number.isFinite(v)) return '';
  const original = String(v);
  const whole = Number.isInteger(v) && v >= 0 && v < 1e21;
  const padded = whole ? v.toFixed(0).padStart(SCHOOL_CODE_DIGITS, '0') : cellText(v);
  if (fromText && whole && padded === v.toFixed(0)) return padded;
  issues.push({ code: 'value.code_as_number', severity: 'warning', school: padded, ...at, cell, original, params: { original, padded } });
  return padded;
}

/** One `sheet.indicator_not_found` per indicator that has no row (or column) on the sheet. */
function missingIndicators(ctx: Context, found: { has(code: string): boolean }, at: { file?: string; sheet: string }, school: string, issues: Issue[]): void {
  for (const ind of ctx.catalog.indicators) {
    if (found.has(ind.code)) continue;
    issues.push({
      code: 'sheet.indicator_not_found',
      severity: ind.required ? 'error' : 'warning',
      ...(school !== '' ? { school } : {}),
      ...at,
      subject: ind.code,
      params: { code: ind.code, label: ind.label.zh, label_en: ind.label.en },
    });
  }
}

function sheetNotFound(ctx: Context, sheetName: string | undefined): void {
  ctx.out.issues.push({
    code: 'sheet.not_found',
    severity: 'error',
    ...(ctx.book.source !== undefined ? { file: ctx.book.source } : {}),
    ...(sheetName !== undefined ? { sheet: sheetName } : {}),
    params: { sheet: sheetName ?? null },
  });
}

/** The sheet the layout names (compared as labels), if the workbook has it. */
function namedSheet(book: WorkbookGrid, name: string | undefined): SheetGrid | undefined {
  if (name === undefined || name.trim() === '') return undefined;
  const key = labelKey(name);
  return book.sheets.find((s) => labelKey(s.name) === key);
}

// ───────────────────────────── form layout ─────────────────────────────

interface FormSets {
  readonly code: ReadonlySet<string>;
  readonly name: ReadonlySet<string>;
  readonly period: ReadonlySet<string>;
  readonly codeHeader: ReadonlySet<string>;
  readonly labelHeader: ReadonlySet<string>;
  readonly valueHeader: ReadonlySet<string>;
}

/** Columns of the indicator table; `label` is -1 when the header has no label column. */
interface FormColumns {
  readonly code: number;
  readonly label: number;
  readonly value: number;
}

/** A metadata value: what the cell holds and where; `cell` is the label's right neighbour when nothing was filled in. */
interface MetaField {
  readonly value: CellValue;
  readonly cell: string;
}

/** The school code, name and period a form's sheet holds, each where found. */
interface FormMeta {
  readonly code: MetaField | undefined;
  readonly name: MetaField | undefined;
  readonly period: MetaField | undefined;
}

interface FormScan {
  readonly view: SheetView;
  readonly header: { readonly row: number; readonly columns: FormColumns } | null;
  readonly meta: FormMeta;
}

const formSetsByLayout = new WeakMap<FormLayout, FormSets>();

/** The layout's labels as compared, made once per layout. */
function formSets(layout: FormLayout): FormSets {
  let sets = formSetsByLayout.get(layout);
  if (sets === undefined) {
    sets = {
      code: labelSet(layout.schoolCodeLabels),
      name: labelSet(layout.schoolNameLabels),
      period: labelSet(layout.periodLabels),
      codeHeader: labelSet(layout.codeHeaders),
      labelHeader: labelSet(layout.labelHeaders),
      valueHeader: labelSet(layout.valueHeaders),
    };
    formSetsByLayout.set(layout, sets);
  }
  return sets;
}

function readForms(ctx: Context, layout: FormLayout): void {
  const sets = formSets(layout);
  const scan = (sheet: SheetGrid): FormScan => {
    const view = new SheetView(sheet);
    return { view, header: findFormHeader(view, sets), meta: findMetadata(view, sets) };
  };
  const named = namedSheet(ctx.book, layout.sheetName);
  let forms: FormScan[];
  // A hidden sheet with the form's name is not taken on its name alone: the visible sheets are looked at too.
  if (named !== undefined && named.hidden !== true) {
    forms = [scan(named)];
  } else {
    const all = ctx.book.sheets.map(scan);
    // A sheet with the indicator table is a form; a cover sheet that merely repeats the school code is not,
    // unless no sheet has the table (then the one with the code is the form, with its header missing).
    forms = all.filter((s) => s.header !== null);
    if (forms.length === 0) forms = all.filter((s) => s.meta.code !== undefined);
    // A hidden sheet beside a visible form is an old copy the school kept: the visible one is the submission.
    const visible = forms.filter((s) => s.view.sheet.hidden !== true);
    if (visible.length > 0 && visible.length < forms.length) {
      for (const h of forms.filter((s) => s.view.sheet.hidden === true)) {
        ctx.out.issues.push({
          code: 'sheet.hidden_form',
          severity: 'warning',
          ...place(ctx, h.view.sheet.name),
          params: { sheet: h.view.sheet.name, used: visible.map((v) => v.view.sheet.name).join('、') },
        });
      }
      forms = visible;
    }
  }
  if (forms.length === 0) {
    sheetNotFound(ctx, layout.sheetName);
    return;
  }
  for (const form of forms) readFormSheet(ctx, layout, sets, form);
}

/** The header columns if row `r` is a header row (a code header and a value header), else null. */
function formHeaderAt(view: SheetView, r: number, sets: FormSets): FormColumns | null {
  let code = -1;
  let value = -1;
  let label = -1;
  const n = view.rowLength(r);
  for (let c = 0; c < n; c++) {
    const key = view.ownNorm(r, c);
    if (key === '') continue;
    if (code < 0 && view.keys.matches(sets.codeHeader, key)) code = c;
    else if (value < 0 && view.keys.matches(sets.valueHeader, key)) value = c;
    else if (label < 0 && view.keys.matches(sets.labelHeader, key)) label = c;
  }
  return code >= 0 && value >= 0 ? { code, label, value } : null;
}

function findFormHeader(view: SheetView, sets: FormSets): FormScan['header'] {
  for (let r = 0; r < view.rowCount; r++) {
    const columns = formHeaderAt(view, r, sets);
    if (columns !== null) return { row: r, columns };
  }
  return null;
}

/**
 * The school code, name and period: the first cell holding the label, its
 * value the first filled cell to its right. `学校代码：3401020001` in one cell is taken when no cell
 * holds the label alone.
 */
function findMetadata(view: SheetView, sets: FormSets): FormMeta {
  const kinds = [sets.code, sets.name, sets.period];
  const isLabel = (key: string): boolean => kinds.some((k) => view.keys.matches(k, key));
  const exact: (MetaField | undefined)[] = [undefined, undefined, undefined];
  const inline: (MetaField | undefined)[] = [undefined, undefined, undefined];
  let left = kinds.length;
  for (let r = 0; r < view.rowCount && left > 0; r++) {
    const n = view.rowLength(r);
    for (let c = 0; c < n && left > 0; c++) {
      const key = view.ownNorm(r, c);
      if (key === '') continue;
      const k = kinds.findIndex((set) => view.keys.matches(set, key));
      if (k >= 0) {
        if (exact[k] === undefined) {
          exact[k] = valueRightOf(view, r, c, isLabel);
          left--;
        }
        continue;
      }
      const head = view.keys.beforeColon(key);
      if (head === '') continue;
      const j = kinds.findIndex((set) => view.keys.matches(set, head));
      if (j >= 0 && inline[j] === undefined) inline[j] = { value: textAfterColon(view.value(r, c)), cell: cellAddress(r, c) };
    }
  }
  return { code: exact[0] ?? inline[0], name: exact[1] ?? inline[1], period: exact[2] ?? inline[2] };
}

function textAfterColon(v: CellValue): string {
  const text = typeof v === 'string' ? v : '';
  const s = COLON.test(text) ? text : text.normalize('NFKC');
  const at = s.search(COLON);
  return at < 0 ? '' : s.slice(at + 1).trim();
}

/** The first filled cell right of a label (past the label's own merge), stopping at another label. */
function valueRightOf(view: SheetView, r: number, c: number, isLabel: (key: string) => boolean): MetaField {
  const start = view.mergeEnd(r, c) + 1;
  for (let cc = start; cc < view.width; cc++) {
    const v = view.value(r, cc);
    if (isBlankCell(v)) continue;
    if (isLabel(view.norm(r, cc))) break;
    const [ar, ac] = view.anchor(r, cc);
    return { value: v, cell: cellAddress(ar, ac) };
  }
  return { value: null, cell: cellAddress(r, start) };
}

function readFormSheet(ctx: Context, layout: FormLayout, sets: FormSets, form: FormScan): void {
  const { view, header } = form;
  const at = place(ctx, view.sheet.name);
  const issues: Issue[] = [];
  const { code: codeField, name: nameField, period: periodField } = form.meta;

  const schoolCode = codeField === undefined ? '' : readSchoolCode(codeField.value, codeField.cell, at, issues, ctx.book.origin === 'text');
  const school = schoolCode !== '' ? { school: schoolCode } : {};
  if (schoolCode === '') {
    issues.push({
      code: 'sheet.school_code_missing',
      severity: 'error',
      ...at,
      ...(codeField !== undefined ? { cell: codeField.cell } : {}),
      params: { labels: layout.schoolCodeLabels.join('/') },
    });
  }

  const raw = record<RawCell>();
  const rateCells = record<string>();
  if (header === null) {
    const headers = [layout.codeHeaders[0], layout.valueHeaders[0]].filter((h): h is string => h !== undefined && h !== '');
    issues.push({ code: 'sheet.header_not_found', severity: 'error', ...school, ...at, params: { headers: headers.join('/') } });
  } else {
    let cols = header.columns;
    for (let r = header.row + 1; r < view.rowCount; r++) {
      let target = ctx.catalog.byCode.get(view.norm(r, cols.code));
      if (target === undefined) {
        // The rates block has its own header row; a school may also have moved the columns under it.
        const again = formHeaderAt(view, r, sets);
        if (again !== null) {
          cols = again.label >= 0 ? again : { ...again, label: cols.label };
          continue;
        }
        if (cols.label >= 0) target = byLabel(ctx.catalog, view.norm(r, cols.label));
        if (target === undefined) continue;
      }
      const ind = target.indicator;
      if (ind !== undefined && raw[ind.code] === undefined) raw[ind.code] = view.rawCell(r, cols.value);
      const rate = target.rate;
      if (rate !== undefined && rateCells[rate.code] === undefined) rateCells[rate.code] = view.rawCell(r, cols.value).cell;
    }
    missingIndicators(ctx, { has: (code) => raw[code] !== undefined }, at, schoolCode, issues);
  }

  const name = nameField === undefined ? '' : cellText(nameField.value);
  const period = periodField === undefined ? '' : cellText(periodField.value);
  const index = ctx.out.submissions.push({
    schoolCode,
    ...(name !== '' ? { schoolName: name } : {}),
    ...(period !== '' ? { period } : {}),
    ...(period !== '' && periodField !== undefined ? { periodCell: periodField.cell } : {}),
    ...at,
    ...(codeField !== undefined ? { schoolCodeCell: codeField.cell } : {}),
    raw,
  });
  if (Object.keys(rateCells).length > 0) ctx.out.rateCells[index - 1] = rateCells;
  ctx.out.issues.push(...issues);
}

// ───────────────────────────── table layout ─────────────────────────────

/** A table's header: its row, the school code and name columns, and each indicator's and rate's column. */
interface TableHeader {
  readonly row: number;
  readonly code: number;
  readonly name: number;
  readonly indicators: ReadonlyMap<string, number>;
  readonly rates: ReadonlyMap<string, number>;
}

function readTables(ctx: Context, layout: TableLayout): void {
  const codeSet = labelSet(layout.schoolCodeHeaders);
  const nameSet = labelSet(layout.schoolNameHeaders);
  const named = namedSheet(ctx.book, layout.sheetName);
  const sheets = named !== undefined ? [named] : ctx.book.sheets;
  let read = 0;
  for (const sheet of sheets) {
    const view = new SheetView(sheet);
    const header = findTableHeader(ctx.catalog, view, codeSet, nameSet);
    if (header === null) {
      if (named !== undefined) {
        ctx.out.issues.push({ code: 'sheet.header_not_found', severity: 'error', ...place(ctx, sheet.name), params: { headers: layout.schoolCodeHeaders.join('/') } });
        read++;
      }
      continue;
    }
    readTableSheet(ctx, layout, view, header, codeSet);
    read++;
  }
  if (read === 0) sheetNotFound(ctx, layout.sheetName);
}

function findTableHeader(catalog: Catalog, view: SheetView, codeSet: ReadonlySet<string>, nameSet: ReadonlySet<string>): TableHeader | null {
  const last = Math.min(view.rowCount, TABLE_HEADER_ROWS);
  for (let r = 0; r < last; r++) {
    const n = view.rowLength(r);
    let code = -1;
    for (let c = 0; c < n && code < 0; c++) if (view.keys.matches(codeSet, view.ownNorm(r, c))) code = c;
    if (code < 0) continue;
    let name = -1;
    const indicators = new Map<string, number>();
    const rates = new Map<string, number>();
    for (let c = 0; c < n; c++) {
      if (c === code) continue;
      const key = view.ownNorm(r, c);
      if (key === '') continue;
      if (name < 0 && view.keys.matches(nameSet, key)) {
        name = c;
        continue;
      }
      const target = headerTarget(catalog, key, view.keys.loose);
      if (target?.indicator !== undefined && !indicators.has(target.indicator.code)) indicators.set(target.indicator.code, c);
      if (target?.rate !== undefined && !rates.has(target.rate.code)) rates.set(target.rate.code, c);
    }
    return { row: r, code, name, indicators, rates };
  }
  return null;
}

/** What a table header names: by code, then by label; either may carry a unit in brackets (`在校学生数（人）`). */
function headerTarget(catalog: Catalog, key: string, bare: (key: string) => string): Target | undefined {
  const hit = catalog.byCode.get(key) ?? byLabel(catalog, key);
  if (hit !== undefined) return hit;
  const loose = bare(key);
  return loose === '' ? undefined : (catalog.byCode.get(loose) ?? byLabel(catalog, loose));
}

function readTableSheet(ctx: Context, layout: TableLayout, view: SheetView, header: TableHeader, codeSet: ReadonlySet<string>): void {
  const at = place(ctx, view.sheet.name);
  missingIndicators(ctx, header.indicators, at, '', ctx.out.issues);
  for (let r = header.row + 1; r < view.rowCount; r++) {
    if (view.isBlankRow(r)) continue;
    // A header repeated under the first (a paged export) is not a school.
    if (view.keys.matches(codeSet, view.norm(r, header.code))) continue;
    const issues: Issue[] = [];
    const codeCell = view.rawCell(r, header.code).cell;
    const schoolCode = readSchoolCode(view.value(r, header.code), codeCell, at, issues, ctx.book.origin === 'text');
    if (schoolCode === '') {
      issues.push({ code: 'sheet.school_code_missing', severity: 'error', ...at, cell: codeCell, params: { labels: layout.schoolCodeHeaders.join('/') } });
    }
    const raw = record<RawCell>();
    for (const [code, c] of header.indicators) raw[code] = view.rawCell(r, c);
    const rateCells = record<string>();
    for (const [code, c] of header.rates) rateCells[code] = view.rawCell(r, c).cell;
    const name = header.name >= 0 ? cellText(view.value(r, header.name)) : '';
    const index = ctx.out.submissions.push({
      schoolCode,
      ...(name !== '' ? { schoolName: name } : {}),
      ...at,
      schoolCodeCell: codeCell,
      raw,
    });
    if (header.rates.size > 0) ctx.out.rateCells[index - 1] = rateCells;
    ctx.out.issues.push(...issues);
  }
}
