"""Links into the repository's web host: "edit this page" and "history" for every goals file."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from ..goals.config import Settings
from ..goals.webaddress import START

# Where a host keeps its edit and history views, relative to repo_url (as MkDocs' edit_uri).
HOST_URIS = {
    "github": ("edit/main/", "commits/main/"),
    "gitlab": ("-/edit/main/", "-/commits/main/"),
}


def host_uris(repo_url: str) -> tuple[str | None, str | None]:
    host = urlsplit(repo_url).hostname or ""
    for name, uris in HOST_URIS.items():
        if name in host.split("."):
            return uris
    return None, None


def _join(repo_url: str, uri: str, path: str) -> str:
    base = uri if START.match(uri) else repo_url.rstrip("/") + "/" + uri.lstrip("/")
    return base.rstrip("/") + "/" + quote(path)


def file_links(settings: Settings, path: str, prefix: str = "") -> dict[str, str | None]:
    """{'edit': url, 'history': url} for a file at ``path`` in the site (``prefix``: the site's folder
    in the repository); empty without repo_url or without either link. A link the host's shape does
    not give (another host with only one of edit_uri and history_uri) is None, never missing: a
    theme reads both keys."""
    if not settings.repo_url:
        return {}
    edit, history = host_uris(settings.repo_url)
    links = {name: _join(settings.repo_url, uri, prefix + path) if uri else None
             for name, uri in (("edit", edit if settings.edit_uri is None else settings.edit_uri),
                               ("history", history if settings.history_uri is None else settings.history_uri))}
    return links if any(links.values()) else {}
