#!/usr/bin/env bash
# Link quota accuracy: how close the bytes that reach the target stay to a link's quota, over
# 10 s windows, with one and with several workers sharing the quota.
#
# Two local CNCF distribution registries (source in region eu, target in region us), a
# schedule with one link eu -> us at QUOTA, a `ferry coordinator` and W `ferry worker`
# processes. The rate is measured outside Ferry: the growth of the target registry's storage
# directory (finished blobs and uploads in progress alike), sampled every 10 s.
# Measures and reports; asserts nothing.
#
# Usage: load-tests/bench/quota.sh [QUOTA_MIB_PER_S] [IMAGES] [WORKER_COUNTS...]
#        defaults: 16 MiB/s, 64 images of 4 x 2 MiB layers (512 MiB), workers 1 and 3
# Environment: FERRY_BENCH_KEEP=1 keeps the work directory (logs of every process).
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh
quota=${1:-16}
images=${2:-64}
shift $(( $# > 2 ? 2 : $# )) || true
worker_counts=("$@")
[ ${#worker_counts[@]} -gt 0 ] || worker_counts=(1 3)
layers=4
layer_mib=2
window=10
jar=coordinator/target/ferry.jar
. load-tests/bench/build.sh
ferry_bench_build "$(pwd)"

work=$(mktemp -d /tmp/ferry-quota.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  ferry_stop_registry "$work/src" 2>/dev/null || true
  ferry_stop_registry "$work/dst" 2>/dev/null || true
  if [ -n "${FERRY_BENCH_KEEP:-}" ]; then echo "logs kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
src_port=$(ferry_free_port); ferry_start_registry "$work/src" "$src_port"
src=http://127.0.0.1:$src_port

upload() { # FILE DIGEST REPO
  local loc
  loc=$(curl -fsS -X POST -D - -o /dev/null "$src/v2/$3/blobs/uploads/" | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
  case "$loc" in http*) ;; *) loc="$src$loc" ;; esac
  curl -fsS -T "$1" -H 'Content-Type: application/octet-stream' "$loc&digest=$2" >/dev/null
}

echo "==> seeding $images images of $layers x $layer_mib MiB unique layers"
printf '{"architecture":"amd64","os":"linux"}' > "$work/config"
config=sha256:$(sha256sum "$work/config" | cut -d' ' -f1)
for i in $(seq 1 "$images"); do
  repo=bench/app$i
  upload "$work/config" "$config" "$repo"
  entries=""
  for l in $(seq 1 "$layers"); do
    head -c "$((layer_mib * 1024 * 1024))" /dev/urandom > "$work/layer"
    d=sha256:$(sha256sum "$work/layer" | cut -d' ' -f1)
    upload "$work/layer" "$d" "$repo"
    entries="$entries${entries:+,}{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"$d\",\"size\":$((layer_mib * 1024 * 1024))}"
  done
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%s},"layers":[%s]}' \
    "$config" "$(stat -c %s "$work/config")" "$entries" > "$work/manifest"
  curl -fsS -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary @"$work/manifest" \
    "$src/v2/$repo/manifests/v1" >/dev/null
done
rm -f "$work/layer"

stored() { du -sb "$work/dst/storage" 2>/dev/null | cut -f1; }
now() { date +%s.%N; }
results=()

for workers in "${worker_counts[@]}"; do
  echo "==> quota $quota MiB/s, $workers worker(s)"
  ferry_stop_registry "$work/dst" 2>/dev/null || true
  rm -rf "$work/dst"
  dst_port=$(ferry_free_port); ferry_start_registry "$work/dst" "$dst_port"
  cat > "$work/schedule.yaml" <<YAML
version: 1
registries:
  - { name: source, url: "$src", insecure: true, region: eu }
  - { name: mirror, url: "http://127.0.0.1:$dst_port", insecure: true, region: us }
links:
  - { from: eu, to: us, bandwidth: ${quota}MiB/s }
policies:
  - name: bench
    source: { registry: source, repositories: ["bench/*"] }
    targets: [ { registry: mirror } ]
    trigger: { manual: true }
YAML
  api=$(ferry_free_port)
  java -jar "$jar" coordinator --config "$work/schedule.yaml" --api "127.0.0.1:$api" \
    --cluster-port "$(ferry_free_port)" --cluster-name "bench-$$-$workers" --data-dir "$work/data-$workers" \
    >"$work/coordinator-$workers.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$api/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
  for w in $(seq 1 "$workers"); do
    java -jar "$jar" worker --coordinator "http://127.0.0.1:$api" --region us --concurrency 4 \
      >"$work/worker-$workers-$w.log" 2>&1 &
    pids+=($!)
  done
  sleep 3
  java -jar "$jar" ctl --server "http://127.0.0.1:$api" sync --policy bench >/dev/null
  base=$(stored)
  # Warm-up: the first 4 MiB (JVMs, connections, first leases).
  while [ $(( $(stored) - base )) -lt $((4 * 1024 * 1024)) ]; do sleep 0.1; done
  total=$((images * layers * layer_mib * 1024 * 1024))
  n=0
  while :; do
    b0=$(stored); t0=$(now)
    sleep "$window"
    b1=$(stored); t1=$(now)
    # A window that reached the end of the work is not a full window at the quota.
    [ $((b1 - base)) -ge $((total - 8 * 1024 * 1024)) ] && break
    n=$((n + 1))
    line=$(awk -v a="$b0" -v b="$b1" -v s="$t0" -v e="$t1" -v q="$quota" -v w="$workers" -v n="$n" \
      'BEGIN { r = (b - a) / 1048576 / (e - s); printf "workers %d window %d: %6.2f MiB/s (quota %d, %+5.1f%%)", w, n, r, q, (r - q) * 100 / q }')
    echo "   $line"
    results+=("$line")
  done
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
done
echo
echo "==> summary ($(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, $images images x $layers x $layer_mib MiB)"
printf '%s\n' "${results[@]}"
# The same as JSON, each window against the goal (within 5% of the quota).
mkdir -p load-tests/target
printf '%s\n' "${results[@]}" | awk -v load="$(cut -d' ' -f1-3 /proc/loadavg)" -v cores="$(nproc)" -v q="$quota" '
  { gsub(/[:(),%]/, " "); d = $9 + 0
    rows = rows (NR > 1 ? "," : "") sprintf("{\"workers\":%d,\"window\":%d,\"mibPerSecond\":%s,\"deviationPercent\":%s,\"goalMet\":%s}", $2, $4, $5, d, (d <= 5 && d >= -5) ? "true" : "false") }
  END { printf "{\"scenario\":\"quota\",\"machine\":{\"cores\":%s,\"loadAverage\":\"%s\"},\"quotaMiBPerSecond\":%s,\"goal\":\"within 5%%\",\"rows\":[%s]}\n", cores, load, q, rows }
' > load-tests/target/scenario-quota.json
echo "    written to load-tests/target/scenario-quota.json"
