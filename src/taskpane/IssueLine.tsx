/** One issue as a line of text: severity badge, where, and the message in the clerk's language. */
import { Badge, makeStyles, tokens } from '@fluentui/react-components';
import { issueMessage } from '../core/messages';
import type { Issue } from '../core/types';
import { severityLabel } from '../workbook/labels';
import { useLang } from './useLang';

const useStyles = makeStyles({
  line: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'baseline' },
  where: { color: tokens.colorNeutralForeground3, whiteSpace: 'nowrap' },
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
      <Badge appearance="tint" size="small" color={issue.severity === 'error' ? 'danger' : issue.severity === 'warning' ? 'warning' : 'informative'}>
        {severityLabel(issue.severity, lang)}
      </Badge>
      {where !== '' && <span className={styles.where}>{where}</span>}
      <span>{issueMessage(issue, lang)}</span>
    </span>
  );
}
