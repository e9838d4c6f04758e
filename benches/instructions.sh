#!/usr/bin/env bash
# Instruction counts of the hot paths, under valgrind's callgrind: unlike
# wall-clock times they do not move with what else the machine runs, so a
# slowdown shows as a number (issue 14, item 4). Prints a Markdown table.
#
#   bash benches/instructions.sh          # ~4 min; needs valgrind
#
# Rows:
# - `screen` on each latency post of the criterion bench (financial-
#   institution: tweet, 2 KB post, 20 KB thread, clean and with findings):
#   instructions inside `Screener::screen` in steady state, that is the
#   run with 11 calls a post minus the run with 1, divided by 10 (the
#   first call warms the regex engines' lazy caches);
# - the 1 MiB of ≤ 2 KB posts of the throughput text, once each:
#   instructions a byte;
# - compiling each bundled pack, and the criterion bench's synthetic pack
#   (10,000 terms, 200 patterns), from TOML to a `Screener`: the run with 3
#   compiles minus the run with 1, over 2 (examples/compile_packs.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "needs valgrind" >&2; exit 1; }

cargo build --quiet --release --example time_posts --example compile_packs
bin=target/release/examples/time_posts
compile=target/release/examples/compile_packs
dir=$(mktemp -d "${TMPDIR:-/tmp}/preclear-instr.XXXXXX")
trap 'rm -rf "$dir"' EXIT
"$bin" write "$dir" --mib 1

# count TOGGLE ARGS...: instructions inside functions matching TOGGLE.
count() {
    local toggle=$1
    shift
    valgrind --tool=callgrind --callgrind-out-file="$dir/cg.out" \
        --toggle-collect="$toggle" "$@" >/dev/null 2>"$dir/cg.err" \
        || { cat "$dir/cg.err" >&2; exit 1; }
    sed -n 's/^totals: //p' "$dir/cg.out"
}

screen='*Screener*screen_with*'
echo "| post (financial-institution) | bytes | instructions a call | a byte |"
echo "|---|---:|---:|---:|"
i=0
while IFS= read -r line; do
    i=$((i + 1))
    printf '%s\n' "$line" >"$dir/one.jsonl"
    id=$(printf '%s' "$line" | sed 's/^{"id":"\([^"]*\)".*/\1/')
    bytes=$(printf '%s' "$line" | python3 -c \
        'import json,sys; print(len(json.load(sys.stdin)["text"].encode()))')
    one=$(count "$screen" "$bin" time --repeat 1 "$dir/one.jsonl")
    many=$(count "$screen" "$bin" time --repeat 11 "$dir/one.jsonl")
    per=$(((many - one) / 10))
    echo "| $id | $bytes | $per | $((per / bytes)) |"
done <"$dir/latency.jsonl"

bytes=$(python3 -c 'import json,sys
print(sum(len(json.loads(l)["text"].encode()) for l in open(sys.argv[1])))' \
    "$dir/posts.jsonl")
one=$(count "$screen" "$bin" time --repeat 1 "$dir/posts.jsonl")
two=$(count "$screen" "$bin" time --repeat 2 "$dir/posts.jsonl")
echo "| 1 MiB of ≤ 2 KB posts (the throughput text), one call each | $bytes | $((two - one)) | $(((two - one) / bytes)) |"

echo
echo "| compile (from TOML, steady state) | instructions |"
echo "|---|---:|"
for pack in base financial-institution music-label synthetic; do
    one=$(count 'compile_packs::compile_once' "$compile" --repeat 1 "$pack")
    three=$(count 'compile_packs::compile_once' "$compile" --repeat 3 "$pack")
    echo "| $pack | $(((three - one) / 2)) |"
done
