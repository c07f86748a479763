"""Each site's coordinates inside the country (or the territory's country) it names."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import shapely

from dashlib.data.csvio import RawTable
from dashlib.data.geo import EARTH_RADIUS_KM, CountryShapes
from dashlib.data.problems import Problem

# How far outside its country's simplified outline a site may lie before we call it wrong:
# the 1:10m outlines are simplified to ~1–2 km, and coastal bases sit on the shoreline.
COORDINATE_TOLERANCE_KM = 10.0
# A planar distance (degrees) surely within that tolerance on the sphere (see surely_within).
_SURELY_WITHIN_DEGREES = math.degrees(COORDINATE_TOLERANCE_KM * 0.999 / EARTH_RADIUS_KM)
LOCATED_TABLES = ("deployments", "territories")


def coordinates(
    raws: dict[str, RawTable], frames: dict[str, pd.DataFrame], shapes: CountryShapes
) -> list[Problem]:
    """Sites whose territory lies in another country, and points too far outside theirs."""
    problems: list[Problem] = []
    territories = frames.get("territories")
    territory_country: dict[str, str] = {}
    if territories is not None:
        territory_country = dict(
            zip(
                territories["territory_id"].astype(str),
                territories["country_iso3"].astype(str),
                strict=True,
            )
        )
    for table in LOCATED_TABLES:
        frame = frames.get(table)
        if frame is None or not {"lat", "lon", "country_iso3"} <= set(frame.columns):
            continue
        if table == "deployments" and "territory_id" in frame:
            problems += _territory_country(raws[table], frame, territory_country)
        problems += _outside(raws[table], frame, shapes)
    return problems


def _territory_country(
    raw: RawTable, frame: pd.DataFrame, territory_country: dict[str, str]
) -> list[Problem]:
    expected = frame["territory_id"].astype(object).map(territory_country)
    wrong = expected.notna() & (expected != frame["country_iso3"])
    return [
        raw.problem(
            index,
            "country_iso3",
            f"territory {frame.at[index, 'territory_id']} belongs to "
            f"{expected[index]}, not {frame.at[index, 'country_iso3']}",
            f"write {expected[index]}",
        )
        for index in frame.index[wrong.fillna(False).astype(bool)]
    ]


def _outside(raw: RawTable, frame: pd.DataFrame, shapes: CountryShapes) -> list[Problem]:
    ok = frame["lat"].notna() & frame["lon"].notna() & frame["country_iso3"].notna()
    sub = frame[ok]
    if sub.empty:
        return []
    iso3s = sub["country_iso3"].astype(str).to_numpy(dtype=object)
    lons = sub["lon"].astype(float).to_numpy()
    lats = sub["lat"].astype(float).to_numpy()
    # inf is out of range already (reported by the schema), and has no distance
    far = ~surely_within(shapes, iso3s, lons, lats) & np.isfinite(lons) & np.isfinite(lats)
    sub = sub[far]
    distances = shapes.distance_km(iso3s[far].tolist(), lons[far], lats[far])
    problems = []
    for index, km in zip(sub.index, distances, strict=True):
        if km is None or km <= COORDINATE_TOLERANCE_KM:
            continue
        lat, lon = float(sub.at[index, "lat"]), float(sub.at[index, "lon"])
        iso3 = str(sub.at[index, "country_iso3"])
        swapped = shapes.distance_km([iso3], [lat], [lon])[0]
        hint = (
            "latitude and longitude look swapped"
            if swapped is not None and swapped <= COORDINATE_TOLERANCE_KM
            else "check the coordinates (decimal degrees, lat then lon)"
        )
        problems.append(
            raw.problem(
                index,
                "lat",
                f"({sub.at[index, 'lat']}, {sub.at[index, 'lon']}) is {km:.0f} km outside {iso3}",
                hint,
            )
        )
    return problems


def surely_within(
    shapes: CountryShapes, iso3s: np.ndarray, lons: np.ndarray, lats: np.ndarray
) -> np.ndarray:
    """True where :meth:`CountryShapes.distance_km` is sure to be within the tolerance.

    That is inside the country's outline (distance 0), or so close to it that the distance
    cannot exceed the tolerance: the great-circle distance to the outline's nearest point is
    at most the Earth's radius times the planar distance in radians. Only the other points need
    the exact (slower, point by point) distance.
    """
    near = np.zeros(len(iso3s), dtype=bool)
    codes, names = pd.factorize(iso3s)
    for code, iso3 in enumerate(names):
        geom = shapes.shapes.get(iso3)
        if geom is None:
            continue
        rows = np.flatnonzero(codes == code)
        inside = shapely.contains_xy(geom, lons[rows], lats[rows])
        near[rows[inside]] = True
        outside = rows[~inside]
        if outside.size:
            points = shapely.points(lons[outside], lats[outside])
            near[outside] = shapely.dwithin(geom, points, _SURELY_WITHIN_DEGREES)
    return near
