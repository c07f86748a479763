"""Pieces every chart shares: titles, the source line, the data version, fonts."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable

import plotly.graph_objects as go

from dashlib import theme
from dashlib.dataset import Dataset
from dashlib.validate import split_list


def esc(value: object) -> str:
    """Text from the data, escaped for plotly's HTML-like hover and title labels."""
    if value is None:
        return ""
    return html.escape(str(value), quote=False)


def source_names(ds: Dataset, source_ids: Iterable[object], limit: int = 4) -> str:
    """Publishers of the cited sources, de-duplicated, for a 'Source:' line."""
    lookup = dict(zip(ds.sources["source_id"], ds.sources["publisher"], strict=True))
    names: list[str] = []
    for cell in source_ids:
        for sid in split_list(cell):
            name = lookup.get(sid)
            if name and name not in names:
                names.append(str(name))
    if len(names) > limit:
        return ", ".join(names[:limit]) + f" and {len(names) - limit} more"
    return ", ".join(names)


def first_source(ds: Dataset, cell: object) -> str:
    """'Publisher: Title' of the first source a row cites, for hovers."""
    ids = split_list(cell)
    if not ids:
        return ""
    row = ds.sources[ds.sources["source_id"] == ids[0]]
    if row.empty:
        return ""
    more = f" (+{len(ids) - 1} more)" if len(ids) > 1 else ""
    return f"{row.iloc[0]['publisher']}: {row.iloc[0]['title']}{more}"


def source_line(ds: Dataset, source_ids: Iterable[object]) -> str:
    names = source_names(ds, source_ids) or "see the About page"
    return f"Source: {names}. Data version {ds.version}, checked {ds.last_updated:%d %b %Y}."


def frame_layout(
    fig: go.Figure,
    *,
    title: str,
    subtitle: str,
    source: str,
    summary: str,
    height: int,
    bottom: int = 70,
) -> go.Figure:
    """Title, subtitle, source and credit lines, fonts and margins, in one place."""
    fig.update_layout(
        title={
            "text": f"<b>{esc(title)}</b><br><span style='font-size:13px;color:{theme.MUTED}'>"
            f"{esc(subtitle)}</span>",
            "x": 0.01,
            "xanchor": "left",
            "y": 0.98,
            "yanchor": "top",
            "font": {"size": 18, "color": theme.INK},
        },
        font={"family": theme.FONT, "color": theme.INK, "size": 12},
        paper_bgcolor="white",
        plot_bgcolor="white",
        height=height,
        margin={"l": 10, "r": 10, "t": 78, "b": bottom},
        legend={
            "orientation": "h",
            "y": -0.02,
            "yanchor": "top",
            "x": 0,
            "font": {"size": 11},
            "bgcolor": "rgba(255,255,255,0.8)",
        },
        hoverlabel={
            "bgcolor": "white",
            "font": {"family": theme.FONT, "size": 12},
            "align": "left",
        },
        meta={"summary": summary, "title": title, "source": source},
    )
    fig.add_annotation(
        text=f"{esc(source)}<br>{esc(theme.CREDIT)}",
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-bottom + 4,
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        align="left",
        font={"size": 10, "color": theme.MUTED},
    )
    return fig


def today_default(today: dt.date | None) -> dt.date:
    return today or dt.date.today()
