import { describe, expect, it } from 'vitest';
import { runCli as towerless } from '../support/cli';
import { earlyJoinStages } from '../support/early-join-stages';
import { tempBundle } from '../support/files';

/** The stages as a bundle (JSON is YAML), every node running one job template. */
function earlyJoinBundle(stages: number): string {
  return JSON.stringify({
    projects: [{ name: 'Shared', scm_type: 'git', scm_url: 'file:///nonexistent/shared.git' }],
    inventories: [{ name: 'Fleet', hosts: [{ name: 'web1' }] }],
    job_templates: [{ name: 'Job', project: 'Shared', inventory: 'Fleet', playbook: 'job.yml' }],
    workflow_job_templates: [
      {
        name: 'Stages',
        workflow_nodes: earlyJoinStages(stages).map((spec) => ({
          identifier: spec.id,
          unified_job_template: 'Job',
          all_parents_must_converge: spec.all,
          success_nodes: spec.success,
          failure_nodes: spec.failure,
          always_nodes: spec.always,
        })),
      },
    ],
  });
}

describe('towerless compile', () => {
  it('with AWX timing at ALL joins, or, for a workflow too large for it everywhere, says where it is not', async () => {
    const compile = (stages: number) =>
      towerless('compile', tempBundle({ 'w.yml': earlyJoinBundle(stages) }), '--workflow', 'Stages');
    const small = await compile(3);
    expect(small.code).toBe(0);
    expect(small.stderr).toMatch(/^compiled 'Stages': 15 nodes, .* [1-9]\d* sync tasks\n$/);
    const large = await compile(200);
    expect(large.code).toBe(0);
    expect(large.stderr).toMatch(/^compiled 'Stages': 1000 nodes, .* \d+ sync tasks\n/);
    expect(large.stderr).toMatch(
      /\nnote: 'Stages' is too large for AWX's exact timing at every ALL join: in parts of more than \d+ nodes, nodes after a skipped ALL join may start later than in AWX, with the same outcomes \(docs\/semantics.md §13.4\)\n$/,
    );
  }, 60_000);
});
