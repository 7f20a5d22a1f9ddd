import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, loadBundle, type Diagnostic } from '../../lib/model';
import { tempBundle } from '../support/files';

/**
 * One finding per thing: what the static reader says of a resource's field never contradicts
 * itself. A field with an error gets no warning or note on top of it (a node whose template the
 * reader refused is not also "a node with no template"), and a reading that stopped where only
 * Ansible can go (a refused task or variable) claims of no name, nor of a node an edge names, that
 * the files do not define it: what Ansible reads may.
 */

const FIXTURES = join(__dirname, '../fixtures');

/** Every folder of the in-the-wild fixtures as a whole, and every file under test/fixtures alone. */
function fixturePaths(): string[] {
  const wild = join(FIXTURES, 'in-the-wild');
  const folders = readdirSync(wild, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(wild, entry.name));
  const files = readdirSync(FIXTURES, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ya?ml|json)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
  return [...folders, ...files];
}

/**
 * Who and what a diagnostic is about, the same however it is labelled: the validator names a node
 * `workflow job template 'W' node 'a'` and its field `unified_job_template`; the reader names the
 * workflow and the node's path in it, `workflow_nodes[0].unified_job_template`.
 */
function subject(
  diagnostic: Diagnostic,
  nodes: ReadonlyMap<string, readonly string[]>,
): { readonly owner: string; readonly field: string } | undefined {
  const { resource, field } = diagnostic;
  if (resource === undefined || field === undefined) return undefined;
  const path = /^workflow_nodes\[(\d+)\]\.(.+)$/s.exec(field);
  const identifier = path ? nodes.get(resource)?.[Number(path[1])] : undefined;
  if (identifier !== undefined) return { owner: `${resource} node '${identifier}'`, field: path![2] };
  return { owner: resource, field };
}

/** A field and what is inside it: `unified_job_template` and `unified_job_template.name`. */
function overlap(a: string, b: string): boolean {
  const within = (inner: string, outer: string) =>
    inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
  return within(a, b) || within(b, a);
}

/** What contradicts itself in the load of `path`, as messages. */
function contradictions(path: string): string[] {
  const { bundle, diagnostics } = loadBundle(path);
  const nodes = new Map(
    bundle.workflow_job_templates.map((w) => [
      `workflow job template '${w.name}'`,
      w.workflow_nodes.map((n) => n.identifier),
    ]),
  );
  const byOwner = new Map<string, { field: string; diagnostic: Diagnostic }[]>();
  for (const diagnostic of diagnostics.all) {
    const about = subject(diagnostic, nodes);
    if (about === undefined) continue;
    byOwner.set(about.owner, [...(byOwner.get(about.owner) ?? []), { field: about.field, diagnostic }]);
  }
  const found: string[] = [];
  for (const [owner, said] of byOwner)
    for (const error of said.filter(({ diagnostic }) => diagnostic.severity === 'error'))
      for (const other of said.filter(({ diagnostic }) => diagnostic.severity !== 'error'))
        if (overlap(error.field, other.field))
          found.push(
            `${owner}: ${formatDiagnostic(error.diagnostic)} / ${formatDiagnostic(other.diagnostic)}`,
          );
  if (diagnostics.ansibleReading)
    for (const missing of diagnostics.all.filter((d) => d.unresolved || d.message.startsWith('no node with')))
      found.push(`read in part (only Ansible reads the rest), yet: ${formatDiagnostic(missing)}`);
  return found;
}

describe('a resource or node never gets an error and a contradicting warning at once', () => {
  it.each(fixturePaths().map((path) => [relative(FIXTURES, path), path]))('%s', (_, path) => {
    expect(contradictions(path)).toEqual([]);
  });

  it('a node whose template the reader refused is not also a node without one', () => {
    const dir = tempBundle({
      'bundle.yml': `
projects:
  - { name: Deploy, scm_type: git, scm_url: "https://git.example.com/p.git" }
job_templates:
  - { name: Deploy, project: Deploy, playbook: deploy.yml }
workflow_job_templates:
  - name: W
    workflow_nodes:
      - identifier: ambiguous
        unified_job_template: Deploy
      - identifier: not-a-name
        unified_job_template: [Deploy]
      - identifier: nameless
        unified_job_template: { type: job_template, name: "" }
      - identifier: placeholder
`,
    });
    expect(contradictions(dir)).toEqual([]);
    // A node written without a template still gets its warning.
    const { diagnostics } = loadBundle(dir);
    expect(
      diagnostics.all.filter((d) => d.message.includes('has no template')).map((d) => d.resource),
    ).toEqual(["workflow job template 'W' node 'placeholder'"]);
  });

  it('a task only Ansible can apply may define what a later task names: no name is called unknown', () => {
    const dir = tempBundle({
      'tasks.yml': `
- awx.awx.project: { name: P, scm_type: git, scm_url: "https://git.example.com/p.git" }
- awx.awx.job_template: { name: "{{ item }}", project: P, playbook: "{{ item }}.yml" }
  loop: [build, deploy]
- awx.awx.workflow_job_template:
    name: W
    workflow_nodes:
      - { identifier: build, unified_job_template: { name: build, type: job_template } }
- awx.awx.schedule: { name: S, unified_job_template: deploy, rrule: "DTSTART:20240101T000000Z RRULE:FREQ=DAILY;INTERVAL=1" }
`,
    });
    expect(contradictions(dir)).toEqual([]);
    expect(loadBundle(dir).diagnostics.ansibleReading).toBe('apply');
  });

  it('a node task only Ansible can apply may be the node an edge names: no edge is to a missing node', () => {
    const dir = tempBundle({
      'tasks.yml': `
- awx.awx.project: { name: P, scm_type: git, scm_url: "https://git.example.com/p.git" }
- awx.awx.job_template: { name: J, project: P, playbook: j.yml }
- awx.awx.workflow_job_template: { name: W }
- awx.awx.workflow_job_template_node:
    { workflow_job_template: W, identifier: build, unified_job_template: J, success_nodes: [deploy] }
- awx.awx.workflow_job_template_node:
    { workflow_job_template: W, identifier: deploy, unified_job_template: J, extra_data: { v: "{{ v }}" } }
`,
    });
    expect(contradictions(dir)).toEqual([]);
    expect(loadBundle(dir).diagnostics.errors.map((d) => d.field)).toEqual(['extra_data.v']);
  });
});
