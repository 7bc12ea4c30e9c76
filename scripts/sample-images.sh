#!/usr/bin/env bash
# Writes small but real sample images into an OCI image-layout directory:
#   hello:1.0  one platform (linux/amd64), two gzip'd tar layers
#   multi:1.0  an OCI index of linux/amd64 and linux/arm64
# Usage: scripts/sample-images.sh DIR
set -euo pipefail
out=${1:?usage: sample-images.sh DIR}
mkdir -p "$out/blobs/sha256"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# add_blob FILE: stores FILE as a blob; prints "DIGEST SIZE".
add_blob() {
  local hex size
  hex=$(sha256sum "$1" | cut -d' ' -f1)
  size=$(stat -c %s "$1")
  cp "$1" "$out/blobs/sha256/$hex"
  echo "sha256:$hex $size"
}

# layer NAME TEXT: a tar.gz with one file; prints "DIGEST SIZE DIFFID".
layer() {
  mkdir -p "$work/$1"
  printf '%s\n' "$2" > "$work/$1/$1.txt"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$work/$1" -cf "$work/$1.tar" .
  local diff
  diff=sha256:$(sha256sum "$work/$1.tar" | cut -d' ' -f1)
  gzip -n -c "$work/$1.tar" > "$work/$1.tar.gz"
  echo "$(add_blob "$work/$1.tar.gz") $diff"
}

# image ARCH: writes config + manifest for one platform; prints "DIGEST SIZE".
image() {
  local arch=$1 l1 l2 cfg
  read -r d1 s1 f1 <<<"$(layer "base-$arch" "Ferry sample base layer for $arch")"
  read -r d2 s2 f2 <<<"$(layer "app-$arch" "Ferry sample app layer for $arch")"
  printf '{"architecture":"%s","os":"linux","config":{"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":["%s","%s"]}}' \
    "$arch" "$f1" "$f2" > "$work/config-$arch.json"
  read -r dc sc <<<"$(add_blob "$work/config-$arch.json")"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%s},{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%s}]}' \
    "$dc" "$sc" "$d1" "$s1" "$d2" "$s2" > "$work/manifest-$arch.json"
  add_blob "$work/manifest-$arch.json"
}

read -r hello_d hello_s <<<"$(image amd64)"
read -r arm_d arm_s <<<"$(image arm64)"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%s,"platform":{"architecture":"amd64","os":"linux"}},{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%s,"platform":{"architecture":"arm64","os":"linux"}}]}' \
  "$hello_d" "$hello_s" "$arm_d" "$arm_s" > "$work/index.json"
read -r multi_d multi_s <<<"$(add_blob "$work/index.json")"

echo '{"imageLayoutVersion":"1.0.0"}' > "$out/oci-layout"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"hello-1.0"}},{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"multi-1.0"}}]}\n' \
  "$hello_d" "$hello_s" "$multi_d" "$multi_s" > "$out/index.json"
echo "wrote sample images to $out: hello-1.0 ($hello_d), multi-1.0 ($multi_d)"
