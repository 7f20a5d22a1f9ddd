import { describe, expect, it } from 'vitest';
import { formatDiagnostic, loadBundle, type Bundle } from '../../lib/model';
import { tempBundle } from '../support/files';

/** The bundle of one file, and its findings without the folder's name. */
function load(file: string, content: string) {
  const dir = tempBundle({ [file]: content });
  const { bundle, diagnostics } = loadBundle(dir);
  const shown = (severity: string) =>
    diagnostics.all
      .filter((d) => d.severity === severity)
      .map((d) => formatDiagnostic(d).replace(/^[^:]*\//, ''));
  return { bundle, errors: shown('error'), warnings: shown('warning'), notes: shown('note') };
}

/** Where each job template runs, as the model read it. */
function placement(bundle: Bundle) {
  return {
    templates: bundle.job_templates.map((t) => [t.name, t.execution_environment, t.instance_groups]),
    projects: bundle.projects.map((p) => [p.name, p.default_environment]),
    environments: bundle.execution_environments.map((e) => [e.name, e.image, e.pull, e.origin.base === true]),
    groups: bundle.instance_groups.map((g) => [
      g.name,
      g.is_container_group,
      g.capacity.cpu,
      g.origin.base === true,
    ]),
  };
}

/** The notes on what the definitions name of AWX's default objects: read from them, no warning. */
function defaultNotes(file: string, projectLine: number, templateLine: number): string[] {
  const read = (line: number, owner: string, field: string, value: string, label: string) =>
    `${file}:${line}: note: ${owner}, field '${field}', value "${value}": not defined in these files: AWX's default ${label} '${value}', as every AWX has it from its install`;
  return [
    read(
      projectLine,
      "project 'Playbooks'",
      'default_environment',
      'AWX EE (latest)',
      'execution environment',
    ),
    read(templateLine, "job template 'Deploy'", 'inventory', 'Demo Inventory', 'inventory'),
    read(templateLine, "job template 'Deploy'", 'instance_groups', 'default', 'instance group'),
  ];
}

const POD = `spec:
  containers: [{ resources: { requests: { cpu: '2', memory: 4Gi } } }]`;

/** The same definitions in each format: what every loader must read alike. */
const EXPECTED = {
  templates: [['Deploy', 'Ops EE', ['Big', 'default']]],
  projects: [['Playbooks', 'AWX EE (latest)']],
  environments: [
    ['Ops EE', 'registry.example.com/ops/ee:1.0', 'missing', false],
    // AWX's own, named and read from its default objects.
    ['AWX EE (latest)', 'quay.io/ansible/awx-ee:latest', '', true],
  ],
  groups: [
    ['Big', true, 2, false],
    ['default', false, undefined, true],
  ],
};

describe('execution environments and instance groups, read from every format', () => {
  it('a native bundle: top-level lists; AWX default ones named without a warning', () => {
    const { bundle, errors, warnings, notes } = load(
      'bundle.yml',
      `
execution_environments: [{ name: Ops EE, image: 'registry.example.com/ops/ee:1.0', pull: missing }]
instance_groups:
  - name: Big
    is_container_group: true
    pod_spec_override: |
${POD.replace(/^/gm, '      ')}
projects: [{ name: Playbooks, local_path: p, default_environment: AWX EE (latest) }]
job_templates:
  - { name: Deploy, project: Playbooks, playbook: d.yml, inventory: Demo Inventory, execution_environment: Ops EE, instance_groups: [Big, default] }
`,
    );
    expect([errors, warnings]).toEqual([[], []]);
    expect(placement(bundle)).toEqual(EXPECTED);
    expect(notes).toEqual(defaultNotes('bundle.yml', 9, 11));
  });

  it('controller_configuration variables: the roles in dispatch order, what they send', () => {
    const { bundle, errors, warnings, notes } = load(
      'config.yml',
      `
controller_templates:
  - name: Deploy
    project: Playbooks
    inventory: Demo Inventory
    playbook: d.yml
    execution_environment: { name: Ops EE }
    instance_groups: [Big, default]
controller_projects: [{ name: Playbooks, local_path: p, default_environment: AWX EE (latest) }]
controller_execution_environments:
  - { name: Ops EE, image: 'registry.example.com/ops/ee:1.0' }
controller_instance_groups:
  - name: Big
    is_container_group: true
    policy_instance_list: []
    pod_spec_override: |
${POD.replace(/^/gm, '      ')}
    credential: Cluster Token
`,
    );
    expect([errors, warnings]).toEqual([[], []]);
    expect(placement(bundle)).toEqual(EXPECTED);
    expect(notes).toEqual([
      "config.yml:19: note: instance group 'Big', field 'controller_instance_groups[0].credential', value \"Cluster Token\": AWX's; Towerless does not use it, and it is not kept",
      ...defaultNotes('config.yml', 9, 3),
    ]);
  });

  it('awx.awx task files: the execution_environment and instance_group modules define them', () => {
    const { bundle, errors, warnings, notes } = load(
      'tasks.yml',
      `
- awx.awx.execution_environment: { name: Ops EE, image: 'registry.example.com/ops/ee:1.0' }
- awx.awx.instance_group:
    name: Big
    is_container_group: true
    instances: [node1]
    pod_spec_override: |
${POD.replace(/^/gm, '      ')}
- awx.awx.project: { name: Playbooks, local_path: p, default_environment: AWX EE (latest) }
- awx.awx.job_template:
    name: Deploy
    project: Playbooks
    inventory: Demo Inventory
    playbook: d.yml
    execution_environment: Ops EE
    instance_groups: Big,default
`,
    );
    expect([errors, warnings]).toEqual([[], []]);
    expect(placement(bundle)).toEqual(EXPECTED);
    expect(notes).toEqual([
      "tasks.yml:6: note: task 'awx.awx.instance_group', field 'instances': accepted for AWX compatibility; Towerless does not use it",
      ...defaultNotes('tasks.yml', 10, 12),
    ]);
  });
});

describe('bad names and pod specs', () => {
  it('an unknown execution environment or instance group: the field, the value and the name it may mean', () => {
    const { warnings } = load(
      'bundle.yml',
      `
execution_environments: [{ name: Ops EE, image: 'registry.example.com/ops/ee:1.0' }]
instance_groups: [{ name: Big }]
projects: [{ name: Playbooks, local_path: p }]
job_templates:
  - { name: Deploy, project: Playbooks, playbook: d.yml, inventory: Demo Inventory, execution_environment: Ops Ee, instance_groups: [Bigg] }
`,
    );
    expect(warnings).toEqual([
      expect.stringMatching(
        /^bundle\.yml:6: warning: job template 'Deploy', field 'execution_environment', value "Ops Ee": unknown execution environment 'Ops Ee' \(did you mean 'Ops EE'\?\): not defined in these files/,
      ),
      expect.stringMatching(
        /^bundle\.yml:6: warning: job template 'Deploy', field 'instance_groups', value "Bigg": unknown instance group 'Bigg' \(did you mean 'Big'\?\): not defined in these files/,
      ),
    ]);
  });

  it('a pod spec that does not read is an error at its group', () => {
    const { errors } = load(
      'bundle.yml',
      "instance_groups: [{ name: Big, is_container_group: true, pod_spec_override: 'spec: [' }]\n",
    );
    expect(errors).toEqual([
      expect.stringMatching(
        /^bundle\.yml:1: error: instance group 'Big', field 'pod_spec_override'.*is not YAML/,
      ),
    ]);
  });
});
