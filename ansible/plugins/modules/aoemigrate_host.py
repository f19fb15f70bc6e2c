#!/usr/bin/python
# -*- coding: utf-8 -*-

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: aoemigrate_host
short_description: Drain a hypervisor for maintenance, or put it back in service
description:
  - I(state=drained) puts the host in maintenance (no guest may move onto it) and live-migrates every
    running guest off it, the daemon's planner choosing each destination, with C(aoemigrate --json drain HOST).
    If the other hosts cannot hold its guests, nothing moves and the task fails with the reason.
  - I(state=active) ends the maintenance a drain began, with C(aoemigrate --json undrain HOST). Nothing
    moves back by itself (see M(aoemigrate.cluster.aoemigrate_rebalance)). A host that the aoemigrate
    inventory itself puts in maintenance cannot be made active this way; the task fails and says so.
  - It reads the host first (C(aoemigrate status --json)) and changes nothing when the host is already
    as asked (drained, with no running or paused guest; or active).
  - In check mode it reports the guests a drain would move, without moving them (the daemon's drain has no
    dry run, so the destinations are chosen only by a real run).
version_added: 0.1.0
author: aoemigrate
extends_documentation_fragment:
  - aoemigrate.cluster.aoemigrate
options:
  name:
    description:
      - The inventory name of the hypervisor.
    type: str
    required: true
    aliases: [host]
  state:
    description:
      - C(drained), in maintenance and empty; C(active), taking guests.
    type: str
    required: true
    choices: [drained, active]
attributes:
  check_mode:
    support: full
    description: Reports what would change; a drain's destinations are not planned.
  diff_mode:
    support: full
    description: The host's maintenance and guests before and after.
seealso:
  - module: aoemigrate.cluster.aoemigrate_guest
  - module: aoemigrate.cluster.aoemigrate_rebalance
'''

EXAMPLES = r'''
- name: Empty hostB for maintenance
  aoemigrate.cluster.aoemigrate_host:
    name: hostB
    state: drained

- name: Put hostB back in service
  aoemigrate.cluster.aoemigrate_host:
    name: hostB
    state: active
'''

RETURN = r'''
host:
  description: The host.
  returned: always
  type: str
  sample: hostB
maintenance:
  description: Whether the host is in maintenance after the task (in check mode, would be).
  returned: always
  type: bool
  sample: true
guests:
  description: The running or paused guests on the host after the task (in check mode, before).
  returned: always
  type: list
  elements: str
  sample: []
drain:
  description:
    - The drain's result as C(aoemigrate --json drain) prints it, each move with its guest, source,
      destination, outcome and migration id; its fields are those of C(aoemigrate drain --help).
  returned: when a drain ran (also when it failed)
  type: dict
  sample:
    id: r-1a2b3c4d
    kind: drain
    host: hostB
    outcome: succeeded
    reason: null
    moves:
      - {guest: vm1, source: hostB, destination: hostA, outcome: succeeded, migration_id: m-4f1c2a9e}
    summary: {planned: 1, succeeded: 1, failed: 0, not_started: 0}
undrain:
  description: The result of C(aoemigrate --json undrain), with host, maintenance, changed and detail.
  returned: when the host was made active
  type: dict
  sample: {host: hostB, maintenance: false, changed: true, detail: hostB takes guests again}
would_move:
  description: The guests a drain would move off the host.
  returned: in check mode, with I(state=drained)
  type: list
  elements: str
  sample: [vm1]
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.aoemigrate.cluster.plugins.module_utils.aoemigrate import (
    Aoemigrate, argument_spec, PLACED_STATES)


def read_host(aoemigrate, name):
    """(maintenance, running or paused guests) of the host, as the daemon sees it now."""
    status = aoemigrate.call('status')
    hosts = dict((h['name'], h) for h in status['hosts'])
    if name not in hosts:
        aoemigrate.module.fail_json(msg='host %s is not in the aoemigrate inventory (its hosts: %s)'
                                    % (name, ', '.join(sorted(hosts))))
    host = hosts[name]
    if not host['reachable']:
        aoemigrate.module.fail_json(msg='host %s does not answer: %s' % (name, host['error']))
    return host['maintenance'], [g['name'] for g in host['guests'] if g['state'] in PLACED_STATES]


def drain_failure(report):
    """The reason a drain gives, with the moves that did not succeed."""
    reason = report.get('reason') or 'a move did not succeed'
    bad = ['%s -> %s: %s (%s)' % (m['guest'], m['destination'], m['outcome'], m.get('detail') or 'no detail')
           for m in report.get('moves', []) if m['outcome'] != 'succeeded']
    return reason + ('; ' + '; '.join(bad) if bad else '')


def drain(module, aoemigrate, name, maintenance, guests):
    result = dict(host=name, changed=False, maintenance=maintenance, guests=guests)
    if maintenance and not guests:
        module.exit_json(**result)
    result.update(changed=True, maintenance=True,
                  diff=dict(before=dict(maintenance=maintenance, guests=guests), after=dict(maintenance=True, guests=[])))
    if module.check_mode:
        module.exit_json(would_move=guests, **result)
    rc, report, err = aoemigrate.run('drain', name)
    if rc != 0:
        now_maintenance, now_guests = read_host(aoemigrate, name)
        if isinstance(report, dict):
            module.fail_json(msg='aoemigrate drain %s: %s (exit status %d)' % (name, drain_failure(report), rc),
                             rc=rc, stderr=err, drain=report, host=name, maintenance=now_maintenance,
                             guests=now_guests, changed=now_maintenance != maintenance or now_guests != guests)
        aoemigrate.fail(('drain', name), rc, report, err)
    result.update(drain=report, guests=read_host(aoemigrate, name)[1])
    module.exit_json(**result)


def activate(module, aoemigrate, name, maintenance, guests):
    result = dict(host=name, changed=False, maintenance=maintenance, guests=guests)
    if not maintenance:
        module.exit_json(**result)
    result.update(changed=True, maintenance=False,
                  diff=dict(before=dict(maintenance=True, guests=guests), after=dict(maintenance=False, guests=guests)))
    if module.check_mode:
        module.exit_json(**result)
    report = aoemigrate.call('undrain', name)
    if report['maintenance']:
        module.fail_json(msg='aoemigrate undrain %s: the host stays in maintenance: %s' % (name, report['detail']),
                         undrain=report, host=name, maintenance=True, guests=guests, changed=report['changed'])
    result.update(changed=report['changed'], undrain=report)
    module.exit_json(**result)


def main():
    module = AnsibleModule(
        argument_spec=argument_spec(
            name=dict(type='str', required=True, aliases=['host']),
            state=dict(type='str', required=True, choices=['drained', 'active']),
        ),
        supports_check_mode=True,
    )
    name = module.params['name']
    aoemigrate = Aoemigrate(module)
    maintenance, guests = read_host(aoemigrate, name)
    if module.params['state'] == 'drained':
        drain(module, aoemigrate, name, maintenance, guests)
    else:
        activate(module, aoemigrate, name, maintenance, guests)


if __name__ == '__main__':
    main()
