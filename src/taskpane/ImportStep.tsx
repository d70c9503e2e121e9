/** Step 2: import the school files and show each file's status. */
import { Badge, Button, makeStyles, mergeClasses, shorthands, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { droppedFiles } from './dropFiles';
import { FilePicker } from './FilePicker';
import { IssueLine } from './IssueLine';
import type { ImportedFile } from './service';
import { StepSection } from './StepSection';
import { useSharedStyles } from './styles';
import { useFocusOnArrival } from './useFocusOnArrival';
import { selfCheckWords } from '../job/stampSheet';
import { useLang, useStrings } from './useLang';

const useStyles = makeStyles({
  file: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  name: { fontWeight: tokens.fontWeightSemibold, wordBreak: 'break-all' },
  badge: { flexShrink: 0, whiteSpace: 'nowrap' },
  drop: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    ...shorthands.padding(tokens.spacingVerticalS, tokens.spacingHorizontalS),
    ...shorthands.border(tokens.strokeWidthThin, 'dashed', tokens.colorNeutralStroke2),
    ...shorthands.borderRadius(tokens.borderRadiusMedium),
  },
  dropping: { ...shorthands.borderColor(tokens.colorBrandStroke1), backgroundColor: tokens.colorBrandBackground2 },
});

/** More files than this and the list folds to its summary line: a screenful at task-pane height. */
export const FILE_LIST_FOLD = 12;

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
  const { lang } = useLang();
  const shared = useSharedStyles();
  const styles = useStyles();
  const ok = files.filter((f) => f.status === 'ok').length;
  const statusRef = useFocusOnArrival<HTMLParagraphElement>(files.length > 0 ? files : null);
  const [dropping, setDropping] = useState(false);
  const [showAll, setShowAll] = useState(false);
  const folded = files.length > FILE_LIST_FOLD && !showAll;
  // Folded, the list still shows the files that were not imported: those need the clerk.
  const listed = folded ? files.filter((f) => f.status === 'failed').slice(0, FILE_LIST_FOLD) : files;
  const canDrop = kind === 'file' && !busy;
  // Files dropped anywhere on the page are imported: a browser left to itself would open a dropped file in
  // place of the page, and the work in it with it.
  useEffect(() => {
    if (kind !== 'file') return;
    const carriesFiles = (e: DragEvent): boolean => e.dataTransfer?.types.includes('Files') === true;
    const over = (e: DragEvent): void => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      e.dataTransfer!.dropEffect = busy ? 'none' : 'copy';
    };
    const drop = (e: DragEvent): void => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      setDropping(false);
      if (busy) return;
      void droppedFiles(e.dataTransfer!).then((picked) => {
        if (picked.length > 0) onImport(picked);
      });
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [kind, busy, onImport]);
  return (
    <StepSection number={2} title={t.stepImport}>
      <p className={shared.muted}>{kind === 'excel' ? t.importIntroExcel : t.importIntroFile}</p>
      <div
        className={mergeClasses(styles.drop, dropping && styles.dropping)}
        onDragEnter={() => setDropping(canDrop)}
        onDragLeave={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDropping(false);
        }}
      >
      {kind === 'file' && <p className={shared.muted}>{t.dropHint}</p>}
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
      </div>
      {files.length === 0 ? (
        <p className={shared.muted}>{t.noFiles}</p>
      ) : (
        <>
          <p role="status" ref={statusRef} tabIndex={-1}>
            {t.importedCount(ok, files.length - ok)}
          </p>
          {files.length > FILE_LIST_FOLD && (
            <div className={shared.row}>
              <Button size="small" aria-expanded={!folded} onClick={() => setShowAll(folded)}>
                {folded ? t.showAllFiles(files.length) : t.foldFiles}
              </Button>
            </div>
          )}
          <ul className={shared.plainList} aria-label={t.filesList}>
            {listed.map((f) => (
              <li key={f.name} className={styles.file}>
                <span className={shared.row}>
                  <span className={styles.name}>{f.name}</span>
                  <Badge className={styles.badge} appearance="tint" color={f.status === 'ok' ? 'success' : 'danger'}>
                    {f.status === 'ok' ? t.fileOk : t.fileFailed}
                  </Badge>
                  {f.status === 'ok' && f.selfCheck !== undefined && (
                    <Badge className={styles.badge} appearance="outline" color={f.selfCheck === 'checked' ? 'success' : f.selfCheck === 'unchecked' ? 'informative' : 'warning'}>
                      {selfCheckWords(f.selfCheck, lang === 'zh-CN')}
                    </Badge>
                  )}
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
