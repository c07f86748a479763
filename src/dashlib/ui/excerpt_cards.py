"""Quote cards. Every string from the data goes through md_escape; links only for http(s)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from dashlib.data.dataset import Dataset
from dashlib.data.dates import format_partial
from dashlib.data.lists import split_list
from dashlib.query.search import highlight
from dashlib.ui.text import md_escape, md_link

PAGE_SIZE = 20


def show_excerpt_cards(
    ds: Dataset, found: pd.DataFrame, query: str, groups: Sequence[Sequence[str]]
) -> None:
    titles = dict(zip(ds.interventions["intervention_id"], ds.interventions["title"], strict=True))
    names = dict(zip(ds.countries["iso3"], ds.countries["name"], strict=True))
    limit = st.session_state.get("excerpts_limit", PAGE_SIZE)
    for row in found.head(limit).itertuples(index=False):
        with st.container(border=True):
            quote = md_highlight_quote(str(row.text), query, groups)
            st.markdown(quote)
            if isinstance(row.speaker, str) and row.speaker:
                role = (
                    f", {md_escape(row.speaker_role)}"
                    if isinstance(row.speaker_role, str) and row.speaker_role
                    else ""
                )
                st.markdown(f"— **{md_escape(row.speaker)}**{role}")
            article = md_link(row.title, row.url if isinstance(row.url, str) else None)
            original = ""
            if isinstance(row.original_outlet, str) and row.original_outlet:
                label = row.original_title if isinstance(row.original_title, str) else ""
                original = (
                    f" · original: {md_link(label or row.original_outlet, row.original_url)}"
                    f" ({md_escape(row.original_outlet)})"
                )
            st.markdown(
                f"{article} · {md_escape(row.outlet)} · "
                f"{md_escape(format_partial(str(row.published)))}{original}"
            )
            if bool(row.machine_translation):
                note = (
                    row.note
                    if isinstance(row.note, str) and row.note
                    else "This text is a machine translation."
                )
                st.caption(f"Note: {md_escape(note)}")
            tags = split_list(row.intervention_ids)
            countries = split_list(row.country_iso3s)
            if tags or countries:
                cols = st.columns([1] * max(1, len(tags)) + [2])
                for col, tag in zip(cols, tags, strict=False):
                    col.page_link(
                        "pages/timeline.py",
                        label=titles.get(tag, tag),
                        icon=":material/timeline:",
                        query_params={"intervention": tag},
                    )
                cols[-1].caption(md_escape(", ".join(names.get(c, c) for c in countries)))
    if len(found) > limit:
        if st.button(f"Show more ({len(found) - limit} left)"):
            st.session_state["excerpts_limit"] = limit + PAGE_SIZE
            st.rerun()


def md_highlight_quote(text: str, query: str, groups: Sequence[Sequence[str]]) -> str:
    from dashlib.ui.text import md_highlight

    return md_highlight(highlight(text, query, groups))
