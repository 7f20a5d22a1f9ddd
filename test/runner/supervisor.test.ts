import { execFile, spawn } from 'node:child_process';
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

describe('the job supervisor', () => {
  it('passes the exit code through and kills what the command left behind, even in another session', async () => {
    const sleep = uniqueSleep();
    const files = mkdtempSync(join(tmpdir(), 'towerless-supervised-'));
    writeFileSync(join(files, 'passwords'), 'secret');
    // setsid: a new session and process group, as pexpect starts ansible-playbook.
    const [file, args] = supervised('sh', ['-c', `setsid ${sleep} & sleep 0.3; exit 3`], files);
    const result = await exec(file, args).catch((error) => error);
    expect(result.code).toBe(3);
    expect(running(sleep)).toBe(false);
    expect(existsSync(files)).toBe(false);
  });

  it('kills every process of the job when towerless is killed with SIGKILL', async () => {
    const sleep = uniqueSleep();
    const files = mkdtempSync(join(tmpdir(), 'towerless-supervised-'));
    const [file, supervisedArgs] = supervised('sh', ['-c', `setsid ${sleep} & wait`], files);
    const args = supervisedArgs.map((arg) => (arg === String(process.pid) ? 'PARENT' : arg));
    // A stand-in for towerless: it starts the supervised job, then is killed without warning. The
    // supervisor is told its parent's pid (to notice a parent that died before it was armed).
    const standIn = `const args = ${JSON.stringify(args)}.map((a) => (a === 'PARENT' ? String(process.pid) : a));
      require('child_process').spawn(${JSON.stringify(file)}, args, { stdio: 'ignore' });
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['-e', standIn], { stdio: 'ignore' });
    expect(await eventually(() => running(sleep))).toBe(true);
    parent.kill('SIGKILL');
    expect(await eventually(() => !running(sleep))).toBe(true);
    expect(await eventually(() => !existsSync(files))).toBe(true);
  });

  it('passes SIGINT to the command (a clean cancel) and kills everything on SIGTERM', async () => {
    const sleep = uniqueSleep();
    const [file, args] = supervised('sh', [
      '-c',
      `trap 'exit 7' INT; setsid ${sleep} & while :; do sleep 0.05; done`,
    ]);
    const graceful = spawn(file, args, { stdio: 'ignore' });
    expect(await eventually(() => running(sleep))).toBe(true);
    graceful.kill('SIGINT');
    const code = await new Promise((resolve) => graceful.on('close', resolve));
    expect(code).toBe(7);
    expect(running(sleep)).toBe(false);

    const hard = spawn(file, args, { stdio: 'ignore' });
    expect(await eventually(() => running(sleep))).toBe(true);
    hard.kill('SIGTERM');
    expect(await new Promise((resolve) => hard.on('close', resolve))).toBe(143);
    expect(running(sleep)).toBe(false);
  });
});
