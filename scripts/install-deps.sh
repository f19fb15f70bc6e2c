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
  tini                                    # ... each under a subreaper that reaps its stopped QEMUs at once
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

# The lab needs QEMU 9.0 or later. Debian 12's QEMU 7.2 loses dirty pages when it live-migrates a
# TCG guest (fixed upstream by 03bfc2188f, in 9.0): a guest then oopses or hangs after a move, in 3
# of 20 slowed moves in the lab, against none of 61 with QEMU 10. bookworm-backports carries QEMU 10;
# it is asked for per package, so that libvirt and everything else stay at bookworm's versions.
qemu_new_enough() {
  local v
  v=$(dpkg-query -W -f='${Version}' qemu-system-x86 2>/dev/null) && dpkg --compare-versions "$v" ge 1:9.0
}
backports=()
if [ "$(. /etc/os-release && echo "${VERSION_CODENAME:-}")" = bookworm ] && ! qemu_new_enough; then
  backports=(qemu-system-x86/bookworm-backports qemu-system-common/bookworm-backports
    qemu-system-data/bookworm-backports seabios/bookworm-backports)
  grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/ ||
    echo 'deb http://deb.debian.org/debian bookworm-backports main' > /etc/apt/sources.list.d/aoemigrate-bookworm-backports.list
  others=()
  for p in ${missing[@]+"${missing[@]}"}; do [ "$p" = qemu-system-x86 ] || others+=("$p"); done
  missing=(${others[@]+"${others[@]}"})
fi

if ((${#missing[@]} + ${#backports[@]})); then
  echo "install-deps: installing ${missing[*]} ${backports[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends ${missing[@]+"${missing[@]}"} ${backports[@]+"${backports[@]}"} >/dev/null
fi
