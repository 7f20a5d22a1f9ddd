import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { ImageTaskDefinitions } from '../execution/image-task-definitions';
import { StateMachineDeployer } from '../execution/state-machine-deployer';
import { StepFunctionsExecution } from '../execution/step-functions-execution';
import { SecretsManagerProvider } from '../runner/secrets';
import { DeploymentRecords } from '../store/deployment-records';
import { DynamoJobStore } from '../store/dynamo-job-store';
import { RecordTable } from '../store/record-table';
import { KeySealer, textSealingKey } from '../store/sealer';
import { oncePerProcess } from './once-per-process';
import { deploymentTarget, optionalSetting, setting, type Environment } from './function-settings';

/**
 * What every deployed function and runner task works with, opened once per cold start from its
 * environment: the AWS clients (their endpoints from the standard AWS_ENDPOINT_URL_* variables,
 * which is how the tests reach the local twins), the table, and the job store sealed with the
 * stack's key.
 */
export interface DeployedRuntime {
  readonly dynamo: DynamoDBClient;
  readonly sfn: SFNClient;
  readonly ecs: ECSClient;
  readonly secretsClient: SecretsManagerClient;
  readonly secrets: SecretsManagerProvider;
  readonly tableName: string;
  readonly table: RecordTable;
  readonly store: DynamoJobStore;
}

export async function openDeployedRuntime(env: Environment): Promise<DeployedRuntime> {
  const dynamo = new DynamoDBClient({});
  const secretsClient = new SecretsManagerClient({});
  const secrets = new SecretsManagerProvider(secretsClient);
  const tableName = setting(env, 'table');
  const sealingKey = textSealingKey(await secrets.get(setting(env, 'sealingKeySecret')));
  return {
    dynamo,
    sfn: new SFNClient({}),
    ecs: new ECSClient({}),
    secretsClient,
    secrets,
    tableName,
    table: new RecordTable(dynamo, tableName),
    store: new DynamoJobStore(dynamo, tableName, new KeySealer(sealingKey)),
  };
}

/** The runtime of this process, opened from its environment at the first use and kept. */
export const deployedRuntime = oncePerProcess(() => openDeployedRuntime(process.env));

/** The execution port of the functions that start workflow jobs (api, lifecycle, scheduler). */
export function deployedExecution(runtime: DeployedRuntime, env: Environment): StepFunctionsExecution {
  const target = deploymentTarget(env);
  const deployer = new StateMachineDeployer(
    runtime.sfn,
    new DeploymentRecords(runtime.table),
    {
      target,
      roleArn: setting(env, 'workflowRoleArn'),
      logGroupArn: optionalSetting(env, 'workflowLogGroupArn'),
    },
    new ImageTaskDefinitions(runtime.ecs, target.taskDefinition, target.containerName),
  );
  return new StepFunctionsExecution({ store: runtime.store, sfn: runtime.sfn, deployer, target });
}
