"""Apply a :class:`~dashlib.query.selection.Selection` to a :class:`~dashlib.data.dataset.Dataset`.

Every function returns a new frame and never changes the shared dataset.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from dashlib.data.dataset import Dataset
from dashlib.data.lists import split_list
from dashlib.query.prepared import memo
from dashlib.query.selection import Selection


def _ts(day: dt.date) -> pd.Timestamp:
    return pd.Timestamp(day)


def _by_country_kind(frame: pd.DataFrame, selection: Selection) -> pd.Series:
    keep = pd.Series(True, index=frame.index)
    if selection.countries:
        keep &= frame["country_iso3"].isin(selection.countries)
    if selection.kinds:
        keep &= frame["kind"].isin(selection.kinds)
    return keep


def interventions(ds: Dataset, selection: Selection, today: dt.date) -> pd.DataFrame:
    """Interventions overlapping the selected date range, countries, kinds (or the one chosen)."""
    frame = ds.interventions
    if selection.intervention:
        return frame[frame["intervention_id"] == selection.intervention].copy()
    start, end = selection.range_or(today)
    keep = _by_country_kind(frame, selection)
    keep &= frame["start"] <= _ts(end)
    keep &= frame["end"].fillna(_ts(today)) >= _ts(start)
    return frame[keep].copy()


def active_on(frame: pd.DataFrame, day: dt.date) -> pd.Series:
    """Rows whose [start, end] period includes ``day`` (ongoing rows have no end)."""
    stamp = _ts(day)
    return (frame["start"] <= stamp) & (frame["end"].isna() | (frame["end"] >= stamp))


def deployments_mask(ds: Dataset, selection: Selection, today: dt.date) -> np.ndarray:
    """Boolean mask over ``ds.deployments``: see :func:`deployments`."""
    frame = ds.deployments
    keep = _by_country_kind(frame, selection) & active_on(frame, selection.as_of_or(today))
    if selection.intervention:
        keep &= frame["intervention_id"] == selection.intervention
    mask: np.ndarray = keep.to_numpy(dtype=bool)
    return mask


def deployments(ds: Dataset, selection: Selection, today: dt.date) -> pd.DataFrame:
    """Sites active on the as-of date, filtered by countries and kinds."""
    return ds.deployments[deployments_mask(ds, selection, today)].copy()


def events_mask(ds: Dataset, selection: Selection, today: dt.date) -> np.ndarray:
    """Boolean mask over ``ds.events``: see :func:`events`."""
    frame = ds.events
    if selection.intervention:
        keep = frame["intervention_id"] == selection.intervention
    else:
        start, end = selection.range_or(today)
        keep = _by_country_kind(frame, selection)
        keep &= (frame["when"] >= _ts(start)) & (frame["when"] <= _ts(end))
    mask: np.ndarray = keep.to_numpy(dtype=bool)
    return mask


def events(ds: Dataset, selection: Selection, today: dt.date) -> pd.DataFrame:
    """Events in the selected date range, countries and kinds (or of the chosen intervention)."""
    return ds.events[events_mask(ds, selection, today)].copy()


class StatusTimeline:
    """Each state's status on any day, from arrays prepared once (cheap per animation frame).

    ``war`` when an operation of kind war or occupation is active there (operations inside
    Russia excluded); ``presence`` when any other intervention or a deployment site is active;
    ``russia`` for Russia itself; ``none`` otherwise.

    Immutable once built: a day's sites per country are counted by binary search in each
    country's sorted start and end dates (a site is active on ``t`` when it started on or
    before ``t`` and did not end before ``t``; validation guarantees end >= start), so no
    day's answer needs keeping.
    """

    def __init__(self, ds: Dataset):
        inter = ds.interventions[~ds.interventions["inside_russia"].astype(bool)]
        self.i_start = inter["start"].to_numpy()
        self.i_end = inter["end"].to_numpy()
        self.i_country = inter["country_iso3"].to_numpy()
        self.i_war = inter["kind"].isin(["war", "occupation"]).to_numpy()
        self.i_title = inter["title"].to_numpy()
        self.codes = [str(c) for c in ds.countries["iso3"]]
        self.names = [str(n) for n in ds.countries["name"]]
        sites = ds.deployments
        country = sites["country_iso3"].to_numpy()
        start, end = sites["start"].to_numpy(), sites["end"].to_numpy()
        self._starts = [np.sort(start[country == code]) for code in self.codes]
        self._ends = [np.sort(end[(country == code) & ~np.isnat(end)]) for code in self.codes]

    @classmethod
    def of(cls, ds: Dataset) -> StatusTimeline:
        """The dataset's timeline, built once per dataset (see :mod:`dashlib.query.prepared`)."""
        return memo(ds, "status_timeline", cls)

    def sites_on(self, day: dt.date) -> list[int]:
        """Active deployment sites per state on ``day``, in :attr:`codes` order."""
        stamp = np.datetime64(pd.Timestamp(day))
        return [
            int(np.searchsorted(starts, stamp, "right") - np.searchsorted(ends, stamp, "left"))
            for starts, ends in zip(self._starts, self._ends, strict=True)
        ]

    def on(self, day: dt.date) -> list[dict[str, object]]:
        """Each state's row on ``day``: iso3, name, status, operations, sites."""
        stamp = np.datetime64(pd.Timestamp(day))
        inter = (self.i_start <= stamp) & (np.isnat(self.i_end) | (self.i_end >= stamp))
        war = set(self.i_country[inter & self.i_war])
        active = set(self.i_country[inter])
        rows: list[dict[str, object]] = []
        for iso3, name, n_sites in zip(self.codes, self.names, self.sites_on(day), strict=True):
            if iso3 == "RUS":
                status = "russia"
            elif iso3 in war:
                status = "war"
            elif iso3 in active or n_sites:
                status = "presence"
            else:
                status = "none"
            here = self.i_title[inter & (self.i_country == iso3)].tolist()
            rows.append(
                {
                    "iso3": iso3,
                    "name": name,
                    "status": status,
                    "operations": "; ".join(here),
                    "sites": n_sites,
                }
            )
        return rows


def country_status(ds: Dataset, day: dt.date) -> pd.DataFrame:
    """Status of each of the 15 states on ``day`` (see :class:`StatusTimeline`)."""
    return pd.DataFrame(StatusTimeline.of(ds).on(day))


def excerpts(ds: Dataset, selection: Selection, today: dt.date) -> pd.DataFrame:
    """Excerpts joined with their article, filtered by countries, intervention and date range.

    The date range applies to the article's publication date. Text search is separate
    (:mod:`dashlib.query.search`) so the matches can be highlighted.
    """
    frame = ds.excerpts.merge(ds.articles, on="article_id", how="left", suffixes=("", "_article"))
    keep = pd.Series(True, index=frame.index)
    if selection.countries:
        wanted = set(selection.countries)
        keep &= frame["country_iso3s"].map(lambda v: bool(wanted & set(split_list(v))))
    if selection.intervention:
        keep &= frame["intervention_ids"].map(lambda v: selection.intervention in split_list(v))
    if selection.date_from or selection.date_to:
        start, end = selection.range_or(today)
        published = pd.to_datetime(
            frame["published"].str.slice(0, 10), errors="coerce", format="mixed"
        )
        keep &= (published >= _ts(start)) & (published <= _ts(end))
    return frame[keep].copy()
