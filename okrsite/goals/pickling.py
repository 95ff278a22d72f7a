"""The model's frozen dataclasses pickled by their fields, through their constructors.

Pickled the default way, an object is taken by its ``__dict__``; CPython 3.11 keeps an object's
attributes without one until it is asked for, then keeps the dict it made for as long as the object
lives: about 60 bytes more for every object pickled once (the pages' digests pickle 240,000 of them at
10,000 objectives). By its fields, no dict is made, and an object unpickled is made by its constructor
(unpickled by its attributes, it would keep such a dict besides: a key result 300 bytes more).
"""

from __future__ import annotations

import copyreg
from dataclasses import fields, is_dataclass
from operator import attrgetter
from typing import Any, Callable


def by_fields(cls: type, names: tuple[str, ...]) -> Callable[[Any], tuple]:
    """The reducer of ``cls``: its fields ``names`` taken by one attrgetter, for its constructor."""
    fields_of = attrgetter(*names)
    if len(names) == 1:
        return lambda thing: (cls, (fields_of(thing),))
    return lambda thing: (cls, fields_of(thing))


def init_fields(cls: type) -> tuple[str, ...]:
    """The fields of a dataclass its constructor takes, in their order."""
    return tuple(f.name for f in fields(cls) if f.init)


class ByFields(dict):
    """A pickler's ``dispatch_table``: copyreg's and ``known``, and each frozen dataclass by its fields,
    its reducer made when the first object of its class is pickled; any other class the default way."""

    def __init__(self, known: dict | None = None) -> None:
        super().__init__({**copyreg.dispatch_table, **(known or {})})

    def __missing__(self, cls: type) -> Callable[[Any], Any]:
        frozen = is_dataclass(cls) and cls.__dataclass_params__.frozen
        reducer = by_fields(cls, init_fields(cls)) if frozen else _by_default
        self[cls] = reducer
        return reducer


def _by_default(thing: Any) -> Any:
    return thing.__reduce_ex__(5)
