import { parseArgs } from 'node:util';

/** A mistake in how the command was called: printed with the usage, exit code 2. */
export class UsageError extends Error {}

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly workflow?: string;
  readonly out?: string;
  readonly outcome: readonly string[];
  readonly json: boolean;
  readonly strict: boolean;
  readonly help: boolean;
}

export function parseCommandLine(argv: readonly string[]): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        workflow: { type: 'string', short: 'w' },
        out: { type: 'string', short: 'o' },
        outcome: { type: 'string', multiple: true },
        json: { type: 'boolean' },
        strict: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    return {
      positionals,
      workflow: values.workflow,
      out: values.out,
      outcome: values.outcome ?? [],
      json: values.json ?? false,
      strict: values.strict ?? false,
      help: values.help ?? false,
    };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
