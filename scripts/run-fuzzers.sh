#!/usr/bin/env bash
# Runs every libFuzzer binary in BUILD_DIR for SECONDS each; fails on the first crash.
set -euo pipefail
build=${1:?build dir} seconds=${2:-30}
found=0
for f in "$build"/*_fuzz; do
  [ -x "$f" ] || continue
  found=1
  corpus=$(mktemp -d)
  echo "fuzz: $(basename "$f") for ${seconds}s"
  "$f" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$build/" "$corpus" 2>&1 | tail -n 5
  rm -rf "$corpus"
done
[ "$found" = 1 ] || { echo "fuzz: no fuzz targets in $build" >&2; exit 1; }
