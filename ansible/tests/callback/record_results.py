# -*- coding: utf-8 -*-
"""tests/run.sh: records every task's result and the recap of a run as one JSON file, for the
checks to read (ansible-core 2.14 has no json stdout callback; that one is in ansible.posix)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
name: record_results
type: aggregate
short_description: write each task's result and the recap to the file $AOEMIGRATE_TEST_RECORD
description:
  - Used by the collection's tests only.
requirements:
  - enabled with ANSIBLE_CALLBACKS_ENABLED=record_results
'''

import json
import os

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'record_results'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super(CallbackModule, self).__init__()
        self.tasks = []

    def _record(self, result, status):
        self.tasks.append(dict(name=result._task.get_name(), host=result._host.get_name(), status=status,
                               result=result._result))

    def v2_runner_on_ok(self, result):
        self._record(result, 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, 'failed')

    def v2_runner_on_skipped(self, result):
        self._record(result, 'skipped')

    def v2_playbook_on_stats(self, stats):
        recap = dict((host, stats.summarize(host)) for host in sorted(stats.processed))
        with open(os.environ['AOEMIGRATE_TEST_RECORD'], 'w') as f:
            json.dump(dict(tasks=self.tasks, stats=recap), f, default=str)
