"""Hostile input never crashes okrsite (SPEC §7: "No input ever produces a Python traceback").

Hypothesis writes random front matter, random bytes, random CSV and random settings into a tiny
site, then runs `check_site` and (when it reports no error) `build`. Properties:

* no exception escapes check_site or build;
* every diagnostic names a file, a line >= 1 (and not past the end of that file) and a message;
  an "unknown key" warning names the line where that key is written;
* a failed build says why (at least one error);
* `okrsite check` exits 0 or 1, never 2 (the CLI's "internal error");
* beside clashing pages, whatever else is wrong, the clashes are reported in the same run (SPEC §7:
  a site with errors is planned too, from whatever its broken files left).

Each example gets a fresh temporary folder (tmp_path is per test function, not per example).
"""

from __future__ import annotations

import contextlib
import io
import math
import re
import subprocess
import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from okrsite.build import build, check_site
from okrsite.cache import CACHE_DIR
from okrsite.goals.repository import load_site
from okrsite.cli import main

AS_OF = date(2026, 11, 23)
FUZZ = settings(
    deadline=None,
    max_examples=150,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    report_multiple_bugs=False,  # one bug shrunk per test keeps a failing run to minutes
)

GOOD_TOML = 'title = "Fuzz"\nas_of = 2026-11-23\n\n[periods.FY27-Q1]\nstart = 2026-02-01\nend = 2026-04-30\n'
COMPANY = "---\ntitle: Company\nlead: Alex Morgan\n---\nThe company.\n"
OTHER = (
    "---\ntitle: Other objective\nperiod: 2026-Q4\nowner: company\nkpis: [k]\n"
    "key_results:\n  - title: Something\n    target: 10\n    current: 3\n---\nSee [[company]].\n"
)
GOOD_KPI = (
    "---\ntitle: A KPI\nowner: company\ntarget: 100\nthreshold: 50\nsource: spreadsheet\n"
    "data: data/k.csv\nfrequency: monthly\n---\nHow it is measured.\n"
)
GOOD_CSV = "date,value\n2026-10-31,70\n2026-11-20,80\n"


# --------------------------------------------------------------------------- strategies

edge_numbers = st.sampled_from([
    0, -0.0, 1, -1, 0.5, 1e-300, 1e308, -1e308, 1.7976931348623157e308, -1.7976931348623157e308,
    10**20, -(10**20), 10**400, -(10**400), float("inf"), float("-inf"), float("nan"), 2**63, 5e-324,
])
numbers = st.one_of(st.integers(), st.floats(), edge_numbers)
dates = st.one_of(st.dates(), st.sampled_from([date(1, 1, 1), date(9999, 12, 31), AS_OF, AS_OF + timedelta(days=1)]))
short_text = st.text(max_size=30)
long_or_odd_text = st.one_of(
    short_text,
    st.sampled_from(["", " ", "..", ".", "../..", "a/b", "/abs", "C:\\x", "a\x00b", "a" * 300, "é" * 200, "\u2028", "\x85", "#", "*x", "[[x]]"]),
)
scalars = st.one_of(
    st.none(), st.booleans(), numbers, long_or_odd_text, dates,
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
)
anything = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(st.one_of(short_text, st.integers(), st.booleans(), st.none()), children, max_size=3),
    ),
    max_leaves=8,
)


def either(*values, other=anything):
    """Mostly a plausible value (3 in 4), else anything at all: most documents are valid enough to
    reach compute and render, and every key still sees every type."""
    plausible = st.sampled_from(values)
    return st.one_of(plausible, plausible, plausible, other)


def with_unknown_keys(meta_strategy):
    extra = st.one_of(st.just({}), st.just({}), st.dictionaries(unknown_keys, anything, max_size=2))
    return st.tuples(meta_strategy, extra).map(lambda pair: {**pair[0], **pair[1]})


plain_numbers = st.one_of(st.integers(-(10**6), 10**6), st.floats(-1e6, 1e6, allow_nan=False), st.sampled_from([0, 1, 100, 0.5]))
number_values = st.one_of(plain_numbers, plain_numbers, plain_numbers, numbers, anything)
period_values = either("2026-Q4", "2026-q3", "2026", 2026, "2026-H1", "2026-H2", "2026-03", "2026-11", "FY27-Q1", "2027-Q1", "2026-13", "2026-Q9", "FY27-Q9", "1899")
owner_values = either("company", "company", "Jane Doe", "Zoë Ñandú", "compnay", "sales-team", "", "a\x00b")
parent_values = either("other", "other", "o", "othr", "company")
id_values = either("o", "x", "other", "k", "company", "..", "a/b", "a" * 300, "a\x00b", " ", "../../escape", "index", "people")
kpi_ref_values = either("k", "k", "missing")
unknown_keys = st.text(min_size=1, max_size=12).filter(lambda k: k not in KNOWN)
KNOWN = {
    "type", "id", "title", "period", "owner", "parent", "kind", "status", "kpis", "tags", "key_results",
    "unit", "direction", "target", "threshold", "category", "indicator", "frequency", "source", "data",
    "values", "objectives", "lead", "members", "description",
}

point = with_unknown_keys(st.fixed_dictionaries(
    {"date": st.one_of(dates, dates, dates, anything), "value": number_values},
    optional={"note": either("webinar", "<b>note</b>")},
))
points = st.one_of(st.lists(point, max_size=4), st.lists(point, max_size=4), anything)

key_result = with_unknown_keys(st.fixed_dictionaries(
    {"title": either("Grow", "<b>x</b>", "")},
    optional={
        "id": either("kr1", "o-kr1", "same"),
        "start": number_values,
        "target": number_values,
        "current": number_values,
        "done": st.one_of(st.booleans(), anything),
        "progress": st.one_of(st.floats(0, 1), st.floats(0, 1), numbers, anything),
        "weight": number_values,
        "history": points,
        "kpi": kpi_ref_values,
        "unit": either("%", "USD"),
        "owner": owner_values,
    },
))

_objective_optional = {
    "type": either("objective", "kpi", "team", "page", "nonsense"),
    "id": id_values,
    "parent": parent_values,
    "kind": either("committed", "aspirational", "stretch"),
    "status": either("on-track", "at-risk", "off-track", "achieved", "missed", "cancelled", "done"),
    "kpis": st.one_of(st.lists(kpi_ref_values, max_size=3), anything),
    "tags": anything,
}
loose_objective_meta = st.one_of(
    with_unknown_keys(st.fixed_dictionaries(
        {
            "title": either("Grow", "Ship <b>bold</b>", "Zoë's goal", ""),
            "period": period_values,
            "owner": owner_values,
            "key_results": st.one_of(st.lists(key_result, min_size=1, max_size=7), anything),
        },
        optional=_objective_optional,
    )),
    with_unknown_keys(st.fixed_dictionaries({}, optional={
        **_objective_optional, "title": anything, "period": anything, "owner": anything, "key_results": anything,
    })),
)

loose_kpi_meta = with_unknown_keys(st.fixed_dictionaries(
    {"title": either("A KPI", "<i>KPI</i>"), "owner": owner_values},
    optional={
        "id": id_values,
        "source": either("Billing export"),
        "unit": either("USD", "%"),
        "direction": either("up", "down", "sideways"),
        "target": number_values,
        "threshold": number_values,
        "category": either("financial", "strategic"),
        "indicator": either("leading", "lagging", "late"),
        "frequency": either("daily", "weekly", "monthly", "quarterly", "yearly"),
        "data": either("data/k.csv", "data/k.csv", "data/missing.csv", "../outside.csv", "/etc/passwd", "C:\\data.csv", "data", ".", "content/kpis/k.md", "a\x00b", "d" * 5000),
        "values": points,
        "objectives": st.one_of(st.lists(either("o", "other", "missing"), max_size=3), anything),
    },
))

loose_team_meta = with_unknown_keys(st.fixed_dictionaries(
    {"title": either("Sales", "<b>Sales</b>")},
    optional={
        "id": id_values,
        "parent": either("company", "sales", "missing"),
        "lead": owner_values,
        "members": st.one_of(st.lists(owner_values, max_size=3), anything),
    },
))

# Valid documents, then a few keys broken: most examples get through validation to compute, render
# and write, where arithmetic and file names can still go wrong.

DELETE = object()
valid_numbers = st.one_of(
    st.integers(-(10**6), 10**6),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.sampled_from([0, 1, 0.5, 1e15, -1e15, 999_999_999_999_999, 1e-300, -1e-300, 5e-324, 2.2250738585072014e-308]),
)
positive_numbers = st.one_of(st.integers(1, 10**6), st.floats(1e-6, 1e6), st.sampled_from([1e15, 1e-300, 5e-324]))
valid_titles = st.one_of(st.sampled_from(["Grow", "Ship <b>bold</b>", "Zoë's goal", "100%", "{{ x }}", "a & b"]), st.text(min_size=1, max_size=40).filter(str.strip))
valid_owners = st.sampled_from(["company", "Jane Doe", "Zoë Ñandú", "J. R. R. Tolkien", "O'Brien <o@x>"])
valid_ids = st.sampled_from(["o", "goal-1", "X_y", "Objective-2", "z" * 100])
valid_point = st.fixed_dictionaries({"date": dates, "value": valid_numbers}, optional={"note": st.text(max_size=20)})


def mutated(valid, keys: list[str]):
    """``valid`` with 0-2 keys set to anything (or removed); unknown keys are added too."""
    change = st.tuples(st.sampled_from(keys) | unknown_keys, st.one_of(anything, st.just(DELETE)))
    changes = st.one_of(st.just([]), st.just([]), st.lists(change, min_size=1, max_size=2))

    def apply(pair):
        meta, edits = dict(pair[0]), pair[1]
        for key, value in edits:
            if value is DELETE:
                meta.pop(key, None)
            else:
                meta[key] = value
        return meta

    return st.tuples(valid, changes).map(apply)


valid_numeric_kr = st.fixed_dictionaries(
    {"title": valid_titles, "target": valid_numbers},
    optional={
        "start": valid_numbers, "current": valid_numbers, "history": st.lists(valid_point, max_size=3),
        "kpi": st.just("k"), "weight": positive_numbers, "unit": st.sampled_from(["%", "USD", "<b>u</b>"]),
        "owner": valid_owners, "id": st.sampled_from(["kr-a", "kr-b"]),
    },
).filter(lambda kr: kr["target"] != kr.get("start", 0))
valid_kr = st.one_of(
    valid_numeric_kr,
    valid_numeric_kr,
    st.fixed_dictionaries({"title": valid_titles, "done": st.booleans()}, optional={"weight": positive_numbers}),
    st.fixed_dictionaries({"title": valid_titles, "progress": st.floats(0, 1)}, optional={"weight": positive_numbers}),
)
KR_KEYS = ["title", "start", "target", "current", "done", "progress", "weight", "history", "kpi", "unit", "owner", "id"]
valid_objective = st.fixed_dictionaries(
    {
        "title": valid_titles,
        "period": st.sampled_from(["2026-Q4", "2026-q4", "2026", 2026, "2026-H2", "2026-11", "FY27-Q1", "2026-Q3", "2027-Q1"]),
        "owner": valid_owners,
        "key_results": st.lists(mutated(valid_kr, KR_KEYS), min_size=1, max_size=7),
    },
    optional={
        "id": valid_ids,
        "parent": st.just("other"),
        "kind": st.sampled_from(["committed", "aspirational"]),
        "status": st.sampled_from(["on-track", "at-risk", "off-track", "achieved", "missed", "cancelled"]),
        "kpis": st.lists(st.just("k"), max_size=2),
        "tags": st.lists(st.text(max_size=10), max_size=3),
        "type": st.just("objective"),
    },
)
OBJECTIVE_KEYS = ["type", "id", "title", "period", "owner", "parent", "kind", "status", "kpis", "tags", "key_results"]
objective_meta = st.one_of(mutated(valid_objective, OBJECTIVE_KEYS), mutated(valid_objective, OBJECTIVE_KEYS), loose_objective_meta)

valid_kpi = st.fixed_dictionaries(
    {"title": valid_titles, "owner": valid_owners, "source": st.text(min_size=1, max_size=20).filter(str.strip)},
    optional={
        "id": st.just("k"),
        "unit": st.sampled_from(["USD", "%", "<b>u</b>"]),
        "direction": st.sampled_from(["up", "down"]),
        "target": valid_numbers,
        "threshold": valid_numbers,
        "category": st.text(max_size=10),
        "indicator": st.sampled_from(["leading", "lagging"]),
        "frequency": st.sampled_from(["daily", "weekly", "monthly", "quarterly"]),
        "data": st.just("data/k.csv"),
        "values": st.lists(valid_point, max_size=4),
        "objectives": st.lists(st.sampled_from(["o", "other"]), max_size=2),
    },
)
KPI_FIELDS = ["id", "title", "owner", "unit", "direction", "target", "threshold", "category", "indicator", "frequency", "source", "data", "values", "objectives"]
kpi_meta = st.one_of(mutated(valid_kpi, KPI_FIELDS), mutated(valid_kpi, KPI_FIELDS), loose_kpi_meta)

valid_team = st.fixed_dictionaries(
    {"title": valid_titles},
    optional={"parent": st.just("company"), "lead": valid_owners, "members": st.lists(valid_owners, max_size=3)},
)
team_meta = st.one_of(mutated(valid_team, ["id", "title", "parent", "lead", "members"]), loose_team_meta)

bodies = st.one_of(
    st.just("Body.\n"),
    st.text(max_size=200),
    st.sampled_from([
        "See [[other]] and [[missing]] and [[k|label]].\n",
        "```\n[[in-code]]\n```\n<script>alert(1)</script>\n",
        "| a | b |\n|---|---|\n| 1 | 2 |\n",
        "[x](javascript:alert(1)) [[\n",
    ]),
)


def yaml_text(meta) -> str:
    return yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, default_flow_style=None)


def document(meta, body: str) -> str:
    return "---\n" + yaml_text(meta) + "---\n" + body


HOSTILE_FRONT_MATTER = [
    # alias bombs ("billion laughs")
    "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
    "title: *f\n",
    "title: &t Grow\nowner: &o company\nperiod: 2026-Q4\nkey_results: &k [{title: *t, target: 1}]\nkpis: *k\n",
    "a: &a [*a]\ntitle: x\n",
    "a: &a {b: *a}\ntitle: x\n",
    "title: *undefined\n",
    # code execution and other tags
    "title: !!python/object/apply:os.system ['touch PWNED']\n",
    "title: !!python/object/new:os.system ['touch PWNED']\n",
    "title: !!python/name:os.system\n",
    "!!python/object/apply:os.system ['touch PWNED']\n",
    "title: !custom x\n",
    "title: !!binary aGVsbG8=\nperiod: 2026-Q4\nowner: company\nkey_results: [{title: x, target: 1}]\n",
    "title: !!set {a, b}\n",
    "title: !!omap [{a: 1}]\n",
    "title: !!float nope\n",
    "title: !!int 0x\n",
    "title: !!timestamp 2026-13-45\n",
    "title: x\nperiod: 2026-02-30\n",
    "title: x\nkey_results: [{title: y, target: 1, history: [{date: 2026-02-30, value: 1}]}]\n",
    # keys that are not plain text
    "? [a, b]\n: c\n",
    "? {a: 1}\n: c\n",
    "1: one\n~: null\ntrue: yes\n2026-01-01: date\n",
    "<<: {title: merged}\n",
    "<<: [1, 2]\n",
    "<<: 5\n",
    # shapes
    "- a list\n- not a mapping\n",
    "just text\n",
    "42\n",
    "",
    "---\n",
    "title: [unclosed\n",
    "title: 'unclosed\n",
    "title: \"bad \\escape\"\n",
    "\ttitle: tab\n",
    "title: a: b\n",
    "title: x\ntitle: duplicate\n",
    "title: " + "[" * 60 + "]" * 60 + "\n",
    "title: " + "{a: " * 60 + "1" + "}" * 60 + "\n",
    "title:\n" + "".join("  " * i + "- \n" for i in range(80)),
    "title: " + "x" * 100_000 + "\n",
    "title: x\nkey_results:\n" + "".join(f"  - {{title: k{i}, target: {i + 1}}}\n" for i in range(200)),
]

hostile_documents = st.one_of(
    st.sampled_from(HOSTILE_FRONT_MATTER).map(lambda fm: "---\n" + fm + "---\nbody\n"),
    st.sampled_from(HOSTILE_FRONT_MATTER).map(lambda fm: "---\n" + fm),  # never closed
    st.sampled_from(["", "\n", "   \n", "---", "---\n", "---\n---\n", "...\n", "no front matter\n", "---\ntitle: x\n...\nbody"]),
)


@st.composite
def encoded(draw, text_strategy):
    """A document as bytes: UTF-8, with a BOM, CRLF or CR line ends, or broken UTF-8."""
    text = draw(text_strategy)
    if draw(st.booleans()):
        text = text.replace("\n", draw(st.sampled_from(["\r\n", "\r", "\n"])))
    data = text.encode("utf-8", "surrogatepass")
    variant = draw(st.sampled_from(["plain", "bom", "invalid", "truncated", "latin1", "nul", "plain", "plain"]))
    if variant == "bom":
        data = b"\xef\xbb\xbf" + data
    elif variant == "invalid" and data:
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x80\x80", b"\xf5"])) + data[cut:]
    elif variant == "truncated" and data:
        data = data[: draw(st.integers(0, len(data)))]
    elif variant == "latin1":
        data = text.encode("latin-1", "replace")
    elif variant == "nul" and data:
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] + b"\x00" + data[cut:]
    return data


objective_files = encoded(st.one_of(st.builds(document, objective_meta, bodies), hostile_documents))
kpi_files = encoded(st.one_of(st.builds(document, kpi_meta, bodies), hostile_documents))
team_files = encoded(st.one_of(st.builds(document, team_meta, bodies), hostile_documents))
random_bytes = st.binary(max_size=300)

csv_cells = st.one_of(
    st.sampled_from(["2026-11-01", "2026-02-30", "9999-12-31", "0001-01-01", "1e400", "-1e400", "1e308", "nan", "inf", "1,000", "12 USD", "", " 5 ", "+.5", "1e-400", "\"quoted\"", "x" * 200_000]),
    st.text(max_size=12),
    numbers.map(str),
)
csv_texts = st.one_of(
    st.just(GOOD_CSV),
    st.lists(st.lists(csv_cells, max_size=4).map(lambda row: ",".join(row)), max_size=6).map(
        lambda rows: "\n".join(["date,value", *rows]) + "\n"
    ),
    st.text(max_size=200),
)
csv_files = st.one_of(csv_texts.map(lambda t: t.encode("utf-8", "surrogatepass")), random_bytes, encoded(csv_texts))

toml_scalars = st.one_of(
    st.booleans(), st.integers(-(2**63), 2**63 - 1), st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.text(max_size=20).map(lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    st.sampled_from(["2026-11-23", "2026-13-45", "07:32:00", "1979-05-27T07:32:00Z", "[1, 2]", "{a = 1}", '"2026-Q4"', '"FY27-Q1"', "2026", "nan", "inf", '"2026-Q9"']),
).map(lambda v: str(v).lower() if isinstance(v, bool) else str(v))
SETTING_KEYS = [
    "title", "as_of", "default_period", "current_period", "default_kind", "aspirational_goal", "on_track_gap",
    "at_risk_gap", "allow_html", "repo_url", "edit_uri", "stale_after_days", "titel", "periods",
]
settings_files = st.one_of(
    st.just(GOOD_TOML.encode()),
    st.lists(st.tuples(st.sampled_from(SETTING_KEYS), toml_scalars), max_size=6).map(
        lambda pairs: ("\n".join(f"{k} = {v}" for k, v in dict(pairs).items()) + "\n").encode("utf-8", "surrogatepass")
    ),
    st.sampled_from([
        b"[periods.X]\nstart = 2026-05-01\nend = 2026-04-01\n",
        b"[periods.X]\nstart = 2026-05-01\n",
        b"[periods.X]\nstart = 2026-05-01\nend = 2026-06-01\nextra = 1\n",
        b"periods = 5\n",
        b"[periods]\nX = 3\n",
        b'current_period = "X"\n[periods.X]\nstart = 2026-11-01\nend = 2026-11-30\n',
        b'default_period = "2026-Q4"\non_track_gap = 0.5\nat_risk_gap = 0.1\n',
        b"title = \"unterminated\n",
        b"\xef\xbb\xbftitle = \"bom\"\n",
        b"title = \"\xff\"\n",
        b"",
    ]),
    random_bytes,
)


# --------------------------------------------------------------------------- the property


def line_count(raw: bytes) -> int:
    return max(1, len(raw.splitlines()))


def check_diagnostics(report, root: Path) -> None:
    for d in report.items:
        assert d.severity in ("error", "warning", "notice"), d
        assert isinstance(d.file, str) and d.file.strip(), d
        assert isinstance(d.line, int) and not isinstance(d.line, bool) and d.line >= 1, d
        assert isinstance(d.message, str) and d.message.strip(), d
        assert isinstance(d.hint, str), d
        path = root / d.file
        if not Path(d.file).is_absolute() and path.is_file():
            raw = path.read_bytes()
            assert d.line <= line_count(raw) + 1, f"line {d.line} is past the end of {d.file}: {d}"
            key = re.fullmatch(r"unknown key '([A-Za-z_][A-Za-z0-9_]*)'", d.message)
            if key and key[1] not in ("None", "True", "False"):  # (YAML null and booleans are keys too)
                # the line named is the one where the key is written
                lines = raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n").split("\n")
                assert key[1] in lines[d.line - 1], f"line {d.line} of {d.file} is {lines[d.line - 1]!r}, not where {key[1]!r} is: {d}"


def write_site(root: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def goals_of(root: Path) -> dict[Path, bytes]:
    """Every file of the site but its build cache (the only thing a build writes inside the site)."""
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and CACHE_DIR not in p.relative_to(root).parts}


def run_everything(files: dict[str, bytes]):
    """Check (and build, without errors) the site of ``files``; the check's report."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        root.mkdir()
        write_site(root, files)
        before = goals_of(root)

        loaded = check_site(root, AS_OF)
        check_diagnostics(loaded.report, root)
        if not loaded.report.errors:
            out = Path(tmp) / "out"
            result = build(root, out, as_of=AS_OF)
            check_diagnostics(result.report, root)
            assert result.ok or result.report.errors, "a failed build names at least one error"
            if result.ok:
                assert (out / "index.html").is_file()
                assert (out / "okrs.json").is_file()

        sink = io.StringIO()
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            code = main(["check", str(root), "--as-of", AS_OF.isoformat()])
        assert code in (0, 1), f"okrsite check exited {code}:\n{sink.getvalue()}"
        assert "internal error" not in sink.getvalue()
        assert code == (1 if loaded.report.errors else 0)

        assert goals_of(root) == before, "check/build never change the goals"
        assert not any(p.exists() for p in (root / "PWNED", Path(tmp, "PWNED"), Path.cwd() / "PWNED"))
        return loaded.report


def base_files() -> dict[str, bytes]:
    return {
        "okrsite.toml": GOOD_TOML.encode(),
        "content/teams/company.md": COMPANY.encode(),
        "content/objectives/other.md": OTHER.encode(),
        "content/kpis/k.md": GOOD_KPI.encode(),
        "data/k.csv": GOOD_CSV.encode(),
    }


@FUZZ
@given(meta=objective_meta, body=bodies)
def test_random_objective_front_matter(meta, body):
    run_everything({**base_files(), "content/objectives/o.md": document(meta, body).encode("utf-8", "surrogatepass")})


@FUZZ
@given(meta=kpi_meta, body=bodies, csv=csv_files, objective=objective_meta)
def test_random_kpi_front_matter_and_csv(meta, body, csv, objective):
    run_everything({
        **base_files(),
        "content/kpis/k.md": document(meta, body).encode("utf-8", "surrogatepass"),
        "data/k.csv": csv,
        "content/objectives/o.md": document(objective, "Body.\n").encode("utf-8", "surrogatepass"),
    })


@FUZZ
@given(meta=team_meta, objective=objective_meta)
def test_random_team_front_matter(meta, objective):
    run_everything({
        **base_files(),
        "content/teams/sales.md": document(meta, "Team.\n").encode("utf-8", "surrogatepass"),
        "content/objectives/o.md": document(objective, "Body.\n").encode("utf-8", "surrogatepass"),
    })


@FUZZ
@given(objective=objective_files, kpi=kpi_files, team=team_files, page=st.one_of(random_bytes, encoded(bodies)))
def test_random_bytes_and_hostile_yaml(objective, kpi, team, page):
    run_everything({
        **base_files(),
        "content/objectives/o.md": objective,
        "content/kpis/k.md": kpi,
        "content/teams/sales.md": team,
        "content/notes/page.md": page,
    })


@FUZZ
@given(toml=settings_files, objective=objective_meta)
def test_random_settings(toml, objective):
    run_everything({
        **base_files(),
        "okrsite.toml": toml,
        "content/objectives/o.md": document(objective, "Body.\n").encode("utf-8", "surrogatepass"),
    })


# Two pairs of pages that would be one file each, beside the hostile files: the site always has errors
# and never reaches `build`; what is checked is that planning a broken site never crashes and that the
# clashes are reported, in their own words, whatever else is wrong.

CLASHING = {
    "content/kpis/zoe-1.md": b"---\ntitle: Z1\nowner: Zo\xc3\xab Martin\nsource: s\n---\n",
    "content/kpis/zoe-2.md": b"---\ntitle: Z2\nowner: Zoe Martin\nsource: s\n---\n",
    "content/kpis/twin-1.md": b"---\nid: Twin\ntitle: T1\nowner: company\nsource: s\n---\n",
    "content/kpis/twin-2.md": b"---\nid: twin\ntitle: T2\nowner: company\nsource: s\n---\n",
}
CLASHES_REPORTED = [
    ("content/kpis/twin-2.md", 2, "kpis/Twin/index.html and kpis/twin/index.html differ only in case, and are one file on macOS and Windows: "
                                  "the KPI 'Twin' (content/kpis/twin-1.md:2) and the KPI 'twin' (content/kpis/twin-2.md:2)"),
    ("content/kpis/zoe-2.md", 3, "two spellings of one person: 'Zoë Martin' (content/kpis/zoe-1.md:3) and 'Zoe Martin' (content/kpis/zoe-2.md:3)"),
]


def clashes_reported(report) -> list[tuple[str, int, str]]:
    return [(d.file, d.line, d.message) for d in report.sorted() if d.severity == "error" and d.file in ("content/kpis/twin-2.md", "content/kpis/zoe-2.md")]


@FUZZ
@given(objective=objective_files, team=team_files, objective_meta=objective_meta)
def test_clashes_are_reported_beside_whatever_else_is_wrong(objective, team, objective_meta):
    report = run_everything({
        **base_files(), **CLASHING,
        "content/objectives/o.md": objective,
        "content/objectives/p.md": document(objective_meta, "Body.\n").encode("utf-8", "surrogatepass"),
        "content/teams/sales.md": team,
    })
    assert clashes_reported(report) == CLASHES_REPORTED


# --------------------------------------------------------------------------- known hostile inputs
# Concrete inputs, each a one-line reproduction of a crash class the properties above look for.


OBJECTIVE = "---\ntitle: X\nperiod: 2026-Q4\nowner: company\n{extra}---\nBody.\n"
KPI_WITH_DATA = "---\ntitle: K\nowner: company\nsource: s\ntarget: 100\ndata: {data}\n---\n"
LINKED_KR = "key_results:\n  - title: a\n    target: 10\n    kpi: k\n"

KNOWN_HOSTILE = {
    "huge integer target": {"content/objectives/o.md": OBJECTIVE.format(extra="key_results:\n  - title: a\n    target: 1" + "0" * 400 + "\n")},
    "huge integer weight": {"content/objectives/o.md": OBJECTIVE.format(extra="key_results:\n  - title: a\n    target: 1\n    weight: 1" + "0" * 400 + "\n")},
    "huge integer KPI value": {"content/kpis/k.md": "---\ntitle: K\nowner: company\nsource: s\nvalues:\n  - {date: 2026-11-01, value: 1" + "0" * 400 + "}\n---\n"},
    "finite numbers whose ratio is NaN": {"content/objectives/o.md": OBJECTIVE.format(extra="key_results:\n  - title: a\n    start: -1.0e+308\n    target: 1.0e+308\n    current: 1.0e+308\n")},
    "finite weights whose sum overflows": {"content/objectives/o.md": OBJECTIVE.format(extra="key_results:\n  - {title: a, target: 1, current: 1, weight: 1.0e+308}\n  - {title: b, target: 1, current: 1, weight: 1.0e+308}\n")},
    "target a hair above start (ratio overflows)": {"content/objectives/o.md": OBJECTIVE.format(extra="key_results:\n  - title: a\n    start: 0\n    target: 5.0e-324\n    current: 1000\n")},
    "KPI value over a tiny target (ratio overflows)": {
        "content/kpis/k.md": "---\ntitle: K\nowner: company\nsource: s\nvalues: [{date: 2026-11-01, value: 1.0e+15}]\n---\n",
        "content/objectives/o.md": OBJECTIVE.format(extra="key_results:\n  - title: a\n    target: 1.0e-300\n    kpi: k\n"),
    },
    "CSV value 1e400 (infinite)": {
        "content/kpis/k.md": KPI_WITH_DATA.format(data="data/k.csv"), "data/k.csv": "date,value\n2026-11-01,1e400\n",
        "content/objectives/o.md": OBJECTIVE.format(extra=LINKED_KR),
    },
    "CSV field over the csv module's limit": {"content/kpis/k.md": KPI_WITH_DATA.format(data="data/k.csv"), "data/k.csv": 'date,value\n2026-11-01,"' + "1" * 200_000 + '"\n'},
    "NUL in an id": {"content/objectives/o.md": "---\nid: \"a\\0b\"\n" + OBJECTIVE.format(extra="key_results: [{title: a, target: 1}]\n")[4:]},
    "id longer than a file name": {"content/objectives/o.md": "---\nid: " + "a" * 300 + "\n" + OBJECTIVE.format(extra="key_results: [{title: a, target: 1}]\n")[4:]},
    "NUL in a data path": {"content/kpis/k.md": KPI_WITH_DATA.format(data='"data/a\\0b.csv"')},
    "data path longer than a file name": {"content/kpis/k.md": KPI_WITH_DATA.format(data="d" * 5000)},
    "history dated at the end of time": {"content/objectives/o.md": OBJECTIVE.format(extra="key_results:\n  - title: a\n    target: 10\n    history: [{date: 9999-12-31, value: 1}]\n")},
    "KPI value at the start of time": {"content/kpis/k.md": "---\ntitle: K\nowner: company\nsource: s\nvalues: [{date: 0001-01-01, value: 1}]\n---\n"},
    "a public site planned with a private objective of an unknown period": {
        "okrsite.toml": 'audience = "public"\n' + GOOD_TOML,
        "content/objectives/o.md": OBJECTIVE.replace("2026-Q4", "2026-Q9").format(extra="private: true\nkey_results: [{title: a, target: 1}]\n"),
    },
    "an alignment cycle through an objective of an unknown period": {
        "content/objectives/o.md": OBJECTIVE.replace("2026-Q4", "2026-Q9").format(extra="parent: p\nkey_results: [{title: a, target: 1}]\n"),
        "content/objectives/p.md": OBJECTIVE.format(extra="parent: o\nkey_results: [{title: a, target: 1}]\n"),
    },
}


@pytest.mark.parametrize("files", KNOWN_HOSTILE.values(), ids=KNOWN_HOSTILE.keys())
def test_known_hostile_input_never_crashes(files):
    encoded_files = {rel: text.encode("utf-8") for rel, text in files.items()}
    run_everything({**base_files(), **encoded_files})


@pytest.mark.parametrize("depth", [100, 1_000, 50_000])
def test_deeply_nested_front_matter_does_not_kill_the_process(tmp_path, depth):
    """Nesting is an error, never a crash: run `okrsite check` in a child process (a C stack
    overflow in the YAML parser kills the process with SIGSEGV instead of raising)."""
    root = tmp_path / "site"
    write_site(root, {
        **base_files(),
        "content/objectives/o.md": ("---\ntitle: " + "[" * depth + "]" * depth + "\n---\n").encode(),
    })
    proc = subprocess.run(
        [sys.executable, "-m", "okrsite", "check", str(root), "--as-of", AS_OF.isoformat()],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert proc.returncode == 1, f"exit status {proc.returncode}\n{proc.stderr[-2000:]}"
    assert "content/objectives/o.md:2:" in proc.stderr
    assert "nested too deeply" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("separator", ["\x85", "\u2028", "\u2029"], ids=["NEL", "LS", "PS"])
def test_unicode_line_separators_in_a_value_do_not_shift_lines(tmp_path, separator):
    """YAML counts NEL/LS/PS as line breaks, editors and `FILE:LINE` readers do not (found by the
    line-bound property above): the warning for `bogus` must name line 4, where it is."""
    root = tmp_path / "site"
    write_site(root, {
        **base_files(),
        "content/objectives/o.md": (
            f"---\ntitle: 'a{separator}b'\nperiod: 2026-Q4\nbogus: 1\nowner: company\n"
            "key_results: [{title: x, target: 1}]\n---\n"
        ).encode("utf-8"),
    })
    loaded = load_site(root, AS_OF)
    bogus = [d for d in loaded.report.items if "bogus" in d.message]
    assert len(bogus) == 1, [vars(d) for d in loaded.report.items]
    assert bogus[0].line == 4


def test_python_tags_are_never_run(tmp_path):
    marker = tmp_path / "PWNED"
    root = tmp_path / "site"
    write_site(root, {
        **base_files(),
        "content/objectives/o.md": f"---\ntitle: !!python/object/apply:os.system ['touch {marker}']\n---\n".encode(),
    })
    loaded = load_site(root, AS_OF)
    assert not marker.exists()
    errors = [d for d in loaded.report.errors if d.file == "content/objectives/o.md"]
    assert errors and errors[0].line == 2
    assert "tag" in errors[0].message


def test_nan_and_inf_are_not_numbers():
    """Sanity check of the strategies' premise: YAML reads .nan/.inf as floats that are not finite."""
    assert math.isnan(yaml.safe_load("x: .nan")["x"]) and math.isinf(yaml.safe_load("x: .inf")["x"])
