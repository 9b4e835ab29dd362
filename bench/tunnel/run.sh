#!/usr/bin/env bash
# Tunnel throughput: coati vs strongSwan (kernel-libipsec) as the IKEv1/ESP gateway, same topology.
#
#   sudo bench/tunnel/run.sh                 # everything, REPEATS=3
#   REPEATS=1 SUITES=gcm GATEWAYS=coati TESTS=tcp TCP_SECONDS=30 \
#     COATI_JFR=/tmp/coati.jfr sudo -E bench/tunnel/run.sh     # JFR profile of coati under TCP
#
# Topology (all in namespaces named cb-*, nothing in the root namespace carries traffic):
#   cb-cli  10.203.0.2/24 (veth cb-c0), inner address 10.202.0.1/32 on lo, strongSwan charon
#           (kernel-libipsec, IKEv1 main mode PSK initiator), iperf3 client bound to 10.202.0.1
#   cb-gw   10.203.0.1/24 (veth cb-g0), "LAN" address 10.200.0.1/32 on lo, the gateway under test
#           (coati, or a second charon with kernel-libipsec), iperf3 server bound to 10.200.0.1
# The child SA is 10.202.0.1/32 <-> 10.200.0.0/24, ESP in UDP 4500 (libipsec always encapsulates).
#
# Tests per (gateway, suite): tcp (client -> gateway LAN, 1 stream), tcp-r (gateway LAN -> client,
# iperf3 -R), udp (fixed offered rate UDP_RATE), flood (-b 0). UDP reports what the receiver got.
# The gateway's CPU time and peak RSS (VmHWM, and VmRSS sampled during the flood) are recorded.
#
# Environment (all optional):
#   REPEATS=3 GATEWAYS="coati strongswan" SUITES="gcm cbc" TESTS="tcp tcp-r udp flood"
#   TCP_SECONDS=10 UDP_SECONDS=8 UDP_RATE=200M UDP_LEN=1300 WARMUP_SECONDS=3 (untimed TCP first)
#   COATI_JAVA_OPTS="..."   extra JVM options for coati (word-split), e.g. -Xmx512m
#   COATI_JFR=FILE.jfr      adds -XX:StartFlightRecording (profile settings), dumped when coati stops
#   LAN_HOST=1              iperf3 server on a third namespace cb-lan (10.200.0.1/24, via veth)
#                           behind the gateway, which then forwards instead of delivering locally
#   KEEP_WORK=1             keep the work directory (configs, logs; the PSK is in there, mode 0600)
# Output: a table on stdout, bench/results/tunnel-<date>.jsonl (one line per measurement) and
# bench/results/tunnel-<date>.txt (the table).
set -euo pipefail

here="$(cd "$(dirname "$0")/../.." && pwd)"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}

REPEATS=${REPEATS:-3}
GATEWAYS=${GATEWAYS:-coati strongswan}
SUITES=${SUITES:-gcm cbc}
TESTS=${TESTS:-tcp tcp-r udp flood}
TCP_SECONDS=${TCP_SECONDS:-10}
UDP_SECONDS=${UDP_SECONDS:-8}
UDP_RATE=${UDP_RATE:-200M}
UDP_LEN=${UDP_LEN:-1300}
WARMUP_SECONDS=${WARMUP_SECONDS:-3}

NS_CLI=cb-cli
NS_GW=cb-gw
NS_LAN=cb-lan
LAN_HOST=${LAN_HOST:-0}
CLI_ADDR=10.203.0.2
GW_ADDR=10.203.0.1
CLI_INNER=10.202.0.1
LAN_ADDR=10.200.0.1
CHARON=/usr/lib/ipsec/charon

# --- prerequisites: root and the tools; we install nothing ourselves -------------------------
if [ "$(id -u)" -ne 0 ]; then
  echo "run.sh: needs root (network namespaces, TUN devices, UDP 500/4500)" >&2
  exit 1
fi
missing=()
command -v iperf3 > /dev/null || missing+=(iperf3)
[ -x "$CHARON" ] || missing+=(strongswan-charon)
command -v swanctl > /dev/null || missing+=(strongswan-swanctl)
[ -f /usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so ] || missing+=(libcharon-extra-plugins)
command -v jq > /dev/null || missing+=(jq)
command -v ip > /dev/null || missing+=(iproute2)
if [ ${#missing[@]} -gt 0 ]; then
  echo "run.sh: missing packages; install them with:" >&2
  echo "  apt-get install -y ${missing[*]}" >&2
  exit 1
fi
if [ ! -x "$JAVA_HOME/bin/java" ]; then
  echo "run.sh: no JDK at $JAVA_HOME (set JAVA_HOME to a JDK 25)" >&2
  exit 1
fi
for ns in $NS_CLI $NS_GW $NS_LAN; do
  if ip netns list | grep -qw "$ns"; then
    echo "run.sh: namespace $ns exists already (another run?); delete it with: ip netns del $ns" >&2
    exit 1
  fi
done

# --- build coati if a jar is missing or older than a source file ------------------------------
# ./coati build passes extra arguments to Maven: the same run writes the runtime class path
# (coati's jars plus snakeyaml-engine from ~/.m2) to coati-server/target/runtime-classpath.txt.
server_jar="$here/coati-server/target/coati-server-0.1.0-SNAPSHOT.jar"
cpfile="$here/coati-server/target/runtime-classpath.txt"
if [ ! -f "$server_jar" ] || [ ! -f "$cpfile" ] \
  || [ -n "$(find "$here" -path '*/src/main/*' -newer "$server_jar" -print -quit)" ]; then
  echo "== building coati (./coati build)"
  "$here/coati" build dependency:build-classpath -Dmdep.includeScope=runtime \
    -Dmdep.outputFile=target/runtime-classpath.txt
fi
# keep the runtime entries; test-only libraries (JUnit, ArchUnit, Jazzer, -tests jars) can appear
# in the file (slf4j + logback are runtime: the log set-up uses them)
classpath="$server_jar:$(tr ':' '\n' < "$cpfile" \
  | grep -vE '/(junit|archunit|opentest4j|apiguardian|jazzer)|-tests\.jar$' | paste -sd:)"

# --- work directory, cleanup trap --------------------------------------------------------------
work="$(mktemp -d /tmp/cb-bench.XXXXXX)"
chmod 700 "$work"
pids=()      # every process we start (charons, coati, iperf3 server, samplers)
gw_pid=""    # the gateway charon, the client charon and coati (set when started)
cli_pid=""
coati_pid=""

stop_pid() { # stop_pid PID: SIGTERM, wait up to 15 s (coati deletes its SAs, JFR dumps), SIGKILL
  local p=$1
  kill -0 "$p" 2> /dev/null || return 0
  kill -TERM "$p" 2> /dev/null || true
  for _ in $(seq 1 150); do
    kill -0 "$p" 2> /dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$p" 2> /dev/null || true
}

teardown() { # stops what this session started and removes the namespaces
  local p
  for p in "${pids[@]}"; do stop_pid "$p"; done
  pids=()
  for ns in $NS_CLI $NS_GW $NS_LAN; do
    if ip netns list | grep -qw "$ns"; then
      # anything still inside our own namespaces was started by us
      for p in $(ip netns pids "$ns" 2> /dev/null); do kill -KILL "$p" 2> /dev/null || true; done
      ip netns del "$ns" 2> /dev/null || true
    fi
  done
}

on_exit() {
  local rc=$?
  teardown
  if [ "${KEEP_WORK:-0}" = 1 ]; then
    echo "work directory kept: $work" >&2
  else
    rm -rf "$work"
  fi
  exit $rc
}
trap on_exit EXIT
trap 'exit 130' INT TERM

# --- namespaces: client and gateway joined by one veth pair -----------------------------------
netns_up() {
  ip netns add $NS_CLI
  ip netns add $NS_GW
  ip link add cb-c0 netns $NS_CLI type veth peer name cb-g0 netns $NS_GW
  ip -n $NS_CLI addr add $CLI_ADDR/24 dev cb-c0
  ip -n $NS_GW addr add $GW_ADDR/24 dev cb-g0
  ip -n $NS_CLI addr add $CLI_INNER/32 dev lo
  for ns in $NS_CLI $NS_GW; do ip -n "$ns" link set lo up; done
  ip -n $NS_CLI link set cb-c0 up
  ip -n $NS_GW link set cb-g0 up
  if [ "$LAN_HOST" = 1 ]; then
    # a LAN host behind the gateway: the gateway forwards between its tunnel and cb-g1
    ip netns add $NS_LAN
    ip link add cb-l0 netns $NS_LAN type veth peer name cb-g1 netns $NS_GW
    ip -n $NS_LAN addr add $LAN_ADDR/24 dev cb-l0
    ip -n $NS_GW addr add 10.200.0.254/24 dev cb-g1
    ip -n $NS_LAN link set lo up
    ip -n $NS_LAN link set cb-l0 up
    ip -n $NS_GW link set cb-g1 up
    ip -n $NS_LAN route add default via 10.200.0.254
    ip netns exec $NS_GW sysctl -qw net.ipv4.ip_forward=1
    SRV_NS=$NS_LAN
  else
    # the "LAN" is an address on the gateway's lo (as in the interop tests)
    ip -n $NS_GW addr add $LAN_ADDR/32 dev lo
    SRV_NS=$NS_GW
  fi
}

# --- strongSwan: one charon per namespace, own strongswan.conf, private /run -------------------
charon_start() { # charon_start NAME NETNS SWANCTL_CONF_TEXT
  local name=$1 ns=$2 conf=$3 d="$work/$1"
  rm -rf "$d" # a fresh directory: no stale vici socket from the previous session
  mkdir -p "$d/swanctl/x509" "$d/swanctl/private"
  # kernel-libipsec (userspace ESP on a TUN device) must come before kernel-netlink
  cat > "$d/strongswan.conf" << EOF
charon {
  load_modular = no
  load = random nonce aes sha1 sha2 md5 hmac gmp openssl curve25519 kernel-libipsec kernel-netlink socket-default vici updown
  retransmit_tries = 3
  retransmit_timeout = 2
  filelog { log { path = $d/charon.log
                  append = no
                  flush_line = yes
                  default = 1 } }
  plugins { vici { socket = unix://$d/charon.vici } }
}
swanctl { socket = unix://$d/charon.vici }
EOF
  (umask 077 && printf '%s\n' "$conf" > "$d/swanctl/swanctl.conf")
  # charon hard-codes /var/run/charon.pid: give it a private tmpfs on /run (unshare -m); the
  # shell execs env which execs charon, so $! is charon's PID
  ip netns exec "$ns" unshare -m --propagation private sh -c \
    "mount -t tmpfs tmpfs /run && exec env STRONGSWAN_CONF=$d/strongswan.conf $CHARON" \
    > "$d/stdout" 2>&1 &
  pids+=("$!")
  printf -v "${name}_pid" '%s' "$!" # gw_pid or cli_pid
  for _ in $(seq 1 100); do
    [ -S "$d/charon.vici" ] && break
    sleep 0.05
  done
  if [ ! -S "$d/charon.vici" ]; then
    echo "charon $name did not start:" >&2
    cat "$d/stdout" >&2
    return 1
  fi
  swanctl_in "$name" --load-all --noprompt > "$d/load.log" 2>&1 \
    || { cat "$d/load.log" >&2; return 1; }
}

swanctl_in() { # swanctl_in NAME ARGS...: swanctl against that charon's vici socket, bounded
  local d="$work/$1"
  shift
  env STRONGSWAN_CONF="$d/strongswan.conf" SWANCTL_DIR="$d/swanctl" timeout 30 swanctl "$@"
}

esp_proposal() { # strongSwan syntax; coati uses the same strings
  case $1 in
    gcm) echo aes128gcm16 ;;
    cbc) echo aes128-sha1 ;;
    *) echo "unknown suite $1" >&2; return 1 ;;
  esac
}

client_conf() { # client_conf ESP PSK
  cat << EOF
connections {
  bench {
    version = 1
    remote_addrs = $GW_ADDR
    proposals = aes128-sha256-modp2048
    local { auth = psk }
    remote { auth = psk
             id = fqdn:vpn.test }
    children { bench { local_ts = $CLI_INNER/32
                       remote_ts = $LAN_ADDR/24
                       esp_proposals = $1 } }
  }
}
secrets { ike-bench { secret = "$2" } }
EOF
}

gateway_conf() { # gateway_conf ESP PSK: strongSwan as the responder, same selectors as coati
  cat << EOF
connections {
  bench {
    version = 1
    local_addrs = $GW_ADDR
    proposals = aes128-sha256-modp2048
    local { auth = psk
            id = fqdn:vpn.test }
    remote { auth = psk }
    children { bench { local_ts = $LAN_ADDR/24
                       remote_ts = $CLI_INNER/24
                       esp_proposals = $1 } }
  }
}
secrets { ike-bench { secret = "$2" } }
EOF
}

# --- coati: started as CoatiProcess does, in the gateway namespace ----------------------------
coati_start() { # coati_start ESP PSK
  local d="$work/coati" opts=()
  rm -rf "$d"
  mkdir -p "$d"
  (umask 077 && printf '%s\n' "$2" > "$d/psk.txt")
  cat > "$d/coati.yaml" << EOF
gateway:
  listen: [$GW_ADDR]
  id: fqdn:vpn.test
secrets:
  psk:
    - peers: any
      secret_file: psk.txt
ike:
  proposals: [aes128-sha256-modp2048]
esp:
  proposals: [$1]
dataplane:
  tun: cbtun0
  address: 10.202.0.254/24
  mtu: 1400
EOF
  if [ -n "${COATI_JAVA_OPTS:-}" ]; then
    read -r -a opts <<< "$COATI_JAVA_OPTS"
  fi
  if [ -n "${COATI_JFR:-}" ]; then
    opts+=("-XX:StartFlightRecording=filename=$COATI_JFR,settings=profile,dumponexit=true")
  fi
  ip netns exec $NS_GW "$JAVA_HOME/bin/java" ${opts[@]+"${opts[@]}"} \
    --enable-native-access=ALL-UNNAMED -cp "$classpath" dev.coati.Main run \
    --config "$d/coati.yaml" > "$d/coati.log" 2>&1 &
  pids+=("$!")
  coati_pid=$!
  for _ in $(seq 1 150); do
    grep -q 'running;' "$d/coati.log" && return 0
    kill -0 "$coati_pid" 2> /dev/null || break
    sleep 0.1
  done
  echo "coati did not start:" >&2
  cat "$d/coati.log" >&2
  return 1
}

# --- measurements -------------------------------------------------------------------------------
cpu_ticks() { # utime+stime of a PID in clock ticks
  awk '{print $14 + $15}' "/proc/$1/stat" 2> /dev/null || echo 0
}

drops() { # drops NETNS TUNDEV -> "udp_rcvbuf_errors tun_tx_dropped" (kernel counters in NETNS)
  local u t
  # shellcheck disable=SC2016 # $1..$6 are awk's fields
  u=$(ip netns exec "$1" awk '$1 == "Udp:" && $2 ~ /^[0-9]/ {print $6}' /proc/net/snmp 2> /dev/null)
  t=$(ip netns exec "$1" cat "/sys/class/net/$2/statistics/tx_dropped" 2> /dev/null)
  echo "${u:-0} ${t:-0}"
}

rss_kb() { # rss_kb PID FIELD (VmRSS or VmHWM), in kB
  awk -v f="$2:" '$1 == f {print $2}' "/proc/$1/status" 2> /dev/null || echo 0
}

run_iperf() { # run_iperf TEST OUTFILE: one bounded iperf3 client run in the client namespace
  local t=$1 out=$2 args=(-c "$LAN_ADDR" -B "$CLI_INNER" -J)
  case $t in
    tcp) args+=(-t "$TCP_SECONDS") ;;
    tcp-r) args+=(-t "$TCP_SECONDS" -R) ;;
    udp) args+=(-u -b "$UDP_RATE" -l "$UDP_LEN" -t "$UDP_SECONDS") ;;
    flood) args+=(-u -b 0 -l "$UDP_LEN" -t "$UDP_SECONDS") ;;
  esac
  timeout $((TCP_SECONDS + UDP_SECONDS + 30)) ip netns exec $NS_CLI iperf3 "${args[@]}" > "$out" 2>&1
}

# From an iperf3 JSON file: Mbit/s as the receiver counted it (iperf3's own sum_received: bytes
# over the receiver's interval), Mbit/s offered by the sender, loss % (UDP), TCP retransmits
parse_iperf() { # parse_iperf FILE -> "mbps sent loss retr"
  jq -r '[(.end.sum_received.bits_per_second // 0) / 1e6,
          (.end.sum_sent.bits_per_second // 0) / 1e6,
          (.end.sum_received.lost_percent // 0),
          (.end.sum_sent.retransmits // 0)] | @tsv' "$1" 2> /dev/null || echo "0 0 0 0"
}

stamp="$(date +%Y%m%d-%H%M%S)"
mkdir -p "$here/bench/results"
suffix=""
[ "$LAN_HOST" = 1 ] && suffix="-lanhost"
jsonl="$here/bench/results/tunnel-$stamp$suffix.jsonl"
txt="$here/bench/results/tunnel-$stamp$suffix.txt"
: > "$jsonl"

session() { # session REPEAT GATEWAY SUITE: fresh namespaces, tunnel up, every test, teardown
  local rep=$1 gw=$2 suite=$3 esp psk gwpid t f mbps sent loss retr c0 c1 w0 w1 cpu hwm peak
  local k0 k1 ccpu chwm tundev gu0 gt0 gu1 gt1 cu0 ct0 cu1 ct1
  esp="$(esp_proposal "$suite")"
  psk="$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
  netns_up
  if [ "$gw" = coati ]; then
    coati_start "$esp" "$psk"
    gwpid=$coati_pid
    tundev=cbtun0
  else
    tundev=ipsec0
    charon_start gw $NS_GW "$(gateway_conf "$esp" "$psk")"
    gwpid=$gw_pid
  fi
  charon_start cli $NS_CLI "$(client_conf "$esp" "$psk")"
  if ! swanctl_in cli --initiate --child bench > "$work/cli/initiate.log" 2>&1; then
    echo "tunnel did not come up ($gw/$suite):" >&2
    cat "$work/cli/initiate.log" >&2
    [ "$gw" = coati ] && tail -20 "$work/coati/coati.log" >&2
    return 1
  fi
  # the tunnel carries traffic before we measure
  ip netns exec $NS_CLI ping -c 2 -i 0.2 -W 2 -I $CLI_INNER $LAN_ADDR > "$work/ping.log" 2>&1 \
    || { echo "no ping through the tunnel ($gw/$suite)" >&2; cat "$work/ping.log" >&2; return 1; }
  ip netns exec "$SRV_NS" iperf3 -s -B $LAN_ADDR > "$work/iperf3-server.log" 2>&1 &
  pids+=("$!")
  sleep 0.5
  # untimed warm-up: the JIT compiles coati's data path (done for both gateways alike)
  if [ "$WARMUP_SECONDS" -gt 0 ]; then
    timeout $((WARMUP_SECONDS + 20)) ip netns exec $NS_CLI iperf3 -c $LAN_ADDR -B $CLI_INNER \
      -t "$WARMUP_SECONDS" > "$work/warmup.log" 2>&1 || true
    sleep 1
  fi
  for t in $TESTS; do
    f="$work/iperf-$rep-$gw-$suite-$t.json"
    c0=$(cpu_ticks "$gwpid")
    k0=$(cpu_ticks "$cli_pid")
    read -r gu0 gt0 <<< "$(drops $NS_GW $tundev)"
    read -r cu0 ct0 <<< "$(drops $NS_CLI ipsec0)"
    w0=$(date +%s%N)
    peak=0
    if [ "$t" = flood ]; then
      # sample the gateway's resident set while the flood runs (bounded by the test length)
      (
        m=0
        for _ in $(seq 1 $((UDP_SECONDS * 10 + 20))); do
          r=$(rss_kb "$gwpid" VmRSS)
          [ "${r:-0}" -gt "$m" ] && m=$r
          echo "$m" > "$work/rss-peak"
          sleep 0.1
        done
      ) &
      sampler=$!
      pids+=("$sampler")
    fi
    run_iperf "$t" "$f" || echo "  ($gw/$suite/$t: iperf3 failed, see below)" >&2
    w1=$(date +%s%N)
    c1=$(cpu_ticks "$gwpid")
    k1=$(cpu_ticks "$cli_pid")
    read -r gu1 gt1 <<< "$(drops $NS_GW $tundev)"
    read -r cu1 ct1 <<< "$(drops $NS_CLI ipsec0)"
    if [ "$t" = flood ]; then
      kill "$sampler" 2> /dev/null || true
      wait "$sampler" 2> /dev/null || true
      peak=$(cat "$work/rss-peak" 2> /dev/null || echo 0)
    fi
    hwm=$(rss_kb "$gwpid" VmHWM)
    chwm=$(rss_kb "$cli_pid" VmHWM)
    read -r mbps sent loss retr <<< "$(parse_iperf "$f")"
    if [ "$(echo "$mbps == 0" | bc)" = 1 ]; then
      jq -r '.error // empty' "$f" 2> /dev/null >&2 || head -5 "$f" >&2
    fi
    # gateway CPU: ticks (1/100 s) over wall time, in % of one vCPU
    cpu=$(echo "scale=1; ($c1 - $c0) * 100 * 10000000 / ($w1 - $w0)" | bc)
    ccpu=$(echo "scale=1; ($k1 - $k0) * 100 * 10000000 / ($w1 - $w0)" | bc)
    printf '  rep %s %-10s %-3s %-5s %7.1f Mbit/s (sent %7.1f) loss %4.1f%% retr %-5s' \
      "$rep" "$gw" "$suite" "$t" "$mbps" "$sent" "$loss" "$retr"
    printf ' cpu gw %5s%% cli %5s%%  VmHWM gw %s MB cli %s MB' \
      "$cpu" "$ccpu" "$((hwm / 1024))" "$((chwm / 1024))"
    printf '  drops gw udp %s tun %s, cli udp %s tun %s\n' \
      "$((gu1 - gu0))" "$((gt1 - gt0))" "$((cu1 - cu0))" "$((ct1 - ct0))"
    jq -nc --arg gw "$gw" --arg suite "$suite" --arg test "$t" --argjson rep "$rep" \
      --argjson mbps "$mbps" --argjson sent "$sent" --argjson loss "$loss" \
      --argjson retr "$retr" --argjson cpu "$cpu" --argjson ccpu "$ccpu" \
      --argjson hwm_kb "${hwm:-0}" --argjson peak_kb "${peak:-0}" --argjson chwm_kb "${chwm:-0}" \
      --arg load "$(cut -d' ' -f1 /proc/loadavg)" \
      --argjson gwudp $((gu1 - gu0)) --argjson gwtun $((gt1 - gt0)) \
      --argjson cliudp $((cu1 - cu0)) --argjson clitun $((ct1 - ct0)) \
      '{rep:$rep, gateway:$gw, suite:$suite, test:$test, mbps:$mbps, sent_mbps:$sent,
        loss_pct:$loss, retransmits:$retr, gw_cpu_pct:$cpu, cli_cpu_pct:$ccpu,
        gw_vmhwm_kb:$hwm_kb, gw_rss_peak_flood_kb:$peak_kb, cli_vmhwm_kb:$chwm_kb,
        loadavg1:($load | tonumber), gw_udp_rcvbuf_errors:$gwudp, gw_tun_tx_dropped:$gwtun,
        cli_udp_rcvbuf_errors:$cliudp, cli_tun_tx_dropped:$clitun}' \
      >> "$jsonl"
    sleep 1
  done
  teardown
}

echo "== coati vs strongSwan kernel-libipsec tunnel benchmark ($stamp)"
echo "   $(nproc) vCPU $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo), Linux $(uname -r)," \
  "$("$JAVA_HOME/bin/java" -version 2>&1 | head -1), $("$CHARON" --version 2>&1 | head -1 || true)," \
  "$(iperf3 --version | head -1)"
echo "   repeats=$REPEATS tcp=${TCP_SECONDS}s udp=${UDP_SECONDS}s rate=$UDP_RATE len=$UDP_LEN" \
  "load: $(cut -d' ' -f1-3 /proc/loadavg)"
for rep in $(seq 1 "$REPEATS"); do
  for suite in $SUITES; do
    for gw in $GATEWAYS; do
      session "$rep" "$gw" "$suite"
    done
  done
done

# --- summary: median and min-max over the repeats, ratio coati/strongSwan ---------------------
summary() {
  jq -rs '
    def median: sort | if length == 0 then null
      elif length % 2 == 1 then .[length / 2 | floor]
      else (.[length / 2 - 1] + .[length / 2]) / 2 end;
    def f1: if . == null then "-" else (. * 10 | round / 10 | tostring) end;
    def cell($rows): ($rows | map(.mbps)) as $m
      | if ($m | length) == 0 then "-"
        else "\($m | median | f1) (\($m | min | f1)-\($m | max | f1))" end;
    def order: {"tcp": 0, "tcp-r": 1, "udp": 2, "flood": 3}[.] // 9;
    group_by([.suite, (.test | order)]) | map(
      . as $g
      | ($g | map(select(.gateway == "coati"))) as $c
      | ($g | map(select(.gateway == "strongswan"))) as $s
      | (if ($c | length) > 0 and ($s | length) > 0 and ($s | map(.mbps) | median) > 0
         then (($c | map(.mbps) | median) / ($s | map(.mbps) | median) * 100 | round / 100
               | tostring)
         else "-" end) as $ratio
      | [$g[0].suite, $g[0].test, cell($c), cell($s), $ratio,
         ($c | map(.loss_pct) | median | f1), ($s | map(.loss_pct) | median | f1),
         ($c | map(.gw_cpu_pct) | median | f1), ($s | map(.gw_cpu_pct) | median | f1),
         (if $g[0].test == "flood"
          then "\(($c | map(.gw_rss_peak_flood_kb) | max // 0) / 1024 | round) / \(($s | map(.gw_rss_peak_flood_kb) | max // 0) / 1024 | round)"
          else "" end)]
      | "| " + join(" | ") + " |")
    | ("| suite | test | coati Mbit/s median (min-max) | strongSwan Mbit/s median (min-max) | coati/sS | loss % coati | loss % sS | gw CPU % coati | gw CPU % sS | flood peak RSS MB coati / sS |",
       "|---|---|---|---|---|---|---|---|---|---|") , .[]' "$jsonl"
}
{
  echo "coati vs strongSwan kernel-libipsec gateway, $stamp, repeats=$REPEATS, lan_host=$LAN_HOST"
  echo "$(nproc) vCPU, Linux $(uname -r), tcp ${TCP_SECONDS}s, udp ${UDP_SECONDS}s at $UDP_RATE" \
    "and -b 0, ${UDP_LEN} B datagrams; Mbit/s as received; CPU in % of one vCPU"
  summary
} | tee "$txt"
echo "results: $jsonl, $txt"
