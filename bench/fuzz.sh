#!/usr/bin/env bash
# Long fuzzing run: each Jazzer target (the *FuzzTest classes) in turn, SECONDS each (default 900),
# one at a time at nice 19. Optional second argument: a regular expression picking targets
# (e.g. `bench/fuzz.sh 60 'Radius|Ppp'`). New findings land in the target's Inputs directory under
# src/test/resources (a regression input; commit it with the fix), the grown corpus in
# <module>/.cifuzz-corpus (not committed). Summary: bench/results/fuzz-<date>/summary.txt with
# executions, exec/s and findings per target.
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
secs=${1:-900}
pick=${2:-}
targets=(
  coati-protocol:IsakmpMessageFuzzTest
  coati-protocol:IsakmpPayloadFuzzTest
  coati-protocol:IkeEngineFuzzTest
  coati-protocol:EspDecapFuzzTest
  coati-protocol:L2tpControlFuzzTest
  coati-protocol:L2tpDataFuzzTest
  coati-protocol:L2tpTunnelFuzzTest
  coati-protocol:PppSessionFuzzTest
  coati-protocol:PppPacketFuzzTest
  coati-protocol:RadiusPacketFuzzTest
  coati-protocol:DisconnectRequestFuzzTest
  coati-protocol:LocalUsersFuzzTest
  coati-server:ConfigLoaderFuzzTest
  coati-server:L2tpDataHeaderFuzzTest
)
out="$here/bench/results/fuzz-$(date +%Y%m%d-%H%M)"
mkdir -p "$out"
mvn=("$here/mvnw" -B -ntp -f "$here/pom.xml" -Dspotless.skip=true)
printf '%-28s %12s %8s %9s %s\n' target executions seconds exec/s findings | tee "$out/summary.txt"
status=0
for t in "${targets[@]}"; do
  module=${t%%:*} class=${t#*:}
  [[ -n "$pick" && ! "$class" =~ $pick ]] && continue
  log="$out/$class.log"
  JAZZER_FUZZ=1 nice -n 19 "${mvn[@]}" -o -pl "$module" -am test -Dtest="$class" \
    -Djazzer.max_duration="${secs}s" -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1
  rc=$?
  done_line=$(grep -a -E '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1)
  runs=$(awk '{print $2}' <<<"$done_line")
  took=$(awk '{print $5}' <<<"$done_line")
  rate=$([[ -n "$runs" && "${took:-0}" -gt 0 ]] && echo $((runs / took)) || echo -)
  findings=$(grep -a -c -E '^== Java Exception|^==[0-9]+== ERROR|Timeout|OutOfMemory' "$log")
  [[ $rc -ne 0 ]] && status=1 && findings="$findings (test failed, see $log)"
  printf '%-28s %12s %8s %9s %s\n' "$class" "${runs:--}" "${took:--}" "$rate" "$findings" \
    | tee -a "$out/summary.txt"
done
exit $status
