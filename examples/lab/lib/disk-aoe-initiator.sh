# Disk provider "aoe-initiator": our userspace initiator inside the hypervisor. Its attach
# command serves the export as a FUSE file backed by AoE I/O over every segment, puts a loop
# device with direct I/O on it, and makes the block node /dev/etherd/eS.L, so guest I/O
# really crosses the fabric to the storage host's target. It runs until SIGTERM, which
# takes node, loop and mount away again. Same interface as disk-loop.sh.

LAB_DETACH_PATIENCE=40   # seconds; above the initiator's own 30 s for in-flight requests

lab_disk_key() { echo "initiator-$1-$(lab_etherd_name "$2" "$3")"; }

lab_disk_attach() {
  local host=$1 shelf=$2 slot=$3 key dev log seg ifs=()
  key=$(lab_disk_key "$host" "$shelf" "$slot")
  dev=/dev/etherd/$(lab_etherd_name "$shelf" "$slot")
  log=$(lab_host_dir "$host")/$key.log
  lab_pid_alive "$key" > /dev/null && return 0     # attached already
  for seg in "${LAB_SEGMENTS[@]}"; do ifs+=(-i "$(lab_host_if "$seg")"); done
  # The prefix, not the lab_exec function: a function runs in a subshell of its own, and a stop
  # of the PID recorded would end that subshell and leave the attach process running.
  # shellcheck disable=SC2046
  $(lab_exec_prefix "$host") "$LAB_AOE_INITIATOR" attach "${ifs[@]}" --dir /dev/etherd "$(lab_etherd_name "$shelf" "$slot")" \
    > "$log" 2>&1 < /dev/null &
  lab_pid_record "$key" $!
  lab_wait_for 60 "$dev on $host (see $log)" lab_disk_ready "$host" "$dev" "$key" "$log"
}

lab_disk_ready() {   # HOST DEV KEY LOG
  lab_pid_alive "$3" > /dev/null || lab_die "aoe-initiator attach on $1 exited: $(tail -n 5 "$4")"
  lab_exec "$1" test -b "$2"
}

lab_disk_detach() { lab_pid_stop "$(lab_disk_key "$1" "$2" "$3")" "$LAB_DETACH_PATIENCE"; }

# Stopped attach processes clean up after themselves; `lab down` stops any that are left
# by their records and by the lab's namespaces.
lab_disk_sweep() { :; }
