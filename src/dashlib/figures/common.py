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
    lookup = {sid: label[0] for sid, label in ds.source_labels.items()}
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
    label = ds.source_labels.get(ids[0])
    if label is None:
        return ""
    more = f" (+{len(ids) - 1} more)" if len(ids) > 1 else ""
    return f"{label[0]}: {label[1]}{more}"


def source_line(ds: Dataset, source_ids: Iterable[object]) -> str:
    names = source_names(ds, source_ids) or "see the About page"
    return f"Source: {names}. Data version {ds.version}, checked {ds.last_updated:%d %b %Y}."


def wrap(text: str, width: int) -> list[str]:
    """Split ``text`` into lines of at most ``width`` characters (plotly does not wrap)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines


TITLE_WIDTH = 40  # characters per line that fit a 375 px phone at the title's size
NOTE_WIDTH = 52  # the same for the 13 px subtitle; the 10 px source lines take more


def frame_layout(
    fig: go.Figure,
    *,
    title: str,
    subtitle: str,
    source: str,
    summary: str,
    height: int,
    extra_top: int = 0,
) -> go.Figure:
    """Title, subtitle, source and credit lines, fonts, legend and margins, in one place.

    The whole text block sits above the chart: its height is known in advance (lines are
    wrapped here), so nothing overlaps at any width. The legend sits below the chart and
    plotly grows the bottom margin to fit it however many rows it wraps to.
    """
    title_lines = [f"<b>{esc(line)}</b>" for line in wrap(title, TITLE_WIDTH)]
    sub_lines = [esc(line) for line in wrap(subtitle, NOTE_WIDTH)]
    note_lines = [esc(line) for line in wrap(f"{source} {theme.CREDIT}", NOTE_WIDTH + 16)]
    text = (
        "<br>".join(title_lines)
        + f"<br><span style='font-size:13px;color:{theme.MUTED}'>"
        + "<br>".join(sub_lines)
        + "</span>"
        + f"<br><span style='font-size:10px;color:{theme.MUTED}'>"
        + "<br>".join(note_lines)
        + "</span>"
    )
    top = 30 + 22 * len(title_lines) + 20 * len(sub_lines) + 20 * len(note_lines) + 8
    fig.update_layout(
        title={
            "text": text,
            # plotly anchors a multi-line title by its first baseline: leave room above it.
            "x": 0,
            "xref": "container",
            "xanchor": "left",
            "yref": "container",
            "y": 1 - 26 / height,
            "yanchor": "top",
            "pad": {"l": 10},
            "font": {"size": 17, "color": theme.INK},
        },
        font={"family": theme.FONT, "color": theme.INK, "size": 12},
        paper_bgcolor="white",
        plot_bgcolor="white",
        height=height,
        margin={"l": 10, "r": 10, "t": top + extra_top, "b": 10, "autoexpand": True},
        legend={
            "orientation": "h",
            "yref": "paper",
            "y": -0.01,
            "yanchor": "top",
            "x": 0,
            "xanchor": "left",
            "font": {"size": 11},
            "itemsizing": "constant",
        },
        hoverlabel={
            "bgcolor": "white",
            "font": {"family": theme.FONT, "size": 12},
            "align": "left",
        },
        meta={
            "summary": summary,
            "title": title,
            "subtitle": subtitle,
            "source": source,
            "credit": theme.CREDIT,
            "title_top": top,  # the margin the title block needs without the play controls
        },
    )
    return fig


def today_default(today: dt.date | None) -> dt.date:
    return today or dt.date.today()
