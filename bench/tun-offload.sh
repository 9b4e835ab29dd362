#!/usr/bin/env bash
# TUN offload on vs off, by hand (root; not part of the tests). Each run makes the network
# namespace ct-tunrate, moves one TCP stream of MEGABYTES (at most SECONDS) across a TUN device
# inside it, prints one result line, and deletes the namespace again. Two programs:
#   TunReflect  - TUN only: read (and segment), swap addresses, write back (coati-native tests);
#                 mode gro writes the super-packets back whole, what a GRO write side would do;
#   TunLoopRate - the whole DataPlane minus UDP sockets: TUN read, segment, route, AES-128-GCM ESP,
#                 a stand-in peer decrypts/swaps/encrypts, DataPlane.inbound, TUN write.
# Usage: bench/tun-offload.sh [ROUNDS] [MEGABYTES] [SECONDS]   (defaults 3, 1024, 20)
# The machine has 2 shared cores: the kernel's TCP stack, the JVM and this loop all compete.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
rounds=${1:-3}
mb=${2:-1024}
secs=${3:-20}
ns=ct-tunrate
"$here/mvnw" -B -ntp -q -f "$here/pom.xml" -pl coati-server -am test-compile \
  dependency:build-classpath -Dspotless.skip=true -Dmdep.includeScope=test \
  -Dmdep.outputFile="$here/coati-server/target/tun-offload.classpath"
cp="$here/coati-native/target/test-classes:$here/coati-server/target/test-classes"
cp="$cp:$here/coati-server/target/classes:$(cat "$here/coati-server/target/tun-offload.classpath")"
cleanup() { ip netns del "$ns" 2>/dev/null || true; }
trap cleanup EXIT
run() { # PROGRAM MODE
  cleanup
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  timeout $((secs + 30)) ip netns exec "$ns" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
    -cp "$cp" "$1" ctrate0 "$2" "$mb" "$secs" | grep -E '^(loop )?mode='
  cleanup
}
for ((i = 1; i <= rounds; i++)); do
  for mode in off on gro; do
    run dev.coati.nativeio.tun.TunReflect "$mode"
  done
  for mode in off on; do
    run dev.coati.server.dataplane.TunLoopRate "$mode"
  done
done
