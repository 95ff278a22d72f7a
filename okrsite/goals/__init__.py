"""Reading goals: files → front matter with every key's line → frozen dataclasses → a linked, validated Site."""
