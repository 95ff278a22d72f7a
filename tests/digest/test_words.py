"""The digest in words (okrsite/digest/words.py): the summary sentence says what happened, in every format."""

from __future__ import annotations

import json
from datetime import date

import pytest

from okrsite.digest.formats import render
from okrsite.digest.model import CheckIn, Digest, KRMove, ObjectiveMoves, Ref, Window
from okrsite.digest.words import summary


def _ref(ident: str) -> Ref:
    return Ref(ident, ident.replace("-", " ").capitalize(), f"objectives/{ident}/", None)


def _move(ident: str, check_ins: int = 0, kpi: str | None = None) -> KRMove:
    dated = tuple(CheckIn(date(2026, 11, 18 + n), 40 + n, "Ann Lee", "", None) for n in range(check_ins))
    return KRMove(ident, ident, "numeric", None, "", 30, 40, 0.3, 0.4, dated, True, kpi)


def _moves(ident: str, *moves: KRMove) -> ObjectiveMoves:
    return ObjectiveMoves(_ref(ident), "Sales", 0.3, 0.4, moves)


def _digest(*moves: ObjectiveMoves) -> Digest:
    return Digest("OKRs", Window(date(2026, 11, 17), date(2026, 11, 23)), "internal", None, moves, (), (), (), (), ())


@pytest.mark.parametrize("moves, said", [
    ((_moves("grow", _move("a", 1)), _moves("mrr", _move("b", kpi="mrr"))),
     "1 check-in on 1 objective; 1 objective moved by KPI values."),
    ((_moves("grow", _move("a", 2), _move("b", kpi="mrr")), _moves("mrr", _move("c", kpi="mrr")), _moves("arr", _move("d", kpi="arr"))),
     "2 check-ins on 1 objective; 2 objectives moved by KPI values."),
    ((_moves("mrr", _move("b", kpi="mrr")),), "1 objective moved by KPI values."),
    ((_moves("grow", _move("a", 1)), _moves("edited", _move("b"), _move("c", kpi="mrr"))),
     "1 check-in on 1 objective; 1 objective changed without a check-in."),
    ((_moves("grow", _move("a", 3)), _moves("more", _move("b", 1))), "4 check-ins on 2 objectives."),
])
def test_objectives_moved_only_by_their_kpis_are_not_counted_as_checked_in(moves, said):
    """"1 check-in on 2 objectives" where the second objective only moved through a KPI its key
    result follows: the check-ins are counted on the objectives that have them, and the others apart
    (and an objective moved by its KPIs alone is said at all: without a check-in it was left out)."""
    digest = _digest(*moves)
    assert summary(digest) == said
    assert said in render(digest, "text") and said in render(digest, "markdown")
    assert json.loads(render(digest, "json"))["summary"] == said
