"""What day it is, for a site shown as of today: apart from the stages, so that a build with nothing
changed (cache.py) asks it without importing them."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone


def today(now: datetime | None = None) -> date:
    """The day a site is shown as of when nothing says otherwise: the later of the local date and the
    UTC date. A check-in is dated by its commit's UTC day (git.history), so west of UTC an evening's
    check-in falls on the UTC date of tomorrow; counting to the later day keeps it on the page."""
    moment = now or datetime.now(timezone.utc)
    return max(moment.astimezone().date(), moment.astimezone(timezone.utc).date())


_WRITTEN_DAY = re.compile(r"\s*(\d{4}-\d{2}-\d{2})\s*", re.ASCII)


def written_day(text: str) -> date | None:
    """A date written YYYY-MM-DD (spaces around it allowed), as the docs say dates are written; None for
    anything else, 20280229 and 2028-W09-2 too, which Python's ISO reader takes. Here, apart from the
    stages, for the command line's --as-of on a build with nothing changed."""
    match = _WRITTEN_DAY.fullmatch(text)
    if match is None:
        return None
    try:
        return date.fromisoformat(match[1])
    except ValueError:
        return None
