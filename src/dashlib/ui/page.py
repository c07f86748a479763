"""What every page does first: load the data, read the selection, show notes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from dashlib.dataset import Dataset
from dashlib.selection import Selection
from dashlib.ui.components import show_data_problems, show_pending
from dashlib.ui.data import Loaded, get_dataset
from dashlib.ui.selection import current_selection, is_embedded, show_notes, today


@dataclass(frozen=True)
class PageContext:
    ds: Dataset
    sel: Selection
    loaded: Loaded
    embedded: bool
    today: dt.date


def start_page() -> PageContext:
    loaded = get_dataset()
    if show_data_problems(loaded):
        st.stop()
    assert loaded.dataset is not None
    ds = loaded.dataset
    sel = current_selection(ds)
    embedded = is_embedded()
    show_notes()
    if not embedded:
        show_pending(loaded)
    return PageContext(ds, sel, loaded, embedded, today())
