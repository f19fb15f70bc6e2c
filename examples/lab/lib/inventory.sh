# The inventory that aoemigrate reads (its format: orchestrator's InventoryReader), written
# to $(lab_inventory_file) by `lab up` and again by each `lab guest`.
#
# libvirtUri is a unix socket URI: it works from any namespace on this machine. migrationUri
# is what a source libvirtd dials for a peer-to-peer migration: a lab IP, valid only inside
# the lab. exec runs a command on the host through `lab exec`. The storage section names the
# storage host's AoE ports, where the daemon's embedded target serves when it runs there.

lab_yaml_ports() {   # HOST INDENT
  local seg
  for seg in "${LAB_SEGMENTS[@]}"; do
    printf '%s- {interface: %s, mac: "%s"}\n' "$2" "$(lab_host_if "$seg")" "$(lab_host_mac "$1" "$seg")"
  done
}

lab_export_id() { echo "$1-disk"; }   # GUEST; the target's config string is "id=<export id>"

# `lab up --guest-memory hostA=200,hostB=512` keeps one "HOST MIB" line per host here; each
# becomes that host's guestMemoryMiB (what the operator lets its guests use in all). The lab's
# hosts share one machine's RAM, so libvirt's free memory is the same on each: this is how a
# lab host can be too small for a guest.
lab_guest_memory_file() { echo "$LAB_STATE/guest-memory"; }

lab_guest_memory_parse() {   # SPEC: writes the file; refuses what is not HOST=MIB,...
  local item host mib
  : > "$(lab_guest_memory_file)"
  for item in ${1//,/ }; do
    host=${item%%=*} mib=${item#*=}
    lab_is_hypervisor "$host" && [[ $mib =~ ^[1-9][0-9]*$ ]] \
      || lab_die "--guest-memory takes HOST=MIB,... with hosts of this lab ($(lab_hypervisors | xargs)), not '$item'"
    echo "$host $mib" >> "$(lab_guest_memory_file)"
  done
}

lab_guest_memory_of() { awk -v h="$1" '$1 == h { print $2 }' "$(lab_guest_memory_file)" 2>/dev/null; }

lab_inventory_write() {
  local host name shelf slot image file hosts mib
  file=$(lab_inventory_file)
  hosts=$(lab_hypervisors | paste -sd, | sed 's/,/, /g')
  {
    echo "# aoemigrate inventory of the lab (examples/lab), written by 'lab up' and 'lab guest'."
    echo "hosts:"
    for host in $(lab_hypervisors); do
      echo "  $host:"
      echo "    libvirtUri: \"$(lab_libvirt_uri "$host")\""
      echo "    migrationUri: \"$(lab_migration_uri "$host")\""
      echo "    exec: [\"$LAB_HOME/lab\", exec, $host, \"--\"]"
      echo "    aoe:"
      lab_yaml_ports "$host" "      "
      mib=$(lab_guest_memory_of "$host")
      [ -z "$mib" ] || echo "    guestMemoryMiB: $mib"
    done
    echo "storage:"
    echo "  stateDir: \"$(lab_host_dir "$LAB_STORAGE")/aoemigrate-state\""
    echo "  interfaces:"
    lab_yaml_ports "$LAB_STORAGE" "    "
    if [ -s "$(lab_exports_file)" ]; then
      echo "exports:"
      while read -r name shelf slot image; do
        echo "  $(lab_export_id "$name"):"
        echo "    shelf: $shelf"
        echo "    slot: $slot"
        echo "    image: \"$image\""
        echo "    ioMode: direct"
        echo "    hosts: [$hosts]"
      done < "$(lab_exports_file)"
    else
      echo "exports: {}"
    fi
    lab_policy_yaml
  } > "$file.tmp"
  mv "$file.tmp" "$file"
}
