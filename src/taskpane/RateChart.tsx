/**
 * District rates against their targets as a bar chart drawn in SVG with theme tokens: one bar per
 * rate, the target as a dashed mark. The picture is one image for screen readers (`role="img"`
 * with a summary); the figures are in a visually hidden table next to it.
 */
import { makeStyles, tokens } from '@fluentui/react-components';
import type { RateRow } from './service';
import { formatRate, formatTarget } from './format';
import { useSharedStyles } from './styles';
import { useLang, useStrings } from './useLang';

const useStyles = makeStyles({
  figure: { margin: '0' },
  // Drawn at WIDTH and scaled to the pane: capped so that its 11-unit labels stay near the body text's 14 px on a wide page.
  svg: { width: '100%', maxWidth: '400px', height: 'auto', display: 'block' },
  label: { fill: tokens.colorNeutralForeground1, fontSize: '11px', fontFamily: tokens.fontFamilyBase },
  value: { fill: tokens.colorNeutralForeground2, fontSize: '11px', fontFamily: tokens.fontFamilyBase },
  track: { fill: tokens.colorNeutralBackground3 },
  met: { fill: tokens.colorStatusSuccessBackground3 },
  not_met: { fill: tokens.colorStatusDangerBackground3 },
  no_target: { fill: tokens.colorBrandBackground },
  undefined: { fill: tokens.colorNeutralBackground5 },
  target: { stroke: tokens.colorNeutralForeground1, strokeWidth: '2', strokeDasharray: '3 2' },
  legend: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2 },
  legendItem: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
});

const WIDTH = 320;
const BAR_WIDTH = 250;
const ROW = 40;

/** Props of `RateChart`. */
export interface RateChartProps {
  /** Percentage rates to draw (factor 100). */
  readonly rates: readonly RateRow[];
}

/** The chart and its table. */
export function RateChart({ rates }: RateChartProps) {
  const styles = useStyles();
  const shared = useSharedStyles();
  const t = useStrings();
  const { lang } = useLang();
  const key = lang === 'zh-CN' ? 'zh' : 'en';
  const max = Math.max(100, ...rates.map((r) => r.value ?? 0), ...rates.map((r) => r.target?.value ?? 0));
  const x = (v: number): number => Math.max(0, Math.min(BAR_WIDTH, (v / max) * BAR_WIDTH));
  const met = rates.filter((r) => r.status === 'met').length;
  const notMet = rates.filter((r) => r.status === 'not_met').length;
  const height = rates.length * ROW + 4;

  return (
    <figure className={styles.figure}>
      <svg className={styles.svg} viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={t.chartLabel(met, notMet, rates.length)}>
        {rates.map((r, i) => {
          const y = i * ROW;
          const value = r.value ?? 0;
          return (
            <g key={r.code} aria-hidden="true">
              <text x={0} y={y + 12} className={styles.label}>
                {r.label[key]}
              </text>
              <rect x={0} y={y + 18} width={BAR_WIDTH} height={14} rx={2} className={styles.track} />
              <rect x={0} y={y + 18} width={x(value)} height={14} rx={2} className={styles[r.status]} />
              {r.target !== undefined && <line x1={x(r.target.value)} x2={x(r.target.value)} y1={y + 15} y2={y + 35} className={styles.target} />}
              <text x={BAR_WIDTH + 6} y={y + 29} className={styles.value}>
                {formatRate(r.value, r.factor, r.decimals, lang)}
              </text>
            </g>
          );
        })}
      </svg>
      {/* What the colours and the dashed mark mean; the same words as the table read to screen readers. */}
      <figcaption className={styles.legend} aria-hidden="true">
        {(['met', 'not_met', 'no_target', 'undefined'] as const)
          .filter((st) => rates.some((r) => r.status === st))
          .map((st) => (
            <span key={st} className={styles.legendItem}>
              <svg width="14" height="10" aria-hidden="true">
                <rect width="14" height="10" rx="2" className={styles[st]} />
              </svg>
              {t.status[st]}
            </span>
          ))}
        {rates.some((r) => r.target !== undefined) && (
          <span className={styles.legendItem}>
            <svg width="14" height="12" aria-hidden="true">
              <line x1="7" x2="7" y1="0" y2="12" className={styles.target} />
            </svg>
            {t.legendTarget}
          </span>
        )}
      </figcaption>
      {/* A table does not shrink to the hidden box's 1 px: the box around it clips it, so it never widens the pane. */}
      <div className={shared.visuallyHidden}>
        <table>
          <caption>{t.chartTable}</caption>
          <thead>
            <tr>
              <th scope="col">{t.colRate}</th>
              <th scope="col">{t.colValue}</th>
              <th scope="col">{t.colTarget}</th>
              <th scope="col">{t.colStatus}</th>
            </tr>
          </thead>
          <tbody>
            {rates.map((r) => (
              <tr key={r.code}>
                <th scope="row">{r.label[key]}</th>
                <td>{formatRate(r.value, r.factor, r.decimals, lang)}</td>
                <td>{formatTarget(r.target, r.factor, lang)}</td>
                <td>{t.status[r.status]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
