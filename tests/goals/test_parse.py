"""Front matter to model: the keys added for how numbers are written."""

import unicodedata
from datetime import date

import pytest

from okrsite.goals.repository import load_site

from ..conftest import write_files

KPI = "---\ntitle: ARR\nowner: company\nunit: $\nsource: Finance\n{line}---\nARR.\n"
OBJECTIVE = "---\ntitle: Grow\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - title: Seats\n    target: 40000\n{line}---\n"


def loaded(base_site, kpi_line: str = "", kr_line: str = ""):
    write_files(base_site, {"content/kpis/arr.md": KPI.format(line=kpi_line), "content/objectives/grow.md": OBJECTIVE.format(line=kr_line)})
    return load_site(base_site)


def test_format_on_a_kpi_and_a_key_result(base_site):
    result = loaded(base_site, "format: compact\n", "    format: full\n")
    assert not result.report.items
    assert result.site.kpis["arr"].number_format == "compact"
    assert result.site.objectives["grow"].key_results[0].number_format == "full"
    assert result.site.kpis["mrr"].number_format is None  # unset: the site's number_format decides


def test_a_wrong_format_is_an_error_with_the_nearest_choice(base_site):
    result = loaded(base_site, "format: short\n", "    format: compcat\n")
    found = sorted((e.file, e.line, e.message, e.hint) for e in result.report.errors)
    assert found == [
        ("content/kpis/arr.md", 6, "'format' must be one of full, compact, not 'short'", "use one of: full, compact"),
        ("content/objectives/grow.md", 8, "'format' must be one of full, compact, not 'compcat'", "did you mean 'compact'?"),
    ]


# SPEC §16: KPIs as companies keep them.

HANDBOOK_KPI = "---\ntitle: Retention\nowner: company\n{lines}---\nRetention.\n"


def kpi_of(base_site, lines: str):
    write_files(base_site, {"content/kpis/retention.md": HANDBOOK_KPI.format(lines=lines)})
    result = load_site(base_site)
    mine = [d for d in result.report.items if d.file == "content/kpis/retention.md"]
    return result.site.kpis.get("retention"), mine


def test_a_target_in_words_gives_number_direction_inclusiveness_and_unit(base_site):
    k, problems = kpi_of(base_site, "target: at or below 50 days\nsource: HR\n")
    assert not problems
    assert (k.target, k.direction, k.target_inclusive, k.unit, k.target_text) == (50, "down", True, "days", "at or below 50 days")


def test_prose_is_kept_as_the_target_in_words(base_site):
    k, problems = kpi_of(base_site, "target: Confidential, in the planning tool\nsource: HR\n")
    assert not problems
    assert (k.target, k.target_text, k.direction) == (None, "Confidential, in the planning tool", "up")


def test_a_target_with_its_comparison_after_the_number_reads_it_and_keeps_it_out_of_the_unit(base_site):
    k, problems = kpi_of(base_site, "target: 10 days or less\nsource: HR\n")
    assert not problems
    assert (k.target, k.direction, k.target_inclusive, k.unit) == (10, "down", True, "days")
    k, problems = kpi_of(base_site, "target: 10 days or so\nsource: HR\n")
    assert [(d.severity, d.message) for d in problems] == [("notice", "the target '10 days or so' is kept as words: no health is computed from the values")]
    assert (k.target, k.target_text, k.unit, k.direction_given) == (None, "10 days or so", None, False)


@pytest.mark.parametrize("written", ["target:", 'target: ""', "target: '  '"])
def test_an_empty_target_says_why_the_health_is_unknown(base_site, written):
    """A KPI with `target:` and nothing after it showed health "unknown" without a word of why (an empty
    `target:` of a key result is an error; a KPI may have no target, but one left blank is a slip)."""
    k, problems = kpi_of(base_site, f"{written}\nsource: HR\nvalues:\n  - {{date: 2026-11-01, value: 5}}\n")
    assert [(d.severity, d.message) for d in problems] == [("notice", "'target' is empty: without a target the KPI's health is unknown")]
    assert (k.target, k.target_text) == (None, None)
    k, problems = kpi_of(base_site, "source: HR\n")
    assert not problems and k.target is None


def test_a_rate_after_the_comparison_is_part_of_the_unit(base_site):
    """"10 days or less per incident", "5 hours max per week": read as numbers before this round's
    stricter units, they stay numbers, the rate in the unit."""
    k, problems = kpi_of(base_site, "target: 10 days or less per incident\nsource: HR\n")
    assert not problems and (k.target, k.direction, k.unit) == (10, "down", "days per incident")
    k, problems = kpi_of(base_site, "target: 5 hours max per week\nsource: HR\n")
    assert not problems and (k.target, k.direction, k.unit) == (5, "down", "hours per week")


@pytest.mark.parametrize("target", ["4.5 stars or better", "20 tickets per engineer at peak", "$5 or so"])
def test_words_that_start_with_a_number_are_a_notice_that_no_health_is_computed(base_site, target):
    """Kept as words, a target shows no computed health: the writer is told at its line (a notice: an
    upgrade that reads a target more strictly does not fail `check --strict`). Words without a number
    first ("TBD") are not told."""
    k, problems = kpi_of(base_site, f"target: {target}\nsource: HR\n")
    assert k.target is None and [(d.severity, d.line, d.timed) for d in problems] == [("notice", 4, False)], problems
    assert "no health is computed" in problems[0].message
    assert kpi_of(base_site, "target: TBD\nsource: HR\n")[1] == []


def test_a_direction_that_contradicts_words_after_the_number_is_an_error_naming_both(base_site):
    _, problems = kpi_of(base_site, "target: 5 or fewer\ndirection: up\nsource: HR\n")
    assert [(d.severity, d.line, d.message) for d in problems] == [
        ("error", 5, "'direction: up' contradicts the target '5 or fewer', which reads as down")]


def test_a_direction_that_contradicts_the_phrase_is_an_error_with_a_hint(base_site):
    _, problems = kpi_of(base_site, "target: above 95%\ndirection: down\nsource: HR\n")
    assert [(d.severity, d.line, d.message) for d in problems] == [
        ("error", 5, "'direction: down' contradicts the target 'above 95%', which reads as up")]
    assert "remove 'direction:'" in problems[0].hint
    k, problems = kpi_of(base_site, "target: above 95%\ndirection: up\nsource: HR\n")
    assert not problems and k.direction == "up"


def test_a_unit_that_disagrees_with_the_targets_words_is_a_warning_at_the_target_naming_both(base_site):
    """`unit: hours` beside "less than 30 minutes" compared 1.5 hours with 30 as if both were hours,
    without a word. Health stays as computed; the warning says which one to rewrite."""
    k, problems = kpi_of(base_site, "unit: hours\ntarget: less than 30 minutes\nsource: HR\n")
    assert [(d.severity, d.line, d.message, d.hint) for d in problems] == [
        ("warning", 5, "the target 'less than 30 minutes' is in minutes, but 'unit: hours' says the values are in hours: health compares them with 30 hours",
         "write the target in hours, or change 'unit:' to minutes if the values are in minutes")]
    assert (k.unit, k.target) == ("hours", 30)


@pytest.mark.parametrize("unit, target, expected", [
    ('"$M"', "over $100M", 100), ("M users", "at least 1.5M", 1.5), ("k", "at least 1.2k", 1.2), ("millions", "over $2bn", 2),
    ('"$"', "over $100M", 100_000_000), ("users", "at least 1.2k", 1200), ("MB", "at most 5k", 5000), (None, "at least 1.2k users", 1200),
])
def test_a_magnitude_in_the_targets_words_is_not_applied_again_to_values_kept_in_it(base_site, unit, target, expected):
    """Values kept in millions (`unit: $M`, 95.3) are compared with "> $100M" as 100: scaling it to
    100,000,000 turned every such KPI critical on upgrade without a word."""
    k, problems = kpi_of(base_site, (f"unit: {unit}\n" if unit else "") + f"target: {target}\nsource: BI\n")
    assert problems == [] and k.target == expected


@pytest.mark.parametrize("unit, target", [
    ("ms", "at most 200 ms"), ("Hours", "under 2 hrs"), ("hr", "2 hours or less"), ("days", "at most 1 day"), ('"%"', "above 95%"),
    ("USD", "over $100M"), ("eur", "€50k or more"), ("GBP", "at least £5"), ("$", "at least 5 usd"), ("sec", "below 3 seconds"),
    ("hours", "less than 30 minutes per ticket"), ("hours per week", "under 30 minutes"), ("minutes", "less than 30 m"),
    ("users", "at least 5 accounts"), ("points", "above 95%"), ("USD", "above 5"), ('"$"', "over $1.2M/quarter"), ("USD", "at least $5 per seat"),
    ('"$/seat"', "over $1.2M/quarter"), ('"$/mo"', "at least $5/month"), ('"EUR/quarter"', "€5k per quarter or more"),
])
def test_a_unit_and_the_targets_words_that_agree_or_cannot_be_compared_say_nothing(base_site, unit, target):
    _, problems = kpi_of(base_site, f"unit: {unit}\ntarget: {target}\nsource: HR\n")
    assert problems == []


@pytest.mark.parametrize("unit, target, theirs", [
    ("ms", "at most 2 s", "s"), ('"%"', "below 200 ms", "ms"), ("USD", "€50k or more", "€"), ("EUR", "at least 5 usd", "usd"),
    ("weeks", "at most 5 days", "days"), ("£", "above $5", "$"), ("EUR", "over $1.2M/quarter", "$/quarter"),
    # QA BN: a currency code with a rate, and money per another span
    ('"EUR/quarter"', "over $1.2M/quarter", "$/quarter"), ('"EUR per seat"', "at least $5 per seat", "$ per seat"),
    ('"$/month"', "over $1.2M/quarter", "$/quarter"), ('"USD per year"', "at most $5/month", "$/month"),
])
def test_units_the_table_knows_that_differ_are_a_warning(base_site, unit, target, theirs):
    _, problems = kpi_of(base_site, f"unit: {unit}\ntarget: {target}\nsource: HR\n")
    assert [(d.severity, d.line) for d in problems] == [("warning", 5)]
    assert problems[0].message.startswith(f"the target '{target}' is in {theirs}, but 'unit: {unit.strip(chr(34))}'")


@pytest.mark.parametrize("lines, health, reasons", [
    ("health: okay\n", "healthy", ()),
    ("health: attention\n", "warning", ()),
    ("health: problem\n", "critical", ()),
    ("health: unknown\n", "unknown", ()),
    ("health:\n  level: 2\n  reasons:\n    - Under target\n    -\n", "warning", ("Under target",)),
    ("health: {level: 3, reasons: [On target]}\n", "healthy", ("On target",)),
    ("health: {level: 1, reasons: Late data}\n", "critical", ("Late data",)),
    ("health: {level: 0}\n", "unknown", ()),
    ("health: {level: -1, reasons: [Board material]}\n", "confidential", ("Board material",)),
])
def test_health_set_by_the_owner_in_words_or_the_handbooks_levels(base_site, lines, health, reasons):
    k, problems = kpi_of(base_site, lines + "source: HR\n")
    assert not problems
    assert (k.health.health, k.health.reasons) == (health, reasons)
    assert k.confidential == (health == "confidential")


@pytest.mark.parametrize("lines, line, message", [
    ("health: great\n", 4, "'health' must be okay, attention, problem or unknown"),
    ("health: {level: 7}\n", 4, "'health' must be okay, attention, problem or unknown"),
    ("health:\n  reasons: [x]\n", 4, "'health' has no level"),
    ("dashboard: bi.example.com/42\n", 4, "'dashboard' is not a web address: 'bi.example.com/42' does not start with https://"),
    ("dashboard:\n  - https://bi.example.com/1\n  - javascript:alert(1)\n", 6, "'dashboard' is not a web address"),
    ("dashboard: 'https://x.example.com/\"><script>alert(17)</script>'\n", 4,
     "'dashboard' is not a web address: 'https://x.example.com/\"><script>alert(17)</script>' contains '\"', which a web address cannot hold"),
    ("dashboard:\n  - https://bi.example.com/1\n  - https://bi.example.com/a b\n", 6, "'dashboard' is not a web address: 'https://bi.example.com/a b' contains a space"),
    ("dashboard: https:///reports/1\n", 4, "'dashboard' is not a web address: 'https:///reports/1' names no host"),
    ("confidential: maybe\n", 4, "'confidential' must be true or false"),
])
def test_wrong_health_dashboard_or_confidential_is_an_error_on_its_line(base_site, lines, line, message):
    _, problems = kpi_of(base_site, lines + "source: HR\n")
    assert [(d.severity, d.line) for d in problems] == [("error", line)] and problems[0].message.startswith(message), problems


def test_dashboard_and_confidential_are_known_keys_and_a_dashboard_says_where_the_numbers_are(base_site):
    k, problems = kpi_of(base_site, "dashboard: https://bi.example.com/d/1\nconfidential: true\n")
    assert not problems  # no unknown key, and no "the KPI has no source"
    assert (k.dashboard, k.confidential) == (("https://bi.example.com/d/1",), True)


# SPEC §14: confidential and private goals.


def objective_with(base_site, top: str = "", first: str = "", second: str = ""):
    write_files(base_site, {"content/objectives/secret.md": (
        "---\ntitle: Secret\nperiod: 2026-Q4\nowner: company\n" + top + "key_results:\n"
        "  - title: Seats\n    target: 40000\n" + first + "  - title: Logos\n    target: 12\n" + second + "---\n")})
    result = load_site(base_site)
    return result.site.objectives.get("secret"), [d for d in result.report.items if d.file == "content/objectives/secret.md"]


def test_a_confidential_objective_makes_all_its_key_results_confidential(base_site):
    o, problems = objective_with(base_site, "confidential: true\n")
    assert not problems and o.confidential and not o.private
    assert [kr.confidential for kr in o.key_results] == [True, True]


def test_a_key_result_can_be_confidential_on_its_own(base_site):
    o, problems = objective_with(base_site, second="    confidential: true\n")
    assert not problems and not o.confidential
    assert [kr.confidential for kr in o.key_results] == [False, True]


def test_a_private_objective(base_site):
    o, problems = objective_with(base_site, "private: true\n")
    assert not problems and (o.private, o.confidential) == (True, False)
    assert objective_with(base_site)[0].private is False


@pytest.mark.parametrize("top, first, line, message", [
    ("private: yes please\n", "", 5, "'private' must be true or false, not 'yes please'"),
    ("confidential: 1\n", "", 5, "'confidential' must be true or false, not 1"),
    ("", "    confidential: maybe\n", 8, "'confidential' must be true or false, not 'maybe'"),
])
def test_a_wrong_flag_is_an_error_on_its_line(base_site, top, first, line, message):
    _, problems = objective_with(base_site, top, first)
    assert [(d.severity, d.line, d.message, d.hint) for d in problems] == [("error", line, message, f"write {message.split(chr(39))[1]}: true")]


@pytest.mark.parametrize("top, first, line, message, hint", [
    ('private: "yes"\n', "", 5, "'private' must be true or false, not the text 'yes' (in quotes, it is text)", "write it without quotes: private: true"),
    ("", '    done: "false"\n', 8, "'done' must be true or false, not the text 'false' (in quotes, it is text)", "write it without quotes: done: false"),
    ("", "    done: 'Off'\n", 8, "'done' must be true or false, not the text 'Off' (in quotes, it is text)", "write it without quotes: done: false"),
])
def test_a_flag_written_in_quotes_is_said_to_be_text(base_site, top, first, line, message, hint):
    """QA AF: `done: "false"` said "'done' must be true or false, not 'false'", which reads as if false
    were refused: the quotes make it text."""
    _, problems = objective_with(base_site, top, first)
    assert [(d.severity, d.line, d.message, d.hint) for d in problems if "must be true or false" in d.message] == [("error", line, message, hint)]


def test_a_misspelt_secrecy_flag_is_an_error_that_says_what_would_be_published(base_site):
    """SPEC §14: `privat: true` or `confidental: true` hides nothing (okrsite does not read the key), so
    a public build would publish what it was meant to hide: an error, not an "unknown key" warning."""
    _, problems = objective_with(base_site, "privat: true\n", "    confidental: true\n", "    Confidential: yes\n")
    assert [(d.severity, d.line, d.message.split(":")[0]) for d in problems] == [
        ("error", 5, "unknown key 'privat' (did you mean 'private'?)"), ("error", 9, "unknown key 'confidental' (did you mean 'confidential'?)"),
        ("error", 12, "unknown key 'Confidential' (did you mean 'confidential'?)")]
    assert all("would publish what it was meant to hide" in d.message for d in problems)
    assert [d.hint.split(";")[0] for d in problems] == ["write 'private: true'", "write 'confidential: true'", "write 'confidential: true'"]


def test_a_misspelt_secrecy_flag_on_a_kpi_is_an_error_and_one_set_false_a_warning(base_site):
    kpi = load_site(write_files(base_site, {"content/kpis/cac.md": "---\ntitle: CAC\nowner: company\nsource: BI\nconfidental: true\n---\n",
                                             "content/kpis/nps.md": "---\ntitle: NPS\nowner: company\nsource: BI\nconfidental: false\n---\n"}))
    assert [(d.file, d.severity, d.line) for d in kpi.report.items if "confidental" in d.message] == [
        ("content/kpis/cac.md", "error", 5), ("content/kpis/nps.md", "warning", 5)]


def test_a_key_near_a_secrecy_key_that_does_not_say_yes_stays_an_unknown_key_warning(base_site):
    """`confidence: 0.7` (a score some teams keep) is some other key, not a misspelt `confidential:`."""
    _, problems = objective_with(base_site, "confidence: 0.7\n", "    confidental: no\n")
    assert [(d.severity, d.message) for d in problems] == [
        ("warning", "unknown key 'confidence'"), ("warning", "unknown key 'confidental'")]


UNREAD_SECRECY_FILES = {
    "content/notes/reorg.md": "---\ntitle: Reorg plan\nprivate: true\n---\nWe will close an office.\n",
    "content/teams/stealth.md": "---\ntitle: Stealth\nlead: Ann\nconfidential: yes\n---\n",
    "content/objectives/grow.md": ("---\ntitle: Grow\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - title: k\n    target: 100\n"
                                   "    history:\n      - {date: 2026-11-01, value: 41.73, confidential: true}\n---\n"),
    "content/kpis/churn.md": ("---\ntitle: Churn\nowner: company\nsource: BI\nhealth: {level: 2, reasons: [late], Private: true}\n"
                              "values:\n  - date: 2026-11-01\n    value: 61.29\n    private: true\n---\n"),
    "content/notes/meant.md": "---\ntitle: Meant\nperiod: 2026-Q4\nowner: company\nprivate: true\n---\n",
}


def test_a_secrecy_key_where_okrsite_does_not_read_it_is_an_error_that_says_the_public_site_would_show_it(base_site):
    """SPEC §14: `private: true` on a page, a team, a check-in, a KPI's value or its health hides nothing
    (only an objective can be private; numbers are hidden per key result or KPI), so a public build would
    publish what it was meant to hide: an error in every audience, at the key's line, saying where to set it."""
    result = load_site(write_files(base_site, UNREAD_SECRECY_FILES))
    found = sorted((d.file, d.line, d.message) for d in result.report.errors)
    assert found == [
        ("content/kpis/churn.md", 5, "okrsite does not read 'Private' in a KPI's health: the public site would show it"),
        ("content/kpis/churn.md", 9, "okrsite does not read 'private' on a KPI's value (an entry of 'values'): the public site would show it"),
        ("content/notes/meant.md", 5, "okrsite does not read 'private' on a plain page: the public site would show it"),
        ("content/notes/reorg.md", 3, "okrsite does not read 'private' on a plain page: the public site would show it"),
        ("content/objectives/grow.md", 9, "okrsite does not read 'confidential' on a check-in (an entry of 'history'): the public site would show it"),
        ("content/teams/stealth.md", 4, "okrsite does not read 'confidential' on a team: the public site would show it"),
    ]
    hints = {d.file + str(d.line): d.hint for d in result.report.errors}
    assert "write 'confidential: true' on the KPI" in hints["content/kpis/churn.md9"]
    assert "write 'confidential: true' on the key result" in hints["content/objectives/grow.md9"]
    assert all("remove the key" in hint for hint in hints.values())
    assert all("an objective ('private: true'" in hints[f] for f in ("content/notes/reorg.md3", "content/teams/stealth.md4"))


def test_a_secrecy_key_that_says_no_where_it_is_not_read_stays_an_unknown_key_warning(base_site):
    result = load_site(write_files(base_site, {"content/teams/stealth.md": "---\ntitle: Stealth\nprivate: false\n---\n",
                                               "content/notes/open.md": "---\ntitle: Open\nconfidential: no\n---\n"}))
    assert not result.report.errors
    assert sorted((d.file, d.message) for d in result.report.warnings if "unknown key" in d.message) == [
        ("content/notes/open.md", "unknown key 'confidential'"), ("content/teams/stealth.md", "unknown key 'private'")]


def test_a_key_result_that_takes_its_value_from_a_confidential_kpi_is_confidential(base_site):
    """A cross-file rule (goals/link.py): the KPI's numbers are the key result's."""
    mrr = (base_site / "content/kpis/mrr.md").read_text()
    write_files(base_site, {"content/kpis/mrr.md": mrr.replace("source: Billing export\n", "source: Billing export\nconfidential: true\n")})
    o, problems = objective_with(base_site, first="    kpi: mrr\n")
    assert not problems and not o.confidential
    assert [kr.confidential for kr in o.key_results] == [True, False]
    write_files(base_site, {"content/kpis/mrr.md": mrr})
    o, _ = objective_with(base_site, first="    kpi: mrr\n")
    assert [kr.confidential for kr in o.key_results] == [False, False]


def test_a_bare_yes_or_no_where_text_belongs_says_to_quote_it(base_site):
    """YAML 1.1 reads `title: no` or `tags: [on]` as true/false: the hint says so and how to write it,
    quoting the word as written on that line."""
    write_files(base_site, {"content/objectives/norway.md": (
        "---\ntitle: no\nperiod: 2026-Q4\nowner: company\ntags: [on, growth]\nkey_results:\n  - title: Yes\n    done: false\n"
        "  - {title: On, done: false}\n  - title: &word OFF\n    done: false\n  - title: *word\n    done: false\n---\n")})
    report = load_site(base_site).report
    problems = sorted((d.severity, d.line, d.message, d.hint) for d in report.items if d.file == "content/objectives/norway.md")
    quote = "YAML reads a bare yes, no, on, off, true or false as true/false: put "
    kr = "'title' must be what this key result measures, not true/false"
    assert problems == [
        ("error", 2, "'title' must be the objective in a few words, not true/false", quote + 'the text in quotes, e.g. title: "no"'),
        ("error", 5, "entry 1 of 'tags' must be a name or an id, not true/false", quote + 'such a name in quotes, e.g. tags: ["on", "no"]'),
        ("error", 7, kr, quote + 'the text in quotes, e.g. title: "Yes"'),
        ("error", 9, kr, quote + 'the text in quotes, e.g. title: "On"'),
        ("error", 10, kr, quote + 'the text in quotes, e.g. title: "OFF"'),
        ("error", 12, kr, quote + 'the text in quotes, e.g. title: "OFF"'),  # an alias: the word its anchor marks
    ]


@pytest.mark.parametrize("first, second, line, message", [
    ("    id: seats\n", "    id: seats\n", 11, "key result 2 has the id 'seats' of key result 1"),
    # review: a default id is on no line of the file, and was said as if written
    ("    id: secret-kr2\n", "", 9, "key result 2's default id 'secret-kr2' is the id of key result 1"),
    ("", "    id: secret-kr1\n", 10, "key result 2 has the id 'secret-kr1', the default id of key result 1"),
    ("    id: my seats\n", "", 8, "'id' must be a short name like grow-leads, not 'my seats'"),
])
def test_a_key_result_id_is_an_id_and_unique_in_its_objective(base_site, first, second, line, message):
    """A key result's id is its anchor on the page (#id) and how check-ins find it: two key results
    of one objective with one id, or an id with spaces, would break both."""
    _, problems = objective_with(base_site, first=first, second=second)
    assert [(d.severity, d.line, d.message) for d in problems] == [("error", line, message)]


@pytest.mark.parametrize("written", ["main", "krs", "retro", "burnup-title", "site-q", "recent", "related", "children", "burnup-desc",
                                     "spark-mrr-title", "guard-secret-kr1-desc"])
def test_a_key_result_id_the_objective_page_uses_for_its_own_part_is_a_warning_and_the_default_id(base_site, written):
    """`id: main` made two elements `id="main"` on the page (invalid HTML) and the "Skip to content"
    link, or a link to the key result, could land on the other one. A warning, not an error: a site
    that built before still builds (valid now), and `check --strict` says what to change."""
    objective, problems = objective_with(base_site, first=f"    id: {written}\n")
    assert [(d.severity, d.line, d.message) for d in problems] == [
        ("warning", 8, f"key result 1 cannot have the id '{written}': the objective's page uses it for its own part, "
                       f"so it gets the id '{objective.id}-kr1'")]
    assert objective.key_results[0].id == f"{objective.id}-kr1"
    assert f"id: {written}-kr" in problems[0].hint


@pytest.mark.parametrize("written", ["Main", "main-kr", "krs2", "spark-mrr", "guard-title", "summary", "chart"])
def test_a_key_result_id_like_but_not_one_of_the_page_s_own_is_fine(base_site, written):
    assert objective_with(base_site, first=f"    id: {written}\n")[1] == []


def test_an_estimates_start_is_ignored_with_a_warning(tmp_path):
    from okrsite.goals.repository import load_site
    from ..conftest import FIXTURES, compose_site, write_files
    root = write_files(compose_site(tmp_path / "s", FIXTURES / "base"), {"content/objectives/guess.md": (
        "---\ntitle: Guess\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - title: Feel better\n    progress: 0.4\n    start: 2\n---\n")})
    found = [(d.severity, d.file, d.line, d.message) for d in load_site(root).report.items]
    assert found == [("warning", "content/objectives/guess.md", 8, "'start' is ignored on an estimated key result ('progress:' gives its progress)")]


@pytest.mark.parametrize("written,message,hint", [
    ("0x10", "'target' is written 0x10, which YAML 1.1 reads as the hexadecimal number 16", "e.g. 16"),
    ("010", "'target' is written 010, which YAML 1.1 reads as the octal number 8", "write 10 without the leading zero"),
    ("0b11", "'target' is written 0b11, which YAML 1.1 reads as the binary number 3", "e.g. 3"),
])
def test_a_number_in_a_surprising_yaml_11_form_is_an_error_saying_what_yaml_made_of_it(tmp_path, written, message, hint):
    from okrsite.goals.repository import load_site
    from ..conftest import FIXTURES, compose_site, write_files
    root = write_files(compose_site(tmp_path / "s", FIXTURES / "base"), {"content/kpis/mrr.md": (
        f"---\ntitle: MRR\nowner: company\nsource: x\ntarget: {written}\n---\n")})
    [error] = load_site(root).report.errors
    assert (error.file, error.line) == ("content/kpis/mrr.md", 5)
    assert error.message.startswith(message) and hint in error.hint


def objective_written(tmp_path, front: str):
    """The base fixture site with grow-customer-base's front matter as written: its report and objective."""
    from okrsite.goals.repository import load_site
    from ..conftest import FIXTURES, compose_site, write_files
    root = write_files(compose_site(tmp_path / "s", FIXTURES / "base"), {"content/objectives/grow-customer-base.md": f"---\n{front}---\n"})
    loaded = load_site(root)
    return loaded.report, loaded.site.objectives.get("grow-customer-base")


def test_text_in_a_yaml_11_number_form_stays_as_written(tmp_path):
    """`title: 1:30` was the title '90', and `kpis: [010]` the id '8'."""
    report, o = objective_written(tmp_path, "title: 1:30\nperiod: 2026-Q4\nowner: company\ntags: [010, 0x1F, 1_000]\nkey_results:\n  - title: 0o17\n    target: 1_300\n")
    assert report.items == []
    assert (o.title, o.tags, o.key_results[0].title, o.key_results[0].target) == ("1:30", ("010", "0x1F", "1_000"), "0o17", 1300)


@pytest.mark.parametrize("written", ["3.10", "1e3", "1.50", "+1", "-0", ".inf", "-.Inf", ".NaN", "1_000", "1_000.5", "2026-10-01T10:00:00Z",
                                     "2026-10-01 10:00:00", "2026-1-5T9:00:00", "0.5", "42"])
def test_a_title_key_result_title_or_tag_that_yaml_reads_as_a_number_or_a_time_is_kept_as_written(tmp_path, written):
    """`title: 3.10` was the title '3.1', `1e3` '1000.0', a timestamp Python's '2026-10-01 10:00:00+00:00'."""
    report, o = objective_written(tmp_path, f"title: {written}\nperiod: 2026-Q4\nowner: company\ntags: [{written}, v{written}]\n"
                                            f"key_results:\n  - title: {written}\n    target: 10\n")
    assert report.errors == []
    assert (o.title, o.tags[0], o.key_results[0].title) == (written, written, written)


def test_a_tag_written_alone_as_a_number_is_kept_as_written(tmp_path):
    report, o = objective_written(tmp_path, "title: Grow\nperiod: 2026-Q4\nowner: company\ntags: 3.10\nkey_results:\n  - title: KR\n    target: 1e3\n    current: +1_0\n")
    assert report.errors == []
    assert (o.tags, o.key_results[0].target, o.key_results[0].current) == (("3.10",), 1000, 10)


def test_a_date_written_twice_in_values_or_history_is_a_warning_and_the_later_entry_counts(base_site):
    result = loaded(base_site,
                    "values:\n  - {date: 2026-10-01, value: 5}\n  - {date: 2026-10-01, value: 7}\n",
                    "    current: 9\n    history:\n      - {date: 2026-10-02, value: 3}\n      - {date: 2026-10-09, value: 4}\n      - {date: 2026-10-02, value: 6}\n")
    found = [(d.severity, d.file, d.line, d.message) for d in result.report.items]
    assert found == [
        ("warning", "content/kpis/arr.md", 8, "'values' has 2026-10-01 on line 7 too: this later entry's value counts"),
        ("warning", "content/objectives/grow.md", 12, "'history' has 2026-10-02 on line 10 too: this later entry's value counts"),
    ]
    assert [(p.date.isoformat(), p.value) for p in result.site.kpis["arr"].values] == [("2026-10-01", 7)]
    assert [(p.date.isoformat(), p.value) for p in result.site.objectives["grow"].key_results[0].history] == [("2026-10-02", 6), ("2026-10-09", 4)]


@pytest.mark.parametrize("kr_lines,line,message,hint", [
    ("    progress: 60%\n", 7, "'progress' must be a number, not '60%'", "write 0.6 for 60 %"),
    ("    target: 10\n    current: 1,5\n", 8, "'current' must be a number, not '1,5'", "write 1.5"),
    ("    target: 10\n    current: 1,500\n", 8, "'current' must be a number, not '1,500'", "write 1500, without the thousands separator"),
    ("    target: 40%\n    unit: \"%\"\n", 7, "'target' must be a number, not '40%'", "write the plain number 40 and the unit in unit: \"%\""),
    ("    target: 1.2k\n", 7, "'target' must be a number, not '1.2k'", "write every digit, 1200"),
    ("    keep_above: 40%\n", 7, "'keep_above' must be a number, not '40%'", "write the plain number 40 and the unit in unit: \"%\""),
    ("    target: 1 200\n", 7, "'target' must be a number, not '1 200'", "write 1200, without the thousands separator"),
    ("    target: 08\n", 7, "'target' must be a number, not '08'", "write 8 without the leading zero"),
    ("    target: $5000\n", 7, "'target' must be a number, not '$5000'", "write the plain number 5000 and the unit in unit: \"$\""),
])
def test_a_number_written_as_a_person_would_gets_a_hint_for_that_writing_and_one_error_only(base_site, kr_lines, line, message, hint):
    """'60%' as progress, a decimal comma, a unit after the number: the hint says what to write, and
    no second error ("has no target") is made of the same mistake."""
    write_files(base_site, {"content/objectives/guess.md": (
        "---\ntitle: Guess\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - title: Feel better\n" + kr_lines + "---\n")})
    found = [d for d in load_site(base_site).report.items if d.file == "content/objectives/guess.md"]
    assert [(d.severity, d.line, d.message) for d in found] == [("error", line, message)]
    assert hint in found[0].hint, found[0].hint


@pytest.mark.parametrize("front,line,message,hint", [
    ("titel: Grow\nperiod: 2026-Q4\nowner: company\n", 1, "missing required field 'title'", "line 2 has 'titel': write 'title'"),
    ("title: Grow\nperiode: 2026-Q4\nowner: company\n", 1, "missing required field 'period'", "line 3 has 'periode': write 'period'"),
    ("title: Grow\nperiod: 2026-Q4\nowners: company\n", 1, "missing required field 'owner'", "line 4 has 'owners': write 'owner'"),
    ("title: Grow\nperiod: 2026-Q4\nowner: company\n", 6, "missing required field 'title'", "line 6 has 'tilte': write 'title'"),
])
def test_a_required_key_written_misspelt_is_named_in_the_missing_fields_hint(base_site, front, line, message, hint):
    """'missing title' on line 1 and a warning about 'titel' elsewhere are one mistake: the error says where it is."""
    key_results = "key_results:\n  - tilte: Seats\n    target: 4\n" if "tilte" in hint else "key_results:\n  - title: Seats\n    target: 4\n"
    write_files(base_site, {"content/objectives/guess.md": "---\n" + front + key_results + "---\n"})
    errors = [d for d in load_site(base_site).report.errors if d.file == "content/objectives/guess.md"]
    assert [(d.line, d.message, d.hint) for d in errors] == [(line, message, hint)]


@pytest.mark.parametrize("written,line,message", [
    ("---\ntitle:\nperiod: 2026-Q4\nowner: company\n", 2, "'title' is empty"),
    ("---\ntitle: Grow\nperiod:\nowner: company\n", 3, "'period' is empty"),
    ("---\ntitle: Grow\nperiod: 2026-Q4\nowner:\n", 4, "'owner' is empty"),
])
def test_a_required_key_written_without_a_value_is_empty_at_its_own_line(base_site, written, line, message):
    """`title:` with nothing after it is no missing title at line 1: it is there, and empty."""
    write_files(base_site, {"content/objectives/guess.md": written + "key_results:\n  - title: Seats\n    target: 4\n---\n"})
    errors = [d for d in load_site(base_site).report.errors if d.file == "content/objectives/guess.md"]
    assert [(d.line, d.message) for d in errors] == [(line, message)]
    assert "after '" in errors[0].hint


@pytest.mark.parametrize("kr_lines,line,message", [
    ("  - title:\n    target: 4\n", 6, "'title' is empty"),
    ("  - title: Seats\n    target:\n", 7, "'target' of key result 1 is empty"),
    ("  - title: Seats\n    target: 4\n    history:\n      - {date: 2026-10-01, value: }\n", 9, "'value' is empty"),
])
def test_a_key_results_key_written_without_a_value_is_empty_at_its_own_line(base_site, kr_lines, line, message):
    write_files(base_site, {"content/objectives/guess.md": "---\ntitle: Grow\nperiod: 2026-Q4\nowner: company\nkey_results:\n" + kr_lines + "---\n"})
    errors = [d for d in load_site(base_site).report.errors if d.file == "content/objectives/guess.md"]
    assert [(d.line, d.message) for d in errors] == [(line, message)]


def test_a_key_result_without_a_target_still_has_its_kpi_and_owner_checked(base_site):
    """SPEC §7, all errors in one run: the key result's other errors are not left for the next run."""
    write_files(base_site, {"content/objectives/guess.md": (
        "---\ntitle: Grow\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - title: Leads\n    targt: 4500\n"
        "    kpi: lead-volum\n    owner: slaes\n  - title: Seats\n    target: lots\n    kpi: sets\n---\n")})
    errors = sorted((d.line, d.message) for d in load_site(base_site).report.errors if d.file == "content/objectives/guess.md")
    assert errors == [
        (6, "key result 1 has no target"), (8, "unknown KPI 'lead-volum'"), (9, "unknown team 'slaes'"),
        (11, "'target' must be a number, not 'lots'"), (12, "unknown KPI 'sets'")]


def test_a_key_result_whose_target_is_misspelt_has_no_target_and_the_hint_names_the_line(base_site):
    write_files(base_site, {"content/objectives/guess.md": (
        "---\ntitle: Grow\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - title: Seats\n    start: 40\n    targt: 70\n---\n")})
    errors = [d for d in load_site(base_site).report.errors if d.file == "content/objectives/guess.md"]
    assert [(d.line, d.message, d.hint) for d in errors] == [(6, "key result 1 has no target", "line 8 has 'targt': write 'target'")]


@pytest.mark.parametrize("written", ["0:30", "+0:30", "00:30"])
def test_a_time_yaml_11_keeps_as_text_is_a_number_error_not_a_crash(tmp_path, written):
    """YAML 1.1 reads 1:30 as 90 but 0:30 as text (its base-60 form starts with 1-9): no reading to name."""
    from okrsite.goals.repository import load_site
    from ..conftest import FIXTURES, compose_site, write_files
    root = write_files(compose_site(tmp_path / "s", FIXTURES / "base"), {"content/objectives/calls.md": (
        f"---\ntitle: Calls\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - title: Answer fast\n    start: 5\n    target: {written}\n---\n")})
    [error] = load_site(root).report.errors
    assert (error.file, error.line) == ("content/objectives/calls.md", 8)
    assert error.message == f"'target' must be a number, not '{written}'", error.message


def test_private_on_a_kpi_or_a_key_result_keeps_its_numbers_confidential_and_says_so(base_site):
    """Only an objective can be left out of the public site: `private: true` on a KPI or a key result was
    an unknown key (a warning) and the public site published its numbers. It now withholds them, as
    `confidential: true` does, and the warning says what stays public."""
    o, problems = objective_with(base_site, first="    private: true\n")
    assert [kr.confidential for kr in o.key_results] == [True, False] and not o.private
    assert [(d.severity, d.line, d.message) for d in problems] == [
        ("warning", 8, "only an objective can be private: this key result is confidential instead (its numbers stay off the public site, its title does not)")]
    assert "make its objective private" in problems[0].hint
    k, problems = kpi_of(base_site, "private: true\nsource: HR\nvalues:\n  - {date: 2026-10-31, value: 84}\n")
    assert k.confidential
    assert [(d.severity, d.line, d.message) for d in problems] == [
        ("warning", 4, "only an objective can be private: this KPI is confidential instead (its numbers stay off the public site, its title does not)")]
    k, problems = kpi_of(base_site, "private: false\nsource: HR\n")
    assert not k.confidential and [d.message for d in problems] == ["'private' is for objectives only: remove it"]


def test_a_number_too_large_says_so(base_site):
    write_files(base_site, {"data/huge.csv": "date,value\n2026-10-01,1e400\n2026-10-02,2e16\n"})
    result = loaded(base_site, "data: data/huge.csv\n", "    current: 1e308\n    start: " + "9" * 400 + "\n    target: " + "9" * 5000 + "\n")
    found = sorted((e.file, e.line, e.message, e.hint) for e in result.report.errors)
    hint = "okrsite reads numbers up to 1e15 (a million billions): count in a larger unit, e.g. millions"
    assert found == [
        ("content/objectives/grow.md", 8, "'current' is too large: 1e+308", hint),
        ("content/objectives/grow.md", 9, "'start' is too large: " + "9" * 60 + "…(400 characters)", hint),
        ("content/objectives/grow.md", 10, "'target' is too large: " + "9" * 60 + "…(5000 characters)", hint),  # more digits than Python reads
        ("data/huge.csv", 2, "value '1e400' is too large", hint),
        ("data/huge.csv", 3, "value '2e16' is too large", hint),
    ]


def test_a_csv_value_written_as_people_write_numbers_gets_the_same_hint_as_in_front_matter(base_site):
    write_files(base_site, {"data/arr.csv": 'date,value\n2026-10-01,"1,5"\n2026-10-02,"46,500"\n2026-10-03,40%\n2026-10-04,n/a\n'})
    result = loaded(base_site, "data: data/arr.csv\n")
    assert [(e.line, e.message, e.hint) for e in result.report.errors] == [
        (2, "value '1,5' is not a number", "write 1.5: okrsite reads '.' as the decimal point"),
        (3, "value '46,500' is not a number", "write 46500, without the thousands separator"),
        (4, "value '40%' is not a number", 'write the plain number 40 and the unit in unit: "%"'),
        (5, "value 'n/a' is not a number", "remove the row: 'n/a' is no value, and a date the file has no row for has no value; if the value is 0, write 0"),
    ]


def test_a_blank_value_or_date_in_a_csv_row_is_told_as_empty(base_site):
    """A BI export's month without a number ('2026-10-31,') was "value '' is not a number (write a plain
    number without quotes, ...)", and a blank date "bad date ''": neither said the cell is empty."""
    write_files(base_site, {"data/arr.csv": "date,value\n2026-09-30,5\n2026-10-31,\n,7\n2026-11-30,   \n"})
    result = loaded(base_site, "data: data/arr.csv\n")
    value = ("the value is empty", "fill in the number, or remove the row if there is none for that date")
    assert [(e.line, e.message, e.hint) for e in result.report.errors] == [
        (3, *value), (4, "the date is empty", "fill in the date, e.g. 2026-10-31, or remove the row if its value belongs to no date"), (5, *value)]


def test_an_invisible_character_in_a_csv_row_is_named(base_site):
    """QA DI 2: two Excel exports joined (`type sept.csv oct.csv > mrr.csv`) leave a byte-order mark at
    the start of a later line: "bad date '2026-10-31'" quoted a date that looks right. The U+FEFF (or a
    zero-width space in a value) is named, and how to fix it."""
    write_files(base_site, {"data/arr.csv": "\ufeffdate,value\r\n2026-09-30,5\r\n\ufeff2026-10-31,6\r\n2026-11-30,\u200b7\r\n"})
    result = loaded(base_site, "data: data/arr.csv\n")
    assert [(e.line, e.message, e.hint) for e in result.report.errors] == [
        (3, "bad date '\ufeff2026-10-31' in CSV row: it holds a byte-order mark (U+FEFF) at the start, which one cannot see",
         "retype the date as '2026-10-31': joining two files ('type a.csv b.csv > c.csv') or a tool that adds a byte-order mark to text that has one leaves a second one there"),
        (4, "value '\u200b7' is not a number", "it holds a zero-width space (U+200B) at the start, which one cannot see: retype it as 7")]


@pytest.mark.parametrize("csv, line, this, before", [
    ("date,value\r\n2026-09-30,5\r2026-10-31,6\n", 2, "a lone CR (old Mac OS)", "LF or CRLF"),
    ("date,value\r2026-09-30,5\r2026-10-31,6\n2026-11-30,7\r", 3, "LF or CRLF", "a lone CR (old Mac OS)"),
])
def test_a_csv_mixing_lone_crs_with_other_line_ends_is_warned_as_checkin_refuses_it(base_site, csv, line, this, before):
    """QA DI 4: check read such a CSV without a word, and `okrsite checkin` then refused it."""
    write_files(base_site, {"data/arr.csv": csv})
    result = loaded(base_site, "data: data/arr.csv\n")
    assert [(d.file, d.line, d.message) for d in result.report.warnings] == [
        ("data/arr.csv", line, f"the line ends with {this}, and the lines before it with {before}: 'okrsite checkin' cannot add a row to a CSV file that mixes them")]
    assert "one kind of line end" in result.report.warnings[0].hint and not result.report.errors


def test_a_csv_of_one_kind_of_line_end_is_no_warning(base_site):
    for csv in ("date,value\r2026-09-30,5\r", "date,value\r\n2026-09-30,5\r\n", "date,value\n2026-09-30,5\r\n"):
        write_files(base_site, {"data/arr.csv": csv})
        assert not loaded(base_site, "data: data/arr.csv\n").report.items


def test_each_bad_list_entry_is_reported_at_its_line_and_the_others_are_still_read(base_site):
    """SPEC §7, every error in one run: a plain string among the key results, a bare date in a
    history and an empty member are each one error at their own line; the other entries are read
    (and their own mistakes reported) as if the bad one were not there."""
    write_files(base_site, {
        "content/objectives/churn.md": (
            "---\ntitle: One bad entry\nperiod: 2026-Q4\nowner: company\nkey_results:\n"
            "  - Cut churn to 3%\n"                                   # 6
            "  - title: second\n    targt: 5\n"                       # 7, 8
            "  - title: third\n    target: 10\n    done: maybe\n"     # 9-11
            "  - title: fourth\n    target: 10\n    history:\n"       # 12-14
            "      - 2026-11-05\n"                                    # 15
            "      - {date: 2026-11-06, value: 4}\n"                  # 16
            "---\n"),
        "content/teams/sales.md": "---\ntitle: Sales\nparent: company\nmembers: [李伟, null, 42]\n---\n",
    })
    result = load_site(base_site)
    found = sorted((d.file, d.line, d.message, d.hint) for d in result.report.errors)
    assert found == [
        ("content/objectives/churn.md", 6, "key result 1 must be a set of keys, not the text 'Cut churn to 3%'",
         "each key result is a set of keys with a title: write '- title: Cut churn to 3%', then its target on the next line ('    target: ...')"),
        ("content/objectives/churn.md", 7, "key result 2 has no target", "line 8 has 'targt': write 'target'"),
        ("content/objectives/churn.md", 11, "'done' must be true or false, not 'maybe'", "write done: true or done: false"),
        ("content/objectives/churn.md", 15, "entry 1 of 'history' must be a set of keys, not the date 2026-11-05",
         "each entry of 'history' is a date and a value: write '- {date: 2026-11-05, value: ...}'"),
        ("content/teams/sales.md", 4, "entry 2 of 'members' must be a name or an id, not null (an empty value)",
         "write a name in its place, or remove it"),
    ]
    o = result.site.objectives["churn"]
    assert [kr.id for kr in o.key_results] == ["churn-kr3", "churn-kr4"]  # numbered as written ("second" has no target)
    assert [p.value for p in o.key_results[1].history] == [4]
    assert result.site.teams["sales"].members == ("李伟", "42")


@pytest.mark.parametrize("file, line, message", [
    ("content/objectives/o.md", "  - {title: x, target: 10, current: 2026-11-01}\n", "'current' must be a number, not the date 2026-11-01"),
    ("content/objectives/o.md", "  - {title: x, target: 10, current: 2026-11-01 10:30:00}\n", "'current' must be a number, not the date and time 2026-11-01 10:30:00"),
    ("content/objectives/o.md", "  - {title: x, target: 10, current: true}\n", "'current' must be a number, not true/false"),
    ("content/objectives/o.md", "  - {title: x, target: .nan, current: 1}\n", "'target' must be a number, not .nan"),
    ("content/objectives/o.md", "  - {title: x, target: [1, 2]}\n", "'target' must be a number, not a list [1, 2]"),
    ("content/objectives/o.md", "  - {title: x, target: -.inf}\n", "'target' is too large: -.inf"),
    ("content/objectives/o.md", "  - {title: x, done: 2026-11-01}\n", "'done' must be true or false, not the date 2026-11-01"),
    ("content/objectives/o.md", "  - {title: x, target: 3, history: [{date: [1], value: 2}]}\n", "'date' must be a date like 2026-10-07, not a list [1]"),
    ("content/objectives/o.md", "kind: [committed]\n", "'kind' must be one of committed, aspirational, not a list [committed]"),
    ("content/objectives/o.md", "private: 2026-11-01\n", "'private' must be true or false, not the date 2026-11-01"),
    ("content/objectives/o.md", "period: 2026-11-01\n", "period must be text like 2026-Q4, not the date 2026-11-01"),
    ("content/kpis/k.md", "health: [1, 2]\n", "'health' must be okay, attention, problem or unknown, or {level: 3|2|1|0|-1, reasons: [...]}, not a list [1, 2]"),
    ("content/kpis/k.md", "dashboard: {url: x}\n", "'dashboard' is not a web address: a set of keys {url: x} is not text"),
])
def test_a_message_shows_a_value_as_it_is_written_in_yaml_not_as_python_has_it(base_site, file, line, message):
    """'current: 2026-11-01' is "not the date 2026-11-01", never "not datetime.date(2026, 11, 1)"."""
    objective = "---\ntitle: O\nperiod: 2026-Q4\nowner: company\n{top}key_results:\n  - {{title: y, target: 5}}\n{kr}---\n"
    top, kr = ("", line) if line.startswith("  - ") else (line, "")
    write_files(base_site, {
        "content/objectives/o.md": objective.format(top=top if file.endswith("o.md") else "", kr=kr).replace("period: 2026-Q4\nperiod", "period"),
        "content/kpis/k.md": "---\ntitle: K\nowner: company\nsource: s\n" + (line if file.endswith("k.md") else "") + "---\n",
    })
    problems = [d.message for d in load_site(base_site).report.errors if d.file == file]
    assert any(p.startswith(message) for p in problems), problems
    assert not any("datetime" in p or "True" in p or "nan" in p.replace(".nan", "") or "[1, 2]" in p.replace("list [1, 2]", "") for p in problems)


PLAIN = "write a plain number without quotes, units or thousands separators, e.g. 1300"


@pytest.mark.parametrize("written, hint", [
    ("0x10", "0x10 is a hexadecimal number: write it in decimal digits, 16"),
    ("0XFF", "0XFF is a hexadecimal number: write it in decimal digits, 255"),
    ("0b11", "0b11 is a binary number: write it in decimal digits, 3"),
    ("0o17", "0o17 is an octal number: write it in decimal digits, 15"),
    ("5abc12", PLAIN), ("12x3", PLAIN), ("1e", PLAIN), ("3E", PLAIN), ("0xZZ", PLAIN), ("1.2.3", PLAIN), ("7 8", PLAIN),
    # units as before
    ("40%", 'write the plain number 40 and the unit in unit: "%"'), ("12 ms", 'write the plain number 12 and the unit in unit: "ms"'),
    ("5 m²", 'write the plain number 5 and the unit in unit: "m²"'), ("1.2k", "write every digit, 1200"),
    # thousands written with a space, a no-break space or an apostrophe; a leading zero; the currency first
    ("1 200", "write 1200, without the thousands separator"), ("12\u00a0500.5", "write 12500.5, without the thousands separator"),
    ("1'300'000", "write 1300000, without the thousands separator"), ("1 20", PLAIN), ("08", "write 8 without the leading zero"),
    ("€2,500", 'write the plain number 2500 and the unit in unit: "€"'), ("€4,5", 'write the plain number 4.5 and the unit in unit: "€"'),
    ("01234567", "write 1234567 without the leading zero"), ("-007.50", "write -7.50 without the leading zero"),
    # QA BA: a number in quotes, and a currency with a multiplier
    ("12", "in quotes, it is text: write value: 12 without quotes"), (" 4.5 ", "in quotes, it is text: write value: 4.5 without quotes"),
    ("$5k", 'write every digit, 5000, and the unit in unit: "$"'), ("€1.2M", 'write every digit, 1200000, and the unit in unit: "€"'),
    # QA BK: digits of another script are text to YAML, quoted or not: "in quotes" sent the author nowhere
    ("١٢٣", "write it in the digits 0-9, 123"), ("１２３", "write it in the digits 0-9, 123"),
    ("１,３００", "write it in the digits 0-9, 1,300; then write 1300, without the thousands separator"),
])
def test_a_number_hint_names_a_unit_only_for_what_looks_like_one(written, hint):
    """'0x10' is not the number 0 and the unit "x10": a hexadecimal (binary, octal) number gets its
    decimal digits, and text with digits after the number is no unit: the plain-number hint."""
    from okrsite.goals.parse import number_hint
    assert number_hint("value", written) == hint


def test_an_empty_period_is_empty_also_when_default_period_is_set(base_site):
    """`period:` left blank took default_period without a word (and the default_period notice then
    said the file had no `period:`)."""
    write_files(base_site, {"okrsite.toml": (base_site / "okrsite.toml").read_text() + 'default_period = "2026-Q4"\n',
                            "content/objectives/guess.md": "---\ntitle: Grow\nperiod:\nowner: company\nkey_results:\n  - title: Seats\n    target: 4\n---\n"})
    errors = [(d.line, d.message) for d in load_site(base_site).report.errors if d.file == "content/objectives/guess.md"]
    assert errors == [(3, "'period' is empty")]


DATA_KPI = "---\ntitle: Sales\nowner: company\nsource: BI\ndata: {path}\n---\n"


def kpi_with_data(site, path: str):
    write_files(site, {"content/kpis/revenue.md": DATA_KPI.format(path=path), "data/pub.csv": "date,value\n2026-11-01,45\n"})
    result = load_site(site)
    return result.site.kpis.get("revenue"), [(d.line, d.message) for d in result.report.errors]


@pytest.mark.parametrize("path", ["data/pub.csv", "./data/pub.csv", "data/../data/pub.csv", "data/sales/../pub.csv", "data\\sub\\..\\pub.csv"])
def test_a_data_path_with_dot_dot_steps_that_stay_inside_the_site_is_read(base_site, path):
    """SPEC §7 refuses a data: path outside the site root: '..' that goes back into it is inside."""
    kpi, errors = kpi_with_data(base_site, path)
    assert errors == []
    assert kpi.data == "data/pub.csv" and [p.value for p in kpi.values] == [45]


def test_a_data_path_written_with_backslashes_is_read_and_told_to_use_slashes(base_site):
    """QA DC: `data: data\\pub.csv` was read without a word, while a link so written leads nowhere."""
    kpi, errors = kpi_with_data(base_site, "data\\pub.csv")
    warnings = [(d.line, d.message, d.hint) for d in load_site(base_site).report.warnings if d.file == "content/kpis/revenue.md"]
    assert errors == [] and kpi.data == "data/pub.csv" and [p.value for p in kpi.values] == [45]
    assert warnings == [(5, "data path 'data\\pub.csv' is written with '\\' between folders (read as 'data/pub.csv')",
                         "write '/' between folders, as on every system: 'data/pub.csv'")]


@pytest.mark.parametrize("path", ["../secret.csv", "data/../../secret.csv", "data/../.."])
def test_a_data_path_whose_dot_dot_steps_leave_the_site_is_refused(base_site, path):
    (base_site.parent / "secret.csv").write_text("date,value\n2026-11-01,99\n")
    kpi, errors = kpi_with_data(base_site, path)
    assert errors == [(5, f"data path '{path}' leads outside the site root")]
    assert kpi.values == ()


def test_a_data_path_through_a_symbolic_link_out_of_the_site_is_refused(base_site, tmp_path):
    """As a body's link through a link out of content/ is refused (web/plan.py), a CSV file or folder
    under data/ that is a link out of the site is not read; one to a file inside the site is."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.csv").write_text("date,value\n2026-11-01,99\n")
    (base_site / "data").mkdir(exist_ok=True)
    (base_site / "data/secret.csv").symlink_to(outside / "secret.csv")
    (base_site / "data/out").symlink_to(outside)
    for path in ("data/secret.csv", "data/out/secret.csv", "data/out/../pub.csv"):
        kpi, errors = kpi_with_data(base_site, path)
        if path == "data/out/../pub.csv":  # read as written: data/pub.csv, never through the link
            assert errors == [] and [p.value for p in kpi.values] == [45]
        else:
            assert errors == [(5, f"data path '{path}' leads outside the site root through a symbolic link")] and kpi.values == ()
    (base_site / "shared.csv").write_text("date,value\n2026-11-01,7\n")
    (base_site / "data/inside.csv").symlink_to(base_site / "shared.csv")
    kpi, errors = kpi_with_data(base_site, "data/inside.csv")
    assert errors == [] and [p.value for p in kpi.values] == [7]


def test_a_secrecy_column_of_a_kpis_csv_file_is_an_error_once_per_column(base_site):
    """Columns after date,value are not read: a `confidential` column that says yes would hide nothing."""
    write_files(base_site, {"content/kpis/revenue.md": DATA_KPI.format(path="data/pub.csv"),
                            "data/pub.csv": "date,value,note,Confidential,private\n2026-10-01,44,x,no,false\n2026-11-01,45,y,yes,true\n2026-11-02,46,z,true,no\n"})
    result = load_site(base_site)
    assert sorted((d.file, d.line, d.message) for d in result.report.errors) == [
        ("data/pub.csv", 3, "okrsite does not read 'Confidential' in a KPI's CSV file (a column after date,value): the public site would show it"),
        ("data/pub.csv", 3, "okrsite does not read 'private' in a KPI's CSV file (a column after date,value): the public site would show it")]
    assert "write 'confidential: true' on the KPI" in result.report.errors[0].hint


@pytest.mark.parametrize("stored, written, said", [
    ("data/MRR.CSV", "data/mrr.csv", "Its name differs only in case"),
    ("data/" + unicodedata.normalize("NFD", "Umsätze.csv"), "data/Umsätze.csv", "Its name has the same letters stored in another Unicode form"),
], ids=["case", "nfd"])
def test_a_data_file_named_otherwise_only_in_case_or_unicode_form_is_the_one_suggested(base_site, stored, written, said):
    """Excel's MRR.CSV, or a name copied from a Mac (decomposed): the file meant, and how its name differs,
    not the nearest other file ('data/nps.csv') nor a name that looks the same as the one written."""
    write_files(base_site, {stored: "date,value\n2026-11-01,5\n", "data/nps.csv": "date,value\n2026-11-01,5\n"})
    result = loaded(base_site, f"data: {written}\n")
    [error] = result.report.errors
    assert error.message == f"data file '{written}' does not exist"
    assert error.hint.startswith(f"did you mean '{stored}'? {said}")


@pytest.mark.parametrize("written, hint", [
    ("data/revenu.csv", "did you mean 'data/revenue.csv'?"),
    ("data/missing.csv", "check the path; it is relative to the site root, e.g. data/mrr.csv"),
    ("data/2026/nps.csv", "did you mean 'data/nps.csv'?"),
])
def test_a_missing_data_file_suggests_only_a_file_whose_name_is_close(base_site, written, hint):
    """QA EI: every path shares 'data/' and '.csv', so 'data/missing.csv' was told "did you mean
    'data/nps.csv'?": files are compared by what their names differ in."""
    write_files(base_site, {f"data/{name}.csv": "date,value\n2026-11-01,5\n" for name in ("revenue", "churn", "nps", "latency")})
    [error] = loaded(base_site, f"data: {written}\n").report.errors
    assert (error.message, error.hint) == (f"data file '{written}' does not exist", hint)


def test_a_key_holding_an_invisible_character_names_it(base_site):
    """'ow<U+200B>ner' looks like 'owner': "line 4 has 'ow​ner': write 'owner'" gave no way to see why."""
    write_files(base_site, {"content/objectives/grow.md": OBJECTIVE.format(line="").replace("owner:", "ow\u200bner:")})
    items = sorted((d.severity, d.line, d.message, d.hint) for d in load_site(base_site).report.items if d.file == "content/objectives/grow.md")
    assert items == [
        ("error", 1, "missing required field 'owner'", "line 4 has 'ow\u200bner', which holds a zero-width space (U+200B) after 'ow': retype it as 'owner'"),
        ("warning", 4, "unknown key 'ow\u200bner': it holds a zero-width space (U+200B) after 'ow'", "retype it as 'owner'"),
    ]


# A plain page without `title:` (SPEC: "do what a user of MkDocs would expect").

def test_a_plain_page_without_a_title_takes_its_first_heading_else_its_file_name_with_its_capitals(base_site):
    write_files(base_site, {
        "content/handbook/FAQ.md": "# Frequently asked questions\n\nSome text.\n",
        "content/handbook/API.md": "No heading here.\n",
        "content/handbook/how-we-work.md": "Text first.\n\n# A heading further down\n",
        "content/handbook/Q4-OKR-guide.md": "---\n---\n",
        "content/handbook/titled.md": "---\ntitle: Written title\n---\n# Its own heading\n",
    })
    result = load_site(base_site)
    assert not result.report.items
    pages = {p.id: (p.title, p.heading) for p in result.site.pages.values()}
    assert pages == {"faq": ("Frequently asked questions", 0), "api": ("API", None), "how-we-work": ("How we work", None),
                     "q4-okr-guide": ("Q4 OKR guide", None), "titled": ("Written title", None)}
    assert result.site.pages["faq"].body == "\n\nSome text.\n"  # the heading is the page's title, not shown twice
    assert result.site.pages["titled"].body == "# Its own heading\n"


@pytest.mark.parametrize("path, link", [(".env", None), ("data/.secret.csv", None), ("data/env.csv", "../.env"), ("data/env.csv", "../.git/config")])
def test_a_data_path_to_a_hidden_file_written_or_through_a_link_is_refused(base_site, path, link):
    """A hidden file (`.env`, `.git/config`) is never read from the site: its values would be published as the KPI's."""
    write_files(base_site, {".env": "date,value\n2026-11-01,99\n", ".git/config": "date,value\n2026-11-01,98\n", "data/.secret.csv": "date,value\n2026-11-01,97\n"})
    if link:
        (base_site / path).symlink_to(link)
    kpi, errors = kpi_with_data(base_site, path)
    leads = link.removeprefix("../") if link else path
    assert errors == [(5, f"data path '{path}' leads to the hidden {leads}" + (" through a symbolic link" if link else ""))]
    assert kpi.values == ()


@pytest.mark.parametrize("key, hint", [("score", "write 0.5 for 50 %: a score is a grade from 0.0 to 1.0"),
                                       ("progress", "write 0.5 for 50 %: progress is a share from 0.0 to 1.0")])
def test_a_share_written_as_a_percentage_is_told_its_fraction(key, hint):
    """QA BJ: `score: 50%` was told "write the plain number 50", itself out of range (0.0-1.0)."""
    from okrsite.goals.parse import number_hint
    assert number_hint(key, "50%") == hint


def test_an_unknown_period_says_which_invisible_character_it_holds(base_site):
    """QA BS: "unknown period 'FY27-Q4​' (did you mean 'FY27-Q4'?)": the two looked the same."""
    write_files(base_site, {"okrsite.toml": (base_site / "okrsite.toml").read_text() + "[periods.FY27-Q4]\nstart = 2026-11-01\nend = 2027-01-31\n",
                            "content/objectives/zw.md": "---\ntitle: Z\nperiod: \"FY27-Q4\\u200B\"\nowner: company\nkey_results:\n  - title: A\n    target: 2\n---\n"})
    errors = [(d.line, d.message, d.hint) for d in load_site(base_site).report.errors if d.file == "content/objectives/zw.md"]
    assert errors == [(3, "unknown period 'FY27-Q4\u200b': it holds a zero-width space (U+200B) after 'FY27-Q4'", "did you mean 'FY27-Q4'?")]


def test_a_text_written_as_binary_data_is_an_error(base_site):
    """QA BS: `note: !!binary aGVsbG8=` was published as "b'hello'"."""
    write_files(base_site, {"content/kpis/bin.md": "---\ntitle: B\nowner: company\nsource: x\nvalues:\n  - {date: 2026-10-01, value: 1, note: !!binary aGVsbG8=}\n---\n"})
    errors = [(d.line, d.message) for d in load_site(base_site).report.errors if d.file == "content/kpis/bin.md"]
    assert errors == [(6, "'note' must be text, not binary data (!!binary)")]


@pytest.mark.parametrize("target, change", [("2 hours down", "down"), ("3 days faster", "faster"), ("10 percent decrease", "decrease"),
                                            ("5 incidents reduction", "reduction"), ("2x increase", "increase")])
def test_a_target_that_says_a_change_is_kept_as_words_with_a_notice_naming_the_word(base_site, target, change):
    """QA CW: "2 hours down" read as 2 with the unit "hours down" and higher is better: a KPI at 10 hours
    was healthy, without a word."""
    k, problems = kpi_of(base_site, f"target: {target}\nsource: HR\nvalues:\n  - {{date: 2026-11-01, value: 10}}\n")
    assert (k.target, k.target_text, k.unit, k.direction_given) == (None, target, None, False)
    assert [(d.severity, d.line, d.message) for d in problems] == [
        ("notice", 4, f"the target '{target}' is kept as words: no health is computed from the values")]
    assert problems[0].hint.startswith(f"'{change}' says a change, not the level to reach: write the level itself and one comparison, e.g. 'at most 10 days'")


@pytest.mark.parametrize("target", ["at least 4.5/5", "Above 95% for 3 consecutive months", "Target: above 95%", "< 2 days (down from 3)"])
def test_words_that_start_with_a_comparison_and_a_number_are_a_notice_too(base_site, target):
    """QA CW: only words starting with a number were told that no health is computed."""
    k, problems = kpi_of(base_site, f'target: "{target}"\nsource: HR\n')
    assert k.target is None and [(d.severity, d.line) for d in problems] == [("notice", 4)], problems
    assert kpi_of(base_site, "target: between 40 and 60\nsource: HR\n")[1] == []


def test_a_remark_in_parentheses_after_the_target_is_kept_as_written(base_site):
    k, problems = kpi_of(base_site, 'target: "< 2 days (median)"\nsource: HR\n')
    assert not problems
    assert (k.target, k.direction, k.target_inclusive, k.unit, k.target_text) == (2, "down", False, "days", "< 2 days (median)")


@pytest.mark.parametrize("lines, hint", [
    ('target: "< 2 days"\nthreshold: "48 hours"\n', "write threshold: 2, which is 48 hours in days, the unit of the target '< 2 days'"),
    ('target: 2\nunit: days\nthreshold: 36h\n', "write threshold: 1.5, which is 36 h in days, the unit of 'unit: days'"),
    ('target: "< 2 days"\nthreshold: "3 days"\n', "write threshold: 3 without the unit: it is read in days, the unit of the target '< 2 days'"),
    ('target: "at least 95%"\nthreshold: "2 hours"\n', "write the threshold as a plain number in %, the unit of the target 'at least 95%': "
                                                       "health compares it with values in %"),
    ('target: 2\nthreshold: "48 hours"\n', 'write the plain number 48 and the unit in unit: "hours"'),
])
def test_a_threshold_with_a_unit_gets_a_hint_in_the_kpis_unit(base_site, lines, hint):
    """QA CW: "48 hours" beside "< 2 days" was told to move hours into `unit:`, which has the target read
    as 2 hours."""
    _, problems = kpi_of(base_site, lines + "source: HR\n")
    assert [(d.severity, d.message.split(",")[0], d.hint) for d in problems] == [("error", "'threshold' must be a number", hint)]


@pytest.mark.parametrize("written, meant", [("biweekly", "monthly"), ("Fortnightly", "monthly"), ("bi-weekly", "monthly"), ("bimonthly", "quarterly")])
def test_a_frequency_between_two_is_told_the_one_that_keeps_it_fresh(base_site, written, meant):
    """QA CW: `frequency: biweekly` was asked "did you mean 'weekly'?", whose values go stale after 14
    days: a KPI measured every two weeks would be stale whenever a value is a day late."""
    _, problems = kpi_of(base_site, f"frequency: {written}\nsource: HR\n")
    assert [(d.severity, d.line, d.message) for d in problems] == [
        ("error", 4, f"'frequency' must be one of daily, weekly, monthly, quarterly, not '{written}'")]
    assert f"write '{meant}'" in problems[0].hint and "did you mean" not in problems[0].hint
    assert kpi_of(base_site, "frequency: weekley\nsource: HR\n")[1][0].hint == "did you mean 'weekly'?"


@pytest.mark.parametrize("rows, warned", [
    ("1180\n2026-10-31,1.234\n2026-11-30,1250", [(3, "value '1.234' is read as 1.234 ('.' is the decimal point), but the file's other values are "
                                                    "whole numbers from 1180 up: it may be 1234 written with a thousands separator",
                                                 "write 1234 if that is meant; if 1.234 is right, write it 1.2340 to say so")]),
    ("1180\n2026-10-31,1.234\n2026-11-30,1.250", [(3, "value '1.234' is read as 1.234 ('.' is the decimal point), but the file's other values are "
                                                      "whole numbers from 1180 up: it may be 1234 written with a thousands separator",
                                                   "write 1234 if that is meant; if 1.234 is right, write it 1.2340 to say so"),
                                                  (4, "value '1.250' is read as 1.250 ('.' is the decimal point), but the file's other values are "
                                                      "whole numbers from 1180 up: it may be 1250 written with a thousands separator",
                                                   "write 1250 if that is meant; if 1.250 is right, write it 1.2500 to say so")]),
    ("118\n2026-10-31,1.234\n2026-11-30,125", []),  # not a hundred times as large
    ("1180\n2026-10-31,1.234\n2026-11-30,1250.5", []),  # not all whole numbers
    ("1180\n2026-10-31,1.2345\n2026-11-30,1250", []),  # four decimals: no thousands separator
    ("1180\n2026-10-31,0.234\n2026-11-30,1250", []),
    ("2\n2026-10-31,1.234\n2026-11-30,3", []),
])
def test_a_csv_value_that_looks_like_thousands_among_whole_numbers_is_a_warning(base_site, rows, warned):
    """QA CW: "1.234" among 1180 and 1250 was read as 1.234 without a word. '.' stays the decimal point."""
    write_files(base_site, {"data/t.csv": f"date,value\n2026-09-30,{rows}\n"})
    k, _ = kpi_of(base_site, "source: HR\ndata: data/t.csv\n")
    problems = [d for d in load_site(base_site).report.items if d.file == "data/t.csv"]
    assert [(d.severity, d.line, d.message, d.hint) for d in problems] == [("warning", *each) for each in warned]
    assert [p.value for p in k.values][1] == float(rows.split("\n")[1].split(",")[1])


def test_a_level_whose_unit_holds_a_change_word_computes_health(base_site):
    """QA DA: "at most 4 drops" (dropped calls) was kept as words with health unknown after the CW fix."""
    k, problems = kpi_of(base_site, 'target: "at most 4 drops"\nsource: HR\nvalues:\n  - {date: 2026-11-01, value: 9}\n')
    assert not problems
    assert (k.target, k.direction, k.unit, k.direction_given) == (4, "down", "drops", True)


@pytest.mark.parametrize("target, hint", [
    ("(> 95%)", "write it without the parentheses, '> 95%': in parentheses it reads as a remark"),
    ("Above 95% for 3 consecutive months", "for a computed health the target is one comparison, a number and a unit of words without digits, "
                                           "and at most a remark in parentheses that does not compare ('< 2 days (median)'): say the rest in the "
                                           "KPI's title or text (see Targets in words on the KPIs page)"),
])
def test_words_kept_after_a_comparison_are_told_what_more_they_hold(base_site, target, hint):
    """QA DA: "(> 95%)" got no notice, and words that start with a comparison were told to write '99.9% or more'."""
    k, problems = kpi_of(base_site, f'target: "{target}"\nsource: HR\n')
    assert k.target is None and [(d.severity, d.line, d.hint) for d in problems] == [("notice", 4, hint)]


@pytest.mark.parametrize("target, threshold, hint", [
    ("€50k or more", "40k EUR", "write every digit, threshold: 40000: it is read in €, the KPI's unit, as the target is"),
    ("at least 1.2k users", "1k users", "write every digit, threshold: 1000: it is read in users, the KPI's unit, as the target is"),
    ("50000", "€40k", 'write every digit, threshold: 40000, and the unit in unit: "€"'),
])
def test_a_threshold_with_a_magnitude_is_told_every_digit_never_a_magnitude_in_unit(base_site, target, threshold, hint):
    """QA DA: "40k EUR" was told to write 40 and unit: "k EUR", which has a target of €50k read as 50."""
    _, problems = kpi_of(base_site, f'target: "{target}"\nthreshold: "{threshold}"\nsource: HR\n')
    assert [(d.severity, d.hint) for d in problems] == [("error", hint)]
    assert kpi_of(base_site, 'target: 50\nunit: k EUR\nthreshold: "40k EUR"\nsource: HR\n')[1][0].hint == "write threshold: 40: it is read in k EUR, the KPI's unit"


@pytest.mark.parametrize("written", ["bi weekly", "Bi-Weekly", "every  2 weeks"])
def test_a_fortnightly_frequency_is_told_monthly_however_it_is_spelt(base_site, written):
    _, problems = kpi_of(base_site, f"frequency: {written}\nsource: HR\n")
    assert "write 'monthly'" in problems[0].hint and "did you mean" not in problems[0].hint


@pytest.mark.parametrize("rows, among", [("-1180\n2026-10-31,-1.234\n2026-11-30,-1250", "whole numbers from -1180 down"),
                                         ("-1180\n2026-10-31,1.234\n2026-11-30,1250", "whole numbers of 1180 or more either side of 0")])
def test_the_thousands_warning_keeps_the_sign_of_the_files_values(base_site, rows, among):
    """QA DA: in a file of -1180 and -1250 the warning said "whole numbers from 1180 up"."""
    write_files(base_site, {"data/t.csv": f"date,value\n2026-09-30,{rows}\n"})
    kpi_of(base_site, "source: HR\ndata: data/t.csv\n")
    problems = [d for d in load_site(base_site).report.items if d.file == "data/t.csv"]
    assert [d.message.split("other values are ")[1].split(":")[0] for d in problems] == [among]


@pytest.mark.parametrize("written, hint", [("40k EUR", 'write every digit, 40000, and the unit in unit: "EUR"'),
                                           ("1.2k users", 'write every digit, 1200, and the unit in unit: "users"'),
                                           ("40 km", 'write the plain number 40 and the unit in unit: "km"')])
def test_a_number_hint_never_moves_a_magnitude_into_unit(written, hint):
    """QA DA: "40k EUR" was told to write 40 and unit: "k EUR", a unit that counts in thousands."""
    from okrsite.goals.parse import number_hint
    assert number_hint("current", written) == hint


# QA DR: '.' is the decimal point, so "at least 1.200" is 1.2; beside values a thousand times as large it is
# told at its line, as a CSV value of that shape is (one test for both: parse.thousands_among).

THOUSANDS_KPI = "---\ntitle: Active\nowner: company\nsource: BI\n{lines}data: data/active.csv\n---\n"


def thousands_warnings(base_site, lines: str, csv: str = "date,value\n2026-10-31,1100\n2026-11-30,1150\n") -> list[tuple]:
    write_files(base_site, {"content/kpis/active.md": THOUSANDS_KPI.format(lines=lines), "data/active.csv": csv})
    return [(d.file, d.line, d.message, d.hint) for d in load_site(base_site).report.warnings if "thousands separator" in d.message]


def test_a_target_in_words_written_with_a_thousands_separator_is_a_warning_at_its_line(base_site):
    assert thousands_warnings(base_site, "target: at least 1.200\n") == [(
        "content/kpis/active.md", 5, "the target 'at least 1.200' is read as 1.2 ('.' is the decimal point), but the values it is compared "
        "with are whole numbers from 1100 up: it may be 1200 written with a thousands separator",
        "write target: at least 1200 if that is meant: okrsite reads no thousands separator; if 1.2 is right, write it 1.2 to say so")]


def test_a_bare_target_and_threshold_so_written_are_warnings_too(base_site):
    found = thousands_warnings(base_site, "target: 1.200\nthreshold: 1.000\n")
    assert [(line, message.split(" is read")[0], hint.split(" if")[0]) for _, line, message, hint in found] == [
        (5, "target: 1.200", "write target: 1200"), (6, "threshold: 1.000", "write threshold: 1000")]


@pytest.mark.parametrize("lines,csv", [
    ("target: at least 1.200\n", "date,value\n2026-10-31,110\n"),  # not a hundred times as large
    ("target: at least 1.25\n", "date,value\n2026-10-31,1100\n"),  # not three digits after the point
    ("target: at least 1.200\n", "date,value\n2026-10-31,1100.5\n"),  # not whole
])
def test_a_target_not_among_values_far_larger_is_no_warning(base_site, lines, csv):
    assert thousands_warnings(base_site, lines, csv) == []


def test_a_csv_value_of_that_shape_keeps_its_warning(base_site):
    found = thousands_warnings(base_site, "target: 1000\n", "date,value\n2026-09-30,1180\n2026-10-31,1.234\n")
    assert found == [("data/active.csv", 3, "value '1.234' is read as 1.234 ('.' is the decimal point), but the file's other values are "
                      "whole numbers from 1180 up: it may be 1234 written with a thousands separator",
                      "write 1234 if that is meant; if 1.234 is right, write it 1.2340 to say so")]


def test_a_guardrail_line_written_with_a_thousands_separator_is_a_warning(base_site):
    write_files(base_site, {"content/objectives/hold.md": "---\ntitle: Hold\nperiod: 2026-Q4\nowner: company\nkey_results:\n"
                            "  - title: Active customers\n    keep_above: 1.200\n    current: 1150\n---\n"})
    [found] = [(d.line, d.message.split(" is read")[0]) for d in load_site(base_site).report.warnings if "thousands separator" in d.message]
    assert found == (7, "keep_above: 1.200")


def test_a_key_results_start_target_and_current_written_with_a_thousands_separator_are_warnings(base_site):
    """QA DU 3: `target: 1.200` beside `current: 450` was read as 1.2 (100 %, achieved) without a word,
    while the same file's keep_above: 1.000 got the warning. A start of 0 says nothing of the scale; two
    numbers of that shape are measured by the others (start: 1.000, target: 1.500, current: 1100)."""
    write_files(base_site, {"content/objectives/grow.md": "---\ntitle: Grow\nperiod: 2026-Q4\nowner: company\nkey_results:\n"
                            "  - {title: Signups, start: 0, target: 1.200, current: 450}\n"
                            "  - {title: Accounts, start: 1.000, target: 1.500, current: 1100}\n"
                            "  - {title: Orders, target: 2000, current: 1.150, history: [{date: 2026-10-05, value: 1020}]}\n"
                            "  - {title: Fine, start: 0, target: 1.250, current: 1.100}\n"
                            "  - {title: Share, start: 0, target: 12.3450, current: 12000}\n---\n"})
    found = [(d.line, d.message.split(" is read")[0], d.hint.split(" if that")[0]) for d in load_site(base_site).report.warnings if "thousands separator" in d.message]
    assert found == [(6, "target: 1.200", "write target: 1200"), (7, "start: 1.000", "write start: 1000"), (7, "target: 1.500", "write target: 1500"),
                     (8, "current: 1.150", "write current: 1150")]


@pytest.mark.parametrize("numbers", ["start: 0, target: 1.234, current: 1e308", "start: 1e308, target: 1.234, current: -1e308",
                                     "start: 0, target: 1.234, current: 123456789012345678901234567890123456789012345678901234567890"])
def test_the_thousands_warning_leaves_out_a_value_too_large_to_read(base_site, numbers):
    """QA DY 7: beside the error "'current' is too large", the warning compared the target with that value
    and printed it in 309 digits."""
    write_files(base_site, {"content/objectives/huge.md": f"---\ntitle: Huge\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - {{title: H, {numbers}}}\n---\n"})
    report = load_site(base_site).report
    assert [d for d in report.warnings if "thousands separator" in d.message] == []
    assert any("too large" in d.message for d in report.errors if d.file == "content/objectives/huge.md")


@pytest.mark.parametrize("target", ["should be above 5 users!", "must not exceed 5 per week (hard)!"])
def test_a_target_after_a_modal_verb_kept_as_words_is_told_so(base_site, target):
    """QA DY 5: "above 5 users!" was told it is kept as words with no health computed, "should be above 5 users!" not."""
    k, problems = kpi_of(base_site, f"target: \"{target}\"\nsource: HR\n")
    assert (k.target, k.target_text) == (None, target)
    assert [(d.severity, d.message) for d in problems] == [("notice", f"the target '{target}' is kept as words: no health is computed from the values")]


def test_the_thousands_hint_says_how_to_keep_the_number_so_that_the_warning_goes(base_site):
    """QA DU 7: "if 12.345 is right, write it 12.345" asked for what was written: the warning stayed."""
    [hint] = [d[3] for d in thousands_warnings(base_site, "target: 12.345\n", "date,value\n2026-10-31,12000\n")]
    assert hint.endswith("if 12.345 is right, write it 12.3450 to say so")
    assert thousands_warnings(base_site, "target: 12.3450\n", "date,value\n2026-10-31,12000\n") == []
    assert thousands_warnings(base_site, "target: at least 12.3450\n", "date,value\n2026-10-31,12000\n") == []


@pytest.mark.parametrize("target,hint", [("at least 1,5", "write 'at least 1.5': okrsite reads '.' as the decimal point"),
                                         ("> 4,5", "write '> 4.5': okrsite reads '.' as the decimal point")])
def test_a_target_with_a_decimal_comma_is_told_the_point(base_site, target, hint):
    write_files(base_site, {"content/kpis/active.md": f"---\ntitle: Active\nowner: company\nsource: BI\ntarget: \"{target}\"\n---\n"})
    [notice] = [d for d in load_site(base_site).report.items if d.file == "content/kpis/active.md"]
    assert (notice.severity, notice.line, notice.hint) == ("notice", 5, hint)


# QA DR: what BI tools and spreadsheets export, told what to write at the CSV file's line.

@pytest.mark.parametrize("row,message,hint", [
    ("2026-10-31,(120)", "value '(120)' is not a number", "write -120: a number in parentheses is an accountant's way to write a negative one"),
    ("2026-10-31,N/A", "value 'N/A' is not a number",
     "remove the row: 'N/A' is no value, and a date the file has no row for has no value; if the value is 0, write 0"),
    ("2026-10-31,#DIV/0!", "value '#DIV/0!' is not a number",
     "remove the row: '#DIV/0!' is a spreadsheet's error, no number, and a date the file has no row for has no value; if the value is 0, write 0"),
    ('2026-10-31,"€3,4 Mio."', "value '€3,4 Mio.' is not a number",
     "write every digit, 3400000, and the unit in unit: \"€\": okrsite reads plain numbers, no 'Mio.'"),
    ("2026-W44,5", "bad date '2026-W44' in CSV row: it is a week, not a day",
     "date a week's value by one of its days, the same one every week: its Monday, 2026-10-26, or, once the week has ended, its Sunday, 2026-11-01"),
    ("2026-11,5", "bad date '2026-11' in CSV row: it is a month, not a day",
     "date a month's value by its last day, 2026-11-30, as month-end exports do; a monthly KPI's value may be dated so before the month ends"),
    ("2026-11-01T00:00:00Z,5", "bad date '2026-11-01T00:00:00Z' in CSV row: it is a time of day in UTC, not a day",
     "write the day alone, 2026-11-01, as the export dates it: okrsite reads no times"),
    ("01/11/2026,5", "bad date '01/11/2026' in CSV row: it reads as two days: day/month or month/day",
     "write 2026-11-01 if it is day/month, as in Europe, or 2026-01-11 if month/day, as in the US"),
    ("13/11/2026,5", "bad date '13/11/2026' in CSV row: it is written with slashes", "write it as 2026-11-13"),
    ("46326,5", "bad date '46326' in CSV row: it is a spreadsheet's day number",
     "46326 is 2026-10-31: format the column as a date, YYYY-MM-DD, before exporting, or write 2026-10-31"),
])
def test_an_exported_value_or_date_is_told_what_to_write(base_site, row, message, hint):
    write_files(base_site, {"content/kpis/active.md": THOUSANDS_KPI.format(lines="target: 10\n"), "data/active.csv": f"date,value\n{row}\n"})
    assert [(d.file, d.line, d.message, d.hint) for d in load_site(base_site).report.errors] == [("data/active.csv", 2, message, hint)]
def test_a_noncharacter_or_a_nel_in_a_title_is_a_warning_at_its_line(base_site):
    """QA DN 4: `title: "Nonchar \\uFFFE \\uFFFF \\U0010FFFF"` reached every page (HTML forbids
    noncharacters) and "Next\\x85line" read "Nextline", both without a word from check."""
    write_files(base_site, {
        "content/objectives/nonchar.md": '---\ntitle: "Nonchar \\uFFFE \\uFFFF \\U0010FFFF"\nperiod: 2026-Q4\nowner: company\n'
                                         'key_results:\n  - title: "Seats \\uFDD0"\n    target: 4\n---\n',
        "content/objectives/nel.md": '---\ntitle: "Next\\x85line"\nperiod: 2026-Q4\nowner: company\nkey_results:\n  - title: Seats\n    target: 4\n---\n'})
    result = load_site(base_site)
    found = sorted((d.file, d.line, d.message, d.hint) for d in result.report.warnings if d.file in ("content/objectives/nonchar.md", "content/objectives/nel.md"))
    assert found == [
        ("content/objectives/nel.md", 2, "'title' holds a next-line character (NEL) (U+0085) after 'Next', which one cannot see: the pages read a NEL as a line break",
         "retype it as 'Next line'; if '…' was meant, write it: Windows-1252's '…' read as Latin-1 becomes a NEL"),
        ("content/objectives/nonchar.md", 2, "'title' holds a noncharacter (U+FFFE) after 'Nonchar ' (and 2 more such characters), which one cannot see: "
         "the pages leave noncharacters out, as HTML forbids them", "retype it as 'Nonchar'"),
        ("content/objectives/nonchar.md", 6, "'title' holds a noncharacter (U+FDD0) after 'Seats ', which one cannot see: "
         "the pages leave noncharacters out, as HTML forbids them", "retype it as 'Seats'"),
    ]
    assert result.site.objectives["nonchar"].title == "Nonchar" and result.site.objectives["nel"].title == "Next\nline"


# QA EE: a KPI no longer measured says so with `retired:` (docs/kpis.md#retiring-a-kpi).

def test_retired_is_the_day_a_kpi_stopped_being_measured(base_site):
    k, problems = kpi_of(base_site, "source: HR\nretired: 2026-04-03\n")
    assert not problems
    assert k.retired == date(2026, 4, 3)
    unretired, _ = kpi_of(base_site, "source: HR\n")
    assert unretired.retired is None


@pytest.mark.parametrize("written, message, hint", [
    ("true", "'retired' must be the day the KPI was retired, not true", "write the day it stopped, e.g. 'retired: 2026-04-03'"),
    ("yes", "'retired' must be the day the KPI was retired, not yes", "write the day it stopped, e.g. 'retired: 2026-04-03'"),
    ("", "'retired' must be the day the KPI was retired, not nothing", "write the day it stopped"),
    ("since April", "'retired' must be a date like 2026-04-03, not 'since April'", "write the day it stopped, e.g. 'retired: 2026-04-03'"),
    ("2026-02-30", "'retired' must be a date like 2026-04-03, not '2026-02-30': February 2026 has 28 days", "2026-02-28"),
])
def test_retired_that_is_no_day_is_an_error_at_its_line_asking_for_the_day(base_site, written, message, hint):
    k, problems = kpi_of(base_site, f"source: HR\nretired: {written}\n")
    assert [(d.severity, d.line, d.message) for d in problems] == [("error", 5, message)], problems
    assert hint in problems[0].hint and (k is None or k.retired is None)


@pytest.mark.parametrize("key, value, hint", [
    ("status", "retired", "write the day it stopped, e.g. 'retired: 2026-04-03'; see docs/kpis.md#retiring-a-kpi"),
    ("archived", "true", "write the day it stopped, e.g. 'retired: 2026-04-03'"),
    ("retire", "true", "write the day it stopped"),
    ("deprecated", "2026-04-01", "since then, write 'retired: 2026-04-01'"),
    ("Retired", "2026-04-01", "since then, write 'retired: 2026-04-01'"),
])
def test_a_key_that_means_retired_points_to_retired(base_site, key, value, hint):
    _, problems = kpi_of(base_site, f"source: HR\n{key}: {value}\n")
    assert [(d.severity, d.line, d.message) for d in problems] == [("warning", 5, f"unknown key '{key}'")], problems
    assert hint in problems[0].hint and "did you mean" not in problems[0].hint


def test_a_value_dated_after_the_kpi_was_retired_is_a_warning_at_retired(base_site):
    k, problems = kpi_of(base_site, "source: HR\nretired: 2025-10-03\nvalues:\n  - {date: 2025-08-31, value: 61}\n  - {date: 2026-08-31, value: 20}\n")
    assert [(d.severity, d.line, d.message) for d in problems] == [
        ("warning", 5, "the KPI was retired on 2025-10-03, but it has 1 value dated later, the first on 2026-08-31")]
    assert "remove 'retired:'" in problems[0].hint and k.retired == date(2025, 10, 3)


def test_a_unit_with_line_breaks_is_one_line_so_it_starts_no_line_of_a_digest(base_site):
    """QA EM: `unit: "customers\\n\\nStatus changes\\n\\n- ..."` wrote paragraphs and list items of its
    own into the digest's Markdown, Slack and email text."""
    result = loaded(base_site, 'unit: "ms\\n\\n- fake line\\u2028more"\n', '    unit: "customers\\n\\nStatus changes\\r\\n- Ship it: achieved"\n')
    assert result.site.kpis["arr"].unit == "ms - fake line more"
    assert result.site.objectives["grow"].key_results[0].unit == "customers Status changes - Ship it: achieved"


def test_a_kpis_health_reasons_keep_no_control_character_or_bidi_override(base_site):
    """QA EM: ESC, BEL and U+202E of a reason reached the KPI's page and okrs.json."""
    k, problems = kpi_of(base_site, 'health: {level: 1, reasons: ["reason \\e[2J\\e]0;PWNED\\a \\u202edesab-ton", "\\e\\u202e"]}\nsource: HR\n')
    assert not problems
    assert k.health.reasons == ("reason [2J]0;PWNED desab-ton",)


def test_a_retro_keeps_no_bidi_override(base_site):
    text = OBJECTIVE.format(line="").replace("period: 2026-Q4\n", 'period: 2026-Q4\nretro: "retro \\e[2J\\u202eXYZ\\n\\nsecond"\n')
    write_files(base_site, {"content/objectives/grow.md": text})
    assert load_site(base_site).site.objectives["grow"].retro == "retro [2JXYZ\n\nsecond"


def test_a_whole_number_too_large_for_a_float_beside_a_thousands_looking_one_is_no_crash():
    """Fuzz: `current:` of 300 digits beside `target: 1.200` raised OverflowError while looking for a
    thousands separator among the key result's numbers."""
    from okrsite.goals.parse import _finite_float

    assert _finite_float(10 ** 400) is None and _finite_float(1200) == 1200.0 and _finite_float(float("inf")) is None
