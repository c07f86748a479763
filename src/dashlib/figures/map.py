"""The map: the 15 states shaded by status on a date, deployment sites, contested territories.

Crimea is drawn as part of Ukraine (it is in Ukraine's outline) with an occupation overlay of
its own; breakaway regions have no drawn boundary, only a labelled point.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashlib import filters, theme
from dashlib.acled import CREDIT as ACLED_CREDIT
from dashlib.acled import aggregate_for_map
from dashlib.dataset import Dataset
from dashlib.dates import format_partial
from dashlib.figures.common import esc, first_source, frame_layout, source_line, today_default
from dashlib.selection import Selection
from dashlib.summaries import map_summary

# The region, not all of Eurasia: Russia crosses 180°, so fitbounds would span the globe.
GEO_LAYOUT: dict[str, Any] = {
    # Centred at 95°E so both Kaliningrad and Chukotka fit (Russia crosses 180°).
    "projection": {"type": "conic equal area", "rotation": {"lon": 95}, "parallels": [40, 65]},
    "lonaxis": {"range": [22, 188]},
    "lataxis": {"range": [37, 84]},
    "resolution": 50,
    "scope": "world",
    "showland": True,
    "landcolor": "#F4F4F4",
    "showocean": True,
    "oceancolor": "#EAF2F8",
    "showlakes": True,
    "lakecolor": "#EAF2F8",
    "showcountries": True,
    "countrycolor": "#FFFFFF",
    "countrywidth": 0.6,
    "showcoastlines": True,
    "coastlinecolor": "#9E9E9E",
    "coastlinewidth": 0.5,
    "showframe": False,
    "bgcolor": "#EAF2F8",
}
MAX_MARKER = 34
# ACLED cells: 1° (~100 km) keeps even 100,000 events to a few hundred readable markers.
ACLED_CELL_DEGREES = 1.0
MIN_MARKER = 7


def _size(troops: float | None, largest: float) -> float:
    """Marker diameter with area proportional to troops; sites without figures stay small."""
    if troops is None or pd.isna(troops) or troops <= 0 or largest <= 0:
        return MIN_MARKER
    return max(MIN_MARKER + 2, MAX_MARKER * math.sqrt(float(troops) / largest))


def troop_text(low: Any, high: Any, as_of: Any) -> str:
    if pd.isna(low) and pd.isna(high):
        return "no published figure"
    low_i, high_i = int(low), int(high)
    span = f"{low_i:,}" if low_i == high_i else f"{low_i:,}–{high_i:,}"
    when = f" (as of {format_partial(str(as_of))})" if isinstance(as_of, str) and as_of else ""
    return span + when


def _period(start: Any, end: Any) -> str:
    first = format_partial(str(start))
    return (
        f"{first} – {format_partial(str(end))}"
        if isinstance(end, str) and end
        else (f"since {first}")
    )


def _status_data(timeline: filters.StatusTimeline, day: dt.date) -> list[dict[str, Any]]:
    """Per status (in STATUS_ORDER): the choropleth's locations, z and hover text on ``day``."""
    rows = timeline.on(day)
    out = []
    for key in theme.STATUS_ORDER:
        sub = [r for r in rows if r["status"] == key]
        hover = [
            f"<b>{esc(r['name'])}</b><br>{esc(theme.STATUS_LABELS[key])} on {day:%d %b %Y}"
            + (f"<br>{esc(r['operations'])}" if r["operations"] else "")
            + (f"<br>{r['sites']} active site(s)" if r["sites"] else "")
            for r in sub
        ]
        out.append(
            {
                "type": "choropleth",
                "locations": [r["iso3"] for r in sub],
                "z": [1] * len(sub),
                "text": hover,
            }
        )
    return out


def _status_traces(timeline: filters.StatusTimeline, day: dt.date) -> list[go.Choropleth]:
    traces = []
    for key, data in zip(theme.STATUS_ORDER, _status_data(timeline, day), strict=True):
        color = theme.STATUS_COLORS[key]
        traces.append(
            go.Choropleth(
                locations=data["locations"],
                locationmode="ISO-3",
                z=data["z"],
                colorscale=[[0, color], [1, color]],
                showscale=False,
                zmin=0,
                zmax=1,
                marker={"line": {"color": "#FFFFFF", "width": 0.8}},
                name=theme.STATUS_LABELS[key],
                showlegend=True,
                text=data["text"],
                hovertemplate="%{text}<extra></extra>",
                customdata=data["locations"],
            )
        )
    return traces


def _crimea_trace(ds: Dataset) -> go.Choropleth | None:
    if not ds.crimea_geojson:
        return None
    row = ds.territories[ds.territories["territory_id"] == "crimea"]
    detail = str(row.iloc[0]["status_detail"]) if len(row) else "Occupied by Russia since 2014."
    return go.Choropleth(
        geojson=ds.crimea_geojson,
        featureidkey="properties.territory_id",
        locations=["crimea"],
        z=[1],
        colorscale=[[0, theme.CRIMEA_COLOR], [1, theme.CRIMEA_COLOR]],
        showscale=False,
        marker={"line": {"color": "#8E3B6E", "width": 1.2}},
        name="Crimea: Ukrainian territory under Russian occupation",
        text=[f"<b>Crimea (Ukraine)</b><br>{esc(detail)}"],
        hovertemplate="%{text}<extra></extra>",
        showlegend=True,
    )


def _territory_trace(ds: Dataset, day: dt.date) -> go.Scattergeo:
    terr = ds.territories[filters.active_on(ds.territories, day)]
    terr = terr[terr["territory_id"] != "crimea"] if ds.crimea_geojson else terr
    hover = [
        f"<b>{esc(r.name)}</b> ({esc(r.country_iso3)})<br>{esc(r.status_detail)}"
        f"<br>{esc(_period(r.since, r.until))}"
        for r in terr.itertuples(index=False)
    ]
    return go.Scattergeo(
        lon=terr["lon"].astype(float).tolist(),
        lat=terr["lat"].astype(float).tolist(),
        mode="markers",
        marker={
            "symbol": "x-thin-open",
            "size": 10,
            "line": {"width": 2, "color": "#5B2C4F"},
            "color": "#5B2C4F",
        },
        name="Contested territory (no boundary drawn)",
        hovertext=hover,
        hovertemplate="%{hovertext}<extra></extra>",
    )


def _site_hover(ds: Dataset, r: Any) -> str:
    parts = [f"<b>{esc(r.name)}</b>", f"{esc(r.place)}, {esc(r.country_iso3)}"]
    if isinstance(r.unit, str) and r.unit:
        parts.append(f"Unit: {esc(r.unit)}")
    parts.append(
        f"{esc(theme.SITE_LABELS.get(r.site_type, r.site_type))} · "
        f"{esc(theme.KIND_LABELS.get(r.kind, r.kind))}"
    )
    parts.append(esc(_period(r.start_date, r.end_date)))
    parts.append(f"Troops: {esc(troop_text(r.troops_low, r.troops_high, r.troops_as_of))}")
    if r.coord_precision != "site":
        parts.append(f"Location approximate ({esc(r.coord_precision)} level)")
    parts.append(f"Source: {esc(first_source(ds, r.source_ids))}")
    return "<br>".join(parts)


class _Sites:
    """The selection's sites as plain arrays, so each animation frame is a cheap mask."""

    def __init__(self, ds: Dataset, selection: Selection):
        every_day = selection.with_(as_of=None)
        frame = ds.deployments
        keep = np.ones(len(frame), dtype=bool)
        if every_day.countries:
            keep &= frame["country_iso3"].isin(every_day.countries).to_numpy()
        if every_day.kinds:
            keep &= frame["kind"].isin(every_day.kinds).to_numpy()
        if every_day.intervention:
            keep &= (frame["intervention_id"] == every_day.intervention).to_numpy()
        sites = frame[keep]
        largest = _largest(ds)
        self.start = sites["start"].to_numpy()
        self.end = sites["end"].to_numpy()
        self.kind = sites["kind"].to_numpy()
        self.lon = sites["lon"].astype(float).to_numpy()
        self.lat = sites["lat"].astype(float).to_numpy()
        self.size = np.array([_size(v, largest) for v in sites["troops_high"]])
        self.hover = np.array(
            [_site_hover(ds, r) for r in sites.itertuples(index=False)], dtype=object
        )
        self.ids = sites["site_id"].to_numpy()
        self.sources = sites["source_ids"].to_numpy()

    def active(self, day: dt.date) -> np.ndarray:
        stamp = np.datetime64(pd.Timestamp(day))
        active: np.ndarray = (self.start <= stamp) & (np.isnat(self.end) | (self.end >= stamp))
        return active

    def trace_data(self, day: dt.date) -> list[dict[str, Any]]:
        """One dict per kind with what changes between frames."""
        active = self.active(day)
        out = []
        for kind in theme.KIND_ORDER:
            mask = active & (self.kind == kind)
            out.append(
                {
                    "type": "scattergeo",
                    "lon": self.lon[mask].tolist(),
                    "lat": self.lat[mask].tolist(),
                    "marker": {"size": self.size[mask].tolist()},
                    "hovertext": self.hover[mask].tolist(),
                    "customdata": self.ids[mask].tolist(),
                }
            )
        return out


def _site_traces(sites: _Sites, day: dt.date) -> list[go.Scattergeo]:
    traces = []
    for kind, data in zip(theme.KIND_ORDER, sites.trace_data(day), strict=True):
        traces.append(
            go.Scattergeo(
                lon=data["lon"],
                lat=data["lat"],
                mode="markers",
                marker={
                    "size": data["marker"]["size"],
                    "color": theme.KIND_COLORS[kind],
                    "line": {"color": "#222222", "width": 0.8},
                    "opacity": 0.9,
                },
                name=theme.KIND_LABELS[kind],
                hovertext=data["hovertext"],
                hovertemplate="%{hovertext}<extra></extra>",
                customdata=data["customdata"],
                showlegend=len(data["lon"]) > 0,
            )
        )
    return traces


def _largest(ds: Dataset) -> float:
    value = ds.deployments["troops_high"].max()
    return float(value) if not pd.isna(value) else 0.0


def build_map_figure(
    ds: Dataset,
    selection: Selection,
    today: dt.date | None = None,
    height: int = 640,
    extra_top: int = 0,
    sites: _Sites | None = None,
    acled: pd.DataFrame | None = None,
) -> go.Figure:
    """Map of the region as of the selection's date (default today).

    ``acled`` is the optional ACLED events layer; it is drawn, aggregated to grid cells, when
    the selection switches it on (``layer=acled``).
    """
    today = today_default(today)
    day = selection.as_of_or(today)
    sites = sites or _Sites(ds, selection)
    timeline = filters.StatusTimeline(ds)
    traces: list[Any] = _status_traces(timeline, day)
    crimea = _crimea_trace(ds)
    if crimea is not None:
        traces.append(crimea)
    traces.append(_territory_trace(ds, day))
    traces += _site_traces(sites, day)
    fig = go.Figure(traces)
    _highlight_countries(fig, ds, selection)
    if "acled" in selection.layers and acled is not None:
        fig.add_trace(acled_map_trace(acled, selection, today))
    fig.update_geos(**GEO_LAYOUT)
    active = sites.active(day)
    frame_layout(
        fig,
        title=f"Russian military presence, {day:%-d %b %Y}",
        subtitle="Circles: deployment sites, area by troop numbers (range in the hover), "
        "colour by kind. Countries shaded by their status on that day.",
        source=source_line(ds, sites.sources[active].tolist()),
        summary=map_summary(ds, selection, today),
        height=height,
        extra_top=extra_top,
    )
    fig.update_layout(clickmode="event+select", dragmode="pan")
    return fig


def _highlight_countries(fig: go.Figure, ds: Dataset, selection: Selection) -> None:
    """Outline the selected countries so the selection is visible on the map."""
    if not selection.countries:
        return
    fig.add_trace(
        go.Choropleth(
            locations=list(selection.countries),
            locationmode="ISO-3",
            z=[1] * len(selection.countries),
            colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
            showscale=False,
            marker={"line": {"color": theme.INK, "width": 2}},
            name="Selected",
            hoverinfo="skip",
            showlegend=False,
        )
    )


def animation_days(today: dt.date, first_year: int = 1991) -> list[dt.date]:
    """One frame per year (31 December; today for the current year)."""
    days = [dt.date(year, 12, 31) for year in range(first_year, today.year)]
    return [*days, today]


def acled_map_trace(acled: pd.DataFrame, selection: Selection, today: dt.date) -> go.Scattergeo:
    """ACLED events involving Russian forces, one marker per 1° cell (never one per event).

    Period: the selection's date range when set, else the 12 months up to the as-of date.
    """
    day = selection.as_of_or(today)
    if selection.date_from or selection.date_to:
        start, end = selection.range_or(today)
    else:
        start, end = day - dt.timedelta(days=365), day
    cells = aggregate_for_map(
        acled, selection.countries or None, start, end, cell_degrees=ACLED_CELL_DEGREES
    )
    largest = float(cells["events"].max()) if len(cells) else 1.0
    hover = [
        f"<b>{int(r.events):,} ACLED event(s)</b> involving Russian forces<br>"
        f"{int(r.fatalities):,} reported fatalities<br>"
        f"{r.first_date:%d %b %Y} – {r.last_date:%d %b %Y}<br>Source: {esc(ACLED_CREDIT)}"
        for r in cells.itertuples(index=False)
    ]
    return go.Scattergeo(
        lon=cells["lon"].tolist(),
        lat=cells["lat"].tolist(),
        mode="markers",
        marker={
            "size": [3 + 9 * math.sqrt(float(n) / largest) for n in cells["events"]],
            "color": "rgba(30,30,30,0.28)",
            "line": {"width": 0},
        },
        name=f"ACLED events, {start:%b %Y}–{end:%b %Y} (per {ACLED_CELL_DEGREES:g}° cell)",
        hovertext=hover,
        hovertemplate="%{hovertext}<extra></extra>",
    )


def build_map_animation(
    ds: Dataset,
    selection: Selection,
    today: dt.date | None = None,
    height: int = 680,
    acled: pd.DataFrame | None = None,
) -> go.Figure:
    """The map with a play button that animates 1991 → today, one frame per year.

    The Play button and the year slider sit above the map; each frame replaces only the
    country shading and the site markers (the data that change), which keeps the figure small.
    """
    today = today_default(today)
    days = animation_days(today)
    start_day = selection.as_of_or(today)
    sites = _Sites(ds, selection)
    timeline = filters.StatusTimeline(ds)
    base = build_map_figure(
        ds,
        selection.with_(as_of=start_day),
        today,
        height=height,
        extra_top=92,
        sites=sites,
        acled=acled,
    )
    n_status = len(theme.STATUS_ORDER)
    first_site = n_status + (1 if ds.crimea_geojson else 0) + 1
    indices = list(range(n_status)) + [first_site + i for i in range(len(theme.KIND_ORDER))]
    title = str(base.layout.title.text)
    frames = [
        {
            "name": str(day.year),
            "data": _status_data(timeline, day) + sites.trace_data(day),
            "traces": indices,
            "layout": {
                "title": {"text": title.replace(f"{start_day:%-d %b %Y}", f"{day:%-d %b %Y}")}
            },
        }
        for day in days
    ]
    base.frames = frames
    base.update_traces(showlegend=True, selector={"type": "scattergeo"})
    animate = {
        "mode": "immediate",
        "frame": {"duration": 0, "redraw": True},
        "transition": {"duration": 0},
    }
    steps = [
        {"method": "animate", "label": str(day.year), "args": [[str(day.year)], animate]}
        for day in days
    ]
    active = (
        len(days) - 1
        if start_day == today
        else int(np.clip(start_day.year - days[0].year, 0, len(days) - 1))
    )
    base.update_layout(
        updatemenus=[
            {
                "type": "buttons",
                "direction": "left",
                "x": 0.0,
                "y": 1.0,
                "xanchor": "left",
                "yanchor": "bottom",
                "pad": {"b": 50, "r": 8},
                "showactive": False,
                "buttons": [
                    {
                        "label": "▶ Play 1991 → today",
                        "method": "animate",
                        "args": [
                            None,
                            {
                                "frame": {"duration": 700, "redraw": True},
                                "fromcurrent": False,
                                "transition": {"duration": 0},
                            },
                        ],
                    },
                    {
                        "label": "❚❚ Pause",
                        "method": "animate",
                        "args": [
                            [None],
                            {
                                "mode": "immediate",
                                "frame": {"duration": 0},
                                "transition": {"duration": 0},
                            },
                        ],
                    },
                ],
            }
        ],
        sliders=[
            {
                "active": active,
                "steps": steps,
                "x": 0.0,
                "len": 1.0,
                "y": 1.0,
                "yanchor": "bottom",
                "pad": {"t": 0, "b": 4},
                "currentvalue": {"prefix": "Showing ", "font": {"size": 12}, "xanchor": "right"},
                "font": {"size": 9},
                "ticklen": 3,
            }
        ],
    )
    return base
