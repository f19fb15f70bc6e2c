# -*- coding: utf-8 -*-
"""Runs the aoemigrate command line for the modules: one place that builds its arguments, reads
its --json output and turns a non-zero exit status into fail_json with the command's reason."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

# The options every module shares (their documentation: the doc fragment aoemigrate.cluster.aoemigrate).
COMMON_ARGUMENT_SPEC = dict(
    command=dict(type='path', default='aoemigrate'),
    config=dict(type='path'),
    socket=dict(type='path'),
)

# aoemigrate --help, "Exit status": what each code means, for the failure message.
EXIT_STATUS = {
    1: 'failed',
    2: 'usage',
    3: 'refused',
    4: 'aborted',
    5: 'no daemon',
    6: 'inventory unreadable',
    7: 'not found',
    8: 'unexpected',
}


def argument_spec(**module_options):
    """The module's own options plus the shared ones."""
    spec = dict(COMMON_ARGUMENT_SPEC)
    spec.update(module_options)
    return spec


class Aoemigrate(object):
    """The aoemigrate command as the module's parameters name it."""

    def __init__(self, module):
        self.module = module

    def _argv(self, args):
        p = self.module.params
        argv = [self.module.get_bin_path(p['command'], required=True), '--json']
        if p['config']:
            argv += ['--config', p['config']]
        if p['socket']:
            argv += ['--socket', p['socket']]
        return argv + list(args)

    def run(self, *args, **kwargs):
        """Runs one command; returns (exit status, its JSON document or None, stderr).
        Never fails the module: callers whose command may legitimately end non-zero use this."""
        argv = self._argv(args)
        rc, out, err = self.module.run_command(argv, **kwargs)
        document = None
        if out.strip():
            try:
                document = json.loads(out)
            except ValueError:
                self.module.fail_json(msg='%s printed something other than JSON (exit status %d): %s'
                                      % (' '.join(argv), rc, out.strip()[:500]),
                                      rc=rc, stdout=out, stderr=err, cmd=argv)
        return rc, document, err

    def call(self, *args, **kwargs):
        """Runs one command that must succeed; returns its JSON document, or fails the module with
        the command's own reason (the JSON 'reason' field, else its stderr)."""
        rc, document, err = self.run(*args, **kwargs)
        if rc != 0:
            self.fail(args, rc, document, err)
        if document is None:
            self.module.fail_json(msg='aoemigrate %s printed no JSON document' % ' '.join(args), rc=rc, stderr=err)
        return document

    def fail(self, args, rc, document, err, **result):
        """fail_json for a command that ended with status rc."""
        reason = None
        if isinstance(document, dict):
            reason = document.get('reason')
        if not reason:
            reason = reason_from_stderr(err)
        self.module.fail_json(
            msg='aoemigrate %s: %s (exit status %d, %s)' % (' '.join(args), reason, rc, EXIT_STATUS.get(rc, 'unknown')),
            rc=rc, stderr=err, result=document, **result)


def reason_from_stderr(err):
    """The command's own one-line reason: its last 'aoemigrate: ...' line on stderr."""
    lines = [line for line in err.splitlines() if line.strip()]
    for line in reversed(lines):
        if line.startswith('aoemigrate: '):
            return line[len('aoemigrate: '):]
    return lines[-1] if lines else 'no message'


# The states in which a guest occupies its host; a domain only defined there (shut off) does not.
PLACED_STATES = ('running', 'paused')


def placements(status):
    """Each running or paused guest of a status report, and the hosts it runs on (one, unless
    something is badly wrong)."""
    placed = {}
    for host in status['hosts']:
        for guest in host['guests']:
            if guest['state'] in PLACED_STATES:
                placed.setdefault(guest['name'], []).append(host['name'])
    return placed


def guest_placement(status, guest):
    """The hosts where the status report shows the guest running or paused."""
    return placements(status).get(guest, [])


def cluster_status(aoemigrate):
    """The daemon's status report with C(guests), where each running or paused guest runs (hosts
    joined with commas when it runs on several: a fault to resolve by hand). Shared by
    aoemigrate_info (as its result) and aoemigrate_facts (as facts)."""
    status = aoemigrate.call('status')
    guests = dict((name, ','.join(hosts)) for name, hosts in placements(status).items())
    return dict(hosts=status['hosts'], exports=status['exports'], migrations=status['migrations'], guests=guests)
