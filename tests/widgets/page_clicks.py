"""What the page sends the kernel when a learner clicks or presses a key on a `ClickableHTML`.

The widget's JavaScript sends a custom comm message, ``{"picked": key}`` or ``{"key": key}``;
these helpers hand the widget exactly that message, as ipywidgets delivers it from the page, so
a test goes through the same path a click does.
"""

from __future__ import annotations

from wfkit.widgets.clickable import ClickableHTML


def click(widget: ClickableHTML, key: str) -> None:
    """A click on the element whose key is `key` (``"node:writer"``, ``"line:3"``)."""
    widget._handle_msg({"content": {"data": {"method": "custom", "content": {"picked": key}}}, "buffers": []})


def press(widget: ClickableHTML, key: str) -> None:
    """`key` pressed while the widget has the focus (``"ArrowRight"``, ``"Enter"``)."""
    widget._handle_msg({"content": {"data": {"method": "custom", "content": {"key": key}}}, "buffers": []})
