"""Screen social-media posts against a compliance policy before they are
published: allow, warn or block, with the reasons.

    >>> import preclear
    >>> policy = preclear.Policy().add_bundled("financial-institution")
    >>> screener = preclear.Screener(policy, now="2026-12-01")
    >>> v = screener.screen("Please charge card 4111 1111 1111 1111 today")
    >>> v.decision, v.reasons[0].rule, v.reasons[0].start
    ('block', 'pii.payment-card', 19)

A `Screener` is immutable and may be shared by any number of threads;
`screen` and `screen_many` release the GIL while they work.
"""

from ._preclear import (
    Error,
    Policy,
    Reason,
    Screener,
    Suggestion,
    Verdict,
    __version__,
    bundled_packs,
)

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
