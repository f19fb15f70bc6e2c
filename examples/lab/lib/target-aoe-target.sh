# Storage target "aoe-target": our own target (bin/aoe-target --config), one process
# serving every export on every AoE interface of the storage host. Same interface as
# target-vblade.sh. Adding an export rewrites the config and restarts the process; its
# state directory keeps config strings, masks and reservations across the restart.

lab_target_config() { echo "$(lab_host_dir "$LAB_STORAGE")/aoe-target.yaml"; }

lab_target_write_config() {
  local name shelf slot image seg interfaces=()
  for seg in "${LAB_SEGMENTS[@]}"; do interfaces+=("$(lab_host_if "$seg")"); done
  {
    echo "# Written by examples/lab/lab from $(lab_exports_file); rewritten when an export is added."
    echo "stateDir: $(lab_host_dir "$LAB_STORAGE")/aoe-target-state"
    echo "exports:"
    while read -r name shelf slot image; do
      echo "  - shelf: $shelf"
      echo "    slot: $slot"
      echo "    path: $image"
      echo "    interfaces: [$(IFS=,; echo "${interfaces[*]}")]"
      echo "    ioMode: direct"
      echo "    config: \"id=$(lab_export_id "$name")\""     # aoemigrate's convention
    done < "$(lab_exports_file)"
  } > "$(lab_target_config)"
}

lab_target_serve() {
  local log count
  log=$(lab_host_dir "$LAB_STORAGE")/aoe-target.log
  # In the root namespace first: the launcher builds the jar if it is missing, and Maven
  # cannot download anything from inside the lab.
  "$LAB_AOE_TARGET" --version > /dev/null || lab_die "$LAB_AOE_TARGET does not run; build with 'mvn -DskipTests package'"
  lab_target_stop
  lab_target_write_config
  : > "$log"
  lab_exec "$LAB_STORAGE" "$LAB_AOE_TARGET" --config "$(lab_target_config)" > "$log" 2>&1 < /dev/null &
  lab_pid_record aoe-target $!
  # It logs one "pid N: eS.L, ..." line per export once it serves them.
  count=$(wc -l < "$(lab_exports_file)")
  lab_wait_for 60 "aoe-target to serve $count export(s) (see $log)" \
    lab_target_serving "$log" "$count"
}

lab_target_serving() {
  lab_pid_alive aoe-target > /dev/null || lab_die "aoe-target exited: $(tail -n 5 "$1")"
  [ "$(grep -c 'pid [0-9]*: e[0-9]' "$1")" -ge "$2" ]
}

lab_target_stop() { lab_pid_stop aoe-target; }
