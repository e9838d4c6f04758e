#!/usr/bin/env bash
# Screening an archive with GNU parallel gives byte for byte the output of
# one `preclear check` over the whole file: preclear is a line filter (one
# JSON line per input record, in order) and GNU parallel --keep-order puts
# the chunks back in order.
#
#   bash examples/parallel/check-archive.sh
#
# PRECLEAR=path/to/preclear picks the binary (default: a release build).
# Needs GNU parallel (Debian: apt-get install parallel). Exits non-zero,
# saying why, when the outputs differ or a run reports an error.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ -z "${PRECLEAR:-}" ]; then
    cargo build --release --quiet --bin preclear
    PRECLEAR=$PWD/target/release/preclear
fi
export PRECLEAR
command -v parallel >/dev/null || {
    echo "GNU parallel is missing: apt-get install parallel" >&2
    exit 1
}

dir=$(mktemp -d "${TMPDIR:-/tmp}/preclear-parallel.XXXXXX")
trap 'rm -rf "$dir"' EXIT
archive=$dir/archive.jsonl

# A deterministic archive of 3,000 posts: mostly ordinary, some with card
# numbers, promissory language or an unapproved link, some non-ASCII. The
# random numbers come from a Park-Miller generator written out in awk, so
# every awk gives the same posts.
awk -v n=3000 'BEGIN {
    x = 20261126
    plain[0] = "Our new branch on Main Street opens Monday at 9am."
    plain[1] = "Thanks to everyone who came to the budgeting workshop! 🎉"
    plain[2] = "Café et croissants offerts à l’agence de Lyon ce samedi."
    plain[3] = "We are hiring advisors in Austin, Denver and Porto."
    plain[4] = "Five tips for an emergency fund, from our planners 📈"
    risky[0] = "Please charge card 4111 1111 1111 1111 today."
    risky[1] = "Guaranteed returns of 12% a year, no risk at all!"
    risky[2] = "Double your money in 30 days with our risk-free plan."
    risky[3] = "Card 5500-0000-0000-0004 is on file for the renewal."
    risky[4] = "Sign up at http://bit.ly/free-money before Friday."
    for (i = 1; i <= n; i++) {
        x = (x * 16807) % 2147483647
        text = plain[x % 5]
        x = (x * 16807) % 2147483647
        if (x % 4 == 0) {
            x = (x * 16807) % 2147483647
            text = text " " risky[x % 5]
        }
        printf "{\"id\": \"post-%05d\", \"text\": \"%s\"}\n", i, text
    }
}' >"$archive"

# 0 allow, 1 warn and 2 block are verdicts; only 3 (an error) is a failure.
verdicts_only() { [ "$1" -le 2 ]; }

flags=(check --pack financial-institution --input jsonl --format json)

# One process over the whole archive.
status=0
"$PRECLEAR" "${flags[@]}" "$archive" >"$dir/single.out" \
    2>"$dir/single.err" || status=$?
verdicts_only "$status" || {
    echo "single run failed ($status):" >&2
    cat "$dir/single.err" >&2
    exit 1
}

# GNU parallel: chunks of 500 records, one preclear per chunk (each on one
# core: --jobs 1), output in input order. parallel's own exit status counts
# the jobs that exited non-zero, and a chunk with a blocked post exits 2:
# each job maps its verdict statuses to 0 so that only errors count.
cat >"$dir/screen-chunk" <<'SH'
#!/bin/sh
"$PRECLEAR" "$@"
s=$?
[ "$s" -le 2 ]
SH
chmod +x "$dir/screen-chunk"
parallel --will-cite --pipe --keep-order -N 500 \
    "$dir/screen-chunk" "${flags[@]}" --jobs 1 \
    <"$archive" >"$dir/parallel.out" 2>"$dir/parallel.err" || {
    echo "parallel run failed ($? jobs):" >&2
    cat "$dir/parallel.err" >&2
    exit 1
}

for f in single parallel; do
    if [ -s "$dir/$f.err" ]; then
        echo "$f run wrote errors:" >&2
        cat "$dir/$f.err" >&2
        exit 1
    fi
done
lines=$(wc -l <"$dir/single.out")
if [ "$lines" -ne 3000 ]; then
    echo "expected 3000 verdict lines, got $lines" >&2
    exit 1
fi
if ! cmp "$dir/single.out" "$dir/parallel.out"; then
    echo "GNU parallel output differs from the single run" >&2
    diff "$dir/single.out" "$dir/parallel.out" | head -5 >&2
    exit 1
fi
blocked=$(grep -c '"verdict":"block"' "$dir/single.out" || true)
warned=$(grep -c '"verdict":"warn"' "$dir/single.out" || true)
echo "ok: 3000 posts ($blocked blocked, $warned warned); GNU parallel" \
    "output is byte-identical to one process"
