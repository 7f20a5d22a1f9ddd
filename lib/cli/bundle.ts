import { UserError } from '../errors';
import type { AnsibleReading } from '../model/diagnostics';
import { ansiblePlaybookPath } from '../reader/ansible-command';
import { readThroughAnsible, type AnsibleReadOptions } from '../reader/ansible-reader';
import { renderThroughAnsible } from '../reader/variables-renderer';
import { formatDiagnostic, loadBundle, type Bundle, type LoadResult } from '../model';
import type { ParsedArgs } from './args';
import type { Io } from './output';

/** A user error already explained on stderr: exit 1 without more output. */
export class ReportedError extends UserError {}

/** The PATH argument (the parser has checked that there is one). */
export function bundlePath(args: ParsedArgs): string {
  return args.positionals[0];
}

/** How Ansible reads what only it can: tasks applied to a throwaway API, or variables rendered. */
const ANSIBLE_READERS: Record<
  AnsibleReading,
  (path: string, options: AnsibleReadOptions) => Promise<LoadResult>
> = {
  apply: readThroughAnsible,
  render: renderThroughAnsible,
};

/**
 * Loads and checks the bundle at PATH, without printing anything. A file only Ansible can read
 * (Jinja, loops, conditions, includes, roles) is read through ansible-playbook when it is
 * installed (docs/reading.md, docs/formats.md); without it, the static reader's errors say why.
 */
export async function loadBundleAt(args: ParsedArgs): Promise<LoadResult> {
  const path = bundlePath(args);
  const loaded = loadBundle(path, { strict: args.strict });
  const reading = loaded.diagnostics.ansibleReading;
  if (!reading || ansiblePlaybookPath() === undefined) return loaded;
  return ANSIBLE_READERS[reading](path, {
    strict: args.strict,
    extraVars: args.readVar,
    inventory: args.inventory,
  });
}

/** Loads and validates; prints every diagnostic; stops on errors. */
export async function loadValidBundle(
  args: ParsedArgs,
  io: Io,
  options: { quietWarnings?: boolean } = {},
): Promise<{ bundle: Bundle; result: LoadResult }> {
  const result = await loadBundleAt(args);
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
