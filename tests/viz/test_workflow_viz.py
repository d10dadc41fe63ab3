"""`WorkflowViz`: Agent Framework's drawing object, on wfkit's own drawings, saving files."""

from __future__ import annotations

import os
import shutil

import pytest

from wfkit import Never, WorkflowBuilder, WorkflowContext, WorkflowViz, executor
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
