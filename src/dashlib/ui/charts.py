"""The pages' figures, built once per view and shared by every reader of that view.

A view is the dataset version, the selection and today's date. Readers who arrive on the
default view (most of them) and a reader toggling back and forth between two filters get the
figure already built; only a new view pays for building it. The figures are read-only once
built (pages and exports only read them), which is what makes sharing them safe.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from dashlib.data.dataset import Dataset
from dashlib.figures import build_map_animation, build_map_figure, build_timeline_figure
from dashlib.query.prepared import lru
from dashlib.query.selection import Selection

VIEWS_KEPT = 24  # per chart; a figure is 0.05-0.5 MB


def _acled_key(selection: Selection, acled: pd.DataFrame | None) -> int:
    # The ACLED frame comes from st.cache_resource: one object per imported file.
    return id(acled) if "acled" in selection.layers and acled is not None else 0


def map_animation(
    ds: Dataset, sel: Selection, today: dt.date, *, height: int, acled: pd.DataFrame | None
) -> go.Figure:
    key = (sel, today, height, _acled_key(sel, acled))
    return lru(
        ds,
        "figure:map_animation",
        key,
        lambda: build_map_animation(ds, sel, today, height=height, acled=acled),
        VIEWS_KEPT,
    )


def map_figure(
    ds: Dataset, sel: Selection, today: dt.date, *, height: int, acled: pd.DataFrame | None
) -> go.Figure:
    """The map page's figure: one date, the selection's (Play steps it from the page)."""
    key = (sel, today, height, _acled_key(sel, acled))
    return lru(
        ds,
        "figure:map",
        key,
        lambda: build_map_figure(ds, sel, today, height=height, acled=acled),
        VIEWS_KEPT,
    )


def overview_map(ds: Dataset, sel: Selection, today: dt.date, *, height: int) -> go.Figure:
    return lru(
        ds,
        "figure:overview_map",
        (sel, today, height),
        lambda: build_map_figure(ds, sel, today, height=height),
        VIEWS_KEPT,
    )


def timeline(
    ds: Dataset, sel: Selection, today: dt.date, *, acled: pd.DataFrame | None
) -> go.Figure:
    return lru(
        ds,
        "figure:timeline",
        (sel, today, _acled_key(sel, acled)),
        lambda: build_timeline_figure(ds, sel, today, acled=acled),
        VIEWS_KEPT,
    )
