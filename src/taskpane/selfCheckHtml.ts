/**
 * The self-check page for the schools, made in the pane: on the single-file page from the parts and scripts it
 * carries (no network, no file beside it); on a served page (the Excel pane, dist/web/standalone.html) from the
 * built template beside it, fetched from the page's own origin. Either way the job's `selfCheckPageData` goes in,
 * as `huizong self-check` puts it.
 */
import type { Definitions, Lang } from '../core/types';
import { composePage, SELF_CHECK_TEMPLATE, selfCheckPageData, withPageData, type CarriedPage } from '../job/selfCheckPage';
import { embeddedData } from './embedded';
import { inlineBundle } from './inlineChunks';
import { PaneError, type DownloadFile } from './service';

/** The page's file name, by language. */
const NAMES: Record<Lang, string> = { 'zh-CN': '填报表自查.html', 'en-US': 'Self-check.html' };

/** The self-check page with `defs` inside, as a file to download. */
export async function selfCheckPageFile(defs: Definitions, lang: Lang): Promise<DownloadFile> {
  const data = selfCheckPageData(defs);
  const carried = (embeddedData() as { pages?: { selfCheck?: CarriedPage } } | undefined)?.pages?.selfCheck;
  const scripts = inlineBundle() as (ReturnType<typeof inlineBundle> & { readonly entry?: readonly string[] }) | undefined;
  let html: string;
  if (carried !== undefined && scripts !== undefined) {
    // This page's own entry scripts are not the self-check page's: left out.
    html = composePage(carried, scripts, data, scripts.entry ?? []);
  } else {
    let template: string;
    try {
      const res = await fetch(new URL(SELF_CHECK_TEMPLATE, document.baseURI).href);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      template = await res.text();
      html = withPageData(template, data);
    } catch (e) {
      throw new PaneError('selfcheck_unavailable', {}, e instanceof Error ? e.message : String(e));
    }
  }
  return { name: NAMES[lang], bytes: new TextEncoder().encode(html) };
}
