"""Numbers: progress, status, health and freshness as of a date. Pure functions, no I/O."""
