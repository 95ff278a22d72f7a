"""Work in forked workers (web/parallel.py)."""

from __future__ import annotations

import time

import pytest

from okrsite.web import parallel

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="workers are forked")


def test_workers_run_at_most_a_few_spans_ahead_of_the_build():
    """Pages a worker has rendered wait in the build's memory until it takes them: a worker may start a
    span only once the build has taken the one AHEAD spans per worker before it, however slowly the
    build writes (at 10,000 objectives, an unbounded queue held some 60 MB of pages)."""
    spans = [(n, n + 1) for n in range(30)]
    taken, started = {}, {}
    for n, (span, began) in enumerate(parallel.in_workers(lambda span: (span, time.monotonic()), spans, 2)):
        assert span == spans[n]  # in order
        started[n], taken[n] = began, time.monotonic()
        time.sleep(0.002)
    window = 2 * parallel.AHEAD + 1  # the next span is asked for as the build takes one, before it has it
    assert all(started[n] > taken[n - window] for n in range(window, len(spans)))
