import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Document, isMap, isScalar, parse, type Scalar } from 'yaml';
import { describe, expect, it } from 'vitest';
import { INVENTORY_PARTS, TOP_LEVEL_MODULES } from '../../lib/model/awx-loader';
import { CONFIG_VARIABLES } from '../../lib/model/controller-config-format';
import { formatDiagnostic, loadBundle } from '../../lib/model';
import type { JobTemplate } from '../../lib/model/types';
import { unescapeAnsible } from '../../lib/model/resources/credential-type-injectors';
import { isSecretConfigurationKey } from '../../lib/model/resources/notification-template';

/**
 * The static readers never keep a Jinja string as a literal name, variable or value (see
 * lib/model/ansible-only.ts). Ansible (ansible-core 2.14, ansible/template/__init__.py) templates
 * every string holding a start string of its jinja2 environment, `{{`, `{%` or `{#`
 * (`is_possibly_template` guards `Templar.template`): it renders it, or fails on it (`{{ x`). It
 * templates the values of module arguments and of variables at any depth, never the keys of a
 * mapping, never a value tagged `!unsafe` (checked with a playbook). So, for text put anywhere in
 * what a reader reads:
 * - Jinja where Ansible renders it: the reader refuses it, with a diagnostic marked as needing
 *   Ansible that names the field, and the bundle holds the text nowhere;
 * - Jinja where a reader has a reading of its own: a secret becomes a reference (a credential input,
 *   a secret setting); in task files, messages and injectors are AWX's templates, kept;
 * - Jinja where Ansible leaves it (a key, `!unsafe`), and text without Jinja anywhere: kept
 *   exactly, or an error about it; never refused as Jinja.
 * Each case is a file written with the yaml package (every scalar style) and read by loadBundle.
 */

/** Near misses ansible-core 2.14's Templar returns unchanged (tried one by one). */
const ANSIBLE_KEEPS = [
  '{ {x} }',
  '{x}',
  '%}',
  '{ {',
  '}}',
  '#}',
  '{ %x% }',
  '{ #c# }',
  'x }} y',
  '{x}}',
  '${x}',
  '{$x}',
  '%{x}',
  '#{x}',
  '{\\{x}}',
  '{ {- x -} }',
  '[[ x ]]',
  '<%= x %>',
  // The controller_configuration roles' escape for text AWX renders: Ansible leaves it alone.
  '{  { x }}',
  // A jinja2 override header is read only once a start string made the text a template.
  '#jinja2:variable_start_string:"[["\n[[ x ]]',
];

type Path = readonly (string | number)[];
type Raw = Record<string, unknown>;

/** Where a generated string goes: the value at `path` of the document, or a key beside the one there. */
interface Place {
  readonly path: Path;
  readonly at: 'value' | 'key';
}

// --- Generated strings ---------------------------------------------------------------------------

/** Whitespace Jinja allows inside its delimiters, odd ones included. */
const space = fc.constantFrom('', ' ', '  ', '\t', '\n', ' \n  ');
const trim = fc.constantFrom('', '-', '+');
const expression = fc.constantFrom(
  'x',
  'item.name',
  "lookup('env', 'HOME')",
  "x | default('a', true)",
  'x ~ "}}"',
  "vars['a-b']",
  '1 + 2',
  '[1, 2] | join(",")',
);
/** Text around a construct: letters, and the characters of Jinja's delimiters. */
const filler = fc.string({
  unit: fc.constantFrom('a', 'b', ' ', '-', '{', '}', '%', '#', '\n', 'é', '$', ':', "'", '"'),
  maxLength: 6,
});

const construct: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(trim, space, expression, space, trim)
    .map(([open, before, expr, after, close]) => `{{${open}${before}${expr}${after}${close}}}`),
  fc
    .tuple(trim, space, expression, filler)
    .map(([open, before, expr, body]) => `{%${open}${before}if ${expr} %}${body}{% endif ${open}%}`),
  fc.tuple(space, expression).map(([before, expr]) => `{% for i in ${expr} %}{{ i }}{%${before}endfor %}`),
  fc.tuple(space, filler).map(([before, body]) => `{#${before}${body.replaceAll('#}', '')}${before}#}`),
  fc
    .tuple(space, filler)
    .map(([before, body]) => `{%${before}raw${before}%}${body}{{ x }}{%${before}endraw${before}%}`),
  fc.constantFrom('{{ x', '{{x}', 'a {% b', '{#', '{{', '{%', '{#}', '{{}}', '{%%}'),
);

/** A Jinja construct at the start, in the middle or at the end of other text, maybe over lines. */
const jinja: fc.Arbitrary<string> = fc
  .tuple(filler, construct, filler, fc.option(construct, { nil: undefined }))
  .map(([before, first, after, second]) => `${before}${first}${after}${second ?? ''}`);

/** Text Ansible leaves as it is: none of Jinja's start strings (`{{`, `{%`, `{#`). */
const noJinja: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...ANSIBLE_KEEPS),
  fc
    .string({
      unit: fc.constantFrom('{', '}', '%', '#', ' ', '-', 'x', '$', '[', ']', '\n', '\t'),
      minLength: 1,
      maxLength: 10,
    })
    .filter((text) => !/\{[{%#]/.test(text) && text.trim() !== ''),
);

/** How the string is written in YAML. */
const STYLES = ['PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'] as const;
type Style = (typeof STYLES)[number];

interface Written {
  readonly text: string;
  readonly style: Style;
  readonly unsafe: boolean;
}

const writtenAs = (text: fc.Arbitrary<string>, unsafe: fc.Arbitrary<boolean>): fc.Arbitrary<Written> =>
  fc.record({ text, style: fc.constantFrom(...STYLES), unsafe });

// --- Writing and reading files -------------------------------------------------------------------

/** Every value under `path` of `value` (a place for text), and every mapping key (a place for a key). */
function placesOf(value: unknown, path: Path): Place[] {
  const here: Place[] = [{ path, at: 'value' }];
  if (Array.isArray(value))
    return [...here, ...value.flatMap((item, index) => placesOf(item, [...path, index]))];
  if (value === null || typeof value !== 'object') return here;
  return [
    ...here,
    ...Object.entries(value).flatMap(([key, child]) => [
      { path: [...path, key], at: 'key' as const },
      ...placesOf(child, [...path, key]),
    ]),
  ];
}

/**
 * `root` with `text` at `path`: in place of the value there, or as a key just before the key there
 * (with the same value: the mapping keeps the fields it needs, and gains one).
 */
function substituted(root: unknown, path: Path, at: Place['at'], text: string): unknown {
  const [head, ...rest] = path;
  if (Array.isArray(root))
    return root.map((item, index) =>
      index === head ? (rest.length === 0 ? text : substituted(item, rest, at, text)) : item,
    );
  return Object.fromEntries(
    Object.entries(root as Raw).flatMap(([key, child]) => {
      if (key !== head) return [[key, child]];
      if (rest.length > 0) return [[key, substituted(child, rest, at, text)]];
      return at === 'key'
        ? [
            [text, child],
            [key, child],
          ]
        : [[key, text]];
    }),
  );
}

/**
 * YAML text of `document` with `written` at `place`, in its style and tag. The yaml package's
 * writer gets some styles wrong (a plain scalar ending a line with `:`, a double-quoted one with a
 * line of spaces): text it would not read back as written is written as JSON, which is YAML's
 * double-quoted style. Whether it reads back is tried on a document of the path alone, which nests
 * the text as deep and costs far less to write and read than the whole.
 */
function render(document: unknown, place: Place, written: Written): string {
  const alone = skeleton(place.path);
  if (readsBack(write(alone, place, written, written.style), place, written.text))
    return write(document, place, written, written.style);
  const placeholder = 'written-as-json';
  const json = (root: unknown) =>
    write(root, place, { ...written, text: placeholder }, 'PLAIN').replace(
      placeholder,
      JSON.stringify(written.text),
    );
  if (!readsBack(json(alone), place, written.text))
    throw new Error(`cannot write ${JSON.stringify(written.text)}`);
  return json(document);
}

function write(root: unknown, place: Place, written: Written, style: Style): string {
  const { path, at } = place;
  const doc = new Document(substituted(root, path, at, written.text));
  let node: Scalar;
  if (at === 'value') node = doc.getIn(path, true) as Scalar;
  else {
    const parent = doc.getIn(path.slice(0, -1), true);
    if (!isMap(parent)) throw new Error(`no mapping at ${path.join('.')}`);
    node = parent.items.find((pair) => isScalar(pair.key) && pair.key.value === written.text)!.key as Scalar;
  }
  node.type = style;
  if (written.unsafe) node.tag = '!unsafe';
  return doc.toString({ lineWidth: 0 });
}

/** Mappings and lists holding a value at `path`, and nothing else. */
function skeleton(path: Path): unknown {
  return path.reduceRight<unknown>((inner, key) => {
    if (typeof key === 'string') return { [key]: inner };
    const list = new Array<unknown>(key).fill(null);
    list.push(inner);
    return list;
  }, 'value');
}

function readsBack(text: string, place: Place, value: string): boolean {
  let parsed: unknown;
  try {
    parsed = parse(text, { customTags: [{ tag: '!unsafe', resolve: (source: string) => source }] });
  } catch {
    return false;
  }
  const parent = valueAt(parsed, place.path.slice(0, -1)) as Raw;
  return place.at === 'key'
    ? Object.hasOwn(parent, value)
    : parent[place.path[place.path.length - 1]] === value;
}

function valueAt(root: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, key) => (node as Raw)[key], root);
}

function isMapping(value: unknown): value is Raw {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `a.b[0].c`, as diagnostics name fields. */
function dotted(path: Path): string {
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : index ? `.${part}` : part))
    .join('');
}

const folder = mkdtempSync(join(tmpdir(), 'towerless-jinja-'));

/** Loads `text` as a user's file is read: from a file, through loadBundle. */
function loadText(text: string): ReturnType<typeof loadBundle> {
  const file = join(folder, 'definitions.yml');
  writeFileSync(file, text);
  return loadBundle(file);
}

/** Every string of the bundle, keys included. */
function stringsOf(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsOf(item, into);
  else if (value !== null && typeof value === 'object')
    for (const [key, child] of Object.entries(value)) {
      into.push(key);
      stringsOf(child, into);
    }
  return into;
}

// --- What each place is, and what a load must show ----------------------------------------------

/** Where a place is for the readers. */
interface Site {
  /** The awx.awx module the text goes to, and its path in the module's arguments. */
  readonly module: string;
  readonly argument: Path;
  /** The field diagnostics name for text at this place (a key names the field it makes). */
  readonly field: string;
  /** Whether the bundle keeps the value: not a field it has no place for, not text for a mapping. */
  readonly keeps: boolean;
  /** The text as the bundle keeps it. */
  readonly kept: (written: Written) => string;
}

/**
 * What Jinja at a place is to Ansible and the readers: 'rendered' by Ansible (a value), 'kept' by
 * it (a key), a 'secret' the reader makes a reference of when it is Jinja (a credential input, a
 * secret setting), or an 'awx-template' AWX renders (messages, injectors in a task file).
 */
type Reading = 'rendered' | 'kept' | 'secret' | 'awx-template';

/**
 * What a load must show for a string written at a place: 'refused' (marked as needing Ansible),
 * 'kept' (exactly, or an error), 'secret' (a secret reference, or refused), 'not-refused'.
 */
type Expected = 'refused' | 'kept' | 'secret' | 'not-refused';

/** Arguments AWX renders as its own templates. */
const AWX_TEMPLATE_ARGUMENTS: Readonly<Record<string, string>> = {
  credential_type: 'injectors',
  notification_template: 'messages',
};

/** Whether `argument` (a path in the arguments of `module`) is a secret, or inside one. */
function isSecret(module: string, argument: Path): boolean {
  const [name, key] = argument;
  if (argument.length < 2) return false;
  if (module === 'credential') return name === 'inputs';
  return (
    module === 'notification_template' &&
    name === 'notification_configuration' &&
    isSecretConfigurationKey('slack', String(key))
  );
}

/**
 * What Jinja at `place` is (see Reading); `awxTemplates`: whether text AWX renders is taken as
 * written (task files), or left to Ansible (controller_configuration, but for the roles' `{  {`).
 */
function readingOf(site: Site, at: Place['at'], awxTemplates: boolean): Reading {
  const { module, argument } = site;
  if (at === 'key') return 'kept';
  if (awxTemplates && argument.length > 0 && AWX_TEMPLATE_ARGUMENTS[module] === argument[0])
    return 'awx-template';
  return argument.length === 2 && isSecret(module, argument) ? 'secret' : 'rendered';
}

function expectedFor(reading: Reading, keeps: boolean, written: Written, jinja: boolean): Expected {
  const literal = !jinja || (written.unsafe && reading !== 'kept');
  if (reading === 'secret') return literal ? 'not-refused' : 'secret';
  if (literal || reading !== 'rendered') return keeps ? 'kept' : 'not-refused';
  return 'refused';
}

/** What a static reader is given, and how it reads it. */
interface ReaderCase {
  readonly document: unknown;
  readonly places: readonly Place[];
  readonly site: (place: Place, text: string) => Site;
  readonly awxTemplates: boolean;
  readonly needsAnsible: 'apply' | 'render';
  /** Where the job template 'Deploy' writes its variable `app`, and its description. */
  readonly jobTemplateVariable: Path;
  readonly jobTemplateDescription: Path;
}

/** What is wrong with the load of `written` (`jinja` or not) at `place`, for the failure message. */
function problemsAt(reader: ReaderCase, place: Place, written: Written, jinja: boolean): string[] {
  const { text } = written;
  const site = reader.site(place, text);
  const expected = expectedFor(readingOf(site, place.at, reader.awxTemplates), site.keeps, written, jinja);
  const { bundle, diagnostics } = loadText(render(reader.document, place, written));
  const found: string[] = [];
  const strings = stringsOf(bundle);
  const refusal = diagnostics.all.find((d) => d.needsAnsible && d.field === site.field);
  if (expected === 'refused') {
    if (!refusal) found.push('no diagnostic marked as needing Ansible names it');
    else if (refusal.needsAnsible !== reader.needsAnsible || refusal.value !== text)
      found.push(`refused as: ${formatDiagnostic(refusal)}`);
  } else if (expected === 'secret') {
    // The credential reader names inputs from the credential (`inputs.token`), not the variable.
    const secret = diagnostics.all.some(
      (d) => d.severity === 'note' && site.field.endsWith(d.field!) && d.message.includes('secret reference'),
    );
    if (!refusal && !secret) found.push('neither refused nor a secret reference');
  } else {
    // Ansible may be needed for another reason: text a module evaluates as a Python literal.
    const asJinja = diagnostics.all.filter(
      (d) => d.needsAnsible && d.message.includes('Jinja') && (d.field === site.field || d.value === text),
    );
    if (asJinja.length > 0) found.push(`refused as Jinja: ${asJinja.map(formatDiagnostic).join('; ')}`);
  }
  // Strings the document holds as it is (AWX's templates among them) are not the text's.
  const held = strings.some((s) => s.includes(text) && !baseStrings(reader).has(s));
  if ((expected === 'refused' || expected === 'secret') && held) found.push('the bundle holds the text');
  const kept = site.kept(written);
  // A list option given as text is split at its commas, as Ansible splits it.
  const whole = strings.includes(kept) || kept.split(',').every((part) => strings.includes(part));
  // The documents load without an error as they are: an error here is about the text. A field a
  // role does not send is a warning naming it.
  const reported = diagnostics.hasErrors || diagnostics.all.some((d) => d.field === site.field);
  if (expected === 'kept' && !whole && !reported)
    found.push(`neither kept as ${JSON.stringify(kept)} nor reported`);
  return found.map((problem) => `${site.module} ${place.at} ${site.field}: ${problem}`);
}

const baseStringsOf = new Map<ReaderCase, ReadonlySet<string>>();

/** The strings of the bundle of the document as it is. */
function baseStrings(reader: ReaderCase): ReadonlySet<string> {
  let strings = baseStringsOf.get(reader);
  if (!strings) {
    strings = new Set(stringsOf(loadText(new Document(reader.document).toString()).bundle));
    baseStringsOf.set(reader, strings);
  }
  return strings;
}

/** Runs are seeded, so that a failure is found again; JINJA_SEED and JINJA_RUNS explore further. */
const RUNS = {
  seed: Number(process.env.JINJA_SEED ?? 20240917),
  numRuns: Number(process.env.JINJA_RUNS ?? 100),
};

/** The properties for one reader: Jinja anywhere, and text without Jinja anywhere. */
function properties(reader: ReaderCase): void {
  it('Jinja anywhere: refused where Ansible renders it, kept where it does not', () => {
    fc.assert(
      fc.property(fc.constantFrom(...reader.places), writtenAs(jinja, fc.boolean()), (place, written) => {
        expect(problemsAt(reader, place, written, true)).toEqual([]);
      }),
      RUNS,
    );
  });

  it('text without Jinja is kept exactly, never refused', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...reader.places),
        writtenAs(noJinja, fc.constant(false)),
        (place, written) => {
          expect(problemsAt(reader, place, written, false)).toEqual([]);
        },
      ),
      RUNS,
    );
  });

  it("Ansible's near misses are kept exactly, in a job template's variables and description", () => {
    const places: [Path, (template: JobTemplate) => unknown][] = [
      [reader.jobTemplateVariable, (template) => template.extra_vars.app],
      [reader.jobTemplateDescription, (template) => template.description],
    ];
    for (const text of ANSIBLE_KEEPS)
      for (const [path, read] of places) {
        const written: Written = { text, style: 'QUOTE_DOUBLE', unsafe: false };
        const { bundle, diagnostics } = loadText(render(reader.document, { path, at: 'value' }, written));
        expect(diagnostics.errors.map(formatDiagnostic)).toEqual([]);
        expect(read(bundle.job_templates.find((t) => t.name === 'Deploy')!)).toBe(text);
      }
  });

  it('the document as it is loads without an error', () => {
    const { diagnostics } = loadText(new Document(reader.document).toString());
    expect(diagnostics.errors.map(formatDiagnostic)).toEqual([]);
  });
}

// --- awx.awx task files --------------------------------------------------------------------------

/**
 * One task for each module the static reader reads, with every shape of argument: strings,
 * numbers, booleans, lists, mappings of variables, surveys, inline nodes and their related lists.
 */
const TASKS = parse(`
- awx.awx.credential_type:
    name: Tracker
    description: tracker token
    kind: cloud
    inputs:
      fields:
        - id: token
          label: Token
          type: string
          secret: true
          help_text: the token
      required: [token]
    injectors:
      env: { TRACKER_TOKEN: "{{ token }}" }
      extra_vars:
        tracker: { token: "{{ token }}" }
- awx.awx.credential:
    name: Deploy SSH
    organization: Platform
    credential_type: Machine
    description: ssh
    inputs: { username: deploy, become_method: sudo }
- awx.awx.credential:
    name: Tracker Token
    organization: Platform
    credential_type: Tracker
    inputs:
      token: { secret: tracker }
- awx.awx.notification_template:
    name: Ops Slack
    organization: Platform
    notification_type: slack
    description: ops
    notification_configuration:
      channels: ["#ops"]
      token: { secret: slack }
    messages:
      started: { message: "Job {{ job.name }} started" }
      success: { message: ok }
- awx.awx.project:
    name: Playbooks
    organization: Platform
    description: the playbooks
    scm_type: git
    scm_url: https://git.example.com/playbooks.git
    scm_branch: main
    scm_refspec: refs/heads/*
    scm_credential: Deploy SSH
    scm_update_on_launch: true
- awx.awx.inventory:
    name: Prod
    organization: Platform
    description: production
    variables:
      region: eu-west-1
      tiers: [web, db]
      nested: { a: b }
- awx.awx.host:
    name: web1
    inventory: Prod
    description: web
    variables:
      ansible_host: 10.0.0.1
      roles: [web]
- awx.awx.group:
    name: web
    inventory: Prod
    description: web group
    variables: { tier: web }
    hosts: [web1]
- awx.awx.inventory_source:
    name: From Git
    inventory: Prod
    description: git
    source: scm
    source_project: Playbooks
    source_path: inventory/hosts.yml
    source_vars:
      plugin: constructed
      keyed: [a]
    enabled_var: enabled
    update_cache_timeout: 30
- awx.awx.job_template:
    name: Deploy
    organization: Platform
    description: deploys
    project: Playbooks
    inventory: Prod
    playbook: deploy.yml
    credentials: [Deploy SSH, Tracker Token]
    execution_environment: Ops EE
    instance_groups: [Spot]
    limit: web
    job_tags: deploy
    skip_tags: slow
    scm_branch: main
    forks: 5
    extra_vars:
      app: storefront
      ports: [80, https]
      opts: { mode: fast }
    ask_variables_on_launch: true
    ask_limit_on_launch: true
    ask_credential_on_launch: true
    survey_enabled: true
    survey_spec:
      name: Deploy
      description: asks
      spec:
        - question_name: Version
          question_description: which
          variable: version
          type: multiplechoice
          required: false
          default: v1
          choices: [v1, v2]
    notification_templates_error: [Ops Slack]
- awx.awx.workflow_job_template:
    name: Release
    organization: Platform
    description: release
    inventory: Prod
    limit: web
    extra_vars: { release: r1 }
    ask_variables_on_launch: true
    notification_templates_approvals: [Ops Slack]
    workflow_nodes:
      - identifier: approve
        unified_job_template:
          name: Approve
          type: workflow_approval
          description: check
          timeout: 60
        related:
          success_nodes:
            - { identifier: deploy }
      - identifier: deploy
        unified_job_template:
          name: Deploy
          type: job_template
          organization: { name: Platform }
        limit: web
        extra_data: { version: v2, note: n1 }
        related:
          credentials:
            - { name: Deploy SSH }
          failure_nodes: []
- awx.awx.workflow_job_template_node:
    workflow_job_template: Release
    organization: Platform
    identifier: sync
    unified_job_template: Playbooks
    success_nodes: [approve]
    extra_data: {}
- awx.awx.schedule:
    name: Nightly
    description: nightly
    unified_job_template: Deploy
    rrule: DTSTART:20240101T000000Z RRULE:FREQ=DAILY;INTERVAL=1
    extra_data: { version: v1 }
    limit: web
- awx.awx.execution_environment:
    name: Ops EE
    organization: Platform
    description: ops image
    image: registry.example.com/ops/ee:1.0
    pull: missing
- awx.awx.instance_group:
    name: Spot
    is_container_group: true
    max_forks: 10
    pod_spec_override: "spec: {containers: [{resources: {requests: {cpu: '1'}}}]}"
`) as readonly Raw[];

const moduleKeyOf = (task: unknown) => Object.keys(task as Raw)[0];
const moduleOf = (task: unknown) => moduleKeyOf(task).replace('awx.awx.', '');

/**
 * What the Bundle has no place for, as `module value|key path`: a host's or group's description, the
 * organization a node task finds its workflow in, and keys beside the name of a reference written
 * as a mapping (`{name: ...}`, `{identifier: ...}`), which the modules and roles read alone.
 */
const NOT_KEPT = [
  /^(host|group) value description$/,
  /^workflow_job_template_node value organization$/,
  /^\w+ key (.+\.)?(organization|credential_type)\.\w+$/,
  /^\w+ key (.+\.)?related\.\w+\[\d+\]\.\w+$/,
  /^workflow_job_template (key|value) workflow_nodes\[\d+\]\.unified_job_template\.organization\b/,
];

/**
 * A place in a module's arguments: its field, whether the bundle keeps it, and as what (a survey's
 * choices trimmed, as AWX trims them; injectors with Ansible's escapes, `{% raw %}` and
 * `{{ '{{' }}`, undone as their reader undoes them in task files).
 */
function argumentSite(
  module: string,
  argument: Path,
  place: Place,
  text: string,
  options: { readonly original: unknown; readonly notKept: boolean; readonly fieldPrefix: string },
): Site {
  const named = place.at === 'key' ? [...argument.slice(0, -1), text] : argument;
  const field = `${options.fieldPrefix}${dotted(named)}`;
  const keeps =
    !options.notKept && !isSecret(module, argument) && !(place.at === 'value' && isMapping(options.original));
  const kept = (written: Written): string => {
    if (argument.includes('choices')) return written.text.trim();
    const injector = module === 'credential_type' && argument[0] === 'injectors' && !written.unsafe;
    return injector ? unescapeAnsible(written.text) : written.text;
  };
  return { module, argument, field, keeps, kept };
}

const TASK_FILE: ReaderCase = {
  document: TASKS,
  places: TASKS.flatMap((task, index) => placesOf(task[moduleKeyOf(task)], [index, moduleKeyOf(task)])),
  site: (place, text) => {
    const task = TASKS[place.path[0] as number];
    const module = moduleOf(task);
    const argument = place.path.slice(2);
    if (argument.length === 0)
      return { module, argument, field: moduleKeyOf(task), keeps: false, kept: (w) => w.text };
    const notKept = NOT_KEPT.some((pattern) => pattern.test(`${module} ${place.at} ${dotted(argument)}`));
    return argumentSite(module, argument, place, text, {
      original: valueAt(TASKS, place.path),
      notKept,
      fieldPrefix: '',
    });
  },
  awxTemplates: true,
  needsAnsible: 'apply',
  jobTemplateVariable: [9, 'awx.awx.job_template', 'extra_vars', 'app'],
  jobTemplateDescription: [9, 'awx.awx.job_template', 'description'],
};

describe('the static reader of awx.awx task files never keeps Jinja Ansible would render', () => {
  it('covers every module the reader reads', () => {
    const modules = new Set(TASKS.map(moduleOf));
    for (const module of [...Object.keys(TOP_LEVEL_MODULES), ...Object.keys(INVENTORY_PARTS)])
      expect(modules).toContain(module);
    expect(modules).toContain('workflow_job_template_node');
  });

  properties(TASK_FILE);
});

// --- controller_configuration variables ----------------------------------------------------------

/**
 * A file of controller_configuration variables with an item of each variable Towerless reads, the
 * roles' `{  {` escape in the text AWX renders, and both forms of workflow nodes.
 */
const CONFIG: Raw = parse(`
controller_credential_types:
  - name: Tracker
    description: tracker token
    kind: cloud
    inputs:
      fields:
        - { id: token, label: Token, type: string, secret: true, help_text: the token }
      required: [token]
    injectors:
      env: { TRACKER_TOKEN: "{  { token }}" }
      extra_vars: { tracker: { token: "{  { token }}" } }
controller_credentials:
  - name: Deploy SSH
    organization: Platform
    credential_type: Machine
    description: ssh
    inputs: { username: deploy, become_method: sudo }
  - name: Tracker Token
    organization: Platform
    credential_type: { name: Tracker }
    inputs: { token: { secret: tracker } }
controller_notifications:
  - name: Ops Slack
    organization: Platform
    notification_type: slack
    description: ops
    notification_configuration: { channels: ["#ops"], token: { secret: slack } }
    messages: { started: { message: "Job {  { job.name }} started" }, success: { message: ok } }
controller_projects:
  - name: Playbooks
    organization: Platform
    description: the playbooks
    scm_type: git
    scm_url: https://git.example.com/playbooks.git
    scm_branch: main
    scm_refspec: refs/heads/*
    scm_credential: Deploy SSH
controller_inventories:
  - name: Prod
    organization: { name: Platform }
    description: production
    variables: { region: eu-west-1, motd: "patched by {  { awx_job_id }}", tiers: [web, db] }
controller_inventory_sources:
  - name: From Git
    inventory: Prod
    description: git
    source: scm
    source_project: Playbooks
    source_path: inventory/hosts.yml
    source_vars: { plugin: constructed, keyed: [a] }
    update_cache_timeout: 30
controller_hosts:
  - { name: web1, inventory: Prod, variables: { ansible_host: 10.0.0.1, roles: [web] } }
controller_groups:
  - { name: web, inventory: Prod, variables: { tier: web }, hosts: [web1] }
controller_templates:
  - name: Deploy
    organization: Platform
    description: deploys
    project: Playbooks
    inventory: Prod
    playbook: deploy.yml
    credentials: [Deploy SSH, Tracker Token]
    execution_environment: Ops EE
    instance_groups: [Spot]
    limit: web
    job_tags: deploy
    skip_tags: slow
    forks: 5
    extra_vars: { app: storefront, ports: [80, https], opts: { mode: fast } }
    ask_variables_on_launch: true
    ask_credential_on_launch: true
    ask_limit_on_launch: true
    survey_enabled: true
    survey:
      name: Deploy
      description: asks
      spec:
        - { question_name: Version, question_description: which, variable: version, type: multiplechoice, required: false, default: v1, choices: [v1, v2] }
    notification_templates_error: [Ops Slack]
controller_workflows:
  - name: Release
    organization: Platform
    description: release
    extra_vars: { release: r1 }
    ask_variables_on_launch: true
    notification_templates_approvals: [Ops Slack]
    workflow_nodes:
      - identifier: approve
        unified_job_template: { name: Approve, type: workflow_approval, description: check, timeout: 60 }
        related: { success_nodes: [{ identifier: deploy }] }
      - identifier: deploy
        unified_job_template: { name: Deploy, type: job_template, organization: { name: Platform } }
        limit: web
        extra_data: { version: v2 }
        related: { credentials: [{ name: Deploy SSH }] }
  - name: Patch
    organization: Platform
    simplified_workflow_nodes:
      - { identifier: sync, unified_job_template: Playbooks, success_nodes: [gate] }
      - { identifier: gate, approval_node: { name: Gate, description: wait, timeout: 60 }, always_nodes: [deploy] }
      - { identifier: deploy, unified_job_template: Deploy, limit: web, extra_data: { version: v1 } }
controller_execution_environments:
  - { name: Ops EE, organization: Platform, description: ops image, image: registry.example.com/ops/ee:1.0, pull: missing }
controller_instance_groups:
  - { name: Spot, is_container_group: true, max_forks: 10, pod_spec_override: "spec: {containers: [{resources: {requests: {cpu: '1'}}}]}" }
controller_schedules:
  - name: Nightly
    description: nightly
    unified_job_template: Deploy
    rrule: DTSTART:20240101T000000Z RRULE:FREQ=DAILY;INTERVAL=1
    extra_data: { version: v1 }
    limit: web
`) as Raw;

const CONFIG_FILE: ReaderCase = {
  document: CONFIG,
  places: Object.entries(CONFIG).flatMap(([name, items]) => placesOf(items, [name])),
  site: (place, text) => {
    const [name, index] = place.path;
    const variable = CONFIG_VARIABLES.find((v) => v.name === name)!;
    const module = variable.items.module;
    if (place.path.length < 3) {
      // The variable itself, or one of its items: named so; a key beside a variable is not one.
      const field = place.at === 'key' ? text : `${name}${index === undefined ? '' : `[${index}]`}`;
      return { module, argument: [], field, keeps: false, kept: (written) => written.text };
    }
    const argument = place.path.slice(2);
    const notKept = NOT_KEPT.some((pattern) => pattern.test(`${module} ${place.at} ${dotted(argument)}`));
    const site = argumentSite(module, argument, place, text, {
      original: valueAt(CONFIG, place.path),
      notKept,
      fieldPrefix: `${name}[${index}].`,
    });
    // The role turns the escape `{  {` into `{{` in the text AWX renders (values, not keys).
    const escaped = variable.items.fields[String(argument[0])];
    const undoubled = place.at === 'value' && escaped?.role === 'value' && escaped.doubledBraces === true;
    return undoubled ? { ...site, kept: (written) => site.kept(written).replaceAll('{  {', '{{') } : site;
  },
  awxTemplates: false,
  needsAnsible: 'render',
  jobTemplateVariable: ['controller_templates', 0, 'extra_vars', 'app'],
  jobTemplateDescription: ['controller_templates', 0, 'description'],
};

describe('the controller_configuration reader never keeps Jinja Ansible would render', () => {
  it('covers every variable the reader reads', () => {
    for (const variable of CONFIG_VARIABLES) expect(Object.keys(CONFIG)).toContain(variable.name);
  });

  properties(CONFIG_FILE);
});
