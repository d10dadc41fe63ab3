"""Draw a workflow as a Mermaid flowchart, for places without Graphviz.

JupyterLab 4, GitHub and many Markdown viewers draw a ```` ```mermaid ```` block themselves,
so this drawing needs no program installed. It shows the same arrows and reliability notes
as the DOT drawing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .dot import answer_takers, layout_arrows, policy_note, visible

if TYPE_CHECKING:
    from ..core.workflow import Workflow

# Characters that mean something inside a quoted Mermaid label, written as Mermaid's
# `#code;` entities so they show as themselves.
_MERMAID_ESCAPES = {'"': "#quot;", "#": "#35;", "&": "#amp;", "<": "#lt;", ">": "#gt;", "`": "#96;"}


def workflow_to_mermaid(workflow: Workflow, include_internal_executors: bool = False) -> str:
    """The workflow's graph as Mermaid ``flowchart TD`` text.

    Executor ids can hold any character, so each node gets a plain Mermaid id (``n0``,
    ``n1``, ...) and the real id is shown in its label. Conditional arrows are dashed
    (``-.->``), a fan-in goes through a small "all" node, and the start executor has a thick
    border. Like the DOT drawing, a node notes its reliability settings (retries, timeout, undo
    step) under its class. `include_internal_executors` adds an "outside the run" node with a
    dotted arrow to each executor that takes answers, as in `workflow_to_dot`::

        print(workflow.to_mermaid())
    """
    layout = layout_arrows(workflow)
    # Executor ids go first and joins after, so the numbering is the same on every call.
    node_ids = {executor_id: f"n{index}" for index, executor_id in enumerate(layout.executors)}
    node_ids.update({join: f"j{index}" for index, join in enumerate(layout.joins)})

    lines = ["flowchart TD"]
    for executor_id, executor in workflow.executors.items():
        label = f"{escape(executor_id)}<br/><small>{escape(type(executor).__name__)}</small>"
        note = policy_note(workflow, executor_id)
        if note:
            label += f"<br/><small><i>{escape(note)}</i></small>"
        lines.append(f'    {node_ids[executor_id]}("{label}")')
    for join in layout.joins:
        lines.append(f'    {node_ids[join]}(("all"))')
    for arrow in layout.arrows:
        line = "-.->" if arrow.dashed else "-->"
        text = f'|"{escape(arrow.label)}"|' if arrow.label else ""
        lines.append(f"    {node_ids[arrow.tail]} {line}{text} {node_ids[arrow.head]}")
    takers = answer_takers(workflow) if include_internal_executors else []
    if takers:
        lines.append('    outside(["outside the run"])')
        lines += [f'    outside -.->|"answers"| {node_ids[taker]}' for taker in takers]
    lines.append("    classDef start stroke-width:4px")
    lines.append(f"    class {node_ids[layout.start]} start")
    return "\n".join(lines) + "\n"


def escape(text: str) -> str:
    """`text` made safe inside a quoted Mermaid label: ``say "hi"`` becomes ``say #quot;hi#quot;``.

    Control characters are written out first (`visible`): a tab or ``\\x01`` shows as itself.
    """
    return "".join(_MERMAID_ESCAPES.get(char, char) for char in visible(text))
