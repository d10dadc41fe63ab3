"""Tiny lessons for the author's tools' tests: a parameters cell and one cell of code, quick to run."""

from __future__ import annotations

from pathlib import Path

import nbformat


def lesson(folder: Path, name: str, code: str) -> Path:
    """Write `folder/name`: a lesson whose one cell after the parameters runs `code`."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    parameters = nbformat.v4.new_code_cell('chat = "offline"')
    parameters.metadata["tags"] = ["parameters"]
    notebook.cells = [parameters, nbformat.v4.new_code_cell(code)]
    path = folder / name
    nbformat.write(notebook, path)
    return path
