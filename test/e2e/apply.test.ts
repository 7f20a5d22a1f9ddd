import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundle } from '../../lib/model';
import {
  freePort,
  startServe,
  towerless,
  withoutAwxDefaults,
  withoutOrigins,
  type ServeProcess,
} from '../client/servers';
import { tempBundle } from '../support/files';

let server: ServeProcess;
let flags: string[];

beforeAll(async () => {
  server = await startServe();
  flags = ['--url', server.url, '--token', server.token];
});
afterAll(() => server.stop());

describe('towerless apply and export, against towerless serve over HTTP', () => {
  it('applies the guide; a second apply (server from the environment) changes nothing', async () => {
    const first = await towerless(['apply', 'examples/guide', ...flags]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^created {3}credential 'SSH Key'$/m);
    expect(first.stdout).toMatch(/^created {3}workflow job template 'Full Deployment Pipeline'$/m);
    expect(first.stdout).toMatch(/^created {3}schedule 'Daily Backup'$/m);
    expect(first.stdout).toMatch(/^31 created, 0 changed, 0 unchanged$/m);

    const second = await towerless(['apply', 'examples/guide'], {
      TOWERLESS_HOST: server.url,
      TOWERLESS_TOKEN: server.token,
    });
    expect(second.code).toBe(0);
    expect(second.stdout.split('\n').filter((line) => /^(created|changed)/.test(line))).toEqual([]);
    expect(second.stdout).toMatch(/^unchanged workflow job template 'Multi-Region Deployment'$/m);
    expect(second.stdout).toMatch(/^nothing to change: all 31 resources are as the bundle defines them$/m);
  });

  it('exports definitions that load as the bundle that was applied', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'towerless-export-')), 'exported.yml');
    const exported = await towerless(['export', '--out', out], {
      CONTROLLER_HOST: server.url,
      CONTROLLER_OAUTH_TOKEN: server.token,
    });
    expect(exported.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(
      /^# Exported from http:\/\/127\.0\.0\.1:\d+ by towerless export\n/,
    );
    const loaded = loadBundle(out);
    expect(loaded.diagnostics.hasErrors).toBe(false);
    expect(exported.stderr).toBe('');
    // With the server's own default objects, which every export of it writes.
    expect(withoutAwxDefaults(withoutOrigins(loaded.bundle))).toEqual(
      withoutOrigins(loadBundle('examples/guide').bundle),
    );
  });

  it('refuses a bundle with errors before asking the server anything', async () => {
    const before = await towerless(['export', ...flags]);
    const bundle = tempBundle({
      'bad.yml':
        'projects:\n  - name: Changed\n    local_path: x\njob_templates:\n  - name: Deploy Application\n    project: Changed\n    playbook: x.yml\n    forks: many\n',
    });
    const applied = await towerless(['apply', bundle, ...flags]);
    expect(applied.code).toBe(1);
    expect(applied.stdout).toBe('');
    expect(applied.stderr).toMatch(/bad\.yml:8: error: job template 'Deploy Application', field 'forks'/);
    expect(applied.stderr).toMatch(/1 error\(s\): nothing was compiled, run or applied/);
    expect((await towerless(['export', ...flags])).stdout).toBe(before.stdout);
  });

  it('names what is wrong with the server, the token or the settings; exit 1', async () => {
    const wrongToken = await towerless(['apply', 'examples/guide', '--url', server.url, '--token', 'nope']);
    expect(wrongToken).toMatchObject({ code: 1, stdout: '' });
    expect(wrongToken.stderr).toBe(
      `towerless apply: ${server.url} refused the token (Invalid token.): give a valid --token or TOWERLESS_TOKEN\n`,
    );
    const port = await freePort();
    const nobody = await towerless(['export', '--url', `http://127.0.0.1:${port}`, '--token', 't']);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toMatch(`cannot reach http://127.0.0.1:${port}: connection refused`);
    const none = await towerless(['status', '3']);
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(
      'towerless status: no server given: use --url URL or set TOWERLESS_HOST, CONTROLLER_HOST, TOWER_HOST\n',
    );
    const noToken = await towerless(['export'], { TOWER_HOST: server.url });
    expect(noToken.stderr).toMatch(
      `no token given for ${server.url}: use --token TOKEN or set TOWER_OAUTH_TOKEN`,
    );
    const notUrl = await towerless(['export', '--url', 'http://exa mple', '--token', 't']);
    expect(notUrl.stderr).toMatch(`--url 'http://exa mple' is not a URL`);
    const badId = await towerless(['status', 'seven', ...flags]);
    expect(badId.code).toBe(2);
  });
});
