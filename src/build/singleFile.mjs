// One self-contained HTML file from a built page: its scripts, its worker and its lazily loaded chunks carried
// as text inside the file (see src/taskpane/inlineChunks.ts for how the page loads them), the icon as a data:
// URL, and optionally data for the page to read. Used by webpack.config.js for dist/汇总.html; any page built
// with that module first in its entry can be made into one file the same way.
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/** The global the page reads its inlined scripts from (INLINE_GLOBAL in src/taskpane/inlineChunks.ts). */
export const INLINE_GLOBAL = '__huizongInline';

/** The id of the script element holding the data given to `singleFileHtml` (read by src/taskpane/embedded.ts). */
export const DATA_ELEMENT_ID = 'huizong-data';

/** JSON that is safe inside a <script> element: no `<` at all, so no `</script` and no `<!--`. */
export function scriptJson(value) {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A script's text without its source-map comment (the map is not in the file). */
function withoutSourceMap(text) {
  return text.replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '\n');
}

/**
 * Starts the page's entry scripts from the inlined text, in order; if the browser refuses, or the page
 * fails before it shows, the page says so in both languages instead of staying blank.
 */
const BOOT = `(function () {
  var b = self.${INLINE_GLOBAL};
  var note = document.getElementById('huizong-boot');
  var fail = function (why) {
    if (!note || !note.parentNode) return;
    note.textContent = '此浏览器不能从本地文件运行汇总页面（' + why + '）。请改用新版 Chrome、Edge、360、QQ 或 Firefox 浏览器打开，或从单位的网站打开汇总。' +
      ' This browser cannot run Huizong from a file on disk (' + why + '). Open it in a recent Chrome, Edge or Firefox, or from your bureau\\'s website.';
    note.setAttribute('role', 'alert');
  };
  window.addEventListener('error', function (e) { fail(e.message || 'error'); });
  try {
    for (var i = 0; i < b.entry.length; i++) {
      var s = document.createElement('script');
      s.src = URL.createObjectURL(new Blob([b.files[b.entry[i]]], { type: 'text/javascript' }));
      s.async = false;
      s.onerror = function () { fail('blob: script'); };
      document.body.appendChild(s);
    }
  } catch (e) {
    fail(String(e && e.message || e));
  }
})();`;

/**
 * A built page taken apart for one file: the HTML before and after the scripts that start it, and its bundle.
 * `singleFileHtml` joins them; a page that carries another page's parts (and the scripts they need) can
 * make that page's file itself, with its own data (see src/job/selfCheckPage.ts).
 * @param {object} page
 * @param {string} page.html the page as built (its <script src> tags name its entry scripts)
 * @param {Record<string, string>} page.scripts every script file of the page, by the name the page and webpack use
 * @param {string[]} [page.workers] which of `scripts` start a worker
 * @param {Record<string, Uint8Array>} [page.images] images the page links (the icon), inlined as data: URLs
 * @returns {{ head: string, foot: string, boot: string, bundle: { files: Record<string, string>, workers: string[], entry: string[] } }}
 */
export function singleFileParts({ html, scripts, workers = [], images = {} }) {
  const entry = [];
  let out = html.replace(/<script\b[^>]*\bsrc="([^"]+)"[^>]*>\s*<\/script>/g, (_tag, src) => {
    if (scripts[src] === undefined) throw new Error(`the page's script ${src} is not among the scripts given`);
    entry.push(src);
    return '';
  });
  if (entry.length === 0) throw new Error('the page names no script');
  for (const [name, bytes] of Object.entries(images)) {
    const type = name.endsWith('.svg') ? 'image/svg+xml' : 'image/png';
    out = out.split(`href="${name}"`).join(`href="data:${type};base64,${Buffer.from(bytes).toString('base64')}"`);
  }
  const files = {};
  for (const [name, text] of Object.entries(scripts)) files[name] = withoutSourceMap(text);
  const root = /<div id="root"><\/div>/;
  if (!root.test(out)) throw new Error('the page has no <div id="root"></div>');
  out = out.replace(root, '<div id="root"><p id="huizong-boot">正在打开汇总… Opening Huizong…</p></div>');
  const end = out.lastIndexOf('</body>');
  if (end < 0) throw new Error('the page has no </body>');
  return { head: out.slice(0, end), foot: out.slice(end), boot: BOOT, bundle: { files, workers, entry } };
}

/**
 * One HTML file from a built page: `singleFileParts` joined, with `data` (any JSON) in a
 * `<script type="application/json" id="huizong-data">` element for the page to read.
 * @param {Parameters<typeof singleFileParts>[0] & { data?: unknown }} page
 * @returns {string}
 */
export function singleFileHtml({ data, ...page }) {
  const { head, foot, bundle } = singleFileParts(page);
  const tail =
    (data !== undefined ? `<script type="application/json" id="${DATA_ELEMENT_ID}">${scriptJson(data)}</script>` : '') +
    `<script>self.${INLINE_GLOBAL}=${scriptJson(bundle)};</script><script>${BOOT}</script>`;
  return head + tail + foot;
}

/**
 * A webpack plugin: after the build, writes one HTML file made of the page `page` (an asset of this
 * compilation), every .js asset (with `only`, those of other pages' entries left out), and the images named
 * in `images` (read from disk). With `carry`, the file's data holds, under each key, the parts of another
 * page of the compilation (`singleFileParts` without its bundle, and its entry scripts), so that this page can
 * make that page's single file from the scripts it carries.
 */
export class SingleFilePlugin {
  /** @param {{ page: string, out: string, images?: Record<string, Uint8Array>, data?: unknown, only?: string, carry?: Record<string, string> }} options */
  constructor(options) {
    this.options = options;
  }

  apply(compiler) {
    compiler.hooks.thisCompilation.tap('SingleFilePlugin', (compilation) => {
      // Once every asset is final (minified, source-mapped, the page written), and before their text is let go.
      const stage = compiler.webpack.Compilation.PROCESS_ASSETS_STAGE_REPORT;
      compilation.hooks.processAssets.tap({ name: 'SingleFilePlugin', stage }, () => {
        if (compilation.errors.length > 0) return;
        const { page, out, images, data, only, carry } = this.options;
        const htmlOf = (name) => {
          const html = compilation.getAsset(name)?.source.source().toString();
          if (html === undefined) throw new Error(`SingleFilePlugin: no ${name} in the build`);
          return html;
        };
        // With `only`, the scripts that page's entry reaches: its chunks, their lazily loaded chunks and the workers they start.
        let keep;
        if (only !== undefined) {
          const entry = compilation.entrypoints.get(only);
          if (entry === undefined) throw new Error(`SingleFilePlugin: no entry ${only}`);
          const chunks = new Set();
          const visit = (chunk) => {
            if (chunks.has(chunk)) return;
            chunks.add(chunk);
            for (const c of chunk.getAllAsyncChunks()) visit(c);
            for (const e of chunk.getAllReferencedAsyncEntrypoints()) for (const c of e.chunks) visit(c);
          };
          for (const c of entry.chunks) visit(c);
          keep = new Set([...chunks].flatMap((c) => [...c.files]));
        }
        const scripts = {};
        for (const asset of compilation.getAssets()) if (asset.name.endsWith('.js') && (keep === undefined || keep.has(asset.name))) scripts[asset.name] = asset.source.source().toString();
        // A chunk with its own runtime that is not a page's entry starts a worker.
        const entryChunks = new Set([...compilation.entrypoints.values()].flatMap((e) => e.chunks));
        const workers = [];
        for (const chunk of compilation.chunks) {
          if (!chunk.hasRuntime() || entryChunks.has(chunk)) continue;
          for (const f of chunk.files) if (f.endsWith('.js') && (keep === undefined || keep.has(f))) workers.push(f);
        }
        let pageData = data;
        if (carry !== undefined) {
          const carried = {};
          for (const [key, name] of Object.entries(carry)) {
            const { head, foot, boot, bundle } = singleFileParts({ html: htmlOf(name), scripts, workers, images });
            carried[key] = { head, foot, boot, entry: bundle.entry };
          }
          pageData = { ...(data ?? {}), pages: carried };
        }
        mkdirSync(path.dirname(out), { recursive: true });
        writeFileSync(out, singleFileHtml({ html: htmlOf(page), scripts, workers, images, data: pageData }));
      });
    });
  }
}
