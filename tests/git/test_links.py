"""git/links.py: "Edit this page" and "History" links."""

from okrsite.git.links import file_links
from okrsite.goals.config import Settings


def test_a_whole_address_is_known_as_one_in_any_case():
    """edit_uri = "HTTPS://…" passes the settings' web-address test (goals/webaddress.py), so it is
    a whole address here too, not a path under repo_url."""
    settings = Settings(repo_url="https://git.example.com/org/repo", edit_uri="HTTPS://edit.example.com/main/")
    assert file_links(settings, "content/teams/a.md") == {"edit": "HTTPS://edit.example.com/main/content/teams/a.md", "history": None}
