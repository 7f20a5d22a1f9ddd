import { describe, expect, it } from 'vitest';
import type { JobTemplate, SurveySpec, Vars, WorkflowJobTemplate } from '../../lib/model/types';
import { evaluate } from '../../lib/semantics/evaluator';
import { WorkflowGraph } from '../../lib/semantics/graph';
import {
  ancestorArtifacts,
  jobNodeVars,
  nestedEffectiveArtifacts,
  nestedWorkflowLaunchVars,
  workflowJobVars,
} from '../../lib/semantics/variables';
import { sketch, statuses } from '../support/dsl';
import { DEPLOY_PIPELINE } from '../support/sketch';

const survey: SurveySpec = {
  name: 'params',
  description: '',
  spec: [
    {
      question_name: 'Version',
      question_description: '',
      variable: 'app_version',
      type: 'text',
      required: true,
      default: 'latest',
    },
    {
      question_name: 'Count',
      question_description: '',
      variable: 'count',
      type: 'integer',
      required: false,
      default: 2,
      min: 1,
      max: 5,
    },
    {
      question_name: 'Bad',
      question_description: '',
      variable: 'bad',
      type: 'integer',
      required: false,
      default: 99,
      min: 1,
      max: 5,
    },
  ],
};

function jobTemplate(overrides: Partial<JobTemplate> = {}): JobTemplate {
  return {
    extra_vars: {},
    ask_variables_on_launch: false,
    survey_enabled: false,
    survey_spec: null,
    ...overrides,
  } as JobTemplate;
}

/** Artifacts of every node of an evaluated graph, as AWX computes them at spawn time. */
function propagate(
  edges: string[],
  own: Record<string, Vars>,
  outcomes: Record<string, string> = {},
  nodes: string[] = [],
): Map<string, Vars> {
  const graph = new WorkflowGraph(sketch({ edges, nodes }));
  const evaluation = evaluate(graph, { status: statuses(outcomes) });
  const inherited = new Map<string, Vars>();
  for (const id of graph.order) {
    inherited.set(
      id,
      ancestorArtifacts(graph, id, {
        ownArtifacts: (p) => own[p] ?? {},
        ancestorArtifacts: (p) => inherited.get(p) ?? {},
        isDnr: (p) => evaluation.nodes.get(p)!.status === 'dnr',
      }),
    );
  }
  return inherited;
}

describe('§10.2 artifacts in the deploy pipeline (row 3)', () => {
  const edges = [...DEPLOY_PIPELINE];
  const own = { Provision: { ip: '10.0.0.5', ver: 1 }, Configure: { ver: 2 }, Deploy: { ver: 3, err: 'x' } };
  const artifacts = propagate(edges, own, { Deploy: 'F' });

  it('Configure gets ip and ver=9: workflow vars beat artifacts', () => {
    const { vars } = jobNodeVars({
      template: jobTemplate(),
      nodeExtraData: {},
      ancestorArtifacts: artifacts.get('Configure')!,
      workflowVars: { ver: 9 },
    });
    expect(vars).toEqual({ ip: '10.0.0.5', ver: 9 });
  });
  it('Rollback inherits {ip, ver: 3, err} merged in node-id order, then ver=9 from the workflow', () => {
    expect(artifacts.get('Rollback')).toEqual({ ip: '10.0.0.5', ver: 3, err: 'x' });
    const { vars } = jobNodeVars({
      template: jobTemplate(),
      nodeExtraData: {},
      ancestorArtifacts: artifacts.get('Rollback')!,
      workflowVars: { ver: 9 },
    });
    expect(vars).toEqual({ ip: '10.0.0.5', ver: 9, err: 'x' });
  });
  it('without workflow vars Rollback sees ver=3', () => {
    expect(
      jobNodeVars({
        template: jobTemplate(),
        nodeExtraData: {},
        ancestorArtifacts: artifacts.get('Rollback')!,
        workflowVars: {},
      }).vars.ver,
    ).toBe(3);
  });
});

describe('§11.14 variable precedence', () => {
  it('JT vars < survey defaults < node extra_data < artifacts < workflow vars', () => {
    const template = jobTemplate({
      extra_vars: { a: 'jt', b: 'jt', c: 'jt', d: 'jt', e: 'jt', count: 0 },
      ask_variables_on_launch: true,
      survey_enabled: true,
      survey_spec: survey,
    });
    const { vars } = jobNodeVars({
      template,
      nodeExtraData: { b: 'node', c: 'node', d: 'node' },
      ancestorArtifacts: { c: 'artifact', d: 'artifact' },
      workflowVars: { d: 'workflow' },
    });
    expect(vars).toEqual({
      a: 'jt',
      b: 'node',
      c: 'artifact',
      d: 'workflow',
      e: 'jt',
      count: 2,
      app_version: 'latest',
    });
  });
  it('survey defaults apply only when valid and the survey is enabled', () => {
    expect(
      jobNodeVars({
        template: jobTemplate({ survey_enabled: true, survey_spec: survey }),
        nodeExtraData: {},
        ancestorArtifacts: {},
        workflowVars: {},
      }).vars,
    ).toEqual({ app_version: 'latest', count: 2 });
    expect(
      jobNodeVars({
        template: jobTemplate({ survey_enabled: false, survey_spec: survey }),
        nodeExtraData: {},
        ancestorArtifacts: {},
        workflowVars: {},
      }).vars,
    ).toEqual({});
  });
  it('nested workflow: outer vars filtered by the inner prompts, artifacts on top unfiltered', () => {
    const inner = {
      extra_vars: {},
      ask_variables_on_launch: false,
      survey_enabled: true,
      survey_spec: survey,
    } as unknown as WorkflowJobTemplate;
    const { vars } = nestedWorkflowLaunchVars(
      inner,
      { region: 'eu', app_version: 'node' },
      { app_version: 'outer', other: 1 },
      { other: 'artifact', ip: '1.2.3.4' },
    );
    expect(vars).toEqual({ app_version: 'outer', other: 'artifact', ip: '1.2.3.4' });
  });
  it('a workflow job builds its vars from template vars, survey defaults and accepted launch vars', () => {
    const workflow = {
      extra_vars: { a: 1, app_version: 'wf' },
      survey_enabled: true,
      survey_spec: survey,
    } as unknown as WorkflowJobTemplate;
    expect(workflowJobVars(workflow, { app_version: 'v2' })).toEqual({ a: 1, app_version: 'v2', count: 2 });
  });
});

describe('§11.15 node extra_data the template does not prompt for', () => {
  it('is dropped at run time; workflow vars bypass the template prompting', () => {
    const { vars } = jobNodeVars({
      template: jobTemplate(),
      nodeExtraData: { region: 'eu' },
      ancestorArtifacts: {},
      workflowVars: { target_env: 'prod' },
    });
    expect(vars).toEqual({ target_env: 'prod' });
  });
  it('survey questions of the template are accepted when valid', () => {
    const template = jobTemplate({ survey_enabled: true, survey_spec: survey });
    const { vars } = jobNodeVars({
      template,
      nodeExtraData: { app_version: 'v3', count: 9, region: 'eu' },
      ancestorArtifacts: {},
      workflowVars: {},
    });
    expect(vars).toEqual({ app_version: 'v3', count: 2 });
  });
});

describe('§11.16 artifact merge', () => {
  it('multi-parent merge is by node id, not by time or edge', () => {
    const artifacts = propagate(['B -s-> C', 'A -a-> C'], { A: { k: 'a' }, B: { k: 'b' } });
    // Declaration order: B (id 0), A (id 1), C: A merges last and wins.
    expect(artifacts.get('C')).toEqual({ k: 'a' });
  });
  it('a later parent inherited value can overwrite an earlier parent own value', () => {
    // Ids: B 0, X 1, A 2, C 3. B's own value merges first, then A's inherited one overwrites it.
    const artifacts = propagate(
      ['X -s-> A', 'B -s-> C', 'A -s-> C'],
      { X: { k: 'from X' }, B: { k: 'B own' } },
      {},
      ['B', 'X', 'A', 'C'],
    );
    expect(artifacts.get('C')).toEqual({ k: 'from X' });
  });
  it('failed parents and parents whose edge did not fire contribute; DNR parents do not', () => {
    const artifacts = propagate(
      ['A -s-> C', 'B -f-> C', 'R -f-> D', 'D -s-> C'],
      { A: { a: 1 }, B: { b: 2 }, D: { d: 3 } },
      { A: 'F' },
    );
    expect(artifacts.get('C')).toEqual({ a: 1, b: 2 });
  });
  it('artifacts pass through approval and project-update nodes', () => {
    const artifacts = propagate(['A -s-> Gate', 'Gate -s-> B'], { A: { ip: '10.0.0.1' } });
    expect(artifacts.get('B')).toEqual({ ip: '10.0.0.1' });
  });
  it('_ansible_no_log masks every other artifact and is itself dropped', () => {
    const { vars, maskedKeys } = jobNodeVars({
      template: jobTemplate(),
      nodeExtraData: {},
      ancestorArtifacts: { _ansible_no_log: true, token: 's3cr3t', user: 'x' },
      workflowVars: {},
    });
    expect(vars).toEqual({ token: 's3cr3t', user: 'x' });
    expect(maskedKeys).toEqual(['token', 'user']);
  });
  it('nested workflow artifacts out: successful and failed jobs in finish order, error and canceled excluded', () => {
    expect(
      nestedEffectiveArtifacts([
        { id: 2, status: 'successful', finished: 5, artifacts: { k: 'late', a: 1 } },
        { id: 1, status: 'failed', finished: 1, artifacts: { k: 'early', f: true } },
        { id: 3, status: 'error', finished: 9, artifacts: { k: 'error' } },
        { id: 4, status: 'canceled', finished: 9, artifacts: { c: 1 } },
      ]),
    ).toEqual({ k: 'late', a: 1, f: true });
  });
});
