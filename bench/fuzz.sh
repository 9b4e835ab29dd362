#!/usr/bin/env bash
# Long fuzzing run: each Jazzer target (the *FuzzTest classes) in turn, SECONDS each (default 900),
# one at a time at nice $FUZZ_NICE (default 19). Optional second argument: a regular expression
# picking targets (e.g. `bench/fuzz.sh 60 'Radius|Ppp'`). FUZZ_RUNS=N stops each target after N
# executions instead (SECONDS stays the upper bound): `FUZZ_RUNS=10000000 bench/fuzz.sh 3600 Ike`.
# New findings land in the target's Inputs directory under src/test/resources (a regression input;
# commit it with the fix), the grown corpus in <module>/.cifuzz-corpus (not committed). Summary:
# bench/results/fuzz-<date>/summary.txt with executions, exec/s, coverage (libFuzzer's cov = edges,
# ft = features, corp = corpus entries/bytes at the end) and findings per target.
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
secs=${1:-900}
pick=${2:-}
runs=${FUZZ_RUNS:-}
niceness=${FUZZ_NICE:-19}
# module:class[:options, space-separated: -Dname=value a Jazzer setting, anything else a libFuzzer
# flag]. The users file target runs without Jazzer's RegexRoadblocks hook: the file is split into
# lines with a regular expression, and the hook's per-character guidance for that split took three
# quarters of every run (191 -> 52 us of CPU per execution without it, coverage alike; its only
# other regex, 32 hex digits, is in the seeds already). The text targets take at most 1 KiB (a
# users file of a dozen lines, a config of 30 lines).
sanitizers=com.code_intelligence.jazzer.sanitizers
nohooks=$sanitizers.RegexInjection # as in junit-platform.properties (fails on JDK 25)
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
  "coati-protocol:LocalUsersFuzzTest:-max_len=1024 -Djazzer.disabled_hooks=$nohooks:$sanitizers.RegexRoadblocks"
  "coati-server:ConfigLoaderFuzzTest:-max_len=1024"
  coati-server:L2tpDataHeaderFuzzTest
)
out=${FUZZ_OUT:-"$here/bench/results/fuzz-$(date +%Y%m%d-%H%M)"} # FUZZ_OUT: append there
mkdir -p "$out"
mvn=("$here/mvnw" -B -ntp -f "$here/pom.xml" -Dspotless.skip=true)
[[ -s "$out/summary.txt" ]] || printf '%-26s %11s %6s %8s %5s %6s %-12s %s\n' \
  target executions secs exec/s cov ft corp findings | tee "$out/summary.txt"
status=0
for t in "${targets[@]}"; do
  IFS=: read -r module class flags <<<"$t"
  [[ -n "$pick" && ! "$class" =~ $pick ]] && continue
  log="$out/$class.log"
  props=(-Djazzer.max_duration="${secs}s")
  [[ -n "$runs" ]] && props+=(-Djazzer.max_executions="$runs")
  i=1
  for f in ${flags:-}; do
    if [[ "$f" == -D* ]]; then
      props+=("$f")
    else
      props+=(-Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.$i="$f")
      i=$((i + 1))
    fi
  done
  JAZZER_FUZZ=1 nice -n "$niceness" "${mvn[@]}" -o -pl "$module" -am test -Dtest="$class" \
    "${props[@]}" -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1
  rc=$?
  done_line=$(grep -a -E '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1)
  stat_line=$(grep -a -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1)
  n=$(awk '{print $2}' <<<"$done_line")
  took=$(awk '{print $5}' <<<"$done_line")
  rate=$([[ -n "$n" && "${took:-0}" -gt 0 ]] && echo $((n / took)) || echo -)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$stat_line")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$stat_line")
  corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p' <<<"$stat_line")
  findings=$(grep -a -c 'Test unit written to' "$log") # one per crash, timeout or OOM input
  [[ $rc -ne 0 ]] && status=1 && findings="$findings (test failed, see $log)"
  printf '%-26s %11s %6s %8s %5s %6s %-12s %s\n' "$class" "${n:--}" "${took:--}" "$rate" \
    "${cov:--}" "${ft:--}" "${corp:--}" "$findings" | tee -a "$out/summary.txt"
done
exit $status
