#!/usr/bin/env bash
# Runs the distribution under a real systemd, the way an operator installs it (README "Installing
# as a service (systemd)"): systemd-nspawn boots a Debian bookworm root fs with systemd as PID 1 in
# its own network namespace; packaging/install.sh goes into it, `coati demo` writes /etc/coati, the
# unit is enabled and started by systemd at boot. Then, from outside (nsenter), it checks:
#   the service is active, runs as the coati user with exactly CAP_NET_ADMIN, CAP_NET_BIND_SERVICE
#   and CAP_NET_RAW (effective, permitted, bounding, ambient) and no_new_privs, on a read-only OS;
#   it bound UDP 500/4500/1701, made the TUN device, opened the raw ESP socket; the control socket
#   has control.mode/control.group, so a member of group coati runs `coati status` and anyone else
#   is refused; `systemctl reload` (SIGHUP) reloads, a broken config is refused and the service
#   keeps running; the journal never holds the PSK or the password; `systemctl stop` is a clean
#   stop (Result=success), not a failure.
# Run by .ci/run after packaging/test-dist.sh. Needs root, systemd-container and debootstrap. The
# root fs is built once (~2 min) and cached in ${COATI_SYSTEMD_CACHE:-/var/cache/coati-systemd}; a
# run takes ~30 s. The container and its work directory are removed at exit, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

passed=0
ok() { passed=$((passed + 1)); echo "test-systemd: ok: $*"; }
fail() {
  echo "test-systemd: FAILED: $*" >&2
  if [ -n "${work:-}" ] && [ -f "$work/journal.txt" ]; then tail -n 30 "$work/journal.txt" >&2; fi
  echo "systemd: $passed passed, 1 failed"
  exit 1
}

[ "$(id -u)" -eq 0 ] || fail "needs root (systemd-nspawn)"
for c in systemd-nspawn debootstrap nsenter flock; do
  command -v "$c" >/dev/null || fail "$c not found (apt-get install systemd-container debootstrap util-linux)"
done
shopt -s nullglob
dirs=(coati-dist/target/coati-*/)
shopt -u nullglob
[ "${#dirs[@]}" -eq 1 ] || fail "one coati-dist/target/coati-VERSION/ (build: ./mvnw -B -ntp -Pdist -DskipTests package)"
dist="$(cd "${dirs[0]}" && pwd)"

# --- the root fs (cached) ----------------------------------------------------------------------
CACHE="${COATI_SYSTEMD_CACHE:-/var/cache/coati-systemd}"
SUITE=bookworm
inc="systemd,systemd-sysv,dbus,iproute2,procps"
mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock -w 600 9 || fail "another test-systemd.sh holds $CACHE/.lock"
stamp="$(echo "$SUITE $inc" | sha256sum | cut -d' ' -f1)"
if [ ! -f "$CACHE/root.stamp" ] || [ "$(cat "$CACHE/root.stamp")" != "$stamp" ] || [ ! -x "$CACHE/root/lib/systemd/systemd" ]; then
  mirror="${COATI_VM_MIRROR:-}"
  if [ -z "$mirror" ] && [ -f /etc/apt/sources.list.d/debian.sources ]; then
    mirror="$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources)"
  fi
  mirror="${mirror:-http://deb.debian.org/debian}"
  rm -rf "$CACHE/root" "$CACHE/root.new" "$CACHE/root.stamp"
  t0=$SECONDS
  debootstrap --variant=minbase --include="$inc" "$SUITE" "$CACHE/root.new" "$mirror" >"$CACHE/debootstrap.log" 2>&1 \
    || { tail -n 20 "$CACHE/debootstrap.log" >&2; fail "debootstrap $SUITE from $mirror (log: $CACHE/debootstrap.log)"; }
  mv "$CACHE/root.new" "$CACHE/root"
  echo "$stamp" >"$CACHE/root.stamp"
  echo "test-systemd: built the $SUITE root fs in $((SECONDS - t0)) s"
fi

work="$(mktemp -d /var/tmp/coati-test-systemd.XXXXXX)"
nspawn_pid=""
cleanup() {
  if [ -n "$nspawn_pid" ] && kill -0 "$nspawn_pid" 2>/dev/null; then
    kill -TERM "$nspawn_pid" 2>/dev/null || true # nspawn asks systemd for an orderly halt
    for _ in $(seq 1 100); do kill -0 "$nspawn_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$nspawn_pid" 2>/dev/null || true
    wait "$nspawn_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
root="$work/root"
cp -a "$CACHE/root" "$root"

# --- install as the README says ----------------------------------------------------------------
packaging/install.sh --dist "$dist" --root "$root" >"$work/install.out" 2>&1 || { cat "$work/install.out"; fail "install.sh --root"; }
uid="$(awk -F: '$1=="coati"{print $3}' "$root/etc/passwd")"
gid="$(awk -F: '$1=="coati"{print $3}' "$root/etc/group")"
[ -n "$uid" ] && [ -n "$gid" ] || fail "install.sh made the coati user and group"
# the demo's output holds the PSK and the password: kept in a 0600 file, never printed
(umask 077 && "$dist/bin/coati" demo --dir "$root/etc/coati" --force >"$work/demo.out" 2>&1) || fail "coati demo --dir /etc/coati"
psk="$(cat "$root/etc/coati/psk.txt")"
password="$(sed -n 's/.*Xauth password \([^ ]*\).*/\1/p' "$work/demo.out" | head -n 1)"
[ -n "$psk" ] && [ -n "$password" ] || fail "coati demo printed the PSK and the password"
printf 'control:\n  socket: /run/coati/coati.sock\n  mode: 0660\n  group: coati\n' >>"$root/etc/coati/coati.yaml"
chown -R "$uid:$gid" "$root/etc/coati"
mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
ln -sf /etc/systemd/system/coati.service "$root/etc/systemd/system/multi-user.target.wants/coati.service"
chroot "$root" useradd -M -s /usr/sbin/nologin -G coati ops
chroot "$root" useradd -M -s /usr/sbin/nologin stranger
echo coati-systemd-test >"$root/etc/hostname"

# --- boot --------------------------------------------------------------------------------------
systemd-nspawn --quiet -D "$root" -b --register=no --keep-unit --private-network \
  --bind=/dev/net/tun --console=passive >"$work/nspawn.log" 2>&1 &
nspawn_pid=$!
leader=""
for _ in $(seq 1 150); do
  leader="$(pgrep -P "$nspawn_pid" | head -n 1 || true)"
  [ -n "$leader" ] && [ "$(cat "/proc/$leader/comm" 2>/dev/null)" = systemd ] && break
  kill -0 "$nspawn_pid" 2>/dev/null || { cat "$work/nspawn.log" >&2; fail "systemd-nspawn exited"; }
  leader=""
  sleep 0.2
done
[ -n "$leader" ] || { cat "$work/nspawn.log" >&2; fail "systemd did not start in the container within 30 s"; }
inside() { nsenter -t "$leader" -a "$@"; }
state=""
for _ in $(seq 1 120); do
  state="$(inside systemctl is-system-running 2>/dev/null || true)"
  case "$state" in running | degraded) break ;; esac
  sleep 0.5
done
case "$state" in running | degraded) ;; *) fail "the container's systemd did not finish booting in 60 s ($state)" ;; esac
journal() { inside journalctl -u coati --no-pager -o cat >"$work/journal.txt" 2>&1 || true; }
for _ in $(seq 1 120); do
  journal
  grep -q "coati: running" "$work/journal.txt" && break
  sleep 0.5
done
ok "systemd booted the container ($state) and started coati.service at boot"
grep -q "coati: running" "$work/journal.txt" || fail "coati logged 'running' within 60 s of boot"
# under journald coati writes no timestamp of its own and gives each line its priority (<6> INFO)
if grep -qE '^(<[0-9]>)?[0-9]{4}-[0-9]{2}-[0-9]{2}T' "$work/journal.txt"; then
  fail "no timestamp of coati's own in the journal: $(head -n 1 "$work/journal.txt")"
fi
inside journalctl -u coati --no-pager -o cat -p info >"$work/journal-info.txt" 2>&1 || true
grep -q "^INFO  coati: running" "$work/journal-info.txt" || fail "journald parsed the priority prefix: $(head -n 3 "$work/journal-info.txt")"
ok "one line per event in the journal, journald's timestamp only, priority from coati's prefix"
check_active() { [ "$(inside systemctl is-active coati 2>/dev/null || true)" = active ]; }
check_active || fail "systemctl is-active coati"
ok "coati.service is active"

# --- privileges --------------------------------------------------------------------------------
pid="$(inside systemctl show -p MainPID --value coati)"
[ -n "$pid" ] && [ "$pid" != 0 ] || fail "MainPID of coati.service"
inside cat "/proc/$pid/status" >"$work/status.txt"
grep -q "^Uid:[[:space:]]*$uid[[:space:]]*$uid[[:space:]]*$uid[[:space:]]*$uid\$" "$work/status.txt" || fail "runs as coati (uid $uid): $(grep ^Uid "$work/status.txt")"
grep -q "^Gid:[[:space:]]*$gid[[:space:]]" "$work/status.txt" || fail "runs with group coati (gid $gid)"
ok "runs as user and group coati ($uid:$gid), not root"
# CAP_NET_BIND_SERVICE = 10, CAP_NET_ADMIN = 12, CAP_NET_RAW = 13: 0x3400
for c in CapPrm CapEff CapBnd CapAmb; do
  v="$(awk -v k="$c:" '$1==k{print $2}' "$work/status.txt")"
  [ "$v" = 0000000000003400 ] || fail "$c is $v, expected 0000000000003400 (NET_BIND_SERVICE, NET_ADMIN, NET_RAW only)"
done
ok "capabilities: exactly CAP_NET_ADMIN, CAP_NET_BIND_SERVICE, CAP_NET_RAW (permitted, effective, bounding, ambient = 0x3400)"
grep -q "^NoNewPrivs:[[:space:]]*1" "$work/status.txt" || fail "NoNewPrivs"
ok "no_new_privs set"
inside awk '$5=="/"{print $6}' "/proc/$pid/mountinfo" | grep -q '^ro' || fail "ProtectSystem=strict: / is read-only for coati"
ok "the OS is mounted read-only for coati (ProtectSystem=strict)"

# --- what the three capabilities are for -------------------------------------------------------
inside cat /proc/net/udp >"$work/udp.txt"
for port in 01F4 1194 06A5; do # 500, 4500, 1701
  awk -v p="$port" -v u="$uid" 'NR>1 { split($2, a, ":"); if (a[2]==p && $8==u) f=1 } END { exit !f }' "$work/udp.txt" \
    || fail "UDP port $((16#$port)) bound by coati (CAP_NET_BIND_SERVICE)"
done
ok "UDP 500, 4500 and 1701 bound by the coati user"
inside ip -4 addr show dev coati0 >"$work/tun.txt" 2>&1 || fail "TUN coati0 exists (CAP_NET_ADMIN, DeviceAllow=/dev/net/tun)"
grep -q "inet 10.99.99.1/24" "$work/tun.txt" || fail "coati0 has 10.99.99.1/24: $(cat "$work/tun.txt")"
ok "TUN coati0 up with 10.99.99.1/24"
grep -q "ESP raw and over UDP" "$work/journal.txt" || fail "the raw ESP socket opened (CAP_NET_RAW)"
ok "raw ESP socket open (journal: ESP raw and over UDP)"

# --- the control socket ------------------------------------------------------------------------
perm="$(inside stat -c '%A %U %G' /run/coati/coati.sock)"
[ "$perm" = "srw-rw---- coati coati" ] || fail "control socket /run/coati/coati.sock is $perm, expected srw-rw---- coati coati"
ok "control socket /run/coati/coati.sock: $perm (control.mode 0660, control.group coati)"
out="$(inside runuser -u ops -- /opt/coati/bin/coati status 2>&1)" || fail "coati status as ops (group coati): $out"
[ "$out" = "no sessions" ] || fail "coati status as ops printed: $out"
ok "coati status as a member of group coati: no sessions"
if out="$(inside runuser -u stranger -- /opt/coati/bin/coati status 2>&1)"; then
  fail "coati status as a user outside group coati was allowed: $out"
fi
echo "$out" | grep -qi "permission" || fail "coati status as stranger says why it failed: $out"
ok "coati status as a user outside group coati is refused: $(echo "$out" | head -n 1)"

# --- reload ------------------------------------------------------------------------------------
inside systemctl reload coati || fail "systemctl reload coati"
for _ in $(seq 1 40); do journal; grep -q "reload: reloaded /etc/coati/coati.yaml" "$work/journal.txt" && break; sleep 0.25; done
grep -q "reload: reloaded /etc/coati/coati.yaml" "$work/journal.txt" || fail "systemctl reload: coati logged the reload"
[ "$(inside systemctl show -p MainPID --value coati)" = "$pid" ] || fail "reload kept the process"
ok "systemctl reload (SIGHUP) reloaded /etc/coati/coati.yaml in the same process"
cp -p "$root/etc/coati/coati.yaml" "$work/coati.yaml.good"
echo "bogus_key: 1" >>"$root/etc/coati/coati.yaml"
inside systemctl reload coati || fail "systemctl reload coati (broken config)"
for _ in $(seq 1 40); do journal; grep -q "bogus_key" "$work/journal.txt" && break; sleep 0.25; done
grep -qE "coati.yaml:[0-9]+: bogus_key" "$work/journal.txt" || fail "a broken config on reload is refused with file and line"
sleep 1
check_active || fail "coati still active after a refused reload"
[ "$(inside systemctl show -p MainPID --value coati)" = "$pid" ] || fail "a refused reload kept the process"
ok "a broken config on reload is refused ($(grep -m1 bogus_key "$work/journal.txt")) and coati keeps running"
cp -p "$work/coati.yaml.good" "$root/etc/coati/coati.yaml"

# --- stop --------------------------------------------------------------------------------------
inside systemctl stop coati || fail "systemctl stop coati"
st="$(inside systemctl show -p ActiveState -p Result --value coati | paste -sd' ')"
[ "$st" = "success inactive" ] || [ "$st" = "inactive success" ] || fail "after systemctl stop: ActiveState/Result $st, expected inactive/success"
journal
grep -q "coati: stopped" "$work/journal.txt" || fail "coati logged its stop"
ok "systemctl stop: coati stopped cleanly (inactive, Result=success)"

inside journalctl --no-pager -o cat >"$work/all-journal.txt" 2>&1 || true
if grep -qF -- "$psk" "$work/all-journal.txt" || grep -qF -- "$password" "$work/all-journal.txt"; then
  fail "the journal holds the PSK or the password"
fi
ok "the journal ($(wc -l <"$work/all-journal.txt") lines) holds neither the PSK nor the password"

echo "systemd: $passed passed, 0 failed"
