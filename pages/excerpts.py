"""Excerpts: quote cards with search, filters and links to the timeline."""

import streamlit as st

from dashlib.query import filters
from dashlib.query.search import search_result, variant_groups, with_topics
from dashlib.query.summaries import excerpt_summary, filter_phrase
from dashlib.ui.components import show_footer
from dashlib.ui.excerpt_cards import show_excerpt_cards
from dashlib.ui.page import start_page
from dashlib.ui.selection import clear_query, keep_only_query
from dashlib.ui.text import md_escape

ctx = start_page()
groups = variant_groups(ctx.ds)
result = search_result(
    with_topics(ctx.ds, filters.excerpts(ctx.ds, ctx.sel, ctx.today)), ctx.sel.query, groups
)
scope = filter_phrase(ctx.ds, ctx.sel, ctx.today)
if not ctx.embedded:
    st.title("What reporters wrote")
    st.caption(
        "Verbatim excerpts, linked to the interventions and countries they speak of, grouped "
        "by article. Search (in the sidebar) looks in the quote, its speaker and the titles of "
        "the interventions it is tagged with; it needs every word you type, finds other forms "
        "of a word (peacekeepers, peacekeeping) and other spellings of a place (Kyiv/Kiev, "
        "Almaty/Alma-Ata); the best matches come first."
    )
st.markdown(
    md_escape(excerpt_summary(result.count, result.query, scope, result.substitution_note()))
)
if result.count == 0 and not ctx.embedded:
    if scope:
        st.button(
            f"Search all excerpts, not only {scope}",
            on_click=keep_only_query,
            icon=":material/filter_alt_off:",
        )
    if result.query:
        st.button("Clear the search", on_click=clear_query, icon=":material/backspace:")
show_excerpt_cards(ctx.ds, result.rows, ctx.sel.query, groups)
show_footer(ctx.ds)
