import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { Vars } from '../model/types';
import { UsageError, type ParsedArgs } from './args';

/** The launch variables of `--extra-vars` (JSON, YAML or @FILE) and `-e key=value` (which win). */
export function parseLaunchVars(args: ParsedArgs): Vars {
  let vars: Vars = {};
  if (args.extraVars !== undefined) {
    const text = args.extraVars.startsWith('@') ? readFile(args.extraVars.slice(1)) : args.extraVars;
    let parsed: unknown;
    try {
      parsed = parseYaml(text);
    } catch (error) {
      throw new UsageError(
        `--extra-vars is not valid JSON or YAML: ${(error as Error).message.split('\n')[0]}`,
      );
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new UsageError('--extra-vars must be a mapping of variable names to values');
    vars = parsed as Vars;
  }
  for (const pair of args.extraVar) {
    const match = /^([A-Za-z_]\w*)=(.*)$/s.exec(pair);
    if (!match) throw new UsageError(`-e ${pair}: expected key=value`);
    vars[match[1]] = match[2];
  }
  return vars;
}

function readFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--extra-vars @${path}: ${(error as Error).message}`);
  }
}
