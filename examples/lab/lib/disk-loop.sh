# Disk provider "loop" (the stand-in until the userspace initiator lands): a loop device
# over the export's image file, with direct I/O so no host caches the disk, shown as the
# block device /dev/etherd/eS.L in one hypervisor's mount namespace. Each hypervisor gets its
# own loop device, as each real host has its own initiator. Guest I/O does NOT cross the
# fabric with this provider, though the target still answers there (aoe-initiator discover).
#
# Interface of every disk provider (see providers.sh):
#   lab_disk_attach HOST SHELF SLOT IMAGE   make /dev/etherd/eS.L appear inside HOST
#   lab_disk_detach HOST SHELF SLOT         take it away again
#   lab_disk_sweep                          after a crash: undo what no record points to

lab_disk_record() { echo "$LAB_STATE/disks/$1-$(lab_etherd_name "$2" "$3")"; }

lab_disk_attach() {
  local host=$1 shelf=$2 slot=$3 image=$4 loop dev
  dev=/dev/etherd/$(lab_etherd_name "$shelf" "$slot")
  lab_exec "$host" test -b "$dev" && return 0     # attached already
  lab_disk_detach "$host" "$shelf" "$slot"         # a half-done attach, if any
  loop=$(losetup --find --show --direct-io=on "$image") || lab_die "losetup over $image failed"
  mkdir -p "$LAB_STATE/disks"
  echo "$loop $image" > "$(lab_disk_record "$host" "$shelf" "$slot")"
  lab_exec "$host" mknod -m 0660 "$dev" b $(tr : ' ' < "/sys/class/block/${loop#/dev/}/dev") \
    || lab_die "cannot create $dev on $host"
}

lab_disk_detach() {
  local host=$1 record loop image
  record=$(lab_disk_record "$host" "$2" "$3")
  read -r loop image 2>/dev/null < "$record" || return 0
  # The node lives in the host's private tmpfs: gone anyway once the host is.
  if lab_pid_alive "holder-$host" > /dev/null; then
    lab_exec "$host" rm -f "/dev/etherd/$(lab_etherd_name "$2" "$3")" || lab_log "could not remove /dev/etherd/$(lab_etherd_name "$2" "$3") on $host"
  fi
  # Detach only if the loop device still shows our image (it may have been reused since).
  [ "$(losetup -n -O BACK-FILE "$loop" 2>/dev/null)" = "$image" ] && losetup -d "$loop"
  rm -f "$record"
}

# Any loop device whose backing file lives under $LAB_STATE is the lab's.
lab_disk_sweep() {
  local loop file
  losetup -l -n -O NAME,BACK-FILE 2>/dev/null | while read -r loop file; do
    case $file in
      "$LAB_STATE"/*)
        if losetup -d "$loop"; then lab_log "detached $loop ($file)"; else lab_log "could not detach $loop ($file)"; fi ;;
    esac
  done
  rm -rf "$LAB_STATE/disks"
}
