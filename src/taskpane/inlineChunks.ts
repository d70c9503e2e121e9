/**
 * The single-file page (`dist/汇总.html`) carries every script of the page as text instead of as files
 * beside it. Imported first by the page's entry and by the worker, this module makes webpack's runtime
 * load a chunk, or start the worker, from that text through a blob: URL. Elsewhere it does nothing.
 */

/** Webpack's public path and chunk-file function, which its runtime lets a module replace. */
declare let __webpack_public_path__: string;
declare let __webpack_get_script_filename__: (chunkId: string | number) => string;

/** The scripts a single-file page carries: every chunk's text by its file name, and which of them start a worker. */
export interface InlineBundle {
  readonly files: Readonly<Record<string, string>>;
  readonly workers: readonly string[];
}

/** Where the single-file page (and a worker it starts) keeps its `InlineBundle`. */
export const INLINE_GLOBAL = '__huizongInline';

/** This page's or worker's inlined scripts, or undefined when its scripts are files (the served page). */
export function inlineBundle(): InlineBundle | undefined {
  return (globalThis as Record<string, unknown>)[INLINE_GLOBAL] as InlineBundle | undefined;
}

/** True on the single-file page and in the worker it starts. */
export const inlined = inlineBundle() !== undefined;

/**
 * Put before a worker's code: its runtime loads the chunks it needs at start (before any of its modules, this one
 * included, has run) with importScripts and a path; this makes importScripts take such a path from the text.
 */
const WORKER_IMPORTS = `(function () {
  var b = self.${INLINE_GLOBAL}, load = self.importScripts.bind(self), urls = {};
  self.importScripts = function () {
    var args = Array.prototype.map.call(arguments, function (u) {
      for (var name in b.files) {
        if (String(u).slice(-name.length - 1) === '/' + name || String(u) === name) {
          return urls[name] || (urls[name] = URL.createObjectURL(new Blob([b.files[name]], { type: 'text/javascript' })));
        }
      }
      return u;
    });
    return load.apply(self, args);
  };
})();
`;

/**
 * The source of a worker started from the inlined text: the bundle's other files first, and the loader of
 * their text, then the worker's code.
 */
function workerSource(bundle: InlineBundle, name: string): string[] {
  const files: Record<string, string> = {};
  for (const [n, text] of Object.entries(bundle.files)) if (!bundle.workers.includes(n)) files[n] = text;
  return [`self.${INLINE_GLOBAL}=${JSON.stringify({ files, workers: [] } satisfies InlineBundle)};\n`, WORKER_IMPORTS, bundle.files[name]!];
}

const bundle = inlineBundle();
if (bundle !== undefined) {
  const fileName = __webpack_get_script_filename__;
  const urls = new Map<string, string>();
  // A blob: URL is whole, so nothing goes before it.
  __webpack_public_path__ = '';
  // eslint-disable-next-line no-useless-assignment -- webpack compiles this into a write of its runtime's chunk-file function
  __webpack_get_script_filename__ = (chunkId) => {
    const name = fileName(chunkId);
    const known = urls.get(name);
    if (known !== undefined) return known;
    // A chunk the page does not carry keeps its file name: loading it then fails with webpack's own error, said by the pane.
    if (bundle.files[name] === undefined) return name;
    const parts = bundle.workers.includes(name) ? workerSource(bundle, name) : [bundle.files[name]!];
    const url = URL.createObjectURL(new Blob(parts, { type: 'text/javascript' }));
    urls.set(name, url);
    return url;
  };
}
