#!/usr/bin/env bash
# Measures registry-to-registry throughput for one large blob:
#   baseline  curl GET from the source piped into a curl PUT (chunked, streaming) on the target
#   ferry warm  a running `ferry standalone` (coordinator and worker in one JVM) under -Xmx256m
#             (FERRY_BENCH_HEAP), as a deployed worker runs: it first copies a 256 MiB image (untimed,
#             so the JIT has compiled the blob path), then the sync of the big image is timed over the
#             API, request to end of run. This is the figure the goal is about.
#   ferry copy  `ferry copy` of the image in a fresh JVM (start-up and JIT included), under the same
#             heap, once with 64 MiB PATCH chunks (the default) and once as a single streamed PUT
# Both run against two local CNCF distribution registries on loopback. Prints a table with the
# peak heap (largest heap in use before a GC, from -Xlog:gc) and peak RSS, and the ratio to curl;
# writes load-tests/target/scenario-big-blob.json.
# Usage: load-tests/bench/large-blob.sh [SIZE_MIB] [RUNS]     (defaults: 1024 3)
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh
size_mib=${1:-1024}
runs=${2:-3}
. load-tests/bench/build.sh
ferry_bench_build "$(pwd)"
jar=coordinator/target/ferry.jar
heap=${FERRY_BENCH_HEAP:-256m}
out=load-tests/target/scenario-big-blob.json

work=$(mktemp -d /tmp/ferry-bench.XXXXXX)
src_port=$(ferry_free_port); dst_port=$(ferry_free_port)
ferry_start_registry "$work/src" "$src_port"
ferry_start_registry "$work/dst" "$dst_port"
trap 'ferry_stop_registry "$work/src"; ferry_stop_registry "$work/dst"; rm -rf "$work"' EXIT
src=http://127.0.0.1:$src_port
dst=http://127.0.0.1:$dst_port

echo "==> generating a ${size_mib} MiB blob"
head -c "$((size_mib * 1024 * 1024))" /dev/urandom > "$work/blob"
blob=sha256:$(sha256sum "$work/blob" | cut -d' ' -f1)
bytes=$(stat -c %s "$work/blob")
printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["%s"]}}' "$blob" > "$work/config"
config=sha256:$(sha256sum "$work/config" | cut -d' ' -f1)

upload() { # FILE DIGEST REPO BASE
  local loc
  loc=$(curl -fsS -X POST -D - -o /dev/null "$4/v2/$3/blobs/uploads/" | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
  case "$loc" in http*) ;; *) loc="$4$loc" ;; esac
  curl -fsS -T "$1" -H 'Content-Type: application/octet-stream' "$loc&digest=$2" >/dev/null
}
echo "==> seeding the source registry"
upload "$work/blob" "$blob" bench "$src"
upload "$work/config" "$config" bench "$src"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%s}]}' \
  "$config" "$(stat -c %s "$work/config")" "$blob" "$bytes" > "$work/manifest"
curl -fsS -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary @"$work/manifest" "$src/v2/bench/manifests/v1" >/dev/null
rm -f "$work/blob"
# The warm-up image for the standalone: the same shape, 256 MiB.
head -c $((256 * 1024 * 1024)) /dev/urandom > "$work/wblob"
wblob=sha256:$(sha256sum "$work/wblob" | cut -d' ' -f1)
upload "$work/wblob" "$wblob" warm "$src"
upload "$work/config" "$config" warm "$src"
sed "s/$blob/$wblob/; s/\"size\":$bytes}/\"size\":$((256 * 1024 * 1024))}/" "$work/manifest" > "$work/wmanifest"
curl -fsS -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary @"$work/wmanifest" "$src/v2/warm/manifests/v1" >/dev/null
rm -f "$work/wblob"

now() { date +%s.%N; }
rate() { awk -v b="$bytes" -v s="$1" 'BEGIN { printf "%.1f", b / 1048576 / s }'; }

echo "==> ${runs} runs each; ${size_mib} MiB; $(nproc) cores; ferry at -Xmx$heap"
rows=()
row() { # TOOL RUN SECONDS PEAK_HEAP_MIB PEAK_RSS_MIB
  local r; r=$(rate "$3")
  printf '| %-22s | %d | %7.2f | %7s | %9s | %8s |\n' "$1" "$2" "$3" "$r" "$4" "$5"
  rows+=("{\"tool\":\"$1\",\"run\":$2,\"seconds\":$3,\"mibPerSecond\":$r,\"peakHeapMiB\":${4:-null},\"peakRssMiB\":${5:-null}}")
}
# The warm standalone: one policy per timed run, each into a registry of its own (in one
# registry, Ferry would mount the blob it copied in the run before), one for the warm-up.
api_port=$(ferry_free_port)
warm_dirs=()
{
  echo "version: 1"
  echo "registries:"
  echo "  - { name: source, url: \"$src\", insecure: true }"
  echo "  - { name: target, url: \"$dst\", insecure: true }"
  for i in $(seq 1 "$runs"); do
    port=$(ferry_free_port)
    ferry_start_registry "$work/warm-dst-$i" "$port"
    warm_dirs+=("$work/warm-dst-$i")
    echo "  - { name: target-$i, url: \"http://127.0.0.1:$port\", insecure: true }"
  done
  echo "policies:"
  echo "  - { name: warmup, source: { registry: source, repositories: [warm] }, targets: [{ registry: target, prefix: \"warmup/\" }], trigger: { manual: true } }"
  for i in $(seq 1 "$runs"); do
    echo "  - { name: big-$i, source: { registry: source, repositories: [bench] }, targets: [{ registry: target-$i, prefix: \"warm/\" }], trigger: { manual: true } }"
  done
} > "$work/warm.yaml"
java -Xmx"$heap" -Xlog:gc:file="$work/gc-warm.log" -jar "$jar" standalone --config "$work/warm.yaml" \
  --api "127.0.0.1:$api_port" --data-dir "$work/data" > "$work/standalone.log" 2>&1 &
standalone=$!
trap 'kill $standalone 2>/dev/null; for d in "${warm_dirs[@]}"; do ferry_stop_registry "$d"; done; ferry_stop_registry "$work/src"; ferry_stop_registry "$work/dst"; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$api_port/health/ready" >/dev/null 2>&1 && break; sleep 1; done
sync_policy() { # POLICY -> fails unless the run succeeded
  curl -fsS -X POST "http://127.0.0.1:$api_port/v1/policies/$1/sync?wait=true" | grep -q '"state":"succeeded"' \
    || { echo "sync of $1 did not succeed; see $work/standalone.log" >&2; tail -20 "$work/standalone.log" >&2; exit 1; }
}
sync_policy warmup
echo "| tool                   | run | seconds |   MiB/s | heap MiB | RSS MiB |"
echo "|---|---|---|---|---|---|"
for i in $(seq 1 "$runs"); do
  loc=$(curl -fsS -X POST -D - -o /dev/null "$dst/v2/curl$i/blobs/uploads/" | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
  case "$loc" in http*) ;; *) loc="$dst$loc" ;; esac
  t0=$(now)
  curl -fsS "$src/v2/bench/blobs/$blob" | curl -fsS -T - -H 'Content-Type: application/octet-stream' "$loc&digest=$blob" >/dev/null
  t1=$(now)
  row "curl GET|PUT" "$i" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" "" ""
  t0=$(now)
  sync_policy "big-$i"
  t1=$(now)
  peak=$(grep -o '[0-9]*M->' "$work/gc-warm.log" | sed 's/M->//' | sort -n | tail -1)
  row "ferry warm (standalone)" "$i" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" "${peak:-0}" \
    "$(( $(awk '/VmHWM/ {print $2}' /proc/$standalone/status) / 1024 ))"
  for chunk in 64 4096; do
    rm -f "$work/gc.log"
    t0=$(now)
    /usr/bin/time -f "%M" -o "$work/rss" java -Xmx"$heap" -Xlog:gc:file="$work/gc.log" -jar "$jar" copy --insecure \
      --chunk-size "$chunk" "docker://127.0.0.1:$src_port/bench:v1" "docker://127.0.0.1:$dst_port/ferry$i-$chunk:v1" >"$work/ferry.out"
    t1=$(now)
    # Largest "BEFORE" of "BEFOREM->AFTERM(TOTALM)" in the GC log: the most heap ever in use.
    peak=$(grep -o '[0-9]*M->' "$work/gc.log" | sed 's/M->//' | sort -n | tail -1)
    row "ferry copy chunk $chunk" "$i" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" "${peak:-0}" \
      "$(( $(cat "$work/rss") / 1024 ))"
  done
done
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
curl_s=$(printf '%s\n' "${rows[@]}" | grep '"curl' | sed 's/.*"seconds":\([0-9.]*\).*/\1/' | median)
ferry_s=$(printf '%s\n' "${rows[@]}" | grep '"ferry warm' | sed 's/.*"seconds":\([0-9.]*\).*/\1/' | median)
ratio=$(awk -v c="$curl_s" -v f="$ferry_s" 'BEGIN { printf "%.2f", c / f }')
cold_s=$(printf '%s\n' "${rows[@]}" | grep '"ferry copy chunk 64"' | sed 's/.*"seconds":\([0-9.]*\).*/\1/' | median)
cold_ratio=$(awk -v c="$curl_s" -v f="$cold_s" 'BEGIN { printf "%.2f", c / f }')
peak_all=$(printf '%s\n' "${rows[@]}" | grep -o '"peakHeapMiB":[0-9]*' | cut -d: -f2 | sort -n | tail -1)
load=$(cut -d' ' -f1-3 /proc/loadavg)
met=$(awk -v r="$ratio" 'BEGIN { print (r >= 0.8) ? "true" : "false" }')
echo "    ferry warm / curl pipe, median: $ratio of curl's rate (goal >= 0.80: $([ "$met" = true ] && echo MET || echo MISSED)); peak heap ${peak_all} MiB of $heap"
echo "    ferry copy in a fresh JVM (64 MiB chunks) / curl pipe, median: $cold_ratio"
echo "    machine: $(nproc) cores, load $load"
mkdir -p load-tests/target
{
  printf '{"scenario":"big-blob","at":"%s","machine":{"cores":%s,"loadAverage":"%s"},' "$(date -u +%FT%TZ)" "$(nproc)" "$load"
  printf '"workload":{"blobMiB":%s,"runs":%s,"ferryHeap":"%s"},"rows":[%s],' "$size_mib" "$runs" "$heap" "$(IFS=,; echo "${rows[*]}")"
  printf '"coldRatio":%s,"goals":[{"figure":"ferry warm rate / curl pipe rate","measured":%s,"target":">= 0.8","met":%s}]}\n' "$cold_ratio" "$ratio" "$met"
} > "$out"
echo "    written to $out"
