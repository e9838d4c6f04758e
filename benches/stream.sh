#!/usr/bin/env bash
# The CLI at scale: streams a generated JSONL archive (2 GB by default)
# through the release `preclear check --input jsonl --format json`, with
# --jobs 1, --jobs 2 and the default, and prints peak RSS, posts/s, MB/s and
# the 2-vs-1 speed-up. Targets: peak RSS <= 64 MB; 2 jobs >= 1.7x 1 job.
#
#   bash benches/stream.sh            # 2048 MB
#   SIZE_MB=500 bash benches/stream.sh
#
# The archive is deterministic (fixed seed), lives under $TMPDIR (or /tmp)
# and is deleted at the end. Needs python3 and GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."

size_mb=${SIZE_MB:-2048}
pack=financial-institution
dir=$(mktemp -d "${TMPDIR:-/tmp}/preclear-stream.XXXXXX")
trap 'rm -rf "$dir"' EXIT
file=$dir/archive.jsonl

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')"
echo "load:   $(uptime | sed 's/.*load average/load average/')"

# A 1 MB block of posts (mixed: plain marketing, cards, promissory phrases,
# IBANs, links, emoji and accented text, a few long posts), written again
# and again with fresh ids until the archive has the size asked for.
python3 - "$file" "$size_mb" <<'PY'
import json, random, sys

path, size_mb = sys.argv[1], int(sys.argv[2])
rng = random.Random(20261126)

def card():
    digits = [4] + [rng.randrange(10) for _ in range(14)]
    total = 0
    for i, d in enumerate(reversed(digits)):
        d = d * 2 if i % 2 == 0 else d
        total += d - 9 if d > 9 else d
    digits.append((10 - total % 10) % 10)
    s = "".join(map(str, digits))
    sep = rng.choice([" ", "-", ""])
    return sep.join(s[i:i + 4] for i in range(0, 16, 4))

plain = [
    "Our new branch on Main Street opens Monday at 9am. Come say hi!",
    "Thanks to everyone who joined the financial literacy workshop 🎉",
    "Rates on savings accounts are listed at https://example.com/rates",
    "Café et croissants offerts à l'agence de Lyon ce samedi ☕",
    "Join our team! We are hiring branch advisors in Austin and Denver.",
    "Reminder: our offices are closed for the holiday on Thursday.",
    "Five tips for building an emergency fund, from our planners 📈",
    "Meet Ana, who has helped families in Porto for twenty years.",
]
risky = [
    lambda: f"Please charge card {card()} for the renewal today",
    lambda: "Guaranteed returns of 12% a year, no risk at all!",
    lambda: "Double your money in 30 days with our risk-free plan",
    lambda: "Wire it to IBAN GB82 WEST 1234 5698 7654 32 before Friday",
    lambda: "Heard there are merger talks before the announcement next week",
    lambda: "Our fund returned 18% last year, the best in its class!",
]
words = ("the bank community savings branch team customers morning "
         "workshop local families planning budget home loan advice "
         "together city autumn event").split()

def post():
    r = rng.random()
    if r < 0.70:
        return rng.choice(plain)
    if r < 0.95:
        return rng.choice(plain) + " " + rng.choice(risky)()
    # A long post (1-3 KB) with a hit somewhere inside.
    body = [rng.choice(words) for _ in range(rng.randrange(150, 450))]
    body.insert(rng.randrange(len(body)), rng.choice(risky)())
    return " ".join(body) + "."

tails = []
n = 0
while n < 1 << 20:
    t = json.dumps(post(), ensure_ascii=False) + "}\n"
    tails.append(t)
    n += len(t.encode())
target = size_mb << 20
written = 0
with open(path, "w", encoding="utf-8", buffering=1 << 20) as f:
    block = 0
    while written < target:
        chunk = "".join(f'{{"id": "p{block:06d}-{i:05d}", "text": {t}'
                        for i, t in enumerate(tails))
        f.write(chunk)
        written += len(chunk.encode())
        block += 1
PY

bytes=$(stat -c %s "$file")
posts=$(wc -l <"$file")
echo "archive: $posts posts, $((bytes / 1000000)) MB"

cargo build --release --quiet --bin preclear

# Arithmetic in awk (no bc needed).
calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }
declare -A rate
run() { # label, extra flags...
    local label=$1
    shift
    local t0 t1 status=0
    t0=$(date +%s.%N)
    /usr/bin/time -v -o "$dir/time" target/release/preclear check \
        --pack "$pack" --input jsonl --format json "$@" "$file" \
        >/dev/null || status=$?
    t1=$(date +%s.%N)
    # 0-2 are verdicts; 3 is an error and the figures would be wrong.
    if [ "$status" -gt 2 ]; then
        echo "preclear $* failed with status $status" >&2
        exit 1
    fi
    local rss cpu secs
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/time")
    # Well under 100% per job on an idle machine means someone else ran.
    cpu=$(sed -n 's/.*Percent of CPU this job got: //p' "$dir/time")
    secs=$(calc "$t1 - $t0")
    rate[$label]=$(calc "$posts / $secs")
    printf '%-8s %6.1f s  peak RSS %5.1f MB  %7.0f posts/s  %5.1f MB/s' \
        "$label" "$secs" "$(calc "$rss / 1024")" "${rate[$label]}" \
        "$(calc "$bytes / 1000000 / $secs")"
    echo "  CPU $cpu"
}

run "jobs 1" --jobs 1
run "jobs 2" --jobs 2
run "default" # one job per core
printf 'speed-up 2 vs 1 job: %.2fx\n' \
    "$(calc "${rate[jobs 2]} / ${rate[jobs 1]}")"
