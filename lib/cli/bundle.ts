import { UserError } from '../errors';
import { ansiblePlaybookPath } from '../reader/ansible-command';
import { readThroughAnsible } from '../reader/ansible-reader';
import { renderThroughAnsible } from '../reader/variables-renderer';
import { formatDiagnostic, loadBundle, type Bundle, type LoadResult } from '../model';
import type { ReadingBase } from '../model/reading-base';
import type { ParsedArgs } from './args';
import type { Io } from './output';

/** A user error already explained on stderr: exit 1 without more output. */
export class ReportedError extends UserError {}

/** The PATH argument (the parser has checked that there is one). */
export function bundlePath(args: ParsedArgs): string {
  return args.positionals[0];
}

/**
 * Loads and checks the bundle at PATH, without printing anything. What only Ansible can read
 * (Jinja, loops, conditions, includes, roles) is read through ansible-playbook when it is
 * installed (docs/reading.md, docs/formats.md): the static readers' marks say how, tasks applied
 * to a throwaway API (which renders the variables beside them too) or variables rendered; without
 * it, the static reader's errors say why.
 */
export async function loadBundleAt(args: ParsedArgs, base: ReadingBase): Promise<LoadResult> {
  const path = bundlePath(args);
  const loaded = loadBundle(path, { strict: args.strict, inventory: args.inventory, base });
  const readings = new Set(loaded.diagnostics.all.map((diagnostic) => diagnostic.needsAnsible));
  if (!(readings.has('apply') || readings.has('render')) || ansiblePlaybookPath() === undefined)
    return loaded;
  const options = { strict: args.strict, extraVars: args.readVar, inventory: args.inventory, base };
  return readings.has('apply')
    ? readThroughAnsible(path, { ...options, render: readings.has('render') })
    : renderThroughAnsible(path, options);
}

/** Loads and validates; prints every diagnostic; stops on errors. */
export async function loadValidBundle(
  args: ParsedArgs,
  base: ReadingBase,
  io: Io,
  options: { quietWarnings?: boolean } = {},
): Promise<{ bundle: Bundle; result: LoadResult }> {
  const result = await loadBundleAt(args, base);
  for (const diagnostic of result.diagnostics.all) {
    if (options.quietWarnings && diagnostic.severity !== 'error') continue;
    io.err(formatDiagnostic(diagnostic));
  }
  if (result.diagnostics.hasErrors) {
    const summary = `${result.diagnostics.errors.length} error(s): nothing was compiled, run or applied`;
    io.err(summary);
    throw new ReportedError(summary);
  }
  return { bundle: result.bundle, result };
}
