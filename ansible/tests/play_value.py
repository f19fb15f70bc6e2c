"""One value out of an ansible-playbook run recorded by tests/callback/record_results.py.

  python3 play_value.py RUN.json stats KEY               the recap's KEY (ok, changed, failures, ...) for the one host
  python3 play_value.py RUN.json task 'TASK NAME' PATH   a dotted path into that task's last result (e.g. preflight.passed)

Prints the value as JSON (strings without quotes); exits 1 with a message if it is not there."""

import json
import sys


def main(run_file, kind, *args):
    with open(run_file) as f:
        run = json.load(f)
    if kind == 'stats':
        (host_stats,) = run['stats'].values()
        value = host_stats[args[0]]
    else:
        name, path = args
        results = [t['result'] for t in run['tasks'] if t['name'] == name]
        if not results:
            sys.exit('play_value: no task named %r in %s' % (name, run_file))
        value = results[-1]
        for key in path.split('.'):
            if not isinstance(value, dict) or key not in value:
                sys.exit('play_value: task %r has no %s (at %s) in %s' % (name, path, key, run_file))
            value = value[key]
    print(value if isinstance(value, str) else json.dumps(value))


if __name__ == '__main__':
    main(*sys.argv[1:])
