//! `preclear` for Python: a PyO3 extension over the core crate.
//!
//! `Policy` stacks packs, `Screener` is the compiled, immutable policy
//! (screening releases the GIL, `screen_many` uses every core), and
//! `Verdict`/`Reason` carry what the Rust types say, with spans also in
//! Python string indices. Every error is a `preclear.Error`.

mod error;
mod verdict;

use std::path::PathBuf;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyString, PyType};
use rayon::prelude::*;

use crate::error::{Error, PostError};
use crate::verdict::{Reason, Suggestion, Verdict};

/// An ordered stack of rule packs, most general first.
///
/// `add_*` return the policy, so calls chain; a failed `add_*` raises
/// `preclear.Error` and leaves the policy as it was.
#[pyclass(module = "preclear")]
struct Policy {
    inner: preclear::Policy,
}

#[pymethods]
impl Policy {
    #[new]
    fn new() -> Policy {
        Policy { inner: preclear::Policy::new() }
    }

    /// Adds a pack bundled with preclear (and what it extends).
    fn add_bundled<'py>(
        mut slf: PyRefMut<'py, Self>,
        name: &str,
    ) -> PyResult<PyRefMut<'py, Self>> {
        let py = slf.py();
        slf.inner.add_bundled(name).map_err(|e| error::to_py(py, &e))?;
        Ok(slf)
    }

    /// Adds a pack file (and what it extends, relative to the file).
    fn add_file<'py>(
        mut slf: PyRefMut<'py, Self>,
        path: PathBuf,
    ) -> PyResult<PyRefMut<'py, Self>> {
        let py = slf.py();
        slf.inner.add_file(path).map_err(|e| error::to_py(py, &e))?;
        Ok(slf)
    }

    /// Adds a pack from TOML text; `name` names it in errors.
    fn add_toml<'py>(
        mut slf: PyRefMut<'py, Self>,
        name: &str,
        text: &str,
    ) -> PyResult<PyRefMut<'py, Self>> {
        let py = slf.py();
        slf.inner.add_toml(name, text).map_err(|e| error::to_py(py, &e))?;
        Ok(slf)
    }

    /// `name@version` of each pack, most general first.
    #[getter]
    fn packs(&self) -> Vec<String> {
        self.inner.pack_labels()
    }

    /// The policy's fingerprint (SHA-256 of the packs, in order).
    #[getter]
    fn fingerprint(&self) -> String {
        self.inner.fingerprint()
    }

    fn __repr__(&self) -> String {
        format!("Policy({:?})", self.inner.pack_labels())
    }
}

/// A compiled policy: immutable, safe to share between threads.
#[pyclass(module = "preclear", frozen)]
struct Screener {
    inner: preclear::Screener,
}

#[pymethods]
impl Screener {
    /// Compiles `policy`. `now` (a `YYYY-MM-DD` string or a
    /// `datetime.date`) is the date dated rules are checked against
    /// (default: today, UTC, at each screening); `evasion=False` matches
    /// the text as written only; `max_post_bytes` is the largest post
    /// accepted (default 10 MiB); `unmask=True` shows masked values.
    #[new]
    #[pyo3(signature = (policy, *, now = None, evasion = true, max_post_bytes = None, unmask = false))]
    fn new(
        py: Python<'_>,
        policy: PyRef<'_, Policy>,
        now: Option<&Bound<'_, PyAny>>,
        evasion: bool,
        max_post_bytes: Option<usize>,
        unmask: bool,
    ) -> PyResult<Screener> {
        let mut builder = preclear::ScreenerBuilder::new();
        builder.evasion(evasion).reveal_masked(unmask);
        if let Some(now) = now {
            builder.now(date(now)?);
        }
        if let Some(bytes) = max_post_bytes {
            builder.max_post_bytes(bytes);
        }
        let policy = &policy.inner;
        // A large policy can take a while to compile: let Python run.
        let built = py.detach(|| builder.build(policy));
        let inner = built.map_err(|e| error::to_py(py, &e))?;
        Ok(Screener { inner })
    }

    /// Screens one post. Raises `preclear.Error` (kind `"limit"`) for a
    /// post over `max_post_bytes`.
    fn screen(
        &self,
        py: Python<'_>,
        text: &Bound<'_, PyAny>,
    ) -> PyResult<Verdict> {
        let text = post_text(text).map_err(|e| e.into_py(py, None))?;
        let screened = py.detach(|| Verdict::screen(&self.inner, text));
        screened.map_err(|e| e.into_py(py, None))
    }

    /// Screens every text of an iterable, on all cores with the GIL
    /// released; the verdicts are in input order. The first failing text
    /// raises `preclear.Error`, its message starting `texts[INDEX]: `.
    fn screen_many(
        &self,
        py: Python<'_>,
        texts: &Bound<'_, PyAny>,
    ) -> PyResult<Vec<Verdict>> {
        if texts.is_instance_of::<PyString>() {
            return Err(PyTypeError::new_err(
                "screen_many takes an iterable of str, not one str: use screen()",
            ));
        }
        let mut posts = Vec::new();
        for (i, item) in texts.try_iter()?.enumerate() {
            posts.push(post_text(&item?).map_err(|e| e.into_py(py, Some(i)))?);
        }
        let screener = &self.inner;
        let results: Vec<Result<Verdict, PostError>> = py.detach(|| {
            posts
                .into_par_iter()
                .map(|t| Verdict::screen(screener, t))
                .collect()
        });
        results
            .into_iter()
            .enumerate()
            .map(|(i, r)| r.map_err(|e| e.into_py(py, Some(i))))
            .collect()
    }

    /// `name@version` of each pack, most general first.
    #[getter]
    fn packs(&self) -> Vec<String> {
        self.inner.packs().to_vec()
    }

    /// The fingerprint of the compiled policy.
    #[getter]
    fn fingerprint(&self) -> &str {
        self.inner.fingerprint()
    }

    /// The largest post `screen` accepts, in bytes.
    #[getter]
    fn max_post_bytes(&self) -> usize {
        self.inner.max_post_bytes()
    }

    fn __repr__(&self) -> String {
        format!("Screener({:?})", self.inner.packs())
    }
}

/// A post's text as UTF-8. A `str` holding a lone surrogate (which no
/// UTF-8 can encode) is a `PostError`, located by its index.
fn post_text(text: &Bound<'_, PyAny>) -> Result<String, PostError> {
    let s = text.cast::<PyString>().map_err(|_| {
        PostError::Type(format!(
            "a post is a str, not {}",
            text.get_type().name().map(|n| n.to_string()).unwrap_or_default()
        ))
    })?;
    s.to_cow().map(|c| c.into_owned()).map_err(|e| {
        let py = text.py();
        let index =
            e.value(py).getattr("start").and_then(|i| i.extract()).ok();
        PostError::Surrogate(index)
    })
}

/// A `YYYY-MM-DD` string, a `datetime.date` or a `datetime.datetime`
/// (its own date).
fn date(value: &Bound<'_, PyAny>) -> PyResult<preclear::Date> {
    let py = value.py();
    let text: String = if value.is_instance_of::<PyString>() {
        value.extract()?
    } else {
        let datetime = py.import("datetime")?;
        let dt_type = datetime.getattr("datetime")?.cast_into::<PyType>()?;
        let date_type = datetime.getattr("date")?.cast_into::<PyType>()?;
        let value = if value.is_instance(&dt_type)? {
            value.call_method0("date")?
        } else if value.is_instance(&date_type)? {
            value.clone()
        } else {
            return Err(PyTypeError::new_err(
                "now is a 'YYYY-MM-DD' str or a datetime.date",
            ));
        };
        value.call_method0("isoformat")?.extract()?
    };
    text.parse().map_err(|e| error::to_py(py, &e))
}

/// The names of the packs bundled with preclear.
#[pyfunction]
fn bundled_packs() -> Vec<&'static str> {
    preclear::bundled_names().collect()
}

/// Screens social-media posts against a compliance policy: allow, warn or
/// block, with the reasons.
#[pymodule]
fn _preclear(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<Policy>()?;
    m.add_class::<Screener>()?;
    m.add_class::<Verdict>()?;
    m.add_class::<Reason>()?;
    m.add_class::<Suggestion>()?;
    m.add_function(wrap_pyfunction!(bundled_packs, m)?)?;
    let error = py.get_type::<Error>();
    error::add_defaults(&error)?;
    m.add("Error", error)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
