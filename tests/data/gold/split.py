#!/usr/bin/env python3
"""Split the gold set into `tune` (two thirds) and `holdout` (one third).

    python3 tests/data/gold/split.py     # rewrites tune/<pack>.jsonl and holdout/<pack>.jsonl

posts/<pack>.jsonl is the single source; the split files are generated from
it and committed. The rule is deterministic and does not look at the text:

  * stratum = (pack, violating or harmless, English or Spanish/German),
    where violating means expect warn or block and harmless means allow;
  * inside a stratum, posts are ranked by SHA-256 of SALT + id (hex order);
  * the first round(n / 3) of the ranking go to holdout, the rest to tune.

Each output file keeps the order of posts/. The split was made once, before
any tuning; do not change SALT or the ids. New posts must not be added to a
split that has already been used for tuning (write a new, separately split
file instead), because a different stratum size moves posts between parts.

Batches. The set grew eight times: a second batch of 150 posts per pack,
a third of 120, a fourth of 120, a fifth of 120 (2026-12-01), a sixth
of 120 (2026-12-02), a seventh of 120 (2026-12-02, later), an eighth of
120 (2026-12-02, evening) and a ninth of 120 (2026-12-03), each written
by hand by three other writers under
the same rules, were appended
to posts/. Each batch is split on its
own, with its own salt, so earlier splits do not move: batch 1 goes to
tune/ + holdout/, batch 2 to tune2/ + holdout2/, batch 3 to tune3/ +
holdout3/, batch 4 to tune4/ + holdout4/, batch 5 to tune5/ +
holdout5/, batch 6 to tune6/ + holdout6/, batch 7 to tune7/ +
holdout7/, batch 8 to tune8/ + holdout8/, batch 9 to tune9/ +
holdout9/, batch 10 to tune10/ + holdout10/, batch 11 (2026-12-04,
written by five writer helpers: two per organisation pack, one for the
label) to tune11/ + holdout11/, batches 12 to 15 (2026-12-04, six
writer helpers each; batch 15 only three) to tune12/ … holdout15/, batch 16
(the three late writers of batch 15) to tune16/ + holdout16/, batch 17
(2026-12-04, six writer helpers) to tune17/ + holdout17/, batch 18
(2026-12-04, six writer helpers) to tune18/ + holdout18/, batch 19
(base only: batch 18's late sixth writer) to tune19/ + holdout19/ (the
other packs' batch-19 files are empty: their last ids repeat in
BATCH_LAST), batch 20 (2026-12-04, night, six writer helpers) to tune20/
+ holdout20/, batch 21 (the same night, six more) to tune21/ + holdout21/, batch 22
(2026-12-05, the four of six writer helpers who delivered first) to tune22/ + holdout22/,
batch 23 (2026-12-05, morning, four writer helpers of 30 posts each) to
tune23/ + holdout23/, batch 24 (2026-12-05, afternoon, the bank only: one writer
helper of 30 posts, the one of eight who delivered in the session) to
tune24/ + holdout24/, batch 25 (2026-12-05, evening: the five files of batch 24's
writers that arrived after its split, 140 posts, unread until integrated) to
tune25/ + holdout25/, batch 26 (2026-12-05, evening: three writer helpers of 30
posts each, briefed at the session's start) to tune26/ + holdout26/, batch 27 (2026-12-05, night: three writer helpers of 30
posts each, briefed at the session's start) to tune27/ + holdout27/, batch 28 (2026-12-05, night: six writer helpers of 30
posts each, two per pack) to tune28/ + holdout28/, batch 29 (2026-12-05, night: six more writer helpers of
30 posts each, two per pack) to tune29/ + holdout29/, batch 30 (2026-12-05, late night: six writer helpers of
30 posts each, two per pack) to tune30/ + holdout30/, batch 31 (2026-12-05, late night: six more writer helpers
of 30 posts each, two per pack) to tune31/ + holdout31/, batch 32 (2026-12-05, late night: six more writer helpers
of 30 posts each, two per pack) to tune32/ + holdout32/, batch 33 (2026-12-05, late night: six more writer helpers
of 30 posts each, two per pack) to tune33/ + holdout33/, batch 34 (2026-12-05, late night: six more writer helpers
of 30 posts each, two per pack; screened, not tuned on this round) to
tune34/ + holdout34/, batch 35 (2026-12-06: six writer helpers of 30 posts
each, two per pack) to tune35/ + holdout35/, batch 36 (2026-12-06: six more
writer helpers of 30 posts each, two per pack) to tune36/ + holdout36/,
batch 37 (2026-12-06, the thirty-first round: six writer helpers of 30
posts each, two per pack; screened, not tuned on) to tune37/ + holdout37/,
batch 38 (2026-12-06, the same round: six more writer helpers of 30 posts
each, two per pack; screened, not tuned on) to tune38/ + holdout38/,
batch 39 (2026-12-06, the same round: six more writer helpers of 30 posts
each, two per pack; screened, not tuned on) to tune39/ + holdout39/,
batch 40 (2026-12-06, the thirty-second round: six writer helpers of 30
posts each, two per pack; screened, not tuned on) to tune40/ + holdout40/,
batches 41 to 44 (2026-12-06, the thirty-fourth round: twenty-four writer
helpers of 30 posts each, six a batch, two per pack; screened, not tuned
on) to tune41/ + holdout41/ … tune44/ + holdout44/,
batches 45 to 48 (2026-12-06, the thirty-fifth round: twenty-four more
writer helpers, the same way; screened, not tuned on) to tune45/ +
holdout45/ … tune48/ + holdout48/, and batch 49 (the same round: six
more writer helpers, its tune part read and tuned on in the round) to
tune49/ + holdout49/, and batch 50 (the same way) to tune50/ +
holdout50/, batches 51 to 54 (2026-12-06, the thirty-sixth round:
twenty-four writer helpers, the same way; screened, not tuned on) to
tune51/ + holdout51/ … tune54/ + holdout54/, and batches 55 and 56
(the same round: twelve more writer helpers, their tune parts read and
tuned on in the round) to tune55/ + holdout55/ and tune56/ +
holdout56/, and batches 57 and 58 (the same way) to tune57/ +
holdout57/ and tune58/ + holdout58/, and batch 59 (the same way) to
tune59/ + holdout59/, and batches 60 to 63 (2026-12-06, the
thirty-seventh round: twenty-four writer helpers, the same way;
screened, not tuned on) to tune60/ + holdout60/ … tune63/ + holdout63/,
and batches 64 and 65 (the same round: twelve more writer helpers, their
tune parts read and tuned on in the round) to tune64/ + holdout64/ and
tune65/ + holdout65/, and batches 66 to 69 (2026-12-06, the
thirty-eighth round: twenty-four writer helpers, the same way; screened,
not tuned on) to tune66/ + holdout66/ … tune69/ + holdout69/, and
batches 70 to 73 (2026-12-07, the thirty-ninth round: twenty-four writer
helpers, the same way; screened, not tuned on) to tune70/ + holdout70/ …
tune73/ + holdout73/, and batches 74 to 77 (2026-12-07, the
forty-first round: twenty-four writer helpers, the same way; screened,
not tuned on) to tune74/ + holdout74/ … tune77/ + holdout77/, batches 78 to 81 (2026-12-07, the
forty-second round: twenty-four writer helpers, the same way; screened,
not tuned on) to tune78/ + holdout78/ … tune81/ + holdout81/, batches 82 to 85 (2026-12-07, the
forty-third round: twenty-four writer helpers, the same way; screened,
not tuned on) to tune82/ + holdout82/ … tune85/ + holdout85/, batches 86 to 89 (2026-12-07, the
forty-fourth round: twenty-four writer helpers, the same way; screened,
not tuned on) to tune86/ + holdout86/ … tune89/ + holdout89/, batches 90 to 93 (2026-12-07, the
forty-fifth round: twenty-four writer helpers, the same way; screened,
not tuned on) to tune90/ + holdout90/ … tune93/ + holdout93/, batches 94 to 97 (2026-12-07, the
forty-sixth round: twenty-four writer helpers, the same way; screened,
not tuned on) to tune94/ + holdout94/ … tune97/ + holdout97/, and batches 98 to 101 (2026-12-08, the
forty-seventh round: twenty-four writer helpers, the same way; screened,
not tuned on) to tune98/ + holdout98/ … tune101/ + holdout101/.
A post's batch is read from its id number.
"""
import hashlib
import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
PACKS = ("base", "financial-institution", "music-label")
SALT = "preclear-gold-v1:"
# The last id number of each batch but the newest, per pack.
BATCH_LAST = {
    "base": (217, 367, 487, 607, 727, 847, 967, 1087, 1207, 1327, 1447, 1567, 1687, 1807, 1927, 1987, 2107, 2167, 2227, 2347, 2467, 2527, 2557, 2557, 2587, 2617, 2647, 2707, 2767, 2827, 2887, 2947, 3007, 3067, 3127, 3187, 3247, 3307, 3367, 3427, 3487, 3547, 3607, 3667, 3727, 3787, 3847, 3907, 3967, 4027, 4087, 4147, 4207, 4267, 4327, 4387, 4447, 4507, 4567, 4627, 4687, 4747, 4807, 4867, 4927, 4987, 5047, 5107, 5167, 5227, 5287, 5347, 5407, 5467, 5527, 5587, 5647, 5707, 5767, 5827, 5887, 5947, 6007, 6067, 6127, 6187, 6247, 6307, 6367, 6427, 6487, 6547, 6607, 6667, 6727, 6787, 6847, 6907, 6967, 7027),
    "financial-institution": (239, 389, 509, 629, 749, 869, 989, 1109, 1229, 1349, 1469, 1589, 1709, 1829, 1949, 2009, 2129, 2249, 2249, 2369, 2489, 2609, 2669, 2699, 2749, 2779, 2809, 2869, 2929, 2989, 3049, 3109, 3169, 3229, 3289, 3349, 3409, 3469, 3529, 3589, 3649, 3709, 3769, 3829, 3889, 3949, 4009, 4069, 4129, 4189, 4249, 4309, 4369, 4429, 4489, 4549, 4609, 4669, 4729, 4789, 4849, 4909, 4969, 5029, 5089, 5149, 5209, 5269, 5329, 5389, 5449, 5509, 5569, 5629, 5689, 5749, 5809, 5869, 5929, 5989, 6049, 6109, 6169, 6229, 6289, 6349, 6409, 6469, 6529, 6589, 6649, 6709, 6769, 6829, 6889, 6949, 7009, 7069, 7129, 7189),
    "music-label": (225, 375, 495, 615, 735, 855, 975, 1095, 1215, 1335, 1455, 1575, 1695, 1815, 1935, 1995, 2115, 2235, 2235, 2355, 2475, 2535, 2565, 2565, 2625, 2655, 2685, 2745, 2805, 2865, 2925, 2985, 3045, 3105, 3165, 3225, 3285, 3345, 3405, 3465, 3525, 3585, 3645, 3705, 3765, 3825, 3885, 3945, 4005, 4065, 4125, 4185, 4245, 4305, 4365, 4425, 4485, 4545, 4605, 4665, 4725, 4785, 4845, 4905, 4965, 5025, 5085, 5145, 5205, 5265, 5325, 5385, 5445, 5505, 5565, 5625, 5685, 5745, 5805, 5865, 5925, 5985, 6045, 6105, 6165, 6225, 6285, 6345, 6405, 6465, 6525, 6585, 6645, 6705, 6765, 6825, 6885, 6945, 7005, 7065),
}
# The batches so far: BATCH_LAST holds the last id of every batch but the
# newest. Each batch has its own salt (batch 1's is SALT), so a new batch
# reshuffles no earlier split; batch 1's directories carry no number.
assert len({len(v) for v in BATCH_LAST.values()}) == 1, "BATCH_LAST: one count per pack"
BATCHES = len(BATCH_LAST["base"]) + 1
SALTS = {n: f"preclear-gold-v{n}:" for n in range(1, BATCHES + 1)}
PARTS = {n: (f"tune{n}", f"holdout{n}") if n > 1 else ("tune", "holdout")
         for n in range(1, BATCHES + 1)}


def batch(r):
    n = int(r["id"].rsplit("-", 1)[1])
    return 1 + sum(n > last for last in BATCH_LAST[r["pack"]])


def stratum(r):
    return (r["pack"], r["expect"] != "allow", r["lang"] != "en")


def rank(post_id, salt=SALT):
    return hashlib.sha256((salt + post_id).encode("utf-8")).hexdigest()


def assign(rows):
    """id -> part directory ("tune", "holdout", "tune2", "holdout2") for
    the posts of one pack: each batch split on its own."""
    groups = {}
    for r in rows:
        groups.setdefault((batch(r),) + stratum(r), []).append(r["id"])
    part = {}
    for key, ids in groups.items():
        b = key[0]
        ids = sorted(ids, key=lambda i: rank(i, SALTS[b]))
        k = round(len(ids) / 3)
        tune, holdout = PARTS[b]
        for i, post_id in enumerate(ids):
            part[post_id] = holdout if i < k else tune
    return part


def main():
    for pack in PACKS:
        lines = (HERE / "posts" / f"{pack}.jsonl").read_text(encoding="utf-8").splitlines()
        rows = [json.loads(line) for line in lines]
        part = assign(rows)
        out = {name: [] for parts in PARTS.values() for name in parts}
        for line, r in zip(lines, rows):
            out[part[r["id"]]].append(line)
        for name, kept in out.items():
            d = HERE / name
            d.mkdir(exist_ok=True)
            (d / f"{pack}.jsonl").write_text("".join(l + "\n" for l in kept), encoding="utf-8")
        print(pack + ": " + ", ".join(f"{k} {len(v)}" for k, v in out.items()))


if __name__ == "__main__":
    main()
