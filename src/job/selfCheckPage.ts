/**
 * The self-check page a bureau hands its schools: one offline HTML file with the bureau's definitions
 * (and roster) inside it as data. The command makes it from the built page (`selfcheck-template.html`);
 * the panes make it from the same template, or, on the single-file page, from the scripts that page
 * carries. One place that knows where the data goes, so every face writes the same file.
 */
import { definitionsFromJson, definitionsToJson } from '../core/definitions';
import type { Definitions } from '../core/types';

/** The global the single-file pages keep their scripts in (INLINE_GLOBAL of src/taskpane/inlineChunks.ts). */
const INLINE_GLOBAL = '__huizongInline';
/** The id of the element holding a single-file page's data (DATA_ELEMENT_ID of src/build/singleFile.mjs). */
export const PAGE_DATA_ID = 'huizong-data';

/** The template's file name beside the served pages, and beside the command in `dist/web`. */
export const SELF_CHECK_TEMPLATE = 'selfcheck-template.html';

/** What the page carries. */
export interface SelfCheckPageData {
  readonly kind: 'selfcheck';
  /** The definitions as JSON (roster included). */
  readonly definitions: unknown;
}

/** The data of a self-check page for these definitions. */
export function selfCheckPageData(defs: Definitions): SelfCheckPageData {
  return { kind: 'selfcheck', definitions: definitionsToJson(defs) };
}

/** The definitions a self-check page carries, or null when its data holds none that read. */
export function definitionsOfPage(data: unknown): Definitions | null {
  if (data === null || typeof data !== 'object' || (data as { kind?: unknown }).kind !== 'selfcheck') return null;
  return definitionsFromJson((data as SelfCheckPageData).definitions).definitions;
}

/** JSON that is safe inside a <script> element: no `<` at all, so no `</script` and no `<!--`. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const dataElement = (data: unknown): string => `<script type="application/json" id="${PAGE_DATA_ID}">${scriptJson(data)}</script>`;

/** The template with the data put in, before the scripts that start the page; throws when it is no built single-file page. */
export function withPageData(template: string, data: unknown): string {
  const at = template.indexOf(`<script>self.${INLINE_GLOBAL}=`);
  if (at < 0 || template.includes(`id="${PAGE_DATA_ID}"`)) throw new Error('not a single-file page template');
  return template.slice(0, at) + dataElement(data) + template.slice(at);
}

/** A page's parts as a single-file page carries them (`singleFileParts` of src/build/singleFile.mjs, without the scripts). */
export interface CarriedPage {
  readonly head: string;
  readonly foot: string;
  readonly boot: string;
  readonly entry: readonly string[];
}

/** The scripts a single-file page carries. */
export interface CarriedScripts {
  readonly files: Readonly<Record<string, string>>;
  readonly workers: readonly string[];
}

/**
 * A page's single file made from its parts and the scripts another page carries, with `data`; the scripts
 * in `omit` (the carrying page's own entry) are left out.
 */
export function composePage(page: CarriedPage, scripts: CarriedScripts, data: unknown, omit: readonly string[] = []): string {
  const files: Record<string, string> = {};
  for (const [name, text] of Object.entries(scripts.files)) if (!omit.includes(name) || page.entry.includes(name)) files[name] = text;
  const bundle = { files, workers: scripts.workers, entry: page.entry };
  return `${page.head}${dataElement(data)}<script>self.${INLINE_GLOBAL}=${scriptJson(bundle)};</script><script>${page.boot}</script>${page.foot}`;
}
