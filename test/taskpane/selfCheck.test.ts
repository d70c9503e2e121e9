/**
 * The self-check in the panes: a school file's state against its record (已自查 / 未自查 / definitions changed)
 * after an import in the standalone page's service and in the Excel service — where the record's sheet is not
 * taken into the workbook — and the self-check page made by the 制作学校自查页 button, from the scripts a
 * single-file page carries or from the template beside a served page.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildDemoDistrict, type DemoDistrict } from '../../src/demo';
import { definitionsToJson } from '../../src/core/definitions';
import type { Definitions } from '../../src/core/types';
import { definitionsOfPage, readBook, selfCheck, STAMP_SHEET, stampRows } from '../../src/job';
import { createExcelService } from '../../src/taskpane/excelService';
import { createFileService } from '../../src/taskpane/fileService';
import { createInlineRunner } from '../../src/taskpane/runner';
import { selfCheckPageFile } from '../../src/taskpane/selfCheckHtml';
import type { RunControl } from '../../src/taskpane/service';
import { readWorkbookFile } from '../../src/xlsx/file';
import { withHiddenSheet } from '../../src/xlsx/stamp';
import { writeXlsx } from '../../src/xlsx/write';
import { workbookWith } from '../excel/helpers';

const ctl: RunControl = { signal: new AbortController().signal, onProgress: () => {} };
let demo: DemoDistrict;
let clean: { name: string; bytes: Uint8Array };
let other: { name: string; bytes: Uint8Array };
let stamped: Uint8Array;

beforeAll(async () => {
  demo = await buildDemoDistrict();
  const planted = new Set(demo.expectedMistakes.map((m) => m.file));
  const cleanFiles = demo.files.filter((f) => !planted.has(f.name) && !f.name.includes('副本') && !f.name.includes('更正'));
  [clean, other] = [cleanFiles[0]!, cleanFiles[1]!];
  const { book } = await readWorkbookFile(clean.bytes, clean.name);
  const stamp = selfCheck(readBook(book!, demo.definitions), book!, demo.definitions).stamp!;
  stamped = withHiddenSheet(clean.bytes, STAMP_SHEET, stampRows(stamp));
});

let uninstall = (): void => {};
afterEach(() => {
  uninstall();
  uninstall = () => {};
  vi.unstubAllGlobals();
  delete (globalThis as Record<string, unknown>).__huizongInline;
});

const json = (defs: Definitions) => ({ name: 'defs.json', bytes: new TextEncoder().encode(JSON.stringify(definitionsToJson(defs))) });
const changed = (): Definitions => ({ ...demo.definitions, indicators: demo.definitions.indicators.map((i, k) => (k === 0 ? { ...i, max: (i.max ?? 100000) + 1 } : i)) });

describe('the standalone service', () => {
  it('says for each imported file whether it was self-checked against these definitions, the record no sheet of the school', async () => {
    const service = createFileService({ runner: createInlineRunner() });
    await service.loadDefinitionsFile!(json(demo.definitions), ctl);
    const files = await service.importFiles([{ name: clean.name, bytes: stamped }, other], ctl);
    expect(files.map((f) => [f.status, f.selfCheck])).toEqual([
      ['ok', 'checked'],
      ['ok', 'unchecked'],
    ]);
    expect(files[0]!.sheets).not.toContain(STAMP_SHEET);
    const v = await service.validate(ctl);
    expect(v.schools.map((s) => s.file)).toEqual([clean.name, other.name]);

    const later = createFileService({ runner: createInlineRunner() });
    await later.loadDefinitionsFile!(json(changed()), ctl);
    expect((await later.importFiles([{ name: clean.name, bytes: stamped }], ctl))[0]!.selfCheck).toBe('definitions_changed');
  });
});

describe('the Excel service', () => {
  it('inserts a self-checked file without its record and says it was self-checked', async () => {
    const w = workbookWith(demo.definitions, []);
    uninstall = w.uninstall;
    const { withoutSheetProtection } = await import('../../src/xlsx/unprotect');
    const { withoutSheet } = await import('../../src/xlsx/stamp');
    const service = createExcelService({
      runner: createInlineRunner(),
      readFile: readWorkbookFile,
      writeFile: writeXlsx,
      unprotect: async (bytes) => withoutSheet(withoutSheetProtection(bytes) ?? bytes, STAMP_SHEET),
    });
    const before = w.sim.names();
    const files = await service.importFiles([{ name: clean.name, bytes: stamped }, other], ctl);
    expect(files.map((f) => [f.status, f.selfCheck])).toEqual([
      ['ok', 'checked'],
      ['ok', 'unchecked'],
    ]);
    const added = w.sim.names().filter((n) => !before.includes(n));
    expect(added).toHaveLength(2);
    expect(added).not.toContain(STAMP_SHEET);
  });
});

describe('制作学校自查页', () => {
  it('makes the page from the parts and scripts the single-file page carries, the definitions inside, its own entry left out', async () => {
    const carried = { head: '<!doctype html><html><body><div id="root"></div>', foot: '</body></html>', boot: 'boot()', entry: ['sc.js'] };
    const data = { pages: { selfCheck: carried } };
    vi.stubGlobal('document', { getElementById: (id: string) => (id === 'huizong-data' ? { textContent: JSON.stringify(data) } : null), baseURI: 'file:///x/汇总.html' });
    (globalThis as Record<string, unknown>).__huizongInline = { files: { 'sc.js': 'selfcheck()', 'page.js': 'clerk()', 'worker.js': 'work()' }, workers: ['worker.js'], entry: ['page.js'] };
    const fetched = vi.fn();
    vi.stubGlobal('fetch', fetched);
    const file = await selfCheckPageFile(demo.definitions, 'zh-CN');
    const html = new TextDecoder().decode(file.bytes);
    expect(fetched).not.toHaveBeenCalled();
    expect(file.name).toBe('填报表自查.html');
    const bundle = JSON.parse(/self\.__huizongInline=(.*?);<\/script>/.exec(html)![1]!) as { files: Record<string, string>; entry: string[]; workers: string[] };
    expect(Object.keys(bundle.files).sort()).toEqual(['sc.js', 'worker.js']);
    expect(bundle.entry).toEqual(['sc.js']);
    const pageData = JSON.parse(/<script type="application\/json" id="huizong-data">(.*?)<\/script>/.exec(html)![1]!) as unknown;
    expect(definitionsOfPage(pageData)).toEqual(demo.definitions);
    expect(html.endsWith('<script>boot()</script></body></html>')).toBe(true);
  });

  it('on a served page, fills the template beside it, fetched from its own origin; and says so plainly when there is none', async () => {
    vi.stubGlobal('document', { getElementById: () => null, baseURI: 'https://bureau.example/huizong/taskpane.html' });
    const template = '<html><body><div id="root"></div><script>self.__huizongInline={};</script><script>boot()</script></body></html>';
    const fetched = vi.fn(async (url: string) => (url === 'https://bureau.example/huizong/selfcheck-template.html' ? new Response(template) : new Response('', { status: 404 })));
    vi.stubGlobal('fetch', fetched);
    const html = new TextDecoder().decode((await selfCheckPageFile(demo.definitions, 'en-US')).bytes);
    expect(html.indexOf('id="huizong-data"')).toBeLessThan(html.indexOf('self.__huizongInline'));
    expect(definitionsOfPage(JSON.parse(/id="huizong-data">(.*?)<\/script>/.exec(html)![1]!))).toEqual(demo.definitions);

    vi.stubGlobal('fetch', vi.fn(async () => new Response('', { status: 404 })));
    await expect(selfCheckPageFile(demo.definitions, 'zh-CN')).rejects.toMatchObject({ name: 'PaneError', code: 'selfcheck_unavailable' });
  });
});
