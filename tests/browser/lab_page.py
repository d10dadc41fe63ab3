"""What the browser tests do on a JupyterLab page, as a learner does it: open a notebook, run a
cell with the ▶ button, run it again, interrupt the kernel, find the approval card, take a
screenshot. Every browser test uses these, so they all behave the same way.
"""

from __future__ import annotations

import re
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "browser"
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

FILLS = """() => {
    const fills = {};
    for (const node of document.querySelectorAll('.wfkit-graph svg g.node')) {
        const title = node.querySelector('title').textContent;
        const shape = node.querySelector('path, polygon, ellipse');
        if (!title.startsWith('(')) fills[title] = shape.getAttribute('fill');
    }
    return fills;
}"""


@contextmanager
def browser_page(chromium: Path, artifact_prefix: str) -> Iterator:
    """A Chromium page; on failure its screenshot and HTML are saved as
    ``<artifact_prefix>-failure.png/.html``, and the browser console always."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for stale in ARTIFACTS.glob(f"{artifact_prefix}-failure.*"):
        stale.unlink()  # left by an earlier failed run
    console: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1300})
        page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
        try:
            yield page
        except BaseException:
            page.screenshot(path=str(ARTIFACTS / f"{artifact_prefix}-failure.png"), full_page=True)
            (ARTIFACTS / f"{artifact_prefix}-failure.html").write_text(page.content())
            raise
        finally:
            (ARTIFACTS / f"{artifact_prefix}-console.log").write_text("\n".join(console))
            browser.close()


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


def screenshot(page, name: str, *, of=None) -> Path:
    """Save the page (or just the element `of`) with the run view scrolled into sight."""
    path = ARTIFACTS / name
    if of is not None:
        of.scroll_into_view_if_needed()
        of.screenshot(path=str(path))
        return path
    view = page.locator(".wfkit-run-view")
    if view.count():
        _scroll_to_the_run_view(page)
    page.screenshot(path=str(path), full_page=True)
    return path


def _scroll_to_the_run_view(page, tries: int = 3) -> None:
    """Scroll the last run view into sight. When a run ends after its cell did (a click went on
    with it), the kernel updates the cell's display so the saved picture shows the end; JupyterLab
    then draws the view anew, and a view found a moment before may be gone: look it up again."""
    from playwright.sync_api import Error as PlaywrightError

    for attempt in range(tries):
        try:
            page.locator(".wfkit-run-view").last.scroll_into_view_if_needed(timeout=5_000)
            page.locator(".wfkit-status").last.scroll_into_view_if_needed(timeout=5_000)
            return
        except PlaywrightError:
            if attempt == tries - 1:
                raise
            page.wait_for_timeout(300)


def run_button(page):
    return page.locator("[data-command='notebook:run-cell-and-select-next']").first


def cell_started(page, cell, tries: int = 2) -> bool:
    """Select `cell` and press the notebook toolbar's run button (▶), until JupyterLab shows the
    cell running or run ([*] or [n]); False if it never does. A cell that never started is safe
    to run again; one that started is never sent twice."""
    from playwright.sync_api import expect

    prompt = cell.locator(".jp-InputPrompt")
    for _ in range(tries):
        cell.click()
        page.keyboard.press("Escape")  # command mode: the click may have put the cursor in the editor
        run_button(page).click()
        try:
            expect(prompt).to_have_text(re.compile(r"\[(\*|\d+)\]"), timeout=15 * SECONDS)
            return True
        except AssertionError:
            continue
    return False


def run_again(page, cell) -> None:
    """Run a cell that is still running ([*]) once more, as a learner pressing ▶ on it again.
    JupyterLab clears its output at once and queues the new run behind the old one."""
    cell.click()
    page.keyboard.press("Escape")
    run_button(page).click()


def interrupt_kernel(page) -> None:
    """The toolbar's ■ button: Kernel > Interrupt Kernel."""
    page.locator("[data-command='notebook:interrupt-kernel']").first.click()


def open_notebook(page, url: str, loads: int = 3, start=None) -> None:
    """Open the lesson and run its first code cell, as a learner would (or do `start(page)`,
    which says whether the notebook really started running).

    In some full test runs from a fresh clone (about one in four), a freshly opened JupyterLab
    took the run command, Shift+Enter or the ▶ button alike, and never sent the first cell to
    its kernel: the cell stayed at [ ], the kernel idle, no error in the browser or the server
    log. A learner would reload the page; so does this, up to `loads` times, until the
    notebook really runs. The cells after it are never retried this way.
    """
    start = start or (lambda page: cell_started(page, page.locator(".jp-Notebook .jp-CodeCell").first))
    page.on("dialog", lambda dialog: dialog.accept())  # "leave with unsaved changes?" on a reload
    for load in range(loads):
        if load == 0:
            page.goto(url, timeout=90 * SECONDS)
        else:
            page.reload(timeout=90 * SECONDS)
        wait_for_kernel(page)
        if start(page):
            return
    raise AssertionError(f"JupyterLab did not run the notebook in {loads} page loads")


def wait_for_kernel(page) -> None:
    """Wait until the notebook is drawn and its kernel is idle (started by itself: `make lab`'s
    settings, which the harness copies, turn JupyterLab's "Select Kernel" question off)."""
    page.wait_for_selector(".jp-Notebook .jp-CodeCell", timeout=90 * SECONDS)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90 * SECONDS)


def run_cells_in_order(page, count: int) -> None:
    """Run code cells 2..count with ▶, waiting for each but the last to finish (the first was
    run by `open_notebook`)."""
    from playwright.sync_api import expect

    cells = page.locator(".jp-Notebook .jp-CodeCell")
    expect(cells.nth(0).locator(".jp-InputPrompt")).to_have_text(re.compile(r"\[\d+\]"), timeout=90 * SECONDS)
    for index in range(1, count):
        cell = cells.nth(index)
        assert cell_started(page, cell), f"JupyterLab did not run code cell {index + 1}"
        if index < count - 1:
            expect(cell.locator(".jp-InputPrompt")).to_have_text(re.compile(r"\[\d+\]"), timeout=90 * SECONDS)


def run_all(page) -> bool:
    """Run > Run All Cells; True once every code cell is queued ([*]) or run ([n]), none left at [ ]."""
    from playwright.sync_api import Error as PlaywrightError

    # JupyterLab may still swap the kernel it first started for the notebook's own (the
    # server log shows one started and shut down within a second): let that settle.
    time.sleep(2)
    wait_for_kernel(page)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    try:
        page.wait_for_function(
            "() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]"
            ".every(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))",
            timeout=15 * SECONDS,
        )
        return True
    except PlaywrightError:
        return False


def code_cells_done(page) -> tuple[int, int]:
    """(code cells run to the end, code cells) on the page."""
    # textContent, not innerText: JupyterLab skips drawing cells out of view, whose innerText is "".
    prompts = page.evaluate(
        "() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')].map(p => p.textContent)"
    )
    return sum(bool(re.fullmatch(r"\[\d+\]:?", p.strip())) for p in prompts), len(prompts)


def page_text(page) -> str:
    """Everything the notebook shows, as text."""
    return page.locator(".jp-Notebook").text_content() or ""  # cells out of view too


def no_traceback(page) -> None:
    """No cell shows a Python traceback or an error output."""
    text = page_text(page)
    assert "Traceback" not in text and "CancelledError" not in text, text[-3000:]
    assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0


def elapsed(since: float) -> float:
    return round(time.monotonic() - since, 1)


def code_cell_with(notebook: Path, text: str) -> int:
    """The place, among the code cells of `notebook`, of the first one whose source holds `text`."""
    import nbformat

    code = [cell.source for cell in nbformat.read(notebook, as_version=4).cells if cell.cell_type == "code"]
    return next(index for index, source in enumerate(code) if text in source)


def run_cell_answering_the_live_cards(page, cell, feedback: str) -> None:
    """Run `cell` and, while it runs, answer the run's cards as a learner does: Revise with
    `feedback` the first time, Approve after."""
    assert cell_started(page, cell)
    prompt = cell.locator(".jp-InputPrompt")
    revised = False
    for _ in range(240):
        if re.fullmatch(r"\[\d+\]:?", (prompt.text_content() or "").strip()):
            return
        card = cell.locator(".wfkit-run-view .wfkit-request-card").filter(
            has=page.get_by_role("button", name="Approve", disabled=False)
        )
        if card.count():
            if not revised:
                card.first.locator("textarea").fill(feedback)
                card.first.get_by_role("button", name="Revise").click()
                revised = True
            else:
                card.first.get_by_role("button", name="Approve").click()
            page.wait_for_timeout(1500)  # the card locks at once and goes when the run moves on
        page.wait_for_timeout(500)
    raise AssertionError(f"the cell did not finish: {prompt.text_content()}")
