import { AwxClient } from '../client/awx-client';
import { resolveConnection } from '../client/connection';
import { exportDocument } from '../client/export';
import { formatDiagnostic, type Bundle, type LoadResult } from '../model';
import { AWX_DEFAULTS_BASE, catalogBase, type ReadingBase } from '../model/reading-base';
import type { ParsedArgs } from './args';
import { loadBundleAt, loadValidBundle, ReportedError } from './bundle';
import type { Io } from './output';

/**
 * How the reading commands read a bundle with what its files name but do not define
 * (docs/reading.md "Objects the files do not define"): from AWX's default objects, or from the
 * definitions of the `--catalog` server, read once before the files.
 */
async function baseOf(args: ParsedArgs): Promise<ReadingBase> {
  if (args.catalog === undefined) return AWX_DEFAULTS_BASE;
  // The token comes from where every command that talks to a server takes it: --token, or the
  // variables of the family that names no server of its own here (lib/client/connection.ts).
  const connection = resolveConnection({ url: args.catalog, token: args.token });
  const { document } = await exportDocument(new AwxClient(connection));
  return catalogBase(connection.url, document);
}

/** The bundle at PATH read on its base, diagnostics in the result (validate --json). */
export async function readBundleAt(args: ParsedArgs): Promise<LoadResult> {
  return loadBundleAt(args, await baseOf(args));
}

/**
 * The bundle at PATH read on its base, every diagnostic printed, stopped on errors. `needs`:
 * `names` for the commands a name nothing defines does not stop (validate and graph show it; the
 * server that apply writes to looks names up itself), `objects` for those that need every object
 * itself (compile, simulate, run): there each such name is an error.
 */
export async function readValidBundle(
  args: ParsedArgs,
  io: Io,
  options: { readonly quietWarnings?: boolean; readonly needs: 'names' | 'objects' },
): Promise<{ bundle: Bundle; result: LoadResult }> {
  const read = await loadValidBundle(args, await baseOf(args), io, options);
  if (options.needs === 'objects') {
    const missing = read.result.diagnostics.all.filter((diagnostic) => diagnostic.unresolved);
    for (const diagnostic of missing) io.err(formatDiagnostic({ ...diagnostic, severity: 'error' }));
    if (missing.length > 0) {
      const summary = `${missing.length} error(s): what the files name must exist to compile or run it; nothing was compiled or run`;
      io.err(summary);
      throw new ReportedError(summary);
    }
  }
  return read;
}
