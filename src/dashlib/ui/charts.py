"""The pages' figures, built once per view and shared by every reader of that view.

A view is the dataset version, the selection, today's date (and the chart's height and the
ACLED layer where they apply). ``st.cache_resource`` keeps the latest :data:`VIEWS_KEPT` views
per chart for all sessions and builds a missing one once, however many readers ask for it at
the same moment (after a data update, every reader arrives at a cold cache together). The
figures are read-only once built (pages and exports only read them), which is what makes
sharing them safe. The dataset itself is not hashed: its ``version`` (a content hash) is the key.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashlib.data.dataset import Dataset
from dashlib.figures import build_map_figure, build_timeline_figure
from dashlib.query.selection import Selection

VIEWS_KEPT = 24  # per chart; a figure is 0.05-0.5 MB
# The overview's map column at 1280 px (three fifths of the page beside the sidebar); a
# wider screen keeps the map at this width (its height follows: the map fills its plot).
OVERVIEW_MAP_PX = 460


def _acled_key(selection: Selection, acled: pd.DataFrame | None) -> int:
    # The ACLED frame comes from st.cache_resource: one object per imported file.
    return id(acled) if "acled" in selection.layers and acled is not None else 0


@st.cache_resource(show_spinner=False, max_entries=VIEWS_KEPT)
def _map(
    version: str,
    sel: Selection,
    today: dt.date,
    height: int | None,
    compact: bool,
    width: int | None,
    text_width: int | None,
    acled_key: int,
    _ds: Dataset,
    _acled: pd.DataFrame | None,
) -> go.Figure:
    return build_map_figure(
        _ds,
        sel,
        today,
        height=height,
        acled=_acled,
        compact=compact,
        width=width,
        text_width=text_width,
    )


def map_figure(
    ds: Dataset,
    sel: Selection,
    today: dt.date,
    *,
    acled: pd.DataFrame | None,
    compact: bool = False,
    width: int | None = None,
    height: int | None = None,
    text_width: int | None = None,
) -> go.Figure:
    """The map page's figure: one date, the selection's (Play steps it from the page);
    ``compact``: the phone's reduced set of labels and legend. Laid out for a figure
    ``width`` px wide (default: the layout's own); its height follows from its width
    (``height`` ``None``): the map fills its plot. Its text is wrapped for ``text_width``
    (default: a phone's; ``components.text_width``)."""
    key = _acled_key(sel, acled)
    return _map(ds.version, sel, today, height, compact, width, text_width, key, ds, acled)


def overview_map(
    ds: Dataset,
    sel: Selection,
    today: dt.date,
    *,
    compact: bool = False,
    width: int | None = None,
    height: int | None = None,
) -> go.Figure:
    return _map(ds.version, sel, today, height, compact, width, None, 0, ds, None)


@st.cache_resource(show_spinner=False, max_entries=VIEWS_KEPT)
def _timeline(
    version: str,
    sel: Selection,
    today: dt.date,
    text_width: int | None,
    acled_key: int,
    _ds: Dataset,
    _acled: pd.DataFrame | None,
) -> go.Figure:
    return build_timeline_figure(_ds, sel, today, acled=_acled, text_width=text_width)


def timeline(
    ds: Dataset,
    sel: Selection,
    today: dt.date,
    *,
    acled: pd.DataFrame | None,
    text_width: int | None = None,
) -> go.Figure:
    """The timeline page's figure; its text wrapped for ``text_width`` (default: a phone's)."""
    key = _acled_key(sel, acled)
    return _timeline(ds.version, sel, today, text_width, key, ds, acled)
