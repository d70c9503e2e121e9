/** One issue as a line of text: severity badge, where, and the message in the clerk's language. */
import { Badge, makeStyles, tokens } from '@fluentui/react-components';
import { issueMessage } from '../core/messages';
import type { Issue } from '../core/types';
import { severityLabel } from '../workbook/labels';
import { useLang } from './useLang';

// At task-pane widths a long place (a file's name) wraps onto its own line rather than squeezing the message
// into a column two characters wide, and the badge never breaks.
const useStyles = makeStyles({
  line: { display: 'flex', flexWrap: 'wrap', columnGap: tokens.spacingHorizontalS, alignItems: 'baseline' },
  badge: { flexShrink: 0, whiteSpace: 'nowrap' },
  where: { color: tokens.colorNeutralForeground3, overflowWrap: 'anywhere', minWidth: '0' },
  message: { flexGrow: 1, flexBasis: '12em', minWidth: '0', overflowWrap: 'anywhere' },
});

/** Where an issue is: `sheet!cell`, or the definition's subject and field. */
export function issueWhere(issue: Issue): string {
  if (issue.cell !== undefined) return issue.sheet !== undefined ? `${issue.sheet}!${issue.cell}` : issue.cell;
  if (issue.subject !== undefined) return issue.field !== undefined ? `${issue.subject} · ${issue.field}` : issue.subject;
  return issue.sheet ?? issue.file ?? '';
}

/** Props of `IssueLine`. */
export interface IssueLineProps {
  readonly issue: Issue;
}

/** An issue's severity, location and message. */
export function IssueLine({ issue }: IssueLineProps) {
  const styles = useStyles();
  const { lang } = useLang();
  const where = issueWhere(issue);
  return (
    <span className={styles.line}>
      <Badge className={styles.badge} appearance="tint" size="small" color={issue.severity === 'error' ? 'danger' : issue.severity === 'warning' ? 'warning' : 'informative'}>
        {severityLabel(issue.severity, lang)}
      </Badge>
      {where !== '' && <span className={styles.where}>{where}</span>}
      <span className={styles.message}>{issueMessage(issue, lang)}</span>
    </span>
  );
}
