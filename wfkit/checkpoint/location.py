"""`Location`: where a value sits inside a checkpoint, for the codec's error messages.

``shared_state['draft'].notes[2]`` tells a learner exactly which part of a saved value is the
problem. The codec walks a value level by level; a `Location` is how it remembers the path
cheaply on the way down, and writes it out only if an error needs it.
"""

from __future__ import annotations

from typing import Any


class Location:
    """Where a value sits inside the value being saved or read, for error messages.

    ``Location("shared_state").key("draft").field("notes").index(2)`` reads
    ``shared_state['draft'].notes[2]``. Each step keeps only its parent and its own part; the
    text is built only when an error message asks for it. Writing every location out on the
    way down would cost depth x key length memory: gigabytes for a deep value with long keys.
    """

    __slots__ = ("part", "step", "parent", "depth")

    def __init__(self, part: Any, step: str = "root", parent: Location | None = None) -> None:
        self.part = part
        self.step = step
        self.parent = parent
        self.depth: int = 0 if parent is None else parent.depth + 1

    def index(self, index: int) -> Location:
        """Item `index` of a list or tuple: ``where[2]``."""
        return Location(index, "index", self)

    def key(self, key: Any) -> Location:
        """The value under `key` in a dict: ``where['draft']``."""
        return Location(key, "key", self)

    def field(self, name: str) -> Location:
        """A field of a dataclass (or an Enum's value): ``where.notes``."""
        return Location(name, "field", self)

    def dict_key(self, key: Any) -> Location:
        """A dict key itself, when keys are not plain strings: ``where key (1, 2)``."""
        return Location(key, "dict key", self)

    def set_item(self) -> Location:
        """Some item of a set, which has no order to number it by: ``an item of where``."""
        return Location(None, "set item", self)

    def model_data(self) -> Location:
        """The data a pydantic model was dumped to: one level deeper, at the same place."""
        return Location(None, "model data", self)

    def __str__(self) -> str:
        steps: list[Location] = []
        location: Location | None = self
        while location is not None:
            steps.append(location)
            location = location.parent
        text = ""
        for step in reversed(steps):
            text = step._extend(text)
        return text

    def _extend(self, text: str) -> str:
        if self.step == "index":
            return f"{text}[{self.part}]"
        if self.step == "key":
            return f"{text}[{_short_repr(self.part)}]"
        if self.step == "field":
            return f"{text}.{self.part}"
        if self.step == "dict key":
            return f"{text} key {_short_repr(self.part)}"
        if self.step == "set item":
            return f"an item of {text}"
        if self.step == "model data":
            return text
        return str(self.part)  # the root: a name such as "shared_state['draft']"


def _short_repr(part: Any) -> str:
    # A 60 KB dict key would make a 60 KB error message per level: show its start only.
    text = repr(part)
    return text if len(text) <= 60 else f"{text[:50]}...{text[-1]}"
