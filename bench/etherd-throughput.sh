#!/usr/bin/env bash
# etherd-throughput.sh: the userspace /dev/etherd (aoe-initiator attach: FUSE + loop, direct I/O)
# against the initiator library reading the same export directly (aoe-initiator bench).
#
# For each MTU it builds one setup: two network namespaces (aoemt-ebench-<pid>-t and -i) joined by
# a veth pair, our aoe-target serving an image as e1.1 (-b 64) pinned to the last CPU. In the same
# run it measures, sequential read and sequential write:
#   etherd    dd with O_DIRECT, 1 MiB blocks, over the whole device node made by `attach`
#             (attach runs in the initiator namespace in a private mount namespace; attach and dd
#             pinned to the first CPU)
#   library   aoe-initiator bench, window 64, one frame per I/O (the library at its best)
# RUNS runs each; prints the medians and the ratios etherd/library. Not a pass/fail test: figures
# on a shared machine move by tens of percent.
#
# Needs root, iproute2, util-linux, java, /dev/fuse and loop devices. Everything it creates
# (namespaces, processes, loop devices, the image) is removed on exit, also on Ctrl-C or failure;
# processes are stopped by PID.
#
# Environment:
#   RUNS=3 SECONDS_PER_RUN=5 IMAGE_MIB=512 MTUS="1500 9000"
#   INITIATOR_JAR / TARGET_JAR   the shaded jars (default: the newest built ones under */target*/)
set -euo pipefail

RUNS=${RUNS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}
IMAGE_MIB=${IMAGE_MIB:-512}
MTUS=${MTUS:-"1500 9000"}
WINDOW=64
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)

die() { echo "etherd-throughput: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (network namespaces, raw sockets, FUSE, loop devices)"
command -v ip >/dev/null || die "needs ip (apt-get install iproute2)"
command -v unshare >/dev/null || die "needs unshare (apt-get install util-linux)"
[ -e /dev/fuse ] || die "needs /dev/fuse (apt-get install fuse3; modprobe fuse)"

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

WORK=$(mktemp -d /tmp/aoemt-ebench-XXXXXX)
RUN_DIR=/run/aoemt-eb$$ # short: a loop device records 63 bytes of its file's path
NS_T=aoemt-ebench-$$-t
NS_I=aoemt-ebench-$$-i
TARGET_PID=
ATTACH_PID=

stop_pid() { # stop_pid PID: SIGTERM, wait up to 60 s, then SIGKILL
  local pid=$1
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
teardown_setup() {
  if [ -n "$ATTACH_PID" ]; then stop_pid "$ATTACH_PID"; ATTACH_PID=; fi # its SIGTERM detaches loop and node
  if [ -n "$TARGET_PID" ]; then stop_pid "$TARGET_PID"; TARGET_PID=; fi
  ip netns del "$NS_T" 2>/dev/null || true
  ip netns del "$NS_I" 2>/dev/null || true
}
cleanup() {
  teardown_setup
  rm -rf "$WORK" "$RUN_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "etherd-throughput: image ${IMAGE_MIB} MiB, $RUNS runs per figure, target on cpu $TARGET_CPU, initiator on cpu $INITIATOR_CPU" >&2
head -c $((IMAGE_MIB * 1024 * 1024)) /dev/urandom > "$WORK/disk.img"

# setup MTU: fresh namespaces, veth vT <-> vI at MTU, aoe-target serving e1.1 on vT
setup() {
  local mtu=$1 log=$WORK/target.log
  ip netns add "$NS_T"
  ip netns add "$NS_I"
  ip -n "$NS_T" link add vT mtu "$mtu" type veth peer name vI netns "$NS_I" mtu "$mtu"
  ip -n "$NS_T" link set lo up; ip -n "$NS_I" link set lo up
  ip -n "$NS_T" link set vT up; ip -n "$NS_I" link set vI up
  : > "$log"
  ip netns exec "$NS_T" taskset -c "$TARGET_CPU" java -jar "$TARGET_JAR" --state-dir "$WORK/state" \
    --probe-wait 0 -b $WINDOW 1 1 vT "$WORK/disk.img" >"$log" 2>&1 </dev/null &
  TARGET_PID=$!
  for _ in $(seq 1 300); do
    grep -q 'e1\.1,' "$log" && return 0
    kill -0 "$TARGET_PID" 2>/dev/null || { cat "$log" >&2; die "aoe-target did not start"; }
    sleep 0.1
  done
  cat "$log" >&2
  die "aoe-target did not report e1.1 within 30 s"
}

# attach: aoe-initiator attach in the initiator namespace (own mount namespace), nodes in $WORK/dev
attach() {
  local log=$WORK/attach.log
  : > "$log"
  ip netns exec "$NS_I" unshare -m --propagation private taskset -c "$INITIATOR_CPU" java -jar "$INITIATOR_JAR" attach -i vI \
    --dir "$WORK/dev" --run-dir "$RUN_DIR" e1.1 >"$log" 2>&1 </dev/null &
  ATTACH_PID=$!
  for _ in $(seq 1 600); do
    grep -q 'ready' "$log" && { grep '^e1\.1 ' "$log" | sed 's/^/  /' >&2; return 0; }
    kill -0 "$ATTACH_PID" 2>/dev/null || { cat "$log" >&2; die "attach did not start"; }
    sleep 0.1
  done
  cat "$log" >&2
  die "attach did not print its ready line within 60 s"
}

# bench ARGS...: one library run; prints MiB/s
bench() {
  local line
  line=$(ip netns exec "$NS_I" taskset -c "$INITIATOR_CPU" java -jar "$INITIATOR_JAR" bench e1.1 -i vI \
           --seconds "$SECONDS_PER_RUN" "$@") || die "bench $* failed: $line"
  echo "$line" | sed -E 's/.*: ([0-9.]+) MiB\/s, .*/\1/'
}

# dd_run read|write: the whole node with O_DIRECT in 1 MiB blocks; prints MiB/s
dd_run() {
  local node=$WORK/dev/e1.1 out start end
  start=$(date +%s.%N)
  if [ "$1" = read ]; then
    out=$(taskset -c "$INITIATOR_CPU" dd if="$node" of=/dev/null bs=1M count="$IMAGE_MIB" iflag=direct 2>&1) || die "dd read failed: $out"
  else
    out=$(taskset -c "$INITIATOR_CPU" dd if=/dev/zero of="$node" bs=1M count="$IMAGE_MIB" oflag=direct conv=fsync 2>&1) || die "dd write failed: $out"
  fi
  end=$(date +%s.%N)
  awk -v mib="$IMAGE_MIB" -v s="$start" -v e="$end" 'BEGIN { printf "%.1f\n", mib / (e - s) }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "NA"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "NA" }'; }

declare -A RESULT
for mtu in $MTUS; do
  setup "$mtu"
  for dir in read write; do
    : > "$WORK/lib"
    for run in $(seq 1 "$RUNS"); do
      bench "--$dir" --window $WINDOW >> "$WORK/lib"
      echo "  mtu $mtu $dir run $run: library $(tail -n 1 "$WORK/lib") MiB/s" >&2
    done
    RESULT[$mtu,$dir,lib]=$(median < "$WORK/lib")
  done
  attach
  for dir in read write; do
    : > "$WORK/dd"
    for run in $(seq 1 "$RUNS"); do
      dd_run "$dir" >> "$WORK/dd"
      echo "  mtu $mtu $dir run $run: etherd dd $(tail -n 1 "$WORK/dd") MiB/s" >&2
    done
    RESULT[$mtu,$dir,dd]=$(median < "$WORK/dd")
  done
  teardown_setup
done

echo
echo "Sequential throughput over veth to aoe-target: /dev/etherd (dd O_DIRECT, 1 MiB) vs the initiator library (aoe-initiator bench); medians of $RUNS runs"
printf '%-6s %-6s %14s %16s %7s\n' MTU dir "etherd MiB/s" "library MiB/s" ratio
for mtu in $MTUS; do
  for dir in read write; do
    dd=${RESULT[$mtu,$dir,dd]}; lib=${RESULT[$mtu,$dir,lib]}
    printf '%-6s %-6s %14s %16s %7s\n' "$mtu" "$dir" "$dd" "$lib" "$(ratio "$dd" "$lib")"
  done
done
echo "(etherd: one 1 MiB request at a time through FUSE and the loop device, whole device per run; library: window $WINDOW,"
echo " one frame per I/O, ${SECONDS_PER_RUN} s per run; ratio: etherd / library)"
