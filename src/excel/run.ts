/**
 * `Excel.run` for the adapter: one batch, as one undo step where the host allows it, and the
 * error codes Office.js gives back.
 */
import { capabilities } from './capabilities';

/** The `code` of an Office.js error (`ItemNotFound`, `RequestPayloadSizeLimitExceeded`…), if any. */
export function errorCode(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null || !('code' in e)) return undefined;
  const code = (e as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Runs `batch` in a new request context. With `undoGroup`, every sync of the batch becomes one
 * undo step (`mergeUndoGroup`, ExcelApi 1.20) where the host's requirement sets say it can; the
 * caller must then make only calls Excel can undo ("Undo capabilities": any other throws
 * `UndoNotSupported`). Where the host has it (ExcelApi 1.11), the batch waits while the clerk is
 * editing a cell instead of failing ("Delay execution while cell is being edited").
 */
export async function runExcel<T>(batch: (ctx: Excel.RequestContext) => Promise<T>, options: { readonly undoGroup?: boolean } = {}): Promise<T> {
  const caps = capabilities();
  const run: Excel.RunOptions = {
    ...(options.undoGroup === true && caps.undoGroup ? { mergeUndoGroup: true } : {}),
    ...(caps.delayForCellEdit ? { delayForCellEdit: true } : {}),
  };
  try {
    return Object.keys(run).length > 0 ? await Excel.run(run, batch) : await Excel.run(batch);
  } catch (e) {
    throw e instanceof Error ? e : new Error(String(e));
  }
}
