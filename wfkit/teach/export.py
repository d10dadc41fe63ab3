"""Exporting lessons for reading without a kernel: run each one headless, then write it as HTML.

The widgets of a run (the graph, the cards, the explorer) leave a static picture in their
output (``text/html``: the final graph, each card with its answer and who gave it, the
explorer's steps). The page shows that picture: the widgets' own state, which would need
JavaScript from the web to draw, is left out, so a page reads the same offline. A widget that
leaves no picture (a plain ipywidgets slider, say) is said to be one, rather than shown as its
Python repr. The export needs nbconvert (it comes with JupyterLab).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import nbformat

from .lessons import LessonRun, find_lessons, run_lesson


def export_lessons(paths: Iterable[str | Path], out: str | Path, to: str = "html") -> list[tuple[LessonRun, Path | None]]:
    """Run every lesson at `paths` with its defaults and write `out/<lesson>.html`; return each
    run with the file written (None for a lesson whose run failed: its line says why)."""
    if to != "html":
        raise ValueError(f"Lessons export to 'html' only, not {to!r}.")
    try:
        from nbconvert import HTMLExporter
    except ImportError as error:
        raise ImportError("Exporting lessons needs nbconvert: pip install nbconvert (JupyterLab brings it).") from error
    folder = Path(out)
    blocking = next((p for p in [folder, *folder.parents] if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise NotADirectoryError(
            f"--out {folder}: {blocking} is a file, so the pages cannot go there; give a folder (new or existing)."
        )
    folder.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(template_name="lab")
    written: list[tuple[LessonRun, Path | None]] = []
    for lesson in find_lessons(paths):
        run = run_lesson(lesson, "defaults", keep_in=folder / ".executed")
        page = None
        if run.executed is not None and run.executed.exists():
            body, _ = exporter.from_notebook_node(static_pictures(nbformat.read(run.executed, as_version=4)))
            page = folder / f"{lesson.stem}.html"
            page.write_text(body, encoding="utf-8")
        written.append((run, page))
    return written


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

# What a page shows for a widget that left no static picture of its own.
NO_PICTURE = (
    '<p style="color:#64748b"><i>An interactive widget was shown here; run the notebook to use it.</i></p>'
)


def static_pictures(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """`notebook` with each widget output shown by its static ``text/html`` picture (or a line
    saying a widget was there), and without the cell papermill added to set the parameters (a
    reader sees the lesson as written)."""
    notebook.metadata.pop("widgets", None)
    notebook.cells = [c for c in notebook.cells if "injected-parameters" not in c.get("metadata", {}).get("tags", [])]
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data:
                del data[WIDGET_VIEW]
                if "text/html" not in data:
                    data.pop("text/plain", None)  # "IntSlider(value=0)": Python's words, not the page's
                    data["text/html"] = NO_PICTURE
    return notebook
