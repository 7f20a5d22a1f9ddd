import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { AwxClient } from '../client/awx-client';
import { exportDocument } from '../client/export';
import { startLocalApiServer } from '../local/local-api-server';
import { Diagnostics } from '../model/diagnostics';
import { readFolder } from '../model/folder-read';
import { isPlaybookDocument } from '../model/folder-references';
import { ansibleSteps, type AnsibleStep } from '../model/folder-walk';
import { loadBundle, unreadBundle, type AppliedTasks, type LoadResult } from '../model/load';
import { nativeEntries } from '../model/native-loader';
import type { ReadingBase } from '../model/reading-base';
import { readYamlFile, SourceMap } from '../model/yaml-source';
import { ansibleWarnings, runPlaybook, stoppedEarly, type TaskOutcome } from './ansible-playbook-run';
import { capturedConfigurationEntries } from './captured-configuration';
import { TaskSources } from './task-sources';
import { renderVariables } from './variables-renderer';

/**
 * Ansible reads Ansible (docs/reading.md): a playbook or awx.awx task file, or a folder's playbooks
 * and task files as one run, are applied by the real `ansible-playbook` to a throwaway Towerless
 * API (loopback, a free port, a random token, a data folder deleted afterwards), so Jinja, loops,
 * `vars`, `include_*`, `when:`, roles and task order are exactly Ansible's. What the API holds
 * afterwards is read back as `towerless export` reads a server, and takes the place of those files
 * in the bundle, beside what the static readers read of the others (docs/reading.md "Folders"),
 * through the same readers and checks as any bundle. A task that fails is an error at its
 * `file:line`, with the module's message.
 */
export interface AnsibleReadOptions {
  /** `-e` values as a user gives them to ansible-playbook. */
  readonly extraVars?: readonly string[];
  /** `-i`: the inventory the playbook is written for (its group_vars and host_vars come with it). */
  readonly inventory?: string;
  readonly strict?: boolean;
  /** Also render the controller_configuration variables of the path (variables-renderer.ts). */
  readonly render?: boolean;
  /** Where names the files use but do not define are found (lib/model/reading-base.ts). */
  readonly base?: ReadingBase;
}

export async function readThroughAnsible(
  path: string,
  options: AnsibleReadOptions = {},
): Promise<LoadResult> {
  const diagnostics = new Diagnostics(options.strict ?? false);
  const rendered = options.render ? await renderVariables(path, options, diagnostics) : undefined;
  if (options.render && !rendered) return unreadBundle(diagnostics);
  const applied = await applyThroughAnsible(path, options);
  const { strict, inventory, base } = options;
  return loadBundle(path, { strict, inventory, base, rendered, applied });
}

/**
 * Applies the path's playbooks and task files to a throwaway API; what it holds afterwards.
 * Undefined for a folder with none that configures AWX: there is nothing to run.
 */
async function applyThroughAnsible(
  path: string,
  options: AnsibleReadOptions,
): Promise<AppliedTasks | undefined> {
  const diagnostics = new Diagnostics(options.strict ?? false);
  const root = resolve(path);
  const folder = statSync(root).isDirectory();
  const workdir = mkdtempSync(join(tmpdir(), 'towerless-read-'));
  try {
    const playbook = folder ? folderPlaybook(path, options.inventory, workdir) : playbookOf(root, workdir);
    if (playbook === undefined) return undefined;
    const token = randomBytes(24).toString('base64url');
    const server = await startLocalApiServer({
      data: join(workdir, 'data'),
      host: '127.0.0.1',
      port: 0,
      projectsRoot: folder ? root : dirname(root),
      adminToken: token,
    });
    try {
      const run = await runPlaybook({
        playbook,
        inventory: options.inventory,
        extraVars: options.extraVars ?? [],
        controller: { url: server.url, token },
        workdir,
      });
      // What Ansible read through the mirror (folderPlaybook) is shown where it really is.
      const real = (text: string) => text.replaceAll(mirrorOf(workdir) + sep, root + sep);
      const outcomes = run.outcomes.map((outcome) => ({
        ...outcome,
        path: real(outcome.path),
        ...(outcome.msg === undefined ? {} : { msg: real(outcome.msg) }),
      }));
      reportFailures(outcomes, run.code, run.output, path, diagnostics);
      // The server had AWX's default objects from its start: a read defines those the playbook uses.
      const { document, warnings } = await exportDocument(new AwxClient({ url: server.url, token }), {
        awxDefaults: 'referenced',
      });
      for (const warning of warnings) diagnostics.note({ source: { file: path }, message: warning });
      const sourceMap = new SourceMap();
      new TaskSources(outcomes, process.cwd()).record(document, sourceMap, { file: path });
      const entries = [
        ...nativeEntries(document, sourceMap, diagnostics),
        // What configuration roles would have applied (lib/reader/configuration-roles.ts).
        ...capturedConfigurationEntries(outcomes, process.cwd(), sourceMap, diagnostics),
      ];
      return { entries, findings: diagnostics.all, warnings: ansibleWarnings(run.output) };
    } finally {
      await server.close();
    }
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
}

/** The playbook to run for one file: the file itself when it is one, else a play that includes its tasks. */
function playbookOf(file: string, workdir: string): string {
  // Read as the static reader read it (Ansible's tags such as !vault known, no warnings printed).
  const read = readYamlFile(file, file, new SourceMap(), new Diagnostics());
  if (isPlaybookDocument(read?.document)) return file;
  return writePlaybook(join(workdir, 'read.yml'), [{ tasks: [file] }]);
}

/**
 * The playbook to run for a folder: its roots (folder-walk.ts), each playbook imported as it is
 * and task files as tasks of a localhost play, in path order, all in one run. It is written in a
 * mirror of the folder (a link to each of its entries), where Ansible finds what it looks for
 * beside the playbook it runs, as if the folder held it: group_vars, host_vars, collections,
 * `playbook_dir` and the paths relative to it.
 */
function folderPlaybook(path: string, inventory: string | undefined, workdir: string): string | undefined {
  const files = readFolder(path, new SourceMap(), new Diagnostics(), { inventory }) ?? [];
  const steps = ansibleSteps(files.map(({ verdict }) => verdict));
  if (steps.length === 0) return undefined;
  const mirror = mirrorOf(workdir);
  mkdirSync(mirror);
  for (const entry of readdirSync(path))
    if (entry !== GENERATED) symlinkSync(resolve(path, entry), join(mirror, entry));
  return writePlaybook(join(mirror, GENERATED), steps);
}

const GENERATED = '.towerless-read.yml';
const mirrorOf = (workdir: string) => join(workdir, 'folder');

/** Writes the steps as a playbook (JSON is YAML); task files run on Ansible's implicit localhost. */
function writePlaybook(playbook: string, steps: readonly AnsibleStep[]): string {
  const plays = steps.map((step) =>
    'playbook' in step
      ? { 'ansible.builtin.import_playbook': step.playbook }
      : {
          hosts: 'localhost',
          connection: 'local',
          gather_facts: false,
          tasks: step.tasks.map((file) => ({ 'ansible.builtin.include_tasks': file })),
        },
  );
  writeFileSync(playbook, JSON.stringify(plays));
  return playbook;
}

/** Each failed task is an error where it is written; a playbook that stopped before any task, one for the file. */
function reportFailures(
  outcomes: readonly TaskOutcome[],
  code: number | null,
  output: string,
  path: string,
  diagnostics: Diagnostics,
): void {
  const failures = outcomes.filter((outcome) => outcome.status === 'failed' && !outcome.ignored);
  for (const failure of failures) {
    const [, file, line] = /^(.*):(\d+)$/.exec(failure.path) ?? [undefined, failure.path || path, undefined];
    diagnostics.error({
      source: { file: file!, line: line === undefined ? undefined : Number(line) },
      resource: `task '${failure.task}'`,
      message: `failed when applied through Ansible: ${failure.msg ?? 'no message'}`,
    });
  }
  if (code !== 0 && failures.length === 0)
    diagnostics.error({ source: { file: path }, message: stoppedEarly(code, output) });
}
