"""The two spellings of a builder, and the mixes of them that are refused with the fix.

Today's AF: ``SequentialBuilder(participants=[...], checkpoint_storage=...)``; the late-2025
previews: ``SequentialBuilder().participants([...]).with_checkpointing(...)``."""

from __future__ import annotations

import pytest

import wfkit
import wfkit.orchestrations
import wfkit.patterns
from wfkit import InMemoryCheckpointStorage
from wfkit.errors import WorkflowValidationError
from wfkit.orchestrations import ConcurrentBuilder, SequentialBuilder

from .helpers import reader

BUILDERS = [SequentialBuilder, ConcurrentBuilder]


def test_one_implementation_is_importable_from_wfkit_its_patterns_and_orchestrations():
    assert wfkit.SequentialBuilder is wfkit.patterns.SequentialBuilder is wfkit.orchestrations.SequentialBuilder
    assert wfkit.ConcurrentBuilder is wfkit.patterns.ConcurrentBuilder is wfkit.orchestrations.ConcurrentBuilder


@pytest.mark.parametrize("builder_class", BUILDERS)
def test_participants_given_in_the_constructor_and_again_by_method_are_refused(builder_class):
    builder = builder_class(participants=[reader("a")])
    with pytest.raises(WorkflowValidationError, match=r"already given participants in its constructor.*Use one spelling"):
        builder.participants([reader("b")])


@pytest.mark.parametrize("builder_class", BUILDERS)
def test_with_checkpointing_on_a_builder_made_in_todays_spelling_points_to_the_constructor(builder_class):
    builder = builder_class(participants=[reader("a")])
    with pytest.raises(WorkflowValidationError, match=r"checkpoint_storage=storage\)"):
        builder.with_checkpointing(InMemoryCheckpointStorage())


@pytest.mark.parametrize("builder_class", BUILDERS)
def test_constructor_options_then_participants_by_method_are_refused(builder_class):
    builder = builder_class(checkpoint_storage=InMemoryCheckpointStorage())
    with pytest.raises(WorkflowValidationError, match="checkpoint_storage/name in its constructor"):
        builder.participants([reader("a")])


@pytest.mark.parametrize("builder_class", BUILDERS)
def test_late_2025_checkpointing_may_come_before_the_participants(builder_class):
    storage = InMemoryCheckpointStorage()
    workflow = builder_class().with_checkpointing(storage).participants([reader("a")]).build()
    assert workflow.name == builder_class.__name__.removesuffix("Builder").lower()


@pytest.mark.parametrize("builder_class", BUILDERS)
def test_building_without_participants_says_how_to_give_them(builder_class):
    with pytest.raises(WorkflowValidationError, match=r"has no participants.*\(participants=\[writer, editor\]\)"):
        builder_class().build()


@pytest.mark.parametrize("builder_class", BUILDERS)
def test_an_empty_list_of_participants_is_refused(builder_class):
    with pytest.raises(WorkflowValidationError, match="at least one participant"):
        builder_class(participants=[])


@pytest.mark.parametrize("builder_class", BUILDERS)
def test_participants_that_are_not_a_list_are_refused(builder_class):
    with pytest.raises(WorkflowValidationError, match=r"as a list: participants=\[writer, editor\]"):
        builder_class(participants=reader("a"))


@pytest.mark.parametrize("builder_class", BUILDERS)
def test_participants_with_the_same_name_are_refused(builder_class):
    with pytest.raises(WorkflowValidationError, match="different names"):
        builder_class(participants=[reader("a"), reader("a")]).build()


@pytest.mark.parametrize("builder_class", BUILDERS)
def test_participants_are_keyword_only_as_in_agent_framework(builder_class):
    with pytest.raises(TypeError):
        builder_class([reader("a")])
