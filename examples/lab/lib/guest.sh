# Guests: an image on the storage host, exported as eS.L, seen by every hypervisor as
# /dev/etherd/eS.L, and a libvirt domain (TCG) that boots the tiny counting guest from it.

lab_serial_log_in_host() { echo "/var/log/libvirt/qemu/$1-serial.log"; }   # path inside a hypervisor
lab_serial_log() { echo "$(lab_host_dir "$1")/log/qemu/$2-serial.log"; }  # HOST GUEST, path from the root namespace
LAB_BOOT_LINE="aoelab-guest: booted"

# lab_domain_xml NAME DEVICE BUILD_DIR [DIRTY_MIB]
lab_domain_xml() {
  local name=$1 device=$2 build=$3 dirty=${4:+ aoelab.dirty=$4}
  cat <<XML
<domain type='qemu'>
  <name>$name</name>
  <memory unit='MiB'>$LAB_GUEST_MEMORY_MIB</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    <kernel>$build/vmlinuz</kernel>
    <initrd>$build/initrd.gz</initrd>
    <cmdline>console=ttyS0 quiet aoelab.name=$name$dirty</cmdline>
  </os>
  <!-- ACPI on: without it libvirt 9.0 passes -no-acpi, which QEMU 9.0 and later refuse. -->
  <features><acpi/></features>
  <cpu mode='custom' match='exact' check='none'><model fallback='forbid'>qemu64</model></cpu>
  <clock offset='utc'/>
  <!-- A reboot would restart the count: stop instead, so a test sees it. -->
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>destroy</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>$LAB_QEMU</emulator>
    <!-- A block device with no host cache: libvirt migrates it as shared storage. -->
    <disk type='block' device='disk'>
      <driver name='qemu' type='raw' cache='none' io='native'/>
      <source dev='$device'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <serial type='file'>
      <source path='$(lab_serial_log_in_host "$name")' append='on'/>
      <target port='0'/>
    </serial>
    <memballoon model='none'/>
  </devices>
</domain>
XML
}

lab_export_of() { awk -v n="$1" '$1 == n' "$(lab_exports_file)" 2>/dev/null; }

# lab_guest_create NAME HOST WAIT(yes|no) [DIRTY_MIB]: with DIRTY_MIB, the guest keeps rewriting
# that much of its memory (guest/init)
lab_guest_create() {
  local name=$1 host=$2 wait=$3 dirty=${4:-} build shelf=$LAB_SHELF slot image device h t
  lab_is_hypervisor "$host" || lab_die "'$host' is not a hypervisor of this lab (hypervisors: $(lab_hypervisors | xargs))"
  [[ $name =~ ^[A-Za-z0-9_-]+$ ]] || lab_die "guest name '$name' may hold only letters, digits, '-' and '_'"
  for h in $(lab_hypervisors); do
    lab_virsh "$h" dominfo "$name" > /dev/null 2>&1 \
      && lab_die "guest $name exists already, on $h (lab status shows it; lab down removes it)"
  done
  [ -x "$LAB_QEMU" ] || lab_die "LAB_QEMU=$LAB_QEMU is not an executable: point it at a qemu-system-x86_64"
  build=$(lab_guest_build)

  # An export without a guest is what an earlier, failed `lab guest NAME` left: go on with it.
  if [ -n "$(lab_export_of "$name")" ]; then
    read -r _ shelf slot image <<< "$(lab_export_of "$name")"
  else
    slot=$(wc -l < "$(lab_exports_file)")
    image=$(lab_images_dir)/$name.img
    mkdir -p "$(lab_images_dir)"
    truncate -s "$LAB_IMAGE_SIZE" "$image"
    echo "$name $shelf $slot $image" >> "$(lab_exports_file)"
  fi
  device=/dev/etherd/$(lab_etherd_name "$shelf" "$slot")
  mkdir -p "$LAB_STATE/guests"
  lab_target_serve
  # Every hypervisor sees every export, as on a real AoE network: any of them can take the guest.
  for h in $(lab_hypervisors); do lab_disk_attach "$h" "$shelf" "$slot" "$image"; done
  lab_inventory_write

  lab_domain_xml "$name" "$device" "$build" "$dirty" > "$LAB_STATE/guests/$name.xml"
  lab_virsh "$host" define "$LAB_STATE/guests/$name.xml" > /dev/null
  t=$(lab_now)
  lab_virsh "$host" start "$name" > /dev/null
  lab_log "guest $name started on $host, disk $device (image $image)"
  if [ "$wait" = yes ]; then
    lab_wait_for 90 "guest $name to boot (see $(lab_serial_log "$host" "$name"))" \
      grep -qs "$LAB_BOOT_LINE" "$(lab_serial_log "$host" "$name")"
    lab_log "guest $name booted in $(lab_since "$t")s: $(grep -a "$LAB_BOOT_LINE" "$(lab_serial_log "$host" "$name")" | tr -d '\r')"
  fi
}

# Peer-to-peer live migration driven by the source libvirtd, the client running inside the
# source host (the destination URI is a lab IP, valid only there). The orchestrator's
# `aoemigrate` does the same and more; this is the plain virsh way.
lab_guest_migrate() {
  local name=$1 dest=$2 src t
  lab_is_hypervisor "$dest" || lab_die "'$dest' is not a hypervisor of this lab (hypervisors: $(lab_hypervisors | xargs))"
  src=$(lab_guest_host "$name")
  [ -n "$src" ] || lab_die "guest $name runs on no hypervisor (lab status)"
  [ "$src" != "$dest" ] || lab_die "guest $name already runs on $dest"
  t=$(lab_now)
  lab_exec "$src" virsh -q -c qemu:///system migrate --live --p2p --persistent --undefinesource \
    "$name" "$(lab_migration_uri "$dest")"
  lab_log "migrated $name $src -> $dest in $(lab_since "$t")s"
}

lab_is_hypervisor() { lab_hypervisors | grep -qx -- "$1"; }
