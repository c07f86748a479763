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

from dashlib.data.dataset import Dataset
from dashlib.data.dates import format_partial
from dashlib.figures import theme
from dashlib.figures.common import (
    esc,
    first_source,
    frame_layout,
    set_layout,
    source_line,
    today_default,
)
from dashlib.layers.acled.importer import CREDIT as ACLED_CREDIT
from dashlib.layers.acled.importer import aggregate_for_map
from dashlib.query import filters
from dashlib.query.prepared import lru, row_strings
from dashlib.query.selection import Selection
from dashlib.query.summaries import map_headline, map_summary

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
    # The sea is the background (bgcolor): an ocean layer of the same colour cost plotly.js
    # ~20 ms more per draw (a world-sized polygon to project and clip).
    "showocean": False,
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


def _crimea_on(ds: Dataset, day: dt.date) -> bool:
    """Whether Crimea's occupation (its territories.csv row) holds on ``day``."""
    row = ds.territories[ds.territories["territory_id"] == "crimea"]
    return bool(filters.active_on(row, day).any())


def _crimea_trace(ds: Dataset, day: dt.date) -> go.Choropleth | None:
    # Drawn only from its start date (27 Feb 2014): the overlay is a layer dated like the
    # others. The trace stays (hidden) before then so animation frames keep their indices.
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
        visible=_crimea_on(ds, day),
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


# Above this many sites in the selection the map groups them into grid cells per kind: one
# marker per site would make every animation frame carry every point (and a browser cannot
# read 100,000 overlapping circles anyway). The table under the map still lists each site.
MAX_SITE_MARKERS = 1_500
CLUSTER_DEGREES = 0.5


def _sizes(troops: np.ndarray, largest: float) -> np.ndarray:
    """Vectorised :func:`_size`."""
    values = np.nan_to_num(troops.astype(float), nan=0.0)
    if largest <= 0:
        return np.full(len(values), float(MIN_MARKER))
    scaled = np.maximum(MIN_MARKER + 2, MAX_MARKER * np.sqrt(np.clip(values, 0, None) / largest))
    out: np.ndarray = np.where(values > 0, scaled, float(MIN_MARKER))
    return out


def _nullable(values: np.ndarray, visible: np.ndarray) -> list[float | None]:
    """Coordinates for plotly with ``None`` (not drawn, not hoverable) where not visible."""
    return [float(v) if show else None for v, show in zip(values, visible, strict=True)]


class _Sites:
    """The selection's sites as markers: one per site, or one per grid cell and kind at scale.

    Frames of the animation only change which markers are visible (their coordinates are
    ``None`` otherwise); the hover text of a site never changes, so it is sent once.
    """

    def __init__(self, ds: Dataset, selection: Selection):
        self._by_day: dict[dt.date, tuple[np.ndarray, np.ndarray, list[str]]] = {}
        every_day = selection.with_(as_of=None)
        frame = ds.deployments
        keep = np.ones(len(frame), dtype=bool)
        if every_day.countries:
            keep &= frame["country_iso3"].isin(every_day.countries).to_numpy()
        if every_day.kinds:
            keep &= frame["kind"].isin(every_day.kinds).to_numpy()
        if every_day.intervention:
            keep &= (frame["intervention_id"] == every_day.intervention).to_numpy()
        positions = np.flatnonzero(keep)
        self.n_sites = len(positions)
        self.clustered = self.n_sites > MAX_SITE_MARKERS
        self.start = frame["start"].to_numpy()[positions]
        self.end = frame["end"].to_numpy()[positions]
        self.sources = frame["source_ids"].to_numpy()[positions]
        kinds = frame["kind"].to_numpy()[positions]
        lon = frame["lon"].to_numpy(dtype=float)[positions]
        lat = frame["lat"].to_numpy(dtype=float)[positions]
        if not self.clustered:
            self.kind = kinds
            self.lon, self.lat = lon, lat
            self.size = _sizes(frame["troops_high"].to_numpy(dtype=float)[positions], _largest(ds))
            self.hover = np.array(
                row_strings(ds, "deployments", "map_hover", positions.tolist(), _site_hover),
                dtype=object,
            )
            self.ids = frame["site_id"].to_numpy()[positions]
            return
        # Grid cells per kind: every site of a cell counts towards one marker.
        cell_lat = np.floor(lat / CLUSTER_DEGREES).astype(np.int64)
        cell_lon = np.floor(lon / CLUSTER_DEGREES).astype(np.int64)
        kind_code = pd.Categorical(kinds, categories=list(theme.KIND_ORDER)).codes.astype(np.int64)
        # One integer per (kind, cell): latitude cells < 360, longitude cells < 720.
        keys = (kind_code * 1_000 + (cell_lat + 180)) * 1_000 + (cell_lon + 360)
        _uniques, first, self.member = np.unique(keys, return_index=True, return_inverse=True)
        n = len(first)
        counts = np.bincount(self.member, minlength=n)
        self.lon = np.bincount(self.member, weights=lon, minlength=n) / counts
        self.lat = np.bincount(self.member, weights=lat, minlength=n) / counts
        self.kind = kinds[first]
        rep = frame.iloc[positions[first]]
        names = dict(zip(ds.countries["iso3"], ds.countries["name"], strict=True))
        self.near = [
            f"{esc(place)}, {esc(names.get(code, code))}"
            for place, code in zip(rep["place"], rep["country_iso3"], strict=True)
        ]
        low = frame["troops_low"].to_numpy(dtype=float)[positions]
        high = frame["troops_high"].to_numpy(dtype=float)[positions]
        self.known = ~np.isnan(low)
        self.low = np.nan_to_num(low)
        self.high = np.nan_to_num(high)
        self.largest_count = float(counts.max()) if n else 1.0
        self.ids = np.array([f"cell-{i}" for i in range(n)], dtype=object)

    @classmethod
    def of(cls, ds: Dataset, selection: Selection) -> _Sites:
        """The markers of a selection (any date), shared by the readers of the same view."""
        key = (selection.countries, selection.kinds, selection.intervention)
        return lru(ds, "map_sites", key, lambda: cls(ds, selection), maxsize=16)

    def active(self, day: dt.date) -> np.ndarray:
        """Which of the selection's sites are active on ``day`` (one flag per site)."""
        stamp = np.datetime64(pd.Timestamp(day))
        active: np.ndarray = (self.start <= stamp) & (np.isnat(self.end) | (self.end >= stamp))
        return active

    def _cells_on(self, day: dt.date) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Per cell on ``day``: active sites, marker size, hover text (kept per day)."""
        cache = self._by_day
        if day not in cache:
            if len(cache) > 400:  # the animation's ~36 days plus as-of dates readers pick
                cache.clear()
            cache[day] = self._count_cells(day)
        return cache[day]

    def _count_cells(self, day: dt.date) -> tuple[np.ndarray, np.ndarray, list[str]]:
        active = self.active(day)
        n = len(self.kind)
        count = np.bincount(self.member, weights=active, minlength=n)
        known = active & self.known
        n_known = np.bincount(self.member, weights=known, minlength=n)
        low = np.bincount(self.member, weights=self.low * known, minlength=n)
        high = np.bincount(self.member, weights=self.high * known, minlength=n)
        size = MIN_MARKER + (MAX_MARKER - MIN_MARKER) * np.sqrt(count / self.largest_count)
        hover = []
        for i in range(n):
            if not count[i]:
                hover.append("")
                continue
            troops = (
                f"{int(low[i]):,}–{int(high[i]):,} in {int(n_known[i]):,} site(s) with figures"
                if n_known[i]
                else "no published figure"
            )
            hover.append(
                f"<b>{int(count[i]):,} site(s)</b> near {self.near[i]}"
                f"<br>{esc(theme.KIND_LABELS.get(self.kind[i], self.kind[i]))}"
                f" on {day:%d %b %Y}<br>Troops: {troops}"
                f"<br>Grouped in {CLUSTER_DEGREES:g}° cells; the table lists every site"
            )
        return count, size, hover

    def trace_data(self, day: dt.date, mode: str = "compact") -> list[dict[str, Any]]:
        """One dict per kind with the markers on ``day``.

        ``compact``: only the visible markers, with everything (a static map).
        ``base``: every marker of the selection, invisible ones with ``None`` coordinates
        (the animation's first view). ``frame``: what changes between animation frames.
        """
        if self.clustered:
            count, size, hover = self._cells_on(day)
            visible = count > 0
        else:
            visible = self.active(day)
            size, hover = self.size, self.hover.tolist()
        out = []
        for kind in theme.KIND_ORDER:
            of_kind = self.kind == kind
            if mode == "compact":
                mask = of_kind & visible
                data: dict[str, Any] = {
                    "type": "scattergeo",
                    "lon": self.lon[mask].tolist(),
                    "lat": self.lat[mask].tolist(),
                    "marker": {"size": size[mask].tolist()},
                    "hovertext": [h for h, m in zip(hover, mask, strict=True) if m],
                    "customdata": self.ids[mask].tolist(),
                }
            else:
                data = {
                    "type": "scattergeo",
                    "lon": _nullable(self.lon[of_kind], visible[of_kind]),
                    "lat": _nullable(self.lat[of_kind], visible[of_kind]),
                }
                if mode == "base" or self.clustered:
                    data["marker"] = {"size": size[of_kind].tolist()}
                    data["hovertext"] = [h for h, m in zip(hover, of_kind, strict=True) if m]
                if mode == "base":
                    data["customdata"] = self.ids[of_kind].tolist()
            out.append(data)
        return out

    def subtitle(self) -> str:
        if self.clustered:
            return (
                f"Circles: the {self.n_sites:,} deployment sites grouped in "
                f"{CLUSTER_DEGREES:g}° cells, area by number of sites, colour by kind. "
                "Countries shaded by their status on that day."
            )
        return (
            "Circles: deployment sites, area by troop numbers (range in the hover), "
            "colour by kind. Countries shaded by their status on that day."
        )


def _site_traces(sites: _Sites, day: dt.date, mode: str = "compact") -> list[go.Scattergeo]:
    traces = []
    for kind, data in zip(theme.KIND_ORDER, sites.trace_data(day, mode), strict=True):
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
                showlegend=any(v is not None for v in data["lon"]),
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
    site_mode: str = "compact",
) -> go.Figure:
    """Map of the region as of the selection's date (default today).

    ``acled`` is the optional ACLED events layer; it is drawn, aggregated to grid cells, when
    the selection switches it on (``layer=acled``).
    """
    today = today_default(today)
    day = selection.as_of_or(today)
    sites = sites or _Sites.of(ds, selection)
    timeline = filters.StatusTimeline.of(ds)
    traces: list[Any] = _status_traces(timeline, day)
    crimea = _crimea_trace(ds, day)
    if crimea is not None:
        traces.append(crimea)
    traces.append(_territory_trace(ds, day))
    traces += _site_traces(sites, day, site_mode)
    fig = go.Figure(traces)
    _highlight_countries(fig, ds, selection)
    if "acled" in selection.layers and acled is not None:
        fig.add_trace(acled_map_trace(acled, selection, today))
    active = sites.active(day)
    frame_layout(
        fig,
        title=f"{map_headline(ds, selection)}, {day:%-d %b %Y}",
        subtitle=sites.subtitle(),
        source=source_line(ds, pd.unique(sites.sources[active]).tolist()),
        summary=map_summary(ds, selection, today),
        height=height,
        extra_top=extra_top,
        layout={"geo": GEO_LAYOUT, "clickmode": "event+select", "dragmode": "pan"},
    )
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
    sites = _Sites.of(ds, selection)
    timeline = filters.StatusTimeline.of(ds)
    base = build_map_figure(
        ds,
        selection.with_(as_of=start_day),
        today,
        height=height,
        extra_top=92,
        sites=sites,
        acled=acled,
        site_mode="base",
    )
    n_status = len(theme.STATUS_ORDER)
    first_site = n_status + (1 if ds.crimea_geojson else 0) + 1
    indices = list(range(n_status)) + [first_site + i for i in range(len(theme.KIND_ORDER))]
    crimea = [n_status] if ds.crimea_geojson else []  # shown from its start date only
    title = str(base.layout.title.text)
    frames = [
        {
            "name": str(day.year),
            "data": _status_data(timeline, day)
            + sites.trace_data(day, "frame")
            + [{"type": "choropleth", "visible": _crimea_on(ds, day)} for _ in crimea],
            "traces": indices + crimea,
            "layout": {
                # Only the heading's date (count 1): the source line's "checked" date stays.
                "title": {"text": title.replace(f"{start_day:%-d %b %Y}", f"{day:%-d %b %Y}", 1)}
            },
        }
        for day in days
    ]
    # The frames are plain dicts built above from the same values as the validated base
    # traces; plotly's per-frame validation would cost more than building them (0.07-0.1 s).
    base._frame_objs = tuple(go.Frame(frame, _validate=False) for frame in frames)
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
    set_layout(
        base,
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
