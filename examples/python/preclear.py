"""A small ctypes client for libpreclear (the C ABI of include/preclear.h).

    from preclear import Policy
    policy = Policy()
    policy.add_bundled("financial-institution")
    screener = policy.screener()
    verdict = screener.screen("Please charge card 4111 1111 1111 1111 today")
    verdict.decision   # "block"
    verdict.reasons    # [Reason(rule="pii.payment-card", ..., start=19, end=38)]

The library (`cargo build --release --features capi`) is found through
$PRECLEAR_LIB, else `libpreclear.so` next to this file's repository's
target/release/, else the system's search path.
Each handle is freed when its Python object is collected (or with close()).
"""

import ctypes
import json
import os
from dataclasses import dataclass

__all__ = ["PreclearError", "Policy", "Screener", "Verdict", "Reason"]

_DECISIONS = {0: "allow", 1: "warn", 2: "block"}


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


def _load():
    path = os.environ.get("PRECLEAR_LIB")
    if not path:
        here = os.path.dirname(os.path.abspath(__file__))
        candidate = os.path.join(here, "..", "..", "target", "release", "libpreclear.so")
        path = candidate if os.path.exists(candidate) else "libpreclear.so"
    lib = ctypes.CDLL(path)
    P = ctypes.c_void_p
    E = ctypes.POINTER(ctypes.c_void_p)
    sig = {
        "preclear_policy_new": (P, []),
        "preclear_policy_add_bundled": (ctypes.c_int, [P, ctypes.c_char_p, E]),
        "preclear_policy_add_toml": (ctypes.c_int, [P, ctypes.c_char_p, ctypes.c_size_t, E]),
        "preclear_policy_add_file": (ctypes.c_int, [P, ctypes.c_char_p, E]),
        "preclear_policy_free": (None, [P]),
        "preclear_screener_new": (P, [P, E]),
        "preclear_screener_free": (None, [P]),
        "preclear_screen": (P, [P, ctypes.c_char_p, ctypes.c_size_t, E]),
        "preclear_verdict_decision": (ctypes.c_int32, [P]),
        "preclear_verdict_score": (ctypes.c_int32, [P]),
        "preclear_verdict_reason_count": (ctypes.c_size_t, [P]),
        "preclear_verdict_reason": (ctypes.c_int, [P, ctypes.c_size_t, ctypes.POINTER(_Reason)]),
        "preclear_verdict_json": (ctypes.c_char_p, [P]),
        "preclear_verdict_free": (None, [P]),
        "preclear_error_message": (ctypes.c_char_p, [P]),
        "preclear_error_free": (None, [P]),
        "preclear_version": (ctypes.c_char_p, []),
    }
    for name, (res, args) in sig.items():
        fn = getattr(lib, name)
        fn.restype = res
        fn.argtypes = args
    return lib


_lib = _load()


class PreclearError(Exception):
    """An error reported by libpreclear (its one-line message)."""


def _call(fn, *args):
    """Calls fn(*args, &err); raises PreclearError when err is set."""
    err = ctypes.c_void_p()
    result = fn(*args, ctypes.byref(err))
    if err.value:
        message = _lib.preclear_error_message(err).decode("utf-8", "replace")
        _lib.preclear_error_free(err)
        raise PreclearError(message)
    return result


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

    def screener(self):
        return Screener(_call(_lib.preclear_screener_new, self._ptr))


class Screener(_Handle):
    """A compiled policy; safe to use from many threads."""

    _free = staticmethod(lambda p: _lib.preclear_screener_free(p))

    def screen(self, text):
        data = text.encode() if isinstance(text, str) else text
        return Verdict(_call(_lib.preclear_screen, self._ptr, data, len(data)))


@dataclass(frozen=True)
class Reason:
    rule: str
    pack: str
    category: str
    message: str
    action: str
    score: int
    start: int  # UTF-8 byte offsets; None when the reason has no span
    end: int


class Verdict(_Handle):
    """The verdict on one post. Values are copied out, so the handle is
    freed right away."""

    _free = staticmethod(lambda p: _lib.preclear_verdict_free(p))

    def __init__(self, ptr):
        super().__init__(ptr)
        self.decision = _DECISIONS[_lib.preclear_verdict_decision(ptr)]
        self.score = _lib.preclear_verdict_score(ptr)
        self.json = json.loads(_lib.preclear_verdict_json(ptr).decode())
        self.reasons = []
        r = _Reason()
        for i in range(_lib.preclear_verdict_reason_count(ptr)):
            if _lib.preclear_verdict_reason(ptr, i, ctypes.byref(r)) != 0:
                raise PreclearError(f"reason {i} is out of range")
            self.reasons.append(
                Reason(
                    rule=r.rule.decode(),
                    pack=r.pack.decode(),
                    category=r.category.decode(),
                    message=r.message.decode(),
                    action=_DECISIONS[r.action],
                    score=r.score,
                    start=None if r.start < 0 else r.start,
                    end=None if r.end < 0 else r.end,
                )
            )
        self.close()
