"""The graph and the log linked both ways, in a real JupyterLab: clicks travel from the page to
the kernel and the highlight comes back.

- The live view (the review lesson, paused at its question), in JupyterLab and in Notebook 7: a
  click on a box narrows the log to that executor, with "Showing only ..." and Show all; a click
  on a log line highlights its executor and the arrow its message came along.
- Lesson 1's run explorer, as the lesson is: a click on a box narrows the explorer's log, a
  click on a log line moves the explorer to that line's step and highlights its executor and
  arrow; the arrow keys step.
- Lesson 3's run explorer: the shared state edited in the fork form, then the card's Approve
  forks with the edit, and the new branch ends as the edit implies.

Cells are found by what they hold, never by their place. Screenshots: test-artifacts/browser/links-*.png.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import copy_course_lesson, copy_lesson
from tests.browser.lab_page import (
    REPO,
    SECONDS,
    browser_page,
    code_cell_with,
    no_traceback,
    open_notebook,
    run_cell_answering_the_live_cards,
    run_cells_in_order,
    screenshot,
)

[LESSON_01] = (REPO / "notebooks").glob("01_*.ipynb")
[LESSON_03] = (REPO / "notebooks").glob("*_checkpoints_human_in_the_loop.ipynb")

# The keys marked on a picture: boxes by their executor id, arrows as "tail->head".
MARKED = """(root) => [...root.querySelectorAll('g.node.wfkit-marked, g.edge.wfkit-marked')].map(
    g => (g.classList.contains('node') ? 'node:' : 'edge:') + g.querySelector('title').textContent)"""


def marked(picture) -> list[str]:
    return picture.evaluate(MARKED)


def box(picture, executor_id: str):
    """The box of `executor_id` in a Graphviz picture on the page."""
    return picture.locator("g.node", has=picture.page.locator(f"title:text-is('{executor_id}')"))


@pytest.mark.parametrize("front_end", ["lab", "notebook7"])
def test_the_live_graph_and_log_answer_each_others_clicks(chromium: Path, lab, front_end: str):
    """The same clicks in JupyterLab and in Notebook 7 (the classic-looking notebook): anywidget
    carries them in both."""
    from playwright.sync_api import expect

    name = f"review_lesson_{front_end}.ipynb"
    url = copy_lesson(lab, name)
    if front_end == "notebook7":
        url = f"{lab.base}/notebooks/{name}?token={lab.token}"
    with browser_page(chromium, f"links-live-{front_end}") as page:
        open_notebook(page, url)
        run_cells_in_order(page, 2)
        assert ("/notebooks/" in page.url) == (front_end == "notebook7")
        view = page.locator(".wfkit-run-view")
        expect(view.locator(".wfkit-request-card").get_by_role("button", name="Approve")).to_be_enabled(
            timeout=120 * SECONDS
        )
        picture = view.locator(".wfkit-graph-picture")
        log = view.locator(".wfkit-event-log")

        box(picture, "writer").click()
        focus = log.locator(".wfkit-log-focus")
        expect(focus).to_contain_text("Showing only writer's lines", timeout=15 * SECONDS)
        lines = log.locator(".wfkit-log-lines > div")
        expect(lines).to_have_count(3)  # writer's call, its end, and the call its message made
        said = [text.split("executor", 1)[1].strip() for text in lines.all_text_contents()]
        assert said[:2] == ["writer ← 'the grinder, $249'", "writer ✓ done"] and said[2].startswith("review ← DraftReview"), said
        expect(picture.locator("g.node.wfkit-marked")).to_have_count(1)
        assert marked(picture)[0] == "node:writer" and "edge:writer->review" in marked(picture)
        screenshot(page, f"links-live-{front_end}-01-writer-only.png", of=view)

        focus.get_by_role("button", name="Show all").click()
        expect(focus).to_be_hidden(timeout=15 * SECONDS)
        expect(picture.locator(".wfkit-marked")).to_have_count(0)

        log.locator(".wfkit-log-lines > div", has_text="review ←").first.click()
        expect(picture.locator("g.node.wfkit-marked")).to_have_count(1, timeout=15 * SECONDS)
        assert marked(picture) == ["node:review", "edge:writer->review"]
        expect(log.locator(".wfkit-log-lines > div.wfkit-marked")).to_have_count(1)
        screenshot(page, f"links-live-{front_end}-02-line-clicked.png", of=view)
        no_traceback(page)


def test_lesson_1_explorer_links_its_graph_and_log_and_steps_with_the_keys(chromium: Path, lab):
    from playwright.sync_api import expect

    url = copy_course_lesson(lab, LESSON_01)
    explore_at = code_cell_with(LESSON_01, "explorer = await wfkit.notebook.explore(")  # not the prediction's explorer
    with browser_page(chromium, "links-lesson01") as page:
        open_notebook(page, url)
        run_cells_in_order(page, explore_at + 1)
        cell = page.locator(".jp-Notebook .jp-CodeCell").nth(explore_at)
        explorer = cell.locator(".wfkit-explorer")
        expect(explorer.locator(".wfkit-explorer-header")).to_contain_text("step 3 of 3", timeout=90 * SECONDS)
        picture = explorer.locator(".wfkit-explorer-step")
        log = explorer.locator(".wfkit-step-log")
        lines = log.locator(".wfkit-step-lines > div")
        every = lines.count()

        # A box clicked: the log shows only mood's lines, says so, and the box and its arrows are marked.
        box(picture, "mood").click()
        focus = log.locator(".wfkit-log-focus")
        expect(focus).to_contain_text("Showing only mood's lines", timeout=15 * SECONDS)
        assert 0 < lines.count() < every and all("mood" in text for text in lines.all_text_contents())
        expect(picture.locator("g.node.wfkit-marked")).to_have_count(1)
        assert marked(picture)[0] == "node:mood" and "edge:intake->mood" in marked(picture)
        screenshot(page, "links-lesson01-01-mood-only.png", of=explorer)
        focus.get_by_role("button", name="Show all").click()
        expect(lines).to_have_count(every, timeout=15 * SECONDS)

        # A line clicked: the explorer moves to its step, and its executor and arrow are marked.
        lines.filter(has_text="mood received").first.click()
        expect(explorer.locator(".wfkit-explorer-header")).to_contain_text("step 2 of 3", timeout=15 * SECONDS)
        expect(picture.locator("g.node.wfkit-marked")).to_have_count(1, timeout=15 * SECONDS)
        assert marked(picture) == ["node:mood", "edge:intake->mood"]
        expect(log.locator(".wfkit-step-lines > div.wfkit-marked", has_text="mood received")).to_have_count(1)
        screenshot(page, "links-lesson01-02-line-moves-to-its-step.png", of=explorer)

        # The keys, once the picture has the focus: ← and → step.
        picture.focus()
        page.keyboard.press("ArrowLeft")
        expect(explorer.locator(".wfkit-explorer-header")).to_contain_text("step 1 of 3", timeout=15 * SECONDS)
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        expect(explorer.locator(".wfkit-explorer-header")).to_contain_text("step 3 of 3", timeout=15 * SECONDS)
        expect(log.locator(".wfkit-step-lines > div.wfkit-marked").first).to_contain_text("step 3")
        no_traceback(page)


EDITED = "Contoso Brew grinds quietly, edited in the explorer form."


def test_lesson_3_forks_with_a_draft_edited_in_the_explorers_form(chromium: Path, lab):
    from playwright.sync_api import expect

    url = copy_lesson(lab, LESSON_03.name, LESSON_03)
    explore_at = code_cell_with(LESSON_03, "wfkit.notebook.explore(storage")
    with browser_page(chromium, "links-lesson03") as page:
        open_notebook(page, url)
        cells = page.locator(".jp-Notebook .jp-CodeCell")
        for index in range(1, explore_at + 1):
            run_cell_answering_the_live_cards(page, cells.nth(index), "Make it friendlier")
        explorer = cells.nth(explore_at).locator(".wfkit-explorer")
        expect(explorer).to_contain_text("main (finished)", timeout=60 * SECONDS)

        # To the first step that asks, with the keys: Home on the slider, then → until a card shows.
        explorer.locator(".noUi-handle, .widget-slider [role='slider']").first.focus()
        page.keyboard.press("Home")
        expect(explorer.locator(".wfkit-explorer-header")).to_contain_text("step 1 of", timeout=15 * SECONDS)
        explorer.locator(".wfkit-explorer-step").focus()
        card = explorer.locator(".wfkit-request-card")
        for _ in range(12):
            if card.count():
                break
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(400)
        expect(card.get_by_role("button", name="Approve")).to_be_visible(timeout=10 * SECONDS)
        header = explorer.locator(".wfkit-explorer-header").text_content() or ""
        asked = re.search(r"step (\d+) of", header).group(1)

        # The form: the states after the step, filled in.
        explorer.get_by_role("button", name="✎ Edit and fork").click()
        form = explorer.locator(".wfkit-fork-form")
        expect(form).to_contain_text(f"Fork from step {asked} with edits", timeout=15 * SECONDS)
        draft = typing_box(form, "draft")
        expect(draft).to_have_value(re.compile(r"Contoso Brew"))
        iteration = typing_box(form, "iteration")
        expect(iteration).to_have_value("1")

        # A value a checkpoint cannot hold: refused under its field, nothing forked, nothing lost.
        iteration.fill("1+2j")
        draft.fill(EDITED)
        card.get_by_role("button", name="Approve").click()
        error = form.locator(".wfkit-fork-field-error", has_text="cannot hold")
        expect(error).to_contain_text("a checkpoint cannot hold this value", timeout=30 * SECONDS)
        expect(explorer.locator(".wfkit-explorer-message")).to_contain_text("was refused, and nothing was forked")
        assert "fork 1" not in (explorer.locator(".wfkit-explorer-header").text_content() or "")
        expect(draft).to_have_value(EDITED)
        screenshot(page, "links-lesson03-01-refused.png", of=explorer)

        # Fixed, then approved on the card: the fork publishes the draft as edited.
        iteration.fill("1")
        expect(card.get_by_role("button", name="Approve")).to_be_enabled(timeout=15 * SECONDS)
        card.get_by_role("button", name="Approve").click()
        expect(explorer.locator(".wfkit-explorer-message")).to_contain_text("with your edits: fork 1 is shown",
                                                                             timeout=60 * SECONDS)
        expect(explorer.locator(".wfkit-explorer-edits")).to_contain_text(
            f"fork 1 went on from step {asked} of main with the edits shared:draft = 'Contoso Brew grinds quietly, edited"
        )
        expect(explorer).to_contain_text(f"output: '{EDITED}'", timeout=30 * SECONDS)
        tree = explorer.locator(".wfkit-explorer-tree").text_content() or ""
        assert f"fork 1, from step {asked} of main" in tree and "edited shared:draft" in tree, tree
        screenshot(page, "links-lesson03-02-forked-with-the-edit.png", of=explorer)
        screenshot(page, "links-lesson03-03-forked-header.png", of=explorer.locator(".wfkit-explorer-step"))
        no_traceback(page)


def typing_box(form, key: str):
    """The box to type in of the form's field for `key` (found by its label, as a learner reads it)."""
    from playwright.sync_api import expect

    expect(form.locator(".widget-hbox code", has_text=re.compile(f"^{key}$"))).to_have_count(1, timeout=15 * SECONDS)
    labels = form.locator(".wfkit-fork-field").evaluate_all(
        "fields => fields.map(f => f.closest('.widget-hbox').querySelector('code').textContent)"
    )
    return form.locator(".wfkit-fork-field").nth(labels.index(key)).locator("input, textarea").first
