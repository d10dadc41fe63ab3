"""`OBSERVABILITY_SETTINGS`: whether wfkit records spans now, and how.

One object, read by the tracing observer each time a run starts, so a change (say, turning
sensitive data on) applies from the next run on. The setup functions in `setup.py` change it;
you may read it (``OBSERVABILITY_SETTINGS.enabled``) to see where things stand.
"""

from __future__ import annotations

from dataclasses import dataclass

from .naming import TODAY, Dialect


@dataclass
class ObservabilitySettings:
    """Where wfkit's tracing stands.

    `enabled`: runs are traced (a tracing observer is registered with the core).
    `sensitive_data`: spans may carry what a run handled, such as an error's message, not only
    its type (AF's rule: on only where the data may be seen, in development).
    `dialect`: whose span names are used (`naming.SEED` or `naming.TODAY`), chosen by the call
    that turned tracing on.
    """

    enabled: bool = False
    sensitive_data: bool = False
    dialect: Dialect = TODAY

    @property
    def ENABLED(self) -> bool:  # noqa: N802  (AF's spelling)
        """AF's name for `enabled`."""
        return self.enabled

    @property
    def SENSITIVE_DATA_ENABLED(self) -> bool:  # noqa: N802  (AF's spelling)
        """AF's name for `sensitive_data` (it counts only while tracing is on)."""
        return self.enabled and self.sensitive_data


OBSERVABILITY_SETTINGS = ObservabilitySettings()
