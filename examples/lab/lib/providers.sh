# The two swap points of the lab. Each names one file in lib/ that implements an interface
# described at the top of the files already there.
#
# How a hypervisor sees an export as /dev/etherd/eS.L:
#   aoe-initiator  bin/aoe-initiator attach inside the host (FUSE + loop, I/O over AoE);
#                  the default: the lab's guests do their I/O over AoE to the target
#   loop           a loop device over the image file (stand-in; no AoE in the I/O path)
LAB_DISK_PROVIDER=${LAB_DISK_PROVIDER:-aoe-initiator}
#
# What serves the images on the storage host:
#   aoe-target     bin/aoe-target --config, one process for all exports
#   vblade         Debian's vblade, one process per export and interface
#   daemon         bin/aoemigrate daemon: its embedded target serves the inventory's exports,
#                  and bin/aoemigrate --config $(lab_inventory_file) VM HOST moves guests
LAB_TARGET=${LAB_TARGET:-aoe-target}

source "$LAB_HOME/lib/disk-$LAB_DISK_PROVIDER.sh"
source "$LAB_HOME/lib/target-$LAB_TARGET.sh"
