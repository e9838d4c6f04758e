//! Detection quality on the hand-written gold set (`tests/data/gold/`).
//!
//! The posts were written one at a time by hand, without looking at the
//! matcher, and split into a `tune` part and a `holdout` third before any
//! tuning (see `tests/data/gold/README.md`); the later batches by other
//! writers are split the same way (`tune2`/`holdout2` … `tune{BATCHES}`/
//! `holdout{BATCHES}`; batch 19 is base's alone, so the other packs'
//! files of that batch are empty). A held-out third is honest only while
//! unseen: those of batches 1–4 were read (their rates, and but for the
//! fourth their posts) at the end of their rounds, the later ones' rates
//! at the end of their rounds (their posts never), so the honest figures
//! are the newest round's batches, whole (`UNREAD_TUNE`),
//! and this file never prints the posts of any held-out third from
//! `holdout5` on, nor of a tune part not yet read (`UNREAD_TUNE`).
//!
//! Two rates per pack and part:
//! - **violating**: posts whose expected verdict is warn or block, and the
//!   share that gets exactly that verdict;
//! - **harmless**: posts expected to be allowed, and the share allowed.
//!
//! The floors below are the rates `tests/data/gold/ROUNDS.md` states per
//! part (the README gives the pooled figures). A change that lowers one
//! fails here; a change that raises one should raise the floor.

use std::collections::BTreeMap;

use preclear::{Decision, Policy, Screener};

/// The date the gold set is screened at, fixed so dated rules (embargoes,
/// campaigns) give the same verdict every day.
const NOW: &str = "2026-12-01";

const PACKS: [&str; 3] = ["base", "financial-institution", "music-label"];

/// The number of batches: batch 1's parts are `tune` and `holdout`,
/// batch n's `tune{n}` and `holdout{n}` (split by
/// `tests/data/gold/split.py`).
const BATCHES: u32 = 101;

/// The parts: each batch's tune part, then its held-out third.
fn parts() -> Vec<String> {
    (1..=BATCHES)
        .flat_map(|n| {
            let n = if n == 1 { String::new() } else { n.to_string() };
            [format!("tune{n}"), format!("holdout{n}")]
        })
        .collect()
}

/// Whether the part's misses may be read. The held-out thirds of batches
/// 1–4 were read at the end of their rounds (the fourth's rates six
/// times); from batch 5 on, a held-out third's rates are read at its
/// batch's first screen and at the end of later rounds, its posts never:
/// the newest batch's (`holdout{BATCHES}`) is the honest figure, and no
/// held-out third from the fifth on has its misses printed.
fn tuned_on(part: &str) -> bool {
    match part.strip_prefix("holdout") {
        Some("") => true,
        Some(n) => n.parse::<u32>().is_ok_and(|n| n < 5),
        None => !part
            .strip_prefix("tune")
            .and_then(|n| n.parse::<u32>().ok())
            .is_some_and(|n| UNREAD_TUNE.contains(&n)),
    }
}

/// The batches a round adds: its new writers' four, two writers a pack.
const NEW_BATCHES: u32 = 4;

/// Tune parts screened whole, as new writers' batches, and not yet read:
/// the newest round's batches measure its packs on writers they were not
/// tuned on, so their tune parts stay unprinted like a held-out third;
/// the next round reads them (batches 98 to 101 are the forty-seventh
/// round's). Derived from [`BATCHES`], so a round that adds its batches
/// moves one number.
const UNREAD_TUNE: std::ops::RangeInclusive<u32> =
    BATCHES - NEW_BATCHES + 1..=BATCHES;

/// (pack, part) → floor in per mille for (violating exact, harmless allowed).
/// First measured on 2026-12-01 at c36d9df (before any tuning on the gold
/// set); raised after stance and the concept rules, after the second and
/// third batches (issue 12), and after the round that tuned on batches
/// 1–3 whole and on `tune4` (the held-out thirds of batches 1–3 had been
/// read at the end of earlier rounds, so they are tune material now).
/// Batch 5 was screened once, whole, with the packs of 8144170, before
/// anyone read it; then `tune5` and `holdout4` were tuned on (e2c56e0)
/// and `holdout5`'s rates read once more, unchanged; a second step on
/// `tune5` and `holdout4` (2a44509, 53ca8be) left them unchanged again.
/// Batch 6 was written and split (f8e0ac6) before the round of
/// 2026-12-02 tuned on the readable parts (ec9fdfb..1dd35da), and was
/// screened once, whole, at its end; `holdout5`'s rates were read then
/// too. A second review's narrowing of new base rules (after 1dd35da)
/// lost one violating post of `tune6` (base 35 → 34 of 40); its rates
/// were read a second time for that. Batch 7 was written and split
/// before the round of 2026-12-02 (afternoon) tuned, and screened once,
/// whole, with the packs of 0c60ae7 before anyone read it; the round
/// tuned on `tune6` and `tune7`, and `holdout5`–`holdout7`'s rates were
/// read once at its end. Batch 8 was written and split before the round
/// of 2026-12-02 (evening), and screened once, whole, with the packs of
/// ebc7811 before anyone read it; the round tuned on `tune8`, and
/// `holdout5`–`holdout8`'s rates were read once at its end (`holdout8`
/// did not move). Batch 9 was written and split (b76beba) during the
/// round of 2026-12-03, which changed code by construction (digits
/// spelled in Spanish and German, German ordinals, verbs conjugated) and
/// tuned on no post; it was screened once, whole, at the round's end,
/// with the packs before the round (2fcb1a5) and after: the same rates.
/// Batch 10 was written and split (6302a2c) during the round of
/// 2026-12-03 (morning), which tuned on `tune9` and the older readable
/// parts; it was screened once, whole, near the round's end, with the
/// packs before the round (cdf3ab9) and after (8ae7b4b, and again after
/// a review's fixes: the same); `holdout9`'s floors were left as they
/// were read, not re-read. The label's `holdout9` floor fell from 800 to
/// 750 on 2026-12-04 (morning): 🤫, 🤐 and 🙊 became the word "shh", a
/// leak cue, and one unread violation's warn became a block (the cue's
/// rule added to others'); the same change caught an unseen violation
/// of `holdout10`. Read as counts only, not as posts. Batch 12 was
/// written and split (807d29d) during the round of 2026-12-04 (midday),
/// after that round's first step had tuned on the older readable parts
/// (31f7e92), and screened once, whole, with the packs before the round
/// (1f159e2) and after that step; the step raised `holdout7` base (two
/// unread warnings of a live look-alike in a warning) and `holdout10`
/// label (one), counts only. The round's second step tuned on `tune12`
/// (23 readable posts fixed, none broken) and raised `holdout5` base and
/// `holdout8` label by one violation each; `holdout12`'s rates, read
/// once at the round's end, did not move. Batch 13 was written and split
/// (1c214ef) while the round of 2026-12-04 (afternoon) fixed a review's
/// findings and read older readable misses, and screened once, whole,
/// with the packs before that round (6f02f26) and after its first step;
/// the round then tuned on `tune13` (21 readable posts fixed, none
/// broken), and `holdout13`'s rates, read at its end, did not move;
/// `holdout8` and `holdout10` bank one more violation each, counts only.
/// Batch 14 was written and split (6fe4675) before the round of
/// 2026-12-04 (late morning) and screened once, whole, with the packs
/// before it (8011520). That round widened the bank's and the label's
/// concepts with terms three lexicographer helpers wrote from the pack
/// comments alone (they read no post), kept only what broke no readable
/// post, no example and no real text; the unread thirds' counts were
/// looked at per concept group (the label's leak concepts, net zero
/// there, were left out), so those thirds are not clean for this step.
/// It then tuned on `tune14` (12 readable violations and 1 harmless
/// post fixed, none broken).
/// `holdout14`'s rates, read before and at the end, did not move; no
/// post of any part fell.
/// The round of 2026-12-04, afternoon: a lexicographer widened five more
/// bank concepts (terms kept when they broke no readable post); one
/// harmless post of `holdout14` fell with them (its floor 900 → 850),
/// and `holdout8` gained a violation. Batch 15 (half size: three of six
/// writers delivered) was split and committed (43256b0), screened once
/// whole, then `tune15` and the older readable parts were tuned on (36
/// readable posts fixed in the round, none broken). `holdout15`'s rates,
/// read at the first screen and at the end, did not move.
/// Batch 16 (the three late writers of batch 15) was split and committed
/// (8e33e76) after one count-only screen with the packs of 4f7c990.
/// The nineteenth round tuned on `tune16` (12 misses fixed, and
/// `holdout`'s fin-0189; none broken); `holdout16`'s rates did not move.
/// Batch 17 (six writers, 360 posts) was split and committed (2c113be)
/// after one count-only screen with the packs of 01c72a7.
/// The round then tuned on `tune17` (28 of 30 misses fixed, `holdout10`
/// +1 violation, none broken); `holdout17`'s rates did not move.
/// Batch 18 (five writers, 300 posts: the sixth, base's second, had not
/// delivered) was split and committed after one count-only screen with
/// the packs of be2ff00.
/// The twentieth round tuned on `tune18` (22 of 27 misses fixed, and
/// `tune11`'s mus-1379; none broken; `holdout11`, `holdout12`,
/// `holdout14` and `holdout17` +1 violation each); `holdout18`'s rates
/// did not move.
/// Batch 19 (base only: batch 18's late sixth writer, 60 posts) was split
/// and committed after one count-only screen with the packs of 273ebad.
/// A review's mends (695b56f) raised `holdout9` bank by one, counts only.
/// Batch 20 (six writers, 360 posts) was split and committed after one
/// count-only screen with the packs of 695b56f. The twenty-first round
/// tuned on `tune19` and `tune20` (29 misses fixed, none broken);
/// `holdout20`'s rates did not move. Batch 21 (six writers, 360 posts)
/// was split and committed after one count-only screen with the packs
/// of 538149c.
/// The twenty-second round mended a review of the twenty-first and tuned
/// on `tune21` (17 misses fixed; `tune20`'s mus-2311 lost: a defanged
/// host denied by "is NOT us" after it, once a stance cue too broad for
/// the bank's promises was dropped); `holdout7`, `holdout8`, `holdout10`
/// and `holdout16` +1 each, counts only; `holdout21`'s rates did not move.
/// The twenty-third round began with rules found by construction (a
/// Spanish account number's control digits, gift card codes, one-time
/// codes, dates of birth with a month's name, parcels sent on their way):
/// `tune18` and `tune21` +1 violating post each; a gift card code lost
/// one harmless post of `holdout14` (base 950 → 900, its rule read, its
/// post not). A UPS tracking number no SSN and a members-only presale
/// code posted in public (`tune21` +2). Words that warn about a host
/// and nothing else ("is NOT us", "report the account") frame a defanged
/// link (`tune5`, `tune20` +1 each, an unread third +1, counts only).
/// A booking reference with its surname (`tune20` +1). Batch 22 (the
/// four of six writers who delivered first: 60 base, 120 bank, 60 label
/// posts) was split and committed after one count-only screen with the
/// packs of 6d36b5b. The round then tuned on `tune22` (bank 30 → 36 of
/// 40 violating exact and 34 → 36 of 40 harmless, base 16 → 18 and
/// 15 → 18 of 20, label 15 → 16 and 12 → 16 of 20; `tune13`, `tune21`
/// and an unread third's violations +1 each, counts only); then a
/// deposit's contractual rate, a performance story reviewed "esta
/// semana" and demos released "bisher unveröffentlicht" (`tune22` +3,
/// `holdout4` +1). Batch 23 (four writers of 30 posts: 30 base, 60 bank,
/// 30 label) was split and committed after one count-only screen with
/// the packs of 706a4b9 (the same counts with those of 4cc9173, before
/// the round's class fixes on older parts).
/// The thirty-second round (batch 40 unread, floors its starting counts)
/// added the `person` entity: a named date of birth cost one harmless
/// post of `holdout17` (1000 → 950), and one of `holdout37` fell to one
/// of the three rules that use names (1000 → 900; not attributed: batches
/// 37–40 are counted, never examined). The `password` entity's rule
/// (secret.password-shaped) blocks one harmless post of `holdout10`
/// (1000 → 950), against three violating posts it catches in the older
/// unread thirds; a review's narrowing (a final `!` alone is the
/// sentence's) gave back a harmless post of `holdout11` and two of those
/// violations, and sample-form words in the named date of birth's unless
/// gave back `holdout17`'s harmless post (its violating floor 800 → 900
/// for two posts the round's rules caught).
/// The thirty-third round gave the bank a learnt gram rule
/// (`review.scored`, warn): 14 more violating posts of the older unread
/// thirds get the exact verdict (floors raised where a part rose), no
/// harmless one is lost. The thirty-fourth retrained it with batches
/// 37–40's tune parts, read in that round: one violating post of
/// `holdout12` fell back to allow (900 → 850) and another of the older
/// unread thirds rose, net nothing there; one harmless post of them more
/// is allowed. Its final packs set the floors of batches 41–44 (the
/// honest figure, counts only) and raised every floor to the part's rate
/// where it had risen. (The thirty-fifth tried retraining it with
/// batches 41–44's tune parts: two violating posts of the older unread
/// thirds fell back and two others rose, and it warned a template of the
/// evasion test; it kept the thirty-fourth's model.) Its final packs set
/// the floors of batches 45–48 (the honest figure, counts only) and of
/// batches 49–50 (their tune parts read in the round), and raised every
/// floor to the part's rate where it had risen. Every round since does
/// the same with its new writers' four batches (the forty-seventh's:
/// 98–101).
const FLOORS: &[(&str, &str, u32, u32)] = &[
    ("base", "tune", 1000, 1000),
    ("base", "holdout", 972, 972),
    ("base", "tune2", 1000, 1000),
    ("base", "holdout2", 960, 1000),
    ("base", "tune3", 975, 1000),
    ("base", "holdout3", 950, 1000),
    ("base", "tune4", 950, 1000),
    ("base", "holdout4", 1000, 1000),
    ("base", "tune5", 1000, 1000),
    ("base", "holdout5", 950, 1000),
    ("base", "tune6", 975, 975),
    ("base", "holdout6", 700, 900),
    ("base", "tune7", 975, 1000),
    ("base", "holdout7", 950, 1000),
    ("base", "tune8", 975, 1000),
    ("base", "holdout8", 950, 1000),
    ("base", "tune9", 1000, 1000),
    ("base", "holdout9", 1000, 1000),
    ("base", "tune10", 1000, 1000),
    ("base", "holdout10", 1000, 950),
    ("base", "tune11", 1000, 1000),
    ("base", "holdout11", 1000, 900),
    ("base", "tune12", 1000, 1000),
    ("base", "holdout12", 1000, 1000),
    ("base", "tune13", 1000, 1000),
    ("base", "holdout13", 950, 950),
    ("base", "tune14", 975, 1000),
    ("base", "holdout14", 950, 950),
    ("base", "tune15", 1000, 1000),
    ("base", "holdout15", 1000, 1000),
    ("base", "tune16", 1000, 1000),
    ("base", "holdout16", 1000, 1000),
    ("base", "tune17", 1000, 1000),
    ("base", "holdout17", 900, 1000),
    ("base", "tune18", 1000, 1000),
    ("base", "holdout18", 900, 1000),
    ("base", "tune19", 1000, 1000),
    ("base", "holdout19", 1000, 1000),
    ("base", "tune20", 1000, 975),
    ("base", "holdout20", 850, 900),
    ("base", "tune21", 975, 1000),
    ("base", "holdout21", 900, 950),
    ("base", "tune22", 1000, 950),
    ("base", "holdout22", 900, 1000),
    ("base", "tune23", 900, 1000),
    ("base", "holdout23", 600, 1000),
    ("base", "tune25", 1000, 1000),
    ("base", "holdout25", 600, 1000),
    ("base", "tune26", 900, 900),
    ("base", "holdout26", 400, 800),
    ("base", "tune27", 1000, 1000),
    ("base", "holdout27", 800, 800),
    ("base", "tune28", 1000, 1000),
    ("base", "holdout28", 800, 1000),
    ("base", "tune29", 950, 1000),
    ("base", "holdout29", 700, 800),
    ("base", "tune30", 1000, 1000),
    ("base", "holdout30", 500, 900),
    ("base", "tune31", 900, 1000),
    ("base", "holdout31", 900, 1000),
    ("base", "tune32", 1000, 1000),
    ("base", "holdout32", 700, 900),
    ("base", "tune33", 900, 1000),
    ("base", "holdout33", 900, 900),
    ("base", "tune34", 1000, 1000),
    ("base", "holdout34", 900, 900),
    ("base", "tune35", 1000, 1000),
    ("base", "holdout35", 800, 900),
    ("base", "tune36", 800, 950),
    ("base", "holdout36", 600, 900),
    ("base", "tune37", 1000, 950),
    ("base", "holdout37", 900, 900),
    ("base", "tune38", 1000, 950),
    ("base", "holdout38", 800, 1000),
    ("base", "tune39", 1000, 1000),
    ("base", "holdout39", 900, 1000),
    ("base", "tune40", 1000, 950),
    ("base", "holdout40", 900, 1000),
    ("base", "tune41", 1000, 1000),
    ("base", "holdout41", 1000, 1000),
    ("base", "tune42", 950, 1000),
    ("base", "holdout42", 1000, 900),
    ("base", "tune43", 950, 1000),
    ("base", "holdout43", 700, 900),
    ("base", "tune44", 950, 1000),
    ("base", "holdout44", 900, 1000),
    ("base", "tune45", 950, 1000),
    ("base", "holdout45", 1000, 900),
    ("base", "tune46", 1000, 950),
    ("base", "holdout46", 1000, 900),
    ("base", "tune47", 1000, 1000),
    ("base", "holdout47", 1000, 1000),
    ("base", "tune48", 1000, 1000),
    ("base", "holdout48", 1000, 900),
    ("base", "tune49", 1000, 1000),
    ("base", "holdout49", 1000, 1000),
    ("base", "tune50", 1000, 1000),
    ("base", "holdout50", 1000, 1000),
    ("base", "tune51", 950, 950),
    ("base", "holdout51", 900, 900),
    ("base", "tune52", 950, 1000),
    ("base", "holdout52", 1000, 900),
    ("base", "tune53", 1000, 950),
    ("base", "holdout53", 900, 1000),
    ("base", "tune54", 950, 950),
    ("base", "holdout54", 1000, 1000),
    ("base", "tune55", 1000, 1000),
    ("base", "holdout55", 800, 1000),
    ("base", "tune56", 1000, 1000),
    ("base", "holdout56", 900, 1000),
    ("base", "tune57", 1000, 1000),
    ("base", "holdout57", 1000, 1000),
    ("base", "tune58", 1000, 1000),
    ("base", "holdout58", 600, 1000),
    ("base", "tune59", 950, 1000),
    ("base", "holdout59", 800, 1000),
    ("base", "tune60", 900, 1000),
    ("base", "holdout60", 900, 1000),
    ("base", "tune61", 950, 1000),
    ("base", "holdout61", 900, 1000),
    ("base", "tune62", 1000, 1000),
    ("base", "holdout62", 1000, 900),
    ("base", "tune63", 950, 1000),
    ("base", "holdout63", 900, 900),
    ("base", "tune64", 1000, 1000),
    ("base", "holdout64", 1000, 900),
    ("base", "tune65", 1000, 950),
    ("base", "holdout65", 1000, 900),
    ("base", "tune66", 950, 1000),
    ("base", "holdout66", 1000, 1000),
    ("base", "tune67", 950, 950),
    ("base", "holdout67", 900, 1000),
    ("base", "tune68", 950, 950),
    ("base", "holdout68", 800, 1000),
    ("base", "tune69", 950, 950),
    ("base", "holdout69", 900, 900),
    ("base", "tune70", 1000, 900),
    ("base", "holdout70", 1000, 600),
    ("base", "tune71", 1000, 950),
    ("base", "holdout71", 900, 800),
    ("base", "tune72", 900, 950),
    ("base", "holdout72", 900, 900),
    ("base", "tune73", 800, 800),
    ("base", "holdout73", 600, 900),
    ("base", "tune74", 950, 1000),
    ("base", "holdout74", 900, 1000),
    ("base", "tune75", 1000, 1000),
    ("base", "holdout75", 1000, 900),
    ("base", "tune76", 1000, 1000),
    ("base", "holdout76", 900, 1000),
    ("base", "tune77", 1000, 1000),
    ("base", "holdout77", 1000, 1000),
    ("base", "tune78", 1000, 1000),
    ("base", "holdout78", 1000, 800),
    ("base", "tune79", 1000, 950),
    ("base", "holdout79", 1000, 900),
    ("base", "tune80", 1000, 950),
    ("base", "holdout80", 700, 1000),
    ("base", "tune81", 1000, 950),
    ("base", "holdout81", 900, 1000),
    ("base", "tune82", 850, 1000),
    ("base", "holdout82", 700, 700),
    ("base", "tune83", 950, 950),
    ("base", "holdout83", 900, 1000),
    ("base", "tune84", 950, 950),
    ("base", "holdout84", 900, 1000),
    ("base", "tune85", 900, 1000),
    ("base", "holdout85", 1000, 1000),
    ("base", "tune86", 850, 1000),
    ("base", "holdout86", 900, 1000),
    ("base", "tune87", 850, 950),
    ("base", "holdout87", 1000, 800),
    ("base", "tune88", 1000, 1000),
    ("base", "holdout88", 800, 900),
    ("base", "tune89", 950, 1000),
    ("base", "holdout89", 1000, 900),
    ("base", "tune90", 950, 1000),
    ("base", "holdout90", 1000, 1000),
    ("base", "tune91", 950, 850),
    ("base", "holdout91", 1000, 900),
    ("base", "tune92", 900, 950),
    ("base", "holdout92", 800, 800),
    ("base", "tune93", 1000, 950),
    ("base", "holdout93", 1000, 1000),
    ("base", "tune94", 900, 950),
    ("base", "holdout94", 900, 1000),
    ("base", "tune95", 1000, 950),
    ("base", "holdout95", 900, 1000),
    ("base", "tune96", 900, 950),
    ("base", "holdout96", 1000, 800),
    ("base", "tune97", 850, 950),
    ("base", "holdout97", 1000, 1000),
    ("base", "tune98", 750, 950),
    ("base", "holdout98", 900, 800),
    ("base", "tune99", 900, 950),
    ("base", "holdout99", 900, 1000),
    ("base", "tune100", 950, 900),
    ("base", "holdout100", 1000, 1000),
    ("base", "tune101", 950, 900),
    ("base", "holdout101", 900, 1000),
    ("financial-institution", "tune", 987, 1000),
    ("financial-institution", "holdout", 1000, 1000),
    ("financial-institution", "tune2", 960, 1000),
    ("financial-institution", "holdout2", 960, 1000),
    ("financial-institution", "tune3", 975, 1000),
    ("financial-institution", "holdout3", 1000, 1000),
    ("financial-institution", "tune4", 975, 1000),
    ("financial-institution", "holdout4", 1000, 950),
    ("financial-institution", "tune5", 950, 975),
    ("financial-institution", "holdout5", 650, 950),
    ("financial-institution", "tune6", 975, 975),
    ("financial-institution", "holdout6", 900, 900),
    ("financial-institution", "tune7", 975, 1000),
    ("financial-institution", "holdout7", 850, 1000),
    ("financial-institution", "tune8", 1000, 975),
    ("financial-institution", "holdout8", 800, 1000),
    ("financial-institution", "tune9", 1000, 1000),
    ("financial-institution", "holdout9", 850, 1000),
    ("financial-institution", "tune10", 950, 1000),
    ("financial-institution", "holdout10", 750, 1000),
    ("financial-institution", "tune11", 1000, 1000),
    ("financial-institution", "holdout11", 850, 950),
    ("financial-institution", "tune12", 950, 975),
    ("financial-institution", "holdout12", 850, 950),
    ("financial-institution", "tune13", 1000, 975),
    ("financial-institution", "holdout13", 700, 1000),
    ("financial-institution", "tune14", 1000, 1000),
    ("financial-institution", "holdout14", 850, 850),
    ("financial-institution", "tune15", 1000, 1000),
    ("financial-institution", "holdout15", 800, 1000),
    ("financial-institution", "tune16", 1000, 1000),
    ("financial-institution", "holdout16", 900, 800),
    ("financial-institution", "tune17", 1000, 1000),
    ("financial-institution", "holdout17", 800, 950),
    ("financial-institution", "tune18", 1000, 975),
    ("financial-institution", "holdout18", 900, 900),
    ("financial-institution", "tune20", 975, 1000),
    ("financial-institution", "holdout20", 850, 950),
    ("financial-institution", "tune21", 1000, 975),
    ("financial-institution", "holdout21", 850, 1000),
    ("financial-institution", "tune22", 950, 1000),
    ("financial-institution", "holdout22", 850, 900),
    ("financial-institution", "tune23", 850, 1000),
    ("financial-institution", "holdout23", 900, 800),
    ("financial-institution", "tune24", 900, 1000),
    ("financial-institution", "holdout24", 1000, 1000),
    ("financial-institution", "tune25", 1000, 1000),
    ("financial-institution", "holdout25", 625, 875),
    ("financial-institution", "tune26", 900, 1000),
    ("financial-institution", "holdout26", 600, 800),
    ("financial-institution", "tune27", 1000, 1000),
    ("financial-institution", "holdout27", 800, 1000),
    ("financial-institution", "tune28", 950, 1000),
    ("financial-institution", "holdout28", 900, 1000),
    ("financial-institution", "tune29", 950, 1000),
    ("financial-institution", "holdout29", 700, 1000),
    ("financial-institution", "tune30", 1000, 1000),
    ("financial-institution", "holdout30", 700, 900),
    ("financial-institution", "tune31", 1000, 950),
    ("financial-institution", "holdout31", 900, 900),
    ("financial-institution", "tune32", 950, 1000),
    ("financial-institution", "holdout32", 500, 1000),
    ("financial-institution", "tune33", 900, 1000),
    ("financial-institution", "holdout33", 800, 1000),
    ("financial-institution", "tune34", 1000, 1000),
    ("financial-institution", "holdout34", 1000, 1000),
    ("financial-institution", "tune35", 1000, 1000),
    ("financial-institution", "holdout35", 900, 1000),
    ("financial-institution", "tune36", 900, 1000),
    ("financial-institution", "holdout36", 900, 1000),
    ("financial-institution", "tune37", 950, 900),
    ("financial-institution", "holdout37", 900, 900),
    ("financial-institution", "tune38", 1000, 950),
    ("financial-institution", "holdout38", 700, 1000),
    ("financial-institution", "tune39", 900, 1000),
    ("financial-institution", "holdout39", 500, 1000),
    ("financial-institution", "tune40", 1000, 1000),
    ("financial-institution", "holdout40", 1000, 900),
    ("financial-institution", "tune41", 1000, 950),
    ("financial-institution", "holdout41", 1000, 900),
    ("financial-institution", "tune42", 1000, 1000),
    ("financial-institution", "holdout42", 800, 900),
    ("financial-institution", "tune43", 1000, 1000),
    ("financial-institution", "holdout43", 1000, 800),
    ("financial-institution", "tune44", 1000, 1000),
    ("financial-institution", "holdout44", 900, 900),
    ("financial-institution", "tune45", 900, 1000),
    ("financial-institution", "holdout45", 700, 900),
    ("financial-institution", "tune46", 1000, 1000),
    ("financial-institution", "holdout46", 900, 1000),
    ("financial-institution", "tune47", 950, 950),
    ("financial-institution", "holdout47", 900, 1000),
    ("financial-institution", "tune48", 1000, 950),
    ("financial-institution", "holdout48", 1000, 800),
    ("financial-institution", "tune49", 950, 900),
    ("financial-institution", "holdout49", 1000, 900),
    ("financial-institution", "tune50", 1000, 950),
    ("financial-institution", "holdout50", 900, 1000),
    ("financial-institution", "tune51", 1000, 1000),
    ("financial-institution", "holdout51", 1000, 900),
    ("financial-institution", "tune52", 950, 950),
    ("financial-institution", "holdout52", 900, 1000),
    ("financial-institution", "tune53", 1000, 950),
    ("financial-institution", "holdout53", 800, 900),
    ("financial-institution", "tune54", 950, 1000),
    ("financial-institution", "holdout54", 900, 1000),
    ("financial-institution", "tune55", 1000, 1000),
    ("financial-institution", "holdout55", 600, 1000),
    ("financial-institution", "tune56", 850, 950),
    ("financial-institution", "holdout56", 900, 1000),
    ("financial-institution", "tune57", 950, 1000),
    ("financial-institution", "holdout57", 900, 900),
    ("financial-institution", "tune58", 1000, 1000),
    ("financial-institution", "holdout58", 800, 900),
    ("financial-institution", "tune59", 950, 1000),
    ("financial-institution", "holdout59", 700, 1000),
    ("financial-institution", "tune60", 900, 1000),
    ("financial-institution", "holdout60", 1000, 700),
    ("financial-institution", "tune61", 1000, 1000),
    ("financial-institution", "holdout61", 900, 800),
    ("financial-institution", "tune62", 900, 1000),
    ("financial-institution", "holdout62", 1000, 1000),
    ("financial-institution", "tune63", 1000, 1000),
    ("financial-institution", "holdout63", 1000, 1000),
    ("financial-institution", "tune64", 900, 950),
    ("financial-institution", "holdout64", 900, 1000),
    ("financial-institution", "tune65", 800, 1000),
    ("financial-institution", "holdout65", 600, 1000),
    ("financial-institution", "tune66", 850, 1000),
    ("financial-institution", "holdout66", 900, 900),
    ("financial-institution", "tune67", 950, 950),
    ("financial-institution", "holdout67", 800, 900),
    ("financial-institution", "tune68", 850, 1000),
    ("financial-institution", "holdout68", 1000, 900),
    ("financial-institution", "tune69", 850, 900),
    ("financial-institution", "holdout69", 1000, 800),
    ("financial-institution", "tune70", 900, 1000),
    ("financial-institution", "holdout70", 900, 1000),
    ("financial-institution", "tune71", 850, 1000),
    ("financial-institution", "holdout71", 800, 900),
    ("financial-institution", "tune72", 850, 1000),
    ("financial-institution", "holdout72", 700, 800),
    ("financial-institution", "tune73", 800, 900),
    ("financial-institution", "holdout73", 800, 1000),
    ("financial-institution", "tune74", 1000, 900),
    ("financial-institution", "holdout74", 800, 1000),
    ("financial-institution", "tune75", 950, 1000),
    ("financial-institution", "holdout75", 900, 1000),
    ("financial-institution", "tune76", 950, 950),
    ("financial-institution", "holdout76", 1000, 1000),
    ("financial-institution", "tune77", 900, 1000),
    ("financial-institution", "holdout77", 1000, 900),
    ("financial-institution", "tune78", 900, 950),
    ("financial-institution", "holdout78", 900, 1000),
    ("financial-institution", "tune79", 900, 900),
    ("financial-institution", "holdout79", 1000, 900),
    ("financial-institution", "tune80", 900, 950),
    ("financial-institution", "holdout80", 800, 900),
    ("financial-institution", "tune81", 950, 1000),
    ("financial-institution", "holdout81", 1000, 900),
    ("financial-institution", "tune82", 950, 950),
    ("financial-institution", "holdout82", 900, 900),
    ("financial-institution", "tune83", 950, 950),
    ("financial-institution", "holdout83", 700, 900),
    ("financial-institution", "tune84", 750, 900),
    ("financial-institution", "holdout84", 1000, 700),
    ("financial-institution", "tune85", 800, 850),
    ("financial-institution", "holdout85", 800, 1000),
    ("financial-institution", "tune86", 900, 1000),
    ("financial-institution", "holdout86", 1000, 900),
    ("financial-institution", "tune87", 900, 950),
    ("financial-institution", "holdout87", 900, 900),
    ("financial-institution", "tune88", 900, 1000),
    ("financial-institution", "holdout88", 900, 1000),
    ("financial-institution", "tune89", 950, 900),
    ("financial-institution", "holdout89", 800, 700),
    ("financial-institution", "tune90", 900, 1000),
    ("financial-institution", "holdout90", 1000, 800),
    ("financial-institution", "tune91", 900, 1000),
    ("financial-institution", "holdout91", 900, 1000),
    ("financial-institution", "tune92", 900, 900),
    ("financial-institution", "holdout92", 1000, 1000),
    ("financial-institution", "tune93", 900, 1000),
    ("financial-institution", "holdout93", 1000, 900),
    ("financial-institution", "tune94", 900, 900),
    ("financial-institution", "holdout94", 900, 900),
    ("financial-institution", "tune95", 950, 950),
    ("financial-institution", "holdout95", 1000, 800),
    ("financial-institution", "tune96", 850, 1000),
    ("financial-institution", "holdout96", 700, 900),
    ("financial-institution", "tune97", 1000, 950),
    ("financial-institution", "holdout97", 900, 900),
    ("financial-institution", "tune98", 850, 950),
    ("financial-institution", "holdout98", 800, 900),
    ("financial-institution", "tune99", 900, 950),
    ("financial-institution", "holdout99", 1000, 1000),
    ("financial-institution", "tune100", 850, 950),
    ("financial-institution", "holdout100", 700, 1000),
    ("financial-institution", "tune101", 650, 900),
    ("financial-institution", "holdout101", 700, 1000),
    ("music-label", "tune", 960, 1000),
    ("music-label", "holdout", 973, 972),
    ("music-label", "tune2", 1000, 1000),
    ("music-label", "holdout2", 960, 1000),
    ("music-label", "tune3", 1000, 1000),
    ("music-label", "holdout3", 900, 1000),
    ("music-label", "tune4", 975, 1000),
    ("music-label", "holdout4", 900, 950),
    ("music-label", "tune5", 925, 1000),
    ("music-label", "holdout5", 750, 900),
    ("music-label", "tune6", 975, 1000),
    ("music-label", "holdout6", 650, 950),
    ("music-label", "tune7", 1000, 975),
    ("music-label", "holdout7", 850, 1000),
    ("music-label", "tune8", 1000, 975),
    ("music-label", "holdout8", 800, 900),
    ("music-label", "tune9", 1000, 1000),
    ("music-label", "holdout9", 850, 800),
    ("music-label", "tune10", 1000, 1000),
    ("music-label", "holdout10", 700, 900),
    ("music-label", "tune11", 925, 1000),
    ("music-label", "holdout11", 850, 900),
    ("music-label", "tune12", 1000, 1000),
    ("music-label", "holdout12", 950, 1000),
    ("music-label", "tune13", 1000, 1000),
    ("music-label", "holdout13", 850, 950),
    ("music-label", "tune14", 1000, 975),
    ("music-label", "holdout14", 1000, 950),
    ("music-label", "tune15", 1000, 1000),
    ("music-label", "holdout15", 800, 900),
    ("music-label", "tune16", 1000, 1000),
    ("music-label", "holdout16", 1000, 1000),
    ("music-label", "tune17", 1000, 975),
    ("music-label", "holdout17", 950, 950),
    ("music-label", "tune18", 1000, 1000),
    ("music-label", "holdout18", 950, 1000),
    ("music-label", "tune20", 975, 1000),
    ("music-label", "holdout20", 900, 950),
    ("music-label", "tune21", 1000, 950),
    ("music-label", "holdout21", 950, 950),
    ("music-label", "tune22", 1000, 1000),
    ("music-label", "holdout22", 800, 900),
    ("music-label", "tune23", 1000, 1000),
    ("music-label", "holdout23", 800, 800),
    ("music-label", "tune25", 950, 1000),
    ("music-label", "holdout25", 1000, 900),
    ("music-label", "tune26", 1000, 900),
    ("music-label", "holdout26", 800, 1000),
    ("music-label", "tune27", 900, 1000),
    ("music-label", "holdout27", 400, 800),
    ("music-label", "tune28", 1000, 1000),
    ("music-label", "holdout28", 900, 1000),
    ("music-label", "tune29", 1000, 1000),
    ("music-label", "holdout29", 900, 1000),
    ("music-label", "tune30", 1000, 1000),
    ("music-label", "holdout30", 800, 1000),
    ("music-label", "tune31", 1000, 950),
    ("music-label", "holdout31", 900, 800),
    ("music-label", "tune32", 1000, 1000),
    ("music-label", "holdout32", 700, 900),
    ("music-label", "tune33", 900, 1000),
    ("music-label", "holdout33", 700, 1000),
    ("music-label", "tune34", 1000, 1000),
    ("music-label", "holdout34", 1000, 1000),
    ("music-label", "tune35", 1000, 1000),
    ("music-label", "holdout35", 700, 1000),
    ("music-label", "tune36", 900, 1000),
    ("music-label", "holdout36", 800, 800),
    ("music-label", "tune37", 950, 900),
    ("music-label", "holdout37", 800, 800),
    ("music-label", "tune38", 950, 1000),
    ("music-label", "holdout38", 900, 900),
    ("music-label", "tune39", 950, 1000),
    ("music-label", "holdout39", 1000, 1000),
    ("music-label", "tune40", 1000, 1000),
    ("music-label", "holdout40", 1000, 900),
    ("music-label", "tune41", 950, 1000),
    ("music-label", "holdout41", 900, 1000),
    ("music-label", "tune42", 1000, 950),
    ("music-label", "holdout42", 800, 1000),
    ("music-label", "tune43", 1000, 1000),
    ("music-label", "holdout43", 1000, 1000),
    ("music-label", "tune44", 1000, 1000),
    ("music-label", "holdout44", 900, 1000),
    ("music-label", "tune45", 900, 1000),
    ("music-label", "holdout45", 1000, 1000),
    ("music-label", "tune46", 1000, 1000),
    ("music-label", "holdout46", 1000, 900),
    ("music-label", "tune47", 950, 1000),
    ("music-label", "holdout47", 1000, 800),
    ("music-label", "tune48", 950, 1000),
    ("music-label", "holdout48", 900, 1000),
    ("music-label", "tune49", 1000, 1000),
    ("music-label", "holdout49", 700, 1000),
    ("music-label", "tune50", 950, 950),
    ("music-label", "holdout50", 1000, 1000),
    ("music-label", "tune51", 950, 900),
    ("music-label", "holdout51", 1000, 900),
    ("music-label", "tune52", 950, 950),
    ("music-label", "holdout52", 800, 1000),
    ("music-label", "tune53", 1000, 950),
    ("music-label", "holdout53", 1000, 1000),
    ("music-label", "tune54", 850, 1000),
    ("music-label", "holdout54", 1000, 800),
    ("music-label", "tune55", 1000, 1000),
    ("music-label", "holdout55", 1000, 900),
    ("music-label", "tune56", 1000, 1000),
    ("music-label", "holdout56", 1000, 1000),
    ("music-label", "tune57", 950, 900),
    ("music-label", "holdout57", 900, 1000),
    ("music-label", "tune58", 950, 1000),
    ("music-label", "holdout58", 800, 1000),
    ("music-label", "tune59", 1000, 1000),
    ("music-label", "holdout59", 900, 900),
    ("music-label", "tune60", 850, 900),
    ("music-label", "holdout60", 1000, 900),
    ("music-label", "tune61", 950, 950),
    ("music-label", "holdout61", 1000, 1000),
    ("music-label", "tune62", 950, 950),
    ("music-label", "holdout62", 900, 1000),
    ("music-label", "tune63", 900, 950),
    ("music-label", "holdout63", 1000, 900),
    ("music-label", "tune64", 900, 900),
    ("music-label", "holdout64", 900, 1000),
    ("music-label", "tune65", 1000, 900),
    ("music-label", "holdout65", 1000, 1000),
    ("music-label", "tune66", 950, 950),
    ("music-label", "holdout66", 900, 1000),
    ("music-label", "tune67", 950, 900),
    ("music-label", "holdout67", 800, 1000),
    ("music-label", "tune68", 950, 1000),
    ("music-label", "holdout68", 700, 700),
    ("music-label", "tune69", 950, 1000),
    ("music-label", "holdout69", 1000, 1000),
    ("music-label", "tune70", 850, 1000),
    ("music-label", "holdout70", 900, 1000),
    ("music-label", "tune71", 900, 950),
    ("music-label", "holdout71", 900, 800),
    ("music-label", "tune72", 900, 1000),
    ("music-label", "holdout72", 700, 900),
    ("music-label", "tune73", 800, 900),
    ("music-label", "holdout73", 800, 900),
    ("music-label", "tune74", 950, 1000),
    ("music-label", "holdout74", 1000, 900),
    ("music-label", "tune75", 900, 1000),
    ("music-label", "holdout75", 900, 900),
    ("music-label", "tune76", 850, 950),
    ("music-label", "holdout76", 1000, 700),
    ("music-label", "tune77", 1000, 900),
    ("music-label", "holdout77", 1000, 700),
    ("music-label", "tune78", 850, 950),
    ("music-label", "holdout78", 900, 900),
    ("music-label", "tune79", 900, 950),
    ("music-label", "holdout79", 1000, 1000),
    ("music-label", "tune80", 950, 950),
    ("music-label", "holdout80", 1000, 900),
    ("music-label", "tune81", 850, 950),
    ("music-label", "holdout81", 1000, 1000),
    ("music-label", "tune82", 850, 900),
    ("music-label", "holdout82", 900, 1000),
    ("music-label", "tune83", 1000, 850),
    ("music-label", "holdout83", 800, 900),
    ("music-label", "tune84", 800, 950),
    ("music-label", "holdout84", 700, 900),
    ("music-label", "tune85", 850, 950),
    ("music-label", "holdout85", 1000, 1000),
    ("music-label", "tune86", 950, 900),
    ("music-label", "holdout86", 900, 1000),
    ("music-label", "tune87", 1000, 900),
    ("music-label", "holdout87", 900, 1000),
    ("music-label", "tune88", 850, 950),
    ("music-label", "holdout88", 900, 900),
    ("music-label", "tune89", 950, 900),
    ("music-label", "holdout89", 900, 900),
    ("music-label", "tune90", 1000, 1000),
    ("music-label", "holdout90", 1000, 900),
    ("music-label", "tune91", 950, 1000),
    ("music-label", "holdout91", 1000, 900),
    ("music-label", "tune92", 900, 1000),
    ("music-label", "holdout92", 800, 1000),
    ("music-label", "tune93", 800, 850),
    ("music-label", "holdout93", 1000, 600),
    ("music-label", "tune94", 950, 900),
    ("music-label", "holdout94", 800, 900),
    ("music-label", "tune95", 950, 950),
    ("music-label", "holdout95", 1000, 800),
    ("music-label", "tune96", 900, 900),
    ("music-label", "holdout96", 1000, 1000),
    ("music-label", "tune97", 900, 1000),
    ("music-label", "holdout97", 800, 800),
    ("music-label", "tune98", 1000, 1000),
    ("music-label", "holdout98", 700, 1000),
    ("music-label", "tune99", 950, 900),
    ("music-label", "holdout99", 900, 900),
    ("music-label", "tune100", 850, 950),
    ("music-label", "holdout100", 900, 900),
    ("music-label", "tune101", 1000, 1000),
    ("music-label", "holdout101", 1000, 900),
];

struct Post {
    id: String,
    expect: Decision,
    text: String,
}

fn posts(part: &str, pack: &str) -> Vec<Post> {
    let path = format!(
        "{}/tests/data/gold/{part}/{pack}.jsonl",
        env!("CARGO_MANIFEST_DIR")
    );
    let data = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    data.lines()
        .enumerate()
        .map(|(i, line)| {
            let v: serde_json::Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{path}:{}: {e}", i + 1));
            let field = |k: &str| {
                v[k].as_str()
                    .unwrap_or_else(|| panic!("{path}:{}: {k}", i + 1))
            };
            let expect = match field("expect") {
                "allow" => Decision::Allow,
                "warn" => Decision::Warn,
                "block" => Decision::Block,
                other => panic!("{path}:{}: expect {other:?}", i + 1),
            };
            Post {
                id: field("id").to_string(),
                expect,
                text: field("text").to_string(),
            }
        })
        .collect()
}

fn screener(pack: &str) -> Screener {
    let mut policy = Policy::new();
    policy.add_bundled(pack).unwrap();
    Screener::builder().now(NOW.parse().unwrap()).build(&policy).unwrap()
}

/// Counts for one pack and part: (violating, exact, harmless, allowed), and
/// the ids that missed with what they got.
struct Score {
    violating: u32,
    exact: u32,
    harmless: u32,
    allowed: u32,
    misses: Vec<(String, Decision, Decision)>,
}

impl Score {
    fn per_mille(n: u32, of: u32) -> u32 {
        (n * 1000).checked_div(of).unwrap_or(1000)
    }

    fn exact(&self) -> u32 {
        Score::per_mille(self.exact, self.violating)
    }

    fn allowed(&self) -> u32 {
        Score::per_mille(self.allowed, self.harmless)
    }
}

fn score(pack: &str, part: &str) -> Score {
    let s = screener(pack);
    let mut out = Score {
        violating: 0,
        exact: 0,
        harmless: 0,
        allowed: 0,
        misses: Vec::new(),
    };
    for p in posts(part, pack) {
        let got = s.screen(&p.text).unwrap().decision();
        if p.expect == Decision::Allow {
            out.harmless += 1;
            out.allowed += u32::from(got == Decision::Allow);
        } else {
            out.violating += 1;
            out.exact += u32::from(got == p.expect);
        }
        if got != p.expect {
            out.misses.push((p.id, p.expect, got));
        }
    }
    out
}

#[test]
fn gold_rates_do_not_fall_below_their_floors() {
    let mut failures = Vec::new();
    for &(pack, part, exact_floor, allowed_floor) in FLOORS {
        let s = score(pack, part);
        assert!(s.violating > 0 && s.harmless > 0, "{pack}/{part} is empty");
        if s.exact() < exact_floor || s.allowed() < allowed_floor {
            failures.push(format!(
                "{pack}/{part}: violating exact {}‰ (floor {exact_floor}‰), harmless allowed {}‰ (floor {allowed_floor}‰)",
                s.exact(),
                s.allowed()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn floors_cover_every_bundled_pack_and_every_part() {
    let listed: BTreeMap<(&str, &str), ()> =
        FLOORS.iter().map(|f| ((f.0, f.1), ())).collect();
    for pack in PACKS {
        for part in parts() {
            let part = part.as_str();
            // A batch written for some packs only leaves the others' files empty.
            let empty = posts(part, pack).is_empty();
            assert!(
                listed.contains_key(&(pack, part)) != empty,
                "{pack}/{part}"
            );
        }
    }
    let bundled: Vec<&str> = preclear::bundled_names().collect();
    assert_eq!(bundled, PACKS, "a bundled pack without gold posts");
}

/// The parts are the split of `posts/`, whole: every directory beside
/// `posts/` (and `writers/`, the new writers' brief) is a part this file
/// reads, and every post of `posts/` is in
/// exactly one part (a batch appended without its split, or a part left
/// out of [`BATCHES`], would otherwise go unmeasured without a word).
#[test]
fn parts_hold_every_post_once() {
    let root = format!("{}/tests/data/gold", env!("CARGO_MANIFEST_DIR"));
    let known = parts();
    for entry in std::fs::read_dir(&root).expect("gold directory") {
        let entry = entry.expect("gold entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() && name != "posts" && name != "writers" {
            assert!(known.contains(&name), "{name}/ is no part of BATCHES");
        }
    }
    for pack in PACKS {
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for part in &known {
            for post in posts(part, pack) {
                if let Some(other) = seen.insert(post.id.clone(), part) {
                    panic!("{pack}: {} is in {other} and {part}", post.id);
                }
            }
        }
        let all: Vec<String> =
            posts("posts", pack).into_iter().map(|p| p.id).collect();
        assert_eq!(all.len(), seen.len(), "{pack}: posts/ against the parts");
        for id in all {
            assert!(seen.contains_key(&id), "{pack}: {id} is in no part");
        }
    }
}

/// The table for the README, and the tune part's misses for whoever tunes:
/// `cargo test --test integration gold::report -- --ignored --nocapture`.
/// The unseen part's misses are never printed.
#[test]
#[ignore = "prints the rates; run by hand"]
fn report() {
    println!("| pack | part | violating exact | harmless allowed |");
    println!("|---|---|---:|---:|");
    for pack in PACKS {
        for part in parts() {
            let part = part.as_str();
            let s = score(pack, part);
            if s.violating + s.harmless == 0 {
                continue;
            }
            println!(
                "| {pack} | {part} | {}/{} ({:.1}%) | {}/{} ({:.1}%) |",
                s.exact,
                s.violating,
                f64::from(s.exact()) / 10.0,
                s.allowed,
                s.harmless,
                f64::from(s.allowed()) / 10.0
            );
            if tuned_on(part) {
                for (id, want, got) in &s.misses {
                    eprintln!("  {id}: expected {want:?}, got {got:?}");
                }
            }
        }
    }
}
