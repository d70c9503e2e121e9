/**
 * Office.js proxy objects over the simulator's model, with Office.js semantics: calls are queued
 * and applied in order at `sync`; properties throw `PropertyNotLoaded` until loaded and synced;
 * `getItem` of something missing fails the sync with `ItemNotFound`; `…OrNullObject` gives an
 * object whose `isNullObject` says so after a sync; APIs above the host's requirement sets fail
 * the sync with `ApiNotFound`.
 */
import { readXlsx } from '../../../src/xlsx/read';
import { MAX_COLS, cellCount, overlaps, parseLocal, rectAddress, sheetPrefix, splitSheet, type Rect } from './address';
import { cellAt, cellKey, fillFromGrid, gridValue, newSheet, tidy, typeInto, usedRect, type ChartModel, type ProtectionOptions, type SheetModel, type WorkbookModel } from './model';
import { applyFileProtection, guard, protectionFromXlsx } from './protection';
import { breakReferences, renameReferences } from './references';

/** An Office.js error: `code` is what adapters test (`ItemNotFound`, `RequestPayloadSizeLimitExceeded`…). */
/**
 * The error codes Office.js defines (`Excel.ErrorCodes`, `OfficeExtension.ErrorCodes`, and the payload
 * limits of the common error-handling reference): the simulator may throw no other, so the adapter is
 * never tested against a code real Excel cannot give.
 */
export const OFFICE_ERROR_CODES: ReadonlySet<string> = new Set([
  'AccessDenied', 'ApiNotFound', 'Conflict', 'DirtySupportingFormula', 'EmptyChartSeries', 'FilteredRangeConflict',
  'FormulaLengthExceedsLimit', 'GeneralException', 'InactiveWorkbook', 'InsertDeleteConflict', 'InvalidArgument',
  'InvalidBinding', 'InvalidOperation', 'InvalidReference', 'InvalidSelection', 'ItemAlreadyExists', 'ItemNotFound',
  'MergedRangeConflict', 'NonBlankCellOffSheet', 'NotImplemented', 'OpenWorkbookLinksBlocked', 'OperationCellsExceedLimit',
  'PivotTableRangeConflict', 'PowerQueryRefreshResourceChallenge', 'RangeExceedsLimit', 'RangeImageExceedsLimit',
  'RefreshWorkbookLinksBlocked', 'RequestAborted', 'ResponsePayloadSizeLimitExceeded', 'UnsupportedFeature',
  'UnsupportedFillType', 'UnsupportedOperation', 'UnsupportedSheet', 'InvalidOperationInCellEditMode',
  'ActivityLimitReached', 'InvalidObjectPath', 'PropertyNotLoaded', 'ValueNotLoaded', 'InvalidRequestContext',
  'RunMustReturnPromise', 'CannotRegisterEvent', 'ConnectionFailure', 'RequestPayloadSizeLimitExceeded',
  // The error-handling reference ("Application-specific API error handling") lists both.
  'BadPassword', 'UndoNotSupported',
]);

export class SimError extends Error {
  override name = 'RichApi.Error';
  constructor(
    readonly code: string,
    message: string = code,
  ) {
    super(message);
    // A code Office.js does not define is a mistake in the simulator, never something to test against.
    if (!OFFICE_ERROR_CODES.has(code)) throw new Error(`the simulator threw ${code}, which Office.js does not define`);
  }
}

/** What a sync is applying to. */
export interface Tx {
  readonly wb: WorkbookModel;
  readonly loads: { obj: SimObject; data: Record<string, unknown> | null }[];
  readonly results: { result: SimClientResult<unknown>; value: unknown }[];
}

/** One queued call. */
export interface Action {
  readonly name: string;
  readonly bytes: number;
  readonly apply: (tx: Tx) => void;
}

/** What a context needs from the simulator. */
export interface Host {
  supports(version: string): boolean;
  /** The code a wrong or missing password gets from `unprotect`. */
  readonly passwordError: string;
  sync(ctx: SimContext): Promise<void>;
  insertBehavior(index: number): 'ok' | 'throw' | 'partial';
}

/** Bytes an object path (with the action creating it) adds to a request, and an action besides its arguments: about what Office.js sends. */
export const PATH_BYTES = 120;
export const ACTION_BYTES = 60;

const UTF8 = new TextEncoder();

/** Bytes from base64 text (in Node and in a browser, where the simulator also runs). */
function fromBase64(text: string): Uint8Array {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** UTF-8 bytes of JSON text for a value. */
export function jsonSize(v: unknown): number {
  const s = JSON.stringify(v, (_k, x: unknown) => (x instanceof SimObject ? '[object]' : x));
  return s === undefined ? 0 : UTF8.encode(s).length;
}

/** The request context. */
export class SimContext {
  readonly pending: Action[] = [];
  /** The undo step of this run's group, once its first change opened it. */
  groupStep: { readonly label: string; readonly before: WorkbookModel } | null = null;
  pendingBytes = 0;
  private insertCount = 0;
  readonly workbook: SimWorkbook;
  constructor(
    readonly host: Host,
    readonly undoGroup: boolean,
  ) {
    this.workbook = new SimWorkbook(this);
  }
  get application(): SimApplication {
    return this.workbook.application;
  }
  queue(name: string, bytes: number, apply: (tx: Tx) => void): void {
    this.pending.push({ name, bytes: bytes + ACTION_BYTES, apply });
    this.pendingBytes += bytes + ACTION_BYTES;
  }
  pathCreated(): void {
    this.pendingBytes += PATH_BYTES;
  }
  nextInsert(): number {
    return this.insertCount++;
  }
  async sync(): Promise<void> {
    await this.host.sync(this);
  }
}

function notLoaded(prop: string): never {
  throw new SimError('PropertyNotLoaded', `The property '${prop}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`);
}

function propsOf(arg: unknown): string[] {
  if (arg === undefined) return [];
  if (typeof arg === 'string') return arg.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (Array.isArray(arg)) return arg.flatMap((a) => propsOf(a));
  if (typeof arg === 'object' && arg !== null && 'select' in arg) return propsOf((arg as { select: unknown }).select);
  return [];
}

/** A proxy: resolves to its model object during a sync. */
export abstract class SimObject {
  protected readonly loaded = new Map<string, unknown>();
  private nullState: boolean | undefined;
  constructor(
    readonly ctx: SimContext,
    /** Null when the object does not exist (only allowed for OrNullObject proxies). */
    private readonly resolver: (tx: Tx) => unknown,
    readonly orNull = false,
  ) {
    ctx.pathCreated();
  }
  /** The model object, or null for a missing OrNullObject. */
  resolve(tx: Tx): unknown {
    const t = this.resolver(tx);
    if (t === null || t === undefined) {
      if (this.orNull) return null;
      throw new SimError('ItemNotFound', `${this.constructor.name}: the requested resource doesn't exist.`);
    }
    return t;
  }
  /** The model object; a null object here is an error. */
  must(tx: Tx): unknown {
    const t = this.resolve(tx);
    if (t === null) throw new SimError('InvalidObjectPath', `${this.constructor.name} is a null object`);
    return t;
  }
  get isNullObject(): boolean {
    if (this.nullState === undefined) notLoaded('isNullObject');
    return this.nullState;
  }
  /** Queues loading properties (`'a,b'`, `['a']`, `'items/name'` on collections). */
  load(props?: unknown): this {
    const list = propsOf(props);
    this.ctx.queue('load', jsonSize(list), (tx) => {
      const t = this.resolve(tx);
      tx.loads.push({ obj: this, data: t === null ? null : this.read(t, list, tx) });
    });
    return this;
  }
  /** Called by the simulator after a sync succeeded. */
  commitLoad(data: Record<string, unknown> | null): void {
    this.nullState = data === null;
    if (data !== null) for (const [k, v] of Object.entries(data)) this.loaded.set(k, v);
  }
  protected get<T>(prop: string): T {
    if (!this.loaded.has(prop)) notLoaded(prop);
    return this.loaded.get(prop) as T;
  }
  protected set(prop: string, value: unknown, apply: (target: never, value: unknown, tx: Tx) => void): void {
    this.ctx.queue(`set ${this.constructor.name}.${prop}`, jsonSize(value) + prop.length, (tx) => apply(this.must(tx) as never, value, tx));
  }
  protected call(name: string, args: unknown[], apply: (target: never, tx: Tx) => void): void {
    this.ctx.queue(name, jsonSize(args), (tx) => apply(this.must(tx) as never, tx));
  }
  /** The loaded data of the model object for `props` (all scalar properties when empty). */
  protected abstract read(target: unknown, props: string[], tx: Tx): Record<string, unknown>;
  toJSON(): Record<string, unknown> {
    return Object.fromEntries(this.loaded);
  }
}

function gate(ctx: SimContext, version: string, what: string): void {
  if (!ctx.host.supports(version)) throw new SimError('ApiNotFound', `${what} needs ExcelApi ${version}`);
}

// ───────────────────────────── workbook ─────────────────────────────

/** The result of a method that returns a value. */
export class SimClientResult<T> {
  private set = false;
  private v: T | undefined;
  get value(): T {
    if (!this.set) notLoaded('value');
    return this.v as T;
  }
  commit(v: unknown): void {
    this.set = true;
    this.v = v as T;
  }
}

const FORBIDDEN = /[[\]:*?/\\]/;

function checkName(wb: WorkbookModel, name: string, self?: SheetModel): void {
  if (name.trim() === '' || name.length > 31 || FORBIDDEN.test(name) || name.startsWith("'") || name.endsWith("'") || name.toLowerCase() === 'history') {
    throw new SimError('InvalidArgument', `not a valid sheet name: ${name}`);
  }
  if (wb.sheets.some((s) => s !== self && s.name.toLowerCase() === name.toLowerCase())) throw new SimError('ItemAlreadyExists', `a sheet named ${name} exists`);
}

function findSheet(wb: WorkbookModel, key: string): SheetModel | undefined {
  return wb.sheets.find((s) => s.id === key) ?? wb.sheets.find((s) => s.name.toLowerCase() === key.toLowerCase());
}

/** `Excel.Workbook`. */
export class SimWorkbook extends SimObject {
  readonly worksheets: SimWorksheetCollection;
  readonly tables: SimTableCollection;
  readonly application: SimApplication;
  private notesCollection?: SimNoteCollection;
  private commentsCollection?: SimCommentCollection;
  private settingsCollection?: SimSettingCollection;
  constructor(ctx: SimContext) {
    super(ctx, (tx) => tx.wb);
    this.worksheets = new SimWorksheetCollection(ctx);
    this.tables = new SimTableCollection(ctx, null);
    this.application = new SimApplication(ctx);
  }
  get notes(): SimNoteCollection {
    return (this.notesCollection ??= new SimNoteCollection(this.ctx));
  }
  get comments(): SimCommentCollection {
    return (this.commentsCollection ??= new SimCommentCollection(this.ctx));
  }
  get settings(): SimSettingCollection {
    return (this.settingsCollection ??= new SimSettingCollection(this.ctx));
  }
  protected read(): Record<string, unknown> {
    return {};
  }
  /** `insertWorksheetsFromBase64` (ExcelApi 1.13): the sheets of an .xlsx, each renamed `Name (2)`… on a clash. */
  insertWorksheetsFromBase64(base64: string, _options?: unknown): SimClientResult<string[]> {
    const result = new SimClientResult<string[]>();
    const index = this.ctx.nextInsert();
    this.ctx.queue('insertWorksheetsFromBase64', base64.length + 64, (tx) => {
      gate(this.ctx, '1.13', 'insertWorksheetsFromBase64');
      const behavior = this.ctx.host.insertBehavior(index);
      if (behavior === 'throw') throw new SimError('GeneralException', 'There was an internal error while processing the request.');
      const bytes = fromBase64(base64);
      const read = readXlsx(bytes);
      if ('issue' in read) throw new SimError('InvalidArgument', 'not a workbook');
      // The sheets keep their protection and their unlocked cells, as Excel keeps them.
      const protection = protectionFromXlsx(bytes);
      const ids: string[] = [];
      for (const grid of read.book.sheets) {
        let name = grid.name;
        for (let n = 2; tx.wb.sheets.some((s) => s.name.toLowerCase() === name.toLowerCase()); n++) name = `${grid.name.slice(0, 26)} (${n})`;
        const sheet = newSheet(tx.wb, name);
        fillFromGrid(sheet, grid);
        const p = protection.get(grid.name);
        if (p !== undefined) applyFileProtection(sheet, p, (r, c) => cellAt(sheet, r, c, true));
        tx.wb.sheets.push(sheet);
        ids.push(sheet.id);
        if (behavior === 'partial') throw new SimError('GeneralException', 'There was an internal error while processing the request.');
      }
      tx.results.push({ result, value: ids });
    });
    return result;
  }
}

/** `Excel.Application`. */
export class SimApplication extends SimObject {
  /** Calls seen, for tests. */
  static readonly calls: string[] = [];
  constructor(ctx: SimContext) {
    super(ctx, (tx) => tx.wb);
  }
  protected read(): Record<string, unknown> {
    return {};
  }
  suspendApiCalculationUntilNextSync(): void {
    this.call('suspendApiCalculationUntilNextSync', [], () => {
      gate(this.ctx, '1.6', 'suspendApiCalculationUntilNextSync');
      SimApplication.calls.push('suspendCalculation');
    });
  }
  suspendScreenUpdatingUntilNextSync(): void {
    this.call('suspendScreenUpdatingUntilNextSync', [], () => {
      gate(this.ctx, '1.9', 'suspendScreenUpdatingUntilNextSync');
      SimApplication.calls.push('suspendScreen');
    });
  }
  calculate(type: string): void {
    this.call('calculate', [type], () => SimApplication.calls.push(`calculate ${type}`));
  }
}

// ───────────────────────────── worksheets ─────────────────────────────

/** `Excel.WorksheetCollection`. */
export class SimWorksheetCollection extends SimObject {
  constructor(ctx: SimContext) {
    super(ctx, (tx) => tx.wb.sheets);
  }
  get items(): SimWorksheet[] {
    return this.get<SimWorksheet[]>('items');
  }
  protected read(target: SheetModel[], props: string[], tx: Tx): Record<string, unknown> {
    const itemProps = props.filter((p) => p.startsWith('items/')).map((p) => p.slice(6));
    return { items: target.map((s) => ({ __sheetId: s.id, ...sheetProps(tx.wb, s, itemProps) })) };
  }
  override commitLoad(data: Record<string, unknown> | null): void {
    if (data === null) return super.commitLoad(null);
    const items = (data['items'] as Record<string, unknown>[]).map((d) => {
      const { __sheetId, ...rest } = d;
      const ws = new SimWorksheet(this.ctx, String(__sheetId));
      ws.commitLoad(rest);
      return ws;
    });
    super.commitLoad({ items });
  }
  getItem(key: string): SimWorksheet {
    return new SimWorksheet(this.ctx, key);
  }
  getItemOrNullObject(key: string): SimWorksheet {
    gateLater(this.ctx, '1.4', 'getItemOrNullObject');
    return new SimWorksheet(this.ctx, key, true);
  }
  add(name?: string): SimWorksheet {
    const id = `{NEW-${Math.random().toString(36).slice(2)}}`;
    this.ctx.queue('worksheets.add', jsonSize([name]), (tx) => {
      let n = name;
      if (n === undefined) for (let i = tx.wb.sheets.length + 1; ; i++) if (!findSheet(tx.wb, (n = `Sheet${i}`))) break;
      checkName(tx.wb, n!);
      const sheet = newSheet(tx.wb, n!);
      sheet.id = id;
      tx.wb.sheets.push(sheet);
    });
    return new SimWorksheet(this.ctx, id);
  }
}

/** Queues a check that fails the sync when the host lacks `version`. */
function gateLater(ctx: SimContext, version: string, what: string): void {
  ctx.queue(`gate ${what}`, 0, () => gate(ctx, version, what));
}

function sheetProps(wb: WorkbookModel, s: SheetModel, props: string[]): Record<string, unknown> {
  const all = props.length === 0 ? ['name', 'id', 'position', 'visibility'] : props;
  const out: Record<string, unknown> = {};
  for (const p of all) {
    if (p === 'name') out['name'] = s.name;
    else if (p === 'id') out['id'] = s.id;
    else if (p === 'position') out['position'] = wb.sheets.indexOf(s);
    else if (p === 'visibility') out['visibility'] = s.visibility;
    else if (p === 'protection/protected' || p === 'protection/options') {
      const nested = (out['protection'] ??= {}) as Record<string, unknown>;
      Object.assign(nested, protectionProps(s, [p.slice('protection/'.length)]));
    } else throw new SimError('InvalidArgument', `unknown worksheet property ${p}`);
  }
  return out;
}

/** `Excel.Worksheet`, found by name or id (the id it resolves to first is kept). */
export class SimWorksheet extends SimObject {
  private boundId: string | undefined;
  constructor(ctx: SimContext, key: string, orNull = false) {
    super(
      ctx,
      (tx) => {
        const s = this.boundId !== undefined ? tx.wb.sheets.find((x) => x.id === this.boundId) : findSheet(tx.wb, key);
        if (s !== undefined) this.boundId = s.id;
        return s ?? null;
      },
      orNull,
    );
  }
  private protectionProxy?: SimProtection;
  protected read(target: SheetModel, props: string[], tx: Tx): Record<string, unknown> {
    return sheetProps(tx.wb, target, props);
  }
  /** Loaded navigation properties (`protection/protected`) go to the child proxy, as Office.js does. */
  override commitLoad(data: Record<string, unknown> | null): void {
    if (data !== null && typeof data['protection'] === 'object' && data['protection'] !== null) {
      const { protection, ...rest } = data;
      this.protection.commitLoad(protection as Record<string, unknown>);
      return super.commitLoad(rest);
    }
    super.commitLoad(data);
  }
  get name(): string {
    return this.get('name');
  }
  set name(v: string) {
    this.set('name', v, (s: SheetModel, value, tx) => {
      checkName(tx.wb, String(value), s);
      // Excel rewrites every formula that names the sheet.
      renameReferences(tx.wb, s.name, String(value));
      s.name = String(value);
    });
  }
  get id(): string {
    return this.get('id');
  }
  get position(): number {
    return this.get('position');
  }
  set position(v: number) {
    this.set('position', v, (s: SheetModel, value, tx) => {
      const i = tx.wb.sheets.indexOf(s);
      tx.wb.sheets.splice(i, 1);
      tx.wb.sheets.splice(Math.max(0, Math.min(tx.wb.sheets.length, Number(value))), 0, s);
    });
  }
  get visibility(): string {
    return this.get('visibility');
  }
  set visibility(v: string) {
    this.set('visibility', v, (s: SheetModel, value, tx) => {
      if (value !== 'Visible' && value !== 'Hidden' && value !== 'VeryHidden') throw new SimError('InvalidArgument', `visibility ${String(value)}`);
      if (value !== 'Visible' && tx.wb.sheets.every((x) => x === s || x.visibility !== 'Visible')) throw new SimError('InvalidOperation', 'a workbook must keep one visible sheet');
      s.visibility = value;
      if (value !== 'Visible' && tx.wb.activeSheetId === s.id) tx.wb.activeSheetId = tx.wb.sheets.find((x) => x.visibility === 'Visible')?.id ?? null;
    });
  }
  delete(): void {
    this.call('worksheet.delete', [], (s: SheetModel, tx) => {
      if (tx.wb.sheets.every((x) => x === s || x.visibility !== 'Visible')) throw new SimError('InvalidOperation', 'cannot delete the last visible sheet');
      // "Work with worksheets": a very hidden sheet cannot be deleted until its visibility changes; office-js issue #365 saw GeneralException.
      if (s.visibility === 'VeryHidden') throw new SimError('GeneralException', 'There was an internal error while processing the request.');
      tx.wb.sheets.splice(tx.wb.sheets.indexOf(s), 1);
      // Formulas elsewhere that point at it now show #REF!.
      breakReferences(tx.wb, s.name);
      tx.wb.notes = tx.wb.notes.filter((n) => n.sheetId !== s.id);
      tx.wb.comments = tx.wb.comments.filter((n) => n.sheetId !== s.id);
      if (tx.wb.activeSheetId === s.id) tx.wb.activeSheetId = tx.wb.sheets.find((x) => x.visibility === 'Visible')?.id ?? null;
      if (tx.wb.selection?.sheetId === s.id) tx.wb.selection = null;
    });
  }
  activate(): void {
    this.call('worksheet.activate', [], (s: SheetModel, tx) => {
      if (s.visibility !== 'Visible') throw new SimError('InvalidOperation', 'a hidden sheet cannot be activated');
      tx.wb.activeSheetId = s.id;
    });
  }
  getRange(address?: string): SimRange {
    return new SimRange(this.ctx, (tx) => {
      const sheet = this.resolve(tx) as SheetModel | null;
      if (sheet === null) throw new SimError('InvalidObjectPath', 'getRange on a null worksheet');
      if (address === undefined) return { sheet, rect: { r0: 0, c0: 0, r1: 1_048_575, c1: 16_383 } };
      const { sheet: named, local } = splitSheet(address);
      const rect = parseLocal(local);
      if (rect === null || (named !== undefined && named.toLowerCase() !== sheet.name.toLowerCase())) throw new SimError('InvalidArgument', `bad address ${address}`);
      return { sheet, rect };
    });
  }
  getUsedRangeOrNullObject(valuesOnly?: boolean): SimRange {
    gateLater(this.ctx, '1.4', 'getUsedRangeOrNullObject');
    return new SimRange(
      this.ctx,
      (tx) => {
        const sheet = this.resolve(tx) as SheetModel | null;
        if (sheet === null) throw new SimError('InvalidObjectPath', 'used range of a null worksheet');
        const rect = usedRect(sheet, valuesOnly === true);
        return rect === null ? null : { sheet, rect };
      },
      true,
    );
  }
  get tables(): SimTableCollection {
    return new SimTableCollection(this.ctx, this);
  }
  get charts(): SimChartCollection {
    return new SimChartCollection(this.ctx, this);
  }
  get freezePanes(): SimFreezePanes {
    return new SimFreezePanes(this.ctx, this);
  }
  get protection(): SimProtection {
    return (this.protectionProxy ??= new SimProtection(this.ctx, this));
  }
  get pageLayout(): SimPageLayout {
    return new SimPageLayout(this.ctx, this);
  }
}

/** `Excel.PaperType`, as the Office.js reference lists it. */
const PAPER_TYPES = new Set(['Letter', 'LetterSmall', 'Tabloid', 'Ledger', 'Legal', 'Statement', 'Executive', 'A3', 'A4', 'A4Small', 'A5', 'B4', 'B5', 'Folio', 'Quatro', 'Paper10x14', 'Paper11x17', 'Note', 'Envelope9', 'Envelope10', 'Envelope11', 'Envelope12', 'Envelope14', 'Csheet', 'Dsheet', 'Esheet', 'EnvelopeDL', 'EnvelopeC5', 'EnvelopeC3', 'EnvelopeC4', 'EnvelopeC6', 'EnvelopeC65', 'EnvelopeB4', 'EnvelopeB5', 'EnvelopeB6', 'EnvelopeItaly', 'EnvelopeMonarch', 'EnvelopePersonal', 'FanfoldUS', 'FanfoldStdGerman', 'FanfoldLegalGerman']);

/**
 * `Excel.PageLayout` (ExcelApi 1.9): orientation, paper size, zoom, margins (points), centring, print
 * title rows and columns, and the default footers. Nothing here is in the undo page's table of calls
 * Excel cannot undo, so each is undoable inside a `mergeUndoGroup` run.
 */
export class SimPageLayout extends SimObject {
  constructor(ctx: SimContext, sheet: SimWorksheet) {
    super(ctx, (tx) => {
      gate(ctx, '1.9', 'pageLayout');
      return sheet.must(tx);
    });
  }
  protected read(): Record<string, unknown> {
    throw new SimError('InvalidArgument', 'loading the page layout is not simulated');
  }
  set orientation(v: string) {
    this.set('orientation', v, (s: SheetModel, x) => {
      if (x !== 'Landscape' && x !== 'Portrait') throw new SimError('InvalidArgument', `orientation ${String(x)}`);
      s.print.orientation = x;
    });
  }
  set paperSize(v: string) {
    this.set('paperSize', v, (s: SheetModel, x) => {
      if (typeof x !== 'string' || !PAPER_TYPES.has(x)) throw new SimError('InvalidArgument', `paper size ${String(x)}`);
      s.print.paperSize = x;
    });
  }
  set zoom(v: { horizontalFitToPages?: number; verticalFitToPages?: number; scale?: number }) {
    this.set('zoom', v, (s: SheetModel, x) => {
      const z = x as Record<string, unknown>;
      for (const [k, n] of Object.entries(z)) {
        if (!['horizontalFitToPages', 'verticalFitToPages', 'scale'].includes(k) || typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new SimError('InvalidArgument', `zoom ${k}`);
      }
      if (typeof z['scale'] === 'number' && (z['scale'] < 10 || z['scale'] > 400)) throw new SimError('InvalidArgument', 'scale between 10 and 400');
      // "scale … can be null if fit to page tall or wide is specified": the simulator takes one or the other, never both.
      if (z['scale'] !== undefined && (z['horizontalFitToPages'] !== undefined || z['verticalFitToPages'] !== undefined)) throw new SimError('InvalidArgument', 'a scale and fitting to pages at once');
      s.print.zoom = { ...(z as Record<string, number>) };
    });
  }
  private margin(which: 'leftMargin' | 'rightMargin' | 'topMargin' | 'bottomMargin' | 'headerMargin' | 'footerMargin', v: number): void {
    this.set(which, v, (s: SheetModel, x) => {
      // In points; Excel's page setup takes margins from 0 to under the page's size (a few hundred points).
      if (typeof x !== 'number' || !Number.isFinite(x) || x < 0 || x > 409) throw new SimError('InvalidArgument', `${which} ${String(x)}`);
      s.print[which] = x;
    });
  }
  set leftMargin(v: number) {
    this.margin('leftMargin', v);
  }
  set rightMargin(v: number) {
    this.margin('rightMargin', v);
  }
  set topMargin(v: number) {
    this.margin('topMargin', v);
  }
  set bottomMargin(v: number) {
    this.margin('bottomMargin', v);
  }
  set headerMargin(v: number) {
    this.margin('headerMargin', v);
  }
  set footerMargin(v: number) {
    this.margin('footerMargin', v);
  }
  set centerHorizontally(v: boolean) {
    this.set('centerHorizontally', v, (s: SheetModel, x) => {
      if (typeof x !== 'boolean') throw new SimError('InvalidArgument', 'centerHorizontally is true or false');
      s.print.centerHorizontally = x;
    });
  }
  setPrintTitleRows(rows: string): void {
    this.call('setPrintTitleRows', [rows], (s: SheetModel) => {
      if (!/^\$?\d+:\$?\d+$/.test(rows)) throw new SimError('InvalidArgument', `print title rows ${rows}`);
      s.print.titleRows = rows;
    });
  }
  /** "The range must span the entire column to be valid": whole columns only (`$A:$B`). */
  setPrintTitleColumns(columns: string): void {
    this.call('setPrintTitleColumns', [columns], (s: SheetModel) => {
      if (!/^\$?[A-Z]{1,3}:\$?[A-Z]{1,3}$/.test(columns)) throw new SimError('InvalidArgument', `print title columns ${columns}`);
      s.print.titleColumns = columns;
    });
  }
  get headersFooters(): { defaultForAllPages: { leftFooter: string; centerFooter: string } } {
    const set = (which: 'leftFooter' | 'centerFooter', text: string): void =>
      this.set(which, text, (s: SheetModel, x) => {
        if (typeof x !== 'string' || x.length > 255) throw new SimError('InvalidArgument', 'a footer is text of at most 255 characters');
        s.print[which] = x;
      });
    return {
      defaultForAllPages: {
        set leftFooter(t: string) {
          set('leftFooter', t);
        },
        get leftFooter(): string {
          throw new SimError('PropertyNotLoaded', 'leftFooter');
        },
        set centerFooter(t: string) {
          set('centerFooter', t);
        },
        get centerFooter(): string {
          throw new SimError('PropertyNotLoaded', 'centerFooter');
        },
      },
    };
  }
}

// ───────────────────────────── ranges ─────────────────────────────

/** A range's model: a sheet and a rectangle. */
export interface RangeTarget {
  readonly sheet: SheetModel;
  readonly rect: Rect;
}

/** Excel reads at most this many cells of one range. */
const MAX_READ_CELLS = 5_000_000;

function forCells(t: RangeTarget, fn: (r: number, c: number) => void): void {
  for (let r = t.rect.r0; r <= t.rect.r1; r++) for (let c = t.rect.c0; c <= t.rect.c1; c++) fn(r, c);
}

function matrix<T>(t: RangeTarget, fn: (r: number, c: number) => T): T[][] {
  if (cellCount(t.rect) > MAX_READ_CELLS) throw new SimError('ResponsePayloadSizeLimitExceeded', 'too many cells');
  const out: T[][] = [];
  for (let r = t.rect.r0; r <= t.rect.r1; r++) {
    const row: T[] = [];
    for (let c = t.rect.c0; c <= t.rect.c1; c++) row.push(fn(r, c));
    out.push(row);
  }
  return out;
}

function valueOut(t: RangeTarget, r: number, c: number): unknown {
  const cell = cellAt(t.sheet, r, c);
  if (cell === undefined) return '';
  if (cell.error !== undefined) return cell.error;
  return cell.value ?? '';
}

function typeOut(t: RangeTarget, r: number, c: number): string {
  const cell = cellAt(t.sheet, r, c);
  if (cell?.error !== undefined) return 'Error';
  const v = cell?.value;
  if (v === undefined) return 'Empty';
  return typeof v === 'number' ? 'Double' : typeof v === 'boolean' ? 'Boolean' : 'String';
}

function formulaOut(t: RangeTarget, r: number, c: number): unknown {
  const cell = cellAt(t.sheet, r, c);
  return cell?.formula ?? valueOut(t, r, c);
}

function setMatrix(t: RangeTarget, value: unknown, each: (r: number, c: number, v: unknown) => void): void {
  const rows = t.rect.r1 - t.rect.r0 + 1;
  const cols = t.rect.c1 - t.rect.c0 + 1;
  if (!Array.isArray(value)) {
    forStoredCellsOrAll(t, (r, c) => each(r, c, value));
    return;
  }
  if (value.length !== rows || value.some((row) => !Array.isArray(row) || row.length !== cols)) {
    throw new SimError('InvalidArgument', `The number of rows or columns in the input array doesn't match the size or dimensions of the range (${rows}×${cols}).`);
  }
  forCells(t, (r, c) => each(r, c, (value as unknown[][])[r - t.rect.r0]![c - t.rect.c0]));
}

function forStoredCellsOrAll(t: RangeTarget, fn: (r: number, c: number) => void): void {
  if (cellCount(t.rect) <= 100_000) forCells(t, fn);
  else throw new SimError('InvalidArgument', 'setting a value on a huge range');
}

function inMerge(t: RangeTarget, r: number, c: number): boolean {
  return t.sheet.merges.some((m) => r >= m.r0 && r <= m.r1 && c >= m.c0 && c <= m.c1 && !(r === m.r0 && c === m.c0));
}

/** `Excel.Range`. */
export class SimRange extends SimObject {
  protected read(t: RangeTarget, props: string[]): Record<string, unknown> {
    const all = props.length === 0 ? ['address', 'rowIndex', 'columnIndex', 'rowCount', 'columnCount', 'values', 'valueTypes', 'formulas', 'numberFormat'] : props;
    const out: Record<string, unknown> = {};
    for (const p of all) {
      switch (p) {
        case 'address':
          out[p] = `${sheetPrefix(t.sheet.name)}!${rectAddress(t.rect)}`;
          break;
        case 'rowIndex':
          out[p] = t.rect.r0;
          break;
        case 'columnIndex':
          out[p] = t.rect.c0;
          break;
        case 'rowCount':
          out[p] = t.rect.r1 - t.rect.r0 + 1;
          break;
        case 'columnCount':
          out[p] = t.rect.c1 - t.rect.c0 + 1;
          break;
        case 'values':
          out[p] = matrix(t, (r, c) => valueOut(t, r, c));
          break;
        case 'valueTypes':
          out[p] = matrix(t, (r, c) => typeOut(t, r, c));
          break;
        case 'formulas':
          out[p] = matrix(t, (r, c) => formulaOut(t, r, c));
          break;
        case 'numberFormat':
          out[p] = matrix(t, (r, c) => cellAt(t.sheet, r, c)?.numberFormat ?? 'General');
          break;
        default:
          throw new SimError('InvalidArgument', `unknown range property ${p}`);
      }
    }
    return out;
  }
  get address(): string {
    return this.get('address');
  }
  get rowIndex(): number {
    return this.get('rowIndex');
  }
  get columnIndex(): number {
    return this.get('columnIndex');
  }
  get rowCount(): number {
    return this.get('rowCount');
  }
  get columnCount(): number {
    return this.get('columnCount');
  }
  get values(): unknown[][] {
    return this.get('values');
  }
  set values(v: unknown[][]) {
    this.set('values', v, (t: RangeTarget, value) => {
      guard(t.sheet, 'cells', t.rect);
      setMatrix(t, value, (r, c, x) => {
        if (x === null || x === undefined || inMerge(t, r, c)) return;
        const cell = cellAt(t.sheet, r, c, true);
        typeInto(cell, x);
        tidy(t.sheet, r, c);
      });
    });
  }
  get valueTypes(): string[][] {
    return this.get('valueTypes');
  }
  get formulas(): unknown[][] {
    return this.get('formulas');
  }
  /** `Range.columnHidden` (ExcelApi 1.2): set on whole columns. */
  set columnHidden(v: boolean) {
    this.set('columnHidden', v, (t: RangeTarget, x) => {
      guard(t.sheet, 'columns');
      for (let c = t.rect.c0; c <= t.rect.c1; c++) {
        if (x === true) t.sheet.hiddenColumns.add(c);
        else t.sheet.hiddenColumns.delete(c);
      }
    });
  }
  set formulas(v: unknown[][]) {
    this.set('formulas', v, (t: RangeTarget, value) => {
      guard(t.sheet, 'cells', t.rect);
      setMatrix(t, value, (r, c, x) => {
        if (x === null || x === undefined || inMerge(t, r, c)) return;
        typeInto(cellAt(t.sheet, r, c, true), x);
        tidy(t.sheet, r, c);
      });
    });
  }
  get numberFormat(): unknown[][] {
    return this.get('numberFormat');
  }
  set numberFormat(v: unknown[][]) {
    this.set('numberFormat', v, (t: RangeTarget, value) => {
      guard(t.sheet, 'format');
      setMatrix(t, value, (r, c, x) => {
        if (x === null || x === undefined) return;
        const cell = cellAt(t.sheet, r, c, true);
        if (x === 'General' || x === '') delete cell.numberFormat;
        else cell.numberFormat = String(x);
        tidy(t.sheet, r, c);
      });
    });
  }
  get format(): SimRangeFormat {
    return new SimRangeFormat(this.ctx, this);
  }
  get conditionalFormats(): SimConditionalFormats {
    return new SimConditionalFormats(this.ctx, this);
  }
  get dataValidation(): SimDataValidation {
    return new SimDataValidation(this.ctx, this);
  }
  merge(across?: boolean): void {
    this.call('range.merge', [across ?? false], (t: RangeTarget) => {
      guard(t.sheet, 'format');
      guard(t.sheet, 'cells', t.rect);
      if (across === true) throw new SimError('InvalidArgument', 'merge across is not simulated');
      if (t.sheet.tables.some((tb) => overlaps(tb.rect, t.rect))) throw new SimError('InvalidOperation', 'cannot merge cells in a table');
      t.sheet.merges = t.sheet.merges.filter((m) => !overlaps(m, t.rect));
      forCells(t, (r, c) => {
        if (r === t.rect.r0 && c === t.rect.c0) return;
        const cell = cellAt(t.sheet, r, c);
        if (cell === undefined) return;
        delete cell.value;
        delete cell.error;
        delete cell.formula;
        tidy(t.sheet, r, c);
      });
      t.sheet.merges.push({ ...t.rect });
    });
  }
  getMergedAreasOrNullObject(): SimRangeAreas {
    // A mark in the request for the undo rules: asking for merged areas clears the history on Windows (office-js issue #5918).
    this.ctx.queue('getMergedAreasOrNullObject', 0, () => {});
    return new SimRangeAreas(this.ctx, (tx) => {
      gate(this.ctx, '1.13', 'getMergedAreasOrNullObject');
      const t = this.must(tx) as RangeTarget;
      const areas = t.sheet.merges.filter((m) => overlaps(m, t.rect));
      if (areas.length > 512) throw new SimError('GeneralException', 'more than 512 merged areas');
      return areas.length === 0 ? null : { sheet: t.sheet, areas };
    });
  }
  /** `Range.clear(applyTo)`: contents, formats or both (the default); hyperlinks are not simulated. */
  clear(applyTo: string = 'All'): void {
    this.call('range.clear', [applyTo], (t: RangeTarget) => {
      if (applyTo !== 'All' && applyTo !== 'Contents' && applyTo !== 'Formats') throw new SimError('InvalidArgument', `clear ${applyTo}`);
      if (applyTo !== 'Formats') guard(t.sheet, 'cells', t.rect);
      if (applyTo !== 'Contents') guard(t.sheet, 'format');
      for (const [k, cell] of [...t.sheet.cells]) {
        const r = Math.floor(k / MAX_COLS);
        const c = k % MAX_COLS;
        if (r < t.rect.r0 || r > t.rect.r1 || c < t.rect.c0 || c > t.rect.c1) continue;
        if (applyTo !== 'Formats') {
          delete cell.value;
          delete cell.error;
          delete cell.formula;
        }
        if (applyTo !== 'Contents') {
          for (const f of ['numberFormat', 'fill', 'bold', 'italic', 'fontSize', 'fontColor', 'wrap', 'vAlign', 'borderTop', 'unlocked'] as const) delete cell[f];
        }
        tidy(t.sheet, r, c);
      }
      // Clearing formats also unmerges and drops conditional formats, as Excel's Clear Formats does.
      if (applyTo !== 'Contents') {
        t.sheet.merges = t.sheet.merges.filter((m) => !overlaps(m, t.rect));
        t.sheet.conditionalFormats = t.sheet.conditionalFormats.filter((cf) => !overlaps(cf.rect, t.rect));
      }
    });
  }
  /** `Range.unmerge()` (ExcelApi 1.2). */
  unmerge(): void {
    this.call('range.unmerge', [], (t: RangeTarget) => {
      guard(t.sheet, 'format');
      t.sheet.merges = t.sheet.merges.filter((m) => !overlaps(m, t.rect));
    });
  }
  select(): void {
    this.call('range.select', [], (t: RangeTarget, tx) => {
      if (t.sheet.visibility !== 'Visible') throw new SimError('InvalidOperation', 'select on a hidden sheet');
      tx.wb.activeSheetId = t.sheet.id;
      tx.wb.selection = { sheetId: t.sheet.id, rect: { ...t.rect } };
    });
  }
}

/** `Excel.RangeAreas`: only `address` and `areaCount`. */
export class SimRangeAreas extends SimObject {
  constructor(ctx: SimContext, resolver: (tx: Tx) => unknown) {
    super(ctx, resolver, true);
  }
  protected read(t: { sheet: SheetModel; areas: Rect[] }, props: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const p of props.length === 0 ? ['address', 'areaCount'] : props) {
      if (p === 'address') out[p] = t.areas.map((a) => `${sheetPrefix(t.sheet.name)}!${rectAddress(a)}`).join(', ');
      else if (p === 'areaCount') out[p] = t.areas.length;
      else throw new SimError('InvalidArgument', `unknown RangeAreas property ${p}`);
    }
    return out;
  }
  get address(): string {
    return this.get('address');
  }
  get areaCount(): number {
    return this.get('areaCount');
  }
}

/** A child object addressing the same range (format, fill, font…), with its own properties. */
abstract class RangePart extends SimObject {
  constructor(
    ctx: SimContext,
    readonly range: SimObject,
  ) {
    super(ctx, (tx) => range.must(tx));
  }
  protected read(_t: unknown, _props: string[]): Record<string, unknown> {
    throw new SimError('InvalidArgument', `${this.constructor.name} has no loadable properties in the simulator`);
  }
  protected setEach(prop: string, value: unknown, fn: (cell: ReturnType<typeof cellAt> & object, value: unknown) => void, allowed?: readonly string[]): void {
    this.set(prop, value, (t: RangeTarget, v) => {
      // An enumerated property takes one of its enum's values; anything else fails the sync.
      if (allowed !== undefined && !allowed.includes(String(v))) throw new SimError('InvalidArgument', `${prop} ${String(v)}`);
      // Locking or unlocking cells is never allowed on a protected sheet; other formatting as its options say.
      guard(t.sheet, prop === 'locked' ? 'structure' : 'format');
      forStoredCellsOrAll(t, (r, c) => fn(cellAt(t.sheet, r, c, true), v));
    });
  }
}

/** `Excel.RangeFormat`. */
export class SimRangeFormat extends RangePart {
  get fill(): SimRangeFill {
    return new SimRangeFill(this.ctx, this.range);
  }
  get font(): SimRangeFont {
    return new SimRangeFont(this.ctx, this.range);
  }
  get protection(): SimFormatProtection {
    return new SimFormatProtection(this.ctx, this.range);
  }
  get borders(): { getItem(edge: string): SimBorder } {
    return { getItem: (edge: string) => new SimBorder(this.ctx, this.range, edge) };
  }
  set wrapText(v: boolean) {
    this.setEach('wrapText', v, (cell, x) => (cell.wrap = Boolean(x)));
  }
  set verticalAlignment(v: string) {
    this.setEach('verticalAlignment', v, (cell, x) => (cell.vAlign = String(x)), ['Top', 'Center', 'Bottom', 'Justify', 'Distributed']);
  }
  set horizontalAlignment(v: string) {
    this.setEach('horizontalAlignment', v, (cell, x) => (cell.hAlign = String(x)), ['General', 'Left', 'Center', 'Right', 'Fill', 'Justify', 'CenterAcrossSelection', 'Distributed']);
  }
  /** `RangeFormat.rowHeight` (ExcelApi 1.2): every row of the range, in points; Excel's rows are 0 to 409 points tall. */
  set rowHeight(v: number) {
    this.set('rowHeight', v, (t: RangeTarget, x) => {
      if (typeof x !== 'number' || !Number.isFinite(x) || x < 0 || x > 409) throw new SimError('InvalidArgument', `row height ${String(x)}`);
      guard(t.sheet, 'rows');
      for (let r = t.rect.r0; r <= t.rect.r1; r++) t.sheet.rowHeights.set(r, x);
    });
  }
  set columnWidth(v: number) {
    this.set('columnWidth', v, (t: RangeTarget, x) => {
      guard(t.sheet, 'columns');
      for (let c = t.rect.c0; c <= t.rect.c1; c++) t.sheet.columnWidths.set(c, Number(x));
    });
  }
}

/** `Excel.RangeFill`: `color` reads `#FFFFFF` for no fill, null when the cells differ. */
export class SimRangeFill extends RangePart {
  protected override read(t: RangeTarget, props: string[]): Record<string, unknown> {
    if (props.some((p) => p !== 'color')) throw new SimError('InvalidArgument', 'only color is simulated');
    const seen = new Set<string>();
    forCells(t, (r, c) => seen.add(cellAt(t.sheet, r, c)?.fill ?? '#FFFFFF'));
    return { color: seen.size === 1 ? [...seen][0] : null };
  }
  get color(): string {
    return this.get('color');
  }
  set color(v: string) {
    this.setEach('fill.color', v, (cell, x) => (cell.fill = String(x).toUpperCase()));
  }
  clear(): void {
    this.call('fill.clear', [], (t: RangeTarget) =>
      forStoredCellsOrAll(t, (r, c) => {
        const cell = cellAt(t.sheet, r, c);
        if (cell !== undefined) delete cell.fill;
        tidy(t.sheet, r, c);
      }),
    );
  }
}

/** `Excel.RangeFont`. */
export class SimRangeFont extends RangePart {
  set bold(v: boolean) {
    this.setEach('bold', v, (cell, x) => (cell.bold = Boolean(x)));
  }
  set italic(v: boolean) {
    this.setEach('italic', v, (cell, x) => (cell.italic = Boolean(x)));
  }
  set size(v: number) {
    this.setEach('size', v, (cell, x) => (cell.fontSize = Number(x)));
  }
  set color(v: string) {
    this.setEach('font.color', v, (cell, x) => (cell.fontColor = String(x)));
  }
}

/** `Excel.FormatProtection`. */
export class SimFormatProtection extends RangePart {
  set locked(v: boolean) {
    this.setEach('locked', v, (cell, x) => {
      if (x === false) cell.unlocked = true;
      else delete cell.unlocked;
    });
  }
  set formulaHidden(v: boolean) {
    this.setEach('formulaHidden', v, (cell, x) => {
      if (x === true) cell.formulaHidden = true;
      else delete cell.formulaHidden;
    });
  }
}

/** `Excel.RangeBorder`. */
export class SimBorder extends RangePart {
  constructor(
    ctx: SimContext,
    range: SimObject,
    readonly edge: string,
  ) {
    super(ctx, range);
  }
  set style(v: string) {
    if (this.edge !== 'EdgeTop') throw new SimError('InvalidArgument', 'only EdgeTop is simulated');
    this.setEach('border', v, (cell, x) => (cell.borderTop = String(x)));
  }
}

/** `Excel.ConditionalFormatCollection` of a range. */
export class SimConditionalFormats extends RangePart {
  add(type: string): SimConditionalFormat {
    const holder: { index?: number; sheet?: SheetModel } = {};
    this.call('conditionalFormats.add', [type], (t: RangeTarget) => {
      gate(this.ctx, '1.6', 'conditionalFormats');
      guard(t.sheet, 'format');
      holder.sheet = t.sheet;
      holder.index = t.sheet.conditionalFormats.push({ rect: { ...t.rect }, type }) - 1;
    });
    return new SimConditionalFormat(this.ctx, (tx) => {
      void tx;
      return holder.sheet?.conditionalFormats[holder.index ?? -1];
    });
  }
  /** `clearAll()`: every conditional format overlapping the range (ExcelApi 1.6). */
  clearAll(): void {
    this.call('conditionalFormats.clearAll', [], (t: RangeTarget) => {
      gate(this.ctx, '1.6', 'conditionalFormats');
      guard(t.sheet, 'format');
      t.sheet.conditionalFormats = t.sheet.conditionalFormats.filter((cf) => !overlaps(cf.rect, t.rect));
    });
  }
}

/** `Excel.ConditionalFormat`: `custom.rule.formula`, `custom.format.fill.color`, `custom.format.font.color`. */
export class SimConditionalFormat extends SimObject {
  constructor(ctx: SimContext, resolver: (tx: Tx) => unknown) {
    super(ctx, resolver);
  }
  protected read(): Record<string, unknown> {
    return {};
  }
  get custom(): { rule: { formula: string }; format: { fill: { color: string }; font: { color: string } } } {
    const setter = (apply: (cf: { formula?: string; fill?: string; fontColor?: string }, v: string) => void) => (v: string) =>
      this.ctx.queue('conditionalFormat.set', jsonSize(v), (tx) => {
        const cf = this.must(tx) as { formula?: string; fill?: string; fontColor?: string };
        apply(cf, v);
      });
    const formula = setter((cf, v) => (cf.formula = v));
    const fill = setter((cf, v) => (cf.fill = v));
    const font = setter((cf, v) => (cf.fontColor = v));
    return {
      rule: {
        set formula(v: string) {
          formula(v);
        },
        get formula(): string {
          return notLoaded('formula');
        },
      },
      format: {
        fill: {
          set color(v: string) {
            fill(v);
          },
          get color(): string {
            return notLoaded('color');
          },
        },
        font: {
          set color(v: string) {
            font(v);
          },
          get color(): string {
            return notLoaded('color');
          },
        },
      },
    };
  }
}

/** `Excel.DataValidation` (ExcelApi 1.8). */
export class SimDataValidation extends RangePart {
  private put(prop: 'rule' | 'prompt' | 'errorAlert', v: unknown): void {
    this.set(prop, v, (t: RangeTarget, x) => {
      gate(this.ctx, '1.8', 'dataValidation');
      guard(t.sheet, 'structure');
      let dv = t.sheet.validations.find((d) => rectAddress(d.rect) === rectAddress(t.rect));
      if (dv === undefined) t.sheet.validations.push((dv = { rect: { ...t.rect } }));
      dv[prop] = structuredClone(x);
    });
  }
  set rule(v: unknown) {
    this.put('rule', v);
  }
  set prompt(v: unknown) {
    this.put('prompt', v);
  }
  set errorAlert(v: unknown) {
    this.put('errorAlert', v);
  }
  /** `clear()`: the validation of every cell of the range (ExcelApi 1.8). */
  clear(): void {
    this.call('dataValidation.clear', [], (t: RangeTarget) => {
      gate(this.ctx, '1.8', 'dataValidation');
      guard(t.sheet, 'structure');
      t.sheet.validations = t.sheet.validations.filter((v) => !overlaps(v.rect, t.rect));
    });
  }
}

// ───────────────────────────── sheet parts ─────────────────────────────

/** `Excel.WorksheetFreezePanes`. */
export class SimFreezePanes extends SimObject {
  constructor(
    ctx: SimContext,
    readonly sheet: SimWorksheet,
  ) {
    super(ctx, (tx) => sheet.must(tx));
  }
  protected read(): Record<string, unknown> {
    return {};
  }
  freezeRows(count = 1): void {
    this.call('freezeRows', [count], (s: SheetModel) => {
      gate(this.ctx, '1.7', 'freezePanes');
      s.freeze = { rows: count, cols: 0 };
    });
  }
  freezeColumns(count = 1): void {
    this.call('freezeColumns', [count], (s: SheetModel) => {
      gate(this.ctx, '1.7', 'freezePanes');
      s.freeze = { rows: 0, cols: count };
    });
  }
  unfreeze(): void {
    this.call('unfreeze', [], (s: SheetModel) => {
      gate(this.ctx, '1.7', 'freezePanes');
      s.freeze = null;
    });
  }
  freezeAt(range: SimRange | string): void {
    this.ctx.queue('freezeAt', 32, (tx) => {
      gate(this.ctx, '1.7', 'freezePanes');
      const s = this.must(tx) as SheetModel;
      const rect = typeof range === 'string' ? parseLocal(range) : (range.must(tx) as RangeTarget).rect;
      if (rect === null || rect.r0 !== 0 || rect.c0 !== 0) throw new SimError('InvalidArgument', 'freezeAt needs a range from A1');
      s.freeze = { rows: rect.r1 + 1, cols: rect.c1 + 1 };
    });
  }
}

/** The options Office.js reports for a protection: every `allow…` flag, false where not allowed. */
const OPTION_KEYS = [
  'allowAutoFilter', 'allowDeleteColumns', 'allowDeleteRows', 'allowEditObjects', 'allowEditScenarios', 'allowFormatCells',
  'allowFormatColumns', 'allowFormatRows', 'allowInsertColumns', 'allowInsertHyperlinks', 'allowInsertRows', 'allowPivotTables', 'allowSort',
] as const;

/** A sheet's protection as Office.js loads it. */
function protectionProps(s: SheetModel, props: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of props.length === 0 ? ['protected', 'options'] : props) {
    if (p === 'protected') out[p] = s.protected;
    // Options read back may hold nulls (office-js issue #1931): those the protection never set.
    else if (p === 'options') out[p] = Object.fromEntries(OPTION_KEYS.map((k) => [k, s.protected && s.protection.options[k] !== undefined ? s.protection.options[k] === true : null]));
    else throw new SimError('InvalidArgument', `WorksheetProtection.${p} is not available in this host`);
  }
  return out;
}

/**
 * `Excel.WorksheetProtection`: `protected` and `options` (ExcelApi 1.2), `protect(options, password)`,
 * `unprotect(password)` (1.7 for the password). As Excel does today (office-js #6784), protecting a
 * protected sheet or unprotecting an unprotected one is refused with `AccessDenied`, as is
 * unprotecting with a wrong or missing password. `isPasswordProtected` is ExcelApiOnline only: Excel
 * on the desktop cannot say, so the simulator does not either.
 */
export class SimProtection extends SimObject {
  constructor(ctx: SimContext, sheet: SimWorksheet) {
    super(ctx, (tx) => sheet.must(tx));
  }
  protected read(s: SheetModel, props: string[]): Record<string, unknown> {
    return protectionProps(s, props);
  }
  get protected(): boolean {
    return this.get('protected');
  }
  get options(): ProtectionOptions {
    return this.get('options');
  }
  protect(options?: ProtectionOptions, password?: string): void {
    this.call('protect', [options ?? null, password ?? null], (s: SheetModel) => {
      if (password !== undefined) gate(this.ctx, '1.7', 'protect with a password');
      if (s.protected) throw new SimError('AccessDenied', 'The sheet is already protected.');
      // Options with nulls (as read back) are refused with an internal error (office-js issue #1931).
      if (options !== undefined && options !== null && Object.values(options).some((v) => v === null)) throw new SimError('GeneralException', 'There was an internal error while processing the request.');
      s.protected = true;
      s.protection = { options: Object.fromEntries(OPTION_KEYS.filter((k) => options?.[k] === true).map((k) => [k, true])), password: password ?? null };
    });
  }
  unprotect(password?: string): void {
    this.call('unprotect', [password ?? null], (s: SheetModel) => {
      if (password !== undefined) gate(this.ctx, '1.7', 'unprotect with a password');
      if (!s.protected) throw new SimError('AccessDenied', 'The sheet is not protected.');
      if (s.protection.password !== null && s.protection.password !== password) throw new SimError(this.ctx.host.passwordError, 'The password you supplied is incorrect.');
      s.protected = false;
      s.protection = { options: {}, password: null };
    });
  }
}

/** `Excel.TableCollection` of a sheet, or of the workbook when `sheet` is null. */
export class SimTableCollection extends SimObject {
  constructor(
    ctx: SimContext,
    readonly sheet: SimWorksheet | null,
  ) {
    super(ctx, (tx) => (sheet === null ? tx.wb : sheet.must(tx)));
  }
  private all(tx: Tx): { sheet: SheetModel; table: SheetModel['tables'][number] }[] {
    const sheets = this.sheet === null ? tx.wb.sheets : [this.sheet.must(tx) as SheetModel];
    return sheets.flatMap((s) => s.tables.map((table) => ({ sheet: s, table })));
  }
  protected read(_t: unknown, props: string[], tx: Tx): Record<string, unknown> {
    if (props.some((p) => p !== 'items/name')) throw new SimError('InvalidArgument', 'only items/name is simulated');
    return { items: this.all(tx).map(({ table }) => ({ __tableId: table.id, name: table.name })) };
  }
  override commitLoad(data: Record<string, unknown> | null): void {
    if (data === null) return super.commitLoad(null);
    const items = (data['items'] as { __tableId: number; name: string }[]).map((d) => {
      const t = new SimTable(this.ctx, (tx) => findTable(tx, (x) => x.id === d.__tableId));
      t.commitLoad({ name: d.name });
      return t;
    });
    super.commitLoad({ items });
  }
  get items(): SimTable[] {
    return this.get('items');
  }
  getItem(name: string): SimTable {
    return new SimTable(this.ctx, (tx) => {
      const hit = this.all(tx).find(({ table }) => table.name.toLowerCase() === name.toLowerCase());
      return hit === undefined ? null : hit;
    });
  }
  add(address: SimRange | string, hasHeaders: boolean): SimTable {
    if (this.sheet === null || typeof address === 'string') throw new TypeError('the simulator takes a Range on a worksheet');
    const holder: { id?: number } = {};
    this.ctx.queue('tables.add', 32, (tx) => {
      const t = address.must(tx) as RangeTarget;
      guard(t.sheet, 'structure');
      if (!hasHeaders) throw new SimError('InvalidArgument', 'tables without headers are not simulated');
      if (t.sheet.tables.some((x) => overlaps(x.rect, t.rect))) throw new SimError('InvalidOperation', 'tables overlap');
      if (t.sheet.merges.some((m) => overlaps(m, t.rect))) throw new SimError('InvalidOperation', 'a table cannot hold merged cells');
      const id = tx.wb.nextId++;
      let n = 1;
      while (tx.wb.sheets.some((s) => s.tables.some((x) => x.name === `Table${n}`))) n++;
      t.sheet.tables.push({ id, name: `Table${n}`, rect: { ...t.rect } });
      holder.id = id;
    });
    return new SimTable(this.ctx, (tx) => findTable(tx, (x) => x.id === holder.id));
  }
}

function findTable(tx: Tx, pred: (t: SheetModel['tables'][number]) => boolean): { sheet: SheetModel; table: SheetModel['tables'][number] } | null {
  for (const sheet of tx.wb.sheets) for (const table of sheet.tables) if (pred(table)) return { sheet, table };
  return null;
}

/** `Excel.Table`: `name` (unique in the workbook) and its `worksheet`. */
export class SimTable extends SimObject {
  protected read(t: { table: { name: string } }, props: string[]): Record<string, unknown> {
    if (props.some((p) => p !== 'name')) throw new SimError('InvalidArgument', 'only name is simulated');
    return { name: t.table.name };
  }
  get name(): string {
    return this.get('name');
  }
  set name(v: string) {
    this.set('name', v, (t: { table: { id: number; name: string } }, x, tx) => {
      const name = String(x);
      if (!/^[A-Za-z_\\][A-Za-z0-9_.]*$/.test(name) || /^[A-Za-z]{1,3}\d+$/.test(name)) throw new SimError('InvalidArgument', `bad table name ${name}`);
      if (findTable(tx, (o) => o !== t.table && o.name.toLowerCase() === name.toLowerCase())) throw new SimError('InvalidArgument', `table name ${name} is taken`);
      t.table.name = name;
    });
  }
  /** `delete()`: the table goes, its cells stay. */
  delete(): void {
    this.ctx.queue('table.delete', 0, (tx) => {
      const t = this.must(tx) as { sheet: SheetModel; table: { id: number } };
      guard(t.sheet, 'objects');
      t.sheet.tables = t.sheet.tables.filter((x) => x.id !== t.table.id);
    });
  }
  get worksheet(): SimWorksheet {
    const ws = new SimWorksheet(this.ctx, '\u0000');
    // Bound through the table: resolve the table, then its sheet.
    Object.defineProperty(ws, 'resolve', { value: (tx: Tx) => (this.must(tx) as { sheet: SheetModel }).sheet });
    return ws;
  }
}

/** `Excel.ChartCollection`: `items/name` and `add`. */
export class SimChartCollection extends SimObject {
  constructor(ctx: SimContext, sheet: SimWorksheet) {
    super(ctx, (tx) => sheet.must(tx));
  }
  protected read(s: SheetModel, props: string[]): Record<string, unknown> {
    if (props.some((p) => p !== 'items/name')) throw new SimError('InvalidArgument', 'only items/name is simulated');
    return { items: s.charts.map((c) => ({ __chartId: c.id, name: c.title ?? `Chart ${c.id}` })) };
  }
  override commitLoad(data: Record<string, unknown> | null): void {
    if (data === null) return super.commitLoad(null);
    const items = (data['items'] as { __chartId: number; name: string }[]).map((d) => {
      const c = new SimChart(this.ctx, (tx) => {
        for (const sh of tx.wb.sheets) {
          const chart = sh.charts.find((x) => x.id === d.__chartId);
          if (chart !== undefined) return chart;
        }
        return null;
      });
      c.commitLoad({ name: d.name });
      return c;
    });
    super.commitLoad({ items });
  }
  get items(): SimChart[] {
    return this.get('items');
  }
  add(type: string, source: SimRange, seriesBy?: string): SimChart {
    const holder: { chart?: ChartModel } = {};
    this.ctx.queue('charts.add', jsonSize([type, seriesBy]), (tx) => {
      const s = this.must(tx) as SheetModel;
      const t = source.must(tx) as RangeTarget;
      guard(s, 'objects');
      if (t.sheet !== s) throw new SimError('InvalidArgument', 'chart data on another sheet is not simulated');
      holder.chart = { id: tx.wb.nextId++, type, source: { ...t.rect }, seriesBy: seriesBy ?? 'Auto', seriesTypes: {} };
      s.charts.push(holder.chart);
    });
    return new SimChart(this.ctx, (tx) => {
      void tx;
      return holder.chart;
    });
  }
}

/** `Excel.Chart`: title, legend position, series types and position. */
export class SimChart extends SimObject {
  protected read(): Record<string, unknown> {
    return {};
  }
  private edit(name: string, value: unknown, fn: (c: ChartModel) => void): void {
    this.ctx.queue(name, jsonSize(value), (tx) => fn(this.must(tx) as ChartModel));
  }
  get title(): { text: string } {
    const edit = (v: string): void => this.edit('chart.title', v, (c) => (c.title = v));
    return {
      set text(v: string) {
        edit(v);
      },
      get text(): string {
        return notLoaded('text');
      },
    };
  }
  get legend(): { position: string } {
    const edit = (v: string): void => this.edit('chart.legend', v, (c) => (c.legend = v));
    return {
      set position(v: string) {
        edit(v);
      },
      get position(): string {
        return notLoaded('position');
      },
    };
  }
  get series(): { getItemAt(i: number): { chartType: string } } {
    return {
      getItemAt: (i: number) => {
        const edit = (v: string): void => this.edit('series.chartType', v, (c) => (c.seriesTypes[i] = v));
        return {
          set chartType(v: string) {
            edit(v);
          },
          get chartType(): string {
            return notLoaded('chartType');
          },
        };
      },
    };
  }
  setPosition(start: string, end?: string): void {
    this.edit('chart.setPosition', [start, end], (c) => (c.position = [start, end]));
  }
  /** `delete()`: the chart leaves its sheet. */
  delete(): void {
    this.ctx.queue('chart.delete', 0, (tx) => {
      const c = this.must(tx) as ChartModel;
      const sheet = tx.wb.sheets.find((sh) => sh.charts.includes(c))!;
      guard(sheet, 'objects');
      sheet.charts = sheet.charts.filter((x) => x !== c);
    });
  }
}

// ───────────────────────────── notes, comments, settings ─────────────────────────────

function cellOf(tx: Tx, at: SimRange | string): { sheet: SheetModel; r: number; c: number } {
  let t: RangeTarget;
  if (typeof at === 'string') {
    const { sheet, local } = splitSheet(at);
    const s = sheet === undefined ? undefined : findSheet(tx.wb, sheet);
    const rect = parseLocal(local);
    if (s === undefined || rect === null) throw new SimError('InvalidArgument', `bad cell address ${at}`);
    t = { sheet: s, rect };
  } else {
    t = at.must(tx) as RangeTarget;
  }
  if (cellCount(t.rect) !== 1) throw new SimError('InvalidArgument', 'a note or comment goes on one cell');
  return { sheet: t.sheet, r: t.rect.r0, c: t.rect.c0 };
}

/** `Excel.NoteCollection` (ExcelApi 1.18), keyed by full cell address. */
export class SimNoteCollection extends SimObject {
  constructor(ctx: SimContext) {
    super(ctx, (tx) => {
      gate(ctx, '1.18', 'notes');
      return tx.wb.notes;
    });
  }
  protected read(): Record<string, unknown> {
    throw new SimError('InvalidArgument', 'loading notes is not simulated');
  }
  add(cellAddress: SimRange | string, content: string): SimNote {
    this.ctx.queue('notes.add', jsonSize(content), (tx) => {
      this.must(tx);
      const at = cellOf(tx, cellAddress);
      guard(at.sheet, 'objects');
      if (tx.wb.notes.some((n) => n.sheetId === at.sheet.id && n.r === at.r && n.c === at.c)) throw new SimError('InvalidArgument', 'the cell already has a note');
      tx.wb.notes.push({ sheetId: at.sheet.id, r: at.r, c: at.c, content });
    });
    return new SimNote(this.ctx, (tx) => {
      const at = cellOf(tx, cellAddress);
      return tx.wb.notes.find((n) => n.sheetId === at.sheet.id && n.r === at.r && n.c === at.c) ?? null;
    });
  }
  private byKey(key: string, orNull: boolean): SimNote {
    return new SimNote(
      this.ctx,
      (tx) => {
        this.must(tx);
        const at = cellOf(tx, key);
        return tx.wb.notes.find((n) => n.sheetId === at.sheet.id && n.r === at.r && n.c === at.c) ?? null;
      },
      orNull,
    );
  }
  getItem(key: string): SimNote {
    return this.byKey(key, false);
  }
  getItemOrNullObject(key: string): SimNote {
    return this.byKey(key, true);
  }
}

/** `Excel.Note`. */
export class SimNote extends SimObject {
  protected read(n: { content: string }, props: string[]): Record<string, unknown> {
    if (props.some((p) => p !== 'content')) throw new SimError('InvalidArgument', 'only content is simulated');
    return { content: n.content };
  }
  get content(): string {
    return this.get('content');
  }
  delete(): void {
    this.ctx.queue('note.delete', 0, (tx) => {
      const n = this.must(tx) as { sheetId: string };
      const sheet = tx.wb.sheets.find((x) => x.id === n.sheetId);
      if (sheet !== undefined) guard(sheet, 'objects');
      tx.wb.notes = tx.wb.notes.filter((x) => x !== n);
    });
  }
}

/** `Excel.CommentCollection` (ExcelApi 1.10). */
export class SimCommentCollection extends SimObject {
  constructor(ctx: SimContext) {
    super(ctx, (tx) => {
      gate(ctx, '1.10', 'comments');
      return tx.wb.comments;
    });
  }
  protected read(target: WorkbookModel['comments'], props: string[]): Record<string, unknown> {
    const item = props.filter((p) => p.startsWith('items/')).map((p) => p.slice(6));
    return { items: target.map((c) => Object.fromEntries(item.map((p) => [p, p === 'id' ? c.id : p === 'content' ? c.content : notLoaded(p)]))) };
  }
  override commitLoad(data: Record<string, unknown> | null): void {
    if (data === null) return super.commitLoad(null);
    const items = (data['items'] as { id: string }[]).map((d) => {
      const c = new SimComment(this.ctx, (tx) => tx.wb.comments.find((x) => x.id === d.id) ?? null);
      c.commitLoad(d);
      return c;
    });
    super.commitLoad({ items });
  }
  get items(): SimComment[] {
    return this.get('items');
  }
  add(cellAddress: SimRange | string, content: string): SimComment {
    const holder: { id?: string } = {};
    this.ctx.queue('comments.add', jsonSize(content), (tx) => {
      this.must(tx);
      const at = cellOf(tx, cellAddress);
      guard(at.sheet, 'objects');
      if (tx.wb.comments.some((c) => c.sheetId === at.sheet.id && c.r === at.r && c.c === at.c)) throw new SimError('InvalidArgument', 'the cell already has a comment');
      holder.id = `comment-${tx.wb.nextId++}`;
      tx.wb.comments.push({ id: holder.id, sheetId: at.sheet.id, r: at.r, c: at.c, content });
    });
    return new SimComment(this.ctx, (tx) => tx.wb.comments.find((x) => x.id === holder.id) ?? null);
  }
  getItem(id: string): SimComment {
    return new SimComment(this.ctx, (tx) => {
      this.must(tx);
      return tx.wb.comments.find((x) => x.id === id) ?? null;
    });
  }
}

/** `Excel.Comment`. */
export class SimComment extends SimObject {
  protected read(c: { id: string; content: string }, props: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const p of props) {
      if (p === 'id') out[p] = c.id;
      else if (p === 'content') out[p] = c.content;
      else throw new SimError('InvalidArgument', `comment property ${p}`);
    }
    return out;
  }
  get id(): string {
    return this.get('id');
  }
  get content(): string {
    return this.get('content');
  }
  getLocation(): SimRange {
    return new SimRange(this.ctx, (tx) => {
      const c = this.must(tx) as { sheetId: string; r: number; c: number };
      const sheet = tx.wb.sheets.find((s) => s.id === c.sheetId)!;
      return { sheet, rect: { r0: c.r, c0: c.c, r1: c.r, c1: c.c } };
    });
  }
  delete(): void {
    this.ctx.queue('comment.delete', 0, (tx) => {
      const c = this.must(tx) as { sheetId: string };
      const sheet = tx.wb.sheets.find((x) => x.id === c.sheetId);
      if (sheet !== undefined) guard(sheet, 'objects');
      tx.wb.comments = tx.wb.comments.filter((x) => x !== c);
    });
  }
}

/** `Excel.SettingCollection` (ExcelApi 1.4): the add-in's own values stored in the workbook. */
export class SimSettingCollection extends SimObject {
  constructor(ctx: SimContext) {
    super(ctx, (tx) => {
      gate(ctx, '1.4', 'settings');
      return tx.wb.settings;
    });
  }
  protected read(): Record<string, unknown> {
    throw new SimError('InvalidArgument', 'loading all settings is not simulated');
  }
  add(key: string, value: unknown): SimSetting {
    this.ctx.queue('settings.add', jsonSize([key, value]), (tx) => {
      (this.must(tx) as Map<string, unknown>).set(key, structuredClone(value));
    });
    return this.getItem(key);
  }
  getItem(key: string): SimSetting {
    return new SimSetting(this.ctx, key, (tx) => ((this.must(tx) as Map<string, unknown>).has(key) ? key : null));
  }
  getItemOrNullObject(key: string): SimSetting {
    return new SimSetting(this.ctx, key, (tx) => ((this.must(tx) as Map<string, unknown>).has(key) ? key : null), true);
  }
}

/** `Excel.Setting`. */
export class SimSetting extends SimObject {
  constructor(
    ctx: SimContext,
    readonly key: string,
    resolver: (tx: Tx) => unknown,
    orNull = false,
  ) {
    super(ctx, resolver, orNull);
  }
  protected read(key: string, props: string[], tx: Tx): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const p of props.length === 0 ? ['key', 'value'] : props) {
      if (p === 'key') out[p] = key;
      else if (p === 'value') out[p] = structuredClone(tx.wb.settings.get(key));
      else throw new SimError('InvalidArgument', `setting property ${p}`);
    }
    return out;
  }
  get value(): unknown {
    return this.get('value');
  }
  delete(): void {
    this.ctx.queue('setting.delete', 0, (tx) => tx.wb.settings.delete(this.must(tx) as string));
  }
}

/** Clears a whole sheet's stored cells in a rectangle (helpers for tests that edit a sheet as a person would). */
export function clearCells(sheet: SheetModel, rect: Rect): void {
  for (let r = rect.r0; r <= rect.r1; r++) for (let c = rect.c0; c <= rect.c1; c++) sheet.cells.delete(cellKey(r, c));
}

export { gridValue };
