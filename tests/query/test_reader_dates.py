"""One date, true on every layer: the map's steps, Crimea's overlay, date ticks, view titles."""

from __future__ import annotations

import datetime as dt
import json

import plotly.io as pio
import pytest

from dashlib.data.dataset import Dataset, load
from dashlib.figures import build_map_animation, build_map_figure
from dashlib.figures.map_animation import frame_state
from dashlib.figures.timeline import DATE_TICK_FORMATS
from dashlib.query.selection import Selection
from dashlib.query.summaries import map_summary, view_title
from dashlib.query.timesteps import map_steps, merge_steps, next_step, step_at

from conftest import FIXTURES, REPO

TODAY = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def shipped() -> Dataset:
    return load(REPO / "data")


def test_steps_are_every_new_year_plus_every_change() -> None:
    steps = merge_steps([dt.date(2008, 8, 8), dt.date(1980, 1, 1)], dt.date(2007, 1, 1), TODAY)
    assert steps[0] == dt.date(2007, 1, 1) and steps[-1] == TODAY
    assert dt.date(2008, 8, 8) in steps and dt.date(1980, 1, 1) not in steps
    assert all(dt.date(y, 1, 1) in steps for y in range(2007, TODAY.year + 1))
    assert steps == sorted(set(steps))


def test_step_lookup() -> None:
    steps = [dt.date(2000, 1, 1), dt.date(2000, 6, 1), dt.date(2001, 1, 1)]
    assert step_at(steps, dt.date(2000, 7, 1)) == dt.date(2000, 6, 1)
    assert step_at(steps, dt.date(1999, 1, 1)) == dt.date(2000, 1, 1)
    assert next_step(steps, dt.date(2000, 6, 1)) == dt.date(2001, 1, 1)
    assert next_step(steps, dt.date(2001, 1, 1)) is None


def test_short_operations_have_a_step_of_their_own(shipped: Dataset) -> None:
    """Year-end frames skipped the five-day 2008 war and the two-week CSTO deployment."""
    steps = map_steps(shipped, TODAY)
    for intervention in ("georgia-2008", "kazakhstan-csto-2022"):
        row = shipped.interventions[shipped.interventions["intervention_id"] == intervention]
        start, end = row["start"].iloc[0].date(), row["end"].iloc[0].date()
        assert any(start <= step <= end for step in steps), intervention


def _crimea(fig_json: dict) -> dict:  # type: ignore[type-arg]
    return next(t for t in fig_json["data"] if str(t.get("name", "")).startswith("Crimea"))


@pytest.mark.parametrize("day,shown", [(dt.date(2008, 8, 7), False), (dt.date(2014, 2, 27), True)])
def test_crimea_is_drawn_only_from_its_occupation(
    shipped: Dataset, day: dt.date, shown: bool
) -> None:
    fig = build_map_figure(shipped, Selection(as_of=day), TODAY)
    crimea = _crimea(json.loads(pio.to_json(fig, validate=False)))
    # Drawn = the overlay has its one location (before 27 Feb 2014 the layer is empty).
    assert (crimea.get("visible", True) is not False and bool(crimea.get("locations"))) is shown
    assert ("Crimea" in map_summary(shipped, Selection(as_of=day), TODAY)) is shown


def test_animation_frames_toggle_crimea_too(shipped: Dataset) -> None:
    fig = json.loads(pio.to_json(build_map_animation(shipped, Selection(), TODAY), validate=False))
    crimea_index = next(
        i for i, t in enumerate(fig["data"]) if str(t.get("name", "")).startswith("Crimea")
    )
    for frame in fig["frames"]:
        day = dt.date.fromisoformat(frame["name"])
        # What the frame leaves on the chart (frames carry only what changed since the last)
        state = frame_state(fig["frames"], frame["name"])
        drawn = bool(state[crimea_index].get("locations"))
        assert drawn == (day >= dt.date(2014, 2, 27)), day


def _months(dtick: str | float | None) -> float | None:
    """A plotly date dtick ("M<n>" months, or milliseconds) in months; None: open end."""
    if dtick is None:
        return None
    if isinstance(dtick, str):
        return float(dtick[1:])
    return float(dtick) / (30.44 * 86_400_000)


def _format_for(dtick: str | float) -> str:
    """The label format plotly.js picks for ``dtick``: the first stop whose range holds it,
    both ends included (plotly.js ``getTickFormat``)."""
    for stop in DATE_TICK_FORMATS:
        lo, hi = (_months(x) for x in stop["dtickrange"])
        if (lo is None or lo <= _months(dtick)) and (hi is None or _months(dtick) <= hi):
            return str(stop["value"])
    raise AssertionError(f"no format for {dtick}")


DAY_MS = 86_400_000


# plotly.js's automatic date steps (axes.js autoTicks): days, weeks, months, years.
@pytest.mark.parametrize(
    "dtick",
    [DAY_MS, 2 * DAY_MS, 7 * DAY_MS, 14 * DAY_MS, "M1", "M2", "M3", "M6", "M12", "M24", "M60",
     "M120"],
)  # fmt: skip
def test_a_date_label_is_as_fine_as_its_step(dtick: str | float) -> None:
    """Labels one step apart never read the same: days are labelled by day, months by month
    (a fixed "%Y" on monthly ticks read "2008" seven times), years by year."""
    fmt = _format_for(dtick)
    months = _months(dtick)
    assert months is not None
    assert ("%d" in fmt or "%-d" in fmt) == (months < 1), fmt
    assert "%b" in fmt or months >= 12, fmt
    assert "%Y" in fmt  # a label always says the year


def test_view_titles_name_the_filter() -> None:
    ds = load(FIXTURES / "valid")
    names = dict(zip(ds.countries["iso3"], ds.countries["name"], strict=True))
    assert view_title(ds, Selection(), "map") == "Russian military presence"
    assert view_title(ds, Selection(countries=("UKR",)), "map") == (
        f"{names['UKR']}: Russian military presence"
    )
    assert view_title(ds, Selection(countries=("UKR",)), "timeline").startswith(names["UKR"])


@pytest.mark.parametrize(
    "day,status",
    [
        (dt.date(2008, 8, 7), "presence"),  # the eve of the war: peacekeepers, no more
        (dt.date(2008, 8, 10), "war"),
        (dt.date(2008, 8, 20), "presence"),  # after the ceasefire, before the resolution
        (dt.date(2008, 8, 28), "war"),  # "war" shades war and occupation alike
    ],
)
def test_georgia_on_the_days_around_the_2008_war(
    shipped: Dataset, day: dt.date, status: str
) -> None:
    """The 2008 occupation rows once read "2008-08" as 1 Aug: the map shaded Georgia
    occupied on 7 Aug, before the war. Each day now shows only what held that day."""
    from dashlib.query.filters import country_status

    table = country_status(shipped, day).set_index("iso3")
    assert table.loc["GEO", "status"] == status, table.loc["GEO"].to_dict()
    occupied = "Russian military presence in Abkhazia since 2008" in table.loc["GEO", "operations"]
    assert occupied is (day >= dt.date(2008, 8, 28))
