// Builds every face of Huizong: the `huizong` command (Node), the Excel task pane and the standalone page.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import CopyWebpackPlugin from 'copy-webpack-plugin';
import { EsbuildPlugin } from 'esbuild-loader';
import HtmlWebpackPlugin from 'html-webpack-plugin';
import webpack from 'webpack';
import { GuidePlugin } from './src/build/guide.mjs';
import { checkedHost, manifestFor } from './src/build/manifest.mjs';
import { SingleFilePlugin } from './src/build/singleFile.mjs';

const root = path.dirname(fileURLToPath(import.meta.url));

const tsRule = {
  test: /\.[cm]?tsx?$/,
  exclude: /node_modules/,
  loader: 'esbuild-loader',
  options: { target: 'es2022', jsx: 'automatic' },
};

/**
 * The `huizong` command for Node 20, with a shebang: the command (huizong.cjs), the reader process it
 * starts (reader.cjs: only what parses a file), and SheetJS's CommonJS build on its own (sheetjs-node.cjs),
 * required by either only when a file needs it, so that neither compiles its 1.5 MB at every start.
 */
const cli = (env, argv) => ({
  name: 'cli',
  mode: argv.mode ?? 'production',
  target: 'node20',
  entry: { huizong: './src/cli/main.ts', reader: './src/cli/reader.ts', 'sheetjs-node': createRequire(import.meta.url).resolve('@e965/xlsx') },
  externals: { '@e965/xlsx': 'commonjs ./sheetjs-node.cjs' },
  output: { path: path.join(root, 'dist/cli'), filename: '[name].cjs', library: { type: 'commonjs2' }, clean: true },
  resolve: { extensions: ['.ts', '.tsx', '.js', '.mjs'] },
  module: { rules: [tsRule] },
  devtool: 'source-map',
  optimization: { minimize: false },
  plugins: [new webpack.BannerPlugin({ banner: '#!/usr/bin/env node', raw: true, entryOnly: true })],
  performance: { hints: false },
  stats: 'errors-warnings',
});

// ───────────── the pane: inside Excel ('taskpane') and as a standalone page ('standalone') ─────────────

const webOut = path.join(root, 'dist/web');
const devPort = Number(process.env.npm_package_config_dev_server_port || 3000);

/** TypeScript for browsers: Office's WebView2 and Safari-based web views take ES2020. */
const webTsRule = { ...tsRule, options: { ...tsRule.options, target: 'es2020' } };

/** What both web configs share; `prefix` is the folder their scripts go in, so the two never clean each other's files. */
const webBase = (name, argv, own) => {
  const production = (argv.mode ?? 'production') === 'production';
  return {
    name,
    mode: argv.mode ?? 'production',
    target: 'web',
    devtool: production ? 'source-map' : 'eval-cheap-module-source-map',
    resolve: { extensions: ['.ts', '.tsx', '.js', '.mjs'] },
    module: { rules: [webTsRule] },
    optimization: {
      minimizer: [new EsbuildPlugin({ target: 'es2020', legalComments: 'none' })],
    },
    performance: { hints: false },
    stats: 'errors-warnings',
    output: {
      path: webOut,
      publicPath: 'auto',
      filename: `${own.prefix}/[name].[contenthash:8].js`,
      chunkFilename: `${own.prefix}/[name].[contenthash:8].js`,
      // Both configs write into dist/web: each removes only its own stale files.
      clean: { keep: (asset) => !own.files.some((f) => asset === f || asset.startsWith(`${f}/`)) },
    },
  };
};

/** The name the panes fetch the self-check template by (SELF_CHECK_TEMPLATE in src/job/selfCheckPage.ts). */
const SELF_CHECK_TEMPLATE = 'selfcheck-template.html';

/** Serves dist/web's built self-check template to the dev server's panes, or a 404 saying how to build it. */
function serveBuiltTemplate(req, res) {
  const file = path.join(webOut, SELF_CHECK_TEMPLATE);
  if (!existsSync(file)) {
    res.status(404).type('text/plain; charset=utf-8').send('npm run build');
    return;
  }
  res.type('text/html; charset=utf-8').send(readFileSync(file, 'utf8'));
}

/** The https certificates the Office add-in tools install for localhost (dev server only). */
async function devHttps() {
  const devCerts = await import('office-addin-dev-certs');
  const o = await devCerts.getHttpsServerOptions();
  return { ca: o.ca, key: o.key, cert: o.cert };
}

const standaloneHtml = () =>
  new HtmlWebpackPlugin({ filename: 'standalone.html', template: './src/taskpane/standalone.html', chunks: ['standalone'], scriptLoading: 'defer' });

/**
 * The Excel task pane: dist/web/taskpane.html with Office.js from Office's CDN. The core runs in a
 * Web Worker; the .xlsx engine is only reached through a dynamic import (the import fallback).
 * `npm run dev-server` serves it on https://localhost:3000 together with the standalone page.
 */
const taskpane = async (env, argv) => {
  const serving = Boolean(env?.WEBPACK_SERVE);
  // Where a bureau hosts dist/web: `npm run build -- --env host=https://…/huizong/` (or HUIZONG_HOST) writes a
  // dist/web/manifest.xml whose every URL points there. Checked before anything is built.
  const hostArg = env?.host ?? process.env.HUIZONG_HOST;
  const host = hostArg === undefined || hostArg === '' ? undefined : checkedHost(String(hostArg));
  return {
    ...webBase('taskpane', argv, { prefix: 'pane', files: ['pane', 'taskpane.html', 'assets', 'manifest.xml'] }),
    entry: { taskpane: './src/taskpane/excel.tsx', ...(serving ? { standalone: './src/taskpane/standalone.tsx' } : {}) },
    plugins: [
      new HtmlWebpackPlugin({ filename: 'taskpane.html', template: './src/taskpane/taskpane.html', chunks: ['taskpane'], scriptLoading: 'defer' }),
      ...(serving ? [standaloneHtml()] : []),
      new CopyWebpackPlugin({
        patterns: [
          { from: 'assets/*.png', to: 'assets/[name][ext]' },
          { from: 'manifest.xml', to: 'manifest.xml', ...(host !== undefined ? { transform: (content) => manifestFor(content.toString(), host) } : {}) },
        ],
      }),
    ],
    devServer: {
      port: devPort,
      headers: { 'Access-Control-Allow-Origin': '*' },
      server: serving ? { type: 'https', options: await devHttps() } : 'https',
      static: false,
      hot: false,
      liveReload: true,
      // The panes fetch the self-check page's template from their own origin. The dev server compiles only the
      // panes, so it serves the template a build left in dist/web (`npm run build`, `build:cli` or `demo`), read
      // at each request; without one the pane says the page cannot be made here.
      setupMiddlewares: (middlewares) => [{ name: 'self-check-template', path: `/${SELF_CHECK_TEMPLATE}`, middleware: serveBuiltTemplate }, ...middlewares],
    },
  };
};

/**
 * The standalone page: dist/web/standalone.html, the same pane over .xlsx files in the browser; and the same page
 * as one file, dist/汇总.html, that opens from disk with no server and no network. Built with it, sharing its
 * worker and chunks, the self-check page a bureau hands its schools: dist/web/selfcheck-template.html, one file
 * without data, which `huizong self-check` and the panes fill with the bureau's definitions; dist/汇总.html carries
 * its parts so that it can make one offline too.
 */
const standalone = (env, argv) => {
  const icon = { 'assets/icon-32.png': readFileSync(path.join(root, 'assets/icon-32.png')) };
  const base = webBase('standalone', argv, { prefix: 'standalone', files: ['standalone', 'standalone.html', 'selfcheck.html', '使用说明.html'] });
  return {
    ...base,
    entry: { standalone: './src/taskpane/standalone.tsx', selfcheck: './src/taskpane/selfcheck.tsx' },
    // What the two pages share (React, Fluent UI, the core) is one chunk, carried once by dist/汇总.html.
    optimization: { ...base.optimization, splitChunks: { chunks: 'initial' } },
    plugins: [
      standaloneHtml(),
      new HtmlWebpackPlugin({ filename: 'selfcheck.html', template: './src/taskpane/selfcheck.html', chunks: ['selfcheck'], scriptLoading: 'defer' }),
      new SingleFilePlugin({ page: 'standalone.html', out: path.join(root, 'dist/汇总.html'), images: icon, carry: { selfCheck: 'selfcheck.html' } }),
      new SingleFilePlugin({ page: 'selfcheck.html', out: path.join(webOut, SELF_CHECK_TEMPLATE), images: icon, only: 'selfcheck' }),
      // The clerk's guide, linked from the page as 帮助: next to the served page and next to the single file.
      new GuidePlugin({ source: path.join(root, 'assets/guide/使用说明.md'), out: [path.join(webOut, '使用说明.html'), path.join(root, 'dist/使用说明.html')] }),
    ],
  };
};

export default [cli, taskpane, standalone];
export { root, tsRule };
