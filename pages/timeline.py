"""Timeline: one lane per country, interventions as bars, events as points."""

import streamlit as st

from dashlib.query.summaries import view_title
from dashlib.query.tables import events_table, interventions_table, timeline_table
from dashlib.ui import charts
from dashlib.ui.components import (
    show_chart,
    show_embed_header,
    show_footer,
    show_table,
    show_viewport_probe,
    text_width,
)
from dashlib.ui.data import get_acled
from dashlib.ui.embed_panel import embed_height_script, show_embed_panel
from dashlib.ui.page import start_page

ctx = start_page(chart=True)
# Its text is wrapped for the narrowest the chart can be in this window (a phone's if unknown).
fig = charts.timeline(ctx.ds, ctx.sel, ctx.today, acled=get_acled(), text_width=text_width())
if ctx.embedded:
    show_chart(fig, "timeline_embed")
    show_embed_header(fig, ctx.ds)
    embed_height_script()
    st.stop()

st.title("Timeline of interventions")
st.caption(
    "Drag on the chart to zoom into a period; double-click to zoom out. The date range "
    "in the sidebar sets the period shown."
)
show_chart(
    fig,
    "timeline_chart",
    table=interventions_table(ctx.ds, ctx.sel, ctx.today),
    table_label="Interventions",
)
show_viewport_probe()  # redraws the chart when a narrower window cuts its title
show_embed_panel(
    # The files are read at any width: their text is wrapped for a phone.
    lambda: charts.timeline(ctx.ds, ctx.sel, ctx.today, acled=get_acled()),
    title=view_title(ctx.ds, ctx.sel, "timeline"),
    page="timeline",
    name="timeline",
    selection=ctx.sel,
    table=lambda: timeline_table(ctx.ds, ctx.sel, ctx.today),  # built on click
    key="timeline_dl",
)
show_table(events_table(ctx.ds, ctx.sel, ctx.today), "Events table")
show_footer(ctx.ds)
