# -*- coding: utf-8 -*-
"""The options every aoemigrate.cluster module shares: which command, which inventory, which daemon."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r'''
options:
  command:
    description:
      - The aoemigrate command to run, a name looked up in C(PATH) or a path
        (for example C(bin/aoemigrate) of a checkout).
    type: path
    default: aoemigrate
  config:
    description:
      - The aoemigrate inventory (YAML) on the managed node; the daemon's socket is found
        from its C(storage.stateDir).
      - When not set, the command's own default applies (C($AOEMIGRATE_CONFIG), else
        C(/etc/aoemigrate/inventory.yaml)).
    type: path
  socket:
    description:
      - The daemon's socket, instead of the one the inventory implies.
    type: path
notes:
  - The module runs C(aoemigrate --json) on the managed node, which must reach the daemon's
    unix socket (the storage host, or a host sharing its state directory).
requirements:
  - the aoemigrate command (the role aoemigrate.cluster.aoemigrate installs it) and a running
    C(aoemigrate daemon)
'''
