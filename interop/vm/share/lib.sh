# Sourced by the scripts in the share (runs inside the VM, /bin/sh = dash).
# Reads the test's parameters from /mnt/share/params.env (KEY='value' lines, written by the test)
# and collects machine-readable results in /tmp/result.env (KEY=value, one a line), published
# atomically as /mnt/share/out/result.env by publish.
S=/mnt/share
O=$S/out
mkdir -p "$O"
R=/tmp/result.env
: > "$R"
ts() { cut -d' ' -f1 /proc/uptime; }
res() { echo "$1=$2" >> "$R"; }
publish() { cp "$R" "$O/result.env.tmp" && mv -f "$O/result.env.tmp" "$O/result.env"; }
[ -f "$S/params.env" ] && . "$S/params.env"
cap() { v=${1:-0}; [ "$v" -gt "$2" ] 2>/dev/null && v=$2; echo "$v"; }   # bounded number

# eth0 (virtio-net on the tap) gets VMIP (addr/len) and optionally the default route VMGW.
net_up() {
  [ -n "${VMIP:-}" ] || { echo "net_up: VMIP missing"; return 1; }
  i=0; while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  ip addr add "$VMIP" dev eth0 && ip link set eth0 up || return 1
  if [ -n "${VMGW:-}" ]; then ip route add default via "$VMGW" || return 1; fi
  # Wait for the link to be usable (carrier on the tap), bounded.
  i=0; while [ "$(cat /sys/class/net/eth0/carrier 2>/dev/null)" != 1 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
  res T_NET_UP "$(ts)"
}

# Strongswan logging (to /run/charon.log) and bounded retransmissions, for client and server.
strongswan_conf() {
  cat > /etc/strongswan.d/coati-vm.conf <<SW
charon {
    retransmit_tries = ${IKE_RETRANSMIT_TRIES:-3}
    retransmit_timeout = 2
    retransmit_base = 1.5
    filelog {
        run { path = /run/charon.log
              time_format = %H:%M:%S
              flush_line = yes
              default = 1
              ike = 2
              cfg = 2
              knl = 2 }
    }
}
SW
}

# Starts charon via the starter (classic ipsec.conf), waits (bounded) for its control socket.
ipsec_start() {
  ipsec start > /tmp/ipsec-start.log 2>&1
  # charon is up and the starter has loaded the connection (ipsec up before that fails, rc 7)
  i=0; while [ $i -lt 200 ]; do ipsec statusall 2>/dev/null | grep -q '^ *L2TP-PSK:' && return 0; sleep 0.1; i=$((i + 1)); done
  return 1
}

kernel_modules() {
  modprobe -a esp4 xfrm_user af_key l2tp_core l2tp_netlink l2tp_ppp ppp_generic ppp_async 2>/dev/null
  [ -c /dev/ppp ] || mknod /dev/ppp c 108 0
  mkdir -p /run/xl2tpd /var/run/xl2tpd
}

collect_logs() {
  cp /run/charon.log "$O/charon.log" 2>/dev/null
  cp /tmp/pluto.log "$O/pluto.log" 2>/dev/null
  cp /tmp/xl2tpd.log "$O/xl2tpd.log" 2>/dev/null
  cp /tmp/ppp.log "$O/pppd.log" 2>/dev/null
  cp /tmp/ipsec-start.log "$O/" 2>/dev/null
  { ip addr; ip route; ip xfrm state; ip xfrm policy; } > "$O/net.txt" 2>&1
  ipsec statusall > "$O/ipsec-statusall.txt" 2>&1
}

# long_ping N SRC: N pings of 56 bytes at 0.2 s from SRC (the tunnel's inner address: only the
# tunnel carries replies to it; the VM's own address would reach the LAN in clear through the
# gateway or the NAT) to PING_TARGET (bounded: at most 1500, 5 minutes), e.g. across an SA's
# expiry; PING_LONG_TX / PING_LONG_RX (TX 0: SRC vanished), the output in out/ping-long.txt.
long_ping() {
  n=$(cap "${1:-0}" 1500)
  [ "$n" -gt 0 ] || return 0
  [ -n "${2:-}" ] || { res PING_LONG_TX 0; res PING_LONG_RX 0; return 0; }
  res T_LONG_PING "$(ts)"
  timeout 320 ping -n -i 0.2 -W 1 -c "$n" -I "$2" "$PING_TARGET" > "$O/ping-long.txt" 2>&1
  tx=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$O/ping-long.txt")
  rx=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$O/ping-long.txt")
  res PING_LONG_TX "${tx:-0}"
  res PING_LONG_RX "${rx:-0}"
  res T_LONG_PING_END "$(ts)"
}
