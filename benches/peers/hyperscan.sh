#!/usr/bin/env bash
# Peer comparison for the performance issue's two peer rows, in one run:
#
# 1. documents: the throughput text (52.4 MB) as ≤ 1 MiB posts through
#    `preclear check --pack financial-institution --input jsonl --format
#    json` end to end (--jobs 1 and the default), against Intel Hyperscan
#    scanning the same texts only (its Python binding, block mode, one
#    `scan` per post, database compiled once outside the timing) for the
#    pack's literals and four shape regexes (card, SSN, IBAN, routing);
# 2. per post: the command line's wall time over many posts divided by
#    their number (start-up shared by all of them; also shown with it
#    taken off) against Presidio's median per call, on the latency posts
#    (tweet, 2 KB, 20 KB, clean and with hits) and on ≤ 2 KB posts of the
#    throughput text.
#
#   benches/peers/hyperscan.sh        # from anywhere; prints Markdown
#
# Wall times are the best of 3 runs after an untimed one (the machine may
# be shared); the load average is printed with them. About 4 minutes.
# Environment:
#   PEER_VENV      venv for hyperscan and presidio-analyzer (default: the
#                  Presidio peer's, /tmp/preclear-presidio-venv)
#   PRECLEAR       a preclear binary to time (default: cargo build --release)
#   PEER_MIB       MiB of ≤ 2 KB posts for the per-post bulk row (default 10)
#   PEER_CALLGRIND 0 skips the instruction counts (valgrind's callgrind,
#                  when installed) of both tools on the first document
# Needs python3 ≥ 3.11 with venv and pip access to PyPI (hyperscan ships a
# manylinux wheel with the library inside).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
venv=${PEER_VENV:-/tmp/preclear-presidio-venv}
mib=${PEER_MIB:-10}
work=$(mktemp -d /tmp/preclear-hyperscan.XXXXXX)
say() { printf '%s\n' "$*" >&2; }
load() { uptime | sed 's/.*load average: //'; }

# 1. The peers, in their venv.
if [ ! -x "$venv/bin/python" ]; then
    say "creating $venv"
    python3 -m venv "$venv" || {
        say "python3 -m venv failed: install python3-venv"
        exit 1
    }
fi
if ! "$venv/bin/python" -c 'import hyperscan, presidio_analyzer' \
    2>/dev/null; then
    say "installing hyperscan and presidio-analyzer into $venv"
    "$venv/bin/pip" install -q --upgrade pip
    "$venv/bin/pip" install -q hyperscan presidio-analyzer
fi
py="$venv/bin/python"
drive() { "$py" "$here/hyperscan_bench.py" "$@"; }

# 2. preclear, release build (the posts come from the benches' generator).
cd "$root"
build=(--example time_posts)
[ -n "${PRECLEAR:-}" ] || build+=(--bin preclear)
cargo build -q --release "${build[@]}"
target=${CARGO_TARGET_DIR:-$root/target}
preclear=${PRECLEAR:-$target/release/preclear}
check=("$preclear" check --pack financial-institution --input jsonl
    --format json)

# 3. The posts.
"$target/release/examples/time_posts" write "$work" --mib 50
drive docs "$work/posts.jsonl" "$work/docs.jsonl"
drive head "$work/posts.jsonl" "$work/bulk.jsonl" --max-bytes $((mib << 20))
drive repeat "$work/latency.jsonl" "$work/mix.jsonl" --times 500
drive repeat "$work/latency.jsonl" "$work/tweet.jsonl" --times 20000 \
    --ids tweet-clean,tweet-hit
drive repeat "$work/latency.jsonl" "$work/post-2k.jsonl" --times 2000 \
    --ids post-2k-clean,post-2k-hit
drive repeat "$work/latency.jsonl" "$work/thread-20k.jsonl" --times 200 \
    --ids thread-20k-clean,thread-20k-hit
: >"$work/empty.jsonl"

# 4. Documents: the command line, then Hyperscan.
say "documents: preclear (about 30 s a run), then Hyperscan"
echo "\"$(load)\"" >"$work/load-before.json"
drive cli "$work/docs.jsonl" -- "${check[@]}" --jobs 1 \
    >"$work/d1-cli-jobs1.json"
drive cli "$work/docs.jsonl" -- "${check[@]}" >"$work/d2-cli-default.json"
for set in terms pack policy; do
    drive scan --rules "$root/rules" --literals "$set" "$work/docs.jsonl" \
        >"$work/d3-hyperscan-$set.json"
done

# Instruction counts: the documents' ratio without the neighbours' noise.
if [ "${PEER_CALLGRIND:-1}" != 0 ] && command -v valgrind >/dev/null; then
    say "documents: instruction counts (callgrind, about a minute)"
    drive instructions --rules "$root/rules" "$work/docs.jsonl" -- \
        "${check[@]}" --jobs 1 >"$work/i-instructions.json"
fi

# 5. Per post: the command line on one thread, then Presidio.
say "per post: preclear, then Presidio (about 2 minutes)"
drive cli --expect 0 "$work/empty.jsonl" -- "${check[@]}" --jobs 1 \
    >"$work/p0-cli-empty.json"
for f in mix tweet post-2k thread-20k bulk; do
    drive cli "$work/$f.jsonl" -- "${check[@]}" --jobs 1 \
        >"$work/p1-cli-$f.json"
done
"$py" "$here/presidio_bench.py" time --entities financial --repeat 200 \
    "$work/latency.jsonl" >"$work/p2-presidio-latency.json"
"$py" "$here/presidio_bench.py" time --entities financial --repeat 3 \
    "$work/bulk.jsonl" >"$work/p3-presidio-bulk.json"
echo "\"$(load)\"" >"$work/load-after.json"

# 6. The tables.
echo "Machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'); \
$(date -u '+%Y-%m-%d %H:%M UTC'); $("$preclear" --version) ($preclear)."
echo
drive report "$work"
say "raw results in $work"
