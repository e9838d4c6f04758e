//! `preclear check`: reads posts, screens them (line-based input in
//! batches, on every core), prints the results in input order.
//!
//! The pipeline for `--input lines|jsonl`: a reader thread cuts the input
//! into bounded batches and hands them over one at a time (a rendezvous
//! channel: at most the batch being screened and the next one are in
//! memory); the main thread screens and renders a batch on the thread pool,
//! each post into its own buffer, then writes the buffers in order. With
//! `--jobs 1` the same steps run one after another on the main thread.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};

use preclear::{Decision, Error, Screener};
use rayon::prelude::*;

use crate::args::{Check, Format, Input};
use crate::input::{self, Batch, LineReader, Post};
use crate::print::Printer;
use crate::progress::Progress;
use crate::{error, EXIT_ERROR};

/// A batch ends after this many lines…
const BATCH_LINES: usize = 4096;
/// …or once it holds this many bytes (plus the line that crossed it).
const BATCH_BYTES: usize = 2 << 20;
/// Room for a JSON record's id and keys around its text.
const RECORD_SLACK: usize = 64 << 10;

pub fn check(c: &Check) -> u8 {
    let screener = match screener(c) {
        Ok(s) => s,
        Err(e) => {
            error(e);
            return EXIT_ERROR;
        }
    };
    let jobs = c.jobs.map_or_else(
        || std::thread::available_parallelism().map_or(1, |n| n.get()),
        |n| n as usize,
    );
    // One job: everything on the main thread, no pool and no reader.
    let pool = if jobs > 1 {
        match rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .thread_name(|i| format!("preclear-{i}"))
            .build()
        {
            Ok(p) => Some(p),
            Err(e) => {
                error(format_args!("cannot start {jobs} threads: {e}"));
                return EXIT_ERROR;
            }
        }
    } else {
        None
    };
    let files = if c.files.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        c.files.clone()
    };
    let stdout = io::stdout();
    let color = c.format == Format::Human
        && stdout.is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    // Progress is for someone watching a long run: on a terminal, over
    // files (their size is known), with the results going elsewhere (on
    // the same terminal they would tear the progress line).
    let progress = (io::stderr().is_terminal()
        && !stdout.is_terminal()
        && files.iter().all(|f| f != Path::new("-")))
    .then(|| Progress::new(total_size(&files)));
    let max = c.max_post_bytes;
    let screen = Screen {
        screener,
        printer: Printer::new(c.format, color),
        jsonl: c.input == Input::Jsonl,
        max,
        pool,
    };
    let mut sink = Sink {
        out: BufWriter::with_capacity(1 << 16, stdout.lock()),
        worst: Decision::Allow,
        errors: false,
        stopped: false,
        progress,
    };
    let inputs = Inputs {
        files: files.into_iter(),
        mode: c.input,
        // A line longer than this cannot hold a post within the limit: it
        // is skipped unread. Lines: the post plus a `\r`. JSON: every text
        // byte escaped (`\u00XX`), and the id around it.
        cap: match c.input {
            Input::Jsonl => max.saturating_mul(6).saturating_add(RECORD_SLACK),
            _ => max.saturating_add(1),
        },
        max,
        current: None,
    };
    if screen.pool.is_some() {
        let (tx, rx) = mpsc::sync_channel(0);
        let reader = std::thread::Builder::new()
            .name("preclear-reader".into())
            .spawn(move || {
                for msg in inputs {
                    // The receiver is gone once output is: stop reading.
                    if tx.send(msg).is_err() {
                        break;
                    }
                }
            });
        if let Err(e) = reader {
            error(format_args!("cannot start the reader thread: {e}"));
            return EXIT_ERROR;
        }
        // Not joined: when stdout closes early the reader may be waiting
        // on a slow stdin, and exiting ends it.
        sink.run(&screen, rx);
    } else {
        sink.run(&screen, inputs);
    }
    sink.finish()
}

fn screener(c: &Check) -> Result<Screener, Error> {
    let policy = crate::policy(&c.pack)?;
    let mut b = Screener::builder();
    if let Some(now) = &c.now {
        b.now(now.parse()?);
    }
    b.reveal_masked(c.unmask);
    b.max_post_bytes(c.max_post_bytes);
    b.build(&policy)
}

/// The sum of the files' sizes, when they are all regular files.
fn total_size(files: &[PathBuf]) -> Option<u64> {
    files
        .iter()
        .map(|f| std::fs::metadata(f).ok().filter(|m| m.is_file()))
        .map(|m| m.map(|m| m.len()))
        .sum()
}

/// What the reader hands over, in input order.
enum Msg {
    /// Lines of one file.
    Batch(Arc<str>, Batch),
    /// A whole file as one post (`--input text`), and its size.
    Whole(String, Result<String, String>, u64),
    /// A file that cannot be opened.
    Unreadable(String, io::Error),
}

/// The inputs, read in order as messages.
struct Inputs {
    files: std::vec::IntoIter<PathBuf>,
    mode: Input,
    cap: usize,
    max: usize,
    current: Option<(Arc<str>, LineReader)>,
}

impl Iterator for Inputs {
    type Item = Msg;

    fn next(&mut self) -> Option<Msg> {
        loop {
            if let Some((name, reader)) = &mut self.current {
                if let Some(b) = reader.batch(BATCH_LINES, BATCH_BYTES) {
                    return Some(Msg::Batch(name.clone(), b));
                }
                self.current = None;
            }
            let path = self.files.next()?;
            let name = path.display().to_string();
            let reader = match input::open(&path) {
                Ok(r) => r,
                Err(e) => return Some(Msg::Unreadable(name, e)),
            };
            if self.mode == Input::Text {
                let text = input::whole(reader, self.max);
                let size = text.as_ref().map_or(0, |t| t.len() as u64);
                return Some(Msg::Whole(name, text, size));
            }
            // Standard input, a pipe or a terminal may pause: batches end
            // where the input does, so results are not held back.
            let stream = path == Path::new("-")
                || !std::fs::metadata(&path).is_ok_and(|m| m.is_file());
            self.current =
                Some((name.into(), LineReader::new(reader, stream, self.cap)));
        }
    }
}

/// Screens and renders posts; shared by the pool's threads.
struct Screen {
    screener: Screener,
    printer: Printer,
    jsonl: bool,
    max: usize,
    pool: Option<rayon::ThreadPool>,
}

/// One post's result: the bytes to print, or the error line in its place.
struct Item {
    decision: Option<Decision>,
    out: Result<Vec<u8>, String>,
}

impl Screen {
    fn one(&self, post: &Post, text: Result<&str, &str>) -> Item {
        let text = match text {
            Ok(t) => t,
            Err(msg) => return Item::error(format!("{}: {msg}", post.at)),
        };
        match self.screener.screen(text) {
            Ok(v) => {
                let mut buf = Vec::with_capacity(512);
                // Writing to a Vec cannot fail.
                let _ = self.printer.verdict(&mut buf, post, text, &v);
                Item { decision: Some(v.decision()), out: Ok(buf) }
            }
            Err(e) => Item::error(format!("{}: {e}", post.at)),
        }
    }

    /// A batch's results, in its order; on the pool when there is one.
    fn batch(&self, name: &str, b: &Batch) -> Vec<Item> {
        let each = |line| {
            let (post, text) =
                input::post(name, self.jsonl, self.max, line, &b.data)?;
            Some(self.one(&post, text.as_deref().map_err(String::as_str)))
        };
        match &self.pool {
            Some(pool) => {
                pool.install(|| b.lines.par_iter().filter_map(each).collect())
            }
            None => b.lines.iter().filter_map(each).collect(),
        }
    }
}

impl Item {
    fn error(msg: String) -> Item {
        Item { decision: None, out: Err(msg) }
    }
}

/// Where results go: stdout in order, errors to stderr in between.
struct Sink<W: Write> {
    out: W,
    worst: Decision,
    errors: bool,
    /// Standard output is gone (`| head`): stop quietly.
    stopped: bool,
    progress: Option<Progress>,
}

impl<W: Write> Sink<W> {
    fn run(&mut self, screen: &Screen, msgs: impl IntoIterator<Item = Msg>) {
        for msg in msgs {
            match msg {
                Msg::Batch(name, b) => {
                    for item in screen.batch(&name, &b) {
                        self.emit(item);
                        if self.stopped {
                            return;
                        }
                    }
                    if b.drained {
                        self.flush();
                    }
                    if let Some(p) = &mut self.progress {
                        p.bytes(b.bytes);
                    }
                }
                Msg::Whole(name, text, size) => {
                    let post = Post {
                        at: name.clone(),
                        origin: (name.clone(), 1),
                        id: name,
                    };
                    let text = text.as_deref().map_err(String::as_str);
                    self.emit(screen.one(&post, text));
                    if let Some(p) = &mut self.progress {
                        p.bytes(size);
                    }
                }
                Msg::Unreadable(name, e) => {
                    self.error(format_args!("{name}: cannot read: {e}"));
                }
            }
            if self.stopped {
                return;
            }
            if let Some(p) = &mut self.progress {
                p.tick();
            }
        }
    }

    fn emit(&mut self, item: Item) {
        if let Some(p) = &mut self.progress {
            p.post(item.decision);
        }
        if let Some(d) = item.decision {
            self.worst = self.worst.max(d);
        }
        match item.out {
            Ok(bytes) => {
                if let Err(e) = self.out.write_all(&bytes) {
                    self.write_failed(&e);
                }
            }
            Err(msg) => self.error(msg),
        }
    }

    /// Reports an error about one input, after the results so far.
    fn error(&mut self, msg: impl std::fmt::Display) {
        self.flush();
        if let Some(p) = &mut self.progress {
            p.clear();
        }
        error(msg);
        self.errors = true;
    }

    fn flush(&mut self) {
        if self.stopped {
            return;
        }
        if let Err(e) = self.out.flush() {
            self.write_failed(&e);
        }
    }

    fn write_failed(&mut self, e: &io::Error) {
        if e.kind() != io::ErrorKind::BrokenPipe {
            error(format_args!("cannot write output: {e}"));
            self.errors = true;
        }
        self.stopped = true;
    }

    /// Flushes the output and gives the exit status.
    fn finish(mut self) -> u8 {
        self.flush();
        if let Some(p) = &mut self.progress {
            p.clear();
        }
        if self.errors {
            return EXIT_ERROR;
        }
        match self.worst {
            Decision::Allow => 0,
            Decision::Warn => 1,
            Decision::Block => 2,
        }
    }
}
