"""Overview: headline, standfirst, key figures, a small map, the latest events."""

import streamlit as st

from dashlib.query.summaries import key_figures
from dashlib.query.tables import events_table
from dashlib.ui import charts
from dashlib.ui.components import show_chart, show_footer
from dashlib.ui.page import start_page
from dashlib.ui.text import md_escape

ctx = start_page()
ds = ctx.ds
st.title("Russia's military reach across the former Soviet Union")
figures = key_figures(ds, ctx.today)
st.markdown(
    "Since the Soviet Union broke up in 1991, Russian troops have fought, kept the peace, "
    "occupied land or kept bases in "
    f"{figures['countries_with_presence']} of the 14 other states that emerged from it. "
    "This dashboard maps where, shows when, and quotes what reporters wrote — every fact "
    "linked to a published source."
)
cols = st.columns(4)
cols[0].metric(
    "Sites active today",
    figures["sites_active"],
    help="Deployment sites in the dataset with Russian forces present today.",
)
cols[1].metric(
    "Interventions since 1991",
    figures["interventions"],
    help=f"{figures['interventions_abroad']} outside Russia; {figures['ongoing']} still ongoing.",
)
cols[2].metric(
    "Countries affected",
    figures["countries_affected"],
    help="Post-Soviet states other than Russia where Russia intervened.",
)
cols[3].metric("Ongoing operations", figures["ongoing"])

left, right = st.columns([3, 2], gap="large")
with left:
    show_chart(charts.overview_map(ds, ctx.sel, ctx.today, height=560), "overview_map")
    st.page_link(
        "pages/map.py",
        label="Explore the full map",
        icon=":material/map:",
        query_params=ctx.sel.to_params(),
    )
with right:
    st.subheader("Latest events")
    latest = events_table(ds, ctx.sel, ctx.today).head(8)
    for row in latest.itertuples(index=False):
        st.markdown(
            f"**{md_escape(row.Date)}** · {md_escape(row.Country)}  \n{md_escape(row.Event)}"
        )
    st.page_link(
        "pages/timeline.py",
        label="See the timeline",
        icon=":material/timeline:",
        query_params=ctx.sel.to_params(),
    )
st.caption(md_escape(f"Data last updated (sources checked): {ds.last_updated:%d %B %Y}."))
show_footer(ds)
