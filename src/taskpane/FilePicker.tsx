/** A button that opens the browser's file chooser; the input itself stays hidden but labelled. */
import { Button, type ButtonProps } from '@fluentui/react-components';
import { useRef } from 'react';
import { useSharedStyles } from './styles';

/** Props of `FilePicker`. */
export interface FilePickerProps {
  /** Visible text of the button. */
  readonly text: string;
  /** Accessible name of the hidden file input. */
  readonly inputLabel: string;
  readonly accept: string;
  readonly multiple?: boolean;
  readonly disabled?: boolean;
  readonly appearance?: ButtonProps['appearance'];
  readonly icon?: ButtonProps['icon'];
  readonly onFiles: (files: File[]) => void;
}

/** Picks one or several files. */
export function FilePicker({ text, inputLabel, accept, multiple, disabled, appearance, icon, onFiles }: FilePickerProps) {
  const shared = useSharedStyles();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <Button appearance={appearance ?? 'secondary'} icon={icon} disabled={disabled} onClick={() => input.current?.click()}>
        {text}
      </Button>
      <input
        ref={input}
        className={shared.visuallyHidden}
        type="file"
        aria-label={inputLabel}
        tabIndex={-1}
        accept={accept}
        multiple={multiple}
        disabled={disabled}
        onChange={(e) => {
          const files = Array.from(e.currentTarget.files ?? []);
          e.currentTarget.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
    </>
  );
}
