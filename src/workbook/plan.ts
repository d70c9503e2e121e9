/**
 * The port between the core and the workbook adapters.
 *
 * A `SheetPlan` is a whole sheet described as plain data — cells, formats, a table, frozen panes,
 * conditional formats, data validation, protection. Builders in this folder turn the core's
 * results into plans; the Office.js adapter (`src/excel`) and the .xlsx adapter (`src/xlsx`)
 * each render the same plans, so neither holds business rules.
 */
import type { CellValue, SheetGrid, WorkbookGrid } from '../core/grid';
import type { Comparator } from '../core/types';

/** A planned cell: a value written as-is (text stays text, never a formula), or a formula we built. */
export type PlannedCell =
  | { readonly value: CellValue; readonly formula?: undefined }
  | { readonly formula: string; readonly value?: CellValue };

/** How a row reads: ordinary data, a header, a subtotal or the grand total (bold, shaded). */
export type RowRole = 'title' | 'note' | 'header' | 'data' | 'subtotal' | 'total' | 'blank';

/** A planned row. */
export interface PlannedRow {
  readonly role: RowRole;
  readonly cells: readonly PlannedCell[];
  /** Height in points, for rows of wrapped text that must show whole (headers, letters); the default height otherwise. */
  readonly height?: number;
  /** Horizontal alignment of the row's cells (a centred title, a right-aligned corner block); the cell's own otherwise. */
  readonly align?: 'center' | 'right';
  /** Wrap the row's text onto several lines (a note merged across the table); give it a `height` to show them. */
  readonly wrap?: boolean;
}

/** A number format for a whole column of the data area, e.g. `0.00%`, `#,##0`, `@`. */
export interface ColumnPlan {
  readonly width?: number;
  readonly numberFormat?: string;
  /** Wrap long text of the data rows onto several lines (header rows always wrap). */
  readonly wrap?: boolean;
  /** Horizontal alignment of the data rows' cells (a count centred between texts); a row's own alignment wins. */
  readonly align?: 'center' | 'right';
  /** Hide the column (a form's working cells that the person typing need not see). */
  readonly hidden?: boolean;
}

/** An Excel table over part of the sheet (zero-based, inclusive; the first row is the header). */
export interface TablePlan {
  readonly name: string;
  readonly r0: number;
  readonly c0: number;
  readonly r1: number;
  readonly c1: number;
}

/** Highlight cells in a range against a target: `good` when the comparison holds, `bad` when not. */
export interface ConditionalPlan {
  readonly r0: number;
  readonly c0: number;
  readonly r1: number;
  readonly c1: number;
  readonly op: Comparator;
  readonly value: number;
}

/**
 * Paint cells red where a formula holds: the formula is written for the range's top-left cell and
 * moves with each cell as a copied formula does (`$E6<>""` over D6:D40 tests E7 for D7).
 */
export interface HighlightPlan {
  readonly r0: number;
  readonly c0: number;
  readonly r1: number;
  readonly c1: number;
  /** Without a leading `=`. */
  readonly formula: string;
}

/** Data validation on input cells (school template). */
export interface ValidationPlan {
  readonly r0: number;
  readonly c0: number;
  readonly r1: number;
  readonly c1: number;
  readonly type: 'whole' | 'decimal';
  readonly min?: number;
  readonly max?: number;
  /** Shown to the person typing, in the template's language. */
  readonly prompt?: string;
  readonly error?: string;
}

/** A whole sheet to write. */
export interface SheetPlan {
  readonly name: string;
  readonly rows: readonly PlannedRow[];
  readonly columns?: readonly ColumnPlan[];
  /** Rows and columns frozen at the top-left. */
  readonly freeze?: { readonly rows: number; readonly cols: number };
  readonly table?: TablePlan;
  readonly conditionals?: readonly ConditionalPlan[];
  /** Cells painted red where a formula holds (a form's own checks). */
  readonly highlights?: readonly HighlightPlan[];
  readonly validations?: readonly ValidationPlan[];
  /** Protect the sheet, leaving these cells (zero-based) unlocked for input. */
  readonly protection?: {
    readonly unlocked: readonly { readonly r0: number; readonly c0: number; readonly r1: number; readonly c1: number }[];
    /** Locked cells whose formula text is hidden too while the sheet is protected. */
    readonly hiddenFormulas?: readonly { readonly r0: number; readonly c0: number; readonly r1: number; readonly c1: number }[];
  };
  readonly merges?: readonly { readonly r0: number; readonly c0: number; readonly r1: number; readonly c1: number }[];
  /** Number formats for single cells, overriding the column's: `[row, col, format]`. */
  readonly cellFormats?: readonly (readonly [number, number, string])[];
  /** How the sheet prints: clerks print the summary and hand it on. */
  readonly print?: PrintPlan;
}

/**
 * Page setup of a sheet, on A4. A sheet meant to be read on paper keeps its text at a readable
 * size: it is laid out to fit the page at `scale` (see `workbook/page.ts`), or spreads over several
 * pages wide with its first columns repeated, rather than being shrunk onto one page.
 */
export interface PrintPlan {
  readonly landscape: boolean;
  /** Scale the columns to one page wide (as many pages tall as it takes). */
  readonly fitToWidth: boolean;
  /** Print scale in percent when not fitted to width (100 when absent). */
  readonly scale?: number;
  /** Rows (zero-based, inclusive) repeated at the top of every page: the header. */
  readonly repeatRows?: { readonly r0: number; readonly r1: number };
  /** Columns (zero-based, inclusive) repeated at the left of every page: the school's code and name. */
  readonly repeatCols?: { readonly c0: number; readonly c1: number };
  /** Page margins in inches; Excel's usual ones (0.7 left and right, 0.75 top and bottom) when absent. */
  readonly margins?: { readonly left: number; readonly right: number; readonly top: number; readonly bottom: number };
  /** Centre the printed area between the side margins. */
  readonly center?: boolean;
  /** Text at the bottom left of every page (the title and period); page numbers go in the middle. */
  readonly footer?: string;
}

/** A value written into one cell of an existing sheet (rates written back into a school sheet). */
export interface CellUpdate {
  readonly sheet: string;
  /** A1 address. */
  readonly cell: string;
  readonly value: CellValue;
  readonly numberFormat?: string;
}

/** A mark on a school sheet's cell: fill plus a note or comment with the message. */
export interface CellMark {
  readonly sheet: string;
  readonly cell: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

/** A native chart of one rate across schools, drawn by the Excel adapter from a data sheet. */
export interface ChartRequest {
  readonly sheet: string;
  readonly title: string;
  readonly categories: string[];
  readonly values: number[];
  readonly target?: number;
  /** Decimals the rate's definition shows, so the chart and its data read as the summary does. */
  readonly decimals: number;
  /** District and period, for the sheet's heading. */
  readonly district?: string;
  readonly period?: string;
}

/** What both adapters offer the faces (task pane and CLI) over one workbook. */
export interface WorkbookPort {
  /** Names of the sheets, in order. */
  listSheets(): Promise<string[]>;
  /** Reads the named sheets (values, formats, merges) in a fixed number of round trips. */
  readSheets(names: readonly string[]): Promise<SheetGrid[]>;
  /** Writes whole sheets, replacing namesakes, all or nothing. */
  writeSheets(plans: readonly SheetPlan[]): Promise<void>;
  /** Writes single cells of existing sheets (rates written back), all or nothing. */
  writeCells(updates: readonly CellUpdate[]): Promise<void>;
  /** Replaces Huizong's previous marks on the given sheets with these. */
  markCells(sheets: readonly string[], marks: readonly CellMark[]): Promise<void>;
}

export type { CellValue, SheetGrid, WorkbookGrid };
