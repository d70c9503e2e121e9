// The clerk's guide, assets/guide/使用说明.md, as one HTML page with its screenshots inlined, written next to the pages.
// The guide's Markdown is our own and plain — headings, paragraphs, lists, images, links, `code` and **bold** —
// so a small renderer does, and the page has no script at all.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A line's inline Markdown as HTML; images are read from `dir` and inlined. */
function inline(text, dir) {
  let out = '';
  const re = /!\[([^\]]*)\]\(([^)\s]+)\)|\[([^\]]+)\]\(([^)\s]+)\)|`([^`]+)`|\*\*([^*]+)\*\*/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    out += escape(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[1] !== undefined) {
      const file = path.join(dir, decodeURI(m[2]));
      if (!existsSync(file)) throw new Error(`the guide names ${m[2]}, which is not in ${dir}`);
      out += `<img alt="${escape(m[1])}" src="data:image/png;base64,${readFileSync(file).toString('base64')}">`;
    } else if (m[3] !== undefined) {
      out += `<a href="${escape(m[4])}">${escape(m[3])}</a>`;
    } else if (m[5] !== undefined) {
      out += `<code>${escape(m[5])}</code>`;
    } else {
      out += `<strong>${escape(m[6])}</strong>`;
    }
  }
  return out + escape(text.slice(last));
}

/** The guide's Markdown as a whole HTML page titled by its first heading. */
export function guideHtml(markdown, dir) {
  const blocks = markdown.replace(/\r\n/g, '\n').split(/\n{2,}/).map((b) => b.trim()).filter((b) => b !== '');
  let title = '使用说明';
  const body = blocks.map((b) => {
    const h = /^(#{1,3}) (.*)$/.exec(b);
    if (h && !b.includes('\n')) {
      if (h[1] === '#') title = h[2];
      return `<h${h[1].length} id="${escape(h[2])}">${inline(h[2], dir)}</h${h[1].length}>`;
    }
    const lines = b.split('\n');
    if (lines.every((l) => /^- /.test(l))) return `<ul>${lines.map((l) => `<li>${inline(l.slice(2), dir)}</li>`).join('')}</ul>`;
    if (lines.every((l) => /^\d+\. /.test(l))) return `<ol>${lines.map((l) => `<li>${inline(l.replace(/^\d+\. /, ''), dir)}</li>`).join('')}</ol>`;
    return `<p>${lines.map((l) => inline(l, dir)).join('<br>')}</p>`;
  });
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title><style>
body{font-family:"Segoe UI","Microsoft YaHei","PingFang SC","Noto Sans CJK SC",sans-serif;max-width:760px;margin:0 auto;padding:16px;line-height:1.6;color:#242424}
img{max-width:100%;border:1px solid #d1d1d1;border-radius:4px}h1{font-size:1.6em}h2{font-size:1.25em;margin-top:2em;border-top:1px solid #e0e0e0;padding-top:1em}code{background:#f5f5f5;padding:0 4px}
</style></head><body>${body.join('\n')}</body></html>`;
}

/** A webpack plugin: after the build, writes the guide as HTML to each of `out`. */
export class GuidePlugin {
  /** @param {{ source: string, out: string[] }} options */
  constructor(options) {
    this.options = options;
  }

  apply(compiler) {
    compiler.hooks.afterEmit.tap('GuidePlugin', () => {
      const { source, out } = this.options;
      const html = guideHtml(readFileSync(source, 'utf8'), path.dirname(source));
      for (const file of out) {
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, html);
      }
    });
  }
}
