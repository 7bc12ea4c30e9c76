#!/usr/bin/env bash
# Cold start: how long a one-shot Ferry takes from JVM start to exit, where cron jobs and CI
# steps wait for it. Two local registries; the source holds IMAGES small sample images
# (scripts/sample-images.sh, one per repository). Timed, RUNS times each:
#   copy        `ferry copy` of one image into a fresh repository
#   once-first  `ferry standalone --once` of every image into a fresh target registry
#   once-noop   the same schedule again: nothing differs
# With the class-data-sharing archive (coordinator/target/ferry.jsa, made by the build) through
# scripts/ferry, and without it (plain `java -jar coordinator/target/ferry.jar`), interleaved.
# Prints a table of medians, wall and CPU seconds (user + system: steadier than wall time on a
# shared machine); asserts nothing.
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
registry() { # DIR: starts a registry there; sets $host to its host:port
  local port; port=$(ferry_free_port)
  ferry_start_registry "$1" "$port" >&2
  dirs+=("$1")
  host=127.0.0.1:$port
}
registry "$work/src"
src=$host
scripts/sample-images.sh "$work/seed" >/dev/null
for i in $(seq 1 "$images"); do
  skopeo copy -q --dest-tls-verify=false oci:"$work/seed":hello-1.0 "docker://$src/cold/app-$i:1.0"
done

if [ -n "${FERRY_BENCH_JAVA_OPTS:-}" ]; then
  export JAVA_TOOL_OPTIONS=$FERRY_BENCH_JAVA_OPTS
fi
declare -A times cpus
time_it() { # KEY COMMAND... ; appends wall and CPU (user + system) seconds to times[KEY], cpus[KEY]
  local key=$1; shift
  /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" >"$work/out.log" 2>&1 \
    || { echo "failed: $*" >&2; cat "$work/out.log" >&2; exit 1; }
  read -r wall user sys < "$work/time"
  times[$key]="${times[$key]:-} $wall"
  cpus[$key]="${cpus[$key]:-} $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')"
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
    # With the archive (the launcher) and without it.
    if [ "$mode" = with_cds ]; then ferry=(scripts/ferry); else ferry=(java -jar coordinator/target/ferry.jar); fi
    registry "$work/dst-$mode-$r"
    dst=$host
    schedule "$work/s-$mode-$r.yaml" "$dst"
    time_it "$mode copy" "${ferry[@]}" copy --insecure "docker://$src/cold/app-1:1.0" "docker://$dst/copy/app:1.0"
    time_it "$mode once-first" "${ferry[@]}" standalone --once --config "$work/s-$mode-$r.yaml" --data-dir "$work/d-$mode-$r"
    time_it "$mode once-noop" "${ferry[@]}" standalone --once --config "$work/s-$mode-$r.yaml" --data-dir "$work/d-$mode-$r"
  done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
echo "| step | scripts/ferry (archive): wall s | CPU s | java -jar (no archive): wall s | CPU s |"
echo "|---|---|---|---|---|"
for step in copy once-first once-noop; do
  printf '| %s | %.2f | %.2f | %.2f | %.2f |\n' "$step" \
    "$(echo "${times[with_cds $step]}" | median)" "$(echo "${cpus[with_cds $step]}" | median)" \
    "$(echo "${times[without_cds $step]}" | median)" "$(echo "${cpus[without_cds $step]}" | median)"
done
echo "    machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
