import { describe, expect, it } from 'vitest';
import { formatDiagnostic, loadBundle } from '../../lib/model';
import { tempBundle } from '../support/files';

/** Custom credential types (AWX `credential_types`) and the credentials that use them. */

function load(files: Record<string, string>) {
  const result = loadBundle(tempBundle(files));
  return {
    ...result,
    errors: result.diagnostics.errors.map(formatDiagnostic),
    warnings: result.diagnostics.all.filter((d) => d.severity === 'warning').map(formatDiagnostic),
  };
}

const CLOUD_TYPE = `
credential_types:
  - name: Third Party Cloud
    description: API token for Third Party Cloud
    kind: cloud
    inputs:
      fields:
        - { id: api_token, label: API Token, secret: true }
        - { id: region, label: Region, choices: [eu, us], default: eu }
        - { id: endpoint, label: Endpoint, format: url }
        - { id: verify, label: Verify TLS, type: boolean, default: true }
        - { id: path, label: Install path }
      required: [api_token]
    injectors:
      file:
        template: "[cloud]\\ntoken={{ api_token }}"
      env:
        CLOUD_TOKEN: "{{ api_token }}"
        CLOUD_CONFIG: "{{ tower.filename }}"
      extra_vars:
        cloud: { region: "{{ region }}", verify: "{{ verify }}" }
`;

/** A type with the given injectors and inputs `api_token` (secret), `path` and `cert`. */
function typeWith(injectors: string, extra = ''): Record<string, string> {
  return {
    'types.yml': `
credential_types:
  - name: T
    kind: net
    inputs:
      fields:
        - { id: api_token, label: Token, secret: true }
        - { id: path, label: Path }
        - { id: cert, label: Certificate, multiline: true }
${extra}    injectors:
${injectors}`,
  };
}

describe('credential types', () => {
  it('reads fields and injectors with AWX names and defaults', () => {
    const { bundle, errors } = load({ 'types.yml': CLOUD_TYPE });
    expect(errors).toEqual([]);
    const [type] = bundle.credential_types;
    expect(type).toMatchObject({
      name: 'Third Party Cloud',
      kind: 'cloud',
      inputs: { required: ['api_token'] },
    });
    expect(type.inputs.fields[0]).toEqual({
      id: 'api_token',
      label: 'API Token',
      type: 'string',
      secret: true,
      multiline: false,
      format: null,
      choices: null,
      help_text: '',
    });
    expect(type.inputs.fields[1]).toMatchObject({ choices: ['eu', 'us'], default: 'eu' });
    expect(type.injectors).toEqual({
      file: { template: '[cloud]\ntoken={{ api_token }}' },
      env: { CLOUD_TOKEN: '{{ api_token }}', CLOUD_CONFIG: '{{ tower.filename }}' },
      extra_vars: { cloud: { region: '{{ region }}', verify: '{{ verify }}' } },
    });
  });

  it('refuses an env injector for PATH, naming file, line, type, field and why', () => {
    const { errors } = load(typeWith('      env: { PATH: "{{ path }}" }\n'));
    expect(errors).toEqual([
      expect.stringMatching(
        /^[^:]+types\.yml:11: error: credential type 'T', field 'injectors\.env\.PATH': may not be set by a credential: the runner sets it for ansible$/,
      ),
    ]);
  });

  it.each([
    ['JOB_ID', 'AWX refuses it'],
    ['PYTHONPATH', 'AWX refuses it'],
    ['ANSIBLE_CONFIG', 'ANSIBLE_'],
    ['HOME', 'the runner sets it'],
    ['LANG', 'the runner sets it'],
    ['LC_CTYPE', 'locale'],
    ['TZ', 'the runner sets it'],
    ['TMPDIR', 'the runner sets it'],
    ['USER', 'the runner sets it'],
    ['PYTHONSTARTUP', 'Python'],
    ['LD_PRELOAD', 'libraries'],
    ['SSH_AUTH_SOCK', 'ssh-agent'],
    ['RUNNER_OMIT_EVENTS', 'ansible-runner'],
    ['TOWERLESS_NODE', 'TOWERLESS_'],
    ['AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS credentials'],
    ['ECS_CONTAINER_METADATA_URI', 'ECS'],
    ['1ST', 'not an environment variable name'],
  ])('refuses an env injector for %s', (name, reason) => {
    const { errors } = load(typeWith(`      env: { ${name}: "x" }\n`));
    expect(errors).toEqual([expect.stringContaining(`field 'injectors.env.${name}'`)]);
    expect(errors[0]).toContain(reason);
  });

  it('accepts variables that only look alike (names are case-sensitive)', () => {
    const { errors } = load(typeWith('      env: { path: "{{ path }}", CLOUD_PATH: "{{ path }}" }\n'));
    expect(errors).toEqual([]);
  });

  it.each([
    ['{{ apitoken }}', "uses an undefined field 'apitoken' (did you mean 'api_token'?)"],
    ['{% if nope %}x{% endif %}', "uses an undefined field 'nope'"],
    ['{{ tower.filename }}', 'must define an unnamed file injector (template) to reference tower.filename'],
    ['{{ tower }}', "cannot reference the reserved 'tower' namespace except as tower.filename"],
    ['{{ api_token', 'has a template syntax error: expected variable end'],
    ['{{ api_token }', 'has a template syntax error: line 1, column 14: expected variable end'],
    ["{{ ''.constructor }}", 'attributes and indexes must be plain names or numbers'],
    ['{{ range(3) }}', 'calling a function is not allowed'],
    ["{% include 'x.j2' %}", 'reading another template is not allowed'],
    ['{% macro m() %}x{% endmacro %}', 'a macro is not allowed'],
    ['{{ path | constructor }}', "'constructor' is not a built-in filter"],
    ['{{ path | no_such_filter }}', "'no_such_filter' is not a built-in filter"],
    ['{{ constructor }}', "'constructor' is not a usable name"],
    ['{{ {"__proto__": path} }}', 'is not a usable key'],
    ['{{ path | replace(r/x/g, "y") }}', 'regular expression literals are not allowed'],
  ])('refuses the template %s', (template, message) => {
    const { errors } = load(typeWith(`      env: { X: ${JSON.stringify(template)} }\n`));
    expect(errors).toEqual([expect.stringContaining(message)]);
    expect(errors[0]).toContain("field 'injectors.env.X'");
  });

  it('accepts the Jinja injector templates use: filters, tests, conditions, loops, set', () => {
    const { errors } = load(
      typeWith(`      env:
        A: "{{ path | default('/opt') | upper }}"
        B: "{% if cert is defined and path %}{{ cert | trim }}{% else %}none{% endif %}"
        C: "{% for part in path.split %}{{ loop.index }}{% endfor %}{% set p = path %}{{ p ~ '/bin' }}"
        D: "{{ path[0] }}{{ {'a': path}.a }}"
`),
    );
    expect(errors).toEqual([]);
  });

  it('checks file injectors: tower.filename.<name> needs template.<name>; one syntax at a time', () => {
    const named = load(
      typeWith(`      file: { template.cert: "{{ cert }}" }
      env: { CERT: "{{ tower.filename.cert }}", KEY: "{{ awx.filename.key }}" }
`),
    );
    expect(named.errors).toEqual([
      expect.stringContaining(
        "field 'injectors.env.KEY', value \"{{ awx.filename.key }}\": references awx.filename.key, but no file injector 'template.key' is defined",
      ),
    ]);
    const mixed = load(typeWith(`      file: { template: "a", template.cert: "b", config: "c" }\n`));
    expect(mixed.errors).toEqual([
      expect.stringContaining("field 'injectors.file.config': must be 'template' or 'template.<name>'"),
      expect.stringContaining(
        "field 'injectors.file.template': must use only 'template.<name>' when injecting several files",
      ),
    ]);
  });

  it('checks extra_vars injectors: names, nested values and templated keys', () => {
    const { errors } = load(
      typeWith(`      extra_vars:
        ok: { list: ["{{ path }}"], "{{path}}_x": "{{ cert }}" }
        bad-name: x
        number: 3
        deep: { inner: "{{ nope }}" }
`),
    );
    expect(errors).toEqual([
      expect.stringContaining("field 'injectors.extra_vars.bad-name': is not a variable name"),
      expect.stringContaining("field 'injectors.extra_vars.number', value 3: must be a template string"),
      expect.stringContaining(
        "field 'injectors.extra_vars.deep.inner', value \"{{ nope }}\": uses an undefined field 'nope'",
      ),
    ]);
  });

  it('checks inputs as AWX does: ids, duplicates, reserved ids, string-only options, defaults', () => {
    const { errors } = load({
      'types.yml': `
credential_types:
  - name: Bad
    kind: cloud
    inputs:
      fields:
        - { id: token, label: Token }
        - { id: token, label: Again }
        - { id: tower, label: Tower }
        - { id: awx, label: Awx }
        - { id: 2fa, label: Two }
        - { id: flag, label: Flag, type: boolean, secret: true, default: "yes" }
        - { id: pick, label: Pick, choices: [] }
        - { id: asked, label: Asked, ask_at_runtime: true }
        - { id: nolabel }
        - { id: typo, label: Typo, secrett: true }
      required: [token, tokn]
      dependencies: {}
    injectors: {}
`,
    });
    expect(errors).toEqual([
      expect.stringContaining('field \'inputs.fields[1].id\', value "token": duplicate id'),
      expect.stringContaining(
        "field 'inputs.fields[2].id', value \"tower\": 'tower' is a reserved field name",
      ),
      expect.stringContaining("field 'inputs.fields[3].id', value \"awx\": 'awx' is a reserved field name"),
      expect.stringContaining('field \'inputs.fields[4].id\', value "2fa": is an invalid variable name'),
      expect.stringContaining("field 'inputs.fields[5].secret', value true: not allowed for a boolean input"),
      expect.stringContaining('field \'inputs.fields[5].default\', value "yes": is not a boolean'),
      expect.stringContaining(
        "field 'inputs.fields[6].choices', value []: must be a non-empty list of strings",
      ),
      expect.stringContaining(
        "field 'inputs.fields[7].ask_at_runtime', value true: is not supported for custom credential types",
      ),
      expect.stringContaining("field 'inputs.fields[8].label': is required"),
      expect.stringContaining(
        "field 'inputs.fields[9].secrett', value true: unknown field (did you mean 'secret'?)",
      ),
      expect.stringContaining(
        "field 'inputs.required', value \"tokn\": is not an input id (did you mean 'token'?)",
      ),
      expect.stringContaining("field 'inputs.dependencies'"),
    ]);
  });

  it('requires kind cloud or net, refuses managed and duplicate names', () => {
    const { errors } = load({
      'types.yml': `
credential_types:
  - { name: A, inputs: {}, injectors: {} }
  - { name: B, kind: ssh }
  - { name: Machine, kind: cloud }
  - { name: B, kind: net }
  - { name: Ansible Tower, kind: cloud }
`,
    });
    expect(errors).toEqual([
      expect.stringContaining("credential type 'A', field 'kind': is required: 'cloud' or 'net'"),
      expect.stringContaining(
        "credential type 'B', field 'kind', value \"ssh\": must be one of 'cloud', 'net'",
      ),
      expect.stringContaining(
        "credential type 'Machine', field 'name', value \"Machine\": is taken by AWX's managed credential type 'Machine'",
      ),
      expect.stringContaining(
        "value \"Ansible Tower\": is taken by AWX's managed credential type 'Red Hat Ansible Automation Platform'",
      ),
      expect.stringContaining("credential type 'B', field 'name', value \"B\": duplicate name"),
    ]);
  });
});

describe('credentials of custom types', () => {
  it('a credential of an undefined type is an error, with did-you-mean', () => {
    const { errors } = load({
      'types.yml': CLOUD_TYPE,
      'creds.yml':
        'credentials:\n  - { name: C, credential_type: Third Party Clod, inputs: { path: /opt } }\n',
    });
    expect(errors).toEqual([
      expect.stringMatching(
        /creds\.yml:2: error: credential 'C', field 'credential_type', value "Third Party Clod": is neither one of AWX's managed credential types nor one defined under credential_types \(did you mean 'Third Party Cloud'\?\)$/,
      ),
    ]);
  });

  it("checks inputs against the type's fields; secret fields take references only", () => {
    const { errors, warnings, bundle } = load({
      'types.yml': CLOUD_TYPE,
      'creds.yml': `
credentials:
  - name: Good
    credential_type: Third Party Cloud
    inputs: { api_token: { secret: cloud/token }, region: us, endpoint: "https://api.example.com", verify: false }
  - name: Bad
    credential_type: Third Party Cloud
    inputs: { api_token: hunter22, region: ue, endpoint: example.com, verify: "yes", path: 3, pth: x }
`,
    });
    expect(bundle.credentials[0].inputs).toEqual({
      api_token: { secret: 'cloud/token' },
      region: 'us',
      endpoint: 'https://api.example.com',
      verify: false,
    });
    expect(errors).toEqual([
      expect.stringContaining("credential 'Bad', field 'inputs.api_token': is a secret: give a reference"),
      expect.stringContaining(
        "field 'inputs.region', value \"ue\": must be one of 'eu', 'us' (did you mean 'us'?)",
      ),
      expect.stringContaining(
        'field \'inputs.endpoint\', value "example.com": must be a URL with a scheme and a host',
      ),
      expect.stringContaining('field \'inputs.verify\', value "yes": must be true or false'),
      expect.stringContaining("field 'inputs.path', value 3: must be a string"),
      expect.stringContaining(
        "field 'inputs.pth', value \"pth\": not an input of Third Party Cloud (did you mean 'path'?)",
      ),
    ]);
    expect(errors.join('\n')).not.toContain('hunter22');
    expect(warnings).toEqual([]);
  });

  it('warns when a required input is left out (AWX forms require it; its API does not)', () => {
    const { errors, warnings } = load({
      'types.yml': CLOUD_TYPE,
      'creds.yml':
        'credentials:\n  - { name: C, credential_type: Third Party Cloud, inputs: { region: eu } }\n',
    });
    expect(errors).toEqual([]);
    expect(warnings).toEqual([
      expect.stringContaining(
        "credential 'C', field 'inputs.api_token': is required by credential type 'Third Party Cloud'",
      ),
    ]);
  });
});

describe('awx.awx credential_type tasks', () => {
  it('awx.awx.credential_type and tower_credential_type define types; later tasks update them', () => {
    const { errors, bundle, diagnostics } = load({
      'types.yml': `
- name: Cloud type
  awx.awx.credential_type:
    name: Third Party Cloud
    kind: cloud
    inputs: { fields: [{ id: api_token, label: API Token, secret: true }] }
    # Ansible renders task arguments: templates meant for AWX are escaped.
    injectors:
      env:
        CLOUD_TOKEN: "{{ '{{' }} api_token }}"
        CLOUD_AUTH: "Bearer {% raw %}{{ api_token }}{% endraw %}"
      extra_vars: { "{{ '{{' }}api_token{{ '}}' }}_seen": "{{ '{{' }} api_token {{ '}}' }}" }
    controller_host: https://awx.example.com
- name: Legacy type
  tower_credential_type:
    name: Legacy
    kind: net
    inputs: '{"fields": [{"id": "user", "label": "User"}]}'
    injectors: '{"extra_vars": {"net_user": "{{ user }}"}}'
- name: Update
  awx.awx.credential_type:
    name: Legacy
    description: now described
- name: Cloud credential
  awx.awx.credential:
    name: C
    credential_type: Third Party Cloud
    organization: Default
    inputs: { api_token: "{{ lookup('env', 'CLOUD_TOKEN') }}" }
`,
    });
    expect(errors).toEqual([]);
    expect(bundle.credential_types.map((t) => [t.name, t.kind, t.description])).toEqual([
      ['Third Party Cloud', 'cloud', ''],
      ['Legacy', 'net', 'now described'],
    ]);
    expect(bundle.credential_types[0].injectors).toMatchObject({
      env: { CLOUD_TOKEN: '{{ api_token }}', CLOUD_AUTH: 'Bearer {{ api_token }}' },
      extra_vars: { '{{api_token}}_seen': '{{ api_token }}' },
    });
    expect(bundle.credential_types[1].injectors.extra_vars).toEqual({ net_user: '{{ user }}' });
    expect(bundle.credentials[0].inputs).toEqual({ api_token: { secret: 'towerless/c/api_token' } });
    expect(diagnostics.all.map((d) => d.message).join('\n')).not.toContain('outside workflow definitions');
  });

  it('inputs given as a Jinja lookup cannot be read', () => {
    const { errors } = load({
      'types.yml': `
- awx.awx.credential_type:
    name: Nexus
    kind: cloud
    inputs: "{{ lookup('file', 'credential_inputs_nexus.json') }}"
`,
    });
    expect(errors).toEqual([
      expect.stringMatching(
        /field 'inputs', value "\{\{ lookup\('file', 'credential_inputs_nexus\.json'\) \}\}": is a Jinja expression /,
      ),
    ]);
  });
});
