"""The animated map: every date-dependent layer changes in every frame, found by uid; the
frames step like the app's Play, so short operations show; each frame carries only what
changed, and merged along its baseframe chain it is that day's map."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.io as pio
import plotly.utils
import pytest

from dashlib.data.dataset import Dataset, load
from dashlib.figures.map import MapContext, build_map_figure, day_layers
from dashlib.figures.map_animation import (
    animation_days,
    build_map_animation,
    frame_index,
    frame_state,
    undated,
)
from dashlib.query.selection import Selection
from dashlib.query.timesteps import map_steps

TODAY = dt.date(2026, 6, 1)
DYNAMIC = {"status-war", "status-presence", "status-none", "status-russia", "crimea",
           "territories", "labels-territories", "labels-sites"}  # fmt: skip


@pytest.fixture
def ds(data_dir: Path) -> Dataset:
    return load(data_dir)


def _frames(fig: Any) -> dict[str, dict[str, Any]]:
    """Per frame name: what the chart shows once plotly has applied that frame (the frame
    merged along its baseframe chain), by the uid of each trace."""
    uid_of = {i: uid for uid, i in frame_index(fig).items()}
    spec = json.loads(pio.to_json(fig, validate=False))
    return {
        f["name"]: {uid_of[i]: d for i, d in frame_state(spec["frames"], f["name"]).items()}
        for f in spec["frames"]
    }


def _drawn(data: dict[str, Any]) -> int:
    return sum(v is not None for v in data.get("lon", []))


def test_every_dated_layer_is_in_every_frame(ds: Dataset) -> None:
    fig = build_map_animation(ds, Selection(), TODAY)
    frames = _frames(fig)
    for name, layers in frames.items():
        assert DYNAMIC <= set(layers), name
        assert {u for u in layers if u.startswith("sites-")}, name


def test_1991_frame_draws_nothing_dated_after_1991(ds: Dataset) -> None:
    days = [dt.date(1991, 12, 31), TODAY]
    frames = _frames(build_map_animation(ds, Selection(), TODAY, frame_dates=days))
    first = frames["1991-12-31"]
    assert first["crimea"]["locations"] == []  # occupied only from 2014
    sites = ds.deployments
    later = set(sites.loc[sites["start"] > "1991-12-31", "site_id"])
    early = set(sites.loc[sites["start"] <= "1991-12-31", "site_id"])
    fig = build_map_animation(ds, Selection(), TODAY, frame_dates=days)
    ids = {t.uid: list(t.customdata) for t in fig.data if str(t.uid).startswith("sites-")}
    drawn = {
        site
        for uid, data in first.items()
        if uid.startswith("sites-")
        for site, lon in zip(ids[uid], data["lon"], strict=True)
        if lon is not None
    }
    assert drawn and drawn <= early and not drawn & later
    terr = ds.territories
    after = terr[terr["start"] > "1991-12-31"]
    named = " ".join(first["labels-territories"]["text"])
    assert all(str(n) not in named for n in after["name"])
    assert _drawn(first["territories"]) == int((terr["start"] <= "1991-12-31").sum()) - int(
        "crimea" in set(terr.loc[terr["start"] <= "1991-12-31", "territory_id"])
    )


def test_a_frame_after_the_occupation_shows_crimea_occupied(ds: Dataset) -> None:
    days = [dt.date(2013, 12, 31), dt.date(2014, 3, 31), TODAY]
    frames = _frames(build_map_animation(ds, Selection(), TODAY, frame_dates=days))
    assert frames["2013-12-31"]["crimea"]["locations"] == []
    assert frames["2014-03-31"]["crimea"]["locations"] == ["crimea"]
    assert "Crimea" not in " ".join(frames["2013-12-31"]["labels-territories"]["text"])


def test_static_map_of_a_day_is_that_frame(ds: Dataset) -> None:
    day = dt.date(2014, 3, 31)
    static = build_map_figure(ds, Selection(as_of=day), TODAY)
    frame = _frames(build_map_animation(ds, Selection(), TODAY, frame_dates=[day]))[str(day)]
    by_uid = {t.uid: t for t in static.data}
    for uid, data in frame.items():
        assert list(by_uid[uid]["lon"] if "lon" in data else by_uid[uid]["locations"]) == (
            data["lon"] if "lon" in data else data["locations"]
        ), uid


@pytest.mark.parametrize(
    "days",
    [
        None,
        [dt.date(2014, 2, 27), dt.date(2014, 3, 18), dt.date(2022, 2, 24)],
    ],
)
def test_frame_dates_match_the_slider(ds: Dataset, days: list[dt.date] | None) -> None:
    spec = json.loads(pio.to_json(build_map_animation(ds, Selection(), TODAY, frame_dates=days)))
    expected = days or map_steps(ds, TODAY)  # the app's Play steps (TODAY is the last)
    names = [f["name"] for f in spec["frames"]]
    assert names == [d.isoformat() for d in expected]
    steps = spec["layout"]["sliders"][0]["steps"]
    assert [s["args"][0][0] for s in steps] == names
    for step, day in zip(steps, expected, strict=True):
        assert step["label"] == f"{day:%-d %b %Y}"
        assert date_of(step["label"]) == day
    for frame, day in zip(spec["frames"], expected, strict=True):
        assert f"{day:%-d %b %Y}" in frame["layout"]["title"]["text"]


def test_frames_find_their_traces_by_uid_whatever_the_order(ds: Dataset) -> None:
    """A country filter adds traces (the outline, the locator inset): the frames follow."""
    for sel in (Selection(), Selection(countries=("GEO",))):
        fig = build_map_animation(ds, sel, TODAY)
        index = frame_index(fig)
        spec = json.loads(pio.to_json(fig, validate=False))
        for frame in spec["frames"]:
            for data, i in zip(frame["data"], frame["traces"], strict=True):
                assert data["type"] == spec["data"][i]["type"]
            state = frame_state(spec["frames"], frame["name"])
            assert set(state[index["crimea"]]["locations"]) <= {"crimea"}
        assert fig.data[index["crimea"]].featureidkey == "properties.territory_id"


def test_the_acled_layer_changes_with_the_frames(tmp_path: Path) -> None:
    import shutil

    from dashlib.layers.acled.importer import import_export
    from dashlib.layers.acled.store import load_acled

    from conftest import FIXTURES, REPO

    folder = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid", folder)
    shutil.copytree(
        REPO / "data" / "acled", folder / "acled", ignore=shutil.ignore_patterns("*.csv")
    )
    import_export(FIXTURES / "acled" / "export.csv", folder)
    ds, acled = load(folder), load_acled(folder)
    assert acled is not None and len(acled)
    dates = pd.to_datetime(acled["event_date"])
    days = [dates.min().date() - dt.timedelta(days=1), dates.max().date()]
    fig = build_map_animation(
        ds, Selection(layers=("acled",)), TODAY, acled=acled, frame_dates=days
    )
    frames = _frames(fig)
    before, after = (frames[d.isoformat()]["acled"] for d in days)
    assert _drawn(before) == 0 < _drawn(after)  # the 12 months up to each frame's date
    assert before["name"] != after["name"]  # the legend names each frame's period


def date_of(label: str) -> dt.date:
    return dt.datetime.strptime(label, "%d %b %Y").date()


def test_frames_default_to_the_apps_play_steps(ds: Dataset) -> None:
    """The app's Play steps, plus the day the map opens on when it is not one of them."""
    assert animation_days(ds, TODAY) == map_steps(ds, TODAY)
    odd = dt.date(2003, 5, 17)
    assert odd not in map_steps(ds, TODAY)
    fig = build_map_animation(ds, Selection(as_of=odd), TODAY)
    spec = json.loads(pio.to_json(fig, validate=False))
    assert [f["name"] for f in spec["frames"]] == [
        d.isoformat() for d in sorted({*map_steps(ds, TODAY), odd})
    ]
    active = spec["layout"]["sliders"][0]["active"]
    assert spec["layout"]["sliders"][0]["steps"][active]["name"] == odd.isoformat()


def test_each_frame_carries_only_what_changed_and_merges_to_that_day(ds: Dataset) -> None:
    fig = build_map_animation(ds, Selection(), TODAY)
    spec = json.loads(pio.to_json(fig, validate=False))
    frames = spec["frames"]
    uid_of = {i: uid for uid, i in frame_index(fig).items()}
    ctx = MapContext.of(ds, Selection(), TODAY, height=760, extra_top=92)
    assert "baseframe" not in frames[0]
    for before, frame in zip(frames, frames[1:], strict=False):
        assert frame["baseframe"] == before["name"]
        previous = frame_state(frames, before["name"])
        for data, i in zip(frame["data"], frame["traces"], strict=True):
            assert previous.get(i) != data, (frame["name"], uid_of[i])  # nothing resent
    # Merged along the chain, every frame is that day's map, layer by layer.
    for frame in frames:
        day = dt.date.fromisoformat(frame["name"])
        state = {uid_of[i]: d for i, d in frame_state(frames, frame["name"]).items()}
        layers = day_layers(ctx, day)
        assert set(state) == {uid for uid in layers if uid in frame_index(fig)}
        for uid, data in state.items():
            for key in ("locations", "lon", "lat", "z", "customdata"):
                if key in data:
                    assert data[key] == _plain(layers[uid][key]), (day, uid, key)
            if uid.startswith("status-"):
                assert data["text"] == undated(layers[uid]["text"], day)
    assert sum(len(f["data"]) for f in frames) < len(frames) * len(DYNAMIC) / 2


def _plain(values: Any) -> Any:
    """Values as they reach the page's JSON (numpy numbers, NaN as null)."""
    return json.loads(json.dumps(list(values), cls=plotly.utils.PlotlyJSONEncoder))


def test_status_hover_leaves_the_date_to_the_heading(ds: Dataset) -> None:
    """A state's hover in the animation names its status, not the day (the heading does)."""
    day = dt.date(2014, 3, 31)
    fig = build_map_animation(ds, Selection(as_of=day), TODAY, frame_dates=[day, TODAY])
    hovers = [h for t in fig.data if str(t.uid).startswith("status-") for h in t.text]
    assert hovers and not [h for h in hovers if "2014" in h or "Mar" in h]
    assert f"{day:%-d %b %Y}" in fig.layout.title.text
