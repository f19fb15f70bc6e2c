# Hosts: each is a network namespace (from fabric.sh) plus a mount and a UTS namespace,
# kept alive by a holder process (`sleep infinity`) whose PID is recorded. Entering a host
# means entering the holder's namespaces: that is the lab's `ssh HOST`.
#
# A hypervisor's mount namespace has libvirt's folders (/run, /etc/libvirt, /var/lib/libvirt,
# /var/log/libvirt, /var/cache/libvirt) bind-mounted from its own folder under $LAB_STATE,
# and a private tmpfs on /dev/etherd where its disk provider puts the eS.L block devices.

LAB_LIBVIRT_DIRS=(run:/run etc:/etc/libvirt lib:/var/lib/libvirt log:/var/log/libvirt cache:/var/cache/libvirt)

lab_holder_pid() { lab_pid_alive "holder-$1" || lab_die "host $1 is not up (no holder process): run 'lab up'"; }

# The argv prefix that runs a command inside HOST; also what the inventory hands out.
lab_exec_prefix() { local pid; pid=$(lab_holder_pid "$1"); echo "nsenter -t $pid -n -m -u --wd=/"; }

lab_exec() {   # HOST CMD...
  local host=$1 pid; shift
  pid=$(lab_holder_pid "$host")
  nsenter -t "$pid" -n -m -u --wd="$(pwd -P)" -- "$@"
}

# lab_host_up HOST hypervisor|storage: mount and UTS namespaces inside the host's netns.
lab_host_up() {
  local host=$1 role=$2 dir setup
  dir=$(lab_host_dir "$host")
  mkdir -p "$dir/cgroup"
  # A fresh sysfs shows the host's own network interfaces only (as `ip netns exec` does),
  # so libvirt's device enumeration never looks at the machine's real interfaces; the
  # cgroup tree is carried over into it.
  setup="hostname $host; mount --rbind /sys/fs/cgroup $dir/cgroup; mount -t sysfs $LAB_PREFIX-sysfs /sys"
  setup+="; mount --move $dir/cgroup /sys/fs/cgroup"
  # The lab's own name service: every host resolves the others (and itself) by name.
  setup+="; mount --bind $LAB_STATE/etc-hosts /etc/hosts"
  if [ "$role" = hypervisor ]; then
    local entry
    for entry in "${LAB_LIBVIRT_DIRS[@]}"; do
      [ -d "${entry#*:}" ] || lab_die "${entry#*:} is missing: install libvirt-daemon-system (scripts/install-deps.sh)"
      mkdir -p "$dir/${entry%%:*}"
      setup+="; mount --bind $dir/${entry%%:*} ${entry#*:}"
    done
    # /dev/etherd is the mount point of each hypervisor's private tmpfs. The directory itself
    # sits in the shared /dev; we note that we made it, so `lab down` removes it again.
    if [ ! -d /dev/etherd ]; then mkdir /dev/etherd && touch "$LAB_STATE/made-dev-etherd"; fi
    setup+="; mount -t tmpfs -o mode=0755,size=1m $LAB_PREFIX-etherd /dev/etherd"
  fi
  setup+="; touch $dir/holder.ready; exec sleep infinity"
  # Slave propagation: mounts made inside the host never show up in the root namespace.
  nsenter --net="/run/netns/$(lab_host_ns "$host")" \
    unshare --mount --uts --propagation slave /bin/sh -ec "$setup" \
    > "$dir/holder.log" 2>&1 < /dev/null &
  lab_pid_record "holder-$host" $!
  lab_wait_for 10 "host $host's namespaces (see $dir/holder.log)" test -e "$dir/holder.ready"
}

lab_hypervisors() { cat "$(lab_hosts_file)" 2>/dev/null; }

lab_etc_hosts_write() {
  local host
  {
    printf '127.0.0.1\tlocalhost\n::1\tlocalhost\n'
    for host in "$LAB_STORAGE" $(lab_hypervisors); do printf '%s\t%s\n' "$(lab_host_ip "$host")" "$host"; done
  } > "$LAB_STATE/etc-hosts"
}

# ---- libvirtd, one per hypervisor -------------------------------------------------------

lab_libvirt_configure() {
  local host=$1 dir ip
  dir=$(lab_host_dir "$host"); ip=$(lab_host_ip "$host")
  mkdir -p "$dir/run/libvirt" "$dir/log/qemu" "$dir/cache/qemu/capabilities" "$dir/lib/qemu"
  # TCP only on the host's lab address, no auth: nothing outside the lab's namespaces can reach it.
  cat > "$dir/etc/libvirtd.conf" <<CONF
listen_tls = 0
listen_tcp = 1
listen_addr = "$ip"
auth_tcp = "none"
auth_unix_rw = "none"
auth_unix_ro = "none"
unix_sock_rw_perms = "0770"
host_uuid = "$(lab_host_uuid "$host")"
log_outputs = "3:file:/var/log/libvirt/libvirtd.log"
CONF
  # The hosts share one kernel, cgroup tree and set of users: no cgroups, no per-guest
  # namespaces, no relabelling. stdio_handler=file: no virtlogd needed. The migration
  # address is the lab IP, or the destination would advertise its hostname.
  cat > "$dir/etc/qemu.conf" <<CONF
stdio_handler = "file"
security_driver = "none"
cgroup_controllers = [ ]
namespaces = [ ]
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
migration_address = "$ip"
migration_host = "$ip"
CONF
  # The first use of a fresh daemon probes QEMU for ~8 s; a cache from an earlier run skips
  # that (libvirt re-probes by itself if QEMU or libvirt changed since).
  cp "$LAB_CACHE"/libvirt-capabilities/*.xml "$dir/cache/qemu/capabilities/" 2>/dev/null || true
}

# libvirtd runs under a subreaper (tini -s). libvirt stops a QEMU with SIGTERM and then waits for
# its pid to be gone; QEMU daemonizes, so its parent is PID 1, and on machines whose PID 1 reaps
# orphans late (sandboxes, containers: here about 2 s) every stop of a guest, and so the end of
# every migration, waited that long for the zombie. A real host's systemd reaps at once, and so
# does tini. tini forwards signals to libvirtd and exits with it, so `lab libvirtd HOST kill` still
# kills libvirtd alone: its QEMUs live on (adopted by PID 1 then), as on a real host.
lab_libvirtd_start() {
  local host=$1 dir pid reaper
  dir=$(lab_host_dir "$host")
  pid=$(lab_holder_pid "$host")
  nsenter -t "$pid" -n -m -u --wd=/ -- \
    tini -s -- libvirtd --listen -f /etc/libvirt/libvirtd.conf -p /run/libvirt/libvirtd.pid \
    > "$dir/libvirtd.out" 2>&1 < /dev/null &
  reaper=$!
  lab_pid_record "reaper-$host" "$reaper"
  lab_wait_for 5 "tini on $host to start libvirtd (see $dir/libvirtd.out)" lab_has_child "$reaper"
  lab_pid_record "libvirtd-$host" "$(lab_child_of "$reaper")"
  lab_wait_for 20 "libvirtd on $host (see $dir/libvirtd.out and $dir/log/libvirtd.log)" \
    test -S "$(lab_libvirt_sock "$host")"
}

# The first child of PID (tini's libvirtd); fails while there is none.
lab_child_of() {
  local children
  children=$(cat "/proc/$1/task/$1/children" 2>/dev/null) && [ -n "${children// /}" ] && echo "${children%% *}"
}
lab_has_child() { lab_child_of "$1" > /dev/null; }

# Every hypervisor's first QEMU call at once (the capabilities probe, if not cached), then
# keep the result as the seed for the next `lab up`. The seed is replaced every time: after a QEMU
# or libvirt upgrade, libvirt re-probes once and the next `lab up` gets the new result, instead of
# every `lab up` re-probing past a stale seed. Each file is renamed into place, whole, because
# another lab may be reading the seed at the same moment.
lab_libvirt_warm_up() {
  local host pids=() first xml
  for host in $(lab_hypervisors); do
    lab_virsh "$host" version > /dev/null &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || lab_die "libvirt on a host does not answer 'virsh version'"; done
  first=$(lab_hypervisors | head -n 1)
  mkdir -p "$LAB_CACHE/libvirt-capabilities"
  for xml in "$(lab_host_dir "$first")"/cache/qemu/capabilities/*.xml; do
    [ -f "$xml" ] || continue
    cp "$xml" "$LAB_CACHE/libvirt-capabilities/.${xml##*/}.$$" &&
      mv -f "$LAB_CACHE/libvirt-capabilities/.${xml##*/}.$$" "$LAB_CACHE/libvirt-capabilities/${xml##*/}"
  done
}

# virsh from the root namespace over the host's unix socket (never a lab IP from here).
lab_virsh() { local host=$1; shift; virsh -q -c "$(lab_libvirt_uri "$host")" "$@"; }

# The hypervisor where GUEST is active now, running or paused (empty if none).
lab_guest_host() {
  local host
  for host in $(lab_hypervisors); do
    lab_virsh "$host" list --name 2>/dev/null | grep -qx -- "$1" && { echo "$host"; return; }
  done
  return 0
}
