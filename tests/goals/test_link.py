"""goals/link.py's Linker (the preview's): after any sequence of edits, what it links again equals what
link_entities links from scratch — the same site and the same diagnostics."""

import random
from pathlib import Path, PurePosixPath

import pytest

from okrsite.build import check_site
from okrsite.goals import link as link_module
from okrsite.goals.config import load_settings
from okrsite.goals.diagnostics import Report
from okrsite.goals.link import Linker, link_entities, parse
from okrsite.goals.load import load_documents
from okrsite.goals.repository import link_site

from ..conftest import write_files

TEAMS = ["company", "platform", "sales", "design"]
PEOPLE = ["Ada Lovelace", "Grace Hopper", "Alan Turing"]
PERIODS = ["2026-Q3", "2026-Q4", "2026", "2027-Q1"]


def objective(ident: str, rng: random.Random, ids: list[str]) -> str:
    owner = rng.choice(TEAMS + PEOPLE + ["ghost-team"])
    lines = ["---", f"title: Objective {ident}", f"period: {rng.choice(PERIODS)}", f"owner: {owner}"]
    if ids and rng.random() < 0.7:
        lines.append(f"parent: {rng.choice(ids + ['nowhere'])}")
    if rng.random() < 0.3:
        lines.append(f"kpis: [{rng.choice(['mrr', 'nps', 'churn'])}]")
    if ids and rng.random() < 0.1:
        lines.append(f"follows: {rng.choice(ids)}")
    count = rng.choice([0, 1, 3, 6])
    if count:
        lines.append("key_results:")
    for k in range(count):
        lines += [f"  - title: Result {k}", f"    target: {rng.randint(10, 99)}", f"    current: {rng.randint(0, 9)}"]
        if rng.random() < 0.2:
            lines.append(f"    kpi: {rng.choice(['mrr', 'nps', 'nokpi'])}")
        if rng.random() < 0.2:
            lines.append(f"    owner: {rng.choice(PEOPLE + TEAMS)}")
    body = rng.choice(["Why it matters.", f"See [[{rng.choice(ids or ['mrr'])}]].", "Links to [[missing-one]]."])
    return "\n".join(lines + ["---", body, ""])


def kpi(ident: str, rng: random.Random, confidential: bool) -> str:
    lines = ["---", f"title: KPI {ident}", f"owner: {rng.choice(TEAMS + PEOPLE)}", "target: 100"]
    if rng.random() < 0.7:
        lines.append("source: Billing export")
    if confidential:
        lines.append("confidential: true")
    return "\n".join(lines + ["values:", "  - {date: 2026-11-01, value: 42}", "---", "A number.", ""])


def team(ident: str, rng: random.Random) -> str:
    lines = ["---", f"title: Team {ident}"]
    if ident != "company":
        lines.append(f"parent: {rng.choice(['company', 'company', 'platform', 'nowhere'])}")
    if rng.random() < 0.7:
        lines.append(f"lead: {rng.choice(PEOPLE)}")
    if rng.random() < 0.5:
        lines.append(f"members: [{rng.choice(PEOPLE)}]")
    return "\n".join(lines + ["---", "A team.", ""])


def seed_repository(root: Path, rng: random.Random) -> None:
    root.mkdir()
    (root / "okrsite.toml").write_text('title = "Walk"\nas_of = 2026-11-23\n')
    for folder in ("objectives/2026", "objectives/other", "kpis", "teams", "pages"):
        (root / "content" / folder).mkdir(parents=True)
    for name in TEAMS:
        (root / "content/teams" / f"{name}.md").write_text(team(name, rng))
    for name in ("mrr", "nps", "churn"):
        (root / "content/kpis" / f"{name}.md").write_text(kpi(name, rng, name == "nps"))
    (root / "content/pages/handbook.md").write_text("---\ntitle: Handbook\n---\nRead [[mrr]].\n")
    ids: list[str] = []
    for n in range(14):
        ident = f"o{n}"
        (root / "content/objectives/2026" / f"{ident}.md").write_text(objective(ident, rng, ids))
        ids.append(ident)


def objective_files(root: Path) -> list[Path]:
    return sorted((root / "content/objectives").rglob("*.md"))


def walk_step(root: Path, rng: random.Random) -> str:
    """One random edit; its name."""
    files = objective_files(root)
    twins = [p for p in files if p.parent.name == "other" and (root / "content/objectives/2026" / p.name).exists()]
    if twins and rng.random() < 0.5:
        twins[0].unlink()  # a duplicate id does not stay for long: while there is one, everything is linked again
        return "undo a duplicate"
    path = rng.choice(files)
    text = path.read_text()
    ids = [p.stem for p in files]
    kind = rng.choice(["current"] * 6 + ["title", "body", "body", "wikilink", "wikilink", "add", "delete", "rename", "parent",
                       "owner", "period", "kpis", "kpis", "follows", "kr-kpi", "kr-kpi", "team", "kpi-confidential", "kpi-objectives", "duplicate",
                       "shift-lines", "no-key-results", "rewrite", "kpi-secret", "kpi-secret", "shift-kpi", "shift-kpi"])
    if kind == "current" and "current:" in text:
        lines = text.split("\n")
        index = rng.choice([i for i, line in enumerate(lines) if line.startswith("    current:")])
        lines[index] = f"    current: {rng.randint(0, 99)}"
        path.write_text("\n".join(lines))
    elif kind == "title":
        path.write_text(text.replace("title: Objective", "title: Renamed objective", 1))
    elif kind == "body":
        path.write_text(text + "\nOne more paragraph.\n")
    elif kind == "wikilink":
        path.write_text(text + f"\nSee [[{rng.choice(ids + ['not-there'])}]].\n")
    elif kind == "add":
        ident = f"new{rng.randint(0, 10**6)}"
        (root / "content/objectives/other" / f"{ident}.md").write_text(objective(ident, rng, ids))
    elif kind == "delete" and len(files) > 3:
        path.unlink()
    elif kind == "rename":
        path.rename(path.with_name(f"{path.stem}-x.md"))
    elif kind in ("parent", "owner", "period", "kpis", "follows"):
        value = {"parent": rng.choice(ids + ["nowhere"]), "owner": rng.choice(TEAMS + PEOPLE + ["ghost-team"]),
                 "period": rng.choice(PERIODS), "follows": rng.choice(ids), "kpis": f"[{rng.choice(['mrr', 'nps', 'nokpi'])}]"}[kind]
        lines = text.split("\n")
        at = [i for i, line in enumerate(lines) if line.startswith(f"{kind}:")]
        if at:  # in place: no other line moves
            lines[at[0]] = f"{kind}: {value}"
        else:  # last in the front matter: no line above moves
            lines.insert(lines.index("---", 1), f"{kind}: {value}")
        path.write_text("\n".join(lines))
    elif kind == "kr-kpi" and "  - title:" in text:
        lines, value = text.split("\n"), f"    kpi: {rng.choice(['mrr', 'nps', 'churn'])}"
        at = [i for i, line in enumerate(lines) if line.startswith("    kpi:")]
        if at:
            lines[at[0]] = value
        else:  # to the last key result, last in the front matter: no line above moves
            lines.insert(lines.index("---", 1), value)
        path.write_text("\n".join(lines))
    elif kind == "team":
        name = rng.choice(TEAMS)
        (root / "content/teams" / f"{name}.md").write_text(team(name, rng))
    elif kind == "kpi-confidential":
        name = rng.choice(["mrr", "nps", "churn"])
        (root / "content/kpis" / f"{name}.md").write_text(kpi(name, rng, rng.random() < 0.5))
    elif kind == "kpi-objectives":
        kpi_path = root / "content/kpis" / f"{rng.choice(['mrr', 'nps', 'churn'])}.md"
        kpi_text = kpi_path.read_text().replace("objectives: ", "old: ")
        kpi_path.write_text(kpi_text.replace("---\n", f"---\nobjectives: [{rng.choice(ids + ['nowhere'])}]\n", 1))
    elif kind == "duplicate":
        (root / "content/objectives/other" / path.name).write_text(objective(path.stem, rng, ids))
    elif kind == "shift-lines":
        path.write_text(text.replace("---\n", "---\n# a comment\n", 1))
    elif kind in ("kpi-secret", "shift-kpi"):
        kpi_path = root / "content/kpis" / f"{rng.choice(['mrr', 'nps', 'churn'])}.md"
        kpi_text = kpi_path.read_text()
        if kind == "shift-kpi":  # its owner's line moves: where a name is first written may too
            kpi_path.write_text(kpi_text.replace("---\n", "---\n# a comment\n", 1))
        elif "confidential: true\n" in kpi_text:
            kpi_path.write_text(kpi_text.replace("confidential: true\n", ""))
        else:
            kpi_path.write_text(kpi_text.replace("target: 100\n", "target: 100\nconfidential: true\n"))
    elif kind == "no-key-results" and "key_results:" in text:
        path.write_text(text.split("key_results:")[0] + "---\nNo results.\n")
    else:
        path.write_text(objective(path.stem, rng, ids))
    return kind


class Entities:
    """Parsed entities kept from one step to the next, as the preview keeps them: a file read again
    only when its text changed, so the other entities are the very same objects."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.known: dict[str, tuple[str, object, list]] = {}

    def now(self, settings) -> tuple[list, list]:
        report = Report()
        entities, items = [], []
        docs = {doc.path: doc for doc in load_documents(self.root, report)}
        items += report.items
        for path in sorted(docs, key=lambda p: PurePosixPath(p).parts):
            text = (self.root / path).read_text()
            if path not in self.known or self.known[path][0] != text:
                parse_report = Report()
                self.known[path] = (text, parse(docs[path], settings, self.root, parse_report), parse_report.items)
            entities.append(self.known[path][1])
            items += self.known[path][2]
        return entities, items


def sources(site) -> dict:
    return {name: person.source for name, person in site.people.items()}


def by_place(items: list) -> list:
    return sorted(items, key=lambda d: (d.file, d.line))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_random_walk_of_edits_links_the_same_site_as_linking_from_scratch(tmp_path, seed, monkeypatch):
    rng = random.Random(seed)
    root = tmp_path / "goals"
    seed_repository(root, rng)
    settings = load_settings(root, Report())
    relinked = []
    real_relink = link_module._relink
    monkeypatch.setattr(link_module, "_relink", lambda *args: relinked.append(1) or real_relink(*args))
    linker, entities = Linker(), Entities(root)
    kinds = []
    for step in range(160):
        parsed, _ = entities.now(settings)
        incremental, fresh = Report(), Report()
        site, again = linker.link(parsed, settings, incremental), link_entities(parsed, settings, fresh)
        assert site == again, (step, kinds[-3:])
        assert sources(site) == sources(again), (step, kinds[-3:])  # not part of a Person's equality
        assert by_place(incremental.items) == by_place(fresh.items), (step, kinds[-3:])
        kinds.append(walk_step(root, rng))
    assert len(relinked) > 30  # the shortcut was taken (and compared) often, not only the full linking
    assert any(d for d in fresh.items)  # the walk meets diagnostics too


def test_an_edit_that_keeps_every_shape_relinks_only_the_saved_entity(tmp_path, monkeypatch):
    rng = random.Random(7)
    root = tmp_path / "goals"
    seed_repository(root, rng)
    settings = load_settings(root, Report())
    entities = Entities(root)
    linker = Linker()
    linker.link(entities.now(settings)[0], settings, Report())
    checked = []
    real = link_module._check_one
    monkeypatch.setattr(link_module, "_check_one", lambda entity, *rest: checked.append(entity.id) or real(entity, *rest))
    path = objective_files(root)[0]
    path.write_text(path.read_text() + "\nSee [[not-there]].\n")
    report = Report()
    site = linker.link(entities.now(settings)[0], settings, report)
    assert checked == [path.stem]
    assert any("not-there" in d.message and d.file.endswith(path.name) for d in report.items)
    assert site.objectives[path.stem].doc.body.endswith("See [[not-there]].\n")


def test_new_settings_link_everything_again(tmp_path, monkeypatch):
    rng = random.Random(8)
    root = tmp_path / "goals"
    seed_repository(root, rng)
    entities = Entities(root)
    linker = Linker()
    settings = load_settings(root, Report())
    linker.link(entities.now(settings)[0], settings, Report())
    (root / "okrsite.toml").write_text('title = "Another title"\nas_of = 2026-11-23\n')
    settings = load_settings(root, Report())
    monkeypatch.setattr(link_module, "_relink", lambda *args: pytest.fail("relinked with other settings"))
    assert linker.link(entities.now(settings)[0], settings, Report()).title == "Another title"


@pytest.mark.parametrize("seed", [4, 5])
def test_a_linking_kept_from_the_last_step_gives_the_very_site_and_diagnostics_of_linking_from_scratch(tmp_path, seed):
    """linked_as_before (the build cache's): from what link_keeping kept of the last step's linking, with
    the entities that are not the very same objects as changed, it gives link_entities' site, people's
    sources and diagnostics in the same order, or None (a shape changed, a diagnostic then or now)."""
    rng = random.Random(seed)
    root = tmp_path / "goals"
    seed_repository(root, rng)
    settings = load_settings(root, Report())
    entities = Entities(root)
    last, kept, taken, kinds = None, None, 0, []
    for step in range(200):
        parsed, _ = entities.now(settings)
        fresh = Report()
        site = link_entities(parsed, settings, fresh)
        if kept is not None and len(parsed) == len(last) and all(a.doc.path == b.doc.path for a, b in zip(last, parsed)):
            again = Report()
            found = link_module.linked_as_before(parsed, settings, again, kept, [i for i, (a, b) in enumerate(zip(last, parsed)) if a is not b])
            if found is not None:
                taken += 1
                assert found == site and sources(found) == sources(site), (step, kinds[-3:])
                assert again.items == fresh.items, (step, kinds[-3:])
        kept_report = Report()
        kept_site, kept = link_module.link_keeping(parsed, settings, kept_report)
        assert kept_site == site and kept_report.items == fresh.items
        last = parsed
        kinds.append(walk_step(root, rng))
    assert taken >= 8, taken  # taken (after a check-in to a file without diagnostics), and compared


def test_a_changed_shape_or_a_diagnostic_links_again(tmp_path):
    rng = random.Random(9)
    root = tmp_path / "goals"
    seed_repository(root, rng)
    settings = load_settings(root, Report())
    entities = Entities(root)
    parsed, _ = entities.now(settings)
    _, kept = link_module.link_keeping(parsed, settings, Report())
    path = objective_files(root)[0]
    path.write_text(path.read_text().replace("---\n", "---\n# a comment\n", 1))  # its owner's line moves: a shape
    again = entities.now(settings)[0]
    changed = [i for i, (a, b) in enumerate(zip(parsed, again)) if a is not b]
    assert len(changed) == 1 and link_module.linked_as_before(again, settings, Report(), kept, changed) is None
    _, kept = link_module.link_keeping(again, settings, Report())
    path.write_text(path.read_text() + "\nSee [[not-there]].\n")  # the same shape, but a diagnostic now
    last, again = again, entities.now(settings)[0]
    assert link_module.linked_as_before(again, settings, Report(), kept, [i for i, (a, b) in enumerate(zip(last, again)) if a is not b]) is None


def test_files_named_in_other_scripts_get_distinct_stable_ids(tmp_path):
    """SPEC §1: an id is the file's name, slugified. Names in Cyrillic or Chinese once all became
    'item' (a duplicate id for the second): their letters are kept, lowercased, in NFC whichever
    form the file system stores the name in, so distinct files get distinct ids and pages."""
    import unicodedata
    from okrsite.build import build
    from ..conftest import FIXTURES, compose_site, write_files
    kr = "key_results:\n  - title: K\n    target: 10\n    current: 1\n---\n"
    names = ["Цели роста", "Рост Q4", "Цели Q4", "目標", "売上拡大"]
    files = {f"content/objectives/{unicodedata.normalize('NFD', name)}.md": f"---\ntitle: {name}\nperiod: 2026-Q4\nowner: company\n{kr}" for name in names}
    files["content/objectives/child.md"] = f"---\ntitle: Child\nperiod: 2026-Q4\nowner: company\nparent: цели-роста\n{kr}"
    root = write_files(compose_site(tmp_path / "s", FIXTURES / "base"), files)
    result = build(root, tmp_path / "out")
    assert result.ok and result.report.items == [], result.report.items
    site = check_site(root).loaded.site
    assert {site.objectives[i].title for i in ("цели-роста", "рост-q4", "цели-q4", "目標", "売上拡大")} == set(names)
    assert site.objectives["child"].parent == "цели-роста"
    for ident in ("цели-роста", "目標"):
        assert (tmp_path / "out" / "objectives" / ident / "index.html").is_file()


def test_a_duplicate_id_from_names_in_other_scripts_suggests_an_id_in_the_same_script(tmp_path):
    from ..conftest import FIXTURES, compose_site, write_files
    text = "---\ntitle: Цели\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - title: K\n    target: 10\n---\n"
    root = write_files(compose_site(tmp_path / "s", FIXTURES / "base"), {"content/objectives/a/цели.md": text, "content/objectives/b/цели.md": text})
    [error] = check_site(root).report.errors
    assert error.message == "duplicate id 'цели': content/objectives/a/цели.md has it too"
    assert error.hint == "ids are unique across the site and come from file names, in any folder: give this file its own id, e.g. 'id: цели-b', or rename it"


GOAL = "---\ntitle: {title}\nperiod: 2026-Q4\nowner: {owner}\nparent: grow-customer-base\nkey_results:\n  - {{title: K, target: 10}}\n---\n"


def test_a_duplicate_id_is_blamed_on_the_file_fewer_references_name(tmp_path):
    """QA: kpis/sales.md added beside teams/sales.md blamed the team ("give this file its own id, e.g.
    'id: sales-teams'"), and following that broke every `owner: sales`. The team objectives are owned by
    keeps the id; the new KPI is the file to rename."""
    from ..conftest import FIXTURES, compose_site, write_files
    root = write_files(compose_site(tmp_path / "s", FIXTURES / "base"), {
        "content/objectives/deals.md": GOAL.format(title="Deals", owner="sales"),
        "content/objectives/leads.md": GOAL.format(title="Leads", owner="sales"),
        "content/kpis/sales.md": "---\ntitle: Sales\nowner: company\nsource: CRM\n---\n",
    })
    loaded = check_site(root)
    [error] = loaded.report.errors
    assert (error.file, error.message) == ("content/kpis/sales.md", "duplicate id 'sales': content/teams/sales.md has it too")
    assert error.hint == ("ids are unique across the site and come from file names, in any folder: give this file its own id, e.g. 'id: sales-kpis', "
                          "or rename it (2 references name the team content/teams/sales.md by it)")
    assert "sales" in loaded.loaded.site.teams and "sales" not in loaded.loaded.site.kpis


def test_the_id_a_duplicate_s_hint_suggests_is_free(tmp_path):
    """QA CH: beside content/kpis/sales-kpis.md the hint still said 'id: sales-kpis', another duplicate."""
    from ..conftest import FIXTURES, compose_site, write_files
    root = write_files(compose_site(tmp_path / "s", FIXTURES / "base"), {
        "content/kpis/sales.md": "---\ntitle: Sales\nowner: company\nsource: CRM\n---\n",
        "content/kpis/sales-kpis.md": "---\ntitle: Sales KPIs\nowner: company\nsource: CRM\n---\n",
    })
    [error] = check_site(root).report.errors
    assert error.file == "content/kpis/sales.md" and "e.g. 'id: sales-kpis-2'" in error.hint


@pytest.mark.parametrize("kpi_file", ["content/kpis/sales.md", "content/kpis/zz/sales.md"])
def test_a_team_keeps_an_id_no_reference_names(tmp_path, kpi_file):
    """On a tie (nothing names either yet) the team keeps its id, whichever file is read first: teams
    are named by their ids wherever an owner is written."""
    from ..conftest import FIXTURES, compose_site, write_files
    root = write_files(compose_site(tmp_path / "s", FIXTURES / "base"), {kpi_file: "---\ntitle: Sales\nowner: company\nsource: CRM\n---\n"})
    [error] = check_site(root).report.errors
    assert (error.file, error.message) == (kpi_file, "duplicate id 'sales': content/teams/sales.md has it too")


def key_result_goal(title: str, *ids: str | None) -> str:
    key_results = "".join(f"  - title: {title} {n}\n" + (f"    id: {ident}\n" if ident else "") + "    target: 10\n" for n, ident in enumerate(ids, 1))
    return f"---\ntitle: {title}\nperiod: 2026-Q4\nowner: company\nkey_results:\n{key_results}---\n"


def test_key_result_ids_written_or_default_are_unique_across_the_site(base_site):
    """QA (SPEC §1): two objectives' key results with `id: seats`, a key result whose id is an
    objective's and an objective file whose id is another objective's first key result's default id
    passed check --strict, and okrs.json held two key results of one id. A file keeps an id over a key
    result; of two key results, the one of the file read first."""
    write_files(base_site, {
        "content/objectives/a-first.md": key_result_goal("First", None, "seats"),
        "content/objectives/b-second.md": key_result_goal("Second", "seats"),
        "content/objectives/a-first-kr1.md": key_result_goal("Third", "grow-customer-base"),
    })
    errors = {(e.file, e.line): (e.message, e.hint) for e in check_site(base_site).report.errors}
    said = "ids are unique across the site, a key result's too"
    assert errors == {
        ("content/objectives/a-first.md", 6): (
            "duplicate id 'a-first-kr1' of key result 1 (its default id): content/objectives/a-first-kr1.md has it too",
            f"{said}: give this key result an 'id:' of its own, or give content/objectives/a-first-kr1.md another id"),
        ("content/objectives/b-second.md", 7): (
            "duplicate id 'seats' of key result 1: key result 2 of content/objectives/a-first.md (line 9) has it too",
            f"{said}: give this key result another 'id:', e.g. 'id: b-second-seats'"),
        ("content/objectives/a-first-kr1.md", 7): (
            "duplicate id 'grow-customer-base' of key result 1: content/objectives/grow-customer-base.md has it too",
            f"{said}: give this key result another 'id:', e.g. 'id: a-first-kr1-grow-customer-base'"),
    }


OWN_ID = "ids are unique across the site, a key result's too: give this key result another 'id:'"
IN_ONE_OBJECTIVE = "give each key result of an objective its own id: it is the key result's anchor on the page, and how check-ins find it"


@pytest.mark.parametrize("ids, errors", [
    (("grow",), [(7, "key result 1 has the id 'grow' of its own objective", f"{OWN_ID}, or leave 'id:' out for its default id 'grow-kr1'")]),
    ((None, "grow-kr1", "grow"), [(9, "key result 2 has the id 'grow-kr1', the default id of key result 1", IN_ONE_OBJECTIVE),
                                  (12, "key result 3 has the id 'grow' of its own objective", f"{OWN_ID}, or leave 'id:' out for its default id 'grow-kr3'")]),
    (("grow", "grow"), [(7, "key result 1 has the id 'grow' of its own objective", f"{OWN_ID}, or leave 'id:' out for its default id 'grow-kr1'"),
                        (10, "key result 2 has the id 'grow' of its own objective", f"{OWN_ID}, or leave 'id:' out for its default id 'grow-kr2'"),
                        (10, "key result 2 has the id 'grow' of key result 1", IN_ONE_OBJECTIVE)]),
    (("grow", "grow-kr1"), [(7, "key result 1 has the id 'grow' of its own objective", OWN_ID)]),  # its default is taken
])
def test_a_key_result_with_its_own_objective_s_id_is_told_so_at_its_id_line(base_site, ids, errors):
    """Review: `id: grow` in grow.md read "duplicate id 'grow' of key result 1: content/objectives/grow.md has it too",
    naming the very file, and suggested 'id: grow-grow'. Each clash within one file says which key result's id it is."""
    write_files(base_site, {"content/objectives/grow.md": key_result_goal("Grow", *ids)})
    found = sorted((e.line, e.message, e.hint) for e in check_site(base_site).report.errors if e.file == "content/objectives/grow.md")
    assert found == errors


def test_a_key_result_id_saved_in_the_preview_is_checked_against_every_file(tmp_path):
    """The Linker links all again when a key result's id changes: the one keeping it may be the saved
    file, the error another's."""
    root = write_files(tmp_path / "goals", {
        "okrsite.toml": 'title = "T"\n',
        "content/teams/company.md": "---\ntitle: Company\n---\n",
        "content/objectives/a.md": key_result_goal("A", "one"),
        "content/objectives/b.md": key_result_goal("B", "seats"),
    })
    settings, entities, linker = load_settings(root, Report()), Entities(root), Linker()
    linker.link(entities.now(settings)[0], settings, Report())
    write_files(root, {"content/objectives/a.md": key_result_goal("A", "seats")})
    report = Report()
    linker.link(entities.now(settings)[0], settings, report)
    assert [(e.file, e.message) for e in report.errors] == [
        ("content/objectives/b.md", "duplicate id 'seats' of key result 1: key result 1 of content/objectives/a.md (line 7) has it too")]


@pytest.mark.parametrize("line,message,hint", [
    ("parent: mrr", "unknown parent 'mrr': that is a KPI, not an objective", "to link the KPI, write kpis: [mrr]"),
    ("parent: company", "unknown parent 'company': that is a team, not an objective", "'parent' takes the id of an objective"),
    ("kpis: [grow-customer-base]", "unknown KPI 'grow-customer-base': that is an objective, not a KPI", "take ids of KPIs"),
    # QA EP: a follows naming a KPI was "an unknown objective", as if misspelt
    ("follows: mrr", "'follows' names an unknown objective 'mrr': that is a KPI, not an objective", "to link the KPI, write kpis: [mrr]"),
    ("follows: company", "'follows' names an unknown objective 'company': that is a team, not an objective", "'follows' takes the id of the objective"),
])
def test_an_id_of_another_kind_says_what_it_is_instead_of_a_far_did_you_mean(tmp_path, line, message, hint):
    """`parent: mrr` is no typo: 'did you mean ...' another objective would send the writer the wrong way."""
    from ..conftest import FIXTURES, compose_site, write_files
    root = write_files(compose_site(tmp_path / "s", FIXTURES / "base"), {"content/objectives/later.md": (
        f"---\ntitle: Later\nperiod: 2026-Q4\nowner: company\n{line}\nkey_results:\n  - {{title: A, target: 2}}\n---\n")})
    [error] = check_site(root).report.errors
    assert (error.file, error.line, error.message) == ("content/objectives/later.md", 5, message)
    assert hint in error.hint, error.hint


@pytest.mark.parametrize("line", ["parent: objectives\\grow.md", "parent: content/objectives/grow",
                                  "follows: content\\objectives\\grow.md", "follows: objectives/grow.md"])
def test_a_path_to_a_goals_file_where_an_id_belongs_is_told_the_file_s_id(tmp_path, line):
    """QA DI 3: a path copied from Explorer (`parent: objectives\\grow.md`) got no hint, while `parent: grow.md`
    got "did you mean 'grow'?": any path, with '\\' or '/', means its file's name without .md."""
    from ..conftest import FIXTURES, compose_site, write_files
    goal = "---\ntitle: {title}\nperiod: {period}\nowner: company\n{line}\nkey_results:\n  - {{title: A, target: 2}}\n---\n"
    root = write_files(compose_site(tmp_path / "s", FIXTURES / "base"), {
        "content/objectives/grow.md": goal.format(title="Grow", period="2026", line="parent: grow-customer-base"),
        "content/objectives/later.md": goal.format(title="Later", period="2027-Q1", line=line)})
    [error] = check_site(root).report.errors
    assert (error.file, error.line) == ("content/objectives/later.md", 5) and error.hint.startswith("did you mean 'grow'"), error


def site_with_ids_of_their_own(tmp_path, files: dict[str, str]):
    """The base site with its files given ids other than their names (SPEC §1), and ``files`` beside."""
    from ..conftest import FIXTURES, compose_site, write_files
    root = compose_site(tmp_path / "s", FIXTURES / "base")
    for name, ident in [("objectives/grow-customer-base.md", "grow-2026"), ("kpis/mrr.md", "revenue"), ("teams/sales.md", "sellers")]:
        path = root / "content" / name
        path.write_text(path.read_text().replace("---\n", f"---\nid: {ident}\n", 1).replace("kpis: [mrr]", "kpis: [revenue]"))
    return write_files(root, {"content/teams/sales.md": "---\nid: sellers\ntitle: Sales\nparent: company\n---\n", **files})


LATER = "---\ntitle: Later\nperiod: 2027-Q1\nowner: {owner}\n{line}key_results:\n  - {{title: A, target: 2{kpi}}}\n---\n{body}"
GROW, MRR, SALES = ("content/objectives/grow-customer-base.md sets 'id: grow-2026'", "content/kpis/mrr.md sets 'id: revenue'",
                    "content/teams/sales.md sets 'id: sellers'")


@pytest.mark.parametrize("file,text,line,hint", ids=["parent", "follows", "kpis", "kpi", "owner", "link", "kpi-objectives", "team-parent"], argvalues=[
    ("content/objectives/later.md", LATER.format(owner="company", line="parent: grow-customer-base\n", kpi="", body=""), 5, f"{GROW}: write parent: grow-2026"),
    ("content/objectives/later.md", LATER.format(owner="company", line="follows: grow-customer-base\n", kpi="", body=""), 5, f"{GROW}: write follows: grow-2026"),
    ("content/objectives/later.md", LATER.format(owner="company", line="kpis: [mrr]\n", kpi="", body=""), 5, f"{MRR}: write revenue in kpis:"),
    ("content/objectives/later.md", LATER.format(owner="company", line="", kpi=", kpi: mrr", body=""), 6, f"{MRR}: write kpi: revenue"),
    ("content/objectives/later.md", LATER.format(owner="sales", line="parent: grow-2026\n", kpi="", body=""), 4, f"{SALES}: write owner: sellers"),
    ("content/objectives/later.md", LATER.format(owner="company", line="", kpi="", body="See [[grow-customer-base]].\n"), 8, f"{GROW}: write [[grow-2026]]"),
    ("content/kpis/churn.md", "---\ntitle: Churn\nowner: company\nsource: s\nobjectives: [grow-customer-base]\n---\n", 5, f"{GROW}: write grow-2026 in objectives:"),
    ("content/teams/west.md", "---\ntitle: West\nparent: sales\n---\n", 3, f"{SALES}: write parent: sellers"),
])
def test_a_reference_by_the_name_of_a_file_that_sets_another_id_is_told_that_id(tmp_path, file, text, line, hint):
    """QA FL: `parent: year` for year.md with `id: co-2026` was "unknown parent 'year'" with no word of
    the file's id (SPEC §1: a file's id is its name unless it sets another), nor a did-you-mean."""
    root = site_with_ids_of_their_own(tmp_path, {file: text})
    told = [(d.line, d.hint) for d in check_site(root).report.items if d.severity in ("error", "warning") and d.file == file]
    assert (line, hint) in told, told


def test_a_reference_by_the_name_of_a_file_of_another_kind_is_told_what_kind_it_is(tmp_path):
    """A parent names an objective: the KPI file mrr.md with `id: revenue` is not one to write instead."""
    root = site_with_ids_of_their_own(tmp_path, {"content/objectives/later.md": LATER.format(owner="company", line="parent: mrr\n", kpi="", body="")})
    [error] = check_site(root).report.errors
    assert (error.line, error.message, error.hint) == (5, "unknown parent 'mrr'", "the parent must be the id of another objective; "
                                                       "content/kpis/mrr.md sets 'id: revenue', and is a KPI, not an objective")


def test_two_files_of_the_name_are_both_told(tmp_path):
    root = site_with_ids_of_their_own(tmp_path, {
        "content/objectives/eu/grow-customer-base.md": "---\nid: grow-eu\ntitle: EU\nperiod: 2026\nowner: company\nkey_results:\n  - {title: A, target: 2}\n---\n",
        "content/objectives/later.md": LATER.format(owner="company", line="parent: grow-customer-base\n", kpi="", body="")})
    [error] = [d for d in check_site(root).report.errors if d.file == "content/objectives/later.md"]
    assert error.hint == (f"content/objectives/eu/grow-customer-base.md sets 'id: grow-eu' and {GROW}: "
                          "write parent: <the id of the one you mean>")


def test_an_unknown_kpi_like_none_says_a_retired_kpi_keeps_its_file(tmp_path):
    """QA CK: deleting a KPI no longer measured makes every graded objective that followed it an error;
    the hint points at keeping its file (docs/kpis.md, "Retiring a KPI")."""
    from ..conftest import FIXTURES, compose_site, write_files
    root = write_files(compose_site(tmp_path / "s", FIXTURES / "base"), {"content/objectives/old.md": (
        "---\ntitle: Old\nperiod: 2026-Q4\nowner: company\nkpis: [trial-conversion]\n"
        "key_results:\n  - {title: A, target: 2, kpi: trial-conversion}\n---\n")})
    said = [(e.line, e.message, e.hint) for e in check_site(root).report.errors]
    assert said == [
        (5, "unknown KPI 'trial-conversion'", "list ids of files in content/kpis/; if the KPI was retired, keep its file (see docs/kpis.md#retiring-a-kpi)"),
        (7, "unknown KPI 'trial-conversion'", "use the id of a file in content/kpis/; if the KPI was retired, keep its file (see docs/kpis.md#retiring-a-kpi)")]


def test_an_id_of_another_kind_that_is_one_of_the_wanted_kind_in_other_case_is_suggested(tmp_path):
    """QA AG: the KPI `MRR` and the objective `mrr`: `kpis: [mrr]` said only that mrr is an objective."""
    from ..conftest import FIXTURES, compose_site, write_files
    root = write_files(compose_site(tmp_path / "s", FIXTURES / "base"), {
        "content/kpis/big.md": "---\nid: BIG\ntitle: Big\nowner: company\nsource: s\n---\n",
        "content/objectives/big.md": "---\ntitle: Big\nperiod: 2026-Q4\nowner: company\nkpis: [big]\nkey_results:\n  - {title: A, target: 2}\n---\n"})
    [error] = check_site(root).report.errors
    assert (error.line, error.message, error.hint) == (5, "unknown KPI 'big': that is an objective, not a KPI", "did you mean the KPI 'BIG'?")


def test_an_unknown_parent_suggests_an_objective_whose_period_holds_the_child_first(tmp_path):
    """QA AH: Q3's company objective deleted, its Q3 children were told "did you mean 'q3-company-2'?",
    its Q4 follower: aligning a Q3 objective to it is a warning. An objective of a period that holds
    the child's comes first; one of another period is named with its period."""
    from ..conftest import FIXTURES, compose_site, write_files
    child = "---\ntitle: {}\nperiod: 2026-Q3\nowner: company\nparent: {}\nkey_results:\n  - {{title: a, done: false}}\n---\n"
    root = write_files(compose_site(tmp_path / "s", FIXTURES / "base"), {
        "content/objectives/q3-company-2.md": "---\ntitle: Follower\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - {title: a, done: false}\n---\n",
        "content/objectives/a.md": child.format("A", "q3-company"),
        "content/objectives/q3-compani.md": "---\ntitle: Year\nperiod: 2026\nowner: company\nkey_results:\n  - {title: a, done: false}\n---\n",
        "content/objectives/b.md": child.format("B", "grow-customer-bse")})
    found = {d.file: d.hint for d in check_site(root).report.errors}
    assert found == {"content/objectives/a.md": "did you mean 'q3-compani'?",
                     "content/objectives/b.md": "did you mean 'grow-customer-base' (of 2026-Q4, which does not hold 2026-Q3)?"}


def test_a_megabyte_value_is_shortened_in_every_message_that_quotes_it(base_site):
    """A paste gone wrong into parent:, kpis:, period:, a [[link]] or a lead: was echoed whole, a
    megabyte on one message line; each is cut after 60 characters, with its length."""
    long = "l" * 1_000_000
    front = "---\ntitle: T\nperiod: {period}\nowner: company\nparent: {parent}\nkpis: [{kpi}]\nkey_results:\n  - {{title: A, target: 2}}\n---\nSee [[{link}]].\n"
    plain = dict(period="2026-Q4", parent="grow-customer-base", kpi="mrr", link="mrr")
    files = {f"content/objectives/long-{key}.md": front.format(**{**plain, key: long}) for key in plain}
    files["content/teams/long.md"] = f"---\ntitle: Long\nlead: {long}\nparent: {long}\n---\n"
    write_files(base_site, files)
    report = check_site(base_site).report
    assert len(report.errors) >= 5
    for item in report.items:
        assert len(item.message) + len(item.hint) < 1000, item.message[:200]
    assert any(f"'{'l' * 60}…(1000000 characters)'" in e.message for e in report.errors)


def test_a_link_typed_to_a_file_whose_name_a_mac_stored_decomposed_leads_to_its_page(base_site):
    """`[our café goal](café-crème.md)` typed as every keyboard types it (NFC), to a file stored NFD: it "led
    nowhere" and the warning said the file "is not an objective"; macOS finds it, and so does okrsite."""
    import unicodedata

    from okrsite.goals.wikilinks import page_at

    stored = unicodedata.normalize("NFD", "café-crème.md")
    write_files(base_site, {f"content/objectives/{stored}": "---\ntitle: Café crème\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - {title: A, target: 2}\n---\n",
                            "content/how.md": "---\ntitle: How\n---\nSee [our café goal](objectives/café-crème.md).\n"})
    checked = check_site(base_site)
    assert checked.report.items == []
    assert page_at(checked.loaded.site, "content/objectives/café-crème.md").id == "cafe-creme"


def test_an_objective_s_children_come_in_the_order_of_their_periods_each_period_s_in_the_site_s_order(tmp_path):
    """QA BU: an annual objective's children listed "Sales kickoff" (2027-01) before its Q1 and Q2,
    by their files' names. Earlier periods first; two of one period as the site orders them."""
    from okrsite.goals.repository import load_site

    def child(period):
        return f"---\ntitle: T\nperiod: {period}\nowner: co\nparent: year\nkey_results: [{{title: a, target: 2, current: 1}}]\n---\n"

    files = {"okrsite.toml": "git_history = false\nas_of = 2026-11-15\n", "content/teams/co.md": "---\ntitle: Co\n---\n",
             "content/objectives/year.md": "---\ntitle: Y\nperiod: 2026\nowner: co\n---\n",
             "content/objectives/a-kickoff.md": child("2026-12"), "content/objectives/b-q4.md": child("2026-Q4"),
             "content/objectives/c-q1.md": child("2026-Q1"), "content/objectives/d-q4.md": child("2026-Q4"), "content/objectives/e-h1.md": child("2026-H1")}
    loaded = load_site(write_files(tmp_path, files))
    assert not loaded.report.errors, loaded.report.errors
    assert list(loaded.site.children["year"]) == ["c-q1", "e-h1", "b-q4", "d-q4", "a-kickoff"]



def test_objectives_are_in_the_order_of_their_periods_then_ids_wherever_their_files_are(tmp_path):
    """QA EC: `git mv content/objectives/2026-q3 content/objectives/archive/` listed Ana's Q3 goal after her
    Q4 and Q1 ones, and a Q4 parent moved into misc/ came after its siblings: lists followed the files'
    paths. The site's order (and each objective's children's) is its periods' (earliest first), then ids."""
    from okrsite.goals.repository import load_site

    def goal(period, parent=""):
        return f"---\ntitle: T\nperiod: {period}\nowner: co\n{parent}key_results: [{{title: a, target: 2, current: 1}}]\n---\n"

    files = {"okrsite.toml": "git_history = false\nas_of = 2026-11-15\n", "content/teams/co.md": "---\ntitle: Co\n---\n",
             "content/objectives/year.md": "---\ntitle: Y\nperiod: 2026\nowner: co\n---\n",
             "content/objectives/2026-q4/b-q4.md": goal("2026-Q4", "parent: year\n"), "content/objectives/2026-q4/d-q4.md": goal("2026-Q4", "parent: year\n"),
             "content/objectives/2027-q1/a-q1.md": goal("2027-Q1"), "content/objectives/archive/2026-q3/z-q3.md": goal("2026-Q3", "parent: year\n"),
             "content/objectives/misc/c-q4.md": goal("2026-Q4", "parent: year\n")}
    loaded = load_site(write_files(tmp_path, files))
    assert not loaded.report.errors, loaded.report.errors
    assert list(loaded.site.objectives) == ["year", "z-q3", "b-q4", "c-q4", "d-q4", "a-q1"]
    assert list(loaded.site.children["year"]) == ["z-q3", "b-q4", "c-q4", "d-q4"]

LOOKALIKE_GOAL = "---\n{id}title: {title}\nperiod: 2026-Q4\nowner: company\n{parent}key_results:\n  - {{title: K, target: 10}}\n---\n"


def lookalike_site(tmp_path, files: dict[str, str]):
    from ..conftest import FIXTURES, compose_site
    goals = {f"content/objectives/{name}.md": LOOKALIKE_GOAL.format(title=name, id=f"id: {ident}\n" if ident else "", parent=parent)
             for name, (ident, parent) in files.items()}
    return check_site(write_files(compose_site(tmp_path / "s", FIXTURES / "base"), goals))


def test_two_ids_that_look_the_same_are_each_warned_of(tmp_path):
    """QA CZ 4: 'payments' and 'pаyments' (a Cyrillic 'а') were two objectives without a word, and a
    `parent: pаyments` that reads right aligned a child to the impostor."""
    impostor = "p\u0430yments"
    checked = lookalike_site(tmp_path, {"payments": ("", ""), impostor: ("", ""), "child": ("", f"parent: {impostor}\n")})
    warnings = [(d.file, d.line, d.message, d.hint) for d in checked.report.items if "looks the same" in d.message]
    held = "'p\u0430yments' holds the character '\u0430' (U+0430, cyrillic small letter a)"
    hint = "rename one of the two (its file, or its 'id:'): a 'parent:', 'owner:' or [[link]] that reads right may name the other"
    assert warnings == [
        ("content/objectives/payments.md", 1, f"the id 'payments' looks the same as '{impostor}' (content/objectives/{impostor}.md), another id: {held}", hint),
        (f"content/objectives/{impostor}.md", 1, f"the id '{impostor}' looks the same as 'payments' (content/objectives/payments.md), another id: {held}", hint)]
    assert checked.report.errors == [] and len(checked.report.items) == 2


def test_ids_in_two_lookalike_alphabets_and_in_other_case_look_the_same(tmp_path):
    greek, cyrillic = "\u03bfkr-q4", "\u043ekr-q4"  # an omicron and an o, each before Latin letters
    checked = lookalike_site(tmp_path, {"a": (greek, ""), "b": (cyrillic, ""), "c": ("P\u0430Y", ""), "d": ("pay", "")})
    warned = sorted((d.file, d.line) for d in checked.report.warnings)
    assert warned == [(f"content/objectives/{name}.md", 2) for name in "abcd"], checked.report.items
    assert "holds the character '\u03bf' (U+03BF, greek small letter omicron)" in checked.report.warnings[0].message


def test_an_id_that_mixes_alphabets_in_a_word_is_warned_of(tmp_path):
    checked = lookalike_site(tmp_path, {"q4": ("Gr\u043ewth-Q4", ""), "retention": ("", "")})
    [warning] = checked.report.items
    assert (warning.file, warning.line) == ("content/objectives/q4.md", 2)
    assert warning.message == "the id 'Gr\u043ewth-Q4' mixes alphabets: 'Gr\u043ewth' holds the character '\u043e' (U+043E, cyrillic small letter o) among letters of another"
    assert warning.hint == "write the id in one alphabet (rename the file, or change its 'id:'), e.g. 'Growth-Q4': a reference typed as it looks would not name it"


def test_ids_wholly_in_one_alphabet_or_one_per_word_are_fine(tmp_path):
    names = {"цели-роста": ("", ""), "рау": ("", ""), "売上拡大": ("", ""), "目標-q4": ("", ""), "sales-отдел": ("", ""), "αύξηση": ("", ""),
             "growth": ("", "parent: цели-роста\n")}
    checked = lookalike_site(tmp_path, names)
    assert checked.report.items == []
    assert set(names) <= set(checked.loaded.site.objectives)


def test_a_saved_file_keeps_its_lookalike_warning_in_the_preview(tmp_path, monkeypatch):
    """The Linker checks a saved entity alone: its warning of an id that looks like another's stays."""
    rng = random.Random(10)
    root = tmp_path / "goals"
    seed_repository(root, rng)
    impostor = root / "content/objectives/2026/\u043e1.md"  # a Cyrillic 'о' beside o1
    impostor.write_text(objective("\u043e1", rng, []))
    settings, entities, linker = load_settings(root, Report()), Entities(root), Linker()
    linker.link(entities.now(settings)[0], settings, Report())
    impostor.write_text(impostor.read_text() + "\nOne more paragraph.\n")
    relinked = []
    real_relink = link_module._relink
    monkeypatch.setattr(link_module, "_relink", lambda *args: relinked.append(1) or real_relink(*args))
    parsed, again, fresh = entities.now(settings)[0], Report(), Report()
    linker.link(parsed, settings, again)
    link_entities(parsed, settings, fresh)
    assert relinked and by_place(again.items) == by_place(fresh.items)
    assert sum("looks the same" in d.message for d in fresh.items) == 2


def test_people_and_sub_teams_are_in_a_reader_s_order(tmp_path):
    """QA DG: people came in code-point order (Çağla, Émile, Ömer, İpek after Zoe), sub-teams in the order of their ids."""
    from okrsite.goals.repository import load_site

    names = ["Zoe Adams", "İpek Demir", "Ömer Kaya", "Anna Berg", "Émile Zola", "Çağla Şen"]
    files = {"okrsite.toml": "git_history = false\nas_of = 2026-11-15\n",
             "content/teams/tr.md": "---\ntitle: Türkiye\nmembers: [" + ", ".join(names) + "]\n---\n",
             "content/teams/callcenter.md": "---\ntitle: Çağrı Merkezi\nparent: tr\n---\n",
             "content/teams/hr.md": "---\ntitle: İnsan Kaynakları\nparent: tr\n---\n",
             "content/teams/it.md": "---\ntitle: Bilgi Teknolojileri\nparent: tr\n---\n"}
    loaded = load_site(write_files(tmp_path, files))
    assert not loaded.report.errors, loaded.report.errors
    assert list(loaded.site.people) == ["Anna Berg", "Çağla Şen", "Émile Zola", "İpek Demir", "Ömer Kaya", "Zoe Adams"]
    assert list(loaded.site.sub_teams["tr"]) == ["it", "callcenter", "hr"]


RETIRED_KPI = "---\ntitle: Trial conversion\nowner: company\ntarget: 12\nsource: Billing\n{retired}values:\n  - {{date: 2026-03-31, value: 11.8}}\n---\n"
FOLLOWER = "---\ntitle: Convert {period}\nperiod: {period}\nowner: company\nkey_results:\n  - title: Trial conversion\n    start: 10\n    target: 13\n    kpi: trial\n---\n"
FOLLOWS_RETIRED = ("key result 1 of 2026-Q4, from 2026-10-01, follows the KPI 'trial', retired on 2026-04-03: it would stand at the KPI's last value",
                   "give the key result another KPI, or its own current: and check-ins; if the KPI is measured again, remove its 'retired:'")


def test_a_key_result_of_a_period_starting_once_its_kpi_was_retired_is_a_warning_at_its_kpi_line(tmp_path):
    """QA EE: said from the files, whatever the as-of date (a warning fails `check --strict`: it must not
    come the day the period starts)."""
    root = write_files(tmp_path / "goals", {"okrsite.toml": 'title = "T"\nas_of = 2027-03-01\n', "content/teams/company.md": "---\ntitle: Company\n---\n",
                                            "content/kpis/trial.md": RETIRED_KPI.format(retired="retired: 2026-04-03\n"),
                                            "content/objectives/q4.md": FOLLOWER.format(period="2026-Q4")})
    found = [(d.severity, d.file, d.line, d.message, d.hint) for d in check_site(root).report.items]
    assert found == [("warning", "content/objectives/q4.md", 9, *FOLLOWS_RETIRED)], found
    (root / "content/kpis/trial.md").write_text(RETIRED_KPI.format(retired=""))
    assert not check_site(root).report.warnings


@pytest.mark.parametrize("own", ["    current: 11\n", "    history:\n      - {date: 2026-10-15, value: 11}\n"])
def test_a_key_result_measured_by_its_own_numbers_is_not_told_its_retired_kpi(tmp_path, own):
    """Review: one with its own `current:` or check-ins does not stand at the KPI's last value, and
    the warning (with its hint to write what it has) failed `check --strict` for the rest of the quarter."""
    root = write_files(tmp_path / "goals", {"okrsite.toml": 'title = "T"\nas_of = 2026-11-01\n', "content/teams/company.md": "---\ntitle: Company\n---\n",
                                            "content/kpis/trial.md": RETIRED_KPI.format(retired="retired: 2026-04-03\n"),
                                            "content/objectives/q4.md": FOLLOWER.format(period="2026-Q4").replace("    kpi: trial\n", "    kpi: trial\n" + own)})
    assert not [d for d in check_site(root).report.items if "retired" in d.message]


FOLLOWS_RETIRED_DURING = "key result 1 of 2026-Q2, which ends 2026-06-30, follows the KPI 'trial', retired on 2026-04-03: from that day to the period's end it stands at the KPI's last value"


@pytest.mark.parametrize("as_of, told", [("2026-03-01", True), ("2026-06-15", True), ("2026-06-30", True), ("2026-07-01", False)])
def test_a_key_result_of_the_period_its_kpi_is_retired_in_is_a_warning_until_the_period_ends(tmp_path, as_of, told):
    """QA EH: the running (or coming) quarter's key result that follows a KPI retired in it got only a
    stale objective notice asking for check-ins; the quarter once ended is graded, and told nothing."""
    root = write_files(tmp_path / "goals", {"okrsite.toml": f'title = "T"\nas_of = {as_of}\n', "content/teams/company.md": "---\ntitle: Company\n---\n",
                                            "content/kpis/trial.md": RETIRED_KPI.format(retired="retired: 2026-04-03\n"),
                                            "content/objectives/q2.md": FOLLOWER.format(period="2026-Q2")})
    found = [(d.severity, d.file, d.line, d.message, d.hint) for d in check_site(root).report.items if d.severity == "warning"]
    assert found == ([("warning", "content/objectives/q2.md", 9, FOLLOWS_RETIRED_DURING, FOLLOWS_RETIRED[1])] if told else []), found


def test_retiring_a_kpi_links_the_objectives_that_follow_it_again(tmp_path):
    """The preview's Linker, then the checks that know the day (link_site): a KPI retired since the last save is told at the key results that follow it."""
    root = write_files(tmp_path / "goals", {"okrsite.toml": 'title = "T"\n', "content/teams/company.md": "---\ntitle: Company\n---\n",
                                            "content/kpis/trial.md": RETIRED_KPI.format(retired=""), "content/objectives/q4.md": FOLLOWER.format(period="2026-Q4")})
    settings = load_settings(root, Report())
    entities, linker = Entities(root), Linker()
    link_site(root, settings, entities.now(settings)[0], None, Report(), linker)
    (root / "content/kpis/trial.md").write_text(RETIRED_KPI.format(retired="retired: 2026-04-03\n"))
    report = Report()
    link_site(root, settings, entities.now(settings)[0], None, report, linker)
    assert [(d.file, d.message) for d in report.items] == [("content/objectives/q4.md", FOLLOWS_RETIRED[0])]
