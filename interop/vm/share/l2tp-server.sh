#!/bin/sh
# Runs inside the VM: a REFERENCE L2TP/IPsec server (strongSwan IKEv1 PSK responder, ESP transport
# for UDP/1701; xl2tpd LNS; pppd requiring AUTH) - used to validate l2tp-client.sh independently
# of coati (VmHarnessIT, selftest.sh). Params: VMIP, PSK, USER, PASSWORD, AUTH, PPP_LOCAL,
# PPP_POOL (a-b), DNS1, PPP_MTU, HOLD (max seconds to serve; ends early on share/stop).
# Writes out/up when charon and xl2tpd are ready; out/result.env when it stops serving.
. /mnt/share/lib.sh
res T_START "$(ts)"
AUTH=${AUTH:-mschapv2}
PPP_MTU=${PPP_MTU:-1400}
PPP_LOCAL=${PPP_LOCAL:-10.96.0.1}
PPP_POOL=${PPP_POOL:-10.96.0.10-10.96.0.20}
DNS1=${DNS1:-10.96.0.53}
HOLD=$(cap "${HOLD:-120}" 3600)
case $AUTH in
  mschapv2) popt="require-mschap-v2 refuse-pap refuse-chap refuse-mschap"; xopt="require chap = yes
refuse pap = yes" ;;
  chap) popt="require-chap refuse-pap refuse-mschap refuse-mschap-v2"; xopt="require chap = yes
refuse pap = yes" ;;
  pap) popt="require-pap refuse-chap refuse-mschap refuse-mschap-v2"; xopt="require pap = yes
refuse chap = yes" ;;
esac
net_up || { res OK no; publish; exit 1; }
kernel_modules
strongswan_conf
cat > /etc/ipsec.conf <<EOC
config setup
conn L2TP-PSK
    keyexchange=ikev1
    authby=secret
    type=transport
    left=${VMIP%/*}
    leftprotoport=17/1701
    right=%any
    rightprotoport=17/%any
    ike=aes256-sha1-modp2048,aes128-sha1-modp2048,3des-sha1-modp1024!
    esp=aes256-sha1,aes128-sha1,3des-sha1!
    auto=add
EOC
umask 077
printf '%%any %%any : PSK "%s"\n' "$PSK" > /etc/ipsec.secrets
printf '"%s" * "%s" *\n' "$USER" "$PASSWORD" > /etc/ppp/chap-secrets
printf '"%s" * "%s" *\n' "$USER" "$PASSWORD" > /etc/ppp/pap-secrets
umask 022
cat > /tmp/xl2tpd.conf <<EOC
[global]
port = 1701
[lns default]
ip range = $PPP_POOL
local ip = $PPP_LOCAL
$xopt
require authentication = yes
name = l2tpserver
ppp debug = yes
pppoptfile = /tmp/options.xl2tpd
length bit = yes
EOC
cat > /tmp/options.xl2tpd <<EOC
$popt
auth
name l2tpserver
ms-dns $DNS1
mtu $PPP_MTU
mru $PPP_MTU
nodefaultroute
noccp
logfile /tmp/ppp.log
debug
EOC
ipsec_start || { res ERROR charon; res OK no; collect_logs; publish; exit 1; }
xl2tpd -D -c /tmp/xl2tpd.conf -p /run/xl2tpd.pid -C /run/xl2tpd/l2tp-control > /tmp/xl2tpd.log 2>&1 &
XL2TPD=$!
i=0; while [ ! -p /run/xl2tpd/l2tp-control ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
res T_READY "$(ts)"
touch "$O/up"
i=0; max=$((HOLD * 10)); why=timeout
while [ $i -lt $max ]; do
  [ -e "$S/stop" ] && { why=stop; break; }
  kill -0 $XL2TPD 2>/dev/null || { why=xl2tpd-died; break; }
  sleep 0.1; i=$((i + 1))
done
res HOLD_END $why
res PPP_SESSIONS "$(grep -c 'remote IP address' /tmp/ppp.log 2>/dev/null)"
res IKE_SAS "$(grep -c 'IKE_SA L2TP-PSK\[[0-9]*\] established' /run/charon.log 2>/dev/null)"
res OK yes
kill $XL2TPD 2>/dev/null
collect_logs
publish
