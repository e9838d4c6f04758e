//! `preclear check`: reads posts, screens them (line-based input in
//! batches, on every core), prints the results in input order.
//!
//! The pipeline for `--input lines|jsonl`: a reader thread cuts the input
//! into bounded batches and hands them over one at a time (a rendezvous
//! channel: at most the batch being screened and the next one are in
//! memory); the main thread screens and renders a batch on the thread pool,
//! one output buffer per split of the batch, then writes them in order.
//! With `--jobs 1` the same steps run one after another on the main thread,
//! rendering every batch into one reused buffer.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};

use preclear::{Decision, Error, Policy, Screener};
use rayon::prelude::*;
use serde_json::Value;

use crate::args::{Check, CheckFormat as Format, FailOn, Input};
use crate::input::{self, Batch, Line, LineReader, Post};
use crate::print::Printer;
use crate::progress::{Counts, Progress};
use crate::walk::{self, Entry, Filter, DEFAULT_EXTENSIONS};
use crate::{config, error, sarif, EXIT_ERROR};

/// A batch ends after this many lines…
const BATCH_LINES: usize = 4096;
/// …or once it holds this many bytes (plus the line that crossed it).
const BATCH_BYTES: usize = 2 << 20;
/// Room for a JSON record's id and keys around its text.
const RECORD_SLACK: usize = 64 << 10;

/// What `check` runs with: the flags, else the config, else the defaults.
struct Settings {
    policy: Policy,
    format: Format,
    fail_on: FailOn,
    max: usize,
    entries: Vec<Entry>,
}

fn settings(c: &Check) -> Result<Settings, String> {
    let config = config::discover(c.config.no_config)?;
    let cfg = config.as_ref();
    let policy =
        crate::configured_policy(&c.pack, cfg).map_err(|e| e.to_string())?;
    let extensions = match cfg.and_then(|c| c.extensions.clone()) {
        _ if !c.extensions.is_empty() => c.extensions.clone(),
        Some(from_config) => from_config,
        None => DEFAULT_EXTENSIONS.map(String::from).to_vec(),
    };
    let filter = match cfg {
        Some(k) => {
            Filter::new(extensions, Some(&k.dir), &k.include, &k.exclude)
                .map_err(|e| format!("{}: {e}", k.path.display()))?
        }
        None => Filter::new(extensions, None, &[], &[])?,
    };
    let files = if c.files.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        c.files.clone()
    };
    Ok(Settings {
        policy,
        format: c
            .format
            .or(cfg.and_then(|k| k.format))
            .unwrap_or(Format::Human),
        fail_on: c
            .fail_on
            .or(cfg.and_then(|k| k.fail_on))
            .unwrap_or(FailOn::Warn),
        max: c
            .max_post_bytes
            .or(cfg.and_then(|k| k.max_post_bytes))
            .unwrap_or(preclear::limits::MAX_POST_BYTES),
        entries: walk::expand(&files, &filter),
    })
}

pub fn check(c: &Check) -> u8 {
    let set = match settings(c) {
        Ok(s) => s,
        Err(e) => {
            error(e);
            return EXIT_ERROR;
        }
    };
    let screener = match screener(c, &set) {
        Ok(s) => s,
        Err(e) => {
            error(e);
            return EXIT_ERROR;
        }
    };
    let pool = match pool(c.jobs) {
        Ok(p) => p,
        Err(e) => {
            error(e);
            return EXIT_ERROR;
        }
    };
    let stdout = io::stdout();
    let color = set.format == Format::Human
        && stdout.is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    // Progress is for someone watching a long run: on a terminal, over
    // files (their size is known), with the results going elsewhere (on
    // the same terminal they would tear the progress line).
    let progress = (io::stderr().is_terminal()
        && !stdout.is_terminal()
        && set.entries.iter().all(|e| !e.is_stdin()))
    .then(|| Progress::new(total_size(&set.entries)));
    let max = set.max;
    let sarif = (set.format == Format::Sarif).then(|| {
        (
            sarif::Run::default(),
            set.policy.fingerprint().to_string(),
            set.policy.pack_labels(),
        )
    });
    let screen = Screen {
        screener,
        printer: Printer::new(set.format, c.input, c.quiet, color),
        jsonl: c.input == Input::Jsonl,
        sarif: sarif.is_some(),
        max,
        pool,
    };
    let mut sink = Sink {
        out: BufWriter::with_capacity(1 << 16, stdout.lock()),
        worst: Decision::Allow,
        fail_on: set.fail_on,
        stats: c.stats,
        counts: Counts::new(),
        stopped: false,
        progress,
        sarif,
    };
    let inputs = Inputs {
        entries: set.entries.into_iter(),
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
    sink.start();
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

/// The screening threads for `--jobs` (default: one per core); none for
/// one job, which runs everything on the main thread, without a reader.
fn pool(jobs: Option<u16>) -> Result<Option<rayon::ThreadPool>, String> {
    let jobs = jobs.map_or_else(
        || std::thread::available_parallelism().map_or(1, |n| n.get()),
        |n| n as usize,
    );
    if jobs == 1 {
        return Ok(None);
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .thread_name(|i| format!("preclear-{i}"))
        .build()
        .map(Some)
        .map_err(|e| format!("cannot start {jobs} threads: {e}"))
}

fn screener(c: &Check, set: &Settings) -> Result<Screener, Error> {
    let mut b = Screener::builder();
    if let Some(now) = &c.now {
        b.now(now.parse()?);
    }
    b.reveal_masked(c.unmask);
    b.show_ignored(c.explain);
    b.max_post_bytes(set.max);
    b.build(&set.policy)
}

/// The sum of the files' sizes, when they are all regular files.
fn total_size(entries: &[Entry]) -> Option<u64> {
    entries
        .iter()
        .map(|e| match e {
            Entry::File { path, .. } => {
                std::fs::metadata(path).ok().filter(|m| m.is_file())
            }
            Entry::Error(_) => None,
        })
        .map(|m| m.map(|m| m.len()))
        .sum()
}

/// What the reader hands over, in input order.
enum Msg {
    /// Lines of one file.
    Batch(Arc<str>, Batch),
    /// A whole file as one post (`--input text`), and its size.
    Whole(String, Result<String, String>, u64),
    /// A file that cannot be read, and why.
    Unreadable(String),
    /// A walked file that is not screened, and why (a note, not an error).
    Skipped(String),
}

impl Entry {
    fn is_stdin(&self) -> bool {
        matches!(self, Entry::File { path, .. } if path == Path::new("-"))
    }
}

/// The inputs, read in order as messages.
struct Inputs {
    entries: std::vec::IntoIter<Entry>,
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
            let (path, walked) = match self.entries.next()? {
                Entry::File { path, walked } => (path, walked),
                Entry::Error(msg) => return Some(Msg::Unreadable(msg)),
            };
            let name = path.display().to_string();
            let mut reader = match input::open(&path) {
                Ok(r) => r,
                Err(e) => {
                    let msg = format!("{name}: cannot read: {e}");
                    return Some(Msg::Unreadable(msg));
                }
            };
            // Only a file found in a directory: one named is screened.
            if walked {
                match input::looks_binary(&mut reader) {
                    Ok(false) => {}
                    Ok(true) => {
                        let note = format!("{name}: binary file, skipped");
                        return Some(Msg::Skipped(note));
                    }
                    Err(e) => {
                        let msg = format!("{name}: cannot read: {e}");
                        return Some(Msg::Unreadable(msg));
                    }
                }
            }
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
    /// Gather the rules that fired for the SARIF log's end.
    sarif: bool,
    max: usize,
    pool: Option<rayon::ThreadPool>,
}

/// The results of consecutive posts, their output bytes in one buffer:
/// reused from batch to batch with one job, one per split of a batch on
/// the pool, so a post's output costs no allocation of its own.
#[derive(Default)]
struct Rendered {
    buf: Vec<u8>,
    items: Vec<Item>,
}

/// One post's result: where its bytes end in the buffer, or the error
/// line in their place.
struct Item {
    decision: Option<Decision>,
    out: Result<usize, String>,
    /// SARIF `rules` entries of the rules that fired.
    rules: Vec<(String, Value)>,
}

impl Rendered {
    fn clear(&mut self) {
        self.buf.clear();
        self.items.clear();
    }

    fn error(&mut self, msg: String) {
        let item = Item { decision: None, out: Err(msg), rules: Vec::new() };
        self.items.push(item);
    }
}

impl Screen {
    /// Screens one post and renders its result into `r`.
    fn one(&self, post: &Post, text: Result<&str, &str>, r: &mut Rendered) {
        let text = match text {
            Ok(t) => t,
            Err(msg) => return r.error(format!("{}: {msg}", post.at())),
        };
        match self.screener.screen(text) {
            Ok(v) => {
                // Writing to a Vec cannot fail.
                let _ = self.printer.verdict(&mut r.buf, post, text, &v);
                let rules = if self.sarif {
                    sarif::descriptors(&v)
                } else {
                    Vec::new()
                };
                let decision = Some(v.decision());
                let out = Ok(r.buf.len());
                r.items.push(Item { decision, out, rules });
            }
            Err(e) => r.error(format!("{}: {e}", post.at())),
        }
    }

    /// Renders one line's post into `r` (nothing for a skipped line).
    fn line(&self, name: &str, b: &Batch, line: &Line, r: &mut Rendered) {
        if let Some((post, text)) =
            input::post(name, self.jsonl, self.max, line, &b.data)
        {
            self.one(&post, text.as_deref().map_err(String::as_str), r);
        }
    }

    /// A batch's results on the pool, in its order: one buffer per split
    /// of the batch (a split can be one long post or many short ones).
    fn batch_on(
        &self,
        pool: &rayon::ThreadPool,
        name: &str,
        b: &Batch,
    ) -> Vec<Rendered> {
        pool.install(|| {
            b.lines
                .par_iter()
                .fold(Rendered::default, |mut r, line| {
                    self.line(name, b, line, &mut r);
                    r
                })
                .collect()
        })
    }
}

/// Where results go: stdout in order, errors to stderr in between.
struct Sink<W: Write> {
    out: W,
    worst: Decision,
    fail_on: FailOn,
    /// Print `counts` on stderr at the end (`--stats`).
    stats: bool,
    counts: Counts,
    /// Standard output is gone (`| head`): stop quietly.
    stopped: bool,
    progress: Option<Progress>,
    /// The SARIF log being written, the policy's fingerprint and packs.
    sarif: Option<(sarif::Run, String, Vec<String>)>,
}

impl<W: Write> Sink<W> {
    /// Writes what comes before the first post's output.
    fn start(&mut self) {
        if self.sarif.is_some() {
            self.write(sarif::HEAD.as_bytes());
        }
    }

    fn run(&mut self, screen: &Screen, msgs: impl IntoIterator<Item = Msg>) {
        // One job renders every batch into this one buffer.
        let mut r = Rendered::default();
        for msg in msgs {
            match msg {
                Msg::Batch(name, b) => {
                    match &screen.pool {
                        Some(pool) => {
                            for mut part in screen.batch_on(pool, &name, &b) {
                                self.emit_all(&mut part);
                            }
                        }
                        None => {
                            r.clear();
                            for line in &b.lines {
                                screen.line(&name, &b, line, &mut r);
                            }
                            self.emit_all(&mut r);
                        }
                    }
                    if self.stopped {
                        return;
                    }
                    if b.drained {
                        self.flush();
                    }
                    self.counts.bytes += b.bytes;
                }
                Msg::Whole(name, text, size) => {
                    let post = Post::whole(&name);
                    let text = text.as_deref().map_err(String::as_str);
                    r.clear();
                    screen.one(&post, text, &mut r);
                    self.emit_all(&mut r);
                    self.counts.bytes += size;
                }
                Msg::Unreadable(msg) => self.error(msg),
                Msg::Skipped(note) => {
                    self.clear_progress();
                    crate::note(note);
                }
            }
            if self.stopped {
                return;
            }
            if let Some(p) = &mut self.progress {
                p.tick(&self.counts);
            }
        }
    }

    /// Emits rendered results in order (none once output is gone).
    fn emit_all(&mut self, r: &mut Rendered) {
        let mut start = 0;
        for item in r.items.drain(..) {
            if self.stopped {
                return;
            }
            let end = *item.out.as_ref().unwrap_or(&start);
            self.emit(item, &r.buf[start..end]);
            start = end;
        }
    }

    fn emit(&mut self, item: Item, bytes: &[u8]) {
        self.counts.post(item.decision);
        if let Some(d) = item.decision {
            self.worst = self.worst.max(d);
        }
        if let Err(msg) = item.out {
            return self.error(msg);
        }
        if let Some((run, ..)) = &mut self.sarif {
            run.rules(item.rules);
            if bytes.is_empty() {
                return;
            }
            let comma = std::mem::replace(&mut run.any_result, true);
            if comma {
                self.write(b",");
            }
        }
        self.write(bytes);
    }

    fn write(&mut self, bytes: &[u8]) {
        if self.stopped {
            return;
        }
        if let Err(e) = self.out.write_all(bytes) {
            self.write_failed(&e);
        }
    }

    /// Reports an error about one input, after the results so far.
    fn error(&mut self, msg: impl std::fmt::Display) {
        self.flush();
        self.clear_progress();
        if let Some((run, ..)) = &mut self.sarif {
            run.error(msg.to_string());
        }
        error(msg);
        self.counts.errors += 1;
    }

    fn clear_progress(&mut self) {
        if let Some(p) = &mut self.progress {
            p.clear();
        }
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
            self.counts.errors += 1;
        }
        self.stopped = true;
    }

    /// Ends the output and gives the exit status.
    fn finish(mut self) -> u8 {
        if let Some((run, fingerprint, packs)) = self.sarif.take() {
            self.write(run.tail(&fingerprint, &packs).as_bytes());
        }
        self.flush();
        self.clear_progress();
        if self.stats {
            crate::note(format_args!("stats: {}", self.counts.summary()));
        }
        if self.counts.errors > 0 {
            return EXIT_ERROR;
        }
        let fails = match self.fail_on {
            FailOn::Warn => self.worst,
            FailOn::Block if self.worst == Decision::Block => Decision::Block,
            FailOn::Block | FailOn::Never => Decision::Allow,
        };
        match fails {
            Decision::Allow => 0,
            Decision::Warn => 1,
            Decision::Block => 2,
        }
    }
}
