#!/usr/bin/python
# -*- coding: utf-8 -*-

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: aoemigrate_facts
short_description: The aoemigrate cluster's status as the fact C(aoemigrate)
description:
  - Sets the fact C(aoemigrate) on the host it runs for, from C(aoemigrate status --json), with the
    same C(hosts), C(exports), C(migrations) and C(guests) that M(aoemigrate.cluster.aoemigrate_info)
    returns as its result, for plays that prefer facts to C(register).
  - Changes nothing; runs the same in check mode.
version_added: 0.1.0
author: aoemigrate
extends_documentation_fragment:
  - aoemigrate.cluster.aoemigrate
attributes:
  check_mode:
    support: full
    description: Reads only.
  diff_mode:
    support: none
    description: Reads only.
  facts:
    support: full
    description: Sets the fact C(aoemigrate).
seealso:
  - module: aoemigrate.cluster.aoemigrate_info
'''

EXAMPLES = r'''
- name: Read the cluster into facts
  aoemigrate.cluster.aoemigrate_facts:
    config: /etc/aoemigrate/inventory.yaml

- name: Where vm1 runs
  ansible.builtin.debug:
    msg: "vm1 runs on {{ aoemigrate.guests.vm1 }}"
'''

RETURN = r'''
ansible_facts:
  description: The fact C(aoemigrate), with the keys M(aoemigrate.cluster.aoemigrate_info) returns.
  returned: always
  type: dict
  contains:
    aoemigrate:
      description: C(hosts), C(exports), C(migrations) and C(guests) (guest to host), as aoemigrate_info documents them.
      type: dict
      sample:
        hosts: [{name: hostA, reachable: true, maintenance: false, error: null, guests: [{name: vm1, state: running}]}]
        exports: []
        migrations: []
        guests: {vm1: hostA}
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.aoemigrate.cluster.plugins.module_utils.aoemigrate import (
    Aoemigrate, argument_spec, cluster_status)


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    module.exit_json(changed=False, ansible_facts=dict(aoemigrate=cluster_status(Aoemigrate(module))))


if __name__ == '__main__':
    main()
