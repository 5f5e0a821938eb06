"""Frozen records: the project's small immutable data classes, cheap to make.

`@record` is `@dataclass(frozen=True, slots=True)` with a quicker `__init__`. A frozen dataclass
sets each field with `object.__setattr__(self, name, value)` (its own `__setattr__` refuses), which
looks the name up again on every call: a 14-field unit took 1.2 µs to make, and a build at 2,000
pages per language makes about a million records (units and blocks where pages are read, again
where the main process receives them, links and views on every page). Here each field is set
through its slot's own descriptor, found once when the class is made: half the time. The records
stay frozen: assigning to a field still raises `FrozenInstanceError`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, TypeVar, cast, dataclass_transform

T = TypeVar("T", bound=type)


@dataclass_transform(frozen_default=True, field_specifiers=(field,))  # a dataclass, to type checkers
def record(cls: T) -> T:
    """A frozen, slotted dataclass whose `__init__` sets its slots directly (see the module's text).
    A class with a field that is not a plain argument (a default factory, `init=False`, keyword-only)
    or with `__post_init__` keeps the dataclass's own `__init__`."""
    made: Any = dataclass(frozen=True, slots=True)(cls)
    own = fields(made)
    if hasattr(made, "__post_init__") or any(
        one.default_factory is not MISSING or not one.init or one.kw_only for one in own
    ):
        return cast(T, made)
    made.__init__ = quick_init(
        made, [one.name for one in own], {one.name: one.default for one in own if one.default is not MISSING}
    )
    return cast(T, made)


def quick_init(cls: type, names: list[str], defaults: dict[str, Any]) -> Callable[..., None]:
    """`__init__(self, a, b=…)` that sets each slot through its descriptor's `__set__`."""
    slots = {name: next(vars(base)[name] for base in cls.__mro__ if name in vars(base)) for name in names}
    space: dict[str, Any] = {f"set_{name}": slot.__set__ for name, slot in slots.items()}  # a field of a base too
    space.update({f"default_{name}": value for name, value in defaults.items()})
    arguments = ", ".join(f"{name}=default_{name}" if name in defaults else name for name in names)
    body = "".join(f"    set_{name}(self, {name})\n" for name in names) or "    pass\n"
    exec(f"def __init__(self, {arguments}):\n{body}", space)  # code made from the field names alone
    init = space["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return cast(Callable[..., None], init)
