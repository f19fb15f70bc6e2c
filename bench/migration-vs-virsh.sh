#!/usr/bin/env bash
# Migration benchmark: the same guest moved alternately with bare
#   virsh migrate --live --p2p --persistent --undefinesource
# and with `aoemigrate VM HOST` (preflight, destination check, reservations, journal included),
# RUNS times each, in one lab, in one run. Prints the medians of wall time and downtime for both
# and the ratio. Not a pass/fail test: the figures depend on the machine's load.
# The daemon starts its hosts' check agents (aoe-initiator check-agent) when it starts, before the
# guest boots: that start is the daemon's, not a move's, and no timed move includes it.
# bin/ rebuilds a jar when any source is newer: run from a tree nobody edits meanwhile (a timed
# move that included a build would be meaningless; the run stops if one did).
#
#   [POLICY=YAML] [LAB_GUEST_MEMORY_MIB=MIB] [GUEST_DIRTY=MIB] bench/migration-vs-virsh.sh [RUNS]
#                                   (as root; brings the lab up and down itself; the guest has 128 MiB
#                                   unless LAB_GUEST_MEMORY_MIB says otherwise, and with GUEST_DIRTY it
#                                   keeps rewriting that much of it, as a busy guest does)
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
LAB=$ROOT/examples/lab/lab
RUNS=${1:-4}
GUEST=vm1
export LAB_TARGET=${LAB_TARGET:-daemon}   # the daemon's embedded target serves the exports

[ "$(id -u)" = 0 ] || { echo "migration-vs-virsh: run me as root" >&2; exit 1; }
if [ "$("$LAB" status)" != "no lab (namespaces: )" ]; then
  echo "migration-vs-virsh: a lab is already up; bring it down first (examples/lab/lab down)" >&2
  exit 1
fi
tmp=$(mktemp -d /tmp/migration-vs-virsh.XXXXXX)   # this run's own: other labs may run this script too
trap '"$LAB" down > /dev/null 2>&1 || true; rm -rf "$tmp"' EXIT

"$LAB" up > /dev/null
# POLICY: the inventory's policy for aoemigrate's moves, as `lab policy` takes it; unset, the
# defaults (100 ms allowed downtime, stepped up on stalls; libvirt's own default, which bare
# virsh gets, is 300 ms). The daemon reads it when `lab guest` restarts it.
[ -z "${POLICY:-}" ] || "$LAB" policy "$POLICY" > /dev/null
"$LAB" guest "$GUEST" --on hostA ${GUEST_DIRTY:+--dirty "$GUEST_DIRTY"} > /dev/null
inventory=$("$LAB" inventory)
journal=$(dirname "$inventory")/hosts/storage/aoemigrate-state/journal.jsonl   # the lab daemon's stateDir

now_ms() { date +%s%3N; }
other() { [ "$1" = hostA ] && echo hostB || echo hostA; }

# virsh: wall time around the call; downtime from the destination's completed job. Bare virsh
# knows nothing of AoE reservations, so (untimed) the disk is released first, as an operator
# migrating by hand would have to: otherwise the guest could not write on the destination.
virsh_move() {   # SRC DST -> "wall_ms downtime_ms"
  local t0 t1 downtime
  "$LAB" exec "$1" -- "$ROOT/bin/aoe-initiator" reserve e1.0 --release --force -i aoe0 -i aoe1 > /dev/null
  t0=$(now_ms)
  "$LAB" migrate "$GUEST" "$2" > /dev/null || { echo "migration-vs-virsh: virsh failed to move $GUEST to $2" >&2; exit 1; }
  t1=$(now_ms)
  downtime=$("$LAB" exec "$2" -- virsh -q -c qemu:///system domjobinfo "$GUEST" --completed 2>/dev/null \
    | awk -F: '/Total downtime/ { gsub(/[^0-9]/, "", $2); print $2 }')
  echo "$((t1 - t0)) ${downtime:-NA}"
}

# aoemigrate: wall time around the command (client, daemon, preflight, check, journal, all of it);
# downtime from its JSON result. Where the time went goes to $tmp/steps: the client's share
# (wall time less the daemon's total_ms) and the time between the migration's journal steps.
aoemigrate_move() {   # SRC DST -> "wall_ms downtime_ms"
  local t0 t1 json
  t0=$(now_ms)
  json=$("$ROOT/bin/aoemigrate" --config "$inventory" --json "$GUEST" "$2") || {
    echo "migration-vs-virsh: aoemigrate did not move $GUEST to $2: $json" >&2; exit 1; }
  t1=$(now_ms)
  python3 - "$journal" "$((t1 - t0))" "$json" >> "$tmp/steps" <<'PY'
import datetime, json, sys
result = json.loads(sys.argv[3])
at = {}
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["id"] == result["id"]:
        at[e["step"]] = datetime.datetime.fromisoformat(e["at"][:26])
ms = lambda a, b: round((at[b] - at[a]).total_seconds() * 1000)
print(int(sys.argv[2]) - result["total_ms"], ms("STARTED", "PREFLIGHT_OK"), ms("PREFLIGHT_OK", "RESERVED"),
      ms("RESERVED", "MIGRATING"), ms("MIGRATING", "CUTOVER"), ms("CUTOVER", "FINISHED"))
PY
  echo "$((t1 - t0)) $(python3 -c 'import json,sys; print(json.load(sys.stdin)["downtime_ms"])' <<< "$json")"
}

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) print "NA"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# One untimed aoemigrate move first: the launchers build what is stale, and the first run of the
# client and of the destination check after a build writes their class archives (bin/launcher.sh),
# which every later run maps. The table is of runs after that.
"$ROOT/bin/aoemigrate" --config "$inventory" --json "$GUEST" hostB > /dev/null
jars() { stat -c '%n %Y %s' "$ROOT"/orchestrator/target/*-cli.jar "$ROOT"/aoe-initiator/target/*-cli.jar; }
built=$(jars)
: > "$tmp/virsh"; : > "$tmp/aoemigrate"; : > "$tmp/steps"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
src=hostB
# Each run swaps which tool goes first, so that each moves the guest in both directions (with one
# fixed order, each tool would always move it the same way, and a difference between the hosts
# would pass for one between the tools).
for ((i = 1; i <= RUNS; i++)); do
  order="virsh aoemigrate"
  ((i % 2)) || order="aoemigrate virsh"
  for tool in $order; do
    dst=$(other "$src")
    result=$("${tool}_move" "$src" "$dst")
    printf '%-10s run %d  %s -> %s  wall %6s ms  downtime %5s ms' "$tool" "$i" "$src" "$dst" $result >&2
    if [ "$tool" = aoemigrate ]; then
      printf '  (client preflight reserve check copy cutover: %s)\n' "$(tail -n 1 "$tmp/steps")" >&2
    else
      echo >&2
    fi
    if [ "$(jars)" != "$built" ]; then
      echo "migration-vs-virsh: a jar was rebuilt during this move (sources changed under $ROOT): its time is not" \
        "comparable; run again from a tree nobody edits" >&2
      exit 1
    fi
    echo "$result" >> "$tmp/$tool"
    src=$dst
    sleep 2   # let the guest settle (and tick) between moves
  done
done

vw=$(cut -d' ' -f1 "$tmp/virsh" | median); vd=$(cut -d' ' -f2 "$tmp/virsh" | grep -v NA | median)
aw=$(cut -d' ' -f1 "$tmp/aoemigrate" | median); ad=$(cut -d' ' -f2 "$tmp/aoemigrate" | median)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "NA" }'; }
echo
echo "Live migration of $GUEST (${LAB_GUEST_MEMORY_MIB:-128} MiB TCG guest${GUEST_DIRTY:+ rewriting $GUEST_DIRTY MiB}, lab)," \
  "medians of $RUNS moves each, alternating"
echo "(load average at the first move: $load_start; after the last: $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-22s %12s %12s %8s\n' "" virsh aoemigrate ratio
printf '%-22s %12s %12s %8s\n' "wall time (ms)" "$vw" "$aw" "$(ratio "$aw" "$vw")"
printf '%-22s %12s %12s %8s\n' "downtime (ms)" "$vd" "$ad" "$(ratio "$ad" "$vd")"
echo
echo "Where aoemigrate's time went (medians, ms): client = wall time less the daemon's total_ms"
printf '%8s %10s %8s %8s %8s %9s\n' client preflight reserve check copy cutover
printf '%8s %10s %8s %8s %8s %9s\n' $(for col in 1 2 3 4 5 6; do cut -d' ' -f$col "$tmp/steps" | median; done)
