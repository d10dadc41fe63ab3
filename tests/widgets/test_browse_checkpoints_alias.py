"""`browse_checkpoints`, the old checkpoint browser, is now the run explorer under its old name."""

from __future__ import annotations

import pytest

from tests.conftest import run
from wfkit import FileCheckpointStorage, Never, WorkflowBuilder, WorkflowContext, executor
from wfkit.notebook import browse_checkpoints
from wfkit.widgets import RunExplorer


@executor(id="echo")
async def echo(text: str, ctx: WorkflowContext[Never, str]) -> None:
    await ctx.yield_output(text)


def test_browse_checkpoints_opens_the_run_explorer_and_says_so(tmp_path):
    storage = FileCheckpointStorage(tmp_path)

    def build():
        return WorkflowBuilder(name="echo").set_start_executor(echo).with_checkpointing(storage).build()

    run(build().run("hi"))
    with pytest.warns(DeprecationWarning, match="explore"):
        explorer = run(browse_checkpoints(storage, build, show=False))
    assert isinstance(explorer, RunExplorer)
    assert [step.ran for step in explorer.history.steps] == [["echo"]]
