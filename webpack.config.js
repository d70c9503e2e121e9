// Builds every face of Huizong: the `huizong` command (Node), the Excel task pane and the standalone page.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import webpack from 'webpack';

const root = path.dirname(fileURLToPath(import.meta.url));

const tsRule = {
  test: /\.[cm]?tsx?$/,
  exclude: /node_modules/,
  loader: 'esbuild-loader',
  options: { target: 'es2022', jsx: 'automatic' },
};

/** The `huizong` command: one CommonJS file for Node 20, with a shebang. */
const cli = (env, argv) => ({
  name: 'cli',
  mode: argv.mode ?? 'production',
  target: 'node20',
  entry: { huizong: './src/cli/main.ts' },
  output: { path: path.join(root, 'dist/cli'), filename: '[name].cjs', library: { type: 'commonjs2' }, clean: true },
  resolve: { extensions: ['.ts', '.tsx', '.js', '.mjs'] },
  module: { rules: [tsRule] },
  devtool: 'source-map',
  optimization: { minimize: false },
  plugins: [new webpack.BannerPlugin({ banner: '#!/usr/bin/env node', raw: true, entryOnly: true })],
  performance: { hints: false },
  stats: 'errors-warnings',
});

export default [cli];
export { root, tsRule };
