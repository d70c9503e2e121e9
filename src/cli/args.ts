/**
 * Command-line parsing for `huizong`: one option table per command over node:util's parseArgs,
 * turned into plain, typed requests. Usage problems are returned as values for the caller to print.
 */
import { parseArgs } from 'node:util';
import type { Lang } from '../core/types';

/** The commands `huizong` knows. */
export const COMMANDS = ['demo', 'template', 'self-check', 'validate', 'consolidate', 'return'] as const;

/** One of the commands. */
export type CommandName = (typeof COMMANDS)[number];

/** Exit codes: 0 clean (warnings allowed), 1 validation errors found, 2 usage or I/O problems. */
export const EXIT = { ok: 0, errors: 1, usage: 2 } as const;

/** Options shared by every command. */
interface Common {
  readonly lang: Lang;
  readonly json: boolean;
  /** Show a progress bar (only honoured when stderr is a terminal). */
  readonly progress: boolean;
}

/** `huizong demo`. */
export interface DemoRequest extends Common {
  readonly command: 'demo';
  readonly out: string;
  readonly seed: number;
  readonly formulas: boolean;
}

/** `huizong template`. */
export interface TemplateRequest extends Common {
  readonly command: 'template';
  readonly definitions?: string;
  readonly roster?: string;
  readonly school?: string;
  readonly out: string;
}

/** `huizong self-check`: the self-check page for the schools, with the definitions (and roster) inside. */
export interface SelfCheckRequest extends Common {
  readonly command: 'self-check';
  readonly definitions?: string;
  readonly roster?: string;
  readonly out: string;
}

/** What every command over school files takes: the files, what to check them against, and which file stands for a school that sent several. */
interface SchoolInputs {
  readonly inputs: readonly string[];
  readonly definitions?: string;
  readonly roster?: string;
  readonly previous?: string;
  /** Files that stand for their school when it sent more than one (`--keep`). */
  readonly keep?: readonly string[];
}

/** `huizong validate`. */
export interface ValidateRequest extends Common, SchoolInputs {
  readonly command: 'validate';
}

/** `huizong consolidate`. */
export interface ConsolidateRequest extends Common, SchoolInputs {
  readonly command: 'consolidate';
  readonly out: string;
  readonly formulas: boolean;
  readonly includeErrors: boolean;
  readonly groupBy: readonly ('stage' | 'township')[];
  /** Copy the school sheets into the output: `--copies` / `--no-copies`; by default up to a district's size. */
  readonly copies?: boolean;
}

/** `huizong return`: a return package for every school sheet with problems, written into a new folder. */
export interface ReturnRequest extends Common, SchoolInputs {
  readonly command: 'return';
  /** The folder to create. */
  readonly out: string;
}

/** Any parsed command. */
export type Request = DemoRequest | TemplateRequest | SelfCheckRequest | ValidateRequest | ConsolidateRequest | ReturnRequest;

/** What parsing gives: a request, a help or version request, or a usage problem. */
export type Parsed =
  | { readonly kind: 'run'; readonly request: Request }
  | { readonly kind: 'help'; readonly command?: CommandName; readonly lang: Lang }
  | { readonly kind: 'version' }
  | { readonly kind: 'usage'; readonly command?: CommandName; readonly lang: Lang; readonly problem: UsageProblem };

/** Why a command line was refused; worded at the edge by `usageMessage`. */
export type UsageProblem =
  | { readonly code: 'no_command' }
  | { readonly code: 'unknown_command'; readonly name: string }
  | { readonly code: 'unknown_option'; readonly option: string }
  | { readonly code: 'missing_value'; readonly option: string }
  | { readonly code: 'bad_value'; readonly option: string; readonly value: string }
  | { readonly code: 'missing_option'; readonly option: string }
  | { readonly code: 'no_inputs' }
  | { readonly code: 'unexpected_argument'; readonly value: string };

type OptionSpec = { type: 'string' | 'boolean'; short?: string; multiple?: boolean };

const COMMON_OPTIONS: Record<string, OptionSpec> = {
  lang: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  'no-progress': { type: 'boolean' },
};

const OPTIONS: Record<CommandName, Record<string, OptionSpec>> = {
  demo: { out: { type: 'string', short: 'o' }, seed: { type: 'string' }, formulas: { type: 'boolean' } },
  template: {
    definitions: { type: 'string', short: 'd' },
    roster: { type: 'string', short: 'r' },
    school: { type: 'string', short: 's' },
    out: { type: 'string', short: 'o' },
  },
  'self-check': {
    definitions: { type: 'string', short: 'd' },
    roster: { type: 'string', short: 'r' },
    out: { type: 'string', short: 'o' },
  },
  validate: {
    definitions: { type: 'string', short: 'd' },
    roster: { type: 'string', short: 'r' },
    previous: { type: 'string', short: 'p' },
    keep: { type: 'string', multiple: true },
  },
  return: {
    definitions: { type: 'string', short: 'd' },
    roster: { type: 'string', short: 'r' },
    previous: { type: 'string', short: 'p' },
    out: { type: 'string', short: 'o' },
    keep: { type: 'string', multiple: true },
  },
  consolidate: {
    definitions: { type: 'string', short: 'd' },
    roster: { type: 'string', short: 'r' },
    previous: { type: 'string', short: 'p' },
    out: { type: 'string', short: 'o' },
    formulas: { type: 'boolean' },
    'include-errors': { type: 'boolean' },
    'group-by': { type: 'string', multiple: true },
    copies: { type: 'boolean' },
    'no-copies': { type: 'boolean' },
    keep: { type: 'string', multiple: true },
  },
};

/** The default output folder of `huizong demo` (ignored by git and lint). */
export const DEFAULT_DEMO_OUT = 'demo-output';

/** Reads `--lang` (or `--lang=`) anywhere on the line, so even a usage message is in the asked language. */
export function sniffLang(argv: readonly string[], fallback: Lang = 'zh-CN'): Lang {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = a === '--lang' ? argv[i + 1] : a.startsWith('--lang=') ? a.slice(7) : undefined;
    const lang = v === undefined ? undefined : normaliseLang(v);
    if (lang) return lang;
  }
  return fallback;
}

function normaliseLang(v: string): Lang | undefined {
  const s = v.trim().toLowerCase();
  if (s === 'zh-cn' || s === 'zh' || s === 'zh-hans' || s === 'cn') return 'zh-CN';
  if (s === 'en-us' || s === 'en' || s === 'en-gb') return 'en-US';
  return undefined;
}

function isCommand(s: string): s is CommandName {
  return (COMMANDS as readonly string[]).includes(s);
}

/** Parses `huizong <command> [options] [files…]` into a request, never throwing for bad input. */
export function parseCommandLine(argv: readonly string[], defaultLang: Lang = 'zh-CN'): Parsed {
  const lang = sniffLang(argv, defaultLang);
  const first = argv[0];
  if (first === undefined) return { kind: 'help', lang };
  if (first === '--help' || first === '-h' || first === 'help') {
    const second = argv[1];
    return { kind: 'help', lang, ...(second !== undefined && isCommand(second) ? { command: second } : {}) };
  }
  if (first === '--version' || first === '-v' || first === 'version') return { kind: 'version' };
  if (first.startsWith('-')) {
    // Global options before the command: allow `--lang en-US demo`.
    const idx = argv.findIndex((a, i) => isCommand(a) && !(i > 0 && argv[i - 1] === '--lang'));
    if (idx < 0) {
      if (argv.includes('--help') || argv.includes('-h')) return { kind: 'help', lang };
      return { kind: 'usage', lang, problem: { code: 'no_command' } };
    }
    return parseCommandLine([argv[idx]!, ...argv.slice(0, idx), ...argv.slice(idx + 1)], defaultLang);
  }
  if (!isCommand(first)) return { kind: 'usage', lang, problem: { code: 'unknown_command', name: first } };
  const command = first;
  const rest = argv.slice(1);
  let values: Record<string, string | boolean | string[] | undefined>;
  let positionals: string[];
  try {
    const parsed = parseArgs({
      args: [...rest],
      options: { ...COMMON_OPTIONS, ...OPTIONS[command] },
      allowPositionals: true,
      strict: true,
    });
    values = parsed.values as typeof values;
    positionals = parsed.positionals;
  } catch (e) {
    return { kind: 'usage', command, lang, problem: parseArgsProblem(e, rest) };
  }
  if (values.help) return { kind: 'help', command, lang };
  const fail = (problem: UsageProblem): Parsed => ({ kind: 'usage', command, lang, problem });

  if (values.lang !== undefined && !normaliseLang(String(values.lang))) {
    return fail({ code: 'bad_value', option: '--lang', value: String(values.lang) });
  }
  const common: Common = { lang, json: values.json === true, progress: values['no-progress'] !== true };
  const str = (k: string): string | undefined => {
    const v = values[k];
    return typeof v === 'string' && v.length > 0 ? v : undefined;
  };
  const opt = <K extends string>(k: K, v: string | undefined): { [P in K]?: string } =>
    (v === undefined ? {} : { [k]: v }) as { [P in K]?: string };
  const keepList = ((values.keep as string[] | undefined) ?? []).filter((k) => k !== '');
  const keep = keepList.length > 0 ? { keep: keepList } : {};

  switch (command) {
    case 'demo': {
      if (positionals.length > 0) return fail({ code: 'unexpected_argument', value: positionals[0]! });
      const seedText = str('seed');
      const seed = seedText === undefined ? 2026 : Number(seedText);
      if (!Number.isSafeInteger(seed)) return fail({ code: 'bad_value', option: '--seed', value: seedText ?? '' });
      return { kind: 'run', request: { ...common, command, out: str('out') ?? DEFAULT_DEMO_OUT, seed, formulas: values.formulas === true } };
    }
    case 'template': {
      if (positionals.length > 0) return fail({ code: 'unexpected_argument', value: positionals[0]! });
      const out = str('out');
      if (out === undefined) return fail({ code: 'missing_option', option: '--out' });
      return {
        kind: 'run',
        request: { ...common, command, out, ...opt('definitions', str('definitions')), ...opt('roster', str('roster')), ...opt('school', str('school')) },
      };
    }
    case 'self-check': {
      if (positionals.length > 0) return fail({ code: 'unexpected_argument', value: positionals[0]! });
      const out = str('out');
      if (out === undefined) return fail({ code: 'missing_option', option: '--out' });
      return { kind: 'run', request: { ...common, command, out, ...opt('definitions', str('definitions')), ...opt('roster', str('roster')) } };
    }
    case 'validate': {
      if (positionals.length === 0) return fail({ code: 'no_inputs' });
      return {
        kind: 'run',
        request: {
          ...common,
          command,
          inputs: positionals,
          ...keep,
          ...opt('definitions', str('definitions')),
          ...opt('roster', str('roster')),
          ...opt('previous', str('previous')),
        },
      };
    }
    case 'return': {
      if (positionals.length === 0) return fail({ code: 'no_inputs' });
      const out = str('out');
      if (out === undefined) return fail({ code: 'missing_option', option: '--out' });
      return {
        kind: 'run',
        request: { ...common, command, inputs: positionals, out, ...keep, ...opt('definitions', str('definitions')), ...opt('roster', str('roster')), ...opt('previous', str('previous')) },
      };
    }
    case 'consolidate': {
      if (positionals.length === 0) return fail({ code: 'no_inputs' });
      const out = str('out');
      if (out === undefined) return fail({ code: 'missing_option', option: '--out' });
      const groupBy: ('stage' | 'township')[] = [];
      const groupValues = (values['group-by'] as string[] | undefined) ?? [];
      for (const g of groupValues.flatMap((v) => v.split(/[,，]/)).map((v) => v.trim()).filter(Boolean)) {
        const key = g === '学段' ? 'stage' : g === '乡镇' || g === '街道' ? 'township' : g;
        if (key !== 'stage' && key !== 'township') return fail({ code: 'bad_value', option: '--group-by', value: g });
        if (!groupBy.includes(key)) groupBy.push(key);
      }
      if (values.copies === true && values['no-copies'] === true) return fail({ code: 'bad_value', option: '--copies', value: '--no-copies' });
      const copies = values.copies === true ? true : values['no-copies'] === true ? false : undefined;
      return {
        kind: 'run',
        request: {
          ...common,
          command,
          inputs: positionals,
          out,
          formulas: values.formulas === true,
          includeErrors: values['include-errors'] === true,
          groupBy: groupValues.length === 0 ? ['stage', 'township'] : groupBy,
          ...(copies !== undefined ? { copies } : {}),
          ...keep,
          ...opt('definitions', str('definitions')),
          ...opt('roster', str('roster')),
          ...opt('previous', str('previous')),
        },
      };
    }
  }
}

function parseArgsProblem(e: unknown, args: readonly string[]): UsageProblem {
  const err = e as { code?: string; message?: string };
  const message = err.message ?? '';
  const quoted = /'([^']+)'/.exec(message)?.[1];
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return { code: 'unknown_option', option: quoted ?? args.find((a) => a.startsWith('-')) ?? '' };
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const option = /(--[\w-]+)/.exec(message)?.[1] ?? quoted ?? '';
    return message.includes('argument missing') ? { code: 'missing_value', option } : { code: 'bad_value', option, value: '' };
  }
  if (err.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return { code: 'unexpected_argument', value: quoted ?? '' };
  return { code: 'unknown_option', option: message };
}
