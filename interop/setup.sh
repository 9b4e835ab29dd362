#!/usr/bin/env bash
# What the tests need on the machine, in one place: ./coati test calls this before Maven, .ci/run
# through ./coati test. As root on Debian it installs the missing packages (apt-get) and builds the
# Debian VM image of the L2TP/IPsec client tests (interop/vm/build-image.sh, ~4 min once, cached
# in /var/cache/coati-vm); otherwise it names exactly what is missing and stops (exit 1).
#   interop/setup.sh            check and install
#   interop/setup.sh --list     print the package list (one per line)
# COATI_SKIP_INTEROP=1: only what the unit tests need (no root, no VM image).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

# THE package list (add new test dependencies here, with the reason):
# openssl: the independent check of the certificates, keys, PKCS#12 files and signatures (pki tests)
# tshark: independent decoder in tests; iproute2, iputils-ping, iptables: namespaces, NAT, pings
# iperf3: throughput through the tunnel; strongSwan: the real IKEv1 peer of the interop tests
# qemu-system-x86, debootstrap, e2fsprogs: the Debian-VM L2TP/IPsec client harness (interop/vm)
# freeradius, freeradius-utils: the RADIUS server and radclient of the AAA tests
# systemd-container: systemd-nspawn, which boots the root fs of packaging/test-systemd.sh
# util-linux: setpriv, which starts the launcher without capabilities (LauncherIT)
# vpnc: the Cisco-style client of VpncIT and the Xauth guessers of GuessingIT; tcpdump: its packet
# count; ike-scan (with psk-crack): the aggressive-mode prober of AggressiveDecoyIT
# build-essential ... pkgconf: build racoon (ipsec-tools 0.9.1, interop/vm/build-racoon.sh) for the
# Debian test VM, since Debian no longer ships it
# python3-minimal: StalledLogIT's wrapper that gives coati a one-page stdout pipe (F_SETPIPE_SZ)
# postgresql, freeradius-postgresql: ScaleOutIT's shared sqlippool (a private cluster the test starts
# on a unix socket in a temporary directory; the distribution's own cluster is not used)
packages=(openssl tshark iproute2 iputils-ping iptables iperf3 strongswan-charon strongswan-swanctl
  libcharon-extra-plugins libcharon-extauth-plugins libstrongswan-standard-plugins
  libstrongswan-extra-plugins qemu-system-x86 debootstrap e2fsprogs freeradius freeradius-utils
  systemd-container util-linux vpnc tcpdump python3-minimal ike-scan postgresql freeradius-postgresql
  build-essential autoconf automake libtool bison flex libfl-dev libssl-dev libpam0g-dev libkrb5-dev
  libldap2-dev pkgconf)
unit_packages=(openssl tshark)

if [ "${1:-}" = "--list" ]; then
  printf '%s\n' "${packages[@]}"
  exit 0
fi
interop=1
[ "${COATI_SKIP_INTEROP:-}" = 1 ] && interop=0
root=0
[ "$(id -u)" = 0 ] && root=1

wanted=("${packages[@]}")
[ "$interop" = 1 ] || wanted=("${unit_packages[@]}")
missing=()
if command -v dpkg >/dev/null 2>&1; then
  for p in "${wanted[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
else
  for tool in openssl tshark; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
fi

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$root" = 1 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # tshark asks whether non-root users may capture; answer no, non-interactively.
    echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "setup: the tests need these packages, which are not installed: ${missing[*]}" >&2
    echo "setup: install them as root (apt-get install ${missing[*]}), or run ./coati test as" \
      "root on Debian, which installs them" >&2
    exit 1
  fi
fi

if [ "$interop" = 1 ]; then
  if [ "$root" != 1 ]; then
    echo "setup: the interop tests need root (network namespaces, TUN devices, UDP 500, the VM):" \
      "run ./coati test as root, or COATI_SKIP_INTEROP=1 ./coati test for the tests without them" >&2
    exit 1
  fi
  # the VM image of the L2TP/IPsec client harness, racoon for it and the Libreswan image variant
  # (idempotent, flock-serialised, cached; ~4 + ~2 + ~1 min the first time)
  "$here/vm/build-image.sh" >&2
  "$here/vm/build-racoon.sh" >&2
  "$here/vm/build-libreswan.sh" >&2
fi
