"""A Hebrew or Arabic title or unit moves no number beside it (QA DG): a check-in from 150 to 170 on
a Hebrew key result is drawn "150 → 170" on the Changes page and its objective's "Recent changes",
and an Arabic unit leaves the date after it as written (2026-11-01, not 01-11-2026). A Hebrew site
title leaves the review's period as written, 2026-07-01 – 2026-09-30 (QA ED)."""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

import pytest

from okrsite.goals.checkin import CheckIn

from ..gitrepo import GitRepo, needs_git
from .conftest import built_site
from .test_language_of_parts import hebrew_history

KR = "לקוחות חדשים"
OBJECTIVE = "---\ntitle: הגדלת המכירות בישראל\nperiod: 2026-Q4\nowner: israel\nkey_results:\n" \
            "  - title: לקוחות חדשים\n    target: 200\n    current: {current}\n    unit: לקוחות\n---\n"
KPI = "---\ntitle: الإيرادات الشهرية\nowner: israel\nunit: ريال\ntarget: 500\nvalues:\n  - {date: 2026-11-01, value: 450}\n---\n"

# Where the first place of each needle is drawn ([left, top]) in the element whose text holds them all.
DRAWN_AT = """
([selector, needles]) => {
  const holder = [...document.querySelectorAll(selector)].find(e => needles.every(n => e.textContent.includes(n)));
  const walker = document.createTreeWalker(holder, NodeFilter.SHOW_TEXT);
  const found = {};
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const needle of needles) {
      const at = node.data.indexOf(needle);
      if (at >= 0 && !(needle in found)) {
        const range = document.createRange(); range.setStart(node, at); range.setEnd(node, at + needle.length);
        const rect = range.getBoundingClientRect(); found[needle] = [rect.left, rect.top];
      }
    }
  }
  return needles.map(n => found[n]);
}
"""


@pytest.fixture(scope="module")
def rtl_site(tmp_path_factory):
    from okrsite.build import build

    root = tmp_path_factory.mktemp("rtl")
    repo = GitRepo(root / "site")
    repo.commit({"okrsite.toml": 'title = "Acme"\nas_of = 2026-11-23\n', "content/teams/israel.md": "---\ntitle: Israel\n---\n",
                 "content/objectives/sales-il.md": OBJECTIVE.format(current=150), "content/kpis/revenue.md": KPI}, "2026-11-10T10:00:00+00:00")
    subject = CheckIn("content/objectives/sales-il.md", "", KR, 150, 170, "לקוחות", "", "kr").message()
    repo.commit({"content/objectives/sales-il.md": OBJECTIVE.format(current=170)}, "2026-11-20T10:00:00+00:00", message=subject)
    result = build(repo.root, root / "out", cache=False)
    assert result.ok, result.report.items
    return root / "out"


def _drawn_at(chromium_browser, page_file, selector, needles):
    context = chromium_browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        page = context.new_page()
        page.goto(page_file.as_uri())
        return page.evaluate(DRAWN_AT, [selector, needles])
    finally:
        context.close()


@needs_git
@pytest.mark.parametrize("page,selector", [
    ("changes/index.html", ".changes ul li"),
    ("changes/index.html", ".change-head"),
    ("objectives/sales-il/index.html", ".changes ul li"),
])
def test_a_check_in_on_a_hebrew_key_result_reads_in_the_order_it_happened(chromium_browser, rtl_site, page, selector):
    before, after = _drawn_at(chromium_browser, rtl_site / page, selector, ["150", "170"])
    assert before[1] == after[1] and before[0] < after[0]


@needs_git
def test_an_arabic_unit_leaves_the_date_of_a_kpi_tile_as_written(chromium_browser, rtl_site):
    year, day = _drawn_at(chromium_browser, rtl_site / "index.html", ".tile p.muted", ["2026", "-01"])
    assert year[1] == day[1] and year[0] < day[0]


# ------------------------------------------------------------------- a Hebrew site title beside dates

HEBREW_TITLED = {
    "content/objectives/grow.md": "---\ntitle: להגדיל את ההכנסות\nperiod: 2026-Q3\nowner: company\nkey_results:\n"
                                  "  - title: לגייס 5 לקוחות\n    start: 0\n    target: 5\n    current: 3\n---\n",
}


@pytest.mark.parametrize("language", ["he", "en"])
def test_a_hebrew_site_title_leaves_the_review_s_period_as_written(tmp_path_factory, chromium_browser, language):
    """The review's dates line is "<title> · 2026-07-01 – 2026-09-30 · ended": the title not isolated, the
    dates after it were drawn into its right-to-left run, "2026-09-30 – 2026-07-01", a period backwards."""
    settings = f'title = "יעדי החברה"\nlanguage = "{language}"\nas_of = 2026-11-23\n'
    out = built_site(tmp_path_factory, f"hebrew-title-{language}", {"okrsite.toml": settings, **HEBREW_TITLED})
    start, end = _drawn_at(chromium_browser, out / "periods/2026-q3/review/index.html", ".review-when", ["2026-07-01", "2026-09-30"])
    assert start[1] == end[1] and start[0] < end[0]


# The elements whose text is a line of its own (a bidi paragraph), and those whose text is not drawn as a line.
LINES = {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "td", "th", "caption", "thead",
         "tbody", "tfoot", "section", "header", "footer", "nav", "main", "article", "aside", "form", "fieldset", "legend", "figure",
         "figcaption", "details", "summary", "blockquote", "pre", "hr", "body", "br", "option", "select", "textarea"}
NOT_DRAWN = {"head", "script", "style", "svg", "template", "noscript"}
VOID = {"br", "hr", "img", "input", "meta", "link", "source", "wbr", "area", "col", "embed", "track"}
ISOLATES = re.compile("\u2068[^\u2066-\u2069]*\u2069")


class UnisolatedLines(HTMLParser):
    """The lines of a page that hold a right-to-left letter outside any isolate (<bdi>, an element with dir,
    U+2068 … U+2069) and a digit: there, the letter can draw the numbers beside it in its own direction."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open, self.line, self.found = [], [], []

    def handle_starttag(self, tag, attrs):
        if tag in LINES:
            self.end_line()
        if tag not in VOID:
            self.open.append((tag, tag == "bdi" or any(name == "dir" for name, _ in attrs)))

    def handle_endtag(self, tag):
        while self.open and self.open.pop()[0] != tag:
            pass
        if tag in LINES:
            self.end_line()

    def handle_data(self, data):
        if not any(tag in NOT_DRAWN for tag, _ in self.open):
            self.line.append("\u2063" if any(isolating for _, isolating in self.open) else data)

    def end_line(self):
        text = ISOLATES.sub("", "".join(self.line))
        classes = {unicodedata.bidirectional(char) for char in text}
        if classes & {"R", "AL"} and classes & {"EN", "AN"}:
            self.found.append(" ".join(text.split()))
        self.line = []


def unisolated_lines(html: str) -> list[str]:
    parser = UnisolatedLines()
    parser.feed(html)
    parser.close()
    parser.end_line()
    return parser.found


@pytest.fixture(scope="module", params=["he", "en"])
def hebrew_goals_site(request, tmp_path_factory):
    from okrsite.build import build

    root = tmp_path_factory.mktemp(f"hebrew-goals-{request.param}")
    repo = GitRepo(root / "repo")
    hebrew_history(repo, request.param)
    result = build(repo.root, root / "out", cache=False)
    assert result.ok, result.report.items
    return root / "out"


@needs_git
def test_no_line_of_any_page_holds_unisolated_right_to_left_text_beside_a_number(hebrew_goals_site):
    """Every title, name, unit and commit subject of Hebrew goals, on a Hebrew and on an English site, is
    isolated wherever a line holds numbers too: the site title before the review's dates, an author before
    a commit, an owner in an alignment map's box, a new objective's title before its period (QA ED)."""
    found = {}
    for path in sorted(hebrew_goals_site.rglob("*.html")):
        for line in unisolated_lines(path.read_text(encoding="utf-8")):
            found.setdefault(re.sub(r"\d", "0", line)[:120], str(path.relative_to(hebrew_goals_site)))
    assert not found, "\n".join(f"{where}: {line}" for line, where in found.items())
