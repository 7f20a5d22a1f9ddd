import { FORCED_STATUSES, type ForcedOutcome, type ForcedStatus } from '../local/simulate';
import { didYouMean } from '../model/diagnostics';
import type { Bundle, WorkflowJobTemplate } from '../model/types';
import { UserError } from '../errors';
import { WorkflowGraph, type NodeKind } from '../semantics/graph';
import { UsageError } from './args';

const JOB_OUTCOMES: readonly ForcedStatus[] = ['successful', 'failed', 'error', 'canceled'];

/**
 * What each kind of node can be forced to end as. A nested workflow ends as its own nodes do, and
 * a node whose template is missing fails without running: neither has an outcome of its own.
 */
const OUTCOMES_OF: Record<NodeKind, { readonly noun: string; readonly statuses: readonly ForcedStatus[] }> = {
  job: { noun: 'a job', statuses: JOB_OUTCOMES },
  project_sync: { noun: 'a project update', statuses: JOB_OUTCOMES },
  inventory_sync: { noun: 'an inventory update', statuses: JOB_OUTCOMES },
  approval: { noun: 'an approval', statuses: ['approved', 'denied', 'timed_out'] },
  workflow: { noun: 'a nested workflow', statuses: [] },
  missing: { noun: 'a node without a template', statuses: [] },
};

/**
 * `--outcome ID=STATUS` values, each node at most once; `ID=failed,successful` forces a node that
 * retries attempt by attempt (docs/semantics.md §13.12). Malformed ones are usage errors.
 */
export function parseOutcomes(values: readonly string[]): Record<string, ForcedOutcome> {
  // No prototype: a node named `constructor` or `toString` must not find Object's members.
  const forced: Record<string, ForcedOutcome> = Object.create(null);
  for (const value of values) {
    const match = /^(.+)=([a-z_]+(?:,[a-z_]+)*)$/.exec(value);
    if (!match) throw new UsageError(`--outcome ${value}: expected ID=STATUS, e.g. deploy=failed`);
    const [, id, given] = match;
    const statuses = given.split(',');
    const unknown = statuses.find((status) => !(FORCED_STATUSES as readonly string[]).includes(status));
    if (unknown !== undefined) {
      throw new UsageError(`--outcome ${value}: STATUS must be one of ${FORCED_STATUSES.join(', ')}`);
    }
    if (Object.hasOwn(forced, id))
      throw new UsageError(`--outcome ${value}: '${id}' is already forced to ${String(forced[id])}`);
    forced[id] = statuses.length === 1 ? (statuses[0] as ForcedStatus) : (statuses as ForcedStatus[]);
  }
  return forced;
}

/**
 * Every forced ID must name a node of the workflow, and its STATUS must be one that node can end
 * as: forcing `denied` on a job, or anything on a nested workflow, would otherwise be ignored or
 * reported as something else. An ID matches the node at that `outer/inner` path, and by its bare
 * identifier every node, at any depth, that no path-specific ID already forces (as the simulator
 * applies them).
 */
export function checkOutcomes(
  bundle: Bundle,
  workflow: WorkflowJobTemplate,
  forced: Readonly<Record<string, ForcedOutcome>>,
): void {
  const nodes = nodesOf(bundle, workflow);
  for (const [id, outcome] of Object.entries(forced)) {
    const status = String(outcome);
    const matched = nodes.filter(
      (n) => n.path === id || (n.identifier === id && !Object.hasOwn(forced, n.path)),
    );
    if (matched.length === 0) {
      throw new UserError(
        `--outcome ${id}=${status}: workflow '${workflow.name}' has no node '${id}'` +
          didYouMean(
            id,
            nodes.map((n) => n.path),
          ),
      );
    }
    for (const node of matched) {
      const { noun, statuses } = OUTCOMES_OF[node.kind];
      const given = [outcome].flat();
      if (given.length > node.runs)
        throw new UserError(
          `--outcome ${id}=${status}: '${node.path}' runs at most ${node.runs} time${node.runs > 1 ? 's' : ''} (max_retries ${node.runs - 1})`,
        );
      if (given.every((each) => statuses.includes(each))) continue;
      const fix =
        node.kind === 'workflow'
          ? `its outcome follows its own nodes: force those, as ${node.path}/ID=STATUS`
          : statuses.length
            ? `STATUS must be one of ${statuses.join(', ')}`
            : 'it fails without running';
      throw new UserError(`--outcome ${id}=${status}: '${node.path}' is ${noun}: ${fix}`);
    }
  }
}

interface NodeAtPath {
  /** `outer/inner` for a node of a nested workflow. */
  readonly path: string;
  readonly identifier: string;
  readonly kind: NodeKind;
  /** Jobs it may run: one, and its retries. */
  readonly runs: number;
}

/** The workflow's nodes and, under each nested workflow node, the nested workflow's. */
function nodesOf(
  bundle: Bundle,
  workflow: WorkflowJobTemplate,
  prefix = '',
  enclosing: ReadonlySet<string> = new Set([workflow.name]),
): NodeAtPath[] {
  return WorkflowGraph.fromTemplate(workflow).nodes.flatMap((node) => {
    const path = prefix ? `${prefix}/${node.id}` : node.id;
    const runs = 1 + (node.retry?.maxRetries ?? 0);
    const here = { path, identifier: node.id, kind: node.kind, runs };
    const nested =
      node.kind === 'workflow' && !enclosing.has(node.template!)
        ? bundle.workflow_job_templates.find((w) => w.name === node.template)
        : undefined;
    // A workflow that nests itself fails when spawned (as in AWX): it has no nodes to force.
    if (!nested) return [here];
    return [here, ...nodesOf(bundle, nested, path, new Set([...enclosing, nested.name]))];
  });
}
