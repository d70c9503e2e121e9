/**
 * The self-check page a bureau hands its schools: the school drops its filled form, the page reads it in
 * its worker (bounded, time-limited) and checks it with the job's `selfCheck` — the validation the bureau
 * runs, for this one file — and lists every problem at its cell with the cell's content. A file with no
 * errors can be downloaded with the check recorded in a hidden sheet (.xlsx only: see `onlyXlsx`).
 */
import { Button, FluentProvider, makeStyles, shorthands, MessageBar, MessageBarBody, Select, Spinner, Text, tokens, webLightTheme } from '@fluentui/react-components';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { cellAt, isCellError, parseCellAddress, type CellValue, type WorkbookGrid } from '../core/grid';
import { issueMessage } from '../core/messages';
import type { Definitions, Issue, Lang } from '../core/types';
import { MAX_INPUT_BYTES } from '../job/limits';
import { laterRules, STAMP_SHEET, stampRows, type SelfCheckResult } from '../job/selfCheck';
import { saveFile } from './download';
import { droppedFiles } from './dropFiles';
import { readInWorker } from './parse';
import type { JobRunner } from './runner';
import { SELF_CHECK_WORDS } from './selfCheckWords';
import type { RunControl } from './service';

const useStyles = makeStyles({
  root: { minHeight: '100vh', backgroundColor: tokens.colorNeutralBackground1, color: tokens.colorNeutralForeground1 },
  main: { maxWidth: '60rem', margin: '0 auto', padding: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  header: { display: 'flex', flexWrap: 'wrap', justifyContent: 'space-between', alignItems: 'center', gap: tokens.spacingHorizontalM },
  drop: {
    ...shorthands.border('2px', 'dashed', tokens.colorNeutralStroke1),
    borderRadius: tokens.borderRadiusLarge,
    padding: tokens.spacingVerticalXL,
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    gap: tokens.spacingVerticalS,
    textAlign: 'center',
  },
  dropActive: { ...shorthands.borderColor(tokens.colorBrandStroke1), backgroundColor: tokens.colorBrandBackground2 },
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  item: { ...shorthands.borderLeft('4px', 'solid', tokens.colorNeutralStroke1), paddingTop: tokens.spacingVerticalXS, paddingBottom: tokens.spacingVerticalXS, paddingLeft: tokens.spacingHorizontalM, paddingRight: tokens.spacingHorizontalM, backgroundColor: tokens.colorNeutralBackground2 },
  error: { borderLeftColor: tokens.colorPaletteRedBorder2 },
  warning: { borderLeftColor: tokens.colorPaletteYellowBorder2 },
  where: { fontWeight: tokens.fontWeightSemibold },
  preview: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  hidden: { display: 'none' },
  result: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

/** What the page shows after a drop. */
type View =
  | { readonly kind: 'idle' }
  | { readonly kind: 'checking'; readonly name: string }
  | { readonly kind: 'done'; readonly name: string; readonly bytes: Uint8Array; readonly book: WorkbookGrid | null; readonly result: SelfCheckResult }
  | { readonly kind: 'failed'; readonly name: string; readonly why: string };


const control = (): RunControl => ({ signal: new AbortController().signal, onProgress: () => undefined });

/** Whether the file is an .xlsx package the record can be added to: a zip named .xlsx or .xlsm. */
function isXlsx(bytes: Uint8Array, name: string): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && /\.xls[xm]$/i.test(name);
}

/** The cell's content as the school sees it. */
function shown(v: CellValue): string | null {
  if (v === null || v === '') return null;
  if (isCellError(v)) return v.error;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return String(v);
}

/** The value at the issue's cell in the book read, or null. */
function cellContent(book: WorkbookGrid | null, issue: Issue): string | null {
  if (book === null || issue.cell === undefined) return null;
  const sheet = book.sheets.find((s) => s.name === issue.sheet) ?? (book.sheets.length === 1 ? book.sheets[0] : undefined);
  const at = parseCellAddress(issue.cell);
  if (sheet === undefined || at === null) return null;
  return shown(cellAt(sheet, at.row, at.col));
}

/** Props of `SelfCheckPage`. */
export interface SelfCheckPageProps {
  /** The bureau's definitions the page carries; null when it carries none. */
  readonly definitions: Definitions | null;
  /** Makes the page's job runner; `onInline` hears when jobs must run on the page's own thread. */
  readonly makeRunner: (onInline: (reason: string) => void) => JobRunner;
  readonly initialLang: Lang;
}

/** The page. */
export function SelfCheckPage({ definitions, makeRunner, initialLang }: SelfCheckPageProps) {
  const styles = useStyles();
  const [lang, setLang] = useState<Lang>(initialLang);
  const w = SELF_CHECK_WORDS[lang];
  const [view, setView] = useState<View>({ kind: 'idle' });
  const [over, setOver] = useState(false);
  const [stamping, setStamping] = useState(false);
  const [stampFailed, setStampFailed] = useState(false);
  const [inlineReason, setInlineReason] = useState<string | undefined>(undefined);
  const runner = useMemo(() => makeRunner((reason) => setInlineReason(reason)), [makeRunner]);
  useEffect(() => () => runner.dispose(), [runner]);
  const input = useRef<HTMLInputElement>(null);
  /** The drop being checked: a later drop replaces an earlier one still running. */
  const turn = useRef(0);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = w.title;
  }, [lang, w.title]);

  const check = useCallback(
    async (file: File) => {
      if (definitions === null) return;
      const mine = ++turn.current;
      setStampFailed(false);
      setView({ kind: 'checking', name: file.name });
      try {
        let book: WorkbookGrid | null = null;
        let issues: readonly Issue[];
        const bytes = file.size > MAX_INPUT_BYTES ? null : new Uint8Array(await file.arrayBuffer());
        if (bytes === null) issues = [{ code: 'file.too_large', severity: 'error', file: file.name, params: { file: file.name, what: 'bytes', limit: MAX_INPUT_BYTES / 1024 / 1024 } }];
        else ({ book, issues } = await readInWorker(runner, bytes, file.name));
        const result = await runner.run({ type: 'selfcheck', definitions, name: file.name, book, issues }, control());
        if (mine === turn.current) setView({ kind: 'done', name: file.name, bytes: bytes ?? new Uint8Array(), book, result });
      } catch (e) {
        if (mine === turn.current) setView({ kind: 'failed', name: file.name, why: e instanceof Error ? e.message : String(e) });
      }
    },
    [definitions, runner],
  );

  const onDrop = async (e: React.DragEvent) => {
    e.preventDefault();
    setOver(false);
    const files = await droppedFiles(e.dataTransfer);
    if (files[0] !== undefined) await check(files[0]);
  };

  const download = async () => {
    if (view.kind !== 'done' || view.result.stamp === null) return;
    setStamping(true);
    setStampFailed(false);
    try {
      const r = await runner.run({ type: 'stamp', bytes: view.bytes, sheet: STAMP_SHEET, rows: stampRows(view.result.stamp) }, control());
      if (r.bytes === null) setStampFailed(true);
      else saveFile(r.bytes, view.name.replace(/^.*[\\/]/, ''));
    } catch {
      setStampFailed(true);
    } finally {
      setStamping(false);
    }
  };

  const labelOf = useMemo(() => new Map((definitions?.indicators ?? []).map((i) => [i.code, i.label])), [definitions]);
  const zh = lang === 'zh-CN';

  return (
    <FluentProvider theme={webLightTheme} className={styles.root} lang={lang}>
      <main className={styles.main} onDragOver={(e) => e.preventDefault()} onDrop={(e) => void onDrop(e)}>
        <div className={styles.header}>
          <div>
            <Text as="h1" size={600} weight="semibold" block>
              {w.title}
            </Text>
            {definitions !== null && (
              <Text block data-testid="bureau">
                {w.bureau(definitions.district, definitions.title[zh ? 'zh' : 'en'], definitions.period)}
              </Text>
            )}
          </div>
          <label>
            {w.language}{' '}
            <Select size="small" value={lang} onChange={(_e, d) => setLang(d.value === 'en-US' ? 'en-US' : 'zh-CN')} aria-label={w.language}>
              <option value="zh-CN">中文</option>
              <option value="en-US">English</option>
            </Select>
          </label>
        </div>
        {definitions === null ? (
          <MessageBar intent="error">
            <MessageBarBody>{w.noDefinitions}</MessageBarBody>
          </MessageBar>
        ) : (
          <>
            <Text block>{w.intro}</Text>
            {inlineReason !== undefined && (
              <MessageBar intent="warning">
                <MessageBarBody>{w.inline}</MessageBarBody>
              </MessageBar>
            )}
            <section
              aria-label={w.drop}
              className={`${styles.drop} ${over ? styles.dropActive : ''}`}
              onDragEnter={() => setOver(true)}
              onDragLeave={() => setOver(false)}
            >
              <Text size={400} weight="semibold">
                {w.drop}
              </Text>
              <Text>{w.dropHint}</Text>
              <Button appearance="primary" onClick={() => input.current?.click()}>
                {w.pick}
              </Button>
              <input
                ref={input}
                className={styles.hidden}
                type="file"
                aria-label={w.fileInput}
                accept=".xlsx,.xlsm,.xls,.et,.ods"
                onChange={(e) => {
                  const f = e.target.files?.[0];
                  e.target.value = '';
                  if (f !== undefined) void check(f);
                }}
              />
            </section>
            {view.kind === 'checking' && <Spinner label={w.checking(view.name)} />}
            {view.kind === 'failed' && (
              <MessageBar intent="error">
                <MessageBarBody>{w.failed(view.why)}</MessageBarBody>
              </MessageBar>
            )}
            {view.kind === 'done' && (
              <section aria-label={w.result(view.name)} data-testid="result" className={styles.result}>
                <Text as="h2" size={500} weight="semibold" block>
                  {w.result(view.name)}
                </Text>
                <MessageBar intent={view.result.errors > 0 ? 'error' : view.result.warnings > 0 ? 'warning' : 'success'}>
                  <MessageBarBody data-testid="summary">
                    {view.result.errors > 0 ? w.found(view.result.errors, view.result.warnings) : view.result.warnings > 0 ? w.noErrors(view.result.warnings) : w.none}
                  </MessageBarBody>
                </MessageBar>
                {view.result.issues.length > 0 && (
                  <>
                    <Text as="h3" weight="semibold" block>
                      {w.problems}
                    </Text>
                    <ul className={styles.list} aria-label={w.problems}>
                      {view.result.issues.map((issue, k) => {
                        const content = cellContent(view.book, issue);
                        const label = issue.subject === undefined ? undefined : labelOf.get(issue.subject)?.[zh ? 'zh' : 'en'];
                        return (
                          <li key={k} className={`${styles.item} ${issue.severity === 'error' ? styles.error : issue.severity === 'warning' ? styles.warning : ''}`} data-cell={issue.cell ?? ''} data-sheet={issue.sheet ?? ''}>
                            <div>
                              <span className={styles.where}>{w.cell(issue.sheet, issue.cell)}</span>
                              {' · '}
                              {issue.severity === 'error' ? w.error : issue.severity === 'warning' ? w.warning : w.note}
                            </div>
                            <div data-testid="message">{issueMessage(issue, lang)}</div>
                            {(label !== undefined || issue.cell !== undefined) && (
                              <div className={styles.preview}>
                                {label !== undefined && <span>{w.row(label)}{'\u3000'}</span>}
                                {issue.cell !== undefined && <span>{w.content(content ?? w.blank)}</span>}
                              </div>
                            )}
                          </li>
                        );
                      })}
                    </ul>
                    {view.result.errors > 0 && <Text block>{w.fixAndDrop}</Text>}
                  </>
                )}
                {view.result.stamp !== null &&
                  (isXlsx(view.bytes, view.name) ? (
                    <div>
                      <Button appearance="primary" disabled={stamping} onClick={() => void download()}>
                        {stamping ? w.stamping : w.download}
                      </Button>
                      <Text block>{w.downloadNote}</Text>
                    </div>
                  ) : (
                    <MessageBar intent="info">
                      <MessageBarBody>{w.onlyXlsx}</MessageBarBody>
                    </MessageBar>
                  ))}
                {stampFailed && (
                  <MessageBar intent="error">
                    <MessageBarBody>{w.stampFailed}</MessageBarBody>
                  </MessageBar>
                )}
              </section>
            )}
            <section aria-label={w.later}>
              <Text as="h2" size={400} weight="semibold" block>
                {w.later}
              </Text>
              <Text block>{w.laterIntro}</Text>
              <ul>
                {definitions !== null && laterLines(definitions, lang, w).map((line, k) => <li key={k}>{line}</li>)}
              </ul>
            </section>
          </>
        )}
      </main>
    </FluentProvider>
  );
}

/** The checks left to the bureau, in words: rules against last period's figures, then those across schools. */
function laterLines(defs: Definitions, lang: Lang, w: (typeof SELF_CHECK_WORDS)[Lang]): string[] {
  return [...laterRules(defs).map((r) => r[lang === 'zh-CN' ? 'zh' : 'en']), w.laterOthers, w.laterDuplicates];
}
