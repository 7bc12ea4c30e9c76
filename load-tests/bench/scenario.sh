#!/usr/bin/env bash
# Load scenarios against real local registries (Debian's docker-registry) and real Ferry
# processes, with `skopeo sync` as the peer. Each prints a table and writes
# load-tests/target/scenario-NAME.json. Measures and reports; asserts no figure.
#
# Usage: load-tests/bench/scenario.sh NAME [--option value ...]
#   NAME          bulk | one-repo | many-tags | no-op | scale | fan-out | soak | chaos | remote-cpu |
#                 all (all but scale, soak, chaos and remote-cpu)
#   --runs N      timed runs per tool, interleaved (default 2)
#   --warmup N    untimed Ferry syncs before the timed ones, so its JIT is warm (default 6; bulk and
#                 one-repo 3; scale 1)
#   --repos N --tags N --layers N --layer-kib N --shared F --index F --seed S
#                 override the scenario's workload (see load-tests/README.md)
#   --concurrency N         ferry standalone worker slots (default 4)
#   --duration S --every S  soak and chaos: churn length (default 1800) and seconds between steps (3; chaos 2)
#   --members N --workers N --catch-up S  chaos only: coordinator members (3), worker JVMs (2), end wait (180)
#   --ferry-java-opts "..." extra JVM options for Ferry's JVMs (e.g. -XX:StartFlightRecording=...)
#   --cds false   run Ferry without the class-data-sharing archive (coordinator/target/ferry.jsa)
#   --warm false  no running standalone: only cold runs and skopeo, interleaved run by run
#   --baseline-jar J      also time cold runs of another build's jar (with the archive beside it, no
#                 one-shot JVM options), interleaved with this one's: before and after in one run
# Environment: FERRY_BENCH_NO_BUILD=1 reuses the last build; FERRY_MVN_OPTS adds Maven flags.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
. scripts/lib.sh
. load-tests/bench/build.sh
[ $# -ge 1 ] || { sed -n '2,21p' "$0"; exit 2; }
ferry_need_packages docker-registry:docker-registry skopeo:skopeo
ferry_bench_build "$root"
classpath=$root/load-tests/target/classes:$(cat "$root/load-tests/target/bench.classpath")
name=$1; shift
run() { java -Xmx1g -cp "$classpath" dev.ferry.loadtests.scenario.ScenarioMain "$@"; }
if [ "$name" = all ]; then
  for s in bulk one-repo many-tags no-op fan-out; do run "$s" "$@"; done
else
  run "$name" "$@"
fi
echo "    load: $(uptime | sed 's/.*load average: //')"
