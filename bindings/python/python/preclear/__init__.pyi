"""Type stubs for preclear (the extension module preclear._preclear)."""

import datetime
import os
from typing import Iterable, List, Literal, Optional, Union

__version__: str
__all__ = [
    "Error",
    "Policy",
    "Reason",
    "Screener",
    "Suggestion",
    "Verdict",
    "__version__",
    "bundled_packs",
]

Decision = Literal["allow", "warn", "block"]

class Error(ValueError):
    """A preclear error. str(e) is the one-line message."""

    kind: Optional[str]
    """"toml", "invalid_pack", "regex", "unknown_validator",
    "duplicate_rule", "locked", "missing_pack", "cycle", "io", "utf8",
    "invalid_argument" or "limit"."""
    pack: Optional[str]
    """The pack (file path, the name given to add_toml, or bundled:NAME)."""
    rule: Optional[str]
    """The id of the rule the error is about."""
    line: Optional[int]
    """1-based line in the pack."""
    column: Optional[int]
    """1-based column (in characters) in the pack."""

def bundled_packs() -> List[str]:
    """The names of the packs bundled with preclear."""

class Policy:
    """An ordered stack of rule packs, most general first."""

    def __init__(self) -> None: ...
    def add_bundled(self, name: str) -> "Policy":
        """Adds a bundled pack (and what it extends); returns the policy."""
    def add_file(self, path: Union[str, "os.PathLike[str]"]) -> "Policy":
        """Adds a pack file (and what it extends); returns the policy."""
    def add_toml(self, name: str, text: str) -> "Policy":
        """Adds a pack from TOML text, named `name` in errors."""
    @property
    def packs(self) -> List[str]:
        """name@version of each pack, most general first."""
    @property
    def fingerprint(self) -> str:
        """SHA-256 of the packs' names, versions and content, in order."""

class Screener:
    """A compiled policy: immutable, safe to share between threads."""

    def __init__(
        self,
        policy: Policy,
        *,
        now: Union[str, datetime.date, None] = None,
        evasion: bool = True,
        max_post_bytes: Optional[int] = None,
        unmask: bool = False,
    ) -> None: ...
    def screen(self, text: str) -> "Verdict":
        """Screens one post (the GIL is released while it runs)."""
    def screen_many(self, texts: Iterable[str]) -> List["Verdict"]:
        """Screens many posts on every core; verdicts in input order."""
    @property
    def packs(self) -> List[str]: ...
    @property
    def fingerprint(self) -> str: ...
    @property
    def max_post_bytes(self) -> int: ...

class Verdict:
    """The answer for one post."""

    @property
    def decision(self) -> Decision: ...
    @property
    def score(self) -> int: ...
    @property
    def fingerprint(self) -> str: ...
    @property
    def packs(self) -> List[str]: ...
    @property
    def reasons(self) -> List["Reason"]: ...
    def to_json(self, id: str = "-") -> str:
        """The JSON line `preclear check --format json` prints."""
    def redact(self) -> str:
        """The post with masked findings replaced by "•" (last four kept)."""

class Reason:
    """A rule that fired, where, and why."""

    @property
    def rule(self) -> str: ...
    @property
    def pack(self) -> str: ...
    @property
    def decided_by(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def action(self) -> Decision: ...
    @property
    def score(self) -> int: ...
    @property
    def message(self) -> str: ...
    @property
    def start(self) -> Optional[int]:
        """str index of the hit's start: text[start:end] is the hit."""
    @property
    def end(self) -> Optional[int]: ...
    @property
    def byte_start(self) -> Optional[int]:
        """UTF-8 byte offset of the hit's start (the JSON's "start")."""
    @property
    def byte_end(self) -> Optional[int]: ...
    @property
    def line(self) -> Optional[int]: ...
    @property
    def column(self) -> Optional[int]:
        """1-based, in characters."""
    @property
    def excerpt(self) -> Optional[str]: ...
    @property
    def suggestion(self) -> Optional["Suggestion"]:
        """What the rule suggests writing instead (the JSON's
        "suggestion"), or None when the rule has no `suggest`."""

class Suggestion:
    """A rule's suggestion: a hint for a person, or a replacement for the
    hit. Compares equal to another with the same kind and text."""

    @property
    def kind(self) -> Literal["hint", "replace"]: ...
    @property
    def text(self) -> str:
        """The hint, or the text that replaces the hit."""
