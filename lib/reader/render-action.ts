/**
 * The Ansible action that hands back controller_configuration variables as Ansible renders them
 * for the collection's roles: each with Ansible's own templar, as a role's module arguments are
 * rendered, one at a time so that a variable Ansible cannot render is an error of its own (in a
 * loop, the first failure would end the task). With `wildcards`, a list is followed by its
 * wildcard parts, every variable whose name holds the list's name, in the order Ansible holds
 * them: infra.aap_configuration's dispatch appends them to the list
 * (`dispatch_include_wildcard_vars`), and so does the loader (lib/model/controller-config-format.ts
 * `wildcardBase`), each part placed where it is written. Its result's `msg` is JSON:
 * `{"values": {name: value}, "failures": {name: message}}`.
 */
export const RENDER_ACTION = String.raw`
import json

from ansible.errors import AnsibleError
from ansible.module_utils.common.json import AnsibleJSONEncoder
from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        wildcards = self._task.args.get('wildcards', False)
        values, failures = {}, {}
        for name in self._task.args['names']:
            parts = [other for other in task_vars if other != name and name in other] if wildcards else []
            for each in ([name] if name in task_vars else []) + parts:
                try:
                    values[each] = self._templar.template(task_vars[each])
                except AnsibleError as error:
                    failures[each] = str(error.message)
        result['msg'] = json.dumps({'values': values, 'failures': failures}, cls=AnsibleJSONEncoder)
        return result
`;

/** What the action handed back in an outcome's `msg`: each variable's value, or Ansible's message. */
export function renderedOutcome(msg: string | undefined): {
  readonly values: Map<string, unknown>;
  readonly failures: Map<string, string>;
} {
  const { values, failures } = JSON.parse(msg ?? '{"values": {}, "failures": {}}') as {
    values: Record<string, unknown>;
    failures: Record<string, string>;
  };
  return { values: new Map(Object.entries(values)), failures: new Map(Object.entries(failures)) };
}
