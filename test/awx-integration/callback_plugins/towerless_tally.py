# Towerless: tallies each task of an AWX integration target, one JSON line per task result in the
# file named by TOWERLESS_TALLY_FILE. The harness play sets `ignore_errors: true` so that a target
# goes on after a failure; a failure counts as expected only when the task itself says
# `ignore_errors` (the target then asserts on it), otherwise it is a failure of the target.
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = '''
    name: towerless_tally
    type: aggregate
    short_description: one JSON line per task result
    description:
      - Writes each task's outcome (ok, changed, failed, expected_failure, skipped) as a JSON line.
    requirements:
      - TOWERLESS_TALLY_FILE in the environment
'''


# The include itself is not one of the target's tasks.
INCLUDES = frozenset(('include_tasks', 'import_tasks', 'include_role', 'import_role', 'include',
                      'ansible.builtin.include_tasks', 'ansible.builtin.import_tasks',
                      'ansible.builtin.include_role', 'ansible.builtin.import_role'))


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'towerless_tally'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super(CallbackModule, self).__init__()
        self._path = os.environ.get('TOWERLESS_TALLY_FILE')

    def _write(self, result, status):
        if not self._path:
            return
        task = result._task
        if task.action in INCLUDES:
            return
        record = {'task': task.get_name(), 'status': status}
        if status in ('failed', 'expected_failure'):
            outcome = result._result
            message = outcome.get('msg') or outcome.get('message') or ''
            if not message and isinstance(outcome.get('results'), list):
                message = '; '.join(
                    str(item.get('msg', '')) for item in outcome['results'] if item.get('failed')
                )
            record['msg'] = str(message)[:2000]
            if isinstance(outcome.get('response'), (dict, list, str)):
                record['response'] = str(outcome['response'])[:1000]
        with open(self._path, 'a') as tally:
            tally.write(json.dumps(record) + '\n')

    @staticmethod
    def _expects_failure(task):
        # Only what the target's own task says, not the harness play's ignore_errors.
        raw = getattr(task, '_ds', None)
        return isinstance(raw, dict) and bool(raw.get('ignore_errors'))

    def v2_runner_on_ok(self, result):
        self._write(result, 'changed' if result._result.get('changed') else 'ok')

    def v2_runner_on_skipped(self, result):
        self._write(result, 'skipped')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._write(result, 'expected_failure' if self._expects_failure(result._task) else 'failed')

    def v2_runner_on_unreachable(self, result):
        self._write(result, 'failed')
