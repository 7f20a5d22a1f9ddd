import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { supervised } from '../../lib/runner/supervisor';
import { eventually } from '../support/eventually';

const exec = promisify(execFile);

/** A command line no other process has: `sleep <unique seconds>`. */
function uniqueSleep(): string {
  return `sleep ${300000 + Math.floor(Math.random() * 600000)}`;
}

function running(pattern: string): boolean {
  try {
    execFileSync('pgrep', ['-f', `^${pattern}$`]);
    return true;
  } catch {
    return false;
  }
}

function start(command: ReturnType<typeof supervised>): ChildProcess {
  return spawn(command.file, command.args, { cwd: command.cwd, stdio: 'ignore' });
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.on('exit', resolve));

describe('the job supervisor', () => {
  it('passes the exit code through and kills what the command left behind, even in another session', async () => {
    const sleep = uniqueSleep();
    const files = mkdtempSync(join(tmpdir(), 'towerless-supervised-'));
    writeFileSync(join(files, 'passwords'), 'secret');
    // setsid: a new session and process group, as pexpect starts ansible-playbook.
    const command = supervised('sh', ['-c', `setsid ${sleep} & sleep 0.3; exit 3`], {
      privateFiles: [files],
    });
    const result = await exec(command.file, command.args, { cwd: command.cwd }).catch((error) => error);
    expect(result.code).toBe(3);
    expect(running(sleep)).toBe(false);
    expect(existsSync(files)).toBe(false);
  });

  it('kills every process of the job when towerless is killed with SIGKILL', async () => {
    const sleep = uniqueSleep();
    const files = mkdtempSync(join(tmpdir(), 'towerless-supervised-'));
    const command = supervised('sh', ['-c', `setsid ${sleep} & wait`], { privateFiles: [files] });
    const args = command.args.map((arg) => (arg === String(process.pid) ? 'PARENT' : arg));
    // A stand-in for towerless: it starts the supervised job, then is killed without warning. The
    // supervisor is told its parent's pid (to notice a parent that died before it was armed).
    const standIn = `const args = ${JSON.stringify(args)}.map((a) => (a === 'PARENT' ? String(process.pid) : a));
      require('child_process').spawn(${JSON.stringify(command.file)}, args, { cwd: '/', stdio: 'ignore' });
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['-e', standIn], { stdio: 'ignore' });
    try {
      expect(await eventually(() => running(sleep))).toBe(true);
      parent.kill('SIGKILL');
      expect(await eventually(() => !running(sleep))).toBe(true);
      expect(await eventually(() => !existsSync(files))).toBe(true);
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('passes SIGINT to the command (a clean cancel) and kills everything on SIGTERM', async () => {
    const sleep = uniqueSleep();
    const command = supervised('sh', [
      '-c',
      `trap 'exit 7' INT; setsid ${sleep} & while :; do sleep 0.05; done`,
    ]);
    const graceful = start(command);
    expect(await eventually(() => running(sleep))).toBe(true);
    graceful.kill('SIGINT');
    expect(await exited(graceful)).toBe(7);
    expect(running(sleep)).toBe(false);

    const hard = start(command);
    expect(await eventually(() => running(sleep))).toBe(true);
    hard.kill('SIGTERM');
    expect(await exited(hard)).toBe(143);
    expect(running(sleep)).toBe(false);
  });

  it('kills a job that keeps starting processes while it is being killed', async () => {
    const sleep = uniqueSleep();
    const job = start(supervised('sh', ['-c', `while :; do ${sleep} & sleep 0.001; done`]));
    expect(await eventually(() => running(sleep))).toBe(true);
    job.kill('SIGTERM');
    expect(await exited(job)).toBe(143);
    expect(running(sleep)).toBe(false);
  });

  it('loses no signal that arrives while it starts', async () => {
    for (let i = 0; i < 20; i++) {
      const sleep = uniqueSleep();
      const job = start(supervised('sh', ['-c', `${sleep}`]));
      await new Promise((resolve) => setTimeout(resolve, i * 3));
      job.kill('SIGTERM');
      await exited(job);
      expect(await eventually(() => !running(sleep), 2000)).toBe(true);
    }
    // Twenty supervisors started one after another: under a loaded CI machine's parallel test files
    // that took over a minute once. A lost signal hangs for the sleep's days, whatever the bound.
  }, 180_000);

  it('imports nothing from the folder the job runs in', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'towerless-supervised-'));
    writeFileSync(join(folder, 'ctypes.py'), 'raise SystemExit(99)\n');
    writeFileSync(join(folder, 'json.py'), 'raise SystemExit(98)\n');
    const command = supervised('true', [], { workdir: folder });
    await expect(exec(command.file, command.args, { cwd: command.cwd })).resolves.toBeDefined();
    // Even started from that folder.
    await expect(exec(command.file, command.args, { cwd: folder })).resolves.toBeDefined();
  });
});
