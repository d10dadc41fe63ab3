"""A team's story (`wfkit.orchestrations.TeamStory`) as HTML: who has the floor and why, the
conversation, and a Magentic team's plan and rounds.

`TeamView` (the live widget) and the run explorer both draw with these functions, so a team
looks the same while it runs and when you step back through it. Every text a model wrote is
escaped: a participant's answer is data, never markup.

The look lives once in `TEAM_STYLE`, under the class ``wfkit-team``, as the event log's does.
A long turn shows its first lines; the whole text opens below them (a ``<details>``), so a long
answer neither hides the turns around it nor is lost.
"""

from __future__ import annotations

import html

from ..orchestrations.team_story import GROUP_CHAT, HANDOFF, MAGENTIC, LedgerRound, SpeakerChoice, StoryNote, TeamStory, Turn

# A turn longer than this (characters, or lines) shows its start, and opens to the whole text.
SHORT_TURN_CHARACTERS = 360
SHORT_TURN_LINES = 6

# The conversation and the rounds scroll inside boxes this tall, newest at the bottom.
BOX_HEIGHT = "380px"

# One colour per agent, in the order they first speak; the user and the manager keep their own.
AGENT_COLOURS = ("#1d4ed8", "#0f766e", "#b45309", "#be185d", "#4d7c0f", "#0369a1", "#9333ea", "#9f1239")
USER_COLOUR = "#475569"
MANAGER_COLOUR = "#6d28d9"

# The progress ledger's five questions, as a reader asks them.
LEDGER_QUESTIONS = {
    "is_request_satisfied": "Is the task done?",
    "is_in_loop": "Going round in circles?",
    "is_progress_being_made": "Making progress?",
    "next_speaker": "Who speaks next?",
    "instruction_or_question": "What should they do?",
}

TEAM_STYLE = """<style>
.wfkit-team{font-size:13px;line-height:1.45;color:#1e293b}
.wfkit-team .wt-line{line-height:1.45}
.wfkit-team .wt-head{font-size:13px}
.wfkit-team .wt-now{margin:4px 0 6px;padding:4px 8px;border-left:3px solid #6d28d9;background:#f5f3ff}
.wfkit-team .wt-why{color:#475569;font-size:12px;white-space:pre-wrap;overflow-wrap:anywhere}
.wfkit-team .wt-title{font-weight:600;margin:2px 0}
.wfkit-team .wt-count{color:#64748b;font-weight:400;font-size:12px}
.wfkit-team .wt-box{border:1px solid #e2e8f0;padding:4px 8px;display:flex;flex-direction:column-reverse;overflow:auto}
.wfkit-team .wt-turn,.wfkit-team .wt-choice,.wfkit-team .wt-note{display:grid;grid-template-columns:17ch minmax(0,1fr);column-gap:1ch}
.wfkit-team .wt-turn{padding:4px 0;border-top:1px solid #f1f5f9}
.wfkit-team .wt-who{font-weight:600;overflow-wrap:anywhere}
.wfkit-team .wt-said{white-space:pre-wrap;overflow-wrap:anywhere;min-width:0}
.wfkit-team .wt-manager .wt-said{background:#f5f3ff;padding:2px 6px}
.wfkit-team .wt-writing .wt-said::after{content:" \\258D";color:#94a3b8}
.wfkit-team .wt-choice>div,.wfkit-team .wt-note>div{grid-column:2;font-size:12px;color:#475569;padding:1px 0 3px;overflow-wrap:anywhere}
.wfkit-team .wt-choice b{color:#1e293b}
.wfkit-team .wt-reason{padding-left:1.3em}
.wfkit-team .wt-note>div{font-style:italic}
.wfkit-team .wt-note.wt-stall>div{color:#b45309;font-style:normal;font-weight:600}
.wfkit-team details>summary{cursor:pointer;list-style:none}
.wfkit-team details>summary::-webkit-details-marker{display:none}
.wfkit-team details[open]>summary .wt-short{display:none}
.wfkit-team .wt-more{color:#2563eb;font-size:12px;white-space:nowrap}
.wfkit-team details[open]>summary .wt-closed,.wfkit-team details:not([open])>summary .wt-opened{display:none}
.wfkit-team .wt-tag{display:inline-block;font-size:11px;padding:0 5px;border-radius:3px;background:#f1f5f9;color:#475569;font-weight:400}
.wfkit-team .wt-tag.wt-warn{background:#fef3c7;color:#92400e}
.wfkit-team .wt-tag.wt-done{background:#dcfce7;color:#166534}
.wfkit-team .wt-plan{white-space:pre-wrap;overflow-wrap:anywhere;background:#f8fafc;border-left:3px solid #94a3b8;padding:4px 8px;margin:2px 0}
.wfkit-team .wt-round{padding:4px 0;border-top:1px solid #f1f5f9}
.wfkit-team .wt-round.wt-stalled{border-left:3px solid #f59e0b;padding-left:6px}
.wfkit-team .wt-round table{border-collapse:collapse;width:100%;font-size:12px;margin-top:1px}
.wfkit-team .wt-round td{vertical-align:top;padding:1px 8px 1px 0;text-align:left}
.wfkit-team .wt-round td:first-child{white-space:nowrap;color:#475569;width:1%}
.wfkit-team .wt-round td:last-child{overflow-wrap:anywhere}
.wfkit-team .wt-round .wt-because{color:#64748b}
.wfkit-team .wt-bad{color:#b45309}
.wfkit-team .wt-good{color:#15803d}
.wfkit-team .wt-replan{font-size:12px;color:#6d28d9;padding:3px 0;border-top:1px dashed #c4b5fd}
</style>"""

KIND_TITLES = {GROUP_CHAT: "a group chat", HANDOFF: "a handoff", MAGENTIC: "a Magentic team"}


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def speaker_colours(story: TeamStory) -> dict[str, str]:
    """Speaker -> the colour of their name, the same in every line of the story."""
    colours: dict[str, str] = {}
    for turn in story.turns:
        if turn.speaker in colours:
            continue
        if turn.role == "user":
            colours[turn.speaker] = USER_COLOUR
        elif turn.role == "manager":
            colours[turn.speaker] = MANAGER_COLOUR
        else:
            agents = sum(1 for colour in colours.values() if colour not in (USER_COLOUR, MANAGER_COLOUR))
            colours[turn.speaker] = AGENT_COLOURS[agents % len(AGENT_COLOURS)]
    return colours


# --- who has the floor -------------------------------------------------------------------------


def header_html(story: TeamStory) -> str:
    """The title line, and who has the floor now with why they were chosen."""
    kind = KIND_TITLES.get(story.kind, "a team")
    turns = len(story.turns)
    title = (
        f'<div class="wt-line wt-head"><b>The team</b> · {_e(kind)} · '
        f'<span class="wt-count">{turns} turn{"" if turns == 1 else "s"}</span></div>'
    )
    choice = story.latest_choice
    why = f'<div class="wt-why">{_choice_html(choice)}</div>' if choice is not None and not story.ended else ""
    return f'{title}<div class="wt-line wt-now"><b>Now:</b> {_e(story.now())}{why}</div>'


def _choice_html(choice: SpeakerChoice) -> str:
    """"Round 2 · Chair chose Writer", "triage handed the conversation to billing", with the
    instruction a Magentic manager gave, then the reason on a line of its own, when there is one."""
    speaker = f"<b>{_e(choice.speaker)}</b>"
    if choice.how == "handoff":
        said = f"{_e(choice.chosen_by or 'An agent')} handed the conversation to {speaker}"
    else:
        verb = "asked" if choice.instruction else "chose"
        said = f"Round {choice.round} · {_e(choice.chosen_by or 'The manager')} {verb} {speaker}"
    if choice.instruction:
        said += f": “{_e(choice.instruction)}”"
    if choice.reason:
        said += f'<div class="wt-reason">why: {_e(choice.reason)}</div>'
    return said


# --- the conversation --------------------------------------------------------------------------


def entry_html(entry: Turn | SpeakerChoice | StoryNote, colours: dict[str, str]) -> str:
    """One line of the conversation: a turn, a speaker chosen, or a note."""
    if isinstance(entry, SpeakerChoice):
        arrow = "⇢" if entry.how == "handoff" else "↳"
        return f'<div class="wt-line wt-choice"><div>{arrow} {_choice_html(entry)}</div></div>'
    if isinstance(entry, StoryNote):
        marked = " wt-stall" if entry.kind == "stall" else ""
        return f'<div class="wt-line wt-note{marked}"><div>{_e(entry.text)}</div></div>'
    return _turn_html(entry, colours.get(entry.speaker, USER_COLOUR))


def _turn_html(turn: Turn, colour: str) -> str:
    classes = "wt-line wt-turn"
    classes += " wt-writing" if turn.writing else ""
    classes += " wt-manager" if turn.role == "manager" else ""
    who = f'<div class="wt-who" style="color:{colour}" title="{_e(turn.speaker)}">{_e(turn.speaker)}</div>'
    return f'<div class="{classes}">{who}<div class="wt-said">{_said_html(turn)}</div></div>'


def _said_html(turn: Turn) -> str:
    text = turn.text.strip()
    if turn.writing:  # the newest words matter while it writes: its end shows
        return _e(text) if len(text) <= SHORT_TURN_CHARACTERS else "… " + _e(_tail(text, SHORT_TURN_CHARACTERS))
    short = shortened(text)
    if short is None:
        return _e(text)
    return (
        f'<details><summary><span class="wt-short">{_e(short)} </span>'
        f'<span class="wt-more"><span class="wt-closed">show all ({len(text):,} characters)</span>'
        f'<span class="wt-opened">▾ show less</span></span></summary>{_e(text)}</details>'
    )


def shortened(text: str, characters: int = SHORT_TURN_CHARACTERS, lines: int = SHORT_TURN_LINES) -> str | None:
    """The start of a long `text` (its first lines, cut at a word, ending in "…"), or None
    when it is short enough to show whole."""
    every_line = text.splitlines()
    if len(every_line) <= lines and len(text) <= characters:
        return None
    kept = "\n".join(every_line[:lines])
    if len(kept) > characters:
        kept = kept[:characters].rsplit(" ", 1)[0]
    return kept.rstrip() + " …"


def _tail(text: str, characters: int) -> str:
    end = text[-characters:]
    return end.split(" ", 1)[1] if " " in end[:40] else end


CONVERSATION_TITLE = '<div class="wt-line wt-title">Conversation <span class="wt-count">(newest at the bottom)</span></div>'


# --- Magentic's plan and rounds -----------------------------------------------------------------


def plan_html(story: TeamStory) -> str:
    """The plan in force, with what the manager knows and earlier plans folded away ("" for a
    team without a plan)."""
    if not story.plans:
        return ""
    plan, count = story.plans[-1], len(story.plans)
    version = f"version {count} · " if count > 1 else ""
    parts = [
        f'<div class="wt-line wt-title">The plan <span class="wt-count">({version}{_e(plan.why)})</span></div>',
        f'<div class="wt-line wt-plan">{_e(plan.plan)}</div>',
    ]
    if plan.facts:
        parts.append(_folded("What the manager knows", plan.facts))
    for number, earlier in enumerate(story.plans[:-1], start=1):
        parts.append(_folded(f"Plan {number} (replaced)", earlier.plan))
    return "".join(parts)


def progress_html(story: TeamStory) -> str:
    """The progress ledger of each round, newest at the bottom ("" before the first round)."""
    if not story.rounds:
        return ""
    return (
        '<div class="wt-line wt-title" style="margin-top:6px">Progress, round by round</div>'
        f'<div class="wt-box" style="max-height:{BOX_HEIGHT}"><div>{_rounds_html(story)}</div></div>'
    )


def _folded(title: str, text: str) -> str:
    return (
        f'<details class="wt-line"><summary><span class="wt-more">▸ {_e(title)}</span></summary>'
        f'<div class="wt-plan">{_e(text)}</div></details>'
    )


def _rounds_html(story: TeamStory) -> str:
    """Each round, with a line where a new plan took over."""
    replans = {plan.after_round: plan for plan in story.plans[1:]}
    parts = []
    for round_ in story.rounds:
        parts.append(round_html(round_))
        plan = replans.get(round_.number)
        if plan is not None:
            parts.append(f'<div class="wt-line wt-replan">New plan after round {round_.number}: {_e(plan.why)}</div>')
    return "".join(parts)


def round_html(round_: LedgerRound) -> str:
    """One round: the next speaker, whether it stalled, and the five answers with their reasons."""
    ledger = round_.ledger
    tags = ""
    if round_.satisfied:
        tags += ' <span class="wt-tag wt-done">task done</span>'
    elif round_.stalled:
        tags += ' <span class="wt-tag wt-warn">stall: no progress</span>'
    next_speaker = "" if round_.satisfied else f" · next: <b>{_e(str(ledger.next_speaker.answer))}</b>"
    rows = []
    for key, question in LEDGER_QUESTIONS.items():
        item = getattr(ledger, key)
        because = f' <span class="wt-because">— {_e(item.reason)}</span>' if item.reason else ""
        rows.append(f"<tr><td>{_e(question)}</td><td>{_answer_html(key, item.answer)}{because}</td></tr>")
    classes = "wt-line wt-round" + (" wt-stalled" if round_.stalled and not round_.satisfied else "")
    return f'<div class="{classes}"><div>Round {round_.number}{next_speaker}{tags}</div><table>{"".join(rows)}</table></div>'


def _answer_html(key: str, answer: str | bool) -> str:
    if isinstance(answer, bool):
        # The answers that move a run towards a replan stand out; those that move it on are green.
        worrying = (key == "is_in_loop" and answer) or (key == "is_progress_being_made" and not answer)
        good = (key == "is_request_satisfied" and answer) or (key == "is_progress_being_made" and answer)
        colour = " wt-bad" if worrying else " wt-good" if good else ""
        return f'<b class="wt-yes-no{colour}">{"yes" if answer else "no"}</b>'
    if key == "instruction_or_question":  # a sentence of its own
        return f"“{_e(str(answer))}”"
    return f"<b>{_e(str(answer))}</b>"


# --- all of it --------------------------------------------------------------------------------


def story_html(story: TeamStory) -> str:
    """The whole story as one piece of HTML (the explorer's panel, and a page without widgets)."""
    colours = speaker_colours(story)
    entries = "".join(entry_html(entry, colours) for entry in story.entries) or _nothing_yet()
    conversation = (
        f'<div style="flex:1 1 420px;min-width:300px">{CONVERSATION_TITLE}'
        f'<div class="wt-box" style="max-height:{BOX_HEIGHT}"><div>{entries}</div></div></div>'
    )
    plan = plan_html(story) + progress_html(story)
    side = f'<div style="flex:1 1 340px;min-width:300px">{plan}</div>' if plan else ""
    return (
        f'{TEAM_STYLE}<div class="wfkit-team">{header_html(story)}'
        f'<div style="display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start">{conversation}{side}</div></div>'
    )


def _nothing_yet() -> str:
    return '<div class="wt-line" style="color:#94a3b8">nobody has spoken yet</div>'
