"""`TeamView`: a team of agents at work, live: who has the floor and why, the conversation as
it grows, and a Magentic team's plan and rounds.

`RunView` adds one when its workflow is a team (a group chat, a handoff or a Magentic team) and
hands it every event; the view reads them into a `wfkit.orchestrations.TeamStory` and draws it
with `team_html`, the same drawing the run explorer uses for each step.

Each line of the conversation is a widget of its own, added once: a new turn is one small
message to the page, not the whole conversation again, and a long turn a learner opened stays
open while the team goes on talking. Only the line being written (an answer streaming in) is
redrawn, through a `Throttle`, as the event log's lines are.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from ..core.events import WorkflowEvent
from ..orchestrations.team_story import Entry, TeamStory, TeamStoryReader, Turn
from .fallback import with_static_html
from .team_html import (
    BOX_HEIGHT,
    CONVERSATION_TITLE,
    TEAM_STYLE,
    entry_html,
    header_html,
    plan_html,
    progress_html,
    speaker_colours,
    story_html,
)
from .throttle import Throttle


class TeamView(widgets.VBox):
    """A team's run as it happens (see the module). `kind` is the team's kind when it is known
    before any event ("group chat", "handoff", "magentic"; `wfkit.orchestrations.team_kind`).

    >>> view = TeamView("group chat")             # doctest: +SKIP
    >>> for event in events: view.handle(event)   # doctest: +SKIP
    >>> view.flush(); view.story.turns            # doctest: +SKIP
    """

    def __init__(self, kind: str = "", *, min_redraw_interval: float = 0.1, **kwargs: Any) -> None:
        self.reader = TeamStoryReader(kind)
        self.header = widgets.HTML()
        self.lines = widgets.VBox(layout=widgets.Layout(flex="0 0 auto"))  # it grows; the box around it scrolls
        # A box whose one child is drawn from its end: the browser keeps it scrolled to the newest line.
        self.scroller = widgets.Box(
            [self.lines],
            layout=widgets.Layout(
                display="flex", flex_flow="column-reverse", max_height=BOX_HEIGHT, overflow="auto",
                border="1px solid #e2e8f0", padding="2px 8px",
            ),
        )
        conversation = widgets.VBox(
            [widgets.HTML(CONVERSATION_TITLE), self.scroller], layout=widgets.Layout(flex="1 1 420px", min_width="300px")
        )
        # The plan and the rounds change at different times: apart, a fold opened in one stays open.
        self.plan = widgets.HTML()
        self.progress = widgets.HTML()
        self.side = widgets.VBox([self.plan, self.progress], layout=widgets.Layout(flex="1 1 340px", min_width="300px"))
        body = widgets.HBox([conversation, self.side], layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start"))
        self.throttle = Throttle(self.redraw, min_redraw_interval)
        self._drawn: list[tuple[Any, ...]] = []  # what each line widget shows, to redraw only the changed ones
        super().__init__(children=[self.header, body], **kwargs)
        self.add_class("wfkit-team")
        self.redraw()

    @property
    def story(self) -> TeamStory:
        """The story read so far (plain data: see `wfkit.orchestrations.TeamStory`)."""
        return self.reader.story

    def handle(self, event: WorkflowEvent) -> None:
        """Read one event of the run; the view redraws soon if the story changed."""
        if self.reader.read(event):
            self.throttle.request()

    def flush(self) -> None:
        """Draw now whatever is still waiting for its redraw."""
        self.throttle.flush()

    def reset(self, kind: str = "") -> None:
        """Forget the story: a new run starts (of a team of `kind`, if known)."""
        self.reader = TeamStoryReader(kind)
        self.lines.children = ()
        self._drawn = []
        self.throttle.request()

    def redraw(self) -> None:
        """Bring the page up to date with the story (the throttle calls this)."""
        story = self.story
        self.header.value = TEAM_STYLE + header_html(story)  # an unchanged value is not sent again
        self.plan.value = plan_html(story)
        self.progress.value = progress_html(story)
        self.side.layout.display = "" if story.plans or story.rounds else "none"
        self._draw_lines(story)

    def _draw_lines(self, story: TeamStory) -> None:
        colours = speaker_colours(story)
        lines = list(self.lines.children)
        for index, entry in enumerate(story.entries):
            drawn = _what_is_drawn(entry, colours)
            if index < len(lines):
                if self._drawn[index] != drawn:
                    lines[index].value = entry_html(entry, colours)
                    self._drawn[index] = drawn
            else:
                lines.append(widgets.HTML(entry_html(entry, colours)))
                self._drawn.append(drawn)
        del lines[len(story.entries) :]  # a streamed answer that turned out to be only a tool call
        del self._drawn[len(story.entries) :]
        if len(lines) != len(self.lines.children) or any(a is not b for a, b in zip(lines, self.lines.children)):
            self.lines.children = tuple(lines)

    def static_html(self) -> str:
        """The view as plain HTML, for pages that cannot run widgets."""
        return story_html(self.story)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        return with_static_html(super()._repr_mimebundle_(**kwargs), self.static_html())


def _what_is_drawn(entry: Entry, colours: dict[str, str]) -> tuple[Any, ...]:
    """What decides how a line looks, cheap to compare: a turn by its length and whether it is
    still being written (a turn only ever grows, or is settled once), any other line by its fields."""
    if isinstance(entry, Turn):
        return (entry.speaker, colours.get(entry.speaker), len(entry.text), entry.writing, id(entry))
    return (repr(entry), id(entry))
