#!/bin/sh
# racoon (ipsec-tools 0.9.1, built by interop/vm/build-racoon.sh, copied by the test into
# $S/racoon) as the VPN gateway, configured exactly as seed 002's gateway section ("Configuring
# racoon(8)"): remote anonymous, aggressive mode, the gateway's certificate (vpngw.crt/.key in the
# share), my_identifier asn1dn, proposal_check claim, generate_policy on, dpd_delay 20,
# nat_traversal force, ike_frag on, esp_frag 552, hybrid_rsa_server with dh_group 2; mode_cfg with
# network4 10.99.99.1, pool_size 253, auth_source system, dns4/wins4 10.0.12.1, the banner in
# /etc/racoon/motd, pfs_group 2; sainfo anonymous with pfs_group 2, lifetime 1 hour, aes,
# hmac_sha1, deflate. The gateway's "internal network" is 10.0.12.1 on lo.
#
# params.env: VMIP [VMGW] USER PASSWORD BANNER [HOLD]. Results: out/result.env (RACOON_UP) once
# racoon listens; after $S/stop (or HOLD seconds): out/done.env (SAS_AFTER, PH1_DELETED).
. /mnt/share/lib.sh
exec > "$O/gateway.log" 2>&1
res T_START "$(ts)"
HOLD=$(cap "${HOLD:-120}" 3600)
collect() {
  cp /tmp/racoon.log "$O/racoon.log" 2>/dev/null
  { ip addr; ip route; ip xfrm state; ip xfrm policy; setkey -D; setkey -DP; } > "$O/net.txt" 2>&1
}
fail() { res ERROR "$1"; collect; publish; cp "$R" "$O/done.env"; exit 0; }

net_up || fail net
cp -a "$S/racoon/usr/." /usr/ && ldconfig || fail install
modprobe -a af_key esp4 xfrm_user xfrm4_tunnel ipcomp deflate 2>/dev/null
ip address add 10.0.12.1/32 dev lo
# auth_source system: the user is a system account with a password
useradd -M -s /usr/sbin/nologin "$USER" && printf '%s:%s\n' "$USER" "$PASSWORD" | chpasswd \
  || fail user
mkdir -p /etc/racoon /etc/openssl/certs /var/racoon
cp "$S/vpngw.crt" /etc/openssl/certs/vpngw.crt && cp "$S/vpngw.key" /etc/openssl/certs/vpngw.key \
  || fail certificate
chmod 600 /etc/openssl/certs/vpngw.key
printf '%s\n' "$BANNER" > /etc/racoon/motd
cat > /etc/racoon/racoon.conf <<'EOF'
path certificate "/etc/openssl/certs";
listen {
	adminsock disabled;
}
remote anonymous {
	exchange_mode aggressive;
	certificate_type x509 "vpngw.crt" "vpngw.key";
	my_identifier asn1dn;
	proposal_check claim;
	generate_policy on;
	dpd_delay 20;
	nat_traversal force;
	ike_frag on;
	esp_frag 552;
	proposal {
		encryption_algorithm aes;
		hash_algorithm sha1;
		authentication_method hybrid_rsa_server;
		dh_group 2;
	}
}
mode_cfg {
	network4 10.99.99.1;
	pool_size 253;
	auth_source system;
	dns4 10.0.12.1;
	wins4 10.0.12.1;
	banner "/etc/racoon/motd";
	pfs_group 2;
}
sainfo anonymous {
	pfs_group 2;
	lifetime time 1 hour;
	encryption_algorithm aes;
	authentication_algorithm hmac_sha1;
	compression_algorithm deflate;
}
EOF
racoon -V > "$O/racoon-version.txt" 2>&1
racoon -F -d -v -f /etc/racoon/racoon.conf -l /tmp/racoon.log &
rpid=$!
i=0; while ! grep -q 'used as isakmp port' /tmp/racoon.log 2>/dev/null && [ $i -lt 100 ]; do
  sleep 0.1; i=$((i + 1))
done
kill -0 "$rpid" 2>/dev/null && res RACOON_UP yes || fail racoon-start
res T_UP "$(ts)"
publish

i=0; while [ $i -lt $((HOLD * 10)) ] && [ ! -f "$S/stop" ]; do sleep 0.1; i=$((i + 1)); done
sleep 1
grep -q 'purged ISAKMP-SA\|ISAKMP-SA deleted\|purging ISAKMP-SA' /tmp/racoon.log && res PH1_DELETED yes || res PH1_DELETED no
ip xfrm state | grep -c '^src' > /tmp/n; res SAS_AFTER "$(cat /tmp/n)"
kill "$rpid" 2>/dev/null
res T_DOWN "$(ts)"
collect
cp "$R" "$O/done.env.tmp" && mv -f "$O/done.env.tmp" "$O/done.env"
