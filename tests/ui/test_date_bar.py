"""dashlib.ui.date_bar: Pause wins over whatever the browser sends with it.

A click sends the browser's value of every widget. During Play the slider in the browser may
still show a step the server has already moved past, and Streamlit reports it as changed in
the same run as the click (the race the acceptance audit hit: Pause kept playing 4 times in
12). These tests send exactly that combination through Streamlit's AppTest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from dashlib.ui.date_bar import PLAYING

from conftest import FIXTURES, REPO


@pytest.fixture(autouse=True)
def fixture_data(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DASHLIB_DATA_DIR", str(FIXTURES / "valid"))
    yield


def map_page(date: str) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/map.py")
    at.query_params["date"] = date
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def playing(at: AppTest) -> bool:
    return bool(at.session_state[PLAYING]) if PLAYING in at.session_state else False


def shown(at: AppTest) -> dt.date:
    value = at.select_slider(key="map_date_step").value
    assert isinstance(value, dt.date)
    return value


def steps(at: AppTest) -> list[dt.date]:
    """The slider's stops (AppTest gives their labels, e.g. '1 Jan 1995')."""
    labels = at.select_slider(key="map_date_step").options
    return [dt.datetime.strptime(label, "%d %b %Y").date() for label in labels]


def start_playing(at: AppTest) -> None:
    at.button(key="map_play").click().run()
    assert playing(at) and at.button(key="map_play").label == "Pause"


def step_forward(at: AppTest) -> None:
    """What one tick of Play does: the next date, drawn by a full run."""
    options = steps(at)
    following = options[options.index(shown(at)) + 1]
    at.session_state["sel_pending_date"] = following
    at.run()
    assert shown(at) == following


def test_pause_with_a_stale_slider_value_stops_play_and_keeps_the_date() -> None:
    at = map_page("1995-01-01")
    start_playing(at)
    before = shown(at)
    step_forward(at)
    now = shown(at)
    assert now > before
    # The browser still shows the previous step when the reader clicks Pause.
    at.select_slider(key="map_date_step").set_value(before)
    at.button(key="map_play").click()
    at.run()
    assert not playing(at), "Pause lost to the slider's stale value"
    assert at.button(key="map_play").label == "Play"
    assert shown(at) == now and at.query_params["date"] == str(now)


def test_a_stale_echo_while_playing_does_not_stop_play() -> None:
    at = map_page("1995-01-01")
    start_playing(at)
    before = shown(at)
    step_forward(at)
    at.select_slider(key="map_date_step").set_value(before).run()  # no click: a tick's run
    assert playing(at)


def test_the_readers_own_slider_choice_while_playing_pauses_there() -> None:
    at = map_page("1995-01-01")
    start_playing(at)
    chosen = steps(at)[-3]  # never shown yet
    at.select_slider(key="map_date_step").set_value(chosen).run()
    assert not playing(at)
    assert shown(at) == chosen and at.query_params["date"] == str(chosen)


def test_play_then_pause_by_the_button() -> None:
    at = map_page("1995-01-01")
    start_playing(at)
    at.button(key="map_play").click().run()
    assert not playing(at) and at.button(key="map_play").label == "Play"
