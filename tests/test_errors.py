"""One module of exceptions (`wfkit.errors`), and failed runs that keep the exception that failed them."""

from __future__ import annotations

import ast
import asyncio
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import wfkit
import wfkit.errors
from tests.conftest import run
from wfkit import (
    Executor,
    ExecutorTimeoutError,
    InMemoryCheckpointStorage,
    Never,
    SubWorkflowError,
    WorkflowBuilder,
    WorkflowContext,
    WorkflowErrorDetails,
    WorkflowFailedError,
    WorkflowFailedEvent,
    executor,
    handler,
)


def error_classes(module: object) -> dict[str, type[BaseException]]:
    """The exception classes a module holds as attributes, by name."""
    return {
        name: value
        for name, value in vars(module).items()
        if isinstance(value, type) and issubclass(value, BaseException)
    }


WFKIT_ERRORS = {
    name: cls
    for name, cls in error_classes(wfkit.errors).items()
    if cls.__module__ == "wfkit.errors" and issubclass(cls, Exception)
}
# Not errors: control signals that derive from BaseException, outside the drawn tree.
WFKIT_SIGNALS = {
    name: cls
    for name, cls in error_classes(wfkit.errors).items()
    if cls.__module__ == "wfkit.errors" and not issubclass(cls, Exception)
}


# --- every exception lives in wfkit.errors ----------------------------------------------------


@pytest.mark.parametrize("package", ["wfkit", "wfkit.core", "wfkit.agents", "wfkit.checkpoint", "wfkit.viz"])
def test_every_exported_exception_is_defined_in_wfkit_errors(package):
    module = importlib.import_module(package)
    exported = {name: getattr(module, name) for name in getattr(module, "__all__", dir(module))}
    errors = {name: value for name, value in exported.items() if isinstance(value, type) and issubclass(value, BaseException)}
    assert errors, f"{package} exports no exceptions?"
    assert {name: cls.__module__ for name, cls in errors.items() if cls.__module__ != "wfkit.errors"} == {}


def test_no_wfkit_module_defines_an_exception_of_its_own():
    defined_elsewhere = set()
    for info in pkgutil.walk_packages(wfkit.__path__, "wfkit."):
        module = importlib.import_module(info.name)
        for name, cls in error_classes(module).items():
            if cls.__module__ == info.name and info.name != "wfkit.errors":
                defined_elsewhere.add(f"{info.name}.{name}")
    assert defined_elsewhere == set()


def test_every_wfkit_error_is_importable_from_wfkit_itself():
    assert {name for name in WFKIT_ERRORS if getattr(wfkit, name, None) is not WFKIT_ERRORS[name]} == set()


def test_each_signal_that_is_not_an_error_is_named_in_the_module_docstring():
    assert WFKIT_SIGNALS, "wfkit.errors defines no signals? (RunStopped)"
    doc = inspect.getdoc(wfkit.errors) or ""
    assert [name for name in WFKIT_SIGNALS if f"`{name}`" not in doc] == []
    assert {name for name in WFKIT_SIGNALS if getattr(wfkit, name, None) is not WFKIT_SIGNALS[name]} == set()


def test_wfkit_errors_imports_nothing_from_wfkit():
    # Outside `if TYPE_CHECKING:` only the standard library, so any module may import it.
    tree = ast.parse(Path(wfkit.errors.__file__).read_text())
    imports = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    for node in imports:
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0 and not (node.module or "").startswith("wfkit"), ast.unparse(node)
        else:
            assert not any(alias.name.startswith("wfkit") for alias in node.names), ast.unparse(node)


# --- the tree in the module docstring is the real hierarchy ------------------------------------

TREE_LINE = re.compile(r"^(?P<lead>[ │├└─]*)(?P<name>[A-Z]\w*Error)(?: \((?P<builtins>[\w, ]+)\))?")


def docstring_tree() -> list[tuple[int, str, list[str]]]:
    """(depth, class name, built-in bases in parentheses) for each line of the drawn tree."""
    doc = inspect.getdoc(wfkit.errors) or ""
    block = doc.split("::\n\n", 1)[1].split("\n\n", 1)[0]
    rows = []
    for line in block.splitlines():
        match = TREE_LINE.match(line.removeprefix("    "))
        assert match, f"not a tree line: {line!r}"
        builtins = [b.strip() for b in (match["builtins"] or "").split(",") if b.strip()]
        rows.append((len(match["lead"]) // 4, match["name"], builtins))
    return rows


def test_the_docstring_tree_names_every_class_in_wfkit_errors_once():
    names = [name for _, name, _ in docstring_tree()]
    assert sorted(names) == sorted(WFKIT_ERRORS)


def test_the_docstring_tree_shows_each_class_under_its_real_parent_with_its_builtin_bases():
    parents: list[str] = []  # the path from the root to the current line
    for depth, name, builtins in docstring_tree():
        cls = WFKIT_ERRORS[name]
        del parents[depth:]
        expected = [parents[-1]] if parents else []
        bases = [base.__name__ for base in cls.__bases__]
        wfkit_bases = [b for b in bases if b in WFKIT_ERRORS]
        other_bases = [b for b in bases if b not in WFKIT_ERRORS]
        assert wfkit_bases == expected, f"{name} is drawn under {expected}, but derives from {wfkit_bases}"
        if not parents:
            assert other_bases == ["Exception"], name
        else:
            assert other_bases == builtins, f"{name}: the tree says ({builtins}), the class has {other_bases}"
        parents.append(name)


# --- a failed run is raised from its cause ---------------------------------------------------


class Boom(Exception):
    """An exception of the learner's own, raised by a handler."""


def failing_workflow(error: BaseException):
    @executor(id="explode")
    async def explode(text: str, ctx: WorkflowContext[Never, str]) -> None:
        raise error

    return WorkflowBuilder(name="explodes").set_start_executor(explode).build()


def test_a_failed_run_is_raised_from_the_very_exception_the_handler_raised():
    boom = Boom("the handler's own error")
    with pytest.raises(WorkflowFailedError) as failed:
        run(failing_workflow(boom).run("go"))
    error = failed.value
    assert error.__cause__ is boom
    assert error.cause is boom
    assert error.details.exception is boom
    assert (error.details.error_type, error.details.executor_id) == ("Boom", "explode")
    # The run's own events carry it too, for stream users.
    [event] = [e for e in error.events if isinstance(e, WorkflowFailedEvent)]
    assert event.details.exception is boom


def test_a_timeout_is_the_cause_of_the_failed_run():
    @executor(id="slow")
    async def slow(text: str, ctx: WorkflowContext[Never, str]) -> None:
        await asyncio.sleep(10)

    workflow = WorkflowBuilder().set_start_executor(slow).with_timeout(slow, seconds=0.05).build()
    try:
        run(workflow.run("go"), timeout=5)
    except WorkflowFailedError as error:  # what the WorkflowFailedError docstring shows
        assert isinstance(error.__cause__, ExecutorTimeoutError)
        assert error.cause is error.__cause__
        assert "longer than 0.05 s" in str(error.__cause__)
    else:
        pytest.fail("the run should have failed")


def test_answering_or_resuming_a_run_also_raises_from_the_cause():
    boom = Boom("fails on the second superstep")

    @executor(id="first")
    async def first(text: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(text)

    @executor(id="second")
    async def second(text: str, ctx: WorkflowContext[Never, str]) -> None:
        raise boom

    storage = InMemoryCheckpointStorage()

    def build():
        return WorkflowBuilder().add_edge(first, second).set_start_executor(first).with_checkpointing(storage).build()

    with pytest.raises(WorkflowFailedError) as failed:
        run(build().run("go"))
    assert failed.value.__cause__ is boom
    # The checkpoints were saved although the failure held an exception object: it is never encoded.
    checkpoints = run(storage.list_checkpoints())
    assert checkpoints
    # Resuming (a new workflow, as a new process would build) retries the failed step, which
    # fails again: the new error is raised from that new raise of the handler.
    with pytest.raises(WorkflowFailedError) as again:
        run(build().run_from_checkpoint(checkpoints[-1].checkpoint_id))
    assert again.value.__cause__ is boom


def test_a_run_stopped_by_wfkit_itself_has_no_cause():
    @executor(id="ping")
    async def ping(n: int, ctx: WorkflowContext[int]) -> None:
        await ctx.send_message(n + 1)

    @executor(id="pong")
    async def pong(n: int, ctx: WorkflowContext[int]) -> None:
        await ctx.send_message(n + 1)

    workflow = WorkflowBuilder(max_iterations=4).add_edge(ping, pong).add_edge(pong, ping).set_start_executor(ping).build()
    with pytest.raises(WorkflowFailedError) as failed:
        run(workflow.run(0))
    assert failed.value.details.error_type == "MaxIterationsExceeded"
    assert failed.value.cause is None and failed.value.__cause__ is None


def test_details_without_an_exception_object_still_make_an_error():
    # As after reading a failure back from saved data: the text is there, the object is not.
    details = WorkflowErrorDetails("Boom", "saved earlier", None, "explode")
    error = WorkflowFailedError(details, [])
    assert error.cause is None
    assert str(error) == "Boom in explode: saved earlier"


def test_the_exception_is_left_out_of_equality_and_repr():
    boom = Boom("x")
    captured = WorkflowErrorDetails.from_exception(boom, "explode")
    written = WorkflowErrorDetails("Boom", "x", captured.traceback, "explode")
    assert captured == written and hash(captured) == hash(written)
    assert repr(captured) == repr(written) == "Boom in explode: x"


def test_a_failed_sub_workflow_leads_to_the_childs_exception():
    boom = Boom("inside the child")

    class Forward(Executor):
        @handler
        async def forward(self, text: str, ctx: WorkflowContext[str]) -> None:
            await ctx.send_message(text)

    child = failing_workflow(boom)
    parent = WorkflowBuilder().add_edge(Forward("start"), child.as_executor("child")).set_start_executor("start").build()
    with pytest.raises(WorkflowFailedError) as failed:
        run(parent.run("go"))
    error = failed.value
    assert isinstance(error.__cause__, SubWorkflowError)
    assert error.__cause__.__cause__ is boom


def test_an_agent_over_a_failing_workflow_raises_from_the_cause():
    boom = Boom("the agent's workflow broke")
    with pytest.raises(WorkflowFailedError) as failed:
        run(failing_workflow(boom).as_agent(name="helpdesk").run("hello"))
    assert failed.value.__cause__ is boom
    assert "behind agent 'helpdesk'" in str(failed.value)
