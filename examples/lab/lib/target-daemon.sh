# Storage target "daemon": aoemigrate's own daemon (bin/aoemigrate daemon) in the storage host;
# its embedded target serves every export of the inventory on every AoE interface, and it runs
# the migrations that `bin/aoemigrate --config $(lab_inventory_file) VM HOST` asks for.
# Same interface as target-vblade.sh. Adding an export rewrites the inventory and restarts the
# daemon; the inventory's stateDir keeps config strings, masks, reservations and the journal.

LAB_AOEMIGRATE=${LAB_AOEMIGRATE:-$LAB_ROOT/bin/aoemigrate}

lab_daemon_log() { echo "$(lab_host_dir "$LAB_STORAGE")/aoemigrate-daemon.log"; }

lab_target_serve() {
  local log
  log=$(lab_daemon_log)
  # In the root namespace first: the launcher builds the jar if it is missing, and Maven
  # cannot download anything from inside the lab.
  "$LAB_AOEMIGRATE" --version > /dev/null || lab_die "$LAB_AOEMIGRATE does not run; build with 'mvn -DskipTests package'"
  lab_target_stop
  lab_inventory_write   # the daemon serves what the inventory lists, so it must list the new export
  : > "$log"
  # The prefix, not the lab_exec function: a function would run in a subshell of its own, and
  # the PID recorded must be the daemon's, so that a stop reaches it (SIGTERM: a clean stop).
  # shellcheck disable=SC2046
  $(lab_exec_prefix "$LAB_STORAGE") "$LAB_AOEMIGRATE" daemon --config "$(lab_inventory_file)" \
    --initiator "$LAB_AOE_INITIATOR" > "$log" 2>&1 < /dev/null &
  lab_pid_record aoemigrate-daemon $!
  lab_wait_for 60 "the aoemigrate daemon to serve (see $log)" lab_daemon_serving "$log"
}

lab_daemon_serving() {
  lab_pid_alive aoemigrate-daemon > /dev/null || lab_die "the aoemigrate daemon exited: $(tail -n 5 "$1")"
  grep -q '^aoemigrate daemon: serving' "$1"
}

# A stop aborts migrations in flight and lets them settle (the daemon allows 60 s).
lab_target_stop() { lab_pid_stop aoemigrate-daemon 70; }
