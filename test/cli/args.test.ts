import { describe, expect, it } from 'vitest';
import { parseCommandLine, sniffLang } from '../../src/cli/args';
import { helpText, usageMessage } from '../../src/cli/help';

describe('parseCommandLine', () => {
  it('gives help for no arguments, --help and help <command>', () => {
    expect(parseCommandLine([])).toEqual({ kind: 'help', lang: 'zh-CN' });
    expect(parseCommandLine(['--help', '--lang', 'en-US'])).toEqual({ kind: 'help', lang: 'en-US' });
    expect(parseCommandLine(['help', 'validate'])).toEqual({ kind: 'help', lang: 'zh-CN', command: 'validate' });
    expect(parseCommandLine(['consolidate', '--help'])).toEqual({ kind: 'help', lang: 'zh-CN', command: 'consolidate' });
  });

  it('parses consolidate with every option', () => {
    const p = parseCommandLine([
      'consolidate', '-d', 'defs.xlsx', '--roster', 'r.csv', 'a.xlsx', 'schools/', '--out', 'out.xlsx',
      '--formulas', '--include-errors', '--group-by', 'township', '--previous', 'prev.json', '--json', '--lang=en-US',
    ]);
    expect(p).toEqual({
      kind: 'run',
      request: {
        command: 'consolidate', lang: 'en-US', json: true, progress: true, definitions: 'defs.xlsx', roster: 'r.csv',
        previous: 'prev.json', inputs: ['a.xlsx', 'schools/'], out: 'out.xlsx', formulas: true, includeErrors: true, groupBy: ['township'],
      },
    });
  });

  it('takes --keep as often as given, for validate, consolidate and return', () => {
    for (const cmd of [['validate', 'x'], ['consolidate', 'x', '--out', 'o.xlsx'], ['return', 'x', '--out', 'r']]) {
      const p = parseCommandLine([...cmd, '--keep', 'a.xlsx', '--keep', 'b（更正）.xlsx']);
      expect(p.kind === 'run' && 'keep' in p.request ? p.request.keep : null, cmd[0]).toEqual(['a.xlsx', 'b（更正）.xlsx']);
    }
  });

  it('takes --copies or --no-copies, and leaves the default to the size when neither is given', () => {
    const pick = (...extra: string[]) => {
      const p = parseCommandLine(['consolidate', 'x', '--out', 'o.xlsx', ...extra]);
      return p.kind === 'run' && p.request.command === 'consolidate' ? p.request.copies : p.kind;
    };
    expect(pick('--copies')).toBe(true);
    expect(pick('--no-copies')).toBe(false);
    expect(pick()).toBeUndefined();
    expect(pick('--copies', '--no-copies')).toBe('usage');
  });

  it('splits --group-by on commas, accepts 学段/乡镇, defaults to stage and township', () => {
    const a = parseCommandLine(['consolidate', 'x', '--out', 'o.xlsx', '--group-by', '乡镇,学段']);
    expect(a.kind === 'run' && a.request.command === 'consolidate' && a.request.groupBy).toEqual(['township', 'stage']);
    const b = parseCommandLine(['consolidate', 'x', '--out', 'o.xlsx']);
    expect(b.kind === 'run' && b.request.command === 'consolidate' && b.request.groupBy).toEqual(['stage', 'township']);
  });

  it('accepts global options before the command', () => {
    const p = parseCommandLine(['--lang', 'en-US', 'demo', '--out', 'd']);
    expect(p).toMatchObject({ kind: 'run', request: { command: 'demo', lang: 'en-US', out: 'd', seed: 2026 } });
  });

  it('refuses what it does not understand, as values', () => {
    expect(parseCommandLine(['frobnicate'])).toMatchObject({ kind: 'usage', problem: { code: 'unknown_command', name: 'frobnicate' } });
    expect(parseCommandLine(['validate', '--nope', 'x'])).toMatchObject({ kind: 'usage', problem: { code: 'unknown_option', option: '--nope' } });
    expect(parseCommandLine(['validate'])).toMatchObject({ kind: 'usage', problem: { code: 'no_inputs' } });
    expect(parseCommandLine(['consolidate', 'a.xlsx'])).toMatchObject({ kind: 'usage', problem: { code: 'missing_option', option: '--out' } });
    expect(parseCommandLine(['consolidate', 'a.xlsx', '--out'])).toMatchObject({ kind: 'usage', problem: { code: 'missing_value', option: '--out' } });
    expect(parseCommandLine(['template', '--out', 'x.xlsx', 'extra'])).toMatchObject({ kind: 'usage', problem: { code: 'unexpected_argument', value: 'extra' } });
    expect(parseCommandLine(['validate', 'a', '--lang', 'fr'])).toMatchObject({ kind: 'usage', problem: { code: 'bad_value', option: '--lang' } });
    expect(parseCommandLine(['consolidate', 'a', '--out', 'o.xlsx', '--group-by', 'county'])).toMatchObject({ kind: 'usage', problem: { code: 'bad_value', option: '--group-by', value: 'county' } });
    expect(parseCommandLine(['demo', '--seed', 'abc'])).toMatchObject({ kind: 'usage', problem: { code: 'bad_value', option: '--seed' } });
  });

  it('finds --lang anywhere so usage messages come in the asked language', () => {
    expect(sniffLang(['validate', '--lang', 'en'])).toBe('en-US');
    expect(sniffLang(['validate', '--lang=zh-CN'])).toBe('zh-CN');
    expect(sniffLang(['validate'])).toBe('zh-CN');
  });
});

describe('help and usage texts', () => {
  it('exist for every command in both languages and name the exit codes', () => {
    for (const lang of ['zh-CN', 'en-US'] as const) {
      for (const cmd of [undefined, 'demo', 'template', 'validate', 'consolidate'] as const) {
        const text = helpText(lang, cmd);
        expect(text.length).toBeGreaterThan(100);
        if (cmd) expect(text).toContain(`huizong ${cmd}`);
      }
      expect(helpText(lang)).toMatch(/0.*1.*2/s);
    }
    expect(helpText('zh-CN', 'consolidate')).toContain('--formulas');
    expect(helpText('en-US', 'validate')).toContain('--previous');
  });

  it('word a usage problem with a pointer to help', () => {
    expect(usageMessage({ code: 'missing_option', option: '--out' }, 'zh-CN', 'consolidate')).toBe('huizong: 缺少必填选项 --out。\n运行 huizong consolidate --help 查看用法。');
    expect(usageMessage({ code: 'unknown_command', name: 'x' }, 'en-US')).toBe('huizong: Unknown command "x".\nRun huizong --help for usage.');
  });
});
