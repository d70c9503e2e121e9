/**
 * The command's bundles: the reader process runs one of its own, with the readers only, and SheetJS is
 * a file of its own that either requires when a file needs it, so no start compiles it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundle, ensureBuilt } from './helpers';

const dir = path.dirname(bundle);
const text = (name: string): string => readFileSync(path.join(dir, name), 'utf8');
const SHEETJS_SOURCE = 'xlsx.js (C) 2013-present SheetJS';

beforeAll(() => ensureBuilt(), 240_000);

describe('the command bundles', () => {
  it('start the reader processes from reader.cjs, beside the command', () => {
    expect(text('huizong.cjs')).toContain('"reader.cjs"');
  });

  it('keep SheetJS out of the command and the reader, each requiring sheetjs-node.cjs only when a file needs it', () => {
    for (const name of ['huizong.cjs', 'reader.cjs']) {
      const js = text(name);
      expect(js).not.toContain(SHEETJS_SOURCE);
      expect(js).toContain('require("./sheetjs-node.cjs")');
    }
    expect(text('sheetjs-node.cjs')).toContain(SHEETJS_SOURCE);
  });

  it('leave the writer, the planner and the messages out of the reader', () => {
    const reader = text('reader.cjs');
    for (const module of ['src/xlsx/sheets.ts', 'src/workbook/summary.ts', 'src/core/messages.ts', 'src/demo/files.ts']) expect(reader).not.toContain(`// ./${module}`);
    expect(reader).toContain('// ./src/xlsx/read.ts');
  });
});
