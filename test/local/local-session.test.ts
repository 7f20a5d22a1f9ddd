import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  symlinkSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareDataFolder } from '../../lib/local/data-folder';
import { openLocalSession } from '../../lib/local/local-session';
import { DataDirInUse, openLocalStore } from '../../lib/local/local-store';
import { nodeJobRecord, workflowJobRecord } from '../support/job-records';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'towerless-datafolder-')), 'data');

describe('the data folder', () => {
  it('is private: the folder and its folders are 700, even when an earlier version made them 755', () => {
    const path = fresh();
    mkdirSync(join(path, 'logs'), { recursive: true, mode: 0o755 });
    chmodSync(path, 0o755);
    const folder = prepareDataFolder(path);
    for (const dir of [folder.root, folder.logs, folder.db, folder.scratch, folder.projects])
      expect(statSync(dir).mode & 0o777).toBe(0o700);
  });
  it('refuses a folder holding a link where one of its folders belongs', () => {
    const path = fresh();
    const victim = mkdtempSync(join(tmpdir(), 'towerless-victim-'));
    chmodSync(victim, 0o755);
    mkdirSync(path);
    symlinkSync(victim, join(path, 'scratch'));
    expect(() => prepareDataFolder(path)).toThrow(
      `holds a symbolic link where a folder belongs (${path}/scratch)`,
    );
    expect(statSync(victim).mode & 0o777).toBe(0o755);
  });
  it("refuses another user's folder", (context) => {
    if (process.getuid?.() !== 0) return context.skip('making a folder of another user needs root');
    const path = fresh();
    mkdirSync(path, { mode: 0o777 });
    chownSync(path, 65534, 65534);
    expect(() => prepareDataFolder(path)).toThrow('belongs to another user (uid 65534)');
  });
  it.each([
    ['/proc/x', 'the data folder /proc/x is in a system folder; give a folder of your own'],
    ['FILE', 'is a file, not a folder'],
  ])('refuses %s with a clear message', (given, message) => {
    const path = given === 'FILE' ? join(mkdtempSync(join(tmpdir(), 'towerless-')), 'file') : given;
    if (given === 'FILE') writeFileSync(path, '');
    expect(() => prepareDataFolder(path)).toThrow(message);
  });
});

describe('the local store', () => {
  it('is used by one process at a time, with a clear message for the second', async () => {
    const folder = prepareDataFolder(fresh());
    const first = await openLocalStore(folder);
    await expect(openLocalStore(folder)).rejects.toThrow(DataDirInUse);
    await expect(openLocalStore(folder)).rejects.toThrow(
      `the data folder ${folder.root} is in use by another towerless process`,
    );
    await first.close();
    await (await openLocalStore(folder)).close();
  });

  it('is usable at once on a fresh folder, every time', async () => {
    for (let i = 0; i < 12; i++) {
      const local = await openLocalStore(prepareDataFolder(fresh()));
      await local.store.createWorkflowJob(workflowJobRecord({ id: i + 1 }));
      await local.close();
    }
  });

  it('listens on no TCP port, only on a socket other users cannot reach', async () => {
    const folder = prepareDataFolder(fresh());
    const local = await openLocalStore(folder);
    try {
      const socket = join(folder.root, 'store.sock');
      expect(statSync(socket).isSocket()).toBe(true);
      expect(statSync(folder.root).mode & 0o777).toBe(0o700);
      expect(listeningTcpSockets()).toEqual([]);
      if (process.getuid?.() === 0) {
        // Another local user (nobody) is refused by the folder's mode.
        const attempt = execFileSync(
          'setpriv',
          ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', connectScript(socket)],
          { encoding: 'utf8' },
        );
        expect(attempt.trim()).toBe('EACCES');
      }
    } finally {
      await local.close();
    }
    expect(existsSync(join(folder.root, 'store.sock'))).toBe(false);
  });
});

describe('a local session', () => {
  it('ends the jobs a killed process left running as error, and removes its scratch files', async () => {
    const path = fresh();
    const folder = prepareDataFolder(path);
    const earlier = await openLocalStore(folder);
    const started = new Date().toISOString();
    await earlier.store.createWorkflowJob(workflowJobRecord({ id: 1, started }));
    await earlier.store.putNodeJob(
      nodeJobRecord({ workflowJob: 1, node: 'n', id: 2, status: 'running', started }),
    );
    await earlier.store.createWorkflowJob(workflowJobRecord({ id: 3, status: 'successful', started }));
    await earlier.close();
    mkdirSync(join(folder.scratch, 'job-abc', 'env'), { recursive: true });
    writeFileSync(join(folder.scratch, 'job-abc', 'env', 'passwords'), '{"^SSH password": "pw"}');

    const session = await openLocalSession(path);
    try {
      expect(readdirSync(folder.scratch)).toEqual([]);
      const job = await session.store.getWorkflowJob(1);
      expect(job).toMatchObject({ status: 'error' });
      expect(job?.job_explanation).toMatch(/ended before the job did/);
      expect(await session.store.getNodeJob(1, 'n')).toMatchObject({ status: 'error' });
      expect((await session.store.getWorkflowJob(3))?.status).toBe('successful');
      expect(await session.store.unfinishedWorkflowJobs()).toEqual([]);
    } finally {
      await session.close();
    }
  });
});

describe('a lost sealing key', () => {
  it('still lets the next start end the jobs it sealed values for', async () => {
    const path = fresh();
    const folder = prepareDataFolder(path);
    const earlier = await openLocalStore(folder);
    await earlier.store.createWorkflowJob(
      workflowJobRecord({ id: 1, extra_vars: { pw: '$encrypted$' }, secret_vars: { pw: 'hunter22' } }),
    );
    await earlier.close();
    rmSync(folder.sealingKey);
    const session = await openLocalSession(path);
    try {
      const store = await rawItems(session);
      expect(store).toContain('ended before the job did');
    } finally {
      await session.close();
    }
  });
});

/** The workflow job items as stored (reading them back whole would need the lost key). */
async function rawItems(session: Awaited<ReturnType<typeof openLocalSession>>): Promise<string> {
  return JSON.stringify(await session.table.records('WJ#1', 'JOB'));
}

function connectScript(socket: string): string {
  return `require('net').connect(${JSON.stringify(socket)})
    .on('connect', () => { console.log('CONNECTED'); process.exit(0); })
    .on('error', (e) => { console.log(e.code); process.exit(0); });`;
}

/** TCP sockets this process listens on (state 0A in /proc/net/tcp*, matched by inode). */
function listeningTcpSockets(): string[] {
  const own = new Set(
    readdirSync('/proc/self/fd').flatMap((fd) => {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
        return match ? [match[1]] : [];
      } catch {
        return [];
      }
    }),
  );
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((table) =>
    readFileSync(table, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields[3] === '0A' && own.has(fields[9]))
      .map((fields) => fields[1]),
  );
}
