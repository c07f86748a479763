"""Overview: headline, standfirst, a small map, key figures, the latest events."""

import streamlit as st

from dashlib.query.summaries import filter_phrase, key_figures, place_label, plural
from dashlib.query.tables import events_table
from dashlib.ui import charts
from dashlib.ui.components import (
    is_phone,
    phone_map_width,
    show_chart,
    show_footer,
    wide_map_width,
)
from dashlib.ui.page import start_page
from dashlib.ui.text import md_escape

ctx = start_page(chart=True)
ds = ctx.ds
place = place_label(ds, ctx.sel)
scope = filter_phrase(ds, ctx.sel, ctx.today, dates=False)
# Every number below is computed once, here, and stated the same way wherever it appears.
figures = key_figures(ds, ctx.today, ctx.sel)
st.title("Russia's military reach across the former Soviet Union")
if scope:
    st.markdown(
        md_escape(
            f"Showing {scope}: {plural(figures['interventions'], 'intervention')} since 1991, "
            f"{plural(figures['sites_active'], 'site')} with Russian forces today."
        )
    )
else:
    st.markdown(
        "Since the Soviet Union broke up in 1991, Russian troops have fought, kept the peace, "
        "occupied land or kept bases in "
        f"{figures['countries_with_presence']} of the 14 other states that emerged from it. "
        "This dashboard maps where, shows when, and quotes what reporters wrote — every fact "
        "linked to a published source."
    )

# In a keyed box: the app's CSS lets these two columns wrap (the map above the figures) where
# the page is too narrow for both side by side, e.g. a 900 px window with the sidebar open.
with st.container(key="overview_columns"):
    left, right = st.columns([3, 2], gap="large")
phone = is_phone()
with left:
    # The map first: on a phone it is the first thing under the headline.
    # A column about 450 px wide: the compact labels fit it on every screen.
    # Drawn for the column's width (a phone's, or 460 px at 1280) and kept at it.
    # (Or the page's width, where that is less: a 900 px window with the sidebar open.)
    wide = wide_map_width(cap=charts.OVERVIEW_MAP_PX) or charts.OVERVIEW_MAP_PX
    map_box = st.container(width="stretch" if phone else wide)
    st.page_link(
        "pages/map.py",
        label="Explore the full map",
        icon=":material/map:",
        query_params=ctx.sel.to_params(),
    )
with right:
    where = f" in {place}" if place else ""
    # Short labels (a tile shows one line); what each counts is in its help and the heading.
    st.markdown(f"**{md_escape('Key figures' + where)}**")
    cols = st.columns(2)
    cols[0].metric(
        "Active sites",
        figures["sites_active"],
        help="Deployment sites in the dataset with Russian forces present today.",
    )
    cols[1].metric(
        "Interventions",
        figures["interventions"],
        help=f"Since 1991; {figures['interventions_abroad']} of them outside Russia.",
    )
    cols = st.columns(2)
    cols[0].metric(
        "States reached",
        figures["countries_with_presence"],
        help="Post-Soviet states other than Russia where Russian forces fought, kept the "
        "peace, occupied land or kept a base since 1991 (the number in the text above).",
    )
    cols[1].metric(
        "Ongoing",
        figures["ongoing"],
        help="Interventions still under way today.",
    )
    st.subheader(f"Latest events{where}")
    latest = events_table(ds, ctx.sel, ctx.today).head(8)
    if latest.empty:
        st.markdown(md_escape(f"No event in the dataset for {scope}."))
    else:  # one block, not one element per event (fewer for a phone to draw)
        st.markdown(
            "\n\n".join(
                f"**{md_escape(row.Date)}** · {md_escape(row.Country)}  \n{md_escape(row.Event)}"
                for row in latest.itertuples(index=False)
            )
        )
    st.page_link(
        "pages/timeline.py",
        label="See the timeline",
        icon=":material/timeline:",
        query_params=ctx.sel.to_params(),
    )
st.caption(md_escape(f"Data last updated (sources checked): {ds.last_updated:%d %B %Y}."))
show_footer(ds)
# The map goes into its place above last. On a phone-class CPU every element sent after the
# chart competed with plotly.js for the browser's main thread and delayed the map by about
# 1.5 s (bench/throttled.py: 1.26x the bare page, 1.09x with the map sent last); the text
# around it shows first.
with map_box:
    show_chart(
        charts.overview_map(
            ds,
            ctx.sel,
            ctx.today,
            compact=True,
            width=phone_map_width() if phone else wide,
        ),
        "overview_map",
    )
