import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONNECTION_ARGUMENTS } from '../model/ansible-only';
import { installedCollection } from './installed-collections';

/**
 * Performance: the awx.awx modules run inside Ansible's worker process instead of a new Python
 * each. Ansible starts a Python for every module task (about 0.5 s of CPU: the interpreter, then
 * Ansible's module library, again); a playbook of 50 resources spent most of its time there. The
 * reader gives Ansible an overlay of the collection: the same modules, lookups and module
 * libraries (linked, unchanged), plus an action plugin per module that imports the module in the
 * worker (already a fork of Ansible with its library loaded) and calls its `main()` with the
 * arguments Ansible prepared, exactly as the module's own process would receive them, but for the
 * connection arguments, which always name the reader's API.
 */
export const IN_PROCESS_ACTION = String.raw`
import importlib
import io
import json
import os
from contextlib import redirect_stdout

from ansible.module_utils import basic
from ansible.plugins.action import ActionBase


CONNECTION_ARGUMENTS = ${JSON.stringify([...CONNECTION_ARGUMENTS])}


class ActionModule(ActionBase):
    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        module = self._task.resolved_action or self._task.action
        args = self._task.args.copy()
        self._update_module_args(module, args, task_vars)
        # Whatever server and login the task names (literally, or from its own variables), the
        # module talks to the reader's API: reading a playbook never reaches the server it was
        # written for, and needs none of its addresses or passwords.
        for name in CONNECTION_ARGUMENTS:
            args.pop(name, None)
        args.update(
            controller_host=os.environ['CONTROLLER_HOST'],
            controller_oauthtoken=os.environ['CONTROLLER_OAUTH_TOKEN'],
            validate_certs=False,
        )
        basic._ANSIBLE_ARGS = json.dumps({'ANSIBLE_MODULE_ARGS': args}).encode()
        printed = io.StringIO()
        try:
            with redirect_stdout(printed):
                importlib.import_module(
                    'ansible_collections.awx.awx.plugins.modules.' + module.rsplit('.', 1)[-1]
                ).main()
        except SystemExit:
            pass
        finally:
            basic._ANSIBLE_ARGS = None
        result.update(json.loads(printed.getvalue()))
        return result
`;

const SHIM = 'towerless_in_process';

/**
 * Writes the overlay of awx.awx into the collections folder `root`; nothing when awx.awx cannot be
 * found (its modules cannot run then anyway).
 */
export function writeInProcessModules(root: string): void {
  const installed = installedCollection('awx', 'awx');
  if (!installed) return;
  const overlay = join(root, 'ansible_collections', 'awx', 'awx');
  mkdirSync(join(overlay, 'plugins', 'action'), { recursive: true });
  for (const entry of readdirSync(installed))
    if (entry !== 'plugins') symlinkSync(join(installed, entry), join(overlay, entry));
  for (const entry of readdirSync(join(installed, 'plugins')))
    if (entry !== 'action') symlinkSync(join(installed, 'plugins', entry), join(overlay, 'plugins', entry));
  const actions = join(overlay, 'plugins', 'action');
  writeFileSync(join(actions, `${SHIM}.py`), IN_PROCESS_ACTION);
  for (const module of readdirSync(join(installed, 'plugins', 'modules'))) {
    if (!module.endsWith('.py') || module.startsWith('_')) continue;
    writeFileSync(
      join(actions, module),
      `from ansible_collections.awx.awx.plugins.action.${SHIM} import ActionModule  # noqa: F401\n`,
    );
  }
}
