"""Search: the page lists everything without JavaScript; with it, typing filters the list."""




def test_typing_filters_by_key_result_text(open_page, site):
    objective = next(o for o in site.okrs["objectives"] if o["key_results"])
    words = objective["key_results"][0]["title"]
    page, log = open_page()
    page.goto(site.base_url + "search/index.html")
    items = page.locator(".search-results li")
    total = items.count()
    assert total >= len(site.okrs["objectives"]) + len(site.okrs["kpis"])
    page.fill("#q", words)
    visible = page.locator(".search-results li:visible")
    titles = visible.locator("a").all_inner_texts()
    assert objective["title"] in titles
    assert 0 < visible.count() < total
    assert f"of {total} match" in page.inner_text("#search-count")
    assert log.problems() == []


def test_owner_names_are_searchable(open_page, site):
    person = next(p for p in site.okrs["people"] if p["owns"])
    page, _ = open_page()
    page.goto(site.base_url + "search/index.html?q=" + person["name"].split()[0])
    titles = page.locator(".search-results li:visible a").all_inner_texts()
    owned_titles = {o["title"] for o in site.okrs["objectives"] if o["id"] in person["owns"]}
    assert owned_titles <= set(titles)


def test_without_javascript_everything_is_listed(chromium_browser, site):
    context = chromium_browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site.base_url + "search/index.html")
    assert page.locator("form.search").is_hidden()
    titles = page.locator(".search-results li a").all_inner_texts()
    assert {o["title"] for o in site.okrs["objectives"]} <= set(titles)
    context.close()
