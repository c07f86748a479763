"""Deployment sites as map markers: sized by troops on a fixed scale, readable when close.

One behaviour for the static map and every animation frame: a site trace per kind holds
every marker of the selection, and a day only decides which are drawn (the others get
``None`` coordinates: not drawn, not hoverable). A static map is the frame of its day.

- Area is proportional to troops on a fixed scale (:data:`KEY_TROOPS` in the size key),
  so maps of different views and days compare.
- Sites without a published troop figure are small open rings, not circles of a guessed size.
- Markers closer than a few pixels (sites in one town) are set apart round their common
  centre, and each trace draws its big markers first so small ones stay on top.
- At scale (more than :data:`MAX_SITE_MARKERS` sites) markers are grid cells with a count.
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from dashlib.data.dataset import Dataset
from dashlib.data.dates import format_partial
from dashlib.figures import theme
from dashlib.figures.common import esc, first_source
from dashlib.figures.map_view import Screen
from dashlib.query.prepared import row_strings
from dashlib.query.selection import Selection

# Marker diameter in px: area proportional to troops, 20,000 troops = KEY_PX[-1].
KEY_TROOPS = (1_000, 5_000, 20_000)
PX_PER_SQRT_TROOP = 40.0 / math.sqrt(20_000)
MIN_MARKER = 7.0  # the smallest filled marker, and the open ring of a site without figures
# Above this many sites the map groups them into grid cells per kind (a browser cannot
# read 100,000 overlapping circles, and every frame would carry every point).
MAX_SITE_MARKERS = 1_500
CLUSTER_DEGREES = 0.5
CLUSTER_MAX_PX = 34.0
# Markers whose centres are closer than this (px, on a map REFERENCE_PX wide) are set
# apart on a ring of SPREAD_PX round their common centre.
NEAR_PX = 4.0
SPREAD_PX = 7.0
REFERENCE_PX = 740.0
# Site hovers: lines of at most HOVER_MAX_CHARS characters, fewer on a narrow map (see
# hover_chars); below NARROW_MAP_PX wide, the short hover.
HOVER_MAX_CHARS = 40
HOVER_PX_PER_CHAR = 7.5
NARROW_MAP_PX = 500


def troop_text(low: Any, high: Any, as_of: Any) -> str:
    if pd.isna(low) and pd.isna(high):
        return "no published figure"
    low_i, high_i = int(low), int(high)
    span = f"{low_i:,}" if low_i == high_i else f"{low_i:,}–{high_i:,}"
    when = f" (as of {format_partial(str(as_of))})" if isinstance(as_of, str) and as_of else ""
    return span + when


def period(start: Any, end: Any) -> str:
    first = format_partial(str(start))
    if isinstance(end, str) and end:
        return f"{first} – {format_partial(str(end))}"
    return f"since {first}"


def diameter(troops: Any, scale: float = 1.0) -> np.ndarray:
    """Marker diameters (px) for troop numbers; NaN or 0 gives the open ring's size."""
    values = np.nan_to_num(np.asarray(troops, dtype=float), nan=0.0)
    sized = np.maximum(MIN_MARKER + 1, PX_PER_SQRT_TROOP * np.sqrt(np.clip(values, 0, None)))
    out: np.ndarray = np.where(values > 0, sized, MIN_MARKER) * scale
    return out


def hover_chars(width: float) -> int:
    """Characters a line of a site's hover may hold on a map ``width`` px wide.

    plotly.js puts a hover label beside its point, on whichever side it fits, and centres
    it over the point (cut off at both edges) when it fits on neither. A label at most half
    the map wide always fits on one side: at the hover's 12 px font a character is at most
    about :data:`HOVER_PX_PER_CHAR` px wide (bold), and the label has some padding.
    """
    return int(min(HOVER_MAX_CHARS, max(16, (width / 2 - 24) // HOVER_PX_PER_CHAR)))


def wrap(text: str, chars: int, bold: bool = False) -> str:
    """``text`` from the data, escaped for plotly, in lines of at most ``chars``
    characters (a longer word is cut), joined with ``<br>``."""
    lines = textwrap.wrap(str(text), chars, break_long_words=True) or [""]
    if bold:
        return "<br>".join(f"<b>{esc(line)}</b>" for line in lines)
    return "<br>".join(esc(line) for line in lines)


def _site_hover(ds: Dataset, r: Any, chars: int = HOVER_MAX_CHARS) -> str:
    """A site's hover on a wide map: everything, in lines of at most ``chars``."""
    parts = [wrap(r.name, chars, bold=True), wrap(f"{r.place}, {r.country_iso3}", chars)]
    if isinstance(r.unit, str) and r.unit:
        parts.append(wrap(f"Unit: {r.unit}", chars))
    kind = theme.KIND_LABELS.get(r.kind, r.kind)
    parts.append(wrap(f"{theme.SITE_LABELS.get(r.site_type, r.site_type)} · {kind}", chars))
    parts.append(wrap(period(r.start_date, r.end_date), chars))
    parts.append(wrap(f"Troops: {troop_text(r.troops_low, r.troops_high, r.troops_as_of)}", chars))
    if r.coord_precision != "site":
        parts.append(wrap(f"Location approximate ({r.coord_precision} level)", chars))
    parts.append(wrap(f"Source: {first_source(ds, r.source_ids)}", chars))
    return "<br>".join(parts)


def short_site_hover(r: Any, chars: int) -> str:
    """A site's hover on a narrow map (a phone): name, place, dates and troops only, in
    short lines; the app's details card under the map gives the rest."""
    return "<br>".join(
        [
            wrap(r.name, chars, bold=True),
            wrap(f"{r.place}, {r.country_iso3}", chars),
            wrap(period(r.start_date, r.end_date), chars),
            wrap(f"Troops: {troop_text(r.troops_low, r.troops_high, r.troops_as_of)}", chars),
        ]
    )


def hover_builder(width: float) -> tuple[str, Callable[[Dataset, Any], str]]:
    """The cache key and the builder of the sites' hovers on a map ``width`` px wide."""
    chars = hover_chars(width)
    if width < NARROW_MAP_PX:
        return f"map_hover_short_{chars}", lambda _ds, r: short_site_hover(r, chars)
    return f"map_hover_{chars}", lambda ds, r: _site_hover(ds, r, chars)


def spread(lon: np.ndarray, lat: np.ndarray, screen: Screen) -> tuple[np.ndarray, np.ndarray]:
    """Positions to draw: groups of points within NEAR_PX of each other on ``screen`` are
    put on a ring of SPREAD_PX round their centre (the hover keeps the true place)."""
    lon, lat = lon.astype(float).copy(), lat.astype(float).copy()
    if len(lon) < 2:
        return lon, lat
    x, y = screen.xy(lon, lat)
    group = np.arange(len(lon))
    for i in range(len(lon)):  # few hundred markers at most: quadratic is fine
        near = np.flatnonzero(np.hypot(x - x[i], y - y[i]) < NEAR_PX)
        group[near] = min(group[i], int(group[near].min()))
    deg = screen.degrees_per_px() * SPREAD_PX
    for g in np.unique(group):
        members = np.flatnonzero(group == g)
        if len(members) < 2:
            continue
        clon, clat = lon[members].mean(), lat[members].mean()
        squeeze = 1.0 / max(0.2, math.cos(math.radians(clat)))
        for k, m in enumerate(members):
            angle = 2 * math.pi * k / len(members) + math.pi / 2
            lon[m] = clon + deg * squeeze * math.cos(angle)
            lat[m] = clat + deg * math.sin(angle)
    return lon, lat


class SiteMarkers:
    """The selection's sites (any date) as markers on ``screen``: per site, or per grid
    cell and kind at scale."""

    def __init__(self, ds: Dataset, selection: Selection, screen: Screen):
        frame = ds.deployments
        keep = np.ones(len(frame), dtype=bool)
        if selection.countries:
            keep &= frame["country_iso3"].isin(selection.countries).to_numpy()
        if selection.kinds:
            keep &= frame["kind"].isin(selection.kinds).to_numpy()
        if selection.intervention:
            keep &= (frame["intervention_id"] == selection.intervention).to_numpy()
        positions = np.flatnonzero(keep)
        self.n_sites = len(positions)
        self.clustered = self.n_sites > MAX_SITE_MARKERS
        self.start = frame["start"].to_numpy()[positions]
        self.end = frame["end"].to_numpy()[positions]
        self.sources = frame["source_ids"].to_numpy()[positions]
        kinds = frame["kind"].to_numpy()[positions]
        lon = frame["lon"].to_numpy(dtype=float)[positions]
        lat = frame["lat"].to_numpy(dtype=float)[positions]
        high = frame["troops_high"].to_numpy(dtype=float)[positions]
        if not self.clustered:
            self.kind = kinds
            self.lon, self.lat = spread(lon, lat, screen)
            self.true_lon, self.true_lat = lon, lat
            self.troops = high
            self.size = diameter(high)
            self.known = ~np.isnan(high)
            key, build = hover_builder(screen.width)
            self.hover = np.array(
                row_strings(ds, "deployments", key, positions.tolist(), build), dtype=object
            )
            self.ids = frame["site_id"].to_numpy()[positions]
            self.names = frame["name"].to_numpy()[positions]
            self.places = frame["place"].to_numpy()[positions]
            self.member = np.arange(self.n_sites)
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
        self.true_lon, self.true_lat = self.lon, self.lat
        self.kind = kinds[first]
        rep = frame.iloc[positions[first]]
        names = dict(zip(ds.countries["iso3"], ds.countries["name"], strict=True))
        self.near = [
            f"{esc(place)}, {esc(names.get(code, code))}"
            for place, code in zip(rep["place"], rep["country_iso3"], strict=True)
        ]
        low = frame["troops_low"].to_numpy(dtype=float)[positions]
        self.site_known = ~np.isnan(low)
        self.site_low = np.nan_to_num(low)
        self.site_high = np.nan_to_num(high)
        self.largest_count = float(counts.max()) if n else 1.0
        self.ids = np.array([f"cell-{i}" for i in range(n)], dtype=object)
        self.known = np.ones(n, dtype=bool)
        self.troops = np.full(n, np.nan)
        self.size = np.full(n, MIN_MARKER)

    def active(self, day: dt.date) -> np.ndarray:
        """Which of the selection's sites are active on ``day`` (one flag per site)."""
        stamp = np.datetime64(pd.Timestamp(day))
        active: np.ndarray = (self.start <= stamp) & (np.isnat(self.end) | (self.end >= stamp))
        return active

    def on(self, day: dt.date) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Per marker on ``day``: drawn or not, diameter (px), hover text."""
        active = self.active(day)
        if not self.clustered:
            return active, self.size, self.hover.tolist()
        n = len(self.kind)
        count = np.bincount(self.member, weights=active, minlength=n)
        known = active & self.site_known
        n_known = np.bincount(self.member, weights=known, minlength=n)
        low = np.bincount(self.member, weights=self.site_low * known, minlength=n)
        high = np.bincount(self.member, weights=self.site_high * known, minlength=n)
        size = MIN_MARKER + (CLUSTER_MAX_PX - MIN_MARKER) * np.sqrt(count / self.largest_count)
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
        return count > 0, size, hover

    def order(self) -> np.ndarray:
        """Marker order within a kind's trace: largest first, so smaller ones draw on top."""
        order: np.ndarray = np.lexsort((self.ids.astype(str), -self.size))
        return order

    def trace_data(self, day: dt.date, scale: float = 1.0) -> dict[str, dict[str, Any]]:
        """Per kind (trace uid ``sites-KIND``): every marker, drawn on ``day`` or ``None``."""
        visible, size, hover = self.on(day)
        order = self.order()
        out = {}
        for kind in theme.KIND_ORDER:
            idx = order[self.kind[order] == kind]
            show = visible[idx]
            out[f"sites-{kind}"] = {
                "type": "scattergeo",
                "lon": [float(v) if s else None for v, s in zip(self.lon[idx], show, strict=True)],
                "lat": [float(v) if s else None for v, s in zip(self.lat[idx], show, strict=True)],
                "marker": {
                    "size": (size[idx] * scale).round(1).tolist(),
                    "symbol": ["circle" if k else "circle-open" for k in self.known[idx]],
                    "color": theme.KIND_COLORS[kind],
                    "line": {
                        "color": [
                            theme.INK if k else theme.KIND_COLORS[kind] for k in self.known[idx]
                        ],
                        "width": 1.6,
                    },
                    "opacity": 0.92,
                },
                "hovertext": [hover[i] for i in idx],
                "customdata": self.ids[idx].tolist(),
            }
        return out

    def subtitle(self) -> str:
        if self.clustered:
            return (
                f"Circles: the {self.n_sites:,} deployment sites grouped in "
                f"{CLUSTER_DEGREES:g}° cells, area by number of sites, colour by kind. "
                "Countries shaded by their status on that day."
            )
        return (
            "Circles: deployment sites, area by troops (key at the lower right), colour by "
            "kind; open rings: no published troop figure. Countries shaded by their status "
            "on that day."
        )
