#!/usr/bin/env bash
# Makes ferry.jsa, the class-data-sharing archive of ferry.jar (JDK 17's dynamic archive), from
# a training run of the jar just built: `standalone --once` on training.yaml, which copies the
# small images of layout/ and fails to reach a registry that is not there, so the classes of
# planning, copying, probing and the HTTP client's error path are loaded, and archived at exit.
# Run by the build (coordinator/pom.xml) with the JVM that built it; scripts/ferry uses the archive.
# Usage: train.sh TARGET_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
target=${1:?usage: train.sh TARGET_DIR}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
work=$target/cds-training
rm -rf "$work" "$target/ferry.jsa"
mkdir -p "$work"
# Exit 1 is expected: one policy names a registry that is not there.
"$java" -XX:ArchiveClassesAtExit="$target/ferry.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off \
  -jar "$target/ferry.jar" standalone --once --config "$here/training.yaml" --data-dir "$work/data" \
  >"$work/training.log" 2>&1 || true
if [ ! -s "$target/ferry.jsa" ] || ! grep -q '^policy copy-layout: succeeded' "$work/training.log"; then
  echo "the CDS training run did not copy its images or made no archive; see $work/training.log" >&2
  exit 1
fi
