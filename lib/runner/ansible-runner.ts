import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Vars } from '../model/types';
import type { HostSummary } from '../store/records';
import type { InventoryDocument } from './inventory';

/** One ansible-runner run: everything it needs, already resolved and validated. */
export interface AnsibleRun {
  readonly projectDir: string;
  readonly playbook: string;
  readonly inventory: InventoryDocument;
  readonly extraVars: Vars;
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
  const keep = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'USER'];
  return Object.fromEntries(keep.flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : [])));
}

/**
 * Runs ansible-runner on a private data dir (mode 0700, deleted afterwards: it holds the
 * passwords and key) and streams its JSON events. No shell is involved anywhere.
 */
export async function runAnsible(run: AnsibleRun): Promise<AnsibleResult> {
  if (run.signal.aborted) return { status: 'canceled', rc: -1, artifacts: {}, hostSummary: {}, elapsed: 0 };
  const dataDir = mkdtempSync(join(tmpdir(), 'towerless-job-'));
  live.dataDirs.add(dataDir);
  try {
    writePrivateDataDir(dataDir, run);
    const args = ['run', dataDir, '--ident', 'job', '-j', '-p', run.playbook];
    if (run.limit) args.push('--limit', run.limit);
    if (run.forks) args.push('--forks', String(run.forks));
    if (run.verbosity > 0) args.push(`-${'v'.repeat(Math.min(run.verbosity, 5))}`);
    const started = Date.now();
    // Its own process group, so that ansible-playbook and its workers stop with it.
    const child = spawn('ansible-runner', args, {
      env: baseEnvironment(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    if (child.pid) live.groups.add(child.pid);
    let escalation: NodeJS.Timeout | undefined;
    const cancel = () => {
      signalGroup(child.pid, 'SIGINT');
      escalation = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), 5000);
    };
    run.signal.addEventListener('abort', cancel, { once: true });
    let stats: Record<string, unknown> | undefined;
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return; // ansible-runner's -j output is mostly, not only, JSON
      let event: RunnerEvent;
      try {
        event = JSON.parse(line) as RunnerEvent;
      } catch {
        return;
      }
      if (typeof event.event !== 'string') return; // status lines carry the environment: never forwarded
      if (event.event === 'playbook_on_stats') stats = event.event_data;
      run.onEvent(event);
    });
    child.stderr.resume();
    const rc = await new Promise<number>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve(code ?? 255));
    }).finally(() => {
      run.signal.removeEventListener('abort', cancel);
      clearTimeout(escalation);
      // Workers the runner left behind (it was killed) go with their group.
      if (run.signal.aborted) signalGroup(child.pid, 'SIGKILL');
      if (child.pid) live.groups.delete(child.pid);
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

/** Runs in progress, so that a process that must exit at once leaves no playbook or secret behind. */
const live = { groups: new Set<number>(), dataDirs: new Set<string>() };

/** Stops every running ansible-runner and removes their private data dirs (synchronous: for exit handlers). */
export function abandonRunningJobs(): void {
  for (const group of live.groups) signalGroup(group, 'SIGKILL');
  for (const dataDir of live.dataDirs) rmSync(dataDir, { recursive: true, force: true });
  live.groups.clear();
  live.dataDirs.clear();
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
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
  write('env/extravars', JSON.stringify(run.extraVars));
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
