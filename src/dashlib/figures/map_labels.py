"""Names on the map: states, contested territories, the largest sites and notes.

Positions are data (``data/labels.csv``), not constants: a row places a state's name (with
a leader line for a small state on the region map) or a note; territory and site rows may
override a text or a position. Territories and sites otherwise get their label by rule:
beside their point on the first side where it overlaps no other label and no marker, and
no label at all when there is no such side. Sites labelled: the largest by troops
(:data:`SITES_LABELLED`, fewer on a phone). Labels on a day show only what exists that day.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from dashlib.data.dataset import Dataset
from dashlib.figures import theme
from dashlib.figures.map_sites import SiteMarkers
from dashlib.figures.map_view import Screen
from dashlib.query import filters

SITES_LABELLED = 4
SITES_LABELLED_COMPACT = 2
COUNTRY_FONT = 11
NOTE_FONT = 10
NEIGHBOUR_FONT = 10
NEIGHBOUR_COLOR = "#9A9A9A"
TERRITORY_FONT = 10
SITE_FONT = 10
CHAR_WIDTH = 0.56  # average glyph width of the sans-serif font, in font sizes
GAP_PX = 3.0  # between a marker and its label
TERRITORY_COLOR = "#5B2C4F"
# Sides tried in turn for a rule-placed label (plotly textposition).
SIDES = ("middle right", "middle left", "top center", "bottom center", "top right", "bottom left")


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def hits(self, other: Box) -> bool:
        return not (
            self.x1 <= other.x0 or other.x1 <= self.x0 or self.y1 <= other.y0 or other.y1 <= self.y0
        )

    def inside(self, area: tuple[float, float, float, float]) -> bool:
        return (
            self.x0 >= area[0]
            and self.y0 >= area[1]
            and self.x1 <= area[2]
            and (self.y1 <= area[3])
        )


def text_box(x: float, y: float, text: str, size: float, position: str, gap: float = 0) -> Box:
    """The screen box (px, y down) a label of ``text`` takes at ``position`` of (x, y)."""
    lines = text.split("<br>")
    w = max(len(line) for line in lines) * size * CHAR_WIDTH
    h = size * 1.25 * len(lines)
    vertical, horizontal = position.split(" ")
    if horizontal == "right":
        left = x + gap
    elif horizontal == "left":
        left = x - gap - w
    else:
        left = x - w / 2
    if vertical == "top":
        top = y - gap - h
    elif vertical == "bottom":
        top = y + gap
    else:
        top = y - h / 2
    return Box(left, top, left + w, top + h)


def circle_box(x: float, y: float, diameter: float) -> Box:
    r = diameter / 2
    return Box(x - r, y - r, x + r, y + r)


def _rows(ds: Dataset, layer: str) -> pd.DataFrame:
    labels = ds.labels
    if labels is None or not len(labels):
        return pd.DataFrame(columns=["ref", "text", "lon", "lat", "position"])
    return labels[labels["layer"] == layer]


def _num(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def site_text(name: str, place: str) -> str:
    """A short label for a site: its name without parentheses, "Military Base" shortened,
    and the town unless the name already has it.

    >>> site_text("201st Military Base (Dushanbe garrison)", "Dushanbe")
    '201st base, Dushanbe'
    >>> site_text("Gabala (Daryal) radar station", "Gabala District (near Zaragan)")
    'Gabala radar station'
    """
    short = re.sub(r"\s*\([^)]*\)", "", str(name)).replace("Military Base", "base").strip()
    town = re.sub(r"\s*\([^)]*\)", "", str(place)).split("/")[0].strip()
    words = {w.lower() for w in re.findall(r"\w+", short)}
    if not town or any(w.lower() in words for w in re.findall(r"\w+", town)):
        return short
    return f"{short}, {town}"


class Labeller:
    """Places labels on one map (its screen), avoiding those placed before and markers."""

    def __init__(self, screen: Screen, compact: bool, region: bool = True):
        self.screen = screen
        self.compact = compact
        self.region = region
        self.scale = 0.85 if compact else 1.0
        self.taken: list[Box] = []

    def fixed(self, lon: float, lat: float, text: str, size: float, position: str) -> str | None:
        """A label at a given place: at ``position`` of it, else (where that overlaps a
        label placed before, or the size key) at the first of SIDES that overlaps nothing;
        ``None`` if it falls outside the map or finds no room."""
        x, y = (float(v) for v in self.screen.xy(lon, lat))
        for side in (position, *SIDES):
            box = text_box(x, y, text, size * self.scale, side)
            if box.inside(self.screen.box()) and not any(box.hits(o) for o in self.taken):
                self.taken.append(box)
                return side
        return None

    def free(self, lon: float, lat: float, text: str, size: float, position: str) -> Box | None:
        """As :meth:`fixed`, but ``None`` also where the label would overlap one placed."""
        x, y = self.screen.xy(lon, lat)
        box = text_box(float(x), float(y), text, size * self.scale, position)
        if not box.inside(self.screen.box()) or any(box.hits(o) for o in self.taken):
            return None
        self.taken.append(box)
        return box

    def beside(
        self, lon: float, lat: float, text: str, size: float, diameter: float, avoid: list[Box]
    ) -> str | None:
        """The first side of a point where the label overlaps nothing, or ``None``."""
        x, y = (float(v) for v in self.screen.xy(lon, lat))
        for side in SIDES:
            gap = diameter / 2 + GAP_PX
            box = text_box(x, y, text, size * self.scale, side, gap)
            if not box.inside(self.screen.box()):
                continue
            if any(box.hits(other) for other in [*self.taken, *avoid]):
                continue
            self.taken.append(box)
            return side
        return None


def _text_trace(uid: str, lon: list[float], lat: list[float], text: list[str],
                position: list[str], size: float, color: str, italic: bool = False,
                clear: list[float] | None = None) -> dict[str, Any]:  # fmt: skip
    """A text-only trace; ``clear``: per label, the diameter (px) of the marker it sits
    beside (an invisible marker of that size makes plotly set the text off it)."""
    return {
        "type": "scattergeo",
        "uid": uid,
        "lon": lon,
        "lat": lat,
        "text": text,
        "mode": "markers+text",
        "marker": {"size": clear or [0] * len(lon), "opacity": 0, "color": "rgba(0,0,0,0)"},
        "textposition": position,
        "textfont": {
            "size": size,
            "color": color,
            "family": theme.FONT,
            "style": "italic" if italic else "normal",
        },
        "hoverinfo": "skip",
        "showlegend": False,
    }


def static_labels(ds: Dataset, labeller: Labeller, main: bool) -> list[dict[str, Any]]:
    """Country names (with leader lines on the region map) and notes: the same every day."""
    size = COUNTRY_FONT * labeller.scale
    lon: list[float] = []
    lat: list[float] = []
    text: list[str] = []
    pos: list[str] = []
    leaders: list[float | None] = []
    leaders_lat: list[float | None] = []
    for r in _rows(ds, "country").itertuples(index=False):
        # A phone's region map names the large states only; a zoom names every state in it
        # (small states then have room, and the selected ones are the subject).
        if labeller.compact and main and str(r.compact) != "true":
            continue
        at = (_num(r.lon), _num(r.lat))
        lead = (_num(r.leader_lon), _num(r.leader_lat))
        position = str(r.position) if isinstance(r.position, str) else "middle center"
        if not main and lead[0] is not None:
            # Zoomed in, a small state has room for its name: on it, no leader line.
            at, position, lead = lead, "middle center", (None, None)
        if at[0] is None or at[1] is None:
            continue
        label = str(r.text) if isinstance(r.text, str) and r.text else str(r.ref)
        placed = labeller.fixed(at[0], at[1], label, size, position)
        if placed is None:
            continue
        position = placed
        lon.append(at[0])
        lat.append(at[1])
        text.append(label)
        pos.append(position)
        if lead[0] is not None and lead[1] is not None:
            leaders += [at[0], lead[0], None]
            leaders_lat += [at[1], lead[1], None]
    traces = [_text_trace("labels-countries", lon, lat, text, pos, size, "#4A4A4A")]
    traces.append(
        {
            "type": "scattergeo",
            "uid": "labels-leaders",
            "lon": leaders,
            "lat": leaders_lat,
            "mode": "lines",
            "line": {"color": "#8A8A8A", "width": 0.7},
            "marker": {"color": "#8A8A8A"},
            "hoverinfo": "skip",
            "showlegend": False,
        }
    )
    if not main:
        traces.append(_neighbours(ds, labeller))
    notes = [r for r in _rows(ds, "note").itertuples(index=False) if main]
    note_lon, note_lat, note_text, note_pos = [], [], [], []
    for r in notes:
        if labeller.compact and str(r.compact) != "true":
            continue
        position = str(r.position) if isinstance(r.position, str) else "middle center"
        label = str(r.text)
        at_lon, at_lat = _num(r.lon), _num(r.lat)
        if at_lon is None or at_lat is None:
            continue
        placed = labeller.fixed(at_lon, at_lat, label, NOTE_FONT, position)
        if placed is None:
            continue
        position = placed
        note_lon.append(at_lon)
        note_lat.append(at_lat)
        note_text.append(label)
        note_pos.append(position)
    traces.append(
        _text_trace(
            "labels-notes", note_lon, note_lat, note_text, note_pos, NOTE_FONT, theme.MUTED, True
        )
    )
    return traces


def _neighbours(ds: Dataset, labeller: Labeller) -> dict[str, Any]:
    """Neighbours' names (and Russia's, where the region map's label is out of a zoom),
    lighter, each left out where it would overlap a label placed before it."""
    size = NEIGHBOUR_FONT * labeller.scale
    lon: list[float] = []
    lat: list[float] = []
    text: list[str] = []
    for r in _rows(ds, "neighbour").itertuples(index=False):
        at_lon, at_lat = _num(r.lon), _num(r.lat)
        if at_lon is None or at_lat is None:
            continue
        label = str(r.text) if isinstance(r.text, str) and r.text else str(r.ref)
        if label in text:  # one name once per map (Russia has several places to go)
            continue
        if labeller.free(at_lon, at_lat, label, size, "middle center") is None:
            continue
        lon.append(at_lon)
        lat.append(at_lat)
        text.append(label)
    return _text_trace(
        "labels-neighbours", lon, lat, text, ["middle center"] * len(lon), size, NEIGHBOUR_COLOR
    )


def _overrides(ds: Dataset, layer: str) -> dict[str, Any]:
    return {str(r.ref): r for r in _rows(ds, layer).itertuples(index=False)}


def day_labels(
    ds: Dataset,
    labeller: Labeller,
    sites: SiteMarkers,
    territories: pd.DataFrame,
    day: dt.date,
) -> dict[str, dict[str, Any]]:
    """Territory and site labels for ``day`` (uids ``labels-territories``, ``labels-sites``),
    placed around what the static labels took, clear of that day's markers."""
    taken_before = list(labeller.taken)
    visible, size, _hover = sites.on(day)
    x, y = labeller.screen.xy(sites.lon, sites.lat)
    markers = [
        circle_box(float(x[i]), float(y[i]), float(size[i]) * labeller.scale)
        for i in np.flatnonzero(visible)
    ]
    tx, ty = labeller.screen.xy(territories["lon"].astype(float), territories["lat"].astype(float))
    markers += [circle_box(float(a), float(b), 10.0) for a, b in zip(tx, ty, strict=True)]
    out: dict[str, dict[str, Any]] = {}

    t_over = _overrides(ds, "territory")
    lon: list[float] = []
    lat: list[float] = []
    text: list[str] = []
    pos: list[str] = []
    clear: list[float] = []
    for i, r in enumerate(territories.itertuples(index=False)):
        if labeller.compact and labeller.region:
            break  # a phone-width region map has no room: the zooms and hovers name them
        over = t_over.get(str(r.territory_id))
        name = str(over.text) if over is not None and isinstance(over.text, str) else str(r.name)
        name = name.replace("Occupied ", "Occ. ") if labeller.compact else name
        own = [m for j, m in enumerate(markers) if j != len(markers) - len(territories) + i]
        side = labeller.beside(float(r.lon), float(r.lat), name, TERRITORY_FONT, 10.0, own)
        if side is None:
            continue
        lon.append(float(r.lon))
        lat.append(float(r.lat))
        text.append(name)
        pos.append(side)
        clear.append(10.0 + 2 * GAP_PX)
    out["labels-territories"] = _text_trace(
        "labels-territories", lon, lat, text, pos, TERRITORY_FONT * labeller.scale,
        TERRITORY_COLOR, True, clear,
    )  # fmt: skip

    s_over = _overrides(ds, "site")
    lon, lat, text, pos, clear = [], [], [], [], []
    if not sites.clustered:
        n = SITES_LABELLED_COMPACT if labeller.compact else SITES_LABELLED
        troops = np.where(visible, np.nan_to_num(sites.troops, nan=-1.0), -2.0)
        for i in _largest(troops, n):
            over = s_over.get(str(sites.ids[i]))
            name = (
                str(over.text)
                if over is not None and isinstance(over.text, str) and over.text
                else site_text(sites.names[i], sites.places[i])
            )
            mine = circle_box(float(x[i]), float(y[i]), float(size[i]) * labeller.scale)
            others = [m for m in markers if m != mine]
            side = labeller.beside(
                float(sites.lon[i]), float(sites.lat[i]), name, SITE_FONT,
                float(size[i]) * labeller.scale, others,
            )  # fmt: skip
            if side is None:
                continue
            lon.append(float(sites.lon[i]))
            lat.append(float(sites.lat[i]))
            text.append(name)
            pos.append(side)
            clear.append(float(size[i]) * labeller.scale + 2 * GAP_PX)
    out["labels-sites"] = _text_trace(
        "labels-sites", lon, lat, text, pos, SITE_FONT * labeller.scale, theme.INK, False, clear
    )
    labeller.taken = taken_before  # the next day starts again from the static labels
    return out


def _largest(troops: np.ndarray, n: int) -> Iterable[int]:
    """Up to ``n`` indices with the most troops (ties by position), only those with figures."""
    order = np.lexsort((np.arange(len(troops)), -troops))
    return [int(i) for i in order[:n] if troops[i] > 0]


def territories_on(ds: Dataset, day: dt.date, countries: tuple[str, ...]) -> pd.DataFrame:
    """Contested territories (Crimea included: it is named too) existing on ``day``."""
    terr = ds.territories[filters.active_on(ds.territories, day)]
    if countries:
        terr = terr[terr["country_iso3"].isin(countries)]
    return terr
