"""Corrections and updates: every change to the data, newest first."""

import streamlit as st

from dashlib.editing.save import read_changelog
from dashlib.ui.data import data_dir
from dashlib.ui.page import start_page

ctx = start_page()
st.title("Corrections and updates")
st.markdown(
    "Every change made to the data through the editor, newest first: when, which "
    "table and rows, and what changed (old → new)."
)
log = read_changelog(data_dir())
if log.empty:
    st.info("No corrections or updates have been logged yet.")
else:
    st.dataframe(
        log.rename(
            columns={
                "when": "When (UTC)",
                "who": "Editor",
                "table": "Table",
                "row_ids": "Rows",
                "change": "What changed",
            }
        ),
        hide_index=True,
        width="stretch",
    )
