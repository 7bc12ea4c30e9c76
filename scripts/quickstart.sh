#!/usr/bin/env bash
# Ferry quickstart: builds Ferry, starts two local registries, seeds sample images into the
# first, replicates them to the second with `ferry standalone --once` driven by a schedule
# file, and checks the digests with skopeo.
# Usage: scripts/quickstart.sh [--keep]   (--keep leaves the registries running)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
keep=false
[ "${1:-}" = "--keep" ] && keep=true

ferry_need_packages docker-registry:docker-registry skopeo:skopeo maven:mvn curl:curl

work=$PWD/quickstart-work
rm -rf "$work"
mkdir -p "$work"

echo "==> building Ferry (mvn package, tests skipped; run scripts/test.sh for those)"
mvn -B -ntp -q -DskipTests package
# scripts/ferry: java -jar coordinator/target/ferry.jar, with the build's class-data-sharing archive.
ferry() { scripts/ferry "$@"; }

src_port=$(ferry_free_port)
dst_port=$(ferry_free_port)
while [ "$dst_port" = "$src_port" ]; do dst_port=$(ferry_free_port); done
src=127.0.0.1:$src_port
dst=127.0.0.1:$dst_port
echo "==> starting a source registry on $src and a mirror on $dst"
ferry_start_registry "$work/source" "$src_port"
ferry_start_registry "$work/mirror" "$dst_port"
if ! $keep; then
  trap 'ferry_stop_registry "$work/source"; ferry_stop_registry "$work/mirror"' EXIT
fi

echo "==> seeding sample images into the source (skopeo, from a generated OCI layout)"
scripts/sample-images.sh "$work/seed" | sed 's/^/    /'
skopeo copy -q --dest-tls-verify=false oci:"$work/seed":hello-1.0 docker://$src/samples/hello:1.0
skopeo copy -q --all --dest-tls-verify=false oci:"$work/seed":multi-1.0 docker://$src/samples/multi:1.0

cat > "$work/schedule.yaml" <<YAML
# yaml-language-server: \$schema=$PWD/config/schema/ferry-schedule.schema.json
version: 1
registries:
  - { name: source, url: "http://$src", insecure: true }
  - { name: mirror, url: "http://$dst", insecure: true }
policies:
  - name: samples
    source: { registry: source, repositories: ["samples/*"] }
    targets: [ { registry: mirror, prefix: "mirror/" } ]
    trigger: { interval: 5m }
YAML
echo "==> checking the schedule: ferry validate"
ferry validate "$work/schedule.yaml"
echo "==> replicating with ferry standalone --once (coordinator, worker and API in one JVM)"
ferry standalone --config "$work/schedule.yaml" --once --data-dir "$work/ferry-data"
echo "==> again: nothing differs, so nothing is copied"
ferry standalone --config "$work/schedule.yaml" --once --data-dir "$work/ferry-data"
echo "==> one image out to an OCI layout directory with ferry copy (the air-gapped path)"
ferry copy --insecure docker://$dst/mirror/samples/multi:1.0 oci:"$work/export":multi-1.0

echo "==> checking with skopeo that the mirror holds identical digests"
status=0
for image in hello multi; do
  a=$(skopeo inspect --raw --tls-verify=false docker://$src/samples/$image:1.0 | sha256sum | cut -d' ' -f1)
  b=$(skopeo inspect --raw --tls-verify=false docker://$dst/mirror/samples/$image:1.0 | sha256sum | cut -d' ' -f1)
  if [ "$a" = "$b" ]; then echo "    $image:1.0  sha256:$a  identical"; else echo "    $image:1.0  MISMATCH $a vs $b"; status=1; fi
done

cat <<TXT

Where to look:
  registry logs     $work/source/registry.log, $work/mirror/registry.log (access log lines show every request)
  registry storage  $work/source/storage, $work/mirror/storage
  schedule          $work/schedule.yaml (see docs/schedule.md; run it continuously without --once)
  exported layout   $work/export (index.json, blobs/sha256/...)
  try               java -jar coordinator/target/ferry.jar --help
TXT
if $keep; then
  echo "  registries still running: http://$src and http://$dst (pids in $work/*/pid)"
fi
exit $status
