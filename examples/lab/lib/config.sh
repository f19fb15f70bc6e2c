# The lab's names, paths and addresses: the one place that says what the lab creates.
# Everything starts with the lab's name so that `lab down` can find leftovers by name.
#
# Several labs can run side by side (parallel test runs): LAB_NAME picks one, aoelab (the
# default) or aoelab1 ... aoelab9. Each has its own namespaces, state and subnet.
LAB_NAME=${LAB_NAME:-aoelab}
if [[ ! $LAB_NAME =~ ^aoelab([1-9]?)$ ]]; then
  echo "lab: LAB_NAME must be aoelab or aoelab1 ... aoelab9, not '$LAB_NAME'" >&2
  exit 2
fi
LAB_INSTANCE=${BASH_REMATCH[1]:-0}
LAB_PREFIX=$LAB_NAME
LAB_STATE=/var/lib/$LAB_NAME        # everything of one lab run; removed by `lab down`
LAB_CACHE=/var/cache/aoelab         # survives `lab down`: the guest build, libvirt's QEMU capabilities
LAB_FABRIC_NS=$LAB_PREFIX-fabric    # holds the bridges, so the root namespace gets no interfaces

# The lab subnet exists only inside the lab's namespaces. The root namespace gets an
# `unreachable` route for it, so a client that dials a lab IP from there fails at once
# instead of sending traffic off the machine.
LAB_NET=10.211.$LAB_INSTANCE
LAB_SUBNET=$LAB_NET.0/24

# Two Ethernet segments, each a bridge in the fabric namespace. Segment 0 carries AoE,
# libvirt's TCP and the migration stream (hosts have their IP there); segment 1 is the
# second AoE path.
LAB_SEGMENTS=(0 1)
lab_bridge() { echo "fab$1"; }       # bridge of segment N (inside $LAB_FABRIC_NS)
lab_host_if() { echo "aoe$1"; }      # a host's interface on segment N (inside the host)

# Our AoE commands; point them at another build with LAB_AOE_TARGET=/path/to/launcher.
LAB_AOE_TARGET=${LAB_AOE_TARGET:-$LAB_ROOT/bin/aoe-target}
LAB_AOE_INITIATOR=${LAB_AOE_INITIATOR:-$LAB_ROOT/bin/aoe-initiator}
# The emulator of the lab's guests (their domain XML's <emulator>); another QEMU with
# LAB_QEMU=/path/to/qemu-system-x86_64. Every hypervisor runs the same one, so a guest migrates.
LAB_QEMU=${LAB_QEMU:-/usr/bin/qemu-system-x86_64}

LAB_STORAGE=storage
LAB_SHELF=1                          # the shelf of every lab export; slots count up from 0
LAB_IMAGE_SIZE=64M
LAB_GUEST_MEMORY_MIB=${LAB_GUEST_MEMORY_MIB:-128}   # each guest's RAM; bench/migration-vs-virsh.sh may ask for more

# Hypervisors are hostA, hostB, ... with index 1, 2, ...; the storage host has index 0.
LAB_HOST_LETTERS=ABCDEFGH
LAB_MAX_HYPERVISORS=${#LAB_HOST_LETTERS}
lab_hypervisor_name() { echo "host${LAB_HOST_LETTERS:$(($1 - 1)):1}"; }
lab_host_index() {
  local rest
  case $1 in
    "$LAB_STORAGE") echo 0 ;;
    host[A-H]) rest=${LAB_HOST_LETTERS%%"${1#host}"*}; echo $((${#rest} + 1)) ;;
    *) return 1 ;;
  esac
}
lab_host_ip() { echo "$LAB_NET.$((10 + $(lab_host_index "$1")))"; }
lab_host_ns() { echo "$LAB_PREFIX-$1"; }
# Locally administered, fixed MACs, so the inventory (and a reservation that names them)
# stays the same from one `lab up` to the next: 02:ae:<host index>:00:00:<segment>.
lab_host_mac() { printf '02:ae:%02x:00:00:%02x' "$(lab_host_index "$1")" "$2"; }
# libvirt needs a distinct host UUID per daemon, or it refuses to migrate ("same host").
lab_host_uuid() { printf 'ae1ab000-0000-4000-8000-%012x' "$(lab_host_index "$1")"; }

lab_host_dir() { echo "$LAB_STATE/hosts/$1"; }
lab_libvirt_sock() { echo "$(lab_host_dir "$1")/run/libvirt/libvirt-sock"; }
# Safe from anywhere on this machine (a unix socket path, no IP involved).
lab_libvirt_uri() { echo "qemu+unix:///system?socket=$(lab_libvirt_sock "$1")"; }
# Only valid inside a lab namespace: what a source libvirtd dials for a peer-to-peer migration.
lab_migration_uri() { echo "qemu+tcp://$(lab_host_ip "$1")/system"; }

lab_images_dir() { echo "$LAB_STATE/storage/images"; }
lab_exports_file() { echo "$LAB_STATE/exports"; }   # lines: GUEST SHELF SLOT IMAGE
lab_hosts_file() { echo "$LAB_STATE/hypervisors"; } # one hypervisor name a line
lab_inventory_file() { echo "$LAB_STATE/inventory.yaml"; }
lab_etherd_name() { echo "e$1.$2"; }
