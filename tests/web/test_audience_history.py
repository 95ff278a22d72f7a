"""web/audience.py with a real git history: a public build shows a key result's value from a commit
only if the key result is public now AND was public in that commit (docs/audiences.md). Every output
is searched for the numbers: the pages, okrs.json, changes.xml, the search index (Pagefind's too),
and the public digest."""

from __future__ import annotations

import gzip
import json
from datetime import date
import zlib
from pathlib import Path

import jsonschema
import pytest

from okrsite.build import build
from okrsite.digest.formats import as_json, render
from okrsite.digest.model import make_digest
from okrsite.goals import config

from ..gitrepo import GitRepo, needs_git

pytestmark = needs_git

SETTINGS = 'title = "Leaks"\nas_of = 2026-11-23\n'
TEAM = "---\ntitle: Company\n---\n"
OBJ = "content/objectives/margin.md"
SECRET_KPI = ("---\ntitle: Acquisition cost\nowner: company\nsource: finance\nconfidential: true\n"
              "values:\n  - {date: 2026-10-31, value: 14871.4}\n---\n")


def margin(deal: float, cost: float, deal_extra: str = "", cost_extra: str = "") -> str:
    return ("---\ntitle: Protect margins\nperiod: 2026-Q4\nowner: company\nkey_results:\n"
            f"  - title: Grow deal size\n    target: 200000\n{deal_extra}    current: {deal}\n"
            f"  - title: Lower cost per deal\n    start: 0\n    target: 97531.86\n{cost_extra}    current: {cost}\n---\n")


def files_text(out: Path) -> str:
    """Every byte the build wrote, compressed files (Pagefind's fragments and index) opened."""
    texts = []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        data = path.read_bytes()
        for opened in (lambda d: gzip.decompress(d), lambda d: zlib.decompress(d)):
            try:
                data = opened(data)
                break
            except Exception:
                pass
        texts.append(f"== {path.relative_to(out)}\n" + data.decode("utf-8", "replace"))
    return "\n".join(texts)


def public_build(root: Path, out: Path, **settings: str) -> str:
    extra = "".join(f'{key} = "{value}"\n' for key, value in settings.items())
    (root / "okrsite.toml").write_text(SETTINGS + extra)
    result = build(root, out, audience="public", cache=False)
    assert result.ok, result.report.items
    return files_text(out)


def digest_text(root: Path) -> str:
    """The public digest's model and every format it is printed in."""
    result = make_digest(root, "2026-10-01", audience="public")
    printed = "".join(render(result.digest, form) for form in ("json", "markdown", "slack", "email"))
    return json.dumps(result.digest, default=lambda o: getattr(o, "__dict__", str(o))) + printed


MADE_SECRET = ("135791.36", "135,791.36", "135792.47", "135,792.47", "43210.98", "43,210.98", "45678.12", "45,678.12")


@pytest.fixture
def made_secret(tmp_path: Path) -> GitRepo:
    """Public check-ins of two key results, then KR 1 made confidential and KR 2 linked to a confidential KPI."""
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": SETTINGS, "content/teams/company.md": TEAM, "content/kpis/cac.md": SECRET_KPI,
              OBJ: margin(135791.36, 43210.98)}, "2026-10-05T10:00:00+00:00", message="init")
    r.commit({OBJ: margin(135792.47, 45678.12)}, "2026-11-09T10:00:00+00:00", message="Check-in: deal size 135792.47, cost per deal 45678.12")
    r.commit({OBJ: margin(135792.47, 45678.12, "    confidential: true\n", "    kpi: cac\n")}, "2026-11-10T10:00:00+00:00", message="mark confidential")
    return r


@pytest.mark.parametrize("search", ["builtin", "pagefind"])
def test_numbers_of_a_key_result_made_confidential_later_leave_every_public_output(made_secret, tmp_path, search):
    if search == "pagefind" and not config.pagefind_available():
        pytest.skip("Pagefind is not installed")
    text = public_build(made_secret.root, tmp_path / "pub", search=search)
    assert [number for number in MADE_SECRET if number in text] == []
    changes = (tmp_path / "pub" / "changes" / "index.html").read_text(encoding="utf-8")
    assert "Grow deal size (KR 1) updated" in changes and "Lower cost per deal (KR 2) updated" in changes
    assert "Grow deal size (KR 1) updated" in (tmp_path / "pub" / "changes.xml").read_text(encoding="utf-8")
    assert "Grow deal size (KR 1) updated" in (tmp_path / "pub" / "objectives" / "margin" / "index.html").read_text(encoding="utf-8")
    internal = tmp_path / "internal"
    assert build(made_secret.root, internal, audience="internal", cache=False).ok
    assert all(number in files_text(internal) for number in ("135,791.36", "45,678.12"))


def test_the_public_digest_hides_a_key_result_made_confidential_later(made_secret):
    assert [number for number in MADE_SECRET if number in digest_text(made_secret.root)] == []
    moves = make_digest(made_secret.root, "2026-10-01", audience="public").digest.check_ins[0].key_results
    assert {(c.date.isoformat(), c.value, c.author) for m in moves for c in m.check_ins} == {("2026-11-09", None, "Ann Lee")}, "who and when stay"


REPLACED = ("900000.5", "900,000.5", "987654.25", "987,654.25")


def replaced_in_place(root: Path, public_kr: str) -> GitRepo:
    r = GitRepo(root)
    secret = "  - title: Secret revenue\n    confidential: true\n    target: 1000000\n    current: {}\n"
    other = "  - title: Other\n    target: 10\n    current: 1\n---\n"
    head = "---\ntitle: Objective\nperiod: 2026-Q4\nowner: company\nkey_results:\n"
    r.commit({"okrsite.toml": SETTINGS, "content/teams/company.md": TEAM, "content/objectives/o.md": head + secret.format(900000.5) + other},
             "2026-10-05T10:00:00+00:00", message="init")
    r.commit({"content/objectives/o.md": head + secret.format(987654.25) + other}, "2026-10-20T10:00:00+00:00", message="revenue check-in")
    r.commit({"content/objectives/o.md": head + public_kr + other}, "2026-11-02T10:00:00+00:00", message="KR 1 made public")
    r.commit({"content/objectives/o.md": head + public_kr.replace("current: 1000000", "current: 1200000") + other},
             "2026-11-09T10:00:00+00:00", message="public check-in")
    return r


@pytest.mark.parametrize("public_kr", [
    "  - title: Public signups\n    target: 2000000\n    current: 1000000\n",  # another key result in its place
    "  - title: Secret revenue\n    target: 1000000\n    current: 1000000\n",  # the same, `confidential: true` removed
], ids=["replaced", "declassified"])
def test_check_ins_from_when_a_key_result_was_confidential_stay_off_the_public_site(tmp_path, public_kr):
    repo = replaced_in_place(tmp_path / "goals", public_kr)
    text = public_build(repo.root, tmp_path / "pub")
    assert [number for number in REPLACED if number in text] == []
    okrs = json.loads((tmp_path / "pub" / "okrs.json").read_text(encoding="utf-8"))
    history = okrs["objectives"][0]["key_results"][0]["history"]
    assert [(p["date"], p["value"]) for p in history] == [("2026-11-02", 1000000), ("2026-11-09", 1200000)]  # public now and then
    assert [number for number in REPLACED if number in digest_text(repo.root)] == []
    internal = tmp_path / "internal"
    assert build(repo.root, internal, audience="internal", cache=False).ok
    assert "987,654.25" in files_text(internal)


def test_the_first_public_check_in_does_not_quote_the_value_set_while_confidential(tmp_path):
    """Made public without a new value, then checked in: its change says the new value, not the old one."""
    r = GitRepo(tmp_path / "goals")
    head = "---\ntitle: Objective\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - title: Revenue\n    unit: USD\n"
    kr = head + "{}    target: 100000\n    current: {}\n  - title: Other\n    target: 10\n    current: 1\n---\n"
    r.commit({"okrsite.toml": SETTINGS, "content/teams/company.md": TEAM, "content/objectives/o.md": kr.format("    confidential: true\n", 33333.33)},
             "2026-10-05T10:00:00+00:00", message="init")
    r.commit({"content/objectives/o.md": kr.format("", 33333.33)}, "2026-11-02T10:00:00+00:00", message="KR 1 made public")
    backfilled = kr.format("", 33333.33).replace("    current: 33333.33\n", "    current: 33333.33\n    history:\n      - {date: 2026-10-01, value: 30000}\n", 1)
    r.commit({"content/objectives/o.md": backfilled}, "2026-11-04T10:00:00+00:00", message="history backfilled (review 32)")
    r.commit({"content/objectives/o.md": kr.format("", 32000)}, "2026-11-09T10:00:00+00:00", message="public check-in")
    r.commit({"content/objectives/o.md": kr.format("", 35000)}, "2026-11-16T10:00:00+00:00", message="next check-in")
    text = public_build(r.root, tmp_path / "pub")
    assert "33,333.33" not in text and "33333.33" not in text
    changes = (tmp_path / "pub" / "changes" / "index.html").read_text(encoding="utf-8")
    assert "Revenue (KR 1): 32,000 USD" in changes and "32,000 → 35,000 USD" in changes, "a value seen in public is quoted"
    internal = tmp_path / "internal"
    assert build(r.root, internal, audience="internal", cache=False).ok
    assert "33,333.33 → 32,000 USD" in (internal / "changes" / "index.html").read_text(encoding="utf-8")


def test_an_objective_forecast_is_made_without_the_check_ins_from_when_its_key_result_was_confidential(tmp_path):
    r = GitRepo(tmp_path / "goals")
    head = "---\ntitle: Objective\nperiod: 2026-Q4\nowner: company\nparent: top\nkey_results:\n  - title: Signups\n"
    kr = head + "{}    start: 0\n    target: 3000\n    current: {}\n---\n"
    top = "---\ntitle: Top\nperiod: 2026-Q4\nowner: company\n---\nRolls up o (review 32: its forecast is its one child's).\n"
    r.commit({"okrsite.toml": SETTINGS, "content/teams/company.md": TEAM, "content/objectives/top.md": top,
              "content/objectives/o.md": kr.format("    confidential: true\n", 100)}, "2026-10-05T10:00:00+00:00", message="init")
    for day, value in (("10-12", 300), ("10-19", 500)):
        r.commit({"content/objectives/o.md": kr.format("    confidential: true\n", value)}, f"2026-{day}T10:00:00+00:00", message="secret check-in")
    for day, value in (("10-26", 510), ("11-02", 520), ("11-09", 530)):
        r.commit({"content/objectives/o.md": kr.format("", value)}, f"2026-{day}T10:00:00+00:00", message="public check-in")
    public_build(r.root, tmp_path / "pub")
    okrs = {o["id"]: o for o in json.loads((tmp_path / "pub" / "okrs.json").read_text(encoding="utf-8"))["objectives"]}
    kr_forecast, forecast = okrs["o"]["key_results"][0]["forecast"], okrs["o"]["forecast"]
    assert forecast["progress"] == kr_forecast["progress"] == okrs["top"]["forecast"]["progress"] < 1
    page = (tmp_path / "pub" / "objectives" / "o" / "index.html").read_text(encoding="utf-8")
    assert "straight line through 3 check-ins" in page and "through 6 check-ins" not in page
    internal = tmp_path / "internal"
    assert build(r.root, internal, audience="internal", cache=False).ok
    wholes = {o["id"]: o for o in json.loads((internal / "okrs.json").read_text(encoding="utf-8"))["objectives"]}
    whole = wholes["o"]
    assert whole["forecast"]["progress"] == whole["key_results"][0]["forecast"]["progress"] == wholes["top"]["forecast"]["progress"] != forecast["progress"]
    misses = make_digest(r.root, "2026-10-01", date(2026, 11, 23), audience="public").digest.forecast_misses
    assert [round(m.progress, 3) for m in misses] == [forecast["progress"]] * 2, "the public digest says the public site's forecasts"


def test_the_public_digest_gives_no_progress_that_a_public_target_turns_into_a_hidden_value(tmp_path):
    """QA AU: a key result confidential at the window's start and public at its end (its start and
    target shown now) got "8 % → 13 % of its target" in the public digest: 8 % of 400,000 is the
    hidden 33,333.33. Its progress then, and its objective's, are withheld; its forecast is the
    public site's."""
    r = GitRepo(tmp_path / "goals")
    head = "---\ntitle: Grow\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - title: Revenue\n"
    kr = head + "{}    start: 0\n    target: 400000\n    current: {}\n---\n"
    r.commit({"okrsite.toml": SETTINGS, "content/teams/company.md": TEAM, OBJ: kr.format("    confidential: true\n", 33333.33)},
             "2026-10-05T10:00:00+00:00", message="init")
    r.commit({OBJ: kr.format("", 52000)}, "2026-11-08T10:00:00+00:00", message="public now")
    public = make_digest(r.root, "2026-11-01", date(2026, 11, 20), audience="public").digest
    [moves] = public.check_ins
    [move] = moves.key_results
    assert (moves.progress_before, move.progress_before, move.before) == (None, None, None) and move.progress_after == 0.13
    assert "33,333.33" not in digest_text(r.root)
    internal = make_digest(r.root, "2026-11-01", date(2026, 11, 20), audience="internal").digest
    [moves] = as_json(internal)["check_ins"]
    assert moves["progress_before"] == moves["key_results"][0]["progress_before"] == 0.083  # three decimals, as okrs.json (QA BE)


def made_public_unchecked(tmp_path: Path, other: str = "") -> GitRepo:
    """The confidential key result Signups (100, then 300), made public on 2026-10-20 with no new value."""
    r = GitRepo(tmp_path / "goals")
    kr = ("---\ntitle: Objective\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - title: Signups\n{}    start: 0\n    target: 3000\n"
          "    current: {}\n" + other + "---\n")
    r.commit({"okrsite.toml": SETTINGS, "content/teams/company.md": TEAM, "content/objectives/o.md": kr.format("    confidential: true\n", 100)},
             "2026-10-05T10:00:00+00:00", message="init")
    r.commit({"content/objectives/o.md": kr.format("    confidential: true\n", 300)}, "2026-10-12T10:00:00+00:00", message="secret check-in")
    r.commit({"content/objectives/o.md": kr.format("", 300)}, "2026-10-20T10:00:00+00:00", message="made public")
    return r


def objective_json(out: Path) -> dict:
    [o] = json.loads((out / "okrs.json").read_text(encoding="utf-8"))["objectives"]
    return o


def test_before_its_first_public_check_in_a_key_result_made_public_shows_no_number_of_its_confidential_time(tmp_path):
    """QA AU: made public without a new value, it showed no number, but its table listed the
    check-ins of its confidential time. Its forecast is a confidential one's: its progress, no value."""
    r = made_public_unchecked(tmp_path)
    assert build(r.root, tmp_path / "pub", as_of=date(2026, 10, 25), audience="public", cache=False).ok
    text = files_text(tmp_path / "pub")
    [k] = objective_json(tmp_path / "pub")["key_results"]
    assert "current" not in k and k["history"] == [] and "value" not in k["forecast"], k
    page = (tmp_path / "pub" / "objectives" / "o" / "index.html").read_text(encoding="utf-8")
    assert "now 300" not in page and "check-ins" not in page.split("Signups", 1)[1].split("</li>", 1)[0] and "Signups" in text


def test_a_key_result_withheld_since_it_was_made_public_counts_in_its_objectives_forecast_as_a_confidential_one(tmp_path):
    """QA: confidential, its forecast progress counted in its objective's public forecast, the internal
    one; made public (its value still one of its confidential time, withheld), it had `"forecast": null`
    and counted with its progress: the public objective's forecast moved (54 % against 67 %)."""
    r = made_public_unchecked(tmp_path, "  - title: Demos\n    start: 0\n    target: 10\n    current: 5\n")
    for audience in ("internal", "public"):
        assert build(r.root, tmp_path / audience, as_of=date(2026, 10, 25), audience=audience, cache=False).ok
    internal, public = objective_json(tmp_path / "internal"), objective_json(tmp_path / "public")
    assert public["key_results"][0]["withheld"] and public["forecast"] == internal["forecast"]
    whole = internal["key_results"][0]["forecast"]
    assert public["key_results"][0]["forecast"] == {"progress": whole["progress"], "points": whole["points"], "date": whole["date"]}


@pytest.mark.parametrize("hidden", [234.56, 10])
def test_a_key_result_following_a_kpi_made_public_fits_its_forecast_through_its_public_values_only(tmp_path, hidden):
    """QA AV: its forecast went through the KPI's values of its confidential time (391.33 was the line
    through 123.45, 234.56 and 300), though the KPI's page lists only 300."""
    r = GitRepo(tmp_path / "goals")
    kpi = "---\ntitle: NRR\nowner: company\nsource: BI\n{}values:\n  - {{date: 2026-10-01, value: 123.45}}\n  - {{date: 2026-10-20, value: {}}}\n{}---\n"
    o = "---\ntitle: O\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - title: Follow\n    kpi: nrr\n    target: 500\n---\n"
    r.commit({"okrsite.toml": SETTINGS, "content/teams/company.md": TEAM, "content/objectives/o.md": o,
              "content/kpis/nrr.md": kpi.format("confidential: true\n", hidden, "")}, "2026-10-20T12:00:00+00:00", message="init")
    r.commit({"content/kpis/nrr.md": kpi.format("", hidden, "")}, "2026-11-25T12:00:00+00:00", message="public")
    r.commit({"content/kpis/nrr.md": kpi.format("", hidden, "  - {date: 2026-12-01, value: 300}\n")}, "2026-12-01T12:00:00+00:00", message="December")
    assert build(r.root, tmp_path / "pub", as_of=date(2026, 12, 5), audience="public", cache=False).ok
    [objective] = json.loads((tmp_path / "pub" / "okrs.json").read_text(encoding="utf-8"))["objectives"]
    assert objective["key_results"][0]["forecast"] == {"value": 447.541, "progress": 0.895, "points": 2, "date": "2026-12-31"}  # the start and 300: the same whatever was hidden
    assert objective["forecast"]["progress"] == 0.895
    assert build(r.root, tmp_path / "internal", as_of=date(2026, 12, 5), cache=False).ok
    [whole] = json.loads((tmp_path / "internal" / "okrs.json").read_text(encoding="utf-8"))["objectives"]
    assert whole["key_results"][0]["forecast"]["points"] == 3  # 10-01 (the first day, in place of the start), 10-20 and 12-01


def test_the_public_digest_says_a_progress_to_three_decimals_as_okrs_json(made_secret):
    """QA AV: its JSON gave a confidential key result's progress to every digit (0.678962...), the
    public okrs.json to three: with its target public once, the digits were its hidden value's."""
    moves = as_json(make_digest(made_secret.root, "2026-10-01", audience="public").digest)["check_ins"]
    shares = [p for m in moves for p in (m["progress_before"], m["progress_after"], *(k[side] for k in m["key_results"] for side in ("progress_before", "progress_after")))
              if p is not None]
    assert shares and all(round(p, 3) == p for p in shares), shares
    internal = as_json(make_digest(made_secret.root, "2026-10-01", audience="internal").digest)["check_ins"]
    assert all(round(k["progress_after"], 3) == k["progress_after"] for m in internal for k in m["key_results"]), "the internal one too (QA BE)"


def test_the_public_digest_leaves_out_the_check_ins_of_a_key_result_s_confidential_time(tmp_path):
    """QA AV: a key result public now listed "2026-11-10 · Ann Lee", a check-in of its confidential
    time (its value left out), which its table on the public site leaves out."""
    r = GitRepo(tmp_path / "goals")
    kr = "---\ntitle: Grow\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - title: Revenue\n{}    target: 1000\n    current: {}\n---\n"
    r.commit({"okrsite.toml": SETTINGS, "content/teams/company.md": TEAM, OBJ: kr.format("    confidential: true\n", 100)}, "2026-10-01T10:00:00+00:00")
    r.commit({OBJ: kr.format("    confidential: true\n", 200)}, "2026-11-10T10:00:00+00:00", message="secret check-in")
    r.commit({OBJ: kr.format("", 200)}, "2026-11-15T10:00:00+00:00", message="made public")
    r.commit({OBJ: kr.format("", 300)}, "2026-11-20T10:00:00+00:00", message="public check-in")
    moves = make_digest(r.root, "2026-11-05", audience="public").digest.check_ins
    days = [c.date.isoformat() for m in moves for k in m.key_results for c in k.check_ins]
    assert days == ["2026-11-20"], days


@needs_git
def test_a_markdown_link_to_a_private_objective_in_a_commit_or_a_title_leaves_no_name_on_the_public_site(tmp_path):
    """Review 33: a commit subject `[the deal](vault-plan.md)` and a key result renamed with such a link
    showed the private file's name on the public Changes page and feed; so did a link by the file's
    name (vault-plan) to an objective whose id (plan-b) is another."""
    from ..gitrepo import SETTINGS, TEAM

    repo = GitRepo(tmp_path / "goals")
    secret = "---\nid: plan-b\ntitle: Plan B\nperiod: 2026-Q4\nowner: sales\nprivate: true\nkey_results:\n  - title: Sign\n    done: false\n---\n"

    def dashboards(current, kr="Cut query timeouts"):
        return (f"---\ntitle: Faster dashboards\nperiod: 2026-Q4\nowner: sales\nkey_results:\n  - title: {kr}\n"
                f"    start: 12\n    target: 3\n    current: {current}\n---\nBody.\n")
    obj = "content/objectives/dashboards.md"
    repo.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, obj: dashboards(9), "content/objectives/vault-plan.md": secret},
                "2026-10-01T10:00:00+00:00")
    repo.commit({obj: dashboards(7)}, "2026-10-15T10:00:00+00:00", message="Slower since [the deal](vault-plan.md)\n\nSee [plan](../objectives/plan-b/) too")
    repo.commit({obj: dashboards(6, '"Close the [deal](vault-plan.md) gap"')}, "2026-10-20T10:00:00+00:00", message="Rename")
    repo.commit({obj: dashboards(5, '"Close the [deal](vault-plan.md) gap"')}, "2026-10-27T10:00:00+00:00",  # QA BG: addresses as text in a note
                message="Check-in\n\nN4 [k]: vault-plan.md, see ../objectives/plan-b/ too")
    out = tmp_path / "public"
    assert build(repo.root, out, audience="public").ok
    leaking = [str(f.relative_to(out)) for f in out.rglob("*") if f.is_file() and any(n in f.read_bytes() for n in (b"vault-plan", b"plan-b"))]
    assert leaking == [], leaking
    changes = (out / "changes/index.html").read_text(encoding="utf-8")
    assert "Slower since the deal" in changes and "Close the deal gap" in changes


@needs_git
def test_a_link_to_a_private_objective_written_with_dot_segments_or_doubled_slashes_leaves_no_id_on_the_public_site(tmp_path):
    """QA DO: `objectives/x/../zorblax-deal/`, `zorblax-deal/./` and `//objectives//zorblax-deal//` kept the
    private id in a public body and in a commit message shown as a check-in note, where the plain forms
    were their words alone. The address is read as a browser reads it."""
    from ..gitrepo import SETTINGS, TEAM

    repo = GitRepo(tmp_path / "goals")
    secret = "---\ntitle: Zorb deal\nperiod: 2026-Q4\nowner: sales\nprivate: true\nkey_results:\n  - title: Sign\n    done: false\n---\n"
    links = ("[A](https://okrs.example.com/objectives/x/../zorblax-deal/) [B](../../objectives/zorblax-deal/./) "
             "[C](https://okrs.example.com//objectives//zorblax-deal//) [D](https://okrs.example.com/objectives/zorblax-deal;x)")

    def public(current):
        return (f"---\ntitle: Pub objective\nperiod: 2026-Q4\nowner: sales\nkey_results:\n  - title: KR\n    target: 10\n"
                f"    current: {current}\n---\nSee {links}.\n")
    obj = "content/objectives/pub.md"
    repo.commit({"okrsite.toml": SETTINGS, "content/teams/sales.md": TEAM, obj: public(1), "content/objectives/zorblax-deal.md": secret},
                "2026-10-01T10:00:00+00:00")
    repo.commit({obj: public(2)}, "2026-10-15T10:00:00+00:00", message="Check-in\n\nAlso https://okrs.example.com/objectives/x/../zorblax-deal/ "
                "and ../../objectives/zorblax-deal/./ and //okrs.example.com//objectives//zorblax-deal//")
    out = tmp_path / "public"
    assert build(repo.root, out, audience="public").ok
    leaking = [str(f.relative_to(out)) for f in out.rglob("*") if f.is_file() and b"zorblax" in f.read_bytes()]
    assert leaking == [], leaking
    page = (out / "objectives/pub/index.html").read_text(encoding="utf-8")
    assert "See A B C D." in page and "Also a private objective and a private objective and a private objective" in page


SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "okrs.schema.json").read_text(encoding="utf-8"))


def made_public(tmp_path: Path) -> GitRepo:
    """A confidential key result and a confidential KPI, each made public without a new value."""
    r = GitRepo(tmp_path / "goals")
    o = ("---\ntitle: O\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - title: Cut cost\n{}"
         "    start: 50000\n    target: 30000\n    current: 42000\n---\n")
    k = "---\ntitle: K\nowner: company\nsource: s\ntarget: 90\n{}values:\n  - {{date: 2026-10-15, value: 80}}\n---\n"
    r.commit({"okrsite.toml": SETTINGS, "content/teams/company.md": TEAM, "content/objectives/o.md": o.format("    confidential: true\n"),
              "content/kpis/k.md": k.format("confidential: true\n")}, "2026-10-05T10:00:00+00:00", message="init")
    r.commit({"content/objectives/o.md": o.format(""), "content/kpis/k.md": k.format("")}, "2026-11-20T10:00:00+00:00", message="make public")
    return r


def test_a_key_result_and_a_kpi_made_public_say_their_numbers_are_withheld_as_the_schema_says(tmp_path):
    """QA CV: made public while their value was one of their confidential time, they had
    "confidential": false and no number keys, which the schema (and okrs-json.md) said never happens."""
    repo = made_public(tmp_path)
    for audience in ("public", "internal"):
        assert build(repo.root, tmp_path / audience, audience=audience, cache=False).ok
    data = json.loads((tmp_path / "public" / "okrs.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    [kr], [kpi] = data["objectives"][0]["key_results"], data["kpis"]
    assert (kr["confidential"], kr["withheld"], kpi["confidential"], kpi["withheld"]) == (False, True, False, True)
    assert not {"start", "target", "current"} & kr.keys() and not {"target", "current"} & kpi.keys()
    internal = json.loads((tmp_path / "internal" / "okrs.json").read_text(encoding="utf-8"))
    jsonschema.validate(internal, SCHEMA)
    assert "withheld" not in internal["objectives"][0]["key_results"][0] and "withheld" not in internal["kpis"][0]
    assert internal["objectives"][0]["key_results"][0]["current"] == 42000


def test_the_schema_refuses_numbers_beside_withheld_and_a_confidential_item_without_it(tmp_path):
    repo = made_public(tmp_path)
    assert build(repo.root, tmp_path / "public", audience="public", cache=False).ok
    data = json.loads((tmp_path / "public" / "okrs.json").read_text(encoding="utf-8"))
    numbers = json.loads(json.dumps(data))
    numbers["objectives"][0]["key_results"][0]["current"] = 42000
    unsaid = json.loads(json.dumps(data))
    kpi = unsaid["kpis"][0]
    kpi["confidential"] = True
    del kpi["withheld"]
    for wrong in (numbers, unsaid, dict(data, audience="internal")):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(wrong, SCHEMA)


def test_a_kpi_made_public_whose_target_is_withheld_says_so_once_on_its_tiles(tmp_path):
    """QA FK B: the tiles of a KPI made public while its value was one of its confidential time read
    "target target not public · 2026-10-15" (the tile's word "target", then the withheld wording)."""
    r = GitRepo(tmp_path / "goals")
    o = "---\ntitle: O\nperiod: 2026-Q4\nowner: company\nkpis: [k]\nkey_results:\n  - {title: A, target: 5, current: 1}\n---\n"
    k = "---\ntitle: K\nowner: company\nsource: s\ntarget: 90\n{}values:\n  - {{date: 2026-10-15, value: 80}}\n---\n"
    r.commit({"okrsite.toml": SETTINGS, "content/teams/company.md": TEAM, "content/objectives/o.md": o,
              "content/kpis/k.md": k.format("confidential: true\n")}, "2026-10-05T10:00:00+00:00", message="init")
    r.commit({"content/kpis/k.md": k.format("")}, "2026-11-20T10:00:00+00:00", message="make public")
    for audience in ("public", "internal"):
        assert build(r.root, tmp_path / audience, audience=audience, cache=False).ok
    tile = '<p class="muted">{} · <span class="fig" dir="ltr">2026-10-15</span></p>'
    for page in ("index.html", "teams/company/index.html", "objectives/o/index.html"):
        public = (tmp_path / "public" / page).read_text(encoding="utf-8")
        assert tile.format('<span class="withheld">target not public</span>') in public and "target target" not in public, page
        assert tile.format("target 90") in (tmp_path / "internal" / page).read_text(encoding="utf-8"), page


BURN_KPI = "---\ntitle: Burn\nowner: company\nunit: USD\ndirection: down\ntarget: 100\nfrequency: monthly\nsource: x\n{}{}---\n"
BURN_LINK = "---\ntitle: Grow\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - {{title: A, target: 5, current: 1}}\n---\nSee [burn]({}).\n"


def burn_made_public(tmp_path: Path, data: str = "content/kpis/burn.csv") -> GitRepo:
    """The KPI 'burn', confidential on 2026-10-01 with 123456 (of 2026-09-30) in its CSV file, public since 2026-12-01."""
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": 'title = "QA"\nas_of = 2026-12-06\n', "content/teams/company.md": TEAM,
              "content/kpis/burn.md": BURN_KPI.format("confidential: true\n", f"data: {data}\n"), data: "date,value\n2026-09-30,123456\n",
              "content/objectives/grow.md": BURN_LINK.format("../kpis/burn.csv")}, "2026-10-01T06:00:00+00:00")
    r.commit({"content/kpis/burn.md": BURN_KPI.format("", f"data: {data}\n"), data: "date,value\n2026-09-30,123456\n2026-11-30,99\n"},
             "2026-12-01T06:00:00+00:00")
    return r


def _published_123456(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and (b"123456" in p.read_bytes() or b"123,456" in p.read_bytes()))


def test_an_uncommitted_rename_of_a_kpi_confidential_once_publishes_none_of_its_values(tmp_path):
    """QA EG 1: `git mv burn.md spend.md` (or of its CSV, `data:` pointed at the new name), not committed yet, is the
    same KPI and the same file: the public build published 123456 in okrs.json, the KPI page and the CSV copied."""
    r = burn_made_public(tmp_path)
    r.git("mv", "content/kpis/burn.md", "content/kpis/spend.md")
    assert build(r.root, tmp_path / "kpi-moved", audience="public", cache=False).ok
    assert _published_123456(tmp_path / "kpi-moved") == []
    r = burn_made_public(tmp_path / "csv")
    r.git("mv", "content/kpis/burn.csv", "content/kpis/c3.csv")
    for rel in ("content/kpis/burn.md", "content/objectives/grow.md"):
        (r.root / rel).write_text((r.root / rel).read_text(encoding="utf-8").replace("burn.csv", "c3.csv"), encoding="utf-8")
    assert build(r.root, tmp_path / "csv-moved", audience="public", cache=False).ok
    assert _published_123456(tmp_path / "csv-moved") == []


@pytest.mark.parametrize("confidential", ["", "confidential: true\n"])
def test_the_old_data_file_of_a_confidential_kpi_stays_unpublished_once_no_kpi_names_it(tmp_path, confidential):
    """QA EG 2: its values moved inline (or the KPI deleted), the CSV file a body links to was published with the
    values of the KPI's confidential time, even for a KPI still confidential; check said nothing."""
    r = burn_made_public(tmp_path)
    r.commit({"content/kpis/burn.md": BURN_KPI.format(confidential, "values:\n  - {date: 2026-11-30, value: 99}\n")}, "2026-12-02T06:00:00+00:00")
    result = build(r.root, tmp_path / "inline", audience="public", cache=False)
    assert result.ok and _published_123456(tmp_path / "inline") == [] and not (tmp_path / "inline/kpis/burn.csv").exists()
    assert [(d.file, d.line) for d in result.report.warnings if "burn.csv" in d.message] == [("content/objectives/grow.md", 8)]
    r.commit({"content/kpis/burn.md": None}, "2026-12-03T06:00:00+00:00")
    assert build(r.root, tmp_path / "deleted", audience="public", cache=False).ok
    assert _published_123456(tmp_path / "deleted") == [] and not (tmp_path / "deleted/kpis/burn.csv").exists()


def test_a_copy_of_the_series_of_a_kpi_confidential_once_shows_none_of_the_values_of_that_time(tmp_path):
    """QA EG 3: the series copied into a new CSV file (the old one kept) was new to git, so its rows counted as
    written while the KPI was public: the public page and okrs.json showed 123456, dated in its confidential time."""
    r = burn_made_public(tmp_path, "data/burn.csv")
    r.commit({"data/burn-2027.csv": "date,value\n2026-09-30,123456\n2026-11-30,99\n2026-12-01,98\n",
              "content/kpis/burn.md": BURN_KPI.format("", "data: data/burn-2027.csv\n")}, "2026-12-02T06:00:00+00:00")
    assert build(r.root, tmp_path / "out", audience="public", cache=False).ok
    assert _published_123456(tmp_path / "out") == []
    [kpi] = json.loads((tmp_path / "out/okrs.json").read_text(encoding="utf-8"))["kpis"]
    assert [v["value"] for v in kpi["values"]] == [98]
