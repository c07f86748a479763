"""Reusable ``show_*`` blocks: charts with their text alternative, headers, footers."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashlib.data.dataset import Dataset
from dashlib.figures import theme
from dashlib.figures.browser import for_browser, served_geojson_urls
from dashlib.ui.data import Loaded
from dashlib.ui.text import md_escape

# plotly.js loads its base map from here (served by Streamlit static serving) instead of
# cdn.plot.ly; see static/topojson and .streamlit/config.toml. The app/ folder holds only
# world_50m.json (~205 KiB, not the whole ~400 KiB one): the map view (GEO_LAYOUT) plus all
# that panning it by up to half its width or height brings in (scripts/build_boundaries.py,
# APP_PAN), so every geo figure in the app needs resolution 50 and that framing.
TOPOJSON_URL = "/app/static/topojson/app/"
PLOTLY_CONFIG: dict[str, Any] = {
    "topojsonURL": TOPOJSON_URL,
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def show_pending(loaded: Loaded) -> None:
    if loaded.pending:
        st.warning(
            "An update to the data is pending review; you are seeing the last published version.",
            icon=":material/schedule:",
        )


def show_chart(
    fig: go.Figure,
    key: str,
    *,
    select: bool = False,
    table: pd.DataFrame | Callable[[], pd.DataFrame] | None = None,
    table_label: str = "Data table",
    table_rows: int | None = None,
) -> Any:
    """The chart, its one-paragraph text summary, and the data as a table."""
    summary = str(fig.layout.meta["summary"]) if fig.layout.meta else ""
    # theme=None: the figure's own fonts and colours, as in the embeds and images (Streamlit's
    # theme would restyle it and set its whole title block in bold).
    kwargs: dict[str, Any] = {
        "key": key,
        "config": PLOTLY_CONFIG,
        "width": "stretch",
        "theme": None,
    }
    if select:
        kwargs.update(on_select="rerun", selection_mode=("points",))
    event = st.plotly_chart(browser_figure(fig), **kwargs)
    if summary:
        st.markdown(f"**In words:** {md_escape(summary)}")
    if table is not None:
        show_table(table, table_label, rows=table_rows)
    return event


def browser_figure(fig: go.Figure) -> go.Figure:
    """``figures.browser.for_browser(fig)``, made once per figure.

    The pages' figures are shared by every reader of a view (``ui/charts.py``) and never
    changed once built, so the copy is kept on the figure itself and shared the same way.
    """
    copy: go.Figure | None = getattr(fig, "_dashlib_browser", None)
    if copy is None:
        copy = for_browser(fig, served_geojson_urls())
        fig._dashlib_browser = copy
    return copy


# A reader scrolls a few hundred rows at most; sending 100,000 rows to every browser on every
# rerun would cost seconds. The CSV download (Embed & download) always has every row.
MAX_TABLE_ROWS = 1_000


@contextmanager
def lazy_expander(label: str, key: str) -> Iterator[bool]:
    """An expander whose content runs, and reaches the browser, only once a reader opens it.

    A closed expander's content still costs the browser its code (the table grid and the
    code highlighter are megabytes of JavaScript) before the chart on the same page draws.
    """
    box = st.expander(label, key=key, on_change="rerun")
    with box:
        yield bool(box.open)


def show_table(
    table: pd.DataFrame | Callable[[], pd.DataFrame],
    label: str,
    key: str | None = None,
    *,
    rows: int | None = None,
) -> None:
    """A data table in a lazy expander, its first :data:`MAX_TABLE_ROWS` rows.

    ``table`` may be a function, called only once the reader opens the expander (at 100,000
    rows, filtering the map's sites table on every rerun cost more than the rest of the
    page); then ``rows`` gives its length for the label.
    """
    key = key or "table_" + re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")
    if callable(table) and rows is None:
        table = table()
    count = len(table) if isinstance(table, pd.DataFrame) else rows
    with lazy_expander(f"{label} ({count:,} rows)", key) as is_open:
        if not is_open:
            return
        if callable(table):
            table = table()
        if len(table) > MAX_TABLE_ROWS:
            st.caption(
                f"Showing the first {MAX_TABLE_ROWS:,} of {len(table):,} rows. "
                "Download every row as CSV under “Embed & download”."
            )
        st.dataframe(table.head(MAX_TABLE_ROWS), hide_index=True, width="stretch")


def show_footer(ds: Dataset) -> None:
    st.caption(
        md_escape(
            f"Data version {ds.version} · sources checked up to "
            f"{ds.last_updated:%d %B %Y} · {theme.CREDIT}"
        )
    )


def show_embed_header(fig: go.Figure, ds: Dataset) -> None:
    """In embed mode the chart carries its own title and source; add only the data date."""
    st.caption(md_escape(f"{theme.ISSUE_TITLE} · data checked {ds.last_updated:%d %b %Y}"))


def show_data_problems(loaded: Loaded) -> bool:
    """When nothing valid was ever loaded, explain and stop. Returns True if stopped."""
    if loaded.dataset is not None:
        return False
    st.error("The data could not be loaded. Editors: run `python -m dashlib validate data`.")
    with st.expander("Problems"):
        st.code("\n".join(str(p) for p in loaded.problems[:200]), language=None)
    return True
