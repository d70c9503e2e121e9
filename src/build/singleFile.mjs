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
 * One HTML file from a built page.
 * @param {object} page
 * @param {string} page.html the page as built (its <script src> tags name its entry scripts)
 * @param {Record<string, string>} page.scripts every script file of the page, by the name the page and webpack use
 * @param {string[]} [page.workers] which of `scripts` start a worker
 * @param {Record<string, Uint8Array>} [page.images] images the page links (the icon), inlined as data: URLs
 * @param {unknown} [page.data] data for the page, in a JSON script element with id `huizong-data`
 * @returns {string}
 */
export function singleFileHtml({ html, scripts, workers = [], images = {}, data }) {
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
  const bundle = { files, workers, entry };
  const root = /<div id="root"><\/div>/;
  if (!root.test(out)) throw new Error('the page has no <div id="root"></div>');
  out = out.replace(root, '<div id="root"><p id="huizong-boot">正在打开汇总… Opening Huizong…</p></div>');
  const tail =
    (data !== undefined ? `<script type="application/json" id="${DATA_ELEMENT_ID}">${scriptJson(data)}</script>` : '') +
    `<script>self.${INLINE_GLOBAL}=${scriptJson(bundle)};</script><script>${BOOT}</script>`;
  if (!out.includes('</body>')) throw new Error('the page has no </body>');
  return out.replace('</body>', () => `${tail}</body>`);
}

/**
 * A webpack plugin: after the build, writes one HTML file made of the page `page` (an asset of this
 * compilation), every .js asset, and the images named in `images` (read from disk).
 */
export class SingleFilePlugin {
  /** @param {{ page: string, out: string, images?: Record<string, Uint8Array>, data?: unknown }} options */
  constructor(options) {
    this.options = options;
  }

  apply(compiler) {
    compiler.hooks.thisCompilation.tap('SingleFilePlugin', (compilation) => {
      // Once every asset is final (minified, source-mapped, the page written), and before their text is let go.
      const stage = compiler.webpack.Compilation.PROCESS_ASSETS_STAGE_REPORT;
      compilation.hooks.processAssets.tap({ name: 'SingleFilePlugin', stage }, () => {
        if (compilation.errors.length > 0) return;
        const { page, out, images, data } = this.options;
        const html = compilation.getAsset(page)?.source.source().toString();
        if (html === undefined) throw new Error(`SingleFilePlugin: no ${page} in the build`);
        const scripts = {};
        for (const asset of compilation.getAssets()) if (asset.name.endsWith('.js')) scripts[asset.name] = asset.source.source().toString();
        // A chunk with its own runtime that is not a page's entry starts a worker.
        const entryChunks = new Set([...compilation.entrypoints.values()].flatMap((e) => e.chunks));
        const workers = [];
        for (const chunk of compilation.chunks) {
          if (!chunk.hasRuntime() || entryChunks.has(chunk)) continue;
          for (const f of chunk.files) if (f.endsWith('.js')) workers.push(f);
        }
        mkdirSync(path.dirname(out), { recursive: true });
        writeFileSync(out, singleFileHtml({ html, scripts, workers, images, data }));
      });
    });
  }
}
