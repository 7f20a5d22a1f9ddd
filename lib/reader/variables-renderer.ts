import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { CONFIG_VARIABLE_NAMES } from '../model/controller-config-format';
import type { RenderedVariables } from '../model/controller-config-loader';
import { Diagnostics } from '../model/diagnostics';
import type { BundleFile } from '../model/files';
import { readFolder } from '../model/folder-read';
import { loadBundle, unreadBundle, type LoadResult } from '../model/load';
import { SourceMap } from '../model/yaml-source';
import { ansibleWarnings, runPlaybook, stoppedEarly, type PlaybookResult } from './ansible-playbook-run';
import { RENDER_ACTION, renderedOutcome } from './render-action';
import type { AnsibleReadOptions } from './ansible-reader';

/**
 * controller_configuration variables rendered by Ansible as the collection's roles see them
 * (docs/formats.md "Jinja, rendered by Ansible"): a play on one host loads the files of the path
 * with `include_vars` (as the collection's README plays do), with the inventory (`-i`, its
 * group_vars and host_vars) and `--read-var` values, and renders each variable Towerless reads;
 * the values come back as JSON through the reader's callback log (in a private folder, deleted
 * after). The bundle is then read from Ansible's values in place of what the files hold.
 */
export async function renderThroughAnsible(
  path: string,
  options: AnsibleReadOptions = {},
): Promise<LoadResult> {
  const diagnostics = new Diagnostics(options.strict ?? false);
  const rendered = await renderVariables(path, options, diagnostics);
  if (!rendered) return unreadBundle(diagnostics);
  const { strict, inventory, base } = options;
  return loadBundle(path, { strict, inventory, base, rendered });
}

/** Ansible's values of the variables Towerless reads, or undefined when it could not render them (reported). */
export async function renderVariables(
  path: string,
  options: AnsibleReadOptions,
  diagnostics: Diagnostics,
): Promise<RenderedVariables | undefined> {
  const files = variableFiles(path, options.inventory);
  const workdir = mkdtempSync(join(tmpdir(), 'towerless-render-'));
  try {
    const run = await runPlaybook({
      playbook: writePlay(files, options.inventory, workdir),
      inventory: options.inventory,
      extraVars: options.extraVars ?? [],
      workdir,
    });
    return renderedVariables(run, files, path, options.inventory, diagnostics);
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
}

/**
 * The files of variables under `path`, in the order the loader reads them: controller_configuration
 * variables and the other variables their Jinja may use (folder-walk.ts), but those the inventory
 * loads itself (its group_vars and host_vars): Ansible gives those their own precedence, which
 * loading them again with `include_vars` would override.
 */
function variableFiles(path: string, inventory: string | undefined): BundleFile[] {
  const inventoryVars = inventory ? inventoryVarsFolders(inventory) : [];
  // loadBundle reads the files again and reports what is wrong
  const files = readFolder(path, new SourceMap(), new Diagnostics(), { inventory }) ?? [];
  return files.filter(
    ({ file, verdict }) =>
      verdict.variables && !inventoryVars.some((folder) => resolve(file).startsWith(folder + sep)),
  );
}

function inventoryVarsFolders(inventory: string): string[] {
  const folder = statSync(inventory, { throwIfNoEntry: false })?.isDirectory()
    ? inventory
    : dirname(inventory);
  return ['group_vars', 'host_vars'].map((vars) => resolve(folder, vars));
}

const RENDER_TASK = 'towerless_render';

/**
 * The play: on the inventory's first host (this machine without `-i`; one host, as the roles
 * configure one controller with one host's variables), load the files, then render the variables
 * Towerless reads. The action sits beside the playbook, where Ansible finds playbook plugins.
 */
function writePlay(files: readonly BundleFile[], inventory: string | undefined, workdir: string): string {
  mkdirSync(join(workdir, 'action_plugins'));
  writeFileSync(join(workdir, 'action_plugins', `${RENDER_TASK}.py`), RENDER_ACTION);
  const play = [
    {
      name: 'towerless renders controller_configuration variables',
      // Without -i, Ansible's implicit localhost (`all` matches no host then).
      hosts: inventory ? 'all[0]' : 'localhost',
      connection: 'local',
      gather_facts: false,
      tasks: [
        ...files.map(({ file, display }) => ({
          name: display,
          'ansible.builtin.include_vars': { file: resolve(file) },
        })),
        // Wildcard parts as infra.aap_configuration's dispatch merges them (render-action.ts).
        { name: RENDER_TASK, [RENDER_TASK]: { names: CONFIG_VARIABLE_NAMES, wildcards: true } },
      ],
    },
  ];
  const playbook = join(workdir, 'render.yml');
  writeFileSync(playbook, JSON.stringify(play));
  return playbook;
}

/** Ansible's values, or undefined when the play stopped before rendering them (reported). */
function renderedVariables(
  run: PlaybookResult,
  files: readonly BundleFile[],
  path: string,
  inventory: string | undefined,
  diagnostics: Diagnostics,
): RenderedVariables | undefined {
  const failed = run.outcomes.find((outcome) => outcome.status === 'failed' && !outcome.ignored);
  if (failed)
    diagnostics.error({
      // The tasks that can fail so are those loading a file, each named by its file.
      source: { file: files.find(({ display }) => display === failed.task)?.display ?? path },
      message: `Ansible could not load it: ${failed.msg ?? 'no message'}`,
    });
  else if (run.code !== 0)
    diagnostics.error({ source: { file: path }, message: stoppedEarly(run.code, run.output) });
  else if (run.outcomes.length === 0)
    diagnostics.error({
      source: { file: inventory ?? path },
      message: `no host to render the variables for${ansibleWarnings(run.output)}`,
    });
  if (diagnostics.hasErrors) return undefined;
  const rendered = run.outcomes.find(({ task, status }) => task === RENDER_TASK && status === 'ok');
  const { values, failures } = renderedOutcome(rendered?.msg);
  return {
    values,
    failures: new Map([...failures].map(([name, message]) => [name, renderingFailure(message)])),
    origin: { file: inventory ?? path },
  };
}

/**
 * Ansible's message; for undefined variables (the usual failure) each once, as Ansible repeats
 * them, and where such a variable may come from.
 */
function renderingFailure(message: string): string {
  const undefinedVariables = new Set(message.match(/'[^']+' is undefined/g));
  if (undefinedVariables.size === 0) return message;
  return `${[...undefinedVariables].join('; ')}: define it in the files, the inventory (-i) or with --read-var`;
}
