#!/usr/bin/python
# -*- coding: utf-8 -*-

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: aoemigrate_info
short_description: Read the aoemigrate cluster's status (hosts, guests, exports, migrations in flight)
description:
  - Asks the aoemigrate daemon what it sees now, with C(aoemigrate status --json). It returns every
    hypervisor (reachable, in maintenance, its guests and their state), every export (who may write
    it) and the migrations in flight.
  - Adds C(guests), where each running or paused guest runs, for lookups in plays.
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
seealso:
  - module: aoemigrate.cluster.aoemigrate_guest
  - module: aoemigrate.cluster.aoemigrate_facts
'''

EXAMPLES = r'''
- name: Read the cluster
  aoemigrate.cluster.aoemigrate_info:
    config: /etc/aoemigrate/inventory.yaml
  register: cluster

- name: Where vm1 runs
  ansible.builtin.debug:
    msg: "vm1 runs on {{ cluster.guests.vm1 }}"

- name: The hosts in maintenance
  ansible.builtin.debug:
    msg: "{{ cluster.hosts | selectattr('maintenance') | map(attribute='name') | list }}"
'''

RETURN = r'''
hosts:
  description: Every hypervisor of the inventory, as the daemon sees it now.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The inventory name.
      type: str
    reachable:
      description: Its libvirt answered.
      type: bool
    maintenance:
      description: It is in maintenance (drained); no guest moves to it.
      type: bool
    error:
      description: Why it is not reachable; null when it is.
      type: str
    guests:
      description: The domains its libvirt knows, in name order.
      type: list
      elements: dict
      contains:
        name:
          description: The domain's name.
          type: str
        state:
          description: C(running), C(paused), C(shut_off), C(crashed) or C(other).
          type: str
  sample:
    - name: hostA
      reachable: true
      maintenance: false
      error: null
      guests: [{name: vm1, state: running}]
exports:
  description: Every export of the inventory and what the daemon's target serves for it (see C(aoemigrate exports --help)).
  returned: always
  type: list
  elements: dict
  sample:
    - name: vm1-disk
      address: e1.0
      image: /var/lib/aoelab/storage/images/vm1.img
      served: true
      size_bytes: 67108864
      config: id=vm1-disk
      reservation: ["02:ae:01:00:00:00"]
      reserved_hosts: [hostA]
      hosts: [hostA, hostB]
      interfaces: [aoe0, aoe1]
migrations:
  description: The migrations in flight.
  returned: always
  type: list
  elements: dict
  sample:
    - id: m-4f1c2a9e
      guest: vm1
      source: hostA
      destination: hostB
guests:
  description:
    - Each running or paused guest and the host it runs on.
    - A guest found running on several hosts at once (a fault to resolve by hand) maps to their
      names joined with commas.
  returned: always
  type: dict
  sample:
    vm1: hostA
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.aoemigrate.cluster.plugins.module_utils.aoemigrate import (
    Aoemigrate, argument_spec, cluster_status)


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    module.exit_json(changed=False, **cluster_status(Aoemigrate(module)))


if __name__ == '__main__':
    main()
