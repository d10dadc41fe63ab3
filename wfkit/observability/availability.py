"""Whether OpenTelemetry is installed, and saying once when it is not.

OpenTelemetry is an optional extra (``pip install 'wfkit[observability]'``). Without it every
name in `wfkit.observability` still imports and can be called: the calls do nothing, and the
first one says so, once per Python process, so a lesson that sets up tracing still runs on a
machine that lacks the extra, and its output is not buried under one warning per call.

Two packages matter: ``opentelemetry-api`` makes spans (enough to record into a provider that
someone else set up), ``opentelemetry-sdk`` makes the providers and exporters that
`setup_observability` sets up.
"""

from __future__ import annotations

import importlib.util
import warnings

INSTALL_HINT = "pip install 'wfkit[observability]'"

_said: set[str] = set()  # which packages we have already said are missing


def has_api() -> bool:
    """True if ``opentelemetry-api`` can be imported."""
    return _importable("opentelemetry.trace")


def has_sdk() -> bool:
    """True if ``opentelemetry-sdk`` can be imported too."""
    return has_api() and _importable("opentelemetry.sdk.trace")


def say_missing_once(package: str, consequence: str) -> None:
    """Warn that `package` is missing and what that means, the first time only (per package)."""
    if package in _said:
        return
    _said.add(package)
    warnings.warn(
        f"{package} is not installed, so {consequence} To record spans, install it: {INSTALL_HINT}",
        RuntimeWarning,
        stacklevel=3,
    )


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # its parent package is missing
        return False
