"""Router: page config, navigation, then the chosen page. Pages live in pages/."""

from pathlib import Path

import streamlit as st

from dashlib.ui.components import show_reader_css
from dashlib.ui.editor import editor_password
from dashlib.ui.page import SESSION_RAN
from dashlib.ui.selection import draw_sidebar, is_embedded

st.set_page_config(
    page_title="Russia's military reach since 1991",
    page_icon=str(Path(__file__).parent / "static" / "favicon.png"),
    layout="wide",
    initial_sidebar_state="collapsed" if is_embedded() else "auto",
)

PAGES = [
    st.Page(
        "pages/overview.py",
        title="Overview",
        icon=":material/home:",
        default=True,
        url_path="overview",
    ),
    st.Page("pages/map.py", title="Map", icon=":material/map:", url_path="map"),
    st.Page("pages/timeline.py", title="Timeline", icon=":material/timeline:", url_path="timeline"),
    st.Page(
        "pages/excerpts.py", title="Excerpts", icon=":material/format_quote:", url_path="excerpts"
    ),
    st.Page("pages/about.py", title="About the data", icon=":material/info:", url_path="about"),
    st.Page(
        "pages/corrections.py",
        title="Corrections and updates",
        icon=":material/history:",
        url_path="corrections",
    ),
]
if editor_password():  # without a configured password the editor page does not exist
    PAGES.append(
        st.Page("pages/editor.py", title="Edit the data", icon=":material/edit:", url_path="editor")
    )
page = st.navigation(PAGES, position="hidden" if is_embedded() else "sidebar")
page.run()
show_reader_css()  # focus rings and target sizes: after the page, so its chart comes first
draw_sidebar()  # on a rerun, after the page: its chart reaches the browser first
st.session_state[SESSION_RAN] = True  # (a visit's first run drew them first: ui/page.py)
