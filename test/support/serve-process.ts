import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** The CLI as users run it. */
export const cli = join(__dirname, '../../bin/towerless');

export interface Server {
  readonly process: ChildProcess;
  readonly url: string;
  readonly stderr: () => string;
}

export interface ServeOptions {
  /** Added to this process's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** Its working folder (serve's default projects root). */
  readonly cwd?: string;
  /** bin/towerless, or a built bundle (`.cjs`) run by this Node. */
  readonly command?: string;
  /** Node options for a bundle (a CPU profile). */
  readonly nodeArgs?: readonly string[];
}

/** Starts `towerless serve` on a free port; resolves once it says where it listens. */
export async function startServe(data: string, options: ServeOptions = {}): Promise<Server> {
  const command = options.command ?? cli;
  const [program, args] = command.endsWith('.cjs')
    ? [process.execPath, [...(options.nodeArgs ?? []), command]]
    : [command, []];
  const child = spawn(program, [...args, 'serve', '--port', '0', '--data', data], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
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
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr.slice(0, 2000)}`)));
  });
  return { process: child, url, stderr: () => stderr };
}

/** Stops it with SIGTERM; resolves with its exit code. */
export async function stop(server: Server): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => server.process.on('exit', resolve));
  server.process.kill('SIGTERM');
  return exited;
}
