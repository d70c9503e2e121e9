/** Step 3: validate, then the problems grouped by school and severity, filtered by kind. */
import { Accordion, Button, Field, Input, makeStyles, Select, tokens, type AccordionToggleEventHandler } from '@fluentui/react-components';
import { useMemo, useState } from 'react';
import { issueKindLabel } from '../core/messages';
import type { Issue, IssueCode } from '../core/types';
import { CellPreviewBar } from './CellPreviewBar';
import { groupIssues, issueKinds } from './issueGroups';
import { previewOf, SchoolIssues } from './SchoolIssues';
import { PreviousPeriod, type PreviousPeriodProps } from './PreviousPeriod';
import type { CellPreview, ValidationView } from './service';
import { StepSection } from './StepSection';
import { useSharedStyles } from './styles';
import { useFocusOnArrival } from './useFocusOnArrival';
import { useLang, useStrings } from './useLang';

const useStyles = makeStyles({
  tools: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: tokens.spacingHorizontalM },
  filter: { minWidth: '12em', flexGrow: 1 },
  returns: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
});

/** Props of `ValidateStep`. */
export interface ValidateStepProps {
  /** This step's action is the clerk's next one. */
  readonly primary?: boolean;
  /** What this step still needs, in a line under its button. */
  readonly missing?: string;
  readonly kind: 'excel' | 'file';
  readonly validation: ValidationView | null;
  readonly preview: CellPreview | null;
  readonly busy: boolean;
  readonly onValidate: () => void;
  readonly onShowCell: (issue: Issue) => void;
  readonly onClosePreview: () => void;
  /** The previous-period block (last period's summary for the period-change checks). */
  readonly previous: Omit<PreviousPeriodProps, 'busy'>;
  /** The last return packages made, if any. */
  readonly returns?: { readonly schools: number; readonly fileName: string; readonly indexSheet?: string } | null;
  readonly onReturns?: () => void;
  /** For a school that sent more than one sheet: this one stands instead. */
  readonly onKeep?: (issue: Issue) => void;
  /** Files picked that could not be imported: not in the validation, and said so beside its count. */
  readonly failedFiles?: readonly string[];
  /** Standalone: download the problems shown as an .xlsx list (school code → name given for its rows). */
  readonly onExport?: (issues: readonly Issue[], names: ReadonlyMap<string, string>) => void;
}

/** The validation step. */
export function ValidateStep({ kind, validation, preview, busy, primary = true, missing, onValidate, onShowCell, onClosePreview, previous, returns, onReturns, onKeep, failedFiles = [], onExport }: ValidateStepProps) {
  const statusRef = useFocusOnArrival<HTMLParagraphElement>(validation);
  const t = useStrings();
  const { lang } = useLang();
  const shared = useSharedStyles();
  const styles = useStyles();
  const [kindFilter, setKindFilter] = useState<IssueCode | ''>('');
  const [open, setOpen] = useState<string[]>([]);
  const [search, setSearch] = useState('');

  const kinds = useMemo(() => (validation ? issueKinds(validation.issues, lang) : []), [validation, lang]);
  const filterLabel = kindFilter === '' ? '' : issueKindLabel(kindFilter, lang);
  const groups = useMemo(() => {
    if (!validation) return [];
    const all = groupIssues(validation, (i) => filterLabel === '' || issueKindLabel(i.code, lang) === filterLabel, t.noSchool);
    // A school is found by its code or name, or by the name of a file it sent.
    const q = search.trim().toLowerCase();
    return q === '' ? all : all.filter((g) => [g.code, g.name, g.file, ...g.all.map((i) => i.file)].some((x) => x !== undefined && x.toLowerCase().includes(q)));
  }, [validation, filterLabel, lang, t.noSchool, search]);
  const shownIssues = groups.flatMap((g) => g.issues);
  const shown = shownIssues.length;
  const shownCounts = { errors: shownIssues.filter((i) => i.severity === 'error').length, warnings: shownIssues.filter((i) => i.severity === 'warning').length, infos: shownIssues.filter((i) => i.severity === 'info').length };
  const errors = validation?.issues.filter((i) => i.severity === 'error').length ?? 0;
  const warnings = validation?.issues.filter((i) => i.severity === 'warning').length ?? 0;
  const notes = validation?.issues.filter((i) => i.severity === 'info').length ?? 0;
  const schoolCount = new Set(validation?.schools.map((s) => s.code) ?? []).size;
  const allOpen = groups.length > 0 && groups.every((g) => open.includes(g.key));
  const onToggle: AccordionToggleEventHandler<string> = (_e, data) => setOpen(data.openItems);

  return (
    <StepSection number={3} title={t.stepValidate}>
      <p className={shared.muted}>{t.validateIntro}</p>
      <PreviousPeriod {...previous} busy={busy} />
      <div className={shared.row}>
        <Button appearance={primary ? 'primary' : 'secondary'} disabled={busy || missing !== undefined} onClick={onValidate}>
          {t.validate}
        </Button>
      </div>
      {missing !== undefined && <p className={shared.muted}>{missing}</p>}
      {validation !== null && (
        <>
          <p role="status" ref={statusRef} tabIndex={-1}>
            {validation.issues.length === 0 ? t.noIssues : t.validationSummary(validation.schools.length, schoolCount, errors, warnings, notes)}
            {failedFiles.length > 0 ? ` ${t.filesLeftOut(failedFiles)}` : ''}
          </p>
          {validation.issues.length > 0 && (
            <div className={styles.tools}>
              <Field label={t.filterKind} className={styles.filter}>
                <Select value={kindFilter} onChange={(_e, data) => setKindFilter(data.value as IssueCode | '')}>
                  <option value="">{t.allKinds}</option>
                  {kinds.map((k) => (
                    <option key={k.code} value={k.code}>
                      {k.label}
                    </option>
                  ))}
                </Select>
              </Field>
              <Field label={t.searchSchool} className={styles.filter}>
                <Input type="search" value={search} onChange={(_e, data) => setSearch(data.value)} />
              </Field>
              <Button aria-pressed={allOpen} onClick={() => setOpen(allOpen ? [] : groups.map((g) => g.key))}>
                {allOpen ? t.collapseAll : t.expandAll}
              </Button>
              {onExport !== undefined && (
                <Button
                  disabled={busy || shown === 0}
                  onClick={() => onExport(groups.flatMap((g) => g.issues), new Map(validation.schools.map((s) => [s.code, s.name])))}
                >
                  {t.exportProblems}
                </Button>
              )}
            </div>
          )}
          {onReturns !== undefined && errors + warnings > 0 && (
            <div className={styles.returns}>
              <p className={shared.muted}>{t.returnsIntro}</p>
              <div className={shared.row}>
                <Button disabled={busy} onClick={onReturns}>
                  {t.makeReturns}
                </Button>
              </div>
              {returns != null && (
                <p role="status">
                  {t.returnsMade(returns.schools, returns.fileName)}
                  {returns.indexSheet !== undefined ? ` ${t.returnsIndexSheet(returns.indexSheet)}` : ''}
                </p>
              )}
            </div>
          )}
          {(kindFilter !== '' || search.trim() !== '') && (
            <p className={shared.muted} role="status">
              {groups.length === 0 ? t.searchNone : t.filteredCount(shownCounts, validation.issues.length)}
            </p>
          )}
          {/* Under its issue when that issue is in view; here otherwise (its school folded, or filtered out). */}
          {preview !== null && !groups.some((g) => open.includes(g.key) && g.issues.some((i) => previewOf(i, preview))) && (
            <CellPreviewBar preview={preview} onClose={onClosePreview} />
          )}
          {groups.length > 0 && (
            <Accordion multiple collapsible openItems={open} onToggle={onToggle}>
              {groups.map((g) => (
                <SchoolIssues
                  key={g.key}
                  group={g}
                  kind={kind}
                  title={validation.title}
                  {...(validation.period !== undefined ? { period: validation.period } : {})}
                  disabled={busy}
                  onShowCell={onShowCell}
                  {...(onKeep !== undefined ? { onKeep } : {})}
                  preview={preview}
                  onClosePreview={onClosePreview}
                />
              ))}
            </Accordion>
          )}
        </>
      )}
    </StepSection>
  );
}
