#!/usr/bin/env bash
# JMH micro-benchmarks of the hot paths: digest verification (DigestBenchmark), the link token
# bucket (ThrottleBenchmark), lease selection (LeaseSelectionBenchmark: TierPicker + ReadyIndex)
# and manifest parsing (ManifestParseBenchmark). Short iterations by default (one fork, 2 x 2 s
# warm-up, 3 x 2 s measurement, from FERRY_JMH_OPTS); a regex picks some:
#   load-tests/bench/jmh.sh                                   all, short
#   FERRY_JMH_OPTS="-f 2 -wi 5 -i 10" load-tests/bench/jmh.sh Digest   one, longer
#   load-tests/bench/jmh.sh -h                                JMH's own options
# Results: the table on stdout and load-tests/target/jmh.json.
# Environment: FERRY_BENCH_NO_BUILD=1 reuses the last build; FERRY_MVN_OPTS adds Maven flags.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
. load-tests/bench/build.sh
ferry_bench_build "$root"
classpath=$root/load-tests/target/classes:$(cat "$root/load-tests/target/bench.classpath")
# shellcheck disable=SC2086
java -cp "$classpath" org.openjdk.jmh.Main ${FERRY_JMH_OPTS:--f 1 -wi 2 -w 2s -i 3 -r 2s} \
  -rf json -rff "$root/load-tests/target/jmh.json" "$@"
echo "    load: $(uptime | sed 's/.*load average: //')"
