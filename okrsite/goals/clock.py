"""What day it is, for a site shown as of today: apart from the stages, so that a build with nothing
changed (cache.py) asks it without importing them."""

from __future__ import annotations

from datetime import date, datetime, timezone


def today(now: datetime | None = None) -> date:
    """The day a site is shown as of when nothing says otherwise: the later of the local date and the
    UTC date. A check-in is dated by its commit's UTC day (git.history), so west of UTC an evening's
    check-in falls on the UTC date of tomorrow; counting to the later day keeps it on the page."""
    moment = now or datetime.now(timezone.utc)
    return max(moment.astimezone().date(), moment.astimezone(timezone.utc).date())
