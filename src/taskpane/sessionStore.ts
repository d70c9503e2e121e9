/**
 * The clerk's work on the standalone page, kept in the browser's own storage (IndexedDB) on this machine
 * only, so that a reload or the next day can offer it back: the definitions (preset or file), the roster
 * file, the school files, last period's file and the submissions chosen to stand. The files are kept as
 * they were picked, and read again on restore, so what comes back is exactly what the pane would make of them.
 */
import type { Issue } from '../core/types';
import type { ConsolidateChoices, FileInput } from './service';

/** What the page keeps of a session. */
export interface SavedSession {
  readonly definitions: { readonly kind: 'preset' } | { readonly kind: 'file'; readonly file: FileInput } | null;
  readonly roster: FileInput | null;
  readonly files: readonly FileInput[];
  readonly previous: FileInput | null;
  /** The duplicate issues whose submission the clerk chose to stand, in the order chosen. */
  readonly keep: readonly Issue[];
  /** The consolidation choices, once the clerk changed one. */
  readonly choices?: ConsolidateChoices;
  /** When it was last saved (ms since the epoch). */
  readonly savedAt: number;
}

/** A session with nothing in it. */
export const EMPTY_SESSION: SavedSession = { definitions: null, roster: null, files: [], previous: null, keep: [], savedAt: 0 };

/** True when the session holds nothing worth offering back. */
export function isEmptySession(s: SavedSession): boolean {
  return s.definitions === null && s.roster === null && s.files.length === 0 && s.previous === null;
}

/** Where sessions are kept. Every call rejects when the browser refuses storage. */
export interface SessionStore {
  load(): Promise<SavedSession | null>;
  save(session: SavedSession): Promise<void>;
  clear(): Promise<void>;
}

const DB = 'huizong';
const STORE = 'session';
const KEY = 'current';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

/** The store in this browser's IndexedDB (database `huizong`). */
export function createIdbSessionStore(idb: IDBFactory | undefined = globalThis.indexedDB): SessionStore {
  let opened: Promise<IDBDatabase> | null = null;
  const db = (): Promise<IDBDatabase> =>
    (opened ??= new Promise<IDBDatabase>((resolve, reject) => {
      if (idb === undefined) throw new Error('IndexedDB is not available');
      const r = idb.open(DB, 1);
      r.onupgradeneeded = () => r.result.createObjectStore(STORE);
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error ?? new Error('IndexedDB cannot be opened'));
      r.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
    }).catch((e: unknown) => {
      opened = null;
      throw e;
    }));
  const tx = async <T>(mode: IDBTransactionMode, work: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    const t = (await db()).transaction(STORE, mode);
    // Settled only when the transaction has committed: a put is not kept before that.
    const committed = new Promise<void>((resolve, reject) => {
      t.oncomplete = () => resolve();
      t.onerror = () => reject(t.error ?? new Error('IndexedDB transaction failed'));
      t.onabort = () => reject(t.error ?? new Error('IndexedDB transaction aborted'));
    });
    const [result] = await Promise.all([request(work(t.objectStore(STORE))), committed]);
    return result;
  };
  return {
    async load() {
      const v = (await tx('readonly', (s) => s.get(KEY))) as SavedSession | undefined;
      return v === undefined || isEmptySession(v) ? null : v;
    },
    async save(session) {
      if (isEmptySession(session)) await tx('readwrite', (s) => s.delete(KEY));
      else await tx('readwrite', (s) => s.put(session, KEY));
    },
    async clear() {
      await tx('readwrite', (s) => s.delete(KEY));
    },
  };
}
