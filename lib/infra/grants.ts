import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import { BASE_TAG } from '../execution/image-task-definitions';
import { imageTaskDefinitionsArn, secretsArn, towerlessExecutionsArn, towerlessMachinesArn } from './arns';
import { acknowledgeAnyResource, acknowledgeWildcard } from './nag';
import type { Runner } from './runner';

/**
 * Grants shared by several functions, each the least a job needs. Machines and their executions
 * are created at run time, so they are named by the `towerless-` prefix every one of them has.
 */

/**
 * Deploying and starting workflows: create or update a machine, publish a version, move `live`;
 * register the runner's task definition for an execution environment's image
 * (lib/execution/image-task-definitions.ts).
 */
export function grantLaunch(grantee: Role, workflowRole: Role, runner: Runner): void {
  grantImageTaskDefinitions(grantee, runner);
  grantee.addToPolicy(
    new PolicyStatement({
      actions: [
        'states:CreateStateMachine',
        'states:UpdateStateMachine',
        'states:DescribeStateMachine',
        'states:PublishStateMachineVersion',
        'states:ListStateMachineVersions',
        'states:DeleteStateMachineVersion',
        'states:CreateStateMachineAlias',
        'states:UpdateStateMachineAlias',
        'states:DescribeStateMachineAlias',
        'states:TagResource',
        'states:StartExecution',
      ],
      resources: [towerlessMachinesArn(grantee)],
    }),
  );
  grantee.addToPolicy(
    new PolicyStatement({
      actions: ['states:DescribeExecution', 'states:StopExecution'],
      resources: [towerlessExecutionsArn(grantee)],
    }),
  );
  grantee.addToPolicy(
    new PolicyStatement({
      actions: ['iam:PassRole'],
      resources: [workflowRole.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'states.amazonaws.com' } },
    }),
  );
  acknowledgeMachines(grantee);
  acknowledgeWildcard(
    grantee,
    towerlessExecutionsArn(grantee),
    'Executions of Towerless machines (named at launch) are followed and canceled by their workflow job.',
  );
}

/** Answering a task token: runner tasks, approvals (approve/deny), lane synchronisation, the watcher. */
export function grantTaskCallbacks(
  grantee: Role,
  actions: readonly ('SendTaskSuccess' | 'SendTaskFailure' | 'SendTaskHeartbeat')[],
): void {
  grantee.addToPolicy(
    new PolicyStatement({
      actions: actions.map((action) => `states:${action}`),
      resources: [towerlessMachinesArn(grantee)],
    }),
  );
  acknowledgeMachines(grantee);
}

/** Reading secrets under a name prefix (`towerless/`, `towerless/notification_templates/`). */
export function grantSecretsRead(grantee: Role, prefix: string, why: string): void {
  grantee.addToPolicy(
    new PolicyStatement({
      actions: ['secretsmanager:GetSecretValue'],
      resources: [secretsArn(grantee, prefix)],
    }),
  );
  acknowledgeWildcard(grantee, secretsArn(grantee, prefix), why);
}

function acknowledgeMachines(grantee: Role): void {
  acknowledgeWildcard(
    grantee,
    towerlessMachinesArn(grantee),
    'Towerless state machines are created at run time (towerless-<name>-<hash>, with versions and a live alias): the prefix names them and nothing else.',
  );
}

/** Sending email from one SES identity (test notifications, email notifications without SMTP). */
export function grantSendEmail(grantee: Role, identityArn: string): void {
  grantee.addToPolicy(
    new PolicyStatement({ actions: ['ses:SendEmail', 'ses:SendRawEmail'], resources: [identityArn] }),
  );
}

/**
 * Registering copies of the runner's task definition: ECS names no resource for describing or
 * registering one, so registration is held to definitions tagged as copies of this runner, and
 * the roles they may carry to the runner's own.
 */
function grantImageTaskDefinitions(grantee: Role, runner: Runner): void {
  const { taskDefinition, taskRole, executionRole } = runner;
  const imageDefinitions = imageTaskDefinitionsArn(grantee, taskDefinition.family);
  grantee.addToPolicy(new PolicyStatement({ actions: ['ecs:DescribeTaskDefinition'], resources: ['*'] }));
  grantee.addToPolicy(
    new PolicyStatement({
      actions: ['ecs:RegisterTaskDefinition'],
      resources: ['*'],
      conditions: { StringEquals: { [`aws:RequestTag/${BASE_TAG}`]: taskDefinition.taskDefinitionArn } },
    }),
  );
  grantee.addToPolicy(
    new PolicyStatement({
      actions: ['ecs:TagResource'],
      resources: [imageDefinitions],
      conditions: { StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' } },
    }),
  );
  grantee.addToPolicy(
    new PolicyStatement({
      actions: ['iam:PassRole'],
      resources: [taskRole.roleArn, executionRole.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    }),
  );
  acknowledgeAnyResource(
    grantee,
    "ecs:DescribeTaskDefinition and ecs:RegisterTaskDefinition support no resource-level permission; registration is limited by a condition to copies of this stack's runner definition, and iam:PassRole to the runner's roles.",
  );
  acknowledgeWildcard(
    grantee,
    imageDefinitions,
    "Tagging, at registration only, the runner's definitions for execution environment images, whose families are made from the image at run time.",
  );
}
