"""The whole course in JupyterLab, as a learner takes it after `make lab` on a fresh clone.

A committed copy of this repository gets its learner's copy of the course (scripts/course.py,
what `make lab` runs before JupyterLab), and a JupyterLab serves it as `make lab` does. Every
lesson is opened in Chromium and run with Run > Run All Cells; each approval card that appears
is answered as a learner would (lesson 2: Revise with feedback once, then Approve; a question for
the user gets a typed reply, lesson 8's customer's; elsewhere Approve), after checking that the card
shows its whole text without a box to scroll. Every lesson must run to its last cell with no error;
each graph that counts on its arrows has one legend per kind of count; no word of the test
machinery is on the page; and where the lesson has an exercise, its reveal cell (the # removed, as
the lesson says) shows the reference solution, highlighted. Afterwards `git status` of the clone
must be clean: autosave wrote the outputs into course/, never into notebooks/.
Screenshots: test-artifacts/browser/course-*.png.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path

import nbformat
import pytest

from tests.browser.harness import start_lab
from tests.browser.lab_page import (
    ARTIFACTS,
    SECONDS,
    browser_page,
    code_cells_done,
    no_traceback,
    open_notebook,
    run_all,
    screenshot,
)
from tests.setup_helpers import copy_of_repository, git, run_script

LESSON_02_FEEDBACK = "Add an example."
# What a learner types on the cards that ask for a reply, by lesson, in order.
REPLIES = {"08": ["It's order 1042.", "No, that's all, thanks!"]}


@pytest.fixture(scope="module")
def course_lab(chromium, tmp_path_factory):
    """A committed clone with its course/ prepared, and JupyterLab serving course/."""
    workdir = tmp_path_factory.mktemp("course")
    repo = copy_of_repository(workdir / "clone", commit=True)
    prepared = run_script(repo / "scripts" / "course.py", "prepare")
    assert prepared.returncode == 0, prepared.stderr
    server = start_lab(repo / "course", workdir, ARTIFACTS / "jupyter-server-course.log", token=secrets.token_hex(16))
    server.root = repo / "course"
    try:
        yield repo, server
    finally:
        server.stop()


def answer_cards_until_done(page, lesson: str, timeout: float = 240) -> list[str]:
    """Answer every card that appears until every code cell has run; return what was clicked."""
    clicked: list[str] = []
    deadline = time.monotonic() + timeout
    while True:
        done, total = code_cells_done(page)
        if done == total:
            return clicked
        assert time.monotonic() < deadline, f"{lesson}: {done} of {total} code cells ran in {timeout}s"
        reply_card = page.locator(".wfkit-request-card").filter(has=page.get_by_role("button", name="Send", disabled=False))
        card = page.locator(".wfkit-request-card").filter(has=page.get_by_role("button", name="Approve", disabled=False))
        if reply_card.count():  # a question for the user (lesson 8's customer): type the reply, send it
            typed = REPLIES[lesson[:2]][clicked.count("Send")]
            reply_card.first.locator("textarea").fill(typed)
            reply_card.first.get_by_role("button", name="Send").click()
            clicked.append("Send")
            time.sleep(1.0)
        elif card.count():
            card = card.first
            assert_readable_without_scrolling(card, lesson)
            if lesson.startswith("02") and not clicked:
                # Lesson 2's typed ReviewResponse: approval buttons, no form fields for its ids.
                assert card.get_by_role("button", name="Revise").count() == 1
                assert card.locator("input[type='text'], input[type='checkbox']").count() == 0
                screenshot(page, "course-02-card.png", of=card)
                card.locator("textarea").fill(LESSON_02_FEEDBACK)
                card.get_by_role("button", name="Revise").click()
                clicked.append("Revise")
            else:
                card.get_by_role("button", name="Approve").click()
                clicked.append("Approve")
            time.sleep(1.0)  # the card locks at once and goes when the run moves on
        else:
            time.sleep(0.5)


# Boxes inside a card that scroll: a draft to be judged must not hide in one.
SCROLLED_BOXES = """(card) => [...card.querySelectorAll('*')].filter(box => {
    const overflow = getComputedStyle(box).overflowY;
    return (overflow === 'auto' || overflow === 'scroll') && box.scrollHeight > box.clientHeight + 2;
}).map(box => box.className || box.tagName)"""


def assert_readable_without_scrolling(card, lesson: str) -> None:
    """The card shows all of what it asks about: no box inside it needs scrolling."""
    assert card.evaluate(SCROLLED_BOXES) == [], f"{lesson}: a card hides part of its text in a scrolled box"


# Words of the test machinery that a learner's page must not show (cells, their outputs, the widgets).
MACHINERY_WORDS = ("papermill", "strict_checks", "headless", "the course's tests", "pytest")


def assert_no_machinery_words(page, lesson: str) -> None:
    text = page.locator(".jp-Notebook").inner_text().lower()
    assert not [word for word in MACHINERY_WORDS if word in text], f"{lesson}: test machinery on the page"


def assert_one_legend_per_mark(page, lesson: str) -> None:
    """Each graph that writes counts on its arrows ("2 delivered", "1 queued") explains them once."""
    for view in page.locator(".wfkit-run-view, .wfkit-explorer").all():
        for word in ("delivered", "queued"):
            legends = view.locator(f".wfkit-mark-legend[data-mark='{word}']").count()
            counted = view.locator("svg text", has_text=f" {word}").count()
            # (the explorer keeps its legend while the slider passes steps with nothing queued)
            assert legends == 1 if counted else legends <= 1, f"{lesson}: {counted} '{word}' counts, {legends} legends"


def reveal_the_solution(page, lesson: str) -> None:
    """Do what the lesson says after a try: remove the # in front of `lesson_0N.reveal()` and run
    the cell; the reference solution appears, syntax-coloured, in the learner's own names."""
    from playwright.sync_api import expect

    cell = page.locator(".jp-CodeCell").filter(has=page.locator(".cm-content", has_text=".reveal()")).last
    cell.scroll_into_view_if_needed()
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+Home")
    page.keyboard.press("Delete")  # the "#"
    page.keyboard.press("Delete")  # and its space
    expect(cell.locator(".cm-content")).to_contain_text(f"lesson_{lesson[:2]}.reveal()")
    page.keyboard.press("Shift+Enter")
    output = cell.locator(".jp-OutputArea-output")
    expect(output).to_contain_text("The reference solution", timeout=30 * SECONDS)
    expect(output).to_contain_text("def ")
    assert output.locator("span[style*='color']").count() > 5, f"{lesson}: the solution is not highlighted"
    screenshot(page, f"course-{lesson[:2]}-reveal.png", of=cell)


SMALLEST_LABEL = """(svg) => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return Math.min(...[...svg.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size')) * scale));
}"""


def smallest_graph_label_px(page) -> float:
    """The smallest label, in CSS px as drawn, of every live graph on the page."""
    sizes = []
    for graph in page.locator(".wfkit-graph svg").all():
        graph.scroll_into_view_if_needed()
        sizes.append(graph.evaluate(SMALLEST_LABEL))
    return min(sizes) if sizes else float("inf")


def test_every_lesson_runs_in_jupyterlab_and_git_stays_clean(chromium: Path, course_lab):
    from playwright.sync_api import expect

    repo, lab = course_lab
    lessons = sorted(path.name for path in (repo / "course").glob("*.ipynb"))
    assert len(lessons) == 10
    committed = {name: (repo / "notebooks" / name).read_bytes() for name in lessons}
    seconds: dict[str, float] = {}
    for lesson in lessons:
        with browser_page(chromium, f"course-{lesson[:2]}") as page:
            started = time.monotonic()
            open_notebook(page, f"{lab.base}/lab/tree/{lesson}?reset&token={lab.token}", start=run_all)
            clicked = answer_cards_until_done(page, lesson)
            if lesson.startswith("02"):
                assert clicked[:2] == ["Revise", "Approve"], clicked
            no_traceback(page)
            assert smallest_graph_label_px(page) >= 12, f"{lesson}: a graph label is drawn below 12 px"
            expect(page.locator(".wfkit-status", has_text="Waiting for your answer")).to_have_count(0)
            screenshot(page, f"course-{lesson[:2]}.png")
            assert_one_legend_per_mark(page, lesson)
            assert_no_machinery_words(page, lesson)
            if nbformat.read(repo / "course" / lesson, as_version=4).metadata.get("wfkit", {}).get("exercise"):
                reveal_the_solution(page, lesson)
            if lesson[:2] in ("01", "03"):  # the lessons that step through a run in the explorer
                explorer = page.locator(".wfkit-explorer").last
                expect(explorer.locator(".wfkit-explorer-step svg")).to_have_count(1, timeout=30 * SECONDS)
                expect(explorer).to_contain_text("What step")
                if lesson.startswith("03"):  # it forked the first question: two branches
                    expect(explorer).to_contain_text("fork 1, from step")
                screenshot(page, f"course-{lesson[:2]}-explorer.png", of=explorer)
            page.keyboard.press("Control+s")  # what autosave does a little later
            expect(page.locator(".jp-mod-dirty")).to_have_count(0, timeout=30 * SECONDS)
            seconds[lesson] = round(time.monotonic() - started, 1)
        executed = nbformat.read(repo / "course" / lesson, as_version=4)
        assert any(cell.get("outputs") for cell in executed.cells if cell.cell_type == "code"), lesson
    (ARTIFACTS / "course-durations.txt").write_text("".join(f"{k}: {v}s\n" for k, v in seconds.items()))

    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""
    assert {name: (repo / "notebooks" / name).read_bytes() for name in lessons} == committed
