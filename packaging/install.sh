#!/usr/bin/env bash
# Installs the coati distribution (./mvnw -B -ntp -Pdist -DskipTests package) as a systemd service:
#   PREFIX (/opt/coati)        the distribution: runtime/ (jlink JDK), lib/, bin/coati, packaging/
#   /usr/local/bin/coati       a symlink to PREFIX/bin/coati
#   user and group coati       a system account without login or home (--no-user: skip)
#   /etc/coati                 the configuration directory, coati:coati 0750 (kept if present)
#   /var/lib/coati             the state directory, coati:coati 0700
#   /etc/systemd/system/coati.service   the unit, ExecStart pointing at PREFIX/bin/coati
# It never starts, enables or reloads anything; it prints the systemctl commands instead.
# Idempotent: run it again to upgrade (PREFIX is replaced whole; /etc/coati and /var/lib/coati
# are never overwritten).
#
#   packaging/install.sh [--dist DIR] [--prefix /opt/coati] [--root /] [--no-user]
#     --dist DIR   the distribution directory; default: the one this script is part of
#                  (DIR/packaging/install.sh), else coati-dist/target/coati-*/ beside it
#     --root DIR   install into a different root (a fake root for tests, an image being built):
#                  every path above is under DIR; the coati account goes into DIR/etc/passwd,
#                  DIR/etc/group and DIR/etc/shadow directly instead of by useradd
set -euo pipefail

here="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
dist=""
prefix=/opt/coati
root=/
make_user=1
usage() {
  echo "usage: install.sh [--dist DIR] [--prefix /opt/coati] [--root /] [--no-user]" >&2
  exit 2
}
while [ $# -gt 0 ]; do
  case "$1" in
    --dist) [ $# -ge 2 ] || usage; dist="$2"; shift 2 ;;
    --prefix) [ $# -ge 2 ] || usage; prefix="$2"; shift 2 ;;
    --root) [ $# -ge 2 ] || usage; root="$2"; shift 2 ;;
    --no-user) make_user=0; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) usage ;;
  esac
done

die() { echo "install.sh: $*" >&2; exit 1; }

if [ -z "$dist" ]; then
  if [ -x "$here/../runtime/bin/java" ]; then
    dist="$here/.."
  else
    shopt -s nullglob
    candidates=("$here"/../coati-dist/target/coati-*/)
    shopt -u nullglob
    [ "${#candidates[@]}" -eq 1 ] \
      || die "no distribution found; build it: ./mvnw -B -ntp -Pdist -DskipTests package (or pass --dist DIR)"
    dist="${candidates[0]}"
  fi
fi
dist="$(cd "$dist" && pwd)"
[ -x "$dist/runtime/bin/java" ] && [ -x "$dist/bin/coati" ] && [ -d "$dist/lib" ] \
  || die "$dist is not a coati distribution (runtime/bin/java, bin/coati, lib/)"
unit_src="$dist/packaging/coati.service"
[ -f "$unit_src" ] || unit_src="$here/coati.service"
[ -f "$unit_src" ] || die "coati.service not found in $dist/packaging or $here"

case "$prefix" in
  /?*) ;;
  *) die "--prefix must be an absolute path other than /: $prefix" ;;
esac
prefix="${prefix%/}"
[ "$prefix" != "/usr" ] && [ "$prefix" != "/etc" ] && [ "$prefix" != "/var" ] \
  || die "--prefix $prefix would replace a system directory; use e.g. /opt/coati"
root="$(mkdir -p "$root" && cd "$root" && pwd)"
r="${root%/}" # "" for the real root
target="$r$prefix"
[ "$target" != "$dist" ] || die "the distribution is already at $target"
if [ -e "$target" ] && { [ ! -x "$target/bin/coati" ] || [ ! -d "$target/runtime" ]; }; then
  die "$target exists and is not a coati installation; refusing to replace it"
fi

is_root=0
[ "$(id -u)" -eq 0 ] && is_root=1

# --- the account -------------------------------------------------------------------------------
uid="" gid=""
if [ "$make_user" -eq 1 ]; then
  if [ -z "$r" ]; then
    [ "$is_root" -eq 1 ] || die "creating the user coati needs root (or pass --no-user)"
    if ! getent group coati >/dev/null; then
      groupadd --system coati
    fi
    if ! getent passwd coati >/dev/null; then
      useradd --system --gid coati --no-create-home --home-dir /var/lib/coati \
        --shell /usr/sbin/nologin --comment "coati VPN gateway" coati
      echo "install.sh: created system user coati"
    fi
    uid="$(id -u coati)"
    gid="$(getent group coati | cut -d: -f3)"
  else
    mkdir -p "$r/etc"
    touch "$r/etc/passwd" "$r/etc/group" "$r/etc/shadow"
    chmod 0640 "$r/etc/shadow"
    free_id() { # the highest system id below 1000 free in both files
      local id=999
      while cut -d: -f3 "$r/etc/passwd" "$r/etc/group" | grep -qx "$id"; do id=$((id - 1)); done
      echo "$id"
    }
    id="$(free_id)" # one id for both when both are new
    gid="$(awk -F: '$1 == "coati" { print $3 }' "$r/etc/group")"
    if [ -z "$gid" ]; then
      gid="$id"
      echo "coati:x:$gid:" >>"$r/etc/group"
    fi
    uid="$(awk -F: '$1 == "coati" { print $3 }' "$r/etc/passwd")"
    if [ -z "$uid" ]; then
      uid="$id"
      cut -d: -f3 "$r/etc/passwd" | grep -qx "$uid" && uid="$(free_id)"
      echo "coati:x:$uid:$gid:coati VPN gateway:/var/lib/coati:/usr/sbin/nologin" >>"$r/etc/passwd"
      echo "install.sh: created system user coati ($uid:$gid) in $r/etc/passwd"
    fi
    grep -q '^coati:' "$r/etc/shadow" || echo 'coati:!:::::::' >>"$r/etc/shadow"
  fi
fi
own() { # own OWNER-IDS PATH...: chown when we can (root), else leave as it is
  if [ -n "$uid" ] && [ "$is_root" -eq 1 ]; then chown "$@"; fi
}

# --- the distribution --------------------------------------------------------------------------
mkdir -p "$(dirname "$target")"
rm -rf "$target.new"
cp -a "$dist" "$target.new"
chmod -R u+rwX,go+rX,go-w "$target.new"
[ "$is_root" -eq 1 ] && chown -R 0:0 "$target.new"
if [ -e "$target" ]; then
  rm -rf "$target.old"
  mv "$target" "$target.old"
fi
mv "$target.new" "$target"
rm -rf "$target.old"
mkdir -p "$r/usr/local/bin"
ln -sfn "$prefix/bin/coati" "$r/usr/local/bin/coati"
echo "install.sh: installed $dist as $target ($("$target/runtime/bin/java" -version 2>&1 | head -1))"

# --- configuration and state -------------------------------------------------------------------
# coati checks that secret files are not readable by group or others, so they belong to the
# service's user: /etc/coati is coati:coati 0750; the service itself cannot write it
# (ProtectSystem=strict). Edit as that user: sudo -u coati coati user add ...
mkdir -p "$r/etc/coati" "$r/var/lib/coati"
chmod 0750 "$r/etc/coati"
chmod 0700 "$r/var/lib/coati"
own "$uid:$gid" "$r/etc/coati" "$r/var/lib/coati"

# --- the unit ----------------------------------------------------------------------------------
mkdir -p "$r/etc/systemd/system"
unit="$r/etc/systemd/system/coati.service"
sed "s#/opt/coati/#$prefix/#g" "$unit_src" >"$unit.tmp"
chmod 0644 "$unit.tmp"
mv "$unit.tmp" "$unit"
echo "install.sh: wrote $unit"

if [ ! -f "$r/etc/coati/coati.yaml" ]; then
  cat <<EOF
install.sh: no /etc/coati/coati.yaml yet. Write one (README "Configuration"), or a demo gateway:
  sudo -u coati $prefix/bin/coati demo --dir /etc/coati --address <this host's address>
EOF
fi
cat <<EOF
install.sh: done; nothing was started. Then:
  systemctl daemon-reload && systemctl enable --now coati
  journalctl -u coati -f        # the log
  systemctl reload coati        # SIGHUP: reload the configuration
EOF
