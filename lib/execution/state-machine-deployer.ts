import {
  CreateStateMachineAliasCommand,
  CreateStateMachineCommand,
  DeleteStateMachineVersionCommand,
  ResourceNotFound,
  StateMachineDoesNotExist,
  UpdateStateMachineAliasCommand,
  UpdateStateMachineCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { createHash } from 'node:crypto';
import type { StateMachineDefinition } from '../compiler/asl';
import { compileWorkflow, CompileError } from '../compiler/compile';
import { placedImages } from '../compiler/placement';
import { LIVE_ALIAS, stateMachineName, type DeploymentTarget } from '../compiler/target';
import { validateAsl } from '../compiler/validate-asl';
import { UserError } from '../errors';
import type { Bundle } from '../model/types';
import type { DeploymentRecords } from '../store/deployment-records';
import type { ImageTaskDefinitions } from './image-task-definitions';

/**
 * Keeps each workflow's state machine current in AWS (docs/deploying.md): before a workflow job
 * starts, the workflow and every workflow it nests are compiled from the job's definitions; a
 * definition that changed is validated, becomes a new published version, and the `live` alias
 * moves to it. Running executions finish on the version they started with.
 *
 * Deploying at launch rather than on every save: AWX clients (the awx.awx collection) build a
 * workflow one node and one edge per request, and each would publish a version.
 */
export interface DeployerSettings {
  readonly target: DeploymentTarget;
  /** The role machines run as. */
  readonly roleArn: string;
  /** The log group machines log errors to (no execution data: docs/deploying.md). */
  readonly logGroupArn?: string;
}

export class StateMachineDeployer {
  constructor(
    private readonly sfn: SFNClient,
    private readonly records: DeploymentRecords,
    private readonly settings: DeployerSettings,
    /** The runner's task definition for each execution environment image. */
    private readonly images: ImageTaskDefinitions,
  ) {}

  /** Deploys what changed; resolves with the `live` alias ARN of `workflowName`'s machine. */
  async ensureLive(bundle: Bundle, workflowName: string): Promise<string> {
    // Inner workflows first: an outer machine never starts an alias that does not exist yet.
    const workflows = nestedFirst(bundle, workflowName);
    const target = await this.targetFor(bundle, workflows);
    for (const workflow of workflows) await this.deploy(bundle, workflow, target);
    return aliasArn(this.machineArn(workflowName));
  }

  /**
   * A resume's machine (docs/semantics.md §13.11): the workflow compiled with its kept nodes,
   * published as a version of its machine; its `live` alias stays where it is (a resume of an old
   * job must not roll a newer definition back). What it nests is deployed as for a launch. The
   * version serves the one execution of workflow job `job`, which goes on once the version is
   * deleted; its comment names the job, so two resumes never share one.
   */
  async resumeVersion(
    bundle: Bundle,
    workflowName: string,
    job: number,
    kept: ReadonlySet<string>,
  ): Promise<string> {
    const workflows = nestedFirst(bundle, workflowName);
    const target = await this.targetFor(bundle, workflows);
    for (const workflow of workflows)
      if (workflow !== workflowName) await this.deploy(bundle, workflow, target);
    const compiled = this.compiled(bundle, workflowName, target, kept);
    const definition = {
      ...compiled,
      Comment: `${compiled.Comment ?? workflowName} (resume: workflow job ${job})`,
    };
    return this.publish(workflowName, this.machineArn(workflowName), JSON.stringify(definition));
  }

  /**
   * Deletes a resume's version once its execution started; AWS answers a version already gone
   * with success.
   */
  async deleteVersion(versionArn: string): Promise<void> {
    await this.sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: versionArn }));
  }

  /** The deployment target, with a task definition for each image the workflows' nodes run. */
  private async targetFor(bundle: Bundle, workflows: readonly string[]): Promise<DeploymentTarget> {
    // Their nodes' images get task definitions before any machine names one.
    const images = placedImages(bundle, workflows);
    return images.size > 0
      ? { ...this.settings.target, imageTaskDefinitions: await this.images.ensure(images) }
      : this.settings.target;
  }

  private compiled(
    bundle: Bundle,
    workflow: string,
    target: DeploymentTarget,
    kept?: ReadonlySet<string>,
  ): StateMachineDefinition {
    const { definition } = compileWorkflow(bundle, workflow, { target, kept });
    validateAsl(definition);
    return definition;
  }

  private async deploy(bundle: Bundle, workflow: string, target: DeploymentTarget): Promise<void> {
    const machine = this.machineArn(workflow);
    const previous = await this.records.get(workflow);
    let definition: string;
    try {
      definition = JSON.stringify(this.compiled(bundle, workflow, target));
    } catch (error) {
      if (!(error instanceof CompileError)) throw error;
      await this.records.put({
        workflow,
        stateMachineArn: machine,
        versionArn: previous?.versionArn ?? null,
        definitionHash: previous?.definitionHash ?? null,
        deployed: previous?.deployed ?? null,
        error: error.message,
      });
      throw new UserError(`workflow '${workflow}' cannot be deployed: ${error.message}`);
    }
    const definitionHash = createHash('sha256')
      .update(definition)
      .update(this.settings.roleArn)
      .digest('hex');
    if (previous?.definitionHash === definitionHash && previous.versionArn) return;
    const versionArn = await this.publish(workflow, machine, definition);
    await this.pointLiveAt(machine, versionArn);
    await this.records.put({
      workflow,
      stateMachineArn: machine,
      versionArn,
      definitionHash,
      deployed: new Date().toISOString(),
      error: null,
    });
  }

  /** Updates the machine (or creates it) and publishes the definition as a version. */
  private async publish(workflow: string, machine: string, definition: string): Promise<string> {
    const common = {
      definition,
      roleArn: this.settings.roleArn,
      loggingConfiguration: this.settings.logGroupArn
        ? {
            level: 'ERROR' as const,
            includeExecutionData: false,
            destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: `${this.settings.logGroupArn}:*` } }],
          }
        : undefined,
      tracingConfiguration: { enabled: true },
      publish: true,
    };
    try {
      const updated = await this.sfn.send(
        new UpdateStateMachineCommand({ stateMachineArn: machine, ...common }),
      );
      return updated.stateMachineVersionArn!;
    } catch (error) {
      if (!(error instanceof StateMachineDoesNotExist)) throw error;
    }
    const created = await this.sfn.send(
      new CreateStateMachineCommand({
        name: stateMachineName(workflow),
        type: 'STANDARD',
        ...common,
        tags: [{ key: 'towerless:workflow', value: workflow.slice(0, 256) }],
      }),
    );
    return created.stateMachineVersionArn!;
  }

  private async pointLiveAt(machine: string, versionArn: string): Promise<void> {
    const routingConfiguration = [{ stateMachineVersionArn: versionArn, weight: 100 }];
    try {
      await this.sfn.send(
        new UpdateStateMachineAliasCommand({ stateMachineAliasArn: aliasArn(machine), routingConfiguration }),
      );
    } catch (error) {
      if (!(error instanceof ResourceNotFound)) throw error;
      await this.sfn.send(
        new CreateStateMachineAliasCommand({
          name: LIVE_ALIAS,
          routingConfiguration,
          description: 'Towerless: the current version',
        }),
      );
    }
  }

  private machineArn(workflow: string): string {
    return `${this.settings.target.stateMachineArnPrefix}${stateMachineName(workflow)}`;
  }
}

function aliasArn(machine: string): string {
  return `${machine}:${LIVE_ALIAS}`;
}

/** `workflowName` and every workflow it nests, directly or not, innermost first (cycles cut). */
function nestedFirst(bundle: Bundle, workflowName: string): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const workflow = bundle.workflow_job_templates.find((w) => w.name === name);
    // A nested template that is gone leaves a node that fails when reached (docs/semantics.md §1.2).
    if (!workflow) return;
    for (const node of workflow.workflow_nodes)
      if (node.unified_job_template?.type === 'workflow_job_template') visit(node.unified_job_template.name);
    order.push(name);
  };
  visit(workflowName);
  return order;
}
