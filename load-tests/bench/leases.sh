#!/usr/bin/env bash
# Lease throughput and latency of the coordinator: real Hazelcast members in one JVM on loopback,
# 100k queued jobs (10k repositories x 10 tags over the 4 tiers), W concurrent requesters calling
# LeaseService.lease on the members round robin, each leased job completed at once.
# Measures and reports; asserts nothing. See dev.ferry.loadtests.lease.LeaseBenchmark.
#
# Usage:
#   load-tests/bench/leases.sh                       the matrix: 1 and 3 members x capacity 1 and 8
#   load-tests/bench/leases.sh --members 3 --capacity 8 [--jobs N --workers W --duration S --leases N ...]
# Environment:
#   FERRY_BENCH_NO_BUILD=1     use the classes and classpath already built
#   FERRY_BENCH_HEAP=4g        heap (-Xms = -Xmx)
#   FERRY_BENCH_JFR=DIR        record a JFR profile of each run into DIR
#   JAVA_OPTS                  extra JVM options
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
classpath_file=$root/load-tests/target/bench.classpath
. load-tests/bench/build.sh
ferry_bench_build "$root"
classpath=$root/load-tests/target/classes:$(cat "$classpath_file")

heap=${FERRY_BENCH_HEAP:-4g}
# What Hazelcast 5.3 asks for on Java 17 (its startup warning lists them): access to internals for
# its metrics (OperatingSystemMXBean), NIO and cleaners.
hazelcast_opens=(
  --add-modules java.se
  --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens java.base/java.lang=ALL-UNNAMED
  --add-opens java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens java.management/sun.management=ALL-UNNAMED
  --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED
)

run() { # ARGS...
  local jfr=()
  if [ -n "${FERRY_BENCH_JFR:-}" ]; then
    mkdir -p "$FERRY_BENCH_JFR"
    jfr=("-XX:FlightRecorderOptions:stackdepth=512" "-XX:StartFlightRecording=filename=$FERRY_BENCH_JFR/leases-$(echo "$*" | tr -c 'a-z0-9' '_').jfr,settings=profile")
  fi
  # shellcheck disable=SC2086
  java -Xms"$heap" -Xmx"$heap" "${hazelcast_opens[@]}" "${jfr[@]}" ${JAVA_OPTS:-} \
    -cp "$classpath" dev.ferry.loadtests.lease.LeaseBenchmark "$@"
}

results=$(mktemp)
trap 'rm -f "$results"' EXIT
if [ $# -gt 0 ]; then
  run "$@" | tee -a "$results"
else
  for members in 1 3; do
    for capacity in 1 8; do
      echo "==> $members member(s), capacity $capacity"
      run --members "$members" --capacity "$capacity" --jobs 100000 --workers 32 --duration 60 | tee -a "$results"
    done
  done
fi
echo
echo "==> summary ($(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB)"
grep '^RESULT' "$results" | sed 's/^RESULT //'
# The same as JSON, each run against the goal (>= 5,000 leases/s with p99 < 50 ms).
mkdir -p load-tests/target
grep '^RESULT' "$results" | awk -v load="$(cut -d' ' -f1-3 /proc/loadavg)" -v cores="$(nproc)" '
  function num(label,   i) { for (i = 1; i <= NF; i++) if ($i == label) return $(i + 1) + 0; return 0 }
  {
    gsub(/[()|%]/, " ");
    rate = num("leases/s"); p99 = num("p99");
    rows = rows (NR > 1 ? "," : "") sprintf("{\"members\":%d,\"capacity\":%d,\"jobs\":%d,\"leasesPerSecond\":%d,\"steady\":%d,\"p50Ms\":%s,\"p99Ms\":%s,\"goalMet\":%s}",
      num("members"), num("capacity"), num("jobs"), rate, num("steady"), num("p50"), p99, (rate >= 5000 && p99 < 50) ? "true" : "false")
  }
  END { printf "{\"scenario\":\"leases\",\"machine\":{\"cores\":%s,\"loadAverage\":\"%s\"},\"goal\":\">= 5000 leases/s, p99 < 50 ms\",\"rows\":[%s]}\n", cores, load, rows }
' > load-tests/target/scenario-leases.json
echo "    written to load-tests/target/scenario-leases.json; load $(cut -d' ' -f1-3 /proc/loadavg)"
