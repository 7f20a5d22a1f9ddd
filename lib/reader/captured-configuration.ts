import type { RawEntry } from '../model/bundle-builder';
import { ControllerConfigReader } from '../model/controller-config-loader';
import type { Diagnostics } from '../model/diagnostics';
import type { SourceMap } from '../model/yaml-source';
import type { TaskOutcome } from './ansible-playbook-run';
import { CAPTURE_ACTION } from './configuration-roles';
import { renderedOutcome } from './render-action';
import { taskSource } from './task-sources';

/**
 * What the configuration roles a playbook ran would have applied (configuration-roles.ts): each
 * role's variables, as Ansible rendered them there, read as the controller_configuration loader
 * reads such variables, placed at the task that ran the role. In the order the roles ran.
 */
export function capturedConfigurationEntries(
  outcomes: readonly TaskOutcome[],
  base: string,
  sourceMap: SourceMap,
  diagnostics: Diagnostics,
): RawEntry[] {
  return outcomes
    .filter((outcome) => outcome.status === 'ok' && outcome.action.endsWith(`.${CAPTURE_ACTION}`))
    .flatMap((outcome) => {
      const reader = new ControllerConfigReader(sourceMap, diagnostics, {
        ...renderedOutcome(outcome.msg),
        origin: taskSource(outcome.path, base),
      });
      return reader.entries();
    });
}
