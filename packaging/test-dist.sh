#!/usr/bin/env bash
# Checks the service distribution that ./mvnw -B -ntp -Pdist -DskipTests package built (run by
# .ci/run after ./coati test): the layout and the tar.gz, the jlink runtime's modules, the image's
# own java running bin/coati demo, run --once, user list and pki (Bouncy Castle's signed jars from
# the class path), every DH group and ESP transform backed by a provider inside the image
# (packaging/test/DistCheck.java), and install.sh into a fake root: twice (idempotent), with
# --prefix, the installed copy running, and systemd-analyze verify on the installed unit.
# Starts nothing, opens no socket. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

passed=0
ok() { passed=$((passed + 1)); echo "test-dist: ok: $*"; }
fail() {
  echo "test-dist: FAILED: $*" >&2
  echo "dist: $passed passed, 1 failed"
  exit 1
}
check() { local what="$1"; shift; if "$@"; then ok "$what"; else fail "$what"; fi; }

shopt -s nullglob
dirs=(coati-dist/target/coati-*/)
tars=(coati-dist/target/coati-*.tar.gz)
shopt -u nullglob
[ "${#dirs[@]}" -eq 1 ] || fail "one coati-dist/target/coati-VERSION/ (build: ./mvnw -B -ntp -Pdist -DskipTests package)"
[ "${#tars[@]}" -eq 1 ] || fail "one coati-dist/target/coati-VERSION.tar.gz"
dist="$(cd "${dirs[0]}" && pwd)"
tarball="$(pwd)/${tars[0]}"
work="$(mktemp -d /tmp/coati-test-dist.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# --- layout ------------------------------------------------------------------------------------
check "runtime/bin/java, bin/coati, packaging/ are executable" \
  test -x "$dist/runtime/bin/java" -a -x "$dist/bin/coati" -a -x "$dist/packaging/install.sh" -a -f "$dist/packaging/coati.service"
for j in coati-server coati-protocol coati-native bcprov-jdk18on bcpkix-jdk18on bcutil-jdk18on snakeyaml-engine slf4j-api slf4j-jdk-platform-logging logback-classic logback-core; do
  compgen -G "$dist/lib/$j-*.jar" >/dev/null || fail "lib/$j-*.jar"
done
ok "lib/ has coati's 3 jars, Bouncy Castle, SnakeYAML Engine, SLF4J and logback ($(ls "$dist/lib" | wc -l) jars)"
modules="$("$dist/runtime/bin/java" --list-modules | sed 's/@.*//' | sort | paste -sd, -)"
expected="$(tr ',' '\n' <"$dist/runtime/coati-modules.txt" | sort | paste -sd, -)"
check "the runtime holds exactly the jdeps modules ($modules)" test "$modules" = "$expected"
if "$dist/runtime/bin/java" --list-modules | grep -qE '^(jdk\.compiler|java\.desktop|jdk\.jshell)@'; then
  fail "the runtime is a trimmed image, not a whole JDK"
fi
ok "the runtime is trimmed ($(du -sh "$dist/runtime" | cut -f1), whole distribution $(du -sh "$dist" | cut -f1))"

# --- the image runs coati ----------------------------------------------------------------------
"$dist/bin/coati" demo --dir "$work/demo" >"$work/demo.out" 2>&1 || { cat "$work/demo.out"; fail "bin/coati demo"; }
check "bin/coati demo wrote coati.yaml, psk.txt, users.txt, pki/" \
  test -f "$work/demo/coati.yaml" -a -f "$work/demo/psk.txt" -a -f "$work/demo/users.txt" -a -f "$work/demo/pki/ca.pem"
"$dist/bin/coati" run --config "$work/demo/coati.yaml" --once >"$work/once.out" 2>&1 || { cat "$work/once.out"; fail "bin/coati run --once"; }
check "bin/coati run --config demo --once loads the configuration (certificates via Bouncy Castle)" \
  grep -q "remote access (PSK + Xauth, mode config): on; L2TP/IPsec: on" "$work/once.out"
check "bin/coati run logs through SLF4J/logback: every line one timestamped event, no other output" \
  bash -c '! grep -vqE "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z (INFO |WARN |ERROR) " "$1"' _ "$work/once.out"
"$dist/bin/coati" --version >"$work/version.out" 2>&1 || { cat "$work/version.out"; fail "bin/coati --version"; }
check "bin/coati --version names the commit it was built from" \
  grep -qE '^coati [^ ]+ \(commit [0-9a-f]{10}(-dirty)?\)$' "$work/version.out"
for verb in run status kick reload check user pki demo import completion; do
  "$dist/bin/coati" "$verb" --help >/dev/null 2>&1 || fail "bin/coati $verb --help"
done
ok "bin/coati CMD --help for every command"
rc=0
"$dist/bin/coati" run --confg x.yaml >"$work/typo.out" 2>&1 || rc=$?
check "bin/coati refuses a misspelt option with exit 2 and a hint" \
  test "$rc" = 2 -a -n "$(grep -- '--config' "$work/typo.out")"
"$dist/bin/coati" user list --file "$work/demo/users.txt" >"$work/users.out" 2>&1 || { cat "$work/users.out"; fail "bin/coati user list"; }
check "bin/coati user list" grep -q "^demo " "$work/users.out"
{
  "$dist/bin/coati" pki ca --out "$work/pki" --ec &&
    "$dist/bin/coati" pki server --ca "$work/pki" --name vpn.test --ec &&
    "$dist/bin/coati" pki client --ca "$work/pki" --name alice --p12 "$work/pki/alice.p12" --password-file "$work/pki/alice.pass"
} >"$work/pki.out" 2>&1 || { cat "$work/pki.out"; fail "bin/coati pki ca/server/client"; }
check "bin/coati pki ca --ec, server, client (PKCS#12)" test -s "$work/pki/alice.p12"
"$JAVA_HOME/bin/javac" -d "$work/check" -cp "$dist/lib/*" packaging/test/DistCheck.java
"$dist/runtime/bin/java" -cp "$work/check:$dist/lib/*" DistCheck >"$work/check.out" 2>&1 || { cat "$work/check.out"; fail "DistCheck"; }
check "every DH group and ESP transform has a provider in the image ($(tail -1 "$work/check.out"))" \
  grep -q " 0 failed" "$work/check.out"

# --- the tar.gz --------------------------------------------------------------------------------
mkdir "$work/x"
tar -xzf "$tarball" -C "$work/x"
x="$(echo "$work"/x/coati-*)"
check "the tar.gz unpacks to coati-VERSION/ with its modes" test -x "$x/bin/coati" -a -x "$x/runtime/bin/java" -a -x "$x/packaging/install.sh"
"$x/bin/coati" run --config "$work/demo/coati.yaml" --once >/dev/null 2>&1 || fail "the unpacked bin/coati run --once"
ok "the unpacked distribution runs"

# --- install.sh into a fake root ---------------------------------------------------------------
fr="$work/root"
"$x/packaging/install.sh" --root "$fr" >"$work/install1.out" 2>&1 || { cat "$work/install1.out"; fail "install.sh --root"; }
grep -q "nothing was started" "$work/install1.out" || { cat "$work/install1.out"; fail "install.sh --root: its report"; }
check "installed: /opt/coati/bin/coati, runtime/, lib/" test -x "$fr/opt/coati/bin/coati" -a -x "$fr/opt/coati/runtime/bin/java"
check "/usr/local/bin/coati links to /opt/coati/bin/coati" test "$(readlink "$fr/usr/local/bin/coati")" = /opt/coati/bin/coati
check "user and group coati in etc/passwd and etc/group" \
  grep -q '^coati:x:[0-9]*:[0-9]*:.*:/var/lib/coati:/usr/sbin/nologin$' "$fr/etc/passwd"
check "etc/coati is 0750, var/lib/coati 0700" \
  test "$(stat -c %a "$fr/etc/coati")" = 750 -a "$(stat -c %a "$fr/var/lib/coati")" = 700
if [ "$(id -u)" -eq 0 ]; then
  uid="$(awk -F: '$1 == "coati" { print $3 }' "$fr/etc/passwd")"
  check "etc/coati belongs to coati" test "$(stat -c %u "$fr/etc/coati")" = "$uid"
fi
unit="$fr/etc/systemd/system/coati.service"
check "the unit runs /opt/coati/bin/coati run --config /etc/coati/coati.yaml --state-dir /var/lib/coati" \
  grep -qx 'ExecStart=/opt/coati/bin/coati run --config /etc/coati/coati.yaml --state-dir /var/lib/coati' "$unit"
check "the unit: user coati with only CAP_NET_ADMIN CAP_NET_BIND_SERVICE CAP_NET_RAW" \
  grep -qx 'CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_BIND_SERVICE CAP_NET_RAW' "$unit"
"$fr/opt/coati/bin/coati" run --config "$work/demo/coati.yaml" --once >/dev/null 2>&1 || fail "the installed coati run --once"
ok "the installed copy runs"
echo "marker" >"$fr/etc/coati/coati.yaml"
cp "$fr/etc/passwd" "$work/passwd.1"
cp "$unit" "$work/unit.1"
"$x/packaging/install.sh" --root "$fr" >"$work/install2.out" 2>&1 || { cat "$work/install2.out"; fail "install.sh --root, again"; }
same_again() {
  cmp -s "$fr/etc/passwd" "$work/passwd.1" && cmp -s "$unit" "$work/unit.1" \
    && test "$(cat "$fr/etc/coati/coati.yaml")" = marker \
    && test ! -e "$fr/opt/coati.new" -a ! -e "$fr/opt/coati.old" \
    && test "$(grep -c '^coati:' "$fr/etc/group")" = 1 \
    && test "$(grep -c '^coati:' "$fr/etc/shadow")" = 1
}
check "install.sh again: same account, same unit, configuration kept, no leftovers" same_again
"$x/packaging/install.sh" --root "$fr" --prefix /srv/vpn/coati --no-user >"$work/install3.out" 2>&1 \
  || { cat "$work/install3.out"; fail "install.sh --prefix"; }
prefix_followed() {
  grep -qx 'ExecStart=/srv/vpn/coati/bin/coati run --config /etc/coati/coati.yaml --state-dir /var/lib/coati' "$unit" \
    && test "$(readlink "$fr/usr/local/bin/coati")" = /srv/vpn/coati/bin/coati \
    && test -x "$fr/srv/vpn/coati/bin/coati"
}
check "install.sh --prefix /srv/vpn/coati: the unit and the symlink follow" prefix_followed
if command -v systemd-analyze >/dev/null; then
  # verify the unit as installed, its paths pointed into the fake root (on the real root
  # /opt/coati/bin/coati does not exist, which is all verify would report)
  sed "s#/srv/vpn/coati/#$fr/srv/vpn/coati/#g" "$unit" >"$work/coati.service"
  systemd-analyze verify "$work/coati.service" >"$work/verify.out" 2>&1 || { cat "$work/verify.out"; fail "systemd-analyze verify"; }
  if grep '^coati\.service:\|coati.service:[0-9]' "$work/verify.out"; then fail "systemd-analyze verify: warnings on coati.service"; fi
  ok "systemd-analyze verify coati.service: clean"
fi
echo "dist: $passed passed, 0 failed"
