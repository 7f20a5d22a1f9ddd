import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { checkLaunch, launchWorkflow, type LaunchRequest } from '../../launch/launch-workflow';
import { withSurveyDefaults } from '../../launch/survey-form';
import { openLocalSession } from '../../local/local-session';
import type { ParsedArgs } from '../args';
import { bundlePath } from '../bundle';
import { readValidBundle } from '../reading';
import { parseLaunchVars } from '../launch-vars';
import { checkLocalJobArgs, runLocalJob } from '../local-job';
import type { Io } from '../output';
import { selectWorkflow } from '../workflow';

/** `towerless run`: the workflow, for real, on this machine. Exit 0 iff successful. */
export async function runCommand(args: ParsedArgs, io: Io): Promise<number> {
  checkLocalJobArgs(args);
  const launchVars = parseLaunchVars(args);
  const { bundle } = await readValidBundle(args, io, { quietWarnings: true, needs: 'objects' });
  const workflow = selectWorkflow(bundle, args);
  const path = bundlePath(args);
  const request: LaunchRequest = {
    bundle,
    baseDir: resolve(isFolder(path) ? path : dirname(path)),
    workflow: workflow.name,
    // As AWX's launch form sends it for a person (docs/semantics.md §13.7).
    body: { extra_vars: withSurveyDefaults(workflow, launchVars) },
  };
  // A refused launch opens nothing.
  await checkLaunch(request);
  const session = await openLocalSession(args.data ?? '.towerless');
  try {
    return await runLocalJob(args, io, session, (services) => launchWorkflow(services, request));
  } finally {
    await session.close();
  }
}

function isFolder(path: string): boolean {
  return statSync(path).isDirectory();
}
