"""The digest's formats (okrsite/digest/formats.py): Slack within its limits, an email that parses,
Markdown that renders to valid HTML, JSON that follows its schema, and the public audience."""

from __future__ import annotations

import email
import email.policy
import json
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from markdown_it import MarkdownIt

from okrsite.digest.formats import SLACK_BLOCKS, SLACK_HEADER, SLACK_TEXT, as_json, html, markdown, render, slack
from okrsite.digest.model import make_digest

from ..browser.conftest import VNU_JAR, need
from ..gitrepo import GitRepo, needs_git
from .conftest import SINCE, UNTIL

pytestmark = needs_git
SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "digest.schema.json"
HOSTILE = 'Fix <script>alert(1)</script> & *bold* [link](https://evil.example) | `code` #1'


def made(root: Path, since: str = SINCE, until: str = UNTIL, audience: str = "internal"):
    result = make_digest(root, since, date.fromisoformat(until), audience)
    assert result.digest is not None, result.report.items
    return result.digest


def objective_file(title: str, current: float, owner: str = "sales") -> str:
    return (f"---\ntitle: {json.dumps(title)}\nperiod: 2026-Q4\nowner: {owner}\nkey_results:\n"
            f"  - title: Grow accounts\n    start: 0\n    target: 100\n    current: {current}\n---\n")


@pytest.fixture(scope="module")
def busy(tmp_path_factory) -> GitRepo:
    """300 objectives, each checked in once in the window: 300 check-ins and 300 status changes."""
    r = GitRepo(tmp_path_factory.mktemp("busy") / "goals")
    files = {f"content/objectives/o{n:03d}.md": objective_file(f"Objective number {n} " + "with a long title " * 3, 10) for n in range(300)}
    r.commit({"okrsite.toml": 'as_of = 2026-11-23\nsite_url = "https://okrs.example.com/"\n', "content/teams/sales.md": "---\ntitle: Sales\n---\n", **files},
             "2026-10-01T09:00:00+00:00")
    r.commit({name: text.replace("current: 10", "current: 95") for name, text in files.items()}, "2026-11-20T09:00:00+00:00", "Bo Chen")
    return r


def test_slack_for_300_changes_is_valid_json_within_slack_limits(busy):
    digest = made(busy.root)
    assert sum(len(k.check_ins) for o in digest.check_ins for k in o.key_results) == 300 and len(digest.status_changes) == 300
    message = json.loads(render(digest, "slack"))
    blocks = message["blocks"]
    assert 0 < len(blocks) <= SLACK_BLOCKS and message["text"]
    assert blocks[0]["type"] == "header" and 0 < len(blocks[0]["text"]["text"]) <= SLACK_HEADER
    assert {b["type"] for b in blocks} <= {"header", "section", "context"}
    for block in blocks:
        texts = [block["text"]] if "text" in block else block["elements"]
        assert all(t["type"] in ("mrkdwn", "plain_text") and 0 < len(t["text"]) <= SLACK_TEXT for t in texts)
    said = "\n".join(b["text"]["text"] for b in blocks if b["type"] == "section")
    assert "…and 285 more" in said  # of the check-ins: 15 shown
    assert said.count("…and 285 more") == 2  # and of the status changes


def test_slack_cuts_at_50_blocks_and_counts_what_it_left_out(busy):
    digest = made(busy.root)
    long = replace(digest, check_ins=tuple(replace(o, objective=replace(o.objective, title="x" * 3500)) for o in digest.check_ins),
                   status_changes=tuple(replace(c, objective=replace(c.objective, title="y" * 3500)) for c in digest.status_changes))
    blocks = slack(long)["blocks"]  # 2 blocks for each of 15 objectives' check-ins, 1 for each of 15 status changes, and more
    assert len(blocks) == SLACK_BLOCKS
    assert all(len(b["text"]["text"]) <= SLACK_TEXT for b in blocks if b["type"] == "section")
    assert "more lines" in blocks[-2]["text"]["text"]


def test_slack_escapes_its_control_characters(busy):
    digest = made(busy.root)
    hostile = replace(digest, check_ins=(replace(digest.check_ins[0], objective=replace(digest.check_ins[0].objective, title=HOSTILE)),))
    said = json.dumps(slack(hostile))
    assert "<script>" not in said and "&lt;script&gt;" in said and "&amp; *bold*" in said


def test_slack_escapes_the_site_title_in_the_notification_and_the_header(week):
    """A site titled `<!channel>` would ping the whole channel from the notification text."""
    message = slack(replace(made(week.root), title="S6 <!channel> & *Big* [co]"))
    header, notification = message["blocks"][0]["text"]["text"], message["text"]
    for said in (header, notification):
        assert "<!channel>" not in said and said.startswith("S6 &lt;!channel&gt; &amp; *Big* [co]: what changed")
    assert "<" not in json.dumps(message).replace("<https://okrs.example.com/", "")


def test_a_slack_text_cut_to_its_limit_ends_in_no_half_entity(week):
    message = slack(replace(made(week.root), title="&" * 200))
    header = message["blocks"][0]["text"]["text"]
    assert len(header) <= SLACK_HEADER and header.endswith("&amp;…")


def test_the_email_parses_into_text_and_html_parts(week):
    raw = render(made(week.root), "email", ("team@example.com", "lead@example.com"), "okrs@example.com")
    message = email.message_from_string(raw, policy=email.policy.default)
    assert message.get_content_type() == "multipart/alternative"
    assert (message["To"], message["From"]) == ("team@example.com, lead@example.com", "okrs@example.com")
    assert message["Subject"] == "Git goals: what changed from 2026-11-17 to 2026-11-23"
    plain, rich = message.get_body(("plain",)), message.get_body(("html",))
    assert "Reduce churn" in plain.get_content() and "62 → 80" in plain.get_content()
    assert '<a href="https://okrs.example.com/objectives/reduce-churn/">Reduce churn</a>' in rich.get_content()


def test_the_email_has_no_address_headers_unless_given(week):
    message = email.message_from_string(render(made(week.root), "email"), policy=email.policy.default)
    assert message["To"] is None and message["From"] is None and message["Date"]


ENCODED_TITLES = [
    "=?utf-8?q?Hi=0D=0ABcc:_evil@x=0D=0A=0D=0Abody?=",
    "=?utf-8?b?SGkNCkJjYzogZXZpbEB4?=",
    'Acme "=?utf-8?q?x=0D=0ABcc:_evil@x?=" É',
    "Acme " + "=?utf-8?q?Bcc:_evil@x?= " * 8,
]


@pytest.mark.parametrize("title", ENCODED_TITLES)
def test_a_title_that_looks_like_an_encoded_word_is_the_subject_as_written_and_adds_no_header(week, title):
    """QA FO: the email library decoded `=?utf-8?q?…=0D=0A…?=` in the site title (which anyone with a
    pull request can set) and wrote the line breaks: a Bcc: header, and the header block ended."""
    digest = replace(made(week.root), title=title)
    raw = render(digest, "email", ("team@example.com",), "okrs@example.com")
    message = email.message_from_string(raw, policy=email.policy.default)
    assert message.keys() == ["Subject", "From", "To", "Date", "MIME-Version", "Content-Type"]
    assert message["Subject"] == f"{title}: what changed from 2026-11-17 to 2026-11-23"
    assert (message["From"], message["To"]) == ("okrs@example.com", "team@example.com")
    plain, rich = message.get_body(("plain",)), message.get_body(("html",))
    assert plain.keys() == ["Content-Type", "Content-Transfer-Encoding"]
    assert rich.keys() == ["Content-Type", "Content-Transfer-Encoding", "MIME-Version"]  # as the email library writes an alternative
    assert plain.get_content().startswith(f"{title}: what changed") and "Reduce churn" in plain.get_content()
    assert "Reduce churn" in rich.get_content()


@pytest.mark.parametrize("title", ["Git goals", "A long title of the team that sets the goals of the whole company, " * 3])
def test_a_plain_title_is_the_subject_as_it_reads_folded_before_spaces(week, title):
    raw = render(replace(made(week.root), title=title), "email")
    head = raw.split("\n\n")[0]
    assert "=?" not in head and all(len(line) <= 78 for line in head.splitlines())
    assert email.message_from_string(raw, policy=email.policy.default)["Subject"] == f"{title}: what changed from 2026-11-17 to 2026-11-23"


def test_user_text_is_escaped_in_markdown_and_html(week):
    digest = made(week.root)
    hostile = replace(digest, check_ins=(replace(digest.check_ins[0], objective=replace(digest.check_ins[0].objective, title=HOSTILE)),))
    rendered = MarkdownIt("commonmark").render(markdown(hostile))
    page = html(hostile)
    for out in (rendered, page):
        assert "<script>" not in out and "https://evil.example" not in out.replace("[link](https://evil.example)", "")
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; *bold* [link](https://evil.example) | `code` #1" in out


def test_markdown_and_the_email_html_are_valid_html(week, busy, tmp_path):
    """The Nu HTML Checker on the Markdown rendered by markdown-it (in a minimal page) and on the email's HTML."""
    need(shutil.which("java") is not None, "java is missing: install a JRE (apt-get install -y default-jre-headless)")
    need(VNU_JAR.is_file(), "node_modules/vnu-jar is missing: run `npm ci` at the repository root")
    pages = tmp_path / "pages"
    pages.mkdir()
    for name, digest in (("week", made(week.root)), ("busy", made(busy.root)), ("empty", made(week.root, "2026-11-01", "2026-11-07"))):
        body = MarkdownIt("commonmark").render(markdown(digest))
        (pages / f"{name}-markdown.html").write_text(f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body>{body}</body></html>')
        (pages / f"{name}-email.html").write_text(html(digest))
    done = subprocess.run(["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", str(pages)], capture_output=True, text=True, timeout=300)
    errors = [m for m in json.loads(done.stderr)["messages"] if m.get("type") in ("error", "non-document-error")]
    assert not errors and done.returncode == 0, errors[:5]


def test_json_follows_its_schema(week, busy):
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    for digest in (made(week.root), made(busy.root), made(week.root, "2026-11-01", "2026-11-07"), made(week.root, audience="public")):
        data = json.loads(render(digest, "json"))
        jsonschema.validate(data, schema)
    assert as_json(made(week.root))["window"] == {"since": "2026-11-17", "until": "2026-11-23"}



def _each(data, key: str) -> list:
    """Every value of ``key`` at any depth of a JSON document."""
    if isinstance(data, dict):
        return [v for k, v in data.items() if k == key] + [found for v in data.values() for found in _each(v, key)]
    if isinstance(data, list):
        return [found for v in data for found in _each(v, key)]
    return []


def test_json_writes_every_progress_and_grade_with_its_decimal_point_as_okrs_json(week):
    """QA CV: a milestone done in the window had progress_before 0 and progress_after 1 (JSON
    integers) where okrs.json writes 0.0 and 1.0: a loader that types a column by its first rows broke."""
    data = json.loads(render(made(week.root), "json"))
    shares = [v for key in ("progress", "progress_before", "progress_after", "grade") for v in _each(data, key) if v is not None]
    assert 1.0 in shares and 0.0 in shares
    assert all(type(v) is float for v in shares), shares
    values = [v for key in ("before", "after", "value") for v in _each(data, key) if isinstance(v, (int, float)) and not isinstance(v, bool)]
    assert any(type(v) is int for v in values), "whole values stay integers, as okrs.json's"


@pytest.fixture(scope="module")
def near_borders(tmp_path_factory) -> GitRepo:
    """Three objectives checked in in the window to 0.9949, 0.3147 and 0.6949 (aspirational): a half
    percent below where okrs.json's three decimals (0.995, 0.315, 0.695) round up."""
    r = GitRepo(tmp_path_factory.mktemp("borders") / "goals")
    names = {"nearly-done": 9949, "a-third": 3147, "aspir": 6949}

    def files(factor: float) -> dict[str, str]:
        return {f"content/objectives/{name}.md": objective_file(name, value * factor).replace("target: 100\n", "target: 10000\n")
                .replace("owner: sales\n", "owner: sales\nkind: aspirational\n" if name == "aspir" else "owner: sales\n")
                for name, value in names.items()}
    r.commit({"okrsite.toml": 'as_of = 2026-11-15\n', "content/teams/sales.md": "---\ntitle: Sales\n---\n", **files(0.5)}, "2026-10-01T09:00:00+00:00")
    r.commit(files(1), "2026-11-10T09:00:00+00:00", "Bo Chen")
    return r


@pytest.mark.parametrize("form", ["markdown", "slack", "email"])
def test_every_format_rounds_a_percentage_from_the_exact_progress_as_the_pages_do(near_borders, form):
    """QA DH: the digest said "on-track · 100 %" of an objective at 0.9949, its page "99 % done": it
    rounded okrs.json's 0.995 again."""
    printed = render(made(near_borders.root, "2026-11-09", "2026-11-15"), form)
    if form == "email":
        printed = email.message_from_string(printed, policy=email.policy.default).get_body(("plain",)).get_content()
    for percent in ("99 %", "31 %", "69 %", "50 % → 99 %", "16 % → 31 %", "35 % → 69 %"):
        assert percent in printed, (percent, printed)
    assert not re.search(r"\b(100|32|70) %", printed), printed


def test_json_gives_a_progress_to_three_decimals_as_okrs_json(near_borders):
    data = as_json(made(near_borders.root, "2026-11-09", "2026-11-15"))
    assert sorted(m["progress_after"] for m in data["check_ins"]) == [0.315, 0.695, 0.995]
    assert [c["progress"] for c in data["status_changes"]] == [0.315]


def _ref_fields(node) -> set[str]:
    """The properties the schema makes a ref ({"id", "title", "url", "link"})."""
    if isinstance(node, list):
        return {name for item in node for name in _ref_fields(item)}
    if not isinstance(node, dict):
        return set()
    own = {name for name, value in node.get("properties", {}).items() if value == {"$ref": "#/$defs/ref"}}
    return own | {name for value in node.values() for name in _ref_fields(value)}


def test_digest_md_says_which_fields_are_refs_and_that_owner_is_a_title(week):
    """QA CV: digest.md said "Every objective, KPI, team and person is {"id", "title", "url", "link"}",
    but `owner` is the team's title (as the schema says): a bot looked for owner["id"]."""
    schema = json.loads(SCHEMA.read_text())
    section = (Path(__file__).resolve().parents[2] / "docs" / "digest.md").read_text(encoding="utf-8").split("### JSON\n", 1)[1].split("\n## ", 1)[0]
    sentences = re.split(r"(?<=[.)])\s+(?=[A-Z])", " ".join(section.split()))
    [refs] = [s for s in sentences if '`{"id", "title", "url", "link"}`' in s]
    named = set(re.findall(r"`(\w+)`", refs.split("`{")[0]))
    assert _ref_fields(schema) == {"objective", "kpi", "ref"} <= named and "owner" not in named
    [owner] = [s for s in sentences if s.startswith("The `owner`")]
    assert "title" in owner and "text" in owner
    data = json.loads(render(made(week.root), "json"))
    assert set(_each(data, "owner")) <= {"Sales", "Dana Fox"} and "Sales" in _each(data, "owner")
    form = schema["$defs"]["key_result_move"]["properties"]["form"]
    okrs_schema = json.loads((SCHEMA.parent / "okrs.schema.json").read_text())
    assert form["enum"] == okrs_schema["$defs"]["keyResult"]["properties"]["kind"]["enum"] and "kind" in form["description"]
    assert "`form` is what okrs.json calls its `kind`" in " ".join(section.split())


def test_nothing_changed_is_short(week):
    digest = made(week.root, "2026-11-01", "2026-11-07")
    said = markdown(digest)
    assert "Nothing changed from 2026-11-01 to 2026-11-07." in said
    assert "## Check-ins" not in said and "## Status changes" not in said
    assert json.loads(render(digest, "json"))["changed"] is False
    assert "Nothing changed" in slack(digest)["text"]


# ---- the public audience ----------------------------------------------------------------------

SECRET = "---\ntitle: Monthly recurring revenue\nowner: sales\nunit: USD\ntarget: 60000\nthreshold: 40000\nsource: Billing\nconfidential: true\nvalues:\n{values}---\n"
SEPTEMBER = "  - {date: 2026-09-30, value: 41234.5}\n"
OCTOBER = SEPTEMBER + "  - {date: 2026-10-31, value: 52345.67}\n"
LINKED = ("---\ntitle: Grow revenue\nperiod: 2026-Q4\nowner: sales\nkey_results:\n  - title: Reach the MRR target\n    kpi: mrr\n"
          "    start: 30000\n    target: 60000\n  - title: Sign partners\n    start: 0\n    target: 10\n    current: {partners}\n---\n")
SECRETS = ("41234.5", "41,234.5", "52345.67", "52,345.67", "52,346", "41,234", "60000", "60,000")


@pytest.fixture(scope="module")
def confidential(tmp_path_factory) -> GitRepo:
    r = GitRepo(tmp_path_factory.mktemp("confidential") / "goals")
    r.commit({"okrsite.toml": "as_of = 2026-11-23\n", "content/teams/sales.md": "---\ntitle: Sales\n---\n",
              "content/kpis/mrr.md": SECRET.format(values=SEPTEMBER), "content/objectives/grow.md": LINKED.replace("{partners}", "2")},
             "2026-10-01T09:00:00+00:00")
    r.commit({"content/kpis/mrr.md": SECRET.format(values=OCTOBER), "content/objectives/grow.md": LINKED.replace("{partners}", "7")},
             "2026-11-20T09:00:00+00:00", "Cy Diaz", "MRR October\n\nMRR is 52345.67 now")
    return r


def every_format(digest) -> dict[str, str]:
    said = {form: render(digest, form) for form in ("markdown", "slack", "json")}
    message = email.message_from_string(render(digest, "email"), policy=email.policy.default)
    said["email"] = message.get_body(("plain",)).get_content() + message.get_body(("html",)).get_content()
    return said


def test_a_confidential_kpi_s_values_never_appear_in_the_public_digest(confidential):
    public = every_format(made(confidential.root, audience="public"))
    for form, said in public.items():
        leaks = [secret for secret in SECRETS if secret in said]
        assert not leaks, f"{form} shows {leaks}"
        assert "Monthly recurring revenue" in said and "Reach the MRR target" in said, form  # titles stay
        assert "2 → 7" in said or '"after": 7' in said, form  # other numbers stay


def test_the_internal_digest_shows_them(confidential):
    internal = every_format(made(confidential.root))
    for form, said in internal.items():
        assert "52,345.67" in said or "52345.67" in said, form
        assert "MRR is 52345.67 now" in said, form  # the note, which the public digest leaves out


def test_a_kpi_made_confidential_after_the_window_is_hidden_in_it(tmp_path):
    """The window's end (11-20) did not say confidential; the goals now do: the public digest hides it."""
    r = GitRepo(tmp_path / "goals")
    open_kpi = SECRET.replace("confidential: true\n", "")
    r.commit({"okrsite.toml": "as_of = 2026-11-23\n", "content/teams/sales.md": "---\ntitle: Sales\n---\n",
              "content/kpis/mrr.md": open_kpi.format(values=SEPTEMBER), "content/objectives/grow.md": LINKED.replace("{partners}", "2")},
             "2026-10-01T09:00:00+00:00")
    r.commit({"content/kpis/mrr.md": open_kpi.format(values=OCTOBER)}, "2026-11-20T09:00:00+00:00", "Cy Diaz")
    r.commit({"content/kpis/mrr.md": SECRET.format(values=OCTOBER)}, "2026-11-25T09:00:00+00:00", "Cy Diaz", "MRR is confidential")
    public = every_format(made(r.root, audience="public"))
    assert all(not [s for s in SECRETS if s in said] for said in public.values()), public["markdown"]
    assert "52,345.67" in render(made(r.root), "markdown")


SECRET_PLAN = ("---\ntitle: Buy Kestrel Labs\nperiod: 2026-Q4\nowner: sales\nprivate: true\nkey_results:\n"
               "  - title: Sign the term sheet\n    start: 0\n    target: 1\n    current: {signed}\n---\n")
QUIET_KR = ("---\ntitle: Grow margin\nperiod: 2026-Q4\nowner: sales\nkey_results:\n  - title: Gross margin\n"
            "    confidential: true\n    start: 41.5\n    target: 47.25\n    current: {margin}\n"
            "  - title: Ship pricing tiers\n    start: 0\n    target: 4\n    current: {tiers}\n---\n")


def test_private_objectives_and_confidential_key_results_stay_out_of_the_public_digest(tmp_path):
    """Issue 13's keys: a private objective's check-ins and title are nowhere in the public digest; a
    confidential key result's values neither; both are in the internal one (so the test can fail)."""
    r = GitRepo(tmp_path / "goals")
    r.commit({"okrsite.toml": "as_of = 2026-11-23\n", "content/teams/sales.md": "---\ntitle: Sales\n---\n",
              "content/objectives/kestrel.md": SECRET_PLAN.format(signed=0),
              "content/objectives/margin.md": QUIET_KR.format(margin=42.75, tiers=1)}, "2026-10-01T09:00:00+00:00")
    r.commit({"content/objectives/kestrel.md": SECRET_PLAN.format(signed=1),
              "content/objectives/margin.md": QUIET_KR.format(margin=44.125, tiers=3)}, "2026-11-20T09:00:00+00:00", "Cy Diaz")
    needles = ("Kestrel", "kestrel", "term sheet", "42.75", "44.125", "44.13", "47.25")
    public = every_format(made(r.root, audience="public"))
    for form, said in public.items():
        assert not [n for n in needles if n in said], f"{form}: {said}"
        assert "Gross margin" in said and "Ship pricing tiers" in said, form
    internal = render(made(r.root), "markdown")
    assert "Kestrel" in internal and "44.1" in internal, internal


def test_a_link_to_a_private_objective_in_a_title_is_not_in_the_public_digest(tmp_path):
    """Titles are said as written: "Follow up [[kestrel]]" named the private objective's id."""
    r = GitRepo(tmp_path / "goals")
    linked = QUIET_KR.replace("title: Grow margin", "title: Grow margin after [[kestrel]]").replace("title: Ship pricing tiers", "title: Ship [[kestrel|its]] tiers")
    linked = linked.replace("    target: 4\n", "    target: 4\n    unit: tiers of [[kestrel]]\n")  # a unit too (docs/audiences.md)
    r.commit({"okrsite.toml": "as_of = 2026-11-23\n", "content/teams/sales.md": "---\ntitle: Sales\n---\n",
              "content/objectives/kestrel.md": SECRET_PLAN.format(signed=0),
              "content/objectives/margin.md": linked.format(margin=42.75, tiers=1)}, "2026-10-01T09:00:00+00:00")
    r.commit({"content/objectives/margin.md": linked.format(margin=44.125, tiers=3)}, "2026-11-20T09:00:00+00:00", "Cy Diaz")
    for form, said in every_format(made(r.root, audience="public")).items():
        assert "kestrel" not in said, f"{form}: {said}"
        assert "Grow margin after a private objective" in said and "Ship a private objective tiers" in said, form
    assert "[[kestrel]]" in render(made(r.root), "json")


HEBREW_KR = "לקוחות חדשים"


@needs_git
def test_a_hebrew_key_result_s_title_is_isolated_from_its_numbers_in_every_format(tmp_path):
    """QA DG: unisolated, "לקוחות חדשים: 150 → 170" is drawn "170 → 150" (bidi pulls the numbers into the title's run)."""
    r = GitRepo(tmp_path / "goals")
    text = "---\ntitle: הגדלת המכירות\nperiod: 2026-Q4\nowner: sales\nkey_results:\n  - title: לקוחות חדשים\n    target: 200\n    current: {}\n---\n"
    r.commit({"okrsite.toml": 'as_of = 2026-11-23\n', "content/teams/sales.md": "---\ntitle: Sales\n---\n", "content/objectives/il.md": text.format(150)},
             "2026-10-01T09:00:00+00:00")
    r.commit({"content/objectives/il.md": text.format(170)}, "2026-11-20T09:00:00+00:00", "Bo Chen")
    digest = made(r.root)
    assert f"**\u2068{HEBREW_KR}\u2069**: 150 → 170" in markdown(digest)
    assert f"<strong><bdi>{HEBREW_KR}</bdi></strong>: 150 → 170" in html(digest)
    assert f"• *\u2068{HEBREW_KR}\u2069*: 150 → 170" in json.dumps(slack(digest), ensure_ascii=False)


def test_a_late_correction_of_a_finished_quarter_is_said_in_every_format(corrected_late):
    """QA EO 4: the digest's formats say why a finished quarter's grade moved, as the objective page does."""
    digest = made(corrected_late.root)
    said = "value of 2026-09-30 corrected on 2026-11-18 (after 2026-Q3 ended)"
    for form, printed in every_format(digest).items():
        if form != "json":
            assert printed.count(said) == (4 if form == "email" else 2), form  # the key result and the status change (text and HTML)
    data, schema = json.loads(render(digest, "json")), json.loads(SCHEMA.read_text())
    jsonschema.validate(data, schema)
    assert all("corrected_late" in schema["$defs"][name]["required"] for name in ("key_result_move", "status_change"))
    correction = {"date": "2026-09-30", "on": "2026-11-18", "period": "2026-Q3"}
    assert data["check_ins"][0]["key_results"][0]["corrected_late"] == correction
    assert data["status_changes"][0]["corrected_late"] == [correction]
    assert _each(as_json(made(corrected_late.root, "2026-09-28", "2026-10-04")), "corrected_late") == [None, []]


def test_a_corrected_kpi_value_is_said_corrected_in_every_format(september_corrected):
    """September's MRR rewritten on 11-18, October's still the latest: every format says the correction
    (the JSON with its day, in new fields of each value), none the latest value beside September's date."""
    digest = made(september_corrected.root)
    for form, printed in every_format(digest).items():
        if form != "json":
            assert "value of 2026-09-30 corrected 41,000 → 43,000 USD on 2026-11-18" in printed, form
            assert "52,000" not in printed and "now " not in printed, form
    data = json.loads(render(digest, "json"))
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))
    [value] = data["kpi_updates"][0]["values"]
    assert (value["value"], value["replaces"], value["corrected"], value["corrected_on"]) == (43000, 41000, True, "2026-11-18")
    assert {"replaces", "corrected", "corrected_on"} <= set(json.loads(SCHEMA.read_text())["$defs"]["check_in"]["required"])


def test_a_confidential_kpi_s_corrected_value_is_said_corrected_in_the_public_digest_without_its_numbers(september_corrected):
    """The public digest called September's MRR, rewritten on 11-18, "1 new value, dated 2026-09-30" while the
    key result following it said "value of 2026-09-30 corrected on 2026-11-18": it says the correction in the
    same words as the internal digest, with no number of the confidential KPI (its dates and who, as before)."""
    digest = made(september_corrected.root, audience="public")
    for form, printed in every_format(digest).items():
        leaks = [n for n in ("41,000", "43,000", "52,000", "41000", "43000", "52000") if n in printed]
        assert not leaks, f"{form} shows {leaks}"
        assert "1 KPI with a corrected value" in printed and "new value" not in printed, form
        if form != "json":
            assert "value of 2026-09-30 corrected on 2026-11-18 · by Bo Chen" in printed, form
    data = json.loads(render(digest, "json"))
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))
    [value] = data["kpi_updates"][0]["values"]
    assert (value["value"], value["replaces"], value["corrected"], value["corrected_on"]) == (None, None, True, "2026-11-18")


@pytest.mark.parametrize("until, heading", [(UNTIL, "Corrected KPI values"), ("2026-11-30", "New and corrected KPI values")])
def test_a_confidential_kpi_s_corrections_head_the_public_digest_s_kpi_section_as_the_internal_one(september_corrected, until, heading):
    """With September's MRR rewritten on 11-18 and nothing new, both digests headed it "New KPI values";
    until 11-30 (11-25's value recorded on 11-26) it holds both. The public one says it without numbers, under the same heading."""
    for audience in ("internal", "public"):
        printed = markdown(made(september_corrected.root, until=until, audience=audience))
        assert f"\n## {heading}\n" in printed and "## New KPI values" not in printed, audience


def test_a_grade_given_in_the_window_is_said_in_every_format(graded):
    """QA: "Q4 scores and retros" reached no format; the JSON has it as `graded`, following its schema."""
    digest = made(graded.root, "2027-01-05", "2027-01-05")
    said = "grade 0.50 (self-assessed; computed 0.55) · retro written · Sales"
    for form, printed in every_format(digest).items():
        if form != "json":
            assert printed.count(said) == (2 if form == "email" else 1) and "Graded" in printed, form  # the email: text and HTML
    data = json.loads(render(digest, "json"))
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))
    assert data["changed"] is True and data["summary"] == "4 objectives graded."
    assert {"objective": data["graded"][2]["objective"]["id"], **{k: v for k, v in data["graded"][2].items() if k != "objective"}} == {
        "objective": "grow", "owner": "Sales", "grade": 0.5, "score_before": None, "score": 0.5, "computed_grade": 0.55, "retro": "written",
        "computed_before": None, "came_in": [], "awaiting": [], "never_came": []}
    changed = json.loads(render(made(graded.root, "2027-01-06", "2027-01-12"), "json"))["graded"]
    assert [(g["objective"]["id"], g["score_before"], g["score"]) for g in changed] == [("cut", 0.8, 0.85)]


def test_a_grade_given_in_the_window_its_period_ended_in_is_said_once_in_every_format(graded):
    """Review: Q4 ended and was graded in one window; every format said each grade under Status changes and again under Graded."""
    digest = made(graded.root, "2026-12-29", "2027-01-05")
    for form, printed in every_format(digest).items():
        if form != "json":
            assert printed.count("0.50") == (2 if form == "email" else 1) and "missed (was off-track) · Sales" in printed, form
    data = json.loads(render(digest, "json"))
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))
    assert [(c["change"], c["progress"], c["grade"]) for c in data["status_changes"]] == [("missed", None, None)] * 4
    assert [g["grade"] for g in data["graded"]] == [0.9, 0.8, 0.5, 0.75]


def test_the_public_digest_says_a_confidential_objective_s_grade_and_no_private_one_s(graded):
    for form, said in every_format(made(graded.root, "2027-01-05", "2027-01-05", "public")).items():
        assert "Kingfisher" not in said and "secret" not in said and "0.9" not in said, form
        assert "Renegotiate the vault contract" in said and ("grade 0.75" in said or '"grade": 0.75' in said), form
    assert "Kingfisher" in render(made(graded.root, "2027-01-05", "2027-01-05"), "markdown")


def test_a_provisional_grade_and_the_quarter_s_final_grades_are_said_in_every_format(awaited):
    """QA: no format said that a grade awaited month-end KPI values, nor when the quarter's grades became final."""
    provisional = made(awaited.root, "2027-01-01", "2027-01-05")
    said = "grade 0.32 (provisional: awaiting the December 2026 values of MRR and Net revenue retention)"
    for form, printed in every_format(provisional).items():
        if form != "json":
            assert printed.count(said) == (2 if form == "email" else 1), form
    data = json.loads(render(provisional, "json"))
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))
    [awaiting, _] = data["status_changes"][0]["awaiting"]
    assert ({k: v for k, v in awaiting.items() if k != "kpi"}, awaiting["kpi"]["id"]) == (
        {"start": "2026-12-01", "end": "2026-12-31", "name": "December 2026"}, "mrr")
    final = made(awaited.root, "2027-01-13", "2027-01-19")
    for form, printed in every_format(final).items():
        assert "2026-Q4's grades are final." in printed, form
        if form != "json":
            assert "grade 0.45 → 0.60 (computed; final: the December 2026 value of Net revenue retention came in)" in printed, form
    data = json.loads(render(final, "json"))
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))
    assert data["final_periods"] == ["2026-Q4"]
    assert [(g["objective"]["id"], g["computed_before"], g["grade"], len(g["came_in"]), g["awaiting"]) for g in data["graded"]] == [
        ("grow", 0.45, 0.6, 1, []), ("keep", 0.3, 0.5, 1, [])]


def test_a_grade_made_final_by_a_value_that_will_not_come_is_said_in_every_format(never_came):
    """QA: the window in which December's MRR stopped being awaited (stale by 03-04) said "Nothing changed", `graded: []` in JSON."""
    digest = made(never_came.root, "2027-03-01", "2027-03-06")
    for form, printed in every_format(digest).items():
        assert "2026-Q4's grades are final." in printed and "1 grade made final" in printed, form
        if form != "json":
            assert printed.count("grade 0.49 (computed; final: the December 2026 value of MRR did not come)") == (2 if form == "email" else 1), form
    data = json.loads(render(digest, "json"))
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))
    [grow] = data["graded"]
    [gone] = grow["never_came"]
    assert (grow["grade"], grow["came_in"], grow["awaiting"], gone["kpi"]["id"], gone["name"], gone["why"]) == (0.49, [], [], "mrr", "December 2026", "stale")
    assert data["final_periods"] == ["2026-Q4"]
