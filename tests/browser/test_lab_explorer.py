"""The run explorer in a real JupyterLab: the slider moves the graph through the steps, and an
open request answered on its card forks a new ending. Then lesson 3 as a learner takes it: the
live run answered on its cards, the explorer's card answered at the first question (a fork),
and the next cell's fork in code; after each fork, the branch named by the header, the Branch
menu, the tree's "◀ shown" and the message line is one and the same.

Screenshots go to test-artifacts/browser/explorer-*.png.
"""

from __future__ import annotations

import re
from pathlib import Path


from tests.browser.conftest import HERE, copy_lesson
from tests.browser.lab_page import (
    REPO,
    SECONDS,
    browser_page,
    cell_started,
    code_cell_with,
    no_traceback,
    open_notebook,
    run_cell_answering_the_live_cards,
    run_cells_in_order,
    screenshot,
)

LESSON = HERE / "explorer_lesson.ipynb"
[LESSON_03] = (REPO / "notebooks").glob("*_checkpoints_human_in_the_loop.ipynb")
IDLE, DONE, WAITING = "white", "#bbf7d0", "#ddd6fe"  # fills of wfkit.viz.dot.STATE_COLOURS

# Executor id -> fill of its box, and the labels on the arrows, in the explorer's picture.
PICTURE = """(root) => {
    const svg = root.querySelector('.wfkit-explorer-step svg');
    const fills = {};
    for (const node of svg.querySelectorAll('g.node')) {
        const title = node.querySelector('title').textContent;
        const shape = node.querySelector('path, polygon, ellipse');
        if (!title.startsWith('(')) fills[title] = shape.getAttribute('fill');
    }
    const labels = [...svg.querySelectorAll('g.edge text')].map(t => t.textContent);
    return {fills, labels};
}"""

# What each part of an explorer says is shown: the header, the Branch menu, the tree, the message line.
VIEWS = """(root) => {
    const menu = root.querySelector('select');
    const tree = root.querySelector('.wfkit-explorer-tree');
    return {
        header: root.querySelector('.wfkit-explorer-header').textContent,
        menu: menu.options[menu.selectedIndex].textContent,
        marked: tree ? tree.textContent.split('\\n').filter(line => line.includes('◀ shown')) : [],
        message: root.querySelector('.wfkit-explorer-message').textContent,
        slider: root.querySelector('.widget-readout').textContent,
    };
}"""


def picture(explorer) -> dict:
    return explorer.evaluate(PICTURE)


def wait_for_step(explorer, number: int) -> None:
    from playwright.sync_api import expect

    expect(explorer).to_contain_text(f"step {number} of", timeout=30 * SECONDS)


def assert_every_view_names(explorer, branch: str) -> None:
    """The header, the Branch menu, the tree's "◀ shown" and the message line name `branch`,
    and the header's step is the slider's."""
    views = explorer.evaluate(VIEWS)
    named = re.search(r"· ([^·]+) \((\w+)\) · step (\d+) of (\d+)", views["header"])
    assert named, views
    [marked] = views["marked"]
    said = re.search(r": (.+) is shown", views["message"])
    assert {
        "header": named.group(1).strip(),
        "menu": views["menu"].replace("\xa0", " "),  # the menu writes its spaces unbreakable
        "tree": re.sub(r"^└─ ", "", marked).split(",")[0].split(":")[0].strip(),
        "message": said.group(1) if said else None,
    } == dict.fromkeys(("header", "menu", "tree", "message"), branch), views
    assert named.group(3) == views["slider"].split(" ")[0], views


def test_the_slider_moves_the_graph_and_the_card_forks_a_new_ending(chromium: Path, lab):
    from playwright.sync_api import expect

    with browser_page(chromium, "explorer") as page:
        open_notebook(page, copy_lesson(lab, "explorer_lesson.ipynb", LESSON))
        run_cells_in_order(page, 2)
        explorer = page.locator(".wfkit-explorer")
        expect(explorer).to_contain_text("step 3 of 3", timeout=120 * SECONDS)
        at_the_end = picture(explorer)
        assert at_the_end["fills"]["review"] == WAITING and at_the_end["fills"]["upper"] == DONE
        screenshot(page, "explorer-01-last-step.png", of=explorer)

        # The slider, from the keyboard as a learner may: Home goes to the first step.
        handle = explorer.locator(".noUi-handle, .widget-slider [role='slider']").first
        handle.focus()
        page.keyboard.press("Home")
        wait_for_step(explorer, 1)
        first = picture(explorer)
        assert first["fills"]["split"] == DONE and first["fills"]["upper"] == IDLE
        # the ticket is queued on split -> upper and split -> count (labels are padded with spaces)
        assert [label.strip() for label in first["labels"]] == ["1 queued", "1 queued"]
        # one legend for the one kind of count the explorer draws
        assert explorer.locator(".wfkit-mark-legend").all_text_contents() == [
            "“n queued” on an arrow: that many messages were sent along it in this step, to be delivered in "
            "the next (point at the arrow to read them)"
        ]
        screenshot(page, "explorer-02-step-1.png", of=explorer)

        explorer.get_by_role("button", name="Next ▶").click()
        wait_for_step(explorer, 2)
        assert picture(explorer)["fills"]["upper"] == DONE

        # Back at the last step, the open request has the live run's card: answering it forks.
        explorer.get_by_role("button", name="Next ▶").click()
        wait_for_step(explorer, 3)
        card = explorer.locator(".wfkit-request-card")
        expect(card).to_contain_text("Publish ['HELLO', '5 letters']?", timeout=30 * SECONDS)
        expect(explorer).to_contain_text("Answer here to fork from step 3")
        card.locator("textarea").fill("no thanks")
        card.get_by_role("button", name="Revise").click()
        expect(explorer).to_contain_text("from step 3 of main", timeout=60 * SECONDS)
        expect(explorer).to_contain_text("output: 'dropped (no thanks)'", timeout=30 * SECONDS)
        assert_every_view_names(explorer, "fork 1")
        assert picture(explorer)["fills"]["review"] == DONE
        screenshot(page, "explorer-03-forked.png", of=explorer)
        no_traceback(page)


def test_lesson_3_forks_from_the_card_then_in_code_and_every_view_names_the_newest_branch(chromium: Path, lab):
    from playwright.sync_api import expect

    url = copy_lesson(lab, LESSON_03.name, LESSON_03)
    explore_at = code_cell_with(LESSON_03, "wfkit.notebook.explore(storage")
    fork_at = code_cell_with(LESSON_03, "await explorer.fork(")
    with browser_page(chromium, "explorer-lesson03") as page:
        open_notebook(page, url)
        cells = page.locator(".jp-Notebook .jp-CodeCell")
        for index in range(1, explore_at + 1):
            run_cell_answering_the_live_cards(page, cells.nth(index), "Make it friendlier")
        live = page.locator(".wfkit-run-view").first
        # the live graph's counts read "delivered", with their one legend
        assert live.locator(".wfkit-mark-legend[data-mark='delivered']").count() == 1
        assert all("×" not in label for label in live.locator(".wfkit-graph svg g.edge text").all_text_contents())

        explorer = cells.nth(explore_at).locator(".wfkit-explorer")
        expect(explorer).to_contain_text("main (finished)", timeout=60 * SECONDS)
        handle = explorer.locator(".noUi-handle, .widget-slider [role='slider']").first
        handle.focus()
        page.keyboard.press("Home")
        wait_for_step(explorer, 1)
        card = explorer.locator(".wfkit-request-card")
        for _ in range(12):  # Next until the first step that waits for a person
            if card.count():
                break
            explorer.get_by_role("button", name="Next ▶").click()
            page.wait_for_timeout(300)
        expect(card.get_by_role("button", name="Approve")).to_be_visible(timeout=10 * SECONDS)
        assert card.get_by_role("button", name="Revise").count() == 1
        content = card.locator(".wfkit-request-content")
        expect(content).to_contain_text("Check it out today!")  # the draft's last words: all of it
        assert content.evaluate("box => box.scrollHeight <= box.clientHeight + 1"), "the draft scrolls in its card"
        screenshot(page, "explorer-04-lesson03-card.png", of=explorer)

        card.get_by_role("button", name="Approve").click()
        expect(explorer.locator(".wfkit-explorer-message")).to_contain_text("fork 1 is shown", timeout=60 * SECONDS)
        assert_every_view_names(explorer, "fork 1")
        expect(explorer).to_contain_text("output: 'Meet Contoso Brew")
        screenshot(page, "explorer-05-lesson03-forked-from-the-card.png", of=explorer)

        # The next cell forks again, in code, from the first step that asks.
        assert cell_started(page, cells.nth(fork_at))
        expect(cells.nth(fork_at).locator(".jp-InputPrompt")).to_have_text(re.compile(r"\[\d+\]"), timeout=60 * SECONDS)
        expect(explorer.locator(".wfkit-explorer-message")).to_contain_text("fork 2 is shown", timeout=30 * SECONDS)
        assert_every_view_names(explorer, "fork 2")
        tree = explorer.locator(".wfkit-explorer-tree").text_content() or ""
        assert re.search(r"fork 1, from step (\d+) of main .*\n.*fork 2, from step \1 of main", tree), tree
        assert explorer.locator(".wfkit-mark-legend").count() == 1
        screenshot(page, "explorer-06-lesson03-forked-in-code.png", of=explorer)
        no_traceback(page)
