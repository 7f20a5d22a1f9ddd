import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { writeConfigurationRoles } from './configuration-roles';
import { writeInProcessModules } from './in-process-modules';
import { READER_CALLBACK, READER_CALLBACK_NAME } from './reader-callback';

/**
 * One run of the real `ansible-playbook`, with the awx.awx modules pointed at a Towerless API:
 * the server and its token go in the environment the modules read (and as extra vars, which
 * outrank any variable of the same name a playbook sets; the in-process modules are given it
 * whatever the task names, see in-process-modules.ts), and every other address is unreachable (a
 * proxy that answers nothing), so a task that calls another server fails instead of changing it.
 * A play that only reads variables runs without a server, and reaches nothing either.
 */
export interface PlaybookRun {
  readonly playbook: string;
  /** `-i`: an inventory file or folder (default: none, so `localhost` is Ansible's implicit one). */
  readonly inventory?: string;
  /** Each as `-e` takes it: `k=v`, JSON or YAML, or `@FILE`. */
  readonly extraVars: readonly string[];
  /** The Towerless API the awx.awx modules apply to; none for a play that only reads variables. */
  readonly controller?: { readonly url: string; readonly token: string };
  /** A private folder for the plugin, the log and Ansible's temporary files. */
  readonly workdir: string;
}

/** One task result as the reader's callback writes it (a loop's items one by one). */
export interface TaskOutcome {
  readonly status: 'ok' | 'failed' | 'skipped';
  readonly task: string;
  /** `file:line` where the task is written. */
  readonly path: string;
  /** The module Ansible resolved, e.g. `awx.awx.job_template`. */
  readonly action: string;
  readonly changed: boolean;
  /** The arguments as the module received them. */
  readonly args: Readonly<Record<string, unknown>>;
  /** The task says `ignore_errors`: its failure is expected. */
  readonly ignored: boolean;
  readonly msg?: string;
}

export interface PlaybookResult {
  readonly code: number | null;
  readonly outcomes: readonly TaskOutcome[];
  /** What ansible-playbook printed, for an error that happened before any task ran. */
  readonly output: string;
}

/** Where nothing listens: requests to any server but the reader's go here and fail at once. */
const NOWHERE = 'http://127.0.0.1:9';

export async function runPlaybook(run: PlaybookRun): Promise<PlaybookResult> {
  const plugins = join(run.workdir, 'callback_plugins');
  mkdirSync(plugins, { recursive: true });
  mkdirSync(join(run.workdir, 'tmp'), { recursive: true });
  writeFileSync(join(plugins, `${READER_CALLBACK_NAME}.py`), READER_CALLBACK);
  const log = join(run.workdir, 'tasks.jsonl');
  const args = [
    run.playbook,
    '-i',
    run.inventory ?? emptyInventory(run.workdir),
    ...run.extraVars.flatMap((value) => ['-e', value]),
    ...(run.controller ? ['-e', JSON.stringify(connectionVars(run.controller))] : []),
  ];
  const child = spawn('ansible-playbook', args, {
    env: environment(run, plugins, log),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const outcomes = existsSync(log)
    ? readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as TaskOutcome)
    : [];
  return { code, outcomes, output };
}

/**
 * What `ansible-playbook` without `-i` gives on a machine with no /etc/ansible/hosts: no host but
 * Ansible's implicit `localhost` (local connection, Ansible's own Python), which `hosts: all` does
 * not match. Naming `localhost,` instead would make it a real host reached over SSH.
 */
function emptyInventory(workdir: string): string {
  const file = join(workdir, 'no-hosts.ini');
  writeFileSync(file, '');
  return file;
}

/** The module arguments that name the server: extra vars outrank any variable a playbook sets. */
function connectionVars(controller: NonNullable<PlaybookRun['controller']>) {
  return {
    controller_host: controller.url,
    controller_oauthtoken: controller.token,
    tower_host: controller.url,
    tower_oauthtoken: controller.token,
  };
}

function environment(run: PlaybookRun, plugins: string, log: string): NodeJS.ProcessEnv {
  const collections = run.controller ? readerCollections(run.workdir) : undefined;
  const readerAddress = run.controller ? new URL(run.controller.url).host : '';
  // What names another server (or how to log in to one) is left out.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(CONTROLLER|TOWER|AWX)_|_proxy$|_PROXY$/i.test(name)),
  );
  return {
    ...inherited,
    ...(run.controller
      ? {
          CONTROLLER_HOST: run.controller.url,
          CONTROLLER_OAUTH_TOKEN: run.controller.token,
          CONTROLLER_VERIFY_SSL: 'false',
        }
      : {}),
    HTTP_PROXY: NOWHERE,
    HTTPS_PROXY: NOWHERE,
    http_proxy: NOWHERE,
    https_proxy: NOWHERE,
    // Only the reader's API itself, by address and port: other services on this machine are no
    // more reachable than the rest.
    NO_PROXY: readerAddress,
    no_proxy: readerAddress,
    ANSIBLE_CALLBACK_PLUGINS: plugins,
    ANSIBLE_CALLBACKS_ENABLED: READER_CALLBACK_NAME,
    TOWERLESS_READER_LOG: log,
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_FORCE_COLOR: '0',
    ANSIBLE_RETRY_FILES_ENABLED: 'false',
    ANSIBLE_LOCALHOST_WARNING: 'false',
    ANSIBLE_INVENTORY_UNPARSED_WARNING: 'false',
    ANSIBLE_PIPELINING: 'true',
    ANSIBLE_LOCAL_TEMP: join(run.workdir, 'tmp'),
    ...(collections
      ? {
          ANSIBLE_COLLECTIONS_PATH: [collections, process.env.ANSIBLE_COLLECTIONS_PATH]
            .filter(Boolean)
            .join(delimiter),
          TOWERLESS_READER_COLLECTIONS: collections,
        }
      : {}),
  };
}

/**
 * The collections the reader puts first on Ansible's path: awx.awx with its modules run in-process
 * (in-process-modules.ts), and stand-ins of the configuration collections this machine lacks
 * (configuration-roles.ts).
 */
function readerCollections(workdir: string): string {
  const root = join(workdir, 'collections');
  writeInProcessModules(root);
  writeConfigurationRoles(root);
  return root;
}

/** A run that ended before any task failed (an inventory or variables file Ansible could not read). */
export function stoppedEarly(code: number | null, output: string): string {
  const said = output.trim().split('\n').filter(Boolean).slice(-6).join('\n');
  return `ansible-playbook stopped (exit ${code}):\n${said}`;
}

/** What Ansible warned about (a host pattern that matched nothing, an inventory it could not parse). */
export function ansibleWarnings(output: string): string {
  const warnings = [...output.matchAll(/^\[WARNING\]: ([^\n]*(?:\n(?!\[|\n)[^\n]*)*)/gm)].map(([, text]) =>
    text.replace(/\s*\n\s*/g, ' ').trim(),
  );
  return warnings.length > 0 ? `; Ansible warned: ${warnings.join('; ')}` : '';
}
