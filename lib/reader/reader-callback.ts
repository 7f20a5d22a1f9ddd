/**
 * The Ansible callback plugin the reader runs with: one JSON line per task result (each loop item
 * its own), with where the task is written, the module Ansible resolved, the arguments it sent
 * (as the module saw them, so after Jinja; what the module hides stays hidden) and, for a failure,
 * its message. Written to the file named by TOWERLESS_READER_LOG. It also loads the awx.awx module
 * library before any task forks (performance, see in-process-modules.ts).
 */
export const READER_CALLBACK_NAME = 'towerless_reader';

export const READER_CALLBACK = String.raw`
import json
import os

from ansible.plugins.callback import CallbackBase


def _reuse_tls_contexts():
    """Performance: Ansible's make_context loads the system's CA certificates for every request,
    HTTP ones included (70 ms of CPU each, 80% of an awx.awx module's time in the reader). The
    modules talk HTTP to the reader's loopback API only, so one context per set of arguments,
    made once in each worker, changes nothing they send."""
    from ansible.module_utils import urls

    made = {}
    make_context = urls.make_context

    def reused_context(cafile=None, cadata=None, ciphers=None, validate_certs=True):
        key = (cafile, bytes(cadata) if cadata else None, tuple(ciphers or ()), validate_certs)
        if key not in made:
            made[key] = make_context(cafile=cafile, cadata=cadata, ciphers=ciphers, validate_certs=validate_certs)
        return made[key]

    urls.make_context = reused_context


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'towerless_reader'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self._out = open(os.environ['TOWERLESS_READER_LOG'], 'a', encoding='utf-8')
        # The reader's own collections (its stand-in roles), whose tasks are none of the user's.
        self._own = os.path.join(os.environ.get('TOWERLESS_READER_COLLECTIONS', os.devnull), '')
        # Imported once here, in ansible-playbook: every task's worker is a fork of it and finds
        # the modules' library loaded (lib/reader/in-process-modules.ts).
        try:
            import ansible_collections.awx.awx.plugins.module_utils.controller_api  # noqa: F401
        except ImportError:
            pass
        _reuse_tls_contexts()

    def _write(self, result, status):
        task = result._task
        answer = result._result
        if answer.get('results') is not None:
            return  # a loop's summary: its items were written one by one
        line = {
            'status': 'failed' if status == 'ok' and answer.get('failed') else status,
            'task': task.get_name(),
            'path': self._written_at(task),
            'action': getattr(task, 'resolved_action', None) or task.action,
            'changed': bool(answer.get('changed')),
            'args': (answer.get('invocation') or {}).get('module_args') or {},
            'ignored': bool(task.ignore_errors),
        }
        if 'msg' in answer:
            line['msg'] = str(answer['msg'])
        self._out.write(json.dumps(line, default=str) + '\n')
        self._out.flush()

    def _written_at(self, task):
        # The user's file:line: a task of the reader's own stand-in roles is placed at the task
        # that included the role.
        node = task
        while node is not None:
            path = node.get_path() if hasattr(node, 'get_path') else ''
            role = getattr(node, '_role', None)
            own = path.startswith(self._own) or (role is not None and role._role_path.startswith(self._own))
            if path and not own:
                return path
            node = getattr(node, '_parent', None)
        return ''

    def v2_runner_on_ok(self, result):
        self._write(result, 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._write(result, 'failed')

    def v2_runner_on_unreachable(self, result):
        self._write(result, 'failed')

    def v2_runner_item_on_ok(self, result):
        self._write(result, 'ok')

    def v2_runner_item_on_failed(self, result):
        self._write(result, 'failed')
`;
