#!/bin/sh
# Runs inside the VM (vminit's default script): a real L2TP/IPsec client as a Linux road warrior
# configures it - strongSwan (starter, classic ipsec.conf) IKEv1 main mode PSK with ESP transport
# mode for UDP/1701, xl2tpd as LAC, pppd (kernel L2TP) - against SERVER; with IPSEC_STACK=libreswan
# (in IMAGE=libreswan.img) Libreswan is the IPsec layer instead. See ../README.md for the
# parameters (params.env) and results (out/result.env).
. /mnt/share/lib.sh
res T_START "$(ts)"
AUTH=${AUTH:-mschapv2}
ENCAP=${ENCAP:-no}
PPP_MTU=${PPP_MTU:-1400}
PING_SIZES=${PING_SIZES:-56}
IKE_TIMEOUT=$(cap "${IKE_TIMEOUT:-45}" 300)
PPP_TIMEOUT=$(cap "${PPP_TIMEOUT:-45}" 300)
HOLD=$(cap "${HOLD:-0}" 3600)
IKE_PROPOSALS=${IKE_PROPOSALS:-aes256-sha1-modp2048,aes128-sha1-modp2048,3des-sha1-modp1024!}
ESP_PROPOSALS=${ESP_PROPOSALS:-aes256-sha1,aes128-sha1,3des-sha1!}

finish() {  # $1 = exit code; publishes what is known so far
  collect_logs
  res T_DONE "$(ts)"
  publish
  exit "$1"
}
for p in SERVER PSK USER PASSWORD; do
  eval "v=\${$p:-}"; [ -n "$v" ] || { echo "l2tp-client: $p missing in params.env"; res ERROR "missing-$p"; res OK no; finish 2; }
done
case $AUTH in
  mschapv2) refuse="refuse-pap refuse-chap refuse-mschap refuse-eap" ;;
  chap) refuse="refuse-pap refuse-mschap refuse-mschap-v2 refuse-eap" ;;
  pap) refuse="refuse-chap refuse-mschap refuse-mschap-v2 refuse-eap" ;;
  *) res ERROR "bad-AUTH"; res OK no; finish 2 ;;
esac

net_up || { res ERROR net; res OK no; finish 1; }
kernel_modules
[ "${CAPTURE:-no}" = yes ] && { tcpdump -i eth0 -U -s 0 -w "$O/eth0.pcap" >/dev/null 2>&1 & TCPDUMP=$!; sleep 1; }

# ---- IPsec: IKEv1 main mode, PSK, ESP transport mode protecting UDP/1701
if [ "${IPSEC_STACK:-strongswan}" = libreswan ]; then
# Libreswan 4.10 (IMAGE=libreswan.img): the same connection in its ipsec.conf dialect
. /mnt/share/libreswan.sh
fe=""; [ "$ENCAP" = yes ] && fe="    encapsulation=yes"
conn="conn L2TP-PSK
    ikev2=no
    authby=secret
    type=transport
    left=%defaultroute
    leftprotoport=17/1701
    right=$SERVER
    rightid=${RIGHTID:-$SERVER}
    rightprotoport=17/1701
    ike=aes256-sha1-modp2048,aes128-sha1-modp2048
    phase2alg=aes256-sha1,aes128-sha1
    keyingtries=1
    rekey=no
$fe
    auto=add"
ls_start "$conn" "%any %any : PSK \"$PSK\"" || { res ERROR pluto; res IPSEC_UP 1; res OK no; ls_logs; finish 1; }
res T_IPSEC_START "$(ts)"
ls_up L2TP-PSK "$IKE_TIMEOUT"; rc=$?
ls_logs
else  # strongSwan (bookworm.img)
strongswan_conf
fe=""; [ "$ENCAP" = yes ] && fe="    forceencaps=yes"
cat > /etc/ipsec.conf <<EOC
config setup
conn L2TP-PSK
    keyexchange=ikev1
    aggressive=no
    authby=secret
    type=transport
    left=%defaultroute
    leftprotoport=17/1701
    right=$SERVER
    rightid=${RIGHTID:-$SERVER}
    rightprotoport=17/1701
    ike=$IKE_PROPOSALS
    esp=$ESP_PROPOSALS
    keyingtries=1
    rekey=no
$fe
    auto=add
EOC
umask 077
printf '%%any %%any : PSK "%s"\n' "$PSK" > /etc/ipsec.secrets
umask 022
ipsec_start || { res ERROR charon; res IPSEC_UP 1; res OK no; finish 1; }
res T_IPSEC_START "$(ts)"
timeout "$IKE_TIMEOUT" ipsec up L2TP-PSK > "$O/ipsec-up.log" 2>&1; rc=$?
fi
res IPSEC_UP $rc
res T_IPSEC_UP "$(ts)"
if [ $rc != 0 ]; then res OK no; finish 1; fi
if ip xfrm state | grep -q 'encap type espinudp'; then res ESP_ENCAP udp; else res ESP_ENCAP none; fi
res ESP_MODE "$(ip xfrm state | grep -o 'mode [a-z]*' | head -1 | cut -d' ' -f2)"

# ---- L2TP (xl2tpd LAC) + PPP (pppd, spawned by xl2tpd)
cat > /tmp/xl2tpd.conf <<EOC
[lac vpn]
lns = $SERVER
ppp debug = yes
pppoptfile = /tmp/options.l2tpd.client
length bit = yes
redial = no
EOC
umask 077
cat > /tmp/options.l2tpd.client <<EOC
ipcp-accept-local
ipcp-accept-remote
noauth
$refuse
mtu $PPP_MTU
mru $PPP_MTU
noipdefault
nodefaultroute
usepeerdns
name "$USER"
password "$PASSWORD"
ipparam coati-vm
logfile /tmp/ppp.log
debug
EOC
umask 022
# pppd runs /etc/ppp/ip-up (run-parts ip-up.d) with PPP_IFACE/PPP_LOCAL/PPP_REMOTE/DNS1/DNS2 set.
cat > /etc/ppp/ip-up.d/zz-coati-vm <<'EOC'
#!/bin/sh
env | grep -E '^(PPP_|DNS|IPLOCAL|IPREMOTE)' > /tmp/ppp-ipup.env
EOC
chmod 755 /etc/ppp/ip-up.d/zz-coati-vm
xl2tpd -D -c /tmp/xl2tpd.conf -p /run/xl2tpd.pid -C /run/xl2tpd/l2tp-control > /tmp/xl2tpd.log 2>&1 &
XL2TPD=$!
i=0; while [ ! -p /run/xl2tpd/l2tp-control ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
res T_L2TP_START "$(ts)"
echo "c vpn" > /run/xl2tpd/l2tp-control
auth_failed=no; ppp_up=no
i=0; max=$((PPP_TIMEOUT * 10))
while [ $i -lt $max ]; do
  if ip -4 addr show ppp0 2>/dev/null | grep -q inet && [ -f /tmp/ppp-ipup.env ]; then ppp_up=yes; break; fi
  if grep -qiE 'authentication failed|failed to authenticate' /tmp/ppp.log 2>/dev/null; then auth_failed=yes; break; fi
  kill -0 $XL2TPD 2>/dev/null || break
  sleep 0.1; i=$((i + 1))
done
res T_PPP_UP "$(ts)"
sleep 0.5
grep -qE 'Connection established to' /tmp/xl2tpd.log && res L2TP_TUNNEL yes || res L2TP_TUNNEL no
grep -qE 'Call established with' /tmp/xl2tpd.log && res L2TP_CALL yes || res L2TP_CALL no
res PPP_UP $ppp_up
res PPP_AUTH_FAILED $auth_failed
proto=$(grep -E 'sent \[LCP ConfAck' /tmp/ppp.log 2>/dev/null | grep -oE '<auth (chap MS-v2|chap MS|chap MD5|pap|eap)>' | tail -1)
case "$proto" in
  *MS-v2*) res PPP_AUTH_PROTO mschapv2 ;; *"chap MS>"*) res PPP_AUTH_PROTO mschap ;;
  *MD5*) res PPP_AUTH_PROTO chap ;; *pap*) res PPP_AUTH_PROTO pap ;; *eap*) res PPP_AUTH_PROTO eap ;;
  *) res PPP_AUTH_PROTO none ;;
esac
grep -q "Protocol-Reject for 'Compression Control Protocol'" /tmp/ppp.log 2>/dev/null \
  && res PPP_CCP_PROTREJ yes || res PPP_CCP_PROTREJ no
if [ $ppp_up != yes ]; then res OK no; finish 1; fi
. /tmp/ppp-ipup.env
res PPP_IF "${PPP_IFACE:-ppp0}"
res PPP_IP "${PPP_LOCAL:-$IPLOCAL}"
res PPP_PEER "${PPP_REMOTE:-$IPREMOTE}"
res PPP_DNS1 "${DNS1:-}"
res PPP_DNS2 "${DNS2:-}"
res PPP_IF_MTU "$(cat /sys/class/net/ppp0/mtu)"

# ---- traffic through the tunnel
for r in ${ROUTES:-}; do ip route replace "$r" dev ppp0; done
PING_TARGET=${PING_TARGET:-${PPP_REMOTE:-$IPREMOTE}}
res PING_TARGET "$PING_TARGET"
if [ "$PING_TARGET" != "$SERVER" ] && ! ip route get "$PING_TARGET" 2>/dev/null | grep -q 'dev ppp0'; then
  ip route replace "$PING_TARGET/32" dev ppp0
fi
ok=yes
for s in $PING_SIZES; do
  ping -c "${PING_COUNT:-3}" -W 2 -s "$s" "$PING_TARGET" > "$O/ping-$s.txt" 2>&1; r=$?
  [ $r = 0 ] || { r=1; ok=no; }
  res "PING_$s" $r
done
res T_PING "$(ts)"
res OK $ok
collect_logs
res T_RESULT "$(ts)"
publish

# ---- HOLD: keep the session up (bounded) so a test can act meanwhile; ends on share/stop
if [ "$HOLD" -gt 0 ] && [ $ok = yes ]; then
  touch "$O/up"
  why=timeout
  i=0; max=$((HOLD * 10))
  while [ $i -lt $max ]; do
    [ -e "$S/stop" ] && { why=stop; break; }
    ip link show ppp0 >/dev/null 2>&1 || { why=ppp-down; break; }
    sleep 0.1; i=$((i + 1))
  done
  res HOLD_END $why
  res T_HOLD_END "$(ts)"
fi
# ---- orderly disconnect (unless DISCONNECT=no): L2TP call/tunnel, then the IKE/IPsec SAs
if [ "${DISCONNECT:-yes}" = yes ]; then
  echo "d vpn" > /run/xl2tpd/l2tp-control
  i=0; while ip link show ppp0 >/dev/null 2>&1 && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  sleep 1
  kill $XL2TPD 2>/dev/null
  if [ "${IPSEC_STACK:-strongswan}" = libreswan ]; then
    ls_down L2TP-PSK
  else
    timeout 15 ipsec down L2TP-PSK > "$O/ipsec-down.log" 2>&1
  fi
  res IPSEC_DOWN $?
  res T_DOWN "$(ts)"
fi
[ -n "${TCPDUMP:-}" ] && kill $TCPDUMP 2>/dev/null
collect_logs
cp "$R" "$O/done.env.tmp" && mv -f "$O/done.env.tmp" "$O/done.env"
[ $ok = yes ]
