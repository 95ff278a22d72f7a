"""A site's cuts kept by the build cache (web/cuts.py): given to a site of the same structure, they are
the cuts that site would make; any change to what they are made of changes the structure."""

from __future__ import annotations

import pickle
import re

import pytest

from okrsite.build import check_site
from okrsite.web import alignmap, cuts, render

from .test_alignmap import gen_corpus


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    """235 generated objectives, with the limits lowered so that every cut has several parts."""
    monkeypatch.setattr(render, "PERIOD_PAGE_LIMIT", 20)
    monkeypatch.setattr(render, "REVIEW_PAGE_LIMIT", 15)
    monkeypatch.setattr(render, "ALIGNMENT_LIST_LIMIT", 15)
    gen_corpus().generate(235, tmp_path / "goals", seed=1)
    return tmp_path / "goals"


def site_of(root):
    return check_site(root).loaded.site


def rewrite(path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    changed = re.sub(pattern, replacement, text, count=1, flags=re.MULTILINE)
    assert changed != text, f"{pattern!r} not in {path}"
    path.write_text(changed, encoding="utf-8")


def objective_files(root):
    return sorted((root / "content/objectives").rglob("*.md"))


def test_cuts_given_to_a_site_of_the_same_structure_are_the_cuts_it_would_make(corpus):
    """Titles, numbers, statuses and bodies changed: the same structure; the cuts given are those made
    afresh, of the site's own objectives."""
    kept = pickle.loads(pickle.dumps(cuts.kept(site_of(corpus))))
    assert len(kept["by owner"]) >= 1 and any(len(parts) > 1 for parts in kept["review"].values()) and kept["own maps"]
    was = cuts.structure(site_of(corpus))
    for n, path in enumerate(objective_files(corpus)[::7]):
        rewrite(path, r"^title: .*", f"title: Renamed {n}")
        if n % 2:
            rewrite(path, r"^(title: .*)$", r"\1\nstatus: cancelled")
        text = re.sub(r"^    (target|current): (\d+)", r"    \1: \g<2>1", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
        path.write_text(text + f"\nMore words {n}.\n", encoding="utf-8")
    given = site_of(corpus)
    assert cuts.structure(given) == was
    assert cuts.seed(given, kept)
    assert cuts.kept(given) == cuts.kept(site_of(corpus))
    for period, owners in render.split_by_owner(given).items():
        assert all(given.objectives[o.id] is o for mine in owners.values() for o in mine)
    assert all(given.objectives[o.id] is o for period in given.periods for part in render.review_parts(given, period) for o, _ in part)


def _parent(root):
    files = objective_files(root)
    rewrite(files[40], r"^parent: .*", f"parent: {files[3].stem}")


def _owner(root):
    rewrite(objective_files(root)[40], r"^owner: .*", "owner: Someone Else")


def _period(root):
    path = objective_files(root)[40]
    text = path.read_text(encoding="utf-8")
    periods = re.findall(r"^period: (.*)$", "".join(p.read_text(encoding="utf-8") for p in objective_files(root)), flags=re.MULTILINE)
    other = next(p for p in periods if f"period: {p}\n" not in text)
    rewrite(path, r"^period: .*", f"period: {other}")


def _removed(root):
    leaves = [p for p in objective_files(root) if not any(f"parent: {p.stem}\n" in q.read_text(encoding="utf-8") for q in objective_files(root))]
    leaves[0].unlink()


def _added(root):
    first = objective_files(root)[0]
    (first.parent / "zz-new.md").write_text(first.read_text(encoding="utf-8"), encoding="utf-8")


def _team_on_top(root):
    """A team made top-level: its objectives are the company's, first among a period's tops (alignment_tops)."""
    teams = sorted((root / "content" / "teams").glob("*.md"))
    below = next(p for p in teams if re.search(r"^parent: ", p.read_text(encoding="utf-8"), flags=re.MULTILINE))
    rewrite(below, r"^parent: .*\n", "")


STRUCTURE = {"parent": _parent, "owner": _owner, "period": _period, "removed": _removed, "added": _added, "team on top": _team_on_top}


@pytest.mark.parametrize("kind", sorted(STRUCTURE))
def test_a_change_to_what_the_cuts_are_made_of_changes_the_structure(corpus, kind):
    was = cuts.structure(site_of(corpus))
    STRUCTURE[kind](corpus)
    assert cuts.structure(site_of(corpus)) != was


def test_the_limits_are_part_of_the_structure(corpus, monkeypatch):
    site = site_of(corpus)
    was = cuts.structure(site)
    monkeypatch.setattr(render, "REVIEW_PAGE_LIMIT", 16)
    assert cuts.structure(site) != was


def test_cuts_that_do_not_fit_the_site_are_not_given(corpus):
    kept = cuts.kept(site_of(corpus))
    _removed(corpus)
    site = site_of(corpus)
    assert not cuts.seed(site, kept) and not cuts.seed(site, {"by owner": 3})
    assert cuts.kept(site) == cuts.kept(site_of(corpus))


def test_own_maps_are_made_once_per_site(corpus, monkeypatch):
    site = site_of(corpus)
    made = alignmap.own_maps(site)
    monkeypatch.setattr(alignmap, "_own_maps", lambda site: pytest.fail("made again"))
    assert alignmap.own_maps(site) is made
