import type { DeploymentTarget } from '../compiler/target';
import { FUNCTION_ENVIRONMENT, type FunctionEnvironmentKey } from '../infra/function-environment';

/**
 * The settings the stack gives a function through its environment (lib/infra/function-environment.ts).
 * A missing one is a deployment error: the message names the variable.
 */
export type Environment = Readonly<Record<string, string | undefined>>;

export function setting(env: Environment, key: FunctionEnvironmentKey): string {
  const value = env[FUNCTION_ENVIRONMENT[key]];
  if (!value) throw new Error(`the function's environment has no ${FUNCTION_ENVIRONMENT[key]}`);
  return value;
}

export function optionalSetting(env: Environment, key: FunctionEnvironmentKey): string | undefined {
  return env[FUNCTION_ENVIRONMENT[key]] || undefined;
}

export function deploymentTarget(env: Environment): DeploymentTarget {
  try {
    return JSON.parse(setting(env, 'deploymentTarget')) as DeploymentTarget;
  } catch (error) {
    throw new Error(`${FUNCTION_ENVIRONMENT.deploymentTarget} is not JSON: ${(error as Error).message}`);
  }
}
