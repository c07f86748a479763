"""The map's date controls: Play/Pause, a slider over the map's steps, a typed date.

One state drives everything: the selection's ``date`` (the sidebar's "Map as of", kept in the
URL). The slider and Play only request a new date (``request_date``) and rerun the app, so
the URL, the sidebar, the chart's title and its "In words" text follow every step, and a
link copied mid-animation shows what the reader saw. Play steps through
:func:`dashlib.query.timesteps.map_steps` (every 1 January and every date something on the
map changes), so a five-day war is on screen for one step.

Every control is a native Streamlit widget: reachable with Tab and operable by keyboard
(Enter/Space on Play, arrow keys on the slider, typing in the date field).

Pause must win every race with Play's steps. A click sends the browser's values of every
widget, and during Play the slider and the date field in the browser may still show a step
the server has already moved past: Streamlit then reports them as changed. So the button
says what it wants (play or pause, never "toggle"), a slider or date change that comes with
a click of the button is not the reader's, and while playing a value the server itself put
on the slider a moment ago is a stale echo, not a request.
"""

from __future__ import annotations

import datetime as dt
import time

import streamlit as st

from dashlib.data.dataset import Dataset
from dashlib.query.selection import FIRST_DATE, Selection
from dashlib.query.timesteps import map_steps, next_step, step_at
from dashlib.ui.selection import request_date

PLAYING = "map_playing"
_BUTTON = "map_play"
_SLIDER = "map_date_step"
_TYPED = "map_date_typed"
_STEPPED_AT = "map_stepped_at"
_SHOWN = "map_dates_shown"  # the last dates this server put on the slider and date field
_SHOWN_KEPT = 8
STEP_SECONDS = 1.2  # one step of Play: time to read the title and see the map change


def _format(day: dt.date) -> str:
    return f"{day:%-d %b %Y}"


def _press(steps: list[dt.date], day: dt.date, play: bool) -> None:
    """The Play/Pause button: ``play`` is what its label offered (Pause means stop, always)."""
    st.session_state[PLAYING] = play
    st.session_state[_STEPPED_AT] = time.monotonic()  # the first step comes one step later
    if play and next_step(steps, day) is None:  # at the end: play from the start
        request_date(steps[0])


def _readers_choice(value: object) -> bool:
    """Whether a changed slider or date field is the reader's own choice.

    Not when the same run carries a press of Play/Pause (the browser sent the other widgets'
    values with the click, and during Play they may lag behind), nor, while playing, when the
    value is one this server showed a moment ago (the browser echoing an earlier step).
    """
    if st.session_state.get(_BUTTON):
        return False
    return not (st.session_state.get(PLAYING) and value in st.session_state.get(_SHOWN, []))


def _slid() -> None:
    value = st.session_state.get(_SLIDER)
    if isinstance(value, dt.date) and _readers_choice(value):
        st.session_state[PLAYING] = False
        request_date(value)


def _typed() -> None:
    value = st.session_state.get(_TYPED)
    if isinstance(value, dt.date) and _readers_choice(value):
        st.session_state[PLAYING] = False
        request_date(value)


def _remember_shown(day: dt.date) -> None:
    shown = [d for d in st.session_state.get(_SHOWN, []) if d != day]
    st.session_state[_SHOWN] = [*shown, day][-_SHOWN_KEPT:]


@st.fragment(run_every=STEP_SECONDS)
def _ticker(steps: list[dt.date], day: dt.date) -> None:
    """While playing: the next step, as a full rerun (URL, sidebar, title, words follow).

    A fragment also runs inside every full run of the page: only a run at least most of a
    step after the last step advances, or each full run would start the next at once.
    """
    if not st.session_state.get(PLAYING):
        return
    now = time.monotonic()
    if now - float(st.session_state.get(_STEPPED_AT, 0.0)) < STEP_SECONDS * 0.8:
        return
    st.session_state[_STEPPED_AT] = now
    following = next_step(steps, day)
    if following is None:
        st.session_state[PLAYING] = False
    else:
        request_date(following)
    st.rerun(scope="app")


def show_date_bar(ds: Dataset, sel: Selection, now: dt.date) -> None:
    """Play/Pause, the step slider and the typed date, above the map."""
    day = sel.as_of_or(now)
    steps = sorted({*map_steps(ds, now), day})  # a typed date is a stop too
    playing = bool(st.session_state.get(PLAYING, False))
    # The widgets show the selection's date on every run (set before they are drawn).
    st.session_state[_SLIDER] = step_at(steps, day)
    st.session_state[_TYPED] = day
    _remember_shown(day)
    # In a keyed box: the app's CSS lets the three wrap where the page is too narrow for them
    # side by side (Play had shrunk to "P." and the date field to its year at 440 px).
    with st.container(key="date_bar"):
        play, slider, typed = st.columns([1.3, 5, 1.7], vertical_alignment="bottom")
    play.button(
        "Pause" if playing else "Play",
        icon=":material/pause:" if playing else ":material/play_arrow:",
        key=_BUTTON,
        on_click=_press,
        args=(steps, day, not playing),
        help="Step through the map from 1991 to today, one change at a time",
        width="stretch",
    )
    slider.select_slider(
        "Date shown on the map",
        options=steps,
        format_func=_format,
        key=_SLIDER,
        on_change=_slid,
        help="Every 1 January and every date when something on the map starts or ends",
    )
    typed.date_input(
        "Or type a date",
        min_value=FIRST_DATE,
        max_value=now,
        key=_TYPED,
        on_change=_typed,
        format="YYYY-MM-DD",
    )
    if playing:
        _ticker(steps, day)
