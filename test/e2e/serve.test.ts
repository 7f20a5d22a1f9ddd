import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, startServe, stop } from '../support/serve-process';

describe('towerless serve', () => {
  it('serves the API over HTTP on loopback; the admin token is shown once; a restart keeps everything', async () => {
    const data = join(mkdtempSync(join(tmpdir(), 'towerless-serve-')), 'data');
    const first = await startServe(data);
    const token = /admin token \(shown once; keep it\): (\S+)/.exec(first.stderr())?.[1];
    expect(token).toBeDefined();
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    expect((await fetch(`${first.url}/api/v2/ping/`)).status).toBe(200);
    expect((await fetch(`${first.url}/api/v2/me/`)).status).toBe(401);
    const created = await fetch(`${first.url}/api/v2/organizations/`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'Kept' }),
    });
    expect(created.status).toBe(201);
    expect(await stop(first)).toBe(0);

    const second = await startServe(data, { env: { TOWERLESS_ADMIN_TOKEN: 'given-admin-token-0123456789' } });
    expect(second.stderr()).not.toContain('admin token');
    const kept = await fetch(`${second.url}/api/v2/organizations/?name=Kept`, { headers });
    expect(((await kept.json()) as { count: number }).count).toBe(1);
    const given = await fetch(`${second.url}/api/v2/me/`, {
      headers: { Authorization: 'Bearer given-admin-token-0123456789' },
    });
    expect(((await given.json()) as { results: { username: string }[] }).results[0].username).toBe('admin');
    // A second server on the same port is refused clearly (and leaves the data folder usable).
    const port = new URL(second.url).port;
    const other = join(mkdtempSync(join(tmpdir(), 'towerless-serve-')), 'data');
    const clash = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(cli, ['serve', '--port', port, '--data', other], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('exit', (code) => resolve({ code, stderr }));
    });
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain(
      `cannot listen on 127.0.0.1:${port}: the address is in use by another program`,
    );
    expect(await stop(second)).toBe(0);
  }, 60_000);
});
