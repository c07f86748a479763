"""What a click or tap on the map does.

A site (a marker) shows its details in a card under the map: a tap on a phone must tell the
reader what the dot is, not change the whole app. A country (the shaded area) filters every
view by it, as a new entry in the browser's history (Back undoes it). Russia is not one of
the states the map follows (its forces are what the map shows, at home they are no
deployment): a tap on it filters nothing and gets a short note instead.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashlib.data.dataset import Dataset
from dashlib.data.dates import format_partial
from dashlib.data.lists import split_list
from dashlib.figures import theme
from dashlib.figures.map import troop_text
from dashlib.query.selection import Selection
from dashlib.ui.selection import request_countries
from dashlib.ui.text import md_escape, md_link

_LAST = "map_last_click"
RUSSIA = "RUS"


def russia_note(ds: Dataset) -> str:
    others = int((ds.countries["iso3"] != RUSSIA).sum())
    return (
        f"Russia is where these forces come from, not one of the {others} other states the "
        "map follows, so a tap on it filters nothing. Tap another country to filter every "
        "view by it, or a site for its details."
    )


def _points(event: Any) -> list[dict[str, Any]]:
    try:
        points = event["selection"]["points"]
    except (KeyError, TypeError):
        return []
    return [p for p in points if isinstance(p, dict)]


def _at(frame: pd.DataFrame, point: dict[str, Any]) -> pd.DataFrame:
    return frame[
        (frame["lon"].round(4) == round(float(point["lon"]), 4))
        & (frame["lat"].round(4) == round(float(point["lat"]), 4))
    ]


def clicked_russia(event: Any) -> bool:
    """Whether the reader tapped Russia's shaded area."""
    return any(point.get("location") == RUSSIA for point in _points(event))


def clicked_countries(event: Any, ds: Dataset) -> list[str]:
    """ISO3 codes of the other states clicked (shaded areas only; a site is not a filter,
    nor is Russia)."""
    known = set(ds.countries["iso3"]) - {RUSSIA}
    codes: list[str] = []
    for point in _points(event):
        code = point.get("location")
        if code in known and code not in codes:
            codes.append(str(code))
    return codes


def clicked_places(event: Any, ds: Dataset) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The deployment sites and territories (label points) clicked."""
    sites, territories = [], []
    ids = set(ds.deployments["site_id"])
    for point in _points(event):
        if point.get("location") is not None or "lon" not in point or "lat" not in point:
            continue
        custom = point.get("customdata")
        if isinstance(custom, list):
            custom = custom[0] if custom else None
        if isinstance(custom, str) and custom in ids:
            sites.append(ds.deployments[ds.deployments["site_id"] == custom])
            continue
        hit = _at(ds.deployments, point)
        if len(hit):
            sites.append(hit)
        else:
            territories.append(_at(ds.territories, point))
    empty_s, empty_t = ds.deployments.iloc[0:0], ds.territories.iloc[0:0]
    found_s = pd.concat(sites).drop_duplicates("site_id") if sites else empty_s
    found_t = pd.concat(territories).drop_duplicates("territory_id") if territories else empty_t
    return found_s, found_t


def _sources(ds: Dataset, cell: object) -> str:
    rows = ds.sources[ds.sources["source_id"].isin(split_list(cell))]
    return " · ".join(md_link(r.title, r.url) for r in rows.itertuples(index=False))


def show_site_card(ds: Dataset, sites: pd.DataFrame, territories: pd.DataFrame) -> None:
    """The clicked sites' details (text from the data, escaped), with their sources."""
    names = dict(zip(ds.countries["iso3"], ds.countries["name"], strict=True))
    for r in sites.itertuples(index=False):
        with st.container(border=True, key=f"site_card_{r.site_id}"):
            st.markdown(
                f"**{md_escape(r.name)}** — {md_escape(r.place)}, "
                f"{md_escape(names.get(r.country_iso3, r.country_iso3))}"
            )
            end = (
                format_partial(str(r.end_date))
                if isinstance(r.end_date, str) and r.end_date
                else "today"
            )
            lines = [
                f"{theme.SITE_LABELS.get(r.site_type, r.site_type)} · "
                f"{theme.KIND_LABELS.get(r.kind, r.kind)}",
                f"{format_partial(str(r.start_date))} – {end}",
                f"Troops: {troop_text(r.troops_low, r.troops_high, r.troops_as_of)}",
            ]
            if isinstance(r.unit, str) and r.unit:
                lines.insert(0, f"Unit: {r.unit}")
            st.markdown("  \n".join(md_escape(line) for line in lines))
            if isinstance(r.summary, str) and r.summary:
                st.markdown(md_escape(r.summary))
            st.caption("Sources: " + _sources(ds, r.source_ids))
    for r in territories.itertuples(index=False):
        with st.container(border=True, key=f"territory_card_{r.territory_id}"):
            st.markdown(f"**{md_escape(r.name)}** ({md_escape(names.get(r.country_iso3, ''))})")
            st.markdown(md_escape(r.status_detail))
            st.caption("Sources: " + _sources(ds, r.source_ids))


def show_clicked_details(event: Any, ds: Dataset) -> None:
    """The details card of the sites or territories the reader tapped (none: nothing), or
    the note on Russia."""
    sites, territories = clicked_places(event, ds)
    if len(sites) or len(territories):
        show_site_card(ds, sites, territories)
    elif clicked_russia(event):
        with st.container(border=True, key="russia_note"):
            st.caption(russia_note(ds))


def handle_map_selection(event: Any, ds: Dataset, sel: Selection) -> None:
    """A click on a country filters every view by it (a site's click shows its card)."""
    codes = clicked_countries(event, ds)
    signature = ",".join(codes)
    if not codes or st.session_state.get(_LAST) == signature:
        return
    st.session_state[_LAST] = signature
    if set(codes) != set(sel.countries):
        request_countries(sorted(codes))
        st.rerun()
