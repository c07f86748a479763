"""dashlib.data.checks.coordinates: the shortcut that skips exact distances is safe."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dashlib.data.checks import coordinates
from dashlib.data.geo import country_shapes

from conftest import FIXTURES


@settings(max_examples=40, deadline=None)
@given(
    points=st.lists(
        st.tuples(
            st.sampled_from(["UKR", "KAZ", "GEO", "RUS", "XXX"]),
            st.floats(20, 80),
            st.floats(20, 80),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_points_skipped_are_within_tolerance(points: list[tuple[str, float, float]]) -> None:
    shapes = country_shapes(FIXTURES / "valid")
    assert shapes is not None
    iso3s = np.array([p[0] for p in points], dtype=object)
    lons, lats = np.array([p[1] for p in points]), np.array([p[2] for p in points])
    near = coordinates.surely_within(shapes, iso3s, lons, lats)
    exact = shapes.distance_km(iso3s.tolist(), lons, lats)
    for sure, km in zip(near, exact, strict=True):
        if sure:
            assert km is not None and km <= coordinates.COORDINATE_TOLERANCE_KM
