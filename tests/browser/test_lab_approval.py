"""A learner's session, for real: JupyterLab, headless Chromium, clicks on the approval card.

The test starts JupyterLab on 127.0.0.1 (a free port, a token, a temporary copy of a
lesson-like notebook), opens the notebook in Debian's Chromium driven by Playwright, runs
the cells, revises the draft once, approves it, and checks the output and the graph.
Screenshots of each step go to test-artifacts/browser/ (with the server log).
"""

from __future__ import annotations

import re
import secrets
import shutil
import sys
import time
from pathlib import Path

import nbformat
import pytest

from tests.browser.harness import CHROMIUM, LabServer, require_browser, start_lab

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
ARTIFACTS = REPO / "test-artifacts" / "browser"
NOTEBOOK = "review_lesson.ipynb"
FEEDBACK = "Mention the price"
# Flags that keep Chromium quiet and offline in a container (see design/jupyter.md).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SECONDS = 1000  # Playwright counts in milliseconds


@pytest.fixture
def chromium() -> Path:
    require_browser()  # before `lab`: no server is started for a test that cannot run
    return CHROMIUM


@pytest.fixture
def lab(tmp_path):
    """A JupyterLab server on a copy of the lesson; stopped with its kernels afterwards."""
    root = tmp_path / "lesson"
    root.mkdir()
    shutil.copy(HERE / NOTEBOOK, root / NOTEBOOK)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for stale in ARTIFACTS.glob("failure.*"):
        stale.unlink()  # left by an earlier failed run
    server = start_lab(root, tmp_path, ARTIFACTS / "jupyter-server.log", token=secrets.token_hex(16))
    try:
        yield server
    finally:
        server.stop()


FILLS = """() => {
    const fills = {};
    for (const node of document.querySelectorAll('.wfkit-graph svg g.node')) {
        const title = node.querySelector('title').textContent;
        const shape = node.querySelector('path, polygon, ellipse');
        if (!title.startsWith('(')) fills[title] = shape.getAttribute('fill');
    }
    return fills;
}"""


def executor_fills(page) -> dict[str, str]:
    """Executor id -> fill colour of its box in the run view's graph."""
    return page.evaluate(FILLS)


def wait_for_fills(page, expected: dict[str, str], timeout: float) -> None:
    """Wait until the graph shows exactly `expected` (the picture follows the run a little
    later, through the kernel's throttled redraw)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    same = f"""(expected) => {{
        const fills = ({FILLS})();
        const names = Object.keys(expected);
        return Object.keys(fills).length === names.length && names.every(n => fills[n] === expected[n]);
    }}"""
    try:
        page.wait_for_function(same, arg=expected, timeout=timeout)
    except PlaywrightTimeout:
        assert executor_fills(page) == expected  # fails showing what the graph shows instead


def screenshot(page, name: str) -> None:
    """Save the page with the run view scrolled into sight."""
    view = page.locator(".wfkit-run-view")
    if view.count():
        view.first.scroll_into_view_if_needed()
        page.locator(".wfkit-status").first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def cell_started(page, cell, tries: int = 2) -> bool:
    """Select `cell` and press the notebook toolbar's run button (▶), until JupyterLab shows the
    cell running or run ([*] or [n]); False if it never does. A cell that never started is safe
    to run again; one that started is never sent twice."""
    from playwright.sync_api import expect

    prompt = cell.locator(".jp-InputPrompt")
    run_button = page.locator("[data-command='notebook:run-cell-and-select-next']").first
    for _ in range(tries):
        cell.click()
        page.keyboard.press("Escape")  # command mode: the click may have put the cursor in the editor
        run_button.click()
        try:
            expect(prompt).to_have_text(re.compile(r"\[(\*|\d+)\]"), timeout=15 * SECONDS)
            return True
        except AssertionError:
            continue
    return False


def open_notebook(page, url: str, loads: int = 3) -> None:
    """Open the lesson and run its first code cell, as a learner would.

    In some full test runs from a fresh clone (about one in four), a freshly opened JupyterLab
    took the run command, Shift+Enter or the ▶ button alike, and never sent the first cell to
    its kernel: the cell stayed at [ ], the kernel idle, no error in the browser or the server
    log. A learner would reload the page; so does this, up to `loads` times, until the first
    code cell really runs. The cells after it are never retried this way.
    """
    page.on("dialog", lambda dialog: dialog.accept())  # "leave with unsaved changes?" on a reload
    for load in range(loads):
        if load == 0:
            page.goto(url, timeout=90 * SECONDS)
        else:
            page.reload(timeout=90 * SECONDS)
        page.wait_for_selector(".jp-Notebook .jp-CodeCell", timeout=90 * SECONDS)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90 * SECONDS)
        if cell_started(page, page.locator(".jp-Notebook .jp-CodeCell").first):
            return
    raise AssertionError(f"JupyterLab did not run the first cell in {loads} page loads")


def test_a_learner_revises_then_approves_in_jupyterlab(chromium: Path, lab: LabServer):
    from playwright.sync_api import expect, sync_playwright

    base, token = lab.base, lab.token
    started = time.monotonic()
    console: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1300})
        page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
        try:
            # Run the code cells top to bottom, as a learner pressing the run button, waiting
            # for each to finish; the last one awaits the learner's clicks.
            open_notebook(page, f"{base}/lab/tree/{NOTEBOOK}?reset&token={token}")
            code_cells = page.locator(".jp-Notebook .jp-CodeCell")
            count = sum(c.cell_type == "code" for c in nbformat.read(HERE / NOTEBOOK, as_version=4).cells)
            for index in range(count):
                cell = code_cells.nth(index)
                if index > 0:
                    assert cell_started(page, cell), f"JupyterLab did not run code cell {index + 1}"
                if index < count - 1:
                    expect(cell.locator(".jp-InputPrompt")).to_have_text(re.compile(r"\[\d+\]"), timeout=90 * SECONDS)

            card = page.locator(".wfkit-request-card")
            expect(card.get_by_role("button", name="Approve")).to_be_enabled(timeout=120 * SECONDS)
            expect(card).to_contain_text("Pre-order today!")
            # The kernel runs in this test's environment (the venv), not some other python.
            outputs = page.locator(".jp-OutputArea-output")
            expect(outputs.filter(has_text="KERNEL PYTHON:")).to_contain_text(str(Path(sys.executable).parent))
            screenshot(page, "01-approval-prompt.png")

            card.get_by_placeholder("Feedback for a revision").fill(FEEDBACK)
            screenshot(page, "02-feedback-typed.png")
            card.get_by_role("button", name="Revise").click()

            revised = page.locator(".wfkit-request-card", has_text=f"(revised: {FEEDBACK})")
            approve = revised.get_by_role("button", name="Approve")
            expect(approve).to_be_enabled(timeout=60 * SECONDS)
            screenshot(page, "03-revised-draft.png")
            approve.click()

            final = outputs.filter(has_text="FINAL OUTPUT:")
            expect(final).to_contain_text(f"(revised: {FEEDBACK})", timeout=60 * SECONDS)
            expect(page.locator(".wfkit-status")).to_contain_text("finished", timeout=30 * SECONDS)
            expect(page.locator(".wfkit-output")).to_contain_text(f"(revised: {FEEDBACK})")
            done = "#bbf7d0"  # the "done" fill of wfkit.viz.dot.STATE_COLOURS
            wait_for_fills(page, {"writer": done, "review": done, "publish": done}, timeout=30 * SECONDS)
            screenshot(page, "04-finished.png")
            expect(page.locator(".wfkit-request-card")).to_have_count(0)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "failure.png"), full_page=True)
            (ARTIFACTS / "failure.html").write_text(page.content())
            raise
        finally:
            (ARTIFACTS / "browser-console.log").write_text("\n".join(console))
            browser.close()
    (ARTIFACTS / "duration.txt").write_text(f"{time.monotonic() - started:.1f}s from page load to the last check\n")
