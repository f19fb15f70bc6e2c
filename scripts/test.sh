#!/usr/bin/env bash
# Runs every test: unit tests (surefire, *Test) and integration tests (failsafe, *IT: network
# namespaces, veth, raw sockets, vblade and aoetools as peers). Needs root for the integration
# tests; installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
if [ "$(id -u)" != 0 ]; then
  echo "test.sh: not root: the integration tests (namespaces, raw sockets) will be skipped" >&2
fi
exec mvn -B -ntp verify "$@"
