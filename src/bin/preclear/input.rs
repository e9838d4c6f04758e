//! Turning input files into posts: one per file, one per line, or one per
//! JSON Lines record. Streams: a line-based file is never held in memory
//! whole.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

/// One post to screen, or the error that stands in its place.
pub struct Post {
    pub id: String,
    pub text: Result<String, String>,
    /// Where the post's first line is, for diagnostics: (file, line).
    pub origin: (String, usize),
}

/// Opens `path` (`-` is standard input) for buffered reading.
pub fn open(path: &Path) -> io::Result<Box<dyn BufRead>> {
    if path == Path::new("-") {
        Ok(Box::new(BufReader::with_capacity(1 << 16, io::stdin())))
    } else {
        Ok(Box::new(BufReader::with_capacity(1 << 16, File::open(path)?)))
    }
}

/// The whole of `reader` as one post.
pub fn whole(id: String, mut reader: impl Read) -> Post {
    let origin = (id.clone(), 1);
    let mut bytes = Vec::new();
    let text = match reader.read_to_end(&mut bytes) {
        Ok(_) => {
            utf8(bytes).map_err(|at| format!("invalid UTF-8 at byte {at}"))
        }
        Err(e) => Err(format!("cannot read: {e}")),
    };
    Post { id, text, origin }
}

/// The text, or the offset of its first invalid byte.
fn utf8(bytes: Vec<u8>) -> Result<String, usize> {
    String::from_utf8(bytes).map_err(|e| e.utf8_error().valid_up_to())
}

/// Calls `each` with every line of `reader` as a post (`lines` input) or
/// every JSON record (`jsonl`), in order. Stops early when `each` returns
/// false. A read error ends the file with an error post.
pub fn lines(
    name: &str,
    mut reader: impl BufRead,
    jsonl: bool,
    mut each: impl FnMut(Post) -> bool,
) {
    let mut buf = Vec::new();
    let mut number = 0usize;
    let mut offset = 0usize;
    loop {
        buf.clear();
        let n = match reader.read_until(b'\n', &mut buf) {
            Ok(0) => return,
            Ok(n) => n,
            Err(e) => {
                each(Post {
                    id: format!("{name}:{}", number + 1),
                    text: Err(format!("cannot read: {e}")),
                    origin: (name.to_string(), number + 1),
                });
                return;
            }
        };
        number += 1;
        let line_offset = offset;
        offset += n;
        while buf.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
            buf.pop();
        }
        let post = if jsonl {
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            record(name, number, line_offset, &buf)
        } else {
            let text = utf8(std::mem::take(&mut buf)).map_err(|at| {
                format!(
                    "invalid UTF-8 at byte {at} of the line (byte {} of the \
                     file)",
                    line_offset + at
                )
            });
            Post {
                id: format!("{name}:{number}"),
                text,
                origin: (name.to_string(), number),
            }
        };
        if !each(post) {
            return;
        }
    }
}

/// One JSON Lines record `{"id": …, "text": …}`.
fn record(name: &str, number: usize, line_offset: usize, line: &[u8]) -> Post {
    #[derive(serde::Deserialize)]
    struct Record {
        id: Option<serde_json::Value>,
        text: String,
    }
    let fallback = format!("{name}:{number}");
    let origin = (name.to_string(), number);
    if let Err(e) = std::str::from_utf8(line) {
        let at = e.valid_up_to();
        return Post {
            id: fallback,
            origin,
            text: Err(format!(
                "invalid UTF-8 at byte {at} of the line (byte {} of the file)",
                line_offset + at
            )),
        };
    }
    match serde_json::from_slice::<Record>(line) {
        Ok(r) => {
            let id = match r.id {
                Some(serde_json::Value::String(s)) => s,
                Some(serde_json::Value::Null) | None => fallback,
                Some(other) => other.to_string(),
            };
            // Spans are offsets into the record's text: show it as its own
            // source, named by its id.
            Post { origin: (id.clone(), 1), id, text: Ok(r.text) }
        }
        // serde's message can quote the record's values (a card number
        // where the text should be): say where and what kind, not what.
        Err(e) => Post {
            id: fallback,
            origin,
            text: Err(format!(
                "invalid JSON input at column {}: {}",
                e.column(),
                match e.classify() {
                    serde_json::error::Category::Data => {
                        "expected {\"id\": ..., \"text\": \"...\"} with a \
                         string text"
                    }
                    serde_json::error::Category::Eof => "unexpected end",
                    _ => "syntax error",
                }
            )),
        },
    }
}
