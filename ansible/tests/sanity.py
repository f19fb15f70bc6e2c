"""The checks of ansible-test sanity that need Python packages this machine cannot install
(validate-modules, import, ansible-doc, yamllint), done by hand with what ansible-core brings.

Run with ANSIBLE_COLLECTIONS_PATH naming a directory that holds ansible_collections/aoemigrate/cluster
(tests/run.sh sets that up). For every module: it imports through the collection loader; its
DOCUMENTATION, EXAMPLES and RETURN parse as YAML; ansible-doc renders it (doc fragments merged);
the documented options match its argument_spec (names, types, required, defaults, choices,
aliases, list elements); check mode is supported exactly when its attributes say so; every module
is in the action group; EXAMPLES only call modules that exist. For every role: ansible-doc renders
its meta/argument_specs.yml, and its defaults agree with it. Prints one line per problem and
exits 1 if there was any."""

import json
import os
import subprocess
import sys

import yaml

from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder

COLLECTION = 'aoemigrate.cluster'
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MODULES = sorted(f[:-3] for f in os.listdir(os.path.join(ROOT, 'plugins', 'modules'))
                 if f.endswith('.py') and not f.startswith('_'))

ROLES = sorted(os.listdir(os.path.join(ROOT, 'roles')))

problems = []


def problem(module, text):
    problems.append('%s: %s' % (module, text))


class CapturedSpec(Exception):
    """Raised by the patched AnsibleModule: the module got as far as declaring its arguments."""

    def __init__(self, kwargs):
        Exception.__init__(self)
        self.kwargs = kwargs


def declared_arguments(module_object):
    """The keyword arguments main() gives AnsibleModule (argument_spec, supports_check_mode, ...),
    without running anything else of the module."""
    original = module_object.AnsibleModule

    def capture(*args, **kwargs):
        raise CapturedSpec(kwargs)
    module_object.AnsibleModule = capture
    try:
        module_object.main()
    except CapturedSpec as c:
        return c.kwargs
    finally:
        module_object.AnsibleModule = original
    raise AssertionError('main() returned without creating an AnsibleModule')


def rendered_doc(name):
    """ansible-doc's JSON for the module: the documentation with its fragments merged."""
    p = subprocess.run(['ansible-doc', '--json', '%s.%s' % (COLLECTION, name)],
                       capture_output=True, text=True, check=False)
    if p.returncode != 0 or not p.stdout.strip():
        problem(name, 'ansible-doc failed (%d): %s' % (p.returncode, p.stderr.strip()))
        return None
    doc = json.loads(p.stdout)['%s.%s' % (COLLECTION, name)]
    # the text form must render too (it is what a user reads)
    text = subprocess.run(['ansible-doc', '%s.%s' % (COLLECTION, name)], capture_output=True, text=True, check=False)
    if text.returncode != 0 or 'OPTIONS' not in text.stdout:
        problem(name, 'ansible-doc text rendering failed: %s' % text.stderr.strip())
    return doc


def compare_options(name, documented, spec, where='option'):
    for option in sorted(set(documented) | set(spec)):
        if option not in spec:
            problem(name, '%s %s is documented but not in argument_spec' % (where, option))
            continue
        if option not in documented:
            problem(name, '%s %s is in argument_spec but not documented' % (where, option))
            continue
        d, s = documented[option], spec[option]
        if not d.get('description'):
            problem(name, '%s %s has no description' % (where, option))
        for key, default in (('type', 'str'), ('required', False), ('default', None), ('choices', None),
                             ('aliases', None), ('elements', None), ('no_log', None)):
            if key == 'no_log' and key not in s:
                continue
            if d.get(key, default) != s.get(key, default):
                problem(name, '%s %s: %s is %r in the documentation, %r in argument_spec'
                        % (where, option, key, d.get(key, default), s.get(key, default)))
        if s.get('options') or d.get('suboptions'):
            compare_options(name, d.get('suboptions', {}), s.get('options', {}), where='suboption of ' + option)


def check_module(name, action_group):
    path = os.path.join(ROOT, 'plugins', 'modules', name + '.py')
    try:
        module_object = __import__('ansible_collections.aoemigrate.cluster.plugins.modules.' + name,
                                   fromlist=['main'])
    except Exception as e:  # any import failure is the finding
        problem(name, 'import failed: %r' % e)
        return
    for block in ('DOCUMENTATION', 'EXAMPLES', 'RETURN'):
        text = getattr(module_object, block, None)
        if not text or not text.strip():
            problem(name, '%s is missing or empty' % block)
            continue
        try:
            parsed = yaml.safe_load(text)
        except yaml.YAMLError as e:
            problem(name, '%s is not valid YAML: %s' % (block, e))
            continue
        if block == 'EXAMPLES':
            for task in parsed or []:
                calls = [k for k in task if k.startswith(COLLECTION + '.')]
                for call in calls:
                    if call[len(COLLECTION) + 1:] not in MODULES:
                        problem(name, 'EXAMPLES call %s, which does not exist' % call)
                if not task.get('name'):
                    problem(name, 'an EXAMPLES task has no name')
    with open(path) as f:
        if not f.readline().startswith('#!/usr/bin/python'):
            problem(name, 'the first line is not #!/usr/bin/python')

    doc = rendered_doc(name)
    if doc is None:
        return
    if doc['doc'].get('module') != name:
        problem(name, 'DOCUMENTATION names module %r' % doc['doc'].get('module'))
    for key in ('short_description', 'description', 'author', 'attributes'):
        if not doc['doc'].get(key):
            problem(name, 'DOCUMENTATION has no %s' % key)
    kwargs = declared_arguments(module_object)
    compare_options(name, doc['doc'].get('options', {}), kwargs['argument_spec'])
    check_mode = doc['doc'].get('attributes', {}).get('check_mode', {}).get('support')
    if (check_mode in ('full', 'partial')) != bool(kwargs.get('supports_check_mode')):
        problem(name, 'attributes say check_mode %s, but supports_check_mode is %r'
                % (check_mode, kwargs.get('supports_check_mode')))
    if not doc.get('return'):
        problem(name, 'RETURN is empty')
    if name not in action_group:
        problem(name, 'not in the action group aoemigrate of meta/runtime.yml')


def check_role(name):
    """A role's meta/argument_specs.yml renders with ansible-doc, and its defaults agree with it:
    every variable in defaults/main.yml is specified, with the same default (required ones have a
    placeholder default that the spec does not repeat)."""
    where = 'role ' + name
    p = subprocess.run(['ansible-doc', '-t', 'role', '--json', '%s.%s' % (COLLECTION, name)],
                       capture_output=True, text=True, check=False)
    if p.returncode != 0 or not p.stdout.strip():
        problem(where, 'ansible-doc -t role failed (%d): %s' % (p.returncode, p.stderr.strip()))
        return
    options = json.loads(p.stdout)['%s.%s' % (COLLECTION, name)]['entry_points']['main']['options']
    with open(os.path.join(ROOT, 'roles', name, 'defaults', 'main.yml')) as f:
        defaults = yaml.safe_load(f) or {}
    for var in sorted(set(defaults) | set(options)):
        if var not in options:
            problem(where, 'defaults/main.yml sets %s, which meta/argument_specs.yml does not specify' % var)
        elif not options[var].get('description'):
            problem(where, 'option %s has no description' % var)
        elif var in defaults and not options[var].get('required') and options[var].get('default') != defaults[var]:
            problem(where, 'option %s: default %r in meta/argument_specs.yml, %r in defaults/main.yml'
                    % (var, options[var].get('default'), defaults[var]))


def main():
    paths = os.environ.get('ANSIBLE_COLLECTIONS_PATH', '').split(os.pathsep)
    _AnsibleCollectionFinder(paths=paths)._install()
    with open(os.path.join(ROOT, 'meta', 'runtime.yml')) as f:
        action_group = yaml.safe_load(f)['action_groups']['aoemigrate']
    for extra in sorted(set(action_group) - set(MODULES)):
        problem('meta/runtime.yml', 'action group names %s, which is not a module' % extra)
    for name in MODULES:
        check_module(name, action_group)
    for name in ROLES:
        check_role(name)
    for p in problems:
        print('sanity: ' + p)
    print('sanity: %d modules, %d roles, %d problems' % (len(MODULES), len(ROLES), len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
