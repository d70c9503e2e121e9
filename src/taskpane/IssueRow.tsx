/** One issue in the validation list; an issue with a cell is a button that shows (selects) that cell. */
import { Button, makeStyles, tokens } from '@fluentui/react-components';
import { canKeep, issueMessage } from '../core/messages';
import type { Issue } from '../core/types';
import { useLang, useStrings } from './useLang';

const useStyles = makeStyles({
  button: {
    width: '100%',
    justifyContent: 'flex-start',
    textAlign: 'start',
    fontWeight: tokens.fontWeightRegular,
    minHeight: '0',
    height: 'auto',
    paddingTop: tokens.spacingVerticalXXS,
    paddingBottom: tokens.spacingVerticalXXS,
    gap: tokens.spacingHorizontalS,
    alignItems: 'baseline',
  },
  plain: {
    display: 'flex',
    gap: tokens.spacingHorizontalS,
    paddingLeft: tokens.spacingHorizontalS,
  },
  cell: {
    fontFamily: tokens.fontFamilyMonospace,
    fontWeight: tokens.fontWeightSemibold,
    minWidth: '3.5em',
    flexShrink: 0,
  },
});

/** Props of `IssueRow`. */
export interface IssueRowProps {
  readonly issue: Issue;
  readonly kind: 'excel' | 'file';
  readonly disabled: boolean;
  readonly onShowCell: (issue: Issue) => void;
  /** For a school's duplicate submission: make this one the one that stands. */
  readonly onKeep?: (issue: Issue) => void;
}

/** An issue: its cell and message. */
export function IssueRow({ issue, kind, disabled, onShowCell, onKeep }: IssueRowProps) {
  const styles = useStyles();
  const t = useStrings();
  const { lang } = useLang();
  const message = issueMessage(issue, lang);
  // Which of a school's files stands is the clerk's call: a file set aside can be chosen instead.
  const keep =
    canKeep(issue) && onKeep !== undefined ? (
      <Button size="small" disabled={disabled} onClick={() => onKeep(issue)} aria-label={t.keepThis(issue.file ?? issue.sheet ?? '')}>
        {t.keepShort}
      </Button>
    ) : null;
  if (issue.cell === undefined || issue.sheet === undefined) {
    return (
      <li className={styles.plain}>
        <span className={styles.cell}>—</span>
        <span>{message}</span>
        {keep}
      </li>
    );
  }
  const hint = kind === 'excel' ? t.goToCell(issue.sheet, issue.cell) : t.showCell(issue.sheet, issue.cell);
  return (
    <li>
      <Button appearance="subtle" className={styles.button} disabled={disabled} title={hint} onClick={() => onShowCell(issue)}>
        <span className={styles.cell}>{issue.cell}</span>
        <span>{message}</span>
      </Button>
      {keep}
    </li>
  );
}
