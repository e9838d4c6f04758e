#!/usr/bin/env bash
# Peer comparison: preclear against Microsoft Presidio's analyzer on the
# same posts — the ones `cargo bench --bench screen` measures, written by
# `examples/time_posts.rs` from the benches' own generator.
#
#   benches/peers/presidio.sh            # from anywhere; prints Markdown
#
# Presidio runs without an NLP model (its no-op NLP engine: pattern
# recognizers only, no spaCy download), in a throwaway venv under /tmp
# that is reused across runs. One thread for both tools. Environment:
#   PRESIDIO_VENV  the venv (default /tmp/preclear-presidio-venv)
#   PEER_MIB       MiB of the throughput text to screen as ≤ 2 KB posts
#                  (default 50, all of it; Presidio takes about a minute
#                  for each of its three passes)
#   PEER_ALL_MIB   MiB for Presidio with every pattern recognizer (default
#                  1: it is an order of magnitude slower)
# Needs python3 with venv (Debian: apt-get install python3-venv) and pip
# access to PyPI.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
venv=${PRESIDIO_VENV:-/tmp/preclear-presidio-venv}
mib=${PEER_MIB:-50}
all_mib=${PEER_ALL_MIB:-1}
work=$(mktemp -d /tmp/preclear-peers.XXXXXX)
say() { printf '%s\n' "$*" >&2; }

# 1. Presidio, in its own venv.
if [ ! -x "$venv/bin/python" ]; then
    say "creating $venv"
    python3 -m venv "$venv" || {
        say "python3 -m venv failed: install python3-venv"
        exit 1
    }
fi
if ! "$venv/bin/python" -c 'import presidio_analyzer' 2>/dev/null; then
    say "installing presidio-analyzer into $venv"
    "$venv/bin/pip" install -q --upgrade pip
    "$venv/bin/pip" install -q presidio-analyzer
fi
py="$venv/bin/python"

# 2. preclear, release build.
cd "$root"
cargo build -q --release --bin preclear --example time_posts
target=${CARGO_TARGET_DIR:-$root/target}
time_posts="$target/release/examples/time_posts"
preclear="$target/release/preclear"

# 3. The posts.
"$time_posts" write "$work" --mib "$mib"
say "posts in $work: $(wc -l <"$work/posts.jsonl") bulk, \
$(wc -l <"$work/latency.jsonl") latency"

# 4. preclear: the library one call at a time, then the CLI end to end
#    (process start, pack compile, JSON in and out) on one thread.
say "timing preclear"
"$time_posts" time --repeat 2000 "$work/latency.jsonl" \
    >"$work/r1-preclear-latency.json"
"$time_posts" time --repeat 3 "$work/posts.jsonl" \
    >"$work/r2-preclear-posts.json"
jobs=()
if "$preclear" check --help | grep -q -- '--jobs'; then
    jobs=(--jobs 1)
fi
cmd=(check --pack financial-institution --input jsonl --format json
    "${jobs[@]}")
# Wall time, best of three: the machine may be shared.
best=
for _ in 1 2 3; do
    start=$(date +%s%N)
    status=0
    "$preclear" "${cmd[@]}" "$work/posts.jsonl" >/dev/null || status=$?
    end=$(date +%s%N)
    # 2 is "at least one post blocked": expected, PII is planted.
    if [ "$status" -ne 2 ]; then
        say "preclear check exited $status, expected 2"
        exit 1
    fi
    ns=$((end - start))
    if [ -z "$best" ] || [ "$ns" -lt "$best" ]; then
        best=$ns
    fi
done
"$py" - "$work" "$best" "$status" "preclear ${cmd[*]}" <<'EOF'
import json, os, sys
work, ns, status, command = sys.argv[1:]
bytes_ = json.load(open(os.path.join(work, "planted.json")))["bytes"]
json.dump({"command": command, "seconds": int(ns) / 1e9,
           "bytes": bytes_, "status": int(status)},
          open(os.path.join(work, "cli.json"), "w"))
EOF

# 5. Presidio, like for like and with every pattern recognizer.
say "timing Presidio (about a minute per 50 MB and repeat)"
bench="$here/presidio_bench.py"
"$py" "$bench" time --entities financial --repeat 200 "$work/latency.jsonl" \
    >"$work/r3-presidio-latency.json"
"$py" "$bench" time --entities patterns --repeat 50 "$work/latency.jsonl" \
    >"$work/r4-presidio-all-latency.json"
"$py" "$bench" time --entities financial --repeat 3 "$work/posts.jsonl" \
    >"$work/r5-presidio-posts.json"
"$py" "$bench" time --entities patterns --repeat 3 \
    --max-bytes $((all_mib << 20)) "$work/posts.jsonl" \
    >"$work/r6-presidio-all-posts.json"

# 6. The comparison.
echo "Machine: $(nproc) CPUs (nproc), $(lscpu | sed -n 's/^Model name: *//p'); \
$(date -u +%Y-%m-%d)."
echo
"$py" "$bench" report --planted "$work/planted.json" --cli "$work/cli.json" \
    "$work"/r?-*.json
say "raw results in $work"
