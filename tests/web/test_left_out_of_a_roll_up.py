"""QA EL 1: a finished roll-up's grade leaves out an objective git held only after its period ended
(added_late). Only the roll-up's own page said so: the review, the period page and the alignment map
showed the roll-up at 60 % over its children at 60 % and 100 %. Every row, card and box of the child
says it now, and okrs.json lists it on the roll-up."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import jsonschema

from okrsite.build import build

from ..gitrepo import GitRepo, needs_git

pytestmark = needs_git

SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "okrs.schema.json").read_text(encoding="utf-8"))
ROLL_UP = "content/objectives/2026-q3/rollup-q3.md"
CHILD = "---\ntitle: {title}\nperiod: 2026-Q3\nowner: {owner}\nparent: rollup-q3\nkey_results:\n  - {{title: K, target: 10, current: {current}}}\n---\n"
NOTE = "added after 2026-Q3 ended: not counted in Roll up everything in Q3's grade"


def roll_up(key_results: str = "") -> str:
    return f"---\ntitle: Roll up everything in Q3\nperiod: 2026-Q3\nowner: eng\n{key_results}---\n"


def late_child_repo(root: Path) -> GitRepo:
    """Child A (6 of 10) committed with the roll-up in July; the late child (10 of 10, of another team)
    first on Nov 10, after Q3 ended."""
    r = GitRepo(root)
    r.commit({"okrsite.toml": 'title = "R2"\nas_of = 2026-11-23\n', "content/teams/eng.md": "---\ntitle: Engineering\n---\n",
              "content/teams/ops.md": "---\ntitle: Operations\n---\n", ROLL_UP: roll_up(),
              "content/objectives/2026-q3/child-a.md": CHILD.format(title="Child A", owner="eng", current=6)}, "2026-07-01T10:00:00+00:00")
    r.commit({"content/objectives/2026-q3/child-late.md": CHILD.format(title="Child written after Q3 ended", owner="ops", current=10)},
             "2026-11-10T10:00:00+00:00")
    return r


def text_of(out: Path, page: str) -> str:
    """A page's text, a link or isolate inside a sentence kept inside it."""
    inline = re.sub(r"</?(?:a|bdi)\b[^>]*>", "", (out / page).read_text(encoding="utf-8"))
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", inline)))


def built(tmp_path: Path) -> Path:
    out = tmp_path / "site"
    result = build(late_child_repo(tmp_path / "goals").root, out)
    assert result.ok, result.report.items
    return out


def test_every_list_that_shows_the_late_child_says_the_roll_up_leaves_it_out(tmp_path):
    out = built(tmp_path)
    for page in ("periods/2026-q3/review/index.html", "periods/2026-q3/index.html", "teams/ops/index.html", "objectives/rollup-q3/index.html"):
        text = text_of(out, page)
        assert text.count(NOTE) == 1, page
        assert re.search(r"Child written after Q3 ended .{0,300}" + re.escape(NOTE), text), page
    review = text_of(out, "periods/2026-q3/review/index.html")
    assert "aligned to Roll up everything in Q3 · " + NOTE in review
    assert "Objectives 3" in review and "Average grade committed: 0.73" in review  # the summary counts every objective of the period


def test_the_alignment_map_s_box_and_card_say_it_short_and_in_full(tmp_path):
    out = built(tmp_path)
    page = (out / "alignment/index.html").read_text(encoding="utf-8")
    box = re.search(r'<a class="amap-node"[^>]*><title>Child written after Q3 ended[^<]*</title>.*?</a>', page, re.S).group(0)
    assert html.unescape(box).count(NOTE) == 1 and ">added late: not counted</text>" in box
    child_a = re.search(r'<a class="amap-node"[^>]*><title>Child A[^<]*</title>.*?</a>', page, re.S).group(0)
    assert "not counted" not in child_a
    card = re.search(r'data-objective-node="child-late">.*?</a>', page, re.S).group(0)
    assert NOTE in re.sub(r"<[^>]+>", "", html.unescape(card))
    own_map = text_of(out, "objectives/rollup-q3/map/index.html") if (out / "objectives/rollup-q3/map/index.html").exists() else None
    assert own_map is None or NOTE in own_map


def test_okrs_json_lists_the_child_the_roll_up_leaves_out(tmp_path):
    data = json.loads((built(tmp_path) / "okrs.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    by_id = {o["id"]: o for o in data["objectives"]}
    assert by_id["rollup-q3"]["left_out"] == [{"id": "child-late", "reason": "added_after_end"}]
    assert by_id["rollup-q3"]["progress"] == 0.6 and by_id["rollup-q3"]["children"] == ["child-a", "child-late"]
    assert "left_out" not in by_id["child-a"] and "left_out" not in by_id["child-late"]
