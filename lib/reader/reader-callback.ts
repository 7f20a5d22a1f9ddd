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


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'towerless_reader'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self._out = open(os.environ['TOWERLESS_READER_LOG'], 'a', encoding='utf-8')
        # Imported once here, in ansible-playbook: every task's worker is a fork of it and finds
        # the modules' library loaded (lib/reader/in-process-modules.ts).
        try:
            import ansible_collections.awx.awx.plugins.module_utils.controller_api  # noqa: F401
        except ImportError:
            pass

    def _write(self, result, status):
        task = result._task
        answer = result._result
        if answer.get('results') is not None:
            return  # a loop's summary: its items were written one by one
        line = {
            'status': 'failed' if status == 'ok' and answer.get('failed') else status,
            'task': task.get_name(),
            'path': task.get_path() or '',
            'action': getattr(task, 'resolved_action', None) or task.action,
            'changed': bool(answer.get('changed')),
            'args': (answer.get('invocation') or {}).get('module_args') or {},
            'ignored': bool(task.ignore_errors),
        }
        if 'msg' in answer:
            line['msg'] = str(answer['msg'])
        self._out.write(json.dumps(line, default=str) + '\n')
        self._out.flush()

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
