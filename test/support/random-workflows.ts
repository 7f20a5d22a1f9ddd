import fc from 'fast-check';
import type { EdgeKind } from '../../lib/model/types';
import type { ForcedOutcome, ForcedStatus } from '../../lib/local/simulate';
import type { GraphNodeSpec, NodeKind } from '../../lib/semantics/graph';

/**
 * Random workflows for differential testing: a top workflow of 1-60 nodes and up to two small
 * inner workflows it may nest, with random edge kinds, ALL flags, approvals, nested workflows
 * (including recursion back to the top), missing templates, retries, and a forced outcome for
 * every node path (nested nodes are `outer/inner`; one per attempt for a job that may retry).
 */
export const TOP = 'top';

export interface RandomCase {
  readonly workflows: ReadonlyMap<string, readonly GraphNodeSpec[]>;
  readonly forced: Readonly<Record<string, ForcedOutcome>>;
}

interface NodeDraft {
  kind: NodeKind;
  all: boolean;
  template: number;
  retries: number;
  parents: readonly { parent: number; kind: EdgeKind }[];
}

const edgeKind = fc.constantFrom<EdgeKind>('success', 'failure', 'always');

function draftGraph(maxNodes: number, nested: boolean): fc.Arbitrary<NodeDraft[]> {
  return fc.integer({ min: 1, max: maxNodes }).chain((n) =>
    fc.tuple(
      ...Array.from({ length: n }, (_, j) =>
        fc.record({
          kind: fc.oneof(
            { weight: 70, arbitrary: fc.constant<NodeKind>('job') },
            { weight: 12, arbitrary: fc.constant<NodeKind>('approval') },
            { weight: nested ? 12 : 0, arbitrary: fc.constant<NodeKind>('workflow') },
            { weight: 3, arbitrary: fc.constant<NodeKind>('missing') },
          ),
          all: fc.integer({ min: 0, max: 3 }).map((x) => x === 0),
          template: fc.nat(),
          retries: fc.oneof(
            { weight: 7, arbitrary: fc.constant(0) },
            { weight: 3, arbitrary: fc.integer({ min: 1, max: 2 }) },
          ),
          parents:
            j === 0
              ? fc.constant([])
              : fc.uniqueArray(fc.record({ parent: fc.nat({ max: j - 1 }), kind: edgeKind }), {
                  maxLength: Math.min(3, j),
                  selector: (p) => p.parent,
                }),
        }),
      ),
    ),
  );
}

function specs(drafts: NodeDraft[], prefix: string, nestedTargets: readonly string[]): GraphNodeSpec[] {
  const children = drafts.map(() => ({
    success: [] as string[],
    failure: [] as string[],
    always: [] as string[],
  }));
  drafts.forEach((draft, j) => {
    for (const { parent, kind } of draft.parents) children[parent][kind].push(`${prefix}${j}`);
  });
  return drafts.map((draft, j) => ({
    id: `${prefix}${j}`,
    kind: draft.kind === 'workflow' && nestedTargets.length === 0 ? 'job' : draft.kind,
    all: draft.all,
    template:
      draft.kind === 'missing'
        ? null
        : draft.kind === 'workflow' && nestedTargets.length > 0
          ? nestedTargets[draft.template % nestedTargets.length]
          : `${prefix}${j}`,
    // Any kind may carry retries here: only jobs may use them (the model refuses the others).
    retry: draft.retries > 0 ? { maxRetries: draft.retries, delaySeconds: 1, backoffRate: 2 } : null,
    ...children[j],
  }));
}

const jobStatus = fc.oneof(
  { weight: 55, arbitrary: fc.constant<ForcedStatus>('successful') },
  { weight: 25, arbitrary: fc.constant<ForcedStatus>('failed') },
  { weight: 10, arbitrary: fc.constant<ForcedStatus>('error') },
  { weight: 10, arbitrary: fc.constant<ForcedStatus>('canceled') },
);
const approvalStatus = fc.constantFrom<ForcedStatus>('approved', 'approved', 'denied', 'timed_out');

export function randomCase(maxNodes = 60): fc.Arbitrary<RandomCase> {
  return fc
    .record({
      top: draftGraph(maxNodes, true),
      inner: fc.array(draftGraph(6, true), { maxLength: 2 }),
      seed: fc.array(fc.tuple(fc.array(jobStatus, { minLength: 1, maxLength: 3 }), approvalStatus), {
        minLength: 64,
        maxLength: 64,
      }),
    })
    .map(({ top, inner, seed }) => {
      const innerNames = inner.map((_, i) => `inner${i}`);
      const workflows = new Map<string, GraphNodeSpec[]>([[TOP, specs(top, 'n', [...innerNames, TOP])]]);
      // Inner workflows may only nest the top workflow: that is recursion, which fails the node.
      inner.forEach((drafts, i) => workflows.set(innerNames[i], specs(drafts, `i${i}_`, [TOP])));
      const forced: Record<string, ForcedOutcome> = {};
      let next = 0;
      const assign = (workflow: string, prefix: string) => {
        for (const node of workflows.get(workflow)!) {
          const path = prefix ? `${prefix}/${node.id}` : node.id;
          const [job, approval] = seed[next++ % seed.length];
          if (node.kind === 'job') forced[path] = job.length === 1 ? job[0] : job;
          if (node.kind === 'approval') forced[path] = approval;
          if (node.kind === 'workflow' && node.template !== TOP && !prefix) assign(node.template!, path);
        }
      };
      assign(TOP, '');
      return { workflows, forced };
    });
}
