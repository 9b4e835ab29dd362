#!/usr/bin/env bash
# Builds racoon (ipsec-tools 0.9.1, the maintained fork rdratlos/racoon-ipsec-tools, OpenSSL 3)
# from the pinned tarball into ${COATI_VM_CACHE:-/var/cache/coati-vm}/racoon/root: a staged install
# tree (usr/sbin/racoon, racoonctl, setkey, plainrsa-gen; usr/lib/.../libipsec, libracoon) that the
# racoon tests copy into the Debian test VM through its 9p share at run time (the VM image itself
# stays as build-image.sh makes it). The binaries link against Debian 12's libssl3/libpam, which the
# image already has; setkey is built without readline (only its interactive mode uses it).
#
# Source: RACOON_TARBALL (default ../shared/third-party/racoon-ipsec-tools-0.9.1.tar.gz next to
# the repository); its sha256 is checked. Stamp = tarball sha256 + configure flags + this script.
# Idempotent: does nothing when the stamp matches. Concurrent callers are serialised with flock.
# Build dependencies (Debian): build-essential autoconf automake libtool bison flex libfl-dev
# libssl-dev libpam0g-dev libkrb5-dev libldap2-dev pkgconf (in .ci/run's package list). ~2 min.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
CACHE="${COATI_VM_CACHE:-/var/cache/coati-vm}"
SHA256=a44214e59190a5036657a91913026cfe4e08c9e41e84fdb766e31ee9e1909b85
TARBALL="${RACOON_TARBALL:-$here/../../../shared/third-party/racoon-ipsec-tools-0.9.1.tar.gz}"
FLAGS=(--prefix=/usr --sysconfdir=/etc --localstatedir=/var --enable-hybrid --enable-frag
  --enable-natt --enable-dpd --enable-adminport --without-readline --without-libldap
  --disable-security-context)

for tool in flock sha256sum make gcc autoreconf bison flex pkg-config; do
  command -v "$tool" >/dev/null 2>&1 \
    || { echo "build-racoon.sh: '$tool' missing (apt-get install build-essential autoconf automake libtool bison flex libfl-dev libssl-dev libpam0g-dev libkrb5-dev libldap2-dev pkgconf)" >&2; exit 3; }
done
[ -f "$TARBALL" ] || { echo "build-racoon.sh: $TARBALL missing (set RACOON_TARBALL)" >&2; exit 3; }
[ "$(sha256sum "$TARBALL" | cut -d' ' -f1)" = "$SHA256" ] \
  || { echo "build-racoon.sh: $TARBALL does not have sha256 $SHA256" >&2; exit 3; }

out="$CACHE/racoon"
stamp="$( { echo "$SHA256"; printf '%s\n' "${FLAGS[@]}"; cat "$here/build-racoon.sh"; } | sha256sum | cut -d' ' -f1)"
mkdir -p "$CACHE"
exec 9>"$CACHE/.racoon.lock"
flock -w 900 9 || { echo "build-racoon.sh: could not lock $CACHE/.racoon.lock within 900 s" >&2; exit 4; }
if [ -x "$out/root/usr/sbin/racoon" ] && [ "$(cat "$out/stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "build-racoon.sh: $out/root is up to date"
  exit 0
fi
t0=$(date +%s)
rm -rf "$out"
mkdir -p "$out/src"
tar -xzf "$TARBALL" -C "$out/src" --strip-components=1
cd "$out/src"
log="$out/build.log"
{
  ./bootstrap
  ./configure "${FLAGS[@]}"
  make -j"$(nproc)"
  make install DESTDIR="$out/root.tmp"
} > "$log" 2>&1 || { tail -40 "$log" >&2; echo "build-racoon.sh: build failed (log: $log)" >&2; exit 5; }
rm -rf "$out/root.tmp/usr/share" "$out/root.tmp/usr/include"
find "$out/root.tmp" -name '*.la' -delete -o -name '*.a' -delete
mv "$out/root.tmp" "$out/root"
LD_LIBRARY_PATH="$(dirname "$(find "$out/root" -name "libipsec.so*" | head -1)")" "$out/root/usr/sbin/racoon" -V 2>&1 | head -1 > "$out/version"
rm -rf "$out/src"
echo "$stamp" > "$out/stamp"
echo "build-racoon.sh: built $out/root ($(cat "$out/version")) in $(( $(date +%s) - t0 )) s"
