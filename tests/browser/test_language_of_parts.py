"""WCAG 3.1.2 Language of Parts (QA DP): on a site whose language is not English, okrsite's own English
words (the skip link, the navigation, badges, facts labels, progress texts) are marked lang="en", and the
goal text (titles, bodies, names) is read in the site's language, as the browser resolves each one."""

from __future__ import annotations

import json
import subprocess

import pytest

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
    from okrsite.build import build

    from ..conftest import write_files

    root = tmp_path_factory.mktemp("language-of-parts")
    result = build(write_files(root / "site", SITE), root / "out", cache=False)
    assert result.ok, result.report.items
    return root / "out"


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
