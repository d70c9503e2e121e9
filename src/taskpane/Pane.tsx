/** The whole pane: title and language, error and progress, then the six steps top to bottom. */
import { Body1, Link, makeStyles, MessageBar, MessageBarBody, Title3, tokens } from '@fluentui/react-components';
import { Button } from '@fluentui/react-components';
import { useEffect, useMemo } from 'react';
import { ConsolidateStep, DEFAULT_CHOICES } from './ConsolidateStep';
import { DefinitionsStep } from './DefinitionsStep';
import { saveFile } from './download';
import { EquityStep } from './EquityStep';
import { ErrorBar } from './ErrorBar';
import { ImportStep } from './ImportStep';
import { LanguageSwitch } from './LanguageSwitch';
import { NoticeBars } from './NoticeBars';
import { ProgressPanel } from './ProgressPanel';
import { ResultStep } from './ResultStep';
import type { Issue } from '../core/types';
import type { HuizongService } from './service';
import { SessionBars } from './SessionBars';
import type { SessionStore } from './sessionStore';
import { useLang, useStrings } from './useLang';
import { useWorkflow } from './useWorkflow';
import { ValidateStep } from './ValidateStep';

const useStyles = makeStyles({
  pane: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    paddingLeft: tokens.spacingHorizontalM,
    paddingRight: tokens.spacingHorizontalM,
    paddingTop: tokens.spacingVerticalM,
    paddingBottom: tokens.spacingVerticalXXL,
    maxWidth: '720px',
    marginLeft: 'auto',
    marginRight: 'auto',
  },
  header: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalM },
  title: { margin: '0' },
  tools: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  footer: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, paddingTop: tokens.spacingVerticalM },
  subtitle: { color: tokens.colorNeutralForeground3, display: 'block' },
  sticky: {
    position: 'sticky',
    top: '0',
    zIndex: 1,
    backgroundColor: tokens.colorNeutralBackground1,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
  },
});

/** The clerk's guide, which the build writes next to the page (assets/guide/使用说明.md as HTML). */
const GUIDE = '使用说明.html';

/** Props of `Pane`. */
export interface PaneProps {
  readonly service: HuizongService;
  /** Standalone: where the clerk's work is kept between visits. */
  readonly session?: SessionStore;
}

/** The pane's content over one service. */
export function Pane({ service, session }: PaneProps) {
  const styles = useStyles();
  const t = useStrings();
  const { lang } = useLang();
  const [state, actions] = useWorkflow(service, session);
  // Leaving asks first while something would be lost: a save under way or refused, or a summary not yet downloaded.
  const hasWork = state.definitions !== null || state.files.length > 0;
  const unsaved = (hasWork && (state.saving || (session !== undefined && state.storageFailed !== null))) || (state.result !== null && !state.resultSaved && service.kind === 'file');
  useEffect(() => {
    if (!unsaved) return;
    const ask = (e: BeforeUnloadEvent): void => {
      e.preventDefault();
      // Older Chromium-based browsers ask only when returnValue is set.
      e.returnValue = t.leaveWarning;
    };
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [unsaved, t.leaveWarning]);
  const busy = state.busy !== null;
  // The clerk's next step: the one primary button of the pane, and a line under a step saying what it still needs.
  // In Excel the definitions and school sheets may already be in the workbook, so only the page asks for them first.
  const defsReady = state.definitions?.ready === true;
  const filesOk = state.files.some((f) => f.status === 'ok');
  const standalone = service.kind === 'file';
  const next: 'definitions' | 'import' | 'validate' | 'consolidate' | 'result' =
    state.result !== null
      ? 'result'
      : state.validation !== null
        ? 'consolidate'
        : standalone
          ? !defsReady
            ? 'definitions'
            : !filesOk
              ? 'import'
              : 'validate'
          : state.definitions === null
            ? 'definitions'
            : 'validate';
  const missing = standalone && !defsReady ? t.missingDefinitions : standalone && !filesOk ? t.missingFiles : undefined;
  const previousSheets = useMemo(() => (service.previousSheets ? () => service.previousSheets!() : undefined), [service]);
  return (
    <div className={styles.pane}>
      <header className={styles.header}>
        <div>
          <Title3 as="h1" className={styles.title}>
            {t.appTitle}
          </Title3>
          <Body1 className={styles.subtitle}>{t.appSubtitle}</Body1>
        </div>
        <div className={styles.tools}>
          {standalone && (
            <Link href={GUIDE} target="_blank" rel="noopener">
              {t.help}
            </Link>
          )}
          <LanguageSwitch />
        </div>
      </header>
      <NoticeBars service={service} />
      <SessionBars state={state} actions={actions} />
      <div className={styles.sticky}>
        {state.error !== null && <ErrorBar error={state.error} onDismiss={actions.dismissError} />}
        {state.cancelled && (
          <MessageBar intent="warning" politeness="polite">
            {/* Only Excel has a workbook that could have been changed. */}
            <MessageBarBody>{service.kind !== 'excel' ? t.cancelledFile : state.cancelled === 'writing' ? t.cancelledWhileWriting : t.cancelled}</MessageBarBody>
          </MessageBar>
        )}
        {state.busy !== null && <ProgressPanel progress={state.busy.progress} onCancel={actions.cancel} />}
      </div>
      <main aria-label={t.workflow}>
        <DefinitionsStep
          primary={next === 'definitions' && state.offer === null}
          kind={service.kind}
          definitions={state.definitions}
          busy={busy}
          canLoadFile={service.loadDefinitionsFile !== undefined}
          canLoadRoster={service.loadRosterFile !== undefined}
          onPreset={(l) => void actions.createFromPreset(l)}
          onLoadFile={(file) => void actions.loadDefinitions(file)}
          onLoadRoster={(file) => void actions.loadRoster(file)}
          onCheck={() => void actions.checkDefinitions()}
          {...(service.selfCheckPage !== undefined
            ? {
                onSelfCheckPage: () =>
                  void actions.selfCheckPage(lang).then((file) => {
                    if (file) saveFile(file.bytes, file.name, 'text/html');
                  }),
              }
            : {})}
          {...(service.blankForm !== undefined
            ? {
                onBlankForm: () =>
                  void actions.blankForm(lang).then((file) => {
                    if (file) saveFile(file.bytes, file.name);
                  }),
              }
            : {})}
        />
        <ImportStep
          primary={next === 'import'}
          kind={service.kind}
          files={state.files}
          busy={busy}
          canClear={service.clearFiles !== undefined}
          onImport={(files) => void actions.importFiles(files)}
          onClear={() => void actions.clearFiles()}
          {...(service.removeFile !== undefined ? { onRemove: (name: string) => void actions.removeFile(name) } : {})}
        />
        <ValidateStep
          primary={next === 'validate'}
          {...(missing !== undefined ? { missing } : {})}
          kind={service.kind}
          validation={state.validation}
          preview={state.previewFrom === 'validate' ? state.preview : null}
          busy={busy}
          onValidate={() => void actions.validate()}
          onShowCell={(issue) => void actions.showCell(issue)}
          onKeep={(issue) => void actions.keepSubmission(issue)}
          onClosePreview={actions.closePreview}
          previous={{
            previous: state.previous,
            ...(previousSheets !== undefined ? { listSheets: previousSheets } : {}),
            onFile: (file) => void actions.loadPrevious(file),
            onSheet: (sheet) => void actions.loadPrevious({ sheet }),
            onClear: () => void actions.clearPrevious(),
          }}
          returns={state.returns}
          failedFiles={state.files.filter((f) => f.status === 'failed').map((f) => f.name)}
          {...(service.problemList !== undefined
            ? {
                onExport: (issues: readonly Issue[], names: ReadonlyMap<string, string>) =>
                  void actions.problemList(issues, names, lang).then((file) => {
                    if (file) saveFile(file.bytes, file.name);
                  }),
              }
            : {})}
          onReturns={() =>
            void actions.returnPackages(lang).then((r) => {
              if (r) saveFile(r.file.bytes, r.file.name);
            })
          }
        />
        <ConsolidateStep
          kind={service.kind}
          busy={busy}
          primary={next === 'consolidate'}
          blocked={missing !== undefined}
          {...(missing !== undefined ? { missing } : state.validation === null ? { missing: t.notValidated } : {})}
          fileCount={state.files.filter((f) => f.status === 'ok').length}
          {...(state.validation?.write !== undefined ? { notice: state.validation.write } : {})}
          {...(state.validation?.excluded !== undefined ? { excluded: state.validation.excluded } : {})}
          onConsolidate={(choices, lang) => void actions.consolidate(choices, lang)}
          {...(session !== undefined ? { choices: state.choices ?? DEFAULT_CHOICES, onChoicesChange: actions.setChoices } : {})}
        />
        <ResultStep
          kind={service.kind}
          result={state.result}
          busy={busy}
          onOpenSummary={() => void actions.openSummary()}
          onDownload={() =>
            void actions.download().then((file) => {
              if (file) saveFile(file.bytes, file.name);
            })
          }
        />
        <EquityStep
          kind={service.kind}
          result={state.result}
          standards={state.definitions === null ? null : state.definitions.standards}
          preview={state.previewFrom === 'equity' ? state.preview : null}
          busy={busy}
          onShowCell={(at) => void actions.showCell(at, 'equity')}
          onClosePreview={actions.closePreview}
        />
      </main>
      {session !== undefined && (
        <footer className={styles.footer}>
          <Button
            appearance="subtle"
            size="small"
            disabled={busy}
            onClick={() => {
              if (!window.confirm(t.forgetSavedConfirm)) return;
              void actions.forgetSaved().then(
                () => window.location.reload(),
                (e: unknown) => window.alert(e instanceof Error ? e.message : String(e)),
              );
            }}
          >
            {t.forgetSaved}
          </Button>
        </footer>
      )}
    </div>
  );
}
