"""Editor: change the data in the app, validated before anything is written."""

import streamlit as st

from dashlib.ui.editor import (
    editor_password,
    show_pending_problems,
    show_sign_in,
    show_table_editor,
)
from dashlib.ui.page import ensure_router

ensure_router()
st.title("Edit the data")
password = editor_password()
if password is None:  # the router hides this page then; never reachable without a password
    st.stop()
if show_sign_in(password):
    show_pending_problems()
    show_table_editor()
