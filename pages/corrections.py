"""Corrections and updates: every change to the data, newest first, grouped by publication."""

import datetime as dt

import streamlit as st

from dashlib.editing.save import read_changelog
from dashlib.ui.data import data_dir
from dashlib.ui.page import start_page
from dashlib.ui.text import md_escape

# What readers see first within one change: the facts on the map and timeline, then what
# they quote and cite; the validator's own lists (refused hosts) last.
TABLE_ORDER = [
    "interventions.csv",
    "deployments.csv",
    "events.csv",
    "countries.csv",
    "territories.csv",
    "places.csv",
    "excerpts.csv",
    "articles.csv",
    "sources.csv",
]


def _when(value: str) -> str:
    try:
        stamp = dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return value
    return f"{stamp:%-d %B %Y, %H:%M} UTC"


def _entry(table: str, row_ids: str, change: str) -> str:
    """One changed row as Markdown (every piece of text from the log escaped): the table and
    row, then each change on its own line, without the row id it repeats."""
    ids = [key for key in str(row_ids or "").split(";") if key]
    lines = []
    for part in str(change or "").split(" | "):
        if len(ids) == 1:  # an editor's save of several rows keeps each line's row id
            key = ids[0]
            part = {f"+ {key}": "row added", f"- {key}": "row removed"}.get(part, part)
            part = part.removeprefix(f"~ {key}: ")
        lines.append(f"- {md_escape(part)}")
    head = f"**{md_escape(str(table))}** · {md_escape(', '.join(ids) or 'columns')}"
    return head + "\n" + "\n".join(lines)


ctx = start_page()
st.title("Corrections and updates")
st.markdown(
    "Every change made to the data, newest first: when, by whom, which table and rows, and "
    "what changed (old → new). Changes saved through the editor are logged as they are made; "
    "changes made to the files directly are logged when they are published."
)
log = read_changelog(data_dir())
if log.empty:
    st.info("No corrections or updates have been logged yet.")
else:
    # One block per change (a save, or a published batch): same time, same person.
    for (when, who), change in log.groupby(["when", "who"], sort=False):
        rank = {name: i for i, name in enumerate(TABLE_ORDER)}
        rows = change.assign(_order=change["table"].map(rank).fillna(len(rank)))
        rows = rows.sort_values(["_order", "row_ids"], kind="stable")
        count = len(rows)
        st.subheader(_when(str(when)))
        st.caption(md_escape(f"{who} · {count} row{'s' if count != 1 else ''} changed"))
        st.markdown("\n\n".join(_entry(r.table, r.row_ids, r.change) for r in rows.itertuples()))
