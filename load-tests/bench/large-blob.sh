#!/usr/bin/env bash
# Measures registry-to-registry throughput for one large blob:
#   baseline  curl GET from the source piped into a curl PUT (chunked, streaming) on the target
#   ferry     `ferry copy` of an image holding that blob (JVM start-up included), under -Xmx64m,
#             once with 64 MiB PATCH chunks (the default) and once as a single streamed PUT
# Both run against two local CNCF distribution registries on loopback.
# Usage: load-tests/bench/large-blob.sh [SIZE_MIB] [RUNS]     (defaults: 1024 3)
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh
size_mib=${1:-1024}
runs=${2:-3}
jar=coordinator/target/ferry.jar
[ -f "$jar" ] || mvn -B -ntp -q -DskipTests package

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

now() { date +%s.%N; }
rate() { awk -v b="$bytes" -v s="$1" 'BEGIN { printf "%.1f", b / 1048576 / s }'; }

echo "==> ${runs} runs each; ${size_mib} MiB; $(nproc) cores"
for i in $(seq 1 "$runs"); do
  loc=$(curl -fsS -X POST -D - -o /dev/null "$dst/v2/curl$i/blobs/uploads/" | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
  case "$loc" in http*) ;; *) loc="$dst$loc" ;; esac
  t0=$(now)
  curl -fsS "$src/v2/bench/blobs/$blob" | curl -fsS -T - -H 'Content-Type: application/octet-stream' "$loc&digest=$blob" >/dev/null
  t1=$(now)
  curl_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')

  printf 'run %d  curl GET|PUT          %6.2f s %7s MiB/s\n' "$i" "$curl_s" "$(rate "$curl_s")"
  for chunk in 64 4096; do
    t0=$(now)
    /usr/bin/time -f "%M" -o "$work/rss" java -Xmx64m -jar "$jar" copy --insecure --chunk-size "$chunk" \
      "docker://127.0.0.1:$src_port/bench:v1" "docker://127.0.0.1:$dst_port/ferry$i-$chunk:v1" >"$work/ferry.out"
    t1=$(now)
    ferry_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
    printf '       ferry --chunk-size %-4s %6.2f s %7s MiB/s  (peak RSS %s MiB; in-JVM:%s)\n' "$chunk" \
      "$ferry_s" "$(rate "$ferry_s")" "$(( $(cat "$work/rss") / 1024 ))" \
      "$(sed -n 's/^ *manifests 1 written in\(.*\)/\1/p' "$work/ferry.out")"
  done
done
