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

export function parse(args: string[], options: OptionSpec, usage: string): { values: ParsedValues; positionals: string[] } {
  try {
    const r = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { values: r.values as ParsedValues, positionals: r.positionals };
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\nUsage: ${usage}`);
  }
}

export function one(positionals: string[], what: string, usage: string): string {
  if (positionals.length !== 1) throw new UsageError(`expected one ${what}, got ${positionals.length}.\nUsage: ${usage}`);
  return positionals[0];
}

export function num(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const v = Number(value);
  if (!Number.isFinite(v) || v <= 0) throw new AppError('invalid_input', `${flag} must be a positive number, got "${value}".`);
  return v;
}

export function help(cmd: Command, io: CliIO): number {
  io.out(`${cmd.summary}\n\nUsage: ${cmd.usage}`);
  return EXIT.ok;
}
