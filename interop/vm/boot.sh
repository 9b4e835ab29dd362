#!/usr/bin/env bash
# Boots the coati test VM headless; the qemu process replaces this script (exec), so its PID is
# the caller's child PID (QemuVm kills it with SIGKILL for an abrupt "client vanished").
#
# Environment:
#   SHARE     host dir exported over 9p as /mnt/share (scripts, params.env; the VM writes out/)
#   SCRIPT    script in SHARE that vminit runs (default l2tp-client.sh)
#   NETNS     network namespace to run qemu in (optional; without it the VM has no NIC)
#   TAP       tap device in NETNS (created if missing; the caller adds it to a bridge / addresses)
#   MAC       guest MAC address (optional; default derived by qemu)
#   ACCEL     tcg (default) or kvm
#   CONSOLE   serial console log file (default SHARE/../console.log)
#   MEM       guest memory in MiB (default 512)
#   IMAGE     root fs image in the cache (default bookworm.img; libreswan.img by build-libreswan.sh)
#   COATI_VM_CACHE  image dir (default /var/cache/coati-vm, made by build-image.sh)
# The disk is opened with -snapshot: writes go to a throwaway overlay, so several VMs can boot
# from one image at the same time and the image stays pristine.
set -euo pipefail
CACHE="${COATI_VM_CACHE:-/var/cache/coati-vm}"
: "${SHARE:?SHARE (9p share dir) is required}"
SCRIPT="${SCRIPT:-l2tp-client.sh}"
ACCEL="${ACCEL:-tcg}"
CONSOLE="${CONSOLE:-$(dirname "$SHARE")/console.log}"
MEM="${MEM:-512}"
IMAGE="${IMAGE:-bookworm.img}"
for f in "$IMAGE" vmlinuz initrd.img; do
  [ -f "$CACHE/$f" ] || { echo "boot.sh: $CACHE/$f missing (run build-image.sh)" >&2; exit 3; }
done
case "$ACCEL" in
  kvm) accel=(-accel kvm -cpu "${KVM_CPU:-host,-arch-capabilities}") ;;
  tcg) accel=(-accel tcg -cpu max) ;;
  *) echo "boot.sh: ACCEL must be kvm or tcg" >&2; exit 2 ;;
esac
net=(-nic none)
pre=()
if [ -n "${NETNS:-}" ]; then
  TAP="${TAP:-vmtap0}"
  ip -n "$NETNS" link show "$TAP" >/dev/null 2>&1 || ip -n "$NETNS" tuntap add dev "$TAP" mode tap
  ip -n "$NETNS" link set "$TAP" up
  # romfile=: no iPXE option ROM (we boot the kernel directly)
  net=(-netdev "tap,id=n0,ifname=$TAP,script=no,downscript=no"
       -device "virtio-net-pci,netdev=n0,romfile=${MAC:+,mac=$MAC}")
  pre=(ip netns exec "$NETNS")
fi
exec "${pre[@]}" qemu-system-x86_64 "${accel[@]}" -m "$MEM" -smp 1 -nodefaults -display none \
  -no-reboot -monitor none -serial "file:$CONSOLE" \
  -kernel "$CACHE/vmlinuz" -initrd "$CACHE/initrd.img" \
  -append "root=/dev/vda rw console=ttyS0 init=/sbin/vminit net.ifnames=0 quiet loglevel=3 panic=-1 test=/mnt/share/$SCRIPT" \
  -drive "file=$CACHE/$IMAGE,if=virtio,format=raw,snapshot=on" \
  -virtfs "local,path=$SHARE,mount_tag=share,security_model=none,id=share" \
  "${net[@]}"
