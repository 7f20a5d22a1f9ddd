/**
 * The Ansible action that hands back controller_configuration variables as Ansible renders them
 * for the collection's roles: each with Ansible's own templar, as a role's module arguments are
 * rendered, one at a time so that a variable Ansible cannot render is an error of its own (in a
 * loop, the first failure would end the task). With `wildcards`, a list is followed by its
 * wildcard parts, every variable whose name holds the list's name, in the order Ansible holds
 * them, as infra.aap_configuration's dispatch appends them (`dispatch_include_wildcard_vars`;
 * lib/model/controller-config-format.ts `wildcardBase`). Its result's `msg` is JSON:
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
            if name not in task_vars and not parts:
                continue
            try:
                value = self._templar.template(task_vars[name]) if name in task_vars else []
                for part in parts:
                    appended = self._templar.template(task_vars[part])
                    if not isinstance(value, list) or not isinstance(appended, list):
                        raise AnsibleError('%s is not a list: the dispatch role appends it to %s' % (part, name))
                    value = value + appended
                values[name] = value
            except AnsibleError as error:
                failures[name] = str(error.message)
        result['msg'] = json.dumps({'values': values, 'failures': failures}, cls=AnsibleJSONEncoder)
        return result
`;
