import { mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverInputs, isCandidateFile, MAX_INPUT_BYTES, readFileBytesSync, tempPathFor, writeFileAtomic } from '../../src/cli/files';
import { createProgress } from '../../src/cli/progress';
import { scratch } from './helpers';

describe('discoverInputs', () => {
  const dir = scratch();
  for (const f of ['a/1.xlsx', 'a/2.XLS', 'a/3.csv', 'a/notes.txt', 'a/5.et', 'a/6.ods', 'a/~$1.xlsx', 'a/.hidden.xlsx', 'a/Thumbs.db', 'a/sub/4.xlsx', 'b.xlsx', 'c 2.xlsx']) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), 'x');
  }
  mkdirSync(path.join(dir, 'empty'));

  it('expands folders recursively to every file a person put there (a kind it cannot read is reported later, by name), skipping lock files, hidden files and system litter', async () => {
    const r = await discoverInputs(['a'], dir);
    expect(r.missing).toEqual([]);
    expect(r.files.map((f) => path.relative(dir, f))).toEqual(['a/1.xlsx', 'a/2.XLS', 'a/3.csv', 'a/5.et', 'a/6.ods', 'a/notes.txt', 'a/sub/4.xlsx']);
  });

  it('takes files as given, globs by pattern, each file once, leaving out excluded paths', async () => {
    const r = await discoverInputs(['b.xlsx', 'a/*.xlsx', 'a/1.xlsx', 'c 2.xlsx'], dir, [path.join(dir, 'b.xlsx')]);
    expect(r.files.map((f) => path.relative(dir, f))).toEqual(['a/1.xlsx', 'c 2.xlsx']);
  });

  it('reports what named nothing', async () => {
    const r = await discoverInputs(['nope.xlsx', 'z*/*.xlsx', 'empty'], dir);
    expect(r.files).toEqual([]);
    expect(r.missing).toEqual([
      { input: 'nope.xlsx', reason: 'not_found' },
      { input: 'z*/*.xlsx', reason: 'no_match' },
      { input: 'empty', reason: 'empty_folder' },
    ]);
  });

  it('knows school file names', () => {
    expect(isCandidateFile('x/3401020001_城关镇第一小学.xlsx')).toBe(true);
    expect(isCandidateFile('~$open.xlsx')).toBe(false);
    expect(isCandidateFile('.x.xlsx.123.tmp')).toBe(false);
  });
});

describe('readFileBytesSync', () => {
  const dir = scratch();

  it('gives a file’s bytes exactly, empty or not, and why it cannot for a folder, a missing file or one beyond the limit', () => {
    const bytes = Uint8Array.from({ length: 70_000 }, (_, k) => (k * 7) % 256);
    writeFileSync(path.join(dir, 'a.xlsx'), bytes);
    writeFileSync(path.join(dir, 'empty.xlsx'), new Uint8Array(0));
    writeFileSync(path.join(dir, 'big.xlsx'), new Uint8Array(0));
    // Sparse: its size is over the limit without the disk holding it.
    truncateSync(path.join(dir, 'big.xlsx'), MAX_INPUT_BYTES + 1);
    expect(readFileBytesSync(path.join(dir, 'a.xlsx'))).toEqual({ bytes });
    expect(readFileBytesSync(path.join(dir, 'empty.xlsx'))).toEqual({ bytes: new Uint8Array(0) });
    expect(readFileBytesSync(path.join(dir, 'big.xlsx'))).toEqual({ error: 'too_large' });
    expect(readFileBytesSync(dir)).toEqual({ error: 'EISDIR' });
    expect(readFileBytesSync(path.join(dir, 'none.xlsx'))).toEqual({ error: 'ENOENT' });
  });
});

describe('writeFileAtomic', () => {
  it('writes through a hidden temporary file in the same folder and leaves none behind', async () => {
    const dir = scratch();
    const target = path.join(dir, 'out', '全区汇总.xlsx');
    expect(path.dirname(tempPathFor(target))).toBe(path.dirname(target));
    expect(path.basename(tempPathFor(target))).toMatch(/^\.hz-[0-9a-f]{12}\.tmp$/);
    await writeFileAtomic(target, 'first');
    await writeFileAtomic(target, 'second');
    expect(readFileSync(target, 'utf8')).toBe('second');
    expect(readdirSync(path.dirname(target))).toEqual(['全区汇总.xlsx']);
  });

  it('fails without leaving a temporary file when the target cannot be replaced', async () => {
    const dir = scratch();
    const target = path.join(dir, 'taken');
    mkdirSync(path.join(target, 'inside'), { recursive: true });
    await expect(writeFileAtomic(target, 'x')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['taken']);
  });
});

describe('createProgress', () => {
  const sink = (isTTY: boolean): { isTTY: boolean; columns: number; text: string; write(s: string): void } => ({
    isTTY,
    columns: 100,
    text: '',
    write(s: string) {
      this.text += s;
    },
  });

  it('draws nothing when stderr is not a terminal, or for few files', () => {
    const a = sink(false);
    const p = createProgress(a, 100, 'Reading');
    for (let i = 0; i < 100; i++) p.tick('f.xlsx');
    p.done();
    expect(a.text).toBe('');
    const b = sink(true);
    const q = createProgress(b, 3, 'Reading');
    q.tick();
    q.done();
    expect(b.text).toBe('');
  });

  it('draws a bar on a terminal, ends at 100% and clears its line', () => {
    const s = sink(true);
    let t = 0;
    const p = createProgress(s, 40, 'Reading', { now: () => (t += 100) });
    for (let i = 0; i < 40; i++) p.tick(`school-${i}.xlsx`);
    p.done();
    expect(s.text).toContain('100% 40/40 school-39.xlsx');
    expect(s.text.endsWith('\r\x1b[2K')).toBe(true);
  });
});
