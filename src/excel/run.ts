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
 * undo step (`mergeUndoGroup`) where the host's requirement sets say it can; elsewhere each sync
 * is its own step. Decided by the requirement set, never by waiting for an error: Office.js
 * defines no error for a host that cannot group.
 */
export async function runExcel<T>(batch: (ctx: Excel.RequestContext) => Promise<T>, options: { readonly undoGroup?: boolean } = {}): Promise<T> {
  try {
    return options.undoGroup === true && capabilities().undoGroup ? await Excel.run({ mergeUndoGroup: true }, batch) : await Excel.run(batch);
  } catch (e) {
    throw e instanceof Error ? e : new Error(String(e));
  }
}
