"""wfkit: learn how agent workflows work by running, watching and steering them in notebooks.

Everything a lesson needs is importable from here::

    from wfkit import Executor, WorkflowBuilder, WorkflowContext, handler
"""

from .core import *  # noqa: F403  (the runtime's public names)
from .core import __all__ as _core_names

__all__ = [*_core_names]
