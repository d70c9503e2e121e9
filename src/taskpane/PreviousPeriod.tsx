/** Last period's summary for the period-change checks: pick a file (or, in Excel, a sheet), see what is loaded, stop using it. */
import { Button, Field, makeStyles, Select, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { FilePicker } from './FilePicker';
import type { PreviousView } from './service';
import { useSharedStyles } from './styles';
import { useStrings } from './useLang';

const useStyles = makeStyles({
  box: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  heading: { margin: '0', fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
  select: { maxWidth: '100%' },
});

/** Props of `PreviousPeriod`. */
export interface PreviousPeriodProps {
  readonly previous: PreviousView | null;
  readonly busy: boolean;
  /** Excel: the workbook's sheets that may hold last period's summary; absent on the standalone page. */
  readonly listSheets?: () => Promise<string[]>;
  readonly onFile: (file: File) => void;
  readonly onSheet: (sheet: string) => void;
  readonly onClear: () => void;
}

/** The previous-period block of the validation step. */
export function PreviousPeriod({ previous, busy, listSheets, onFile, onSheet, onClear }: PreviousPeriodProps) {
  const t = useStrings();
  const shared = useSharedStyles();
  const styles = useStyles();
  const [sheets, setSheets] = useState<string[]>([]);
  // The workbook's sheets are listed when the clerk opens the list, not after every action: each listing is a round trip to Excel.
  const loadSheets = (): void => {
    if (listSheets === undefined || busy) return;
    listSheets().then(setSheets, () => setSheets([]));
  };

  return (
    <section className={styles.box} aria-label={t.previousTitle}>
      <h3 className={styles.heading}>{t.previousTitle}</h3>
      <p className={shared.muted}>{t.previousIntro}</p>
      <p role="status">{previous === null ? t.previousNone : t.previousLoaded(previous.name, previous.schools)}</p>
      <div className={shared.row}>
        <FilePicker text={t.previousPickFile} inputLabel={t.previousFileLabel} accept=".xlsx,.xlsm,.json" disabled={busy} onFiles={(files) => files[0] && onFile(files[0])} />
        {previous !== null && (
          <Button appearance="subtle" disabled={busy} onClick={onClear}>
            {t.previousClear}
          </Button>
        )}
      </div>
      {listSheets !== undefined && (
        <Field label={t.previousSheetLabel}>
          <Select
            className={styles.select}
            disabled={busy}
            onFocus={loadSheets}
            onPointerDown={loadSheets}
            value={previous?.from === 'sheet' ? previous.name : ''}
            onChange={(_e, d) => d.value !== '' && onSheet(d.value)}
          >
            <option value="">{t.previousSheetNone}</option>
            {(previous?.from === 'sheet' && !sheets.includes(previous.name) ? [previous.name, ...sheets] : sheets).map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </Select>
        </Field>
      )}
    </section>
  );
}
