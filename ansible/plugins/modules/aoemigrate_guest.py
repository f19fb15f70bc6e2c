#!/usr/bin/python
# -*- coding: utf-8 -*-

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: aoemigrate_guest
short_description: Place a running guest on a hypervisor, live-migrating it there if needed
description:
  - Declares where a running libvirt/KVM guest whose disks are AoE exports should run.
  - Reads where the guest runs now (C(aoemigrate status --json)). If it runs on another host, moves it
    with C(aoemigrate --json migrate NAME HOST) (preflight, reservation, live migration, cutover,
    fence); if it already runs on I(host), changes nothing.
  - In check mode it runs the preflight alone (C(aoemigrate --json check NAME HOST)), which changes
    nothing, and reports the planned move; a move the preflight refuses fails as a real run would.
version_added: 0.1.0
author: aoemigrate
extends_documentation_fragment:
  - aoemigrate.cluster.aoemigrate
options:
  name:
    description:
      - The guest, as libvirt names the domain.
    type: str
    required: true
    aliases: [guest]
  host:
    description:
      - The inventory name of the hypervisor the guest should run on.
    type: str
    required: true
  cutover:
    description:
      - How the disks change owner at the end of a move; see C(aoemigrate --help).
      - C(fast) resumes on the destination, then fences the source; C(fenced) fences while the
        guest is paused, then resumes.
      - When not set, the inventory's C(policy.cutover) applies.
    type: str
    choices: [fast, fenced]
attributes:
  check_mode:
    support: full
    description: Runs the preflight only and reports the planned move.
  diff_mode:
    support: full
    description: The guest's host before and after.
seealso:
  - module: aoemigrate.cluster.aoemigrate_info
  - module: aoemigrate.cluster.aoemigrate_host
'''

EXAMPLES = r'''
- name: Run vm1 on hostB (moves it only if it runs elsewhere)
  aoemigrate.cluster.aoemigrate_guest:
    name: vm1
    host: hostB
    config: /etc/aoemigrate/inventory.yaml

- name: Move with the fenced cutover, allowing a long copy
  aoemigrate.cluster.aoemigrate_guest:
    name: db1
    host: hostA
    cutover: fenced
  async: 1800
  poll: 10
'''

RETURN = r'''
guest:
  description: The guest.
  returned: always
  type: str
  sample: vm1
source:
  description: Where the guest ran before (its host now when nothing moved).
  returned: always
  type: str
  sample: hostA
host:
  description: Where the guest runs after the task (in check mode, where it would run).
  returned: always
  type: str
  sample: hostB
migration:
  description:
    - The migration's result as C(aoemigrate --json migrate) prints it; its fields are those of
      C(aoemigrate migrate --help).
  returned: when the guest was moved
  type: dict
  sample:
    id: m-4f1c2a9e
    guest: vm1
    source: hostA
    destination: hostB
    outcome: succeeded
    reason: ""
    failed_check: null
    cutover: fast
    total_ms: 3912
    downtime_ms: 28
    bytes: 72351744
    iterations: 3
    max_downtime_ms: 100
preflight:
  description: The preflight's verdict as C(aoemigrate --json check) prints it.
  returned: in check mode, when the guest would move
  type: dict
  sample:
    guest: vm1
    destination: hostB
    passed: true
    failed_check: null
    reason: ""
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.aoemigrate.cluster.plugins.module_utils.aoemigrate import (
    Aoemigrate, argument_spec, guest_placement)


def moved_after_failure(aoemigrate, rc, name, source):
    """Whether a migration that ended non-zero still moved the guest: refused (3) and aborted (4)
    leave it on its source; after any other failure, where it runs now says."""
    if rc in (3, 4):
        return False
    rc, status, err = aoemigrate.run('status')
    return rc == 0 and guest_placement(status, name) not in ([], [source])


def main():
    module = AnsibleModule(
        argument_spec=argument_spec(
            name=dict(type='str', required=True, aliases=['guest']),
            host=dict(type='str', required=True),
            cutover=dict(type='str', choices=['fast', 'fenced']),
        ),
        supports_check_mode=True,
    )
    name, host = module.params['name'], module.params['host']
    aoemigrate = Aoemigrate(module)

    status = aoemigrate.call('status')
    hosts = [h['name'] for h in status['hosts']]
    if host not in hosts:
        module.fail_json(msg="host %s is not in the aoemigrate inventory (its hosts: %s)" % (host, ', '.join(hosts)))
    moving = [m for m in status['migrations'] if m['guest'] == name]
    if moving:
        m = moving[0]
        module.fail_json(msg="%s is being moved now (migration %s, %s -> %s); run again when it has ended"
                         % (name, m['id'], m['source'], m['destination']), migration=m)
    placed = guest_placement(status, name)
    if not placed:
        module.fail_json(msg="%s runs on no host of the inventory (%s); start it first" % (name, ', '.join(hosts)))
    if len(placed) > 1:
        module.fail_json(msg="%s runs on several hosts at once (%s): resolve that by hand before moving it"
                         % (name, ', '.join(placed)))
    source = placed[0]
    result = dict(changed=False, guest=name, source=source, host=source)
    if source == host:
        module.exit_json(**result)

    result.update(changed=True, host=host, diff=dict(before=dict(host=source), after=dict(host=host)))
    cutover = ['--cutover', module.params['cutover']] if module.params['cutover'] else []
    if module.check_mode:
        rc, preflight, err = aoemigrate.run('check', name, host, *cutover)
        if rc != 0:
            aoemigrate.fail(('check', name, host), rc, preflight, err, preflight=preflight)
        result['preflight'] = preflight
        module.exit_json(**result)

    rc, migration, err = aoemigrate.run('migrate', name, host, *cutover)
    if rc != 0:
        aoemigrate.fail(('migrate', name, host), rc, migration, err, migration=migration,
                        changed=moved_after_failure(aoemigrate, rc, name, source))
    result['migration'] = migration
    module.exit_json(**result)


if __name__ == '__main__':
    main()
