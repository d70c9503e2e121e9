/** Long work under way: what is happening, a progress bar and a Cancel button. */
import { Button, Field, makeStyles, ProgressBar, tokens } from '@fluentui/react-components';
import type { Progress } from './service';
import { useStrings } from './useLang';

const useStyles = makeStyles({
  panel: { display: 'flex', alignItems: 'flex-end', gap: tokens.spacingHorizontalM },
  field: { flexGrow: 1 },
});

/** Props of `ProgressPanel`. */
export interface ProgressPanelProps {
  readonly progress: Progress | null;
  readonly onCancel: () => void;
}

/** The progress bar and Cancel. */
export function ProgressPanel({ progress, onCancel }: ProgressPanelProps) {
  const styles = useStyles();
  const t = useStrings();
  const label = progress ? t.phase[progress.phase] : t.working;
  const value = progress?.fraction ?? undefined;
  return (
    <div className={styles.panel}>
      <Field className={styles.field} label={label} validationMessage={value === undefined ? undefined : `${Math.round(value * 100)}%`} validationState="none">
        <ProgressBar value={value} max={1} thickness="large" aria-label={label} />
      </Field>
      <Button onClick={onCancel}>{t.cancel}</Button>
    </div>
  );
}
