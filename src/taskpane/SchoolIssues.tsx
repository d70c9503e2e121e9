/** One school's problems: counts in the header; in the panel the text to send back and the issues by severity. */
import { AccordionHeader, AccordionItem, AccordionPanel, Badge, Button, Field, makeStyles, Textarea, tokens } from '@fluentui/react-components';
import { Fragment, useState } from 'react';
import type { Bilingual, Issue } from '../core/types';
import { CellPreviewBar } from './CellPreviewBar';
import type { IssueGroup } from './issueGroups';
import { IssueRow } from './IssueRow';
import { schoolMessage } from './schoolMessage';
import { useSharedStyles } from './styles';
import type { CellLocation, CellPreview } from './service';
import { useStrings } from './useLang';

const useStyles = makeStyles({
  header: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  name: { fontWeight: tokens.fontWeightSemibold },
  panel: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, paddingBottom: tokens.spacingVerticalM },
  severity: { margin: '0', fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
});

/** Props of `SchoolIssues`. */
export interface SchoolIssuesProps {
  readonly group: IssueGroup;
  readonly kind: 'excel' | 'file';
  readonly title: Bilingual;
  readonly period?: string;
  readonly disabled: boolean;
  readonly onShowCell: (issue: Issue) => void;
  /** For a duplicate: let this submission stand instead. */
  readonly onKeep?: (issue: Issue) => void;
  /** The cell the clerk picked (standalone page), shown right under its issue. */
  readonly preview?: CellPreview | null;
  readonly onClosePreview?: () => void;
}

/** Whether the preview is of this cell (an issue's, or any other place). */
export function previewOf(at: CellLocation, preview: CellPreview | null | undefined): boolean {
  return preview != null && at.cell === preview.cell && at.sheet === preview.sheet && (preview.file === undefined || at.file === preview.file);
}

/** An accordion item for one school. */
export function SchoolIssues({ group, kind, title, period, disabled, onShowCell, onKeep, preview, onClosePreview }: SchoolIssuesProps) {
  const styles = useStyles();
  const shared = useSharedStyles();
  const t = useStrings();
  const [copy, setCopy] = useState<{ ok: boolean; text: string } | null>(null);

  const copyText = async (): Promise<void> => {
    const text = schoolMessage({ code: group.code ?? '', name: group.name, title, ...(period !== undefined ? { period } : {}) }, group.all, 'zh-CN');
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      setCopy({ ok: true, text });
    } catch {
      setCopy({ ok: false, text });
    }
  };

  const shownOf = (sev: Issue['severity']): number => group.issues.filter((i) => i.severity === sev).length;
  const bySeverity = (['error', 'warning', 'info'] as const).map((sev) => [sev, group.issues.filter((i) => i.severity === sev)] as const).filter(([, list]) => list.length > 0);
  return (
    <AccordionItem value={group.key}>
      <AccordionHeader>
        <span className={styles.header}>
          <span className={styles.name}>{group.name}</span>
          {group.code !== undefined && group.code !== group.name && <span className={shared.muted}>{group.code}</span>}
          {/* Under a filter, how many of the school's problems of each severity are listed here. */}
          {group.errors > 0 && (
            <Badge appearance="filled" color="danger">
              {t.errorsCount(shownOf('error'), group.errors)}
            </Badge>
          )}
          {group.warnings > 0 && (
            <Badge appearance="filled" color="warning">
              {t.warningsCount(shownOf('warning'), group.warnings)}
            </Badge>
          )}
          {group.infos > 0 && (
            <Badge appearance="tint" color="informative">
              {t.infoCount(shownOf('info'), group.infos)}
            </Badge>
          )}
        </span>
      </AccordionHeader>
      <AccordionPanel>
        <div className={styles.panel}>
          {group.file !== undefined && <span className={shared.muted}>{group.file}</span>}
          {group.code !== undefined && (
            <div className={shared.row}>
              <Button size="small" onClick={() => void copyText()}>
                {t.copyForSchool}
              </Button>
              <span role="status">{copy === null ? '' : copy.ok ? t.copied(group.name) : t.copyFailed}</span>
            </div>
          )}
          {copy !== null && !copy.ok && (
            <Field label={t.textForSchool(group.name)}>
              <Textarea readOnly resize="vertical" rows={6} value={copy.text} />
            </Field>
          )}
          {bySeverity.map(([sev, list]) => (
            <div key={sev}>
              <h3 className={styles.severity}>{t.severityHeading[sev]}</h3>
              <ul className={shared.plainList} aria-label={`${group.name} · ${t.severityHeading[sev]}`}>
                {list.map((issue, i) => (
                  <Fragment key={i}>
                    <IssueRow issue={issue} kind={kind} disabled={disabled} onShowCell={onShowCell} {...(onKeep !== undefined ? { onKeep } : {})} />
                    {/* The picked cell right under its issue, where the clerk is looking. */}
                    {previewOf(issue, preview) && list.findIndex((x) => previewOf(x, preview)) === i && (
                      <li>
                        <CellPreviewBar preview={preview!} onClose={onClosePreview ?? (() => {})} />
                      </li>
                    )}
                  </Fragment>
                ))}
              </ul>
            </div>
          ))}
        </div>
      </AccordionPanel>
    </AccordionItem>
  );
}
