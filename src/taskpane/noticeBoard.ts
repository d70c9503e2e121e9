/** The notices a service keeps for the pane: each said once, heard by whoever listens, now or later. */
import type { PaneNotice } from './service';

/** A list of notices with listeners. */
export interface NoticeBoard {
  add(notice: PaneNotice): void;
  watch(listener: (notices: readonly PaneNotice[]) => void): () => void;
}

/** An empty board. A notice of a code already on the board is not added again. */
export function createNoticeBoard(): NoticeBoard {
  let notices: readonly PaneNotice[] = [];
  const listeners = new Set<(notices: readonly PaneNotice[]) => void>();
  return {
    add(notice) {
      if (notices.some((n) => n.code === notice.code)) return;
      notices = [...notices, notice];
      for (const l of listeners) l(notices);
    },
    watch(listener) {
      listeners.add(listener);
      listener(notices);
      return () => listeners.delete(listener);
    },
  };
}
