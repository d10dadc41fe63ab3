"""`WorkflowViz`: Agent Framework's drawing object, on wfkit's own drawings, saving files."""

from __future__ import annotations

import os
import shutil

import pytest

from wfkit import Executor, Never, WorkflowBuilder, WorkflowContext, WorkflowViz, executor, handler
from wfkit.viz import workflow_to_dot, workflow_to_mermaid

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's `dot` program is not installed")

# What each format's file starts with.
MAGIC = {"svg": b"<?xml", "png": b"\x89PNG", "pdf": b"%PDF", "dot": b"digraph"}


@executor(id="upper")
def upper(text: str) -> str:
    return text.upper()


@executor(id="show")
async def show(text: str, ctx: WorkflowContext[Never, str]) -> None:
    await ctx.yield_output(text)


def workflow():
    return WorkflowBuilder().add_edge(upper, show).set_start_executor(upper).build()


def test_text_drawings_are_wfkits_own():
    wf = workflow()
    viz = WorkflowViz(wf)
    assert viz.to_digraph() == workflow_to_dot(wf)
    assert viz.to_mermaid() == workflow_to_mermaid(wf)


@needs_dot
@pytest.mark.parametrize("format", ["svg", "png", "pdf", "dot"])
def test_export_writes_the_named_file_and_returns_its_path(tmp_path, format):
    target = tmp_path / f"graph.{format}"
    assert WorkflowViz(workflow()).export(format=format, filename=str(target)) == str(target)
    assert target.read_bytes().startswith(MAGIC[format])


@needs_dot
def test_save_methods_write_their_format(tmp_path):
    viz = WorkflowViz(workflow())
    for save, format in ((viz.save_svg, "svg"), (viz.save_png, "png"), (viz.save_pdf, "pdf")):
        path = save(tmp_path / f"graph.{format}")
        assert path == str(tmp_path / f"graph.{format}")
        assert open(path, "rb").read().startswith(MAGIC[format])


@needs_dot
def test_a_file_name_without_extension_gets_the_formats(tmp_path):
    path = WorkflowViz(workflow()).save_png(tmp_path / "graph")
    assert path == str(tmp_path / "graph.png")
    assert open(path, "rb").read().startswith(MAGIC["png"])


@needs_dot
def test_export_without_a_file_name_writes_a_temporary_file():
    path = WorkflowViz(workflow()).export(format="svg")
    try:
        assert path.endswith(".svg") and open(path, "rb").read().startswith(MAGIC["svg"])
    finally:
        os.remove(path)


def test_an_unknown_format_names_the_accepted_ones():
    with pytest.raises(ValueError, match="svg, png, pdf, dot"):
        WorkflowViz(workflow()).export(format="jpg")


def test_an_extension_that_names_another_format_is_refused(tmp_path):
    with pytest.raises(ValueError, match=r"ends in '\.png', but the format is 'svg'"):
        WorkflowViz(workflow()).save_svg(tmp_path / "graph.png")
    assert not (tmp_path / "graph.png").exists()


def asking_workflow():
    """upper -> reviewer, where the reviewer asks a person and takes the answer."""
    from wfkit import response_handler

    class Reviewer(Executor):
        @handler
        async def review(self, text: str, ctx: WorkflowContext) -> None:
            await ctx.request_info(text, str)

        @response_handler
        async def answered(self, draft: str, verdict: str, ctx: WorkflowContext[Never, str]) -> None:
            await ctx.yield_output(verdict)

    return WorkflowBuilder(start_executor=upper).add_edge(upper, Reviewer(id="reviewer")).build()


def test_internal_executors_draw_where_answers_come_from_only_when_asked():
    viz = WorkflowViz(asking_workflow())
    plain, internal = viz.to_digraph(), viz.to_digraph(include_internal_executors=True)
    assert "outside the run" not in plain
    assert '"(outside)" -> "reviewer" [style=dotted, label="answers"];' in internal
    assert '"(outside)" -> "upper"' not in internal  # upper takes no answers
    assert 'outside -.->|"answers"| n1' in viz.to_mermaid(include_internal_executors=True)
    assert "outside" not in viz.to_mermaid()


def test_a_workflow_without_requests_draws_no_outside_box():
    assert WorkflowViz(workflow()).to_digraph(include_internal_executors=True) == WorkflowViz(workflow()).to_digraph()


@needs_dot
def test_saved_pictures_can_include_internal_executors(tmp_path):
    viz = WorkflowViz(asking_workflow())
    dot_file = viz.export("dot", tmp_path / "asking", include_internal_executors=True)
    assert "outside the run" in open(dot_file).read()
    assert viz.save_svg(tmp_path / "asking.svg", include_internal_executors=True).endswith("asking.svg")
