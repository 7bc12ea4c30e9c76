#!/usr/bin/env bash
# Cold start: how long a one-shot Ferry takes from JVM start to exit, where cron jobs and CI
# steps wait for it. Two local registries; the source holds IMAGES small sample images
# (scripts/sample-images.sh, one per repository). Timed, RUNS times each:
#   copy        `ferry copy` of one image into a fresh repository
#   once-first  `ferry standalone --once` of every image into a fresh target registry
#   once-noop   the same schedule again: nothing differs
# With the class-data-sharing archive (coordinator/target/ferry.jsa, made by the build) through
# scripts/ferry, and without it (plain `java -jar coordinator/target/ferry.jar`), interleaved.
# Prints a table of medians; asserts nothing.
# Usage: load-tests/bench/cold-start.sh [IMAGES] [RUNS]      (defaults: 6 5)
# Environment: FERRY_BENCH_JAVA_OPTS adds JVM options to every run (e.g. -Xlog:startuptime);
#   FERRY_BENCH_NO_BUILD=1 reuses the last build.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
. scripts/lib.sh
. load-tests/bench/build.sh
images=${1:-6}
runs=${2:-5}
ferry_need_packages docker-registry:docker-registry skopeo:skopeo
if [ "${FERRY_BENCH_NO_BUILD:-0}" != 1 ] || [ ! -f coordinator/target/ferry.jar ]; then
  echo "==> building (mvn package, tests skipped)" >&2
  # shellcheck disable=SC2086
  mvn -B -ntp -q ${FERRY_MVN_OPTS:-} package -DskipTests -pl coordinator -am
fi
work=$(mktemp -d /tmp/ferry-cold.XXXXXX)
dirs=()
cleanup() { for d in "${dirs[@]}"; do ferry_stop_registry "$d"; done; rm -rf "$work"; }
trap cleanup EXIT
registry() { # DIR -> prints host:port
  local port; port=$(ferry_free_port)
  ferry_start_registry "$1" "$port" >&2
  dirs+=("$1")
  echo "127.0.0.1:$port"
}
src=$(registry "$work/src")
scripts/sample-images.sh "$work/seed" >/dev/null
for i in $(seq 1 "$images"); do
  skopeo copy -q --dest-tls-verify=false oci:"$work/seed":hello-1.0 "docker://$src/cold/app-$i:1.0"
done

# JVM command lines: with the archive (the launcher) and without it.
with_cds() { scripts/ferry "$@"; }
without_cds() { java -jar coordinator/target/ferry.jar "$@"; }
now() { date +%s.%N; }
declare -A times
time_it() { # KEY COMMAND... ; appends the seconds to times[KEY]
  local key=$1; shift
  local t0 t1
  t0=$(now)
  # shellcheck disable=SC2086
  JAVA_TOOL_OPTIONS="${FERRY_BENCH_JAVA_OPTS:-}" "$@" \
    >"$work/out.log" 2>&1 || { echo "failed: $*" >&2; cat "$work/out.log" >&2; exit 1; }
  t1=$(now)
  times[$key]="${times[$key]:-} $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
}
schedule() { # FILE TARGET
  cat > "$1" <<YAML
version: 1
registries:
  - { name: source, url: "http://$src", insecure: true }
  - { name: target, url: "http://$2", insecure: true }
policies:
  - name: cold
    source: { registry: source, repositories: ["cold/*"] }
    targets: [ { registry: target, prefix: "m/" } ]
    trigger: { manual: true }
YAML
}
echo "==> $runs runs each; $images images; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
[ -f coordinator/target/ferry.jsa ] || echo "    (no coordinator/target/ferry.jsa: the launcher runs without an archive)"
for r in $(seq 1 "$runs"); do
  for mode in with_cds without_cds; do
    dst=$(registry "$work/dst-$mode-$r")
    schedule "$work/s-$mode-$r.yaml" "$dst"
    time_it "$mode copy" $mode copy --insecure "docker://$src/cold/app-1:1.0" "docker://$dst/copy/app:1.0"
    time_it "$mode once-first" $mode standalone --once --config "$work/s-$mode-$r.yaml" --data-dir "$work/d-$mode-$r"
    time_it "$mode once-noop" $mode standalone --once --config "$work/s-$mode-$r.yaml" --data-dir "$work/d-$mode-$r"
  done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
echo "| step | scripts/ferry (archive) s | java -jar (no archive) s | all runs, archive / no archive |"
echo "|---|---|---|---|"
for step in copy once-first once-noop; do
  printf '| %s | %.2f | %.2f | %s / %s |\n' "$step" "$(echo "${times[with_cds $step]}" | median)" \
    "$(echo "${times[without_cds $step]}" | median)" "${times[with_cds $step]}" "${times[without_cds $step]}"
done
echo "    machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
