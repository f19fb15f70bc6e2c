#!/usr/bin/env bash
# The demo: on a fresh Debian 12 machine, as root, from a checkout:
#
#   examples/lab/demo.sh
#
# installs what it needs, builds the project, brings up the lab (a storage host and two
# hypervisors, hostA and hostB, in namespaces on this machine) with the aoemigrate daemon on
# the storage host (its embedded AoE target serves the guests' disks), boots the counting
# guest vm1 on hostA with its disk at /dev/etherd/e1.0 (our initiator: guest I/O crosses AoE
# to the target), moves it to hostB with `bin/aoemigrate`, and shows that it kept counting
# there and that its last counter reached the image on the storage host.
# The lab stays up afterwards to look around; `examples/lab/lab down` removes it.
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
LAB=$ROOT/examples/lab/lab
GUEST=vm1
export LAB_TARGET=${LAB_TARGET:-daemon}   # the daemon serves the exports and runs the migration

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '   %s\n' "$@"; }

migrate_guest() {   # GUEST HOST
  show "\$ bin/aoemigrate --config \"\$(examples/lab/lab inventory)\" $1 $2"
  "$ROOT/bin/aoemigrate" --config "$("$LAB" inventory)" "$1" "$2" 2>&1 | sed 's/^/   /'
  return "${PIPESTATUS[0]}"
}

console_of() {   # HOST: the guest's console log on HOST
  "$LAB" serial "$GUEST" --all | awk -v h="$1" '/^==> / { on = ($2 == h ":"); next } on'
}
ticks_of() { console_of "$1" | sed -n 's/^tick //p'; }
last_tick() { "$LAB" serial "$GUEST" | sed -n 's/^tick //p' | tail -n 1; }
wait_for_tick_after() {   # N: until the console shows a tick above N
  local deadline=$((SECONDS + 60))
  until [ "$(last_tick)" -gt "$1" ] 2>/dev/null; do
    ((SECONDS < deadline)) || { echo "demo: $GUEST shows no tick above $1 within 60 s" >&2; exit 1; }
    sleep 0.5
  done
}

[ "$(id -u)" = 0 ] || { echo "demo: run me as root (namespaces, mounts, loop devices)" >&2; exit 1; }

step "Installing the Debian packages the build and the lab need (scripts/install-deps.sh)"
bash "$ROOT/scripts/install-deps.sh"

step "Building (mvn -DskipTests package)"
(cd "$ROOT" && mvn -B -q -ntp -DskipTests package)
show "done"

step "Bringing up the lab: storage + hostA + hostB"
"$LAB" down > /dev/null 2>&1   # leftovers of an earlier run, if any
start=$SECONDS
"$LAB" up
step "Booting $GUEST on hostA, its disk at /dev/etherd/e1.0 (aoe-initiator attach on hostA; served by the daemon's target)"
"$LAB" guest "$GUEST" --on hostA
show "lab up + guest boot: $((SECONDS - start)) s"
wait_for_tick_after 2
"$LAB" status | sed 's/^/   /'
show "" "console of $GUEST on hostA (lab serial $GUEST):"
"$LAB" serial "$GUEST" | tail -n 3 | sed 's/^/     /'

step "hostB, the destination, finds the disk over AoE on both paths (bin/aoe-initiator discover)"
"$LAB" exec hostB -- "$ROOT/bin/aoe-initiator" discover -i aoe0 -i aoe1 | sed 's/^/   /'

step "Live-migrating $GUEST to hostB with aoemigrate (preflight, reserve, migrate, fence hostA, verify)"
before=$(last_tick)
migrate_guest "$GUEST" hostB
wait_for_tick_after "$((before + 2))"
"$LAB" status | sed 's/^/   /'
show "" "its console on both hosts (lab serial $GUEST --all):"
show "  on hostA, the end:"
console_of hostA | tail -n 3 | sed 's/^/       /'
show "  on hostB, from the start:"
console_of hostB | head -n 3 | sed 's/^/       /'
left=$(ticks_of hostA | tail -n 1)
arrived=$(ticks_of hostB | head -n 1)
if "$LAB" serial "$GUEST" | grep -q '^aoelab-guest: booted'; then
  show "hostB's console shows a boot line: $GUEST was restarted, not migrated" >&2
  exit 1
fi
show "last tick on hostA: $left; first tick on hostB: $arrived; no boot line on hostB:" \
     "the same running guest went on counting."

step "Its last counter reached the image on the storage host"
image=$(sed -n 's/^ *image: "\(.*\)"$/\1/p' "$("$LAB" inventory)" | head -n 1)
"$LAB" exec hostB -- virsh -q -c qemu:///system suspend "$GUEST" > /dev/null   # hold the counter still
on_console=$(last_tick)
on_disk=$("$LAB" exec storage -- dd if="$image" bs=512 count=1 iflag=direct status=none | tr -d '\0' \
  | sed -n 's/^tick \([0-9][0-9]*\)$/\1/p')
"$LAB" exec hostB -- virsh -q -c qemu:///system resume "$GUEST" > /dev/null
show "paused $GUEST on hostB for a moment: last tick on its console $on_console; in the first sector of" \
     "$image on the storage host: ${on_disk:-nothing}"
# The guest writes N to its disk, then prints "tick N": a pause between the two leaves the disk one ahead.
if [ -z "$on_disk" ] || { [ "$on_disk" != "$on_console" ] && [ "$on_disk" != $((on_console + 1)) ]; }; then
  show "the image does not hold the guest's last counter" >&2
  exit 1
fi
show "the guest's last write went from hostB over AoE to the daemon's target and into the image."

step "The lab stays up"
show "examples/lab/lab status | serial $GUEST | exec hostB -- virsh list | inventory" \
     "bin/aoemigrate --config \"\$(examples/lab/lab inventory)\" history | status | $GUEST hostA" \
     "examples/lab/lab down     removes everything"
