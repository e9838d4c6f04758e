//! Turning input files into posts: one per file, one per line, or one per
//! JSON Lines record. Streams: a line-based file is read in bounded batches
//! and never held in memory whole; neither is an over-long line or file.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

/// Where a post comes from, for its id and its diagnostics. Borrows what
/// it can: a JSON record with an id of its own allocates nothing here
/// (its error-line name is built only for an error); other posts format
/// `FILE:LINE` as their id.
pub struct Post<'a> {
    /// A JSON record's own id (borrowed when it has no escapes), else
    /// `FILE:LINE`, or `FILE` for a whole file.
    pub id: Cow<'a, str>,
    /// The input file the post came from (`-` for standard input)…
    pub file: &'a str,
    /// …and the line it starts on there…
    pub line: usize,
    /// …and its first byte's offset, when the post's bytes are the file's
    /// (not for a JSON record, whose text is decoded).
    pub offset: Option<u64>,
    /// How error lines name it.
    pub at: At,
}

/// How an error line names a post.
#[derive(Clone, Copy)]
pub enum At {
    /// `FILE`: a whole file.
    File,
    /// `FILE:LINE`.
    Line,
    /// `FILE:LINE (id "…")`: a JSON record that gave its id.
    Record,
}

impl Post<'_> {
    /// A whole file as one post.
    pub fn whole(name: &str) -> Post<'_> {
        Post {
            id: Cow::Borrowed(name),
            file: name,
            line: 1,
            offset: Some(0),
            at: At::File,
        }
    }

    /// Where it is, for error lines: `FILE`, or `FILE:LINE` and the id a
    /// JSON record gave.
    pub fn at(&self) -> String {
        let (file, line) = (self.file, self.line);
        match self.at {
            At::File => file.to_string(),
            At::Line => format!("{file}:{line}"),
            At::Record => format!("{file}:{line} (id {:?})", self.id),
        }
    }

    /// Where the post's first line is, for diagnostics: the file's line,
    /// or line 1 of a JSON record's text, shown as its own source named by
    /// its id (spans are offsets into that text).
    pub fn origin(&self) -> (&str, usize) {
        match self.offset {
            Some(_) => (self.file, self.line),
            None => (&self.id, 1),
        }
    }
}

/// A readable input, buffered; `Send` so a reader thread can own it.
pub type Source = BufReader<Box<dyn Read + Send>>;

/// Opens `path` (`-` is standard input) for buffered reading.
pub fn open(path: &Path) -> io::Result<Source> {
    let inner: Box<dyn Read + Send> = if path == Path::new("-") {
        Box::new(io::stdin())
    } else {
        Box::new(File::open(path)?)
    };
    Ok(BufReader::with_capacity(1 << 16, inner))
}

/// The whole of `reader` as one post's text. A file over `max` bytes is
/// refused without being held in memory (its size is counted, not kept).
pub fn whole(reader: impl Read, max: usize) -> Result<String, String> {
    let mut bytes = Vec::new();
    let mut limited = reader.take(max as u64 + 1);
    if let Err(e) = limited.read_to_end(&mut bytes) {
        return Err(format!("cannot read at byte {}: {e}", bytes.len()));
    }
    if bytes.len() > max {
        let seen = bytes.len() as u64;
        drop(bytes);
        let rest = io::copy(&mut limited.into_inner(), &mut io::sink())
            .map_err(|e| format!("cannot read: {e}"))?;
        return Err(over_limit(seen + rest, max));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!("invalid UTF-8 at byte {}", e.utf8_error().valid_up_to())
    })
}

/// The library's wording for a post over the limit.
fn over_limit(len: u64, max: usize) -> String {
    format!("post is {len} bytes, over the limit of {max} bytes")
}

/// One line of a line-based input, located in its file.
pub struct Line {
    /// 1-based line number.
    pub number: usize,
    /// Byte offset of the line's start in the file.
    pub offset: u64,
    pub body: Body,
}

pub enum Body {
    /// The line's bytes (without the line break): `data[start..end]` of
    /// its batch.
    Bytes(usize, usize),
    /// A line longer than the reader's cap: its length, its bytes skipped.
    TooLong(u64),
    /// Reading failed here; the rest of the file is lost.
    Failed(String),
}

/// Consecutive lines of one file, their bytes in one buffer.
pub struct Batch {
    pub data: Vec<u8>,
    pub lines: Vec<Line>,
    /// Input bytes the batch covers (line breaks included), for progress.
    pub bytes: u64,
    /// The batch ended because a stream had no more input at hand: its
    /// results should be shown now, not when the output buffer fills.
    pub drained: bool,
}

/// Reads a file as lines, in batches of at most `max_lines` lines or
/// about `max_bytes` bytes. A line longer than `cap` is skipped, not
/// buffered: memory stays bounded whatever the input.
pub struct LineReader {
    reader: Source,
    /// Standard input or a pipe: a batch ends when no input is at hand.
    stream: bool,
    cap: usize,
    number: usize,
    offset: u64,
    done: bool,
}

impl LineReader {
    pub fn new(reader: Source, stream: bool, cap: usize) -> LineReader {
        LineReader { reader, stream, cap, number: 0, offset: 0, done: false }
    }

    /// The next batch; `None` at the end of the file.
    pub fn batch(
        &mut self,
        max_lines: usize,
        max_bytes: usize,
    ) -> Option<Batch> {
        let mut b = Batch {
            data: Vec::new(),
            lines: Vec::new(),
            bytes: 0,
            drained: false,
        };
        while !self.done && b.lines.len() < max_lines {
            if b.data.len() >= max_bytes {
                break;
            }
            // The next read could wait for a slow writer (`tail -f |`):
            // screen what is here first.
            if self.stream
                && !b.lines.is_empty()
                && self.reader.buffer().is_empty()
            {
                b.drained = true;
                break;
            }
            let start = self.offset;
            let body = match self.line(&mut b.data) {
                Ok(Some(body)) => body,
                Ok(None) => {
                    self.done = true;
                    break;
                }
                Err(e) => {
                    self.done = true;
                    Body::Failed(format!(
                        "cannot read at byte {}: {e}",
                        self.offset
                    ))
                }
            };
            self.number += 1;
            b.lines.push(Line { number: self.number, offset: start, body });
            b.bytes += self.offset - start;
        }
        (!b.lines.is_empty()).then_some(b)
    }

    /// Appends the next line (without its line break) to `data`; `None` at
    /// the end of the file.
    fn line(&mut self, data: &mut Vec<u8>) -> io::Result<Option<Body>> {
        let start = data.len();
        let mut len = 0u64;
        let mut any = false;
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    data.truncate(start);
                    return Err(e);
                }
            };
            if chunk.is_empty() {
                if !any {
                    return Ok(None);
                }
                break;
            }
            any = true;
            let (take, end) = match memchr::memchr(b'\n', chunk) {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            let keep = if end { take - 1 } else { take };
            if len + keep as u64 <= self.cap as u64 {
                data.extend_from_slice(&chunk[..keep]);
            } else {
                data.truncate(start);
            }
            len += keep as u64;
            self.reader.consume(take);
            self.offset += take as u64;
            if end {
                break;
            }
        }
        if len > self.cap as u64 {
            return Ok(Some(Body::TooLong(len)));
        }
        if data.last() == Some(&b'\r') {
            data.pop();
        }
        Ok(Some(Body::Bytes(start, data.len())))
    }
}

/// The post a line stands for, and its text or the error in its place;
/// `None` for a blank line of JSON Lines input (skipped).
pub fn post<'a>(
    name: &'a str,
    jsonl: bool,
    max: usize,
    line: &Line,
    data: &'a [u8],
) -> Option<(Post<'a>, Result<Cow<'a, str>, String>)> {
    let number = line.number;
    let fallback = || Post {
        id: Cow::Owned(format!("{name}:{number}")),
        file: name,
        line: number,
        offset: Some(line.offset),
        at: At::Line,
    };
    let bytes = match &line.body {
        Body::Bytes(s, e) => &data[*s..*e],
        Body::TooLong(len) => {
            let msg = if jsonl {
                format!(
                    "record is {len} bytes, too long for a post within \
                     the limit of {max} bytes"
                )
            } else {
                over_limit(*len, max)
            };
            return Some((fallback(), Err(msg)));
        }
        Body::Failed(msg) => return Some((fallback(), Err(msg.clone()))),
    };
    if jsonl && bytes.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let at = e.valid_up_to();
            return Some((
                fallback(),
                Err(format!(
                    "invalid UTF-8 at byte {at} of the line (byte {} of the \
                     file)",
                    line.offset + at as u64
                )),
            ));
        }
    };
    if !jsonl {
        return Some((fallback(), Ok(Cow::Borrowed(text))));
    }
    Some(match crate::record::parse(text) {
        Ok((id, text)) => {
            let post = match id {
                Some(id) => Post {
                    id,
                    file: name,
                    line: number,
                    offset: None,
                    at: At::Record,
                },
                None => Post { offset: None, ..fallback() },
            };
            (post, Ok(text))
        }
        Err(e) => (
            fallback(),
            Err(format!(
                "{e} (line starts at byte {} of the file)",
                line.offset
            )),
        ),
    })
}

/// Whether a file looks binary: a NUL byte in its first buffer, as git
/// and ripgrep decide. Only peeks; nothing is consumed.
pub fn looks_binary(reader: &mut Source) -> io::Result<bool> {
    loop {
        match reader.fill_buf() {
            Ok(chunk) => return Ok(chunk.contains(&0)),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
}
