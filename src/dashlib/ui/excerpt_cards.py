"""Quote cards, grouped by article. Every string from the data goes through md_escape."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from dashlib.data.dataset import Dataset
from dashlib.data.dates import format_partial
from dashlib.data.lists import split_list
from dashlib.query.search import highlight
from dashlib.ui.text import md_escape, md_highlight, md_link

PAGE_SIZE = 20


def by_article(found: pd.DataFrame) -> list[pd.DataFrame]:
    """The excerpts split by article, in the order the first excerpt of each was ranked."""
    if found.empty:
        return []
    order = list(dict.fromkeys(found["article_id"]))
    return [found[found["article_id"] == article] for article in order]


def _source_note(row: object) -> None:
    """Which article the quotes come from (shown once per article, not once per quote)."""
    title, url = getattr(row, "title", ""), getattr(row, "url", None)
    article = md_link(title, url if isinstance(url, str) else None)
    original = ""
    outlet = getattr(row, "original_outlet", None)
    if isinstance(outlet, str) and outlet:
        label = getattr(row, "original_title", "")
        label = label if isinstance(label, str) else ""
        original = (
            f" · original: {md_link(label or outlet, getattr(row, 'original_url', None))}"
            f" ({md_escape(outlet)})"
        )
    published = format_partial(str(getattr(row, "published", "")))
    st.markdown(
        f"From {article} · {md_escape(getattr(row, 'outlet', ''))} · "
        f"{md_escape(published)}{original}"
    )
    if bool(getattr(row, "machine_translation", False)):
        note = getattr(row, "note", None)
        note = note if isinstance(note, str) and note else "This text is a machine translation."
        st.caption(f"Note: {md_escape(note)}")


def _quote_notes(row: object) -> None:
    """Under a quote: that words attributed to a person are a machine translation's, and an
    editor's note on a factual slip in the quoted text (the quote itself stays verbatim)."""
    flag = getattr(row, "machine_translated_quote", False)
    if flag is True or str(flag).strip().lower() == "true":
        speaker = getattr(row, "speaker", None)
        who = md_escape(speaker) if isinstance(speaker, str) and speaker else "the people quoted"
        st.caption(
            f"The words attributed to {who} are a machine translation of the original article, "
            "not the speaker's own wording."
        )
    note = getattr(row, "editor_note", None)
    if isinstance(note, str) and note.strip():
        st.caption(f"**Editor's note:** {md_escape(note)}")


def show_excerpt_cards(
    ds: Dataset, found: pd.DataFrame, query: str, groups: Sequence[Sequence[str]]
) -> None:
    titles = dict(zip(ds.interventions["intervention_id"], ds.interventions["title"], strict=True))
    names = dict(zip(ds.countries["iso3"], ds.countries["name"], strict=True))
    limit = st.session_state.get("excerpts_limit", PAGE_SIZE)
    shown = found.head(limit)
    for article in by_article(shown):
        with st.container(border=True):
            _source_note(next(article.itertuples(index=False)))
            for n, row in enumerate(article.itertuples(index=False)):
                if n:
                    st.divider()
                st.markdown(md_highlight(highlight(str(row.text), query, groups)))
                if isinstance(row.speaker, str) and row.speaker:
                    role = (
                        f", {md_escape(row.speaker_role)}"
                        if isinstance(row.speaker_role, str) and row.speaker_role
                        else ""
                    )
                    st.markdown(f"— **{md_escape(row.speaker)}**{role}")
                _quote_notes(row)
                tags = split_list(row.intervention_ids)
                countries = split_list(row.country_iso3s)
                # The interventions' links side by side, each as wide as its label, wrapping
                # onto more rows as needed (equal columns cut long titles mid-word); the
                # countries the quote speaks of on the line below.
                if tags:
                    with st.container(horizontal=True, gap="small"):
                        for tag in tags:
                            st.page_link(
                                "pages/timeline.py",
                                label=titles.get(tag, tag),
                                icon=":material/timeline:",
                                query_params={"intervention": tag},
                            )
                if countries:
                    where = ", ".join(names.get(c, c) for c in countries)
                    st.caption(md_escape(f"Countries: {where}"))
    if len(found) > limit:
        if st.button(f"Show more ({len(found) - limit} left)"):
            st.session_state["excerpts_limit"] = limit + PAGE_SIZE
            st.rerun()
