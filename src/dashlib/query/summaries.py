"""One-paragraph text summaries of each chart: what a screen reader gets instead of the picture.

Generated from the same filtered data as the figure, so the words always match the chart.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashlib.data.dataset import Dataset
from dashlib.query import filters
from dashlib.query.prepared import lru
from dashlib.query.selection import Selection


def _kind_labels() -> dict[str, str]:
    # Imported here, not at the top: dashlib.figures imports this module for its summaries.
    from dashlib.figures import theme

    return dict(theme.KIND_LABELS)


def _names(ds: Dataset, codes: list[str]) -> str:
    lookup = dict(zip(ds.countries["iso3"], ds.countries["name"], strict=True))
    names = [str(lookup.get(c, c)) for c in codes]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _scope(ds: Dataset, selection: Selection) -> str:
    parts = []
    if selection.countries:
        parts.append(f"in {_names(ds, list(selection.countries))}")
    if selection.kinds:
        parts.append("of kind " + ", ".join(_kind_labels().get(k, k) for k in selection.kinds))
    return (" " + " ".join(parts)) if parts else ""


def key_figures(ds: Dataset, today: dt.date, selection: Selection | None = None) -> dict[str, int]:
    """Headline numbers for the overview, computed from the data (once per view and day).

    Each number is computed here once and the page states it the same way everywhere (the
    standfirst and the tiles read the same key). ``selection`` narrows them to the chosen
    countries, kinds or intervention (its dates are not applied: "since 1991", "today").
    """
    sel = (
        Selection(
            countries=selection.countries,
            kinds=selection.kinds,
            intervention=selection.intervention,
        )
        if selection
        else Selection()
    )
    return dict(lru(ds, "key_figures", (today, sel), lambda: _key_figures(ds, today, sel), 16))


def _key_figures(ds: Dataset, today: dt.date, sel: Selection) -> dict[str, int]:
    inter = ds.interventions
    sites = ds.deployments
    terr = ds.territories
    if sel.countries:
        inter = inter[inter["country_iso3"].isin(sel.countries)]
        sites = sites[sites["country_iso3"].isin(sel.countries)]
        terr = terr[terr["country_iso3"].isin(sel.countries)]
    if sel.kinds:
        inter = inter[inter["kind"].isin(sel.kinds)]
        sites = sites[sites["kind"].isin(sel.kinds)]
    if sel.intervention:
        inter = inter[inter["intervention_id"] == sel.intervention]
        sites = sites[sites["intervention_id"] == sel.intervention]
    active = sites[filters.active_on(sites, today)]
    abroad = inter[~inter["inside_russia"].astype(bool)]
    affected = set(abroad["country_iso3"]) - {"RUS"}
    presence = (affected | set(sites["country_iso3"])) - {"RUS"}
    return {
        "sites_active": len(active),
        "countries_with_sites": active.loc[
            active["country_iso3"] != "RUS", "country_iso3"
        ].nunique(),
        "interventions": len(inter),
        "interventions_abroad": len(abroad),
        "ongoing": int(inter["ongoing"].sum()),
        "countries_affected": len(affected),
        "countries_with_presence": len(presence),
        "territories_occupied": int(
            (filters.active_on(terr, today) & terr["status"].isin(["occupied", "breakaway"])).sum()
        ),
    }


def map_summary(ds: Dataset, selection: Selection, today: dt.date) -> str:
    day = selection.as_of_or(today)
    columns = ["country_iso3", "troops_low", "troops_high"]
    sites = ds.deployments.loc[filters.deployments_mask(ds, selection, today), columns]
    status = filters.country_status(ds, day)
    war = status[status["status"] == "war"]["iso3"].tolist()
    present = status[status["status"] == "presence"]["iso3"].tolist()
    text = [f"Map of the former Soviet Union on {day:%-d %B %Y}{_scope(ds, selection)}."]
    text.append(f"It shows {plural(len(sites), 'active Russian deployment site')}")
    if len(sites):
        by_country = sites["country_iso3"].value_counts(sort=False).sort_values(ascending=False)
        top = ", ".join(f"{_names(ds, [c])} {n}" for c, n in by_country.head(5).items())
        text[-1] += f" (most in: {top})"
        known = sites[sites["troops_low"].notna()]
        if len(known):
            text[-1] += (
                f"; where figures are published, between {int(known['troops_low'].sum()):,}"
                f" and {int(known['troops_high'].sum()):,} troops in {plural(len(known), 'site')}"
            )
    text[-1] += "."
    if war:
        text.append(f"Russian forces were at war in or occupying part of {_names(ds, war)}.")
    if present:
        text.append(f"Russian forces were stationed in {_names(ds, present)}.")
    crimea = ds.territories[ds.territories["territory_id"] == "crimea"]
    if filters.active_on(crimea, day).any():
        text.append("Crimea is shown as part of Ukraine, under Russian occupation since 2014.")
    return " ".join(text)


def timeline_summary(ds: Dataset, selection: Selection, today: dt.date) -> str:
    inter = filters.interventions(ds, selection, today)
    n_events = int(filters.events_mask(ds, selection, today).sum())
    start, end = selection.range_or(today)
    if selection.intervention and len(inter):  # the chart is framed on the intervention
        start = inter["start"].min().date()
        end = inter["end"].fillna(pd.Timestamp(today)).max().date()
    span = f"in {start:%Y}" if start.year == end.year else f"from {start:%Y} to {end:%Y}"
    when = range_label(selection, "%B")
    if when and not (selection.intervention and len(inter)):
        span = when if when.startswith(("since", "until")) else f"for {when}"
    text = [
        f"Timeline {span}{_scope(ds, selection)}: "
        f"{plural(len(inter), 'intervention')} and {plural(n_events, 'event')}."
    ]
    if len(inter):
        ongoing = inter[inter["ongoing"]]
        first = inter.sort_values("start").iloc[0]
        text.append(f"The earliest shown is {first['title']} ({first['start_date']}).")
        if len(ongoing):
            text.append("Still ongoing: " + "; ".join(ongoing.sort_values("start")["title"]) + ".")
        counts = inter.groupby("kind").size()
        text.append(
            "By kind: "
            + ", ".join(
                f"{_kind_labels().get(str(k), str(k)).lower()} {n}" for k, n in counts.items()
            )
            + "."
        )
    return " ".join(text)


def plural(n: int, one: str, many: str | None = None) -> str:
    """``1 excerpt``, ``2 excerpts``: counts stated the way a reader says them.

    >>> plural(1, "excerpt"), plural(3, "country", "countries")
    ('1 excerpt', '3 countries')
    """
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def filter_phrase(ds: Dataset, selection: Selection, today: dt.date, *, dates: bool = True) -> str:
    """The active filters in words ("Georgia, peacekeeping, 2008–2014"); empty when none.

    Titles, tiles and summaries use it so a filtered view always names its filter.
    """
    parts = []
    if selection.countries:
        parts.append(_names(ds, list(selection.countries)))
    if selection.kinds:
        parts.append(" or ".join(_kind_labels().get(k, k).lower() for k in selection.kinds))
    if selection.intervention:
        titles = dict(
            zip(ds.interventions["intervention_id"], ds.interventions["title"], strict=True)
        )
        parts.append(str(titles.get(selection.intervention, selection.intervention)))
    if dates and (selection.date_from or selection.date_to):
        start, end = selection.range_or(today)
        parts.append(f"{start:%-d %b %Y} – {end:%-d %b %Y}")
    return ", ".join(parts)


def excerpt_summary(count: int, query: str, scope: str = "", substitution: str = "") -> str:
    """``2 excerpts match “Putin Kazakhstan” (matched Almaty for Alma-Ata) within Georgia.``"""
    within = f" within {scope}" if scope else ""
    if query:
        verb = "matches" if count == 1 else "match"
        if count == 0:
            return f"No excerpt matches “{query}”{within}."
        note = f" ({substitution})" if substitution else ""
        return f"{plural(count, 'excerpt')} {verb} “{query}”{note}{within}."
    return f"{plural(count, 'excerpt')}{within}."


MAP_HEADLINE = "Russian military presence"
TIMELINE_HEADLINE = "Russian military interventions"


def place_label(ds: Dataset, selection: Selection) -> str:
    """The countries a view is filtered to, by name ("Georgia"); empty for all 15 states."""
    return _names(ds, list(selection.countries)) if selection.countries else ""


def range_label(selection: Selection, month: str = "%b") -> str:
    """The chosen date range in words, for titles and summaries; empty when none is chosen.

    ``month`` is the month's format: ``%b`` (Aug) for titles, ``%B`` (August) in sentences.

    >>> import datetime as dt
    >>> range_label(Selection(date_from=dt.date(2008, 8, 1), date_to=dt.date(2008, 8, 31)))
    '1–31 Aug 2008'
    >>> range_label(Selection(date_from=dt.date(2008, 8, 1), date_to=dt.date(2009, 3, 31)))
    '1 Aug 2008 – 31 Mar 2009'
    >>> range_label(Selection(date_from=dt.date(2014, 2, 20)), "%B")
    'since 20 February 2014'
    """
    start, end = selection.date_from, selection.date_to
    if start is None and end is None:
        return ""
    full = f"%-d {month} %Y"
    if start is None:
        assert end is not None
        return f"until {end.strftime(full)}"
    if end is None:
        return f"since {start.strftime(full)}"
    if start == end:
        return start.strftime(full)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start:%-d}–{end.strftime(full)}"
    if start.year == end.year:
        return f"{start.strftime(f'%-d {month}')} – {end.strftime(full)}"
    return f"{start.strftime(full)} – {end.strftime(full)}"


def timeline_title(ds: Dataset, selection: Selection, headline: str) -> str:
    """``Georgia: Russian military interventions, 1–31 Aug 2008``: the place and the range."""
    title = titled(ds, selection, headline)
    when = range_label(selection)
    return f"{title}, {when}" if when else title


def titled(ds: Dataset, selection: Selection, headline: str) -> str:
    """``Georgia: Russian military presence``; the headline alone when nothing is filtered.

    Chart titles and the embed code's iframe ``title`` both use it, so a reader (or a screen
    reader) always knows which view a chart shows.
    """
    place = place_label(ds, selection)
    return f"{place}: {headline}" if place else headline


def map_headline(ds: Dataset, selection: Selection) -> str:
    """The map's title before its date: short enough for one line on a phone."""
    place = place_label(ds, selection)
    return f"Russian forces in {place}" if place else MAP_HEADLINE


def view_title(ds: Dataset, selection: Selection, page: str) -> str:
    """The name of an app page's view, for an iframe's ``title`` (no date: it changes)."""
    if page == "timeline":
        if selection.intervention:
            titles = dict(
                zip(ds.interventions["intervention_id"], ds.interventions["title"], strict=True)
            )
            if selection.intervention in titles:
                return str(titles[selection.intervention])
        if selection.date_from or selection.date_to:
            return timeline_title(ds, selection, TIMELINE_HEADLINE)
        return titled(ds, selection, TIMELINE_HEADLINE + " since 1991")
    return titled(ds, selection, MAP_HEADLINE)
