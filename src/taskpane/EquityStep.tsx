/** Step 6: 均衡 — per standard and stage, each CV against its limit, the verdict, and the schools under their floors (a click goes to the school's sheet). */
import { Badge, Button, makeStyles, mergeClasses, Table, TableBody, TableCell, TableHeaderCell, TableRow, tokens } from '@fluentui/react-components';
import { ColumnHeads } from './ColumnHeads';
import { stageLabel } from '../workbook/labels';
import { CellPreviewBar } from './CellPreviewBar';
import { previewOf } from './SchoolIssues';
import { formatNumber, formatPercent } from './i18n';
import type { CellLocation, CellPreview, EquityStageView, ResultView } from './service';
import { StepSection } from './StepSection';
import { useSharedStyles } from './styles';
import { useLang, useStrings } from './useLang';

const useStyles = makeStyles({
  block: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, minWidth: 0 },
  fixed: { tableLayout: 'fixed' },
  narrow: { width: '5em' },
  over: { color: tokens.colorPaletteRedForeground1 },
  heading: { margin: '0', fontSize: tokens.fontSizeBase200, fontWeight: tokens.fontWeightSemibold },
  list: { margin: '0', paddingLeft: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
});

/** Props of `EquityStep`. */
export interface EquityStepProps {
  readonly kind: 'excel' | 'file';
  readonly result: ResultView | null;
  /** How many standards the definitions hold; `null` before they are checked. */
  readonly standards: number | null;
  readonly preview: CellPreview | null;
  readonly busy: boolean;
  readonly onShowCell: (at: CellLocation) => void;
  readonly onClosePreview: () => void;
}

/** The 均衡 step. */
export function EquityStep({ kind, result, standards, preview, busy, onShowCell, onClosePreview }: EquityStepProps) {
  const t = useStrings();
  const shared = useSharedStyles();
  if (result === null || result.equity.length === 0) {
    return (
      <StepSection number={6} title={t.stepEquity}>
        <p className={shared.muted}>{standards === 0 ? t.noStandards : t.noEquity}</p>
      </StepSection>
    );
  }
  return (
    <StepSection number={6} title={t.stepEquity}>
      {result.equity.map((v) => (
        <StageBlock key={`${v.standard}-${v.stage}`} view={v} kind={kind} preview={preview} busy={busy} onShowCell={onShowCell} onClosePreview={onClosePreview} />
      ))}
      <p className={shared.muted}>{t.equitySheetNote}</p>
    </StepSection>
  );
}

interface StageBlockProps {
  readonly view: EquityStageView;
  readonly kind: 'excel' | 'file';
  readonly preview: CellPreview | null;
  readonly busy: boolean;
  readonly onShowCell: (at: CellLocation) => void;
  readonly onClosePreview: () => void;
}

/** One standard in one stage: the CV table, the verdict and the failing schools. */
function StageBlock({ view: v, kind, preview, busy, onShowCell, onClosePreview }: StageBlockProps) {
  const t = useStrings();
  const { lang } = useLang();
  const shared = useSharedStyles();
  const own = useStyles();
  const styles = { ...shared, ...own, table: mergeClasses(shared.table, own.fixed), number: mergeClasses(shared.number, own.narrow), status: own.narrow };
  const key = lang === 'zh-CN' ? 'zh' : 'en';
  const title = t.equityTable(v.label[key], stageLabel(v.stage, lang));
  const limit = formatNumber(v.threshold, 2, lang);
  const cv = (x: number | null): string => (x === null ? '—' : formatNumber(x, 3, lang));
  return (
    <section className={styles.block} aria-label={title}>
      <Table size="extra-small" className={styles.table}>
        <caption className={styles.caption}>
          {title}{' '}
          <Badge appearance="tint" color={v.met === null ? 'informative' : v.met ? 'success' : 'danger'}>
            {v.met === null ? t.status.undefined : t.dispersionMet(v.met)}
          </Badge>
        </caption>
        <ColumnHeads
          columns={[
            { label: t.equityIndicator, className: styles.cell },
            { label: t.colCv, className: mergeClasses(styles.cell, styles.number) },
            { label: t.colStatus, className: mergeClasses(styles.cell, styles.status) },
          ]}
        />
        <TableBody>
          {v.indicators.map((ind) => (
            <TableRow key={ind.code}>
              <TableHeaderCell scope="row" className={styles.cell}>
                {ind.code} {ind.label[key]}
              </TableHeaderCell>
              <TableCell className={mergeClasses(styles.cell, styles.number, ind.met === false && styles.over)}>{cv(ind.cv)}</TableCell>
              <TableCell className={mergeClasses(styles.cell, styles.status)}>{v.test === 'each' ? t.dispersionMet(ind.met) : ''}</TableCell>
            </TableRow>
          ))}
          <TableRow>
            <TableHeaderCell scope="row" className={styles.cell}>
              {t.equityComposite}
              {v.test === 'composite' ? `（${t.equityLimit(limit)}）` : ''}
            </TableHeaderCell>
            <TableCell className={mergeClasses(styles.cell, styles.number, v.test === 'composite' && v.met === false && styles.over)}>{cv(v.composite)}</TableCell>
            <TableCell className={mergeClasses(styles.cell, styles.status)}>{v.test === 'composite' ? t.dispersionMet(v.met) : ''}</TableCell>
          </TableRow>
        </TableBody>
      </Table>
      <p role="status">
        {v.verdict}
        {lang === 'zh-CN' ? '（' : ' ('}
        {t.equitySchools(v.schoolCount)}
        {lang === 'zh-CN' ? '）' : ')'}
      </p>
      {v.test === 'each' &&
        (v.failing.length === 0 ? (
          <p>{t.equityNoneFailing}</p>
        ) : (
          <div>
            <h3 className={styles.heading}>{t.equityFailing}</h3>
            <ul className={styles.list} aria-label={`${title} ${t.equityFailing}`}>
              {v.failing.map((s) => (
                <li key={s.code}>
                  {s.name}（{s.code}）：{t.equityShort(s.shortfalls, s.lowest === null ? null : formatPercent(s.lowest, lang))}{' '}
                  {s.at !== null && (
                    <Button size="small" appearance="subtle" disabled={busy} onClick={() => onShowCell(s.at!)}>
                      {kind === 'excel' ? t.goToCell(s.at.sheet ?? '', s.at.cell ?? '') : t.showCell(s.at.sheet ?? '', s.at.cell ?? '')}
                    </Button>
                  )}
                  {s.at !== null && previewOf(s.at, preview) && preview !== null && <CellPreviewBar preview={preview} onClose={onClosePreview} />}
                </li>
              ))}
            </ul>
          </div>
        ))}
    </section>
  );
}
