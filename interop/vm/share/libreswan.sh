# Sourced by the share's scripts in the Libreswan image (IMAGE=libreswan.img, build-libreswan.sh):
# Libreswan 4.10's pluto as an IKEv1 client. ls_start writes /etc/ipsec.conf's config setup
# (IKEv1 accepted, log to /tmp/pluto.log) plus the conn text in $1, the secrets in $2, and starts
# pluto as the systemd unit would (bounded); ls_up adds and brings up a connection, ls_down ends it.
# PLUTODEBUG (params.env): pluto's plutodebug, default none (e.g. all: NAT-D hash inputs and values).
ls_start() {  # $1 = conn section(s), $2 = ipsec.secrets lines
  cat > /etc/ipsec.conf <<EOC
config setup
    ikev1-policy=accept
    logfile=/tmp/pluto.log
    logtime=yes
    plutodebug=${PLUTODEBUG:-none}
$1
EOC
  umask 077
  printf '%s\n' "$2" > /etc/ipsec.secrets
  umask 022
  mkdir -p /run/pluto /var/run/pluto
  # what the systemd unit does (no systemd here): NSS db, kernel stack, then pluto (daemonises)
  { timeout 60 ipsec checknss && timeout 90 ipsec _stackmanager start \
      && timeout 30 ipsec pluto --config /etc/ipsec.conf --logfile /tmp/pluto.log; } \
    > /tmp/ipsec-start.log 2>&1 || return 1
  i=0; while [ $i -lt 300 ]; do ipsec whack --status > /dev/null 2>&1 && return 0; sleep 0.1; i=$((i + 1)); done
  return 1
}

ls_up() {  # $1 = conn name, $2 = timeout (s); output in out/ipsec-up.log
  ipsec auto --add "$1" > /tmp/ipsec-add.log 2>&1
  timeout "$2" ipsec auto --up "$1" > "$O/ipsec-up.log" 2>&1
}

ls_down() {  # $1 = conn name
  timeout 15 ipsec auto --down "$1" > "$O/ipsec-down.log" 2>&1
}

ls_logs() {
  cp /tmp/pluto.log "$O/pluto.log" 2>/dev/null
  cp /tmp/ipsec-start.log /tmp/ipsec-add.log "$O/" 2>/dev/null
  ipsec whack --trafficstatus > "$O/trafficstatus.txt" 2>&1
  { ip addr; ip route; ip xfrm state; ip xfrm policy; } > "$O/net.txt" 2>&1
}
