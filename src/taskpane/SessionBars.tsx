/** The kept session offered back after a reload, and the undo of a removal: message bars at the top of the page. */
import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { useLang, useStrings } from './useLang';
import type { WorkflowActions, WorkflowState } from './useWorkflow';

/** Props of `SessionBars`. */
export interface SessionBarsProps {
  readonly state: WorkflowState;
  readonly actions: WorkflowActions;
}

/** The offer of the last session, the undo bar and the storage notice. */
export function SessionBars({ state, actions }: SessionBarsProps) {
  const t = useStrings();
  const { lang } = useLang();
  const busy = state.busy !== null;
  const offer = state.offer;
  return (
    <>
      {offer !== null && (
        <MessageBar intent="info" layout="multiline" politeness="polite">
          <MessageBarBody>
            <MessageBarTitle>{t.offerTitle}</MessageBarTitle>
            {t.offerWhat({ definitions: offer.definitions !== null, roster: offer.roster !== null, files: offer.files.length, previous: offer.previous !== null })}
            {t.offerSaved(new Date(offer.savedAt).toLocaleString(lang, { month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit' }))}
          </MessageBarBody>
          <MessageBarActions>
            <Button size="small" appearance="primary" disabled={busy} onClick={() => void actions.restore()}>
              {t.offerContinue}
            </Button>
            <Button size="small" disabled={busy} onClick={() => void actions.discardOffer()}>
              {t.offerDiscard}
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {state.undo !== null && state.undo.files.length > 0 && (
        <MessageBar intent="info" politeness="polite">
          <MessageBarBody>{state.undo.cleared ? t.undoCleared(state.undo.files.length) : t.undoRemoved(state.undo.files.map((f) => f.name))}</MessageBarBody>
          <MessageBarActions
            containerAction={
              <Button size="small" appearance="transparent" aria-label={t.dismiss} onClick={actions.dismissUndo}>
                ×
              </Button>
            }
          >
            <Button size="small" disabled={busy} onClick={() => void actions.undoRemove()}>
              {t.undo}
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {state.storageFailed !== null && (
        <MessageBar intent="warning" layout="multiline" politeness="polite">
          <MessageBarBody>
            <MessageBarTitle>{t.noticeTitle}</MessageBarTitle>
            {t.notice.storage_unavailable}
          </MessageBarBody>
        </MessageBar>
      )}
    </>
  );
}
