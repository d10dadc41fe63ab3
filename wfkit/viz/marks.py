"""The counts a drawing writes on its arrows, and what each one means.

A number on an arrow can mean two different things, so each view says which in words on the
picture itself, and gives one legend line for it:

- the live view (`wfkit.widgets.GraphView`) counts the messages *delivered* along an arrow so far
  in the run: ``2 delivered``;
- the run explorer counts the messages *queued* on an arrow after the step shown, to be
  delivered in the next one: ``1 queued``.

("Waiting" is not used for arrows: it is the status of an executor paused for a person's answer.)

    >>> DELIVERED.label(2)
    '  2 delivered  '
    >>> QUEUED.label(1, "is_short")
    '  is_short · 1 queued  '
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EdgeMark:
    """One kind of count on an arrow: the `word` written after the number, and the `legend`
    that says what is counted (it follows "“n <word>” on an arrow:")."""

    word: str
    legend: str

    def label(self, count: int, label: str = "") -> str:
        """An arrow's label with the count on it: ``"  is_short · 2 delivered  "``.

        The spaces are room, not text. Graphviz makes a label as wide as its text and puts it
        beside its arrow; on a two-way pair (writer -> reviewer -> writer) the two arrows run
        close together, and bare labels would sit side by side in the gap and read as one.
        Wider labels push the arrows apart, so each count stands clear next to its own arrow."""
        counted = f"{count} {self.word}"
        return f"  {label} · {counted}  " if label else f"  {counted}  "


DELIVERED = EdgeMark("delivered", "that many messages went along it so far in this run")
QUEUED = EdgeMark(
    "queued", "that many messages were sent along it in this step, to be delivered in the next (point at the arrow to read them)"
)
