import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { CatalogStore } from '../catalog/catalog-store';
import { CatalogLauncher } from '../launch/catalog-launcher';
import type { ScheduledLaunchServices } from '../schedules/scheduled-launch';
import { SchedulerSchedules } from '../schedules/scheduler-schedules';
import { deployedExecution, type DeployedRuntime } from './deployed-runtime';
import { setting, type Environment } from './function-settings';

/**
 * Where manual projects live in the runner image (AWX's PROJECTS_ROOT), which launches record as
 * their jobs' `base_dir`; nothing is read from it at launch. The API's launches use the same
 * (lib/aws/deployed-api.ts).
 */
export const RUNNER_PROJECTS_ROOT = '/home/runner/work';

/**
 * What launching a catalog template takes in a deployed function that is not the API (the
 * scheduler): the catalog on the table, the job store and the Step Functions execution port of
 * the runtime, and the kept secrets. No activity stream: only API calls are recorded there.
 */
export function deployedLaunching(runtime: DeployedRuntime, env: Environment): ScheduledLaunchServices {
  const catalog = new CatalogStore(runtime.table);
  return {
    catalog,
    jobs: runtime.store,
    secrets: runtime.secrets,
    launcher: new CatalogLauncher(
      catalog,
      runtime.store,
      deployedExecution(runtime, env),
      RUNNER_PROJECTS_ROOT,
    ),
  };
}

/** The stack's EventBridge Scheduler schedules (lib/infra/schedules.ts), from the function's environment. */
export function deployedSchedulerSchedules(env: Environment): SchedulerSchedules {
  return new SchedulerSchedules(new SchedulerClient({}), {
    group: setting(env, 'schedulerGroup'),
    roleArn: setting(env, 'schedulerRoleArn'),
    targetArn: setting(env, 'schedulerTargetArn'),
  });
}
