// What every subcommand shares: its shape, option parsing, number checks, --help.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AppError } from '../../src-shared/errors';
import { type CliIO, EXIT, UsageError } from './cli-io';

export interface Command {
  summary: string;
  usage: string;
  run(args: string[], io: CliIO): Promise<number>;
}

type OptionSpec = NonNullable<ParseArgsConfig['options']>;
type ParsedValues = Record<string, string | boolean | string[] | undefined>;

/** "-5", "-0.5", "-.5", "-1e3": a negative number given as an option's value. */
const NEGATIVE_NUMBER = /^-(?:\d|\.\d)/;

/**
 * node's parseArgs reads "--pixel-size-nm -5" as two options and says the
 * argument is "ambiguous". A negative number after an option that takes a value
 * is that option's value: joined as "--pixel-size-nm=-5", so the option's own
 * check says what is wrong with it ("must be a positive number of nm").
 */
function joinNegativeValues(args: string[], options: OptionSpec): string[] {
  const takesValue = (arg: string): string | undefined => {
    if (arg.startsWith('--') && !arg.includes('=')) {
      const name = arg.slice(2);
      return options[name]?.type === 'string' ? `--${name}` : undefined;
    }
    if (/^-[A-Za-z]$/.test(arg)) {
      const long = Object.entries(options).find(([, o]) => o.short === arg[1] && o.type === 'string');
      return long ? `--${long[0]}` : undefined;
    }
    return undefined;
  };
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--') return out.concat(args.slice(i));
    const flag = takesValue(args[i]);
    if (flag && i + 1 < args.length && NEGATIVE_NUMBER.test(args[i + 1])) {
      out.push(`${flag}=${args[i + 1]}`);
      i++;
    } else {
      out.push(args[i]);
    }
  }
  return out;
}

export function parse(args: string[], options: OptionSpec, usage: string): { values: ParsedValues; positionals: string[] } {
  try {
    const r = parseArgs({ args: joinNegativeValues(args, options), options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { values: r.values as ParsedValues, positionals: r.positionals };
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\nUsage: ${usage}`);
  }
}

export function one(positionals: string[], what: string, usage: string): string {
  if (positionals.length !== 1) throw new UsageError(`expected one ${what}, got ${positionals.length}.\nUsage: ${usage}`);
  return positionals[0];
}

/** The unit a flag's name ends in ("--pixel-size-nm" -> "nm"), for messages. */
const FLAG_UNITS: [RegExp, string][] = [[/-nm$/, 'nm'], [/-kv$/, 'kV'], [/-deg$/, 'degrees'], [/-px$/, 'px']];

export function num(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(v) || v <= 0) {
    const unit = FLAG_UNITS.find(([re]) => re.test(flag))?.[1];
    const example = unit === 'kV' ? '2' : unit === 'degrees' ? '38' : '2.5';
    throw new AppError(
      'invalid_input',
      `${flag} must be a positive number${unit ? ` of ${unit}` : ''}, got "${value}": give it as a plain number with a decimal point, e.g. ${flag} ${example}.`,
    );
  }
  return v;
}

export function help(cmd: Command, io: CliIO): number {
  io.out(`${cmd.summary}\n\nUsage: ${cmd.usage}`);
  return EXIT.ok;
}
