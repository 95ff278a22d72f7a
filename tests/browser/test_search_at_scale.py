"""Search at 10,000 objectives (bench/gen_corpus.py), in Chromium: a known title first, filters, file://,
the weight of the search page and its index, and the time from a keystroke to its results.

The site is generated and built once for this module (about a minute on two cores). `-m "not slow"`
leaves these tests out of a quick local run; CI runs them. bench/search_bench.py prints the figures.
"""

from __future__ import annotations

import gzip
import importlib.util
import re
import statistics
import subprocess
import sys

import pytest

from .conftest import REPO, serving

pytestmark = pytest.mark.slow

SIZE = 10_000
BUDGET = 400 * 1024  # search page + search.js + index, gzipped
KEYSTROKE_MS = 100


def bench_module():
    """bench/search_bench.py, whose in-page keystroke timing (TYPE) this test shares."""
    spec = importlib.util.spec_from_file_location("search_bench", REPO / "bench" / "search_bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module




@pytest.fixture(scope="module")
def big(tmp_path_factory):
    base = tmp_path_factory.mktemp("search-10k")
    corpus, out = base / "goals", base / "site"
    made = subprocess.run([sys.executable, str(REPO / "bench" / "gen_corpus.py"), str(SIZE), str(corpus)], capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    built = subprocess.run([sys.executable, "-m", "okrsite", "build", str(corpus), "-o", str(out)], cwd=REPO, capture_output=True, text=True, timeout=900)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    yield from serving(out)


def unique_titles(okrs) -> list[dict]:
    seen: dict[str, int] = {}
    for o in okrs["objectives"]:
        seen[o["title"]] = seen.get(o["title"], 0) + 1
    return [o for o in okrs["objectives"] if seen[o["title"]] == 1]


def first_results(page, n: int = 1) -> list[str]:
    page.wait_for_selector("#search-results li")
    return page.locator("#search-results li a").all_inner_texts()[:n]


def hits(page) -> int:
    page.wait_for_function("() => / results?/.test(document.getElementById('search-count').textContent)")
    return int(re.match(r"(\d+)", page.inner_text("#search-count"))[1])


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_a_known_title_comes_first(scheme, big, chromium_browser):
    context = chromium_browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    root = big.base_url if scheme == "http" else big.out_dir.resolve().as_uri() + "/"
    page.goto(root + "search/index.html")
    chosen = unique_titles(big.okrs)
    for objective in (chosen[0], chosen[len(chosen) // 2], chosen[-1]):
        page.fill("#q", objective["title"])
        assert first_results(page) == [objective["title"]]
        assert page.locator("#search-results li a").first.get_attribute("href").endswith(objective["url"] + "index.html")
    assert errors == []
    context.close()


def test_filters_narrow_the_results(big, chromium_browser):
    context = chromium_browser.new_context()
    page = context.new_page()
    page.goto(big.base_url + "search/index.html?q=revenue")
    everything = hits(page)
    page.select_option("select[name=period]", "2026-Q3")
    q3 = hits(page)
    page.select_option("select[name=status]", "missed")
    missed = hits(page)
    assert everything > q3 > missed > 0
    expected = [o for o in big.okrs["objectives"] if o["period"] == "2026-Q3" and o["status"] == "missed"]
    page.fill("#q", "")
    objectives = hits(page)
    assert objectives == len(expected) + sum(len(o["key_results"]) for o in expected)  # the objectives and their key results
    context.close()


def test_the_search_page_and_its_index_stay_small(big):
    files = [big.out_dir / "search" / "index.html", big.out_dir / "search.js", big.out_dir / "search" / "index.js"]
    gzipped = sum(len(gzip.compress(f.read_bytes(), 6)) for f in files)
    assert gzipped <= BUDGET, f"{gzipped / 1024:.0f} KB gzipped"
    listing = sorted(big.out_dir.glob("search/**/index.html"))
    entries = [re.search(r'<ul class="search-results">(.*?)</ul>', f.read_text(encoding="utf-8"), re.S)[1].count("<li>") for f in listing]
    assert max(entries) <= 250 and max(f.stat().st_size for f in listing) < 150_000  # no page is huge without JavaScript
    assert sum(entries) == sum(len(big.okrs[k]) for k in ("objectives", "kpis", "teams", "people", "pages"))


def test_results_follow_a_keystroke_within_100_ms(big, chromium_browser):
    context = chromium_browser.new_context()
    page = context.new_page()
    page.goto(big.base_url + "search/index.html")
    page.focus("#q")
    page.wait_for_function("() => typeof window.okrsiteIndex === 'function'")
    page.fill("#q", "x")
    hits(page)  # the index is loaded
    chosen = unique_titles(big.okrs)
    typing = bench_module().TYPE
    times = [t for title in (chosen[1]["title"], "annual recurring", "rev") for t in page.evaluate(typing, ["#q", title])]
    assert statistics.median(times) <= KEYSTROKE_MS, sorted(times)
    context.close()
