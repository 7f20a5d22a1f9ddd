import { serve } from '@hono/node-server';
import { createApi } from '../api/app';
import type { ApiServices } from '../api/context';
import { createApiServices } from '../api/services';
import { UserError } from '../errors';
import { ScheduleFiring } from '../schedules/schedule-firing';
import type { LocalExecution } from '../execution/local-execution';
import { createLocalExecution } from './engine-runner';
import { openLocalSession } from './local-session';

/**
 * The AWX-compatible API on this machine over a data folder's store, running launched jobs on the
 * embedded engine: what `towerless serve` runs, and the throwaway server Ansible applies a
 * playbook to when Towerless reads it (lib/reader).
 */
export interface LocalApiServerOptions {
  readonly data: string;
  readonly host: string;
  /** 0: any free port. */
  readonly port: number;
  /** The folder manual projects' `local_path` is in (AWX's PROJECTS_ROOT). */
  readonly projectsRoot: string;
  /** Forks that may run at once (lib/execution/capacity.ts). */
  readonly capacity?: number;
  /** The admin's token: kept if given, else made at the first start and answered once. */
  readonly adminToken?: string;
  /** The address people reach the server at, for links (default: the address it listens on). */
  readonly publicUrl?: string;
  /** Slack's Web API for notifications (default https://slack.com/api). */
  readonly slackApiUrl?: string;
  readonly onError?: (error: unknown) => void;
}

export interface LocalApiServer {
  /** `http://host:port`, the port bound. */
  readonly url: string;
  readonly services: ApiServices;
  readonly execution: LocalExecution;
  /** The admin token made at the first start (shown once); undefined otherwise. */
  readonly madeToken?: string;
  readonly dataRoot: string;
  /** Cancels running jobs cleanly, stops listening, closes the store. */
  close(): Promise<void>;
}

export async function startLocalApiServer(options: LocalApiServerOptions): Promise<LocalApiServer> {
  const session = await openLocalSession(options.data);
  const secrets = session.secrets.provider(session.data.secrets);
  const execution = createLocalExecution({
    store: session.store,
    secrets,
    data: session.data,
    capacity: options.capacity,
    onEvent: (event) => session.eventLog.write(event),
  });
  // Known once the port is bound, which comes after the services the app needs.
  let listening = '';
  const services = await createApiServices(
    session.table,
    { writer: session.secrets.writer, reader: secrets },
    {
      jobs: session.store,
      events: session.eventLog,
      execution,
      projectsRoot: options.projectsRoot,
      changes: session.changes,
    },
    {
      publicUrl: () => options.publicUrl ?? listening,
      slackApiUrl: options.slackApiUrl,
      onError: options.onError,
    },
  );
  const { token } = await services.accounts.bootstrap(options.adminToken);
  const app = createApi(services, { onError: options.onError });
  const { host, port } = options;
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
  // Each schedule launches its template at its occurrences while the server runs (docs/schedules.md).
  const firing = new ScheduleFiring({ ...services, secrets }, (line) =>
    process.stderr.write(`towerless: ${line}\n`),
  );
  await firing.start();
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  listening = `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
  return {
    url: listening,
    services,
    execution,
    madeToken: token,
    dataRoot: session.data.root,
    async close() {
      firing.stop();
      // Running playbooks are canceled cleanly and their jobs end `canceled` before the store closes.
      await execution.drain();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // Notifications under way (retries included) end and are recorded before the store closes.
      await services.notifications.close();
      await session.close();
    },
  };
}
