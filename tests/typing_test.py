"""pushguard._typing.NamedTuple behaves as typing.NamedTuple does for the records."""
from __future__ import annotations

import pickle
import typing

import pytest

from pushguard._typing import NamedTuple
from pushguard.model import Finding, Severity


class Point(NamedTuple):
    """A point on the plane."""

    x: int
    y: int = 0
    label: str | None = None

    @property
    def norm1(self) -> int:
        return abs(self.x) + abs(self.y)

    def moved(self, dx: int) -> Point:
        return self._replace(x=self.x + dx)


class TypingPoint(typing.NamedTuple):
    x: int
    y: int = 0
    label: str | None = None


def test_fields_defaults_and_tuple_behaviour_match_typing():
    assert Point._fields == TypingPoint._fields == ('x', 'y', 'label')
    assert Point._field_defaults == TypingPoint._field_defaults
    assert Point(1) == TypingPoint(1) == (1, 0, None)
    assert isinstance(Point(1), tuple)
    assert hash(Point(1, 2)) == hash((1, 2, None))
    assert repr(Point(1, 2)) == "Point(x=1, y=2, label=None)"


def test_methods_properties_and_docstring_are_kept():
    assert Point(3, -4).norm1 == 7
    assert Point(1).moved(2) == Point(3)
    assert Point.__doc__ == 'A point on the plane.'
    assert Point.__qualname__ == 'Point'


def test_a_field_without_default_after_one_with_is_refused():
    with pytest.raises(TypeError):
        class Bad(NamedTuple):
            a: int = 0
            b: int


def test_records_survive_pickle():
    finding = Finding('jira-ticket', Severity.ERROR, 'no key', fix='add it', line=1)
    assert pickle.loads(pickle.dumps(finding)) == finding
