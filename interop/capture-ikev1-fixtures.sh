#!/usr/bin/env bash
# Captures real IKEv1 exchanges between two strongSwan charons (userspace ESP via kernel-libipsec)
# in two network namespaces this script creates, for coati's test fixtures:
#   OUT/<scenario>/capture.pcapng, cli.log, srv.log (charon, ike/chd level 4), messages.txt,
#   vectors.txt (key derivation values from the initiator's log, see charon-vectors.py)
# Usage: interop/capture-ikev1-fixtures.sh OUTDIR [SCENARIO ...]
# Needs root and: strongswan-charon strongswan-swanctl libcharon-extra-plugins tshark iproute2.
# Traffic stays inside the namespaces fx-cli/fx-srv (10.98.0.0/24); everything is removed at exit.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(realpath -m "$1"); shift
SCENARIOS=("$@")
[ ${#SCENARIOS[@]} -gt 0 ] || SCENARIOS=(mm-aes128-sha1-modp2048 mm-aes256-sha256-modp2048-pfs \
  am-aes256-sha1-ecp256 mm-3des-md5-modp1024)
W=$(mktemp -d /tmp/coati-fx.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.3
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  ip netns del fx-cli 2>/dev/null || true
  ip netns del fx-srv 2>/dev/null || true
  rm -rf "$W"
}
trap cleanup EXIT
SRV=10.98.0.1
CLI=10.98.0.2

netns_up() {
  ip netns del fx-cli 2>/dev/null || true
  ip netns del fx-srv 2>/dev/null || true
  ip netns add fx-cli
  ip netns add fx-srv
  ip link add fxc0 netns fx-cli type veth peer name fxs0 netns fx-srv
  ip -n fx-cli addr add $CLI/24 dev fxc0
  ip -n fx-srv addr add $SRV/24 dev fxs0
  for ns in fx-cli fx-srv; do ip -n $ns link set lo up; done
  ip -n fx-cli link set fxc0 up
  ip -n fx-srv link set fxs0 up
}

charon_start() { # NAME NETNS
  local d=$W/$1
  mkdir -p "$d/swanctl"/{x509,x509ca,private,pubkey}
  cat > "$d/strongswan.conf" <<EOC
charon {
  load_modular = no
  load = random nonce aes sha1 sha2 md5 hmac gmp openssl curve25519 kernel-libipsec kernel-netlink socket-default vici updown
  i_dont_care_about_security_and_use_aggressive_mode_psk = yes
  filelog {
    log { path = $d/charon.log
          append = no
          flush_line = yes
          default = 1
          ike = 4
          chd = 4
          enc = 2
          knl = 1 }
  }
  plugins { vici { socket = unix://$d/charon.vici } }
}
swanctl { socket = unix://$d/charon.vici }
EOC
  ip netns exec "$2" unshare -m --propagation private sh -c \
    "mount -t tmpfs tmpfs /run && exec env STRONGSWAN_CONF=$d/strongswan.conf /usr/lib/ipsec/charon" \
    > "$d/charon.stdout" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 100); do [ -S "$d/charon.vici" ] && return 0; sleep 0.05; done
  echo "charon $1 did not start" >&2; cat "$d/charon.stdout" >&2; return 1
}

sw() { local n=$1; shift; env STRONGSWAN_CONF=$W/$n/strongswan.conf SWANCTL_DIR=$W/$n/swanctl swanctl "$@"; }

write_configs() { # AGGRESSIVE IKE ESP CLIENT_ID
  local aggr=$1 ike=$2 esp=$3 cid=$4
  cat > "$W/srv/swanctl/swanctl.conf" <<EOC
connections {
  fx {
    version = 1
    aggressive = $aggr
    local_addrs = $SRV
    proposals = $ike
    local { auth = psk
            id = fqdn:vpn.test }
    remote { auth = psk }
    children {
      fx { local_ts = 10.201.0.0/24
           remote_ts = 10.202.0.0/24
           esp_proposals = $esp }
    }
  }
}
secrets { ike-fx { secret = "coati-test-psk" } }
EOC
  cat > "$W/cli/swanctl/swanctl.conf" <<EOC
connections {
  fx {
    version = 1
    aggressive = $aggr
    remote_addrs = $SRV
    proposals = $ike
    local { auth = psk
            $cid }
    remote { auth = psk
             id = fqdn:vpn.test }
    children {
      fx { local_ts = 10.202.0.0/24
           remote_ts = 10.201.0.0/24
           esp_proposals = $esp }
    }
  }
}
secrets { ike-fx { secret = "coati-test-psk" } }
EOC
}

run_scenario() {
  local name=$1 aggr=no ike esp cid=""
  case $name in
    mm-aes128-sha1-modp2048) ike=aes128-sha1-modp2048; esp=aes128-sha1 ;;
    mm-aes256-sha256-modp2048-pfs) ike=aes256-sha256-modp2048; esp=aes256-sha256-modp2048 ;;
    am-aes256-sha1-ecp256) aggr=yes; ike=aes256-sha1-ecp256; esp=aes128gcm16; cid="id = keyid:vpngroup" ;;
    mm-3des-md5-modp1024) ike=3des-md5-modp1024; esp=3des-md5 ;;
    *) echo "unknown scenario $name" >&2; return 1 ;;
  esac
  local o=$OUT/$name
  mkdir -p "$o"
  netns_up
  rm -rf "$W/cli" "$W/srv"
  charon_start srv fx-srv
  charon_start cli fx-cli
  write_configs "$aggr" "$ike" "$esp" "$cid"
  sw srv --load-all --noprompt > "$W/srv.load" 2>&1
  sw cli --load-all --noprompt > "$W/cli.load" 2>&1
  ip netns exec fx-srv dumpcap -q -i fxs0 -f "udp port 500 or udp port 4500" -w "$o/capture.pcapng" \
    > "$W/dumpcap.log" 2>&1 &
  local cap=$!
  PIDS+=($cap)
  for _ in $(seq 1 50); do [ -s "$o/capture.pcapng" ] && break; sleep 0.1; done
  timeout 30 env STRONGSWAN_CONF=$W/cli/strongswan.conf SWANCTL_DIR=$W/cli/swanctl \
    swanctl --initiate --child fx > "$o/initiate.log" 2>&1 || { echo "initiate failed: $name" >&2; cat "$o/initiate.log" >&2; }
  sleep 0.5
  kill "$cap"; wait "$cap" 2>/dev/null || true
  cp "$W/cli/charon.log" "$o/cli.log"
  cp "$W/srv/charon.log" "$o/srv.log"
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.5
  PIDS=()
  # one line per ISAKMP datagram: index direction sport dport hex (non-ESP marker stripped)
  tshark -r "$o/capture.pcapng" -Y isakmp -T fields -e ip.src -e udp.srcport -e udp.dstport -e udp.payload \
    | awk -v cli=$CLI '{ d = ($1 == cli) ? "i2r" : "r2i"; p = $4;
        if ($2 == 4500 || $3 == 4500) { if (substr(p, 1, 8) == "00000000") p = substr(p, 9); else next }
        printf "%d %s %s %s %s\n", n++, d, $2, $3, p }' > "$o/messages.txt"
  python3 "$HERE/charon-vectors.py" "$o/cli.log" > "$o/vectors.txt"
  echo "$name: $(wc -l < "$o/messages.txt") ISAKMP messages, $(grep -c = "$o/vectors.txt") vectors"
}

for s in "${SCENARIOS[@]}"; do run_scenario "$s"; done
