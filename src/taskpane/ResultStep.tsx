/** Step 5: completeness with the missing schools, district rates against targets, and the way to the summary. */
import { Button, makeStyles, mergeClasses, MessageBar, MessageBarBody, Table, TableBody, TableCell, TableHeaderCell, TableRow, tokens } from '@fluentui/react-components';
import { ColumnHeads } from './ColumnHeads';
import { issueMessage } from '../core/messages';
import { stageLabel } from '../workbook/labels';
import { formatNumber, formatPercent } from './i18n';
import { formatRate } from './format';
import { RateChart } from './RateChart';
import type { Lang } from '../core/types';
import type { ExcludedSchool, ResultView } from './service';
import { StepSection } from './StepSection';
import { useSharedStyles } from './styles';
import { useFocusOnArrival } from './useFocusOnArrival';
import { useLang, useStrings } from './useLang';

const useStyles = makeStyles({
  heading: { margin: '0', fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
});

/** Props of `ResultStep`. */
export interface ResultStepProps {
  readonly kind: 'excel' | 'file';
  readonly result: ResultView | null;
  readonly busy: boolean;
  readonly onOpenSummary: () => void;
  readonly onDownload: () => void;
}

/** The result step. */
export function ResultStep({ kind, result, busy, onOpenSummary, onDownload }: ResultStepProps) {
  const t = useStrings();
  const { lang } = useLang();
  const shared = useSharedStyles();
  const styles = { ...shared, ...useStyles() };
  const key = lang === 'zh-CN' ? 'zh' : 'en';
  const statusRef = useFocusOnArrival<HTMLParagraphElement>(result);
  if (result === null) {
    return (
      <StepSection number={5} title={t.stepResult}>
        <p className={shared.muted}>{t.noResult}</p>
      </StepSection>
    );
  }
  const c = result.completeness;
  const percentRates = result.rates.filter((r) => r.factor === 100 && (r.value !== null || r.target !== undefined));
  const otherRates = result.rates.filter((r) => !percentRates.includes(r));
  return (
    <StepSection number={5} title={t.stepResult}>
      <p role="status" ref={statusRef} tabIndex={-1}>
        {c.expected > 0 && c.ratio !== null ? t.completeness(c.submitted, c.expected, formatPercent(c.ratio, lang)) : t.completenessNoRoster(c.submitted)}{' '}
        {t.schoolsCounted(result.schoolsIncluded, result.schoolsExcluded)}
      </p>
      {result.excluded !== undefined && <SchoolReasons heading={t.excludedHeading} schools={result.excluded} lang={lang} />}
      {result.duplicates !== undefined && <SchoolReasons heading={t.duplicatesHeading(result.duplicates.length)} schools={result.duplicates} lang={lang} />}
      {/* The step's action right under its first line: the result below can be long. */}
      <div className={shared.row}>
        {kind === 'excel' ? (
          <Button appearance="primary" disabled={busy} onClick={onOpenSummary}>
            {t.openSummary}
          </Button>
        ) : (
          <Button appearance="primary" disabled={busy} onClick={onDownload}>
            {t.download}
          </Button>
        )}
      </div>
      {result.notes.map((n, i) => (
        <p key={i}>{issueMessage(n, lang)}</p>
      ))}
      {result.undo !== undefined && <p>{t.undoAfter(result.undo)}</p>}
      {result.printSetupLacking !== undefined && (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>{t.printSetupLacking(result.printSetupLacking)}</MessageBarBody>
        </MessageBar>
      )}
      {result.lockedSheets.length > 0 && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>{t.lockedSheets(result.lockedSheets.join(lang === 'zh-CN' ? '、' : ', '))}</MessageBarBody>
        </MessageBar>
      )}
      {c.expected > 0 &&
        (c.missing.length === 0 ? (
          <p>{t.noneMissing}</p>
        ) : (
          <div>
            <h3 className={styles.heading}>{t.missingSchools}</h3>
            <ul aria-label={t.missingSchools}>
              {c.missing.map((s) => (
                <li key={s.code}>
                  {s.name}（{s.code}）{s.stage ? ` · ${stageLabel(s.stage, lang)}` : ''}
                  {s.township ? ` · ${s.township}` : ''}
                </li>
              ))}
            </ul>
          </div>
        ))}
      {c.unknown.length > 0 && (
        <div>
          <h3 className={styles.heading}>{t.unknownSchools}</h3>
          <ul aria-label={t.unknownSchools}>
            {c.unknown.map((code) => (
              <li key={code}>{code}</li>
            ))}
          </ul>
        </div>
      )}
      {percentRates.length > 0 && (
        <div>
          <h3 className={styles.heading}>{t.ratesTitle}</h3>
          <RateChart rates={percentRates} />
        </div>
      )}
      {otherRates.length > 0 && (
        <div>
          <h3 className={styles.heading}>{t.otherRates}</h3>
          <ul>
            {otherRates.map((r) => (
              <li key={r.code}>
                {r.label[key]}
                {lang === 'zh-CN' ? '：' : ': '}
                {formatRate(r.value, r.factor, r.decimals, lang)}
              </li>
            ))}
          </ul>
        </div>
      )}
      {result.dispersions.length > 0 && (
        <Table size="extra-small" className={styles.table}>
          <caption className={styles.caption}>
            {t.dispersionTitle}
          </caption>
          <ColumnHeads
            columns={[
              { label: t.colRate, className: styles.cell },
              { label: t.colCv, className: mergeClasses(styles.cell, styles.number) },
              { label: t.colThreshold, className: mergeClasses(styles.cell, styles.number) },
              { label: t.colStatus, className: styles.cell },
            ]}
          />
          <TableBody>
            {result.dispersions.map((d) => (
              <TableRow key={d.code}>
                <TableHeaderCell scope="row" className={styles.cell}>
                  {d.label[key]}
                </TableHeaderCell>
                <TableCell className={mergeClasses(styles.cell, styles.number)}>{d.cv === null ? '—' : formatNumber(d.cv, 3, lang)}</TableCell>
                <TableCell className={mergeClasses(styles.cell, styles.number)}>{d.threshold === undefined ? '—' : formatNumber(d.threshold, 2, lang)}</TableCell>
                <TableCell className={styles.cell}>{t.dispersionMet(d.met)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </StepSection>
  );
}

/** A headed list of schools, each with its reason in a few words (those left out, or copies not used). */
function SchoolReasons({ heading, schools, lang }: { heading: string; schools: readonly ExcludedSchool[]; lang: Lang }) {
  if (schools.length === 0) return null;
  return (
    <div>
      <strong>{heading}</strong>
      <ul aria-label={heading}>
        {schools.map((e, k) => (
          <li key={`${e.code}-${k}`}>
            {e.name || e.code}
            {lang === 'zh-CN' ? `（${e.reason.zh}）` : ` (${e.reason.en})`}
          </li>
        ))}
      </ul>
    </div>
  );
}
