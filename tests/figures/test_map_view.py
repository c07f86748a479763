"""Where the map looks: the region frame, country zooms with a locator inset, interaction."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dashlib.data.dataset import Dataset, load
from dashlib.figures.map import build_map_figure, country_bounds
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
