import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** The CLI as users run it. */
export const cli = join(__dirname, '../../bin/towerless');

export interface Server {
  readonly process: ChildProcess;
  readonly url: string;
  readonly stderr: () => string;
}

/** Starts `towerless serve` on a free port; resolves once it says where it listens. */
export async function startServe(data: string, env: Record<string, string> = {}): Promise<Server> {
  const child = spawn(cli, ['serve', '--port', '0', '--data', data], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const match = /(http:\/\/127\.0\.0\.1:\d+)\/api\/v2\//.exec(stdout);
      if (match) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  return { process: child, url, stderr: () => stderr };
}

/** Stops it with SIGTERM; resolves with its exit code. */
export async function stop(server: Server): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => server.process.on('exit', resolve));
  server.process.kill('SIGTERM');
  return exited;
}
