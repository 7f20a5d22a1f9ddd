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
  /** `-e key=value`, repeatable. */
  readonly extraVar: readonly string[];
  /** `--extra-vars` JSON or YAML text (or `@file`). */
  readonly extraVars?: string;
  readonly data?: string;
  readonly secrets?: string;
  readonly approve: boolean;
  readonly deny: boolean;
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
        'extra-var': { type: 'string', short: 'e', multiple: true },
        'extra-vars': { type: 'string' },
        data: { type: 'string' },
        secrets: { type: 'string' },
        approve: { type: 'boolean' },
        deny: { type: 'boolean' },
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
      extraVar: values['extra-var'] ?? [],
      extraVars: values['extra-vars'],
      data: values.data,
      secrets: values.secrets,
      approve: values.approve ?? false,
      deny: values.deny ?? false,
    };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
