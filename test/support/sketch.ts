import type { EdgeKind } from '../../lib/model/types';
import type { GraphNodeSpec, NodeKind } from '../../lib/semantics/graph';

/**
 * Workflows written the way docs/semantics.md writes them: `A -s-> B`, `A -f-> C`, `A -a-> D`.
 * Nodes are declared in order of first appearance (or `nodes`), which is also their id order.
 */
export interface WorkflowSketch {
  readonly edges?: readonly string[];
  readonly nodes?: readonly string[];
  readonly all?: readonly string[];
  readonly kinds?: Readonly<Record<string, NodeKind>>;
  /** Nested workflow nodes: node → workflow name. */
  readonly nested?: Readonly<Record<string, string>>;
}

const KINDS: Record<string, EdgeKind> = { s: 'success', f: 'failure', a: 'always' };

export function sketch(definition: WorkflowSketch): GraphNodeSpec[] {
  const order: string[] = [...(definition.nodes ?? [])];
  const edges = (definition.edges ?? []).map((text) => {
    const match = /^\s*(\S+)\s+-([sfa])->\s+(\S+)\s*$/.exec(text);
    if (!match) throw new Error(`bad edge '${text}'`);
    for (const id of [match[1], match[3]]) if (!order.includes(id)) order.push(id);
    return { parent: match[1], kind: KINDS[match[2]], child: match[3] };
  });
  return order.map((id) => {
    const kind = definition.nested?.[id] ? 'workflow' : (definition.kinds?.[id] ?? 'job');
    const out = (k: EdgeKind) => edges.filter((e) => e.parent === id && e.kind === k).map((e) => e.child);
    return {
      id,
      kind,
      all: definition.all?.includes(id) ?? false,
      template: kind === 'missing' ? null : (definition.nested?.[id] ?? id),
      success: out('success'),
      failure: out('failure'),
      always: out('always'),
    };
  });
}

/** The deploy pipeline of docs/semantics.md §10.1 (the guide's Full Deployment Pipeline). */
export const DEPLOY_PIPELINE: readonly string[] = [
  'Provision -s-> Configure',
  'Configure -s-> Deploy',
  'Configure -f-> Rollback',
  'Deploy -f-> Rollback',
  'Rollback -a-> Notify',
  'Deploy -s-> Notify',
];
