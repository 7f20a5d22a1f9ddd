import { serve } from '@hono/node-server';
import { resolve } from 'node:path';
import { createApi } from '../../api/app';
import { createApiServices } from '../../api/services';
import { UserError } from '../../errors';
import { instanceCapacity } from '../../execution/capacity';
import { createLocalExecution } from '../../local/engine-runner';
import { openLocalSession } from '../../local/local-session';
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
  capacityOf(args); // checked before anything opens
  const session = await openLocalSession(args.data ?? '.towerless');
  const secrets = session.secrets.provider(session.data.secrets);
  const execution = createLocalExecution({
    store: session.store,
    secrets,
    data: session.data,
    capacity: capacityOf(args),
    onEvent: (event) => session.eventLog.write(event),
  });
  const services = await createApiServices(
    session.table,
    { writer: session.secrets.writer, reader: secrets },
    {
      jobs: session.store,
      events: session.eventLog,
      execution,
      projectsRoot: resolve(args.projectsRoot ?? '.'),
    },
  );
  const { token } = await services.accounts.bootstrap(process.env.TOWERLESS_ADMIN_TOKEN);
  if (token) io.err(`admin token (shown once; keep it): ${token}`);
  const app = createApi(services, {
    onError: (error) => io.err(`internal error: ${(error as Error).stack ?? String(error)}`),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const listening = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(listening));
    listening.once('error', reject);
  }).catch(async (error: NodeJS.ErrnoException) => {
    await session.close();
    const reasons: Record<string, string> = {
      EADDRINUSE: 'is in use by another program',
      EACCES: 'needs privileges (choose a port above 1023)',
      EADDRNOTAVAIL: 'names an address this machine does not have',
    };
    const reason = (error.code && reasons[error.code]) ?? error.message;
    throw new UserError(`cannot listen on ${host}:${port}: the address ${reason}`);
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  io.out(
    `towerless serve: http://${host.includes(':') ? `[${host}]` : host}:${bound}/api/v2/ (data: ${session.data.root})`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  // Running playbooks are canceled cleanly and their jobs end `canceled` before the store closes.
  await execution.drain();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await session.close();
  return 0;
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
