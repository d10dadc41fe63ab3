"""GraphView runs Graphviz only for a picture it has not drawn yet."""

from __future__ import annotations

from tests.conftest import run
from tests.core.review_workflows import release_notes_workflow
from wfkit.widgets import GraphView, graph_view


def count_graphviz_calls(monkeypatch) -> list[str]:
    calls: list[str] = []
    real = graph_view.dot_to_svg
    monkeypatch.setattr(graph_view, "dot_to_svg", lambda dot: calls.append(dot) or real(dot))
    return calls


def test_an_unchanged_picture_is_not_laid_out_again(monkeypatch):
    calls = count_graphviz_calls(monkeypatch)
    workflow = release_notes_workflow()
    view = GraphView(workflow)
    assert len(calls) == 1  # the idle graph, drawn when the view is made
    picture = view.picture.value
    view.redraw()
    assert view.static_html().startswith(picture)  # the same picture in the page-without-widgets copy
    assert len(calls) == 1


def test_a_changed_state_is_drawn_anew(monkeypatch):
    calls = count_graphviz_calls(monkeypatch)
    workflow = release_notes_workflow()
    view = GraphView(workflow)

    async def stream() -> None:
        async for event in workflow.run_stream("Launch the grinder"):
            view.handle(event)
        view.flush()

    run(stream())
    assert len(calls) >= 2 and "#ddd6fe" in view.picture.value  # the waiting violet: the new state
    drawn = len(calls)
    view.static_html()
    assert len(calls) == drawn
    view.reset()
    view.flush()
    assert "#ddd6fe" not in view.picture.value  # back to idle: not the cached picture
