import fc from 'fast-check';
import type { EdgeKind } from '../../lib/model/types';
import type { GraphNodeSpec } from '../../lib/semantics/graph';

/**
 * Random series-parallel workflows: built by series composition (every sink of the first part
 * links to every source of the second) and parallel composition (side by side), with random edge
 * kinds and ALL flags.
 */
interface Part {
  nodes: string[];
  sources: string[];
  sinks: string[];
  edges: { parent: string; child: string; kind: EdgeKind }[];
}

export function seriesParallel(maxDepth = 5): fc.Arbitrary<GraphNodeSpec[]> {
  const part: fc.Memo<Part> = fc.memo((depth) =>
    depth <= 1
      ? fc.constant(null).map(() => single())
      : fc.oneof(
          { weight: 2, arbitrary: fc.constant(null).map(() => single()) },
          {
            weight: 3,
            arbitrary: fc
              .tuple(
                part(depth - 1),
                part(depth - 1),
                fc.array(fc.constantFrom<EdgeKind>('success', 'failure', 'always'), {
                  minLength: 16,
                  maxLength: 16,
                }),
              )
              .map(([a, b, kinds]) => series(a, b, kinds)),
          },
          {
            weight: 3,
            arbitrary: fc.tuple(part(depth - 1), part(depth - 1)).map(([a, b]) => parallel(a, b)),
          },
        ),
  );
  // Ids are paths in the composition tree (unique by construction, stable under shrinking).
  const single = (): Part => ({ nodes: ['s'], sources: ['s'], sinks: ['s'], edges: [] });
  return fc
    .tuple(part(maxDepth), fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }))
    .map(([p, flags]) => {
      return p.nodes.map((id, i) => ({
        id,
        kind: 'job' as const,
        all: flags[i % flags.length] && p.edges.some((e) => e.child === id),
        template: id,
        success: p.edges.filter((e) => e.parent === id && e.kind === 'success').map((e) => e.child),
        failure: p.edges.filter((e) => e.parent === id && e.kind === 'failure').map((e) => e.child),
        always: p.edges.filter((e) => e.parent === id && e.kind === 'always').map((e) => e.child),
      }));
    });
}

function prefixed(part: Part, prefix: string): Part {
  const rename = (id: string) => `${prefix}${id}`;
  return {
    nodes: part.nodes.map(rename),
    sources: part.sources.map(rename),
    sinks: part.sinks.map(rename),
    edges: part.edges.map((e) => ({ ...e, parent: rename(e.parent), child: rename(e.child) })),
  };
}

function series(first: Part, second: Part, kinds: EdgeKind[]): Part {
  const [a, b] = [prefixed(first, 'a'), prefixed(second, 'b')];
  const links = a.sinks.flatMap((parent, i) =>
    b.sources.map((child, j) => ({ parent, child, kind: kinds[(i * 7 + j) % kinds.length] })),
  );
  return {
    nodes: [...a.nodes, ...b.nodes],
    sources: a.sources,
    sinks: b.sinks,
    edges: [...a.edges, ...b.edges, ...links],
  };
}

function parallel(left: Part, right: Part): Part {
  const [a, b] = [prefixed(left, 'l'), prefixed(right, 'r')];
  return {
    nodes: [...a.nodes, ...b.nodes],
    sources: [...a.sources, ...b.sources],
    sinks: [...a.sinks, ...b.sinks],
    edges: [...a.edges, ...b.edges],
  };
}
