# `lab impostor up HOST GUEST`: the classic AoE disaster on demand. A second target (our
# aoe-target, in a namespace of its own) serves GUEST's eS.L from an image of its own, the same
# size, under another export id (config string "id=impostor-disk"). HOST's bridge ports move
# from the lab's segments to the impostor's (a miscabled host), and HOST's disk is attached
# again, so HOST's /dev/etherd/eS.L is now the wrong disk. aoemigrate's destination check must
# refuse to move GUEST there. `lab impostor down` cables HOST back and attaches its real disk.
#
# Only with LAB_DISK_PROVIDER=aoe-initiator: a loop device never crosses the fabric.

LAB_IMPOSTOR_NS=$LAB_PREFIX-impostor          # removed with the others by `lab down`
LAB_IMPOSTOR_ID=impostor-disk
lab_impostor_dir() { echo "$LAB_STATE/impostor"; }
lab_impostor_bridge() { echo "imp$1"; }       # segment N's twin, in the fabric namespace
lab_impostor_mac() { printf '02:ae:ee:00:00:%02x' "$1"; }

lab_impostor_up() {   # HOST GUEST
  local host=$1 guest=$2 name shelf slot image dir seg br log ifs=()
  [ "$LAB_DISK_PROVIDER" = aoe-initiator ] || lab_die "lab impostor needs LAB_DISK_PROVIDER=aoe-initiator (a $LAB_DISK_PROVIDER disk does not cross the fabric)"
  lab_is_hypervisor "$host" || lab_die "'$host' is not a hypervisor of this lab (hypervisors: $(lab_hypervisors | xargs))"
  read -r name shelf slot image <<< "$(lab_export_of "$guest")"
  [ -n "${name:-}" ] || lab_die "guest $guest has no export; start it with 'lab guest $guest --on HOST'"
  dir=$(lab_impostor_dir)
  [ ! -e "$dir" ] || lab_die "an impostor is up already ($(cat "$dir/for")); 'lab impostor down' first"
  "$LAB_AOE_TARGET" --version > /dev/null || lab_die "$LAB_AOE_TARGET does not run; build with 'mvn -DskipTests package'"
  mkdir -p "$dir"
  echo "$host $shelf $slot $image" > "$dir/for"
  # The same size as the real image: only the export's identity tells the two disks apart.
  truncate -s "$(stat -c %s "$image")" "$dir/impostor.img"

  ip netns add "$LAB_IMPOSTOR_NS"
  ip -n "$LAB_IMPOSTOR_NS" link set lo up
  for seg in "${LAB_SEGMENTS[@]}"; do
    br=$(lab_impostor_bridge "$seg")
    ip -n "$LAB_FABRIC_NS" link add "$br" type bridge stp_state 0 forward_delay 0
    ip -n "$LAB_FABRIC_NS" link set "$br" up
    ip link add "impostor-$seg" netns "$LAB_FABRIC_NS" type veth peer name "$(lab_host_if "$seg")" netns "$LAB_IMPOSTOR_NS"
    ip -n "$LAB_IMPOSTOR_NS" link set "$(lab_host_if "$seg")" address "$(lab_impostor_mac "$seg")" up
    ip -n "$LAB_FABRIC_NS" link set "impostor-$seg" master "$br" up
    ifs+=("$(lab_host_if "$seg")")
  done
  {
    echo "stateDir: $dir/state"
    echo "exports:"
    echo "  - {shelf: $shelf, slot: $slot, path: $dir/impostor.img, interfaces: [$(IFS=,; echo "${ifs[*]}")],"
    echo "     ioMode: direct, config: \"id=$LAB_IMPOSTOR_ID\"}"
  } > "$dir/aoe-target.yaml"
  log=$dir/aoe-target.log
  ip netns exec "$LAB_IMPOSTOR_NS" "$LAB_AOE_TARGET" --config "$dir/aoe-target.yaml" > "$log" 2>&1 < /dev/null &
  lab_pid_record impostor-target $!
  lab_wait_for 60 "the impostor target to serve (see $log)" lab_impostor_serving "$log"

  # HOST lets go of the real disk, is cabled onto the impostor's segments, and attaches again.
  lab_disk_detach "$host" "$shelf" "$slot"
  for seg in "${LAB_SEGMENTS[@]}"; do
    ip -n "$LAB_FABRIC_NS" link set "$host-$seg" master "$(lab_impostor_bridge "$seg")"
  done
  lab_disk_attach "$host" "$shelf" "$slot" "$image"
  lab_log "impostor: $host's /dev/etherd/$(lab_etherd_name "$shelf" "$slot") is now export $LAB_IMPOSTOR_ID"
}

lab_impostor_serving() {
  lab_pid_alive impostor-target > /dev/null || lab_die "the impostor target exited: $(tail -n 5 "$1")"
  grep -q 'pid [0-9]*: e[0-9]' "$1"
}

lab_impostor_down() {
  local dir host shelf slot image seg
  dir=$(lab_impostor_dir)
  [ -e "$dir/for" ] || { lab_log "no impostor is up"; return 0; }
  read -r host shelf slot image < "$dir/for"
  lab_disk_detach "$host" "$shelf" "$slot"
  for seg in "${LAB_SEGMENTS[@]}"; do
    ip -n "$LAB_FABRIC_NS" link set "$host-$seg" master "$(lab_bridge "$seg")"
  done
  lab_pid_stop impostor-target
  ip netns del "$LAB_IMPOSTOR_NS" 2>/dev/null || true
  for seg in "${LAB_SEGMENTS[@]}"; do ip -n "$LAB_FABRIC_NS" link del "$(lab_impostor_bridge "$seg")" 2>/dev/null || true; done
  rm -rf "$dir"
  lab_disk_attach "$host" "$shelf" "$slot" "$image"
  lab_log "impostor gone: $host is on the lab's segments and its real disk again"
}
