"""dashlib.viewport.content_width: the narrowest a full-width chart is drawn in a window."""

from __future__ import annotations

import pytest

from dashlib.viewport import content_width

# Measured in Chromium (Streamlit 1.67, the app's own pages): window width -> the width of the
# timeline's plot (a full-width chart) with the sidebar open where it sits beside the page,
# and in embed mode (no sidebar).
MEASURED_WITH_SIDEBAR = {
    640: 608,
    700: 668,
    760: 728,
    780: 448,
    800: 468,
    820: 488,
    850: 518,
    870: 410,
    880: 420,
    900: 440,
    960: 500,
    1000: 540,
    1100: 640,
    1280: 820,
    1600: 1140,
    1920: 1460,
}
MEASURED_EMBEDDED = {375: 343, 640: 608, 840: 808, 1000: 840}


@pytest.mark.parametrize(("window", "chart"), sorted(MEASURED_WITH_SIDEBAR.items()))
def test_never_wider_than_the_chart_measured_beside_a_sidebar(window: int, chart: int) -> None:
    estimate = content_width(window)
    assert estimate <= chart  # wider would cut the chart's title at the right
    assert estimate >= chart - 130  # and not much narrower (only at Streamlit's padding edge)


@pytest.mark.parametrize(("window", "chart"), sorted(MEASURED_EMBEDDED.items()))
def test_an_embed_has_no_sidebar(window: int, chart: int) -> None:
    assert content_width(window, sidebar=False) == chart
