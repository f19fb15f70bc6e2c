#!/usr/bin/env bash
# aoe-throughput.sh: our AoE target vs vblade, measured with our initiator's bench.
#
# For each MTU (1500, 9000) and each target (our aoe-target, Debian's vblade) it builds the
# same setup from scratch: two network namespaces (aoemt-bench-<pid>-t and -i) joined by one
# veth pair, the same image served as e1.1 with a 64-request buffer (-b 64), the target pinned
# to the last CPU and the initiator to the first. It then runs `aoe-initiator bench` with
# window 64 for: sequential read, sequential write, random 4 KiB read; RUNS runs of SECONDS
# each, and prints the medians side by side with the ratio ours/vblade. Not a pass/fail test:
# figures on a shared machine move by tens of percent.
#
# Needs root, iproute2, vblade, java. Everything it creates (namespaces, processes, the image)
# is removed on exit, also on Ctrl-C or failure. Processes are stopped by PID.
#
# Environment:
#   RUNS=3 SECONDS_PER_RUN=5 IMAGE_MIB=256 MTUS="1500 9000"
#   INITIATOR_JAR / TARGET_JAR   the shaded jars (default: built ones under */target/)
set -euo pipefail

RUNS=${RUNS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}
IMAGE_MIB=${IMAGE_MIB:-256}
MTUS=${MTUS:-"1500 9000"}
WINDOW=64
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)

die() { echo "aoe-throughput: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (network namespaces, raw sockets)"
command -v vblade >/dev/null || die "needs vblade (apt-get install vblade)"
command -v ip >/dev/null || die "needs ip (apt-get install iproute2)"

jar() { # the shaded jar of a module, from $2 if set, else the newest built one
  local module=$1 given=$2 found
  if [ -n "$given" ]; then echo "$given"; return; fi
  found=$(ls -t "$ROOT/$module"/target*/"$module"-*-cli.jar 2>/dev/null | head -n 1 || true)
  [ -n "$found" ] || die "no $module jar; build it: (cd $ROOT && mvn -B -DskipTests package -pl $module -am)"
  echo "$found"
}
INITIATOR_JAR=$(jar aoe-initiator "${INITIATOR_JAR:-}")
TARGET_JAR=$(jar aoe-target "${TARGET_JAR:-}")

CPUS=$(nproc)
TARGET_CPU=$((CPUS - 1))
INITIATOR_CPU=0

WORK=$(mktemp -d /tmp/aoemt-bench-XXXXXX)
NS_T=aoemt-bench-$$-t
NS_I=aoemt-bench-$$-i
TARGET_PID=

teardown_setup() {
  if [ -n "$TARGET_PID" ]; then
    kill "$TARGET_PID" 2>/dev/null || true
    wait "$TARGET_PID" 2>/dev/null || true
    TARGET_PID=
  fi
  ip netns del "$NS_T" 2>/dev/null || true
  ip netns del "$NS_I" 2>/dev/null || true
}
cleanup() {
  teardown_setup
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "aoe-throughput: image ${IMAGE_MIB} MiB, window $WINDOW, $RUNS x ${SECONDS_PER_RUN} s per figure," \
     "target on cpu $TARGET_CPU, initiator on cpu $INITIATOR_CPU" >&2
head -c $((IMAGE_MIB * 1024 * 1024)) /dev/urandom > "$WORK/disk.img"

# setup KIND MTU: fresh namespaces, veth vT <-> vI at MTU, the target serving e1.1 on vT
setup() {
  local kind=$1 mtu=$2 log=$WORK/target.log
  ip netns add "$NS_T"
  ip netns add "$NS_I"
  ip -n "$NS_T" link add vT mtu "$mtu" type veth peer name vI netns "$NS_I" mtu "$mtu"
  ip -n "$NS_T" link set lo up; ip -n "$NS_I" link set lo up
  ip -n "$NS_T" link set vT up; ip -n "$NS_I" link set vI up
  : > "$log"
  if [ "$kind" = vblade ]; then
    ip netns exec "$NS_T" taskset -c "$TARGET_CPU" vblade -b $WINDOW 1 1 vT "$WORK/disk.img" >"$log" 2>&1 </dev/null &
  else
    ip netns exec "$NS_T" taskset -c "$TARGET_CPU" java -jar "$TARGET_JAR" --state-dir "$WORK/state" \
      --probe-wait 0 -b $WINDOW 1 1 vT "$WORK/disk.img" >"$log" 2>&1 </dev/null &
  fi
  TARGET_PID=$!
  for _ in $(seq 1 300); do
    grep -q 'e1\.1,' "$log" && return 0
    kill -0 "$TARGET_PID" 2>/dev/null || { cat "$log" >&2; die "$kind did not start"; }
    sleep 0.1
  done
  cat "$log" >&2
  die "$kind did not report e1.1 within 30 s"
}

# bench ARGS...: one run; prints "MiB/s retransmissions cpu-us-per-request"
bench() {
  local line
  line=$(ip netns exec "$NS_I" taskset -c "$INITIATOR_CPU" java -jar "$INITIATOR_JAR" bench e1.1 -i vI \
           --window $WINDOW --seconds "$SECONDS_PER_RUN" "$@") || die "bench $* failed: $line"
  echo "$line" | sed -E 's/.*: ([0-9.]+) MiB\/s, .* requests\/s, ([0-9]+) retransmissions, CPU [0-9]+% of a core \(([0-9.]+) us per request\).*/\1 \2 \3/'
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "NA"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

WORKLOADS=("seq-read:--read" "seq-write:--write" "rand-4k-read:--read --random --block 4096")
declare -A RESULT

for mtu in $MTUS; do
  for kind in aoe-target vblade; do
    setup "$kind" "$mtu"
    for w in "${WORKLOADS[@]}"; do
      name=${w%%:*}; args=${w#*:}
      : > "$WORK/runs"
      for run in $(seq 1 "$RUNS"); do
        # shellcheck disable=SC2086
        bench $args >> "$WORK/runs"
        echo "  mtu $mtu $kind $name run $run: $(tail -n 1 "$WORK/runs" | awk '{print $1 " MiB/s, " $2 " retransmissions, " $3 " us CPU per request"}')" >&2
      done
      RESULT[$mtu,$kind,$name,mib]=$(awk '{print $1}' "$WORK/runs" | median)
      RESULT[$mtu,$kind,$name,retx]=$(awk '{print $2}' "$WORK/runs" | median)
      RESULT[$mtu,$kind,$name,cpu]=$(awk '{print $3}' "$WORK/runs" | median)
    done
    teardown_setup
  done
done

echo
echo "AoE throughput, our initiator (aoe-initiator bench, window $WINDOW) against each target; medians of $RUNS x ${SECONDS_PER_RUN} s"
printf '%-6s %-13s %12s %12s %7s %10s %10s %11s %11s\n' MTU workload "ours MiB/s" "vblade MiB/s" ratio \
  "ours retx" "vblade retx" "ours us/req" "vbl us/req"
for mtu in $MTUS; do
  for w in "${WORKLOADS[@]}"; do
    name=${w%%:*}
    ours=${RESULT[$mtu,aoe-target,$name,mib]}; theirs=${RESULT[$mtu,vblade,$name,mib]}
    ratio=$(awk -v a="$ours" -v b="$theirs" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "NA" }')
    printf '%-6s %-13s %12s %12s %7s %10s %10s %11s %11s\n' "$mtu" "$name" "$ours" "$theirs" "$ratio" \
      "${RESULT[$mtu,aoe-target,$name,retx]}" "${RESULT[$mtu,vblade,$name,retx]}" \
      "${RESULT[$mtu,aoe-target,$name,cpu]}" "${RESULT[$mtu,vblade,$name,cpu]}"
  done
done
echo "(us/req: the initiator's CPU time per AoE request; retx: retransmissions per run)"
