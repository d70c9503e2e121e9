/** Step 4: the clerk's choices for consolidation, and the button. */
import { Button, Checkbox, Field, makeStyles, MessageBar, MessageBarBody, Radio, RadioGroup, Switch, tokens, useId } from '@fluentui/react-components';
import { useState } from 'react';
import type { Lang } from '../core/types';
import { COPIES_DEFAULT_LIMIT } from '../job/limits';
import type { ConsolidateChoices, ExcludedSchool, WriteNotice } from './service';
import { StepSection } from './StepSection';
import { useSharedStyles } from './styles';
import { useLang, useStrings } from './useLang';

const useStyles = makeStyles({
  group: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  legend: { fontWeight: tokens.fontWeightSemibold },
});

/** The choices the pane starts with. */
export const DEFAULT_CHOICES: ConsolidateChoices = { groupBy: ['stage', 'township'], mode: 'values', includeSchoolsWithErrors: false, writeRates: true };

/** Props of `ConsolidateStep`. */
export interface ConsolidateStepProps {
  readonly kind: 'excel' | 'file';
  readonly busy: boolean;
  /** Standalone: school files held, for the default of copying their sheets. */
  readonly fileCount?: number;
  /** This step's action is the clerk's next one. */
  readonly primary?: boolean;
  /** What this step still needs, in a line under its button. */
  readonly missing?: string;
  /** The step cannot run yet (its inputs are missing). */
  readonly blocked?: boolean;
  /** Excel: what writing will do to the undo history, said before writing. */
  readonly notice?: WriteNotice;
  /** The schools validation found consolidating would leave out, with their reasons. */
  readonly excluded?: readonly ExcludedSchool[];
  readonly onConsolidate: (choices: ConsolidateChoices, lang: Lang) => void;
  /** The choices, when the pane keeps them (the standalone page keeps them with the session); else the step does. */
  readonly choices?: ConsolidateChoices;
  readonly onChoicesChange?: (choices: ConsolidateChoices) => void;
}

/** The consolidation step. */
export function ConsolidateStep({ kind, busy, fileCount = 0, primary = true, missing, blocked = false, notice, excluded = [], onConsolidate, choices: given, onChoicesChange }: ConsolidateStepProps) {
  const t = useStrings();
  const { lang } = useLang();
  const shared = useSharedStyles();
  const styles = useStyles();
  const legendId = useId('subtotals-');
  const [own, setOwn] = useState<ConsolidateChoices>(DEFAULT_CHOICES);
  const choices = given ?? own;
  const setChoices = (change: (c: ConsolidateChoices) => ConsolidateChoices): void => {
    const next = change(choices);
    if (onChoicesChange !== undefined) onChoicesChange(next);
    else setOwn(next);
  };
  const toggleGroup = (g: 'stage' | 'township', on: boolean): void =>
    setChoices((c) => ({ ...c, groupBy: (['stage', 'township'] as const).filter((x) => (x === g ? on : c.groupBy.includes(x))) }));

  return (
    <StepSection number={4} title={t.stepConsolidate}>
      <p className={shared.muted}>{t.consolidateIntro}</p>
      <div role="group" aria-labelledby={legendId} className={styles.group}>
        <span id={legendId} className={styles.legend}>
          {t.subtotals}
        </span>
        <Checkbox label={t.groupStage} checked={choices.groupBy.includes('stage')} onChange={(_e, d) => toggleGroup('stage', d.checked === true)} />
        <Checkbox label={t.groupTownship} checked={choices.groupBy.includes('township')} onChange={(_e, d) => toggleGroup('township', d.checked === true)} />
      </div>
      <Field label={t.summaryHolds}>
        <RadioGroup value={choices.mode} onChange={(_e, d) => setChoices((c) => ({ ...c, mode: d.value === 'formulas' ? 'formulas' : 'values' }))}>
          <Radio value="values" label={t.modeValues} />
          <Radio value="formulas" label={t.modeFormulas} />
        </RadioGroup>
      </Field>
      <Switch label={t.includeErrors} checked={choices.includeSchoolsWithErrors} onChange={(_e, d) => setChoices((c) => ({ ...c, includeSchoolsWithErrors: d.checked }))} />
      {excluded.length > 0 && !choices.includeSchoolsWithErrors && (
        <p className={shared.muted}>
          {t.willExclude(excluded.length)}
          {excluded.map((e) => `${e.name || e.code}（${lang === 'zh-CN' ? e.reason.zh : e.reason.en}）`).join(lang === 'zh-CN' ? '；' : '; ')}
          {lang === 'zh-CN' ? '。' : '. '}
          {t.willExcludeHint}
        </p>
      )}
      <Switch label={t.writeRates} checked={choices.writeRates} onChange={(_e, d) => setChoices((c) => ({ ...c, writeRates: d.checked }))} />
      {kind === 'file' && (
        <Switch
          label={t.copySheets(COPIES_DEFAULT_LIMIT)}
          checked={choices.copies ?? fileCount <= COPIES_DEFAULT_LIMIT}
          onChange={(_e, d) => setChoices((c) => ({ ...c, copies: d.checked }))}
        />
      )}
      {notice?.unfinished === true && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>{t.unfinishedBefore}</MessageBarBody>
        </MessageBar>
      )}
      {notice?.undo === 'lost' && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>{t.undoLostBefore(notice.protectedSheets.join(lang === 'zh-CN' ? '、' : ', '))}</MessageBarBody>
        </MessageBar>
      )}
      <div className={shared.row}>
        <Button appearance={primary ? 'primary' : 'secondary'} disabled={busy || blocked} onClick={() => onConsolidate(choices, lang)}>
          {t.consolidate}
        </Button>
      </div>
      {missing !== undefined && <p className={shared.muted}>{missing}</p>}
    </StepSection>
  );
}
