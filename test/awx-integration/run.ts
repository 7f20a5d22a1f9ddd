/**
 * Runs AWX's own integration tests of the awx.awx collection (the targets vendored under
 * `targets/`, see README.md there) against `towerless serve`, and counts per target how many
 * tasks pass.
 *
 * Each target gets a fresh server (its own data folder, with AWX's preloaded data; see `preload`), and
 * one `ansible-playbook target.yml` with Debian's awx.awx collection. What differs from AWX's own
 * test setup is only where things are: the host (an HTTPS front with a self-signed certificate on
 * 127.0.0.1, as AWX's development server is), and the git URLs of the two public sample
 * repositories, which point at local repositories made from `projects/`.
 *
 *   npm run awx-integration [-- TARGET ...] [--jobs N] [--timeout SECONDS] [--failures] [--record]
 *
 * prints one JSON line per target (`--failures` adds the failing tasks and their messages;
 * `--record` writes the counts to expectations.json).
 */
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer, type Server as HttpsServer } from 'node:https';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gitProject } from '../support/git-project';
import { cli, startServe, stop, type Server } from '../support/serve-process';

const HERE = __dirname;
const TARGETS = join(HERE, 'targets');
const ADMIN_TOKEN = 'awx-integration-admin-token-0123456789';
const ADMIN_PASSWORD = 'awx-integration-admin-password';

/** What to stop if the runner is interrupted: the servers and playbooks it started. */
const running = new Set<() => void>();

/** Per target, the tasks that pass today (`--record` writes it; test/e2e/awx-integration.test.ts reads it). */
export const EXPECTATIONS = join(HERE, 'expectations.json');
export interface Expectations {
  readonly targets: Record<string, { readonly passed: number; readonly total: number }>;
}

/** Every vendored target (a folder with tasks/main.yml), sorted as ansible-test runs them. */
export const ALL_TARGETS: readonly string[] = readdirSync(TARGETS)
  .filter((name) => existsSync(join(TARGETS, name, 'tasks/main.yml')))
  .sort();

export type TaskStatus = 'ok' | 'changed' | 'failed' | 'expected_failure' | 'skipped';

/** One task result as the tally callback writes it. */
export interface TaskOutcome {
  readonly task: string;
  readonly status: TaskStatus;
  readonly msg?: string;
  readonly response?: string;
}

export interface TargetResult {
  readonly target: string;
  /** Tasks that did not fail: ok, changed, skipped, and failures the target itself expects. */
  readonly passed: number;
  readonly total: number;
  readonly ok: number;
  readonly changed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly expected_failures: number;
  readonly seconds: number;
  /** ansible-playbook's exit code (null when it was stopped at the timeout). */
  readonly exit_code: number | null;
  readonly timed_out: boolean;
  /** What `preload` set that the server refused (each makes some tasks fail). */
  readonly preload_errors: readonly string[];
  /** Why the target could not run at all (the server did not start). */
  readonly error?: string;
  readonly tasks: readonly TaskOutcome[];
}

/** What every target of one run shares: the rewritten targets and the sample repositories. */
export interface Run {
  readonly dir: string;
  readonly targets: string;
  readonly repositories: { readonly samples: string; readonly testPlaybooks: string };
  readonly tls: { readonly key: string; readonly cert: string };
  /** The towerless command serving the targets. */
  readonly cli: string;
}

function filesOf(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name.startsWith('.')) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(root, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(root);
  return files;
}

/**
 * The git URLs of the targets, pointed at local repositories: github.com/ansible/ansible-tower-samples
 * (AWX's demo project) and github.com/ansible/test-playbooks. Archive URLs (…/archive/….tar.gz)
 * are left alone.
 */
export function rewriteGitUrls(text: string, repositories: Run['repositories']): string {
  return text.replace(
    /https:\/\/github\.com\/ansible\/(ansible-tower-samples|test-playbooks)(?:\.git)?(?![\w/.-])/g,
    (_url, repository: string) =>
      `file://${repository === 'test-playbooks' ? repositories.testPlaybooks : repositories.samples}`,
  );
}

const SELF_SIGNED = `
import datetime
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
key = ec.generate_private_key(ec.SECP256R1())
name = x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "localhost")])
now = datetime.datetime.utcnow()
cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2)).sign(key, hashes.SHA256()))
print(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                        serialization.NoEncryption()).decode())
print(cert.public_bytes(serialization.Encoding.PEM).decode())
`;

/** Makes the sample repositories, a copy of the targets with local git URLs, and a TLS key. */
export function prepareRun(): Run {
  const dir = mkdtempSync(join(tmpdir(), 'towerless-awx-integration-'));
  const repositories = {
    samples: gitProject(filesOf(join(HERE, 'projects/ansible-tower-samples'))).url,
    testPlaybooks: gitProject(filesOf(join(HERE, 'projects/test-playbooks'))).url,
  };
  const targets = join(dir, 'targets');
  cpSync(TARGETS, targets, { recursive: true });
  const rewrite = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) rewrite(path);
      else if (name.endsWith('.yml'))
        writeFileSync(path, rewriteGitUrls(readFileSync(path, 'utf8'), repositories));
    }
  };
  rewrite(targets);
  // A self-signed certificate, made with the cryptography package ansible-core depends on.
  const [key, cert] = execFileSync('/usr/bin/python3', ['-c', SELF_SIGNED], { encoding: 'utf8' }).split(
    '\n\n',
  );
  return { dir, targets, repositories, tls: { key, cert }, cli: process.env.TOWERLESS_CLI ?? cli };
}

/** An HTTPS front for the server, with a certificate no client trusts (as AWX's dev server). */
async function tlsFront(run: Run, server: Server): Promise<{ url: string; close: () => Promise<void> }> {
  const backend = new URL(server.url);
  const front: HttpsServer = createServer({ key: run.tls.key, cert: run.tls.cert }, (req, res) => {
    const forward = httpRequest(
      {
        host: backend.hostname,
        port: backend.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: backend.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', (error) => {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ detail: `towerless serve: ${error.message}` }));
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const { port } = front.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        front.closeAllConnections();
        front.close(() => resolve());
      }),
  };
}

async function api(
  server: Server,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${server.url}/api/v2/${path}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/**
 * What differs from an AWX install before any test runs, set through the API: the admin's password
 * (the targets log in as admin with a password, as AWX's TESTING.md has them), and the Demo
 * Project's repository, pointed at the local copy as the targets' own GitHub URLs are. The objects
 * of AWX's `create_preload_data` are the server's own (lib/catalog/awx-defaults.ts). Returns what
 * was refused.
 */
export async function preload(server: Server, run: Run): Promise<string[]> {
  const errors: string[] = [];
  const step = async (what: string, method: string, path: string, body?: unknown) => {
    try {
      const { status, json } = await api(server, method, path, body);
      if (status >= 300) errors.push(`${what}: ${method} /api/v2/${path} ${status} ${JSON.stringify(json)}`);
      return status < 300 ? json : undefined;
    } catch (error) {
      errors.push(`${what}: ${String(error)}`);
      return undefined;
    }
  };
  const first = async (path: string) => {
    const page = await step(path, 'GET', path);
    return ((page?.results as Record<string, unknown>[] | undefined) ?? [])[0]?.id as number | undefined;
  };
  const me = await first('me/');
  await step('admin password', 'PATCH', `users/${me}/`, { password: ADMIN_PASSWORD });
  const project = await first('projects/?name=Demo+Project');
  await step('Demo Project', 'PATCH', `projects/${project}/`, {
    scm_url: `file://${run.repositories.samples}`,
  });
  return errors;
}

export function tally(tasks: readonly TaskOutcome[]) {
  const count = (status: TaskStatus) => tasks.filter((task) => task.status === status).length;
  const failed = count('failed');
  return {
    passed: tasks.length - failed,
    total: tasks.length,
    ok: count('ok'),
    changed: count('changed'),
    failed,
    skipped: count('skipped'),
    expected_failures: count('expected_failure'),
  };
}

/** Runs one target against a fresh server; never throws for a failing target. */
export async function runTarget(
  run: Run,
  target: string,
  options: { readonly timeoutSeconds?: number } = {},
): Promise<TargetResult> {
  const started = Date.now();
  const home = join(run.dir, 'runs', target);
  rmSync(home, { recursive: true, force: true });
  mkdirSync(join(home, 'tmp'), { recursive: true });
  const tallyFile = join(home, 'tally.jsonl');
  let server: Server;
  try {
    server = await startServe(join(home, 'data'), {
      command: run.cli,
      env: { TOWERLESS_ADMIN_TOKEN: ADMIN_TOKEN },
    });
  } catch (error) {
    return {
      target,
      ...tally([]),
      seconds: Math.round((Date.now() - started) / 1000),
      exit_code: null,
      timed_out: false,
      preload_errors: [],
      error: String(error),
      tasks: [],
    };
  }
  const front = await tlsFront(run, server);
  const stopServer = () => server.process.kill('SIGKILL');
  running.add(stopServer);
  let exitCode: number | null = null;
  let timedOut = false;
  let preloadErrors: string[] = [];
  try {
    preloadErrors = await preload(server, run);
    const env: NodeJS.ProcessEnv = {};
    for (const [name, value] of Object.entries(process.env))
      if (!/^(CONTROLLER|TOWER|AWX|ANSIBLE)_/.test(name)) env[name] = value;
    Object.assign(env, {
      HOME: home,
      CONTROLLER_HOST: front.url,
      CONTROLLER_USERNAME: 'admin',
      CONTROLLER_PASSWORD: ADMIN_PASSWORD,
      CONTROLLER_VERIFY_SSL: 'false',
      ANSIBLE_CALLBACK_PLUGINS: join(HERE, 'callback_plugins'),
      ANSIBLE_CALLBACKS_ENABLED: 'towerless_tally',
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_LOCAL_TEMP: join(home, 'tmp'),
      ANSIBLE_RETRY_FILES_ENABLED: 'false',
      ANSIBLE_PIPELINING: 'true',
      TOWERLESS_TALLY_FILE: tallyFile,
    });
    const log = createWriteStream(join(home, 'ansible.log'));
    const child = spawn(
      'ansible-playbook',
      [join(HERE, 'target.yml'), '-e', `target_tasks=${join(run.targets, target, 'tasks/main.yml')}`],
      { cwd: home, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const stopPlaybook = () => child.pid && process.kill(-child.pid, 'SIGKILL');
    running.add(stopPlaybook);
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    const timer = setTimeout(
      () => {
        timedOut = true;
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      },
      (options.timeoutSeconds ?? 600) * 1000,
    );
    exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    running.delete(stopPlaybook);
  } finally {
    running.delete(stopServer);
    await front.close();
    await stop(server);
  }
  const tasks = existsSync(tallyFile)
    ? readFileSync(tallyFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as TaskOutcome)
    : [];
  return {
    target,
    ...tally(tasks),
    seconds: Math.round((Date.now() - started) / 1000),
    exit_code: exitCode,
    timed_out: timedOut,
    preload_errors: preloadErrors,
    tasks,
  };
}

/** Runs the targets, `jobs` at a time, calling `done` as each finishes. */
export async function runTargets(
  run: Run,
  targets: readonly string[],
  options: {
    readonly jobs?: number;
    readonly timeoutSeconds?: number;
    done?: (result: TargetResult) => void;
  } = {},
): Promise<TargetResult[]> {
  const results: TargetResult[] = [];
  const queue = [...targets];
  const worker = async () => {
    for (let target = queue.shift(); target !== undefined; target = queue.shift()) {
      const result = await runTarget(run, target, options).catch((error: unknown): TargetResult => ({
        target,
        ...tally([]),
        seconds: 0,
        exit_code: null,
        timed_out: false,
        preload_errors: [],
        error: String(error),
        tasks: [],
      }));
      results.push(result);
      options.done?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.jobs ?? 2) }, worker));
  return targets.map((target) => results.find((result) => result.target === target)!);
}

/** The JSON line printed for a target. */
export function summary(result: TargetResult, failures = false): Record<string, unknown> {
  const { tasks, ...counts } = result;
  return failures
    ? {
        ...counts,
        failures: tasks.filter((task) => task.status === 'failed').map(({ task, msg }) => ({ task, msg })),
      }
    : counts;
}

async function main(args: string[]): Promise<void> {
  const option = (name: string) => {
    const index = args.indexOf(name);
    if (index < 0) return undefined;
    const [value] = args.splice(index, 2).slice(1);
    return value;
  };
  const jobs = Number(option('--jobs') ?? 2);
  const timeoutSeconds = Number(option('--timeout') ?? 600);
  const failures = args.includes('--failures');
  const record = args.includes('--record');
  const targets = args.filter((arg) => !arg.startsWith('--'));
  const unknown = targets.filter((target) => !ALL_TARGETS.includes(target));
  if (unknown.length) throw new Error(`unknown targets: ${unknown.join(', ')}`);
  const run = prepareRun();
  process.stderr.write(`awx-integration: work folder ${run.dir}\n`);
  const results = await runTargets(run, targets.length ? targets : ALL_TARGETS, {
    jobs,
    timeoutSeconds,
    done: (result) => process.stdout.write(`${JSON.stringify(summary(result, failures))}\n`),
  });
  if (record) recordExpectations(results);
}

/** `--record`: the tasks that pass now become what the e2e check expects of these targets. */
function recordExpectations(results: readonly TargetResult[]): void {
  const current = existsSync(EXPECTATIONS)
    ? (JSON.parse(readFileSync(EXPECTATIONS, 'utf8')) as Expectations)
    : { targets: {} };
  for (const result of results)
    if (!result.error && !result.timed_out)
      current.targets[result.target] = { passed: result.passed, total: result.total };
  const sorted = Object.fromEntries(Object.entries(current.targets).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(EXPECTATIONS, `${JSON.stringify({ ...current, targets: sorted }, null, 2)}\n`);
}

if (require.main === module) {
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.on(signal, () => {
      for (const stopOne of running) stopOne();
      process.exit(130);
    });
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
