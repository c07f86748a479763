"""What every page does first: load the data, read the selection, show notes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from dashlib.data.dataset import Dataset
from dashlib.query.selection import Selection
from dashlib.ui.components import is_phone, preload_plotly, show_data_problems, show_pending
from dashlib.ui.data import Loaded, get_dataset
from dashlib.ui.selection import (
    current_selection,
    defer_sidebar,
    draw_sidebar,
    is_embedded,
    show_notes,
    today,
)


@dataclass(frozen=True)
class PageContext:
    ds: Dataset
    sel: Selection
    loaded: Loaded
    embedded: bool
    today: dt.date


def ensure_router() -> None:
    """Make sure this page runs through app.py's st.navigation, never on its own.

    Because a pages/ folder exists, Streamlit runs a server's sessions in its old
    "pages folder" mode until app.py has called st.navigation once: a deep link such as
    /about would then run pages/about.py alone, listing the files as a menu and skipping
    app.py (and its rule that the editor page only exists with a password). Switch that mode
    off and run app.py instead, so the same URL goes through the router.
    """
    import runpy

    from streamlit.runtime.pages_manager import PagesManager

    from dashlib import paths

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        # Run the router in this same run (a rerun would lose a button click), then stop.
        runpy.run_path(str(paths.app_file()))
        st.stop()


SESSION_RAN = "dashlib_session_ran"  # set by app.py at the end of a visit's first run


def start_page(*, chart: bool = False) -> PageContext:
    """Load the data and the reader's selection; a page with a ``chart`` first starts loading
    the browser's plotly code (see :func:`preload_plotly`)."""
    ensure_router()
    if chart:
        preload_plotly()
    loaded = get_dataset()
    if show_data_problems(loaded):
        st.stop()
    assert loaded.dataset is not None
    ds = loaded.dataset
    sel = current_selection(ds)
    embedded = is_embedded()
    if not embedded and not st.session_state.get(SESSION_RAN):
        # A visit's first run draws the filters before the page, its reruns after it (app.py).
        # On a phone-class CPU, filters sent after the chart held it back by about 2 s
        # (bench/throttled.py); on a rerun they are already there, and a changed chart is
        # sent before them. A phone (its sidebar closed) gets them once its chart is drawn.
        later = chart and is_phone()
        defer_sidebar(later)
        if not later:
            draw_sidebar()
    show_notes()
    if not embedded:
        show_pending(loaded)
    return PageContext(ds, sel, loaded, embedded, today())
