"""dashlib.query.selection: every Selection round-trips through the URL unchanged."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from dashlib.query.selection import FIRST_DATE, LAYERS, MAX_QUERY, Selection

TODAY = dt.date(2026, 11, 27)
COUNTRIES = {"UKR", "GEO", "MDA", "KAZ"}
KINDS = {"war", "occupation", "base"}
INTERVENTIONS = {"crimea-2014", "georgia-2008"}
days = st.dates(FIRST_DATE, TODAY)


@st.composite
def selections(draw: st.DrawFn) -> Selection:
    dates = sorted(draw(st.lists(days, min_size=2, max_size=2)))
    query = draw(st.text(max_size=MAX_QUERY)).strip()
    return Selection(
        countries=tuple(sorted(draw(st.sets(st.sampled_from(sorted(COUNTRIES)))))),
        date_from=draw(st.none() | st.just(dates[0])),
        date_to=draw(st.none() | st.just(dates[1])),
        as_of=draw(st.none() | days),
        kinds=tuple(sorted(draw(st.sets(st.sampled_from(sorted(KINDS)))))),
        query=query,
        intervention=draw(st.none() | st.sampled_from(sorted(INTERVENTIONS))),
        layers=tuple(sorted(draw(st.sets(st.sampled_from(LAYERS))))),
    )


def parse(params: dict[str, str]) -> tuple[Selection, list[str]]:
    return Selection.from_params(
        params, countries=COUNTRIES, kinds=KINDS, interventions=INTERVENTIONS, today=TODAY
    )


@settings(max_examples=300, deadline=None)
@given(sel=selections())
def test_selection_url_round_trip(sel: Selection) -> None:
    again, notes = parse(sel.to_params())
    assert notes == []
    assert again == sel


def test_defaults_make_no_parameters() -> None:
    assert Selection().to_params() == {}
    assert parse({}) == (Selection(), [])


def test_what_is_dropped_is_noted() -> None:
    sel, notes = parse(
        {"country": "ukr,XXX", "from": "2022-13-01", "kind": "war", "zzz": "1", "embed": "true"}
    )
    assert sel == Selection(countries=("UKR",), kinds=("war",))
    assert notes == [
        "Ignored unknown parameter 'zzz'.",
        "Ignored from='2022-13-01': dates are written YYYY-MM-DD.",
        "Ignored unknown country 'XXX'.",
    ]
