"""A small ctypes client for libpreclear (the C ABI of include/preclear.h),
for Python programs that load the C library rather than install the
`preclear` package (bindings/python).

    from preclear_ctypes import Options, Policy
    policy = Policy().add_bundled("financial-institution")
    screener = policy.screener(Options(now="2026-12-01"))
    verdict = screener.screen("Please charge card 4111 1111 1111 1111 today")
    verdict.decision   # "block"
    verdict.reasons    # [Reason(rule="pii.payment-card", ..., start=19, end=38)]
    verdict.redacted   # "Please charge card •••• •••• •••• 1111 today"

The library is looked for, in order: $PRECLEAR_LIB (only there, when
set); the repository's target/release/ (`cargo build --release --features
capi`); the loader's search path and the prefix pkg-config knows (`cargo
cinstall`). When none loads, importing raises LibraryNotFound saying what
was tried. Each handle is freed when its Python object is collected (or
with close()).
"""

import ctypes
import ctypes.util
import json
import os
import subprocess
from dataclasses import dataclass

__all__ = [
    "LibraryNotFound",
    "PreclearError",
    "Options",
    "Policy",
    "Screener",
    "Verdict",
    "Reason",
    "version",
]

_DECISIONS = {0: "allow", 1: "warn", 2: "block"}


class LibraryNotFound(ImportError):
    """libpreclear could not be loaded; the message says where it was
    looked for and how to build or install it."""


class _Reason(ctypes.Structure):
    _fields_ = [
        ("rule", ctypes.c_char_p),
        ("pack", ctypes.c_char_p),
        ("category", ctypes.c_char_p),
        ("message", ctypes.c_char_p),
        ("action", ctypes.c_int32),
        ("score", ctypes.c_int32),
        ("start", ctypes.c_int64),
        ("end", ctypes.c_int64),
    ]


_P = ctypes.c_void_p
_E = ctypes.POINTER(ctypes.c_void_p)
_S = ctypes.c_char_p
_N = ctypes.c_size_t
_I = ctypes.c_int
# Functions returning a string the caller frees are declared as returning
# a pointer, so that the pointer survives to be freed.
_SIGNATURES = {
    "preclear_policy_new": (_P, []),
    "preclear_policy_add_bundled": (_I, [_P, _S, _E]),
    "preclear_policy_add_toml": (_I, [_P, _S, _N, _E]),
    "preclear_policy_add_file": (_I, [_P, _S, _E]),
    "preclear_policy_free": (None, [_P]),
    "preclear_options_new": (_P, []),
    "preclear_options_set_now": (_I, [_P, _S, _E]),
    "preclear_options_set_max_post_bytes": (_I, [_P, _N]),
    "preclear_options_set_evasion": (_I, [_P, _I]),
    "preclear_options_set_unmask": (_I, [_P, _I]),
    "preclear_options_free": (None, [_P]),
    "preclear_screener_new_with_options": (_P, [_P, _P, _E]),
    "preclear_screener_free": (None, [_P]),
    "preclear_screen": (_P, [_P, _S, _N, _E]),
    "preclear_verdict_decision": (ctypes.c_int32, [_P]),
    "preclear_verdict_score": (ctypes.c_int32, [_P]),
    "preclear_verdict_reason_count": (_N, [_P]),
    "preclear_verdict_reason": (_I, [_P, _N, ctypes.POINTER(_Reason)]),
    "preclear_verdict_reason_line": (_N, [_P, _N]),
    "preclear_verdict_reason_column": (_N, [_P, _N]),
    "preclear_verdict_reason_excerpt": (_S, [_P, _N]),
    "preclear_verdict_reason_decided_by": (_S, [_P, _N]),
    "preclear_verdict_to_json": (_P, [_P, _S]),
    "preclear_verdict_redact": (_P, [_P, _S, _N, _E]),
    "preclear_string_free": (None, [_P]),
    "preclear_verdict_free": (None, [_P]),
    "preclear_error_message": (_S, [_P]),
    "preclear_error_kind": (_I, [_P]),
    "preclear_error_line": (_N, [_P]),
    "preclear_error_column": (_N, [_P]),
    "preclear_error_pack": (_S, [_P]),
    "preclear_error_rule": (_S, [_P]),
    "preclear_error_free": (None, [_P]),
    "preclear_version": (_S, []),
}

_ERROR_KINDS = {
    1: "invalid_argument",
    2: "toml",
    3: "invalid_pack",
    4: "regex",
    5: "unknown_validator",
    6: "duplicate_rule",
    7: "locked",
    8: "missing_pack",
    9: "cycle",
    10: "io",
    11: "utf8",
    12: "limit",
    13: "internal",
}


def _candidates():
    """Where the library may be, in the order they are tried."""
    if os.environ.get("PRECLEAR_LIB"):
        return [os.environ["PRECLEAR_LIB"]]
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.normpath(os.path.join(here, "..", ".."))
    found = [os.path.join(repo, "target", "release", "libpreclear.so")]
    found.append(ctypes.util.find_library("preclear") or "libpreclear.so.0")
    try:
        libdir = subprocess.run(
            ["pkg-config", "--variable=libdir", "preclear"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        if libdir:
            found.append(os.path.join(libdir, "libpreclear.so.0"))
    except (OSError, subprocess.CalledProcessError):
        pass  # no pkg-config, or no preclear.pc on its path
    return found


def _load():
    tried = []
    for path in _candidates():
        try:
            lib = ctypes.CDLL(path)
        except OSError as e:
            tried.append(f"{path} ({e})")
            continue
        if not hasattr(lib, "preclear_version"):
            tried.append(f"{path} (built without the capi feature: it exports nothing)")
            continue
        for name, (res, args) in _SIGNATURES.items():
            fn = getattr(lib, name)
            fn.restype = res
            fn.argtypes = args
        return lib
    raise LibraryNotFound(
        "libpreclear could not be loaded; tried:\n  "
        + "\n  ".join(tried)
        + "\nBuild it in the repository with `cargo build --release --features capi`, "
        "install it with `cargo cinstall --release --prefix=/usr/local` (cargo-c), "
        "or set PRECLEAR_LIB to the path of libpreclear.so."
    )


_lib = _load()


class PreclearError(ValueError):
    """An error reported by libpreclear: its one-line message, with
    .kind ("toml", "limit", …), .pack, .rule, .line and .column (None
    when unknown)."""

    def __init__(self, err):
        def text(p):
            return p.decode("utf-8", "replace") if p else None

        super().__init__(text(_lib.preclear_error_message(err)))
        self.kind = _ERROR_KINDS.get(_lib.preclear_error_kind(err), "unknown")
        self.pack = text(_lib.preclear_error_pack(err))
        self.rule = text(_lib.preclear_error_rule(err))
        self.line = _lib.preclear_error_line(err) or None
        self.column = _lib.preclear_error_column(err) or None


def _call(fn, *args):
    """Calls fn(*args, &err); raises PreclearError when err is set."""
    err = ctypes.c_void_p()
    result = fn(*args, ctypes.byref(err))
    if err.value:
        try:
            raise PreclearError(err)
        finally:
            _lib.preclear_error_free(err)
    return result


def _take_string(ptr):
    """A string the library made, decoded and freed."""
    try:
        return ctypes.string_at(ptr).decode()
    finally:
        _lib.preclear_string_free(ptr)


def version():
    return _lib.preclear_version().decode()


class _Handle:
    _free = None

    def __init__(self, ptr):
        self._ptr = ptr

    def close(self):
        if self._ptr:
            type(self)._free(self._ptr)
            self._ptr = None

    def __del__(self):
        self.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Options(_Handle):
    """How a screener screens: now ("YYYY-MM-DD"), max_post_bytes, evasion
    and unmask; unset ones keep their defaults."""

    _free = staticmethod(lambda p: _lib.preclear_options_free(p))

    def __init__(self, now=None, max_post_bytes=None, evasion=None, unmask=None):
        super().__init__(_lib.preclear_options_new())
        if now is not None:
            _call(_lib.preclear_options_set_now, self._ptr, now.encode())
        if max_post_bytes is not None:
            _lib.preclear_options_set_max_post_bytes(self._ptr, max_post_bytes)
        if evasion is not None:
            _lib.preclear_options_set_evasion(self._ptr, int(bool(evasion)))
        if unmask is not None:
            _lib.preclear_options_set_unmask(self._ptr, int(bool(unmask)))


class Policy(_Handle):
    """A stack of rule packs, most general first."""

    _free = staticmethod(lambda p: _lib.preclear_policy_free(p))

    def __init__(self):
        super().__init__(_lib.preclear_policy_new())

    def add_bundled(self, name):
        _call(_lib.preclear_policy_add_bundled, self._ptr, name.encode())
        return self

    def add_toml(self, source):
        data = source.encode() if isinstance(source, str) else source
        _call(_lib.preclear_policy_add_toml, self._ptr, data, len(data))
        return self

    def add_file(self, path):
        _call(_lib.preclear_policy_add_file, self._ptr, os.fsencode(path))
        return self

    def screener(self, options=None):
        opts = options._ptr if options is not None else None
        return Screener(_call(_lib.preclear_screener_new_with_options, self._ptr, opts))


class Screener(_Handle):
    """A compiled policy; safe to use from many threads."""

    _free = staticmethod(lambda p: _lib.preclear_screener_free(p))

    def screen(self, text, id="-"):
        data = text.encode() if isinstance(text, str) else text
        return Verdict(_call(_lib.preclear_screen, self._ptr, data, len(data)), data, id)


@dataclass(frozen=True)
class Reason:
    rule: str
    pack: str
    decided_by: str
    category: str
    message: str
    action: str
    score: int
    start: int  # UTF-8 byte offsets; None when the reason has no span
    end: int
    line: int  # 1-based; None when the reason has no span
    column: int
    excerpt: str


class Verdict(_Handle):
    """The verdict on one post. Values are copied out (the JSON line with
    the given id, the redacted post), so the handle is freed right away."""

    _free = staticmethod(lambda p: _lib.preclear_verdict_free(p))

    def __init__(self, ptr, post, id):
        super().__init__(ptr)
        self.decision = _DECISIONS[_lib.preclear_verdict_decision(ptr)]
        self.score = _lib.preclear_verdict_score(ptr)
        self.json = json.loads(_take_string(_lib.preclear_verdict_to_json(ptr, id.encode())))
        try:
            red = _call(_lib.preclear_verdict_redact, ptr, post, len(post))
            self.redacted = _take_string(red)
        except PreclearError:
            self.redacted = None  # a post with a NUL byte: no C string for it
        self.reasons = [self._reason(i) for i in range(_lib.preclear_verdict_reason_count(ptr))]
        self.close()

    def _reason(self, i):
        r = _Reason()
        ptr = self._ptr
        if _lib.preclear_verdict_reason(ptr, i, ctypes.byref(r)) != 0:
            raise IndexError(f"reason {i} is out of range")
        excerpt = _lib.preclear_verdict_reason_excerpt(ptr, i)
        return Reason(
            rule=r.rule.decode(),
            pack=r.pack.decode(),
            decided_by=_lib.preclear_verdict_reason_decided_by(ptr, i).decode(),
            category=r.category.decode(),
            message=r.message.decode(),
            action=_DECISIONS[r.action],
            score=r.score,
            start=None if r.start < 0 else r.start,
            end=None if r.end < 0 else r.end,
            line=_lib.preclear_verdict_reason_line(ptr, i) or None,
            column=_lib.preclear_verdict_reason_column(ptr, i) or None,
            excerpt=excerpt.decode() if excerpt else None,
        )
