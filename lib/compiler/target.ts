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

/** The `live` alias always points at the current version; executions keep the version they started on. */
export const LIVE_ALIAS = 'live';

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

/** The `cfg` object the `Init` state places in the execution state. */
export function targetConfig(target: DeploymentTarget): Record<string, unknown> {
  return {
    cluster: target.cluster,
    taskDefinition: target.taskDefinition,
    network: {
      AwsvpcConfiguration: {
        Subnets: target.subnets,
        SecurityGroups: target.securityGroups,
        AssignPublicIp: target.assignPublicIp ? 'ENABLED' : 'DISABLED',
      },
    },
    approvalFunction: target.approvalFunction,
    syncFunction: target.syncFunction,
    recordFunction: target.recordFunction,
    machines: target.stateMachineArnPrefix,
  };
}
