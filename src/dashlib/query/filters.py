"""Apply a :class:`~dashlib.query.selection.Selection` to a :class:`~dashlib.data.dataset.Dataset`.

Every function returns a new frame and never changes the shared dataset.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from dashlib.data.dataset import Dataset
from dashlib.data.lists import split_list
from dashlib.query.prepared import lru
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


# A page asks for the same mask several times (figure, summary, table) and readers share
# views: each mask is built once per view and dataset, and handed out read-only.
MASKS_KEPT = 64


def deployments_mask(ds: Dataset, selection: Selection, today: dt.date) -> np.ndarray:
    """Boolean mask over ``ds.deployments``: see :func:`deployments`. Read-only."""
    key = (selection.countries, selection.kinds, selection.intervention, selection.as_of_or(today))
    return lru(
        ds, "deployments_mask", key, lambda: _deployments_mask(ds, selection, today), MASKS_KEPT
    )


def _deployments_mask(ds: Dataset, selection: Selection, today: dt.date) -> np.ndarray:
    frame = ds.deployments
    keep = _by_country_kind(frame, selection) & active_on(frame, selection.as_of_or(today))
    if selection.intervention:
        keep &= frame["intervention_id"] == selection.intervention
    mask: np.ndarray = keep.to_numpy(dtype=bool)
    mask.setflags(write=False)
    return mask


def deployments(ds: Dataset, selection: Selection, today: dt.date) -> pd.DataFrame:
    """Sites active on the as-of date, filtered by countries and kinds."""
    return ds.deployments[deployments_mask(ds, selection, today)].copy()


def events_mask(ds: Dataset, selection: Selection, today: dt.date) -> np.ndarray:
    """Boolean mask over ``ds.events``: see :func:`events`. Read-only."""
    key = (selection.countries, selection.kinds, selection.intervention, selection.range_or(today))
    return lru(ds, "events_mask", key, lambda: _events_mask(ds, selection, today), MASKS_KEPT)


def _events_mask(ds: Dataset, selection: Selection, today: dt.date) -> np.ndarray:
    frame = ds.events
    if selection.intervention:
        keep = frame["intervention_id"] == selection.intervention
    else:
        start, end = selection.range_or(today)
        keep = _by_country_kind(frame, selection)
        keep &= (frame["when"] >= _ts(start)) & (frame["when"] <= _ts(end))
    mask: np.ndarray = keep.to_numpy(dtype=bool)
    mask.setflags(write=False)
    return mask


def events(ds: Dataset, selection: Selection, today: dt.date) -> pd.DataFrame:
    """Events in the selected date range, countries and kinds (or of the chosen intervention)."""
    return ds.events[events_mask(ds, selection, today)].copy()


class StatusTimeline:
    """Each state's status on any day, from arrays extracted once (cheap per animation frame).

    ``war`` when an operation of kind war or occupation is active there (operations inside
    Russia excluded); ``presence`` when any other intervention or a deployment site is active;
    ``russia`` for Russia itself; ``none`` otherwise.
    """

    def __init__(self, ds: Dataset):
        self._by_day: dict[dt.date, list[dict[str, object]]] = {}
        inter = ds.interventions[~ds.interventions["inside_russia"].astype(bool)]
        self.i_start = inter["start"].to_numpy()
        self.i_end = inter["end"].to_numpy()
        self.i_country = inter["country_iso3"].to_numpy()
        self.i_war = inter["kind"].isin(["war", "occupation"]).to_numpy()
        self.i_title = inter["title"].to_numpy()
        sites = ds.deployments
        self.s_start = sites["start"].to_numpy()
        self.s_end = sites["end"].to_numpy()
        self.s_country = sites["country_iso3"].to_numpy()
        self.codes = [str(c) for c in ds.countries["iso3"]]
        self.names = [str(n) for n in ds.countries["name"]]
        # Sites per country on a day is one bincount over these codes (-1: not one of the 15).
        position = {code: i for i, code in enumerate(self.codes)}
        self.s_code = np.array([position.get(str(c), -1) for c in self.s_country], dtype=np.int64)

    @classmethod
    def of(cls, ds: Dataset) -> StatusTimeline:
        """The dataset's timeline, built once and shared (it only reads the dataset)."""
        from dashlib.query.prepared import memo

        return memo(ds, "status_timeline", cls)

    @staticmethod
    def _active(start: np.ndarray, end: np.ndarray, day: dt.date) -> np.ndarray:
        stamp = np.datetime64(pd.Timestamp(day))
        active: np.ndarray = (start <= stamp) & (np.isnat(end) | (end >= stamp))
        return active

    def on(self, day: dt.date) -> list[dict[str, object]]:
        """Each state's row on ``day`` (kept per day: the object is shared and read-only)."""
        cache = self._by_day
        if day not in cache:
            if len(cache) > 400:
                cache.clear()
            cache[day] = self._on(day)
        return [dict(row) for row in cache[day]]

    def _on(self, day: dt.date) -> list[dict[str, object]]:
        inter = self._active(self.i_start, self.i_end, day)
        sites = self._active(self.s_start, self.s_end, day)
        war = set(self.i_country[inter & self.i_war])
        codes = self.s_code[sites]
        per_country = np.bincount(codes[codes >= 0], minlength=len(self.codes))
        present = set(self.i_country[inter]) | {self.codes[i] for i in np.flatnonzero(per_country)}
        rows: list[dict[str, object]] = []
        for iso3, name in zip(self.codes, self.names, strict=True):
            if iso3 == "RUS":
                status = "russia"
            elif iso3 in war:
                status = "war"
            elif iso3 in present:
                status = "presence"
            else:
                status = "none"
            here = self.i_title[inter & (self.i_country == iso3)].tolist()
            n_sites = int(per_country[len(rows)])
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
