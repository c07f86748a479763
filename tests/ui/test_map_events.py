"""dashlib.ui.map_events: what a tap on the map does (audit P3-10: Russia is no filter)."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from dashlib.data.dataset import Dataset, load
from dashlib.ui.map_events import clicked_countries, clicked_places, clicked_russia

from conftest import FIXTURES


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load(FIXTURES / "valid")


def tap(*points: dict[str, Any]) -> dict[str, Any]:
    """What st.plotly_chart returns for a click (a choropleth point has ``location``)."""
    return {"selection": {"points": list(points)}}


def test_a_tap_on_russia_filters_nothing(ds: Dataset) -> None:
    assert clicked_countries(tap({"location": "RUS"}), ds) == []
    assert clicked_russia(tap({"location": "RUS"}))
    assert clicked_countries(tap({"location": "RUS"}, {"location": "GEO"}), ds) == ["GEO"]


def test_a_tap_on_another_state_filters_by_it(ds: Dataset) -> None:
    assert clicked_countries(tap({"location": "KAZ"}), ds) == ["KAZ"]
    assert not clicked_russia(tap({"location": "KAZ"}))
    assert clicked_countries(tap({"location": "XXX"}), ds) == []  # not a state of the data


def test_a_site_tap_is_a_place_not_a_filter(ds: Dataset) -> None:
    site = ds.deployments.iloc[0]
    event = tap({"lon": site.lon, "lat": site.lat, "customdata": site.site_id})
    assert clicked_countries(event, ds) == []
    sites, _ = clicked_places(event, ds)
    assert list(sites["site_id"]) == [site.site_id]


def _page(location: str) -> None:
    from dashlib.data.dataset import load
    from dashlib.query.selection import Selection
    from dashlib.ui.map_events import handle_map_selection, show_clicked_details

    from conftest import FIXTURES

    ds = load(FIXTURES / "valid")
    event = {"selection": {"points": [{"location": location}]}}
    show_clicked_details(event, ds)
    handle_map_selection(event, ds, Selection())


def _script(location: str) -> AppTest:
    at = AppTest.from_function(_page, args=(location,), default_timeout=30)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_tap_on_russia_says_why_and_keeps_the_view() -> None:
    at = _script("RUS")
    notes = [c.value for c in at.caption]
    assert any("not one of the 4 other states" in n for n in notes), notes
    assert "sel_pending_countries" not in at.session_state  # no filter requested


def test_a_tap_on_georgia_asks_for_the_filter() -> None:
    at = _script("GEO")
    assert at.session_state["sel_pending_countries"] == ["GEO"]
    assert not at.caption
