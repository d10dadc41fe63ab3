"""What a widget leaves behind where widgets cannot run (nbconvert, GitHub, a closed kernel).

Jupyter stores every representation a display offers. A live notebook draws the widget (its
mimetype ranks first); nbconvert skips a widget whose state was not saved, and GitHub never
runs widgets, so both fall back to the display's ``text/html``: a static picture.
"""

from __future__ import annotations

from typing import Any


def with_static_html(bundle: dict[str, Any] | None, static_html: str) -> dict[str, Any] | None:
    """A widget's display data with `static_html` added as its ``text/html`` fallback."""
    if bundle is None:
        return None
    return {**bundle, "text/html": static_html}
