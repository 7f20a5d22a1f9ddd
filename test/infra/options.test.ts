import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_ENVIRONMENT } from '../../lib/infra/function-environment';
import { parseSettings } from '../../lib/infra/settings';
import {
  arn,
  environmentOf,
  flatten,
  roleStatements,
  synthesize,
  type Statement,
  type Synthesized,
} from './synthesized';

/** Every context option set, as `-c key=value` gives them: strings. */
const CONTEXT = {
  vpcId: 'vpc-0123456789abcdef0',
  subnetIds: 'subnet-0aaa,subnet-0bbb',
  securityGroupIds: 'sg-0ccc',
  assignPublicIp: 'false',
  sesIdentity: 'towerless@example.com',
  slackTokenSecret: 'chatops/slack-bot-token',
  domainName: 'towerless.example.com',
  certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0b1c2d3e',
  alarmEmail: 'ops@example.com',
  runnerArchitecture: 'X86_64',
  runnerCpu: '2048',
  runnerMemory: '4096',
  apiRateLimit: '20',
  apiBurstLimit: '40',
  deletionProtection: 'false',
};

describe('the Towerless stack with every context option', () => {
  let synthesized: Synthesized;

  beforeAll(() => {
    // Throws on any cdk-nag AwsSolutions finding not acknowledged. The assertions below read no
    // bundled code, so bundling is skipped.
    synthesized = synthesize(CONTEXT, { bundle: false });
  });

  it('runs tasks in the given subnets and security groups, and makes no network of its own', () => {
    const { template, stack } = synthesized;
    for (const type of ['AWS::EC2::VPC', 'AWS::EC2::Subnet', 'AWS::EC2::SecurityGroup', 'AWS::EC2::FlowLog'])
      template.resourceCountIs(type, 0);
    const target = JSON.parse(
      flatten(
        environmentOf(synthesized, stack.functions.api.function)[FUNCTION_ENVIRONMENT.deploymentTarget],
      ),
    );
    expect(target).toMatchObject({
      subnets: ['subnet-0aaa', 'subnet-0bbb'],
      securityGroups: ['sg-0ccc'],
      assignPublicIp: false,
      containerName: 'runner',
    });
  });

  it('runs the runner on x86_64 with the given size', () => {
    synthesized.template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: '2048',
      Memory: '4096',
      RuntimePlatform: { CpuArchitecture: 'X86_64', OperatingSystemFamily: 'LINUX' },
    });
    const assets = synthesized.stack.node.root.node.tryGetContext('aws:cdk:bundling-stacks');
    expect(assets).toEqual([]);
  });

  it('lets api and notifier send email from the SES identity only, and the notifier read the Slack token', () => {
    const { stack } = synthesized;
    const identity = arn('ses', 'identity/towerless@example.com');
    const sends = (statements: Statement[]) =>
      statements.filter((statement) => [statement.Action].flat().some((action) => action.startsWith('ses:')));
    for (const fn of [stack.functions.api, stack.functions.notifier])
      expect(sends(roleStatements(synthesized, fn.role))).toEqual([
        { Effect: 'Allow', Action: ['ses:SendEmail', 'ses:SendRawEmail'], Resource: identity },
      ]);
    for (const fn of [stack.functions.scheduler, stack.functions.lifecycle, stack.functions.approval])
      expect(sends(roleStatements(synthesized, fn.role))).toEqual([]);
    expect(roleStatements(synthesized, stack.functions.notifier.role)).toContainEqual({
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: arn('secretsmanager', 'secret:chatops/slack-bot-token-??????'),
    });
    const notifier = environmentOf(synthesized, stack.functions.notifier.function);
    expect(notifier).toMatchObject({
      [FUNCTION_ENVIRONMENT.slackTokenSecret]: 'chatops/slack-bot-token',
      [FUNCTION_ENVIRONMENT.sesIdentity]: arn('ses', 'identity/towerless@example.com'),
      [FUNCTION_ENVIRONMENT.publicUrl]: 'https://towerless.example.com',
    });
    expect(environmentOf(synthesized, stack.functions.api.function)).toMatchObject({
      [FUNCTION_ENVIRONMENT.sesIdentity]: arn('ses', 'identity/towerless@example.com'),
      [FUNCTION_ENVIRONMENT.publicUrl]: 'https://towerless.example.com',
    });
  });

  it('serves the API on the custom domain, throttled as asked, and outputs the target for DNS', () => {
    const { template } = synthesized;
    template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'towerless.example.com',
      DomainNameConfigurations: [
        Match.objectLike({ CertificateArn: CONTEXT.certificateArn, SecurityPolicy: 'TLS_1_2' }),
      ],
    });
    template.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
    });
    template.hasOutput('ApiUrl', { Value: 'https://towerless.example.com/' });
    template.hasOutput('CustomDomainTarget', { Value: Match.anyValue() });
  });

  it('mails alarms to the given address and destroys everything with a dev stack', () => {
    const { template } = synthesized;
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
    template.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: false });
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
    template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Delete' });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete' });
  });
});

describe('context options', () => {
  it('default to a protected ARM64 stack in its own network', () => {
    expect(parseSettings({})).toEqual({
      deletionProtection: true,
      network: undefined,
      runnerArchitecture: 'ARM64',
      runnerCpu: 1024,
      runnerMemory: 2048,
      sesIdentity: undefined,
      slackTokenSecret: undefined,
      customDomain: undefined,
      apiRateLimit: 50,
      apiBurstLimit: 100,
      alarmEmail: undefined,
    });
  });

  it('take JSON values from cdk.json as well as strings from -c', () => {
    expect(
      parseSettings({
        vpcId: 'vpc-1',
        subnetIds: ['subnet-1', 'subnet-2'],
        assignPublicIp: true,
        runnerCpu: 512,
        deletionProtection: false,
      }),
    ).toMatchObject({
      deletionProtection: false,
      runnerCpu: 512,
      network: {
        vpcId: 'vpc-1',
        subnetIds: ['subnet-1', 'subnet-2'],
        securityGroupIds: [],
        assignPublicIp: true,
      },
    });
  });

  it('refuse a wrong value, naming the key', () => {
    expect(() => parseSettings({ runnerArchitecture: 'arm64' })).toThrow(
      /runnerArchitecture must be ARM64 or X86_64/,
    );
    expect(() => parseSettings({ runnerCpu: 'lots' })).toThrow(/runnerCpu must be a positive integer/);
    expect(() => parseSettings({ deletionProtection: 'yes' })).toThrow(
      /deletionProtection must be true or false/,
    );
    expect(() => parseSettings({ vpcId: 'vpc-1' })).toThrow(/vpcId and subnetIds go together/);
    expect(() => parseSettings({ domainName: 'a.example.com' })).toThrow(
      /domainName and certificateArn go together/,
    );
  });
});
