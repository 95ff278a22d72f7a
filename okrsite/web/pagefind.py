"""Full-text search by Pagefind (search = "pagefind"): its index is made from the finished site, in the
temporary folder, before that folder replaces OUT, so a failure leaves the previous site as it was.

Pagefind indexes the pages whose <main> has ``data-pagefind-body`` (the theme marks the pages of
objectives, KPIs, teams, people, periods and Markdown pages) and writes its bundle to ``pagefind/``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ..goals.config import install_extra
from .write import OutputError

BUNDLE = "pagefind"  # the folder Pagefind writes at the top of the site
TIMEOUT = 30 * 60  # seconds; Pagefind takes about 20 s for 10,000 objectives on two cores


def index_site(folder: Path) -> None:
    """Run Pagefind over a built site folder (``python -m pagefind --site FOLDER``)."""
    command = [sys.executable, "-m", "pagefind", "--site", str(folder), "--silent"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise OutputError(f"Pagefind could not index the site: {exc}", "check that `python -m pagefind --help` works, or remove search = \"pagefind\"") from None
    if done.returncode != 0 or not (folder / BUNDLE / "pagefind.js").is_file():
        said = " ".join((done.stderr or done.stdout or "no output").split())[:400]
        raise OutputError(f"Pagefind could not index the site (exit status {done.returncode}): {said}",
                          f"{install_extra('pagefind')} again, or remove search = \"pagefind\" from okrsite.toml")
