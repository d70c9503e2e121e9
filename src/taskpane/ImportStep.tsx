/** Step 2: import the school files and show each file's status. */
import { Badge, Button, makeStyles, tokens } from '@fluentui/react-components';
import { FilePicker } from './FilePicker';
import { IssueLine } from './IssueLine';
import type { ImportedFile } from './service';
import { StepSection } from './StepSection';
import { useSharedStyles } from './styles';
import { useFocusOnArrival } from './useFocusOnArrival';
import { useStrings } from './useLang';

const useStyles = makeStyles({
  file: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  name: { fontWeight: tokens.fontWeightSemibold, wordBreak: 'break-all' },
});

/** Props of `ImportStep`. */
export interface ImportStepProps {
  readonly kind: 'excel' | 'file';
  readonly files: readonly ImportedFile[];
  readonly busy: boolean;
  readonly canClear: boolean;
  /** This step's action is the clerk's next one. */
  readonly primary?: boolean;
  readonly onImport: (files: File[]) => void;
  readonly onClear: () => void;
  /** Standalone: forget one file. */
  readonly onRemove?: (name: string) => void;
}

/** The import step. */
export function ImportStep({ kind, files, busy, primary = true, canClear, onImport, onClear, onRemove }: ImportStepProps) {
  const t = useStrings();
  const shared = useSharedStyles();
  const styles = useStyles();
  const ok = files.filter((f) => f.status === 'ok').length;
  const statusRef = useFocusOnArrival<HTMLParagraphElement>(files.length > 0 ? files : null);
  return (
    <StepSection number={2} title={t.stepImport}>
      <p className={shared.muted}>{kind === 'excel' ? t.importIntroExcel : t.importIntroFile}</p>
      <div className={shared.row}>
        <FilePicker
          appearance={primary ? 'primary' : 'secondary'}
          text={t.chooseFiles}
          inputLabel={t.schoolFilesInput}
          accept=".xlsx,.xlsm,.xls,.et,.ods,.xlsb,.csv"
          multiple
          disabled={busy}
          onFiles={onImport}
        />
        {canClear && files.length > 0 && (
          <Button disabled={busy} onClick={onClear}>
            {t.clearFiles}
          </Button>
        )}
      </div>
      {files.length === 0 ? (
        <p className={shared.muted}>{t.noFiles}</p>
      ) : (
        <>
          <p role="status" ref={statusRef} tabIndex={-1}>
            {t.importedCount(ok, files.length - ok)}
          </p>
          <ul className={shared.plainList} aria-label={t.filesList}>
            {files.map((f) => (
              <li key={f.name} className={styles.file}>
                <span className={shared.row}>
                  <span className={styles.name}>{f.name}</span>
                  <Badge appearance="tint" color={f.status === 'ok' ? 'success' : 'danger'}>
                    {f.status === 'ok' ? t.fileOk : t.fileFailed}
                  </Badge>
                  {onRemove !== undefined && (
                    <Button size="small" appearance="subtle" disabled={busy} aria-label={t.removeFile(f.name)} onClick={() => onRemove(f.name)}>
                      {t.remove}
                    </Button>
                  )}
                </span>
                {f.sheets.length > 0 && (
                  <span className={shared.muted}>
                    {t.fileSheets(f.sheets)}
                    {f.via === 'values' ? ` ${t.viaValues}` : ''}
                  </span>
                )}
                {f.issues.map((issue, i) => (
                  <IssueLine key={i} issue={issue} />
                ))}
              </li>
            ))}
          </ul>
        </>
      )}
    </StepSection>
  );
}
