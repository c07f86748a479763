"""The map: the states shaded by status on a date, Crimea, contested territories, sites.

Crimea is drawn as part of Ukraine (it is in Ukraine's outline) with an occupation overlay
of its own; breakaway regions have no drawn boundary, only a labelled point.

Every trace has a ``uid``. What changes with the date (country status, Crimea, contested
territories, sites, the ACLED layer and their labels) comes from one function,
:func:`day_layers`, which the static map and every animation frame use alike
(``figures/map_animation.py`` finds the traces to update by uid).

Views: the region (:data:`GEO_LAYOUT`), or a zoom on the selected states with their
neighbours and a locator inset showing where that is. ``compact=True`` is the phone
version (375 px): fewer labels, smaller type and markers.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashlib.data.dataset import Dataset
from dashlib.figures import theme
from dashlib.figures.common import esc, frame_layout, source_line, title_block_px, today_default
from dashlib.figures.map_labels import Box, Labeller, day_labels, static_labels, territories_on
from dashlib.figures.map_sites import (
    KEY_TROOPS,
    MAX_SITE_MARKERS,
    SiteMarkers,
    diameter,
    period,
    troop_text,
)
from dashlib.figures.map_view import GEO_LAYOUT, Screen, is_main, view_aspect, zoom_layout
from dashlib.figures.select_style import keep_colours_on_select
from dashlib.layers.acled.aggregate import CREDIT as ACLED_CREDIT
from dashlib.layers.acled.aggregate import aggregate_for_map
from dashlib.query import filters
from dashlib.query.selection import Selection
from dashlib.query.summaries import map_headline, map_summary

__all__ = [
    "GEO_LAYOUT",
    "MAX_SITE_MARKERS",
    "MapContext",
    "build_map_figure",
    "day_layers",
    "troop_text",
]

# ACLED cells: 1° (~100 km) keeps even 100,000 events to a few hundred readable markers.
ACLED_CELL_DEGREES = 1.0
# Figure widths (px) a map is laid out for unless its caller says: an article's (the
# exports, the embeds, and the app's wide map, which the page keeps at this width) and a
# 375 px phone's (Streamlit pads the page 16 px each side). The plot is SIDE_MARGINS_PX
# narrower (frame_layout's margins).
WIDTH_PX = 800
COMPACT_WIDTH_PX = 343
# A screen (or an iframe) narrower than dashlib.viewport.NARROW_PX gets the phone's map
# (``compact``): the app (dashlib.ui) and the exported pages (dashlib.publish) switch there.
SIDE_MARGINS_PX = 20
# Width / height of the plot a country zoom is shaped to (the region's own frame is 1.82):
# a phone's is taller, so a zoom gets more of its screen.
ZOOM_ASPECT = 1.8
COMPACT_ZOOM_ASPECT = 1.4
# Where the locator inset sits (paper fractions of the plot) on a zoomed map.
INSET_DOMAIN = {"x": [0.0, 0.26], "y": [0.0, 0.3]}
COMPACT_INSET_DOMAIN = {"x": [0.0, 0.34], "y": [0.0, 0.26]}


def country_bounds(ds: Dataset, codes: tuple[str, ...]) -> tuple[float, float, float, float] | None:
    """Lon/lat bounds of the states ``codes`` (from data/geo/countries.geojson); ``None``
    for none, for Russia (the region map frames it) or without the boundaries file."""
    if not codes or "RUS" in codes or not ds.countries_geojson:
        return None
    points: list[np.ndarray] = []
    for feature in ds.countries_geojson["features"]:
        props = feature.get("properties") or {}
        if props.get("iso3", feature.get("id")) in codes:
            points += [np.asarray(ring)[:, :2] for ring in _rings(feature["geometry"])]
    if not points:
        return None
    xy = np.concatenate(points)
    return (
        float(xy[:, 0].min()),
        float(xy[:, 1].min()),
        float(xy[:, 0].max()),
        float(xy[:, 1].max()),
    )


def _rings(geometry: dict[str, Any]) -> Iterator[list[list[float]]]:
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    for polygon in polygons:
        yield from polygon


# A first guess of the title block's height (px) for a figure of a given height; the
# figure is then laid out again for the block frame_layout makes (title_block_px).
TITLE_BLOCK_PX = 200
# Entries 235 px wide (two a row at article width), two a row on a phone.
LEGEND_ENTRY_PX = 235
LEGEND = {"entrywidth": LEGEND_ENTRY_PX, "entrywidthmode": "pixels"}
# plotly.js's horizontal legend: rows max(1.3 × font size, 16) + 3 px tall (fonts up to
# 12 px), 2 × 5 px of padding; an entry takes its entrywidth + 40 px (symbol and gaps), and
# 5 px more between entries; the legend hangs 1 % of the plot's height below it.
LEGEND_ROW_PX = 19
LEGEND_PAD_PX = 10
LEGEND_ENTRY_EXTRA_PX = 40
LEGEND_GAP_PX = 5
BOTTOM_MARGIN_PX = 10
COMPACT_LEGEND = {"entrywidth": 0.5, "entrywidthmode": "fraction", "font": {"size": 10}}
# Shorter legend entries for a phone's two columns (the hovers say it in full).
COMPACT_NAMES = {
    "status-war": "At war or occupying",
    "status-presence": "Forces stationed",
    "status-none": "No Russian forces",
    "status-russia": "Russia",
    "crimea": "Crimea, occupied",
    "sites-security_support": "Support to a gov't",
    "sites-buildup": "Border build-up",
    "legend-no-figure": "No troop figure",
    "territories": "Contested territory",
}


def legend_rows(entries: int, plot_width: float, compact: bool) -> int:
    """Rows plotly.js wraps ``entries`` legend entries to under a plot ``plot_width`` wide."""
    if compact:  # entry width: half the plot
        per_row = 2
    else:
        entry = LEGEND_ENTRY_PX + LEGEND_ENTRY_EXTRA_PX
        per_row = max(1, math.ceil((plot_width - entry) / (entry + LEGEND_GAP_PX)))
    return math.ceil(entries / per_row)


def legend_margin(entries: int, plot_width: float, plot_height: float, compact: bool) -> int:
    """The bottom margin (px) that holds the legend. plotly.js grows a margin to fit its
    legend (autoexpand) but never shrinks it below what the layout sets, so with this margin
    set the plot's height is known in advance (and stays put when an animation frame
    hides a legend entry)."""
    rows = legend_rows(entries, plot_width, compact)
    legend = LEGEND_ROW_PX * rows + LEGEND_PAD_PX
    return math.ceil(legend + 0.01 * plot_height + BOTTOM_MARGIN_PX) + 2


def legend_entries(traces: list[dict[str, Any]]) -> int:
    """Entries the map's legend can show: every trace of the main map shown in the legend
    (a choropleth only when it has states on the day: counted all the same)."""
    return sum(
        1
        for t in traces
        if t.get("geo", "geo") == "geo" and t.get("showlegend", t["type"] != "choropleth")
    )


def plot_size(width: int | None, compact: bool) -> float:
    """The plot's width (px) in a figure ``width`` px wide (default: the layout's own)."""
    return float((width or (COMPACT_WIDTH_PX if compact else WIDTH_PX)) - SIDE_MARGINS_PX)


@dataclass
class MapContext:
    """What a map of one selection needs for any day: its view, sites and labels."""

    ds: Dataset
    selection: Selection
    today: dt.date
    geo: dict[str, Any]
    screen: Screen
    sites: SiteMarkers
    labeller: Labeller
    compact: bool
    acled: pd.DataFrame | None
    fixed_labels: list[dict[str, Any]]

    @classmethod
    def of(
        cls,
        ds: Dataset,
        selection: Selection,
        today: dt.date,
        *,
        height: int | None = None,
        extra_top: int = 0,
        compact: bool = False,
        acled: pd.DataFrame | None = None,
        width: int | None = None,
        plot_height: float | None = None,
    ) -> MapContext:
        """The map's view and labels for a figure ``width`` px wide (default: the layout's).

        ``height`` ``None``: the plot is as tall as the view is at that width, so the map
        fills it (the figure's height follows: :func:`build_map_figure`). Else the figure
        is ``height`` px tall and the plot ``plot_height`` (default: a first guess, with
        the controls' ``extra_top``): a zoom is shaped like that plot; the region's frame
        then leaves bands where the plot is not shaped like it.
        """
        wide = plot_size(width, compact)
        bounds = country_bounds(ds, selection.countries)
        if height is None:
            geo = zoom_layout(bounds, COMPACT_ZOOM_ASPECT if compact else ZOOM_ASPECT)
            tall = float(round(wide / view_aspect(geo)))
        else:
            guess = height - TITLE_BLOCK_PX - extra_top - legend_margin(12, wide, 300, compact)
            tall = float(max(120, plot_height or guess))
            geo = zoom_layout(bounds, wide / tall)
        screen = Screen.of(geo, wide, tall)
        sites = SiteMarkers(ds, selection, screen)
        on = acled if "acled" in selection.layers else None
        labeller = Labeller(screen, compact, is_main(geo))
        # Labels keep clear of the size key in the plot's lower right corner.
        key = float(diameter(np.array([max(KEY_TROOPS)]), 0.7 if compact else 1.0)[0])
        labeller.taken.append(Box(wide - key - 60, tall - key - 30, wide, tall))
        # States and notes first: every day's territory and site labels go round them.
        fixed = static_labels(ds, labeller, is_main(geo))
        return cls(ds, selection, today, geo, screen, sites, labeller, compact, on, fixed)

    @property
    def marker_scale(self) -> float:
        return 0.7 if self.compact else 1.0


def _status_data(ctx: MapContext, day: dt.date) -> dict[str, dict[str, Any]]:
    """Per status (uid ``status-KEY``): the choropleth's locations, z and hover on ``day``."""
    rows = filters.StatusTimeline.of(ctx.ds).on(day)
    out = {}
    for key in theme.STATUS_ORDER:
        sub = [r for r in rows if r["status"] == key]
        hover = [
            f"<b>{esc(r['name'])}</b><br>{esc(theme.STATUS_LABELS[key])} on {day:%d %b %Y}"
            + (f"<br>{esc(r['operations'])}" if r["operations"] else "")
            + (f"<br>{r['sites']} active site(s)" if r["sites"] else "")
            for r in sub
        ]
        codes = [r["iso3"] for r in sub]
        out[f"status-{key}"] = {
            "type": "choropleth",
            "locations": codes,
            "z": [1] * len(sub),
            "text": hover,
            "customdata": codes,
        }
    return out


def _crimea_data(ctx: MapContext, day: dt.date) -> dict[str, Any]:
    """The occupation overlay, drawn only from the day the occupation began."""
    terr = ctx.ds.territories
    row = terr[(terr["territory_id"] == "crimea") & filters.active_on(terr, day)]
    detail = str(row.iloc[0]["status_detail"]) if len(row) else ""
    return {
        "type": "choropleth",
        "locations": ["crimea"] if len(row) else [],
        "z": [1] if len(row) else [],
        "text": [f"<b>Crimea (Ukraine)</b><br>{esc(detail)}"] if len(row) else [],
    }


def _territory_data(ctx: MapContext, terr: pd.DataFrame) -> dict[str, Any]:
    """Every contested territory's point (Crimea has its overlay), drawn when it exists on
    the day (``terr``), else ``None``: the hover text is the same in every frame."""
    every = ctx.ds.territories
    points = every[every["territory_id"] != "crimea"] if ctx.ds.crimea_geojson else every
    shown = points["territory_id"].isin(terr["territory_id"]).to_numpy()
    hover = [
        f"<b>{esc(r.name)}</b> ({esc(r.country_iso3)})<br>{esc(r.status_detail)}"
        f"<br>{esc(period(r.since, r.until))}"
        for r in points.itertuples(index=False)
    ]
    lon = points["lon"].astype(float).tolist()
    lat = points["lat"].astype(float).tolist()
    return {
        "type": "scattergeo",
        "lon": [v if s else None for v, s in zip(lon, shown, strict=True)],
        "lat": [v if s else None for v, s in zip(lat, shown, strict=True)],
        "hovertext": hover,
    }


def _acled_window(selection: Selection, day: dt.date, today: dt.date) -> tuple[dt.date, dt.date]:
    if selection.date_from or selection.date_to:
        return selection.range_or(today)
    return day - dt.timedelta(days=365), day


def _acled_data(ctx: MapContext, day: dt.date) -> dict[str, Any]:
    assert ctx.acled is not None
    start, end = _acled_window(ctx.selection, day, ctx.today)
    cells = aggregate_for_map(
        ctx.acled, ctx.selection.countries or None, start, end, cell_degrees=ACLED_CELL_DEGREES
    )
    largest = float(cells["events"].max()) if len(cells) else 1.0
    hover = [
        f"<b>{int(r.events):,} ACLED event(s)</b> involving Russian forces<br>"
        f"{int(r.fatalities):,} reported fatalities<br>"
        f"{r.first_date:%d %b %Y} – {r.last_date:%d %b %Y}<br>Source: {esc(ACLED_CREDIT)}"
        for r in cells.itertuples(index=False)
    ]
    return {
        "type": "scattergeo",
        "lon": cells["lon"].tolist(),
        "lat": cells["lat"].tolist(),
        "marker": {"size": [3 + 9 * math.sqrt(float(n) / largest) for n in cells["events"]]},
        "hovertext": hover,
        "name": f"ACLED events, {start:%b %Y}–{end:%b %Y} (per {ACLED_CELL_DEGREES:g}° cell)",
    }


def day_layers(ctx: MapContext, day: dt.date) -> dict[str, dict[str, Any]]:
    """Everything on the map that depends on the date, by trace uid, for ``day``."""
    layers = _status_data(ctx, day)
    if ctx.ds.crimea_geojson:
        layers["crimea"] = _crimea_data(ctx, day)
    terr = territories_on(ctx.ds, day, ())
    layers.update(ctx.sites.trace_data(day, ctx.marker_scale))
    layers["territories"] = _territory_data(ctx, terr)
    if ctx.acled is not None:
        layers["acled"] = _acled_data(ctx, day)
    layers.update(day_labels(ctx.ds, ctx.labeller, ctx.sites, terr, day))
    return layers


def _traces(ctx: MapContext, day: dt.date) -> list[dict[str, Any]]:
    """Every trace of the map on ``day``, bottom to top, each with its uid."""
    layers = day_layers(ctx, day)
    traces: list[dict[str, Any]] = []
    for key in theme.STATUS_ORDER:
        color = theme.STATUS_COLORS[key]
        data = layers[f"status-{key}"]
        traces.append(
            data
            | {
                "uid": f"status-{key}",
                "locationmode": "ISO-3",
                "colorscale": [[0, color], [1, color]],
                "showscale": False,
                "zmin": 0,
                "zmax": 1,
                "marker": {"line": {"color": "#FFFFFF", "width": 0.8}},
                "name": theme.STATUS_LABELS[key],
                "showlegend": True,
                "hovertemplate": "%{text}<extra></extra>",
            }
        )
    if "crimea" in layers:
        traces.append(
            layers["crimea"]
            | {
                "uid": "crimea",
                "geojson": ctx.ds.crimea_geojson,
                "featureidkey": "properties.territory_id",
                "colorscale": [[0, theme.CRIMEA_COLOR], [1, theme.CRIMEA_COLOR]],
                "showscale": False,
                "zmin": 0,
                "zmax": 1,
                "marker": {"line": {"color": "#8E3B6E", "width": 1.2}},
                "name": "Crimea (Ukraine), occupied by Russia",
                "hovertemplate": "%{text}<extra></extra>",
                "showlegend": True,
            }
        )
    if ctx.selection.countries:
        codes = list(ctx.selection.countries)
        traces.append(
            {
                "type": "choropleth",
                "uid": "selected",
                "locations": codes,
                "locationmode": "ISO-3",
                "z": [1] * len(codes),
                "colorscale": [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
                "showscale": False,
                "marker": {"line": {"color": theme.INK, "width": 1.6}},
                "name": "Selected",
                "hoverinfo": "skip",
                "showlegend": False,
            }
        )
    for kind in theme.KIND_ORDER:
        traces.append(
            layers[f"sites-{kind}"]
            | {
                "uid": f"sites-{kind}",
                "mode": "markers",
                "name": theme.KIND_LABELS[kind],
                "hovertemplate": "%{hovertext}<extra></extra>",
                "showlegend": bool(np.any(ctx.sites.kind == kind)),
            }
        )
    if not ctx.sites.clustered and not bool(np.all(ctx.sites.known)):
        # Legend entry for the open rings (no data: the key of a symbol).
        traces.append(
            {
                "type": "scattergeo",
                "uid": "legend-no-figure",
                "lon": [None],
                "lat": [None],
                "mode": "markers",
                "marker": {"symbol": "circle-open", "size": 8, "color": theme.MUTED,
                           "line": {"width": 1.6, "color": theme.MUTED}},
                "name": "Site without a published troop figure",
                "hoverinfo": "skip",
            }
        )  # fmt: skip
    traces.append(
        layers["territories"]
        | {
            "uid": "territories",
            "mode": "markers",
            "marker": {
                "symbol": "x-thin-open",
                "size": 10,
                "line": {"width": 2, "color": "#5B2C4F"},
                "color": "#5B2C4F",
            },
            "name": "Contested territory (no boundary drawn)",
            "hovertemplate": "%{hovertext}<extra></extra>",
        }
    )
    if "acled" in layers:
        traces.append(
            layers["acled"]
            | {
                "uid": "acled",
                "mode": "markers",
                "marker": layers["acled"]["marker"]
                | {"color": "rgba(30,30,30,0.28)", "line": {"width": 0}},
                "hovertemplate": "%{hovertext}<extra></extra>",
            }
        )
    traces += ctx.fixed_labels
    traces += [layers["labels-territories"], layers["labels-sites"]]
    if ctx.compact:
        traces = [t | {"name": COMPACT_NAMES[t["uid"]]} if t["uid"] in COMPACT_NAMES else t
                  for t in traces]  # fmt: skip
    return traces


def _inset(ctx: MapContext) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The locator inset of a zoomed map: the region, the selected states and the frame."""
    if is_main(ctx.geo):
        return [], {}
    (lo0, lo1), (la0, la1) = ctx.geo["lonaxis"]["range"], ctx.geo["lataxis"]["range"]
    steps = np.linspace(0.0, 1.0, 12)
    lon = [*(lo0 + (lo1 - lo0) * steps), *([lo1] * 12), *(lo1 - (lo1 - lo0) * steps)]
    lon += [lo0] * 12
    lat = [*([la0] * 12), *(la0 + (la1 - la0) * steps), *([la1] * 12)]
    lat += [*(la1 - (la1 - la0) * steps)]
    codes = list(ctx.selection.countries)
    traces = [
        {
            "type": "choropleth",
            "uid": "inset-selected",
            "geo": "geo2",
            "locations": codes,
            "locationmode": "ISO-3",
            "z": [1] * len(codes),
            "colorscale": [[0, "#6E6E6E"], [1, "#6E6E6E"]],
            "showscale": False,
            "marker": {"line": {"width": 0}},
            "hoverinfo": "skip",
            "showlegend": False,
        },
        {
            "type": "scattergeo",
            "uid": "inset-frame",
            "geo": "geo2",
            "lon": [float(v) for v in lon],
            "lat": [float(v) for v in lat],
            "mode": "lines",
            "line": {"color": theme.INK, "width": 1.2},
            "marker": {"color": theme.INK},
            "hoverinfo": "skip",
            "showlegend": False,
        },
    ]
    geo2 = GEO_LAYOUT | {
        "domain": COMPACT_INSET_DOMAIN if ctx.compact else INSET_DOMAIN,
        "showframe": True,
        "framecolor": "#9E9E9E",
        "framewidth": 1,
        "showcountries": True,
        "countrywidth": 0.3,
        "coastlinewidth": 0.3,
        "landcolor": "#E6E6E6",
    }
    return traces, geo2


def size_key(compact: bool = False) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Shapes and annotations of the size key (troops): nested circles on one baseline at
    the plot's lower right, each labelled at its top."""
    scale = 0.7 if compact else 1.0
    diameters = [float(d) for d in diameter(np.array(KEY_TROOPS), scale)]
    right = -8.0  # px from the plot's right edge to the circles' right side
    base = {"xref": "paper", "yref": "paper", "xanchor": 1.0, "yanchor": 0.01}
    shapes: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    largest = max(diameters)
    for troops, d in sorted(zip(KEY_TROOPS, diameters, strict=True), key=lambda t: -t[1]):
        centre = right - largest / 2
        shapes.append(
            base
            | {
                "type": "circle",
                "xsizemode": "pixel",
                "ysizemode": "pixel",
                "x0": centre - d / 2,
                "x1": centre + d / 2,
                "y0": 0,
                "y1": d,
                "line": {"color": theme.INK, "width": 0.8},
                "fillcolor": "rgba(255,255,255,0.5)",
            }
        )
        notes.append(
            {
                "text": f"{troops:,}",
                "xref": "paper",
                "yref": "paper",
                "x": 1.0,
                "y": 0.01,
                "xshift": right - largest - 4,
                "yshift": d - 6,
                "xanchor": "right",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 9, "color": theme.INK},
            }
        )
    notes.append(
        {
            "text": "Troops",
            "xref": "paper",
            "yref": "paper",
            "x": 1.0,
            "y": 0.01,
            "xshift": right,
            "yshift": largest + 8,
            "xanchor": "right",
            "yanchor": "bottom",
            "showarrow": False,
            "font": {"size": 10, "color": theme.MUTED},
        }
    )
    return shapes, notes


def build_map_figure(
    ds: Dataset,
    selection: Selection,
    today: dt.date | None = None,
    height: int | None = None,
    extra_top: int = 0,
    acled: pd.DataFrame | None = None,
    *,
    compact: bool = False,
    width: int | None = None,
    context: MapContext | None = None,
    text_width: int | None = None,
) -> go.Figure:
    """Map of the region (or the selected states) as of the selection's date (default today).

    ``acled`` is the optional ACLED events layer; it is drawn, aggregated to grid cells, when
    the selection switches it on (``layer=acled``). ``compact``: the phone version (375 px
    wide): fewer labels, smaller type and markers. ``width``: the figure's width in px where
    it differs from the article's 800 (or a 375 px phone's 343 with ``compact``), e.g. a
    half-width column: the view and the labels are laid out for the plot that width gives.

    ``height`` ``None`` (the default): the figure is as tall as its title block, a plot
    shaped like the map's view at that width (so the map fills it: no blank band above,
    below or beside it) and the legend. A ``height`` fixes the figure's height instead (a
    social card): the plot is what is left, and the labels are laid out for it.

    ``text_width``: the narrowest the figure is ever drawn, where that is more than a phone's
    (an exported page, an image): its title and notes are wrapped for it, not for a phone.
    """
    today = today_default(today)
    day = selection.as_of_or(today)
    title = f"{map_headline(ds, selection)}, {day:%-d %b %Y}"
    ctx = context or MapContext.of(
        ds,
        selection,
        today,
        height=height,
        extra_top=extra_top,
        compact=compact,
        acled=acled,
        width=width,
    )
    traces = _traces(ctx, day)
    active = ctx.sites.active(day)
    subtitle = ctx.sites.subtitle()
    source = source_line(ds, pd.unique(ctx.sites.sources[active]).tolist())
    top = title_block_px(title, subtitle, source, text_width) + extra_top
    entries = legend_entries(traces)
    wide = ctx.screen.width
    bottom = legend_margin(entries, wide, ctx.screen.height, compact)
    if height is None:
        height = int(top + ctx.screen.height + bottom)
    elif context is None:
        # Laid out on a guess of the plot's height: again on the plot the figure has.
        tall = height - top - legend_margin(entries, wide, height - top, compact)
        if abs(tall - ctx.screen.height) >= 1:
            ctx = MapContext.of(
                ds, selection, today, height=height, extra_top=extra_top, compact=compact,
                acled=acled, width=width, plot_height=tall,
            )  # fmt: skip
            traces = _traces(ctx, day)
        bottom = height - top - int(ctx.screen.height)
    inset_traces, geo2 = _inset(ctx)
    fig = keep_colours_on_select(go.Figure(traces + inset_traces))
    shapes, notes = size_key(compact)
    layout: dict[str, Any] = {
        "geo": ctx.geo | {"domain": {"x": [0.0, 1.0], "y": [0.0, 1.0]}},
        "clickmode": "event+select",
        "dragmode": "pan",
        "shapes": [] if ctx.sites.clustered else shapes,
        "annotations": [] if ctx.sites.clustered else notes,
        "legend": COMPACT_LEGEND if compact else LEGEND,
        "margin": {"b": bottom},
    }
    if geo2:
        layout["geo2"] = geo2
    frame_layout(
        fig,
        title=title,
        subtitle=subtitle,
        source=source,
        summary=map_summary(ds, selection, today),
        height=height,
        extra_top=extra_top,
        layout=layout,
        text_width=text_width,
    )
    return fig
