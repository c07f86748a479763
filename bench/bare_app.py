"""The floor: a bare Streamlit page with one small plotly chart and one sidebar filter.

The benchmarks serve it exactly like the dashboard (``streamlit run`` on 127.0.0.1, same
flags) and time it the same way: navigation → chart drawn, and filter change → chart redrawn.
The sidebar multiselect has the dashboard's label and options (the 15 post-Soviet states),
so the same keyboard interaction drives both.
"""

import plotly.graph_objects as go
import streamlit as st

STATES = [
    "Armenia",
    "Azerbaijan",
    "Belarus",
    "Estonia",
    "Georgia",
    "Kazakhstan",
    "Kyrgyzstan",
    "Latvia",
    "Lithuania",
    "Moldova",
    "Russia",
    "Tajikistan",
    "Turkmenistan",
    "Ukraine",
    "Uzbekistan",
]

st.set_page_config(page_title="Bare page", layout="wide")
with st.sidebar:
    chosen = st.multiselect("Countries", options=STATES, placeholder="All 15 states")
shown = chosen or STATES
fig = go.Figure(go.Bar(x=shown, y=[len(name) for name in shown]))
fig.update_layout(title="One small chart", height=400)
st.plotly_chart(fig, width="stretch")
