"""okrsite: a git repository of OKRs and KPIs in Markdown, published as a fast static site."""

__version__ = "0.1.0"
