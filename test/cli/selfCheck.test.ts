/**
 * `huizong self-check`: the page for the schools with the definitions and roster inside, refused outputs said
 * plainly, a missing build named with what to do; and `validate` naming each file's self-check state.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDemoDistrict, type DemoDistrict } from '../../src/demo';
import type { JsonResult } from '../../src/cli/output';
import { runCli } from '../../src/cli/run';
import { definitionsToJson } from '../../src/core/definitions';
import { definitionsOfPage } from '../../src/job';
import { ensureBuilt, huizong, scratch } from './helpers';

let dir: string;
let demo: DemoDistrict;

beforeAll(async () => {
  ensureBuilt();
  demo = await buildDemoDistrict();
  dir = scratch('huizong-self-check-');
  writeFileSync(path.join(dir, 'defs.json'), JSON.stringify(definitionsToJson({ ...demo.definitions, roster: [] })));
  writeFileSync(path.join(dir, 'roster.json'), JSON.stringify(definitionsToJson(demo.definitions).roster));
  for (const f of demo.files.slice(0, 3)) writeFileSync(path.join(dir, f.name), f.bytes);
}, 300_000);

describe('huizong self-check', () => {
  it('writes one HTML file with the definitions and the roster inside', async () => {
    const r = await huizong(['self-check', '--definitions', 'defs.json', '--roster', 'roster.json', '--out', '自查.html'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('已写出自查页面：自查.html');
    expect(r.stdout).toContain(`名册 ${demo.definitions.roster.length} 所学校`);
    const html = readFileSync(path.join(dir, '自查.html'), 'utf8');
    const data = JSON.parse(/<script type="application\/json" id="huizong-data">(.*?)<\/script>/s.exec(html)![1]!) as unknown;
    expect(definitionsOfPage(data)).toEqual(demo.definitions);
    expect(html).toContain('Content-Security-Policy');
    expect(html).toContain("connect-src 'none'");
  });

  it('says plainly when it will not write: no --out, not .html, an input named as the output', async () => {
    const none = await huizong(['self-check', '--definitions', 'defs.json'], dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--out');
    const xlsx = await huizong(['self-check', '--out', 'x.xlsx'], dir);
    expect(xlsx.code).toBe(2);
    expect(xlsx.stderr).toContain('须以 .html 结尾');
    const before = readFileSync(path.join(dir, 'defs.json'), 'utf8');
    const over = await huizong(['self-check', '--definitions', 'defs.json', '--out', 'defs.json'], dir);
    expect(over.code).toBe(2);
    expect(readFileSync(path.join(dir, 'defs.json'), 'utf8')).toBe(before);
    const en = await huizong(['self-check', '--out', 'x.xlsx', '--lang', 'en-US'], dir);
    expect(en.stderr).toContain('must end in .html');
  });

  it('names what to do when the page was never built', async () => {
    let err = '';
    const code = await runCli(['self-check', '--out', path.join(dir, 'none.html')], {
      cwd: dir,
      stdout: { write: () => true },
      stderr: { write: (s: string) => ((err += s), true) } as never,
      selfCheckTemplate: path.join(dir, 'missing-template.html'),
    });
    expect(code).toBe(2);
    expect(err).toContain('npm run build:cli');
    expect(err).not.toMatch(/ENOENT|Error/);
  });
});

describe('huizong validate and the self-check', () => {
  it('says 未自查 of files with no record: once for all alike, per file for one, and in --json', async () => {
    const files = demo.files.slice(0, 3).map((f) => f.name);
    const text = await huizong(['validate', '--definitions', 'defs.json', ...files], dir);
    // Every file in one state: one line, not one per file.
    expect(text.stdout).toContain('学校自查：3 个文件均为“未自查”');
    for (const f of files) expect(text.stdout).not.toContain(`未自查\u3000${f}`);
    const one = await huizong(['validate', '--definitions', 'defs.json', files[0]!], dir);
    expect(one.stdout).toContain(`学校自查：未自查\u3000${files[0]}`);
    const json = JSON.parse((await huizong(['validate', '--definitions', 'defs.json', ...files, '--json'], dir)).stdout) as JsonResult;
    expect(json.files.map((f) => f.selfCheck)).toEqual(['unchecked', 'unchecked', 'unchecked']);
  });
});
