"""How big a drawn graph's labels are on screen: arithmetic that keeps the picture readable.

Graphviz measures in points. An SVG that says ``width="552pt"`` and ``viewBox="0 0 552 541"``
is 736 CSS pixels wide at its natural size (a point is 4/3 of a CSS pixel), and a label drawn
with ``font-size="12"`` is then 16 px tall. A page that squeezes the picture into a narrower
column scales every label down with it: on screen a label is

    font-size × (width shown, in px) / (viewBox width)

`narrowest_readable_width` says how far a picture may shrink before its smallest label drops
below `MIN_LABEL_PX`; the live graph view lets the picture shrink to that width and no further
(the box scrolls sideways instead). `smallest_label_on_screen` reads that rule back from the
markup the view sends, so a test can check "no label under 12 px" without a browser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The smallest label a learner reads without effort, in CSS pixels.
MIN_LABEL_PX = 12.0

# How many CSS pixels one unit of an SVG length is.
PX_PER_UNIT = {"pt": 4 / 3, "px": 1.0, "": 1.0, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4}

_SVG_TAG = re.compile(r"<svg\b[^>]*>", re.S)
_ATTRIBUTE = r'\b{}\s*=\s*"([^"]*)"'
_FONT_SIZE = re.compile(r'<text\b[^>]*?\bfont-size="([\d.]+)', re.S)
_LENGTH = re.compile(r"^\s*([\d.]+)\s*([a-z%]*)\s*$")


@dataclass(frozen=True)
class SvgMeasure:
    """What an SVG says about its size: its natural width in CSS px, the width of its viewBox
    (the units its text sizes are in), its text sizes, and the inline style of its tag."""

    natural_width_px: float
    viewbox_width: float
    font_sizes: tuple[float, ...]
    style: dict[str, str]

    @property
    def smallest_font(self) -> float:
        """The smallest text size, in viewBox units (0 when the picture has no text)."""
        return min(self.font_sizes, default=0.0)


def measure_svg(svg: str) -> SvgMeasure:
    """Read the first ``<svg>`` tag of `svg` markup and the sizes of all its texts.

    ValueError if there is no ``<svg>`` tag or it has neither a width nor a viewBox.
    """
    tag_match = _SVG_TAG.search(svg)
    if tag_match is None:
        raise ValueError("No <svg> tag found: pass the SVG markup of a drawing.")
    tag = tag_match.group(0)
    width_text = _attribute(tag, "width")
    viewbox = _attribute(tag, "viewBox")
    viewbox_width = float(re.split(r"[\s,]+", viewbox.strip())[2]) if viewbox else None
    natural = css_px(width_text) if width_text else None
    if natural is None and viewbox_width is None:
        raise ValueError(f"The <svg> tag has neither a width nor a viewBox: {tag[:80]}")
    style = parse_style(_attribute(tag, "style") or "")
    sizes = tuple(float(size) for size in _FONT_SIZE.findall(svg[tag_match.start() :]))
    return SvgMeasure(natural or viewbox_width, viewbox_width or natural, sizes, style)  # type: ignore[arg-type]


def label_px(svg: str, shown_width_px: float) -> float:
    """The smallest label of `svg` in CSS px when the picture is shown `shown_width_px` wide."""
    size = measure_svg(svg)
    return size.smallest_font * shown_width_px / size.viewbox_width


def narrowest_readable_width(svg: str, min_label_px: float = MIN_LABEL_PX) -> float:
    """The narrowest width (CSS px) at which every label of `svg` is still `min_label_px` tall;
    never more than the natural width (a picture is not blown up to make it readable)."""
    size = measure_svg(svg)
    if not size.smallest_font:
        return 0.0
    return min(size.natural_width_px, min_label_px * size.viewbox_width / size.smallest_font)


def shown_width(svg: str, available_px: float) -> float:
    """How wide a browser draws `svg` markup in a box `available_px` wide, following the
    ``max-width`` and ``min-width`` of the tag's inline style (px, or % of the box)."""
    size = measure_svg(svg)
    width = size.natural_width_px
    if "max-width" in size.style:
        width = min(width, _css_length(size.style["max-width"], available_px, default=width))
    if "min-width" in size.style:
        width = max(width, _css_length(size.style["min-width"], available_px, default=0.0))
    return width


def smallest_label_on_screen(svg: str, available_px: float) -> float:
    """The smallest label of `svg` markup in CSS px, drawn in a box `available_px` wide.

    >>> smallest_label_on_screen(view.picture.value, available_px=360)   # doctest: +SKIP
    12.0
    """
    return label_px(svg, shown_width(svg, available_px))


def css_px(length: str) -> float | None:
    """``"552pt"`` -> 736.0 CSS px; None for a length that is not absolute (``"100%"``, ``"auto"``)."""
    match = _LENGTH.match(length)
    if match is None or match.group(2) not in PX_PER_UNIT:
        return None
    return float(match.group(1)) * PX_PER_UNIT[match.group(2)]


def parse_style(style: str) -> dict[str, str]:
    """``"max-width:100%;height:auto"`` -> ``{"max-width": "100%", "height": "auto"}``."""
    pairs = (part.split(":", 1) for part in style.split(";") if ":" in part)
    return {name.strip().lower(): value.strip() for name, value in pairs}


def _css_length(value: str, available_px: float, default: float) -> float:
    if value.endswith("%"):
        return float(value[:-1]) / 100 * available_px
    px = css_px(value)
    return default if px is None else px


def _attribute(tag: str, name: str) -> str | None:
    match = re.search(_ATTRIBUTE.format(re.escape(name)), tag)
    return match.group(1) if match else None
