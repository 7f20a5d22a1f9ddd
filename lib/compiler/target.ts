import { createHash } from 'node:crypto';

/**
 * Where compiled machines run. Deployment-specific values live once, in the machine's first state
 * (`Init`), and every task reads them from `$.cfg`: this keeps a 1,000-node definition far below
 * the 1 MB quota and makes the rest of the definition deployment-independent. The CDK stack (or
 * the compiler Lambda) substitutes the `${...}` placeholders; the local engine ignores them.
 */
export interface DeploymentTarget {
  readonly cluster: string;
  readonly taskDefinition: string;
  readonly containerName: string;
  readonly subnets: readonly string[];
  readonly securityGroups: readonly string[];
  readonly assignPublicIp: boolean;
  readonly approvalFunction: string;
  readonly syncFunction: string;
  readonly recordFunction: string;
  /** Prefix of state machine ARNs: `arn:aws:states:<region>:<account>:stateMachine:`. */
  readonly stateMachineArnPrefix: string;
  /**
   * The runner's task definition for each execution environment image a workflow runs, registered
   * when it is deployed (lib/execution/image-task-definitions.ts).
   */
  readonly imageTaskDefinitions?: Readonly<Record<string, string>>;
}

export const PLACEHOLDER_TARGET: DeploymentTarget = {
  cluster: '${ClusterArn}',
  taskDefinition: '${RunnerTaskDefinitionArn}',
  containerName: 'runner',
  subnets: ['${SubnetId}'],
  securityGroups: ['${SecurityGroupId}'],
  assignPublicIp: false,
  approvalFunction: '${ApprovalFunctionArn}',
  syncFunction: '${SyncFunctionArn}',
  recordFunction: '${RecordFunctionArn}',
  stateMachineArnPrefix: '${StateMachineArnPrefix}',
};

/**
 * The task definition that runs `image`: registered before the workflow is compiled for AWS, a
 * placeholder naming the image when compiling for display.
 */
export function imageTaskDefinition(target: DeploymentTarget, image: string): string {
  const registered = target.imageTaskDefinitions?.[image];
  if (registered) return registered;
  if (target.taskDefinition === PLACEHOLDER_TARGET.taskDefinition) return `\${TaskDefinition:${image}}`;
  throw new Error(`internal error: no task definition was registered for image ${image}`);
}

/** The `live` alias always points at the current version; executions keep the version they started on. */
export const LIVE_ALIAS = 'live';

/**
 * Executions are named after their workflow job (`job-<id>`): starting one twice is the same
 * execution, and an execution's status change names the job it ends.
 */
export const EXECUTION_NAME_PREFIX = 'job-';

export function executionName(workflowJob: number): string {
  return `${EXECUTION_NAME_PREFIX}${workflowJob}`;
}

/** The workflow job an execution runs, from its name; undefined for executions Towerless did not name. */
export function workflowJobOfExecution(name: string): number | undefined {
  const match = new RegExp(`^${EXECUTION_NAME_PREFIX}(\\d+)$`).exec(name);
  return match ? Number(match[1]) : undefined;
}

/**
 * What a compiled job task tells its runner container (in its container overrides): the task
 * token to report to, and the node as `<workflow job id>/<node identifier>`.
 */
export const TASK_TOKEN_ENVIRONMENT = 'TOWERLESS_TASK_TOKEN';
export const NODE_ENVIRONMENT = 'TOWERLESS_NODE';

export interface NodeTask {
  readonly token: string;
  readonly workflowJob: number;
  readonly node: string;
}

/** The node task an environment names; undefined when it names none, or not in that form. */
export function nodeTaskOf(environment: (name: string) => string | undefined): NodeTask | undefined {
  const token = environment(TASK_TOKEN_ENVIRONMENT);
  // The job id is a number, so the first `/` splits; the identifier may hold more.
  const address = /^(\d+)\/(.+)$/s.exec(environment(NODE_ENVIRONMENT) ?? '');
  return token && address ? { token, workflowJob: Number(address[1]), node: address[2] } : undefined;
}

/**
 * Seconds without a runner's heartbeat after which its job node fails (the container died without
 * reporting): the compiled tasks' HeartbeatSeconds. The stack gives the runner's task definition
 * the same value (HEARTBEAT_ENVIRONMENT), and the runner beats well within it.
 */
export const DEFAULT_HEARTBEAT_SECONDS = 300;
export const HEARTBEAT_ENVIRONMENT = 'TOWERLESS_HEARTBEAT_SECONDS';

/** Stable short key of a workflow job template, used in machine names and the recursion chain. */
export function workflowKey(name: string): string {
  return createHash('sha256').update(name).digest('hex').slice(0, 12);
}

export function stateMachineName(workflowName: string): string {
  const readable = workflowName
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
  return `towerless-${readable}-${workflowKey(workflowName)}`;
}

/**
 * The `cfg` object the `Init` state places in the execution state. What every job task reads has a
 * one-letter key: each of a 1,000-node workflow's tasks names them (the 1 MB definition quota).
 */
export function targetConfig(target: DeploymentTarget): Record<string, unknown> {
  return {
    c: target.cluster,
    t: target.taskDefinition,
    n: networkConfiguration(target),
    approvalFunction: target.approvalFunction,
    syncFunction: target.syncFunction,
    recordFunction: target.recordFunction,
    machines: target.stateMachineArnPrefix,
  };
}

/** RunTask's network for a job task: the target's subnets and security groups, or a node's own. */
export function networkConfiguration(
  target: DeploymentTarget,
  placed: { readonly subnets?: readonly string[]; readonly securityGroups?: readonly string[] } = {},
): Record<string, unknown> {
  return {
    AwsvpcConfiguration: {
      Subnets: placed.subnets ?? target.subnets,
      SecurityGroups: placed.securityGroups ?? target.securityGroups,
      AssignPublicIp: target.assignPublicIp ? 'ENABLED' : 'DISABLED',
    },
  };
}
