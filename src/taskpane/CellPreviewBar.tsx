/** What a cell holds, shown on the standalone page when the clerk picks an issue (Excel selects the cell instead). */
import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import type { CellPreview } from './service';
import { useStrings } from './useLang';

/** Props of `CellPreviewBar`. */
export interface CellPreviewBarProps {
  readonly preview: CellPreview;
  readonly onClose: () => void;
}

/** An info bar with the cell's address, label and content. */
export function CellPreviewBar({ preview, onClose }: CellPreviewBarProps) {
  const t = useStrings();
  return (
    <MessageBar intent="info" layout="multiline" politeness="polite">
      <MessageBarBody>
        <MessageBarTitle>{t.cellPreviewTitle(preview.sheet, preview.cell)}</MessageBarTitle>
        {preview.file !== undefined && <div>{preview.file}</div>}
        {preview.label !== undefined && <div>{t.cellPreviewLabel(preview.label)}</div>}
        <div>{t.cellPreviewValue(preview.value)}</div>
      </MessageBarBody>
      <MessageBarActions>
        <Button size="small" onClick={onClose}>
          {t.closePreview}
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}
