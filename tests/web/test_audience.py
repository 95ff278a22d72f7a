"""web/audience.py: the public view, the one place that decides what a public site shows (SPEC §14).

The leak test over every output byte is tests/test_leaks.py; here, what the view holds, case by case.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date

import pytest

from okrsite.build import build, check_site
from okrsite.goals.repository import load_site
from okrsite.web.audience import public_site, public_view, view_for_audience
from okrsite.web.export import okrs_json
from okrsite.web.render import View

from ..conftest import REPO, write_files

SECRET = "---\ntitle: Buy Acme quietly\nperiod: 2027-Q1\nowner: Zed Secretive\nparent: grow-customer-base\nprivate: true\nkey_results:\n  - title: Sign\n    done: false\n    owner: Quinn Hush\n---\nSee [[grow-customer-base]].\n"
CHILD = ("---\ntitle: Integrate Acme's team\nperiod: 2027-Q1\nowner: sales\nparent: buy-acme\nfollows: grow-customer-base\n"
         "key_results:\n  - title: Hire\n    target: 4\n    current: 1\n---\nPart of [[buy-acme]], `[[buy-acme|the deal]]` in code too.\n")
ROLLUP = "---\ntitle: Win the market\nperiod: 2027-Q1\nowner: company\n---\nRolls up its children.\n"
CAC = ("---\ntitle: Acquisition cost\nowner: company\nunit: USD\ndirection: down\ntarget: 12850\nthreshold: 18275\nsource: Finance\nconfidential: true\n"
       "objectives: [grow-customer-base, buy-acme]\nvalues:\n  - {date: 2026-09-30, value: 19100, note: board pack}\n  - {date: 2026-10-31, value: 14871.4}\n---\nSpend per new customer.\n")


def view_of(root, as_of: date | None = None) -> View:
    checked = check_site(root, as_of)
    assert not checked.report.errors, checked.report.errors
    loaded = checked.loaded
    return View(loaded.site, checked.scores, loaded.settings, checked.history)


@pytest.fixture
def secret_site(base_site):
    objective = (base_site / "content/objectives/grow-customer-base.md").read_text()
    objective = objective.replace("    current: 1120\n", "    current: 1120\n  - title: Cut acquisition cost\n    kpi: cac\n    start: 16412.8\n    target: 12850\n"
                                  "  - title: Margin\n    keep_above: 21475\n    confidential: true\n    history:\n      - {date: 2026-10-16, value: 23810.5, note: closed two}\n")
    return write_files(base_site, {
        "content/objectives/grow-customer-base.md": objective, "content/objectives/buy-acme.md": SECRET,
        "content/objectives/integrate.md": CHILD, "content/kpis/cac.md": CAC,
        "content/about.md": "---\ntitle: About\n---\nWe are [[buy-acme]] and [[buy-acme|more]]; [[grow-customer-base]] is public.\n",
    })


def test_a_site_with_nothing_private_or_confidential_is_its_own_public_site(base_site):
    site = load_site(base_site).site
    assert public_site(site) is site
    view = view_of(base_site)
    assert view_for_audience(view) is view
    assert view_for_audience(replace(view, settings=replace(view.settings, audience="public"))).site is view.site


def test_private_objectives_leave_every_list_relation_and_text(secret_site):
    whole = load_site(secret_site).site
    site = public_site(whole)
    assert "buy-acme" in whole.objectives and "buy-acme" not in site.objectives
    assert "buy-acme" not in site.children and site.children.get("grow-customer-base") is None
    assert site.kpi_objectives["cac"] == ("grow-customer-base",) and site.kpis["cac"].objectives == ("grow-customer-base",)
    assert "buy-acme" not in site.followed_by.get("grow-customer-base", ()) and site.followed_by["grow-customer-base"] == ("integrate",)
    child = site.objectives["integrate"]
    assert (child.parent, child.private_parent, child.follows) == (None, True, "grow-customer-base")
    assert "parent" not in child.doc.meta
    assert child.doc.body == "Part of a private objective, `a private objective` in code too.\n"
    assert site.pages["about"].doc.body == "We are a private objective and a private objective; [[grow-customer-base]] is public.\n"
    assert "Zed Secretive" in whole.people and "Zed Secretive" not in site.people and "Quinn Hush" not in site.people
    assert all("buy-acme" not in p.owns and "buy-acme" not in p.source[0] for p in site.people.values())
    assert set(site.periods) == set(whole.periods)  # 2027-Q1 still has a public objective


def test_a_period_only_private_objectives_use_has_no_page(secret_site):
    write_files(secret_site, {"content/objectives/integrate.md": CHILD.replace("2027-Q1", "2026-Q4").replace("follows: grow-customer-base\n", "")})
    whole = load_site(secret_site).site
    assert "2027-Q1" in whole.periods and "2027-Q1" not in public_site(whole).periods


def test_a_roll_up_parent_counts_its_private_children_and_says_so(secret_site):
    write_files(secret_site, {"content/objectives/rollup.md": ROLLUP, "content/objectives/buy-acme.md": SECRET.replace("parent: grow-customer-base", "parent: rollup")})
    whole = view_of(secret_site)
    public = public_view(whole)
    assert public.site.objectives["rollup"].counts_private is True
    assert public.site.objectives["grow-customer-base"].counts_private is False  # it has key results: children do not count
    assert public.scores.objectives["rollup"].progress == whole.scores.objectives["rollup"].progress
    assert whole.scores.objectives["rollup"].progress != whole.scores.objectives["integrate"].progress


def test_a_roll_up_parent_is_not_dated_by_its_private_child(secret_site):
    """A roll-up takes `updated` from its latest descendant; on the public site only from public ones."""
    dated = SECRET.replace("parent: grow-customer-base", "parent: rollup").replace(
        "    done: false\n", "    done: false\n    history:\n      - {date: 2026-11-20, value: 1}\n")
    write_files(secret_site, {"content/objectives/rollup.md": ROLLUP, "content/objectives/buy-acme.md": dated,
                              "content/objectives/integrate.md": CHILD.replace("parent: buy-acme", "parent: rollup").replace(
                                  "    current: 1\n", "    current: 1\n    history:\n      - {date: 2026-11-02, value: 1}\n")})
    whole = view_of(secret_site, date(2026, 11, 23))
    assert whole.scores.objectives["rollup"].updated == date(2026, 11, 20)
    public = public_view(whole)
    assert public.scores.objectives["rollup"].updated == public.scores.objectives["integrate"].updated == date(2026, 11, 2)


def test_confidential_numbers_are_gone_from_the_model_and_the_scores(secret_site):
    whole = view_of(secret_site)
    public = public_view(whole)
    kpi, state = public.site.kpis["cac"], public.scores.kpis["cac"]
    assert (kpi.target, kpi.threshold, kpi.target_text) == (None, None, None) and not {"target", "threshold", "values"} & kpi.doc.meta.keys()
    assert kpi.doc.body == "Spend per new customer.\n"
    assert state.withheld and state.current is None and [(p.date, p.value, p.note) for p in state.values] == [(date(2026, 9, 30), None, ""), (date(2026, 10, 31), None, "")]
    assert (state.health, state.trend, state.current_date) == (whole.scores.kpis["cac"].health, "improving", date(2026, 10, 31))
    objective, score = public.site.objectives["grow-customer-base"], public.scores.objectives["grow-customer-base"]
    public_kr, linked, guard = objective.key_results
    assert not public_kr.confidential and public_kr.target == 1300 and not score.key_results[0].withheld
    for kr, k in zip(objective.key_results[1:], score.key_results[1:]):
        assert kr.confidential and k.withheld and k.current is None
        assert (kr.start, kr.target, kr.current, kr.keep_above, kr.keep_below) == (None,) * 5
        assert all(p.value is None and not p.note for p in k.history)
    assert score.key_results[2].held is True and score.key_results[1].progress == whole.scores.objectives["grow-customer-base"].key_results[1].progress
    entries = objective.doc.meta["key_results"]
    assert entries[0]["target"] == 1300 and set(entries[1]) == {"title", "kpi"} and set(entries[2]) == {"title", "confidential"}
    assert score.progress == whole.scores.objectives["grow-customer-base"].progress


def test_the_whole_view_is_not_changed(secret_site):
    whole = view_of(secret_site)
    before = okrs_json(whole.site, whole.scores)
    public_view(whole)
    assert okrs_json(whole.site, whole.scores) == before and whole.scores.kpis["cac"].current == 14871.4


def test_charts_of_confidential_series_have_nothing_to_draw(secret_site):
    public = public_view(view_of(secret_site))
    assert public.values("cac") == [] and public.values("mrr") == [(date(2026, 11, 1), 46500.0)]
    o = public.site.objectives["grow-customer-base"]
    assert public.burnup(o) == ()
    assert public.guardrail_values(o, o.key_results[2], public.scores.objectives[o.id].key_results[2]) == []


def test_a_finished_period_keeps_the_health_its_confidential_kpi_had_at_its_end(secret_site):
    """The review of 2026-Q4, seen in 2027: the KPI was critical at the quarter's end (its latest value
    then, 19100, is beyond 18275), healthy-ish since: the review's health comes from the whole site,
    shown without the value."""
    write_files(secret_site, {"content/kpis/cac.md": CAC.replace("  - {date: 2026-10-31, value: 14871.4}\n", "  - {date: 2027-01-31, value: 14871.4}\n")})
    whole = view_of(secret_site, date(2027, 2, 15))
    public = public_view(whole)
    q4 = whole.site.periods["2026-Q4"]
    (inside,) = [(k, st) for k, st in whole.kpis_at_end(q4) if k.id == "cac"]
    (outside,) = [(k, st) for k, st in public.kpis_at_end(q4) if k.id == "cac"]
    assert (inside[1].health, inside[1].current) == ("critical", 19100)
    assert (outside[1].health, outside[1].current, outside[1].withheld) == ("critical", None, True)
    assert whole.scores.kpis["cac"].health == "warning"  # today's health differs: the review's is the period's


def test_changes_notes_and_raw_history_stay_out_of_the_public_view(secret_site):
    public = public_view(view_of(secret_site))
    assert public.history is None and public.changes == ()
    assert public.scores.logs is None or (public.scores.logs.objectives, public.scores.logs.kpis) == ({}, {})


def test_the_public_okrs_json_of_a_build_matches_the_view(secret_site, tmp_path):
    assert build(secret_site, tmp_path / "out", audience="public").ok
    data = (tmp_path / "out" / "okrs.json").read_text(encoding="utf-8")
    assert "buy-acme" not in data and "Buy Acme" not in data and "12850" not in data and "14871.4" not in data and "board pack" not in data


def test_the_example_public_view_shows_every_kind_of_secret_in_words():
    view = public_view(view_of(REPO))
    assert "acquire-kingfisher-analytics" not in view.site.objectives
    assert view.site.objectives["offer-live-warehouse-connectors"].private_parent
    assert view.site.objectives["win-customer-love"].counts_private
    assert view.scores.kpis["customer-acquisition-cost"].withheld
    assert [k.withheld for k in view.scores.objectives["win-customers-at-lower-cost"].key_results] == [True, True, True, False]


HIDDEN = "---\ntitle: Prepare a takeover\nperiod: 2027-Q1\nowner: company\nparent: rollup\nprivate: true\n---\nRolls up its children.\n"
DROPPED = ("---\ntitle: Buy Acme\nperiod: 2027-Q1\nowner: sales\nparent: prepare\nprivate: true\nstatus: cancelled\n"
           "key_results:\n  - title: Sign\n    done: false\n---\n")
OPEN = "---\ntitle: Open a shop\nperiod: 2027-Q1\nowner: sales\nparent: rollup\nkey_results:\n  - title: Open\n    done: false\n---\n"
COUNTS = "This progress also counts objectives aligned to this one that are private"


@pytest.mark.parametrize("dropped, counts", [(DROPPED, False), (DROPPED.replace("status: cancelled\n", ""), True)])
def test_a_private_child_cancelled_by_computation_is_not_counted_in_either_audience(base_site, tmp_path, dropped, counts):
    """"prepare" has no key results and every objective aligned to it is cancelled: it is cancelled too
    (computed), left out of its parent's roll-up, and so not a private objective the parent counts."""
    write_files(base_site, {"content/objectives/rollup.md": ROLLUP, "content/objectives/prepare.md": HIDDEN,
                            "content/objectives/buy-acme.md": dropped, "content/objectives/open-shop.md": OPEN})
    whole = view_of(base_site)
    assert (whole.scores.objectives["prepare"].status == "cancelled") is not counts
    public = public_view(whole)
    assert public.site.objectives["rollup"].counts_private is counts
    for audience in ("internal", "public"):
        out = tmp_path / audience
        assert build(base_site, out, audience=audience).ok
        page = (out / "objectives" / "rollup" / "index.html").read_text()
        assert (COUNTS in page) is (counts and audience == "public")
        rollup = next(o for o in okrs_json_of(out)["objectives"] if o["id"] == "rollup")
        assert rollup.get("counts_private", False) is (counts and audience == "public")


def okrs_json_of(out):
    import json
    return json.loads((out / "okrs.json").read_text())


def test_a_link_to_a_private_objective_in_a_title_or_a_reason_names_no_id(secret_site, tmp_path):
    """`[[buy-acme]]` written in a title, a key result's title or a health reason (texts shown as
    written, not Markdown) put the private objective's id on the public site."""
    write_files(secret_site, {
        "content/objectives/integrate.md": CHILD.replace("title: Integrate Acme's team", "title: Follow up [[buy-acme]]").replace("title: Hire", "title: Hire for [[buy-acme|the deal]]"),
        "content/kpis/cac.md": CAC.replace("confidential: true\n", "confidential: true\nhealth:\n  level: 2\n  reasons: [\"Waiting on [[buy-acme]]\"]\n"),
        "content/teams/sales.md": (secret_site / "content/teams/sales.md").read_text().replace("title: Sales", "title: Sales ([[buy-acme]])"),
    })
    site = public_view(view_of(secret_site)).site
    child = site.objectives["integrate"]
    assert (child.title, child.key_results[0].title) == ("Follow up a private objective", "Hire for a private objective")
    assert site.kpis["cac"].health.reasons == ("Waiting on a private objective",)
    assert site.teams["sales"].title == "Sales (a private objective)"
    assert build(secret_site, tmp_path / "out", audience="public").ok
    leaking = [str(f.relative_to(tmp_path / "out")) for f in (tmp_path / "out").rglob("*") if f.is_file() and b"buy-acme" in f.read_bytes()]
    assert leaking == [], leaking


def test_a_kpi_pages_description_says_its_value_is_not_public_or_not_there_yet(secret_site, tmp_path):
    """The meta description (what a search engine shows of a public page) read "Acquisition cost:
    confidential on 2026-10-31, warning.", and a KPI with no value yet (numbers in a BI tool) "…: –,"."""
    write_files(secret_site, {"content/kpis/nps.md": "---\ntitle: Net promoter score\nowner: company\ntarget: above 40\nsource: Survey tool\n---\n"})
    assert build(secret_site, tmp_path / "public", audience="public").ok
    assert build(secret_site, tmp_path / "internal").ok

    def description(out: str, kpi: str) -> str:
        return (tmp_path / out / "kpis" / kpi / "index.html").read_text(encoding="utf-8").split('<meta name="description" content="')[1].split('"')[0]

    assert description("public", "cac") == "Acquisition cost: value not public (latest 2026-10-31), warning. Spend per new customer."
    assert description("internal", "cac") == "Acquisition cost: 14,871.4 USD on 2026-10-31, warning. Spend per new customer."
    assert description("internal", "nps") == description("public", "nps") == "Net promoter score: no value yet, unknown."


def test_a_confidential_kpis_data_file_is_not_named_on_the_public_site(secret_site, tmp_path):
    """The public page said "Data source: not given (data/acquisition-kingfisher-costs.csv)": the file's
    name, not in the docs' list of what a confidential KPI keeps public, may say more than its title (QA ER)."""
    cac = (secret_site / "content/kpis/cac.md").read_text().replace("source: Finance\n", "data: data/kingfisher-costs.csv\n")
    cac = cac.split("values:")[0] + "---\nSpend per new customer.\n"
    write_files(secret_site, {"content/kpis/cac.md": cac, "data/kingfisher-costs.csv": "date,value\n2026-10-31,14871.4\n"})
    assert build(secret_site, tmp_path / "public", audience="public").ok
    assert build(secret_site, tmp_path / "internal").ok
    public = [path for path in (tmp_path / "public").rglob("*") if path.is_file()]
    assert public and not [path for path in public if b"kingfisher" in path.read_bytes()]
    internal = (tmp_path / "internal" / "kpis/cac/index.html").read_text(encoding="utf-8")
    assert "not given <span class=\"muted\">(data/kingfisher-costs.csv)</span>" in internal


def test_every_page_showing_a_roll_ups_progress_says_it_counts_private_objectives(base_site, tmp_path):
    """SPEC §14: the parent's progress still counts its private child, and the page says so: not only
    its own page, also the review, the period, the team and the dashboard, which show that progress."""
    write_files(base_site, {"okrsite.toml": 'title = "Mini"\nas_of = 2027-02-10\n', "content/objectives/rollup.md": ROLLUP,
                            "content/objectives/prepare.md": HIDDEN.replace("parent: rollup\n", "parent: rollup\nkey_results:\n  - title: Plan\n    done: false\n"),
                            "content/objectives/open-shop.md": OPEN})
    pages = ["periods/2027-q1/review/", "periods/2027-q1/", "teams/company/", "", "objectives/rollup/"]
    for audience in ("internal", "public"):
        out = tmp_path / audience
        assert build(base_site, out, audience=audience).ok
        for url in pages:
            html = (out / url / "index.html").read_text(encoding="utf-8")
            assert ("also counts objectives aligned to" in html) is (audience == "public"), (audience, url)
    review = (tmp_path / "public" / "periods/2027-q1/review/index.html").read_text(encoding="utf-8")
    rollup = review.split('data-objective="rollup"')[1].split("</article>")[0]
    assert COUNTS in rollup
    period = (tmp_path / "public" / "periods/2027-q1/index.html").read_text(encoding="utf-8")
    assert re.search(r"The progress of <a [^>]*>Win the market</a> also counts objectives aligned to it that are private", period)


def test_a_link_to_a_private_objective_in_a_kpis_source_or_words_names_no_id(secret_site, tmp_path):
    """A KPI's source, category, unit and target in words are shown as written, like its title: a
    `[[buy-acme]]` in them put the private objective's id on the public KPI page and in okrs.json."""
    write_files(secret_site, {"content/kpis/deals.md": "---\ntitle: Deals\nowner: company\nsource: \"deal room of [[buy-acme]]\"\n"
                              "category: \"[[buy-acme]] work\"\nunit: \"[[buy-acme|deals]]\"\ntarget: \"as many as [[buy-acme]] needs\"\n---\nCounted.\n"})
    whole = view_of(secret_site).site.kpis["deals"]
    deals = public_view(view_of(secret_site)).site.kpis["deals"]
    assert whole.source == "deal room of [[buy-acme]]", "the internal site shows it as written"
    assert (deals.source, deals.category, deals.unit, deals.target_text) == (
        "deal room of a private objective", "a private objective work", "a private objective", "as many as a private objective needs")
    assert build(secret_site, tmp_path / "out", audience="public").ok
    leaking = [str(f.relative_to(tmp_path / "out")) for f in (tmp_path / "out").rglob("*") if f.is_file() and b"buy-acme" in f.read_bytes()]
    assert leaking == [], leaking
    assert "deal room of a private objective" in (tmp_path / "out" / "kpis/deals/index.html").read_text(encoding="utf-8")


def test_a_private_child_from_a_period_after_the_roll_up_s_is_not_said_to_count(base_site, tmp_path):
    """A roll-up leaves out objectives aligned from a period that starts after its own ends: a private
    one among them made the public page say "also counts private objectives", which it does not."""
    later = HIDDEN.replace("period: 2027-Q1", "period: 2027-Q2").replace("---\nRolls up its children.\n", "key_results:\n  - title: Plan\n    done: false\n---\n")
    write_files(base_site, {"content/objectives/rollup.md": ROLLUP, "content/objectives/prepare.md": later, "content/objectives/open-shop.md": OPEN})
    public = public_view(view_of(base_site))
    assert public.site.objectives["rollup"].counts_private is False
    out = tmp_path / "public"
    assert build(base_site, out, audience="public").ok
    assert COUNTS not in (out / "objectives" / "rollup" / "index.html").read_text()


def test_the_part_of_a_split_alignment_list_that_shows_a_roll_up_says_it_counts_private_objectives(base_site, tmp_path, monkeypatch):
    """The alignment list of a long period is cut in pages: the part showing the roll-up's progress
    says it counts private objectives, as the whole list does; a part without it says nothing."""
    from okrsite.web import render

    monkeypatch.setattr(render, "ALIGNMENT_LIST_LIMIT", 2)
    write_files(base_site, {"okrsite.toml": 'title = "Mini"\nas_of = 2027-02-10\n', "content/objectives/rollup.md": ROLLUP,
                            "content/objectives/prepare.md": HIDDEN.replace("parent: rollup\n", "parent: rollup\nkey_results:\n  - title: Plan\n    done: false\n"),
                            "content/objectives/open-shop.md": OPEN,
                            "content/objectives/another-top.md": OPEN.replace("Open a shop", "Hire well").replace("parent: rollup\n", "")})
    out = tmp_path / "public"
    assert build(base_site, out, audience="public").ok
    parts = sorted((out / "periods/2027-q1/alignment").glob("*/index.html"))
    assert len(parts) > 1, parts
    saying = [p.parent.name for p in parts if "also counts objectives aligned to" in p.read_text(encoding="utf-8")]
    holding = [p.parent.name for p in parts if ">Win the market</a>" in p.read_text(encoding="utf-8")]
    assert saying == holding and len(saying) == 1, (saying, holding)


def test_a_link_to_a_private_objective_in_a_tag_a_unit_or_a_check_in_note_names_no_id(secret_site, tmp_path):
    """Every text field goes through the same unlinking: a tag, a key result's unit and a written
    check-in's note put the private objective's id on the objective and review pages, in okrs.json
    and in the search index."""
    write_files(secret_site, {"okrsite.toml": 'title = "Mini"\nas_of = 2027-04-10\n', "content/objectives/integrate.md": CHILD.replace(
        "key_results:\n  - title: Hire\n    target: 4\n    current: 1\n",
        'tags: [growth, "[[buy-acme]]"]\nkey_results:\n  - title: Hire\n    target: 4\n    unit: "[[buy-acme]] teams"\n'
        '    history:\n      - {date: 2027-01-10, value: 1, note: "after the [[buy-acme|deal]] call"}\n')})
    child = public_view(view_of(secret_site)).site.objectives["integrate"]
    assert child.tags == ("growth", "a private objective")
    assert (child.key_results[0].unit, child.key_results[0].history[0].note) == ("a private objective teams", "after the a private objective call")
    assert view_of(secret_site).site.objectives["integrate"].tags == ("growth", "[[buy-acme]]"), "the internal site shows it as written"
    assert build(secret_site, tmp_path / "out", audience="public").ok
    leaking = [str(f.relative_to(tmp_path / "out")) for f in (tmp_path / "out").rglob("*") if f.is_file() and b"buy-acme" in f.read_bytes()]
    assert leaking == [], leaking
    page = (tmp_path / "out" / "objectives/integrate/index.html").read_text(encoding="utf-8")
    assert "a private objective teams" in page and "after the a private objective call" in page


def test_a_public_objective_aligned_to_a_private_one_says_so_in_every_list_not_only_on_its_page(tmp_path):
    """The public dashboard listed "Offer live connectors…" among the top objectives as if it were a
    company objective; SPEC §14: its public children show "aligned to a private objective"."""
    out = tmp_path / "out"
    assert build(REPO, out, audience="public", cache=False).ok
    for page in ("index.html", "periods/2026-q4/index.html"):
        text = (out / page).read_text()
        row = re.search(r'<a class="row-title" href="[^"]*offer-live-warehouse-connectors/index.html".*?</div>', text, re.S)
        assert row and "aligned to a private objective" in row[0], page
    # a confidential KPI's tile: its target is not public, so its date is not led by a separator
    assert '<p class="muted"> · ' not in (out / "index.html").read_text()
    assert re.search(r'customer-acquisition-cost/index.html".*?<p class="muted">as of <span class="fig" dir="ltr">\d{4}-\d{2}-\d{2}</span></p>', (out / "index.html").read_text(), re.S)
    assert build(REPO, tmp_path / "internal", cache=False).ok
    assert "aligned to a private objective" not in (tmp_path / "internal/index.html").read_text()


def test_a_markdown_link_to_a_private_objective_s_file_or_page_names_it_nowhere(secret_site, tmp_path):
    """QA AX: a public build dropped a Markdown link to a private objective's file from the page's body,
    but a text shown as written (okrs.json's retro, a check-in note, a KPI's source, a health reason)
    kept `[the deal](buy-acme.md)`: the file's name. Such a link is its words alone now, by the
    objective's id or its file's name (here `vault-plan.md`, whose id is `plan-b`)."""
    retro = 'retro: "Lost focus to [the deal](buy-acme.md); see [plan][p] and <https://okrs.example/objectives/plan-b/>.\\n\\n[p]: ../objectives/vault-plan.md"\n'
    write_files(secret_site, {
        "okrsite.toml": 'title = "Mini"\nas_of = 2027-04-10\n',
        "content/objectives/vault-plan.md": SECRET.replace("title: Buy Acme quietly", "id: plan-b\ntitle: Plan B"),
        "content/objectives/integrate.md": CHILD.replace("key_results:\n  - title: Hire\n    target: 4\n    current: 1\n",
                                                         retro + "key_results:\n  - title: Hire\n    target: 4\n    history:\n"
                                                         "      - {date: 2027-01-10, value: 1, note: \"after [the call](../objectives/buy-acme/index.html)\"}\n"),
        "content/kpis/deals.md": "---\ntitle: Deals\nowner: company\nsource: \"deal room, see [kf](../objectives/buy-acme.md#sign)\"\n"
                                 "health: {level: 2, reasons: [\"[plan](vault-plan.md) slipped\"]}\n---\nCounted.\n",
    })
    child = public_view(view_of(secret_site)).site.objectives["integrate"]
    assert child.key_results[0].history[0].note == "after the call"
    assert view_of(secret_site).site.objectives["integrate"].key_results[0].history[0].note.endswith("(../objectives/buy-acme/index.html)"), "internal: as written"
    out = tmp_path / "out"
    assert build(secret_site, out, audience="public").ok
    leaking = [str(f.relative_to(out)) for f in out.rglob("*") if f.is_file() and any(name in f.read_bytes() for name in (b"buy-acme", b"vault-plan", b"plan-b"))]
    assert leaking == [], leaking
    data = json.loads((out / "okrs.json").read_text(encoding="utf-8"))
    shown = next(o for o in data["objectives"] if o["id"] == "integrate")
    assert shown["retro"].startswith("Lost focus to the deal; see plan and a private objective.")
    deals = next(k for k in data["kpis"] if k["id"] == "deals")
    assert (deals["source"], deals["health_reasons"]) == ("deal room, see kf", ["plan slipped"])
    assert build(secret_site, tmp_path / "internal").ok
    assert b"buy-acme.md" in (tmp_path / "internal" / "okrs.json").read_bytes()


def sign(title: str, ident_parent: str, current: int, secret: bool = False) -> str:
    return (f"---\ntitle: {title}\nperiod: 2027-Q1\nowner: company\nparent: {ident_parent}\n" + ("private: true\n" if secret else "")
            + f"key_results:\n  - title: Sign\n    target: 10\n    history:\n      - {{date: 2027-01-10, value: {current // 3}}}\n"
            f"      - {{date: 2027-02-10, value: {current}}}\n---\n")


def test_a_roll_up_s_public_forecast_is_the_mean_of_its_public_children_s_and_says_so(base_site, tmp_path):
    """QA CM: a roll-up's forecast counted its private child's, and nothing said so: from okrs.json
    (parent 72 %, public child 44 %) anyone worked out the private one's, 100 %. SPEC §14 lets only its
    progress count a private objective (said on the page); its forecast is its public children's mean."""
    write_files(base_site, {"okrsite.toml": 'title = "Mini"\nas_of = 2027-02-20\n', "content/objectives/rollup.md": ROLLUP,
                            "content/objectives/secret.md": sign("Acquire Kingfisher", "rollup", 6, secret=True),
                            "content/objectives/shop.md": sign("Open a shop", "rollup", 3)})
    whole = view_of(base_site)
    public = public_view(whole)
    forecasts = {ident: s.forecast.progress for ident, s in whole.scores.objectives.items() if ident in ("rollup", "secret", "shop")}
    assert forecasts["rollup"] == pytest.approx((forecasts["secret"] + forecasts["shop"]) / 2) and forecasts["secret"] != forecasts["shop"]
    assert public.scores.objectives["rollup"].forecast.progress == pytest.approx(forecasts["shop"])
    assert public.scores.objectives["rollup"].progress == whole.scores.objectives["rollup"].progress  # its progress still counts it
    out = tmp_path / "public"
    assert build(base_site, out, audience="public").ok
    rollup = next(o for o in json.loads((out / "okrs.json").read_text())["objectives"] if o["id"] == "rollup")
    assert rollup["forecast"]["progress"] == round(forecasts["shop"], 3)
    page = (out / "objectives/rollup/index.html").read_text(encoding="utf-8")
    assert "mean of the forecasts of the aligned objectives this site shows" in page and COUNTS in page
    assert build(base_site, tmp_path / "internal").ok
    assert "(mean of the aligned objectives" in (tmp_path / "internal/objectives/rollup/index.html").read_text(encoding="utf-8")
    internal = next(o for o in json.loads((tmp_path / "internal/okrs.json").read_text())["objectives"] if o["id"] == "rollup")
    assert internal["forecast"]["progress"] == round(forecasts["rollup"], 3)


def test_a_roll_up_whose_counted_children_are_all_private_has_no_public_forecast(base_site):
    write_files(base_site, {"okrsite.toml": 'title = "Mini"\nas_of = 2027-02-20\n', "content/objectives/rollup.md": ROLLUP,
                            "content/objectives/secret.md": sign("Acquire Kingfisher", "rollup", 6, secret=True)})
    whole = view_of(base_site)
    assert whole.scores.objectives["rollup"].forecast is not None
    assert public_view(whole).scores.objectives["rollup"].forecast is None


def test_a_roll_up_of_private_objectives_alone_counts_in_no_forecast_above_it(base_site, tmp_path):
    """QA CS: a public roll-up `mid` whose only child is private has no public forecast; the roll-up
    above it counted `mid` with its progress (57 %: neither its forecast nor anyone's) and, with `mid`
    its only child, showed "70 % (off-track), from current progress". It leaves `mid` out now."""
    mid = ROLLUP.replace("title: Win the market", "title: Middle\nparent: rollup")
    files = {"okrsite.toml": 'title = "Mini"\nas_of = 2027-02-20\n', "content/objectives/rollup.md": ROLLUP,
             "content/objectives/mid.md": mid, "content/objectives/secret.md": sign("Acquire Kingfisher", "mid", 9, secret=True)}
    write_files(base_site, {**files, "content/objectives/shop.md": sign("Open a shop", "rollup", 3)})
    public = public_view(view_of(base_site))
    shop = public.scores.objectives["shop"].forecast
    assert public.scores.objectives["mid"].forecast is None
    assert public.scores.objectives["rollup"].forecast.progress == pytest.approx(shop.progress)
    assert public.scores.objectives["rollup"].forecast.of_shown
    (base_site / "content/objectives/shop.md").unlink()
    assert public_view(view_of(base_site)).scores.objectives["rollup"].forecast is None


def test_a_link_to_another_site_is_kept_whatever_its_last_part(base_site, tmp_path):
    """QA CM: `https://bi.example.com/dashboards/revenue`, with a private objective `revenue`, read "a
    private objective" in a KPI's dashboard links, body and okrs.json: only an address of the site
    (a page or a goals file) is one to a private objective; a whole address to another site is not."""
    secret = "---\ntitle: Secret plan\nperiod: 2027-Q1\nowner: company\nprivate: true\nkey_results:\n  - {title: Sign, done: false}\n---\n"
    board = "https://bi.example.com/dashboards/revenue"
    write_files(base_site, {"content/objectives/revenue.md": secret, "content/kpis/mrr.md": (
        f"---\ntitle: MRR\nowner: company\nsource: \"Billing, see //bi.example.com/boards/revenue\"\ndashboard: [\"{board}\"]\n"
        f"values:\n  - {{date: 2026-10-31, value: 5}}\n---\nNumbers on [the BI board]({board}) and <{board}?tab=1>; "
        "not [ours](https://okrs.example/objectives/revenue/) nor [the file](https://git.example/goals/blob/main/content/objectives/revenue.md).\n")})
    out = tmp_path / "public"
    assert build(base_site, out, audience="public").ok
    page = (out / "kpis/mrr/index.html").read_text(encoding="utf-8")
    assert f'<a href="{board}" rel="nofollow">' in page and f'<a href="{board}">the BI board</a>' in page and f'{board}?tab=1' in page
    assert "not ours nor the file." in page and "objectives/revenue" not in page
    mrr = next(k for k in json.loads((out / "okrs.json").read_text())["kpis"] if k["id"] == "mrr")
    assert mrr["dashboard"] == [board] and mrr["source"] == "Billing, see //bi.example.com/boards/revenue"


def test_a_public_roll_up_s_grade_awaits_only_what_its_public_children_await(tmp_path):
    """A roll-up's grade awaits what the objectives it counts await (numbers' Rollup.awaited); on the
    public site, as in the public digest, not a private child's: it would say which KPI that child follows."""
    from .test_render import GROW_REVENUE, awaiting_site, text_of

    company = "---\ntitle: Grow the company\nperiod: 2026\nowner: sales\n---\n"
    private = GROW_REVENUE.replace("owner: sales\n", "owner: sales\nparent: company\nprivate: true\n")
    out = awaiting_site(tmp_path, {"content/objectives/company.md": company, "content/objectives/grow-revenue.md": private})
    assert "provisional grade 0.49" in text_of(out / "objectives/company/index.html")
    build(tmp_path / "goals", tmp_path / "public", as_of=date(2027, 1, 4), audience="public")
    page = text_of(tmp_path / "public/objectives/company/index.html")
    assert "final grade 0.49" in page and "Final: 2026 ended" in page
    [shown] = json.loads((tmp_path / "public/okrs.json").read_text())["objectives"]
    assert "awaiting" not in shown
