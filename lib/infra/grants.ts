import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import { secretsArn, towerlessExecutionsArn, towerlessMachinesArn } from './arns';
import { acknowledgeWildcard } from './nag';

/**
 * Grants shared by several functions, each the least a job needs. Machines and their executions
 * are created at run time, so they are named by the `towerless-` prefix every one of them has.
 */

/** Deploying and starting workflows: create or update a machine, publish a version, move `live`. */
export function grantLaunch(grantee: Role, workflowRole: Role): void {
  grantee.addToPolicy(
    new PolicyStatement({
      actions: [
        'states:CreateStateMachine',
        'states:UpdateStateMachine',
        'states:DescribeStateMachine',
        'states:PublishStateMachineVersion',
        'states:ListStateMachineVersions',
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
