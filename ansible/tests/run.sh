#!/usr/bin/env bash
# The Ansible collection's tests (ansible/, aoemigrate.cluster).
#
# Offline, always:
#   - ansible-galaxy collection build;
#   - ansible-test sanity, the tests that need no Python package from PyPI (this machine cannot
#     reach it): compile, boilerplate, shebang, no-* and the rest;
#   - tests/sanity.py, the skipped ones by hand: each module imports, its DOCUMENTATION, EXAMPLES
#     and RETURN parse, ansible-doc renders it, its documented options match its argument_spec;
#   - ansible-playbook --syntax-check of every playbook;
#   - the roles, applied to this machine under a scratch root (tests/roles.yml).
# Against the lab, as root (LAB_NAME, default aoelab; the daemon target), with bin/aoemigrate:
#   - migrate_guest in check mode reports the move and the preflight and changes nothing;
#   - a real run moves the guest, a second run reports changed=false;
#   - a failure carries the command's own reason;
#   - rebalance in check mode returns the plan and moves nothing; a real run makes it; the second
#     run finds the cluster balanced (changed=false);
#   - drain_host empties a host and puts it back in service.
# Prints "ok"/"FAIL" per check and "ansible: N passed, M failed"; exits non-zero on any failure.
# Installs nothing: scripts/install-deps.sh brings ansible-core.
set -euo pipefail

HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
COLLECTION=$(dirname "$HERE")
ROOT=$(dirname "$COLLECTION")
PYTHON=/usr/bin/python3   # the interpreter Debian's ansible-core runs on
LAB=$ROOT/examples/lab/lab
AOEMIGRATE=${AOEMIGRATE:-$ROOT/bin/aoemigrate}

passed=0
failed=0
lab_started=no
work=$(mktemp -d /tmp/aoemigrate-ansible.XXXXXX)

check() {   # DESCRIPTION CMD...
  local what=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok   $what"
  else failed=$((failed + 1)); echo "FAIL $what"; fi
}

finish() {
  local rc=$?
  ((rc == 0)) || { failed=$((failed + 1)); echo "FAIL the test stopped early (exit status $rc); see the messages above"; }
  [ "$lab_started" = no ] || "$LAB" down > /dev/null 2>&1 || echo "ansible: lab down failed; run LAB_NAME=$LAB_NAME $LAB down" >&2
  rm -rf "$work"
  echo "ansible: $passed passed, $failed failed"
  ((failed == 0))
}
trap finish EXIT

# Ansible finds a collection at ansible_collections/NAMESPACE/NAME; a copy, since ansible-test
# refuses symlinked content and must not write into the checkout.
installed=$work/ansible_collections/aoemigrate/cluster
mkdir -p "${installed%/*}"
cp -r "$COLLECTION" "$installed"
rm -rf "$installed/tests/output"
export ANSIBLE_COLLECTIONS_PATH=$work ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 \
  ANSIBLE_LOCAL_TEMP=$work/ansible-tmp ANSIBLE_PYTHON_INTERPRETER=$PYTHON ANSIBLE_LOCALHOST_WARNING=0

echo "== offline"
# These need a virtualenv with packages from PyPI; tests/sanity.py does their checks instead.
needs_pypi=(action-plugin-docs ansible-doc import pep8 pylint runtime-metadata validate-modules yamllint)
ansible_test_sanity() {
  (cd "$installed" && ansible-test sanity --python "$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')" \
     "${needs_pypi[@]/#/--skip-test=}" 2>&1 | grep -v 'locale\|Reviewing previous' | grep -v '^Running sanity test' \
     ; exit "${PIPESTATUS[0]}")
}
galaxy_build() { ansible-galaxy collection build --output-path "$work" "$installed" > "$work/build.log" 2>&1 || { sed 's/^/     /' "$work/build.log"; return 1; }; }
check "ansible-galaxy collection build" galaxy_build
check "ansible-test sanity (every test that runs offline)" ansible_test_sanity
check "modules: import, documentation, ansible-doc, argument_spec (tests/sanity.py)" "$PYTHON" "$HERE/sanity.py"

syntax_check() {   # PLAYBOOK
  ansible-playbook -i localhost, --syntax-check "$1" > "$work/syntax.log" 2>&1 || { sed 's/^/     /' "$work/syntax.log"; return 1; }
}
for playbook in "$installed"/playbooks/*.yml "$installed"/tests/*.yml; do
  check "syntax: ${playbook#"$installed"/}" syntax_check "$playbook"
done

play() {   # RECORD PLAYBOOK ARGS...: runs it on localhost; its output in $work/RECORD.log, its results in $work/RECORD.json
  local record=$work/$1; shift
  ANSIBLE_CALLBACK_PLUGINS=$HERE/callback ANSIBLE_CALLBACKS_ENABLED=record_results AOEMIGRATE_TEST_RECORD=$record.json \
    ansible-playbook -i localhost, -c local -e aoemigrate_run_on=localhost \
    -e aoemigrate_command="$AOEMIGRATE" -e aoemigrate_config="${INVENTORY:-}" "$@" > "$record.log" 2>&1
}
play_ok() {   # RECORD PLAYBOOK ARGS...: play, showing the end of its output if it failed
  play "$@" || { tail -n 20 "$work/$1.log" | sed 's/^/     /'; return 1; }
}
value() { "$PYTHON" "$HERE/play_value.py" "$@"; }
equal() { [ "$1" = "$2" ] || { echo "     expected '$2', got '$1'"; return 1; }; }

# The roles, under a scratch root (etc and units stand for /etc and /etc/systemd/system, which a
# system has), with this checkout's jars (built by mvn package or verify).
scratch=$work/scratch
jars=$work/jars
release=$(uname -r)
mkdir -p "$jars" "$scratch/etc" "$scratch/units" "$scratch/modules-without-aoe/$release/kernel" "$scratch/modules-with-aoe/$release/kernel/drivers/block/aoe"
: > "$scratch/modules-with-aoe/$release/kernel/drivers/block/aoe/aoe.ko.xz"
for module in aoe-target aoe-initiator orchestrator; do
  jar=$(find "$ROOT/$module/target" -maxdepth 1 -name "$module-*-cli.jar" 2>/dev/null | head -n 1)
  [ -n "$jar" ] || { echo "ansible: no $module jar in $ROOT/$module/target: build first (mvn -DskipTests package)" >&2; exit 1; }
  cp "$jar" "$jars/${module/orchestrator/aoemigrate}.jar"
done
roles_play() { play_ok "$1" "$HERE/roles.yml" -e scratch="$scratch" -e jar_dir="$jars"; }   # RECORD
contains() { grep -qxF -- "$2" "$1" || { echo "     no line '$2' in $1"; return 1; }; }
runs() { "$@" > /dev/null 2>&1 || { echo "     failed: $*"; return 1; }; }
exits_with() {   # STATUS CMD...
  local want=$1 rc=0; shift
  "$@" > /dev/null 2>&1 || rc=$?
  [ "$rc" = "$want" ] || { echo "     $*: exit status $rc, expected $want"; return 1; }
}
units_verify() { (cd "$scratch/units" && systemd-analyze verify --man=no ./*.service 2>&1 | grep -v 'network-online\|^$' | sed 's/^/     /'; exit "${PIPESTATUS[0]}"); }
check "roles: the first run succeeds" roles_play roles
check "roles: the second run changes nothing" equal "$(roles_play roles-again && value "$work/roles-again.json" stats changed)" 0
check "roles: aoe-target runs from its launcher" runs "$scratch/bin/aoe-target" --version
check "roles: aoe-initiator runs from its launcher" runs "$scratch/bin/aoe-initiator" --version
check "roles: aoemigrate reads the inventory it was given (exit 5: no daemon, not 6: unreadable)" \
  exits_with 5 "$scratch/bin/aoemigrate" --config "$scratch/etc/aoemigrate/inventory.yaml" status
archived() { compgen -G "$scratch/lib/aoemigrate.jar.*.jsa" > /dev/null; }
check "roles: that short run left its class archive beside the jar, for the next ones" archived
check "roles: the next run maps it and answers the same" \
  exits_with 5 "$scratch/bin/aoemigrate" --config "$scratch/etc/aoemigrate/inventory.yaml" status
archives_of_a_replaced_jar_go() {   # another jar installed in its place, then the first one again
  local kept=$work/aoemigrate.jar.kept rc=0
  mv "$jars/aoemigrate.jar" "$kept" && cp "$jars/aoe-initiator.jar" "$jars/aoemigrate.jar" || return 1
  { roles_play roles-other-jar && ! archived; } || rc=1
  mv -f "$kept" "$jars/aoemigrate.jar" && roles_play roles-jar-back || rc=1
  return "$rc"
}
check "roles: installing another jar removes the class archives of the one it replaced" archives_of_a_replaced_jar_go
check "roles: the target's unit grants CAP_NET_RAW, not root" contains "$scratch/units/aoe-target.service" "AmbientCapabilities=CAP_NET_RAW"
check "roles: the daemon's unit grants CAP_NET_RAW, not root" contains "$scratch/units/aoemigrate-daemon.service" "AmbientCapabilities=CAP_NET_RAW"
check "roles: without the aoe module, aoe-etherd attaches on the interfaces" \
  contains "$scratch/units/aoe-etherd.service" "ExecStart=$scratch/bin/aoe-initiator attach -i eth1 -i eth2 --dead-secs 180"
check "roles: with the aoe module, the driver is limited to the interfaces" \
  contains "$scratch/etc/modprobe.d/aoe.conf" 'options aoe aoe_iflist="eth1 eth2"'
check "roles: the units pass systemd-analyze verify" units_verify

if [ "$(id -u)" != 0 ]; then
  echo "ansible: not root: the lab part is skipped"
  exit 0
fi

echo "== against the lab"
export LAB_NAME=${LAB_NAME:-aoelab} LAB_TARGET=daemon LAB_AOEMIGRATE=$AOEMIGRATE
"$LAB" down > /dev/null 2>&1 || true   # leftovers of an earlier run
lab_started=yes
# guestMemoryMiB 400 per host: two 128 MiB guests on one host and none on the other is uneven
# enough for the planner (the lab's hosts share this machine's RAM, which would dwarf them)
"$LAB" up --guest-memory hostA=400,hostB=400
"$LAB" guest vm1 --on hostA
INVENTORY=$("$LAB" inventory)

status_json() { "$AOEMIGRATE" --json --config "$INVENTORY" status; }
history_count() { "$AOEMIGRATE" --json --config "$INVENTORY" history | "$PYTHON" -c 'import json,sys; print(len(json.load(sys.stdin)["migrations"]))'; }
runs_on() {   # GUEST: the hosts where the daemon sees it running
  status_json | "$PYTHON" -c 'import json,sys
print(",".join(h["name"] for h in json.load(sys.stdin)["hosts"] for g in h["guests"] if g["name"] == sys.argv[1] and g["state"] == "running"))' "$1"
}
reservations() { status_json | "$PYTHON" -c 'import json,sys; print(json.dumps([e["reservation"] for e in json.load(sys.stdin)["exports"]]))'; }

history_before=$(history_count)
reserved_before=$(reservations)
TASK="Run the guest on the host"
check "check mode: the play succeeds" play_ok check aoemigrate.cluster.migrate_guest -e guest=vm1 -e host=hostB --check
check "check mode: reports the move as a change" equal "$(value "$work/check.json" task "$TASK" changed)" true
check "check mode: the plan is hostA -> hostB" equal "$(value "$work/check.json" task "$TASK" source)-$(value "$work/check.json" task "$TASK" host)" hostA-hostB
check "check mode: the preflight passed" equal "$(value "$work/check.json" task "$TASK" preflight.passed)" true
check "check mode: vm1 still runs on hostA" equal "$(runs_on vm1)" hostA
check "check mode: no migration in the journal" equal "$(history_count)" "$history_before"
check "check mode: the reservations are unchanged" equal "$(reservations)" "$reserved_before"

check "real run: the play succeeds" play_ok move aoemigrate.cluster.migrate_guest -e guest=vm1 -e host=hostB
check "real run: changed" equal "$(value "$work/move.json" stats changed)" 1
check "real run: the migration succeeded" equal "$(value "$work/move.json" task "$TASK" migration.outcome)" succeeded
check "real run: vm1 runs on hostB" equal "$(runs_on vm1)" hostB
check "real run: one migration in the journal" equal "$(history_count)" "$((history_before + 1))"

check "second run: the play succeeds" play_ok again aoemigrate.cluster.migrate_guest -e guest=vm1 -e host=hostB
check "second run: changed=false" equal "$(value "$work/again.json" stats changed)" 0
check "second run: no migration in the journal" equal "$(history_count)" "$((history_before + 1))"

check "aoemigrate_info: the play succeeds" play_ok info "$HERE/where.yml"
check "aoemigrate_info: vm1 runs on hostB" equal "$(value "$work/info.json" task "Read the cluster" guests.vm1)" hostB
check "aoemigrate_facts: the fact aoemigrate says vm1 runs on hostB" equal "$(value "$work/info.json" task "Show the fact" msg)" hostB

fails_with() {   # RECORD TEXT: the play failed, and its task's message contains TEXT
  if [ "$(value "$work/$1.json" stats failures)" = 0 ] || ! grep -qF -- "$2" "$work/$1.json"; then
    echo "     no failure saying '$2' in $work/$1.json"; return 1
  fi
}
play unknown aoemigrate.cluster.migrate_guest -e guest=vm1 -e host=hostZ || true
check "a host outside the inventory fails with the reason" fails_with unknown "host hostZ is not in the aoemigrate inventory"
play noconfig aoemigrate.cluster.migrate_guest -e guest=vm1 -e host=hostA -e aoemigrate_config=/nonexistent/inventory.yaml || true
check "the command's reason reaches the failure (exit status 6)" fails_with noconfig "no inventory at /nonexistent/inventory.yaml"

# Rebalance: vm2 joins vm1 on hostB, hostA has none.
"$LAB" guest vm2 --on hostB
placement() { echo "vm1:$(runs_on vm1) vm2:$(runs_on vm2)"; }
before=$(placement)
history_before=$(history_count)
check "rebalance check mode: the play succeeds" play_ok plan aoemigrate.cluster.rebalance --check
matches() { [[ $1 =~ $2 ]] || { echo "     '$1' does not match $2"; return 1; }; }
check "rebalance check mode: the plan moves one guest from hostB to hostA" \
  matches "$(value "$work/plan.json" task Rebalance moves)" '^\["vm[12] hostB -> hostA"\]$'
check "rebalance check mode: the plan is a dry run" equal "$(value "$work/plan.json" task Rebalance rebalance.outcome)" planned
check "rebalance check mode: nothing moved" equal "$(placement)" "$before"
check "rebalance check mode: no migration in the journal" equal "$(history_count)" "$history_before"
check "rebalance: the play succeeds" play_ok balance aoemigrate.cluster.rebalance
check "rebalance: changed" equal "$(value "$work/balance.json" stats changed)" 1
check "rebalance: one guest on each host" matches "$(placement)" '^vm1:host(A vm2:hostB|B vm2:hostA)$'
check "rebalance again: changed=false (balanced)" play_ok balanced aoemigrate.cluster.rebalance
check "rebalance again: changed=false" equal "$(value "$work/balanced.json" stats changed)" 0

# Drain: hostB holds one guest now.
check "drain_host: the play succeeds" play_ok drain aoemigrate.cluster.drain_host -e host=hostB
check "drain_host: the drain moved every guest off hostB" equal "$(value "$work/drain.json" task "Drain the host" drain.outcome) $(value "$work/drain.json" task "Drain the host" guests)" "succeeded []"
check "drain_host: hostB was in maintenance after the drain" equal "$(value "$work/drain.json" task "Drain the host" maintenance)" true
check "drain_host: both guests run on hostA" equal "$(placement)" "vm1:hostA vm2:hostA"
check "drain_host: hostB is back in service" equal "$(status_json | "$PYTHON" -c 'import json,sys; print([h["maintenance"] for h in json.load(sys.stdin)["hosts"] if h["name"] == "hostB"][0])')" False
