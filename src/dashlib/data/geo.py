"""Country outlines for checks and maps, read from the committed ``data/geo`` files.

The files are derived from Natural Earth by ``scripts/build_boundaries.py`` (see
``data/geo/README.md``); nothing is downloaded at run time.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.ops import nearest_points

GEO_DIR = "geo"
COUNTRIES_FILE = "countries.geojson"
CRIMEA_FILE = "crimea.geojson"
EARTH_RADIUS_KM = 6371.0


def _haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


class CountryShapes:
    """Outlines of the 15 states by ISO3, for point-in-country checks."""

    def __init__(self, geojson: dict[str, Any]):
        self.shapes: dict[str, Any] = {}
        for feature in geojson["features"]:
            geom = shape(feature["geometry"])
            shapely.prepare(geom)
            self.shapes[feature["properties"]["iso3"]] = geom

    def distance_km(
        self,
        iso3s: Sequence[str],
        lons: Sequence[float] | np.ndarray,
        lats: Sequence[float] | np.ndarray,
    ) -> list[float | None]:
        """Distance from each point to its country (0 inside); None for an unknown country."""
        lons_a, lats_a = np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)
        codes = np.asarray(list(iso3s), dtype=object)
        out: list[float | None] = [None] * len(codes)
        for iso3 in set(codes.tolist()):
            geom = self.shapes.get(iso3)
            if geom is None:
                continue
            idx = np.flatnonzero(codes == iso3)
            inside = shapely.contains_xy(geom, lons_a[idx], lats_a[idx])
            for i, is_in in zip(idx, inside, strict=True):
                if is_in:
                    out[i] = 0.0
                    continue
                point = shapely.Point(lons_a[i], lats_a[i])
                nearest = nearest_points(geom, point)[0]
                out[i] = _haversine_km(lons_a[i], lats_a[i], nearest.x, nearest.y)
        return out


def read_geojson(data_dir: Path, name: str) -> dict[str, Any] | None:
    """A committed GeoJSON file of ``data_dir/geo``, or None when it is absent."""
    path = data_dir / GEO_DIR / name
    if not path.exists():
        return None
    return dict(json.loads(path.read_text(encoding="utf-8")))


def for_plotly(geojson: dict[str, Any]) -> dict[str, Any]:
    """The GeoJSON with exterior rings clockwise, as d3-geo (plotly.js) expects.

    RFC 7946 asks for counter-clockwise exteriors; d3 reads those as "the whole globe minus
    the polygon" and floods the map.
    """
    features = []
    for feature in geojson["features"]:
        geom = shapely.orient_polygons(shape(feature["geometry"]), exterior_cw=True)
        features.append({**feature, "geometry": shapely.geometry.mapping(geom)})
    return {**geojson, "features": features}


def country_shapes(data_dir: Path) -> CountryShapes | None:
    """Country outlines for ``data_dir``, or None when the geo files are absent."""
    geojson = read_geojson(data_dir, COUNTRIES_FILE)
    return CountryShapes(geojson) if geojson else None
