import { Duration } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  Function as LambdaFunction,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { functionCode, type FunctionName } from './function-bundles';
import { FUNCTION_ENVIRONMENT } from './function-environment';
import { retainedLogGroup } from './log-groups';
import { METRIC_NAMESPACE, METRIC_SERVICE_DIMENSION } from './metric-names';
import { acknowledgeAnyResource } from './nag';
import { SEALING_KEY_SECRET } from './service-secrets';
import type { Store } from './store';

export type { FunctionName } from './function-bundles';

/** `task-watcher` → `TaskWatcher`: construct ids from function names. */
export function constructId(name: FunctionName): string {
  return name.replace(/(^|-)([a-z])/g, (_, _dash: string, letter: string) => letter.toUpperCase());
}

export interface TowerlessFunctionProps {
  readonly name: FunctionName;
  readonly description: string;
  /** The records every function reads and writes, and the key their sealed fields use. */
  readonly store: Store;
  readonly sealingKey: ISecret;
  /**
   * A fixed name, for a function whose own ARN must be known before it exists (the scheduler's
   * schedules target it, and it creates them).
   * @default a name CloudFormation makes
   */
  readonly functionName?: string;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default 30 seconds */
  readonly timeout?: Duration;
  /** Variables beyond the store's and Powertools'; undefined values are left out. */
  readonly environment?: Readonly<Record<string, string | undefined>>;
}

const RUNTIME = Runtime.NODEJS_24_X;

/**
 * One Towerless handler with the defaults all share: Node.js 24 on Graviton, X-Ray tracing, JSON
 * logs in a log group of its own, the AWS SDK bundled (its version is the one tested, not the
 * runtime's), read/write access to the table and read access to its sealing key, and a role of
 * its own that holds nothing else until the stack grants it.
 */
export class TowerlessFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: TowerlessFunctionProps) {
    super(scope, id);
    this.logGroup = retainedLogGroup(this, 'Logs');
    // A role without AWSLambdaBasicExecutionRole: that managed policy may write to any log group.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Towerless ${props.name} function`,
    });
    this.logGroup.grantWrite(this.role);
    this.function = new LambdaFunction(this, 'Function', {
      code: functionCode(this, props.name, RUNTIME),
      handler: 'index.handler',
      functionName: props.functionName,
      description: props.description,
      runtime: RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      role: this.role,
      tracing: Tracing.ACTIVE,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      logGroup: this.logGroup,
      environment: {
        [FUNCTION_ENVIRONMENT.table]: props.store.table.tableName,
        [FUNCTION_ENVIRONMENT.sealingKeySecret]: SEALING_KEY_SECRET,
        POWERTOOLS_SERVICE_NAME: METRIC_SERVICE_DIMENSION.value,
        POWERTOOLS_METRICS_NAMESPACE: METRIC_NAMESPACE,
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
    this.addEnvironment(props.environment ?? {});
    props.store.grantReadWrite(this.role, this.role);
    this.role.addToPolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [props.sealingKey.secretArn],
      }),
    );
    acknowledgeAnyResource(
      this.role,
      'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permission.',
    );
  }

  /** Undefined values are left out: an option not set sets no variable. */
  private addEnvironment(variables: Readonly<Record<string, string | undefined>>): void {
    for (const [name, value] of Object.entries(variables))
      if (value !== undefined) this.function.addEnvironment(name, value);
  }

  /** Adds statements to the function's role. */
  addToRolePolicy(...statements: PolicyStatement[]): void {
    for (const statement of statements) this.role.addToPolicy(statement);
  }
}
