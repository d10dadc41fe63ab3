"""What to highlight on a workflow's picture: the keys of its boxes and arrows.

Graphviz gives every box of the picture a ``<title>`` holding the executor id, and every arrow
one holding ``tail->head``; `ClickableHTML` calls them ``node:writer`` and
``edge:writer->reviewer``. These functions say which keys stand for an executor and for the
route a message takes (through a fan-in's join, a route is two arrows).

    >>> executor_marks(workflow, "review")       # doctest: +SKIP
    ['node:review', 'edge:draft->review', 'edge:review->publish']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..viz.dot import layout_arrows, visible

if TYPE_CHECKING:
    from ..core.workflow import Workflow

NODE = "node:"
EDGE = "edge:"


def node_key(executor_id: str) -> str:
    """The key of an executor's box: ``node:writer``."""
    return NODE + visible(executor_id)


def executor_of(key: str, workflow: Workflow) -> str | None:
    """The executor whose box `key` names, or None (an arrow, a join, the start dot)."""
    if not key.startswith(NODE):
        return None
    name = key[len(NODE):]
    return next((executor_id for executor_id in workflow.executors if visible(executor_id) == name), None)


def executor_marks(workflow: Workflow, executor_id: str) -> list[str]:
    """The executor's box and every arrow into or out of it: the ways its messages take."""
    arrows = [
        _edge(arrow.tail, arrow.head)
        for arrow in layout_arrows(workflow).arrows
        if executor_id in (arrow.route or ()) or executor_id in (arrow.tail, arrow.head)
    ]
    return [node_key(executor_id), *dict.fromkeys(arrows)]


def route_marks(workflow: Workflow, source: str, target: str) -> list[str]:
    """The arrow(s) a message from `source` to `target` takes: one, or two through a join."""
    layout = layout_arrows(workflow)
    marks = []
    for arrow in layout.arrows:
        if arrow.route == (source, target):
            marks.append(_edge(arrow.tail, arrow.head))
            if arrow.head in layout.join_ends:  # on through the join to the target
                marks.append(_edge(arrow.head, target))
    return marks


def _edge(tail: str, head: str) -> str:
    return f"{EDGE}{visible(tail)}->{visible(head)}"
