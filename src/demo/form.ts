/**
 * A school's form as the school filled it: the template's sheet plan with the school's figures typed
 * in, its rates as live formulas with the values Excel would have cached, and whatever a planted
 * mistake changes (text typed for a number, a row inserted, a column moved, a code typed as a number).
 */
import { cellAddress, type CellValue } from '../core/grid';
import { evaluate, parseExpression } from '../core/expr';
import type { Definitions, FormLayout, IssueCode, School, Severity } from '../core/types';
import type { PlannedCell, PlannedRow, SheetPlan } from '../workbook/plan';
import { buildTemplatePlan, rateFormula } from '../workbook/template';
import type { DemoSchool } from './schools';

/** Where things are on one school's form, after any drift. */
interface FormMap {
  readonly codeCell: { r: number; c: number };
  readonly nameCell: { r: number; c: number };
  readonly codeCol: number;
  readonly valueCol: number;
  readonly rows: Map<string, number>;
}

/** A school's sheet being filled in: a mutable copy of the template plan. */
class Form {
  rows: { role: PlannedRow['role']; cells: PlannedCell[] }[];
  cellFormats: [number, number, string][];
  columns: SheetPlan['columns'];
  drifted = false;

  constructor(
    private readonly plan: SheetPlan,
    private readonly layout: FormLayout,
  ) {
    this.rows = plan.rows.map((r) => ({ role: r.role, cells: r.cells.map((c) => ({ ...c }) as PlannedCell) }));
    this.cellFormats = (plan.cellFormats ?? []).map(([r, c, f]) => [r, c, f]);
    this.columns = plan.columns;
  }

  /** Finds the metadata cells, the header row and each code's row by looking at the cells, as a reader would. */
  map(): FormMap {
    const norm = (v: CellValue | undefined): string => (typeof v === 'string' ? v.replace(/[\s:：]/g, '').toLowerCase() : '');
    const among = (labels: readonly string[], v: CellValue | undefined): boolean => {
      const n = norm(v);
      return n !== '' && labels.some((l) => norm(l) === n);
    };
    const find = (labels: readonly string[]): { r: number; c: number } => {
      for (let r = 0; r < this.rows.length; r++) {
        const cells = this.rows[r]!.cells;
        for (let c = 0; c < cells.length; c++) if (among(labels, cells[c]?.value)) return { r, c: c + 1 };
      }
      throw new DemoTemplateError(`label not found: ${labels.join('/')}`);
    };
    const codeCell = find(this.layout.schoolCodeLabels);
    const nameCell = find(this.layout.schoolNameLabels);
    let codeCol = -1;
    let valueCol = -1;
    const rows = new Map<string, number>();
    for (let r = 0; r < this.rows.length; r++) {
      const cells = this.rows[r]!.cells;
      if (this.rows[r]!.role === 'header') {
        const cc = cells.findIndex((c) => among(this.layout.codeHeaders, c.value));
        const vc = cells.findIndex((c) => among(this.layout.valueHeaders, c.value));
        if (cc >= 0 && vc >= 0) {
          codeCol = cc;
          valueCol = vc;
        }
        continue;
      }
      const code = codeCol >= 0 ? cells[codeCol]?.value : undefined;
      if (typeof code === 'string' && code !== '' && !rows.has(code)) rows.set(code, r);
    }
    if (codeCol < 0) throw new DemoTemplateError('header row not found');
    return { codeCell, nameCell, codeCol, valueCol, rows };
  }

  set(r: number, c: number, cell: PlannedCell): void {
    const cells = this.rows[r]!.cells;
    while (cells.length <= c) cells.push({ value: null });
    cells[c] = cell;
  }

  /** A number typed into a cell that was text-formatted (the school reformatted it as General). */
  setNumberAsCode(r: number, c: number, n: number): void {
    this.set(r, c, { value: n });
    this.cellFormats = this.cellFormats.filter(([fr, fc]) => fr !== r || fc !== c);
    this.cellFormats.push([r, c, 'General']);
  }

  /** A row typed in by the school under row `after` (everything below moves down one). */
  insertRowAfter(after: number, cells: PlannedCell[]): number {
    this.drifted = true;
    this.rows.splice(after + 1, 0, { role: 'data', cells });
    this.cellFormats = this.cellFormats.map(([r, c, f]) => [r > after ? r + 1 : r, c, f]);
    return after + 1;
  }

  /** Two columns swapped everywhere (the school moved the value column). */
  swapColumns(a: number, b: number): void {
    this.drifted = true;
    const width = Math.max(a, b) + 1;
    for (const row of this.rows) {
      if (row.cells.length === 0 || row.role === 'title' || row.role === 'note') continue;
      while (row.cells.length < width) row.cells.push({ value: null });
      const t = row.cells[a]!;
      row.cells[a] = row.cells[b]!;
      row.cells[b] = t;
    }
    const swap = (c: number): number => (c === a ? b : c === b ? a : c);
    this.cellFormats = this.cellFormats.map(([r, c, f]) => [r, swap(c), f]);
    if (this.columns) {
      const cols = [...this.columns];
      const ca = cols[a];
      const cb = cols[b];
      if (ca !== undefined && cb !== undefined) {
        cols[a] = cb;
        cols[b] = ca;
      }
      this.columns = cols;
    }
  }

  toPlan(): SheetPlan {
    const { validations, protection, ...rest } = this.plan;
    // A school that changed the layout had to unprotect the sheet; the template's validations no longer line up.
    return {
      ...rest,
      rows: this.rows.map((r) => ({ role: r.role, cells: r.cells })),
      cellFormats: this.cellFormats,
      ...(this.columns ? { columns: this.columns } : {}),
      ...(this.drifted ? {} : { ...(validations ? { validations } : {}), ...(protection ? { protection } : {}) }),
    };
  }
}

/** The template or the demo generator disagree about the form's shape (a programming error). */
export class DemoTemplateError extends Error {
  override name = 'DemoTemplateError';
}

/** What to do to one school's file. */
export interface Injection {
  /** Cell edits after the true values are written: text or values as the school typed them. */
  readonly edits: { code: string; cell: PlannedCell; issue?: IssueCode; severity?: Severity | 'info'; what: string }[];
  /** Counts changed before writing (the school's numbers themselves are wrong). */
  readonly overrides: Record<string, number | null>;
  readonly issues: { code: IssueCode; severity: Severity | 'info'; subject?: string; at?: 'value' | 'school_code'; what: string }[];
  drift?: 'inserted_row' | 'moved_column';
  codeAsNumber?: boolean;
}

export const emptyInjection = (): Injection => ({ edits: [], overrides: {}, issues: [] });

function plainCell(v: number | null | undefined): PlannedCell {
  return { value: v === undefined ? null : v };
}

/** One school's form filled with `values`, drift and edits applied; where each code's value cell ended up. */
export function renderSchool(
  definitions: Definitions,
  s: School,
  values: Readonly<Record<string, number | null>>,
  inj: Injection,
): { plan: SheetPlan; at: (code: string) => string; codeAddress: string } {
  const layout = definitions.layout;
  if (layout.kind !== 'form') throw new DemoTemplateError('the layout must be a form');
  const indicatorCodes = new Set(definitions.indicators.map((i) => i.code));
  // The schools' files as a school saved them: the figures, without the form's own check cells (a moved column would leave them pointing elsewhere).
  const form = new Form(buildTemplatePlan(definitions, 'zh-CN', s, { checks: false }), layout);
  let map = form.map();
  if (inj.drift === 'inserted_row') {
    // A note row typed under the girls' row: 其中：寄宿生.
    const after = map.rows.get('GIRLS') ?? map.rows.get('STUDENTS')!;
    const cells: PlannedCell[] = [];
    cells[map.codeCol + 1] = { value: '其中：寄宿生' };
    cells[map.valueCol] = { value: Math.round((values.STUDENTS ?? 0) * 0.3) };
    for (let c = 0; c < cells.length; c++) cells[c] ??= { value: null };
    form.insertRowAfter(after, cells);
    map = form.map();
  } else if (inj.drift === 'moved_column') {
    form.swapColumns(map.valueCol - 1, map.valueCol);
    map = form.map();
  }
  const at = (code: string): string => {
    const r = map.rows.get(code);
    if (r === undefined) throw new DemoTemplateError(`${code} not on the form`);
    return cellAddress(r, map.valueCol);
  };
  for (const [code, r] of map.rows) if (indicatorCodes.has(code)) form.set(r, map.valueCol, plainCell(values[code]));
  // Rates: live formulas over the (possibly moved) cells, with the value Excel would have cached.
  const addressOf = new Map<string, string>();
  for (const code of indicatorCodes) if (map.rows.has(code)) addressOf.set(code, at(code));
  for (const rate of definitions.rates) {
    const r = map.rows.get(rate.code);
    if (r === undefined) continue;
    const formula = rateFormula(rate, addressOf);
    const cached = rateValue(rate.numerator, rate.denominator, rate.factor, values);
    form.set(r, map.valueCol, formula === null ? { value: cached } : { formula, value: cached ?? '' });
  }
  for (const e of inj.edits) form.set(map.rows.get(e.code)!, map.valueCol, e.cell);
  const codeAddress = cellAddress(map.codeCell.r, map.codeCell.c);
  if (inj.codeAsNumber) form.setNumberAsCode(map.codeCell.r, map.codeCell.c, Number(s.code));
  return { plan: form.toPlan(), at, codeAddress };
}

/** A clean, correctly filled form for one school (what the benchmarks read a thousand times). */
export function schoolFormPlan(definitions: Definitions, s: DemoSchool): SheetPlan {
  return renderSchool(definitions, s, s.values, emptyInjection()).plan;
}


/** A school's rate from its own values (num ÷ den × factor), null when undefined. */
function rateValue(numerator: string, denominator: string, factor: number, values: Readonly<Record<string, number | null>>): number | null {
  const n = parseExpression(numerator);
  const d = parseExpression(denominator);
  if (!n.ok || !d.ok) return null;
  const lookup = (code: string): number | null => values[code] ?? null;
  const nv = evaluate(n.expr, lookup);
  const dv = evaluate(d.expr, lookup);
  if (typeof nv !== 'number' || typeof dv !== 'number' || dv === 0) return null;
  return (nv / dv) * factor;
}

