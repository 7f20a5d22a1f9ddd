import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, loadBundle } from '../../lib/model';
import type { Bundle, WorkflowJobTemplate } from '../../lib/model/types';
import { readThroughAnsible } from '../../lib/reader/ansible-reader';
import { workflowGraph as graph, workflowNamed } from '../support/workflow-graph';

/**
 * test/fixtures/in-the-wild/module-aliases: a GitOps task file written with the awx.awx modules'
 * aliases, lists given as text and a survey as JSON text, beside a Tower 3.x file of
 * tower_workflow_template and tower_credential with `kind`. What the static reader reads is what
 * AWX holds after the tasks; for the file of today's modules, what Ansible itself applies too.
 */
const FIXTURE = join(__dirname, '../fixtures/in-the-wild/module-aliases');

describe('module aliases and legacy modules, in the wild', () => {
  const { bundle, diagnostics } = loadBundle(FIXTURE);
  const messages = diagnostics.all.map(formatDiagnostic);

  it('reads without an error', () => {
    expect(diagnostics.errors.map(formatDiagnostic)).toEqual([]);
  });

  it('the release workflow: its schema replaced, then nodes linked by node tasks with one-string lists', () => {
    expect(graph(workflowNamed(bundle, 'Storefront Release'))).toEqual([
      "build: job_template 'Storefront Build' success: deploy",
      "deploy: job_template 'Storefront Deploy' success: smoke; failure: rollback, page",
      "smoke: job_template 'Storefront Smoke Test'",
      "page: job_template 'Storefront Page On-Call'",
      "rollback: job_template 'Storefront Rollback' always: page",
    ]);
    expect(workflowNamed(bundle, 'Storefront Release')).toMatchObject({
      labels: ['storefront'],
      ask_limit_on_launch: true,
      survey_enabled: true,
      survey_spec: { spec: [{ variable: 'ticket', required: true, max: 20 }] },
    });
  });

  it('the templates: aliases read as their options, a survey from JSON text, credentials from one string', () => {
    const template = (name: string) => bundle.job_templates.find((t) => t.name === name)!;
    expect(template('Storefront Build')).toMatchObject({
      allow_simultaneous: true,
      ask_variables_on_launch: true,
      ask_limit_on_launch: true,
      credentials: ['Storefront Deploy'],
    });
    expect(template('Storefront Deploy')).toMatchObject({
      diff_mode: true,
      ask_tags_on_launch: true,
      survey_spec: { spec: [{ variable: 'release', type: 'text', min: 1, max: 40 }] },
    });
    expect(bundle.projects.find((p) => p.name === 'Storefront Playbooks')!.allow_override).toBe(true);
    expect(bundle.inventories[0].groups[0].hosts).toEqual(['web1.example.com', 'web2.example.com']);
    expect(messages).toContainEqual(
      expect.stringMatching(/storefront\.yml:\d+: note: task 'Build', field 'labels': .*does not use it/),
    );
  });

  it("tower_workflow_template's schema: the tree tower-cli made, identifiers from the nodes' paths", () => {
    const nightly = workflowNamed(bundle, 'Nightly Maintenance');
    expect(graph(nightly)).toEqual([
      "schema-1: job_template 'Nightly Backup' success: schema-1-success-1; failure: schema-1-failure-1",
      "schema-1-success-1: job_template 'Verify Backup' failure: schema-1-success-1-failure-1",
      "schema-1-failure-1: job_template 'Storefront Page On-Call'",
      "schema-1-success-1-failure-1: job_template 'Storefront Page On-Call'",
      "schema-2: project 'Storefront Playbooks'",
    ]);
    expect(nightly.workflow_nodes[1].limit).toBe('web');
    expect(nightly).toMatchObject({
      description: 'Back up, verify, page on failure; refresh the playbooks meanwhile',
      ask_variables_on_launch: true,
    });
    expect(bundle.job_templates.find((t) => t.name === 'Nightly Backup')!.credentials).toEqual([
      'Backup Vault',
      'Storefront Deploy',
    ]);
  });

  it('tower_credential: the type its kind names, its options as inputs, the secrets as references', () => {
    const credential = (name: string) => bundle.credentials.find((c) => c.name === name)!;
    expect(credential('Maintenance Git')).toMatchObject({
      credential_type: 'Source Control',
      inputs: { username: 'git', ssh_key_data: { secret: 'towerless/maintenance-git/ssh_key_data' } },
    });
    expect(credential('Backup Vault')).toMatchObject({
      credential_type: 'Vault',
      inputs: { vault_id: 'backups', vault_password: { secret: 'towerless/backup-vault/vault_password' } },
    });
  });
});

/** A node's links as AWX lists them: by the linked node's id, i.e. in the order the nodes were made. */
function inCreationOrder(workflow: WorkflowJobTemplate): string[] {
  const order = workflow.workflow_nodes.map((node) => node.identifier);
  const byOrder = (links: readonly string[]) =>
    [...links].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  return graph({
    ...workflow,
    workflow_nodes: workflow.workflow_nodes.map((node) => ({
      ...node,
      success_nodes: byOrder(node.success_nodes),
      failure_nodes: byOrder(node.failure_nodes),
      always_nodes: byOrder(node.always_nodes),
    })),
  });
}

/** What storefront.yml defines, without where it is written (Ansible's reading places it at tasks). */
function defined(bundle: Bundle) {
  const mine = <T extends { name: string }>(resources: readonly T[]) =>
    resources
      .filter((resource) => resource.name.startsWith('Storefront'))
      .map(({ origin: _origin, ...resource }: T & { origin?: unknown }) => resource);
  return {
    projects: mine(bundle.projects),
    inventories: mine(bundle.inventories),
    job_templates: mine(bundle.job_templates),
  };
}

describe('module aliases, read through Ansible', () => {
  it('storefront.yml applied by ansible-playbook defines what the static reader reads', async () => {
    const path = join(FIXTURE, 'storefront.yml');
    const statically = loadBundle(path);
    const ansible = await readThroughAnsible(path);
    expect(ansible.diagnostics.errors.map(formatDiagnostic)).toEqual([]);
    const release = (read: { bundle: Bundle }) => workflowNamed(read.bundle, 'Storefront Release');
    expect(inCreationOrder(release(ansible))).toEqual(inCreationOrder(release(statically)));
    const { workflow_nodes: _nodes, origin: _origin, ...workflow } = release(statically);
    expect(release(ansible)).toMatchObject(workflow);
    expect(defined(ansible.bundle)).toEqual(defined(statically.bundle));
  }, 120_000);
});
