"""Draw a workflow as Graphviz DOT text.

Drawing happens in two steps. `layout_arrows` turns the workflow's edge groups into a plain
list of arrows (fan-in groups get a small *join* node in the middle); `workflow_to_dot` then
writes those arrows in the DOT language. The Mermaid drawing reuses the same arrows, so both
pictures always agree.

    >>> print(workflow_to_dot(workflow))          # doctest: +SKIP
    digraph "workflow" {
      ...
      "writer" -> "reviewer" [style=dashed, label="is_draft_ready"];
    }
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Mapping

from .marks import DELIVERED, EdgeMark

if TYPE_CHECKING:
    from ..core.workflow import Workflow
    from ..history.statuses import Status

# Fill and border colour for each status an executor can have (`wfkit.history.statuses` says
# which one it has: the live graph and the run explorer both draw with these).
STATE_COLOURS: dict[Status, tuple[str, str]] = {
    "idle": ("white", "black"),
    "running": ("#fde68a", "#d97706"),  # amber
    "waiting": ("#ddd6fe", "#7c3aed"),  # violet: paused for a human answer
    "done": ("#bbf7d0", "#16a34a"),  # green
    "failed": ("#fecaca", "#dc2626"),  # red
}

# Type sizes in points. A live view may show the picture down to 3/4 of its natural size
# (`wfkit.viz.readability`), and a point is 4/3 of a CSS pixel, so 12 pt stays 12 px on screen:
# the smallest size a learner reads without effort. The class line is told apart by its grey.
TITLE_POINTS = 14
SMALL_POINTS = 12
SMALL_COLOUR = "#475569"


@dataclass(frozen=True)
class Arrow:
    """One arrow of the drawing, from node `tail` to node `head`.

    `route` is the (source executor, target executor) pair whose messages travel along this
    arrow; message counts are looked up by it. The arrow from a join node to its target has no
    route of its own: its messages were already counted on the way in.
    """

    tail: str
    head: str
    label: str = ""
    dashed: bool = False
    route: tuple[str, str] | None = None


@dataclass
class Layout:
    """What to draw: the executors, the extra join nodes of fan-in groups, and the arrows."""

    start: str
    executors: list[str]
    joins: list[str] = field(default_factory=list)
    arrows: list[Arrow] = field(default_factory=list)
    join_ends: dict[str, list[str]] = field(default_factory=dict)  # join -> its sources and target


def layout_arrows(workflow: Workflow) -> Layout:
    """Turn a workflow's edge groups into the arrows both drawings show.

    A fan-in group becomes a join node that every source points to and that points to the
    target, because the target runs once, with a list, after *all* sources have sent.
    A conditional arrow (condition, switch-case, multi-selection) is dashed: some messages
    will not travel along it.
    """
    layout = Layout(start=workflow.start_executor_id, executors=list(workflow.executors))
    taken = set(workflow.executors)
    for group in workflow.edge_groups:
        if group.kind == "fan_in":
            join = _unused_name(f"(join {len(layout.joins) + 1})", taken)
            taken.add(join)
            layout.joins.append(join)
            target = group.targets[0]
            layout.join_ends[join] = [*group.sources, target]
            for source in group.sources:
                layout.arrows.append(Arrow(source, join, route=(source, target)))
            # A join that may go ahead without failed sources says how many it needs.
            needed = getattr(group, "min_successes", None)
            label = f"≥{needed} of {len(group.sources)}" if needed is not None else ""
            layout.arrows.append(Arrow(join, target, label))
            continue
        for source in group.sources:
            for position, target in enumerate(group.targets, start=1):
                label = _arrow_label(group.kind, group.labels.get(target, ""), position)
                layout.arrows.append(Arrow(source, target, label, group.conditional, (source, target)))
    return layout


def _arrow_label(kind: str, label: str, position: int) -> str:
    # The core names a condition without a usable __name__ (a lambda) "condition"; that word
    # would only repeat what the dashed line already says.
    named = label if label and label != "condition" else ""
    if kind != "switch_case" or label == "default":
        return named
    # Switch-case order matters (the first matching case wins), so the drawing shows it.
    return f"case {position}: {named}" if named else f"case {position}"


def _unused_name(name: str, taken: set[str]) -> str:
    # Any string can be an executor id, so a helper node's name must be checked, not assumed free.
    while name in taken:
        name += "'"
    return name


def workflow_to_dot(
    workflow: Workflow,
    states: Mapping[str, str] | None = None,
    edge_counts: Mapping[tuple[str, str], int] | None = None,
    retries: Mapping[str, int] | None = None,
    edge_tooltips: Mapping[tuple[str, str], str] | None = None,
    include_internal_executors: bool = False,
    edge_mark: EdgeMark = DELIVERED,
) -> str:
    """The workflow's graph as Graphviz DOT text; the same workflow always gives the same text.

    A small black dot points at the start executor. Each box shows the executor id and, in
    smaller type, its class. Dashed arrows are conditional; a black bar is a fan-in join.

    `states` (executor id -> "idle", "running", "waiting", "done" or "failed") colours the
    boxes, and `edge_counts` ((source id, target id) -> number) writes a count on each route,
    in the words of `edge_mark` (`wfkit.viz.marks`): by default the messages delivered along it
    ("2 delivered"), or, for the run explorer, `QUEUED` ("1 queued"). `retries` (executor id ->
    number) notes retries so far; `edge_tooltips` (route -> text) is shown when the pointer rests
    on that arrow. Live views redraw with these as a run goes on. Ids the workflow does not have
    are ignored, so a view may pass everything it has seen::

        workflow_to_dot(workflow, states={"writer": "running"}, edge_counts={("writer", "reviewer"): 2})

    `include_internal_executors` also draws where answers come from: a dotted "outside the run"
    box with an arrow to each executor that takes answers to its requests (`answer_takers`).
    Agent Framework 1.x draws its internal request-and-response source this way.
    """
    states = dict(states or {})
    unknown = sorted({state for state in states.values() if state not in STATE_COLOURS})
    if unknown:
        raise ValueError(f"Unknown executor state(s) {unknown}; use one of {list(STATE_COLOURS)}.")
    layout = layout_arrows(workflow)
    entry = _unused_name("(start)", set(layout.executors) | set(layout.joins))

    lines = [
        f"digraph {quote(workflow.name or 'workflow')} {{",
        '  graph [fontname="Helvetica", labelloc=t, compound=true'
        + (f", label={html_label(html.escape(visible(workflow.name)))}" if workflow.name else "")
        + "];",
        '  node [shape=box, style="rounded,filled", fillcolor=white, fontname="Helvetica", '
        f"fontsize={TITLE_POINTS}];",
        f'  edge [fontname="Helvetica", fontsize={SMALL_POINTS}];',
        "",
        f'  {quote(entry)} [shape=circle, style=filled, fillcolor=black, label="", width=0.15, '
        'tooltip="start"];',
        f"  {quote(entry)} -> {quote(layout.start)};",
    ]
    counts = _Counts(edge_counts or {}, edge_mark)
    lines += _graph_body(
        workflow, layout, "", states, counts, indent="  ", retries=retries or {}, tooltips=edge_tooltips or {}
    )
    takers = answer_takers(workflow) if include_internal_executors else []
    if takers:
        outside = _unused_name("(outside)", set(layout.executors) | set(layout.joins) | {entry})
        lines.append(f'  {quote(outside)} [label="outside the run", style="dotted,rounded", fontcolor=gray30];')
        lines += [f'  {quote(outside)} -> {quote(taker)} [style=dotted, label="answers"];' for taker in takers]
    lines.append("}")
    return "\n".join(lines) + "\n"


def answer_takers(workflow: Workflow) -> list[str]:
    """The ids of the executors that take answers from outside the run: those with a response
    handler (`@response_handler`, a `RequestInfoExecutor`, a sub-workflow passing its child's
    questions on). An answer goes straight to the executor that asked, along no edge."""
    return [
        executor_id
        for executor_id, executor in workflow.executors.items()
        if any(handler.is_response_handler for handler in executor.handlers)
    ]


def _graph_body(
    workflow: Workflow,
    layout: Layout,
    namespace: str,
    states: Mapping[str, str],
    counts: _Counts,
    indent: str,
    retries: Mapping[str, int] | None = None,
    tooltips: Mapping[tuple[str, str], str] | None = None,
) -> list[str]:
    """Nodes and arrows of one graph level. Node ids get `namespace` in front, so a sub-workflow's
    nodes read ``parent_id/child_id``: the ids its nested events carry."""
    lines: list[str] = []
    parts: dict[str, list[str]] = {}
    for executor_id in workflow.executors:
        parts.setdefault(workflow.prefixes.get(executor_id, ""), []).append(executor_id)
    # A join between executors of one part is drawn inside that part's frame, next to them.
    joins_of: dict[str, list[str]] = {}
    for join in layout.joins:
        part = {workflow.prefixes.get(end, "") for end in layout.join_ends.get(join, [])}
        joins_of.setdefault(part.pop() if len(part) == 1 else "", []).append(join)
    for prefix in joins_of:
        parts.setdefault(prefix, [])
    for prefix, executor_ids in parts.items():
        inner = indent
        if prefix:  # the executors of one composed part, framed and titled with their prefix
            lines.append(f"{indent}subgraph {quote('cluster_' + namespace + prefix)} {{")
            lines.append(f'{indent}  label={quote(prefix)}; style="dashed,rounded"; color=gray40;')
            inner = indent + "  "
        for executor_id in executor_ids:
            shown = executor_id[len(prefix) + 1 :] if prefix else executor_id  # the frame says the prefix
            executor = workflow.executors[executor_id]
            note = policy_note(workflow, executor_id)
            retried = (retries or {}).get(namespace + executor_id)
            if retried:  # a live view: how often it has been retried so far
                note = f"{note} · retried ×{retried}" if note else f"retried ×{retried}"
            lines += _executor_lines(executor, namespace + executor_id, shown, states, counts, inner, note)
        for join in joins_of.get(prefix, []):
            lines.append(
                f'{inner}{quote(namespace + join)} [shape=box, style=filled, fillcolor=black, label="", width=0.8, '
                'height=0.05, tooltip="fan-in: waits for every source, then delivers their messages as one list"];'
            )
        if prefix:
            lines.append(f"{indent}}}")
    for arrow in layout.arrows:
        attributes = []
        if arrow.dashed:
            attributes.append("style=dashed")
        label = arrow.label
        route = (namespace + arrow.route[0], namespace + arrow.route[1]) if arrow.route else None
        if route is not None and route in counts.numbers:
            label = counts.mark.label(counts.numbers[route], label)
        if label:
            attributes.append(f"label={quote(label)}")
        if route is not None and tooltips and route in tooltips:
            attributes.append(f"tooltip={quote(visible(tooltips[route]))}")
        suffix = f" [{', '.join(attributes)}]" if attributes else ""
        lines.append(f"{indent}{quote(namespace + arrow.tail)} -> {quote(namespace + arrow.head)}{suffix};")
    return lines


@dataclass(frozen=True)
class _Counts:
    """The counts to write on the arrows, and the words they are written in."""

    numbers: Mapping[tuple[str, str], int]
    mark: EdgeMark


def _executor_lines(
    executor: object,
    node_id: str,
    shown_id: str,
    states: Mapping[str, str],
    counts: _Counts,
    indent: str,
    note: str = "",
) -> list[str]:
    """One executor's node; a sub-workflow also gets a frame holding its whole child graph."""
    from ..core.subworkflow import WorkflowExecutor

    fill, border = STATE_COLOURS[states.get(node_id, "idle")]
    kind = "sub-workflow" if isinstance(executor, WorkflowExecutor) else type(executor).__name__
    extra = f'<BR/><FONT POINT-SIZE="{SMALL_POINTS}" COLOR="#b45309">{html.escape(note)}</FONT>' if note else ""
    label = html_label(
        f'{html.escape(visible(shown_id))}<BR/><FONT POINT-SIZE="{SMALL_POINTS}" COLOR="{SMALL_COLOUR}">'
        f"{html.escape(kind)}</FONT>{extra}"
    )
    colours = "" if fill == "white" else f", fillcolor={quote(fill)}, color={quote(border)}, penwidth=2"
    node = f"{indent}{quote(node_id)} [label={label}{colours}];"
    if not isinstance(executor, WorkflowExecutor):
        return [node]
    child = executor.workflow
    child_layout = layout_arrows(child)
    namespace = node_id + "/"
    lines = [
        f"{indent}subgraph {quote('cluster_' + node_id)} {{",
        f'{indent}  label={quote(node_id + " (sub-workflow)")}; style="rounded"; color=gray50;',
        "  " + node,
    ]
    lines += _graph_body(child, child_layout, namespace, states, counts, indent + "  ")
    # The sub-workflow node hands its input to the child's start executor.
    lines.append(f"{indent}  {quote(node_id)} -> {quote(namespace + child_layout.start)} [style=dotted];")
    lines.append(f"{indent}}}")
    return lines


def policy_note(workflow: Workflow, executor_id: str) -> str:
    """A short reminder of an executor's reliability settings, e.g. ``up to 3 attempts · timeout 5s``."""
    policy = workflow.policies.get(executor_id)
    if policy is None:
        return ""
    parts = []
    if policy.retry is not None:
        parts.append(f"up to {policy.retry.max_attempts} attempts")
    if policy.timeout_seconds is not None:
        parts.append(f"timeout {policy.timeout_seconds:g}s")
    if policy.compensation is not None:
        parts.append("undo step")
    return " · ".join(parts)


def visible(text: str) -> str:
    r"""`text` with each control character written out as Python writes it.

    ``visible("a\tb\x01")`` is ``a\tb\x01`` with the backslashes shown, as ``repr`` shows
    them. An executor id may hold any character, but Graphviz refuses a control character
    in a label (its labels are XML), a browser refuses an SVG that holds one, and Mermaid
    draws a tab or a line break as a gap: the drawing would break or mislead. Written out,
    the character is both allowed and seen. Letters, emoji and spaces of every script stay.
    """
    if text.isprintable():  # the usual case, checked in C: nothing to write out
        return text
    return "".join(repr(char)[1:-1] if _is_control(char) else char for char in text)


# Line and paragraph separators break a line as a newline does; lone surrogates cannot be
# written as UTF-8 at all; U+FFFE and U+FFFF are not characters.
_CONTROL_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in _CONTROL_CATEGORIES or char in "\ufffe\uffff"


def quote(text: str) -> str:
    r"""`text` as a double-quoted DOT string, safe whatever characters it holds.

    ``quote('say "hi"')`` is the DOT text ``"say \"hi\""``. Control characters are written
    out (`visible`), so an id holding one still draws.
    """
    # Backslashes first, so the ones added for quotes are not doubled again.
    escaped = visible(text).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def html_label(markup: str) -> str:
    """Wrap already-escaped markup as a DOT HTML-like label: ``<...>``.

    HTML-like labels allow the smaller class-name line, and their only escapes are the
    familiar ``&amp; &lt; &gt; &quot;``, which `html.escape` writes.
    """
    return f"<{markup}>"
