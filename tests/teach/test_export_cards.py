"""An exported lesson shows each card with its answer (docs/authoring.md, Publishing): the page,
read without a kernel, says what the run asked, what was answered and who answered, where a
widget would otherwise leave "Loading widget..." or nothing at all."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from tests.teach.tiny_lessons import lesson
from wfkit.teach.export import export_lessons

REVIEW_LOOP = '''from dataclasses import dataclass

import wfkit.notebook
from wfkit import (Executor, Never, RequestInfoExecutor, RequestInfoMessage, RequestResponse, WorkflowBuilder,
                   WorkflowContext, handler)


@dataclass
class DraftReview(RequestInfoMessage):
    draft: str = ""


class Writer(Executor):
    @handler
    async def write(self, brief: str, ctx: WorkflowContext[DraftReview]) -> None:
        await ctx.send_message(DraftReview(draft=f"New: {brief}. Pre-order today!"), target_id="review")

    @handler
    async def on_answer(self, answer: RequestResponse[DraftReview, str], ctx: WorkflowContext[DraftReview | str]) -> None:
        draft = answer.original_request.draft
        if answer.data == "approve":
            await ctx.send_message(draft, target_id="publish")
        else:
            await ctx.send_message(DraftReview(draft=f"{draft} ({answer.data})"), target_id="review")


class Publish(Executor):
    @handler
    async def publish(self, text: str, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(text)


writer, review, publish = Writer("writer"), RequestInfoExecutor("review"), Publish("publish")
workflow = (WorkflowBuilder(name="launch notes").set_start_executor(writer).add_edge(writer, review)
            .add_edge(review, writer).add_edge(writer, publish).build())
result = await wfkit.notebook.run(workflow, "the grinder at $249", answers=answers)'''

DRAFT = "New: the grinder at $249. Pre-order today!"
COMMENT = "Mention the warranty"


def review_lesson(folder: Path, name: str, answers: list[str]) -> None:
    """A lesson whose run asks for a review; headless, `answers` answer it (as test_parameters)."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["wfkit"] = {"test_parameters": {"answers": answers}}
    parameters = nbformat.v4.new_code_cell('chat = "offline"\nanswers = None  # None: you click the cards')
    parameters.metadata["tags"] = ["parameters"]
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# Launch notes"), parameters, nbformat.v4.new_code_cell(REVIEW_LOOP)
    ]
    nbformat.write(notebook, folder / name)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """Three lessons exported: one approved at once, one revised with a comment then approved,
    and one showing a plain ipywidgets slider (a widget with no static picture of its own)."""
    course = tmp_path_factory.mktemp("course")
    review_lesson(course, "01_approved.ipynb", ["approve"])
    review_lesson(course, "02_revised.ipynb", [COMMENT, "approve"])
    lesson(course, "03_slider.ipynb", "import ipywidgets\nipywidgets.IntSlider(description='speed')")
    out = tmp_path_factory.mktemp("site")
    runs = export_lessons([course], out)
    assert [run.passed for run, _ in runs] == [True, True, True], [run.line() for run, _ in runs]
    return out


class OutputTexts(HTMLParser):
    """The text of each output area of an nbconvert page (the element with class jp-OutputArea-output)."""

    def __init__(self) -> None:
        super().__init__()
        self.outputs: list[str] = []
        self._depth = 0  # nesting inside the current output area; 0: outside any

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._depth:
            self._depth += tag not in ("br", "img", "input", "meta", "hr", "path", "polygon", "ellipse")
        elif "jp-OutputArea-output" in (dict(attrs).get("class") or "").split():
            self.outputs.append("")
            self._depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.outputs[-1] += data


def answers_on(page: str) -> list[str]:
    """Each answer the page shows under a card, as text: "Revised (answered ...) Mention ..."."""
    blocks = re.findall(r'<div class="wfkit-answer".*?</div></div>', page, flags=re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", block)).split()) for block in blocks]


def test_an_exported_page_shows_the_question_and_the_answer_given_by_the_parameters(site):
    page = (site / "01_approved.html").read_text(encoding="utf-8")
    assert DRAFT in html.unescape(page)  # what the card asked
    assert answers_on(page) == ["✓ Approved (answered in code: run(..., answers=...))"]
    assert "1 request answered" in page and "finished" in page


def test_an_exported_page_shows_a_revision_with_its_comment_then_the_approval(site):
    page = (site / "02_revised.html").read_text(encoding="utf-8")
    assert answers_on(page) == [
        f"↻ Revised (answered in code: run(..., answers=...)) {COMMENT}",
        "✓ Approved (answered in code: run(..., answers=...))",
    ]
    assert f"{DRAFT} ({COMMENT})" in html.unescape(page)  # the second round's draft, as it was asked
    assert "round 2" in page


def test_an_exported_page_has_no_widget_placeholder_and_no_empty_output(site):
    for page in sorted(site.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        for placeholder in ("Loading widget", "widget-view+json", "widget-state+json"):
            assert placeholder not in text, (page.name, placeholder)
        outputs = OutputTexts()
        outputs.feed(text)
        assert outputs.outputs and all(output.strip() for output in outputs.outputs), (page.name, outputs.outputs)


def test_a_widget_without_a_picture_of_its_own_is_said_to_be_one_not_shown_as_its_repr(site):
    page = (site / "03_slider.html").read_text(encoding="utf-8")
    assert "An interactive widget was shown here; run the notebook to use it." in page
    assert "IntSlider(" not in page
