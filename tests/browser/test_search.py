"""Search in Chromium, on the example: the header's box on every page, the search page, its filters and
keyboard, over http:// and from file://, with and without JavaScript. (At 10,000 objectives:
test_search_at_scale.py.)"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import urllib.request

import pytest

from okrsite.goals.config import pagefind_available

from .conftest import REPO, built_and_served, serve
from .test_accessibility import RUN_AXE, describe

INDEX = "search/index.js"


def results(page) -> list[str]:
    page.wait_for_selector("#search-results li")
    return page.locator("#search-results li a").all_inner_texts()


def count(page) -> int:
    page.wait_for_function("() => /result|No results/.test(document.getElementById('search-count').textContent)")
    text = page.inner_text("#search-count")
    return 0 if text == "No results" else int(re.match(r"(\d+) results?", text)[1])


def roots(site) -> dict[str, str]:
    return {"http": site.base_url, "file": site.out_dir.resolve().as_uri() + "/"}


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_typing_a_known_title_shows_it_first(scheme, open_page, site):
    page, log = open_page()
    page.goto(roots(site)[scheme] + "search/index.html")
    for objective in site.okrs["objectives"][:5]:
        page.fill("#q", objective["title"])
        assert results(page)[0] == objective["title"]
        first = page.locator("#search-results li a").first.get_attribute("href")
        assert first.endswith(objective["url"] + "index.html"), first
    assert page.locator(".search-listing").is_hidden()
    assert log.problems() == []


def test_a_key_result_leads_to_its_place_on_its_objective_page(open_page, site):
    objective = next(o for o in site.okrs["objectives"] if o["key_results"])
    kr = objective["key_results"][0]
    page, _ = open_page()
    page.goto(site.base_url + "search/index.html?q=" + kr["title"])
    link = page.locator("#search-results li a", has_text=kr["title"]).first
    assert link.get_attribute("href").endswith(f"{objective['url']}index.html#{kr['id']}")


def test_filters_narrow_the_results(open_page, site):
    okrs = site.okrs
    periods = {o["period"] for o in okrs["objectives"]}
    assert len(periods) > 1, "the example should have objectives in more than one period"
    period = sorted(periods)[-1]
    page, log = open_page()
    page.goto(site.base_url + "search/index.html")
    page.fill("#q", "e")
    everything = count(page)
    page.select_option("select[name=period]", period)
    in_period = count(page)
    assert 0 < in_period < everything
    assert all(f"· {period}" in text for text in page.locator("#search-results li .muted").all_inner_texts())
    status = next(o["status"] for o in okrs["objectives"] if o["period"] == period)
    page.select_option("select[name=status]", status)
    assert 0 < count(page) < in_period
    page.select_option("select[name=status]", "")
    team = next(t for t in okrs["teams"] if t["parent"])
    page.select_option("select[name=team]", team["id"])
    assert count(page) < in_period
    page.fill("#q", "")
    owned = {o["title"] for o in okrs["objectives"] if o["owner"] == team["id"] and o["period"] == period}
    assert owned <= set(results(page))  # only filters: everything that passes them, A to Z
    assert "team=" + team["id"] in page.url or page.wait_for_url(re.compile("team=" + re.escape(team["id"]))) is None
    assert log.problems() == []


def test_the_address_keeps_the_search_and_opens_it_again(open_page, site):
    period = site.okrs["objectives"][0]["period"]
    page, _ = open_page()
    page.goto(f"{site.base_url}search/index.html?q=revenue&period={period}")
    assert page.input_value("#q") == "revenue" and page.input_value("select[name=period]") == period
    assert results(page) and count(page) > 0


def test_the_index_loads_only_when_a_search_box_is_used(open_page, site):
    page, log = open_page()
    loaded = []
    page.on("request", lambda request: request.url.endswith(INDEX) and loaded.append(request.url))
    page.goto(site.base_url + "index.html")
    page.wait_for_load_state("networkidle")
    assert loaded == []
    page.focus("#site-q")
    page.wait_for_function("() => typeof window.okrsiteIndex === 'function'")
    page.wait_for_timeout(200)
    assert loaded == [site.base_url + INDEX]
    page.goto(site.base_url + "search/index.html")
    page.wait_for_load_state("networkidle")
    assert len(loaded) == 1  # the search page, empty, loads it on focus too
    assert log.problems() == []


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """75 objectives that "grow" finds: more than one page of results, and more than one "Show more"."""
    goals = tmp_path_factory.mktemp("many") / "goals"
    (goals / "content" / "teams").mkdir(parents=True)
    (goals / "content" / "objectives").mkdir()
    (goals / "content" / "teams" / "company.md").write_text("---\ntitle: Company\n---\n", encoding="utf-8")
    for n in range(1, 76):
        (goals / "content" / "objectives" / f"o{n}.md").write_text(
            f"---\ntitle: Grow area {n}\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - {{title: k, target: 10, current: 1}}\n---\n",
            encoding="utf-8")
    yield from built_and_served(goals.parent / "site", goals)


def test_the_count_line_follows_show_more(many, chromium_browser):
    """The count line is the page's status region: after "Show N more" it says what is listed now."""
    context = chromium_browser.new_context()
    page = context.new_page()
    page.goto(many.base_url + "search/index.html?q=grow")
    page.wait_for_selector("#search-results li")
    assert page.inner_text("#search-count") == "75 results, the first 20 shown"
    page.get_by_role("button", name="Show 50 more").click()
    assert page.locator("#search-results li").count() == 70
    assert page.inner_text("#search-count") == "75 results, the first 70 shown"
    page.get_by_role("button", name="Show 5 more").click()
    assert page.locator("#search-results li").count() == 75
    assert page.inner_text("#search-count") == "75 results"
    context.close()


@pytest.fixture(scope="module")
def multilingual(tmp_path_factory):
    """Names with letters NFKD does not decompose (ı, ß), and an emoji, as a multilingual goals repository has them."""
    goals = tmp_path_factory.mktemp("multilingual") / "goals"
    (goals / "content" / "objectives").mkdir(parents=True)
    (goals / "content" / "objectives" / "grosser.md").write_text(
        "---\ntitle: Größer werden, ılık bleiben\nperiod: 2026-Q4\nowner: İlkay Işık\nkey_results:\n  - {title: Mehr Kunden, target: 10, current: 1}\n---\n",
        encoding="utf-8")
    (goals / "content" / "objectives" / "rakete.md").write_text(
        "---\ntitle: \"🚀 Rakete starten\"\nperiod: 2026-Q4\nowner: Ada Lovelace\nkey_results:\n  - {title: Zünden, target: 1}\n---\n", encoding="utf-8")
    for ident, title in (("bilateral", "🇺🇸🇯🇵 US–Japan partnership"), ("hashtag", "#️⃣ Hashtag campaign")):
        (goals / "content" / "objectives" / f"{ident}.md").write_text(
            f"---\ntitle: \"{title}\"\nperiod: 2026-Q4\nowner: Ada Lovelace\nkey_results:\n  - {{title: Reach, target: 1}}\n---\n", encoding="utf-8")
    yield from built_and_served(goals.parent / "site", goals)


def suggestions(page, typed: str) -> list[str]:
    """The header box's suggestions for ``typed``, its last line ("All N results …", "No match …") included."""
    page.fill("#site-q", "")
    page.focus("#site-q")
    page.keyboard.type(typed)
    page.wait_for_function("(typed) => document.getElementById('site-q').value === typed && !document.getElementById('site-search-list').hidden", arg=typed)
    return page.locator("#site-search-list [role=option]").all_inner_texts()


def test_header_box_finds_dotless_i_and_sharp_s_by_their_plain_letters(multilingual, chromium_browser):
    """QA: 'isik' found nothing for 'İlkay Işık', 'ILIK' nothing for 'ılık', 'grosser' nothing for 'Größer'."""
    context = chromium_browser.new_context()
    page = context.new_page()
    page.goto(multilingual.base_url + "index.html")
    found = suggestions(page, "isik")
    assert found[0].startswith("İlkay Işık\nPerson") and found[-1] == "All 3 results on the search page"  # the person, what they own
    assert page.locator("#site-search-list mark").first.inner_text() == "Işık"
    for typed in ("ILIK", "grosser"):
        found = suggestions(page, typed)
        assert found[0].startswith("Größer werden, ılık bleiben\nObjective") and found[-1] == "All 1 result on the search page", (typed, found)
    context.close()


def test_header_box_finds_an_emoji_in_a_title(multilingual, chromium_browser):
    """QA DG: '🚀 Rakete starten' was found by 'rakete' but not by '🚀'."""
    context = chromium_browser.new_context()
    page = context.new_page()
    page.goto(multilingual.base_url + "index.html")
    found = suggestions(page, "🚀")
    assert found[0].startswith("🚀 Rakete starten\nObjective") and found[-1] == "All 1 result on the search page", found
    assert page.locator("#site-search-list mark").first.inner_text() == "🚀"
    context.close()


def test_header_box_finds_a_flag_alone_and_a_keycap(multilingual, chromium_browser):
    """QA DN 5: '🇸🇯' found "🇺🇸🇯🇵 US–Japan partnership" (the middle of two flags), '#️⃣' found nothing."""
    context = chromium_browser.new_context()
    page = context.new_page()
    page.goto(multilingual.base_url + "index.html")
    assert suggestions(page, "🇸🇯") == ["No match: open the search page"]
    found = suggestions(page, "🇯🇵")
    assert found[0].startswith("🇺🇸🇯🇵 US–Japan partnership\nObjective") and found[-1] == "All 1 result on the search page", found
    assert page.locator("#site-search-list mark").first.inner_text() == "🇯🇵"
    found = suggestions(page, "#️⃣")
    assert found[0].startswith("#️⃣ Hashtag campaign\nObjective") and found[-1] == "All 1 result on the search page", found
    assert page.locator("#site-search-list mark").first.inner_text() == "#️⃣"
    context.close()


def test_header_box_says_no_match_for_an_emoji_alone(multilingual, chromium_browser):
    """QA: an emoji alone (no letter or digit to match) showed an empty list, not even "No match"."""
    context = chromium_browser.new_context()
    page = context.new_page()
    page.goto(multilingual.base_url + "index.html")
    assert suggestions(page, "👩‍💻") == ["No match: open the search page"]
    assert page.get_attribute("#site-q", "aria-expanded") == "true"
    context.close()


def test_header_box_announces_how_many_it_found(multilingual, chromium_browser):
    """QA DP (WCAG 4.1.3): the list opened in silence, the page had no live region; the search page's
    own box said "3 results". The header's says it the same way, in a status region there before it speaks."""
    context = chromium_browser.new_context()
    page = context.new_page()
    page.goto(multilingual.base_url + "index.html")
    status = page.locator("form.site-search [role=status]")
    assert status.count() == 1 and status.inner_text() == ""
    page.evaluate("""() => { window.said = []; const region = document.querySelector('form.site-search [role=status]');
        new MutationObserver(() => window.said.push(region.textContent)).observe(region, {childList: true, characterData: true, subtree: true}); }""")
    suggestions(page, "isik")
    page.wait_for_function("() => window.said.includes('3 results')")
    assert status.bounding_box()["width"] <= 1, "heard, not seen: the list shows the results"
    suggestions(page, "grosser")
    page.wait_for_function("() => window.said.includes('1 result')")
    suggestions(page, "👩‍💻")
    page.wait_for_function("() => window.said.includes('No results')")
    page.keyboard.press("Escape")
    assert status.inner_text() == ""
    context.close()


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_header_box_suggests_and_the_keyboard_opens_a_suggestion(scheme, open_page, site):
    objective = max(site.okrs["objectives"], key=lambda o: len(o["title"]))
    page, log = open_page()
    page.goto(roots(site)[scheme] + "archive/index.html")
    box = page.locator("#site-q")
    assert box.get_attribute("role") == "combobox" and box.get_attribute("aria-expanded") == "false"
    box.focus()
    page.keyboard.type(objective["title"])
    options = page.locator("#site-search-list [role=option]")
    options.first.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    assert options.first.locator(".hit-title").inner_text() == objective["title"]
    page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == options.first.get_attribute("id")
    assert options.first.get_attribute("aria-selected") == "true"
    page.keyboard.press("Enter")
    page.wait_for_url("**/" + objective["url"] + "index.html")
    assert page.locator("h1").first.inner_text().startswith(objective["title"][:20])
    assert log.problems() == []


HEADER_BOX = """() => { const box = document.getElementById('site-q'), rect = box.getBoundingClientRect();
  return [Object.fromEntries([...box.attributes].map(a => [a.name, a.value])), [rect.left, rect.top, rect.width, rect.height].map(Math.round)]; }"""


def test_the_header_box_is_a_text_combobox_that_the_nu_checker_and_axe_accept(open_page, site, vnu_jar, axe_js, tmp_path):
    """QA ED: search.js made the header's <input type="search"> a combobox; the Nu checker rejects role="combobox"
    and aria-expanded on a search input (its role is searchbox). A combobox is a text input, in its place."""
    before, _ = open_page()
    before.route("**/search.js", lambda route: route.abort())
    before.goto(site.base_url + "archive/index.html")
    plain, at = before.evaluate(HEADER_BOX)
    assert plain["type"] == "search" and "role" not in plain
    page, log = open_page(bypass_csp=True)
    page.goto(site.base_url + "archive/index.html")
    page.wait_for_selector("#site-q[role=combobox]", state="attached")
    attributes, now_at = page.evaluate(HEADER_BOX)
    assert {name: attributes.get(name) for name in ("type", "role", "aria-autocomplete", "aria-expanded", "aria-controls", "enterkeyhint")} == {
        "type": "text", "role": "combobox", "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": "site-search-list", "enterkeyhint": "search"}
    assert now_at == at and page.evaluate(SHIFTED) == 0
    page.focus("#site-q")
    page.keyboard.type("dash")
    page.locator("#site-search-list [role=option]").first.wait_for()
    page.keyboard.press("ArrowDown")
    assert page.get_attribute("#site-q", "aria-activedescendant") == "site-search-option-0"
    dom = tmp_path / "open.html"
    dom.write_text(page.content(), encoding="utf-8")
    proc = subprocess.run(["java", "-jar", str(vnu_jar), "--errors-only", "--format", "json", str(dom)], capture_output=True, text=True, timeout=300)
    assert [m["message"] for m in json.loads(proc.stderr)["messages"]] == []
    page.add_script_tag(path=str(axe_js))
    assert page.evaluate(RUN_AXE) == []
    assert log.problems() == []

@pytest.mark.parametrize("width", [320, 390, 640, 800, 1000, 1280])
def test_the_header_suggestions_stay_on_the_screen(width, open_page, site):
    """QA BO: on a 390 px phone the list began under the box, part way across, and ran 120 px off the
    screen's right edge, the page then scrolling sideways. From 640 px to 1024 px the box sits at the
    right of its row and the list ran 300 px off the screen."""
    page, log = open_page(width=width, height=800)
    page.goto(roots(site)["http"] + "index.html")
    page.locator("#site-q").fill("e")
    page.locator("#site-search-list [role=option]").first.wait_for()
    box = page.locator("#site-search-list").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert log.problems() == []


def test_moving_through_the_suggestions_leaves_one_chosen(open_page, site):
    """QA AZ: ↓ ↓ ↓ ↑ left three options marked selected (and outlined): each move unmarked the option it
    went to, not the one it left. One option is chosen, the one Enter opens."""
    page, log = open_page()
    page.goto(roots(site)["http"] + "archive/index.html")
    box = page.locator("#site-q")
    box.focus()
    page.keyboard.type("a")
    options = page.locator("#site-search-list [role=option]")
    options.nth(2).wait_for()
    for key in ("ArrowDown", "ArrowDown", "ArrowDown", "ArrowUp"):
        page.keyboard.press(key)
    chosen = [options.nth(i).get_attribute("id") for i in range(options.count()) if options.nth(i).get_attribute("aria-selected") == "true"]
    assert chosen == [options.nth(1).get_attribute("id")] == [box.get_attribute("aria-activedescendant")]
    assert log.problems() == []


def test_enter_without_a_suggestion_opens_the_search_page(open_page, site):
    page, _ = open_page()
    page.goto(site.base_url + "index.html")
    page.focus("#site-q")
    page.keyboard.type("revenue")
    page.locator("#site-search-list [role=option]").first.wait_for()
    page.keyboard.press("Escape")
    assert page.get_attribute("#site-q", "aria-expanded") == "false"
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/index.html?q=revenue")
    assert count(page) > 0


def test_search_page_arrow_keys_move_through_the_results(open_page, site):
    page, _ = open_page()
    page.goto(site.base_url + "search/index.html")
    page.fill("#q", "e")
    links = results(page)
    assert len(links) >= 3
    page.focus("#q")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent") == links[0]
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent") == links[1]
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.press("Enter")  # Enter in the box moves to the first result; Enter again opens it
    assert page.evaluate("document.activeElement.textContent") == links[0]
    href = page.evaluate("document.activeElement.href")
    page.keyboard.press("Enter")
    page.wait_for_url(href)


def test_without_javascript_the_header_box_opens_the_list(chromium_browser, site):
    for root in roots(site).values():
        context = chromium_browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(root + "kpis/" + site.okrs["kpis"][0]["id"] + "/index.html")
        page.fill("#site-q", "revenue")
        page.press("#site-q", "Enter")
        page.wait_for_url("**/search/index.html?q=revenue")
        assert page.locator("form.search").is_hidden() and page.locator(".no-js").is_visible()
        titles = page.locator(".search-results li a").all_inner_texts()
        assert {o["title"] for o in site.okrs["objectives"]} <= set(titles)
        context.close()


LIST_TOP = "() => Math.round(document.querySelector('ul.search-results').getBoundingClientRect().top)"
SHIFTED = """() => new Promise(done => { let total = 0;
  new PerformanceObserver(list => { for (const shift of list.getEntries()) total += shift.value; }).observe({type: 'layout-shift', buffered: true});
  setTimeout(() => done(total), 300); })"""


@pytest.mark.parametrize("width", [1350, 360])
def test_the_a_to_z_list_does_not_move_when_the_search_script_starts(width, open_page, site):
    """QA ED: the box and filters appeared above the list once search.js ran, moving it 194 px down after
    the first paint (Lighthouse: cumulative layout shift 0.0995). They hold their place from the start."""
    before, _ = open_page(width=width)
    before.route("**/search.js", lambda route: route.abort())
    before.goto(site.base_url + "search/index.html")
    page, _ = open_page(width=width)
    page.goto(site.base_url + "search/index.html")
    page.wait_for_selector("button.more-results", state="attached")  # search.js has run
    assert page.evaluate(LIST_TOP) == before.evaluate(LIST_TOP)
    assert page.evaluate(SHIFTED) == 0
    assert page.locator("#q").is_visible() and before.locator("#q").is_visible() and page.locator(".no-js").is_hidden()

@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_in_open_suggestions_and_results(scheme, open_page, site, axe_js):
    page, _ = open_page(bypass_csp=True, color_scheme=scheme)
    page.goto(site.base_url + "index.html")
    page.focus("#site-q")
    page.keyboard.type("dash")
    page.locator("#site-search-list [role=option]").first.wait_for()
    page.keyboard.press("ArrowDown")
    page.add_script_tag(path=str(axe_js))
    found = page.evaluate(RUN_AXE)
    page.goto(site.base_url + "search/index.html?q=revenue")
    results(page)
    page.add_script_tag(path=str(axe_js))
    found += page.evaluate(RUN_AXE)
    assert found == [], "\n".join(describe("search", scheme, found))


@pytest.fixture(scope="module")
def full_text(tmp_path_factory):
    """The example with search = "pagefind", built and served."""
    if not pagefind_available():
        pytest.skip("Pagefind is not installed: pip install 'okrsite[pagefind]' (the test extra has it)")
    goals = tmp_path_factory.mktemp("pagefind") / "goals"
    for part in ("content", "data"):
        shutil.copytree(REPO / part, goals / part)
    (goals / "okrsite.toml").write_text((REPO / "okrsite.toml").read_text(encoding="utf-8") + '\nsearch = "pagefind"\n', encoding="utf-8")
    yield from built_and_served(goals.parent / "site", goals)


def test_pagefind_finds_words_deep_in_the_text_over_http_only(full_text, chromium_browser):
    """"measurement" is only in the middle of the how-we-do-OKRs page: the titles index cannot find it."""
    context = chromium_browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.goto(full_text.base_url + "search/index.html?q=measurement")
    page.wait_for_selector("#full-text-results li")
    assert "How we do OKRs" in page.locator("#full-text-results li a").all_inner_texts()
    assert page.locator("#full-text-results mark").count() > 0 and "match" in page.inner_text("#full-text-count")
    assert page.inner_text("#search-count") == "No results"  # the titles index alone
    page.goto((full_text.out_dir / "search" / "index.html").resolve().as_uri() + "?q=measurement")
    page.wait_for_function("() => document.getElementById('full-text-count').textContent.includes('web server')")
    assert errors == []
    context.close()


@pytest.fixture(scope="module")
def full_text_under_sub_path(full_text, tmp_path_factory):
    """The Pagefind site of `full_text`, copied to goals/2026/ of a served folder (publishing.md's sub-path)."""
    www = tmp_path_factory.mktemp("sub-path") / "www"
    shutil.copytree(full_text.out_dir, www / "goals" / "2026")
    server, base_url = serve(www)
    try:
        yield base_url + "goals/2026/"
    finally:
        server.shutdown()
        server.server_close()


def full_text_links(page, address: str) -> list[str]:
    page.goto(address)
    page.wait_for_function("() => / in their text/.test(document.getElementById('full-text-count').textContent)")
    return page.eval_on_selector_all("#full-text-results a", "links => links.map(a => a.href)")


@pytest.mark.parametrize("where", ["root", "sub-path"])
def test_full_text_results_link_to_their_pages_at_the_root_and_under_a_sub_path(where, full_text, full_text_under_sub_path, chromium_browser):
    root = full_text.base_url if where == "root" else full_text_under_sub_path
    context = chromium_browser.new_context()
    page = context.new_page()
    links = full_text_links(page, root + "search/index.html?q=measurement")
    assert root + "how-we-do-okrs/index.html" in links
    assert [link for link in links if urllib.request.urlopen(link).status != 200] == []
    # "retailers" is deep in the text of the platform team's latency KPI: the team filter keeps it
    assert root + "kpis/p95-query-latency/index.html" in full_text_links(page, root + "search/index.html?q=retailers&team=platform")
    context.close()
