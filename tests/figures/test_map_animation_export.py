"""The exported animated map (``python -m dashlib export`` → map-animated.html) on the shipped
data: it steps like the app's Play, so the five-day August 2008 war and the two-week January
2022 CSTO deployment are each on screen in a frame; every frame's label is its date; each
frame, merged as plotly.js merges it, is the map of that day; and plotly.js itself (in
Chromium, offline) shows that day's map after a jump to any frame, backwards too.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import plotly
import plotly.io as pio
import pytest

from dashlib.data.dataset import Dataset, load
from dashlib.figures.map import build_map_figure
from dashlib.figures.map_animation import frame_index, frame_state
from dashlib.publish.catalogue import build_figure, chart_list
from dashlib.publish.pages import standalone_html
from dashlib.query import filters
from dashlib.query.selection import Selection
from dashlib.query.timesteps import map_steps
from tools.browser import CHROMIUM, CHROMIUM_ARGS, REPO

from conftest import missing_tool

TODAY = dt.date(2026, 11, 27)
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


@pytest.fixture(scope="module")
def shipped() -> Dataset:
    return load(REPO / "data")


@pytest.fixture(scope="module")
def animated(shipped: Dataset) -> Any:
    """The export's animated map, built as the export builds it."""
    (chart,) = [c for c in chart_list(shipped, Selection()) if c.kind == "map-animated"]
    return build_figure(shipped, chart, TODAY)


@pytest.fixture(scope="module")
def spec(animated: Any) -> dict[str, Any]:
    return dict(json.loads(pio.to_json(animated, validate=False)))


def _days(spec: dict[str, Any], first: dt.date, last: dt.date) -> list[dt.date]:
    days = [dt.date.fromisoformat(f["name"]) for f in spec["frames"]]
    return [d for d in days if first <= d <= last]


def _state(animated: Any, spec: dict[str, Any], day: dt.date) -> dict[str, dict[str, Any]]:
    uid_of = {i: uid for uid, i in frame_index(animated).items()}
    return {uid_of[i]: d for i, d in frame_state(spec["frames"], day.isoformat()).items()}


def _hover_of(state: dict[str, dict[str, Any]], iso3: str) -> str:
    for uid, data in state.items():
        if uid.startswith("status-") and iso3 in data["locations"]:
            return str(data["text"][data["locations"].index(iso3)])
    return ""


def _drawn_sites(state: dict[str, dict[str, Any]], animated: Any) -> set[str]:
    ids = {str(t.uid): list(t.customdata) for t in animated.data if str(t.uid).startswith("sites-")}
    return {
        str(site)
        for uid, data in state.items()
        if uid.startswith("sites-")
        for site, lon in zip(ids[uid], data["lon"], strict=True)
        if lon is not None
    }


def _intervention(ds: Dataset, ident: str) -> Any:
    rows = ds.interventions[ds.interventions["intervention_id"] == ident]
    assert len(rows) == 1, ident
    return rows.iloc[0]


def test_the_export_steps_like_the_apps_play(shipped: Dataset, spec: dict[str, Any]) -> None:
    names = [f["name"] for f in spec["frames"]]
    assert names == [d.isoformat() for d in map_steps(shipped, TODAY)]


def test_a_frame_shows_the_august_2008_war(
    shipped: Dataset, animated: Any, spec: dict[str, Any]
) -> None:
    war = _intervention(shipped, "georgia-2008")
    inside = _days(spec, dt.date(2008, 8, 8), dt.date(2008, 8, 12))
    assert inside, "no frame between 8 and 12 August 2008"
    for day in inside:
        state = _state(animated, spec, day)
        assert war["country_iso3"] in state["status-war"]["locations"], day
        assert str(war["title"]) in _hover_of(state, war["country_iso3"]), day
    after = _days(spec, dt.date(2008, 8, 13), dt.date(2008, 12, 31))[0]
    assert str(war["title"]) not in _hover_of(_state(animated, spec, after), war["country_iso3"])


def test_a_frame_shows_the_january_2022_csto_deployment(
    shipped: Dataset, animated: Any, spec: dict[str, Any]
) -> None:
    csto = _intervention(shipped, "kazakhstan-csto-2022")
    deps = shipped.deployments
    sites = set(deps.loc[deps["intervention_id"] == "kazakhstan-csto-2022", "site_id"])
    assert sites
    inside = _days(spec, dt.date(2022, 1, 6), dt.date(2022, 1, 19))
    assert inside, "no frame between 6 and 19 January 2022"
    for day in inside:
        state = _state(animated, spec, day)
        assert sites <= _drawn_sites(state, animated), day
        assert str(csto["title"]) in _hover_of(state, csto["country_iso3"]), day
    for day in (_days(spec, dt.date(2021, 1, 1), dt.date(2022, 1, 5))[-1],
                _days(spec, dt.date(2022, 1, 20), TODAY)[0]):  # fmt: skip
        assert not sites & _drawn_sites(_state(animated, spec, day), animated), day


def test_every_frame_is_labelled_with_its_date(spec: dict[str, Any]) -> None:
    steps = spec["layout"]["sliders"][0]["steps"]
    assert len(steps) == len(spec["frames"])
    for step, frame in zip(steps, spec["frames"], strict=True):
        day = dt.date.fromisoformat(frame["name"])
        assert step["args"][0] == [frame["name"]] and step["name"] == frame["name"]
        assert dt.datetime.strptime(step["label"], "%d %b %Y").date() == day
        heading = re.match(r"<b>(.*?)</b>", frame["layout"]["title"]["text"])
        assert heading and heading.group(1).endswith(f", {day:%-d %b %Y}"), heading


def test_every_frame_draws_the_sites_active_that_day(
    shipped: Dataset, animated: Any, spec: dict[str, Any]
) -> None:
    deps = shipped.deployments
    for frame in spec["frames"]:
        day = dt.date.fromisoformat(frame["name"])
        expected = set(deps.loc[filters.active_on(deps, day), "site_id"])
        assert _drawn_sites(_state(animated, spec, day), animated) == expected, day


@pytest.mark.parametrize("day", ["2008-08-08", "2014-03-18", "2022-01-06", "2022-01-20"])
def test_a_frame_is_the_static_map_of_its_day(
    shipped: Dataset, animated: Any, spec: dict[str, Any], day: str
) -> None:
    static = build_map_figure(shipped, Selection(as_of=dt.date.fromisoformat(day)), TODAY)
    by_uid = {str(t.uid): t for t in static.data}
    state = _state(animated, spec, dt.date.fromisoformat(day))
    for uid, data in state.items():
        if uid.startswith("labels-"):  # which labels fit depends on the map's pixel size
            continue
        if "locations" in data:
            assert list(by_uid[uid]["locations"]) == data["locations"], uid
        if "lon" in data:  # the same markers drawn (overlapping ones are spread apart by
            # pixels, and the animation's map sits lower under its play controls)
            drawn = [v is not None for v in by_uid[uid]["lon"]]
            assert drawn == [v is not None for v in data["lon"]], uid


# ---------------------------------------------------------------- plotly.js in Chromium

READ_STATE = """(uids) => {
  const gd = document.querySelector('.js-plotly-plot');
  const out = {};
  for (const [uid, i] of Object.entries(uids)) {
    const t = gd.data[i];
    out[uid] = {locations: t.locations || null, lon: t.lon || null, text: t.text || null};
  }
  return {title: gd.layout.title.text, data: out};
}"""


@pytest.fixture(scope="module")
def page(animated: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if not CHROMIUM.exists():
        missing_tool(f"{CHROMIUM} not found: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    path = tmp_path_factory.mktemp("anim") / "map-animated.html"
    path.write_text(standalone_html(animated, offline=True), encoding="utf-8")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        outside: list[str] = []
        tab.on("request", lambda r: None if r.url.startswith("file:") else outside.append(r.url))
        tab.goto(path.as_uri())
        tab.wait_for_function(
            "document.querySelector('.js-plotly-plot')?._fullLayout", timeout=60_000
        )
        yield tab
        browser.close()
        assert [u for u in outside if not u.startswith(("data:", "about:"))] == []


@pytest.mark.browser
def test_plotly_shows_that_days_map_after_a_jump_to_any_frame(
    page: Any, animated: Any, spec: dict[str, Any]
) -> None:
    """plotly.js merges each frame along its baseframe chain: jumping forwards and backwards
    (as the slider does) leaves exactly that day's map, as :func:`frame_state` says."""
    uids = {
        uid: i
        for uid, i in frame_index(animated).items()
        if uid.startswith(("status-", "sites-", "crimea"))
    }
    for day in ("2022-01-06", "1995-01-01", "2008-08-08", "2022-01-20", "2014-03-18"):
        page.evaluate(
            "(name) => Plotly.animate(document.querySelector('.js-plotly-plot'), [name],"
            " {mode: 'immediate', frame: {duration: 0, redraw: true}, transition: {duration: 0}})",
            day,
        )
        page.wait_for_function(
            "(d) => document.querySelector('.js-plotly-plot').layout.title.text.includes(d)",
            arg=f"{dt.date.fromisoformat(day):%-d %b %Y}",
            timeout=10_000,
        )
        shown = page.evaluate(READ_STATE, uids)["data"]
        expected = _state(animated, spec, dt.date.fromisoformat(day))
        for uid in uids:
            for key in ("locations", "lon", "text"):
                if key in expected[uid]:
                    assert shown[uid][key] == expected[uid][key], (day, uid, key)
