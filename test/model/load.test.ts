import { describe, expect, it } from 'vitest';
import { formatDiagnostic, loadBundle, type Bundle } from '../../lib/model';
import { WorkflowGraph } from '../../lib/semantics/graph';
import { tempBundle } from '../support/files';

const base = `
projects:
  - name: Infra
    local_path: project
inventories:
  - name: Prod
    hosts: { localhost: { ansible_connection: local } }
job_templates:
  - name: Deploy
    project: Infra
    inventory: Prod
    playbook: deploy.yml
    ask_variables_on_launch: true
  - name: Notify
    project: Infra
    inventory: Prod
    playbook: notify.yml
`;

function load(files: Record<string, string>, strict = false) {
  const result = loadBundle(tempBundle(files), { strict });
  return { ...result, messages: result.diagnostics.all.map(formatDiagnostic) };
}

function workflow(nodes: string, extra = ''): Record<string, string> {
  return {
    'base.yml': base,
    'wf.yml': `workflow_job_templates:\n  - name: WF\n${extra}    workflow_nodes:\n${nodes}`,
  };
}

function graphs(bundle: Bundle) {
  return Object.fromEntries(
    bundle.workflow_job_templates.map((w) => {
      const graph = WorkflowGraph.fromTemplate(w);
      return [
        w.name,
        {
          nodes: graph.nodes.map((n) => `${n.id}:${n.kind}:${n.template}:${n.all}`).sort(),
          edges: graph.edges.map((e) => `${e.parent}-${e.kind}->${e.child}`).sort(),
        },
      ];
    }),
  );
}

describe('the two loaders give the same bundle', () => {
  it('native and awx.awx task files of the guide describe the same workflows', () => {
    const native = loadBundle('examples/guide');
    const awx = loadBundle('examples/guide-awx/awx-config');
    expect(native.diagnostics.errors).toEqual([]);
    expect(awx.diagnostics.errors).toEqual([]);
    expect(graphs(awx.bundle)).toEqual(graphs(native.bundle));
    const survey = (b: Bundle) =>
      b.workflow_job_templates.find((w) => w.name === 'Full Deployment Pipeline')!.survey_spec;
    expect(survey(awx.bundle)).toEqual(survey(native.bundle));
    expect(awx.bundle.schedules.map((s) => s.name)).toEqual(native.bundle.schedules.map((s) => s.name));
  });
});

describe('native bundles', () => {
  it('applies AWX defaults', () => {
    const { bundle, diagnostics } = load(
      workflow('      - identifier: a\n        unified_job_template: Deploy\n'),
    );
    expect(diagnostics.errors).toEqual([]);
    const template = bundle.job_templates[0];
    expect(template).toMatchObject({
      job_type: 'run',
      forks: 0,
      verbosity: 0,
      timeout: 0,
      limit: '',
      job_tags: '',
      become_enabled: false,
      job_slice_count: 1,
      organization: 'Default',
    });
    expect(bundle.workflow_job_templates[0]).toMatchObject({
      allow_simultaneous: false,
      survey_enabled: false,
      ask_variables_on_launch: false,
    });
    expect(bundle.workflow_job_templates[0].workflow_nodes[0]).toMatchObject({
      all_parents_must_converge: false,
      extra_data: {},
      limit: null,
    });
  });
  it('reads extra_vars written as YAML or JSON text, as AWX stores them', () => {
    const { bundle } = load({
      'b.yml': base.replace('playbook: notify.yml', 'playbook: notify.yml\n    extra_vars: "{\\"a\\": 1}"'),
    });
    expect(bundle.job_templates[1].extra_vars).toEqual({ a: 1 });
  });
  it('names file, line, resource, field and value of an unknown reference, with a hint', () => {
    const { messages } = load(workflow('      - identifier: a\n        unified_job_template: Deploi\n'));
    expect(messages).toContainEqual(
      expect.stringMatching(
        /wf\.yml:5: warning: workflow job template 'WF', field 'workflow_nodes\[0\]\.unified_job_template', value "Deploi": unknown job template, workflow job template, project or inventory source 'Deploi' \(did you mean 'Deploy'\?\): not defined in these files; if it exists on your AWX or Towerless server, pass --catalog URL to read it from there/,
      ),
    );
  });
  it('reports unknown fields as likely typos', () => {
    const { messages } = load({
      'b.yml': base.replace('playbook: deploy.yml', 'playbook: deploy.yml\n    ask_variable_on_launch: true'),
    });
    expect(messages).toContainEqual(
      expect.stringMatching(
        /job template 'Deploy', field 'ask_variable_on_launch'.*unknown field \(did you mean 'ask_variables_on_launch'\?\)/,
      ),
    );
  });
  it('reports unknown top-level keys', () => {
    const { messages } = load({ 'b.yml': `${base}\njob_template: []\n` });
    expect(messages).toContainEqual(
      expect.stringMatching(/unknown top-level key \(did you mean 'job_templates'\?\)/),
    );
  });
  it('reports duplicate names with both places', () => {
    const { messages } = load({
      'a.yml': base,
      'b.yml': 'job_templates:\n  - name: Deploy\n    project: Infra\n    playbook: x.yml\n',
    });
    expect(messages).toContainEqual(
      expect.stringMatching(
        /b\.yml:2: error: job template 'Deploy', field 'name', value "Deploy": duplicate name: already defined at .*a\.yml:\d+/,
      ),
    );
  });
  it('reports duplicate node identifiers', () => {
    const { messages } = load(
      workflow(
        '      - identifier: a\n        unified_job_template: Deploy\n      - identifier: a\n        unified_job_template: Notify\n',
      ),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(/node 'a', field 'identifier', value "a": duplicate identifier/),
    );
  });
  it('refuses backslashes in node identifiers', () => {
    const { messages } = load(
      workflow('      - identifier: "a\\\\b"\n        unified_job_template: Deploy\n'),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(/field 'identifier', value "a\\\\b": may not contain a backslash/),
    );
  });
  it('prints the cycle', () => {
    const { messages } = load(
      workflow(
        '      - identifier: a\n        unified_job_template: Deploy\n        success_nodes: [b]\n      - identifier: b\n        unified_job_template: Notify\n        always_nodes: [a]\n',
      ),
    );
    expect(messages).toContainEqual(expect.stringMatching(/cycle detected: a -> b -> a/));
  });
  it('refuses two edge kinds between one pair', () => {
    const { messages } = load(
      workflow(
        '      - identifier: a\n        unified_job_template: Deploy\n        success_nodes: [b]\n        failure_nodes: [b]\n      - identifier: b\n        unified_job_template: Notify\n',
      ),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(/field 'failure_nodes', value "b": relationship not allowed/),
    );
  });
  it('refuses links to unknown identifiers', () => {
    const { messages } = load(
      workflow(
        '      - identifier: a\n        unified_job_template: Deploy\n        success_nodes: [nope]\n',
      ),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(/field 'success_nodes', value "nope": no node with identifier 'nope'/),
    );
  });
  it('refuses secret values in native credentials, without echoing them', () => {
    const { messages } = load({
      'c.yml':
        'credentials:\n  - name: K\n    credential_type: Machine\n    inputs:\n      username: u\n      password: hunter2\n',
    });
    expect(messages.join('\n')).not.toContain('hunter2');
    expect(messages).toContainEqual(
      expect.stringMatching(/credential 'K', field 'inputs\.password': is a secret: give a reference/),
    );
  });
  it('accepts secret references', () => {
    const { bundle, diagnostics } = load({
      'c.yml':
        'credentials:\n  - name: K\n    credential_type: Machine\n    inputs:\n      password: { secret: prod/ssh-password }\n',
    });
    expect(diagnostics.errors).toEqual([]);
    expect(bundle.credentials[0].inputs.password).toEqual({ secret: 'prod/ssh-password' });
  });
  it('reports YAML syntax errors with their line', () => {
    const { messages } = load({ 'bad.yml': 'job_templates:\n  - name: [unclosed\n' });
    expect(messages[0]).toMatch(/bad\.yml:\d+: error: YAML syntax error/);
  });
  it('reports a missing path', () => {
    const result = loadBundle('/nonexistent/towerless');
    expect(result.diagnostics.all.map(formatDiagnostic)).toEqual([
      '/nonexistent/towerless: error: no such file or folder',
    ]);
  });
  it('warns about nested workflows that recurse (AWX allows them at design time)', () => {
    const { messages, diagnostics } = load({
      'base.yml': base,
      'wf.yml': `workflow_job_templates:
  - name: A
    workflow_nodes:
      - identifier: to_b
        unified_job_template: B
  - name: B
    workflow_nodes:
      - identifier: to_a
        unified_job_template: A
`,
    });
    expect(diagnostics.errors).toEqual([]);
    expect(messages).toContainEqual(
      expect.stringMatching(/warning: workflow job template 'A'.*nested workflows recurse \(A -> B -> A\)/),
    );
  });
  it('asks for a type when a node template name is ambiguous', () => {
    const { messages } = load({
      'base.yml': base,
      'wf.yml':
        'workflow_job_templates:\n  - name: Deploy\n    workflow_nodes:\n      - identifier: a\n        unified_job_template: Deploy\n',
    });
    expect(messages).toContainEqual(
      expect.stringMatching(/is ambiguous: it names a job template and a workflow job template/),
    );
  });
  it('node extra_data the template does not accept: a warning, or an error with --strict', () => {
    const nodes =
      '      - identifier: a\n        unified_job_template: Notify\n        extra_data: { region: eu }\n        limit: web\n';
    const lenient = load(workflow(nodes));
    expect(lenient.diagnostics.errors).toEqual([]);
    expect(lenient.messages).toContainEqual(
      expect.stringMatching(/warning: .*field 'extra_data\.region', value "eu": 'Notify' does not accept it/),
    );
    expect(lenient.messages).toContainEqual(
      expect.stringMatching(
        /warning: .*field 'limit', value "web": 'Notify' does not prompt for limit \(set ask_limit_on_launch\)/,
      ),
    );
    expect(load(workflow(nodes), true).diagnostics.errors).toHaveLength(2);
  });
  it('approval nodes accept no prompts', () => {
    const { messages } = load(
      workflow(
        '      - identifier: gate\n        approval_node: { name: Gate, timeout: 60 }\n        extra_data: { x: 1 }\n',
      ),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(/node 'gate', field 'extra_data'.*an approval node accepts no extra_data/),
    );
  });
  it('a node without a template is allowed with a warning (AWX: deleted template)', () => {
    const { messages, diagnostics } = load(workflow('      - identifier: orphan\n'));
    expect(diagnostics.errors).toEqual([]);
    expect(messages).toContainEqual(expect.stringMatching(/node 'orphan'.*fails without running anything/));
  });
});

describe('empty and resource-less bundles', () => {
  it('an empty file on its own is an error', () => {
    const folder = tempBundle({ 'empty.yml': '' });
    const messages = loadBundle(`${folder}/empty.yml`).diagnostics.all.map(formatDiagnostic);
    expect(messages).toEqual([
      expect.stringMatching(/empty\.yml: error: the file is empty: it defines nothing$/),
    ]);
  });
  it('an empty file in a folder is a warning; the others still count', () => {
    const { diagnostics, messages, bundle } = load({ 'a.yml': base, 'b.yml': '# nothing yet\n' });
    expect(diagnostics.errors).toEqual([]);
    expect(messages).toEqual([
      expect.stringMatching(/b\.yml: warning: the file is empty: it defines nothing$/),
    ]);
    expect(bundle.job_templates).toHaveLength(2);
  });
  it('a bundle that defines no resources at all is an error', () => {
    const bundles: Record<string, string>[] = [
      { 'only-empty.yml': '', 'other.yml': '---\n' },
      { 'tasks.yml': '- ansible.builtin.debug: { msg: hi }\n' },
      { 'native.yml': '{}\n' },
    ];
    for (const files of bundles) {
      const { messages } = load(files);
      expect(messages).toContainEqual(
        expect.stringMatching(
          /: error: defines no resources: a bundle needs at least one of projects, inventories, /,
        ),
      );
    }
  });
});

describe('integers', () => {
  const template = (field: string) =>
    `${base}  - name: T\n    project: Infra\n    inventory: Prod\n    playbook: t.yml\n    ${field}\n`;
  it.each([
    ['timeout: 1.5e308', '1.5e+308'],
    ['timeout: 2147483648', '2147483648'],
    ['forks: "99999999999999999999"', '"99999999999999999999"'],
    ['timeout: -1', '-1'],
    ['job_slice_count: 0', '0'],
  ])('%s is out of AWX integer range', (field, shown) => {
    const { messages } = load({ 'a.yml': template(field) });
    const name = field.split(':')[0];
    const low = name === 'job_slice_count' ? 1 : 0;
    expect(messages).toEqual([
      expect.stringMatching(
        new RegExp(
          `error: job template 'T', field '${name}', value ${shown.replace(/[.+]/g, '\\$&')}: must be between ${low} and 2147483647$`,
        ),
      ),
    ]);
  });
  it('the largest AWX integer is accepted', () => {
    const { bundle, diagnostics } = load({ 'a.yml': template('timeout: 2147483647') });
    expect(diagnostics.errors).toEqual([]);
    expect(bundle.job_templates.find((t) => t.name === 'T')!.timeout).toBe(2147483647);
  });
  it('.inf and .nan are not integers', () => {
    for (const value of ['.inf', '.nan']) {
      expect(load({ 'a.yml': template(`timeout: ${value}`) }).messages).toEqual([
        expect.stringMatching(/field 'timeout', value (Infinity|NaN): must be an integer$/),
      ]);
    }
  });
});

describe('extra_vars written as text', () => {
  it('follow the same YAML limits as files: an alias bomb in the text is an error, not a hang', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]']
      .concat(
        'bcdefghij'
          .split('')
          .map((name, i) => `${name}: &${name} [${Array(10).fill(`*${'abcdefghij'[i]}`).join(', ')}]`),
      )
      .join('\\n');
    const { messages } = load({
      'a.yml': `${base}  - name: T\n    project: Infra\n    inventory: Prod\n    playbook: t.yml\n    extra_vars: "${bomb}"\n`,
    });
    expect(messages).toEqual([
      expect.stringMatching(
        /field 'extra_vars', .*is not valid YAML or JSON: aliases stand for .* nodes; the limit is 1,000,000/,
      ),
    ]);
  });
});
