"""Drawing workflows: DOT, Mermaid, SVG and what a notebook shows."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from wfkit import (
    Case,
    Default,
    Executor,
    ExecutorFailure,
    Never,
    RetryPolicy,
    Workflow,
    WorkflowBuilder,
    WorkflowContext,
    executor,
    handler,
)
from wfkit.viz import QUEUED, GraphvizNotFoundError, dot_to_svg, mimebundle, workflow_to_dot, workflow_to_mermaid
from wfkit.viz.dot import STATE_COLOURS, policy_note

needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None,
    reason="Graphviz's `dot` program is not installed (apt-get install graphviz, or `make lab`)",
)


class Echo(Executor):
    """Passes text on."""

    @handler
    async def echo(self, text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(text)


class Gather(Executor):
    """Takes the list a fan-in delivers."""

    @handler
    async def gather(self, texts: list[str], ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(" ".join(texts))


def is_short(text: str) -> bool:
    return len(text) < 10


def is_question(text: str) -> bool:
    return text.endswith("?")


def pick_all(text: str, target_ids: list[str]) -> list[str]:
    return target_ids


def chain(*ids: str) -> Workflow:
    executors = [Echo(executor_id) for executor_id in ids]
    return WorkflowBuilder().add_chain(executors).set_start_executor(executors[0]).build()


def every_edge_kind() -> Workflow:
    """start -> (fan-out) a, b -> (fan-in) join; start -> switch; start -> picker; start -> maybe."""
    start, a, b, join = Echo("start"), Echo("a"), Echo("b"), Gather("join")
    short, question, other = Echo("short"), Echo("question"), Echo("other")
    picker, left, right, maybe = Echo("picker"), Echo("left"), Echo("right"), Echo("maybe")
    return (
        WorkflowBuilder(name="every kind")
        .add_fan_out_edges(start, [a, b])
        .add_fan_in_edges([a, b], join)
        .add_edge(start, picker)
        .add_switch_case_edge_group(picker, [Case(is_short, short), Case(is_question, question), Default(other)])
        .add_multi_selection_edge_group(short, [left, right], pick_all)
        .add_edge(start, maybe, condition=is_short)
        .set_start_executor(start)
        .build()
    )


def reliable_workflow() -> Workflow:
    """call_model, with retries, a timeout, an undo step and a fallback to human_review."""

    @executor(id="call_model")
    async def call_model(text: str, ctx: WorkflowContext[Never, str]) -> None: ...

    @executor(id="human_review")
    async def human_review(failure: ExecutorFailure, ctx: WorkflowContext) -> None: ...

    return (
        WorkflowBuilder()
        .set_start_executor(call_model)
        .with_retry(call_model, RetryPolicy(max_attempts=4))
        .with_timeout(call_model, 2.5)
        .with_fallback(call_model, human_review)
        .with_compensation(call_model, lambda executor_id, messages: None)
        .build()
    )


def edge_line(dot: str, tail: str, head: str) -> str:
    """The one DOT line that draws the arrow tail -> head."""
    lines = [line for line in dot.splitlines() if line.strip().startswith(f'"{tail}" -> "{head}"')]
    assert len(lines) == 1, f"expected one arrow {tail} -> {head} in:\n{dot}"
    return lines[0]


def node_line(dot: str, node: str) -> str:
    lines = [line for line in dot.splitlines() if line.strip().startswith(f'"{node}" [')]
    assert len(lines) == 1, f"expected one node {node} in:\n{dot}"
    return lines[0]


def svg_texts(svg: str) -> set[str]:
    """Every piece of text the SVG shows (entities decoded, the room around a label left out)."""
    return {"".join(element.itertext()).strip() for element in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")}


# --- DOT -------------------------------------------------------------------------------------


def test_plain_edges_are_solid_and_unlabelled() -> None:
    dot = workflow_to_dot(chain("first", "second"))
    assert edge_line(dot, "first", "second").strip() == '"first" -> "second";'


def test_conditional_edges_are_dashed() -> None:
    dot = workflow_to_dot(every_edge_kind())
    assert "style=dashed" in edge_line(dot, "start", "maybe")
    assert "style=dashed" in edge_line(dot, "short", "left")
    assert "style=dashed" not in edge_line(dot, "start", "a")


def test_conditional_edge_is_labelled_with_its_function_name() -> None:
    assert 'label="is_short"' in edge_line(workflow_to_dot(every_edge_kind()), "start", "maybe")


def test_lambda_condition_is_dashed_without_a_label() -> None:
    a, b = Echo("a"), Echo("b")
    workflow = WorkflowBuilder().add_edge(a, b, condition=lambda text: True).set_start_executor(a).build()
    line = edge_line(workflow_to_dot(workflow), "a", "b")
    assert "style=dashed" in line and "label" not in line


def test_switch_case_edges_are_labelled_in_order_with_default_last() -> None:
    dot = workflow_to_dot(every_edge_kind())
    assert 'label="case 1: is_short"' in edge_line(dot, "picker", "short")
    assert 'label="case 2: is_question"' in edge_line(dot, "picker", "question")
    assert 'label="default"' in edge_line(dot, "picker", "other")


def test_fan_in_goes_through_a_join_node() -> None:
    dot = workflow_to_dot(every_edge_kind())
    join_node = node_line(dot, "(join 1)")
    assert "fan-in" in join_node
    edge_line(dot, "a", "(join 1)")
    edge_line(dot, "b", "(join 1)")
    edge_line(dot, "(join 1)", "join")
    assert '"a" -> "join"' not in dot


def test_start_executor_has_an_entry_arrow() -> None:
    dot = workflow_to_dot(chain("first", "second"))
    assert 'tooltip="start"' in node_line(dot, "(start)")
    edge_line(dot, "(start)", "first")
    assert '"(start)" -> "second"' not in dot


def test_helper_nodes_never_reuse_an_executor_id() -> None:
    dot = workflow_to_dot(chain("(start)", "(join 1)"))
    assert "label=<(start)" in node_line(dot, "(start)")
    edge_line(dot, "(start)'", "(start)")


def test_node_label_shows_id_and_class_name() -> None:
    @executor(id="upper")
    def upper(text: str) -> str:
        return text.upper()

    workflow = WorkflowBuilder().add_edge(upper, Echo("echo")).set_start_executor(upper).build()
    dot = workflow_to_dot(workflow)
    assert 'label=<upper<BR/><FONT POINT-SIZE="12" COLOR="#475569">FunctionExecutor</FONT>>' in node_line(dot, "upper")
    assert '<FONT POINT-SIZE="12" COLOR="#475569">Echo</FONT>' in node_line(dot, "echo")


def test_same_workflow_gives_the_same_dot_text() -> None:
    workflow = every_edge_kind()
    assert workflow_to_dot(workflow) == workflow_to_dot(workflow)
    assert workflow_to_dot(every_edge_kind()) == workflow_to_dot(every_edge_kind())


def test_workflow_name_is_the_graph_title() -> None:
    assert "label=<every kind>" in workflow_to_dot(every_edge_kind())


def test_to_dot_on_the_workflow_draws_the_same_text() -> None:
    workflow = every_edge_kind()
    assert workflow.to_dot() == workflow_to_dot(workflow)


def test_awkward_ids_are_quoted_and_escaped() -> None:
    dot = workflow_to_dot(chain('say "hi"', "back\\slash", "tag <b> & co"))
    assert '"say \\"hi\\"" -> "back\\\\slash";' in dot
    assert "label=<say &quot;hi&quot;<BR/>" in dot
    assert "label=<tag &lt;b&gt; &amp; co<BR/>" in dot


# --- states and message counts for live views -------------------------------------------------


def test_states_colour_the_nodes() -> None:
    workflow = chain("writer", "reviewer", "editor", "printer", "archive")
    states = {"writer": "done", "reviewer": "running", "editor": "waiting", "printer": "failed"}
    dot = workflow_to_dot(workflow, states=states)
    assert 'fillcolor="#bbf7d0"' in node_line(dot, "writer")  # green
    assert 'fillcolor="#fde68a"' in node_line(dot, "reviewer")  # amber
    assert 'fillcolor="#ddd6fe"' in node_line(dot, "editor")  # violet
    assert 'fillcolor="#fecaca"' in node_line(dot, "printer")  # red
    assert "fillcolor" not in node_line(dot, "archive")


def test_idle_state_looks_like_no_state() -> None:
    workflow = chain("writer", "reviewer")
    assert workflow_to_dot(workflow, states={"writer": "idle"}) == workflow_to_dot(workflow)


def test_unknown_state_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ValueError, match="'sleeping'.*running"):
        workflow_to_dot(chain("writer", "reviewer"), states={"writer": "sleeping"})


def test_states_of_ids_not_in_the_workflow_are_ignored() -> None:
    workflow = chain("writer", "reviewer")
    assert workflow_to_dot(workflow, states={"elsewhere": "running"}) == workflow_to_dot(workflow)


def test_edge_counts_label_the_edges() -> None:
    dot = workflow_to_dot(every_edge_kind(), edge_counts={("start", "a"): 3, ("start", "maybe"): 1})
    assert 'label="  3 delivered  "' in edge_line(dot, "start", "a")
    assert 'label="  is_short · 1 delivered  "' in edge_line(dot, "start", "maybe")


def test_the_explorers_counts_read_queued_not_delivered() -> None:
    dot = workflow_to_dot(every_edge_kind(), edge_counts={("start", "a"): 2}, edge_mark=QUEUED)
    assert 'label="  2 queued  "' in edge_line(dot, "start", "a") and "delivered" not in dot


def test_fan_in_counts_are_shown_on_the_way_into_the_join() -> None:
    dot = workflow_to_dot(every_edge_kind(), edge_counts={("a", "join"): 2})
    assert 'label="  2 delivered  "' in edge_line(dot, "a", "(join 1)")
    assert "label" not in edge_line(dot, "(join 1)", "join")


# --- SVG -------------------------------------------------------------------------------------


@needs_dot
def test_the_counts_of_a_two_way_pair_stand_apart_each_by_its_own_arrow() -> None:
    # Bare labels sat side by side between the two arrows and read as one.
    worker, reviewer = Echo("worker"), Echo("reviewer")
    pair = WorkflowBuilder().add_edge(worker, reviewer).add_edge(reviewer, worker).set_start_executor(worker).build()
    svg = dot_to_svg(workflow_to_dot(pair, edge_counts={("worker", "reviewer"): 2, ("reviewer", "worker"): 2}))
    counts = [
        float(element.get("x"))
        for element in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")
        if "".join(element.itertext()).strip() == "2 delivered"
    ]
    assert len(counts) == 2
    text_width = 66  # "2 delivered" at 12 pt
    assert abs(counts[0] - counts[1]) - text_width >= 12  # at least one letter's height of space between




@needs_dot
def test_dot_accepts_every_edge_kind() -> None:
    svg = dot_to_svg(workflow_to_dot(every_edge_kind(), states={"a": "running"}, edge_counts={("a", "join"): 1}))
    assert {"start", "a", "b", "join", "picker", "case 1: is_short", "default", "1 delivered"} <= svg_texts(svg)


@needs_dot
def test_ids_with_spaces_quotes_backslashes_and_non_ascii_survive_graphviz() -> None:
    ids = ["my step", 'say "hi"', "it's", "back\\slash", "ends with\\", "tag <b> & co", "résumé ✓", "日本語"]
    svg = chain(*ids).to_svg()
    assert set(ids) <= svg_texts(svg)


# Ids a learner can make by accident (a pasted tab, a line break) or on purpose (\x01, U+2028,
# a lone surrogate): each must draw, and show what is there.
CONTROL_IDS = {"a\x01b": "a\\x01b", "tab\there": "tab\\there", "two\nlines": "two\\nlines",
               "sep\u2028arator": "sep\\u2028arator", "lone \ud800": "lone \\ud800", "del\x7f": "del\\x7f"}


@needs_dot
def test_ids_with_control_characters_survive_graphviz_and_show_them_written_out() -> None:
    svg = chain(*CONTROL_IDS).to_svg()  # Graphviz refused \x01 in a label before
    ET.fromstring(svg)  # well-formed: a browser can show it
    assert set(CONTROL_IDS.values()) <= svg_texts(svg)


def test_dot_text_holds_no_control_characters() -> None:
    dot = workflow_to_dot(chain(*CONTROL_IDS))
    assert [char for char in dot if not char.isprintable() and char != "\n"] == []


def test_letters_emoji_and_spaces_of_every_script_are_drawn_as_they_are() -> None:
    ids = ["r\u00e9sum\u00e9", "\U0001f469\u200d\U0001f4bb coder", "no\u00a0break", "\u65e5\u672c\u8a9e"]
    dot, mermaid = workflow_to_dot(chain(*ids)), workflow_to_mermaid(chain(*ids))
    for executor_id in ids:
        assert f"label=<{executor_id}<BR/>" in dot
        assert f'("{executor_id}<br/>' in mermaid


@needs_dot
def test_dot_to_svg_returns_svg_text() -> None:
    svg = dot_to_svg(workflow_to_dot(chain("first", "second")))
    assert isinstance(svg, str) and "<svg" in svg


def test_dot_to_svg_without_graphviz_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(GraphvizNotFoundError, match="apt-get install graphviz.*make lab"):
        dot_to_svg(workflow_to_dot(chain("first", "second")))


# --- what a notebook shows -------------------------------------------------------------------


@needs_dot
def test_notebook_shows_svg_and_the_repr() -> None:
    workflow = chain("first", "second")
    bundle = workflow._repr_mimebundle_()
    assert set(bundle) == {"image/svg+xml", "text/plain"}
    assert "<svg" in bundle["image/svg+xml"]
    assert bundle["text/plain"] == repr(workflow)


def test_notebook_shows_mermaid_when_dot_is_missing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    workflow = chain("first", "second")
    bundle = mimebundle(workflow)
    assert set(bundle) == {"text/markdown", "text/plain"}
    assert bundle["text/markdown"] == f"```mermaid\n{workflow_to_mermaid(workflow)}```"
    assert bundle["text/plain"] == repr(workflow)


# --- Mermaid ---------------------------------------------------------------------------------


def mermaid_arrows(text: str) -> list[tuple[str, str, str, str]]:
    """(tail, line, label, head) for every arrow line, with node ids turned back into executor ids."""
    names = {m[1]: m[2] for m in re.finditer(r'^\s+(\w+)\("([^<]*)<br/>', text, re.MULTILINE)}
    pattern = re.compile(r'^\s+(\w+) (-->|-\.->)(?:\|"([^"]*)"\|)? (\w+)$')
    return [
        (names.get(m[1], m[1]), m[2], m[3] or "", names.get(m[4], m[4]))
        for line in text.splitlines()
        if (m := pattern.match(line))
    ]


def test_mermaid_is_a_top_down_flowchart_with_safe_node_ids() -> None:
    text = workflow_to_mermaid(chain("my step", "next step"))
    assert text.splitlines()[0] == "flowchart TD"
    assert '    n0("my step<br/><small>Echo</small>")' in text
    assert '    n0 --> n1' in text


def test_mermaid_escapes_quotes_and_markup_in_labels() -> None:
    text = workflow_to_mermaid(chain('say "hi"', "tag <b> #1"))
    assert 'n0("say #quot;hi#quot;<br/>' in text
    assert 'n1("tag #lt;b#gt; #35;1<br/>' in text


def test_mermaid_labels_show_control_characters_written_out() -> None:
    text = workflow_to_mermaid(chain(*CONTROL_IDS))
    assert [char for char in text if not char.isprintable() and char != "\n"] == []
    for index, shown in enumerate(CONTROL_IDS.values()):
        assert f'    n{index}("{shown}<br/>' in text


def test_mermaid_plain_edges_are_solid() -> None:
    assert ("start", "-->", "", "a") in mermaid_arrows(workflow_to_mermaid(every_edge_kind()))


def test_mermaid_conditional_edges_are_dashed_and_labelled() -> None:
    arrows = mermaid_arrows(workflow_to_mermaid(every_edge_kind()))
    assert ("start", "-.->", "is_short", "maybe") in arrows
    assert ("picker", "-.->", "case 2: is_question", "question") in arrows
    assert ("picker", "-.->", "default", "other") in arrows
    assert ("short", "-.->", "pick_all", "left") in arrows  # multi-selection, named by its function


def test_mermaid_fan_in_goes_through_a_join_node() -> None:
    text = workflow_to_mermaid(every_edge_kind())
    assert '    j0(("all"))' in text
    assert {("a", "-->", "", "j0"), ("b", "-->", "", "j0"), ("j0", "-->", "", "join")} <= set(mermaid_arrows(text))


def test_mermaid_marks_the_start_executor() -> None:
    assert "    class n0 start" in workflow_to_mermaid(chain("first", "second"))


def test_same_workflow_gives_the_same_mermaid_text() -> None:
    assert workflow_to_mermaid(every_edge_kind()) == workflow_to_mermaid(every_edge_kind())


def test_mermaid_labels_note_reliability_settings_like_the_dot_drawing() -> None:
    workflow = reliable_workflow()
    text = workflow_to_mermaid(workflow)
    note = "<br/><small><i>up to 4 attempts · timeout 2.5s · undo step</i></small>"
    assert f'    n0("call_model<br/><small>FunctionExecutor</small>{note}")' in text
    assert policy_note(workflow, "call_model") in workflow_to_dot(workflow)  # the same words in both drawings
    assert '    n1("human_review<br/><small>FunctionExecutor</small>")' in text  # no settings, no note


def test_mermaid_reliability_notes_are_escaped(monkeypatch: pytest.MonkeyPatch) -> None:
    import wfkit.viz.mermaid

    monkeypatch.setattr(wfkit.viz.mermaid, "policy_note", lambda workflow, executor_id: 'say "hi" <b> #1')
    text = workflow_to_mermaid(chain("only"))
    assert "<i>say #quot;hi#quot; #lt;b#gt; #35;1</i>" in text


def test_to_mermaid_on_the_workflow_draws_the_same_text() -> None:
    workflow = every_edge_kind()
    assert workflow.to_mermaid() == workflow_to_mermaid(workflow)


# --- staying light ---------------------------------------------------------------------------


def test_drawing_modules_do_not_import_graphviz_until_asked() -> None:
    import subprocess
    import sys

    code = "import sys, wfkit, wfkit.viz; print('graphviz' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_a_sub_workflow_is_drawn_as_a_frame_holding_its_child_graph() -> None:
    from tests.core.composed_workflows import draft_parent_workflow

    text = workflow_to_dot(draft_parent_workflow(), states={"approval_sub_workflow/approval_gate": "waiting"})
    assert 'subgraph "cluster_approval_sub_workflow" {' in text
    # Inner nodes carry the ids nested events use, so a live view can colour them.
    assert '"approval_sub_workflow/approval_gateway" -> "approval_sub_workflow/approval_gate";' in text
    assert '"approval_sub_workflow" -> "approval_sub_workflow/approval_gateway" [style=dotted];' in text
    waiting = next(line for line in text.splitlines() if line.strip().startswith('"approval_sub_workflow/approval_gate" ['))
    assert STATE_COLOURS["waiting"][0] in waiting
    if shutil.which("dot"):
        assert "approval_gateway" in dot_to_svg(text)


def test_composed_parts_are_framed_and_titled_with_their_prefix() -> None:
    from tests.core.test_composition import Summarize, prep_part

    builder = WorkflowBuilder()
    prep = builder.add_workflow(prep_part(), "prep")
    summary = builder.add_workflow(WorkflowBuilder().set_start_executor(Summarize("summarize")), "summary")
    text = builder.add_edge(prep.outputs[0], summary.start).set_start_executor(prep.start).build().to_dot()
    assert 'subgraph "cluster_prep" {' in text and 'label="prep";' in text
    assert 'subgraph "cluster_summary" {' in text
    assert '"prep/finish" -> "summary/summarize";' in text


def test_a_join_inside_a_composed_part_is_drawn_inside_its_frame() -> None:
    @executor(id="fork")
    async def fork(text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(text)

    def branch(name: str):
        @executor(id=name)
        async def step(text: str, ctx: WorkflowContext[str]) -> None:
            await ctx.send_message(text)

        return step

    @executor(id="gather")
    async def gather(texts: list[str], ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(" ".join(texts))

    left, right = branch("left"), branch("right")
    part = (
        WorkflowBuilder(name="fan")
        .add_fan_out_edges(fork, [left, right])
        .add_fan_in_edges([left, right], gather)
        .set_start_executor(fork)
    )
    builder = WorkflowBuilder()
    handle = builder.add_workflow(part)
    text = builder.set_start_executor(handle.start).build().to_dot()
    frame = text[text.index('subgraph "cluster_fan" {'):]
    frame = frame[: frame.index("\n  }")]
    assert '"(join 1)" [shape=box' in frame  # with the executors it joins, not outside the frame


def test_reliability_settings_show_on_the_graph() -> None:
    text = workflow_to_dot(reliable_workflow())
    assert "up to 4 attempts · timeout 2.5s · undo step" in text
    assert '"call_model" -> "human_review" [style=dashed, label="on failure"];' in text
