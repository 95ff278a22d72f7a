"""Editors' view of the front matter, made from the validator's own declarations (parse.KEY_TYPES).

`okrsite schema` prints a JSON Schema (draft 2020-12) of objective, KPI and team front matter, and
`okrsite init` writes a Front Matter CMS configuration (frontmatter.json) so that VS Code shows forms.
The schema says what a file must hold to pass the type checks; what needs the whole site (an unknown
parent, a cycle, target == start) is left to `okrsite check`. Unknown keys are allowed, as the
validator only warns about them.
"""

from __future__ import annotations

from .load import KIND_WORDS, KPI_TOP_KEYS, TELLING_KEYS
from .model import ID_SHAPE
from .parse import GUARDRAIL_KEYS, KEY_TYPES, REQUIRED_KEYS
from .targets import HEALTH_FORMS, HEALTH_LEVELS, HEALTH_WORDS

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
        return _health()
    if kind == "links":
        return {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}], "description": "http(s) addresses"}
    if kind == "entries":
        return {"type": "array", "items": {"$ref": f"#/$defs/{spec[1]}"}}
    raise ValueError(f"no schema for the key kind {kind!r}")


def _health_level() -> dict:
    """A level as targets.health_level reads it: a word in any case, or 3..-1 as a number or as text."""
    words = "|".join("".join(f"[{c}{c.upper()}]" if c.isalpha() else c for c in word) for word in HEALTH_WORDS)
    numbers = "|".join(f"{'-' if level < 0 else ''}0*{abs(level)}" for level in HEALTH_LEVELS)
    return {"anyOf": [{"enum": list(HEALTH_LEVELS)}, {"type": "string", "pattern": rf"^\s*(?:{words}|{numbers})\s*$"}]}


def _health() -> dict:
    reason = {"not": {"type": ["object", "array"]}}
    level = {"type": "object", "required": ["level"],
             "properties": {"level": _health_level(), "reasons": {"anyOf": [reason, {"type": "array", "items": reason}]}}}
    return {"anyOf": [_health_level(), level], "description": HEALTH_FORMS}


def _guardrail_alone() -> dict:
    """SPEC §12: a guardrail has one line, keep_above or keep_below, and no target, done or progress."""
    others = ("target", "done", "progress")
    return {key: {"not": {"anyOf": [{"required": [other]} for other in (*others, *(k for k in GUARDRAIL_KEYS if k != key))]}}
            for key in GUARDRAIL_KEYS}


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
        schema["dependentSchemas"] = _guardrail_alone()
    return schema


def _any_of(keys: tuple[str, ...]) -> dict:
    return {"anyOf": [{"required": [key]} for key in keys]}


def _none_of(keys: tuple[str, ...]) -> dict:
    return {"not": _any_of(keys)}


def _told(kind: str) -> dict:
    """A file without 'type:' whose keys tell ``kind`` (load.telling_keys): one of its own keys, and for a
    KPI its top-level target or unit when no key says objective."""
    told = _any_of(TELLING_KEYS[kind])
    if kind == "kpi":
        told = {"anyOf": [told, {"allOf": [_any_of(KPI_TOP_KEYS), _none_of((*TELLING_KEYS["objective"], "parent"))]}]}
    return {"description": f"keys that only {KIND_WORDS[kind][0]} has", **told}


def _telling_defs() -> dict:
    told = {f"keys_of_{kind}": _told(kind) for kind in TOP_KINDS}
    told["keys_of_no_kind"] = {"description": "no 'type:' and no key that tells a kind: only the file's folder says which it is",
                               "not": {"anyOf": [{"required": ["type"]}, *({"$ref": f"#/$defs/{name}"} for name in told)]}}
    return told


def _kind_by_keys(kind: str) -> dict:
    """Valid as ``kind`` when its `type:` says so, its keys tell it, or no key tells any kind (its folder does)."""
    said = {"anyOf": [{"required": ["type"]}, {"$ref": f"#/$defs/keys_of_{kind}"}, {"$ref": "#/$defs/keys_of_no_kind"}]}
    return {"allOf": [{"$ref": f"#/$defs/{kind}"}, said]}


def json_schema() -> dict:
    """One schema for every goals file: an objective, a KPI or a team (by its `type:`, else its shape)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "okrsite front matter",
        "description": "The front matter of an okrsite objective, KPI or team file (content/objectives, content/kpis, content/teams).",
        "$defs": {**{kind: _object(kind) for kind in KEY_TYPES}, **_telling_defs()},
        # A file's `type:` says which it is; without one, the keys that tell a kind (a KPI's `direction:`, an
        # objective's `key_results:`) do; with none of them (its folder says), it must be one of the kinds.
        "allOf": [{"if": {"required": ["type"], "properties": {"type": {"const": kind}}}, "then": {"$ref": f"#/$defs/{kind}"}} for kind in TOP_KINDS],
        "anyOf": [_kind_by_keys(kind) for kind in TOP_KINDS],
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
