//! The posts preclear's benchmarks screen, generated deterministically.
//!
//! Shared by `benches/screen.rs` (criterion) and `examples/time_posts.rs`
//! (which writes them as JSON Lines for the peer comparison), so that
//! Presidio and preclear are timed on the very posts the benches measure.
//! Each generator also says which findings preclear must report, so a
//! faster but wrong engine fails the bench instead of passing it.

/// The bundled packs the latency benches run.
pub const PACKS: [&str; 3] = ["base", "financial-institution", "music-label"];

/// The pack of the throughput bench and the peer comparison.
pub const FINANCIAL: &str = "financial-institution";

pub const CARD_RULE: &str = "pii.payment-card";
pub const SSN_RULE: &str = "pii.us-ssn";
pub const PHRASE_RULE: &str = "promissory.get-rich";
pub const AWS_RULE: &str = "secret.aws-access-key";
pub const INTERNAL_RULE: &str = "internal.marker";
pub const PIRACY_RULE: &str = "piracy.site";
pub const LEAK_RULE: &str = "leak.unreleased";

/// The sizes of the latency benches: a tweet, a long post, a thread.
pub const TWEET_MAX: usize = 280;
pub const POST_MAX: usize = 2048;
pub const THREAD_MAX: usize = 20 * 1024;

/// The throughput text: 50 MiB, a PII item (card and SSN in turn) every
/// ~100 KB and a promissory phrase every ~250 KB.
pub const LARGE_LEN: usize = 50 * 1024 * 1024;
pub const PII_EVERY: usize = 100 * 1024;
pub const PHRASE_EVERY: usize = 250 * 1024;

/// Ordinary posts of a bank's social-media team: none of them may fire a
/// rule of `base` or `financial-institution` (every bench checks that).
/// They start with a letter and end with punctuation or an emoji, so the
/// numbers of neighbouring sentences never join into a longer one.
pub const BANK: &[&str] = &[
    "Our new branch on Elm Street opens Monday at 9am, come say hello!",
    "Coffee and pastries are on us this Friday morning \u{2615}",
    "Congratulations to the volunteers who planted 120 trees along the \
     river last weekend.",
    "The community choir rehearses every Thursday at 7:30pm in the town \
     hall.",
    "We are hiring tellers and advisors in three cities, apply on our \
     careers page.",
    "Thanks to everyone who joined the charity run; together we raised \
     $18,450 for the food bank!",
    "Learn the basics of budgeting at our free workshop on March 14.",
    "Our team in Z\u{fc}rich says gr\u{fc}ezi \u{1f44b} and welcomes two new \
     colleagues.",
    "Caf\u{e9} au lait Fridays are back in the lobby, bring your own mug.",
    "The quarterly newsletter is out now with tips for first-time home \
     buyers.",
    "Storm warning: the downtown office will close at 3pm today, stay safe \
     everyone.",
    "Did you know you can deposit cheques from your phone in under a \
     minute?",
    "Happy Lunar New Year to all our customers celebrating this week \
     \u{1f9e7}",
    "Our mobile app update adds dark mode and faster sign-in.",
    "Meet Priya, who has helped small businesses in our town for 12 years.",
    "We are cheering for the under-12 football league again this season \
     \u{26bd}",
    "Fraud tip: we will never ask for your PIN by text or email.",
    "The S\u{e3}o Paulo office celebrates its tenth anniversary with a \
     street festival.",
    "Join our webinar on saving for college next Tuesday at noon.",
    "Our call centre is open from 8am to 8pm, seven days a week.",
    "A big thank you to the crew who repainted the youth centre mural \
     \u{1f3a8}",
    "Check out photos from the open day, more than 300 families stopped by.",
    "Tell us your favourite local bakery in the replies, we will visit a \
     few.",
    "We have updated our accessibility features for screen reader users.",
    "Remember to review your budget before the holiday shopping season \
     starts.",
    "Our na\u{ef}ve first attempt at latte art is in the next photo, be kind \
     \u{1f605}",
    "The school savings club welcomed 45 new members this month.",
    "Wishing a happy retirement to Tom after 31 years with the team.",
    "Parking at the north entrance is closed for repairs until June 2.",
    "Our interns built a recycling station for the whole floor, great work!",
    "Ask our advisors anything during the live Q&A this evening.",
    "The bike-to-work challenge starts on Monday; 62 people have signed up \
     so far.",
    "Weekend hours: Saturday 9:00\u{2013}13:00, closed on Sunday.",
    "Photos from the riverside cleanup are up on the community board.",
    "Our branch staff speak over 20 languages, just ask at the counter.",
    "Spring is here \u{1f337} and so are the new opening hours at the Oak \
     Road branch.",
    "Thank you for 10,000 followers, we read every message!",
    "Financial literacy week starts with a quiz for students at 4pm.",
    "Our CEO will visit the Leeds office on Wednesday to meet the teams.",
    "The lost-and-found box at reception has three umbrellas and one very \
     nice scarf.",
    "Tap to pay works on most phones and watches, ask us how to set it up.",
    "Our volunteers read stories at the city library every Saturday \
     morning \u{1f4da}",
    "Track the construction of our new headquarters in this short video.",
    "Order your free debit card sleeve at any counter.",
    "Bonne ann\u{e9}e \u{e0} nos clients de Montr\u{e9}al ! \u{1f389}",
    "Reminder that the office is closed on bank holidays.",
    "Ten tips for spotting phishing emails, thread below \u{1f9f5}",
    "Our podcast this week: how to talk to kids about money.",
];

/// Ordinary posts of a record label and its artists: none of them may
/// fire a rule of `music-label`.
pub const MUSIC: &[&str] = &[
    "New single out Friday, we cannot wait for you to hear it \u{1f3b6}",
    "Thank you Berlin, what a night! See you next year.",
    "The video for our second single was shot in one take on a rooftop.",
    "Vinyl pre-orders open on Monday at 10am, limited to 500 copies.",
    "Our drummer turned 30 today, send him some love \u{1f941}",
    "Studio day three: strings are recorded and they sound huge.",
    "We are playing an acoustic set at the record shop on Saturday.",
    "Huge thanks to every fan who sang along in Manchester last night!",
    "The lyric video is up now, tell us your favourite line.",
    "Meet the producer behind the new album in our latest interview.",
    "Rehearsals for the summer shows start next week \u{1f525}",
    "Our label mates just announced their debut album, congratulations!",
    "Merch restock: hoodies and tote bags are back in every size.",
    "The B-side was written on a train between Lyon and Paris.",
    "Caf\u{e9} gigs are the best gigs, thank you for coming out.",
    "We made a playlist of the songs that shaped the record.",
    "Drop a \u{2764}\u{fe0f} if you were at the first show in 2019.",
    "Listening party this Thursday at 8pm on our channel.",
    "The choir on track four is our friends from the local school.",
    "Our bassist reviewed fifteen guitar pedals so you do not have to.",
    "Behind the scenes photos from the album cover shoot are up now.",
    "Happy release week to everyone on the roster \u{1f389}",
    "We wrote the chorus at 3am and kept it exactly as it was.",
    "Ticket holders for Dublin: doors open at 7pm, support at 8pm.",
    "Thank you for 50,000 monthly listeners, this is wild!",
    "The remix contest closes on June 30, good luck to every entrant.",
    "S\u{e3}o Paulo, you were incredible, obrigado!",
    "Our new drummer is settling in nicely, say hi in the replies.",
    "Tour diary part two: a flat tyre, a lost guitar and a great show.",
    "The deluxe edition adds three acoustic versions and a demo we love.",
    "Radio premiere tonight at 9pm, tune in and turn it up.",
    "Sound check in Oslo done, see you in an hour \u{1f3a4}",
];

/// SplitMix64: deterministic, so every run screens the same text.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// A Luhn-valid 16-digit Visa or Mastercard number, grouped in one of the
/// ways people write them.
pub fn card(rng: &mut Rng) -> String {
    let mut d: Vec<u32> = if rng.below(2) == 0 {
        vec![4]
    } else {
        vec![5, 1 + rng.below(5) as u32]
    };
    while d.len() < 15 {
        d.push(rng.below(10) as u32);
    }
    // The check digit: double every second digit from the right, starting
    // with the one next to it.
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| match (i % 2, x * 2) {
            (0, y) if y > 9 => y - 9,
            (0, y) => y,
            _ => x,
        })
        .sum();
    d.push((10 - sum % 10) % 10);
    let sep = ["", " ", "-", "."][rng.below(4)];
    let mut out = String::new();
    for (i, x) in d.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push_str(sep);
        }
        out.push(char::from_digit(*x, 10).expect("a digit"));
    }
    out
}

/// A valid-looking US SSN (area not 000, 666 or 9xx; group and serial
/// not zero), written with dashes.
pub fn ssn(rng: &mut Rng) -> String {
    let area = loop {
        let a = 1 + rng.below(899);
        if a != 666 {
            break a;
        }
    };
    let group = 1 + rng.below(99);
    let serial = 1 + rng.below(9999);
    format!("{area:03}-{group:02}-{serial:04}")
}

/// Sentences whose only finding is a card (`{}`).
const CARD_SENTENCES: &[&str] = &[
    "A customer read out card {} on the chat, please scrub the transcript.",
    "Reminder: the card {} was handed in at the front desk today.",
    "Someone posted card {} in the comments, we have hidden it.",
];

pub fn card_sentence(rng: &mut Rng) -> String {
    rng.pick(CARD_SENTENCES).replace("{}", &card(rng))
}

/// A sentence whose only finding is a formatted SSN.
pub fn ssn_sentence(rng: &mut Rng) -> String {
    format!("New hire paperwork is done and her SSN {} is on file.", ssn(rng))
}

/// A sentence whose only finding is one term of [`PHRASE_RULE`].
pub const PHRASE_SENTENCE: &str =
    "Be wary of anyone online who says they can double your money by Friday.";

/// One planted finding: the sentence and the rule it must fire.
pub struct Hit {
    pub text: String,
    pub rule: &'static str,
}

/// What a pack must find in a post, most important first: a tweet plants
/// the first, a 2 KB post the first, a thread all of them.
fn hits(pack: &str, rng: &mut Rng) -> Vec<Hit> {
    let hit = |text: String, rule| Hit { text, rule };
    match pack {
        "base" => vec![
            hit(
                "Creds for the demo box are AKIA4QWERTYZ7UIOP2XC, rotate them \
                 after the call."
                    .into(),
                AWS_RULE,
            ),
            hit(
                "Draft slides attached, internal use only until the launch."
                    .into(),
                INTERNAL_RULE,
            ),
        ],
        "financial-institution" => vec![
            hit(card_sentence(rng), CARD_RULE),
            hit(ssn_sentence(rng), SSN_RULE),
            hit(PHRASE_SENTENCE.into(), PHRASE_RULE),
        ],
        "music-label" => vec![
            hit(
                "Someone asked where to grab the album on zippyshare, please \
                 don't."
                    .into(),
                PIRACY_RULE,
            ),
            hit(
                "An unreleased track from the sessions is going around, please \
                 don't share it."
                    .into(),
                LEAK_RULE,
            ),
            hit(card_sentence(rng), CARD_RULE),
        ],
        _ => panic!("no hits for pack {pack}"),
    }
}

/// The ordinary sentences a pack's posts are made of.
pub fn sentences(pack: &str) -> &'static [&'static str] {
    if pack == "music-label" {
        MUSIC
    } else {
        BANK
    }
}

/// Sentences (space-separated) up to `max` bytes, with `hit` first when
/// there is one; stops when a few picks in a row do not fit.
fn fill(
    rng: &mut Rng,
    words: &[&str],
    max: usize,
    hit: Option<&str>,
) -> String {
    let mut out = String::from(hit.unwrap_or(""));
    assert!(out.len() <= max, "hit longer than {max} bytes");
    let mut misses = 0;
    while misses < 8 {
        let s = rng.pick(words);
        let sep = usize::from(!out.is_empty());
        if out.len() + sep + s.len() > max {
            misses += 1;
            continue;
        }
        if sep == 1 {
            out.push(' ');
        }
        out.push_str(s);
    }
    out
}

/// One latency case: a post and the findings preclear must report.
pub struct Case {
    pub pack: &'static str,
    /// `tweet`, `post-2k` or `thread-20k`.
    pub size: &'static str,
    pub hit: bool,
    pub text: String,
    /// `(rule id, number of reasons)`.
    pub want: Vec<(&'static str, usize)>,
}

impl Case {
    /// `tweet-clean`, `post-2k-hit`, …
    pub fn name(&self) -> String {
        format!("{}-{}", self.size, if self.hit { "hit" } else { "clean" })
    }
}

/// A tweet (≤ 280 bytes), a ~2 KB post and a ~20 KB thread, each clean
/// and with planted findings, for `pack`.
pub fn latency_cases(pack: &'static str) -> Vec<Case> {
    let mut rng = Rng(0x5EED ^ pack.len() as u64);
    let words = sentences(pack);
    let mut cases = Vec::new();
    for hit in [false, true] {
        let planted = hits(pack, &mut rng);
        let first = hit.then(|| &planted[0]);
        // Clean posts must have no finding at all.
        let pick = |hs: &[Hit]| -> Vec<(&'static str, usize)> {
            hs.iter().filter(|_| hit).map(|h| (h.rule, 1)).collect()
        };

        let tweet =
            fill(&mut rng, words, TWEET_MAX, first.map(|h| h.text.as_str()));
        cases.push(Case {
            pack,
            size: "tweet",
            hit,
            text: tweet,
            want: pick(&planted[..1]),
        });

        // A long post: ~1 KB of sentences, the finding, ~1 KB more.
        let mut post = fill(&mut rng, words, POST_MAX / 2, None);
        if let Some(h) = first {
            post.push(' ');
            post.push_str(&h.text);
        }
        let rest = POST_MAX - post.len() - 1;
        post.push(' ');
        post.push_str(&fill(&mut rng, words, rest, None));
        cases.push(Case {
            pack,
            size: "post-2k",
            hit,
            text: post,
            want: pick(&planted[..1]),
        });

        // A thread: numbered tweets, blank-line separated; with hits, the
        // findings sit in tweets 5, 17, 29, … (one each).
        let mut thread = String::new();
        let mut next = planted.iter().filter(|_| hit);
        for n in 1.. {
            let head = format!("{n}/ ");
            let h = if n % 12 == 5 { next.next() } else { None };
            let body = fill(
                &mut rng,
                words,
                TWEET_MAX - head.len(),
                h.map(|h| h.text.as_str()),
            );
            if thread.len() + head.len() + body.len() + 2 > THREAD_MAX {
                break;
            }
            thread.push_str(&head);
            thread.push_str(&body);
            thread.push_str("\n\n");
        }
        assert!(next.next().is_none(), "thread too short for its hits");
        cases.push(Case {
            pack,
            size: "thread-20k",
            hit,
            text: thread,
            want: pick(&planted),
        });
    }
    cases
}

/// The throughput text and what was planted in it.
pub struct Large {
    pub text: String,
    pub cards: usize,
    pub ssns: usize,
    pub phrases: usize,
}

impl Large {
    /// The findings `financial-institution` must report.
    pub fn want(&self) -> Vec<(&'static str, usize)> {
        vec![
            (CARD_RULE, self.cards),
            (SSN_RULE, self.ssns),
            (PHRASE_RULE, self.phrases),
        ]
    }
}

/// Exactly `len` bytes of bank paragraphs (2 to 9 sentences a line), with
/// a card or an SSN (in turn) every [`PII_EVERY`] bytes and a promissory
/// phrase every [`PHRASE_EVERY`] bytes, each on a line of its own.
pub fn large_text(len: usize) -> Large {
    assert!(len >= 4 * POST_MAX);
    let mut rng = Rng(1);
    let mut large = Large {
        text: String::with_capacity(len + 1024),
        cards: 0,
        ssns: 0,
        phrases: 0,
    };
    let text = &mut large.text;
    let (mut next_pii, mut next_phrase) = (PII_EVERY / 2, PHRASE_EVERY / 2);
    // Room for a last line that makes the length exact.
    while text.len() < len - POST_MAX {
        if text.len() >= next_pii {
            if (large.cards + large.ssns) % 2 == 0 {
                text.push_str(&card_sentence(&mut rng));
                large.cards += 1;
            } else {
                text.push_str(&ssn_sentence(&mut rng));
                large.ssns += 1;
            }
            next_pii += PII_EVERY;
        } else if text.len() >= next_phrase {
            text.push_str(PHRASE_SENTENCE);
            large.phrases += 1;
            next_phrase += PHRASE_EVERY;
        } else {
            for i in 0..2 + rng.below(8) {
                if i > 0 {
                    text.push(' ');
                }
                text.push_str(rng.pick(BANK));
            }
        }
        text.push('\n');
    }
    let last = fill(&mut rng, BANK, len - text.len() - 1, None);
    text.push_str(&last);
    while text.len() < len - 1 {
        text.push(' ');
    }
    text.push('\n');
    assert_eq!(text.len(), len);
    large
}

/// `text` cut into posts of whole lines, each at most `max` bytes (a
/// longer line is a post of its own), without the newline that ends them.
pub fn split_posts(text: &str, max: usize) -> Vec<&str> {
    let mut posts = Vec::new();
    let mut start = 0;
    let mut end = 0;
    for line in text.split_inclusive('\n') {
        if end > start && end + line.len() - start > max {
            posts.push(text[start..end].trim_end_matches('\n'));
            start = end;
        }
        end += line.len();
    }
    if end > start {
        posts.push(text[start..end].trim_end_matches('\n'));
    }
    posts
}
