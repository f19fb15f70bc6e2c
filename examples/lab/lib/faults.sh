# Faults on demand, for the fault-injection suite (orchestrator's FaultsLabIT) and for trying
# by hand what aoemigrate does when something breaks mid-migration:
#
#   lab libvirtd HOST kill|start    SIGKILL HOST's libvirtd (its guests' QEMUs live on, as on a
#                                   real host); start it again (it reconnects to them)
#   lab link HOST SEGMENT down|up   pull or plug HOST's cable on a segment: its bridge port in the
#                                   fabric goes down, so HOST sees no carrier; its address, routes
#                                   and processes are left as they are
#   lab target restart              stop the storage target and start it again, on the same
#                                   config and state (the daemon target: the whole daemon)
#   lab policy [YAML|default]       the inventory's policy section (the daemon reads it when it
#                                   starts: 'lab target restart' after a change)

lab_libvirtd_kill() {   # HOST
  local host=$1 pid
  lab_is_hypervisor "$host" || lab_die "'$host' is not a hypervisor of this lab (hypervisors: $(lab_hypervisors | xargs))"
  pid=$(lab_pid_alive "libvirtd-$host") || lab_die "libvirtd on $host is not running (lab libvirtd $host start)"
  kill -KILL "$pid"
  lab_wait_for 10 "libvirtd on $host (pid $pid) to die" lab_pid_gone "$pid"
  rm -f "$LAB_STATE/pids/libvirtd-$host"
  lab_log "libvirtd on $host (pid $pid) killed; its guests' QEMU processes run on"
}

lab_libvirtd_restart() {   # HOST: start it again after a kill
  local host=$1 run
  lab_is_hypervisor "$host" || lab_die "'$host' is not a hypervisor of this lab (hypervisors: $(lab_hypervisors | xargs))"
  lab_pid_alive "libvirtd-$host" > /dev/null && lab_die "libvirtd on $host runs already"
  # A killed daemon leaves its sockets behind: the start waits for a fresh one.
  run=$(lab_host_dir "$host")/run/libvirt
  rm -f "$run"/libvirt-sock "$run"/libvirt-sock-ro "$run"/libvirt-admin-sock
  lab_libvirtd_start "$host"
  lab_log "libvirtd on $host started (pid $(lab_pid_alive "libvirtd-$host"))"
}

lab_link_set() {   # HOST SEGMENT up|down
  local host=$1 seg=$2 state=$3
  lab_is_hypervisor "$host" || [ "$host" = "$LAB_STORAGE" ] \
    || lab_die "'$host' is not a host of this lab ($LAB_STORAGE $(lab_hypervisors | xargs))"
  [[ " ${LAB_SEGMENTS[*]} " == *" $seg "* ]] || lab_die "segment '$seg' does not exist; segments: ${LAB_SEGMENTS[*]}"
  # The fabric's end of the veth pair: the host's own end (aoe$seg) keeps its address and
  # routes, only the carrier goes, as when a cable is pulled.
  ip -n "$LAB_FABRIC_NS" link set "$host-$seg" "$state"
  lab_log "$host's link on segment $seg ($(lab_host_if "$seg")) is $state"
}

lab_policy_file() { echo "$LAB_STATE/policy.yaml"; }

# The policy section of the inventory, as set by `lab policy`; nothing for aoemigrate's defaults.
lab_policy_yaml() {
  [ -s "$(lab_policy_file)" ] && echo "policy: $(cat "$(lab_policy_file)")"
  return 0
}

lab_policy_set() {   # [YAML|default]
  case ${1:-} in
    '') [ -s "$(lab_policy_file)" ] && cat "$(lab_policy_file)" || echo default ;;
    default) rm -f "$(lab_policy_file)"; lab_inventory_write ;;
    *)
      [[ $1 == *$'\n'* ]] && lab_die "give the policy as one line of flow YAML: '{migration: {bandwidthMiBps: 4}}'"
      echo "$1" > "$(lab_policy_file)"
      lab_inventory_write ;;
  esac
}
