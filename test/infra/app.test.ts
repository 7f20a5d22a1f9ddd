import { Match } from 'aws-cdk-lib/assertions';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PLACEHOLDER_TARGET } from '../../lib/compiler/target';
import { FUNCTION_ENVIRONMENT } from '../../lib/infra/function-environment';
import {
  allStatements,
  arn,
  environmentOf,
  flatten,
  getAtt,
  logicalId,
  roleStatements,
  synthesize,
  type Synthesized,
} from './synthesized';
import { SCHEDULE_RECORD_FILTER } from '../../lib/schedules/scheduler-schedules';
import { JOB_RECORD_STREAM_FILTER } from '../../lib/store/dynamo-job-store';

const MACHINES = arn('states', 'stateMachine:towerless-*');
const EXECUTIONS = arn('states', 'execution:towerless-*:*');

describe('the Towerless stack with default settings', () => {
  let synthesized: Synthesized;
  let ids: Record<string, string>;

  beforeAll(() => {
    // Throws on any cdk-nag AwsSolutions finding not acknowledged.
    synthesized = synthesize();
    const { stack } = synthesized;
    ids = {
      table: logicalId(stack.store.table),
      sealingKey: logicalId(stack.secrets.sealingKey),
      cluster: logicalId(stack.runner.cluster),
      taskDefinition: logicalId(stack.runner.taskDefinition),
      taskRole: logicalId(stack.runner.taskRole),
      executionRole: logicalId(stack.runner.executionRole),
      workflowRole: logicalId(stack.workflows.role),
      approval: logicalId(stack.functions.approval.function),
      sync: logicalId(stack.functions.sync.function),
      record: logicalId(stack.functions.record.function),
    };
  });

  it('synthesizes without an AWS account, environment-agnostic, and passes cdk-nag', () => {
    expect(synthesized.stack.stackName).toBe('Towerless');
    expect(synthesized.stack.environment).toBe('aws://unknown-account/unknown-region');
    expect(Object.keys(synthesized.resources).length).toBeGreaterThan(50);
  });

  it('gives the workflow role exactly what compiled machines need', () => {
    const id = ids;
    const invoke = (fn: string) => [getAtt(fn), { 'Fn::Join': ['', [getAtt(fn), ':*']] }];
    expect(roleStatements(synthesized, synthesized.stack.workflows.role)).toEqual([
      {
        Effect: 'Allow',
        Action: 'ecs:RunTask',
        // The runner's definition, and its copies for execution environment images.
        Resource: [
          arn('ecs', 'task-definition/Towerless-runner:*'),
          arn('ecs', 'task-definition/Towerless-runner-ee-*:*'),
        ],
        Condition: { ArnEquals: { 'ecs:cluster': getAtt(id.cluster) } },
      },
      {
        Effect: 'Allow',
        Action: ['ecs:StopTask', 'ecs:DescribeTasks'],
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':ecs:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':task/',
              { Ref: id.cluster },
              '/*',
            ],
          ],
        },
      },
      {
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: [getAtt(id.taskRole), getAtt(id.executionRole)],
        Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      },
      {
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: [...invoke(id.approval), ...invoke(id.sync), ...invoke(id.record)],
      },
      { Effect: 'Allow', Action: 'states:StartExecution', Resource: MACHINES },
      {
        Effect: 'Allow',
        Action: ['states:DescribeExecution', 'states:StopExecution'],
        Resource: EXECUTIONS,
      },
      {
        Effect: 'Allow',
        Action: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
        Resource: arn('events', 'rule/StepFunctionsGetEventsForStepFunctionsExecutionRule'),
      },
      {
        Effect: 'Allow',
        Action: [
          'xray:PutTraceSegments',
          'xray:PutTelemetryRecords',
          'xray:GetSamplingRules',
          'xray:GetSamplingTargets',
        ],
        Resource: '*',
      },
      {
        Effect: 'Allow',
        Action: [
          'logs:CreateLogDelivery',
          'logs:GetLogDelivery',
          'logs:UpdateLogDelivery',
          'logs:DeleteLogDelivery',
          'logs:ListLogDeliveries',
          'logs:PutResourcePolicy',
          'logs:DescribeResourcePolicies',
          'logs:DescribeLogGroups',
        ],
        Resource: '*',
      },
    ]);
    synthesized.template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: Match.absent(),
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({ Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' }),
        ],
      },
    });
    synthesized.template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/vendedlogs/states/towerless-Towerless',
      RetentionInDays: Match.anyValue(),
    });
  });

  it('gives the runner task the store, credentials, the sealing key and its task token, nothing else', () => {
    expect(roleStatements(synthesized, synthesized.stack.runner.taskRole)).toEqual([
      ...tableReadWrite(ids.table),
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: { Ref: ids.sealingKey } },
      {
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: arn('secretsmanager', 'secret:towerless/credentials/*'),
      },
      {
        Effect: 'Allow',
        Action: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
        Resource: MACHINES,
      },
    ]);
    const execution = roleStatements(synthesized, synthesized.stack.runner.executionRole);
    expect([...new Set(execution.flatMap((statement) => statement.Action))].sort()).toEqual([
      'ecr:BatchCheckLayerAvailability',
      'ecr:BatchGetImage',
      'ecr:GetAuthorizationToken',
      'ecr:GetDownloadUrlForLayer',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
    ]);
    // Execution environment images: pulls from this account's repositories in this region.
    expect(execution).toContainEqual({
      Effect: 'Allow',
      Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
      Resource: arn('ecr', 'repository/*'),
    });
  });

  it('grants the launcher exactly: deploy and start machines (and delete the version a resume ran), follow executions, pass the workflow role', () => {
    const lifecycle = synthesized.stack.functions.lifecycle;
    expect(roleStatements(synthesized, lifecycle.role)).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: getAtt(logicalId(lifecycle.logGroup)),
      },
      { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
      ...tableReadWrite(ids.table),
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: { Ref: ids.sealingKey } },
      // The runner's task definition for an execution environment's image, registered at launch.
      { Effect: 'Allow', Action: 'ecs:DescribeTaskDefinition', Resource: '*' },
      {
        Effect: 'Allow',
        Action: 'ecs:RegisterTaskDefinition',
        Resource: '*',
        Condition: { StringEquals: { 'aws:RequestTag/towerless:base': { Ref: ids.taskDefinition } } },
      },
      {
        Effect: 'Allow',
        Action: 'ecs:TagResource',
        Resource: arn('ecs', 'task-definition/Towerless-runner-ee-*:*'),
        Condition: { StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' } },
      },
      {
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: [getAtt(ids.taskRole), getAtt(ids.executionRole)],
        Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      },
      {
        Effect: 'Allow',
        Action: [
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
        Resource: MACHINES,
      },
      {
        Effect: 'Allow',
        Action: ['states:DescribeExecution', 'states:StopExecution'],
        Resource: EXECUTIONS,
      },
      {
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: getAtt(ids.workflowRole),
        Condition: { StringEquals: { 'iam:PassedToService': 'states.amazonaws.com' } },
      },
    ]);
  });

  it('has no Allow statement anywhere with an action * or <service>:*', () => {
    const allows = allStatements(synthesized).filter((statement) => statement.Effect === 'Allow');
    expect(allows.length).toBeGreaterThan(50);
    const actions = allows.flatMap((statement) => [statement.Action].flat());
    expect(actions.filter((action) => action === '*' || action.endsWith(':*'))).toEqual([]);
  });

  it('names only Towerless machines, executions and secrets in wildcard resources', () => {
    const wildcards = new Set(
      allStatements(synthesized)
        .filter((statement) => statement.Effect === 'Allow' && !statement.Principal)
        .flatMap((statement) => [statement.Resource].flat())
        .map(flatten)
        .filter((resource) => resource.includes('*')),
    );
    const region = 'arn:<AWS::Partition>:%s:<AWS::Region>:<AWS::AccountId>:';
    const under = (service: string) => region.replace('%s', service);
    for (const resource of wildcards)
      expect(resource).toMatch(
        new RegExp(
          [
            '^\\*$',
            `^${esc(under('states'))}(stateMachine:towerless-\\*|execution:towerless-\\*:\\*)$`,
            `^${esc(under('secretsmanager'))}secret:towerless/(credentials/|notification_templates/)?\\*$`,
            `^${esc(under('ecs'))}(task-definition/Towerless-runner(-ee-\\*)?:\\*|task/<RunnerCluster\\w+>/\\*)$`,
            `^${esc(under('ecr'))}repository/\\*$`,
            `^${esc(under('scheduler'))}schedule/towerless-Towerless/\\*$`,
            '^<StoreTable\\w+\\.Arn>/index/\\*$',
            '^<(Approval|Sync|Record)Function\\w+\\.Arn>:\\*$',
          ].join('|'),
        ),
      );
  });

  it('encrypts the table and the dead-letter queues; PITR and the stream are on', () => {
    const { template } = synthesized;
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      DeletionProtectionEnabled: true,
    });
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
    // The retained table's sealed fields are unreadable without the sealing key.
    template.allResources('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain' });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ],
      },
    });
    // The alarm topic enforces TLS; it is not encrypted at rest (see its acknowledgement).
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ],
      },
    });
    // A customer managed key is billed every month: the stack has none.
    template.resourceCountIs('AWS::KMS::Key', 0);
    for (const secret of Object.values(template.findResources('AWS::SecretsManager::Secret')))
      expect(secret.Properties.GenerateSecretString).toBeDefined();
    // Every log group has a retention: logs are the only cost of an idle deployment besides storage.
    const logGroups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(logGroups.length).toBeGreaterThanOrEqual(12);
    for (const group of logGroups) expect(group.Properties.RetentionInDays).toBeGreaterThan(0);
  });

  it('generates the service secrets with the alphabets their readers decode', () => {
    const generated = (name: string) =>
      Object.values(synthesized.template.findResources('AWS::SecretsManager::Secret')).find(
        (secret) => secret.Properties.Name === name,
      )?.Properties.GenerateSecretString;
    expect(generated('towerless/service/sealing-key')).toEqual({
      PasswordLength: 43,
      ExcludePunctuation: true,
      IncludeSpace: false,
    });
    expect(generated('towerless/service/admin-token')).toEqual({
      PasswordLength: 40,
      ExcludePunctuation: true,
      IncludeSpace: false,
    });
    const linkKey = generated('towerless/service/approval-link-key');
    expect(linkKey).toMatchObject({ PasswordLength: 64, ExcludePunctuation: true, ExcludeUppercase: true });
    const allowed = [...'abcdefghijklmnopqrstuvwxyz0123456789'].filter(
      (c) => !linkKey.ExcludeCharacters.includes(c),
    );
    expect(allowed.join('')).toBe('abcdef0123456789');
  });

  it('runs nothing while idle: no NAT gateway, instance, service, scaling, database or provisioned concurrency', () => {
    const types = Object.values(synthesized.resources).map((resource) => resource.Type);
    const alwaysOn = types.filter(
      (type) =>
        [
          'AWS::EC2::NatGateway',
          'AWS::EC2::Instance',
          'AWS::EC2::VPCEndpoint',
          'AWS::ECS::Service',
          'AWS::Lambda::Alias',
          'AWS::Lambda::Version',
        ].includes(type) ||
        type.startsWith('AWS::AutoScaling::') ||
        type.startsWith('AWS::ApplicationAutoScaling::') ||
        type.startsWith('AWS::RDS::') ||
        type.startsWith('AWS::ElastiCache::') ||
        type.startsWith('AWS::ElasticLoadBalancingV2::'),
    );
    expect(alwaysOn).toEqual([]);
    for (const fn of Object.values(synthesized.template.findResources('AWS::Lambda::Function'))) {
      expect(fn.Properties.ProvisionedConcurrencyConfig).toBeUndefined();
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON' },
      });
    }
    synthesized.template.hasResourceProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: true });
    synthesized.template.resourceCountIs('AWS::EC2::Subnet', 2);
    synthesized.template.resourceCountIs('AWS::EC2::FlowLog', 1);
    synthesized.template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: Match.absent(),
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: '-1' }],
    });
  });

  it('serves the API on the $default stage, throttled, with JSON access logs and no stage prefix', () => {
    const { template } = synthesized;
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
    });
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0];
    expect(JSON.parse(stage.Properties.AccessLogSettings.Format)).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
    });
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
    expect(routes.map((route) => route.Properties.RouteKey).sort()).toEqual(['ANY /', 'ANY /{proxy+}']);
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
    });
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 0);
    template.resourceCountIs('AWS::ApiGatewayV2::DomainName', 0);
  });

  it('gives api, lifecycle and scheduler the deployment target of this stack, container runner', () => {
    const { stack } = synthesized;
    const expected = {
      cluster: `<${ids.cluster}.Arn>`,
      taskDefinition: `<${ids.taskDefinition}>`,
      containerName: 'runner',
      subnets: stack.network.subnets.map((subnet) => `<${logicalId(subnet)}>`),
      securityGroups: [`<${logicalId(stack.network.securityGroups[0])}.GroupId>`],
      assignPublicIp: true,
      approvalFunction: `<${ids.approval}.Arn>`,
      syncFunction: `<${ids.sync}.Arn>`,
      recordFunction: `<${ids.record}.Arn>`,
      stateMachineArnPrefix: 'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:',
    };
    expect(expected.subnets).toHaveLength(2);
    expect(Object.keys(expected).sort()).toEqual(Object.keys(PLACEHOLDER_TARGET).sort());
    for (const name of ['api', 'lifecycle', 'scheduler'] as const) {
      const environment = environmentOf(synthesized, stack.functions[name].function);
      expect(JSON.parse(flatten(environment[FUNCTION_ENVIRONMENT.deploymentTarget]))).toEqual(expected);
      expect(environment[FUNCTION_ENVIRONMENT.workflowRoleArn]).toEqual(getAtt(ids.workflowRole));
    }
    const runner = synthesized.resources[ids.taskDefinition].Properties as {
      ContainerDefinitions: { Name: string; Environment: { Name: string }[] }[];
      RuntimePlatform: Record<string, string>;
    };
    expect(runner.ContainerDefinitions.map((container) => container.Name)).toEqual(['runner']);
    expect(runner.ContainerDefinitions[0].Environment.map((variable) => variable.Name)).toEqual([
      'TOWERLESS_TABLE',
      'TOWERLESS_SEALING_KEY_SECRET',
      // The compiled tasks' HeartbeatSeconds, from the same constant (lib/compiler/target.ts).
      'TOWERLESS_HEARTBEAT_SECONDS',
    ]);
    expect(runner.RuntimePlatform).toEqual({ CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' });
    // Schedule records alone reach the scheduler function from the stream, job records the notifier.
    for (const filter of [SCHEDULE_RECORD_FILTER, JOB_RECORD_STREAM_FILTER])
      synthesized.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FilterCriteria: { Filters: [{ Pattern: JSON.stringify(filter) }] },
      });
    // Compiled tasks name no launch type: the cluster runs them on Fargate by default.
    synthesized.template.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
      DefaultCapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Weight: 1 }],
    });
  });

  it("bundles beside each function's code the modules it resolves at run time", () => {
    const manifest = JSON.parse(readFileSync(join(synthesized.outdir, 'Towerless.assets.json'), 'utf8'));
    const folders = (Object.values(manifest.files) as { source: { path: string } }[])
      .map(({ source }) => join(synthesized.outdir, source.path))
      .filter((folder) => existsSync(join(folder, 'index.js')));
    expect(folders).toHaveLength(8);
    let resolved = 0;
    for (const folder of folders) {
      const code = readFileSync(join(folder, 'index.js'), 'utf8');
      for (const [, module] of code.matchAll(/require\.resolve\("([^"]+)"\)/g)) {
        // Resolved as Lambda's runtime would, from the function's folder and nowhere above it.
        const found = createRequire(join(folder, 'index.js')).resolve(module, { paths: [folder] });
        expect(found.startsWith(folder)).toBe(true);
        resolved++;
      }
    }
    // The api and notifier functions render notification templates.
    expect(resolved).toBeGreaterThanOrEqual(2);
  });

  it('stages the runner image context with what its Dockerfile copies, and nothing else', () => {
    const manifest = JSON.parse(readFileSync(join(synthesized.outdir, 'Towerless.assets.json'), 'utf8'));
    const images = Object.values(manifest.dockerImages) as {
      source: { directory: string; dockerFile: string; platform: string };
    }[];
    expect(images).toHaveLength(1);
    expect(images[0].source).toMatchObject({
      dockerFile: 'runner-image/Dockerfile',
      platform: 'linux/arm64',
    });
    const staged = join(synthesized.outdir, images[0].source.directory);
    const files = readdirSync(staged, { recursive: true, encoding: 'utf8' }).sort();
    // runner-image/dist is there once `npm run build:runner` ran (cdk.json's build step does).
    expect(files.filter((file) => !file.startsWith('runner-image/dist'))).toEqual([
      '.dockerignore',
      'runner-image',
      'runner-image/Dockerfile',
      'runner-image/packages.txt',
    ]);
  });

  it('routes execution ends to lifecycle, stopped runner tasks to the task watcher', () => {
    const { template, stack } = synthesized;
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: {
          status: ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'],
          stateMachineArn: [{ prefix: arn('states', 'stateMachine:towerless-') }],
        },
      },
      Targets: [Match.objectLike({ Arn: getAtt(logicalId(stack.functions.lifecycle.function)) })],
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ecs'],
        'detail-type': ['ECS Task State Change'],
        detail: { clusterArn: [getAtt(ids.cluster)], lastStatus: ['STOPPED'] },
      },
      Targets: [Match.objectLike({ Arn: getAtt(logicalId(stack.functions['task-watcher'].function)) })],
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 3,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });

  it('lets schedules invoke the scheduler function only, from this account', () => {
    const { stack } = synthesized;
    expect(roleStatements(synthesized, stack.schedules.role)).toEqual([
      {
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: arn('lambda', 'function:towerless-Towerless-scheduler'),
      },
    ]);
    synthesized.template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'towerless-Towerless-scheduler',
    });
    synthesized.template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ],
      },
    });
  });

  it('alarms on failures and outputs what a deployer needs', () => {
    const { template } = synthesized;
    // 3 workflow alarms, function errors, API errors, two dead-letter queues: one metric each,
    // within the 10 alarm metrics CloudWatch never bills.
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(7);
    for (const alarm of alarms) expect(alarm.Properties.Metrics).toBeUndefined();
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Towerless',
      MetricName: 'FunctionErrors',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Towerless',
      MetricName: 'WorkflowJobsFailed',
      Dimensions: [{ Name: 'service', Value: 'towerless' }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      Period: 300,
    });
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    expect(Object.keys(template.toJSON().Outputs).sort()).toEqual([
      'AdminTokenSecretName',
      'ApiUrl',
      'DashboardUrl',
      'RunnerLogGroup',
      'TableName',
    ]);
    template.hasOutput('AdminTokenSecretName', {
      Value: 'towerless/service/admin-token',
      Description: Match.stringLikeRegexp(
        'aws secretsmanager get-secret-value --secret-id towerless/service/admin-token',
      ),
    });
  });
});

/** What `grantReadWriteData` gives on a table with a stream, indexes included. */
function tableReadWrite(table: string) {
  const resources = [getAtt(table), { 'Fn::Join': ['', [getAtt(table), '/index/*']] }];
  return [
    {
      Effect: 'Allow',
      Action: [
        'dynamodb:BatchGetItem',
        'dynamodb:Query',
        'dynamodb:GetItem',
        'dynamodb:Scan',
        'dynamodb:ConditionCheckItem',
        'dynamodb:BatchWriteItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:DescribeTable',
      ],
      Resource: resources,
    },
    { Effect: 'Allow', Action: ['dynamodb:GetRecords', 'dynamodb:GetShardIterator'], Resource: resources },
  ];
}

function esc(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
