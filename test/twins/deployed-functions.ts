import { SFNClient } from '@aws-sdk/client-sfn';
import type { Context } from 'aws-lambda';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployedRuntime } from '../../lib/aws/deployed-runtime';
import type { SecretWriter } from '../../lib/runner/secret-writer';
import { FileSecretProvider } from '../../lib/runner/secrets';
import { runContainer } from '../../runner-image/entrypoint';
import { lambdaContext } from './lambda-context';

/**
 * The stack's functions and runner tasks for the AWS twin: each handler of lambdas/ loaded as the
 * Lambda runtime loads it (after the twin set the environment), and a RunTask that runs the
 * runner's entrypoint in this process.
 */
export type FunctionHandler = (event: unknown, context: Context) => Promise<unknown>;

export async function loadHandlers(names: readonly string[]): Promise<Record<string, FunctionHandler>> {
  const handlers: Record<string, FunctionHandler> = {};
  for (const name of names)
    handlers[name] = (
      (await import(`../../lambdas/${name}/index.ts`)) as { handler: FunctionHandler }
    ).handler;
  return handlers;
}

/** Invokes the handler a function ARN of the twin's deployment target names (`...:function:towerless-<name>`). */
export function invokeByArn(handlers: Record<string, FunctionHandler>) {
  return (arn: string, payload: unknown): Promise<unknown> => {
    const name = arn.slice(arn.lastIndexOf(':function:towerless-') + ':function:towerless-'.length);
    return handlers[name](payload, lambdaContext(name));
  };
}

/**
 * RunTask as the runner in this process: the container's environment is this process's with the
 * task's overrides on top; its stdout lines go to `write` with the task's id.
 */
export function inProcessRunTask(workDir: string, write: (task: string, line: string) => void) {
  return async (request: Record<string, unknown>): Promise<unknown> => {
    const overrides = (
      request as { overrides: { containerOverrides: { environment: { name: string; value: string }[] }[] } }
    ).overrides;
    const environment = Object.fromEntries(
      overrides.containerOverrides[0].environment.map((e) => [e.name, e.value]),
    );
    const opened = await deployedRuntime();
    const task = randomUUID().replaceAll('-', '');
    void runContainer(
      { ...process.env, ...environment },
      {
        openStore: async () => opened.store,
        secrets: opened.secrets,
        sfn: new SFNClient({}),
        workDir,
        write: (line) => write(task, line),
        signal: new AbortController().signal,
      },
    );
    return {
      tasks: [{ taskArn: `arn:aws:ecs:us-east-1:123456789012:task/towerless/${task}` }],
      failures: [],
    };
  };
}

const ROOT = join(__dirname, '../..');

/**
 * A runner work folder for the AWX guide's workflows: `scripts/setup` done (packages and the
 * examples' throwaway secrets) and the guide's manual project where the runner keeps manual
 * projects (its projects root).
 */
export function guideRunnerFolder(): string {
  execFileSync(join(ROOT, 'scripts/setup'));
  const workDir = mkdtempSync(join(tmpdir(), 'towerless-runner-'));
  cpSync(join(ROOT, 'examples/guide/project'), join(workDir, 'project'), { recursive: true });
  return workDir;
}

/** The secrets the guide's credentials name, kept in (the twin of) Secrets Manager as a user would. */
export async function keepGuideSecrets(secrets: SecretWriter): Promise<void> {
  const local = new FileSecretProvider(join(ROOT, '.towerless/secrets.yml'));
  for (const name of [
    'towerless/ssh-key/ssh_key_data',
    'towerless/aws/access_key',
    'towerless/aws/secret_key',
  ])
    await secrets.put(name, await local.get(name));
}
