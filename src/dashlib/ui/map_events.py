"""Turn a click on the map into a country selection shared by every view."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashlib.data.dataset import Dataset
from dashlib.query.selection import Selection
from dashlib.ui.selection import request_countries

_LAST = "map_last_click"


def clicked_countries(event: Any, ds: Dataset) -> list[str]:
    """ISO3 codes of the countries or sites clicked (a site counts as its country)."""
    try:
        points = event["selection"]["points"]
    except (KeyError, TypeError):
        return []
    known = set(ds.countries["iso3"])
    codes: list[str] = []
    for point in points:
        code = point.get("location")
        if code is None and "lon" in point and "lat" in point:
            for frame in (ds.deployments, ds.territories):
                hit = frame[
                    (frame["lon"].round(4) == round(float(point["lon"]), 4))
                    & (frame["lat"].round(4) == round(float(point["lat"]), 4))
                ]
                if len(hit):
                    code = hit.iloc[0]["country_iso3"]
                    break
        if code in known and code not in codes:
            codes.append(str(code))
    return codes


def handle_map_selection(event: Any, ds: Dataset, sel: Selection) -> None:
    codes = clicked_countries(event, ds)
    signature = ",".join(codes)
    if not codes or st.session_state.get(_LAST) == signature:
        return
    st.session_state[_LAST] = signature
    if set(codes) != set(sel.countries):
        request_countries(sorted(codes))
        st.rerun()
