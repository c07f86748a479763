"""The chart catalogue of an export: which charts, built by which of the app's builders, with
which data table behind each.

To add a chart to the export, add a :class:`Chart` in :func:`chart_list` and, for a new kind,
a branch in :func:`build_figure` and :func:`chart_table`.

A map also gets a phone version (:attr:`Chart.phone_name`): the same builder with
``compact=True``, the app's phone layout, laid out for a 375 px screen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashlib.data.dataset import Dataset
from dashlib.figures import build_map_animation, build_map_figure, build_timeline_figure
from dashlib.figures.map_animation import animation_days
from dashlib.query.selection import Selection
from dashlib.query.tables import sites_table, timeline_table
from dashlib.viewport import NARROW_PX

MAP_KINDS = ("map", "map-animated")
# The phone version of NAME.html is NAME-phone.html.
PHONE_SUFFIX = "-phone"

# A map page's main version is drawn at least this wide: a window (or iframe) narrower than
# NARROW_PX opens the phone version; a desktop's scrollbar may take up to 20 px.
MAIN_PAGE_MIN_PX = NARROW_PX - 20

# Per-country views a story would use: (name suffix, countries).
STORY_VIEWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ukr", ("UKR",)),
    ("geo", ("GEO",)),
    ("mda", ("MDA",)),
    ("kaz", ("KAZ",)),
    ("arm-aze", ("ARM", "AZE")),
)


@dataclass(frozen=True)
class Chart:
    """One exported chart: its file name, builder, app page and selection."""

    name: str
    kind: str  # "map", "map-animated" or "timeline"
    selection: Selection
    label: str

    @property
    def page(self) -> str:
        """The app page showing this chart (``/map`` plays the animation)."""
        return "timeline" if self.kind == "timeline" else "map"

    @property
    def phone_name(self) -> str | None:
        """The file name (without ``.html``) of the chart's phone version; ``None`` for a
        chart drawn the same on every screen (the timeline)."""
        return f"{self.name}{PHONE_SUFFIX}" if self.kind in MAP_KINDS else None


def chart_list(ds: Dataset, selection: Selection) -> list[Chart]:
    """The charts to export: the selection's three charts, then per-country story views.

    With ``--country`` the selection already is the story's view, so no extra views are added.
    """
    charts = [
        Chart("map", "map", selection, "Map on the selected date"),
        Chart("map-animated", "map-animated", selection, "Animated map, 1991 → today"),
        Chart("timeline", "timeline", selection, "Timeline of interventions and events"),
    ]
    if selection.countries:
        return charts
    known = set(ds.countries["iso3"])
    names = dict(zip(ds.countries["iso3"], ds.countries["name"], strict=True))
    for suffix, codes in STORY_VIEWS:
        present = tuple(c for c in codes if c in known)
        if not present:
            continue
        view = selection.with_(countries=tuple(sorted(present)))
        label = " and ".join(str(names[c]) for c in present)
        charts.append(Chart(f"map-{suffix}", "map", view, f"Map: {label}"))
        charts.append(Chart(f"timeline-{suffix}", "timeline", view, f"Timeline: {label}"))
    return charts


def build_figure(ds: Dataset, chart: Chart, today: dt.date, *, compact: bool = False) -> go.Figure:
    """The app's figure for ``chart`` (the same builders, never a second version);
    ``compact``: a map's phone version, as the app draws it for a 375 px phone. A map's main
    version is never drawn narrower than MAIN_PAGE_MIN_PX (narrower windows get the phone
    page; its images are 800 px wide), so its title and notes are wrapped for that width."""
    text_width = None if compact else MAIN_PAGE_MIN_PX
    if chart.kind == "map":
        return build_map_figure(ds, chart.selection, today, compact=compact, text_width=text_width)
    if chart.kind == "map-animated":
        return build_map_animation(
            ds, chart.selection, today, compact=compact, text_width=text_width
        )
    return build_timeline_figure(ds, chart.selection, today)


def card_figure(
    ds: Dataset, chart: Chart, today: dt.date, size: tuple[int, int]
) -> go.Figure | None:
    """``chart`` laid out for an image of ``size`` (width, height px) where its layout
    depends on its size: a map's view and labels are placed for the plot they are drawn on
    (an article's labels, drawn smaller on a wide card, overlapped). ``None``: the chart's
    own figure, resized, serves (the timeline)."""
    if chart.kind in ("map", "map-animated"):  # a card is a still: the map on its date
        return build_map_figure(
            ds, chart.selection, today, width=size[0], height=size[1], text_width=size[0]
        )
    return None


def chart_table(ds: Dataset, chart: Chart, today: dt.date) -> pd.DataFrame:
    """The data behind ``chart``, from the app's reader-facing tables."""
    if chart.kind == "map":
        return sites_table(ds, chart.selection, today)
    if chart.kind == "map-animated":  # every site shown in any frame
        start = chart.selection.as_of_or(today)
        frames = [
            sites_table(ds, chart.selection.with_(as_of=day), today)
            for day in animation_days(ds, today, start)
        ]
        return pd.concat(frames, ignore_index=True).drop_duplicates().reset_index(drop=True)
    return timeline_table(ds, chart.selection, today)
