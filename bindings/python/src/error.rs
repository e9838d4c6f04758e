//! `preclear.Error`: the core `Error` as a Python exception, with its kind
//! and position as attributes.

use pyo3::create_exception;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyType;

create_exception!(
    preclear,
    Error,
    PyValueError,
    "A preclear error: a broken pack, a bad argument, a post over the size \
     limit. str(e) is the one-line message (pack, line, column and rule \
     first); .kind names the kind (\"toml\", \"invalid_pack\", \"regex\", \
     \"limit\"…); .pack, .rule, .line and .column locate it, or are None."
);

/// The attributes every `preclear.Error` has, with their class defaults
/// (so an `Error` raised from Python code has them too).
const FIELDS: [&str; 5] = ["kind", "pack", "rule", "line", "column"];

pub(crate) fn add_defaults(error: &Bound<'_, PyType>) -> PyResult<()> {
    for field in FIELDS {
        error.setattr(field, error.py().None())?;
    }
    Ok(())
}

/// A `preclear.Error` with the message `prefix` + the error's line, and
/// its kind and position as attributes.
fn raise(py: Python<'_>, e: &preclear::Error, prefix: &str) -> PyErr {
    let err = Error::new_err(format!("{prefix}{e}"));
    let value = err.value(py);
    let set = || -> PyResult<()> {
        value.setattr("kind", e.kind().name())?;
        value.setattr("pack", e.pack())?;
        value.setattr("rule", e.rule())?;
        value.setattr("line", e.line())?;
        value.setattr("column", e.column())?;
        Ok(())
    };
    // Setting attributes on a fresh exception cannot fail short of
    // running out of memory, and then that error is the one to raise.
    match set() {
        Ok(()) => err,
        Err(other) => other,
    }
}

/// The core error as a `preclear.Error`.
pub(crate) fn to_py(py: Python<'_>, e: &preclear::Error) -> PyErr {
    raise(py, e, "")
}

/// Why one post could not be screened.
#[derive(Debug)]
pub(crate) enum PostError {
    /// Not a `str` (a `TypeError`, not a `preclear.Error`).
    Type(String),
    /// A lone surrogate at this index: not encodable as UTF-8.
    Surrogate(Option<usize>),
    /// What the screener said (a post over the size limit).
    Screen(preclear::Error),
}

impl PostError {
    /// The Python exception; `index` is the post's place in a batch.
    pub(crate) fn into_py(
        self,
        py: Python<'_>,
        index: Option<usize>,
    ) -> PyErr {
        let prefix = match index {
            Some(i) => format!("texts[{i}]: "),
            None => String::new(),
        };
        match self {
            PostError::Type(message) => {
                PyTypeError::new_err(format!("{prefix}{message}"))
            }
            PostError::Surrogate(at) => {
                let at =
                    at.map(|i| format!(" at index {i}")).unwrap_or_default();
                let err = Error::new_err(format!(
                    "{prefix}text has a lone surrogate{at}, which UTF-8 \
                     cannot encode"
                ));
                // Always a fresh exception with settable attributes.
                let _ = err.value(py).setattr("kind", "utf8");
                err
            }
            PostError::Screen(e) => raise(py, &e, &prefix),
        }
    }
}
