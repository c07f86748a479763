"""dashlib.query.filters: each filter equals the rule applied row by row, for any selection."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashlib.data.dataset import Dataset, load
from dashlib.data.lists import split_list
from dashlib.query import filters
from dashlib.query.selection import FIRST_DATE, Selection

from conftest import FIXTURES

TODAY = dt.date(2026, 11, 27)
DS = load(FIXTURES / "valid")
COUNTRIES = sorted(set(DS.countries["iso3"]) | {"XXX"})
KINDS = sorted(set(DS.interventions["kind"]) | set(DS.deployments["kind"]) | set(DS.events["kind"]))
INTERVENTIONS = sorted(DS.interventions["intervention_id"])
days = st.dates(FIRST_DATE, TODAY)


@st.composite
def selections(draw: st.DrawFn) -> Selection:
    start, end = sorted([draw(days), draw(days)])
    return Selection(
        countries=tuple(sorted(draw(st.sets(st.sampled_from(COUNTRIES), max_size=3)))),
        kinds=tuple(sorted(draw(st.sets(st.sampled_from(KINDS), max_size=2)))),
        date_from=draw(st.none() | st.just(start)),
        date_to=draw(st.none() | st.just(end)),
        as_of=draw(st.none() | days),
        intervention=draw(st.none() | st.sampled_from(INTERVENTIONS)),
    )


def _in(row: object, sel: Selection) -> bool:
    return (not sel.countries or row.country_iso3 in sel.countries) and (  # type: ignore[attr-defined]
        not sel.kinds or row.kind in sel.kinds  # type: ignore[attr-defined]
    )


def _active(row: object, day: dt.date) -> bool:
    stamp = pd.Timestamp(day)
    end = row.end  # type: ignore[attr-defined]
    return bool(row.start <= stamp and (pd.isna(end) or end >= stamp))  # type: ignore[attr-defined]


def ids(frame: pd.DataFrame, column: str) -> list[str]:
    return list(frame[column])


@settings(max_examples=150, deadline=None)
@given(sel=selections())
def test_deployments_are_the_active_sites_of_the_selection(sel: Selection) -> None:
    day = sel.as_of_or(TODAY)
    expected = [
        r.site_id
        for r in DS.deployments.itertuples()
        if _in(r, sel)
        and _active(r, day)
        and (not sel.intervention or r.intervention_id == sel.intervention)
    ]
    assert ids(filters.deployments(DS, sel, TODAY), "site_id") == expected
    assert int(filters.deployments_mask(DS, sel, TODAY).sum()) == len(expected)


@settings(max_examples=150, deadline=None)
@given(sel=selections())
def test_events_are_those_in_range_or_of_the_intervention(sel: Selection) -> None:
    start, end = (pd.Timestamp(d) for d in sel.range_or(TODAY))
    if sel.intervention:
        expected = [
            r.event_id for r in DS.events.itertuples() if r.intervention_id == sel.intervention
        ]
    else:
        expected = [
            r.event_id for r in DS.events.itertuples() if _in(r, sel) and start <= r.when <= end
        ]
    assert ids(filters.events(DS, sel, TODAY), "event_id") == expected


@settings(max_examples=150, deadline=None)
@given(sel=selections())
def test_interventions_overlap_the_range(sel: Selection) -> None:
    start, end = (pd.Timestamp(d) for d in sel.range_or(TODAY))
    if sel.intervention:
        expected = [sel.intervention]
    else:
        expected = [
            r.intervention_id
            for r in DS.interventions.itertuples()
            if _in(r, sel)
            and r.start <= end
            and (r.end if not pd.isna(r.end) else pd.Timestamp(TODAY)) >= start
        ]
    assert ids(filters.interventions(DS, sel, TODAY), "intervention_id") == expected


@settings(max_examples=100, deadline=None)
@given(sel=selections())
def test_excerpts_by_country_intervention_and_publication(sel: Selection) -> None:
    frame = filters.excerpts(DS, sel, TODAY)
    articles = DS.articles.set_index("article_id")
    start, end = (pd.Timestamp(d) for d in sel.range_or(TODAY))
    expected = []
    for r in DS.excerpts.itertuples():
        if sel.countries and not set(sel.countries) & set(split_list(r.country_iso3s)):
            continue
        if sel.intervention and sel.intervention not in split_list(r.intervention_ids):
            continue
        if sel.date_from or sel.date_to:
            published = pd.Timestamp(str(articles.at[r.article_id, "published"])[:10])
            if not start <= published <= end:
                continue
        expected.append(r.excerpt_id)
    assert ids(frame, "excerpt_id") == expected


@pytest.mark.parametrize("day", [dt.date(1991, 1, 1), dt.date(2014, 3, 18), TODAY])
def test_country_status(day: dt.date) -> None:
    status = filters.country_status(DS, day).set_index("iso3")
    assert list(status.index) == list(DS.countries["iso3"])
    assert status.at["RUS", "status"] == "russia"
    for iso3, row in status.iterrows():
        active = [
            r
            for r in DS.interventions.itertuples()
            if r.country_iso3 == iso3 and not r.inside_russia and _active(r, day)
        ]
        sites = [
            r for r in DS.deployments.itertuples() if r.country_iso3 == iso3 and _active(r, day)
        ]
        assert row["sites"] == len(sites)
        if iso3 == "RUS":
            continue
        if any(r.kind in ("war", "occupation") for r in active):
            assert row["status"] == "war"
        elif active or sites:
            assert row["status"] == "presence"
        else:
            assert row["status"] == "none"


def test_filters_never_change_the_dataset() -> None:
    ds: Dataset = load(FIXTURES / "valid")
    before = {name: ds.table(name).copy() for name in ("deployments", "events", "interventions")}
    sel = Selection(countries=("UKR",))
    for frame in (
        filters.deployments(ds, sel, TODAY),
        filters.events(ds, sel, TODAY),
        filters.interventions(ds, sel, TODAY),
    ):
        frame.loc[:, frame.columns[0]] = "changed"
    for name, frame in before.items():
        pd.testing.assert_frame_equal(ds.table(name), frame)
