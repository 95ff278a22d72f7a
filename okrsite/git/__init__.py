"""Git: the goals files' history, the check-ins it holds, what each commit changed, links to the repository host."""
