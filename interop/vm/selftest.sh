#!/usr/bin/env bash
# Manual self-test of the harness without Java: two VMs on a bridge in namespace coati-vm-st,
# the reference server (share/l2tp-server.sh, 10.98.0.10) and the client (share/l2tp-client.sh,
# 10.98.0.11), MS-CHAPv2, pings of 56 and 1400 bytes through the tunnel. Usage (root):
#   interop/vm/selftest.sh [ENCAP=yes|no] [AUTH=mschapv2|chap|pap]
# Every wait is bounded; qemu processes are killed by PID and the namespace deleted at the end.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
"$here/build-image.sh"
for kv in "$@"; do export "$kv"; done
NS=coati-vm-st
work="$(mktemp -d /tmp/coati-vm-selftest.XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  ip netns del "$NS" 2>/dev/null || true
  echo "selftest: logs in $work"
}
trap cleanup EXIT
ip netns del "$NS" 2>/dev/null || true
ip netns add "$NS"
ip -n "$NS" link set lo up
ip -n "$NS" link add vmbr0 type bridge
ip -n "$NS" addr add 10.98.0.1/24 dev vmbr0
ip -n "$NS" link set vmbr0 up
vm() {  # name tap mac script params...
  local name=$1 tap=$2 mac=$3 script=$4; shift 4
  mkdir -p "$work/$name"; cp -r "$here/share" "$work/$name/share"
  (umask 077; for kv in "$@"; do printf "%s='%s'\n" "${kv%%=*}" "${kv#*=}"; done > "$work/$name/share/params.env")
  ip -n "$NS" tuntap add dev "$tap" mode tap
  ip -n "$NS" link set "$tap" master vmbr0 up
  SHARE="$work/$name/share" SCRIPT=$script NETNS=$NS TAP=$tap MAC=$mac CONSOLE="$work/$name/console.log" \
    "$here/boot.sh" &
  pids+=($!)
}
wait_for() {  # file seconds
  local i=0; while [ ! -e "$1" ] && [ $i -lt $(($2 * 10)) ]; do sleep 0.1; i=$((i + 1)); done; [ -e "$1" ]
}
t0=$(date +%s)
common=(PSK=selftest-psk USER=alice PASSWORD=alice-pass "AUTH=${AUTH:-mschapv2}")
vm srv vmtap0 52:54:00:98:00:10 l2tp-server.sh VMIP=10.98.0.10/24 HOLD=300 "${common[@]}"
vm cli vmtap1 52:54:00:98:00:11 l2tp-client.sh VMIP=10.98.0.11/24 SERVER=10.98.0.10 \
  "ENCAP=${ENCAP:-no}" "PING_SIZES=56 1400" "${common[@]}"
wait_for "$work/srv/share/out/up" 180 || { echo "selftest: server VM not ready"; tail "$work/srv/console.log"; exit 1; }
echo "selftest: server ready after $(( $(date +%s) - t0 )) s"
wait_for "$work/cli/share/out/result.env" 240 || { echo "selftest: no client result"; tail -20 "$work/cli/console.log"; exit 1; }
echo "selftest: client result after $(( $(date +%s) - t0 )) s:"
cat "$work/cli/share/out/result.env"
touch "$work/srv/share/stop"
wait_for "$work/srv/share/out/result.env" 60 || true
grep -q '^OK=yes' "$work/cli/share/out/result.env"
