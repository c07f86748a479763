"""The map with a play button and a date slider: every layer changes in every frame.

A frame carries, for each trace that depends on the date, that day's data from
:func:`dashlib.figures.map.day_layers` (country status, Crimea, contested territories,
sites, the ACLED layer and their labels), and points plotly at the traces to update by
looking their ``uid`` up in the figure, never by counting positions. The frames' dates are a
parameter (``frame_dates``; default one a year, :func:`animation_days`); each frame's name
is its ISO date and the slider step that shows it carries the same name and a label made
from the same date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashlib.data.dataset import Dataset
from dashlib.figures.common import set_layout, today_default
from dashlib.figures.map import MapContext, build_map_figure, day_layers

# The play and pause buttons, then the slider with its "Showing …" label at the right end,
# above the map: the buttons sit a row above that label (BUTTONS_PAD_PX), so the two never
# meet however narrow the screen (at 320 px "Showing 28 Nov 2026" ran under Pause).
CONTROLS_PX = 108
BUTTONS_PAD_PX = 66


def animation_days(today: dt.date, first_year: int = 1991) -> list[dt.date]:
    """One frame per year (31 December; today for the current year)."""
    days = [dt.date(year, 12, 31) for year in range(first_year, today.year)]
    return [*days, today]


def step_label(day: dt.date, days: Sequence[dt.date], today: dt.date) -> str:
    """The slider's label for ``day``: its year when the frames are one a year (31 Dec,
    and today), else the date."""
    yearly = all((d.month, d.day) == (12, 31) or d == today for d in days)
    return str(day.year) if yearly else f"{day:%-d %b %Y}"


def frame_index(fig: go.Figure) -> dict[str, int]:
    """Position of every trace in ``fig`` by uid (plotly.py leaves uids out of the JSON it
    sends, so frames name their traces by these positions, looked up here)."""
    return {str(t.uid): i for i, t in enumerate(fig.data) if t.uid}


def _changing(ctx: MapContext, uid: str, data: dict[str, Any]) -> dict[str, Any]:
    """What a frame sends for trace ``uid``: a site's marker, hover text and id never change
    with the day (only its coordinates, ``None`` when not drawn) unless sites are cells."""
    if uid == "territories" or (uid.startswith("sites-") and not ctx.sites.clustered):
        return {"type": data["type"], "lon": data["lon"], "lat": data["lat"]}
    return {key: value for key, value in data.items() if key != "uid"}


def build_map_animation(
    ds: Dataset,
    selection: Any,
    today: dt.date | None = None,
    height: int | None = None,
    acled: pd.DataFrame | None = None,
    *,
    frame_dates: Sequence[dt.date] | None = None,
    compact: bool = False,
    width: int | None = None,
) -> go.Figure:
    """The map with a play button that animates ``frame_dates`` (default: 1991 → today,
    one frame a year); it opens on the selection's date (or the nearest frame).
    ``compact``, ``width`` and ``height`` as for :func:`~dashlib.figures.map.build_map_figure`
    (the play button and the slider take CONTROLS_PX more above the map)."""
    today = today_default(today)
    days = sorted(set(frame_dates)) if frame_dates else animation_days(today)
    start_day = selection.as_of_or(today)
    ctx = MapContext.of(
        ds,
        selection,
        today,
        height=height,
        extra_top=CONTROLS_PX,
        compact=compact,
        acled=acled,
        width=width,
    )
    base = build_map_figure(
        ds,
        selection.with_(as_of=start_day),
        today,
        height=height,
        extra_top=CONTROLS_PX,
        acled=acled,
        compact=compact,
        context=ctx,
    )
    index = frame_index(base)
    title = str(base.layout.title.text)
    frames = []
    for day in days:
        layers = day_layers(ctx, day)
        uids = [uid for uid in layers if uid in index]
        frames.append(
            {
                "name": day.isoformat(),
                "data": [_changing(ctx, uid, layers[uid]) for uid in uids],
                "traces": [index[uid] for uid in uids],
                "layout": {
                    # Only the heading's date (count 1): the source line's date stays.
                    "title": {
                        "text": title.replace(f"{start_day:%-d %b %Y}", f"{day:%-d %b %Y}", 1)
                    }
                },
            }
        )
    # The frames are plain dicts built from the same values as the validated base traces;
    # plotly's per-frame validation would cost more than building them.
    base._frame_objs = tuple(go.Frame(frame, _validate=False) for frame in frames)
    animate = {
        "mode": "immediate",
        "frame": {"duration": 0, "redraw": True},
        "transition": {"duration": 0},
    }
    steps = [
        {
            "method": "animate",
            "label": step_label(day, days, today),
            "name": day.isoformat(),
            "args": [[day.isoformat()], animate],
        }
        for day in days
    ]
    earlier = [i for i, d in enumerate(days) if d <= start_day]
    active = earlier[-1] if earlier else 0
    set_layout(
        base,
        updatemenus=[
            {
                "type": "buttons",
                "direction": "left",
                "x": 0.0,
                "y": 1.0,
                "xanchor": "left",
                "yanchor": "bottom",
                "pad": {"b": BUTTONS_PAD_PX, "r": 8},
                "showactive": False,
                "buttons": [
                    {
                        "label": f"▶ Play {days[0].year} → {days[-1].year}",
                        "method": "animate",
                        "args": [
                            None,
                            {
                                "frame": {"duration": 700, "redraw": True},
                                "fromcurrent": False,
                                "transition": {"duration": 0},
                            },
                        ],
                    },
                    {
                        "label": "❚❚ Pause",
                        "method": "animate",
                        "args": [
                            [None],
                            {
                                "mode": "immediate",
                                "frame": {"duration": 0},
                                "transition": {"duration": 0},
                            },
                        ],
                    },
                ],
            }
        ],
        sliders=[
            {
                "active": active,
                "steps": steps,
                "x": 0.0,
                "len": 1.0,
                "y": 1.0,
                "yanchor": "bottom",
                "pad": {"t": 0, "b": 4},
                "currentvalue": {"prefix": "Showing ", "font": {"size": 12}, "xanchor": "right"},
                "font": {"size": 9},
                "ticklen": 3,
            }
        ],
    )
    return base
