import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { imageFamilies } from '../execution/image-task-definitions';

/**
 * ARNs of what the stack does not declare: the state machines the functions create at run time
 * (`towerless-<name>-<hash>`, lib/compiler/target.ts) and the secrets the API keeps. Patterns are
 * as narrow as the naming rules allow, so a grant never reaches another application's resources.
 */
export const MACHINE_NAME_PREFIX = 'towerless-';

/** `arn:<partition>:states:<region>:<account>:stateMachine:`: what a machine's name completes. */
export function stateMachineArnPrefix(scope: IConstruct): string {
  const stack = Stack.of(scope);
  return `arn:${stack.partition}:states:${stack.region}:${stack.account}:stateMachine:`;
}

/** Every Towerless machine, and with it its versions (`...:7`) and `live` alias (`...:live`). */
export function towerlessMachinesArn(scope: IConstruct): string {
  return `${stateMachineArnPrefix(scope)}${MACHINE_NAME_PREFIX}*`;
}

/** Every execution of a Towerless machine: `execution:<machine>:<execution name>`. */
export function towerlessExecutionsArn(scope: IConstruct): string {
  const stack = Stack.of(scope);
  return `arn:${stack.partition}:states:${stack.region}:${stack.account}:execution:${MACHINE_NAME_PREFIX}*:*`;
}

/**
 * Secrets whose name starts with `prefix` (`towerless/credentials/`): the name pattern ends with
 * `*`, which also covers the six random characters Secrets Manager appends to every ARN.
 */
export function secretsArn(scope: IConstruct, prefix: string): string {
  const stack = Stack.of(scope);
  return `arn:${stack.partition}:secretsmanager:${stack.region}:${stack.account}:secret:${prefix}*`;
}

/**
 * One secret the user names (context `slackTokenSecret`): an ARN as given, or a name completed
 * with the `-??????` suffix Secrets Manager appends, which matches that name and no longer one.
 */
export function namedSecretArn(scope: IConstruct, nameOrArn: string): string {
  if (nameOrArn.startsWith('arn:')) return nameOrArn;
  const stack = Stack.of(scope);
  return `arn:${stack.partition}:secretsmanager:${stack.region}:${stack.account}:secret:${nameOrArn}-??????`;
}

/** An SES identity (an address or a domain) as IAM names it. */
export function sesIdentityArn(scope: IConstruct, identity: string): string {
  const stack = Stack.of(scope);
  return `arn:${stack.partition}:ses:${stack.region}:${stack.account}:identity/${identity}`;
}

/** A function's ARN from its name, for a function whose ARN is needed before it exists. */
export function functionArn(scope: IConstruct, functionName: string): string {
  const stack = Stack.of(scope);
  return `arn:${stack.partition}:lambda:${stack.region}:${stack.account}:function:${functionName}`;
}

/**
 * Every revision of the runner's task definitions for execution environment images, registered at
 * launch in families made from the image (lib/execution/image-task-definitions.ts).
 */
export function imageTaskDefinitionsArn(scope: IConstruct, runnerFamily: string): string {
  const stack = Stack.of(scope);
  return `arn:${stack.partition}:ecs:${stack.region}:${stack.account}:task-definition/${imageFamilies(runnerFamily)}:*`;
}
