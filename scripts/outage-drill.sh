#!/usr/bin/env bash
# The outage runbook (docs/runbook.md), acted out on two local registries: a hub and its
# mirror, with route "ci" preferring the mirror. It runs a drill, then a real outage (the
# mirror's registry process is killed), shows the failover, restarts the mirror, and follows
# the catch-up to the failback. Every command it runs is printed first, as in the runbook.
# Usage: scripts/outage-drill.sh [WORKDIR]   (default ./drill-work; ports 5101, 5102 and 8091)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ferry_need_packages docker-registry:docker-registry skopeo:skopeo maven:mvn curl:curl

work=$(realpath -m "${1:-drill-work}")
rm -rf "$work"; mkdir -p "$work"
[ -f coordinator/target/ferry.jar ] || mvn -B -ntp -q -DskipTests package
jar=$PWD/coordinator/target/ferry.jar
ferry() { java -jar "$jar" "$@"; }
ctl() { echo "\$ ferry ctl $*"; ferry ctl --server http://127.0.0.1:8091 "$@" || true; echo; }
show() { echo "\$ $*"; "$@"; echo; }

cleanup() {
  [ -n "${standalone:-}" ] && kill "$standalone" 2>/dev/null || true
  ferry_stop_registry "$work/hub"; ferry_stop_registry "$work/mirror"
}
trap cleanup EXIT

ferry_start_registry "$work/hub" 5101
ferry_start_registry "$work/mirror" 5102
disown -a   # the mirror is killed on purpose below; no job-control noise about it
scripts/sample-images.sh "$work/seed" >/dev/null
skopeo copy -q --dest-tls-verify=false oci:"$work/seed":hello-1.0 docker://127.0.0.1:5101/samples/hello:1.0

cat > "$work/schedule.yaml" <<YAML
version: 1
registries:
  - { name: hub, url: "http://127.0.0.1:5101", insecure: true }
  - { name: mirror, url: "http://127.0.0.1:5102", insecure: true }
policies:
  - name: samples
    source: { registry: hub, repositories: ["samples/*"] }
    targets: [ { registry: mirror } ]
    trigger: { interval: 10m }
routes:
  - { name: ci, region: default, mirrors: [mirror, hub] }
failover: { probeInterval: 2s, downAfter: 3, failbackAfter: 20s }
YAML
ferry standalone --config "$work/schedule.yaml" --api 127.0.0.1:8091 --data-dir "$work/data" \
  > "$work/standalone.log" 2>&1 &
standalone=$!
until curl -fsS http://127.0.0.1:8091/health/ready >/dev/null 2>&1; do sleep 0.5; done
ferry ctl --server http://127.0.0.1:8091 sync --policy samples --wait >/dev/null
sleep 3

echo "### 1. Before anything happens"
ctl status
show curl -s http://127.0.0.1:8091/v1/routes/ci/hosts.toml

echo "### 2. A drill: the mirror is out of service for 10s, then caught up and put back"
ctl drill --registry mirror --duration 10s

echo "### 3. A real outage: the mirror's registry process dies"
kill -9 "$(cat "$work/mirror/pid")"
sleep 8
ctl registries
ctl routes --name ci
show curl -s http://127.0.0.1:8091/v1/routes/ci/hosts.toml

echo "### 4. Changes keep coming during the outage"
skopeo copy -q --dest-tls-verify=false oci:"$work/seed":hello-1.0 docker://127.0.0.1:5101/samples/hello:1.1
ctl sync --policy samples
sleep 2
ctl jobs --state held

echo "### 5. The mirror comes back; failback is refused until its catch-up is verified"
ferry_start_registry "$work/mirror" 5102
disown -a
sleep 3
ctl failback --registry mirror
ctl registries
echo "(waiting for the catch-up and failbackAfter: 20s)"
for i in $(seq 1 60); do
  active=$(curl -s http://127.0.0.1:8091/v1/routes/ci | sed -n 's/.*"active":"\([^"]*\)".*/\1/p')
  [ "$active" = "mirror" ] && break
  sleep 1
done
ctl routes
show skopeo inspect --tls-verify=false --format '{{.Digest}}' docker://127.0.0.1:5102/samples/hello:1.1
ctl status
