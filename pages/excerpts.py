"""Excerpts: quote cards with search, filters and links to the timeline."""

import streamlit as st

from dashlib.query import filters
from dashlib.query.search import search, variant_groups
from dashlib.query.summaries import excerpt_summary
from dashlib.ui.components import show_footer
from dashlib.ui.excerpt_cards import show_excerpt_cards
from dashlib.ui.page import start_page
from dashlib.ui.text import md_escape

ctx = start_page()
groups = variant_groups(ctx.ds)
found = search(filters.excerpts(ctx.ds, ctx.sel, ctx.today), ctx.sel.query, groups)
if not ctx.embedded:
    st.title("What reporters wrote")
    st.caption(
        "Verbatim excerpts, linked to the interventions and countries they speak of. "
        "Search in the sidebar finds spelling variants (Kyiv/Kiev, Almaty/Alma-Ata)."
    )
st.markdown(md_escape(excerpt_summary(found, ctx.sel.query)))
show_excerpt_cards(ctx.ds, found, ctx.sel.query, groups)
show_footer(ctx.ds)
