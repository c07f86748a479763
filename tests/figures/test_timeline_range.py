"""The timeline follows the chosen date range, and its title and words name it (audit P3-11:
/timeline?country=GEO&from=2008-08-01&to=2008-08-31 ran its axis to 28 Sep 2008 and its
title named Georgia only)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from dashlib.data.dataset import Dataset, load
from dashlib.figures.timeline import build_timeline_figure
from dashlib.query.selection import Selection
from dashlib.query.summaries import view_title

from conftest import FIXTURES, REPO

TODAY = dt.date(2026, 12, 1)
AUGUST_2008 = Selection(
    countries=("GEO",), date_from=dt.date(2008, 8, 1), date_to=dt.date(2008, 8, 31)
)


@pytest.fixture(scope="module")
def shipped() -> Dataset:
    return load(REPO / "data")


def test_the_axis_ends_with_the_chosen_range(shipped: Dataset) -> None:
    fig = build_timeline_figure(shipped, AUGUST_2008, TODAY)
    start, end = (dt.date.fromisoformat(str(d)[:10]) for d in fig.layout.xaxis.range)
    assert start == dt.date(2008, 8, 1)
    assert dt.date(2008, 8, 31) < end <= dt.date(2008, 9, 2)


def test_the_whole_period_keeps_room_after_today(shipped: Dataset) -> None:
    fig = build_timeline_figure(shipped, Selection(), TODAY)
    end = dt.date.fromisoformat(str(fig.layout.xaxis.range[1])[:10])
    assert dt.timedelta(days=20) <= end - TODAY <= dt.timedelta(days=30)


def test_the_title_and_words_name_the_place_and_the_range(shipped: Dataset) -> None:
    fig = build_timeline_figure(shipped, AUGUST_2008, TODAY)
    assert fig.layout.meta["title"] == "Georgia: Russian military interventions, 1–31 Aug 2008"
    assert "1–31 August 2008 in Georgia" in fig.layout.meta["summary"]
    assert view_title(shipped, AUGUST_2008, "timeline").endswith("1–31 Aug 2008")
    open_ended = Selection(date_from=dt.date(2014, 2, 20))
    fig = build_timeline_figure(shipped, open_ended, TODAY)
    assert fig.layout.meta["title"].endswith(", since 20 Feb 2014")
    assert fig.layout.meta["summary"].startswith("Timeline since 20 February 2014")
    # Without a range, nothing is added.
    fig = build_timeline_figure(shipped, Selection(countries=("GEO",)), TODAY)
    assert fig.layout.meta["title"] == "Georgia: Russian military interventions"


@pytest.fixture
def fixture_data(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DASHLIB_DATA_DIR", str(FIXTURES / "valid"))
    yield


@pytest.mark.usefixtures("fixture_data")
def test_the_timeline_page_names_the_range_in_words() -> None:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/timeline.py")
    for key, value in {"country": "GEO", "from": "2008-08-01", "to": "2008-08-31"}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    words = next(m.value for m in at.markdown if m.value.startswith("**In words:**"))
    assert "1–31 August 2008 in Georgia" in re.sub(r"\\(.)", r"\1", words)
