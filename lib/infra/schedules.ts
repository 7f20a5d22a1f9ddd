import { Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { FUNCTION_ENVIRONMENT } from './function-environment';
import { acknowledgeWildcard } from './nag';

export interface SchedulesProps {
  /**
   * The function every schedule invokes (it launches the schedule's workflow), by ARN: that
   * function reads this construct's role and group, so it cannot be referenced back.
   */
  readonly targetArn: string;
}

/**
 * Where the API keeps its EventBridge Scheduler schedules (made at run time, one per AWX schedule),
 * and the role they assume, which may invoke the scheduler function and nothing else.
 */
export class Schedules extends Construct {
  readonly group: ScheduleGroup;
  readonly role: Role;
  readonly targetArn: string;

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.targetArn = props.targetArn;
    this.group = new ScheduleGroup(this, 'Group', {
      scheduleGroupName: `towerless-${stack.stackName}`,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        // Confused deputy: only schedules of this account may assume it.
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: 'Towerless schedules: invoke the scheduler function',
    });
    this.role.addToPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [props.targetArn] }),
    );
  }

  /** The variables a function that creates or fires schedules reads. */
  environment(): Record<string, string> {
    return {
      [FUNCTION_ENVIRONMENT.schedulerGroup]: this.group.scheduleGroupName,
      [FUNCTION_ENVIRONMENT.schedulerRoleArn]: this.role.roleArn,
      [FUNCTION_ENVIRONMENT.schedulerTargetArn]: this.targetArn,
    };
  }

  /** What managing schedules takes: schedules of this group, and handing them this role. */
  grantManage(grantee: Role): void {
    grantee.addToPolicy(
      new PolicyStatement({
        actions: [
          'scheduler:CreateSchedule',
          'scheduler:UpdateSchedule',
          'scheduler:DeleteSchedule',
          'scheduler:GetSchedule',
        ],
        resources: [this.schedulesArn()],
      }),
    );
    grantee.addToPolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    acknowledgeWildcard(
      grantee,
      this.schedulesArn(),
      "Schedules are made at run time, one per AWX schedule: the pattern is this stack's schedule group only.",
    );
  }

  /** `schedule/<group>/*`: the schedules of this group, named at run time. */
  schedulesArn(): string {
    const stack = Stack.of(this);
    return `arn:${stack.partition}:scheduler:${stack.region}:${stack.account}:schedule/${this.group.scheduleGroupName}/*`;
  }
}
