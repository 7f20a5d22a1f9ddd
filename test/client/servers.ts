import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle } from '../../lib/model';
import { isAwxDefault } from '../../lib/model/awx-defaults';
import { AwxClient } from '../../lib/client/awx-client';
import type { ApiFixture } from '../api/api-fixture';
import { cli, startServe as serve, stop } from '../support/serve-process';

const root = join(__dirname, '../..');

/** A `towerless serve` on a free loopback port with a fresh data folder and a known admin token. */
export interface ServeProcess {
  readonly url: string;
  readonly token: string;
  stop(): Promise<void>;
}

export async function startServe(): Promise<ServeProcess> {
  const token = 'client-test-admin-token-0123456789';
  const server = await serve(join(mkdtempSync(join(tmpdir(), 'towerless-client-')), 'data'), {
    env: { TOWERLESS_ADMIN_TOKEN: token },
  });
  return { url: server.url, token, stop: async () => void (await stop(server)) };
}

/** Runs `./bin/towerless` as a user would; never throws. */
export function towerless(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  // Only the variables given name a server: none leaks in from the environment of the test run.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(TOWERLESS|CONTROLLER|TOWER)_/.test(name)),
  );
  return new Promise((resolve) => {
    execFile(cli, [...args], { cwd: root, env: { ...inherited, ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A port nothing listens on (taken from the system, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A client of the in-process API of a fixture (no HTTP). */
export function fixtureClient(fixture: ApiFixture): AwxClient {
  const inProcess = (url: string | URL | Request, init?: RequestInit) =>
    Promise.resolve(fixture.api.request(String(url), init));
  return new AwxClient({ url: 'http://in-process', token: fixture.admin }, inProcess as typeof fetch);
}

/** A Bundle without where each resource was read: what two loads of the same definitions share. */
export function withoutOrigins(bundle: Bundle): unknown {
  return JSON.parse(JSON.stringify(bundle, (key, value: unknown) => (key === 'origin' ? undefined : value)));
}

/** An export's list (native or AWX's) → the bundle kind whose AWX default objects it may hold. */
const DEFAULT_LISTS: Readonly<Record<string, string>> = {
  projects: 'projects',
  inventories: 'inventories',
  inventory: 'inventories',
  credentials: 'credentials',
  job_templates: 'job_templates',
};

/**
 * An export (native, or AWX's) without AWX's default objects, which every server has from its
 * start (lib/model/awx-defaults.ts) and every export of a server writes, as `awx export` does.
 */
export function withoutAwxDefaults<T>(exported: T): T {
  return Object.fromEntries(
    Object.entries(exported as Record<string, { name?: unknown }[]>).map(([list, objects]) => [
      list,
      DEFAULT_LISTS[list]
        ? objects.filter((object) => !isAwxDefault(DEFAULT_LISTS[list], String(object.name)))
        : objects,
    ]),
  ) as T;
}
