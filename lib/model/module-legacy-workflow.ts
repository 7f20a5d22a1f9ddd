import { CONNECTION_ARGUMENTS } from './ansible-only';
import type { ModuleArguments } from './module-arguments';
import { pythonTruth } from './module-conversions';
import type { ModuleTask } from './module-task';
import { parseYamlValue, YamlProblem } from './yaml-construct';

type Raw = Record<string, unknown>;

/**
 * `tower_workflow_template`, the workflow module of Tower 3.x (Ansible 2.5 to 2.9, then awx.awx
 * until 14.0), which drove tower-cli: the workflow's fields, and its nodes as `schema`, tower-cli's
 * tree of nodes. Read as the awx.awx.workflow_job_template task it amounts to: the fields tower-cli
 * sent, and the schema's nodes in place of the workflow's.
 *
 * A schema node names what it runs with one of `job_template`, `project`, `inventory_source` or
 * `workflow`; it may set the prompts tower-cli sent (`inventory`, `credential`, `job_type`,
 * `job_tags`, `skip_tags`, `limit`), and lists the nodes that follow it under `success_nodes`,
 * `failure_nodes` and `always_nodes` (or `success`, `failure`, `always`): each nested node is a
 * node of its own, as tower-cli created it.
 */

/** How Ansible converts the module's options before it runs (its 2.9 argument_spec). */
export const LEGACY_WORKFLOW_ARGUMENTS: ModuleArguments = {
  aliases: {},
  lists: [],
  dictLists: [],
  dicts: ['extra_vars', 'survey'],
  unused: [],
};

/** The fields tower-cli sent, under the workflow's field names; only those given a true value. */
const SENT: Readonly<Record<string, string>> = {
  description: 'description',
  organization: 'organization',
  survey: 'survey_spec',
  ask_extra_vars: 'ask_variables_on_launch',
  ask_inventory: 'ask_inventory_on_launch',
  allow_simultaneous: 'allow_simultaneous',
  inventory: 'inventory',
  survey_enabled: 'survey_enabled',
  extra_vars: 'extra_vars',
};

/** The module's own options; Ansible refused any other. */
const OWN_OPTIONS = ['name', 'state', 'schema', ...Object.keys(SENT)];
const OPTIONS = new Set([...OWN_OPTIONS, ...CONNECTION_ARGUMENTS]);

/** What a schema node runs: its key → the type of template. */
const TEMPLATE_KEYS: Readonly<Record<string, string>> = {
  job_template: 'job_template',
  project: 'project',
  inventory_source: 'inventory_source',
  workflow: 'workflow_job_template',
};

/** The prompts tower-cli sent with a node (its NODE_STANDARD_FIELDS). */
const PROMPTS = ['inventory', 'job_type', 'job_tags', 'skip_tags', 'limit'];

const EDGES = ['success', 'failure', 'always'] as const;

/** A schema node and the nodes that follow it, with the identifier it is given. */
interface SchemaNode {
  readonly raw: Raw;
  readonly template: string;
  readonly children: Readonly<Record<(typeof EDGES)[number], readonly SchemaNode[]>>;
}

/**
 * The arguments of the awx.awx.workflow_job_template task the legacy task amounts to; undefined
 * when the module would have failed (reported).
 */
export function legacyWorkflowArguments(task: ModuleTask, params: Readonly<Raw>): Raw | undefined {
  const unsupported = Object.keys(params).filter((key) => !OPTIONS.has(key));
  for (const key of unsupported)
    task.error(key, params[key], `is not an option of tower_workflow_template (${OWN_OPTIONS.join(', ')})`);
  if (unsupported.length > 0) return undefined;
  const schema = params.schema;
  if (params.state === 'absent' && pythonTruth(schema)) {
    task.error('schema', undefined, 'Setting schema when state is absent is not allowed');
    return undefined;
  }
  const workflow: Raw = {};
  const copy = (from: string, to: string) => {
    workflow[to] = params[from];
    task.sourceMap.copyKey(workflow, to, params, from);
  };
  for (const key of ['name', 'state'] as const) if (key in params) copy(key, key);
  // tower-cli left out what was not set, false or empty: such a value changes nothing.
  for (const [option, field] of Object.entries(SENT)) if (pythonTruth(params[option])) copy(option, field);
  if (!pythonTruth(schema)) return workflow;
  const nodes = schemaNodes(task, schema);
  if (!nodes) return undefined;
  // tower-cli's schema made the workflow's nodes exactly the schema's (docs/formats.md).
  workflow.destroy_current_nodes = true;
  workflow.workflow_nodes = nodes;
  task.sourceMap.copyKey(workflow, 'workflow_nodes', params, 'schema');
  return workflow;
}

/**
 * The schema's nodes as the workflow's, in the order tower-cli created them: the top nodes by
 * what they run (those running the same template together), each followed by the nodes under it,
 * level by level. Identifiers are the node's path in the schema (`schema-2-success-1`): the same
 * schema gives the same identifiers, and no two nodes share one.
 */
function schemaNodes(task: ModuleTask, schema: unknown): Raw[] | undefined {
  const list = schemaList(task, schema);
  if (!list) return undefined;
  const tops = list.map((item, index) =>
    readNode(task, item, {
      container: list,
      key: index,
      path: `schema[${index}]`,
      identifier: `schema-${index + 1}`,
    }),
  );
  if (tops.some((node) => !node)) return undefined;
  const byTemplate = new Map<string, SchemaNode[]>();
  for (const node of tops as SchemaNode[])
    byTemplate.set(node.template, [...(byTemplate.get(node.template) ?? []), node]);
  const nodes: Raw[] = [];
  for (const top of [...byTemplate.values()].flat()) {
    const queue: SchemaNode[] = [top];
    nodes.push(top.raw);
    for (let next = queue.shift(); next; next = queue.shift())
      for (const edge of EDGES)
        for (const child of next.children[edge]) {
          nodes.push(child.raw);
          queue.push(child);
        }
  }
  return nodes;
}

/** The schema as a list of nodes: Ansible 2.9 took a list; earlier releases YAML or JSON text. */
function schemaList(task: ModuleTask, schema: unknown): unknown[] | undefined {
  let value = schema;
  if (typeof schema === 'string') {
    try {
      value = parseYamlValue(schema);
    } catch (error) {
      if (!(error instanceof YamlProblem)) throw error;
      task.error('schema', schema, `is not valid YAML or JSON: ${error.message}`);
      return undefined;
    }
  }
  if (Array.isArray(value)) return value;
  task.error('schema', schema, 'must be a list of nodes');
  return undefined;
}

/** Where a schema node is written, and the identifier it gets. */
interface NodePlace {
  readonly container: object;
  readonly key: string | number;
  /** The node's path in the arguments, for messages: `schema[0].success[1]`. */
  readonly path: string;
  readonly identifier: string;
}

function readNode(task: ModuleTask, item: unknown, place: NodePlace): SchemaNode | undefined {
  const { path: field, identifier } = place;
  const where = task.at(place.key, place.container);
  if (!item || typeof item !== 'object' || Array.isArray(item)) {
    task.error(field, item, 'must be a mapping', where);
    return undefined;
  }
  const written = item as Raw;
  const runs = Object.keys(TEMPLATE_KEYS).filter((name) => name in written);
  if (runs.length !== 1 || 'unified_job_template' in written) {
    task.error(
      field,
      undefined,
      'must name what it runs with exactly one of job_template, project, inventory_source, workflow (by name)',
      where,
    );
    return undefined;
  }
  const [runsKey] = runs;
  const name = written[runsKey];
  if (typeof name !== 'string' || name === '') {
    task.error(
      `${field}.${runsKey}`,
      name,
      'must be the name of what the node runs',
      task.at(runsKey, written),
    );
    return undefined;
  }
  const raw: Raw = { identifier, unified_job_template: { type: TEMPLATE_KEYS[runsKey], name } };
  task.sourceMap.copyKey(raw, 'unified_job_template', written, runsKey);
  for (const prompt of PROMPTS)
    if (prompt in written) {
      raw[prompt] = written[prompt];
      task.sourceMap.copyKey(raw, prompt, written, prompt);
    }
  if ('credential' in written) {
    raw.credentials = [written.credential];
    task.sourceMap.copyKey(raw, 'credentials', written, 'credential');
  }
  const children = {} as Record<(typeof EDGES)[number], SchemaNode[]>;
  for (const edge of EDGES) {
    // tower-cli read `success_nodes`, else `success`.
    const edgeKey = `${edge}_nodes` in written ? `${edge}_nodes` : edge;
    const nested = written[edgeKey] ?? [];
    if (!Array.isArray(nested)) {
      task.error(`${field}.${edgeKey}`, nested, 'must be a list of nodes', task.at(edgeKey, written));
      return undefined;
    }
    const read = nested.map((child, index) =>
      readNode(task, child, {
        container: nested,
        key: index,
        path: `${field}.${edgeKey}[${index}]`,
        identifier: `${identifier}-${edge}-${index + 1}`,
      }),
    );
    if (read.some((child) => !child)) return undefined;
    children[edge] = read as SchemaNode[];
    raw[`${edge}_nodes`] = children[edge].map((child) => child.raw.identifier);
    if (edgeKey in written) task.sourceMap.copyKey(raw, `${edge}_nodes`, written, edgeKey);
  }
  // `id`: what tower-cli's own schema output writes, which it ignored when creating nodes.
  const known = new Set([...Object.keys(TEMPLATE_KEYS), ...PROMPTS, 'credential', 'id']);
  for (const edge of EDGES) known.add(edge).add(`${edge}_nodes`);
  for (const other of Object.keys(written).filter((key) => !known.has(key)))
    task.warning(
      `${field}.${other}`,
      written[other],
      "tower-cli's schema does not read it: ignored",
      task.at(other, written),
    );
  return { raw, template: `${TEMPLATE_KEYS[runsKey]}:${name}`, children };
}
