"""The course in the browser with nothing installed: the JupyterLite site `make lite` builds.

The site is built once for this module (scripts/build_lite.py, from the package registries),
served on 127.0.0.1 by scripts/serve_lite.py, and opened in Chromium with no way out: every
request to anywhere but 127.0.0.1 is refused and recorded, and the tests fail naming it. So a
pass means the course runs offline once the site is loaded, Python (Pyodide), wheels and
Graphviz (WebAssembly) all coming from the site itself.

- Lessons 01 and 02 run every cell; lesson 02's card is clicked, its run finishes in the
  background (in the browser a cell cannot wait for a click) and the graph shows it done.
- The lessons of `RUN_ALL_LESSONS` run to their end with Run All Cells, cards answered after.
  Not yet the others: with Run All, the cells after a card run before the learner can click it
  (the browser's kernel takes the click only once the cell has ended), and lesson 05 runs the
  card's workflow again in a later cell, so the click then answers a request that run no longer
  has (RequestResponseError: "No pending request has id ..."). Taken cell by cell, answering
  each card before the next cell, they need a test that steps so; see issue 32.

Screenshots: test-artifacts/browser/lite-*.png. Skipped, saying what to install, without the
`lite` extra's tools or npm.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest

from tests.browser.lab_page import (
    ARTIFACTS,
    SECONDS,
    browser_page,
    code_cells_done,
    executor_fills,
    no_traceback,
    run_all,
    screenshot,
    wait_for_kernel,
)
from wfkit.viz.dot import STATE_COLOURS

REPO = Path(__file__).resolve().parents[2]
DONE_FILL = STATE_COLOURS["done"][0]
# What a learner types on a card that asks for a reply (the team lesson's customer), in order.
REPLIES = ["It's order 1042.", "No, that's all, thanks!"]
# Lessons seen to run to their end with Run All Cells in the browser (see the module docstring).
RUN_ALL_LESSONS = ("00", "01", "02", "03", "04")

sys.path.insert(0, str(REPO / "scripts"))
from serve_lite import make_server  # noqa: E402  (scripts/ is not a package)


def lesson(number: str) -> str:
    """The file name of lesson `number` in notebooks/ (names change; numbers 01 and 02 stay)."""
    [path] = sorted((REPO / "notebooks").glob(f"{number}_*.ipynb"))
    return path.name


@pytest.fixture(scope="module")
def lite_site(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site built from this checkout, served on 127.0.0.1; yields its address."""
    missing = [name for name in ("jupyterlite_core", "jupyterlite_pyodide_kernel") if importlib.util.find_spec(name) is None]
    if missing:
        pytest.skip(f"The JupyterLite build needs {', '.join(missing)}: pip install -e '.[lite]'.")
    if shutil.which("npm") is None:
        pytest.skip("The JupyterLite build takes Pyodide and Graphviz from npm: install Node.js and npm.")
    workdir = tmp_path_factory.mktemp("lite")
    site = workdir / "site"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with open(ARTIFACTS / "lite-build.log", "w") as log:
        built = subprocess.run(
            [sys.executable, str(REPO / "scripts" / "build_lite.py"), "--out", str(site), "--work", str(workdir / "work")],
            stdout=log, stderr=subprocess.STDOUT, timeout=900,
        )
    assert built.returncode == 0, f"make lite failed: see {ARTIFACTS / 'lite-build.log'}"
    (ARTIFACTS / "lite-build-seconds.txt").write_text(f"{time.monotonic() - started:.0f}\n")
    server = make_server(site, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def offline(page, base: str) -> list[str]:
    """Refuse every request not to the site, as a computer with no network would; return the
    list the refused addresses are recorded in."""
    refused: list[str] = []

    def route(route) -> None:
        url = route.request.url
        if url.startswith(base + "/") or url.startswith(("blob:", "data:")):
            route.continue_()
        else:
            refused.append(url)
            route.abort()

    page.route("**/*", route)
    return refused


def open_and_run_all(page, base: str, name: str) -> None:
    """Open lesson `name` in JupyterLite, Run All Cells, and wait until every code cell has run."""
    page.goto(f"{base}/lab/index.html?path={name}", timeout=90 * SECONDS)
    wait_for_kernel(page)
    assert run_all(page), f"{name}: Run All Cells did not queue every cell"
    deadline = time.monotonic() + 300
    while code_cells_done(page)[0] < code_cells_done(page)[1]:
        assert time.monotonic() < deadline, f"{name}: {code_cells_done(page)} code cells ran in 300 s"
        time.sleep(0.5)


def bring_into_view(page, locator) -> None:
    """Scroll the notebook from the top until `locator` is drawn: JupyterLab draws only the cells
    near the view, so an element of a cell far above is not there to scroll to."""
    page.evaluate("() => document.querySelector('.jp-WindowedPanel-outer').scrollTo(0, 0)")
    for _ in range(200):
        if locator.count() and locator.first.is_visible():
            locator.first.scroll_into_view_if_needed()
            return
        page.evaluate("() => document.querySelector('.jp-WindowedPanel-outer').scrollBy(0, 400)")
        time.sleep(0.1)
    raise AssertionError(f"{locator} never came into view")


def answer_cards(page, limit: int = 12) -> list[str]:
    """Sweep the notebook from top to bottom and click every card waiting for an answer
    (Approve, or a typed reply for a question), again until a whole sweep finds none; return what
    was clicked. Each click carries its run on in the background, which may ask again."""
    clicked: list[str] = []
    while len(clicked) < limit:
        answered = _answer_one_card(page, clicked)
        if answered is None:
            return clicked
        clicked.append(answered)
        time.sleep(2.0)  # the run goes on, and may show its next card
    raise AssertionError(f"still asking after {limit} answers: {clicked}")


def _answer_one_card(page, clicked: list[str]) -> str | None:
    scroller = "document.querySelector('.jp-WindowedPanel-outer')"
    page.evaluate(f"() => {scroller}.scrollTo(0, 0)")
    for _ in range(300):
        cards = page.locator(".wfkit-request-card")
        reply = cards.filter(has=page.get_by_role("button", name="Send", disabled=False))
        approve = cards.filter(has=page.get_by_role("button", name="Approve", disabled=False))
        if reply.count():
            reply.first.scroll_into_view_if_needed()
            reply.first.locator("textarea").fill(REPLIES[min(clicked.count("Send"), len(REPLIES) - 1)])
            reply.first.get_by_role("button", name="Send").click()
            return "Send"
        if approve.count():
            approve.first.scroll_into_view_if_needed()
            approve.first.get_by_role("button", name="Approve").click()
            return "Approve"
        at_end = page.evaluate(f"() => {{ const s = {scroller}; return s.scrollTop + s.clientHeight >= s.scrollHeight - 2; }}")
        if at_end:
            return None
        page.evaluate(f"() => {scroller}.scrollBy(0, 400)")
        time.sleep(0.1)
    return None


def drawn_graphs(page) -> int:
    """How many Graphviz drawings (an SVG with executor boxes) the notebook shows."""
    return page.locator(".jp-Notebook svg g.node").count()


def test_lessons_01_and_02_run_offline_and_a_clicked_card_finishes_the_run(chromium: Path, lite_site: str) -> None:
    from playwright.sync_api import expect

    with browser_page(chromium, "lite-01") as page:
        refused = offline(page, lite_site)
        open_and_run_all(page, lite_site, lesson("01"))
        no_traceback(page)
        assert drawn_graphs(page) > 0, "lesson 01 shows no graph drawn by Graphviz"
        explorer = page.locator(".wfkit-explorer").last
        expect(explorer.locator(".wfkit-explorer-step svg")).to_have_count(1, timeout=30 * SECONDS)
        screenshot(page, "lite-01-explorer.png", of=explorer)
        screenshot(page, "lite-01.png")
        assert refused == [], f"the page tried to reach outside the site: {refused}"

    with browser_page(chromium, "lite-02") as page:
        refused = offline(page, lite_site)
        open_and_run_all(page, lite_site, lesson("02"))
        no_traceback(page)
        # The run cell returned at the pause, saying why; the card waits for the learner.
        status = page.locator(".wfkit-status").first
        bring_into_view(page, status)
        expect(status).to_contain_text("In the browser a cell cannot wait for a click")
        card = page.locator(".wfkit-request-card")
        bring_into_view(page, card)
        expect(card).to_have_count(1)
        screenshot(page, "lite-02-card.png", of=page.locator(".wfkit-run-view").first)
        card.get_by_role("button", name="Approve").click()
        expect(status).to_contain_text("finished", timeout=60 * SECONDS)
        page.wait_for_function(
            "(done) => { const boxes = [...document.querySelectorAll('.wfkit-graph svg g.node')]"
            ".filter(n => !n.querySelector('title').textContent.startsWith('('));"
            " return boxes.length > 0 && boxes.every(n => n.querySelector('path, polygon').getAttribute('fill') === done); }",
            arg=DONE_FILL,
            timeout=60 * SECONDS,
        )
        assert set(executor_fills(page).values()) == {DONE_FILL}
        screenshot(page, "lite-02.png", of=page.locator(".wfkit-run-view").first)
        assert refused == [], f"the page tried to reach outside the site: {refused}"


def test_the_first_lessons_run_to_their_end_in_the_browser_with_run_all(chromium: Path, lite_site: str) -> None:
    from playwright.sync_api import expect

    lessons = sorted(path.name for path in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb") if path.name[:2] in RUN_ALL_LESSONS)
    seconds: dict[str, float] = {}
    for name in lessons:
        with browser_page(chromium, f"lite-course-{name[:2]}") as page:
            started = time.monotonic()
            refused = offline(page, lite_site)
            open_and_run_all(page, lite_site, name)
            answer_cards(page)
            no_traceback(page)
            expect(page.locator(".wfkit-status", has_text="waiting for answers")).to_have_count(0, timeout=60 * SECONDS)
            screenshot(page, f"lite-course-{name[:2]}.png")
            assert refused == [], f"{name}: the page tried to reach outside the site: {refused}"
            seconds[name] = round(time.monotonic() - started, 1)
    (ARTIFACTS / "lite-course-durations.txt").write_text("".join(f"{k}: {v}s\n" for k, v in seconds.items()))
