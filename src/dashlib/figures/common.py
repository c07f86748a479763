"""Pieces every chart shares: titles, the source line, the data version, fonts."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable
from typing import Any

import plotly.graph_objects as go

from dashlib.data.dataset import Dataset
from dashlib.data.lists import split_list
from dashlib.data.publishers import GAZETTEER, SECONDARY
from dashlib.figures import theme


def esc(value: object) -> str:
    """Text from the data, escaped for plotly's HTML-like hover and title labels."""
    if value is None:
        return ""
    return html.escape(str(value), quote=False)


def source_names(ds: Dataset, source_ids: Iterable[object], limit: int = 3) -> str:
    """Publishers behind the rows shown, most-cited first: 'RFE/RL, Reuters, Civil.ge and 12
    more'. Each row (cell) counts once per publisher; ties go alphabetically. Gazetteers
    (coordinates only) are named last, after 'locations:'."""
    ranked, places = _publishers(ds, source_ids)
    text = ", ".join(ranked[:limit])
    if len(ranked) > limit:
        text += f" and {len(ranked) - limit} more"
    if places:
        text += ("; " if text else "") + "locations: " + ", ".join(places)
    return text


def _publishers(ds: Dataset, source_ids: Iterable[object]) -> tuple[list[str], list[str]]:
    """(publishers most-cited first, gazetteers) behind the cells given. Original publishers
    come before encyclopedias and aggregators, which only ever stand beside them."""
    counts: dict[str, int] = {}
    secondary: set[str] = set()
    places: set[str] = set()
    publishers = ds.source_publishers
    for cell in source_ids:
        seen = set()
        for sid in split_list(cell):
            if sid not in publishers:
                continue
            name, kind = publishers[sid]
            if kind == GAZETTEER:
                places.add(name)
            elif name not in seen:
                seen.add(name)
                counts[name] = counts.get(name, 0) + 1
                if kind in SECONDARY:
                    secondary.add(name)
    ranked = sorted(counts, key=lambda n: (n in secondary, -counts[n], n.casefold()))
    return ranked, sorted(places)


def first_source(ds: Dataset, cell: object) -> str:
    """'Publisher: Title' of the first source a row cites, for hovers."""
    ids = split_list(cell)
    if not ids:
        return ""
    label = ds.source_labels.get(ids[0])
    if label is None:
        return ""
    more = f" (+{len(ids) - 1} more)" if len(ids) > 1 else ""
    return f"{ds.source_publishers[ids[0]][0]}: {label[1]}{more}"


def source_line(ds: Dataset, source_ids: Iterable[object]) -> str:
    """The line under a chart: who the rows shown come from, the data version and date."""
    cells = list(source_ids)
    names = source_names(ds, cells)
    ranked, places = _publishers(ds, cells)
    word = "Sources" if len(ranked) + len(places) != 1 else "Source"
    if not names:
        names = "see the About page"
    return f"{word}: {names}. Data version {ds.version}, checked {ds.last_updated:%d %b %Y}."


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


LEGEND_ROOM = 75  # px: three rows of legend, as it wraps on a 375 px phone
TITLE_WIDTH = 40  # characters per line that fit a 375 px phone at the title's size
NOTE_WIDTH = 52  # the same for the 13 px subtitle; the 10 px source lines take more
# The figure width those line lengths are for (a 375 px phone's); text is 10 px in from the
# figure's edges. A figure never drawn narrower than ``text_width`` (an exported map page,
# which sends narrower windows to its phone page; an image) wraps its text for that width.
TEXT_BASE_PX = 343
TEXT_INSET_PX = 20
TEXT_SLACK = 0.95  # wider letters (capitals) in a long line


def line_lengths(text_width: int | None) -> tuple[int, int, int]:
    """Characters per line of the title, the subtitle and the source lines of a figure never
    drawn narrower than ``text_width`` px (None: a phone's, the app's responsive charts)."""
    scale = 1.0
    if text_width:
        wide = (text_width - TEXT_INSET_PX) / (TEXT_BASE_PX - TEXT_INSET_PX) * TEXT_SLACK
        scale = max(1.0, wide)
    return int(TITLE_WIDTH * scale), int(NOTE_WIDTH * scale), int((NOTE_WIDTH + 16) * scale)


def merge(default: Any, value: Any) -> Any:
    """``value`` over ``default``: dictionaries key by key, anything else replaces."""
    if isinstance(default, dict) and isinstance(value, dict):
        out = dict(default)
        for key, item in value.items():
            out[key] = merge(default[key], item) if key in default else item
        return out
    return value


def set_layout(fig: go.Figure, **updates: Any) -> go.Figure:
    """``fig.update_layout(**updates)`` for plain values, ~20 times faster.

    plotly's update_layout runs its change-tracking machinery key path by key path (50-80 ms
    for the map's layout with a dozen traces: most of the cost of a new map view); merging
    the dictionaries here and validating the result once costs a few milliseconds. Same
    result: nested dictionaries merge key by key; lists and values replace.
    """
    current = fig.layout.to_plotly_json()
    current.pop("template", None)  # the charts use none (frame_layout); not revalidated
    fig.layout = merge(current, updates)
    fig.layout.template = None
    return fig


def _title_lines(
    title: str, subtitle: str, source: str, text_width: int | None = None
) -> tuple[list[str], ...]:
    title_chars, note_chars, source_chars = line_lengths(text_width)
    return (
        [f"<b>{esc(line)}</b>" for line in wrap(title, title_chars)],
        [esc(line) for line in wrap(subtitle, note_chars)],
        [esc(line) for line in wrap(f"{source} {theme.CREDIT}", source_chars)],
    )


def title_block_px(title: str, subtitle: str, source: str, text_width: int | None = None) -> int:
    """Height (px) of the text block :func:`frame_layout` puts above a chart: its top margin."""
    title_lines, sub_lines, note_lines = _title_lines(title, subtitle, source, text_width)
    return 30 + 22 * len(title_lines) + 20 * len(sub_lines) + 20 * len(note_lines) + 8


def frame_layout(
    fig: go.Figure,
    *,
    title: str,
    subtitle: str,
    source: str,
    summary: str,
    height: int,
    extra_top: int = 0,
    legend_gap: int = 0,
    layout: dict[str, Any] | None = None,
    text_width: int | None = None,
) -> go.Figure:
    """Title, subtitle, source and credit lines, fonts, legend and margins, in one place.

    The whole text block sits above the chart: its height is known in advance (lines are
    wrapped here), so nothing overlaps at any width. The legend sits below the chart and
    plotly grows the bottom margin to fit it however many rows it wraps to.

    ``legend_gap``: pixels kept free between the plot and the legend (the timeline's year
    labels). plotly places a legend below the plot only in fractions of the plot's height,
    which is what is left of ``height`` once the title block, the legend and the margins
    are taken: estimated here with room for up to three legend rows (a phone's), so a short
    plot (one country) keeps the gap too.

    ``layout`` holds the chart's own layout, merged over these settings in the same update.
    ``text_width``: the narrowest the figure is ever drawn (see :func:`line_lengths`).
    """
    title_lines, sub_lines, note_lines = _title_lines(title, subtitle, source, text_width)
    text = (
        "<br>".join(title_lines)
        + f"<br><span style='font-size:13px;color:{theme.MUTED}'>"
        + "<br>".join(sub_lines)
        + "</span>"
        + f"<br><span style='font-size:10px;color:{theme.MUTED}'>"
        + "<br>".join(note_lines)
        + "</span>"
    )
    top = title_block_px(title, subtitle, source, text_width)
    plot_height = max(60, height - top - extra_top - 10 - legend_gap - LEGEND_ROOM)
    legend_y = -legend_gap / plot_height if legend_gap else -0.01
    frame: dict[str, Any] = dict(
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
            "y": legend_y,
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
        # What plotly's default template gave these charts and they still use; the
        # template itself is dropped below.
        autotypenumbers="strict",
    )
    set_layout(fig, **merge(frame, layout or {}))
    # set_layout dropped the template: every attribute the charts use is set here or by
    # their builder, so the app, the embeds and the images draw the same, the files are
    # ~6 KB smaller, and a copy of the figure compares equal to it in plotly.js
    # (dashlib/figures/browser.py).
    return fig


def today_default(today: dt.date | None) -> dt.date:
    return today or dt.date.today()
