"""A site's hover fits the map it is on, and a tap does not fade the rest of the map.

plotly.js places a hover label beside its point, on whichever side it fits, else centred
over the point and cut off at both edges (on a 375 px phone the audit measured a label
683 px wide at x = -217). A label at most half the map wide always fits on one side.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest

from dashlib.data.dataset import Dataset, load
from dashlib.figures.map import build_map_figure
from dashlib.figures.map_sites import HOVER_MAX_CHARS, hover_chars, wrap
from dashlib.query.selection import Selection

from conftest import REPO, edit

TODAY = dt.date(2026, 6, 1)


@pytest.fixture(scope="module")
def shipped() -> Dataset:
    return load(REPO / "data")


def lines(hover: str) -> list[str]:
    plain = re.sub(r"</?b>", "", hover)
    return [html.unescape(line) for line in plain.split("<br>")]


def site_hovers(fig: object) -> list[str]:
    return [
        h
        for t in fig.data  # type: ignore[attr-defined]
        if (t.uid or "").startswith("sites-") and t.hovertext
        for h in t.hovertext
        if h
    ]


@pytest.mark.parametrize(("compact", "chars"), [(False, HOVER_MAX_CHARS), (True, 20)])
def test_every_site_hover_is_in_short_lines(shipped: Dataset, compact: bool, chars: int) -> None:
    fig = build_map_figure(shipped, Selection(), TODAY, height=560, compact=compact)
    hovers = site_hovers(fig)
    assert len(hovers) > 10
    assert max(len(line) for h in hovers for line in lines(h)) <= chars
    # Half the phone's map (355 px): at most 20 characters of 7.5 px, plus padding.
    assert hover_chars(355) == 20 and hover_chars(780) == HOVER_MAX_CHARS


def test_the_phone_hover_is_short_and_the_wide_one_complete(shipped: Dataset) -> None:
    wide = site_hovers(build_map_figure(shipped, Selection(), TODAY, height=640))
    narrow = site_hovers(build_map_figure(shipped, Selection(), TODAY, height=560, compact=True))
    assert all("Source:" in h for h in wide)
    assert not any("Source:" in h for h in narrow)
    assert all("Troops:" in h for h in narrow)
    # A few lines (12 at 12 px, about 190 px: under a quarter of an 812 px screen, on the
    # phone's map as drawn for its width); the card under the map has the rest.
    assert max(len(lines(h)) for h in narrow) <= 12


def test_wrapped_text_from_the_data_stays_escaped() -> None:
    text = wrap("<script>alert(1)</script> & a very long name of a base somewhere", 12)
    assert "<script>" not in text and "&lt;script&gt;" in text.replace("<br>", "")
    assert all(len(line) <= 12 for line in lines(text))


def test_a_long_name_is_wrapped_on_the_phone_map(data_dir: Path) -> None:
    long_name = "Garrison of a very long name indeed, with a unit attached"
    edit(data_dir / "deployments.csv", "Test army base", long_name.replace(",", ""))
    ds = load(data_dir)
    hovers = site_hovers(build_map_figure(ds, Selection(), TODAY, height=560, compact=True))
    assert any("Garrison" in h for h in hovers)
    assert max(len(line) for h in hovers for line in lines(h)) <= 20


def test_a_selection_does_not_fade_the_rest_of_the_map(shipped: Dataset) -> None:
    fig = build_map_figure(shipped, Selection(countries=("GEO",)), TODAY, height=640)
    selectable = [t for t in fig.data if t.type in ("choropleth", "scattergeo")]
    assert selectable
    for trace in selectable:
        own = trace.marker.opacity if trace.marker.opacity is not None else 1.0
        assert trace.unselected.marker.opacity == own, trace.uid
        assert trace.selected.marker.opacity == own, trace.uid
        textfont = getattr(trace, "textfont", None)
        if textfont is not None and isinstance(textfont.color, str):
            assert trace.unselected.textfont.color == textfont.color, trace.uid
