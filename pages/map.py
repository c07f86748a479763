"""Map: the region on the chosen date, with Play, a date slider and a typed date."""

import pandas as pd
import streamlit as st

from dashlib.figures.map import COMPACT_WIDTH_PX as MAP_COMPACT_WIDTH_PX
from dashlib.figures.map import WIDTH_PX as MAP_WIDTH_PX
from dashlib.query.summaries import view_title
from dashlib.query.tables import country_status_table, sites_count, sites_table
from dashlib.ui import charts
from dashlib.ui.components import (
    COMPACT_BELOW_PX,
    is_phone,
    map_container,
    phone_map_width,
    show_chart,
    show_embed_header,
    show_footer,
    show_table,
    show_viewport_probe,
    text_width,
    wide_map_width,
)
from dashlib.ui.data import get_acled
from dashlib.ui.date_bar import show_date_bar
from dashlib.ui.embed_panel import embed_height_script, show_embed_panel
from dashlib.ui.map_events import handle_map_selection, show_clicked_details
from dashlib.ui.page import start_page

ctx = start_page(chart=True)
phone = is_phone()
# A phone's map is drawn for its screen; a wide screen's for its page where that is narrower
# than the map (a 900 px window with the sidebar open), as a phone's map below 600 px.
width = phone_map_width() if phone else wide_map_width()
compact = phone or (width is not None and width < COMPACT_BELOW_PX)
# A wide screen's map has its text wrapped for the narrowest it can be in this window.
wrap = None if phone else text_width(cap=width or MAP_WIDTH_PX)
fig = charts.map_figure(
    ctx.ds, ctx.sel, ctx.today, acled=get_acled(), compact=compact, width=width, text_width=wrap
)
if ctx.embedded:
    show_chart(fig, "map_embed")
    show_embed_header(fig, ctx.ds)
    embed_height_script()
    st.stop()

st.title("Map of Russian deployments")
st.caption(
    "Tap or click a site for its details, or a country to filter every view by it. Press "
    "Play to step from 1991 to today, drag the slider, or type a date."
)
# The controls sit above the map but are drawn after it: the chart's message reaches the
# browser first, so on a slow phone the map does not wait for the widgets' code.
controls = st.container()


def sites() -> pd.DataFrame:  # built only when a reader opens the table or downloads it
    return sites_table(ctx.ds, ctx.sel, ctx.today)


with map_container(phone, width):
    event = show_chart(
        fig,
        "map_chart",
        select=True,
        table=sites,
        table_label="Sites on the map",
        table_rows=sites_count(ctx.ds, ctx.sel, ctx.today),
        under_chart=lambda chart_event: show_clicked_details(chart_event, ctx.ds),
    )
show_viewport_probe()
with controls:
    show_date_bar(ctx.ds, ctx.sel, ctx.today)
handle_map_selection(event, ctx.ds, ctx.sel)
show_embed_panel(
    # The files are read at any width: their text is wrapped for a phone.
    lambda: charts.map_figure(
        ctx.ds, ctx.sel, ctx.today, acled=get_acled(), compact=compact, width=width
    ),
    title=view_title(ctx.ds, ctx.sel, "map"),
    page="map",
    name="map",
    selection=ctx.sel,
    table=sites,
    key="map_dl",
    fit_width=width or (MAP_COMPACT_WIDTH_PX if compact else MAP_WIDTH_PX),
)
show_table(country_status_table(ctx.ds, ctx.sel.as_of_or(ctx.today)), "Country status table")
show_footer(ctx.ds)
