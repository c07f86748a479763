"""The map's date controls: Play/Pause, a slider over the map's steps, a typed date.

One state drives everything: the selection's ``date`` (the sidebar's "Map as of", kept in the
URL). The slider and Play only request a new date (``request_date``) and rerun the app, so
the URL, the sidebar, the chart's title and its "In words" text follow every step, and a
link copied mid-animation shows what the reader saw. Play steps through
:func:`dashlib.query.timesteps.map_steps` (every 1 January and every date something on the
map changes), so a five-day war is on screen for one step.

Every control is a native Streamlit widget: reachable with Tab and operable by keyboard
(Enter/Space on Play, arrow keys on the slider, typing in the date field).
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
_SLIDER = "map_date_step"
_TYPED = "map_date_typed"
_STEPPED_AT = "map_stepped_at"
STEP_SECONDS = 1.2  # one step of Play: time to read the title and see the map change


def _format(day: dt.date) -> str:
    return f"{day:%-d %b %Y}"


def _toggle(steps: list[dt.date], day: dt.date) -> None:
    playing = not st.session_state.get(PLAYING, False)
    st.session_state[PLAYING] = playing
    st.session_state[_STEPPED_AT] = time.monotonic()  # the first step comes one step later
    if playing and next_step(steps, day) is None:  # at the end: play from the start
        request_date(steps[0])


def _slid() -> None:
    st.session_state[PLAYING] = False
    request_date(st.session_state[_SLIDER])


def _typed() -> None:
    value = st.session_state.get(_TYPED)
    if isinstance(value, dt.date):
        st.session_state[PLAYING] = False
        request_date(value)


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
    play, slider, typed = st.columns([1.3, 5, 1.7], vertical_alignment="bottom")
    play.button(
        "Pause" if playing else "Play",
        icon=":material/pause:" if playing else ":material/play_arrow:",
        key="map_play",
        on_click=_toggle,
        args=(steps, day),
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
