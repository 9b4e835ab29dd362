#!/usr/bin/env bash
# Builds the Debian bookworm test VM (a real L2TP/IPsec client: strongSwan + xl2tpd + pppd) into
# ${COATI_VM_CACHE:-/var/cache/coati-vm}: bookworm.img (raw ext4 root fs), vmlinuz, initrd.img.
#
# Two cached stages, each with a stamp (sha256):
#   rootfs/      debootstrap --variant=minbase of the package list (stamp: suite + packages)
#   the image    rootfs + vminit, pruned modules, a tiny busybox initrd (stamp: packages + vminit +
#                this script)
# Idempotent: does nothing when the stamps match. Concurrent callers are serialised with flock.
# Needs root, debootstrap and mkfs.ext4 (e2fsprogs); downloads from the machine's own apt mirror
# (override: COATI_VM_MIRROR). The image holds no secrets: PSKs and passwords reach the VM through
# its 9p share at run time.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
CACHE="${COATI_VM_CACHE:-/var/cache/coati-vm}"
SUITE=bookworm
PACKAGES=(
  linux-image-amd64 kmod iproute2 iputils-ping procps
  strongswan-starter strongswan-charon libcharon-extra-plugins
  xl2tpd ppp tcpdump busybox
)
# Loaded by the initrd (with their dependencies) to mount the root fs.
ROOT_MODULES=(virtio_pci virtio_blk crc32c_generic ext4)

export PATH="$PATH:/usr/sbin:/sbin"
for tool in debootstrap mkfs.ext4 flock sha256sum gzip; do
  command -v "$tool" >/dev/null 2>&1 \
    || { echo "build-image.sh: '$tool' missing (apt-get install debootstrap e2fsprogs)" >&2; exit 3; }
done
[ "$(id -u)" = 0 ] || { echo "build-image.sh: needs root (debootstrap)" >&2; exit 3; }

rootfs_hash="$(printf '%s\n' "$SUITE" "${PACKAGES[@]}" | sha256sum | cut -d' ' -f1)"
image_hash="$( { echo "$rootfs_hash"; cat "$here/vminit" "$here/build-image.sh"; } | sha256sum | cut -d' ' -f1)"
mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock -w 900 9 || { echo "build-image.sh: could not lock $CACHE/.lock within 900 s" >&2; exit 4; }

if [ -f "$CACHE/bookworm.img" ] && [ -f "$CACHE/vmlinuz" ] && [ -f "$CACHE/initrd.img" ] \
  && [ "$(cat "$CACHE/stamp" 2>/dev/null)" = "$image_hash" ]; then
  echo "build-image.sh: $CACHE/bookworm.img is up to date"
  exit 0
fi
rm -f "$CACHE/stamp"
t0=$(date +%s)
root="$CACHE/rootfs"

# ---- stage 1: debootstrap (the slow part, ~2-4 min)
if [ "$(cat "$CACHE/rootfs.stamp" 2>/dev/null)" != "$rootfs_hash" ] || [ ! -x "$root/sbin/modprobe" ]; then
  mirror="${COATI_VM_MIRROR:-}"
  if [ -z "$mirror" ] && [ -f /etc/apt/sources.list.d/debian.sources ]; then
    mirror="$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources)"
  fi
  if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
    mirror="$(awk '$1=="deb" {for (i=2;i<=NF;i++) if ($i ~ /^https?:/) {print $i; exit}}' /etc/apt/sources.list)"
  fi
  mirror="${mirror:-http://deb.debian.org/debian}"
  rm -rf "$root" "$CACHE/rootfs.stamp"
  inc="$(IFS=,; echo "${PACKAGES[*]}")"
  echo "build-image.sh: debootstrap $SUITE from $mirror into $root"
  if ! debootstrap --variant=minbase --include="$inc" "$SUITE" "$root" "$mirror" > "$CACHE/debootstrap.log" 2>&1; then
    tail -30 "$CACHE/debootstrap.log" >&2
    [ -f "$root/debootstrap/debootstrap.log" ] && tail -30 "$root/debootstrap/debootstrap.log" >&2
    echo "build-image.sh: debootstrap failed (log: $CACHE/debootstrap.log)" >&2
    exit 5
  fi
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* \
    "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/locale/*
  echo "$rootfs_hash" > "$CACHE/rootfs.stamp"
fi
t1=$(date +%s)

# ---- stage 2: the image (idempotent edits of rootfs, ~30 s)
kver="$(ls "$root/lib/modules" | sort -V | tail -1)"
mods="$root/lib/modules/$kver"
install -m755 "$here/vminit" "$root/sbin/vminit"
echo vmclient > "$root/etc/hostname"
printf '127.0.0.1 localhost vmclient\n' > "$root/etc/hosts"
# No secrets in the image: empty the packaged secret files (the test writes its own at run time).
: > "$root/etc/ipsec.secrets"
: > "$root/etc/ppp/chap-secrets"
: > "$root/etc/ppp/pap-secrets"
# Drivers a headless virtio guest never loads (smaller image, faster mkfs).
for d in drivers/gpu drivers/media drivers/infiniband drivers/iio drivers/usb drivers/staging \
  drivers/hwmon drivers/isdn drivers/bluetooth drivers/net/wireless drivers/net/ethernet sound \
  net/wireless net/mac80211 net/bluetooth; do
  rm -rf "${mods:?}/kernel/$d"
done
chroot "$root" depmod "$kver"

# Tiny initrd: busybox + the modules to mount /dev/vda, then switch_root to /sbin/vminit.
# (Debian's initramfs unpacks ~35 MB and runs udev: ~30 s under TCG instead of ~1 s.)
ird="$root/tmp/initrd"
rm -rf "$ird"; mkdir -p "$ird"/{bin,dev,proc,sys,newroot,lib/modules}
cp "$root/bin/busybox" "$ird/bin/busybox"
for lib in $(chroot "$root" ldd /bin/busybox | grep -o '/[^ ]*'); do
  mkdir -p "$ird$(dirname "$lib")"; cp -L "$root$lib" "$ird$lib"
done
order=()
add_module() {  # $1 = path relative to $mods; dependencies first
  local m="$1" d deps
  for x in "${order[@]}"; do [ "$x" = "$m" ] && return 0; done
  deps="$(awk -v m="$m:" '$1 == m {for (i = NF; i >= 2; i--) print $i}' "$mods/modules.dep")"
  for d in $deps; do add_module "$d"; done
  order+=("$m")
}
for name in "${ROOT_MODULES[@]}"; do
  path="$(grep -E "(^|/)${name}\.ko(\.[a-z]+)?:" "$mods/modules.dep" | cut -d: -f1 | head -1)"
  if [ -n "$path" ]; then add_module "$path"
  elif ! grep -qE "(^|/)${name}\.ko" "$mods/modules.builtin"; then
    echo "build-image.sh: module $name neither in modules.dep nor builtin" >&2; exit 6
  fi
done
for m in "${order[@]}"; do cp "$mods/$m" "$ird/lib/modules/"; basename "$m" >> "$ird/modules"; done
cat > "$ird/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t devtmpfs dev /dev
for m in $(/bin/busybox cat /modules); do /bin/busybox insmod /lib/modules/$m; done
i=0; while [ ! -b /dev/vda ] && [ $i -lt 200 ]; do /bin/busybox sleep 0.05; i=$((i + 1)); done
/bin/busybox mount -t ext4 -o rw /dev/vda /newroot || { echo "initrd: cannot mount /dev/vda"; /bin/busybox sh; }
/bin/busybox umount /proc; /bin/busybox umount /dev
exec /bin/busybox switch_root /newroot /sbin/vminit
INIT
chmod 755 "$ird/init"
# cpio from the guest's busybox: the host needs no cpio
chroot "$root" sh -c 'cd /tmp/initrd && find . | busybox cpio -o -H newc 2>/dev/null' | gzip -1 > "$CACHE/initrd.img.tmp"
rm -rf "$ird"
cp "$root/boot/vmlinuz-$kver" "$CACHE/vmlinuz.tmp"
size=$(( $(du -sm "$root" | cut -f1) + 200 ))
rm -f "$CACHE/bookworm.img.tmp"
mkfs.ext4 -q -F -L vmroot -d "$root" "$CACHE/bookworm.img.tmp" "${size}M"
mv -f "$CACHE/vmlinuz.tmp" "$CACHE/vmlinuz"
mv -f "$CACHE/initrd.img.tmp" "$CACHE/initrd.img"
mv -f "$CACHE/bookworm.img.tmp" "$CACHE/bookworm.img"
echo "$image_hash" > "$CACHE/stamp"
t2=$(date +%s)
echo "build-image.sh: built $CACHE/bookworm.img (${size} MiB, kernel $kver): rootfs $((t1 - t0)) s, image $((t2 - t1)) s"
