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
 * undo step (`mergeUndoGroup`, ExcelApi 1.20); a host that refuses to group (`UndoNotSupported`)
 * gets the batch again without it — every write batch cleans up after a failure, so a second
 * run starts from the same workbook.
 */
export async function runExcel<T>(batch: (ctx: Excel.RequestContext) => Promise<T>, options: { readonly undoGroup?: boolean } = {}): Promise<T> {
  if (options.undoGroup === true && capabilities().undoGroup) {
    try {
      return await Excel.run({ mergeUndoGroup: true }, batch);
    } catch (e) {
      if (errorCode(e) !== 'UndoNotSupported') throw e;
    }
  }
  try {
    return await Excel.run(batch);
  } catch (e) {
    throw e instanceof Error ? e : new Error(String(e));
  }
}
