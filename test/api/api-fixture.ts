import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApi } from '../../lib/api/app';
import type { ApiServices } from '../../lib/api/context';
import { createApiServices } from '../../lib/api/services';
import { createLocalExecution } from '../../lib/local/engine-runner';
import { openLocalSession, type LocalSession } from '../../lib/local/local-session';

/** An API on a fresh data folder (store, secrets twin) with an admin token, called in-process. */
export interface ApiFixture {
  readonly session: LocalSession;
  readonly services: ApiServices;
  readonly api: ReturnType<typeof createApi>;
  readonly admin: string;
  call(method: string, path: string, body?: unknown, token?: string): Promise<Response>;
  /** The JSON of a call that must answer `status`. */
  json<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    status?: number,
  ): Promise<T>;
  close(): Promise<void>;
}

export async function openApiFixture(
  options: { projectsRoot?: string; slackApiUrl?: string } = {},
): Promise<ApiFixture> {
  const session = await openLocalSession(join(mkdtempSync(join(tmpdir(), 'towerless-api-')), 'data'));
  const secrets = session.secrets.provider(session.data.secrets);
  const execution = createLocalExecution({
    store: session.store,
    secrets,
    data: session.data,
    onEvent: (event) => session.eventLog.write(event),
  });
  const services = await createApiServices(
    session.table,
    { writer: session.secrets.writer, reader: secrets },
    {
      jobs: session.store,
      events: session.eventLog,
      execution,
      projectsRoot: options.projectsRoot ?? session.data.root,
      changes: session.changes,
    },
    // Where `api.request` addresses the app.
    { publicUrl: () => 'http://localhost', slackApiUrl: options.slackApiUrl },
  );
  const admin = (await services.accounts.bootstrap(undefined)).token!;
  const api = createApi(services);
  const call = (method: string, path: string, body?: unknown, token = admin) =>
    Promise.resolve(
      api.request(path, {
        method,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      }),
    );
  return {
    session,
    services,
    api,
    admin,
    call,
    async json(method, path, body, status = method === 'POST' ? 201 : 200) {
      const response = await call(method, path, body);
      const text = await response.text();
      if (response.status !== status)
        throw new Error(`${method} ${path}: expected ${status}, got ${response.status}: ${text}`);
      return (text ? JSON.parse(text) : {}) as never;
    },
    close: async () => {
      await execution.drain();
      await services.notifications.close();
      await session.close();
    },
  };
}
