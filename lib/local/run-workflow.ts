import { randomUUID } from 'node:crypto';
import { InvalidError } from '../errors';
import { acceptVariables } from '../model/prompts';
import type { Bundle, Vars, WorkflowJobTemplate } from '../model/types';
import { NodeRunFailure } from '../runner/failure';
import { inheritedArtifacts, runNode } from '../runner/run-node';
import type { SecretProvider } from '../runner/secrets';
import { nestedWorkflowPrompts, workflowJobPrompts } from '../semantics/prompts';
import {
  nestedEffectiveArtifacts,
  nestedWorkflowLaunchVars,
  passwordVariables,
  separateSecrets,
  workflowJobVars,
} from '../semantics/variables';
import type { JobStore } from '../store/job-store';
import type { NodeJobRecord } from '../store/records';
import type { ApprovalPolicy } from './approvals';
import type { DataFolder } from './data-folder';
import {
  LocalEngine,
  NodeFailure,
  TIMED_OUT,
  type EngineObserver,
  type ExecutionStatus,
  type NodeContext,
  type NodeEvent,
  type WorkflowRun,
} from './engine';
import { workflowCompiler } from './workflow-compiler';
import type { CompiledWorkflow } from '../compiler/compile';

/**
 * `towerless run`: the compiled state machine on the local interpreter, with real node handlers:
 * jobs and syncs run the runner (ansible-runner per node), approvals ask the approval policy,
 * nested workflows run their own machine, and every record goes to the (dynalite) store.
 */
export interface LocalRunOptions {
  readonly bundle: Bundle;
  /** Folder relative project paths are relative to. */
  readonly baseDir: string;
  readonly workflowName: string;
  /** Launch-time extra vars, already accepted by the workflow (see `acceptLaunchVars`). */
  readonly launchVars: Vars;
  readonly store: JobStore;
  readonly secrets: SecretProvider;
  readonly data: DataFolder;
  readonly approvals: ApprovalPolicy;
  readonly signal: AbortSignal;
  readonly observer?: EngineObserver;
  readonly onEvent?: (event: Record<string, unknown>) => void;
  /** Compiles the bundle's workflows (pass one to share its cache with a report). */
  readonly compile?: (workflowName: string) => CompiledWorkflow;
}

export interface LocalRunResult {
  readonly workflowJob: string;
  readonly status: ExecutionStatus;
}

export async function runWorkflowLocally(options: LocalRunOptions): Promise<LocalRunResult> {
  // An unusable secrets file refuses the launch once, before any node starts (not node by node).
  await options.secrets.check().catch((error: Error) => {
    throw new InvalidError(error.message);
  });
  const handlers = new LocalHandlers(options);
  const compile = options.compile ?? workflowCompiler(options.bundle);
  const engine = new LocalEngine(compile, handlers, { observer: options.observer });
  return engine.run({
    workflowName: options.workflowName,
    workflowJob: randomUUID(),
    signal: options.signal,
  });
}

/**
 * Launch vars a workflow accepts (docs/semantics.md §4.4, §6.2): everything when it asks for
 * variables, otherwise only its survey's answers. Required survey answers left out take their
 * default, as AWX's launch form would fill them; without a default the launch is refused.
 */
export function acceptLaunchVars(workflow: WorkflowJobTemplate, launchVars: Vars): Vars {
  const { accepted, refused } = acceptVariables(workflow, launchVars);
  const notAllowed = [...refused.entries()].filter(([, why]) => why.startsWith('not a survey question'));
  if (notAllowed.length > 0) {
    throw new InvalidError(
      `Variables ${notAllowed.map(([key]) => key).join(', ')} are not allowed on launch. Check the Prompt on Launch setting on the Workflow Job Template '${workflow.name}' to include Extra Variables.`,
    );
  }
  const invalid = [...refused.values()].filter((why) => !why.startsWith('not a survey question'));
  if (invalid.length > 0) throw new InvalidError(invalid.join(' '));
  const survey = workflow.survey_enabled ? workflow.survey_spec : null;
  const missing =
    survey?.spec.filter(
      (q) =>
        q.required &&
        !(q.variable in accepted) &&
        (q.default === undefined || q.default === null || q.default === ''),
    ) ?? [];
  if (missing.length > 0)
    throw new InvalidError(missing.map((q) => `'${q.variable}' value missing`).join(' '));
  return accepted;
}

class LocalHandlers {
  constructor(private readonly options: LocalRunOptions) {}

  async run(context: NodeContext): Promise<void> {
    const { store } = this.options;
    if (context.kind === 'approval') return this.approve(context);
    try {
      await runNode({
        bundle: this.options.bundle,
        baseDir: this.options.baseDir,
        store,
        secrets: this.options.secrets,
        cacheDir: this.options.data.projects,
        scratchDir: this.options.data.scratch,
        workflowJob: context.workflowJob,
        node: context.node,
        signal: context.signal,
        onEvent: this.options.onEvent,
      });
    } catch (error) {
      if (error instanceof NodeRunFailure) throw new NodeFailure(error.message, error.errorName);
      throw error;
    }
  }

  async workflowStarting(run: WorkflowRun): Promise<void> {
    const { store } = this.options;
    const workflow = this.workflow(run.workflowName);
    let launchVars = this.options.launchVars;
    let prompts = workflowJobPrompts(workflow);
    let inheritedSecrets: readonly string[] = [];
    if (run.parent) {
      await this.record(run.parent.workflowName, run.parent.workflowJob, run.parent.node, {
        status: 'running',
      });
      // §4.2 nested: node extra_data under the outer vars, filtered by the inner prompts, artifacts on top.
      const outer = (await store.getWorkflowJob(run.parent.workflowJob))!;
      const node = this.workflow(run.parent.workflowName).workflow_nodes.find(
        (n) => n.identifier === run.parent!.node,
      )!;
      const artifacts = inheritedArtifacts(
        this.workflow(run.parent.workflowName),
        node,
        await store.nodeJobs(run.parent.workflowJob),
      );
      const outerVars = { ...outer.extra_vars, ...outer.secret_vars };
      launchVars = nestedWorkflowLaunchVars(workflow, node.extra_data, outerVars, artifacts).vars;
      prompts = nestedWorkflowPrompts(workflow, node, outer.prompts);
      // An outer password passed on stays a secret in the nested workflow job.
      inheritedSecrets = Object.keys(outer.secret_vars ?? {});
    }
    const { shown, secret } = separateSecrets(workflowJobVars(workflow, launchVars), [
      ...reachablePasswordVariables(this.options.bundle, workflow),
      ...inheritedSecrets,
    ]);
    await store.createWorkflowJob({
      id: run.workflowJob,
      workflow: run.workflowName,
      status: 'running',
      extra_vars: shown,
      secret_vars: secret,
      prompts,
      ...(run.parent ? { parent: { workflowJob: run.parent.workflowJob, node: run.parent.node } } : {}),
      started: new Date().toISOString(),
    });
    if (!run.parent) await store.putDefinitions(run.workflowJob, this.options.bundle);
  }

  async workflowFinished(run: WorkflowRun, status: ExecutionStatus): Promise<void> {
    const { store } = this.options;
    const finished = new Date().toISOString();
    await store.finishWorkflowJob(run.workflowJob, {
      status,
      finished,
      ...(status === 'failed'
        ? { job_explanation: 'No error handling paths found, marking workflow as failed' }
        : {}),
    });
    if (!run.parent) return;
    // The nested node's job is the inner workflow job; its artifacts are the inner jobs' (§5).
    const inner = await store.nodeJobs(run.workflowJob);
    await this.record(run.parent.workflowName, run.parent.workflowJob, run.parent.node, {
      status: status === 'successful' ? 'successful' : status === 'canceled' ? 'canceled' : 'failed',
      artifacts: nestedEffectiveArtifacts(
        inner.map((job) => ({
          id: job.node,
          status: job.status,
          finished: Date.parse(job.finished ?? finished),
          artifacts: job.artifacts,
        })),
      ),
      finished,
    });
  }

  async nodeRejected(node: NodeEvent, explanation: string): Promise<void> {
    await this.record(node.workflowName, node.workflowJob, node.node, {
      status: 'failed',
      job_explanation: explanation,
      finished: new Date().toISOString(),
    });
  }

  private async approve(context: NodeContext): Promise<void> {
    const node = this.workflow(context.workflowName).workflow_nodes.find(
      (n) => n.identifier === context.node,
    )!;
    const approval = node.approval!;
    const started = new Date().toISOString();
    const record = (update: Partial<NodeJobRecord>) =>
      this.record(context.workflowName, context.workflowJob, context.node, {
        started,
        finished: new Date().toISOString(),
        ...update,
      });
    let answer: 'approved' | 'denied';
    try {
      answer = await this.options.approvals.decide({
        workflowName: context.workflowName,
        path: context.path,
        node: context.node,
        approval,
        signal: context.signal,
      });
    } catch (error) {
      if (context.signal.reason === TIMED_OUT) {
        const explanation = `The approval node ${approval.name} (${context.node}) has expired after ${approval.timeout} seconds.`;
        await record({ status: 'failed', job_explanation: explanation });
        throw new NodeFailure(explanation, 'States.Timeout');
      }
      await record({ status: 'canceled', job_explanation: 'The workflow job was canceled' });
      throw error;
    }
    await record(
      answer === 'approved'
        ? { status: 'successful' }
        : { status: 'failed', job_explanation: `Denied: ${approval.name}` },
    );
    if (answer === 'denied')
      throw new NodeFailure(`approval '${approval.name}' was denied`, 'ApprovalDenied');
  }

  /** A node record for nodes the runner does not run (approvals, nested workflows, rejected nodes). */
  private async record(
    workflowName: string,
    workflowJob: string,
    nodeId: string,
    update: Partial<NodeJobRecord>,
  ): Promise<void> {
    const { store } = this.options;
    const workflow = this.workflow(workflowName);
    const node = workflow.workflow_nodes.find((n) => n.identifier === nodeId)!;
    const siblings = await store.nodeJobs(workflowJob);
    const earlier = siblings.find((record) => record.node === nodeId);
    const started = update.started ?? earlier?.started ?? new Date().toISOString();
    await store.putNodeJob({
      workflowJob,
      node: nodeId,
      kind: node.unified_job_template?.type ?? 'missing',
      template: node.unified_job_template?.name ?? null,
      status: 'failed',
      artifacts: {},
      // Artifacts flow through approval nodes (§4.2): they record what they inherited.
      ancestor_artifacts: earlier?.ancestor_artifacts ?? inheritedArtifacts(workflow, node, siblings),
      ...update,
      started,
      ...(update.finished ? { elapsed: (Date.parse(update.finished) - Date.parse(started)) / 1000 } : {}),
    });
  }

  private workflow(name: string): WorkflowJobTemplate {
    return this.options.bundle.workflow_job_templates.find((w) => w.name === name)!;
  }
}

/**
 * The variables any survey in the workflow's reach asks as a password: its own, its job
 * templates' and its nested workflows'. A launch variable of that name is a secret wherever it
 * goes (with `ask_variables_on_launch` it reaches those templates' jobs), so the workflow job
 * record keeps it sealed.
 */
function reachablePasswordVariables(
  bundle: Bundle,
  workflow: WorkflowJobTemplate,
  seen = new Set<string>(),
): string[] {
  if (seen.has(workflow.name)) return [];
  seen.add(workflow.name);
  const variables = passwordVariables(workflow);
  for (const node of workflow.workflow_nodes) {
    const target = node.unified_job_template;
    if (target?.type === 'job_template') {
      const template = bundle.job_templates.find((t) => t.name === target.name);
      if (template) variables.push(...passwordVariables(template));
    } else if (target?.type === 'workflow_job_template') {
      const nested = bundle.workflow_job_templates.find((w) => w.name === target.name);
      if (nested) variables.push(...reachablePasswordVariables(bundle, nested, seen));
    }
  }
  return variables;
}
