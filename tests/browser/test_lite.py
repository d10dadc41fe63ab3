"""The course in the browser with nothing installed: the JupyterLite site `make lite` builds.

The site is built once for this module (scripts/build_lite.py, from the package registries),
served on 127.0.0.1 by scripts/serve_lite.py, and opened in Chromium with no way out: every
request to anywhere but 127.0.0.1 is refused and recorded, and the tests fail naming it. So a
pass means the course runs offline once the site is loaded, Python (Pyodide), wheels and
Graphviz (WebAssembly) all coming from the site itself.

**Every lesson, 00 to 09, is walked as a learner in the browser walks it**: Run > Run All
Cells; the cards answered with the answers the lesson's headless run is given
(``metadata.wfkit.test_parameters``), typed and clicked; where a cell needs a card's answer
(``await result.wait_for_answers()``) Run All stops there, saying "Answer the card above
first, then run this cell again", and the walk answers the card and goes on with Run > Run
Selected Cell and All Below. A lesson's last cell (tagged ``final``) must then show exactly what
its headless run shows (``metadata.wfkit.expected_final_output``). Lesson 6 says in its last
cell to answer the cards above when it ran before the clicks (its runs do not need a cell
waiting for them): the walk runs that cell again after the cards, as the lesson asks. Also:

- the exercise's check runs, and its ``reveal()`` shows the reference solution (read from the
  hidden .solutions/ folder on the site);
- the first card of a lesson shows its run's status saying why the cell did not wait, and every
  card is answered by the end (no run still waiting);
- Graphviz (in WebAssembly) draws the workflows, never the Mermaid fallback, the first one of a
  Run All included; lesson 1's run explorer draws its step; lesson 2's graph ends all done;
- lesson 3's checkpoint files are in the browser's storage: a new kernel, after the page is
  loaded again, reads as many checkpoints as the lesson wrote.

Lesson 2 is also taken cell by cell, each card answered before the next cell runs.

Screenshots: test-artifacts/browser/lite-*.png; each lesson's seconds in
lite-course-durations.txt, the build's in lite-build-seconds.txt. Skipped, saying what to
install, without the `lite` extra's tools or npm.

For local iteration only, ``WFKIT_LITE_SITE=build/lite`` serves a site built before (``make
lite``) instead of building one: the test then says nothing about the build itself.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from tests.browser.lab_page import (
    ARTIFACTS,
    SECONDS,
    browser_page,
    executor_fills,
    no_traceback,
    run_all,
    screenshot,
    wait_for_kernel,
)
from wfkit.viz.dot import STATE_COLOURS

REPO = Path(__file__).resolve().parents[2]
DONE_FILL = STATE_COLOURS["done"][0]
LESSONS = sorted(path.name for path in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
NOT_ANSWERED_YET = "NotAnsweredYetError"
# The words a run view's status starts with while its run is still going (wfkit.widgets.run_view).
STILL_GOING = ("running", "starting")

sys.path.insert(0, str(REPO / "scripts"))
from serve_lite import make_server  # noqa: E402  (scripts/ is not a package)


@dataclass
class Lesson:
    """What the walk needs to know of a lesson, read from its notebook file."""

    name: str
    answers: dict[int, list[Any]]  # by cell (its index among all cells): what its run's cards are answered with
    final_cell: int | None  # the index of its code cell tagged "final"
    expected_final_output: str | None
    exercise: str | None  # "lesson_03": the module its check and reveal() live in
    check_cell: int | None  # the index of the code cell that runs the exercise's check
    reveal_cell: int | None  # the index of the code cell "# lesson_03.reveal()"
    code_cell_count: int
    asking_code_cells: set[int]  # the indices of the code cells whose runs show cards

    @property
    def number(self) -> str:
        return self.name[:2]

    @classmethod
    def read(cls, name: str) -> Lesson:
        notebook = json.loads((REPO / "notebooks" / name).read_text())
        settings = notebook["metadata"].get("wfkit", {})
        given = settings.get("test_parameters", {}).get("answers")
        answers = {
            index: answers_of_the_run(given, "".join(cell["source"]))
            for index, cell in enumerate(notebook["cells"])
            if cell["cell_type"] == "code" and "wfkit.notebook.run(" in "".join(cell["source"])
        }
        code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
        exercise = settings.get("exercise")

        def first(found: Callable[[dict[str, Any]], bool]) -> int | None:
            return next((i for i, cell in enumerate(code) if found(cell)), None)

        return cls(
            name, answers,
            final_cell=first(lambda cell: "final" in cell["metadata"].get("tags", [])),
            expected_final_output=settings.get("expected_final_output"),
            exercise=exercise,
            check_cell=first(lambda cell: f"await {exercise}.check(" in "".join(cell["source"])),
            reveal_cell=first(lambda cell: "".join(cell["source"]).startswith(f"# {exercise}.reveal()")),
            code_cell_count=len(code),
            asking_code_cells={i for i, cell in enumerate(code) if "wfkit.notebook.run(" in "".join(cell["source"])},
        )


def answers_of_the_run(given: Any, source: str) -> list[Any]:
    """The answers a lesson's headless run gives the run in the cell `source`: the whole list to
    each ``run(..., answers=answers)``, or the one named, as lesson 8 picks ``answers["handoff"]``."""
    if isinstance(given, dict):
        return next((list(group) for key, group in given.items() if f'answers["{key}"]' in source), [])
    return list(given or []) if "answers=answers" in source else []


@pytest.fixture(scope="module")
def lite_site(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site built from this checkout (or the one WFKIT_LITE_SITE names), served on
    127.0.0.1; yields its address."""
    built_before = os.environ.get("WFKIT_LITE_SITE")
    if built_before:
        site = Path(built_before).resolve()
    else:
        site = build_the_site(tmp_path_factory.mktemp("lite"))
    server = make_server(site, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def build_the_site(workdir: Path) -> Path:
    missing = [name for name in ("jupyterlite_core", "jupyterlite_pyodide_kernel") if importlib.util.find_spec(name) is None]
    if missing:
        pytest.skip(f"The JupyterLite build needs {', '.join(missing)}: pip install -e '.[lite]'.")
    if shutil.which("npm") is None:
        pytest.skip("The JupyterLite build takes Pyodide and Graphviz from npm: install Node.js and npm.")
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
    return site


@pytest.fixture(scope="module")
def durations() -> Iterator[dict[str, str]]:
    """Each lesson's walk, in seconds (and what the walk had to do), written out at the end."""
    seen: dict[str, str] = {}
    yield seen
    (ARTIFACTS / "lite-course-durations.txt").write_text("".join(f"{name}: {line}\n" for name, line in seen.items()))


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


# --- the page, as a learner works it -----------------------------------------------------------


def code_cells(page):
    return page.locator(".jp-Notebook .jp-CodeCell")


def prompts(page) -> list[str]:
    """Each code cell's prompt: "[ ]" not run, "[*]" running or queued, "[7]" run."""
    # textContent: JupyterLab skips drawing cells out of view, whose innerText is "".
    return [p.strip().rstrip(":") for p in page.evaluate(
        "() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')].map(p => p.textContent)"
    )]


def wait_until_the_kernel_rests(page, what: str, seconds: float = 300) -> None:
    """Wait until no cell is running or queued, and the status bar says the kernel is idle
    (twice, a moment apart: between two cells of a Run All the kernel is idle for an instant).
    Not the toolbar's execution indicator: after Run All stops at an error, it keeps counting
    the cells Run All never ran, and stays busy."""
    deadline = time.monotonic() + seconds
    calm = 0
    while calm < 2:
        assert time.monotonic() < deadline, f"{what}: cells still running after {seconds} s: {prompts(page)}"
        idle = "| Idle" in (page.locator("#jp-main-statusbar").text_content() or "")
        calm = calm + 1 if idle and "[*]" not in prompts(page) else 0
        time.sleep(0.5)


def select_cell(page, cell) -> None:
    """Select `cell` in command mode, as a click on its prompt does."""
    cell.scroll_into_view_if_needed()
    cell.locator(".jp-InputPrompt").click()
    page.keyboard.press("Escape")


def run_menu(page, item: str) -> None:
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name=item, exact=True).click()


def output_text(cell) -> str:
    return cell.locator(".jp-OutputArea").text_content() or ""


def run_code_in_a_new_cell(page, code: str) -> str:
    """Add a code cell at the end of the notebook, type `code` in it, run it; return its output."""
    cells = page.locator(".jp-Notebook .jp-Cell")
    select_cell(page, cells.last)
    page.keyboard.press("b")  # a new cell below, selected
    page.keyboard.press("Enter")  # edit it
    page.keyboard.insert_text(code)  # as pasted: no brackets closed for us
    page.keyboard.press("Control+Enter")  # run it, and stay on it
    added = page.locator(".jp-Notebook .jp-CodeCell.jp-mod-active")
    from playwright.sync_api import expect

    expect(added.locator(".jp-InputPrompt")).to_have_text(re.compile(r"\[\d+\]"), timeout=60 * SECONDS)
    return output_text(added)


# --- cards ----------------------------------------------------------------------------------------

# A card still waiting for its answer, in a live run (the run explorer's cards fork, so they are left alone).
OPEN_CARDS = """() => [...document.querySelectorAll('.wfkit-run-view .wfkit-request-card')]
    .filter(card => !card.closest('.wfkit-explorer'))
    .filter(card => [...card.querySelectorAll('button')].some(b => ['Approve', 'Reject', 'Revise', 'Send'].includes(b.textContent.trim()) && !b.disabled))"""

# The click reached the kernel: the card locked itself (or its output was drawn anew).
CARD_TAKEN = """(card) => !card.isConnected || ![...card.querySelectorAll('button')].some(b => !b.disabled)"""

# Every live run in the cell at `index` has stopped: ended, or paused at a card still open.
RUNS_RESTING = """(index) => {
    const cell = document.querySelectorAll('.jp-Notebook .jp-Cell')[index];
    if (!cell) return true;
    const open = (view) => [...view.querySelectorAll('.wfkit-request-card button')].some(b => !b.disabled);
    return [...cell.querySelectorAll('.wfkit-run-view')].filter(v => !v.closest('.wfkit-explorer')).every(view => {
        const words = (view.querySelector('.wfkit-status span') || {textContent: ''}).textContent;
        if (%s.some(w => words.startsWith(w))) return false;
        return !words.startsWith('paused') || open(view);
    });
}""" % json.dumps(STILL_GOING)


def find(page, element: str):
    """The element the JavaScript expression `element` gives, scrolled into view; or None.

    JupyterLab keeps every cell of the notebook in the page (its default windowing mode,
    "contentVisibility", only skips painting the cells out of view), so a query finds an
    element of any cell without scrolling there first."""
    from playwright.sync_api import Error as PlaywrightError

    for _ in range(5):
        found = page.evaluate_handle(f"() => ({element}) || null").as_element()
        if found is None:
            return None
        try:
            found.scroll_into_view_if_needed(timeout=5 * SECONDS)
            return found
        except PlaywrightError:  # a run's display was drawn anew (its run went on): look again
            time.sleep(0.3)
    raise AssertionError(f"{element} kept being drawn anew")


def first_open_card(page):
    """The first card, from the top, that waits for an answer; None if none does."""
    return find(page, f"({OPEN_CARDS})()[0]")


def give(card, answer: Any) -> str:
    """Answer `card` as a learner does: click Approve or Reject, or type and click Revise or Send.
    `answer` is one of the lesson's test answers: True/False, "approve", a text, or a verdict
    ``{"approved": ..., "feedback": ...}``. Returns what was done, for the record."""
    buttons = [b.text_content().strip() for b in card.query_selector_all("button")]
    if isinstance(answer, dict):
        card.query_selector("textarea").fill(answer.get("feedback", ""))
        button = "Approve" if answer.get("approved") else "Revise"
    elif answer is True or (isinstance(answer, str) and answer.lower() == "approve"):
        button = "Approve"
    elif answer is False:
        button = "Reject"
    else:
        card.query_selector("textarea").fill(str(answer))
        button = "Send" if "Send" in buttons else "Revise"
    assert button in buttons, f"the card offers {buttons}, not {button} (for the answer {answer!r})"
    card.query_selector(f"button:text-is('{button}')").click()
    return button


def answer_the_cards(page, lesson: Lesson, given: dict[int, list[str]]) -> None:
    """Answer every card that waits, top to bottom, each with the next answer the lesson gives
    its run; after each, wait until the run has gone on and stopped again (it may ask anew)."""
    from playwright.sync_api import Error as PlaywrightError

    while (card := first_open_card(page)) is not None:
        cell = page.evaluate("(card) => [...document.querySelectorAll('.jp-Notebook .jp-Cell')].indexOf(card.closest('.jp-Cell'))", card)
        answers, done = lesson.answers.get(cell, []), given.setdefault(cell, [])
        assert len(done) < len(answers), (
            f"{lesson.name}: a card of cell {cell} asks, but the lesson's test_parameters answer its run only {answers}"
        )
        try:
            button = give(card, answers[len(done)])
        except PlaywrightError:  # the card was drawn anew before the click: find it again
            time.sleep(0.3)
            continue
        done.append(button)
        page.wait_for_function(CARD_TAKEN, arg=card, timeout=30 * SECONDS)
        page.wait_for_function(RUNS_RESTING, arg=cell, timeout=90 * SECONDS)


# --- the walk ---------------------------------------------------------------------------------------


def walk(page, lesson: Lesson, before_the_first_card: Callable[[Any], None]) -> tuple[dict[int, list[str]], int]:
    """Run All, then answer the cards and go on from wherever Run All stopped, until every code
    cell has run. Returns the answers given, by cell, and how many times a cell said to answer first."""
    assert run_all(page), f"{lesson.name}: Run All Cells did not queue every cell"
    given: dict[int, list[str]] = {}
    stops = 0
    while True:
        wait_until_the_kernel_rests(page, lesson.name)
        if not given and first_open_card(page) is not None:
            before_the_first_card(page)
        answer_the_cards(page, lesson, given)
        shown = prompts(page)
        if "[ ]" not in shown:
            return given, stops
        # Run All stopped at the cell before the first one it never ran: that cell must be
        # one that needs a card's answer, and says so.
        stopped = code_cells(page).nth(shown.index("[ ]") - 1)
        stopped.scroll_into_view_if_needed()
        said = output_text(stopped)
        assert NOT_ANSWERED_YET in said and "Answer the card above first" in said, f"{lesson.name}: Run All stopped at {said[-1500:]}"
        assert "Traceback" not in said, said  # one line for the learner, not a traceback
        if not stops:
            screenshot(page, f"lite-{lesson.number}-answer-first.png", of=stopped)
        stops += 1
        assert stops <= 6, f"{lesson.name}: still stopping after {stops} rounds of answers"
        select_cell(page, stopped)
        run_menu(page, "Run Selected Cell and All Below")
        time.sleep(1)  # the cells are queued: the kernel is busy with them


def walk_cell_by_cell(page, lesson: Lesson) -> dict[int, list[str]]:
    """Run each code cell in turn (Ctrl+Enter), answering its cards before running the next, as a
    learner who reads along does; no cell may stop to say a card is still waiting."""
    from playwright.sync_api import expect

    given: dict[int, list[str]] = {}
    for index in range(lesson.code_cell_count):
        cell = code_cells(page).nth(index)
        select_cell(page, cell)
        page.keyboard.press("Control+Enter")
        expect(cell.locator(".jp-InputPrompt")).to_have_text(re.compile(r"\[\d+\]"), timeout=90 * SECONDS)
        assert NOT_ANSWERED_YET not in output_text(cell), f"{lesson.name}: code cell {index} says a card still waits"
        if index in lesson.asking_code_cells:
            wait_until_the_kernel_rests(page, lesson.name, 90)
            answer_the_cards(page, lesson, given)
    return given


def final_value(page, lesson: Lesson) -> str:
    cell = code_cells(page).nth(lesson.final_cell)
    cell.scroll_into_view_if_needed()
    return cell.locator(".jp-OutputArea-output").last.text_content() or ""


def check_the_final_value(page, lesson: Lesson) -> bool:
    """The final cell shows what the headless run shows. A final cell that ran before the cards
    were answered and says so ("answer its card above") is run again, as the learner is told;
    returns whether it was."""
    if lesson.final_cell is None or lesson.expected_final_output is None:
        return False
    shown = final_value(page, lesson)
    again = shown.strip() != lesson.expected_final_output.strip() and "answer its card above" in shown
    if again:
        from playwright.sync_api import expect

        cell = code_cells(page).nth(lesson.final_cell)
        select_cell(page, cell)
        page.keyboard.press("Control+Enter")
        expect(cell.locator(".jp-InputPrompt")).to_have_text(re.compile(r"\[\d+\]"), timeout=60 * SECONDS)
        wait_until_the_kernel_rests(page, lesson.name, 60)
        shown = final_value(page, lesson)
    assert shown.strip() == lesson.expected_final_output.strip(), f"{lesson.name}: the final cell shows\n{shown}"
    return again


def check_the_exercise(page, lesson: Lesson) -> None:
    """The check ran (it says how the learner's answer did), and reveal() shows the solution."""
    if lesson.exercise is None:
        return
    from playwright.sync_api import expect

    assert lesson.check_cell is not None and lesson.reveal_cell is not None, f"{lesson.name}: no check or reveal cell"
    checked = code_cells(page).nth(lesson.check_cell)
    checked.scroll_into_view_if_needed()
    assert re.search(r"✗ Not yet|✓", output_text(checked)), output_text(checked)[-800:]
    reveal = code_cells(page).nth(lesson.reveal_cell)
    select_cell(page, reveal)
    page.keyboard.press("Enter")  # edit it: remove the #, as the lesson says
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(f"{lesson.exercise}.reveal()")
    page.keyboard.press("Control+Enter")
    expect(reveal.locator(".jp-OutputArea")).to_contain_text("The reference solution", timeout=60 * SECONDS)


def status_says_the_cell_cannot_wait(page) -> None:
    """The first card's run says, on its status line, why its cell did not wait for the click."""
    from playwright.sync_api import expect

    first_open_card(page)  # brings it into view
    view = page.locator(".wfkit-run-view", has=page.locator(".wfkit-request-card")).filter(
        has_text="In the browser a cell cannot wait for a click"
    )
    expect(view.first).to_be_visible(timeout=10 * SECONDS)


# Lessons that show no workflow's graph: the index, and lesson 9 (runs on two frameworks, in text).
DRAW_NO_GRAPH = {"00", "09"}


# A drawing by Graphviz: a live graph's SVG, or a workflow shown in a cell (JupyterLab puts an
# image/svg+xml output in an <img>; Graphviz signs what it writes).
GRAPHVIZ_DRAWING = (
    "document.querySelector('.jp-Notebook svg g.node')"
    " || document.querySelector(\".jp-OutputArea-output img[src*='Generated%20by%20graphviz']\")"
)
# What a workflow shown in a cell falls back to when Graphviz cannot draw it: a Mermaid picture.
FALLBACK_DRAWING = "document.querySelector('.jp-OutputArea-output .jp-RenderedMermaid')"


# --- what some lessons show besides -----------------------------------------------------------------


def lesson_01_explorer_draws_its_step(page) -> None:
    from playwright.sync_api import expect

    explorer = page.locator(".wfkit-explorer").last
    explorer.scroll_into_view_if_needed()
    expect(explorer.locator(".wfkit-explorer-step svg")).to_have_count(1, timeout=30 * SECONDS)
    screenshot(page, "lite-01-explorer.png", of=explorer)


def lesson_02_graph_ends_done(page) -> None:
    view = page.locator(".wfkit-run-view").first
    view.scroll_into_view_if_needed()
    page.wait_for_function(
        "(done) => { const boxes = [...document.querySelectorAll('.wfkit-graph svg g.node')]"
        ".filter(n => !n.querySelector('title').textContent.startsWith('('));"
        " return boxes.length > 0 && boxes.every(n => n.querySelector('path, polygon').getAttribute('fill') === done); }",
        arg=DONE_FILL,
        timeout=60 * SECONDS,
    )
    assert set(executor_fills(page).values()) == {DONE_FILL}
    screenshot(page, "lite-02.png", of=view)


COUNT_CHECKPOINTS = (
    "from wfkit import FileCheckpointStorage\n"
    "kept = await FileCheckpointStorage('checkpoints/lesson03/release_notes').list_checkpoints(workflow_name='release_notes')\n"
    "print(len(kept), 'checkpoints')"
)


def lesson_03_checkpoints_survive_a_reload(page) -> None:
    """The files the lesson's runs saved are in the browser's storage (JupyterLite's drive): the
    page is loaded again, a new kernel starts, and it reads them all."""
    before = re.search(r"(\d+) checkpoints", run_code_in_a_new_cell(page, COUNT_CHECKPOINTS))
    assert before and int(before[1]) > 0, "lesson 3 saved no checkpoints in the browser"
    page.on("dialog", lambda dialog: dialog.accept())  # "leave with unsaved changes?"
    page.reload(timeout=90 * SECONDS)
    wait_for_kernel(page)
    after = re.search(r"(\d+) checkpoints", run_code_in_a_new_cell(page, COUNT_CHECKPOINTS))
    assert after and after[1] == before[1], f"after a reload: {after and after[0]}, before: {before[0]}"
    screenshot(page, "lite-03-after-reload.png", of=page.locator(".jp-Notebook .jp-CodeCell.jp-mod-active"))


AFTER_THE_WALK: dict[str, Callable[[Any], None]] = {
    "01": lesson_01_explorer_draws_its_step,
    "02": lesson_02_graph_ends_done,
    "03": lesson_03_checkpoints_survive_a_reload,
}


@pytest.mark.parametrize("name", LESSONS, ids=[name[:2] for name in LESSONS])
def test_the_lesson_runs_to_its_end_in_the_browser(chromium: Path, lite_site: str, durations: dict[str, str], name: str) -> None:
    from playwright.sync_api import expect

    lesson = Lesson.read(name)
    with browser_page(chromium, f"lite-course-{lesson.number}") as page:
        started = time.monotonic()
        refused = offline(page, lite_site)
        page.goto(f"{lite_site}/lab/index.html?path={name}", timeout=90 * SECONDS)
        wait_for_kernel(page)

        def first_card(page) -> None:
            status_says_the_cell_cannot_wait(page)
            screenshot(page, f"lite-{lesson.number}-card.png", of=page.locator(".wfkit-run-view", has=page.locator(".wfkit-request-card")).first)

        given, stops = walk(page, lesson, first_card)
        assert {cell: len(done) for cell, done in given.items()} == {cell: len(a) for cell, a in lesson.answers.items() if a}, (
            f"{name}: answered {given}, the lesson's runs are answered {lesson.answers}"
        )
        expect(page.locator(".wfkit-status", has_text="waiting for answers")).to_have_count(0, timeout=30 * SECONDS)
        ran_final_again = check_the_final_value(page, lesson)
        check_the_exercise(page, lesson)
        no_traceback(page)
        if lesson.number not in DRAW_NO_GRAPH:
            assert find(page, GRAPHVIZ_DRAWING) is not None, f"{name} shows no graph drawn by Graphviz"
        assert find(page, FALLBACK_DRAWING) is None, f"{name}: a workflow was drawn by Mermaid, not Graphviz"
        screenshot(page, f"lite-course-{lesson.number}.png")
        if lesson.number in AFTER_THE_WALK:
            AFTER_THE_WALK[lesson.number](page)
        assert refused == [], f"{name}: the page tried to reach outside the site: {refused}"
        notes = [f"{sum(map(len, given.values()))} card answers"] + [f"Run All stopped {stops}x for an answer"] * bool(stops)
        notes += ["final cell run again after the cards"] * ran_final_again
        durations[name] = f"{time.monotonic() - started:.1f}s ({', '.join(notes)})"


def test_a_lesson_taken_cell_by_cell_answers_each_card_before_the_next_cell(chromium: Path, lite_site: str, durations: dict[str, str]) -> None:
    """Lesson 2, the one that brings in the cards, as a learner who runs one cell at a time and
    answers each card before the next cell: nothing stops, and the last cell is right at once."""
    lesson = Lesson.read(next(name for name in LESSONS if name.startswith("02")))
    with browser_page(chromium, "lite-cell-by-cell-02") as page:
        started = time.monotonic()
        refused = offline(page, lite_site)
        page.goto(f"{lite_site}/lab/index.html?path={lesson.name}", timeout=90 * SECONDS)
        wait_for_kernel(page)
        given = walk_cell_by_cell(page, lesson)
        assert {cell: len(done) for cell, done in given.items()} == {cell: len(a) for cell, a in lesson.answers.items() if a}
        assert not check_the_final_value(page, lesson)  # right the first time: it ran after the cards
        no_traceback(page)
        screenshot(page, "lite-cell-by-cell-02.png")
        assert refused == [], f"the page tried to reach outside the site: {refused}"
        durations[f"{lesson.name}, cell by cell"] = f"{time.monotonic() - started:.1f}s"
