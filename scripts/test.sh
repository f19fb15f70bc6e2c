#!/usr/bin/env bash
# Runs every test: unit tests (surefire, *Test), integration tests (failsafe, *IT: network
# namespaces, veth, raw sockets, vblade and aoetools as peers, FUSE and loop devices), then the
# lab's end-to-end test (real libvirtd and QEMU, live migrations). Needs root for all but the unit
# tests; installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
if [ "$(id -u)" != 0 ]; then
  echo "test.sh: not root: only the unit tests can run (mvn test)" >&2
  exec mvn -B -ntp test "$@"
fi

mvn -B -ntp verify "$@"
bash examples/lab/test-lab.sh
bash ansible/tests/run.sh
