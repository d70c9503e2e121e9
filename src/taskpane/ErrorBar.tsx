/** A failure, in the clerk's language, with the technical detail below it and a way to dismiss it. */
import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { errorText } from './i18n';
import { useLang, useStrings } from './useLang';

/** Props of `ErrorBar`. */
export interface ErrorBarProps {
  readonly error: unknown;
  readonly onDismiss: () => void;
}

/** The error message bar. */
export function ErrorBar({ error, onDismiss }: ErrorBarProps) {
  const { lang } = useLang();
  const t = useStrings();
  const { message, detail } = errorText(error, lang);
  return (
    <MessageBar intent="error" layout="multiline" politeness="assertive">
      <MessageBarBody>
        <MessageBarTitle>{t.errorTitle}</MessageBarTitle>
        {message}
        {detail !== undefined && <div>{detail}</div>}
      </MessageBarBody>
      <MessageBarActions>
        <Button size="small" onClick={onDismiss}>
          {t.dismiss}
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}
