"""Reader-facing tables: the data behind each chart, as shown in the app and exported as CSV."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from dashlib.data.dataset import Dataset
from dashlib.data.dates import format_partial
from dashlib.figures import theme
from dashlib.query import filters
from dashlib.query.formatting import troop_columns
from dashlib.query.prepared import memo
from dashlib.query.selection import Selection


def _names(ds: Dataset) -> dict[str, str]:
    return dict(zip(ds.countries["iso3"], ds.countries["name"], strict=True))


def _urls(ds: Dataset, cell: object) -> str:
    from dashlib.data.lists import split_list

    labels = ds.source_labels  # built once per dataset
    return " ".join(labels[s][2] for s in split_list(cell) if s in labels)


def _sites_display(ds: Dataset) -> pd.DataFrame:
    """Every deployment formatted for readers, in the dataset's row order (built once)."""
    sites = ds.deployments
    names = _names(ds)
    return pd.DataFrame(
        {
            "Site": sites["name"],
            "Place": sites["place"],
            "Country": sites["country_iso3"].map(names),
            "Type": sites["site_type"].map(theme.SITE_LABELS),
            "Kind": sites["kind"].map(theme.KIND_LABELS),
            "Unit": sites["unit"],
            "From": sites["start_date"].map(format_partial),
            "Until": sites["end_date"].map(
                lambda v: format_partial(v) if isinstance(v, str) else ""
            ),
            **troop_columns(sites),
            "Latitude": sites["lat"],
            "Longitude": sites["lon"],
            "Location precision": sites["coord_precision"],
            "Sources": sites["source_ids"].map(lambda c: _urls(ds, c)),
        }
    ).reset_index(drop=True)


def sites_table(ds: Dataset, selection: Selection, today: dt.date) -> pd.DataFrame:
    """Sites active on the selection's date (the map's data)."""
    display = memo(ds, "table:sites", _sites_display)
    return display[filters.deployments_mask(ds, selection, today)].reset_index(drop=True)


def sites_count(ds: Dataset, selection: Selection, today: dt.date) -> int:
    """``len(sites_table(...))`` without building the table."""
    return int(filters.deployments_mask(ds, selection, today).sum())


def interventions_table(ds: Dataset, selection: Selection, today: dt.date) -> pd.DataFrame:
    inter = filters.interventions(ds, selection, today).sort_values("start")
    names = _names(ds)
    return pd.DataFrame(
        {
            "Intervention": inter["title"],
            "Country": inter["country_iso3"].map(names),
            "Kind": inter["kind"].map(theme.KIND_LABELS),
            "Inside Russia": inter["inside_russia"].map({True: "yes", False: "no"}),
            "From": inter["start_date"].map(format_partial),
            "Until": inter["end_date"].map(
                lambda v: format_partial(v) if isinstance(v, str) else "ongoing"
            ),
            **troop_columns(inter),
            "Summary": inter["summary"],
            "Sources": inter["source_ids"].map(lambda c: _urls(ds, c)),
        }
    ).reset_index(drop=True)


def _events_display(ds: Dataset) -> tuple[pd.DataFrame, np.ndarray]:
    """Every event formatted for readers, newest first, and the row positions of that order."""
    order = np.argsort(-ds.events["when"].to_numpy().astype("int64"), kind="stable")
    events = ds.events.iloc[order]
    names = _names(ds)
    frame = pd.DataFrame(
        {
            "Date": events["date"].map(format_partial),
            "Country": events["country_iso3"].map(names),
            "Event": events["title"],
            "Kind": events["kind"].map(theme.KIND_LABELS),
            "Sources": events["source_ids"].map(lambda c: _urls(ds, c)),
        }
    ).reset_index(drop=True)
    return frame, order


def events_table(ds: Dataset, selection: Selection, today: dt.date) -> pd.DataFrame:
    """Events of the selection, newest first."""
    frame, order = memo(ds, "table:events", _events_display)
    keep = filters.events_mask(ds, selection, today)[order]
    return frame[keep].reset_index(drop=True)


def timeline_table(ds: Dataset, selection: Selection, today: dt.date) -> pd.DataFrame:
    """Interventions and events of the timeline in one table (a ``Type`` column tells them)."""
    inter = interventions_table(ds, selection, today).rename(columns={"Intervention": "Title"})
    events = events_table(ds, selection, today).rename(columns={"Event": "Title", "Date": "From"})
    inter.insert(0, "Type", "Intervention")
    events.insert(0, "Type", "Event")
    columns = list(dict.fromkeys([*inter.columns, *events.columns]))
    both = pd.concat([inter, events], ignore_index=True)[columns]
    return both.astype(object).where(both.notna(), "")


def country_status_table(ds: Dataset, day: dt.date) -> pd.DataFrame:
    status = filters.country_status(ds, day)
    return pd.DataFrame(
        {
            "Country": status["name"],
            "Status": status["status"].map(theme.STATUS_LABELS),
            "Active operations": status["operations"],
            "Active sites": status["sites"],
        }
    )


def sources_table(ds: Dataset) -> pd.DataFrame:
    src = ds.sources.sort_values(["publisher", "title"])
    return pd.DataFrame(
        {
            "Id": src["source_id"],
            "Title": src["title"],
            "Publisher": src["publisher"],
            "Published": src["published"].fillna(""),
            "Accessed": src["accessed"],
            "Link": src["url"],
        }
    ).reset_index(drop=True)


def warm(ds: Dataset) -> None:
    """Format the per-row tables now (at load) instead of on the first reader's rerun."""
    memo(ds, "table:sites", _sites_display)
    memo(ds, "table:events", _events_display)
