#!/usr/bin/env bash
# Runs every test: unit tests and the integration tests against real registries.
# Installs what is missing first (Debian: docker-registry, skopeo, prometheus for promtool,
# kubernetes-client for `kubectl kustomize`, containerd for RouteAgentIT, chromium and chromium-driver
# for the console's browser test, tinyproxy for the egress-proxy tests), so a fresh machine passes.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ferry_need_packages docker-registry:docker-registry skopeo:skopeo prometheus:promtool maven:mvn curl:curl \
  kubernetes-client:kubectl containerd:containerd chromium:chromium chromium-driver:chromedriver \
  tinyproxy:tinyproxy
exec mvn -B -ntp verify "$@"
