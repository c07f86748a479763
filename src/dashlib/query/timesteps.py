"""The dates a reader steps through on the map (the slider's stops and Play's frames).

One frame per year skips short operations: the August 2008 war (five days) and the January
2022 CSTO deployment (two weeks) fall between two 31 Decembers. The steps are every
1 January plus every date on which something on the map starts or ends (interventions,
deployment sites, territories) and every dated event, so each operation is on screen in at
least one step however short it was.

>>> import datetime as dt
>>> merge_steps([dt.date(2008, 8, 7)], dt.date(1991, 1, 1), dt.date(2009, 6, 1))[-3:]
[datetime.date(2008, 8, 7), datetime.date(2009, 1, 1), datetime.date(2009, 6, 1)]
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable

import pandas as pd

from dashlib.data.dataset import Dataset
from dashlib.query.prepared import lru
from dashlib.query.selection import FIRST_DATE


def merge_steps(dates: Iterable[dt.date], first: dt.date, last: dt.date) -> list[dt.date]:
    """Every 1 January from ``first`` to ``last``, plus ``dates`` in that span, plus ``last``."""
    years = {dt.date(year, 1, 1) for year in range(first.year, last.year + 1)}
    inside = {d for d in dates if first <= d <= last}
    return sorted({d for d in years if d >= first} | inside | {first, last})


def _change_dates(ds: Dataset) -> list[dt.date]:
    out: list[dt.date] = []
    for frame in (ds.interventions, ds.deployments, ds.territories):
        out += [ts.date() for ts in frame["start"].dropna()]
        # the first day without it: the map changes then too
        out += [(ts + pd.Timedelta(days=1)).date() for ts in frame["end"].dropna()]
    out += [ts.date() for ts in ds.events["when"].dropna()]
    return out


def map_steps(ds: Dataset, today: dt.date) -> list[dt.date]:
    """The map's steps from 1991 to ``today`` (computed once per dataset and day)."""
    return list(
        lru(ds, "map_steps", today, lambda: merge_steps(_change_dates(ds), FIRST_DATE, today), 4)
    )


def step_at(steps: list[dt.date], day: dt.date) -> dt.date:
    """The last step on or before ``day`` (the first step when ``day`` is earlier)."""
    at = bisect.bisect_right(steps, day) - 1
    return steps[max(at, 0)]


def next_step(steps: list[dt.date], day: dt.date) -> dt.date | None:
    """The first step after ``day``; None at the end."""
    at = bisect.bisect_right(steps, day)
    return steps[at] if at < len(steps) else None
