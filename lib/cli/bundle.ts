import { formatDiagnostic, loadBundle, type Bundle, type LoadResult } from '../model';
import { UsageError, type ParsedArgs } from './args';
import type { Io } from './output';

/** A user error already explained on stderr: exit 1 without more output. */
export class ReportedError extends Error {}

export function bundlePath(args: ParsedArgs): string {
  const path = args.positionals[0];
  if (!path) throw new UsageError('missing PATH (a bundle file or folder)');
  return path;
}

export function workflowName(args: ParsedArgs): string {
  if (!args.workflow) throw new UsageError('missing --workflow NAME');
  return args.workflow;
}

/** Loads and validates; prints every diagnostic; stops on errors. */
export function loadValidBundle(
  args: ParsedArgs,
  io: Io,
  options: { quietWarnings?: boolean } = {},
): { bundle: Bundle; result: LoadResult } {
  const result = loadBundle(bundlePath(args), { strict: args.strict });
  for (const diagnostic of result.diagnostics.all) {
    if (options.quietWarnings && diagnostic.severity !== 'error') continue;
    io.err(formatDiagnostic(diagnostic));
  }
  if (result.diagnostics.hasErrors) {
    io.err(`${result.diagnostics.errors.length} error(s): nothing was compiled or run`);
    throw new ReportedError();
  }
  return { bundle: result.bundle, result };
}
