import { UserError } from '../errors';
import { formatDiagnostic, loadBundle, type Bundle, type LoadResult } from '../model';
import type { ParsedArgs } from './args';
import type { Io } from './output';

/** A user error already explained on stderr: exit 1 without more output. */
export class ReportedError extends UserError {}

/** The PATH argument (the parser has checked that there is one). */
export function bundlePath(args: ParsedArgs): string {
  return args.positionals[0];
}

/** Loads and checks the bundle at PATH, without printing anything. */
export function loadBundleAt(args: ParsedArgs): LoadResult {
  return loadBundle(bundlePath(args), { strict: args.strict });
}

/** Loads and validates; prints every diagnostic; stops on errors. */
export function loadValidBundle(
  args: ParsedArgs,
  io: Io,
  options: { quietWarnings?: boolean } = {},
): { bundle: Bundle; result: LoadResult } {
  const result = loadBundleAt(args);
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
