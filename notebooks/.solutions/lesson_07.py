"""Lesson 7: the reference solution, under the learner's name (lesson_07.reveal() shows it once the
learner has run the check), and a known wrong answer the check must refuse.

The lesson's headless runs paste each over the learner's compose and run the lesson, so both use the
lesson's own names. This file is read, never imported; its folder is hidden from JupyterLab's file
browser."""


def compose(first: WorkflowBuilder, second: WorkflowBuilder):
    builder = WorkflowBuilder(name="trim and stamp")
    trim = builder.add_workflow(first, prefix="trim")
    stamp = builder.add_workflow(second, prefix="stamp")
    builder.add_edge(trim.outputs[0], stamp.start)     # trimmed text goes on to be stamped
    builder.set_start_executor(trim.start)
    return builder.build()


def stamp_then_trim(first: WorkflowBuilder, second: WorkflowBuilder):
    """A plausible mistake: the parts wired the other way round. It builds and runs, but it
    measures the text before it is trimmed."""
    builder = WorkflowBuilder(name="trim and stamp")
    trim = builder.add_workflow(first, prefix="trim")
    stamp = builder.add_workflow(second, prefix="stamp")
    builder.add_edge(stamp.start, trim.start)
    builder.set_start_executor(stamp.start)
    return builder.build()


def parts_not_wired(first: WorkflowBuilder, second: WorkflowBuilder):
    """A plausible mistake: both parts added, but no edge from the first's exit to the second's start."""
    builder = WorkflowBuilder(name="trim and stamp")
    trim = builder.add_workflow(first, prefix="trim")
    builder.add_workflow(second, prefix="stamp")
    builder.set_start_executor(trim.start)
    return builder.build()


solution = compose
wrong = stamp_then_trim, "trim first, then stamp"
wrong_2 = parts_not_wired, "No path from the start executor 'trim/trim' reaches"
