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

lab_inventory_write() {
  local host name shelf slot image file hosts
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
  } > "$file.tmp"
  mv "$file.tmp" "$file"
}
