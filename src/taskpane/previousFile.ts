/** Last period's summary from a file the clerk picked, the same way in both panes: JSON parsed here, a workbook read by the face's own reader. */
import type { WorkbookGrid } from '../core/grid';
import type { Issue } from '../core/types';
import type { PreviousSource } from './protocol';
import { PaneError, type FileInput } from './service';

/** Reads a workbook file into grids (the .xlsx engine, wired by each pane). */
export type BookReader = (bytes: Uint8Array, name: string) => Promise<{ readonly book?: WorkbookGrid | null; readonly issues: readonly Issue[] }>;

/** The source of last period's values in `file`: its JSON, or its workbook's sheets. */
export async function previousSource(file: FileInput, read: BookReader): Promise<PreviousSource> {
  if (file.name.toLowerCase().endsWith('.json')) {
    try {
      return { kind: 'json', json: JSON.parse(new TextDecoder('utf-8').decode(file.bytes).replace(/^\uFEFF/, '')) as unknown, name: file.name };
    } catch (e) {
      throw new PaneError('previous_invalid', { file: file.name }, e instanceof Error ? e.message : String(e));
    }
  }
  const r = await read(file.bytes, file.name);
  if (!r.book) throw new PaneError('previous_invalid', { file: file.name });
  return { kind: 'sheets', sheets: r.book.sheets, name: file.name };
}
