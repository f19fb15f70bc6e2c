#!/usr/bin/env bash
# Installs the Debian packages that the build, the tests and the demo need.
# Idempotent: packages already present are skipped, so repeated runs cost a few seconds.
set -euo pipefail

packages=(
  openjdk-17-jdk-headless maven     # the build
  iproute2 util-linux procps        # namespaces, veth, nsenter
  vblade aoetools                   # interop peers: the target we replace, the raw-socket tools
  tshark                            # decodes every frame of an integration run
  libvirt-daemon-system libvirt-clients   # the lab: one libvirtd per simulated hypervisor
  qemu-system-x86 qemu-utils              # the lab's guests (TCG) and their images
  busybox-static                          # the lab guest's initramfs (and its cpio)
  fuse3 libfuse3-dev                      # the userspace /dev/etherd (FUSE + loop; -dev: headers for the struct-offset check)
  gcc                                     # compiles the struct-offset check against those headers (Fuse3LayoutIT)
  ansible-core                            # the Ansible collection's tests (ansible/tests/run.sh)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
