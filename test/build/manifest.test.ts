/**
 * A bureau's own host: `npm run build -- --env host=https://…/` writes a manifest whose every URL points there,
 * and nothing built names localhost; a host that is not https is refused before anything is built.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import webpack, { type Configuration } from 'webpack';
// @ts-expect-error: the build scripts are plain JavaScript modules
import { checkedHost, manifestFor } from '../../src/build/manifest.mjs';
// @ts-expect-error: the build scripts are plain JavaScript modules
import configs from '../../webpack.config.js';

const HOST = 'https://edu.example.gov.cn/jyj/huizong/';
const manifestXml = readFileSync(path.resolve(import.meta.dirname, '../../manifest.xml'), 'utf8');
type ConfigFn = (env: Record<string, unknown>, argv: Record<string, unknown>) => Promise<Configuration> | Configuration;
const taskpane = (configs as ConfigFn[])[1]!;
const out = mkdtempSync(path.join(tmpdir(), 'huizong-host-'));

afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Every file under `dir`, by path. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name));
}

describe('the manifest for a bureau’s host', () => {
  it('points every URL of the manifest at the host', () => {
    const xml = manifestFor(manifestXml, HOST) as string;
    const urls = [...xml.matchAll(/DefaultValue="(https?:[^"]+)"/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThanOrEqual(8);
    expect(urls.filter((u) => !u.startsWith(HOST))).toEqual([]);
    expect(xml).toContain(`${HOST}taskpane.html`);
    // Everything else is as it was.
    expect(xml.split(HOST).join('https://localhost:3000/')).toBe(manifestXml);
  });

  it('refuses a host that is not https, or not a plain folder address', () => {
    expect(() => checkedHost('http://edu.example.gov.cn/huizong/')).toThrow(/not https/);
    expect(() => checkedHost('edu.example.gov.cn/huizong')).toThrow(/not a URL/);
    expect(() => checkedHost('https://edu.example.gov.cn/huizong/?v=1')).toThrow(/query/);
    expect(checkedHost('https://edu.example.gov.cn/huizong')).toBe('https://edu.example.gov.cn/huizong/');
  });

  it('stops the build before it starts when the host is not https', async () => {
    await expect(Promise.resolve().then(() => taskpane({ host: 'http://edu.example.gov.cn/huizong/' }, { mode: 'production' }))).rejects.toThrow(/not https/);
  });

  it('builds the pane with the host: the manifest points there and no built file names localhost', async () => {
    const config = await taskpane({ host: HOST }, { mode: 'production' });
    const stats = await new Promise<webpack.Stats>((resolve, reject) =>
      webpack({ ...config, output: { ...config.output, path: out, clean: true } }, (err, s) => (err ? reject(err) : resolve(s!))),
    );
    expect(stats.hasErrors(), stats.toString('errors-only')).toBe(false);
    const manifest = readFileSync(path.join(out, 'manifest.xml'), 'utf8');
    expect(manifest).toContain(`<SourceLocation DefaultValue="${HOST}taskpane.html"/>`);
    const naming = filesUnder(out).filter((f) => !f.endsWith('.png') && /localhost/i.test(readFileSync(f, 'utf8')));
    expect(naming.map((f) => path.relative(out, f))).toEqual([]);
  }, 240_000);
});
