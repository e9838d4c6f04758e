//! A progress line on stderr for long runs over files: posts, megabytes,
//! speed and the verdicts so far, redrawn at most four times a second and
//! cleared at the end.

use std::io::{self, Write};
use std::time::{Duration, Instant};

use preclear::Decision;

const EVERY: Duration = Duration::from_millis(250);

pub struct Progress {
    start: Instant,
    last: Instant,
    posts: u64,
    bytes: u64,
    /// The inputs' total size, when known.
    total: Option<u64>,
    /// allow, warn, block.
    counts: [u64; 3],
    shown: bool,
}

impl Progress {
    pub fn new(total: Option<u64>) -> Progress {
        let now = Instant::now();
        Progress {
            start: now,
            last: now,
            posts: 0,
            bytes: 0,
            total,
            counts: [0; 3],
            shown: false,
        }
    }

    /// One more post, screened to `decision` (none: an error).
    pub fn post(&mut self, decision: Option<Decision>) {
        self.posts += 1;
        match decision {
            Some(Decision::Allow) => self.counts[0] += 1,
            Some(Decision::Warn) => self.counts[1] += 1,
            Some(Decision::Block) => self.counts[2] += 1,
            None => {}
        }
    }

    pub fn bytes(&mut self, n: u64) {
        self.bytes += n;
    }

    /// Redraws the line if it is time to.
    pub fn tick(&mut self) {
        let now = Instant::now();
        if now.duration_since(self.last) < EVERY {
            return;
        }
        self.last = now;
        let secs = now.duration_since(self.start).as_secs_f64();
        let mb = self.bytes as f64 / 1e6;
        let of = match self.total {
            Some(t) if t > 0 => format!(
                "/{:.0} MB ({:.0}%)",
                t as f64 / 1e6,
                100.0 * self.bytes as f64 / t as f64
            ),
            _ => " MB".to_string(),
        };
        let [allow, warn, block] = self.counts;
        // Kept under 80 columns: a wrapped line would not clear.
        let line = format!(
            "{} posts  {mb:.0}{of}  {:.1} MB/s  allow {allow} warn {warn} \
             block {block}",
            self.posts,
            mb / secs.max(1e-3),
        );
        let mut err = io::stderr().lock();
        let _ = write!(err, "\r\x1b[K{line}");
        let _ = err.flush();
        self.shown = true;
    }

    /// Removes the line (before an error line, and at the end).
    pub fn clear(&mut self) {
        if self.shown {
            let _ = write!(io::stderr().lock(), "\r\x1b[K");
            self.shown = false;
        }
    }
}
