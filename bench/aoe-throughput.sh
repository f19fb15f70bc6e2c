#!/usr/bin/env bash
# aoe-throughput.sh: our AoE target vs vblade, measured with our initiator's bench.
#
# For each MTU (1500, 9000) it builds two identical setups from scratch, one per target (our
# aoe-target, Debian's vblade): two network namespaces (NS_PREFIX-<pid>-<kind>-t and -i) joined
# by one veth pair, the same image served as e1.1 with a 64-request buffer (-b 64), the target
# pinned to the last CPU and the initiator to the first. After an unmeasured warm-up run on
# each, it runs `aoe-initiator bench` with window 64 for: sequential read, sequential write,
# random 4 KiB read; RUNS runs of SECONDS each, alternating ours and vblade run by run so both
# see the same machine, and prints the medians side by side with the ratio ours/vblade. Per
# run it also takes the target's CPU time (utime + stime from /proc/PID/stat, divided by the
# AoE requests answered). Frames the kernel dropped at the target's socket are counted over
# all runs of an MTU: for vblade the socket's skmem d counter (ss -m), for ours the kernel's
# own count (PACKET_STATISTICS) that it prints when it stops, because frames that find its
# receive ring full do not show in skmem d. Not a pass/fail test: figures on a shared machine
# move by tens of percent.
#
# Two I/O modes (MODES): "buffered", both targets through the page cache, which holds the image,
# so every read takes microseconds and both targets are limited by the CPU; and "direct", both
# targets with O_DIRECT (vblade -d, ours -d), so every read waits for the disk. The direct runs
# need the image on a disk file system (IMAGE_DIR, not tmpfs); before each direct run the image's
# cached pages are dropped with dd iflag=nocache (posix_fadvise DONTNEED on that file only), though
# O_DIRECT reads do not use them anyway. Direct mode runs only the reads: ours makes direct writes
# durable at reply (O_DSYNC too), vblade -d does not, so their writes are not comparable.
#
# Needs root, iproute2, vblade, java. Everything it creates (namespaces, processes, the image)
# is removed on exit, also on Ctrl-C or failure. Processes are stopped by PID.
#
# Environment:
#   RUNS=3 SECONDS_PER_RUN=5 IMAGE_MIB=256 MTUS="1500 9000" MODES="buffered direct"
#   IMAGE_DIR=/var/tmp           where the image is written: a disk file system that allows O_DIRECT
#   WARMUP_SECONDS=5             the unmeasured first run on each target (its JIT compiles the hot
#                                path: a target that has served a while is warm)
#   ONLY="seq-read rand-4k-read"  a subset of the workloads (default: all three)
#   NS_PREFIX=aoemt-bench        namespace names start with it (must start with aoemt-), so
#                                parallel users can keep theirs apart
#   INITIATOR_JAR / TARGET_JAR   the shaded jars (default: built ones under */target/)
#   TARGET_JAVA_OPTS=""          JVM options of our target, e.g. -Daoemigrate.target.ioThreads=32
#   INITIATOR_JAVA_OPTS="-Xms512m -XX:+AlwaysPreTouch"  JVM options of the benchmark client: its
#                                heap is touched at start, so a run does not pay the kernel for
#                                zeroing fresh heap pages (12% of its CPU time in a short run)
set -euo pipefail

RUNS=${RUNS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}
WARMUP_SECONDS=${WARMUP_SECONDS:-5}
IMAGE_MIB=${IMAGE_MIB:-256}
MTUS=${MTUS:-"1500 9000"}
MODES=${MODES:-"buffered direct"}
IMAGE_DIR=${IMAGE_DIR:-/var/tmp}
NS_PREFIX=${NS_PREFIX:-aoemt-bench}
INITIATOR_JAVA_OPTS=${INITIATOR_JAVA_OPTS--Xms512m -XX:+AlwaysPreTouch}
TARGET_JAVA_OPTS=${TARGET_JAVA_OPTS:-}
WINDOW=64
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)

die() { echo "aoe-throughput: $*" >&2; exit 1; }
case $NS_PREFIX in aoemt-*) ;; *) die "NS_PREFIX=$NS_PREFIX must start with aoemt-" ;; esac

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
CLK_TCK=$(getconf CLK_TCK)
TARGET_CPU=$((CPUS - 1))
INITIATOR_CPU=0
KINDS=(aoe-target vblade)

WORK=$(mktemp -d /tmp/aoemt-bench-XXXXXX)
IMAGE_WORK=$(mktemp -d "$IMAGE_DIR/aoemt-bench-XXXXXX")
IMAGE=$IMAGE_WORK/disk.img
declare -A TARGET_PID
declare -A RESULT
MTU_NOW=
MODE_NOW=

ns() { echo "$NS_PREFIX-$$-$1-$2"; } # ns KIND t|i

# teardown_setups: stops both targets (recording the frames their sockets dropped at MTU_NOW)
# and removes their namespaces
teardown_setups() {
  local kind
  for kind in "${KINDS[@]}"; do
    if [ -n "${TARGET_PID[$kind]:-}" ]; then
      if [ "$kind" = vblade ]; then RESULT[$MODE_NOW,$MTU_NOW,$kind,drops]=$(socket_drops "$kind"); fi
      kill "${TARGET_PID[$kind]}" 2>/dev/null || true
      wait "${TARGET_PID[$kind]}" 2>/dev/null || true
      TARGET_PID[$kind]=
      # its stop line: "... frames dropped by the kernel: vT N"
      if [ "$kind" = aoe-target ]; then
        RESULT[$MODE_NOW,$MTU_NOW,$kind,drops]=$(sed -n 's/.*frames dropped by the kernel: vT \([0-9]*\).*/\1/p' "$WORK/$kind.log" | tail -n 1)
      fi
    fi
    ip netns del "$(ns "$kind" t)" 2>/dev/null || true
    ip netns del "$(ns "$kind" i)" 2>/dev/null || true
  done
}
cleanup() {
  teardown_setups
  rm -rf "$WORK" "$IMAGE_WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "aoe-throughput: image ${IMAGE_MIB} MiB, window $WINDOW, $RUNS x ${SECONDS_PER_RUN} s per figure," \
     "target on cpu $TARGET_CPU, initiator on cpu $INITIATOR_CPU" >&2
head -c $((IMAGE_MIB * 1024 * 1024)) /dev/urandom > "$IMAGE"
sync "$IMAGE"
case " $MODES " in *" direct "*)
  dd if="$IMAGE" of=/dev/null bs=4096 count=1 iflag=direct status=none 2>/dev/null ||
    die "$IMAGE_DIR does not allow O_DIRECT (tmpfs?); set IMAGE_DIR to a directory on a disk file system" ;;
esac

# drop_cached_image: the image's pages leave the page cache (posix_fadvise DONTNEED on this one
# file, through dd); the machine's other caches are left alone
drop_cached_image() { dd if="$IMAGE" iflag=nocache count=0 status=none; }

# setup KIND MTU MODE: fresh namespaces, veth vT <-> vI at MTU, the target serving e1.1 on vT,
# through the page cache (MODE buffered) or with O_DIRECT (direct: -d for both)
setup() {
  local kind=$1 mtu=$2 mode=$3 log=$WORK/$1.log nst nsi direct=
  [ "$mode" = direct ] && direct=-d
  nst=$(ns "$kind" t); nsi=$(ns "$kind" i)
  ip netns add "$nst"
  ip netns add "$nsi"
  ip -n "$nst" link add vT mtu "$mtu" type veth peer name vI netns "$nsi" mtu "$mtu"
  ip -n "$nst" link set lo up; ip -n "$nsi" link set lo up
  ip -n "$nst" link set vT up; ip -n "$nsi" link set vI up
  : > "$log"
  if [ "$kind" = vblade ]; then
    ip netns exec "$nst" taskset -c "$TARGET_CPU" vblade $direct -b $WINDOW 1 1 vT "$IMAGE" >"$log" 2>&1 </dev/null &
  else
    # shellcheck disable=SC2086 # the options are words
    ip netns exec "$nst" taskset -c "$TARGET_CPU" java $TARGET_JAVA_OPTS -jar "$TARGET_JAR" --state-dir "$WORK/state" \
      --probe-wait 0 $direct -b $WINDOW 1 1 vT "$IMAGE" >"$log" 2>&1 </dev/null &
  fi
  TARGET_PID[$kind]=$!
  for _ in $(seq 1 300); do
    grep -q 'e1\.1,' "$log" && return 0
    kill -0 "${TARGET_PID[$kind]}" 2>/dev/null || { cat "$log" >&2; die "$kind did not start"; }
    sleep 0.1
  done
  cat "$log" >&2
  die "$kind did not report e1.1 within 30 s"
}

# cpu_ticks PID: the process's user + system CPU time so far, in clock ticks
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# socket_drops KIND: frames the kernel dropped at the target's packet sockets (skmem d, the
# socket's sk_drops, never reset by reading); used for vblade, whose socket has no ring
socket_drops() {
  ip netns exec "$(ns "$1" t)" ss -f link -m -p -n 2>/dev/null | awk -v pid="pid=${TARGET_PID[$1]}," '
    index($0, pid) { found = 1 }
    found && match($0, /,d[0-9]+\)/) { sum += substr($0, RSTART + 2, RLENGTH - 3); found = 0 }
    END { print sum + 0 }'
}

# bench KIND ARGS...: one run; prints "MiB/s requests/s retransmissions initiator-us/req target-us/req
# initiator-%-of-a-core target-%-of-a-core" (a side near 100% is the bottleneck)
bench() {
  local kind=$1 line ticks0 ticks1
  shift
  ticks0=$(cpu_ticks "${TARGET_PID[$kind]}")
  # shellcheck disable=SC2086 # the options are words
  line=$(ip netns exec "$(ns "$kind" i)" taskset -c "$INITIATOR_CPU" java $INITIATOR_JAVA_OPTS -jar "$INITIATOR_JAR" bench e1.1 -i vI \
           --window $WINDOW --seconds "${BENCH_SECONDS:-$SECONDS_PER_RUN}" "$@") || die "bench $kind $* failed: $line"
  ticks1=$(cpu_ticks "${TARGET_PID[$kind]}")
  echo "$line" | sed -E 's/.*, ([0-9.]+) s over .*: ([0-9.]+) MiB\/s, .* ([0-9]+) requests\/s, ([0-9]+) retransmissions, CPU ([0-9]+)% of a core \(([0-9.]+) us per request\).*/\1 \2 \3 \4 \6 \5/' |
    awk -v ticks=$((ticks1 - ticks0)) -v hz="$CLK_TCK" '
      { requests = $1 * $3; printf "%s %s %s %s %.1f %s %.0f\n", $2, $3, $4, $5,
          (requests > 0 ? ticks / hz * 1e6 / requests : 0), $6, ticks / hz / $1 * 100 }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "NA"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

WORKLOADS=()
for w in "seq-read:--read" "seq-write:--write" "rand-4k-read:--read --random --block 4096"; do
  case " ${ONLY:-${w%%:*}} " in *" ${w%%:*} "*) WORKLOADS+=("$w") ;; esac
done
[ ${#WORKLOADS[@]} -gt 0 ] || die "ONLY=$ONLY names no workload (seq-read, seq-write, rand-4k-read)"

# workloads MODE: the WORKLOADS entries run in that mode (direct: the reads only)
workloads() {
  local w
  for w in "${WORKLOADS[@]}"; do
    [ "$1" = direct ] && [ "${w%%:*}" = seq-write ] && continue
    echo "$w"
  done
}

for mode in $MODES; do
  case $mode in buffered|direct) ;; *) die "MODES=$MODES: each mode is buffered or direct" ;; esac
  [ -n "$(workloads "$mode")" ] || { echo "aoe-throughput: no read workload selected, skipping mode $mode" >&2; continue; }
  MODE_NOW=$mode
  for mtu in $MTUS; do
    MTU_NOW=$mtu
    for kind in "${KINDS[@]}"; do
      setup "$kind" "$mtu" "$mode"
      # an unmeasured run first: the JVM's compiler warms up (a long-running target is warm), and
      # vblade gets the same, so in buffered mode both start from a page cache holding the image
      BENCH_SECONDS=$WARMUP_SECONDS bench "$kind" --read > /dev/null
    done
    while IFS= read -r w; do
      name=${w%%:*}; args=${w#*:}
      for kind in "${KINDS[@]}"; do : > "$WORK/runs-$kind"; done
      for run in $(seq 1 "$RUNS"); do
        for kind in "${KINDS[@]}"; do
          [ "$mode" = direct ] && drop_cached_image
          # shellcheck disable=SC2086
          bench "$kind" $args >> "$WORK/runs-$kind"
          echo "  $mode mtu $mtu $kind $name run $run (load $(cut -d ' ' -f 1 /proc/loadavg)): $(tail -n 1 "$WORK/runs-$kind" | awk '{print $1 " MiB/s, " $2 " requests/s, " $3 " retransmissions, CPU us per request: initiator " $4 ", target " $5 "; % of a core: initiator " $6 ", target " $7}')" >&2
        done
      done
      # ours/vblade per pair of consecutive runs: both saw about the same machine, so the median of
      # these ratios is steadier than the ratio of the two medians
      RESULT[$mode,$mtu,$name,paired]=$(paste -d ' ' "$WORK/runs-aoe-target" "$WORK/runs-vblade" |
        awk '{ v = $(NF / 2 + 1); if (v > 0) printf "%.2f\n", $1 / v }' | median)
      for kind in "${KINDS[@]}"; do
        col=1
        for field in mib rps retx icpu tcpu ipct tpct; do
          RESULT[$mode,$mtu,$kind,$name,$field]=$(awk -v c=$col '{print $c}' "$WORK/runs-$kind" | median)
          col=$((col + 1))
        done
      done
    done < <(workloads "$mode")
    teardown_setups
  done
done

echo
echo "AoE throughput, our initiator (aoe-initiator bench, window $WINDOW) against each target; medians of $RUNS x ${SECONDS_PER_RUN} s;" \
     "load average at the end: $(cut -d ' ' -f 1-3 /proc/loadavg)"
FORMAT='%-8s %-5s %-12s %8s %8s %6s %6s %9s %9s %6s %8s %8s %6s %6s %7s %7s %8s %8s %6s %6s %6s %6s\n'
# shellcheck disable=SC2059
printf "$FORMAT" mode MTU workload "ours" "vblade" ratio paired \
  "ours r/s" "vbl r/s" "ratio" "ours tus" "vbl tus" "ours d" "vbl d" "ours rx" "vbl rx" "ours ius" "vbl ius" \
  "ours t%" "vbl t%" "ours i%" "vbl i%"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "NA" }'; }
for mode in $MODES; do
  for mtu in $MTUS; do
    while IFS= read -r w; do
      name=${w%%:*}
      k=$mode,$mtu
      # shellcheck disable=SC2059
      printf "$FORMAT" "$mode" "$mtu" "$name" \
        "${RESULT[$k,aoe-target,$name,mib]}" "${RESULT[$k,vblade,$name,mib]}" \
        "$(ratio "${RESULT[$k,aoe-target,$name,mib]}" "${RESULT[$k,vblade,$name,mib]}")" "${RESULT[$k,$name,paired]}" \
        "${RESULT[$k,aoe-target,$name,rps]}" "${RESULT[$k,vblade,$name,rps]}" \
        "$(ratio "${RESULT[$k,aoe-target,$name,rps]}" "${RESULT[$k,vblade,$name,rps]}")" \
        "${RESULT[$k,aoe-target,$name,tcpu]}" "${RESULT[$k,vblade,$name,tcpu]}" \
        "${RESULT[$k,aoe-target,drops]:-?}" "${RESULT[$k,vblade,drops]:-?}" \
        "${RESULT[$k,aoe-target,$name,retx]}" "${RESULT[$k,vblade,$name,retx]}" \
        "${RESULT[$k,aoe-target,$name,icpu]}" "${RESULT[$k,vblade,$name,icpu]}" \
        "${RESULT[$k,aoe-target,$name,tpct]}" "${RESULT[$k,vblade,$name,tpct]}" \
        "${RESULT[$k,aoe-target,$name,ipct]}" "${RESULT[$k,vblade,$name,ipct]}"
    done < <(workloads "$mode")
  done
done
echo "(MiB/s and AoE requests/s; ratio: of the medians; paired: median of ours/vblade over runs made one after the other; tus: the target's CPU time per request in us, from /proc/PID/stat utime+stime"
echo " over the run; d: frames the kernel dropped at the target's socket over all runs of the mode and MTU, warm-up included"
echo " (vblade: ss skmem d; ours: its PACKET_STATISTICS count, as its receive ring's drops are not in skmem d); rx: the initiator's"
echo " retransmissions per run; ius: the initiator's CPU time per request; t% and i%: the target's and the"
echo " initiator's CPU use in % of one core: the side near 100 limits the run)"
