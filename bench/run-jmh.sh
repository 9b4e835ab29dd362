#!/usr/bin/env bash
# Builds and runs the JMH benchmarks; extra arguments go to JMH (e.g. EspBench -p size=1400).
# Results: bench/results/jmh-<date>.json (and the text table on stdout).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
"$here/mvnw" -q -f "$here/pom.xml" -pl bench -am -DskipTests -Dspotless.skip=true package
mkdir -p "$here/bench/results"
cp="$here/bench/target/classes:$(cat "$here/bench/target/classpath.txt")"
exec "$JAVA_HOME/bin/java" -cp "$cp" org.openjdk.jmh.Main -f 1 -wi 2 -w 1 -i 3 -r 1 \
  -rf json -rff "$here/bench/results/jmh-$(date +%Y%m%d-%H%M).json" "$@"
