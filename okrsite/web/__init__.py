"""The website: pages rendered with Jinja2 and Markdown, charts, okrs.json, and the atomic write of the output folder."""
