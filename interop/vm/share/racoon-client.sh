#!/bin/sh
# racoon (ipsec-tools 0.9.1, built by interop/vm/build-racoon.sh and copied by the test into
# $S/racoon) as a road-warrior client, configured exactly as seed 002's client section ("racoon(8)
# as the client"): aggressive mode, hybrid_rsa_client (or PSK + Xauth with the saved password of
# the seed's last section), mode_cfg on, ike_frag on, esp_frag 552, dpd_delay 20, nat_traversal
# force, compression_algorithm deflate, phase1_up/down scripts (after the classic roadwarrior
# samples, with ip and setkey). Up with racoonctl vc, down with racoonctl vd.
#
# params.env: SERVER VMIP [VMGW] AUTH (hybrid|psk) USER PASSWORD [PSK] [CA_HASH] PING_TARGET
# [PING_SIZES] [PING_COUNT] [HOLD] [DPD_WAIT] [P1_LIFETIME] [P2_LIFETIME] (seconds; racoon's own
# phase-1 / sainfo lifetimes, default 1 hour) [LONG_PING] (pings at 0.2 s, e.g. across those
# lifetimes: PING_LONG_TX/RX, and what racoon did meanwhile: RACOON_P1_UP, RACOON_P1_EXPIRED,
# RACOON_P2_UP). Results in out/result.env (see interop/vm/README.md).
. /mnt/share/lib.sh
exec > "$O/client.log" 2>&1
res T_START "$(ts)"
PING_SIZES=${PING_SIZES:-56}
PING_COUNT=$(cap "${PING_COUNT:-3}" 20)
HOLD=$(cap "${HOLD:-0}" 3600)
done_() { res T_DONE "$(ts)"; collect; publish; exit 0; }
collect() {
  cp /tmp/racoon.log "$O/racoon.log" 2>/dev/null
  { ip addr; ip route; ip xfrm state; ip xfrm policy; setkey -D; setkey -DP; } > "$O/net.txt" 2>&1
}

net_up || { res ERROR net; done_; }
# the binaries of the build's install tree (usr/sbin/racoon, setkey, usr/bin/racoonctl, usr/lib)
cp -a "$S/racoon/usr/." /usr/ && ldconfig || { res ERROR install; done_; }
modprobe -a af_key esp4 xfrm_user xfrm4_tunnel ipcomp deflate 2>/dev/null
mkdir -p /etc/racoon /etc/openssl/certs /var/racoon
cp "$S/ca.crt" /etc/openssl/certs/ca.crt 2>/dev/null
[ -n "${CA_HASH:-}" ] && ln -sf ca.crt "/etc/openssl/certs/$CA_HASH.0"

if [ "$AUTH" = psk ]; then
  method=xauth_psk_client
  ident='my_identifier keyid tag "vpngroup";
	xauth_login "'"$USER"'";'
else
  method=hybrid_rsa_client
  ident='ca_type x509 "ca.crt";'
fi
umask 077
printf '%s %s\n%s %s\n' "$SERVER" "${PSK:-unused}" "$USER" "$PASSWORD" > /etc/racoon/psk.txt
umask 022
cat > /etc/racoon/racoon.conf <<EOF
path certificate "/etc/openssl/certs";
path pre_shared_key "/etc/racoon/psk.txt";
listen {
	adminsock "/var/racoon/racoon.sock" "root" "root" 0660;
}
remote $SERVER {
	exchange_mode aggressive;
	$ident
	proposal_check obey;
	mode_cfg on;
	dpd_delay 20;
	nat_traversal force;
	ike_frag on;
	esp_frag 552;
	script "/etc/racoon/phase1-up.sh" phase1_up;
	script "/etc/racoon/phase1-down.sh" phase1_down;
	passive off;
	lifetime time ${P1_LIFETIME:-3600} sec;
	proposal {
		encryption_algorithm aes;
		hash_algorithm sha1;
		authentication_method $method;
		dh_group 2;
	}
}
sainfo anonymous {
	lifetime time ${P2_LIFETIME:-3600} sec;
	encryption_algorithm aes;
	authentication_algorithm hmac_sha1;
	compression_algorithm deflate ;
}
EOF
# phase1-up/down after ipsec-tools' roadwarrior client samples (Linux: ip and setkey). The
# tunnel carries SPLIT_INCLUDE_CIDR when the gateway sends split networks, else everything.
# Unlike the samples, they count ISAKMP SAs: racoon (rekey on, its default) renegotiates phase 1
# at 80% of its lifetime while IPsec SAs are active, the new one's phase1_up finds the address and
# policies in place, and the old one's phase1_down at its expiry must leave them to the new one
# (the samples' script tears the tunnel down there: measured, the address and every SA vanish).
cat > /etc/racoon/phase1-up.sh <<'EOF'
#!/bin/sh
PATH=/sbin:/usr/sbin:/bin:/usr/bin
env | grep -E '^(INTERNAL_|SPLIT_|DEFAULT_|LOCAL_|REMOTE_|XAUTH_)' | sort > /mnt/share/out/phase1-up.env
echo "${INTERNAL_ADDR4}" | grep -q '[0-9]' || exit 0
n=$(cat /tmp/racoon-ph1 2>/dev/null || echo 0); echo $((n + 1)) > /tmp/racoon-ph1
[ "$n" -gt 0 ] && exit 0   # a renegotiated phase 1: address and policies are in place
nets=$(echo "${SPLIT_INCLUDE_CIDR:-0.0.0.0/0}" | tr ',;' '  ')
echo "$nets" > /tmp/racoon-nets
if [ -n "${INTERNAL_DNS4}" ]; then
  test -f /etc/resolv.conf.bak || cp /etc/resolv.conf /etc/resolv.conf.bak 2>/dev/null
  echo "nameserver ${INTERNAL_DNS4}" > /etc/resolv.conf
fi
ip address add "${INTERNAL_ADDR4}/32" dev eth0
for n in $nets; do
  ip route add "$n" dev eth0 src "${INTERNAL_ADDR4}"
  echo "spdadd ${INTERNAL_ADDR4}/32[any] $n[any] any -P out ipsec esp/tunnel/${LOCAL_ADDR}-${REMOTE_ADDR}/require;"
  echo "spdadd $n[any] ${INTERNAL_ADDR4}/32[any] any -P in ipsec esp/tunnel/${REMOTE_ADDR}-${LOCAL_ADDR}/require;"
done | setkey -c
EOF
cat > /etc/racoon/phase1-down.sh <<'EOF'
#!/bin/sh
PATH=/sbin:/usr/sbin:/bin:/usr/bin
env | grep -E '^(INTERNAL_|LOCAL_|REMOTE_)' | sort > /mnt/share/out/phase1-down.env
echo "${INTERNAL_ADDR4}" | grep -q '[0-9]' || exit 0
n=$(cat /tmp/racoon-ph1 2>/dev/null || echo 1); n=$((n - 1)); echo $n > /tmp/racoon-ph1
[ "$n" -gt 0 ] && exit 0   # a newer ISAKMP SA to the gateway still uses them
for n in $(cat /tmp/racoon-nets 2>/dev/null); do
  ip route del "$n" dev eth0 src "${INTERNAL_ADDR4}" 2>/dev/null
  echo "spddelete ${INTERNAL_ADDR4}/32[any] $n[any] any -P out;"
  echo "spddelete $n[any] ${INTERNAL_ADDR4}/32[any] any -P in;"
done | setkey -c
echo "deleteall ${REMOTE_ADDR} ${LOCAL_ADDR} esp; deleteall ${LOCAL_ADDR} ${REMOTE_ADDR} esp;" | setkey -c
ip address del "${INTERNAL_ADDR4}/32" dev eth0
test -f /etc/resolv.conf.bak && mv /etc/resolv.conf.bak /etc/resolv.conf
EOF
chmod 755 /etc/racoon/phase1-up.sh /etc/racoon/phase1-down.sh

racoon -V > "$O/racoon-version.txt" 2>&1
rm -f /var/racoon/racoon.sock
racoon -F -d -v -f /etc/racoon/racoon.conf -l /tmp/racoon.log &
rpid=$!
i=0; while [ ! -S /var/racoon/racoon.sock ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -S /var/racoon/racoon.sock ] || { res ERROR racoon-start; done_; }

res T_VC "$(ts)"
# racoonctl reads the password with getpass(): from stdin when it has no terminal
if [ "$AUTH" = psk ]; then
  timeout 60 racoonctl vc "$SERVER" > "$O/vc.txt" 2>&1 < /dev/null; rc=$?
else
  printf '%s\n' "$PASSWORD" | timeout 60 setsid racoonctl vc -u "$USER" "$SERVER" > "$O/vc.txt" 2>&1; rc=$?
fi
res VC_RC $rc
grep -q 'VPN connexion established' "$O/vc.txt" && res VC_ESTABLISHED yes || res VC_ESTABLISHED no
res VC_ADDR "$(sed -n 's/^Bound to address //p' "$O/vc.txt" | head -1)"
i=0; while [ ! -f "$O/phase1-up.env" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
for k in INTERNAL_ADDR4 INTERNAL_DNS4 SPLIT_INCLUDE_CIDR DEFAULT_DOMAIN; do
  res "$k" "$(sed -n "s/^$k=//p" "$O/phase1-up.env" 2>/dev/null | head -1)"
done
res T_UP "$(ts)"

# Phase 2 starts on the first packet that hits the policy (acquire): wait for it, bounded
ok=no
if [ -n "${PING_TARGET:-}" ]; then
  i=0; while [ $i -lt 15 ]; do
    if ping -n -c 1 -W 2 "$PING_TARGET" > /dev/null 2>&1; then ok=yes; break; fi
    i=$((i + 1))
  done
  res T_PHASE2 "$(ts)"
  for s in $PING_SIZES; do
    ping -n -c "$PING_COUNT" -W 3 -s "$s" "$PING_TARGET" > "$O/ping-$s.txt" 2>&1; res "PING_$s" $?
  done
  long_ping "${LONG_PING:-0}" "$(sed -n 's/^INTERNAL_ADDR4=//p' "$O/phase1-up.env" | head -1)"
fi
res RACOON_P1_UP "$(grep -c 'ISAKMP-SA established' /tmp/racoon.log)"
res RACOON_P1_EXPIRED "$(grep -c 'ISAKMP-SA expired' /tmp/racoon.log)"
res RACOON_P2_UP "$(grep -c 'IPsec-SA established' /tmp/racoon.log)"
res PHASE2 $ok
# DPD_WAIT: idle (bounded) until racoon's dpd_delay 20 probe is answered, then traffic again
if [ "${DPD_WAIT:-0}" -gt 0 ]; then
  i=0; while [ $i -lt $(( $(cap "$DPD_WAIT" 120) * 10 )) ] && ! grep -q 'received an R-U-THERE-ACK' /tmp/racoon.log; do sleep 0.1; i=$((i + 1)); done
  grep -q 'received an R-U-THERE-ACK' /tmp/racoon.log && res DPD_ACK yes || res DPD_ACK no
  res T_DPD "$(ts)"
  ping -n -c 3 -W 3 "$PING_TARGET" > "$O/ping-after-dpd.txt" 2>&1; res PING_AFTER_DPD $?
fi
ip xfrm state > /tmp/xfrm.txt 2>&1
grep -q 'encap type espinudp' /tmp/xfrm.txt && res ESP_ENCAP udp || res ESP_ENCAP none
grep -q 'proto comp' /tmp/xfrm.txt && res IPCOMP yes || res IPCOMP no
res T_RESULT "$(ts)"
collect
publish
touch "$O/up"

i=0; while [ $i -lt $((HOLD * 10)) ] && [ ! -f "$S/stop" ]; do sleep 0.1; i=$((i + 1)); done
timeout 30 racoonctl vd "$SERVER" > "$O/vd.txt" 2>&1; res VD_RC $?
i=0; while [ ! -f "$O/phase1-down.env" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -f "$O/phase1-down.env" ] && res PHASE1_DOWN yes || res PHASE1_DOWN no
ip xfrm state | grep -c '^src' > /tmp/n; res SAS_AFTER_VD "$(cat /tmp/n)"
kill "$rpid" 2>/dev/null
res T_DOWN "$(ts)"
collect
cp "$R" "$O/done.env.tmp" && mv -f "$O/done.env.tmp" "$O/done.env"
