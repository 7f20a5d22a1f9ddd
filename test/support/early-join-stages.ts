import type { GraphNodeSpec } from '../../lib/semantics/graph';
import { sketch } from './sketch';

/**
 * Stages in which a skipped ALL join lets the next stage start early: when `a` succeeds, `j` (ALL
 * of `a`'s failure and `b`) is skipped and `m` starts while `b` still runs. Five nodes a stage.
 */
export function earlyJoinStages(stages: number): GraphNodeSpec[] {
  const edges = Array.from({ length: stages }, (_, i) => [
    `g${i} -s-> a${i}`,
    `g${i} -s-> b${i}`,
    `a${i} -f-> j${i}`,
    `b${i} -s-> j${i}`,
    `a${i} -s-> m${i}`,
    `j${i} -s-> m${i}`,
    ...(i + 1 < stages ? [`m${i} -s-> g${i + 1}`] : []),
  ]);
  return sketch({ edges: edges.flat(), all: Array.from({ length: stages }, (_, i) => `j${i}`) });
}
