"""Graphviz in the browser: where its module is found, and that it stays out of the way elsewhere.

Drawing itself runs only in Pyodide; tests/browser/test_lite.py sees the graph drawn there.
"""

from __future__ import annotations

import pytest

from tests.conftest import run
from wfkit.viz import GraphvizNotFoundError, browser_graphviz


def test_graphviz_is_found_under_the_site_root_of_the_kernel_worker() -> None:
    worker = "http://127.0.0.1:8800/course/extensions/@jupyterlite/pyodide-kernel-extension/static/worker.js"
    assert browser_graphviz.site_module_url(worker) == "http://127.0.0.1:8800/course/static/wfkit/viz.js"


def test_a_kernel_address_outside_a_jupyterlite_site_is_explained() -> None:
    with pytest.raises(GraphvizNotFoundError, match="extensions"):
        browser_graphviz.site_module_url("http://127.0.0.1:8800/worker.js")


def test_outside_the_browser_nothing_loads_and_ready_says_so() -> None:
    browser_graphviz.start_loading()
    assert run(browser_graphviz.ready()) is False
    called: list[str] = []
    browser_graphviz.when_ready(lambda: called.append("drawn"))
    assert called == []
