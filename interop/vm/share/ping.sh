#!/bin/sh
# Runs inside the VM: eth0 gets VMIP, then pings PING_TARGET (a host address on the tap side) with
# each of PING_SIZES. Results: T_NET_UP, PING_<size>=0 (replies) | 1, OK=yes|no.
. /mnt/share/lib.sh
res T_START "$(ts)"
ok=yes
net_up || ok=no
for s in ${PING_SIZES:-56}; do
  ping -c "${PING_COUNT:-3}" -W 2 -s "$s" "$PING_TARGET" > "$O/ping-$s.txt" 2>&1; r=$?
  [ $r = 0 ] || { r=1; ok=no; }
  res "PING_$s" $r
done
res OK $ok
res T_DONE "$(ts)"
publish
[ $ok = yes ]
