#!/usr/bin/python
# -*- coding: utf-8 -*-

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: aoemigrate_rebalance
short_description: Even out memory and CPU use across the hypervisors by live-migrating guests
description:
  - Runs C(aoemigrate --json rebalance) - the daemon observes every host and guest, plans the moves
    that even out memory and CPU use (hosts in maintenance take nothing; pinned guests, guests moved
    within the hold time and guests with a disk not on AoE stay put) and makes them within the
    migration limits.
  - C(changed) is true when at least one guest moved; a balanced cluster plans no move and changes nothing.
  - In check mode it returns the plan, C(aoemigrate --json rebalance --dry-run), and moves nothing.
version_added: 0.1.0
author: aoemigrate
extends_documentation_fragment:
  - aoemigrate.cluster.aoemigrate
options:
  max_moves:
    description:
      - At most this many moves (the daemon's default, 20, when not set).
    type: int
attributes:
  check_mode:
    support: full
    description: Returns the plan (a dry run); moves nothing.
  diff_mode:
    support: none
    description: The moves are in the result.
seealso:
  - module: aoemigrate.cluster.aoemigrate_host
'''

EXAMPLES = r'''
- name: Show the plan only
  aoemigrate.cluster.aoemigrate_rebalance:
  check_mode: true
  register: plan

- name: Even out the cluster, at most two moves
  aoemigrate.cluster.aoemigrate_rebalance:
    max_moves: 2
'''

RETURN = r'''
rebalance:
  description:
    - The run as C(aoemigrate --json rebalance) prints it (its fields, C(aoemigrate rebalance --help)) -
      outcome (planned, succeeded, failed, refused), score before and after, why the plan stopped,
      and the moves, each with guest, source, destination, reason, why, outcome and migration id.
  returned: always
  type: dict
  sample:
    id: r-5e6f7a8b
    kind: rebalance
    dry_run: true
    outcome: planned
    score_before: 0.42
    score_after: 0.08
    stop: balanced
    moves:
      - {guest: vm1, source: hostA, destination: hostB, reason: memory_spread, outcome: planned}
    summary: {planned: 1, succeeded: 0, failed: 0, not_started: 0}
moves:
  description: The moves, C(guest source -> destination), planned (check mode) or made.
  returned: always
  type: list
  elements: str
  sample: ["vm1 hostA -> hostB"]
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.aoemigrate.cluster.plugins.module_utils.aoemigrate import Aoemigrate, argument_spec


def described(moves):
    return ['%s %s -> %s' % (m['guest'], m['source'], m['destination']) for m in moves]


def main():
    module = AnsibleModule(
        argument_spec=argument_spec(max_moves=dict(type='int')),
        supports_check_mode=True,
    )
    if module.params['max_moves'] is not None and module.params['max_moves'] < 0:
        module.fail_json(msg='max_moves must be 0 or more, not %d' % module.params['max_moves'])
    args = ['rebalance']
    if module.check_mode:
        args.append('--dry-run')
    if module.params['max_moves'] is not None:
        args += ['--max-moves', str(module.params['max_moves'])]
    aoemigrate = Aoemigrate(module)
    rc, report, err = aoemigrate.run(*args)
    if rc != 0:
        moved = [m for m in (report or {}).get('moves', []) if m['outcome'] == 'succeeded']
        aoemigrate.fail(tuple(args), rc, report, err, rebalance=report, moves=described(moved), changed=bool(moved))
    if module.check_mode:
        module.exit_json(changed=bool(report['moves']), rebalance=report, moves=described(report['moves']))
    moved = [m for m in report['moves'] if m['outcome'] == 'succeeded']
    module.exit_json(changed=bool(moved), rebalance=report, moves=described(moved))


if __name__ == '__main__':
    main()
