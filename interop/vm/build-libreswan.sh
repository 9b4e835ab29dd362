#!/usr/bin/env bash
# The Libreswan variant of the Debian test VM image: Libreswan (Debian's 4.10, IKEv1 client with
# kernel ESP) conflicts with the strongSwan packages of bookworm.img, so it gets its own image,
# ${COATI_VM_CACHE:-/var/cache/coati-vm}/libreswan.img: a copy of build-image.sh's prepared root
# fs (vminit, pruned modules; same kernel and initrd) with strongSwan purged and libreswan
# installed in a chroot (xl2tpd and ppp stay, for L2TP/IPsec). boot.sh boots it with
# IMAGE=libreswan.img. Stamp = bookworm.img's stamp + this script; idempotent, flock-serialised
# (the same lock as build-image.sh). ~1 min after build-image.sh. Needs root.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
CACHE="${COATI_VM_CACHE:-/var/cache/coati-vm}"
EXTRA=(libreswan)
PURGE=(strongswan-starter strongswan-charon libcharon-extra-plugins strongswan-libcharon
  libstrongswan)

"$here/build-image.sh"
stamp="$( { cat "$CACHE/stamp"; cat "$here/build-libreswan.sh"; } | sha256sum | cut -d' ' -f1)"
exec 9>"$CACHE/.lock"
flock -w 900 9 || { echo "build-libreswan.sh: could not lock $CACHE/.lock within 900 s" >&2; exit 4; }
if [ -f "$CACHE/libreswan.img" ] && [ "$(cat "$CACHE/libreswan.stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "build-libreswan.sh: $CACHE/libreswan.img is up to date"
  exit 0
fi
t0=$(date +%s)
root="$CACHE/rootfs-libreswan"
rm -rf "$root" "$CACHE/libreswan.stamp"
cp -a "$CACHE/rootfs" "$root"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"   # no service starts in the chroot
chmod 755 "$root/usr/sbin/policy-rc.d"
mount -t proc proc "$root/proc"
trap 'umount "$root/proc" 2>/dev/null || true' EXIT
log="$CACHE/libreswan-apt.log"
if ! chroot "$root" sh -c "export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq &&
    apt-get purge -y -qq ${PURGE[*]} &&
    apt-get install -y -qq --no-install-recommends ${EXTRA[*]} &&
    apt-get clean" > "$log" 2>&1; then
  tail -30 "$log" >&2
  echo "build-libreswan.sh: apt in the chroot failed (log: $log)" >&2
  exit 5
fi
umount "$root/proc"
trap - EXIT
rm -rf "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/* \
  "$root/usr/sbin/policy-rc.d"
: > "$root/etc/resolv.conf"
: > "$root/etc/ipsec.secrets"
chroot "$root" ipsec --version > "$CACHE/libreswan.version" 2>&1 || true
size=$(( $(du -sm "$root" | cut -f1) + 200 ))
rm -f "$CACHE/libreswan.img.tmp"
mkfs.ext4 -q -F -L vmroot -d "$root" "$CACHE/libreswan.img.tmp" "${size}M"
mv -f "$CACHE/libreswan.img.tmp" "$CACHE/libreswan.img"
rm -rf "$root"
echo "$stamp" > "$CACHE/libreswan.stamp"
echo "build-libreswan.sh: built $CACHE/libreswan.img (${size} MiB, $(head -1 "$CACHE/libreswan.version")) in $(( $(date +%s) - t0 )) s"
