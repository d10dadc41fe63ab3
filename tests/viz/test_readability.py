"""The on-screen size of a drawing's labels, worked out from its SVG markup."""

from __future__ import annotations

import pytest

from wfkit.viz.readability import (
    css_px,
    label_px,
    measure_svg,
    narrowest_readable_width,
    shown_width,
    smallest_label_on_screen,
)

# What Graphviz writes, cut down: 552 pt wide (736 px), texts of 14 and 12 units.
SVG = (
    '<svg width="552pt" height="541pt" viewBox="0.00 0.00 552.00 541.00" xmlns="http://www.w3.org/2000/svg">'
    '<g><text font-family="Helvetica" font-size="14.00">writer</text>'
    '<text font-family="Helvetica" font-size="12.00">FunctionExecutor</text></g></svg>'
)


def with_style(style: str) -> str:
    return SVG.replace("<svg ", f'<svg style="{style}" ', 1)


def test_points_are_four_thirds_of_a_css_pixel():
    assert css_px("552pt") == pytest.approx(736) and css_px("10px") == 10 and css_px("100%") is None


def test_the_measure_of_a_graphviz_svg():
    size = measure_svg(SVG)
    assert size.natural_width_px == pytest.approx(736) and size.viewbox_width == 552
    assert size.font_sizes == (14.0, 12.0) and size.smallest_font == 12.0


def test_at_its_natural_size_a_12_point_label_is_16_px():
    assert label_px(SVG, 736) == pytest.approx(16)


def test_a_picture_squeezed_to_half_its_width_has_half_size_labels():
    assert label_px(SVG, 368) == pytest.approx(8)


def test_the_narrowest_readable_width_keeps_the_smallest_label_at_12_px():
    width = narrowest_readable_width(SVG)
    assert width == pytest.approx(552) and label_px(SVG, width) == pytest.approx(12)


def test_a_picture_is_never_blown_up_to_be_readable():
    tiny = SVG.replace('font-size="12.00"', 'font-size="6.00"')
    assert narrowest_readable_width(tiny) == pytest.approx(736)


def test_shown_width_follows_max_width_and_min_width_of_the_inline_style():
    assert shown_width(SVG, 300) == pytest.approx(736)  # no style: natural size, overflowing
    assert shown_width(with_style("max-width:100%;height:auto"), 300) == pytest.approx(300)
    assert shown_width(with_style("max-width:100%;min-width:552px"), 300) == 552  # min-width wins
    assert shown_width(with_style("max-width:100%;min-width:552px"), 1200) == pytest.approx(736)


def test_smallest_label_on_screen_in_a_narrow_column():
    assert smallest_label_on_screen(with_style("max-width:100%;height:auto"), 360) < 12  # the old rule
    assert smallest_label_on_screen(with_style("max-width:100%;min-width:552px"), 360) == pytest.approx(12)


def test_markup_without_an_svg_is_refused_clearly():
    with pytest.raises(ValueError, match="No <svg> tag"):
        measure_svg("<ul><li>writer: idle</li></ul>")
