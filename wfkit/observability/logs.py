"""`get_logger`: the logger wfkit's messages go to, as the previews' ``get_logger()`` gave AF's.

A plain `logging.Logger` named ``wfkit`` (or a name of yours): configure it with `logging` as
any other. wfkit sets up no log handler and no OpenTelemetry log export of its own.
"""

from __future__ import annotations

import logging


def get_logger(name: str = "wfkit") -> logging.Logger:
    """The logger called `name` (``wfkit`` by default)."""
    return logging.getLogger(name)
