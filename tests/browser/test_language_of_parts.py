"""WCAG 3.1.2 Language of Parts (QA DP): on a site whose language is not English, okrsite's own English
words (the skip link, the navigation, badges, facts labels, progress texts) are marked lang="en", and the
goal text (titles, bodies, names) is read in the site's language, as the browser resolves each one."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from .conftest import built_site

TITLE = "להגדיל את ההכנסות"
BODY = "הסבר קצר על היעד."
TEAM = "חברה"

SITE = {
    "okrsite.toml": 'title = "יעדים"\nlanguage = "he"\nas_of = 2026-11-23\n',
    "content/teams/company.md": f"---\ntitle: {TEAM}\nlead: דנה כהן\n---\n",
    "content/objectives/grow.md": f"---\ntitle: {TITLE}\nperiod: 2026-Q4\nowner: company\nkey_results:\n"
                                  f"  - title: לקוחות חדשים\n    start: 0\n    target: 100\n    current: 30\n---\n{BODY}\n",
}

# The language each matching element is read in: its own lang or its nearest ancestor's (the <html> one's).
LANGUAGES = """
(selector) => [...document.querySelectorAll(selector)].map(e => [e.textContent.trim(), e.closest('[lang]').getAttribute('lang')])
"""


@pytest.fixture(scope="module")
def hebrew_site(tmp_path_factory):
    return built_site(tmp_path_factory, "language-of-parts", SITE)


@pytest.fixture(scope="module")
def hebrew_page(chromium_browser, hebrew_site):
    context = chromium_browser.new_context()
    page = context.new_page()
    page.goto((hebrew_site / "objectives/grow/index.html").as_uri())
    yield lambda selector: page.evaluate(LANGUAGES, selector)
    context.close()


@pytest.mark.parametrize("selector,words", [
    ("a.skip", "Skip to content"),
    ("header nav a", "Dashboard"),
    (".crumbs li:first-child a", "Dashboard"),
    (".headline .badge", "off-track"),
    ("dl.facts dt", "Owner"),
    (".progress-big p", "done"),
    ("footer p", "made with"),
])
def test_okrsite_s_own_words_are_read_in_english(hebrew_page, selector, words):
    found = hebrew_page(selector)
    assert found and any(words in text for text, _ in found), found
    assert {lang for _, lang in found} == {"en"}, found


@pytest.mark.parametrize("selector,text", [
    ("h1", TITLE),
    (".body p", BODY),
    (".crumbs [aria-current=page]", TITLE),
    ("dl.facts dd a[href*=teams]", TEAM),
    ("html", None),
])
def test_the_goal_text_is_read_in_the_site_s_language(hebrew_page, selector, text):
    found = hebrew_page(selector)
    assert found and {lang for _, lang in found} == {"he"}, found
    assert text is None or text in [t for t, _ in found]


def test_the_marked_pages_are_valid_html(hebrew_site, vnu_jar):
    proc = subprocess.run(["java", "-jar", str(vnu_jar), "--skip-non-html", "--errors-only", "--format", "json", str(hebrew_site)],
                          capture_output=True, text=True, timeout=600)
    messages = [m for m in json.loads(proc.stderr)["messages"] if m.get("type") in ("error", "non-document-error")]
    assert not messages and proc.returncode == 0, messages


# --------------------------------------------------------------------------- every page of a Hebrew site

HE = {"company": "חברה", "eng": "הנדסה", "grow": "להגדיל את ההכנסות", "q3": "להשיק את המוצר", "q3c": "לגייס לקוחות ראשונים",
      "faster": "לשפר את זמני התגובה", "rollup": "יעד מתגלגל", "kr": "לקוחות חדשים", "kr2": "זמן תגובה", "mrr": "הכנסה חודשית",
      "csat": "שביעות רצון", "unit": "לקוחות", "try": "לנסות", "author": "דנה כהן"}


def he_objective(title, period, owner, krs, extra=""):
    return f"---\ntitle: {title}\nperiod: {period}\nowner: {owner}\n{extra}key_results:\n{krs}---\nהסבר.\n"


def he_kr(title, start, target, current, unit=HE["unit"]):
    return f"  - title: {title}\n    start: {start}\n    target: {target}\n    current: {current}\n    unit: {unit}\n"


def he_kpi(title, owner, values="", extra=""):
    return (f"---\ntitle: {title}\nowner: {owner}\nunit: USD\ndirection: up\ntarget: 50000\nthreshold: 40000\nfrequency: monthly\n"
            f"source: {HE['eng']}\n{extra}{values}---\n")


MRR_VALUES = "values:\n" + "".join(f"  - {{date: {d}, value: {v}}}\n" for d, v in
                                   [("2026-07-31", 38000), ("2026-08-31", 41000), ("2026-09-30", 44000), ("2026-10-31", 46500)])


def hebrew_history(repo, language="he"):
    """A closed 2026-Q3 with grades and a retrospective, a running 2026-Q4 with a re-scope and two cancelled
    objectives under a roll-up, KPIs with and without values (enough of them for the sortable list), a page;
    the goals in Hebrew, the site's ``language`` Hebrew unless given."""
    when = lambda day: f"{day}T10:00:00+00:00"  # noqa: E731
    commit = lambda files, day: repo.commit(files, when(day), author=HE["author"], message="עדכון")  # noqa: E731
    q3 = lambda current, extra="": he_objective(HE["q3"], "2026-Q3", "company", he_kr(HE["kr"], 0, 10, current), f"kpis: [mrr]\n{extra}")  # noqa: E731
    q3c = lambda done, extra="": he_objective(HE["q3c"], "2026-Q3", "eng", f"  - title: {HE['try']}\n    done: {done}\n", f"parent: q3\n{extra}")  # noqa: E731
    grow = lambda current: he_objective(HE["grow"], "2026-Q4", "company", he_kr(HE["kr"], 10, 100, current)  # noqa: E731
                                        + "  - title: MRR\n    kpi: mrr\n    start: 44000\n    target: 60000\n"
                                        + f"  - title: {HE['kr2']}\n    keep_below: 3\n    current: 2\n    unit: \"%\"\n", "follows: q3\nkpis: [mrr, csat]\n")
    faster = lambda target, current: he_objective(HE["faster"], "2026-Q4", "eng", he_kr(HE["kr2"], 0, target, current), "parent: grow\n")  # noqa: E731
    child = lambda n, status="": he_objective(f"{HE['try']} {n}", "2026-Q4", "eng", he_kr(HE["try"], 0, 10, 0), f"parent: rollup\n{status}")  # noqa: E731
    kpis = {f"content/kpis/k{n}.md": he_kpi(f"{HE['mrr']} {n}", "eng", f"values:\n  - {{date: 2026-10-31, value: {n}}}\n") for n in range(50)}
    commit({"okrsite.toml": f'title = "יעדים"\nlanguage = "{language}"\nas_of = 2026-11-23\n',
                 "content/teams/company.md": f"---\ntitle: {HE['company']}\nlead: {HE['author']}\n---\n",
                 "content/teams/eng.md": f"---\ntitle: {HE['eng']}\nparent: company\nlead: {HE['author']}\n---\n",
                 "content/kpis/mrr.md": he_kpi(HE["mrr"], "company", MRR_VALUES),
                 "content/kpis/csat.md": he_kpi(HE["csat"], "eng"),
                 "content/objectives/q3.md": q3(0), "content/objectives/q3c.md": q3c("false"), **kpis}, "2026-06-25")
    commit({"content/objectives/q3.md": q3(4)}, "2026-08-01")
    commit({"content/objectives/q3.md": q3(7), "content/objectives/q3c.md": q3c("true")}, "2026-09-20")
    commit({"content/objectives/q3.md": q3(7, "score: 0.6\nretro: |\n  - **טוב:** השקה.\n"),
                 "content/objectives/q3c.md": q3c("true", "score: 0.9\nretro: הושלם.\n")}, "2026-10-07")
    commit({"content/objectives/grow.md": grow(10), "content/objectives/faster.md": faster(100, 0),
                 "content/objectives/rollup.md": f"---\ntitle: {HE['rollup']}\nperiod: 2026-Q4\nowner: eng\nparent: grow\n---\n",
                 "content/objectives/c1.md": child(1), "content/objectives/c2.md": child(2)}, "2026-09-28")
    commit({"content/objectives/grow.md": grow(30), "content/objectives/faster.md": faster(100, 20)}, "2026-10-15")
    commit({"content/objectives/faster.md": faster(60, 20)}, "2026-11-01")
    commit({"content/objectives/grow.md": grow(55), "content/objectives/faster.md": faster(60, 40)}, "2026-11-10")
    commit({"content/objectives/c1.md": child(1, "status: cancelled\n"), "content/objectives/c2.md": child(2, "status: cancelled\n"),
                 "content/kpis/tickets.md": he_kpi(HE["kr2"], "eng", "values:\n  - {date: 2026-10-31, value: 85}\n").replace("target: 50000", 'target: "at least 90"'),
                 "content/about.md": f"---\ntitle: {HE['company']}\n---\n{HE['grow']}.\n"}, "2026-11-15")


@pytest.fixture(scope="module")
def hebrew_history_site(tmp_path_factory):
    from okrsite.build import build

    from ..gitrepo import GitRepo

    root = tmp_path_factory.mktemp("hebrew-history")
    repo = GitRepo(root / "repo")
    hebrew_history(repo)
    result = build(repo.root, root / "out", cache=False)
    assert result.ok, result.report.items
    return root / "out"


# Every text node (and placeholder) a screen reader reads, with the language it is read in; aria-hidden
# subtrees are not read. A search box's placeholder ("Search", the header's combobox's too) is not marked: an input's lang is that of
# what is typed in it, a query in the site's language, and its placeholder cannot have another.
READ_TEXTS = """
() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!node.data.trim() || parent.closest('script, style, [aria-hidden=true]')) continue;
    found.push([node.data.trim(), parent.closest('[lang]').getAttribute('lang'), parent.tagName]);
  }
  for (const input of document.querySelectorAll('[placeholder]:not([type=search], [role=combobox])'))
    found.push([input.placeholder, input.closest('[lang]').getAttribute('lang'), 'placeholder']);
  return found;
}
"""

# What may be read in Hebrew though it is written in ASCII letters: ids and periods (2026-Q4, KR 1),
# units and the KPI title "MRR" (goal text), numbers and dates.
NOT_WORDS = re.compile(r"\b(?:\d{4}-Q\d|KR|MRR|USD|[a-z0-9]+(?:-[a-z0-9]+)*\.html|[a-f0-9]{7})\b")


def english_words(text: str) -> bool:
    return bool(re.search(r"[A-Za-z]{2,}", NOT_WORDS.sub(" ", text)))


def test_no_english_words_are_read_in_hebrew_on_any_page(chromium_browser, hebrew_history_site):
    context = chromium_browser.new_context()
    page = context.new_page()
    in_hebrew = {}
    for path in sorted(hebrew_history_site.rglob("*.html")):
        page.goto(path.as_uri())
        for text, lang, tag in page.evaluate(READ_TEXTS):
            if lang == "he" and english_words(text):
                in_hebrew.setdefault((re.sub(r"\d+", "0", text)[:80], tag), str(path.relative_to(hebrew_history_site)))
    context.close()
    assert not in_hebrew, "\n".join(f"{where}: <{tag}> {text!r}" for (text, tag), where in sorted(in_hebrew.items(), key=lambda x: x[1]))


@pytest.mark.parametrize("path,selector,words", [
    ("index.html", "p.muted", "day"),
    ("kpis/tickets/index.html", "dl.facts dd", "higher is better"),
    ("kpis/csat/index.html", "dl.facts dd", "not set"),
    ("kpis/k0/index.html", "main p.muted", "Latest value on"),
    ("kpis/mrr/index.html", "caption", "All values of"),
    ("objectives/grow/index.html", "caption", "Check-ins of"),
    ("objectives/c1/index.html", "dl.facts dd span", "last check-in"),
    ("periods/2026-q3/review/index.html", "dl.facts dd", "committed:"),
    ("periods/2026-q3/review/index.html", ".review-when", "ended: grades are final"),
    ("periods/2026-q3/review/index.html", ".review-lineage", "Continued in"),
    ("teams/index.html", "caption", "worst first"),
    ("changes/index.html", "p.muted", "Subscribe"),
    ("changes/index.html", "ol.changes ul a", "New objective:"),
    ("objectives/faster/index.html", "ol.changes ul li", "(KR 1): target"),
    ("objectives/faster/index.html", ".kr-rescoped", "re-scoped on"),
    ("objectives/grow/index.html", ".kr-detail", "measured by"),
    ("periods/2026-q4/review/index.html", ".review-meta", "aligned to"),
    ("teams/eng/index.html", ".tiles p.muted", "target"),
    ("search/index.html", ".search-results .muted", "objective"),
])
def test_facts_captions_and_summary_lines_are_read_in_english(chromium_browser, hebrew_history_site, path, selector, words):
    """QA DV F1: KPI facts, "Latest value …", captions, the period line, "last check-in" and the review's
    summary lines were read in a Hebrew voice; the names and titles in them stay Hebrew."""
    context = chromium_browser.new_context()
    page = context.new_page()
    page.goto((hebrew_history_site / path).as_uri())
    found = [(text, lang) for text, lang in page.evaluate(LANGUAGES, selector) if words in text]
    context.close()
    assert found and {lang for _, lang in found} == {"en"}, found


def test_names_and_titles_inside_english_lines_stay_hebrew(chromium_browser, hebrew_history_site):
    context = chromium_browser.new_context()
    page = context.new_page()
    page.goto((hebrew_history_site / "kpis/mrr/index.html").as_uri())
    assert [HE["mrr"], "he"] in page.evaluate(LANGUAGES, "caption bdi")
    assert [HE["author"], "he"] in page.evaluate(LANGUAGES, "main p.muted bdi")
    assert [HE["eng"], "he"] in page.evaluate(LANGUAGES, "dl.facts dd bdi")
    page.goto((hebrew_history_site / "changes/index.html").as_uri())
    assert [HE["grow"], "he"] in page.evaluate(LANGUAGES, "ol.changes ul a bdi")
    page.goto((hebrew_history_site / "alignment/index.html").as_uri())
    assert [HE["grow"], "he"] in page.evaluate(LANGUAGES, "svg text.amap-title")
    assert ["■ off-track", "en"] in page.evaluate(LANGUAGES, "svg text.amap-status")
    page.goto((hebrew_history_site / "kpis/mrr/index.html").as_uri())
    assert [HE["mrr"], "he"] in page.evaluate(LANGUAGES, "svg.chart > title")
    context.close()


def test_what_the_search_script_writes_is_read_in_english_and_the_titles_in_hebrew(chromium_browser, hebrew_history_site):
    """QA DV: the header box's count ("3 results"), its suggestions' kind and status words, "All 3 results
    on the search page" and the search page's result lines were read in a Hebrew voice."""
    context = chromium_browser.new_context()
    page = context.new_page()
    page.goto((hebrew_history_site / "index.html").as_uri())
    page.fill("#site-q", HE["grow"])
    page.wait_for_function("() => /result/.test(document.getElementById('site-search-count').textContent)")
    read = lambda selector: page.evaluate(LANGUAGES, selector)  # noqa: E731
    assert {lang for _, lang in read("#site-search-count")} == {"en"}
    assert {lang for _, lang in read(".site-search-list .all-results")} == {"en"}
    assert [HE["grow"], "he"] in read(".site-search-list .hit-title")
    assert ["Objective", "en"] in read(".site-search-list [role=option] .muted span")
    assert ["off-track", "en"] in read(".site-search-list [role=option] .muted span")
    page.goto((hebrew_history_site / "search/index.html").as_uri() + "?q=" + HE["grow"])
    page.wait_for_selector("#search-results li")
    assert ["Objective", "en"] in read("#search-results li .muted span") and [HE["company"], "he"] in read("#search-results li .muted span")
    context.close()
