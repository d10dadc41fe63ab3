"""Lesson 5: the reference solution, under the learner's name (lesson_05.reveal() shows it once the
learner has run the check), and a known wrong answer the check must refuse.

The lesson's headless runs paste each over the learner's restock and run the lesson, so both use the
lesson's own names. This file is read, never imported; its folder is hidden from JupyterLab's file
browser."""


def restock(builder, receive, suppliers, pick):
    builder.add_fan_out_edges(receive, suppliers, max_concurrency=2)   # two connections at a time
    builder.add_fan_in_edges(suppliers, pick)                          # every offer, as one list
    return builder


def restock_without_a_limit(builder, receive, suppliers, pick):
    """A plausible mistake: the fan-out and the fan-in are right, but nothing limits how many
    suppliers are asked at once, so all five connect together."""
    builder.add_fan_out_edges(receive, suppliers)
    builder.add_fan_in_edges(suppliers, pick)
    return builder


def restock_one_at_a_time(builder, receive, suppliers, pick):
    """A plausible mistake: a limit of one, so the suppliers are asked one after another though two may connect."""
    builder.add_fan_out_edges(receive, suppliers, max_concurrency=1)
    builder.add_fan_in_edges(suppliers, pick)
    return builder


solution = restock
wrong = restock_without_a_limit, "max_concurrency=2"
wrong_2 = restock_one_at_a_time, "A limit of 1 asks one supplier at a time"
