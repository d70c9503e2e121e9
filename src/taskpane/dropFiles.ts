/**
 * The files of a drag and drop: dropped files as they are, dropped folders read through (every file in them
 * and their subfolders, named by its path in the folder), skipping only what nobody means as input — hidden
 * files, Office's ~$ lock files, Thumbs.db and desktop.ini — as the command does with a folder.
 */

/** System litter a folder holds, never meant as a school file. */
export function isLitter(name: string): boolean {
  return name.startsWith('.') || name.startsWith('~$') || /^(thumbs\.db|desktop\.ini)$/i.test(name);
}

const collator = new Intl.Collator('zh-CN', { numeric: true });

/** The part of the File and Directory Entries API a drop gives (Chromium, Firefox, Safari). */
interface Entry {
  readonly isFile: boolean;
  readonly isDirectory: boolean;
  readonly name: string;
  readonly fullPath: string;
}
interface FileEntry extends Entry {
  file(ok: (f: File) => void, fail: (e: unknown) => void): void;
}
interface DirectoryEntry extends Entry {
  createReader(): { readEntries(ok: (entries: Entry[]) => void, fail: (e: unknown) => void): void };
}

/** Every entry of a folder: readEntries gives them in batches until it gives none. */
async function children(dir: DirectoryEntry): Promise<Entry[]> {
  const reader = dir.createReader();
  const all: Entry[] = [];
  for (;;) {
    const batch = await new Promise<Entry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

/** The files under an entry, each named by its path from the dropped item (`学校/一中.xlsx`). */
async function filesOf(entry: Entry, out: File[]): Promise<void> {
  if (isLitter(entry.name)) return;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileEntry).file(resolve, reject));
    const name = entry.fullPath.replace(/^\//, '') || file.name;
    out.push(name === file.name ? file : new File([file], name, { type: file.type, lastModified: file.lastModified }));
  } else if (entry.isDirectory) {
    const list = (await children(entry as DirectoryEntry)).sort((a, b) => collator.compare(a.name, b.name));
    for (const child of list) await filesOf(child, out);
  }
}

/** The files a drop carries, folders read through; plain files where the browser gives no entries. */
export async function droppedFiles(data: DataTransfer): Promise<File[]> {
  const items = Array.from(data.items ?? []).filter((i) => i.kind === 'file');
  const entries = items.map((i) => (typeof i.webkitGetAsEntry === 'function' ? (i.webkitGetAsEntry() as Entry | null) : null));
  if (items.length === 0 || entries.some((e) => e === null)) return Array.from(data.files ?? []).filter((f) => !isLitter(f.name));
  const out: File[] = [];
  for (const e of entries) await filesOf(e!, out);
  return out;
}
