"""Where the map looks: the region frame, country zooms with a locator inset, interaction."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import plotly.graph_objects as go
import pytest

from dashlib.data.dataset import Dataset, load
from dashlib.figures.map import COMPACT_WIDTH_PX, WIDTH_PX, build_map_figure, country_bounds
from dashlib.figures.map_animation import CONTROLS_PX, build_map_animation
from dashlib.figures.map_view import FRAME_LAT, FRAME_LON, GEO_LAYOUT, Screen, zoom_layout
from dashlib.query.selection import Selection

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def ds(data_dir: Path) -> Dataset:
    return load(data_dir)


def test_region_frame_is_the_periphery_not_siberia() -> None:
    assert GEO_LAYOUT["lonaxis"]["range"] == [20.0, 90.0]
    assert GEO_LAYOUT["lataxis"]["range"] == [35.0, 62.0]
    proj = GEO_LAYOUT["projection"]
    assert proj["type"] == "conic equal area" and proj["rotation"]["lon"] == 55.0
    assert 35 < proj["parallels"][0] < proj["parallels"][1] < 62


@pytest.mark.parametrize("codes", [("GEO",), ("UKR",), ("GEO", "UKR")])
def test_a_zoom_holds_the_selected_states_and_stays_in_the_frame(
    ds: Dataset, codes: tuple[str, ...]
) -> None:
    bounds = country_bounds(ds, codes)
    assert bounds is not None
    geo = zoom_layout(bounds)
    (lo0, lo1), (la0, la1) = geo["lonaxis"]["range"], geo["lataxis"]["range"]
    assert lo0 < bounds[0] and bounds[2] < lo1 and la0 < bounds[1] and bounds[3] < la1
    assert FRAME_LON[0] <= lo0 and lo1 <= FRAME_LON[1]
    assert FRAME_LAT[0] <= la0 and la1 <= FRAME_LAT[1]
    assert lo1 - lo0 < 0.75 * (FRAME_LON[1] - FRAME_LON[0])  # a zoom, not the region
    # Shaped like the plot: the map fills it (width / height within 10 % of 780 / 420).
    screen = Screen.of(geo, 780, 420)
    x0, y0, x1, y1 = screen.box()
    assert (x1 - x0) / (y1 - y0) == pytest.approx(780 / 420, rel=0.1)


def test_russia_or_no_filter_shows_the_region(ds: Dataset) -> None:
    assert country_bounds(ds, ()) is None and country_bounds(ds, ("RUS", "GEO")) is None
    assert zoom_layout(None) == GEO_LAYOUT


def test_zoomed_map_has_a_locator_inset_of_the_region(ds: Dataset) -> None:
    fig = build_map_figure(ds, Selection(countries=("GEO",)), TODAY)
    assert fig.layout.geo.lonaxis.range != tuple(GEO_LAYOUT["lonaxis"]["range"])
    assert fig.layout.geo2.lonaxis.range == tuple(GEO_LAYOUT["lonaxis"]["range"])
    inset = {t.uid: t for t in fig.data if t.geo == "geo2"}
    assert list(inset["inset-selected"].locations) == ["GEO"]
    frame = inset["inset-frame"]
    lon0, lon1 = fig.layout.geo.lonaxis.range
    assert min(frame.lon) == pytest.approx(lon0) and max(frame.lon) == pytest.approx(lon1)
    region = build_map_figure(ds, Selection(), TODAY)
    assert "geo2" not in region.layout.to_plotly_json()


def test_drag_pans_and_a_click_selects(ds: Dataset) -> None:
    fig = build_map_figure(ds, Selection(), TODAY)
    assert fig.layout.dragmode == "pan"
    assert fig.layout.clickmode == "event+select"


def test_a_note_says_russia_continues_east(ds: Dataset) -> None:
    fig = build_map_figure(ds, Selection(), TODAY)
    (notes,) = [t for t in fig.data if t.uid == "labels-notes"]
    assert any("Russia continues east" in text for text in notes.text)


def _plot_box(fig: go.Figure, width: int) -> tuple[float, float, float, float]:
    """The plot's size (px) in a figure drawn ``width`` px wide, and the map's in it."""
    margin = fig.layout.margin
    plot_w = width - margin.l - margin.r
    plot_h = fig.layout.height - margin.t - margin.b
    x0, y0, x1, y1 = Screen.of(fig.layout.geo.to_plotly_json(), plot_w, plot_h).box()
    return plot_w, plot_h, x1 - x0, y1 - y0


@pytest.mark.parametrize(
    ("compact", "width"), [(False, WIDTH_PX), (True, COMPACT_WIDTH_PX), (True, 460)]
)
@pytest.mark.parametrize("codes", [(), ("GEO",), ("ARM", "AZE")])
def test_the_map_fills_its_plot(
    ds: Dataset, compact: bool, width: int, codes: tuple[str, ...]
) -> None:
    """No blank band: the figure is as tall as the view needs at its width (plotly.js fits
    the view's frame into the plot keeping its shape; tests/browser checks it draws so)."""
    fig = build_map_figure(ds, Selection(countries=codes), TODAY, compact=compact, width=width)
    plot_w, plot_h, map_w, map_h = _plot_box(fig, width)
    assert map_w == pytest.approx(plot_w, abs=1.5) and map_h == pytest.approx(plot_h, abs=1.5)
    # The bottom margin holds the legend: two entries a row at these widths, 19 px a row.
    shown = [t for t in fig.data if t.showlegend and t.geo in (None, "geo")]
    assert fig.layout.margin.b >= 19 * math.ceil(len(shown) / 2) + 10


def test_the_default_width_is_the_layouts(ds: Dataset) -> None:
    for compact, width in ((False, WIDTH_PX), (True, COMPACT_WIDTH_PX)):
        default = build_map_figure(ds, Selection(), TODAY, compact=compact)
        given = build_map_figure(ds, Selection(), TODAY, compact=compact, width=width)
        assert default.layout.height == given.layout.height
        assert default.layout.geo == given.layout.geo


def test_a_phones_zoom_is_taller_than_the_region(ds: Dataset) -> None:
    """The region's frame is what it is; a zoom on a phone gets a squarer plot."""
    region = _plot_box(build_map_figure(ds, Selection(), TODAY, compact=True), COMPACT_WIDTH_PX)
    zoom = _plot_box(
        build_map_figure(ds, Selection(countries=("GEO",)), TODAY, compact=True),
        COMPACT_WIDTH_PX,
    )
    assert zoom[1] > region[1] * 1.2


@pytest.mark.parametrize("compact", [False, True])
def test_the_animated_map_fills_its_plot_below_the_controls(ds: Dataset, compact: bool) -> None:
    width = COMPACT_WIDTH_PX if compact else WIDTH_PX
    fig = build_map_animation(ds, Selection(countries=("GEO",)), TODAY, compact=compact)
    plot_w, plot_h, map_w, map_h = _plot_box(fig, width)
    assert map_w == pytest.approx(plot_w, abs=1.5) and map_h == pytest.approx(plot_h, abs=1.5)
    assert fig.layout.margin.t >= CONTROLS_PX + 150  # the controls, then the title block


def test_a_fixed_height_is_kept_and_the_view_is_laid_out_for_its_plot(ds: Dataset) -> None:
    """A social card: 1200 x 675 whatever the view; a zoom is shaped like what is left."""
    fig = build_map_figure(ds, Selection(countries=("GEO",)), TODAY, width=1200, height=675)
    assert fig.layout.height == 675
    plot_w, plot_h, map_w, map_h = _plot_box(fig, 1200)
    assert map_w == pytest.approx(plot_w, rel=0.05) and map_h == pytest.approx(plot_h, rel=0.05)
