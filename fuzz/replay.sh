#!/bin/sh
# Replays fuzz/seeds, fuzz/regressions and local fuzz/artifacts through the
# fuzz targets' checks, on stable and without libFuzzer. For CI:
#   sh fuzz/replay.sh
set -eu
cd "$(dirname "$0")"
exec cargo test --no-default-features --test replay "$@"
