#!/usr/bin/env bash
# IKEv1 remote-access handshake load: bench/load/LoadGen (coati's own IKE engine as thousands of
# road warriors, one source address each) against coati or strongSwan as the gateway.
#
#   sudo bench/load/run.sh --gateway coati|strongswan --rate R --sessions N [LoadGen options]
#
# Every road warrior does main mode PSK + Xauth (plain-text password on both gateways) + mode
# config pull + quick mode (MODP-2048 by default), then holds its session (--hold S seconds, DPD
# running). Topology: namespace ld-cli (the generator; clients 10.64.0.1 + i, an AnyIP local route
# so each binds its own address) -- veth -- ld-gw (the gateway at 10.65.0.1, a route back to
# 10.64.0.0/16 through 10.65.0.2). Pool 10.96.0.0/16. The summary (JSON) and the per-second
# timeline go to bench/results/load-<gateway>-<date>.json[.timeline], with `uptime` before and
# after. Knobs (environment): GW_HEAP (coati -Xmx, default 2g), COATI_JFR=FILE (record a JFR
# profile of the gateway), COATI_JAVA_OPTS, LOADGEN_THREADS (default 1), KEEP_WORK=1.
set -euo pipefail

here="$(cd "$(dirname "$0")/../.." && pwd)"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
NS_CLI=ld-cli
NS_GW=ld-gw
CLI_ADDR=10.65.0.2
GW_ADDR=10.65.0.1
CLIENTS=10.64.0.0/16
CLIENT_BASE=10.64.0.1
LAN=10.200.0.0/24
CHARON=/usr/lib/ipsec/charon
PSK_IKE=${PSK_IKE:-aes128-sha256-modp2048}
ESP=${ESP:-aes128-sha1}
GW_HEAP=${GW_HEAP:-2g}

gateway=coati
rate=100
sessions=1000
extra=()
while [ $# -gt 0 ]; do
  case $1 in
    --gateway) gateway=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --sessions) sessions=$2; shift 2 ;;
    *) extra+=("$1"); shift ;;
  esac
done
case $gateway in coati | strongswan) ;; *) echo "run.sh: --gateway coati|strongswan" >&2; exit 2 ;; esac
if [ "$sessions" -gt 60000 ]; then
  echo "run.sh: at most 60000 sessions (one /16 of client addresses and pool)" >&2
  exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "run.sh: needs root (network namespaces, TUN, UDP 500)" >&2
  exit 1
fi
[ -x "$CHARON" ] || { echo "run.sh: apt-get install -y strongswan-charon libcharon-extra-plugins" >&2; exit 1; }
for ns in $NS_CLI $NS_GW; do
  if ip netns list | grep -qw "$ns"; then
    echo "run.sh: namespace $ns exists (another run?); remove it with: ip netns del $ns" >&2
    exit 1
  fi
done

# --- build: coati-server (the gateway) and bench (the generator), never `install` -------------
server_jar="$here/coati-server/target/coati-server-0.1.0-SNAPSHOT.jar"
if [ ! -f "$server_jar" ] || [ ! -f "$here/bench/target/classpath.txt" ] \
  || [ -n "$(find "$here" -path '*/src/main/*' -newer "$server_jar" -print -quit)" ]; then
  echo "== building coati and bench"
  "$here/mvnw" -B -ntp -q -f "$here/pom.xml" -pl coati-protocol,coati-native,coati-server,bench \
    -DskipTests -Dspotless.skip=true package dependency:build-classpath \
    -Dmdep.includeScope=runtime -Dmdep.outputFile=target/runtime-classpath.txt
fi
gw_classpath="$server_jar:$(cat "$here/coati-server/target/runtime-classpath.txt")"
gen_classpath="$here/bench/target/classes:$(cat "$here/bench/target/classpath.txt")"

work="$(mktemp -d /tmp/ld-load.XXXXXX)"
chmod 700 "$work"
pids=()
stop_pid() { # SIGTERM, up to 20 s, then SIGKILL
  local p=$1
  kill -0 "$p" 2> /dev/null || return 0
  kill -TERM "$p" 2> /dev/null || true
  for _ in $(seq 1 200); do
    kill -0 "$p" 2> /dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$p" 2> /dev/null || true
}
on_exit() {
  local rc=$? p
  for p in "${pids[@]}"; do stop_pid "$p"; done
  for ns in $NS_CLI $NS_GW; do
    if ip netns list | grep -qw "$ns"; then
      for p in $(ip netns pids "$ns" 2> /dev/null); do kill -KILL "$p" 2> /dev/null || true; done
      ip netns del "$ns" 2> /dev/null || true
    fi
  done
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "work directory kept: $work" >&2; else rm -rf "$work"; fi
  exit $rc
}
trap on_exit EXIT
trap 'exit 130' INT TERM

# --- namespaces -------------------------------------------------------------------------------
ip netns add $NS_CLI
ip netns add $NS_GW
ip link add ld-c0 netns $NS_CLI type veth peer name ld-g0 netns $NS_GW
ip -n $NS_CLI addr add $CLI_ADDR/24 dev ld-c0
ip -n $NS_GW addr add $GW_ADDR/24 dev ld-g0
ip -n $NS_GW addr add 10.200.0.1/32 dev lo
for ns in $NS_CLI $NS_GW; do ip -n $ns link set lo up; done
ip -n $NS_CLI link set ld-c0 up
ip -n $NS_GW link set ld-g0 up
ip -n $NS_CLI route add local $CLIENTS dev lo # AnyIP: every client binds its own address
ip -n $NS_GW route add $CLIENTS via $CLI_ADDR
psk=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
(umask 077 && printf '%s\n' "$psk" > "$work/psk.txt")

# --- the gateway --------------------------------------------------------------------------------
gw_pid=""
jcmd_args=()
start_coati() {
  local d="$work/coati" opts=("-Xmx$GW_HEAP")
  mkdir -p "$d"
  cp "$work/psk.txt" "$d/psk.txt"
  (umask 077 && for ((i = 0; i < sessions || i < ${WARMUP:-300}; i++)); do printf 'rw%d:{plain}bench-pass\n' "$i"; done > "$d/users.txt")
  cat > "$d/coati.yaml" << EOF2
gateway:
  listen: [$GW_ADDR]
  id: fqdn:vpn.test
secrets:
  psk:
    - peers: any
      secret_file: psk.txt
ike:
  proposals: [$PSK_IKE]
  dpd: { delay: 30s, timeout: 120s }
esp:
  proposals: [$ESP]
users:
  file: users.txt
remote_access:
  pool: 10.96.0.10-10.96.255.250
dataplane:
  tun: ldtun0
  address: 10.96.0.1/16
EOF2
  if [ -n "${COATI_JAVA_OPTS:-}" ]; then read -r -a extra_opts <<< "$COATI_JAVA_OPTS"; opts+=("${extra_opts[@]}"); fi
  if [ -n "${COATI_JFR:-}" ]; then
    opts+=("-XX:StartFlightRecording=filename=$COATI_JFR,settings=profile,dumponexit=true")
  fi
  ip netns exec $NS_GW "$JAVA_HOME/bin/java" "${opts[@]}" --enable-native-access=ALL-UNNAMED \
    -cp "$gw_classpath" dev.coati.Main run --config "$d/coati.yaml" > "$d/coati.log" 2>&1 &
  gw_pid=$!
  pids+=("$gw_pid")
  for _ in $(seq 1 300); do
    grep -q 'running;' "$d/coati.log" && break
    kill -0 "$gw_pid" 2> /dev/null || { cat "$d/coati.log" >&2; exit 1; }
    sleep 0.1
  done
  grep -q 'running;' "$d/coati.log" || { echo "coati did not start" >&2; cat "$d/coati.log" >&2; exit 1; }
  jcmd_args=(--jcmd "$JAVA_HOME/bin/jcmd")
}

start_strongswan() {
  local d="$work/charon"
  mkdir -p "$d/swanctl/x509" "$d/swanctl/private"
  cat > "$d/strongswan.conf" << EOF2
charon {
  load_modular = no
  load = random nonce aes sha1 sha2 md5 hmac gmp openssl curve25519 xauth-generic attr kernel-libipsec kernel-netlink socket-default vici updown
  retransmit_tries = 3
  retransmit_timeout = 2
  filelog { log { path = $d/charon.log
                  append = no
                  default = 0 } }
  plugins { vici { socket = unix://$d/charon.vici } }
}
swanctl { socket = unix://$d/charon.vici }
EOF2
  (
    umask 077
    cat << EOF2
connections {
  rw {
    version = 1
    local_addrs = $GW_ADDR
    proposals = $PSK_IKE
    pools = rw
    dpd_delay = 30s
    local { auth = psk
            id = fqdn:vpn.test }
    remote { auth = psk }
    remote-xauth { auth = xauth }
    children { rw { local_ts = $LAN
                    esp_proposals = $ESP } }
  }
}
pools { rw { addrs = 10.96.0.10-10.96.255.250 } }
secrets {
  ike-rw { secret = "$psk" }
  xauth-all { secret = "bench-pass" }
}
EOF2
  ) > "$d/swanctl/swanctl.conf"
  ip netns exec $NS_GW unshare -m --propagation private sh -c \
    "mount -t tmpfs tmpfs /run && exec env STRONGSWAN_CONF=$d/strongswan.conf $CHARON" \
    > "$d/stdout" 2>&1 &
  pids+=("$!")
  for _ in $(seq 1 100); do [ -S "$d/charon.vici" ] && break; sleep 0.05; done
  [ -S "$d/charon.vici" ] || { echo "charon did not start" >&2; cat "$d/stdout" >&2; exit 1; }
  env STRONGSWAN_CONF="$d/strongswan.conf" SWANCTL_DIR="$d/swanctl" timeout 30 swanctl \
    --load-all --noprompt > "$d/load.log" 2>&1 || { cat "$d/load.log" >&2; exit 1; }
  # the charon process itself (unshare execs sh, which execs charon: same PID as the job)
  gw_pid=${pids[-1]}
}

mkdir -p "$here/bench/results"
stamp=$(date -u +%Y%m%d-%H%M%S)
out="$here/bench/results/load-$gateway-$stamp.json"
"start_$gateway"
echo "== $gateway (PID $gw_pid): $sessions sessions at $rate/s"
ulimit -n "$(ulimit -Hn)" # one socket per client (two after a NAT-T float)
gen() { # gen ARGS...: the load generator in the clients' namespace
  ip netns exec $NS_CLI "$JAVA_HOME/bin/java" -Xmx2g -XX:+UseParallelGC -cp "$gen_classpath" \
    dev.coati.bench.load.LoadGen --gateway $GW_ADDR --psk-file "$work/psk.txt" --remote-ts $LAN "$@"
}
if [ "${WARMUP:-300}" -gt 0 ]; then # JIT warm-up of the gateway; its clients sit at 10.64.250.1+
  echo "== warm-up: ${WARMUP:-300} sessions at 100/s (not counted)"
  gen --client-base 10.64.250.1 --sessions "${WARMUP:-300}" --rate 100 --hold 0 > "$work/warmup.log" 2>&1 \
    || { tail -5 "$work/warmup.log" >&2; exit 1; }
  grep "^{" "$work/warmup.log" || true
  sleep 3
fi
uptime_before=$(uptime)
# one socket per client, two after a NAT-T float (kernel-libipsec fakes NAT-D, so every client
# of strongSwan floats to 4500), and at most 20,000 open files per process here: several
# generators (PER_GENERATOR clients each, default 9,000) share the rate; the first one samples
# the gateway
per=${PER_GENERATOR:-9000}
procs=$(((sessions + per - 1) / per))
gen_pids=()
for ((p = 0; p < procs; p++)); do
  first=$((p * per))
  n=$((sessions - first < per ? sessions - first : per))
  args=(--client-base "10.64.$(((1 + first) / 256)).$(((1 + first) % 256))" --first "$first"
    --sessions "$n" --rate "$(awk -v r="$rate" -v n="$n" -v s="$sessions" 'BEGIN {print r * n / s}')"
    --threads "${LOADGEN_THREADS:-1}" --out "$work/gen$p.json")
  if [ "$p" = 0 ]; then
    args+=(--gateway-pid "$gw_pid" ${jcmd_args[@]+"${jcmd_args[@]}"})
  fi
  if [ "$p" = 0 ]; then
    gen "${args[@]}" ${extra[@]+"${extra[@]}"} &
  else
    gen "${args[@]}" ${extra[@]+"${extra[@]}"} > "$work/gen$p.log" 2>&1 &
  fi
  gen_pids+=("$!")
  pids=("$!" "${pids[@]}")
done
for p in "${gen_pids[@]}"; do
  wait "$p" || echo "run.sh: a load generator exited with $?" >&2
done
python3 - "$work" "$procs" "$out" << 'PY'
import json, math, sys
work, procs, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
parts = [json.load(open(f"{work}/gen{p}.json")) for p in range(procs)]
lat = sorted(int(l) for p in range(procs) for l in open(f"{work}/gen{p}.json.latencies") if l.strip())
pct = lambda q: round(lat[max(0, math.ceil(q / 100 * len(lat)) - 1)] / 1000, 1) if lat else -1
m = dict(parts[0])  # the gateway's CPU, RSS, heap and threads: sampled by generator 0
for k in ("sessions", "established", "failed", "lost_after_setup", "datagrams_in", "datagrams_out",
          "send_errors"):
    m[k] = sum(x[k] for x in parts)
m["rate"] = sum(x["rate"] for x in parts)
m["generators"] = procs
m["ramp_seconds"] = max(x["ramp_seconds"] for x in parts)
m["handshakes_per_s"] = round(m["established"] / m["ramp_seconds"], 1)
m["best_second"] = sum(x["best_second"] for x in parts)
cpu = parts[0]["gw_cpu_seconds_ramp"]
m["handshakes_per_gw_cpu_second"] = round(m["established"] / cpu, 1) if cpu > 0 else 0
m["latency_ms"] = {"p50": pct(50), "p90": pct(90), "p99": pct(99), "max": pct(100)}
fails = {}
for x in parts:
    for k, v in x["failures"].items():
        fails[k] = fails.get(k, 0) + v
m["failures"] = fails
json.dump(m, open(out, "w"))
open(out, "a").write("\n")
print(json.dumps(m))
PY
cp "$work/gen0.json.timeline" "$out.timeline"
cp "$work/gen0.json.threads" "$out.threads" 2> /dev/null || true
uptime_after=$(uptime)
{
  echo "gateway=$gateway sessions=$sessions rate=$rate ike=$PSK_IKE esp=$ESP heap=$GW_HEAP"
  echo "uptime before: $uptime_before"
  echo "uptime after:  $uptime_after"
  nproc
  grep -m1 'model name' /proc/cpuinfo
} > "$out.conditions"
echo "== results: $out (.timeline, .conditions); uptime after: $uptime_after"
