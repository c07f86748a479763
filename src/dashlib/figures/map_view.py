"""Where the map looks: the region's frame, a country filter's zoom, and pixel positions.

The main frame is the post-Soviet periphery and western Russia (20°E–90°E, 35°N–62°N) in
a conic equal-area projection whose standard parallels sit a sixth of the way in from the
frame's edges (the usual rule for a conic map). Russia goes on east of it; the map says so.
A country filter zooms to the selected states' outline plus a margin, so their neighbours
stay in view for context.

``project`` is d3's ``geoConicEqualArea`` as plotly.js sets it up, and ``view_box`` the
rectangle plotly.js fits to a frame (``scripts/build_boundaries.py`` computes the same,
with great circles, for the base maps): together they tell where a point lands on screen,
which the labels use to keep clear of each other and of the markers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

# The main frame (lon/lat) and its projection.
FRAME_LON = (20.0, 90.0)
FRAME_LAT = (35.0, 62.0)


def _parallels(lat0: float, lat1: float) -> list[float]:
    """Standard parallels of a conic map: a sixth of the way in from each edge."""
    sixth = (lat1 - lat0) / 6
    return [round(lat0 + sixth, 2), round(lat1 - sixth, 2)]


def _geo(lon: Sequence[float], lat: Sequence[float]) -> dict[str, Any]:
    return {
        "projection": {
            "type": "conic equal area",
            "rotation": {"lon": round((lon[0] + lon[1]) / 2, 2)},
            "parallels": _parallels(lat[0], lat[1]),
        },
        "lonaxis": {"range": [round(lon[0], 2), round(lon[1], 2)]},
        "lataxis": {"range": [round(lat[0], 2), round(lat[1], 2)]},
    }


BASE_STYLE: dict[str, Any] = {
    "resolution": 50,
    "scope": "world",
    "showland": True,
    "landcolor": "#F4F4F4",
    # The sea is the background (bgcolor): an ocean layer of the same colour cost plotly.js
    # ~20 ms more per draw (a world-sized polygon to project and clip).
    "showocean": False,
    # Lakes (the Caspian, Baikal, Ladoga, Balkhash …) are holes in the base map's land and
    # countries, filled here in the sea's colour.
    "showlakes": True,
    "lakecolor": "#DCE9F2",
    "showcountries": True,
    "countrycolor": "#FFFFFF",
    "countrywidth": 0.6,
    "showcoastlines": True,
    "coastlinecolor": "#9E9E9E",
    "coastlinewidth": 0.5,
    "showframe": False,
    "bgcolor": "#DCE9F2",
}

# The main map (the base maps in static/topojson/region and app/ are cut for this view:
# change it -> rebuild with scripts/build_boundaries.py; tests/test_basemap.py checks).
GEO_LAYOUT: dict[str, Any] = {**_geo(FRAME_LON, FRAME_LAT), **BASE_STYLE}

# A zoom keeps this share of the selected states' extent as margin on every side (their
# neighbours show for context), at least MIN_PAD degrees, and spans at least MIN_SPAN.
ZOOM_PAD = 0.35
MIN_PAD = 2.0
MIN_SPAN = 9.0


def zoom_bounds(
    bounds: tuple[float, float, float, float],
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Lon and lat ranges of a zoom on ``bounds`` (lon0, lat0, lon1, lat1), within the
    main frame's longitudes and latitudes widened by a little."""
    lon0, lat0, lon1, lat1 = bounds
    pad_lon = max(MIN_PAD, ZOOM_PAD * (lon1 - lon0))
    pad_lat = max(MIN_PAD * 0.7, ZOOM_PAD * (lat1 - lat0))
    lon0, lon1 = lon0 - pad_lon, lon1 + pad_lon
    lat0, lat1 = lat0 - pad_lat, lat1 + pad_lat
    if lon1 - lon0 < MIN_SPAN:
        mid = (lon0 + lon1) / 2
        lon0, lon1 = mid - MIN_SPAN / 2, mid + MIN_SPAN / 2
    if lat1 - lat0 < MIN_SPAN * 0.6:
        mid = (lat0 + lat1) / 2
        lat0, lat1 = mid - MIN_SPAN * 0.3, mid + MIN_SPAN * 0.3
    # Within the main frame: its base maps (static/topojson/region, app/) hold all of it.
    return _within(lon0, lon1, *FRAME_LON), _within(lat0, lat1, *FRAME_LAT)


def _within(a: float, b: float, lo: float, hi: float) -> tuple[float, float]:
    """The range a..b moved (then cut) to lie within lo..hi."""
    if b - a >= hi - lo:
        return lo, hi
    shift = max(0.0, lo - a) - max(0.0, b - hi)
    return a + shift, b + shift


# A zoom taking more than this share of the main frame's longitudes shows the main frame.
MAX_ZOOM_SHARE = 0.75
# Width / height a zoom is widened (or made taller) to when none is given (figures/map.py
# gives the layout's own, and makes the plot as tall as the view at its width).
PLOT_ASPECT = 1.8


def _aspect(lon: Sequence[float], lat: Sequence[float]) -> float:
    cone = Cone.of(_geo(lon, lat))
    lons = np.concatenate([np.linspace(lon[0], lon[1], 20)] * 2)
    lats = np.concatenate([np.full(20, lat[0]), np.full(20, lat[1])])
    xs, ys = cone.forward(lons, lats)
    return float((xs.max() - xs.min()) / (ys.max() - ys.min()))


def view_aspect(layout: dict[str, Any]) -> float:
    """Width / height of the rectangle plotly.js fits a geo ``layout``'s frame into: a plot
    of that shape is filled by the map, any other leaves blank bands beside or above it."""
    x0, y0, x1, y1 = Screen.of(layout, 1000.0, 1000.0).box()
    return (x1 - x0) / (y1 - y0)


def fit_aspect(
    lon: tuple[float, float], lat: tuple[float, float], aspect: float = PLOT_ASPECT
) -> tuple[tuple[float, float], tuple[float, float]]:
    """``lon``/``lat`` widened or heightened about their middle until the projected
    frame's width / height is ``aspect`` (then kept within the main frame)."""
    for _ in range(12):
        now = _aspect(lon, lat)
        if abs(now / aspect - 1) < 0.03:
            break
        if now < aspect:
            mid, half = (lon[0] + lon[1]) / 2, (lon[1] - lon[0]) / 2 * aspect / now
            lon = (mid - half, mid + half)
        else:
            mid, half = (lat[0] + lat[1]) / 2, (lat[1] - lat[0]) / 2 * now / aspect
            lat = (mid - half, mid + half)
    return _within(*lon, *FRAME_LON), _within(*lat, *FRAME_LAT)


def zoom_layout(
    bounds: tuple[float, float, float, float] | None, aspect: float = PLOT_ASPECT
) -> dict[str, Any]:
    """The geo layout: the main frame for ``None`` or a zoom nearly as wide, else a zoom
    on ``bounds`` shaped like the plot (``aspect``: its width / height)."""
    if bounds is None:
        return dict(GEO_LAYOUT)
    lon, lat = fit_aspect(*zoom_bounds(bounds), aspect)
    if lon[1] - lon[0] > MAX_ZOOM_SHARE * (FRAME_LON[1] - FRAME_LON[0]):
        return dict(GEO_LAYOUT)
    return {**_geo(lon, lat), **BASE_STYLE}


def is_main(layout: dict[str, Any]) -> bool:
    return bool(layout["lonaxis"]["range"] == GEO_LAYOUT["lonaxis"]["range"])


@dataclass(frozen=True)
class Cone:
    """d3's geoConicEqualArea rotated by -lon0, unit scale, y up (as plotly.js uses it)."""

    lon0: float
    n: float
    c: float
    r0: float

    @classmethod
    def of(cls, layout: dict[str, Any]) -> Cone:
        proj = layout["projection"]
        s0 = math.sin(math.radians(proj["parallels"][0]))
        n = (s0 + math.sin(math.radians(proj["parallels"][1]))) / 2
        c = 1 + s0 * (2 * n - s0)
        return cls(float(proj["rotation"]["lon"]), n, c, math.sqrt(c) / n)

    def forward(self, lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
        a = np.radians((np.asarray(lon, dtype=float) - self.lon0 + 180.0) % 360.0 - 180.0)
        rho = np.sqrt(self.c - 2 * self.n * np.sin(np.radians(np.asarray(lat, dtype=float))))
        rho = rho / self.n
        return rho * np.sin(a * self.n), self.r0 - rho * np.cos(a * self.n)


@dataclass(frozen=True)
class Screen:
    """Pixel positions (x right, y down) of lon/lat points on a map of a given size."""

    cone: Cone
    rect: tuple[float, float, float, float]
    scale: float
    width: float
    height: float

    @classmethod
    def of(cls, layout: dict[str, Any], width: float, height: float) -> Screen:
        cone = Cone.of(layout)
        (lo0, lo1), (la0, la1) = layout["lonaxis"]["range"], layout["lataxis"]["range"]
        lons = np.concatenate([np.linspace(lo0, lo1, 50)] * 2 + [[lo0, lo0, lo1, lo1]])
        lats = np.concatenate([np.full(50, la0), np.full(50, la1), [la0, la1, la0, la1]])
        xs, ys = cone.forward(lons, lats)
        cx, cy = cone.forward(cone.lon0, (la0 + la1) / 2)
        half_w = (float(xs.max()) - float(xs.min())) / 2
        half_h = (float(ys.max()) - float(ys.min())) / 2
        scale = min(width / (2 * half_w), height / (2 * half_h))
        rect = (float(cx) - half_w, float(cy) - half_h, float(cx) + half_w, float(cy) + half_h)
        return cls(cone, rect, scale, width, height)

    def xy(self, lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
        px, py = self.cone.forward(lon, lat)
        cx = (self.rect[0] + self.rect[2]) / 2
        cy = (self.rect[1] + self.rect[3]) / 2
        return self.width / 2 + (px - cx) * self.scale, self.height / 2 - (py - cy) * self.scale

    def box(self) -> tuple[float, float, float, float]:
        """The map's own rectangle in the plot (px): plotly.js draws nothing outside it."""
        half_w = (self.rect[2] - self.rect[0]) / 2 * self.scale
        half_h = (self.rect[3] - self.rect[1]) / 2 * self.scale
        cx, cy = self.width / 2, self.height / 2
        return cx - half_w, cy - half_h, cx + half_w, cy + half_h

    def degrees_per_px(self) -> float:
        """Roughly how many degrees of latitude one pixel spans at the frame's centre."""
        return 1.0 / (self.scale * math.pi / 180.0)
