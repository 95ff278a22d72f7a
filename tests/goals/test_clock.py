"""okrsite/goals/clock.py: what day a site shown as of today is."""

import time
from datetime import date, datetime

import pytest

from okrsite.goals.clock import today


@pytest.mark.parametrize("zone, moment, day", [
    ("Etc/GMT+8", "2026-12-03T04:00:00+00:00", date(2026, 12, 3)),   # 20:00 on 2 December in California: the UTC day
    ("Etc/GMT-9", "2026-12-02T20:00:00+00:00", date(2026, 12, 3)),   # 05:00 on 3 December in Tokyo: the local day
    ("UTC", "2026-12-02T23:59:59+00:00", date(2026, 12, 2)),
])
def test_today_is_the_later_of_the_local_and_the_utc_date(monkeypatch, zone, moment, day):
    """A check-in is dated by its commit's UTC day: a site shown as of today must count the one just
    made, also west of UTC in the evening, when the UTC date is already tomorrow."""
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        assert today(datetime.fromisoformat(moment)) == day
    finally:
        monkeypatch.undo()
        time.tzset()
