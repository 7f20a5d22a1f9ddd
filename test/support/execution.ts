import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalExecution } from '../../lib/execution/local-execution';
import type { ApprovalPolicy } from '../../lib/jobs/approvals';
import { launchWorkflow, type LaunchReferences, type LaunchRequest } from '../../lib/launch/launch-workflow';
import { prepareDataFolder } from '../../lib/local/data-folder';
import { createLocalExecution } from '../../lib/local/engine-runner';
import { openLocalStore, type LocalStore } from '../../lib/local/local-store';
import { formatDiagnostic, loadBundle } from '../../lib/model';
import type { Bundle } from '../../lib/model/types';
import { FileSecretProvider } from '../../lib/runner/secrets';
import type { WorkflowJobRecord } from '../../lib/store/records';
import { tempBundle } from './files';

/**
 * A local execution as a server holds it, on an in-memory store: a bundle (with a local project
 * folder of playbooks next to it), the launch path, and the port.
 */
export interface ExecutionHarness {
  readonly store: LocalStore['store'];
  readonly execution: LocalExecution;
  readonly bundle: Bundle;
  readonly dir: string;
  launch(workflow: string, request?: Partial<LaunchRequest>): Promise<WorkflowJobRecord>;
  close(): Promise<void>;
}

/** A playbook that runs on localhost in about a second. */
export const QUICK_PLAYBOOK =
  '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - ansible.builtin.debug: { msg: hi }\n';

/** Inventory `I` (localhost) and project `P` (the folder `project`), for bundles that run playbooks. */
export const LOCALHOST = `projects: [{ name: P, local_path: project }]
inventories:
  - { name: I, hosts: { localhost: { ansible_connection: local, ansible_python_interpreter: /usr/bin/python3 } } }
`;

export async function executionHarness(
  bundleYaml: string,
  options: {
    readonly playbooks?: Readonly<Record<string, string>>;
    readonly capacity?: number;
    readonly approvals?: ApprovalPolicy;
    readonly references?: LaunchReferences;
  } = {},
): Promise<ExecutionHarness> {
  const playbooks = Object.fromEntries(
    Object.entries(options.playbooks ?? {}).map(([name, text]) => [`project/${name}`, text]),
  );
  const dir = tempBundle({ 'bundle.yml': bundleYaml, 'project/.keep': '', ...playbooks });
  const loaded = loadBundle(join(dir, 'bundle.yml'));
  if (loaded.diagnostics.hasErrors)
    throw new Error(loaded.diagnostics.errors.map(formatDiagnostic).join('\n'));
  writeFileSync(join(dir, 'secrets.yml'), '{}');
  chmodSync(join(dir, 'secrets.yml'), 0o600);
  const local = await openLocalStore(undefined);
  const execution = createLocalExecution({
    store: local.store,
    secrets: new FileSecretProvider(join(dir, 'secrets.yml')),
    data: prepareDataFolder(join(dir, 'data')),
    approvals: options.approvals,
    capacity: options.capacity,
  });
  return {
    store: local.store,
    execution,
    bundle: loaded.bundle,
    dir,
    launch: (workflow, request = {}) =>
      launchWorkflow(
        { store: local.store, execution, references: options.references },
        { bundle: loaded.bundle, baseDir: dir, workflow, ...request },
      ),
    close: async () => {
      await execution.drain();
      await local.close();
    },
  };
}
