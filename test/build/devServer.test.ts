/**
 * The development server behind `npm start` compiles only the panes; the self-check template, which the panes
 * fetch from their own origin, it serves from the last build in dist/web (the test run builds first).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Configuration } from 'webpack';
// @ts-expect-error: the build configuration is a plain JavaScript module
import configs from '../../webpack.config.js';
import { SELF_CHECK_TEMPLATE } from '../../src/job/selfCheckPage';

type ConfigFn = (env: Record<string, unknown>, argv: Record<string, unknown>) => Promise<Configuration> | Configuration;
interface Middleware {
  readonly name?: string;
  readonly path?: string;
  readonly middleware: (req: unknown, res: unknown) => void;
}

/** A response that records what the middleware sent. */
function recorder() {
  const got = { status: 200, type: '', body: '' };
  const res = {
    status: (s: number) => ((got.status = s), res),
    type: (t: string) => ((got.type = t), res),
    send: (b: string) => ((got.body = b), res),
  };
  return { got, res };
}

describe('the development server', () => {
  it('serves the built self-check template at the name the panes fetch, before its own files', async () => {
    const config = await (configs as ConfigFn[])[1]!({}, { mode: 'development' });
    const setup = (config as { devServer?: { setupMiddlewares?: (m: Middleware[], s: unknown) => Middleware[] } }).devServer?.setupMiddlewares;
    expect(setup).toBeTypeOf('function');
    const own: Middleware = { name: 'webpack-dev-middleware', middleware: () => undefined };
    const all = setup!([own], {});
    expect(all.at(-1)).toBe(own);
    const served = all.find((m) => m.path === `/${SELF_CHECK_TEMPLATE}`);
    expect(served).toBeDefined();
    const built = path.resolve(import.meta.dirname, '../../dist/web', SELF_CHECK_TEMPLATE);
    expect(existsSync(built)).toBe(true);
    const { got, res } = recorder();
    served!.middleware({}, res);
    expect(got.status).toBe(200);
    expect(got.type).toContain('text/html');
    expect(got.body).toBe(readFileSync(built, 'utf8'));
  });
});
