import { UserError } from '../errors';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { didYouMean } from '../model/diagnostics';
import { COMMANDS, type CommandSpec } from './command-table';
import {
  camelCase,
  OPTIONS,
  optionSpec,
  optionSynopsis,
  type OptionName,
  type ParsedArgs,
  type SingleValueOption,
} from './options';

export type { ParsedArgs };

/** A mistake in how the command was called: printed with the command's usage, exit code 2. */
export class UsageError extends UserError {}

type OptionToken = Extract<NonNullable<ReturnType<typeof parseArgs>['tokens']>[number], { kind: 'option' }>;

/**
 * Parses a command's arguments, refusing what the command does not take: options of other
 * commands, unknown options, a single-valued option given twice, missing or extra positionals.
 * `--help` anywhere wins, so that a wrong command line can still ask for help.
 */
export function parseCommandLine(command: string, spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const taken: OptionName[] = [...spec.options, 'help'];
  const options = optionTokens(argv);
  if (options.some((token) => token.name === 'help')) return parsedArgs({ help: true }, []);
  for (const token of options) {
    if (!(taken as string[]).includes(token.name)) throw new UsageError(notTaken(command, token, taken));
  }
  const { values, positionals } = parse(argv, taken);
  for (const name of taken) {
    const count = options.filter((token) => token.name === name).length;
    if (count > 1 && !optionSpec(name).multiple)
      throw new UsageError(`${optionSynopsis(name)} may be given only once`);
  }
  const missing = spec.positionals[positionals.length];
  if (missing) throw new UsageError(`missing ${missing.name}`);
  if (positionals.length > spec.positionals.length) {
    const expected = spec.positionals.map((p) => p.name).join(' ') || 'no arguments';
    throw new UsageError(
      `unexpected argument '${positionals[spec.positionals.length]}': ${command} takes ${expected}`,
    );
  }
  const args = parsedArgs(values, positionals);
  for (const name of spec.required ?? []) requireOption(args, name);
  return args;
}

/** The value of an option the command requires (the parser refuses a command line without it). */
export function requireOption(args: ParsedArgs, name: SingleValueOption): string {
  const value = (args as unknown as Record<string, string | undefined>)[camelCase(name)];
  if (value === undefined) throw new UsageError(`missing ${optionSynopsis(name)}`);
  return value;
}

/**
 * The options given, known or not: a lenient first pass, so that an option of another command or
 * an unknown one gets its own message before the strict pass checks the values.
 */
function optionTokens(argv: readonly string[]): OptionToken[] {
  const { tokens } = parseArgs({
    args: [...argv],
    options: config(Object.keys(OPTIONS) as OptionName[]),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  return tokens.filter((token) => token.kind === 'option');
}

/** The strict pass: values of the right type (`--json=yes` and a `--workflow` without NAME fail). */
function parse(argv: readonly string[], names: readonly OptionName[]) {
  try {
    return parseArgs({ args: [...argv], options: config(names), strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function config(names: readonly OptionName[]): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(
    names.map((name) => {
      const { type, short, multiple = false } = optionSpec(name);
      return [name, short ? { type, short, multiple } : { type, multiple }];
    }),
  );
}

function notTaken(command: string, token: OptionToken, taken: OptionName[]): string {
  if (!Object.hasOwn(OPTIONS, token.name)) {
    // Only long names: any one-letter option is "close" to any other.
    const hint = didYouMean(
      token.rawName,
      taken.map((name) => `--${name}`),
    );
    return `unknown option '${token.rawName}'${hint}`;
  }
  const users = [...COMMANDS].filter(([, spec]) => spec.options.includes(token.name as OptionName));
  return `${token.rawName} is not an option of ${command} (only of ${users.map(([name]) => name).join(', ')})`;
}

function parsedArgs(
  values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>,
  positionals: readonly string[],
): ParsedArgs {
  const entries = (Object.keys(OPTIONS) as OptionName[]).map((name) => {
    const spec = optionSpec(name);
    const fallback = spec.multiple ? [] : spec.type === 'boolean' ? false : undefined;
    return [camelCase(name), values[name] ?? fallback];
  });
  return { positionals, ...Object.fromEntries(entries) } as ParsedArgs;
}
