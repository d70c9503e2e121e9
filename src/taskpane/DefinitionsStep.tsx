/** Step 1: create, load or check the definitions, and show their problems. */
import { Button, Label, makeStyles, MessageBar, MessageBarBody, mergeClasses, tokens, useId } from '@fluentui/react-components';
import type { Lang } from '../core/types';
import { FilePicker } from './FilePicker';
import { IssueLine } from './IssueLine';
import type { DefinitionsView } from './service';
import { StepSection } from './StepSection';
import { useSharedStyles } from './styles';
import { useLang, useStrings } from './useLang';

const useStyles = makeStyles({
  current: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  summary: {
    paddingTop: tokens.spacingVerticalXS,
    paddingBottom: tokens.spacingVerticalXS,
    paddingLeft: tokens.spacingHorizontalS,
    borderLeftWidth: tokens.strokeWidthThick,
    borderLeftStyle: 'solid',
    borderLeftColor: tokens.colorNeutralStroke1,
    overflowWrap: 'anywhere',
  },
  error: { borderLeftColor: tokens.colorPaletteRedBorder2 },
  warning: { borderLeftColor: tokens.colorPaletteDarkOrangeBorder2 },
  success: { borderLeftColor: tokens.colorPaletteGreenBorder2 },
  message: { margin: '0', fontSize: tokens.fontSizeBase200 },
  errorText: { color: tokens.colorPaletteRedForeground1 },
  warningText: { color: tokens.colorPaletteDarkOrangeForeground1 },
  successText: { color: tokens.colorPaletteGreenForeground1 },
});

/** Props of `DefinitionsStep`. */
export interface DefinitionsStepProps {
  /** This step's action is the clerk's next one (the only primary button of the pane). */
  readonly primary?: boolean;
  readonly kind: 'excel' | 'file';
  readonly definitions: DefinitionsView | null;
  readonly busy: boolean;
  readonly canLoadFile: boolean;
  /** Standalone: the roster can be loaded from its own file. */
  readonly canLoadRoster?: boolean;
  readonly onPreset: (lang: Lang) => void;
  readonly onLoadFile: (file: File) => void;
  readonly onLoadRoster?: (file: File) => void;
  readonly onCheck: () => void;
  /** Standalone: download the blank 填报表 the schools fill in, made from these definitions. */
  readonly onBlankForm?: () => void;
  /** Download the self-check page the schools check their forms with, made from these definitions. */
  readonly onSelfCheckPage?: () => void;
}

/** The definitions step. */
export function DefinitionsStep({ kind, definitions, busy, primary = true, canLoadFile, canLoadRoster, onPreset, onLoadFile, onLoadRoster, onCheck, onBlankForm, onSelfCheckPage }: DefinitionsStepProps) {
  const t = useStrings();
  const { lang } = useLang();
  const shared = useSharedStyles();
  const styles = useStyles();
  const labelId = useId('defs-current-');
  const errors = definitions?.issues.filter((i) => i.severity === 'error').length ?? 0;
  const warnings = definitions?.issues.filter((i) => i.severity === 'warning').length ?? 0;

  let state: 'none' | 'error' | 'warning' | 'success' = 'none';
  let message = '';
  if (definitions !== null) {
    if (!definitions.ready) [state, message] = ['error', t.defsUnreadable];
    else if (errors > 0) [state, message] = ['error', t.defsProblems(errors, warnings)];
    else if (warnings > 0) [state, message] = ['warning', t.defsProblems(errors, warnings)];
    else [state, message] = ['success', t.defsOk];
  }
  const lines =
    definitions === null
      ? [t.defsNone]
      : [
          t.defsSource(definitions.source, definitions.sourceName),
          ...(definitions.ready ? [t.defsSummary(definitions)] : []),
          ...(definitions.rosterName !== undefined ? [t.rosterLoaded(definitions.rosterName, definitions.schools)] : []),
        ];

  return (
    <StepSection number={1} title={t.stepDefinitions}>
      <p className={shared.muted}>{kind === 'excel' ? t.defsIntroExcel : t.defsIntroFile}</p>
      <div className={shared.row}>
        <Button appearance={primary ? 'primary' : 'secondary'} disabled={busy} onClick={() => onPreset(lang)}>
          {t.createPreset}
        </Button>
        {canLoadFile && (
          <FilePicker
            text={t.loadDefinitions}
            inputLabel={t.definitionsFileInput}
            accept=".xlsx,.xlsm,.json"
            disabled={busy}
            onFiles={(files) => files[0] && onLoadFile(files[0])}
          />
        )}
        {canLoadRoster === true && onLoadRoster !== undefined && (
          <FilePicker
            text={t.loadRoster}
            inputLabel={t.rosterFileInput}
            accept=".xlsx,.xlsm,.xls,.et,.ods,.csv,.json"
            disabled={busy || definitions?.ready !== true}
            onFiles={(files) => files[0] && onLoadRoster(files[0])}
          />
        )}
        <Button disabled={busy} onClick={onCheck}>
          {t.checkDefinitions}
        </Button>
        {onBlankForm !== undefined && definitions?.ready === true && (
          <Button disabled={busy} onClick={onBlankForm}>
            {t.blankForm}
          </Button>
        )}
        {onSelfCheckPage !== undefined && definitions?.ready === true && (
          <Button disabled={busy} onClick={onSelfCheckPage} title={t.selfCheckPageHint}>
            {t.selfCheckPage}
          </Button>
        )}
      </div>
      {/* What is loaded, as text the clerk reads (and a screen reader announces when it changes), not a read-only input. */}
      <div className={styles.current}>
        <Label id={labelId}>{t.defsField}</Label>
        <div role="status" aria-labelledby={labelId} className={mergeClasses(styles.summary, state !== 'none' && styles[state])}>
          {lines.map((line, i) => (
            <div key={i}>{line}</div>
          ))}
        </div>
        {message !== '' && <p className={mergeClasses(styles.message, state !== 'none' && styles[`${state}Text`])}>{message}</p>}
      </div>
      {definitions?.ready && definitions.schools === 0 && (
        <MessageBar intent="warning">
          <MessageBarBody>{kind === 'file' ? t.rosterMissingFile : t.rosterEmpty}</MessageBarBody>
        </MessageBar>
      )}
      {definitions !== null && definitions.issues.length > 0 && (
        <ul className={shared.plainList} aria-label={t.defsProblemsList}>
          {definitions.issues.map((issue, i) => (
            <li key={i}>
              <IssueLine issue={issue} />
            </li>
          ))}
        </ul>
      )}
    </StepSection>
  );
}
