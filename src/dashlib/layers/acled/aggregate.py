"""ACLED events aggregated for the charts: grid cells for the map, periods for the timeline.

The figures import this module only (with :data:`CREDIT` for their source line).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from dashlib.layers.acled import CREDIT

__all__ = ["CREDIT", "aggregate_for_map", "aggregate_for_timeline"]


def _empty(dtypes: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in dtypes.items()})


def _selected(
    frame: pd.DataFrame | None,
    countries: Iterable[str] | None,
    date_from: Any,
    date_to: Any,
) -> pd.DataFrame:
    """Rows in ``countries`` (all when empty or None) with ``when`` within the dates (an
    empty frame when there is no layer)."""
    if frame is None or frame.empty:
        return pd.DataFrame()
    when = frame["when"] if "when" in frame else pd.to_datetime(frame["event_date"])
    mask = pd.Series(True, index=frame.index)
    codes = list(countries or [])
    if codes:
        mask &= frame["country_iso3"].isin(codes).fillna(False).astype(bool)
    if date_from is not None:
        mask &= when >= pd.Timestamp(date_from)
    if date_to is not None:
        mask &= when <= pd.Timestamp(date_to)
    out = frame.loc[mask.to_numpy()].copy()
    out["when"] = when[mask.to_numpy()]
    return out


MAP_DTYPES = {
    "lat": "float64",
    "lon": "float64",
    "events": "int64",
    "fatalities": "int64",
    "first_date": "datetime64[ns]",
    "last_date": "datetime64[ns]",
    "country_iso3": "string",
}
TIMELINE_DTYPES = {
    "country_iso3": "string",
    "period_start": "datetime64[ns]",
    "events": "int64",
    "fatalities": "int64",
}
MAP_COLUMNS = list(MAP_DTYPES)
TIMELINE_COLUMNS = list(TIMELINE_DTYPES)
PERIODS = {"D": "D", "W": "W", "MS": "M", "QS": "Q", "YS": "Y"}


def aggregate_for_map(
    frame: pd.DataFrame | None,
    countries: Iterable[str] | None = None,
    date_from: Any = None,
    date_to: Any = None,
    cell_degrees: float = 0.5,
) -> pd.DataFrame:
    """One row per grid cell (``cell_degrees`` square) and country, for aggregate markers.

    ``lat``/``lon`` are the mean position of the cell's events (so a cell holding one town's
    events sits on the town); ``events`` and ``fatalities`` are counts and sums;
    ``first_date``/``last_date`` the earliest and latest ``event_date``. A cell that straddles a
    border gives one row per country. Sorted by ``events``, largest first.
    """
    if cell_degrees <= 0:
        raise ValueError("cell_degrees must be positive")
    sel = _selected(frame, countries, date_from, date_to)
    if sel.empty:
        return _empty(MAP_DTYPES)
    lat = sel["latitude"].astype("float64")
    lon = sel["longitude"].astype("float64")
    work = pd.DataFrame(
        {
            "row": np.floor(lat.to_numpy() / cell_degrees).astype("int64"),
            "col": np.floor(lon.to_numpy() / cell_degrees).astype("int64"),
            "country_iso3": sel["country_iso3"].astype(str).to_numpy(),
            "lat": lat.to_numpy(),
            "lon": lon.to_numpy(),
            "fatalities": sel["fatalities"].fillna(0).astype("int64").to_numpy(),
            "when": sel["when"].to_numpy(),
        }
    )
    grouped = work.groupby(["row", "col", "country_iso3"], sort=False).agg(
        lat=("lat", "mean"),
        lon=("lon", "mean"),
        events=("lat", "size"),
        fatalities=("fatalities", "sum"),
        first_date=("when", "min"),
        last_date=("when", "max"),
    )
    out = grouped.reset_index()[MAP_COLUMNS]
    out["country_iso3"] = out["country_iso3"].astype("string")
    out["events"] = out["events"].astype("int64")
    out["fatalities"] = out["fatalities"].astype("int64")
    out = out.sort_values(["events", "country_iso3", "lat"], ascending=[False, True, True])
    return out.reset_index(drop=True)


def aggregate_for_timeline(
    frame: pd.DataFrame | None,
    countries: Iterable[str] | None = None,
    date_from: Any = None,
    date_to: Any = None,
    freq: str = "MS",
) -> pd.DataFrame:
    """Events and fatalities per country and period (``D``, ``W``, ``MS``, ``QS``, ``YS``).

    ``period_start`` is the first day of each period (Monday for weeks). Every period between
    the first and last one selected is present for every country that has events, with zeros
    where nothing happened, so a line or bar chart never bridges a gap.
    """
    if freq not in PERIODS:
        raise ValueError(f"freq must be one of {', '.join(PERIODS)}")
    sel = _selected(frame, countries, date_from, date_to)
    if sel.empty:
        return _empty(TIMELINE_DTYPES)
    period = sel["when"].dt.to_period(PERIODS[freq])
    work = pd.DataFrame(
        {
            "country_iso3": sel["country_iso3"].astype(str).to_numpy(),
            "period": period.to_numpy(),
            "fatalities": sel["fatalities"].fillna(0).astype("int64").to_numpy(),
        }
    )
    counts = work.groupby(["country_iso3", "period"]).agg(
        events=("fatalities", "size"), fatalities=("fatalities", "sum")
    )
    first = period.min() if date_from is None else pd.Timestamp(date_from).to_period(PERIODS[freq])
    last = period.max() if date_to is None else pd.Timestamp(date_to).to_period(PERIODS[freq])
    full = pd.MultiIndex.from_product(
        [sorted(work["country_iso3"].unique()), pd.period_range(first, last)],
        names=["country_iso3", "period"],
    )
    counts = counts.reindex(full, fill_value=0).reset_index()
    counts["period_start"] = counts["period"].dt.start_time.astype("datetime64[ns]")
    out = counts[TIMELINE_COLUMNS].copy()
    out["country_iso3"] = out["country_iso3"].astype("string")
    out["events"] = out["events"].astype("int64")
    out["fatalities"] = out["fatalities"].astype("int64")
    return out.reset_index(drop=True)
