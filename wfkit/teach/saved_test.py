"""A recorded run, saved as a pytest file that checks the workflow still behaves the same.

When a run does what it should, keep it: `save_test` writes a test that rebuilds the workflow
from its factory (a function in an importable module, ``"my_course.flows:build_review"``),
gives it the run's input and, in order, the answers a person gave, and checks that it takes the
same supersteps and yields the same outputs::

    history.save_test("tests/test_review_run.py", factory="my_course.flows:build_review")

Run today, the test passes. Once the workflow behaves differently, it fails naming the first
superstep that differs ("superstep 2 differs: the recorded run ran reviewer, this run ran
publisher"). The file is plain Python: read it, rename it, keep it with your tests.

Values are written as Python source: numbers, text, lists, dicts, and objects whose class lives
in an importable module and whose repr builds an equal object (a dataclass does). A value that
cannot be written so is refused, with its name and what to change.
"""

from __future__ import annotations

import ast
import datetime
import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from ..errors import SavedTestError
from .trace import INPUT, RunTrace, trace

if TYPE_CHECKING:
    from ..core.workflow import Workflow


async def replay(factory: Callable[[], Workflow], message: Any, answers: Sequence[Any]) -> RunTrace:
    """Run a fresh workflow from `factory` on `message`, answering its questions in the order
    they are asked with `answers`; the trace of the whole run (it stops where answers run out)."""
    workflow = factory()
    result = await workflow.run(message)
    events = list(result)
    given = 0
    while True:
        asked = result.get_request_info_events()
        if not asked or given >= len(answers):
            return trace(events)
        responses = {}
        for request in asked:
            if given < len(answers):
                responses[request.request_id] = answers[given]
                given += 1
        result = await workflow.send_responses(responses)
        events += list(result)


def expect_same_run(story: RunTrace, supersteps: Sequence[Sequence[str]], outputs: Sequence[Any]) -> None:
    """Fail, naming the first superstep (or output) that differs, unless `story` took the
    recorded `supersteps` and yielded the recorded `outputs`."""
    now = story.supersteps
    for number, (recorded, ran) in enumerate(zip(supersteps, now), start=1):
        if list(recorded) != list(ran):
            raise AssertionError(
                f"superstep {number} differs: the recorded run ran {_ids(recorded)}, this run ran {_ids(ran)}"
            )
    if len(now) != len(supersteps):
        more = "more" if len(now) > len(supersteps) else "fewer"
        raise AssertionError(
            f"this run took {len(now)} supersteps where the recorded run took {len(supersteps)} ({more}); "
            f"the first {min(len(now), len(supersteps))} agree"
        )
    for number, (recorded, came) in enumerate(zip(outputs, story.outputs), start=1):
        if recorded != came and repr(came) != recorded:  # an output kept as its repr compares by repr
            raise AssertionError(f"output {number} differs: the recorded run yielded {recorded!r}, this run {came!r}")
    if len(outputs) != len(story.outputs):
        raise AssertionError(f"this run yielded {len(story.outputs)} outputs where the recorded run yielded {len(outputs)}")


def _ids(ids: Iterable[str]) -> str:
    return ", ".join(ids) or "nothing"


# --- writing the file --------------------------------------------------------------------------


@dataclass
class _Source:
    """Python source for values, and the imports it needs."""

    imports: set[tuple[str, str]] = field(default_factory=set)

    def of(self, value: Any, what: str) -> str:
        """Source that builds `value`; refused (naming `what`) if there is none."""
        text = repr(value)
        try:
            if ast.literal_eval(text) == value:
                return text
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            pass
        kind = type(value)
        module = getattr(kind, "__module__", "")
        if module in ("__main__", "builtins") or "<locals>" in kind.__qualname__:
            raise SavedTestError(
                f"{what}, {_short(text)}, is a {kind.__qualname__} defined in a notebook or a function: a saved "
                "test imports its classes. Define the class in a module of your package and run again."
            )
        namespace = {kind.__name__: kind}
        try:
            rebuilt = eval(text, namespace)  # noqa: S307 - our own repr, of a class we imported
        except Exception as error:  # noqa: BLE001 - any failure means the repr builds nothing
            raise SavedTestError(
                f"{what}, {_short(text)}, cannot be written as Python: its repr does not build a "
                f"{kind.__qualname__} ({type(error).__name__}). A dataclass's repr does."
            ) from None
        if rebuilt != value:
            raise SavedTestError(
                f"{what}, {_short(text)}: its repr builds a {kind.__qualname__} that is not equal to it; "
                "give the class an __eq__ (a dataclass has one)."
            )
        self.imports.add((module, kind.__name__))
        return text

    def kept(self, value: Any) -> str:
        """Source for an output: the value if it can be written, else its repr (compared as text)."""
        try:
            return self.of(value, "output")
        except SavedTestError:
            return repr(repr(value))


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def _factory_parts(factory: str) -> tuple[str, str]:
    module, _, name = factory.partition(":")
    if not module or not name.isidentifier():
        raise SavedTestError(
            f"factory={factory!r}: name the function that builds the workflow as 'package.module:function'."
        )
    try:
        found = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as error:
        raise SavedTestError(
            f"factory={factory!r} cannot be imported here ({error}); a saved test imports it, so it must be a "
            "function in a module on the path, not a notebook's cell."
        ) from None
    if not callable(found):
        raise SavedTestError(f"factory={factory!r} is a {type(found).__name__}, not a function that builds a workflow.")
    return module, name


def recorded_input(story: RunTrace) -> Any:
    """The message the recorded run started with."""
    for crossed in story.messages:
        if crossed.source == INPUT:
            return crossed.message
    raise SavedTestError("the run has no first message in its events (was it resumed from a checkpoint?)")


def saved_test_source(story: RunTrace, factory: str, test_name: str = "test_the_run_behaves_as_recorded") -> str:
    """The text of a pytest file that replays the run `story` traced, with `factory`."""
    module, name = _factory_parts(factory)
    source = _Source()
    message = source.of(recorded_input(story), "the run's input")
    answers = [source.of(r.answer, f"the answer to request {n}") for n, r in enumerate(story.requests, 1) if r.answered]
    outputs = [source.kept(output) for output in story.outputs]
    names: dict[str, set[str]] = {module: {name}}
    for found_in, class_name in source.imports:
        names.setdefault(found_in, set()).add(class_name)
    imports = [f"from {m} import {', '.join(sorted(n))}" for m, n in sorted(names.items())]
    saved = datetime.date.today().isoformat()
    lines = [
        f'"""A run of {name}, saved as a test on {saved}.',
        "",
        "It rebuilds the workflow, gives it the recorded input and answers, and checks that it takes",
        "the same supersteps and yields the same outputs; if not, it names the first superstep that differs.",
        '"""',
        "",
        "import asyncio",
        "",
        "from wfkit.teach.saved_test import expect_same_run, replay",
        *imports,
        "",
        f"INPUT = {message}",
        f"ANSWERS = {_list(answers)}",
        f"SUPERSTEPS = {story.supersteps!r}",
        f"OUTPUTS = {_list(outputs)}",
        "",
        "",
        f"def {test_name}():",
        f"    story = asyncio.run(replay({name}, INPUT, ANSWERS))",
        "    expect_same_run(story, SUPERSTEPS, OUTPUTS)",
        "",
    ]
    return "\n".join(lines)


def _list(items: list[str]) -> str:
    if sum(len(item) for item in items) < 60:
        return f"[{', '.join(items)}]"
    return "[\n" + "".join(f"    {item},\n" for item in items) + "]"


def save_test(story: RunTrace, path: str | Path, factory: str) -> Path:
    """Write the test of the traced run to `path` (a ``test_*.py`` file); returns the path."""
    target = Path(path)
    if target.suffix != ".py" or not target.name.startswith("test_"):
        raise SavedTestError(f"{target}: pytest collects files named test_*.py; give the file such a name.")
    text = saved_test_source(story, factory)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target
