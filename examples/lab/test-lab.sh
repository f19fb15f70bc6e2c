#!/usr/bin/env bash
# End-to-end test of the lab: brings it up, boots the counting guest vm1 on hostA,
# live-migrates it hostA -> hostB -> hostA with plain virsh (peer-to-peer), and checks that
#   - the guest booted once and never again (one boot line in its whole console history),
#   - its counter went on across both migrations (ticks 1, 2, 3, ... with no gap or repeat),
#   - the last counter value it wrote is in the image on the storage host,
# then tears the lab down (also when a step fails). Needs root and scripts/install-deps.sh.
# It owns the lab: an existing lab is taken down first.
set -euo pipefail

HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
LAB=$HERE/lab
LAB_HOME=$HERE
LAB_ROOT=$(cd "$HERE/../.." && pwd)
source "$HERE/lib/config.sh"
source "$HERE/lib/util.sh"      # lab_pid_alive
source "$HERE/lib/guest.sh"     # lab_serial_log, LAB_BOOT_LINE
source "$HERE/lib/inventory.sh" # lab_export_id

GUEST=vm1
passed=0
failed=0
finished=no
LAB_PIDS=""   # every process inside the lab before the crash; none may survive `lab down`

check() {   # DESCRIPTION CMD...
  local what=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok   $what"
  else failed=$((failed + 1)); echo "FAIL $what"; fi
}

teardown() {
  local rc=$?
  [ "$finished" = yes ] || { failed=$((failed + 1)); echo "FAIL the test stopped early (exit status $rc); see the messages above"; }
  check "lab down removes everything" lab_down_leaves_nothing
  echo "lab: $passed passed, $failed failed"
  ((failed == 0))
}

lab_down_leaves_nothing() {
  local left
  "$LAB" down || return 1
  left=$( { ip netns list | grep "^$LAB_PREFIX-"
            ip route show type unreachable | grep -F " $LAB_SUBNET"
            losetup -l -n -O NAME,BACK-FILE | grep -F " $LAB_STATE/"
            ls -d "$LAB_STATE" 2>/dev/null
            for pid in $LAB_PIDS; do lab_pid_gone "$pid" || echo "process $pid: $(tr '\0' ' ' < "/proc/$pid/cmdline")"; done
          } || true)
  [ -z "$left" ] || { echo "$left" | sed 's/^/     left: /'; return 1; }
}
trap teardown EXIT

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
size_of() { stat -c %s "$1" 2>/dev/null || echo 0; }

# The console history in the order it happened: the guest's log file on each host, cut at
# the byte offsets where it left. Concatenating bytes (not lines) keeps a line that was cut
# in two by a migration whole.
LOG_A=$(lab_serial_log hostA "$GUEST")
LOG_B=$(lab_serial_log hostB "$GUEST")
history() { head -c "$A_AT_LEAVE" "$LOG_A"; cat "$LOG_B"; tail -c +"$((A_AT_LEAVE + 1))" "$LOG_A"; }
ticks_in() { tr -d '\r' | sed -n 's/^tick \([0-9][0-9]*\)$/\1/p'; }
last_tick_in() { ticks_in < "$1" | tail -n 1; }

wait_ticks() {   # LOG N: wait until LOG shows N ticks more than it had at the start
  local log=$1 want base deadline=$((SECONDS + 60))
  base=$(ticks_in < "$log" | wc -l)
  want=$((base + $2))
  until [ "$(ticks_in < "$log" | wc -l)" -ge "$want" ]; do
    ((SECONDS < deadline)) || { echo "no $2 new ticks in $log within 60 s"; return 1; }
    sleep 0.5
  done
}

runs_only_on() {   # HOST
  local h state
  for h in hostA hostB; do
    state=$("$LAB" exec "$h" -- virsh -q -c qemu:///system domstate "$GUEST" 2>/dev/null | head -n 1 || true)
    if [ "$h" = "$1" ]; then [ "$state" = running ] || return 1
    else [ -z "$state" ] || return 1; fi
  done
}

counts_on() {   # the history holds ticks 1..N, each once and in order, N > 0
  local expect=1 n
  for n in $(history | ticks_in); do
    [ "$n" = "$expect" ] || { echo "counter went from $((expect - 1)) to $n"; return 1; }
    expect=$((expect + 1))
  done
  ((expect > 1))
}

sees_export_on_both_paths() {   # HOST: our initiator finds e1.0 behind both storage ports
  local found
  found=$("$LAB" exec "$1" -- "$LAB_AOE_INITIATOR" discover -i aoe0 -i aoe1) || return 1
  echo "$found" | sed 's/^/     /'
  echo "$found" | grep -q "^e$LAB_SHELF\.0 .*aoe0->$(lab_host_mac storage 0)" \
    && echo "$found" | grep -q "^e$LAB_SHELF\.0 .*aoe1->$(lab_host_mac storage 1)"
}

# What aoemigrate's preflight runs on a destination: node, answer from the storage MACs,
# identity (config string id=<export id>), size, and a read through /dev/etherd/e1.0.
passes_initiator_check() {   # HOST
  "$LAB" exec "$1" -- "$LAB_AOE_INITIATOR" check -i aoe0,aoe1 --expect-id="$(lab_export_id "$GUEST")" \
    --expect-size="$LAB_IMAGE_SIZE" --expect-mac="$(lab_host_mac storage 0),$(lab_host_mac storage 1)" \
    "e$LAB_SHELF.0" | sed 's/^/     /'
}

booted_once() { [ "$(history | tr -d '\r' | grep -c "^$LAB_BOOT_LINE")" = 1 ]; }

disk_holds_last_tick() {
  local on_disk last
  on_disk=$("$LAB" exec storage -- dd if="$(lab_images_dir)/$GUEST.img" bs=512 count=1 iflag=direct status=none \
    | tr -d '\0' | sed -n 's/^tick \([0-9][0-9]*\)$/\1/p')
  last=$(history | ticks_in | tail -n 1)
  echo "     last tick on the console: $last; on the storage host's image: ${on_disk:-nothing}"
  # The guest writes N to its disk and then prints "tick N": a pause between the two
  # leaves the disk one ahead of the console.
  [ -n "$on_disk" ] && { [ "$on_disk" = "$last" ] || [ "$on_disk" = $((last + 1)) ]; }
}

"$LAB" down > /dev/null 2>&1 || true
# Built here, in the root namespace, if missing: nothing can be downloaded inside the lab.
"$LAB_AOE_INITIATOR" --version > /dev/null

t=$(now)
"$LAB" up
echo "     lab up: $(since "$t") s"
"$LAB" guest "$GUEST" --on hostA
echo "     lab up + guest boot: $(since "$t") s"
A_AT_LEAVE=$(size_of "$LOG_A")   # until the first migration, everything is on hostA
wait_ticks "$LOG_A" 3
check "$GUEST counts on hostA" runs_only_on hostA

check "hostB finds e$LAB_SHELF.0 over AoE on both paths to the storage host" sees_export_on_both_paths hostB
check "hostB passes 'aoe-initiator check' for e$LAB_SHELF.0" passes_initiator_check hostB

t=$(now)
"$LAB" migrate "$GUEST" hostB
echo "     migration hostA -> hostB: $(since "$t") s"
A_AT_LEAVE=$(size_of "$LOG_A")   # the guest writes no more to hostA's log from here
check "$GUEST runs on hostB only" runs_only_on hostB
check "$GUEST counts on hostB" wait_ticks "$LOG_B" 3

t=$(now)
"$LAB" migrate "$GUEST" hostA
echo "     migration hostB -> hostA: $(since "$t") s"
check "$GUEST runs on hostA only, again" runs_only_on hostA
check "$GUEST counts on hostA, again" wait_ticks "$LOG_A" 3

"$LAB" exec hostA -- virsh -q -c qemu:///system suspend "$GUEST" > /dev/null
echo "     ticks: $(history | ticks_in | head -n 1) .. $(history | ticks_in | tail -n 1); on hostB: $(last_tick_in "$LOG_B" || true) was the last"
check "$GUEST booted once (no second boot line in its console history)" booted_once
check "the counter went on across both migrations (1, 2, 3, ... no gap, no repeat)" counts_on
check "the last counter value is in the image on the storage host" disk_holds_last_tick

# A crash: hostA's libvirtd dies under its running guest, hostB's namespaces lose their
# holder. `lab down` (in teardown) must still remove everything.
LAB_PIDS=$(for ns in $(ip netns list | awk -v p="^$LAB_PREFIX-" '$1 ~ p { print $1 }'); do ip netns pids "$ns"; done | xargs)
echo "     $(wc -w <<< "$LAB_PIDS") processes in the lab; now killing hostA's libvirtd and hostB's holder (-9)"
kill -9 "$(lab_pid_alive libvirtd-hostA)" "$(lab_pid_alive holder-hostB)"
finished=yes
