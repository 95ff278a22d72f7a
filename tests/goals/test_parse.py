"""Front matter to model: the keys added for how numbers are written."""

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
