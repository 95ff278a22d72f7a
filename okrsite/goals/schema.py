"""Editors' view of the front matter, made from the validator's own declarations (parse.KEY_TYPES).

`okrsite schema` prints a JSON Schema (draft 2020-12) of objective, KPI and team front matter, and
`okrsite init` writes a Front Matter CMS configuration (frontmatter.json) so that VS Code shows forms.
The schema says what a file must hold to pass the type checks; what needs the whole site (an unknown
parent, a cycle, target == start) is left to `okrsite check`. Unknown keys are allowed, as the
validator only warns about them.
"""

from __future__ import annotations

from .model import ID_SHAPE
from .parse import KEY_TYPES, REQUIRED_KEYS

SCHEMA_ID = "https://okrsite.dev/schema/front-matter.json"
TOP_KINDS = ("objective", "kpi", "team")
_TEXT = {"type": ["string", "number"]}  # the validator takes a number as text (a year, a code)


def _value(spec: tuple) -> dict:
    kind = spec[0]
    if kind == "text":
        return dict(_TEXT)
    if kind == "number":
        number: dict = {"type": "number", "maximum": 1e15, "minimum": -1e15}
        if spec[1:] == ("above 0",):
            number["exclusiveMinimum"] = 0
        if spec[1:] == ("0 to 1",):
            number.update(minimum=0, maximum=1)
        return number
    if kind == "bool":
        return {"type": "boolean"}
    if kind == "date":
        return {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "description": "a date like 2026-10-07"}
    if kind == "id":
        return {"type": ["string", "integer"], "pattern": ID_SHAPE.pattern}
    if kind == "period":
        return {"type": ["string", "integer"], "description": "2026-Q4, 2026-H1, 2026, 2026-03, or a period named in okrsite.toml"}
    if kind == "ids":
        name = {"type": ["string", "number"]}  # a name YAML reads as a number is kept as written (goals/load.py)
        return {"oneOf": [name, {"type": "array", "items": name}]}
    if kind == "choice":
        return {"enum": list(spec[1])}
    if kind == "any":
        return {}
    if kind == "number or words":
        return {"anyOf": [_value(("number",)), dict(_TEXT)], "description": "a number, or words: 'at or above 84%', 'below 0.58', 'TBD'"}
    if kind == "health":
        return {"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "object"}],
                "description": "okay, attention, problem or unknown, or {level: 3|2|1|0|-1, reasons: [...]}"}
    if kind == "links":
        return {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}], "description": "http(s) addresses"}
    if kind == "entries":
        return {"type": "array", "items": {"$ref": f"#/$defs/{spec[1]}"}}
    raise ValueError(f"no schema for the key kind {kind!r}")


def _optional(schema: dict) -> dict:
    """An optional key may be left empty (`parent:`): YAML reads that as null and the validator skips it."""
    return {"anyOf": [schema, {"type": "null"}]}


def _object(kind: str) -> dict:
    required = REQUIRED_KEYS.get(kind, ())
    properties = {key: _value(spec) if key in required else _optional(_value(spec)) for key, spec in KEY_TYPES[kind].items()}
    schema: dict = {"type": "object", "properties": properties, "required": list(required)}
    if kind == "key_result":
        # a number to reach, a milestone (done: true/false), an estimate (progress) or a guardrail's line
        schema["anyOf"] = [{"required": ["target"], "properties": {"target": {"type": "number"}}},
                           {"required": ["done"], "properties": {"done": {"type": "boolean"}}},
                           {"required": ["progress"], "properties": {"progress": {"type": "number"}}},
                           {"required": ["keep_above"], "properties": {"keep_above": {"type": "number"}}},
                           {"required": ["keep_below"], "properties": {"keep_below": {"type": "number"}}}]
    return schema


def json_schema() -> dict:
    """One schema for every goals file: an objective, a KPI or a team (by its `type:`, else its shape)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "okrsite front matter",
        "description": "The front matter of an okrsite objective, KPI or team file (content/objectives, content/kpis, content/teams).",
        "$defs": {kind: _object(kind) for kind in KEY_TYPES},
        # A file's `type:` says which it is; without one (its folder says), it must be one of them.
        "allOf": [{"if": {"required": ["type"], "properties": {"type": {"const": kind}}}, "then": {"$ref": f"#/$defs/{kind}"}} for kind in TOP_KINDS],
        "anyOf": [{"$ref": f"#/$defs/{kind}"} for kind in TOP_KINDS],
    }


_FM_TYPES = {"text": "string", "number": "number", "bool": "boolean", "date": "datetime", "id": "string",
             "period": "string", "ids": "list", "any": "list", "choice": "choice", "entries": "block",
             "number or words": "string", "health": "string", "links": "list"}


def _fields(kind: str) -> list[dict]:
    fields = []
    for key, spec in KEY_TYPES[kind].items():
        if key == "type":
            continue
        field: dict = {"title": key.replace("_", " ").capitalize(), "name": key, "type": _FM_TYPES[spec[0]]}
        if spec[0] == "choice":
            field["choices"] = list(spec[1])
        if spec[0] == "entries":
            field["fieldGroup"] = spec[1]
        if spec[0] == "date":  # a day, as okrsite reads it: 2026-10-07 (the form's default would write a time too)
            field["isPublishDate"] = False
            field["dateFormat"] = "yyyy-MM-dd"
        if key in REQUIRED_KEYS.get(kind, ()):
            field["required"] = True
        fields.append(field)
    return fields


def frontmatter_config() -> dict:
    """Front Matter CMS (VS Code): a content type per kind, in its folder, with the keys as form fields."""
    folders = {"objective": "objectives", "kpi": "kpis", "team": "teams"}
    return {
        "$schema": "https://frontmatter.codes/frontmatter.schema.json",
        "frontMatter.framework.id": "other",
        "frontMatter.content.publicFolder": "",
        "frontMatter.content.pageFolders": [
            {"title": folder.capitalize() if kind != "kpi" else "KPIs", "path": f"[[workspace]]/content/{folder}", "contentTypes": [kind]}
            for kind, folder in folders.items()
        ],
        "frontMatter.taxonomy.contentTypes": [
            {"name": kind, "pageBundle": False, "previewPath": None, "fileType": "md", "fields": _fields(kind)} for kind in TOP_KINDS
        ],
        "frontMatter.taxonomy.fieldGroups": [{"id": kind, "labelField": "title" if kind == "key_result" else "date", "fields": _fields(kind)} for kind in ("key_result", "point")],
    }
