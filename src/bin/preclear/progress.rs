//! What a run has done so far (`Counts`), shown as a progress line on
//! stderr during long runs over files — redrawn at most four times a
//! second and cleared at the end — and as the `--stats` line after it.

use std::io::{self, Write};
use std::time::{Duration, Instant};

use preclear::Decision;

const EVERY: Duration = Duration::from_millis(250);

/// Posts, verdicts, errors and bytes so far.
pub struct Counts {
    start: Instant,
    /// Posts screened or refused.
    pub posts: u64,
    /// allow, warn, block.
    pub decisions: [u64; 3],
    /// Error lines (a post, a file or the output).
    pub errors: u64,
    pub bytes: u64,
}

impl Counts {
    pub fn new() -> Counts {
        Counts {
            start: Instant::now(),
            posts: 0,
            decisions: [0; 3],
            errors: 0,
            bytes: 0,
        }
    }

    /// One more post, screened to `decision` (none: an error).
    pub fn post(&mut self, decision: Option<Decision>) {
        self.posts += 1;
        match decision {
            Some(Decision::Allow) => self.decisions[0] += 1,
            Some(Decision::Warn) => self.decisions[1] += 1,
            Some(Decision::Block) => self.decisions[2] += 1,
            None => {}
        }
    }

    fn secs(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    /// The `--stats` line.
    pub fn summary(&self) -> String {
        let [allow, warn, block] = self.decisions;
        let secs = self.secs();
        let mb = self.bytes as f64 / 1e6;
        format!(
            "{} posts: {allow} allow, {warn} warn, {block} block, {} \
             errors; {mb:.2} MB in {secs:.2} s ({:.1} MB/s)",
            self.posts,
            self.errors,
            mb / secs.max(1e-3),
        )
    }
}

pub struct Progress {
    last: Instant,
    /// The inputs' total size, when known.
    total: Option<u64>,
    shown: bool,
}

impl Progress {
    pub fn new(total: Option<u64>) -> Progress {
        Progress { last: Instant::now(), total, shown: false }
    }

    /// Redraws the line if it is time to.
    pub fn tick(&mut self, counts: &Counts) {
        let now = Instant::now();
        if now.duration_since(self.last) < EVERY {
            return;
        }
        self.last = now;
        let secs = counts.secs();
        let mb = counts.bytes as f64 / 1e6;
        let of = match self.total {
            Some(t) if t > 0 => format!(
                "/{:.0} MB ({:.0}%)",
                t as f64 / 1e6,
                100.0 * counts.bytes as f64 / t as f64
            ),
            _ => " MB".to_string(),
        };
        let [allow, warn, block] = counts.decisions;
        // Kept under 80 columns: a wrapped line would not clear.
        let line = format!(
            "{} posts  {mb:.0}{of}  {:.1} MB/s  allow {allow} warn {warn} \
             block {block}",
            counts.posts,
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
