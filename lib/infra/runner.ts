import { IgnoreMode, Stack, Validations } from 'aws-cdk-lib';
import type { IVpc } from 'aws-cdk-lib/aws-ec2';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import {
  Cluster,
  ContainerDefinition,
  ContainerImage,
  ContainerInsights,
  CpuArchitecture,
  FargateTaskDefinition,
  LogDrivers,
  OperatingSystemFamily,
} from 'aws-cdk-lib/aws-ecs';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { DEFAULT_HEARTBEAT_SECONDS, HEARTBEAT_ENVIRONMENT, PLACEHOLDER_TARGET } from '../compiler/target';
import { grantSecretsRead, grantTaskCallbacks } from './grants';
import { acknowledgeAnyResource, acknowledgeWildcard } from './nag';
import { FUNCTION_ENVIRONMENT } from './function-environment';
import { retainedLogGroup } from './log-groups';
import type { RunnerArchitecture } from './settings';
import { SEALING_KEY_SECRET } from './service-secrets';
import type { Store } from './store';

export interface RunnerProps {
  readonly vpc: IVpc;
  readonly store: Store;
  readonly sealingKey: ISecret;
  readonly architecture: RunnerArchitecture;
  readonly cpu: number;
  readonly memoryMiB: number;
}

/** The container name compiled machines override (lib/compiler/target.ts). */
export const RUNNER_CONTAINER_NAME = PLACEHOLDER_TARGET.containerName;

const REPOSITORY_ROOT = join(__dirname, '..', '..');

const PLATFORMS = {
  ARM64: { cpu: CpuArchitecture.ARM64, image: Platform.LINUX_ARM64 },
  X86_64: { cpu: CpuArchitecture.X86_64, image: Platform.LINUX_AMD64 },
} as const;

/**
 * The runner: one Fargate task per job node, started by the compiled machines
 * (`ecs:runTask.waitForTaskToken`). The cluster holds no service and no instance: it costs
 * nothing while no task runs. The image is built from runner-image/Dockerfile by `cdk deploy`
 * (synth only stages it; the root .dockerignore keeps the context to what the Dockerfile copies).
 */
export class Runner extends Construct {
  readonly cluster: Cluster;
  readonly taskDefinition: FargateTaskDefinition;
  readonly container: ContainerDefinition;
  readonly logGroup: LogGroup;
  /** What a node's playbook run may do: the store, credentials, and its own task token. */
  readonly taskRole: Role;
  /** What ECS needs to start the task: pull the image, write its logs. */
  readonly executionRole: Role;

  constructor(scope: Construct, id: string, props: RunnerProps) {
    super(scope, id);
    const platform = PLATFORMS[props.architecture];
    this.cluster = new Cluster(this, 'Cluster', {
      vpc: props.vpc,
      containerInsightsV2: ContainerInsights.ENABLED,
      enableFargateCapacityProviders: true,
    });
    // Compiled job tasks name no launch type (a smaller definition): the cluster's default applies.
    this.cluster.addDefaultCapacityProviderStrategy([{ capacityProvider: 'FARGATE', weight: 1 }]);
    this.logGroup = retainedLogGroup(this, 'Logs');
    const ecsTasks = new ServicePrincipal('ecs-tasks.amazonaws.com');
    this.taskRole = new Role(this, 'TaskRole', {
      assumedBy: ecsTasks,
      description: 'Towerless runner tasks: the store, credentials, task callbacks',
    });
    this.executionRole = new Role(this, 'ExecutionRole', {
      assumedBy: ecsTasks,
      description: 'Towerless runner tasks: image pull and logs',
    });
    this.taskDefinition = new FargateTaskDefinition(this, 'TaskDefinition', {
      family: `${Stack.of(this).stackName}-runner`,
      cpu: props.cpu,
      memoryLimitMiB: props.memoryMiB,
      runtimePlatform: {
        cpuArchitecture: platform.cpu,
        operatingSystemFamily: OperatingSystemFamily.LINUX,
      },
      taskRole: this.taskRole,
      executionRole: this.executionRole,
    });
    this.container = this.taskDefinition.addContainer('Runner', {
      containerName: RUNNER_CONTAINER_NAME,
      image: ContainerImage.fromAsset(REPOSITORY_ROOT, {
        file: 'runner-image/Dockerfile',
        platform: platform.image,
        ignoreMode: IgnoreMode.DOCKER,
        // zstd layers: fewer bytes for Fargate to pull and much faster to unpack than gzip
        // (docs/runner-image.md). `docker push` keeps them with Docker's containerd image store;
        // with the classic store it pushes gzip, as without this option.
        outputs: ['type=image,compression=zstd,force-compression=true,oci-mediatypes=true'],
      }),
      logging: LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: 'runner' }),
      environment: {
        [FUNCTION_ENVIRONMENT.table]: props.store.table.tableName,
        [FUNCTION_ENVIRONMENT.sealingKeySecret]: SEALING_KEY_SECRET,
        // The compiled job tasks' HeartbeatSeconds: the runner beats well within it.
        [HEARTBEAT_ENVIRONMENT]: String(DEFAULT_HEARTBEAT_SECONDS),
      },
    });
    this.grantTaskRole(props);
    this.grantImagePulls();
    this.acknowledgeFindings();
  }

  private grantTaskRole(props: RunnerProps): void {
    props.store.grantReadWrite(this.taskRole, this.taskRole);
    this.taskRole.addToPolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [props.sealingKey.secretArn],
      }),
    );
    grantSecretsRead(
      this.taskRole,
      'towerless/credentials/',
      'A node reads the credentials its job template names, kept by the API as towerless/credentials/<id>/<input>: which ones is known only at run time.',
    );
    grantTaskCallbacks(this.taskRole, ['SendTaskSuccess', 'SendTaskFailure', 'SendTaskHeartbeat']);
  }

  /**
   * Execution environments name their images at run time (docs/placement.md): the execution role
   * may pull any of this account's repositories in this region. Images elsewhere need a
   * repository policy that lets this role pull, or a public registry.
   */
  private grantImagePulls(): void {
    const stack = Stack.of(this);
    const repositories = `arn:${stack.partition}:ecr:${stack.region}:${stack.account}:repository/*`;
    this.executionRole.addToPolicy(
      new PolicyStatement({
        actions: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
        resources: [repositories],
      }),
    );
    acknowledgeWildcard(
      this.executionRole,
      repositories,
      "Execution environments name their images at run time: pulls from this account's repositories in this region.",
    );
  }

  private acknowledgeFindings(): void {
    acknowledgeAnyResource(
      this.executionRole,
      'ecr:GetAuthorizationToken supports no resource-level permission; image pulls are limited to the asset repository.',
    );
    Validations.of(this.taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason: `The environment holds names only (the table, the sealing key secret's name), no secret value: the container reads values from Secrets Manager itself.`,
    });
  }
}
