"""A goals repository with a week of dated commits around the window 2026-11-17 – 2026-11-23."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..gitrepo import GitRepo, kpi, objective

CHURN = "content/objectives/reduce-churn.md"
EUROPE = "content/objectives/open-europe.md"
MRR = "content/kpis/mrr.md"
SIGNUPS = "content/kpis/signups.md"
SINCE, UNTIL = "2026-11-17", "2026-11-23"
SETTINGS = 'title = "Git goals"\nas_of = 2026-11-23\nsite_url = "https://okrs.example.com/"\n'
TEAM = "---\ntitle: Sales\nlead: Ann Lee\nmembers: [Ann Lee, Bo Chen]\n---\n"
SIGNUPS_KPI = ("---\ntitle: Weekly signups\nowner: Dana Fox\ntarget: 100\nfrequency: weekly\nsource: CRM\n"
               "values:\n  - {date: 2026-10-23, value: 90}\n  - {date: 2026-10-30, value: 95}\n---\n")
MRR_SEPTEMBER = "  - {date: 2026-09-30, value: 41000}"
MRR_OCTOBER = MRR_SEPTEMBER + "\n  - {date: 2026-10-31, value: 52000}"


def churn(accounts: float, churn_rate: float = 4.6, done: bool = False) -> str:
    return objective(current=accounts, done=done).replace("current: 4.6", f"current: {churn_rate}")


def europe(status: str | None = None) -> str:
    return objective("Open the European market", current=55, done=True, status=status)


@pytest.fixture(scope="session")
def week(tmp_path_factory) -> GitRepo:
    """Before the window: check-ins up to 2026-11-16 (the day before it). In it: Cy's churn check-in on
    its first day, Ann's on 11-20 (with a note), Bo's pricing page on its last day, an MRR value for
    October, Europe set at-risk by hand. After it: Ann's check-in of 11-24. Europe's numbers last
    moved on 10-20 (stale, team Sales); Dana Fox's weekly signups last on 10-30 (stale)."""
    r = GitRepo(tmp_path_factory.mktemp("digest") / "goals")
    r.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, CHURN: churn(10), EUROPE: europe().replace("current: 55", "current: 40"),
              MRR: kpi(MRR_SEPTEMBER), SIGNUPS: SIGNUPS_KPI}, "2026-10-01T09:00:00+00:00", "Ann Lee", "Plan Q4")
    r.commit({EUROPE: europe()}, "2026-10-20T09:00:00+00:00", "Bo Chen", "Europe check-in")
    for day, value in (("10-08", 20), ("10-22", 35), ("10-29", 45), ("11-12", 60), ("11-16", 62)):
        r.commit({CHURN: churn(value)}, f"2026-{day}T09:00:00+00:00", "Ann Lee", "Weekly check-in")
    r.commit({CHURN: churn(62, 4.2)}, "2026-11-17T08:00:00+00:00", "Cy Diaz", "Churn down")
    r.commit({MRR: kpi(MRR_OCTOBER)}, "2026-11-18T09:00:00+00:00", "Cy Diaz", "MRR October")
    r.commit({EUROPE: europe("at-risk")}, "2026-11-19T09:00:00+00:00", "Bo Chen", "Flag Europe")
    r.commit({CHURN: churn(80, 4.2)}, "2026-11-20T09:00:00+00:00", "Ann Lee", "Check-in: Grow accounts 62 → 80\n\nbig deal closed")
    r.commit({CHURN: churn(80, 4.2, done=True)}, "2026-11-23T22:00:00+00:00", "Bo Chen", "Pricing page live")
    r.commit({CHURN: churn(90, 4.2, done=True)}, "2026-11-24T09:00:00+00:00", "Ann Lee", "Weekly check-in")
    return r


MRR_Q3 = "---\ntitle: MRR\nowner: sales\nsource: billing\nfrequency: monthly\ntarget: 200\nvalues:\n  - {{date: 2026-07-31, value: 100}}\n{september}---\n"
GROW_Q3 = "---\ntitle: Grow MRR in Q3\nperiod: 2026-Q3\nowner: sales\nkey_results:\n  - {title: Reach 200 MRR, kpi: mrr, start: 100, target: 200}\n---\n"


@pytest.fixture(scope="session")
def corrected_late(tmp_path_factory) -> GitRepo:
    """A 2026-Q3 key result that follows MRR: September's value first written on 10-02, two days after
    the quarter ended (no correction), then rewritten 150 → 200 on 11-18, which regrades it 0.50 → 1.00."""
    r = GitRepo(tmp_path_factory.mktemp("corrected") / "goals")
    r.commit({"okrsite.toml": 'title = "Q3"\nas_of = 2026-11-23\n', "content/teams/sales.md": TEAM, "content/kpis/mrr.md": MRR_Q3.format(september=""),
              "content/objectives/grow.md": GROW_Q3}, "2026-08-01T09:00:00+00:00", "Ann Lee", "Plan Q3")
    r.commit({"content/kpis/mrr.md": MRR_Q3.format(september="  - {date: 2026-09-30, value: 150}\n")}, "2026-10-02T09:00:00+00:00", "Ann Lee",
             "MRR September")
    r.commit({"content/kpis/mrr.md": MRR_Q3.format(september="  - {date: 2026-09-30, value: 200}\n")}, "2026-11-18T09:00:00+00:00", "Bo Chen",
             "MRR September corrected")
    return r


UPTIME = ("---\ntitle: API uptime\nowner: sales\nunit: \"%\"\ntarget: 99.9\nthreshold: 99.5\nfrequency: weekly\nsource: status page\nvalues:\n"
          "  - {{date: 2026-09-27, value: 99.7}}\n{late}  - {{date: 2026-10-04, value: 99.8}}\n---\n")
RELIABLE = ("---\ntitle: Reliable\nperiod: 2026-Q3\nowner: sales\nkey_results:\n  - {title: Incidents, target: 10, current: 5}\n"
            "  - {title: Keep uptime at or above 99.5%, keep_above: 99.5, kpi: uptime}\n---\n")


@pytest.fixture(scope="session")
def added_late(tmp_path_factory) -> GitRepo:
    """QA FK: a 2026-Q3 guardrail following a weekly uptime KPI, committed with it after the quarter, on
    10-04 (final 99.7 %, held); on 10-27 a value of 09-29 is added, 99.3 %, its final value (breached),
    dated before the KPI's latest, 10-04's 99.8 %."""
    r = GitRepo(tmp_path_factory.mktemp("added_late") / "goals")
    r.commit({"okrsite.toml": 'title = "Q3"\nas_of = 2026-10-27\n', "content/teams/sales.md": TEAM, "content/kpis/uptime.md": UPTIME.format(late=""),
              "content/objectives/reliable.md": RELIABLE}, "2026-10-04T12:00:00+00:00", "Ann Lee", "Q3 closed")
    r.commit({"content/kpis/uptime.md": UPTIME.format(late="  - {date: 2026-09-29, value: 99.3}\n")}, "2026-10-27T12:00:00+00:00", "Bo Chen",
             "Late figure for Sep 29")
    return r


MRR_CONFIDENTIAL = kpi("{values}").replace("frequency: monthly", "frequency: monthly\nconfidential: true")
SEPTEMBER_CORRECTED = "  - {date: 2026-09-30, value: 43000}\n  - {date: 2026-10-31, value: 52000}"
GROW_MRR_Q3 = ("---\ntitle: Grow MRR in Q3\nperiod: 2026-Q3\nowner: sales\nkey_results:\n"
               "  - {title: Reach 50k MRR, kpi: mrr, start: 30000, target: 50000}\n---\n")


@pytest.fixture(scope="session")
def september_corrected(tmp_path_factory) -> GitRepo:
    """A confidential MRR with September's and October's values before the window; in it, on 11-18,
    September's rewritten 41,000 → 43,000 by Bo Chen (October's stays the latest: no new latest value),
    which a 2026-Q3 key result following MRR ends on. After it, on 11-26, Cy Diaz records 11-25's."""
    r = GitRepo(tmp_path_factory.mktemp("september") / "goals")
    r.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, MRR: MRR_CONFIDENTIAL.replace("{values}", MRR_SEPTEMBER),
              "content/objectives/grow.md": GROW_MRR_Q3}, "2026-08-01T09:00:00+00:00", "Ann Lee", "Plan Q3")
    r.commit({MRR: MRR_CONFIDENTIAL.replace("{values}", MRR_OCTOBER)}, "2026-11-03T09:00:00+00:00", "Ann Lee", "MRR October")
    r.commit({MRR: MRR_CONFIDENTIAL.replace("{values}", SEPTEMBER_CORRECTED)}, "2026-11-18T09:00:00+00:00", "Bo Chen", "MRR September corrected")
    r.commit({MRR: MRR_CONFIDENTIAL.replace("{values}", SEPTEMBER_CORRECTED + "\n  - {date: 2026-11-25, value: 55000}")},
             "2026-11-26T09:00:00+00:00", "Cy Diaz", "MRR to date")
    return r


def finished(title: str, current: float, score: float | None = None, retro: str | None = None, secret: str = "") -> str:
    """A 2026-Q4 objective of one key result, graded (``score``, ``retro``) or not; ``secret``: `private` or `confidential`."""
    lines = ["---", f"title: {title}", "period: 2026-Q4", "owner: sales"] + ([f"{secret}: true"] if secret else [])
    lines += [f"score: {score}"] if score is not None else []
    lines += [f"retro: {retro}"] if retro else []
    return "\n".join(lines + ["key_results:", f"  - {{title: Reach the target, start: 0, target: 100, current: {current}}}", "---", ""])


GRADED = {"grow": "Grow recurring revenue", "cut": "Cut incidents", "secret": "Acquire Kingfisher", "vault": "Renegotiate the vault contract"}
SECRET_OF = {"secret": "private", "vault": "confidential"}


@pytest.fixture(scope="session")
def graded(tmp_path_factory) -> GitRepo:
    """2026-Q4 ends at 55 %, 78 %, 60 % (private) and 70 % (confidential). On 2027-01-05 "Q4 scores
    and retros" grades them 0.5, 0.8, 0.9 and 0.75 with a retro each; on 01-12 Cut incidents is
    graded anew 0.85; on 01-19 Grow recurring revenue gets a late check-in, its score untouched."""
    r = GitRepo(tmp_path_factory.mktemp("graded") / "goals")

    def goals(finals: dict[str, float], scores: dict[str, float] | None = None) -> dict[str, str]:
        scores = scores or {}
        return {f"content/objectives/{ident}.md": finished(GRADED[ident], finals[ident], scores.get(ident),
                                                           "Went well, learned, next." if ident in scores else None, SECRET_OF.get(ident, ""))
                for ident in GRADED}

    r.commit({"okrsite.toml": 'title = "Q4 close"\nas_of = 2027-01-31\n', "content/teams/sales.md": TEAM,
              **goals({"grow": 20, "cut": 30, "secret": 10, "vault": 40})}, "2026-10-01T09:00:00+00:00", "Ann Lee", "Plan Q4")
    finals = {"grow": 55, "cut": 78, "secret": 60, "vault": 70}
    r.commit(goals(finals), "2026-12-15T09:00:00+00:00", "Ann Lee", "Check-ins")
    scores = {"grow": 0.5, "cut": 0.8, "secret": 0.9, "vault": 0.75}
    r.commit(goals(finals, scores), "2027-01-05T09:00:00+00:00", "Ann Lee", "Q4 scores and retros")
    r.commit(goals(finals, {**scores, "cut": 0.85}), "2027-01-12T09:00:00+00:00", "Bo Chen", "Cut incidents graded anew")
    r.commit(goals({**finals, "grow": 57}, {**scores, "cut": 0.85}), "2027-01-19T09:00:00+00:00", "Bo Chen", "Grow: the final number")
    return r


def monthly(title: str, unit: str, target: float, values: dict[str, float]) -> str:
    """A KPI of team sales measured monthly, with ``values`` by date."""
    rows = "".join(f"  - {{date: {day}, value: {value:g}}}\n" for day, value in values.items())
    return f'---\ntitle: {title}\nowner: sales\nunit: "{unit}"\nfrequency: monthly\ntarget: {target:g}\nvalues:\n{rows}---\n'


GROW_EFFICIENTLY = ("---\ntitle: Grow revenue efficiently\nperiod: 2026-Q4\nowner: sales\nkey_results:\n"
                    "  - {title: Reach 60k MRR, kpi: mrr, start: 40000, target: 60000}\n"
                    "  - {title: Reach 110% NRR, kpi: nrr, start: 100, target: 110}\n---\n")
KEEP_CUSTOMERS = ("---\ntitle: Keep our customers\nperiod: 2026-Q4\nowner: sales\n{graded}key_results:\n"
                  "  - {{title: Hold NRR at 105%, kpi: nrr, start: 100, target: 105}}\n---\n")


@pytest.fixture(scope="session")
def awaited(tmp_path_factory) -> GitRepo:
    """2026-Q4 key results following two monthly KPIs, MRR and Net revenue retention, whose December
    values come days after the quarter: Grow revenue efficiently (both) ends on November's values,
    grade 0.32; Keep our customers (NRR) is graded 0.5 by its owner on 01-04 (computed 0.30).
    December's MRR (55,000) comes on 01-06: Grow 0.45, still awaiting NRR; December's NRR (104.5)
    on 01-13: Grow 0.60, Keep computed 0.90, and 2026-Q4's grades are final."""
    r = GitRepo(tmp_path_factory.mktemp("awaited") / "goals")
    mrr = {"2026-09-30": 40000, "2026-10-31": 44000, "2026-11-30": 49800}
    nrr = {"2026-09-30": 100, "2026-10-31": 100.5, "2026-11-30": 101.5}

    def kpis() -> dict[str, str]:
        return {"content/kpis/mrr.md": monthly("MRR", "USD", 60000, mrr), "content/kpis/nrr.md": monthly("Net revenue retention", "%", 110, nrr)}

    r.commit({"okrsite.toml": 'title = "Q4 close"\nas_of = 2027-01-31\n', "content/teams/sales.md": TEAM, **kpis(),
              "content/objectives/grow.md": GROW_EFFICIENTLY, "content/objectives/keep.md": KEEP_CUSTOMERS.format(graded="")},
             "2026-10-01T09:00:00+00:00", "Ann Lee", "Plan Q4")
    r.commit({"content/objectives/keep.md": KEEP_CUSTOMERS.format(graded="score: 0.5\nretro: Went well, learned, next.\n")},
             "2027-01-04T09:00:00+00:00", "Ann Lee", "Keep: score and retro")
    mrr["2026-12-31"] = 55000
    r.commit(kpis(), "2027-01-06T09:00:00+00:00", "Cy Diaz", "MRR December")
    nrr["2026-12-31"] = 104.5
    r.commit(kpis(), "2027-01-13T09:00:00+00:00", "Cy Diaz", "NRR December")
    return r


GROW_MRR = ("---\ntitle: Grow recurring revenue\nperiod: 2026-Q4\nowner: sales\nkey_results:\n"
            "  - {title: Reach 60k MRR, kpi: mrr, start: 40000, target: 60000}\n---\n")


def december_missing(root: Path, change: dict[str, object] | None = None, on: str | None = None) -> GitRepo:
    """A 2026-Q4 objective whose key result follows a monthly MRR with values to 2026-11-30 (grade 0.49,
    awaiting December's); ``change``, committed on ``on``: a later value by its date, or ``retired``."""
    mrr = {"2026-09-30": 40000, "2026-10-31": 44000, "2026-11-30": 49800}
    r = GitRepo(root)
    r.commit({"okrsite.toml": 'as_of = 2027-03-31\n', "content/teams/sales.md": TEAM,
              "content/kpis/mrr.md": monthly("MRR", "USD", 60000, mrr), "content/objectives/grow.md": GROW_MRR}, "2026-10-01T09:00:00+00:00")
    if change:
        changed = monthly("MRR", "USD", 60000, {**mrr, **{day: value for day, value in change.items() if day != "retired"}})
        retired = f"retired: {change['retired']}\n" if "retired" in change else ""
        r.commit({"content/kpis/mrr.md": changed.replace("frequency:", f"{retired}frequency:")}, f"{on}T09:00:00+00:00")
    return r


@pytest.fixture(scope="session")
def never_came(tmp_path_factory) -> GitRepo:
    """December's MRR never comes: by 2027-03-04 MRR would be stale for December, and 2026-Q4's grades are final."""
    return december_missing(tmp_path_factory.mktemp("never_came") / "goals")
