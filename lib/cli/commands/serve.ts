import { resolve } from 'node:path';
import { instanceCapacity } from '../../execution/capacity';
import { startLocalApiServer } from '../../local/local-api-server';
import { UsageError, type ParsedArgs } from '../args';
import type { Io } from '../output';

/** AWX's web port, so clients configured for a local AWX find Towerless where they look. */
const DEFAULT_PORT = 8052;

/**
 * `towerless serve`: the REST API on this machine, backed by the data folder's store. Runs until
 * SIGINT or SIGTERM, then closes the listener and the store.
 */
export async function serveCommand(args: ParsedArgs, io: Io): Promise<number> {
  const port = args.port === undefined ? DEFAULT_PORT : Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port ${args.port}: expected a port number (0 to 65535)`);
  const host = args.host ?? '127.0.0.1';
  const capacity = capacityOf(args); // checked before anything opens
  const server = await startLocalApiServer({
    data: args.data ?? '.towerless',
    host,
    port,
    projectsRoot: resolve(args.projectsRoot ?? '.'),
    capacity,
    adminToken: process.env.TOWERLESS_ADMIN_TOKEN,
    publicUrl: publicUrlOf(args),
    slackApiUrl: process.env.TOWERLESS_SLACK_API_URL || undefined,
    onError: (error) => io.err(`internal error: ${(error as Error).stack ?? String(error)}`),
  });
  if (server.madeToken) io.err(`admin token (shown once; keep it): ${server.madeToken}`);
  io.out(`towerless serve: ${server.url}/api/v2/ (data: ${server.dataRoot})`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}

/** `--public-url` or TOWERLESS_PUBLIC_URL: an http(s) URL, or nothing (the listening address). */
function publicUrlOf(args: ParsedArgs): string | undefined {
  const given = args.publicUrl ?? process.env.TOWERLESS_PUBLIC_URL;
  if (given === undefined || given === '') return undefined;
  const from = args.publicUrl === undefined ? 'TOWERLESS_PUBLIC_URL' : '--public-url';
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new UsageError(`${from} '${given}': expected a URL such as https://towerless.example.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`${from} '${given}': expected an http or https URL`);
  return given.replace(/\/+$/, '');
}

/** `--capacity N` forks, or the machine's with `--capacity-adjustment X` (docs/semantics.md §13.10). */
function capacityOf(args: ParsedArgs): number {
  if (args.capacity !== undefined) {
    const forks = Number(args.capacity);
    if (!Number.isInteger(forks) || forks < 1)
      throw new UsageError(`--capacity ${args.capacity}: expected a whole number of forks, 1 or more`);
    return forks;
  }
  const adjustment = Number(args.capacityAdjustment ?? 0);
  if (!(adjustment >= 0 && adjustment <= 1))
    throw new UsageError(`--capacity-adjustment ${args.capacityAdjustment}: expected a number from 0 to 1`);
  return instanceCapacity(undefined, adjustment);
}
