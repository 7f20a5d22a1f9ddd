import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { RUNNER_ENVIRONMENT } from '../model/resources/reserved-environment';
import type { Vars } from '../model/types';
import type { HostSummary } from '../store/records';
import { extraVarsFile } from './extra-vars-file';
import type { InventoryDocument } from './inventory';
import { supervised } from './supervisor';

/** One ansible-runner run: everything it needs, already resolved and validated. */
export interface AnsibleRun {
  /** Private folder for the run's private data dir (inside the data folder, swept at start). */
  readonly scratchDir: string;
  /** Other folders of secrets to remove when the run ends, however it ends (the node's key files). */
  readonly privateFiles: readonly string[];
  readonly projectDir: string;
  readonly playbook: string;
  readonly inventory: InventoryDocument;
  readonly extraVars: Vars;
  /** Extra vars Ansible may render as templates: the job template's own (see extra-vars-file.ts). */
  readonly trustedVars: Vars;
  readonly limit?: string;
  readonly forks?: number;
  readonly verbosity: number;
  /** Seconds; 0 = no timeout. */
  readonly timeout: number;
  /** Extra ansible-playbook options (tags, become, check mode, credential flags). */
  readonly cmdline: readonly string[];
  readonly envvars: Readonly<Record<string, string>>;
  readonly passwords: Readonly<Record<string, string>>;
  readonly sshKey?: string;
  readonly signal: AbortSignal;
  /** Each event, parsed from ansible-runner's JSON lines. */
  readonly onEvent: (event: RunnerEvent) => void;
}

export interface RunnerEvent {
  readonly event: string;
  readonly counter?: number;
  readonly stdout?: string;
  readonly event_data?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

export interface AnsibleResult {
  readonly status: 'successful' | 'failed' | 'timeout' | 'canceled';
  readonly rc: number;
  readonly artifacts: Vars;
  readonly hostSummary: Record<string, HostSummary>;
  /** Seconds ansible-runner itself ran. */
  readonly elapsed: number;
}

/** The only environment ansible sees: never the runner's own (which may hold a task token). */
function baseEnvironment(): Record<string, string> {
  return Object.fromEntries(
    RUNNER_ENVIRONMENT.flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : [])),
  );
}

/** How long a canceled playbook may take to stop cleanly before everything it started is killed. */
const CANCEL_GRACE_MS = 5000;

/**
 * Runs ansible-runner on a private data dir (mode 0700, deleted afterwards: it holds the
 * passwords and key) and streams its events. No shell is involved anywhere. Its processes run
 * under the supervisor (see supervisor.ts): none outlives the run, whatever ends it.
 */
export async function runAnsible(run: AnsibleRun): Promise<AnsibleResult> {
  if (run.signal.aborted) return { status: 'canceled', rc: -1, artifacts: {}, hostSummary: {}, elapsed: 0 };
  const dataDir = mkdtempSync(join(run.scratchDir, 'job-'));
  live.dataDirs.add(dataDir);
  try {
    writePrivateDataDir(dataDir, run);
    const args = ['run', dataDir, '--ident', 'job', '-j', '-p', run.playbook];
    if (run.limit) args.push('--limit', run.limit);
    if (run.forks) args.push('--forks', String(run.forks));
    if (run.verbosity > 0) args.push(`-${'v'.repeat(Math.min(run.verbosity, 5))}`);
    const started = Date.now();
    // Detached: a Ctrl-C on the terminal reaches towerless, which cancels, not the playbook directly.
    const command = supervised('ansible-runner', args, {
      privateFiles: [dataDir, ...run.privateFiles],
      userUmask: true,
    });
    const child = spawn(command.file, command.args, {
      cwd: command.cwd,
      env: baseEnvironment(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    if (child.pid) live.supervisors.add(child.pid);
    let escalation: NodeJS.Timeout | undefined;
    const cancel = () => {
      sendSignal(child.pid, 'SIGINT'); // ansible-runner stops the playbook cleanly
      escalation = setTimeout(() => sendSignal(child.pid, 'SIGTERM'), CANCEL_GRACE_MS);
    };
    run.signal.addEventListener('abort', cancel, { once: true });
    let stats: Record<string, unknown> | undefined;
    const forward = (line: string) => {
      const event = parseLine(line);
      if (!event) return;
      if (event.event === 'playbook_on_stats') stats = event.event_data;
      run.onEvent(event);
    };
    createInterface({ input: child.stdout }).on('line', forward);
    createInterface({ input: child.stderr }).on('line', forward);
    const rc = await new Promise<number>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve(code ?? 255));
    }).finally(() => {
      run.signal.removeEventListener('abort', cancel);
      clearTimeout(escalation);
      if (child.pid) live.supervisors.delete(child.pid);
    });
    const elapsed = (Date.now() - started) / 1000;
    return {
      status: run.signal.aborted ? 'canceled' : rc === 0 ? 'successful' : rc === 254 ? 'timeout' : 'failed',
      rc,
      artifacts: (stats?.artifact_data as Vars | undefined) ?? {},
      hostSummary: hostSummary(stats),
      elapsed,
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    live.dataDirs.delete(dataDir);
  }
}

/**
 * A line of ansible-runner's output as an event. With `-j` it prints JSON events, but not only:
 * Ansible's own errors (a playbook syntax error, a missing role) come as plain text, which becomes
 * a `verbose` event (AWX's name for such output) so that it reaches stdout and the explanation.
 * JSON lines without an event are status lines carrying the process environment: never forwarded.
 */
function parseLine(line: string): RunnerEvent | undefined {
  if (line.startsWith('{')) {
    try {
      const parsed = JSON.parse(line) as RunnerEvent;
      return typeof parsed.event === 'string' ? parsed : undefined;
    } catch {
      // Not JSON after all: plain output.
    }
  }
  return line.trim() ? { event: 'verbose', stdout: line } : undefined;
}

/** Runs in progress, so that a process that must exit at once leaves no playbook or secret behind. */
const live = { supervisors: new Set<number>(), dataDirs: new Set<string>() };

/**
 * Stops every running job at once (their supervisors kill every process they started) and removes
 * their private data dirs. Synchronous, for exit handlers.
 */
export function abandonRunningJobs(): void {
  for (const supervisor of live.supervisors) sendSignal(supervisor, 'SIGTERM');
  for (const dataDir of live.dataDirs) rmSync(dataDir, { recursive: true, force: true });
  live.supervisors.clear();
  live.dataDirs.clear();
}

function sendSignal(pid: number | undefined, name: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

function writePrivateDataDir(dataDir: string, run: AnsibleRun): void {
  const write = (path: string, content: string) =>
    writeFileSync(join(dataDir, path), content, { mode: 0o600 });
  for (const folder of ['env', 'inventory']) mkdirSync(join(dataDir, folder), { mode: 0o700 });
  // The project is used in place: ansible-runner reads `project/` through a symlink.
  symlinkSync(run.projectDir, join(dataDir, 'project'), 'dir');
  write('inventory/hosts.json', JSON.stringify(run.inventory));
  write('env/extravars', extraVarsFile(run.extraVars, run.trustedVars));
  write('env/envvars', JSON.stringify(run.envvars));
  write('env/passwords', JSON.stringify(run.passwords));
  // Timeouts are checked every pexpect_timeout seconds (default 5): check every second.
  write('env/settings', JSON.stringify({ job_timeout: run.timeout, pexpect_timeout: 1 }));
  if (run.cmdline.length > 0) write('env/cmdline', run.cmdline.join(' '));
  if (run.sshKey) write('env/ssh_key', run.sshKey.endsWith('\n') ? run.sshKey : `${run.sshKey}\n`);
}

function hostSummary(stats: Record<string, unknown> | undefined): Record<string, HostSummary> {
  if (!stats) return {};
  const count = (field: string, host: string) =>
    ((stats[field] as Record<string, number> | undefined) ?? {})[host] ?? 0;
  const hosts = new Set(
    ['ok', 'changed', 'failures', 'dark', 'skipped', 'rescued', 'ignored', 'processed'].flatMap((f) =>
      Object.keys((stats[f] as object | undefined) ?? {}),
    ),
  );
  return Object.fromEntries(
    [...hosts].map((host) => [
      host,
      {
        ok: count('ok', host),
        changed: count('changed', host),
        failures: count('failures', host),
        unreachable: count('dark', host),
        skipped: count('skipped', host),
        rescued: count('rescued', host),
        ignored: count('ignored', host),
      },
    ]),
  );
}
