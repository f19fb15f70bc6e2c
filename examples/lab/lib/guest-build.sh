# Builds (once, cached in $LAB_CACHE/guest) the lab's tiny guest: Debian's current kernel
# and a busybox initramfs whose init is guest/init. Prints the build directory.
#
# The kernel package is whatever linux-image-amd64 depends on today (never a hard-coded
# version); the cache key covers that package name, the init script and the busybox binary,
# so a kernel update or an edited init rebuilds on the next run.

LAB_GUEST_MODULES=(virtio/virtio_ring virtio/virtio virtio/virtio_pci_legacy_dev
                   virtio/virtio_pci_modern_dev virtio/virtio_pci block/virtio_blk)

lab_kernel_package() {
  local pkg
  pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[^ ]*\)$/\1/p' | head -n 1)
  if [ -z "$pkg" ]; then          # empty package lists (fresh machine): refresh once
    apt-get update -qq >&2 || true
    pkg=$(apt-cache depends linux-image-amd64 | sed -n 's/^ *Depends: \(linux-image-[^ ]*\)$/\1/p' | head -n 1)
  fi
  [ -n "$pkg" ] || lab_die "cannot tell which kernel package linux-image-amd64 depends on (apt-cache depends linux-image-amd64)"
  echo "$pkg"
}

lab_guest_build() {
  local init=$LAB_HOME/guest/init busybox pkg key dir work
  busybox=$(command -v busybox) || lab_die "busybox not found: install busybox-static (scripts/install-deps.sh)"
  [[ $(LC_ALL=C ldd "$busybox" 2>&1) == *"not a dynamic executable"* ]] \
    || lab_die "$busybox is not statically linked: install busybox-static (scripts/install-deps.sh)"
  pkg=$(lab_kernel_package)
  key=$( { echo "$pkg"; cat "$init"; sha256sum < "$busybox"; } | sha256sum | cut -c1-12)
  dir=$LAB_CACHE/guest/$pkg-$key
  if [ -s "$dir/vmlinuz" ] && [ -s "$dir/initrd.gz" ]; then echo "$dir"; return; fi

  lab_log "building the guest ($pkg, busybox initramfs) into $dir"
  work=$(mktemp -d "$LAB_CACHE/guest-build.XXXXXX")
  (
    set -e
    cd "$work"
    apt-get download "$pkg" >/dev/null 2>download.err \
      || { cat download.err >&2; lab_die "apt-get download $pkg failed"; }
    dpkg-deb -x linux-image-*.deb kernel
    mkdir -p initramfs/bin initramfs/proc initramfs/sys initramfs/dev initramfs/lib/modules
    cp "$busybox" initramfs/bin/busybox
    for m in "${LAB_GUEST_MODULES[@]}"; do
      cp kernel/lib/modules/*/kernel/drivers/"$m".ko initramfs/lib/modules/
    done
    install -m 755 "$init" initramfs/init
    mkdir -p out
    cp kernel/boot/vmlinuz-* out/vmlinuz
    (cd initramfs && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1 > ../out/initrd.gz)
  ) || { rm -rf "$work"; return 1; }
  mkdir -p "$LAB_CACHE/guest"
  rm -rf "$dir"
  mv "$work/out" "$dir"
  rm -rf "$work"
  echo "$dir"
}
