import { describe, expect, it } from 'vitest';
import { expectScenario, run, type WorkflowSketch } from '../support/dsl';
import { DEPLOY_PIPELINE } from '../support/sketch';

/**
 * docs/semantics.md §10 (worked examples) and §11 (edge cases), by name. Each scenario runs on the
 * reference evaluator and on the compiled state machine (local interpreter).
 */

const pipeline: WorkflowSketch = { edges: DEPLOY_PIPELINE };

describe('§10.1 deploy pipeline', () => {
  it('row 1: Provision fails → only Provision runs, workflow failed', () =>
    expectScenario(pipeline, { Provision: 'F' }, { ran: ['Provision'], status: 'failed' }));
  it('row 2: Configure fails → Rollback then Notify, Deploy DNR, successful', () =>
    expectScenario(
      pipeline,
      { Configure: 'F' },
      { ran: ['Provision', 'Configure', 'Rollback', 'Notify'], status: 'successful' },
    ));
  it('row 3: Deploy fails → Rollback then Notify, successful', () =>
    expectScenario(
      pipeline,
      { Deploy: 'F' },
      { ran: ['Provision', 'Configure', 'Deploy', 'Rollback', 'Notify'], status: 'successful' },
    ));
  it('row 4: all succeed → Rollback DNR, Notify via Deploy', () =>
    expectScenario(
      pipeline,
      {},
      { ran: ['Provision', 'Configure', 'Deploy', 'Notify'], status: 'successful' },
    ));
  it('"F" may be failed, error or canceled alike', async () => {
    for (const failure of ['E', 'C']) {
      await expectScenario(
        pipeline,
        { Configure: failure },
        { ran: ['Provision', 'Configure', 'Rollback', 'Notify'], status: 'successful' },
      );
    }
  });
  it('Rollback failing still gives successful (it has an always edge)', () =>
    expectScenario(
      pipeline,
      { Deploy: 'F', Rollback: 'F' },
      { ran: ['Provision', 'Configure', 'Deploy', 'Rollback', 'Notify'], status: 'successful' },
    ));
  it('Notify failing makes every row but row 1 failed', async () => {
    await expectScenario(
      pipeline,
      { Notify: 'F' },
      { ran: ['Provision', 'Configure', 'Deploy', 'Notify'], status: 'failed' },
    );
    await expectScenario(
      pipeline,
      { Configure: 'F', Notify: 'F' },
      { ran: ['Provision', 'Configure', 'Rollback', 'Notify'], status: 'failed' },
    );
  });
  it('variant Notify = ALL: Notify never runs, statuses unchanged, a failed Rollback is handled by the DNR Notify', async () => {
    const variant = { ...pipeline, all: ['Notify'] };
    await expectScenario(variant, {}, { ran: ['Provision', 'Configure', 'Deploy'], status: 'successful' });
    await expectScenario(
      variant,
      { Deploy: 'F' },
      { ran: ['Provision', 'Configure', 'Deploy', 'Rollback'], status: 'successful' },
    );
    await expectScenario(
      variant,
      { Deploy: 'F', Rollback: 'F' },
      { ran: ['Provision', 'Configure', 'Deploy', 'Rollback'], status: 'successful' },
    );
  });
  it('variant Rollback = ALL: Rollback never runs and the failure rows still end successful', async () => {
    const variant = { ...pipeline, all: ['Rollback'] };
    await expectScenario(
      variant,
      { Configure: 'F' },
      { ran: ['Provision', 'Configure'], status: 'successful' },
    );
    await expectScenario(
      variant,
      { Deploy: 'F' },
      { ran: ['Provision', 'Configure', 'Deploy'], status: 'successful' },
    );
  });
  it('row 3 timing: Rollback waits for Deploy, Notify waits for Rollback', () => {
    const result = run(pipeline, { Deploy: 'F' });
    const at = (id: string) => result.nodes.get(id)!;
    expect(at('Rollback').started).toBe(at('Deploy').finished);
    expect(at('Notify').started).toBe(at('Rollback').finished);
  });
  it('row 2 timing: Deploy is DNR in the tick Configure fails, so Rollback starts at once', () => {
    const result = run(pipeline, { Configure: 'F' });
    expect(result.nodes.get('Deploy')!.decided).toBe(result.nodes.get('Configure')!.finished);
    expect(result.nodes.get('Rollback')!.started).toBe(result.nodes.get('Configure')!.finished);
  });
});

describe('§10.3 diamond', () => {
  const diamond: WorkflowSketch = { edges: ['A -s-> B', 'A -f-> C', 'B -s-> D', 'C -s-> D'] };
  it('ANY D, A succeeds: A, B, D run, C DNR', () =>
    expectScenario(diamond, {}, { ran: ['A', 'B', 'D'], status: 'successful' }));
  it('ANY D, A fails: A, C, D run, B DNR', () =>
    expectScenario(diamond, { A: 'F' }, { ran: ['A', 'C', 'D'], status: 'successful' }));
  it('ALL D is DNR either way (one parent is always DNR)', async () => {
    await expectScenario({ ...diamond, all: ['D'] }, {}, { ran: ['A', 'B'], status: 'successful' });
    await expectScenario({ ...diamond, all: ['D'] }, { A: 'F' }, { ran: ['A', 'C'], status: 'successful' });
  });
});

describe('§10.4 approval gate', () => {
  const gate: WorkflowSketch = {
    edges: ['Build -s-> Approve', 'Approve -s-> Deploy', 'Approve -f-> Denied'],
    kinds: { Approve: 'approval' },
  };
  it('approved → Deploy runs, Denied DNR', () =>
    expectScenario(
      gate,
      { Approve: 'approved' },
      { ran: ['Build', 'Approve', 'Deploy'], status: 'successful' },
    ));
  it('denied → Denied runs, successful', () =>
    expectScenario(
      gate,
      { Approve: 'denied' },
      { ran: ['Build', 'Approve', 'Denied'], status: 'successful' },
    ));
  it('timed out → Denied runs, successful', () =>
    expectScenario(
      gate,
      { Approve: 'timed_out' },
      { ran: ['Build', 'Approve', 'Denied'], status: 'successful' },
    ));
  it('without the failure edge, denial or timeout fails the workflow', async () => {
    const bare: WorkflowSketch = {
      edges: ['Build -s-> Approve', 'Approve -s-> Deploy'],
      kinds: { Approve: 'approval' },
    };
    await expectScenario(bare, { Approve: 'denied' }, { ran: ['Build', 'Approve'], status: 'failed' });
    await expectScenario(bare, { Approve: 'timed_out' }, { ran: ['Build', 'Approve'], status: 'failed' });
  });
});

describe('§10.5 small cases', () => {
  it('A -a-> B: A fails, B succeeds → successful; both fail → failed', async () => {
    await expectScenario({ edges: ['A -a-> B'] }, { A: 'F' }, { ran: ['A', 'B'], status: 'successful' });
    await expectScenario({ edges: ['A -a-> B'] }, { A: 'F', B: 'F' }, { ran: ['A', 'B'], status: 'failed' });
  });
  it('two unrelated roots, one fails → failed after both finish', () =>
    expectScenario({ nodes: ['A', 'B'] }, { B: 'F' }, { ran: ['A', 'B'], status: 'failed' }));
  it('A -s-> N, B -s-> N: A ok, B fails → N runs, workflow failed (B unhandled)', () =>
    expectScenario(
      { edges: ['A -s-> N', 'B -s-> N'] },
      { B: 'F' },
      { ran: ['A', 'B', 'N'], status: 'failed' },
    ));
  it('A -s-> N, B -s-> N: both fail → N DNR, failed', () =>
    expectScenario(
      { edges: ['A -s-> N', 'B -s-> N'] },
      { A: 'F', B: 'F' },
      { ran: ['A', 'B'], status: 'failed' },
    ));
  it('root X with deleted template and X -f-> H → H runs, successful', () =>
    expectScenario(
      { edges: ['X -f-> H'], kinds: { X: 'missing' } },
      {},
      { ran: ['X', 'H'], status: 'successful' },
    ));
  it('root X with deleted template and only X -s-> S → S DNR, failed', () =>
    expectScenario({ edges: ['X -s-> S'], kinds: { X: 'missing' } }, {}, { ran: ['X'], status: 'failed' }));
});

describe('§11 edge cases', () => {
  const linear: WorkflowSketch = { edges: ['A -s-> B', 'B -s-> C', 'C -s-> D'] };

  it('1. linear success path', () =>
    expectScenario(linear, {}, { ran: ['A', 'B', 'C', 'D'], status: 'successful' }));
  it('1. failure at each position without handlers fails the workflow', async () => {
    const order = ['A', 'B', 'C', 'D'];
    for (const [i, node] of order.entries()) {
      await expectScenario(linear, { [node]: 'F' }, { ran: order.slice(0, i + 1), status: 'failed' });
    }
  });
  it('1. failure at each position with a failure handler is handled', async () => {
    const order = ['A', 'B', 'C', 'D'];
    for (const [i, node] of order.entries()) {
      const handled = { edges: [...linear.edges!, `${node} -f-> H`] };
      await expectScenario(
        handled,
        { [node]: 'F' },
        { ran: [...order.slice(0, i + 1), 'H'], status: 'successful' },
      );
    }
  });

  it('2. always edge fires after success and after failure', async () => {
    await expectScenario({ edges: ['A -a-> B'] }, {}, { ran: ['A', 'B'], status: 'successful' });
    await expectScenario({ edges: ['A -a-> B'] }, { A: 'F' }, { ran: ['A', 'B'], status: 'successful' });
  });
  it('2. error and canceled node jobs take failure and always edges', async () => {
    for (const outcome of ['E', 'C']) {
      await expectScenario(
        { edges: ['A -f-> H', 'A -a-> N', 'A -s-> S'] },
        { A: outcome },
        { ran: ['A', 'H', 'N'], status: 'successful' },
      );
    }
  });

  it('3. ANY node waits for a slow sibling branch although one parent already fired', async () => {
    const definition: WorkflowSketch = { edges: ['A -s-> N', 'B -s-> C', 'C -s-> N'] };
    const result = run(definition, {}, { A: 1, B: 5, C: 5 });
    expect(result.nodes.get('N')!.started).toBe(10);
    await expectScenario(definition, {}, { ran: ['A', 'B', 'C', 'N'], status: 'successful' });
  });

  it('4. ANY node with one DNR parent and one fired parent runs', () =>
    expectScenario(
      { edges: ['R -f-> X', 'X -s-> N', 'R -s-> N'] },
      {},
      { ran: ['R', 'N'], status: 'successful' },
    ));
  it('4. ANY node with all parents DNR is DNR', () =>
    expectScenario(
      { edges: ['R -f-> X', 'R -f-> Y', 'X -s-> N', 'Y -s-> N'] },
      {},
      { ran: ['R'], status: 'successful' },
    ));
  it('4. ANY node where no edge fired is DNR', () =>
    expectScenario({ edges: ['A -f-> N', 'B -f-> N'] }, {}, { ran: ['A', 'B'], status: 'successful' }));

  it('5. ALL node runs after the last parent when all edges fire', async () => {
    const definition: WorkflowSketch = { edges: ['A -s-> N', 'B -f-> N', 'C -a-> N'], all: ['N'] };
    const result = run(definition, { B: 'F' }, { A: 1, B: 3, C: 7 });
    expect(result.nodes.get('N')!.started).toBe(7);
    await expectScenario(definition, { B: 'F' }, { ran: ['A', 'B', 'C', 'N'], status: 'successful' });
  });
  it('5. ALL node is DNR immediately on one mismatch while other parents still run', async () => {
    const definition: WorkflowSketch = { edges: ['A -s-> N', 'B -s-> N'], all: ['N'] };
    const result = run(definition, { A: 'F' }, { A: 1, B: 9 });
    expect(result.nodes.get('N')!.status).toBe('dnr');
    expect(result.nodes.get('N')!.decided).toBe(1);
    await expectScenario(definition, { A: 'F' }, { ran: ['A', 'B'], status: 'failed' });
  });
  it('5. ALL node with one DNR parent is DNR', () =>
    expectScenario(
      { edges: ['R -f-> X', 'X -s-> N', 'R -s-> N'], all: ['N'] },
      {},
      { ran: ['R'], status: 'successful' },
    ));

  it('6. ALL node with a canceled or error parent: Towerless treats it as failed (divergence from AWX)', async () => {
    for (const outcome of ['C', 'E']) {
      await expectScenario(
        { edges: ['A -s-> N', 'B -s-> N', 'B -f-> H'], all: ['N'] },
        { B: outcome },
        { ran: ['A', 'B', 'H'], status: 'successful' },
      );
    }
  });
  it('6. the single-parent success-edge case that hangs AWX terminates', async () => {
    for (const outcome of ['C', 'E']) {
      await expectScenario(
        { edges: ['A -s-> B'], all: ['B'] },
        { A: outcome },
        { ran: ['A'], status: 'failed' },
      );
    }
  });

  it('7. transitive DNR cascade in one evaluation (R -f-> X -s-> Y -a-> Z, R succeeds)', async () => {
    const definition: WorkflowSketch = { edges: ['R -f-> X', 'X -s-> Y', 'Y -a-> Z'] };
    const result = run(definition);
    expect(['X', 'Y', 'Z'].map((id) => result.nodes.get(id)!.decided)).toEqual([1, 1, 1]);
    await expectScenario(definition, {}, { ran: ['R'], status: 'successful' });
  });

  it('8. a failed node whose failure child is DNR (ALL) still yields successful', () =>
    expectScenario(
      { edges: ['A -f-> H', 'B -s-> H'], all: ['H'] },
      { A: 'F', B: 'F' },
      { ran: ['A', 'B'], status: 'failed' },
    ).then(() =>
      expectScenario(
        { edges: ['A -f-> H', 'B -s-> H', 'B -f-> G'], all: ['H'] },
        { A: 'F', B: 'F' },
        { ran: ['A', 'B', 'G'], status: 'successful' },
      ),
    ));

  it('9. a handler that fails without handlers fails the workflow', () =>
    expectScenario({ edges: ['A -f-> H'] }, { A: 'F', H: 'F' }, { ran: ['A', 'H'], status: 'failed' }));
  it('9. a handler with an always edge keeps the workflow successful', () =>
    expectScenario(
      { edges: ['A -f-> H', 'H -a-> N'] },
      { A: 'F', H: 'F' },
      { ran: ['A', 'H', 'N'], status: 'successful' },
    ));

  it('10. deleted template as root fails without a job; handled by failure edge', async () => {
    await expectScenario(
      { edges: ['X -f-> H'], kinds: { X: 'missing' } },
      {},
      { ran: ['X', 'H'], status: 'successful' },
    );
    await expectScenario({ nodes: ['X'], kinds: { X: 'missing' } }, {}, { ran: ['X'], status: 'failed' });
  });
  it('10. deleted template as reached child fails; with an always edge it is handled', async () => {
    await expectScenario(
      { edges: ['A -s-> X'], kinds: { X: 'missing' } },
      {},
      { ran: ['A', 'X'], status: 'failed' },
    );
    await expectScenario(
      { edges: ['A -s-> X', 'X -a-> N'], kinds: { X: 'missing' } },
      {},
      { ran: ['A', 'X', 'N'], status: 'successful' },
    );
  });
  it('10. deleted template as unreached child is DNR and fails nothing', () =>
    expectScenario(
      { edges: ['A -f-> X'], kinds: { X: 'missing' } },
      {},
      { ran: ['A'], status: 'successful' },
    ));

  it('11. empty workflow is successful', () => expectScenario({}, {}, { ran: [], status: 'successful' }));
  it('11. disconnected sub-graphs and many roots', () =>
    expectScenario(
      { edges: ['A -s-> B', 'C -f-> D', 'E -a-> F'], nodes: ['G', 'H'] },
      { C: 'F' },
      { ran: ['G', 'H', 'A', 'C', 'E', 'B', 'D', 'F'], status: 'successful' },
    ));

  it('12. an individually canceled node job continues its branch; the workflow fails if unhandled', async () => {
    await expectScenario(
      { edges: ['A -f-> H', 'A -s-> S'] },
      { A: 'C' },
      { ran: ['A', 'H'], status: 'successful' },
    );
    await expectScenario({ edges: ['A -s-> S'] }, { A: 'C' }, { ran: ['A'], status: 'failed' });
  });

  it('13. approvals: approve, deny and timeout are successful, failed, failed outcomes', async () => {
    const gate: WorkflowSketch = { edges: ['Ap -s-> Ok', 'Ap -f-> No'], kinds: { Ap: 'approval' } };
    await expectScenario(gate, { Ap: 'approved' }, { ran: ['Ap', 'Ok'], status: 'successful' });
    await expectScenario(gate, { Ap: 'denied' }, { ran: ['Ap', 'No'], status: 'successful' });
    await expectScenario(gate, { Ap: 'timed_out' }, { ran: ['Ap', 'No'], status: 'successful' });
  });

  it('17. nested workflow: an inner handled failure takes the outer success path', () =>
    expectScenario(
      { edges: ['Outer -s-> Next', 'Outer -f-> Recover'], nested: { Outer: 'inner' } },
      { 'Outer/I1': 'F' },
      { ran: ['Outer', 'Next'], status: 'successful' },
      { inner: { edges: ['I1 -f-> I2'] } },
    ));
  it('17. nested workflow: an inner unhandled failure takes the outer failure path', () =>
    expectScenario(
      { edges: ['Outer -s-> Next', 'Outer -f-> Recover'], nested: { Outer: 'inner' } },
      { 'Outer/I2': 'F' },
      { ran: ['Outer', 'Recover'], status: 'successful' },
      { inner: { edges: ['I1 -s-> I2'] } },
    ));
  it('17. recursion A → A fails the spawned node', () =>
    expectScenario(
      { edges: ['Self -f-> H'], nested: { Self: 'top' } },
      {},
      { ran: ['Self', 'H'], status: 'successful' },
    ));
  it('17. recursion A → B → A fails the inner node, and so the inner workflow', () =>
    expectScenario(
      { edges: ['B -f-> H'], nested: { B: 'inner' } },
      {},
      { ran: ['B', 'H'], status: 'successful' },
      { inner: { nodes: ['Back'], nested: { Back: 'top' } } },
    ));
  it('17. the same workflow twice as siblings is not recursion', () =>
    expectScenario(
      { nodes: ['One', 'Two'], nested: { One: 'inner', Two: 'inner' } },
      {},
      { ran: ['One', 'Two'], status: 'successful' },
      { inner: { nodes: ['I'] } },
    ));
});
