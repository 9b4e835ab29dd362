#!/bin/sh
# Libreswan 4.10 (IMAGE=libreswan.img) as a Cisco-style road warrior: IKEv1 PSK + Xauth + mode
# config (modecfgpull=yes: in push mode Libreswan ignores the DNS it is sent) in main or
# aggressive mode, tunnel to the LAN behind the gateway.
# params.env: SERVER VMIP VMGW (Libreswan's left=%defaultroute needs a default route) PSK USER
# PASSWORD AGGRESSIVE (yes|no) GROUP (aggressive mode ID) RIGHTID SUBNET PING_TARGET [PING_SIZES]
# [HOLD] [LONG_PING] (pings at 0.2 s after the short ones: PING_LONG_TX/RX, lifetime cases).
# Results in out/result.env, after the disconnect out/done.env.
. /mnt/share/lib.sh
. /mnt/share/libreswan.sh
exec > "$O/client.log" 2>&1
set -x
res T_START "$(ts)"
PING_SIZES=${PING_SIZES:-56}
HOLD=$(cap "${HOLD:-0}" 3600)
done_() { ls_logs; res T_DONE "$(ts)"; publish; exit 0; }
net_up || { res ERROR net; done_; }
modprobe -a esp4 xfrm_user xfrm4_tunnel af_key 2>/dev/null
ipsec --version > "$O/libreswan-version.txt" 2>&1

# the updown script Libreswan runs: keep its environment (address, DNS, banner), then the stock one
mkdir -p /etc/ipsec.d
cat > /etc/ipsec.d/coati-updown.sh <<'EOF'
#!/bin/sh
env | grep -E '^PLUTO_' | sort > "/mnt/share/out/updown-$PLUTO_VERB.env"
exec ipsec _updown "$@"
EOF
chmod 755 /etc/ipsec.d/coati-updown.sh
id=""; [ "${AGGRESSIVE:-no}" = yes ] && id="    leftid=@${GROUP:-vpngroup}"
conn="conn rw
    ikev2=no
    aggressive=${AGGRESSIVE:-no}
    authby=secret
    left=%defaultroute
$id
    leftxauthclient=yes
    leftmodecfgclient=yes
    leftxauthusername=$USER
    leftupdown=/etc/ipsec.d/coati-updown.sh
    right=$SERVER
    rightid=${RIGHTID:-$SERVER}
    rightxauthserver=yes
    rightmodecfgserver=yes
    rightsubnet=${SUBNET:-0.0.0.0/0}
    modecfgpull=yes
    ike=aes256-sha2_256-modp2048
    phase2alg=aes128-sha1
    keyingtries=1
    rekey=no
    auto=add"
secrets="%any %any : PSK \"$PSK\"
@$USER : XAUTH \"$PASSWORD\""
ls_start "$conn" "$secrets" || { res ERROR pluto-start; done_; }
res T_IPSEC_START "$(ts)"
ls_up rw 90; rc=$?
res IPSEC_UP $rc
res T_IPSEC_UP "$(ts)"
ip xfrm state | grep -q 'encap type espinudp' && res ESP_ENCAP udp || res ESP_ENCAP none
for k in PLUTO_MY_SOURCEIP PLUTO_PEER_DNS_INFO PLUTO_PEER_BANNER PLUTO_PEER_DOMAIN_INFO; do
  res "$k" "$(sed -n "s/^$k=//p" "$O/updown-up-client.env" 2>/dev/null | head -1 | tr -d "'")"
done
if [ -n "${PING_TARGET:-}" ] && [ $rc = 0 ]; then
  for s in $PING_SIZES; do
    ping -n -c 3 -W 3 -s "$s" "$PING_TARGET" > "$O/ping-$s.txt" 2>&1; res "PING_$s" $?
  done
  long_ping "${LONG_PING:-0}" "$(sed -n "s/^PLUTO_MY_SOURCEIP=//p" "$O/updown-up-client.env" | head -1 | tr -d "'")"
fi
res T_RESULT "$(ts)"
ls_logs
publish
touch "$O/up"
i=0; while [ $i -lt $((HOLD * 10)) ] && [ ! -f "$S/stop" ]; do sleep 0.1; i=$((i + 1)); done
ls_down rw; res IPSEC_DOWN $?
res SAS_AFTER_DOWN "$(ip xfrm state | grep -c '^src')"
res T_DOWN "$(ts)"
ls_logs
cp "$R" "$O/done.env.tmp" && mv -f "$O/done.env.tmp" "$O/done.env"
