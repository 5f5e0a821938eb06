"""@record: a frozen, slotted dataclass made by a quicker __init__ that must behave as the dataclass's own."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from bireview.build.links import Link
from bireview.model.pages import Words
from bireview.records import record


@record
class Base:
    name: str
    count: int = 2


@record
class Derived(Base):
    note: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True, slots=True)
class Plain:
    name: str
    count: int = 2
    note: tuple[str, ...] = ()


@pytest.mark.parametrize("arguments", [("a",), ("a", 5), ("a", 5, ("x",))])
def test_a_record_is_made_as_the_dataclass_is(arguments: tuple[object, ...]) -> None:
    made, plain = Derived(*arguments), Plain(*arguments)  # type: ignore[arg-type]
    assert dataclasses.astuple(made) == dataclasses.astuple(plain)
    assert repr(made) == repr(plain).replace("Plain", "Derived")
    assert made == Derived(*arguments) and hash(made) == hash(Derived(*arguments))  # type: ignore[arg-type]
    assert Derived.__init__ is not Plain.__init__ and "set_name" in Derived.__init__.__code__.co_names


def test_a_record_stays_frozen_and_travels() -> None:
    link = Link("Rheumatoid arthritis", "../ra/index.html", "en")
    with pytest.raises(dataclasses.FrozenInstanceError):
        link.label = "changed"  # type: ignore[misc]
    assert dataclasses.replace(link, current=True) == Link("Rheumatoid arthritis", "../ra/index.html", "en", True)
    words = Words("a\x00b", (1, 0), (("key", False),))
    assert pickle.loads(pickle.dumps(words)) == words and pickle.loads(pickle.dumps(link)) == link
    with pytest.raises(TypeError):
        Link("only a label")  # type: ignore[call-arg]


def test_a_record_with_a_default_factory_keeps_the_dataclass_init() -> None:
    @record
    class Notes:
        text: dict[str, str] = dataclasses.field(default_factory=dict)

    assert Notes().text == {} and Notes().text is not Notes().text
