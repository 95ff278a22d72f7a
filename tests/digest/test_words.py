"""The digest in words (okrsite/digest/words.py): the summary sentence says what happened, in every format."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from okrsite.digest.formats import html, render, text
from okrsite.digest.model import AwaitedValue, CheckIn, Digest, Graded, KPIUpdate, KRMove, NeverCame, ObjectiveMoves, Ref, Window
from okrsite.digest.words import sections, summary


def _ref(ident: str) -> Ref:
    return Ref(ident, ident.replace("-", " ").capitalize(), f"objectives/{ident}/", None)


def _move(ident: str, check_ins: int = 0, kpi: str | None = None) -> KRMove:
    dated = tuple(CheckIn(date(2026, 11, 18 + n), 40 + n, "Ann Lee", "", None) for n in range(check_ins))
    return KRMove(ident, ident, "numeric", None, "", 30, 40, 0.3, 0.4, dated, True, kpi)


def _moves(ident: str, *moves: KRMove) -> ObjectiveMoves:
    return ObjectiveMoves(_ref(ident), "Sales", 0.3, 0.4, moves)


def _digest(*moves: ObjectiveMoves, kpis: tuple[KPIUpdate, ...] = ()) -> Digest:
    return Digest("OKRs", Window(date(2026, 11, 17), date(2026, 11, 23)), "internal", None, moves, kpis, (), (), (), ())


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


def _kpi(ident: str, new: int = 0, corrected: int = 0) -> KPIUpdate:
    """A KPI with ``new`` values dated in the window and ``corrected`` values of September's days written anew on 11-18."""
    added = tuple(CheckIn(date(2026, 11, 18 + n), 50 + n, "Ann Lee", "", None) for n in range(new))
    fixed = tuple(CheckIn(date(2026, 9, 1 + n), 40 + n, "Bo Chen", "", None, 30 + n, True, date(2026, 11, 18)) for n in range(corrected))
    return KPIUpdate(_ref(ident), "Sales", None, "full", 45, 50 + new - 1 if new else 45, fixed + added, True)


@pytest.mark.parametrize("kpis, said", [
    ((_kpi("mrr", corrected=1),), "1 KPI with a corrected value."),
    ((_kpi("mrr", corrected=2),), "1 KPI with corrected values."),
    ((_kpi("mrr", corrected=1), _kpi("arr", corrected=1)), "2 KPIs with corrected values."),
    ((_kpi("mrr", new=1, corrected=1), _kpi("arr", corrected=1)), "1 KPI with new values; 1 KPI with a corrected value."),
    ((_kpi("mrr", new=2),), "1 KPI with new values."),
])
def test_kpis_whose_only_change_is_a_corrected_value_are_not_counted_as_having_new_values(kpis, said):
    """"1 KPI with new values" for a KPI whose only change in the window was September's value corrected."""
    assert summary(_digest(kpis=kpis)) == said


@pytest.mark.parametrize("kpis, heading", [
    ((_kpi("mrr", corrected=1), _kpi("arr", corrected=4)), "Corrected KPI values"),
    ((_kpi("mrr", new=1), _kpi("arr", corrected=1)), "New and corrected KPI values"),
    ((_kpi("mrr", new=1, corrected=1),), "New and corrected KPI values"),
    ((_kpi("mrr", new=2), _kpi("arr", new=1)), "New KPI values"),
    ((replace(_kpi("mrr"), unit="s", before=None, unit_before="ms"),), "KPIs measured anew"),
])
def test_the_kpi_section_is_headed_by_what_it_holds_in_every_format(kpis, heading):
    """A window whose only KPI news was September's value written anew was headed "New KPI values"."""
    digest = _digest(kpis=kpis)
    assert [s.heading for s in sections(digest) if s.key == "kpi_updates"] == [heading]
    assert f"\n## {heading}\n" in render(digest, "markdown")
    assert f"\n{heading.upper()}\n" in text(digest)
    assert f"<h2>{heading}</h2>" in html(digest)
    assert f"*{heading}*" in render(digest, "slack")
    assert heading not in render(digest, "json")  # its section is kpi_updates, whatever it holds


def test_many_corrected_values_of_a_kpi_are_counted_not_each_said():
    """A KPI whose whole history was written anew (measured anew in another unit) is one line, not one clause a value."""
    [kpis] = [s for s in sections(_digest(kpis=(_kpi("mrr", corrected=4), _kpi("arr", corrected=3)))) if s.key == "kpi_updates"]
    mrr, arr = kpis.groups[0].lines
    assert mrr.text == "4 values corrected, dated 2026-09-01 to 2026-09-04 · by Bo Chen"
    assert arr.text.count("corrected") == 3 and arr.text.startswith("value of 2026-09-01 corrected 30 → 40 on 2026-11-18 · ")


def test_a_corrected_kpi_value_whose_old_value_is_withheld_is_said_without_it():
    """On a public digest, a value written in the place of one recorded while the KPI was confidential: its
    new value only; and no day where git does not say one (an edit not committed yet)."""
    fixed = CheckIn(date(2026, 9, 30), 43000, "Bo Chen", "", None, None, True, None)
    update = KPIUpdate(_ref("mrr"), "Sales", None, "full", 52000, 52000, (fixed,), True)
    [kpis] = [s for s in sections(_digest(kpis=(update,))) if s.key == "kpi_updates"]
    assert kpis.groups[0].lines[0].text == "value of 2026-09-30 corrected to 43,000 · by Bo Chen"


@pytest.mark.parametrize("values, said", [
    (((9, 29, 99.3),), "value of 2026-09-29 added: 99.3 · by Ann Lee"),
    (((10, 25, 99.9), (9, 29, 99.3)), "now 99.9 (was 99.8) · dated 2026-10-25 · value of 2026-09-29 added: 99.3 · by Ann Lee"),
    (((10, 18, 99.6), (10, 25, 99.9)), "now 99.9 (was 99.8) · 2 values dated 2026-10-18 to 2026-10-25 · by Ann Lee"),
    (tuple((9, day, 99.0) for day in range(1, 5)), "4 earlier values added, dated 2026-09-01 to 2026-09-04 · by Ann Lee"),
])
def test_a_kpi_value_added_for_a_date_before_its_latest_is_said_as_itself(values, said):
    """QA FK: a value of 09-29 added after 10-04's (99.8) was said "now 99.8% · dated 2026-09-29": another
    value's number with its date. A value dated before the latest at the window's start is said as the
    value it is; the new latest, if any, as before."""
    added = sorted((CheckIn(date(2026, month, day), value, "Ann Lee", "", None) for month, day, value in values), key=lambda v: v.date)
    latest = added[-1].value if added[-1].date > date(2026, 10, 4) else 99.8
    update = KPIUpdate(_ref("uptime"), "Sales", None, "full", 99.8, latest, tuple(added), True, before_date=date(2026, 10, 4))
    [kpis] = [s for s in sections(_digest(kpis=(update,))) if s.key == "kpi_updates"]
    assert kpis.groups[0].lines[0].text == said


@pytest.mark.parametrize("before, score, computed, retro, said", [
    (None, 0.5, 0.55, "written", "grade 0.50 (self-assessed; computed 0.55) · retro written · Sales"),
    (None, 0.8, 0.8, None, "grade 0.80 (self-assessed) · Sales"),
    (0.8, 0.85, 0.78, None, "grade 0.80 → 0.85 (self-assessed; computed 0.78) · Sales"),
    (0.8, None, 0.55, None, "grade 0.80 → 0.55 (computed; self-assessed score removed) · Sales"),
    (0.8, None, None, None, "self-assessed grade 0.80 removed · Sales"),
    (None, None, 0.55, "written", "grade 0.55 (computed) · retro written · Sales"),
    (0.5, 0.5, None, "edited", "grade 0.50 (self-assessed) · retro edited · Sales"),
    (None, None, None, "edited", "retro edited · Sales"),
])
def test_a_grade_is_said_as_it_came_to_be(before, score, computed, retro, said):
    """Set, changed or removed by its owner, or only its retro written; a computed grade the audience may not see is not said."""
    grade = score if score is not None else computed
    digest = replace(_digest(), graded=(Graded(_ref("grow"), "Sales", grade, before, score, computed, retro),))
    [section] = sections(digest)
    assert (section.key, section.heading, section.groups[0].lines[0].text) == ("graded", "Graded", said)
    assert summary(digest) == "1 objective graded."


MRR_DECEMBER, NRR_DECEMBER = (AwaitedValue(Ref(ident, title, f"kpis/{ident}/", None), date(2026, 12, 1), date(2026, 12, 31), "December 2026")
                              for ident, title in (("mrr", "MRR"), ("nrr", "NRR")))
NPS_Q4 = AwaitedValue(Ref("nps", "NPS", "kpis/nps/", None), date(2026, 10, 1), date(2026, 12, 31), "2026-Q4")


@pytest.mark.parametrize("score, computed_before, computed, came_in, awaiting, said", [
    (None, None, 0.32, (), (MRR_DECEMBER,), "grade 0.32 (computed; provisional: awaiting the December 2026 value of MRR)"),
    (None, 0.32, 0.45, (MRR_DECEMBER,), (NRR_DECEMBER,), "grade 0.32 → 0.45 (computed; provisional: awaiting the December 2026 value of NRR)"),
    (None, 0.45, 0.6, (MRR_DECEMBER, NRR_DECEMBER), (), "grade 0.45 → 0.60 (computed; final: the December 2026 values of MRR and NRR came in)"),
    (0.5, 0.3, 0.9, (NPS_Q4, MRR_DECEMBER), (),
     "grade 0.50 (self-assessed; computed 0.30 → 0.90; final: the 2026-Q4 value of NPS and the December 2026 value of MRR came in)"),
    (0.5, 0.5, 0.5, (MRR_DECEMBER,), (), "grade 0.50 (self-assessed; computed 0.50; final: the December 2026 value of MRR came in)"),
    (None, None, None, (MRR_DECEMBER,), (), "final: the December 2026 value of MRR came in"),
])
def test_a_grade_says_whether_it_awaits_month_end_kpi_values(score, computed_before, computed, came_in, awaiting, said):
    """Provisional while its key results await month-end KPI values, with what they await; final when the last came in;
    only that when the audience may not see a computed grade."""
    grade = score if score is not None else computed
    digest = replace(_digest(), graded=(Graded(_ref("grow"), "Sales", grade, score, score, computed, None, computed_before, came_in, awaiting),))
    [section] = sections(digest)
    assert section.groups[0].lines[0].text == f"{said} · Sales"
    assert summary(digest) == ("1 provisional grade updated." if awaiting else "1 grade made final.")


def _gone(value: AwaitedValue, why: str) -> NeverCame:
    return NeverCame(**vars(value), why=why)


@pytest.mark.parametrize("computed_before, computed, came_in, awaiting, never_came, said", [
    (None, 0.49, (), (), (_gone(MRR_DECEMBER, "stale"),), "grade 0.49 (computed; final: the December 2026 value of MRR did not come)"),
    (None, 0.49, (), (), (_gone(MRR_DECEMBER, "later"),), "grade 0.49 (computed; final: the December 2026 value of MRR did not come, a later one did)"),
    (None, 0.49, (), (), (_gone(MRR_DECEMBER, "retired"), _gone(NRR_DECEMBER, "retired")),
     "grade 0.49 (computed; final: the December 2026 values of MRR and NRR did not come, the KPIs were retired)"),
    (None, 0.49, (), (), (_gone(NPS_Q4, "dashboard"),), "grade 0.49 (computed; final: the 2026-Q4 value of NPS is in the KPI's dashboard)"),
    (0.45, 0.6, (NRR_DECEMBER,), (), (_gone(MRR_DECEMBER, "later"),),
     "grade 0.45 → 0.60 (computed; final: the December 2026 value of NRR came in, and the December 2026 value of MRR did not come, a later one did)"),
    (None, 0.32, (), (NRR_DECEMBER,), (_gone(MRR_DECEMBER, "stale"),),
     "grade 0.32 (computed; provisional: awaiting the December 2026 value of NRR; the December 2026 value of MRR did not come)"),
    (None, None, (), (), (_gone(MRR_DECEMBER, "stale"),), "final: the December 2026 value of MRR did not come"),
])
def test_a_grade_says_the_awaited_values_that_will_not_come(computed_before, computed, came_in, awaiting, never_came, said):
    """QA: a figure that stopped being awaited without coming in left the grade unsaid; it is final with why, or still provisional."""
    graded = Graded(_ref("grow"), "Sales", computed, None, None, computed, None, computed_before, came_in, awaiting, never_came)
    digest = replace(_digest(), graded=(graded,))
    [section] = sections(digest)
    assert section.groups[0].lines[0].text == f"{said} · Sales"
    assert summary(digest) == ("1 provisional grade updated." if awaiting else "1 grade made final.")


def test_the_periods_whose_grades_became_final_close_the_summary():
    digest = replace(_digest(_moves("grow", _move("a", kpi="mrr"))), final_periods=("2026-Q4", "2026-H2"))
    assert summary(digest) == "1 objective moved by KPI values. The grades of 2026-Q4 and 2026-H2 are final."
    only = replace(_digest(), final_periods=("2026-Q4",))  # QA FI: a figure that never came, nothing else in the window
    assert only.changed and summary(only) == "2026-Q4's grades are final."
