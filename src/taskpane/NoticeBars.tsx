/** What the page cannot do in this browser and does instead: one message bar per notice, each dismissible. */
import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { HuizongService, PaneNotice, PaneNoticeCode } from './service';
import { useStrings } from './useLang';

/** Props of `NoticeBars`. */
export interface NoticeBarsProps {
  readonly service: HuizongService;
}

/** The service's notices. */
export function NoticeBars({ service }: NoticeBarsProps) {
  const t = useStrings();
  const [notices, setNotices] = useState<readonly PaneNotice[]>([]);
  const [dismissed, setDismissed] = useState<ReadonlySet<PaneNoticeCode>>(new Set());
  useEffect(() => service.watchNotices?.(setNotices), [service]);
  return (
    <>
      {notices
        .filter((n) => !dismissed.has(n.code))
        .map((n) => (
          <MessageBar key={n.code} intent="warning" layout="multiline" politeness="polite">
            <MessageBarBody>
              <MessageBarTitle>{t.noticeTitle}</MessageBarTitle>
              {t.notice[n.code]}
            </MessageBarBody>
            <MessageBarActions>
              <Button size="small" onClick={() => setDismissed((d) => new Set([...d, n.code]))}>
                {t.dismiss}
              </Button>
            </MessageBarActions>
          </MessageBar>
        ))}
    </>
  );
}
