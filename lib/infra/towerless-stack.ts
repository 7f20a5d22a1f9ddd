import { CfnOutput, Duration, RemovalPolicies, Stack, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Rule, type EventPattern } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { Construct } from 'constructs';
import type { DeploymentTarget } from '../compiler/target';
import {
  functionArn,
  MACHINE_NAME_PREFIX,
  namedSecretArn,
  secretsArn,
  sesIdentityArn,
  stateMachineArnPrefix,
} from './arns';
import { SCHEDULE_RECORD_FILTER } from '../schedules/scheduler-schedules';
import { JOB_RECORD_STREAM_FILTER } from '../store/dynamo-job-store';
import { FUNCTION_ENVIRONMENT } from './function-environment';
import { grantLaunch, grantSecretsRead, grantSendEmail, grantTaskCallbacks } from './grants';
import { TowerlessHttpApi } from './http-api';
import { acknowledgeWildcard } from './nag';
import { Monitoring } from './monitoring';
import { Runner, RUNNER_CONTAINER_NAME } from './runner';
import { RunnerNetwork } from './runner-network';
import { Schedules } from './schedules';
import { ADMIN_TOKEN_SECRET, ServiceSecrets } from './service-secrets';
import type { TowerlessSettings } from './settings';
import { keptDataRemovalPolicy, Store } from './store';
import { TableStreamSubscription } from './table-stream';
import {
  constructId,
  TowerlessFunction,
  type FunctionName,
  type TowerlessFunctionProps,
} from './towerless-function';
import { WorkflowRole } from './workflow-role';

export interface TowerlessStackProps extends StackProps {
  readonly settings: TowerlessSettings;
}

/** The functions' one-line descriptions, which the console shows. */
const DESCRIPTIONS: Record<FunctionName, string> = {
  api: 'Towerless: the AWX-compatible REST API',
  approval: 'Towerless: opens an approval (invoked by workflows with a task token)',
  record: 'Towerless: node records (nested workflow jobs, rejected nodes, workflow ends)',
  sync: 'Towerless: lane synchronisation (invoked by workflows with a task token)',
  lifecycle: 'Towerless: ends workflow jobs when their execution ends, starts waiting jobs',
  'task-watcher': 'Towerless: fails the node of a runner task that stopped without reporting',
  notifier: 'Towerless: sends notifications from the table stream',
  scheduler: 'Towerless: launches the workflow of a schedule (invoked by EventBridge Scheduler)',
};

/**
 * Towerless on AWS: nothing runs while no workflow runs. The API compiles workflows into state
 * machines at run time (not through CloudFormation); this stack provides what they run on and
 * with: the store, the runner, the task functions, the role the machines assume, the API.
 */
export class TowerlessStack extends Stack {
  readonly store: Store;
  readonly secrets: ServiceSecrets;
  readonly network: RunnerNetwork;
  readonly runner: Runner;
  readonly workflows: WorkflowRole;
  readonly schedules: Schedules;
  readonly functions: Readonly<Record<FunctionName, TowerlessFunction>>;
  readonly api: TowerlessHttpApi;
  readonly notifierStream: TableStreamSubscription;
  readonly schedulerStream: TableStreamSubscription;
  readonly monitoring: Monitoring;
  /** What compiled machines run with (lib/compiler/target.ts), tokens unresolved. */
  readonly deploymentTarget: DeploymentTarget;

  constructor(scope: Construct, id: string, props: TowerlessStackProps) {
    super(scope, id, props);
    const settings = props.settings;
    this.store = new Store(this, 'Store', { deletionProtection: settings.deletionProtection });
    this.secrets = new ServiceSecrets(this, 'Secrets', {
      removalPolicy: keptDataRemovalPolicy(settings.deletionProtection),
    });
    this.network = new RunnerNetwork(this, 'Network', { existing: settings.network });
    this.runner = new Runner(this, 'Runner', {
      vpc: this.network.vpc,
      store: this.store,
      sealingKey: this.secrets.sealingKey,
      architecture: settings.runnerArchitecture,
      cpu: settings.runnerCpu,
      memoryMiB: settings.runnerMemory,
    });

    const make = (name: FunctionName, extra: Partial<TowerlessFunctionProps> = {}) =>
      new TowerlessFunction(this, constructId(name), {
        name,
        description: DESCRIPTIONS[name],
        store: this.store,
        sealingKey: this.secrets.sealingKey,
        ...extra,
      });
    const approval = make('approval');
    const record = make('record');
    const sync = make('sync');
    this.workflows = new WorkflowRole(this, 'Workflows', {
      runner: this.runner,
      taskFunctions: [approval.function, sync.function, record.function],
    });
    this.deploymentTarget = {
      cluster: this.runner.cluster.clusterArn,
      taskDefinition: this.runner.taskDefinition.taskDefinitionArn,
      containerName: RUNNER_CONTAINER_NAME,
      subnets: this.network.subnets.map((subnet) => subnet.subnetId),
      securityGroups: this.network.securityGroups.map((group) => group.securityGroupId),
      assignPublicIp: this.network.assignPublicIp,
      approvalFunction: approval.function.functionArn,
      syncFunction: sync.function.functionArn,
      recordFunction: record.function.functionArn,
      stateMachineArnPrefix: stateMachineArnPrefix(this),
    };
    const launching = {
      [FUNCTION_ENVIRONMENT.deploymentTarget]: this.toJsonString(this.deploymentTarget),
      [FUNCTION_ENVIRONMENT.workflowRoleArn]: this.workflows.role.roleArn,
      [FUNCTION_ENVIRONMENT.workflowLogGroupArn]: this.workflows.logGroup.logGroupArn,
    };
    const publicUrl = settings.customDomain && `https://${settings.customDomain.domainName}`;
    const mail = {
      [FUNCTION_ENVIRONMENT.sesIdentity]: settings.sesIdentity && sesIdentityArn(this, settings.sesIdentity),
      [FUNCTION_ENVIRONMENT.publicUrl]: publicUrl,
    };

    // Named, so that its schedules' role can name it before it exists (it reads that role).
    const schedulerName = `towerless-${this.stackName}-scheduler`;
    this.schedules = new Schedules(this, 'Schedules', {
      targetArn: functionArn(this, schedulerName),
    });
    const scheduler = make('scheduler', {
      functionName: schedulerName,
      environment: { ...launching, ...this.schedules.environment() },
    });
    const lifecycle = make('lifecycle', { environment: launching });
    const taskWatcher = make('task-watcher');
    const notifier = make('notifier', {
      environment: {
        ...mail,
        [FUNCTION_ENVIRONMENT.slackTokenSecret]: settings.slackTokenSecret,
      },
    });
    const api = make('api', {
      memorySize: 1024,
      // API Gateway answers 503 after 29 s: working on past that would be wasted.
      timeout: Duration.seconds(29),
      environment: {
        [FUNCTION_ENVIRONMENT.adminTokenSecret]: ADMIN_TOKEN_SECRET,
        [FUNCTION_ENVIRONMENT.runnerLogGroup]: this.runner.logGroup.logGroupName,
        ...launching,
        ...this.schedules.environment(),
        ...mail,
      },
    });
    this.functions = {
      api,
      approval,
      record,
      sync,
      lifecycle,
      'task-watcher': taskWatcher,
      notifier,
      scheduler,
    };

    this.grantFunctions(settings);
    this.routeEvents();
    this.notifierStream = new TableStreamSubscription(this, 'NotifierStream', {
      table: this.store.table,
      handler: notifier.function,
      filters: [JOB_RECORD_STREAM_FILTER],
    });
    // Schedules saved through the API reach EventBridge Scheduler from the stream (docs/schedules.md).
    this.schedulerStream = new TableStreamSubscription(this, 'SchedulerStream', {
      table: this.store.table,
      handler: scheduler.function,
      filters: [SCHEDULE_RECORD_FILTER],
    });
    this.api = new TowerlessHttpApi(this, 'HttpApi', {
      handler: api.function,
      rateLimit: settings.apiRateLimit,
      burstLimit: settings.apiBurstLimit,
      customDomain: settings.customDomain,
    });
    // Links in notifications start with where people reach the API: its own URL without a domain.
    if (!publicUrl)
      notifier.function.addEnvironment(
        FUNCTION_ENVIRONMENT.publicUrl,
        `https://${this.api.httpApi.apiId}.execute-api.${this.region}.${this.urlSuffix}`,
      );
    this.monitoring = new Monitoring(this, 'Monitoring', {
      functions: this.functions,
      httpApi: this.api.httpApi,
      notifierDeadLetters: this.notifierStream.deadLetters,
      schedulerDeadLetters: this.schedulerStream.deadLetters,
      alarmEmail: settings.alarmEmail,
    });
    if (!settings.deletionProtection) RemovalPolicies.of(this).destroy();
    this.addOutputs();
  }

  /** Each function's grants beyond the store: see docs/deploying.md for what each one does. */
  private grantFunctions(settings: TowerlessSettings): void {
    const { api, sync, lifecycle, notifier, scheduler } = this.functions;
    const taskWatcher = this.functions['task-watcher'];
    const workflowRole = this.workflows.role;

    api.addToRolePolicy(
      new PolicyStatement({
        actions: [
          'secretsmanager:GetSecretValue',
          'secretsmanager:DescribeSecret',
          'secretsmanager:CreateSecret',
          'secretsmanager:PutSecretValue',
          'secretsmanager:UpdateSecret',
          'secretsmanager:DeleteSecret',
          'secretsmanager:TagResource',
        ],
        resources: [secretsArn(this, 'towerless/')],
      }),
    );
    acknowledgeWildcard(
      api.role,
      secretsArn(this, 'towerless/'),
      'The API keeps the secret inputs of credentials and notification templates (towerless/<kind>/<id>/<key>), created and deleted with their objects, and reads the service secrets (towerless/service/*).',
    );
    grantLaunch(api.role, workflowRole, this.runner);
    // Approve and deny answer the approval's task token.
    grantTaskCallbacks(api.role, ['SendTaskSuccess', 'SendTaskFailure']);
    this.schedules.grantManage(api.role);
    // A job's events are read back from its runner task's log stream.
    api.addToRolePolicy(
      new PolicyStatement({
        actions: ['logs:FilterLogEvents'],
        resources: [this.runner.logGroup.logGroupArn],
      }),
    );

    grantTaskCallbacks(sync.role, ['SendTaskSuccess', 'SendTaskFailure']);
    // Jobs that waited for another job of their template start when it ends.
    grantLaunch(lifecycle.role, workflowRole, this.runner);
    // A stopped task's node is failed, or resumed as its record says when only the report was lost.
    grantTaskCallbacks(taskWatcher.role, ['SendTaskSuccess', 'SendTaskFailure']);

    grantSecretsRead(
      notifier.role,
      'towerless/notification_templates/',
      "A notification template's secret inputs (tokens, passwords) are kept as towerless/notification_templates/<id>/<key>.",
    );
    // Approval notifications carry signed approve/deny links.
    notifier.addToRolePolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.secrets.approvalLinkKey.secretArn],
      }),
    );
    if (settings.slackTokenSecret)
      notifier.addToRolePolicy(
        new PolicyStatement({
          actions: ['secretsmanager:GetSecretValue'],
          resources: [namedSecretArn(this, settings.slackTokenSecret)],
        }),
      );
    if (settings.sesIdentity)
      for (const fn of [api, notifier]) grantSendEmail(fn.role, sesIdentityArn(this, settings.sesIdentity));

    grantSecretsRead(
      scheduler.role,
      'towerless/',
      "A schedule's launch reads its kept survey answers (towerless/schedules/<id>/<var>) and the service secrets.",
    );
    grantLaunch(scheduler.role, workflowRole, this.runner);
    this.schedules.grantManage(scheduler.role);
  }

  /** Execution ends to the lifecycle function; runner tasks that stop, to the task watcher. */
  private routeEvents(): void {
    const on = (id: string, eventPattern: EventPattern, fn: TowerlessFunction) =>
      new Rule(this, id, { eventPattern, targets: [new LambdaFunction(fn.function, { retryAttempts: 3 })] });
    on(
      'ExecutionEnded',
      {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          status: ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'],
          stateMachineArn: [{ prefix: `${stateMachineArnPrefix(this)}${MACHINE_NAME_PREFIX}` }],
        },
      },
      this.functions.lifecycle,
    );
    on(
      'RunnerTaskStopped',
      {
        source: ['aws.ecs'],
        detailType: ['ECS Task State Change'],
        detail: { clusterArn: [this.runner.cluster.clusterArn], lastStatus: ['STOPPED'] },
      },
      this.functions['task-watcher'],
    );
  }

  private addOutputs(): void {
    new CfnOutput(this, 'ApiUrl', {
      value: this.api.url,
      description: 'The AWX-compatible API: CONTROLLER_HOST for awx.awx, --url for towerless',
    });
    new CfnOutput(this, 'AdminTokenSecretName', {
      value: ADMIN_TOKEN_SECRET,
      description: `The admin's API token: aws secretsmanager get-secret-value --secret-id ${ADMIN_TOKEN_SECRET} --query SecretString --output text`,
    });
    new CfnOutput(this, 'TableName', { value: this.store.table.tableName });
    new CfnOutput(this, 'RunnerLogGroup', { value: this.runner.logGroup.logGroupName });
    new CfnOutput(this, 'DashboardUrl', {
      value: `https://console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${this.monitoring.dashboard.dashboardName}`,
    });
    if (this.api.domainName)
      new CfnOutput(this, 'CustomDomainTarget', {
        value: this.api.domainName.regionalDomainName,
        description: `Point ${this.api.domainName.name} here (a CNAME, or an alias record to this name)`,
      });
  }
}
