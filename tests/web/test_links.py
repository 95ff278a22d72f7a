"""web/links.py: "Edit this page" and "History" links."""

from okrsite.goals.config import Settings
from okrsite.web.links import file_links


def test_a_whole_address_is_known_as_one_in_any_case():
    """edit_uri = "HTTPS://…" passes the settings' web-address test (goals/webaddress.py), so it is
    a whole address here too, not a path under repo_url."""
    settings = Settings(repo_url="https://git.example.com/org/repo", edit_uri="HTTPS://edit.example.com/main/")
    assert file_links(settings, "content/teams/a.md") == {"edit": "HTTPS://edit.example.com/main/content/teams/a.md", "history": None}


def test_an_empty_edit_uri_turns_the_edit_link_off_also_on_github(tmp_path):
    """MkDocs users write `edit_uri = ''` to have no "Edit this page" link; it was refused as "must be
    text in quotes", and on GitHub and GitLab nothing else turns the link off."""
    from okrsite.goals.config import load_settings
    from okrsite.goals.diagnostics import Report

    (tmp_path / "okrsite.toml").write_text('repo_url = "https://github.com/acme/goals"\nedit_uri = ""\n')
    report = Report()
    settings = load_settings(tmp_path, report)
    assert report.items == []
    assert file_links(settings, "content/a.md") == {"edit": None, "history": "https://github.com/acme/goals/commits/main/content/a.md"}
    both_off = Settings(repo_url="https://github.com/acme/goals", edit_uri="", history_uri="")
    assert file_links(both_off, "content/a.md") == {}
    assert file_links(Settings(repo_url="https://github.com/acme/goals"), "content/a.md")["edit"] == "https://github.com/acme/goals/edit/main/content/a.md"
