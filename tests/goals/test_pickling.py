"""Model values pickled by their fields (goals/pickling.py): the pages' digests and the build cache."""

from __future__ import annotations

import gc
import io
import pickle
from dataclasses import dataclass, field
from datetime import date

from okrsite.goals.model import DataPoint
from okrsite.goals.pickling import ByFields


@dataclass(frozen=True)
class Shown:
    title: str
    value: float
    derived: str = field(default="", init=False)

    def __reduce_ex__(self, protocol):  # the default way: what ByFields must not take
        raise AssertionError("pickled by its __dict__")


@dataclass
class Loose:
    title: str


def pickled(value) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.dispatch_table = ByFields()
    pickler.dump(value)
    return buffer.getvalue()


def test_a_frozen_dataclass_is_pickled_by_the_fields_its_constructor_takes():
    assert ByFields()[Shown](Shown("Grow", 2.0)) == (Shown, ("Grow", 2.0))
    assert pickle.loads(pickled([Shown("Grow", 2.0), date(2026, 10, 1)])) == [Shown("Grow", 2.0), date(2026, 10, 1)]


def test_equal_values_pickle_the_same_and_other_values_or_classes_do_not():
    point = DataPoint(date(2026, 10, 1), 5.0, "note", source="git", commit="abc1234", author="Ann")
    again = DataPoint(date(2026, 10, 1), 5.0, "note", source="git", commit="abc1234", author="Ann")
    assert pickled(point) == pickled(again)
    assert pickled(point) != pickled(DataPoint(date(2026, 10, 1), 5.0, "note", source="git", commit="abc1235", author="Ann"))
    assert pickled(Shown("Grow", 5.0)) != pickled(Loose("Grow"))


def test_pickling_by_fields_leaves_no_dict_on_the_object():
    """Python 3.11 keeps an object's attributes without a dict until one is asked for; the default
    reduction asks for it, and the object keeps it: about 60 bytes for each one digested."""
    point = DataPoint(date(2026, 10, 1), 5.0, "note", source="git", commit="abc1234", author="Ann")
    pickled(point)
    assert not any(isinstance(referent, dict) for referent in gc.get_referents(point))


def test_other_classes_are_pickled_the_default_way():
    assert pickle.loads(pickled(Loose("Grow"))) == Loose("Grow")
    assert ByFields()[date](date(2026, 10, 1)) == date(2026, 10, 1).__reduce_ex__(5)
