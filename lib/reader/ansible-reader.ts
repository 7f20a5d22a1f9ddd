import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { AwxClient } from '../client/awx-client';
import { exportDocument } from '../client/export';
import { startLocalApiServer } from '../local/local-api-server';
import { buildBundle } from '../model/bundle-builder';
import { Diagnostics } from '../model/diagnostics';
import type { LoadResult } from '../model/load';
import { nativeEntries } from '../model/native-loader';
import { RESOURCE_KINDS } from '../model/types';
import { validateBundle } from '../model/validate';
import { SourceMap } from '../model/yaml-source';
import { ansibleWarnings, runPlaybook, stoppedEarly, type TaskOutcome } from './ansible-playbook-run';
import { TaskSources } from './task-sources';

/**
 * Ansible reads Ansible (docs/reading.md): a playbook or awx.awx task file is applied by the real
 * `ansible-playbook` to a throwaway Towerless API (loopback, a free port, a random token, a data
 * folder deleted afterwards), so Jinja, loops, `vars`, `include_*`, `when:`, roles and task order
 * are exactly Ansible's. What the API holds afterwards is the bundle, read back as `towerless
 * export` reads a server, through the same readers and checks as any bundle. A task that fails is
 * an error at its `file:line`, with the module's message.
 */
export interface AnsibleReadOptions {
  /** `-e` values as a user gives them to ansible-playbook. */
  readonly extraVars?: readonly string[];
  /** `-i`: the inventory the playbook is written for (its group_vars and host_vars come with it). */
  readonly inventory?: string;
  readonly strict?: boolean;
}

export async function readThroughAnsible(
  path: string,
  options: AnsibleReadOptions = {},
): Promise<LoadResult> {
  const diagnostics = new Diagnostics(options.strict ?? false);
  const file = resolve(path);
  const workdir = mkdtempSync(join(tmpdir(), 'towerless-read-'));
  try {
    const token = randomBytes(24).toString('base64url');
    const server = await startLocalApiServer({
      data: join(workdir, 'data'),
      host: '127.0.0.1',
      port: 0,
      projectsRoot: dirname(file),
      adminToken: token,
    });
    try {
      const run = await runPlaybook({
        playbook: playbookOf(file, workdir),
        inventory: options.inventory,
        extraVars: options.extraVars ?? [],
        controller: { url: server.url, token },
        workdir,
      });
      reportFailures(run.outcomes, run.code, run.output, path, diagnostics);
      const { document, warnings } = await exportDocument(new AwxClient({ url: server.url, token }));
      for (const warning of warnings) diagnostics.note({ source: { file: path }, message: warning });
      const sourceMap = new SourceMap();
      new TaskSources(run.outcomes, process.cwd()).record(document, sourceMap, { file: path });
      const bundle = buildBundle(nativeEntries(document, sourceMap, diagnostics), diagnostics);
      if (!diagnostics.hasErrors) validateBundle(bundle, diagnostics);
      if (!diagnostics.hasErrors && RESOURCE_KINDS.every((kind) => bundle[kind].length === 0))
        diagnostics.error({
          source: { file: path },
          message: `applied through Ansible, it defined nothing${ansibleWarnings(run.output)}`,
        });
      return { bundle, diagnostics, files: [path] };
    } finally {
      await server.close();
    }
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
}

/** The playbook to run: the file itself when it is one, else a play that includes its tasks. */
function playbookOf(file: string, workdir: string): string {
  if (isPlaybook(parse(readFileSync(file, 'utf8')))) return file;
  const wrapper = join(workdir, 'read.yml');
  const play = [
    {
      hosts: 'localhost',
      connection: 'local',
      gather_facts: false,
      tasks: [{ 'ansible.builtin.include_tasks': file }],
    },
  ];
  writeFileSync(wrapper, JSON.stringify(play));
  return wrapper;
}

/** A list of plays (each names its hosts, or imports another playbook), not of tasks. */
function isPlaybook(document: unknown): boolean {
  return (
    Array.isArray(document) &&
    document.length > 0 &&
    document.every(
      (item) =>
        item !== null &&
        typeof item === 'object' &&
        ('hosts' in item || 'import_playbook' in item || 'ansible.builtin.import_playbook' in item),
    )
  );
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
