"""Author command: `okrsite digest`, what moved in a window of days, what will miss and who to nudge,
printed for CI to post to chat or mail (issue 17). `model` finds the differences, `words` says them,
`formats` marks them up."""

from __future__ import annotations

from .formats import FORMATS, render
from .model import AUDIENCES, Digest, DigestError, DigestResult, disclosure, make_digest, window

__all__ = ["AUDIENCES", "FORMATS", "Digest", "DigestError", "DigestResult", "disclosure", "make_digest", "render", "window"]
