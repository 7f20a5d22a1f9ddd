import { Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { imageTaskDefinitionsArn, towerlessExecutionsArn, towerlessMachinesArn } from './arns';
import { retainedLogGroup } from './log-groups';
import { acknowledgeAnyResource, acknowledgeWildcard } from './nag';
import type { Runner } from './runner';

export interface WorkflowRoleProps {
  readonly runner: Runner;
  /** The functions compiled machines invoke: approvals, lane synchronisation, node records. */
  readonly taskFunctions: readonly IFunction[];
}

/** The rule Step Functions manages for `.sync` integrations (startExecution.sync:2). */
const SYNC_EVENTS_RULE = 'StepFunctionsGetEventsForStepFunctionsExecutionRule';

/**
 * The role every compiled state machine runs as, and the log group they log to. The machines are
 * created at run time, so the role is the whole of what a workflow can do: start runner tasks of
 * this stack's task definition on this stack's cluster, invoke this stack's task functions, and
 * start other Towerless machines (nested workflows).
 */
export class WorkflowRole extends Construct {
  readonly role: Role;
  /** `/aws/vendedlogs/states/towerless-<stack>`: the vended-logs prefix spares a resource policy per machine. */
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: WorkflowRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.logGroup = retainedLogGroup(this, 'Logs', `/aws/vendedlogs/states/towerless-${stack.stackName}`);
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('states.amazonaws.com'),
      description: 'Towerless workflows: the role every compiled state machine runs as',
    });
    const { cluster, taskDefinition, taskRole, executionRole } = props.runner;
    const ecsArn = (resource: string) =>
      `arn:${stack.partition}:ecs:${stack.region}:${stack.account}:${resource}`;
    const taskDefinitions = ecsArn(`task-definition/${taskDefinition.family}:*`);
    const imageTaskDefinitions = imageTaskDefinitionsArn(this, taskDefinition.family);
    const tasks = ecsArn(`task/${cluster.clusterName}/*`);
    const functionArns = props.taskFunctions.flatMap((fn) => [fn.functionArn, `${fn.functionArn}:*`]);
    const statements = [
      new PolicyStatement({
        actions: ['ecs:RunTask'],
        resources: [taskDefinitions, imageTaskDefinitions],
        conditions: { ArnEquals: { 'ecs:cluster': cluster.clusterArn } },
      }),
      new PolicyStatement({ actions: ['ecs:StopTask', 'ecs:DescribeTasks'], resources: [tasks] }),
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [taskRole.roleArn, executionRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      }),
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: functionArns }),
      new PolicyStatement({ actions: ['states:StartExecution'], resources: [towerlessMachinesArn(this)] }),
      new PolicyStatement({
        actions: ['states:DescribeExecution', 'states:StopExecution'],
        resources: [towerlessExecutionsArn(this)],
      }),
      new PolicyStatement({
        actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
        resources: [
          `arn:${stack.partition}:events:${stack.region}:${stack.account}:rule/${SYNC_EVENTS_RULE}`,
        ],
      }),
      new PolicyStatement({
        actions: [
          'xray:PutTraceSegments',
          'xray:PutTelemetryRecords',
          'xray:GetSamplingRules',
          'xray:GetSamplingTargets',
        ],
        resources: ['*'],
      }),
      new PolicyStatement({
        actions: [
          'logs:CreateLogDelivery',
          'logs:GetLogDelivery',
          'logs:UpdateLogDelivery',
          'logs:DeleteLogDelivery',
          'logs:ListLogDeliveries',
          'logs:PutResourcePolicy',
          'logs:DescribeResourcePolicies',
          'logs:DescribeLogGroups',
        ],
        resources: ['*'],
      }),
    ];
    for (const statement of statements) this.role.addToPolicy(statement);

    acknowledgeWildcard(
      this.role,
      taskDefinitions,
      'Every revision of the runner task definition family: a deployment that changes the image makes a new revision, and running machines keep the ARN they were compiled with.',
    );
    acknowledgeWildcard(
      this.role,
      imageTaskDefinitions,
      "The runner's definitions for execution environment images, registered at launch in families made from the image (lib/execution/image-task-definitions.ts).",
    );
    acknowledgeWildcard(
      this.role,
      tasks,
      "Runner tasks' ids are made by ECS when a node starts; the pattern is this stack's cluster only.",
    );
    for (const fn of props.taskFunctions)
      acknowledgeWildcard(
        this.role,
        `${fn.functionArn}:*`,
        'Versions and aliases of this task function, which a machine may invoke qualified.',
      );
    acknowledgeWildcard(
      this.role,
      towerlessMachinesArn(this),
      'Nested workflows start other Towerless machines (towerless-<name>-<hash>, through their live alias), created at run time.',
    );
    acknowledgeWildcard(
      this.role,
      towerlessExecutionsArn(this),
      'startExecution.sync:2 describes and stops the nested execution it started, whose name is made at run time.',
    );
    acknowledgeAnyResource(
      this.role,
      'X-Ray tracing of the machines (xray:Put*, GetSampling*) and CloudWatch Logs delivery (logs:*LogDelivery*, *ResourcePolicy*, DescribeLogGroups) support no resource-level permission: AWS documents Resource "*" for both.',
    );
  }
}
