# `lab down`: removes everything a lab run made, also after a crash half-way through.
# Each step finds its leftovers by the state directory or by the $LAB_PREFIX name, never
# by matching process names; each step tolerates that there is nothing to do.

lab_down() {
  local host record ns pid name shelf slot image
  set +e   # a teardown goes on past any failed step; the last one says what is left
  # 1. Guests, politely, where a daemon still answers (libvirt then cleans up after QEMU).
  #    Their definitions go with the state directory.
  for host in $(lab_hypervisors); do
    [ -S "$(lab_libvirt_sock "$host")" ] || continue
    for name in $(timeout 10 virsh -q -c "$(lab_libvirt_uri "$host")" list --name 2>/dev/null); do
      timeout 15 virsh -q -c "$(lab_libvirt_uri "$host")" destroy "$name" > /dev/null 2>&1 \
        || lab_log "could not stop guest $name on $host; its QEMU is killed below"
    done
  done
  # 2. Each hypervisor lets go of its disks while the target still serves them, then the
  #    storage target stops, then every other recorded process, the holders last.
  while read -r name shelf slot image; do
    for host in $(lab_hypervisors); do lab_disk_detach "$host" "$shelf" "$slot"; done
  done < <(cat "$(lab_exports_file)" 2>/dev/null)
  [ -d "$LAB_STATE/pids" ] && lab_target_stop
  for record in "$LAB_STATE"/pids/*; do
    [ -e "$record" ] || continue
    case ${record##*/} in holder-*) ;; *) lab_pid_stop "${record##*/}" ;; esac
  done
  for record in "$LAB_STATE"/pids/holder-*; do [ -e "$record" ] && lab_pid_stop "${record##*/}"; done
  # 3. Anything still inside a lab namespace (only the lab puts processes there): e.g. a
  #    QEMU whose daemon died, or a command left running by `lab exec`.
  for ns in $(lab_namespaces); do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null; done
    lab_wait_for 5 "processes in $ns to exit" lab_netns_empty "$ns" 2>/dev/null \
      || for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
  done
  # 4. Disk leftovers (after QEMU let go of them), then the network, /dev/etherd, the state.
  lab_disk_sweep
  lab_fabric_down
  lab_dev_etherd_release
  rm -rf "$LAB_STATE"
  ns=$(lab_namespaces | xargs)
  [ -z "$ns" ] || lab_die "namespaces left after teardown: $ns"
}

# /dev/etherd is shared by every lab on the machine: removing it while another lab's hosts have
# their tmpfs mounted on it would detach those mounts, so the last lab out removes it.
lab_dev_etherd_release() {
  local other
  [ -e "$LAB_STATE/made-dev-etherd" ] || return 0
  for other in /var/lib/aoelab /var/lib/aoelab[1-9]; do
    [ "$other" != "$LAB_STATE" ] && [ -d "$other" ] || continue
    touch "$other/made-dev-etherd"   # hand the job on
    return 0
  done
  rmdir /dev/etherd 2>/dev/null || lab_log "/dev/etherd is not empty; left in place"
}

lab_netns_empty() { [ -z "$(ip netns pids "$1" 2>/dev/null)" ]; }
