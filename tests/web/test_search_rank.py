"""The search ranking (theme/static/search.js) run in node on indexes okrsite writes (okrsite/web/search.py).

The ranking lives in the browser script; node runs the same file, whose pure functions it exports.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from okrsite.build import check_site
from okrsite.goals.model import PLAIN_LATIN, folded, letters_folded
from okrsite.web.search import SEARCH_INDEX, index_script, search_entries, search_index

REPO = Path(__file__).resolve().parents[2]
SEARCH_JS = REPO / "theme" / "static" / "search.js"
AS_OF = date(2026, 11, 23)

RUN = """
const api = require(process.argv[1]);
let index; global.okrsiteIndex = (data) => { index = data; };
require(process.argv[2]);
const db = api.prepare(index);
const asked = JSON.parse(process.argv[3]);
console.log(JSON.stringify(asked.map(([query, filters]) => api.search(db, query, filters).hits.map(e => [e.title, e.url, api.detail(db, e)]))));
"""


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def objective(ident: str, title: str, owner: str = "sales", period: str = "2026-Q4", extra: str = "", body: str = "") -> tuple[str, str]:
    return f"content/objectives/{ident}.md", (
        f"---\ntitle: {title}\nperiod: {period}\nowner: {owner}\n{extra}"
        "key_results:\n  - title: Sign ten customers\n    target: 10\n    current: 4\n---\n" + body
    )


@pytest.fixture(scope="module")
def ranked(tmp_path_factory):
    """ask([(query, filters)]) -> for each, the [title, url, detail] of every hit, best first."""
    if shutil.which("node") is None:
        pytest.skip("node is missing: the ranking runs in node (apt-get install nodejs)")
    root = tmp_path_factory.mktemp("rank")
    write(root, "okrsite.toml", 'title = "Rank"\ngit_history = false\n')
    write(root, "content/teams/company.md", "---\ntitle: Company\n---\n")
    write(root, "content/teams/sales.md", "---\ntitle: Sales\nparent: company\nlead: Ann Lee\nmembers: [Ann Lee, Bo Chan]\n---\n")
    write(root, "content/teams/emea.md", "---\ntitle: EMEA Sales\nparent: sales\n---\n")
    write(root, "content/teams/ops.md", "---\ntitle: Operations\nparent: company\n---\n")
    files = [
        objective("carriers", "Sign three new carriers", owner="ops", body="Freight partners."),
        objective("arr", "Annual recurring revenue above plan", owner="company", extra="tags: [growth]\n"),
        objective("paris", "Open the Paris office", owner="emea", extra="parent: arr\n"),
        objective("hire", "Hire two account executives", owner="Bo Chan", extra="parent: arr\n", body="Our hiring plan for the **café** team."),
        objective("old", "Annual recurring revenue in Q3", owner="company", period="2026-Q3", extra="status: missed\n"),
        objective("revenue-ops", "Clean up revenue operations", owner="ops", extra="parent: arr\n"),
    ]
    for rel, text in files:
        write(root, rel, text)
    write(root, "content/kpis/mrr.md", "---\ntitle: Monthly recurring revenue\nowner: sales\nsource: billing\ncategory: financial\n---\n")
    write(root, "content/how.md", "---\ntitle: How we do OKRs\n---\nWe write them together.\n")
    write(root, "content/objectives/grosser.md", "---\ntitle: Größer werden, ılık bleiben\nperiod: 2026-Q4\nowner: İlkay Işık\n"
          "key_results:\n  - title: Mehr Kunden\n    target: 10\n---\n")
    return asker(root)


def asker(root: Path):
    """ask([(query, filters)]) on the site at ``root`` (which needs node)."""
    checked = check_site(root, AS_OF)
    assert not checked.report.errors, [vars(d) for d in checked.report.errors]
    site = checked.loaded.site
    script = root / SEARCH_INDEX
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_bytes(index_script(search_index(site, checked.scores, search_entries(site, checked.scores), "2026-Q4")))

    def ask(*queries):
        done = subprocess.run(["node", "-e", RUN, str(SEARCH_JS), str(script), json.dumps([[q, f] for q, f in queries])],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    return ask


def node(script: str, *args: str):
    """What ``script`` prints, run in node with search.js's functions as ``api`` and ``args`` as ``args``."""
    if shutil.which("node") is None:
        pytest.skip("node is missing: the ranking runs in node (apt-get install nodejs)")
    done = subprocess.run(["node", "-e", f"const api = require({json.dumps(str(SEARCH_JS))}); const args = process.argv.slice(1);\n{script}", *args],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def titles(hits) -> list[str]:
    return [hit[0] for hit in hits]


def test_initials_rank_above_letters_inside_a_word(ranked):
    [hits] = ranked(("arr", {}))
    found = titles(hits)
    assert found.index("Annual recurring revenue above plan") < found.index("Sign three new carriers")
    assert found[0] == "Annual recurring revenue above plan"  # this period's before Q3's
    assert "Monthly recurring revenue" not in found  # "mrr", not "arr"


def test_all_initials_rank_above_a_run_of_them(ranked):
    [hits] = ranked(("mrr", {}))
    assert titles(hits)[0] == "Monthly recurring revenue"


def test_word_starts_in_titles_rank_above_owners_and_text(ranked):
    [hits] = ranked(("revenue", {}))
    found = titles(hits)
    assert set(found[:4]) == {"Annual recurring revenue above plan", "Annual recurring revenue in Q3", "Clean up revenue operations", "Monthly recurring revenue"}
    [hits] = ranked(("ops", {}))
    assert titles(hits)[0] == "Operations"  # a team's id is its own word; objectives owned by it follow


def test_the_whole_title_typed_comes_first(ranked):
    [hits] = ranked(("Open the Paris office", {}))
    assert titles(hits) == ["Open the Paris office"]
    [hits] = ranked(("annual recurring revenue in q3", {}))
    assert titles(hits)[0] == "Annual recurring revenue in Q3"


def test_every_word_must_match_in_any_field_without_accents(ranked):
    [both, none, accent, body] = ranked(("paris emea", {}), ("paris freight", {}), ("cafe", {}), ("freight", {}))
    assert titles(both) == ["Open the Paris office"] and none == []
    assert titles(accent) == ["Hire two account executives"] and titles(body) == ["Sign three new carriers"]


def test_key_results_link_to_their_place_on_the_objective_page(ranked):
    [hits] = ranked(("sign ten", {}))
    assert len(hits) == 6 and all(hit[0] == "Sign ten customers" for hit in hits)
    assert ["Sign ten customers", "objectives/arr/#arr-kr1", "Key result · 2026-Q4 · Annual recurring revenue above plan"] in hits


def test_a_key_result_says_its_period_as_its_objective_does(ranked):
    """QA CK: "Nordic customers" of six quarters read six times "Key result · Open the Nordic market"."""
    [hits] = ranked(("sign ten customers q3", {}))
    assert [hit[2] for hit in hits] == ["Key result · 2026-Q3 · Annual recurring revenue in Q3"]


def test_filters_narrow_by_period_team_and_status(ranked):
    everything, q3, missed, sales, unknown = ranked(("revenue", {}), ("revenue", {"period": "2026-Q3"}), ("", {"status": "missed"}),
                                                     ("", {"team": "sales"}), ("revenue", {"period": "2027-Q1"}))
    assert titles(q3) == ["Annual recurring revenue in Q3"] and len(everything) > len(q3)
    assert titles(missed)[0] == "Annual recurring revenue in Q3" and {h[2].split(" · ")[0] for h in missed} == {"Objective", "Key result"}
    # a team's own goals, its sub-teams' (EMEA) and its members' (Bo Chan), the teams and people themselves
    assert {"Open the Paris office", "Hire two account executives", "Monthly recurring revenue", "Sales", "EMEA Sales", "Bo Chan"} <= set(titles(sales))
    assert "Sign three new carriers" not in titles(sales) and "Operations" not in titles(sales)
    assert unknown == []


def test_tags_are_found(ranked):
    [hits] = ranked(("growth", {}))
    assert titles(hits)[0] == "Annual recurring revenue above plan"


def test_people_teams_and_pages_are_found(ranked):
    people, page = ranked(("bo", {}), ("how we", {}))
    assert ["Bo Chan", "people/bo-chan/", "Person · Sales"] in people
    assert titles(page) == ["How we do OKRs"] and page[0][1] == "how/"


def test_dotless_i_sharp_s_and_other_whole_letters_match_their_plain_spelling(ranked):
    """QA: "case and accents do not matter", yet 'isik' found nothing for 'İlkay Işık', 'ILIK' nothing
    for 'ılık' and 'grosser' nothing for 'Größer' (page addresses spell them isik, ilik, grosser)."""
    isik, ilik, grosser, written = ranked(("isik", {}), ("ILIK", {}), ("grosser", {}), ("Größer", {}))
    assert titles(isik)[0] == "İlkay Işık" and "Größer werden, ılık bleiben" in titles(isik)  # the person, then what they own
    assert titles(ilik) == titles(grosser) == titles(written) == ["Größer werden, ılık bleiben"]


FOLDED_ALIKE = ["İlkay Işık", "ILIK ılık", "Größer STRAUẞ", "Æble Øresund Łódź Đorđe Cœur Þór Ħal", "Café Cafe\u0301", "ΟΔΟΣ οδός",
                "ﬁnance ２０２６", "Grow — revenue (EMEA) Q4_26", "👩‍💻 🚀", "🚀Launch ✅done", "👍🏽 ❤️ 🇩🇪 🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f", "Acme™ © 20°C", "🇺🇸🇯🇵 🇦🇨🇦x", "#️⃣ *️⃣1️⃣ top3️⃣x 🚀1⃣ a\u20e3b", "Цели роста", "売上拡大", "דוד כהן", "Ärger über Öffnung",
                *PLAIN_LATIN, *(letter.upper() for letter in PLAIN_LATIN)]


def test_python_and_javascript_fold_alike():
    """Python (goals.model.folded) folds as search (search.js: fold) matches: the same letters, every
    PLAIN_LATIN letter included (a letter added there must be added to search.js too), the same symbols;
    and the A–Z list (goals.model.title_order: letters_folded) sorts as the search page (lettersFold)."""
    assert node("console.log(JSON.stringify(JSON.parse(args[0]).map(api.fold)));", json.dumps(FOLDED_ALIKE)) == [folded(t) for t in FOLDED_ALIKE]
    assert node("console.log(JSON.stringify(JSON.parse(args[0]).map(api.lettersFold)));", json.dumps(FOLDED_ALIKE)) == [letters_folded(t) for t in FOLDED_ALIKE]


def test_emoji_in_a_title_are_found(tmp_path):
    """QA DG: '🚀 Launch the rocket' was found by 'launch' but not by '🚀' (symbols were separators).
    A symbol is a word of its own, an emoji found without its joiners, variation selectors and skin tones."""
    if shutil.which("node") is None:
        pytest.skip("node is missing: the ranking runs in node (apt-get install nodejs)")
    write(tmp_path, "okrsite.toml", 'title = "Emoji"\ngit_history = false\n')
    write(tmp_path, "content/teams/company.md", "---\ntitle: Company\n---\n")
    for ident, title in [("launch", '"🚀 Launch the rocket"'), ("overseas", '"海外売上を拡大する 🚀"'), ("devs", '"👩‍💻Hire developers"'),
                         ("thanks", '"👍🏽 Thank customers"'), ("plain", "Launch the website")]:
        rel, text = objective(ident, title, owner="company")
        write(tmp_path, rel, text)
    rocket, developer, woman, thumb, launch = asker(tmp_path)(("🚀", {}), ("👩‍💻", {}), ("👩", {}), ("👍", {}), ("launch", {}))
    assert sorted(titles(rocket)) == sorted(["🚀 Launch the rocket", "海外売上を拡大する 🚀"])
    assert titles(developer) == titles(woman) == ["👩‍💻Hire developers"]
    assert titles(thumb) == ["👍🏽 Thank customers"]
    assert sorted(titles(launch)) == ["Launch the website", "🚀 Launch the rocket"]


def test_a_flag_is_found_alone_and_a_keycap_is_found(tmp_path):
    """QA DN 5: '🇸🇯' found "🇺🇸🇯🇵 US–Japan partnership" (the middle two regional indicators of two
    flags), and '#️⃣' or '*️⃣' found nothing (a keycap folded to nothing)."""
    if shutil.which("node") is None:
        pytest.skip("node is missing: the ranking runs in node (apt-get install nodejs)")
    write(tmp_path, "okrsite.toml", 'title = "Flags"\ngit_history = false\n')
    write(tmp_path, "content/teams/company.md", "---\ntitle: Company\n---\n")
    for ident, title in [("bilateral", '"🇺🇸🇯🇵 US–Japan partnership"'), ("odd", '"🇦🇨🇦 Ascension launch"'), ("hash", '"#️⃣ Hashtag campaign"'),
                         ("star", '"*️⃣ Star rating"'), ("one", '"1️⃣ First launch"')]:
        rel, text = objective(ident, title, owner="company")
        write(tmp_path, rel, text)
    svalbard, canada, japan, hashtag, star, one = asker(tmp_path)(("🇸🇯", {}), ("🇨🇦", {}), ("🇯🇵", {}), ("#️⃣", {}), ("*️⃣", {}), ("1️⃣", {}))
    assert svalbard == canada == []
    assert titles(japan) == ["🇺🇸🇯🇵 US–Japan partnership"]
    assert titles(hashtag) == ["#️⃣ Hashtag campaign"] and titles(star) == ["*️⃣ Star rating"] and titles(one) == ["1️⃣ First launch"]
    marked = node("console.log(JSON.stringify(JSON.parse(args[0]).map(([title, tokens]) => api.marked(title, tokens))));",
                  json.dumps([["🇺🇸🇯🇵 US", ["🇯🇵"]], ["#️⃣ Hashtag", ["#⃣"]]]))
    assert marked == [[["🇺🇸", False], ["🇯🇵", True], [" US", False]], [["#️⃣", True], [" Hashtag", False]]]
    assert node("console.log(JSON.stringify(api.initials(api.fold(args[0]))));", "1️⃣ Annual #️⃣ recurring revenue") == "arr"


def test_a_symbol_does_not_change_the_a_to_z_order_or_the_initials():
    """Symbols are search words, but the A–Z list sorts by letters (as before) and initials skip them."""
    listed = node("console.log(JSON.stringify([JSON.parse(args[0]).map(api.lettersFold), api.initials(api.fold('🚀 Annual recurring revenue'))]));",
                  json.dumps(["🚀 Zeta", "Alpha ✅"]))
    assert listed == [["zeta", "alpha"], "arr"]


def test_marks_cover_the_letters_typed_when_a_letter_folds_into_two():
    """'ß' folds to 'ss': 'gros' marks 'Größ' in 'Größer' (before, a title with a letter folding to two was not marked at all)."""
    marked = node("console.log(JSON.stringify(JSON.parse(args[0]).map(([title, tokens]) => api.marked(title, tokens))));",
                  json.dumps([["Größer werden", ["gros"]], ["İlkay Işık", ["isik"]], ["Cafe\u0301 au lait", ["cafe", "lait"]], ["ﬁne ﬁsh", ["fis"]]]))
    assert marked == [[["Größ", True], ["er werden", False]], [["İlkay ", False], ["Işık", True]],
                      [["Cafe\u0301", True], [" au ", False], ["lait", True]], [["ﬁne ", False], ["ﬁs", True], ["h", False]]]


def test_marks_cover_a_whole_emoji_and_a_symbol_next_to_a_word():
    marked = node("console.log(JSON.stringify(JSON.parse(args[0]).map(([title, tokens]) => api.marked(title, tokens))));",
                  json.dumps([["🚀 Launch", ["🚀"]], ["👍🏽great", ["👍", "great"]], ["👩‍💻 Dev", ["👩💻"]]]))
    assert marked == [[["🚀", True], [" Launch", False]], [["👍🏽", True], ["great", True]], [["👩‍💻", True], [" Dev", False]]]
