"""The map with a play button and a date slider: every layer changes in every frame.

A frame carries, for each trace that depends on the date, that day's data from
:func:`dashlib.figures.map.day_layers` (country status, Crimea, contested territories,
sites, the ACLED layer and their labels), and points plotly at the traces to update by
looking their ``uid`` up in the figure, never by counting positions. The frames' dates are a
parameter (``frame_dates``); by default they are the app's own Play steps
(:func:`dashlib.query.timesteps.map_steps`: every 1 January and every date on which something
on the map starts or ends), so a five-day war is on screen in at least one frame. Each
frame's name is its ISO date and the slider step that shows it carries the same name and a
label made from the same date.

A frame carries only the traces that changed since the previous frame and names that frame
as its ``baseframe``: plotly.js merges the chain (``Plots.computeFrame``), so a jump to any
frame shows that day's whole map, and 200 frames weigh little more than 36 whole ones did.
:func:`frame_state` does the same merge in Python (for tests and tools).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashlib.data.dataset import Dataset
from dashlib.figures.common import set_layout, today_default
from dashlib.figures.map import MapContext, build_map_figure, day_layers
from dashlib.query.timesteps import map_steps

# The play and pause buttons, then the slider with its "Showing …" label at the right end,
# above the map: the buttons sit a row above that label (BUTTONS_PAD_PX), so the two never
# meet however narrow the screen (at 320 px "Showing 28 Nov 2026" ran under Pause).
CONTROLS_PX = 108
BUTTONS_PAD_PX = 66
FRAME_MS = 400  # one frame of Play (about 80 s for 1991 → today)
# The slider's end labels ("1 Jan 1991") are centred on its end steps: inset the slider this
# far from the figure's sides so they are not cut (at 0 the first ran 12 px off the edge).
SLIDER_SIDE_PAD_PX = 18


def animation_days(ds: Dataset, today: dt.date, start: dt.date | None = None) -> list[dt.date]:
    """The frames' dates: the app's Play steps (:func:`~dashlib.query.timesteps.map_steps`),
    plus ``start`` (the day the map opens on) when it is in their span."""
    steps = map_steps(ds, today)
    extra = {start} if start is not None and steps[0] <= start <= steps[-1] else set()
    return sorted({*steps, *extra})


def step_label(day: dt.date, days: Sequence[dt.date], today: dt.date) -> str:
    """The slider's label for ``day``: its year when the frames are one a year (31 Dec,
    and today), else the date."""
    yearly = all((d.month, d.day) == (12, 31) or d == today for d in days)
    return str(day.year) if yearly else f"{day:%-d %b %Y}"


def frame_state(frames: Sequence[Mapping[str, Any]], name: str) -> dict[int, dict[str, Any]]:
    """Every trace's data (by position) that frame ``name`` leaves on the chart, merged along
    its ``baseframe`` chain as plotly.js's ``Plots.computeFrame`` does (objects merged key by
    key, arrays replaced)."""
    by_name = {str(f["name"]): f for f in frames}
    chain: list[Mapping[str, Any]] = []
    frame: Mapping[str, Any] | None = by_name[name]
    while frame is not None and frame not in chain:
        chain.append(frame)
        base = frame.get("baseframe")
        frame = by_name.get(str(base)) if base is not None else None
    state: dict[int, dict[str, Any]] = {}
    for frame in reversed(chain):
        for data, i in zip(frame.get("data", []), frame.get("traces", []), strict=True):
            state[int(i)] = _merged(state.get(int(i), {}), data)
    return state


def _merged(old: dict[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(old)
    for key, value in new.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merged(out[key], value)
        else:
            out[key] = value
    return out


def frame_index(fig: go.Figure) -> dict[str, int]:
    """Position of every trace in ``fig`` by uid (plotly.py leaves uids out of the JSON it
    sends, so frames name their traces by these positions, looked up here)."""
    return {str(t.uid): i for i, t in enumerate(fig.data) if t.uid}


def _changing(ctx: MapContext, uid: str, data: dict[str, Any], day: dt.date) -> dict[str, Any]:
    """What a frame sends for trace ``uid``: a site's marker, hover text and id never change
    with the day (only its coordinates, ``None`` when not drawn) unless sites are cells.

    A state's hover names its status without the day ("Russian forces stationed"): the
    heading and the slider name the frame's date, and a state's hover then changes only when
    its status does, so a frame need not resend every state (see :func:`undated`)."""
    if uid == "territories" or (uid.startswith("sites-") and not ctx.sites.clustered):
        return {"type": data["type"], "lon": data["lon"], "lat": data["lat"]}
    out = {key: value for key, value in data.items() if key != "uid"}
    if uid.startswith("status-"):
        out["text"] = undated(out["text"], day)
    return out


def undated(texts: Sequence[str], day: dt.date) -> list[str]:
    """``texts`` without " on <day>" (the map's status hover names the day it describes)."""
    return [str(text).replace(f" on {day:%d %b %Y}", "", 1) for text in texts]


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
    text_width: int | None = None,
) -> go.Figure:
    """The map with a play button that animates ``frame_dates`` (default: the app's Play
    steps, :func:`animation_days`); it opens on the selection's date (or the nearest frame).
    ``compact``, ``width``, ``height`` and ``text_width`` as for
    :func:`~dashlib.figures.map.build_map_figure` (the play button and the slider take
    CONTROLS_PX more above the map)."""
    today = today_default(today)
    start_day = selection.as_of_or(today)
    days = sorted(set(frame_dates)) if frame_dates else animation_days(ds, today, start_day)
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
        text_width=text_width,
    )
    index = frame_index(base)
    for trace in base.data:  # the opening map's hover as its frames say it
        if str(trace.uid).startswith("status-"):
            trace.text = undated(list(trace.text or ()), start_day)
    title = str(base.layout.title.text)
    frames: list[dict[str, Any]] = []
    shown: dict[str, dict[str, Any]] = {}  # what the previous frame left on each trace
    for day in days:
        layers = day_layers(ctx, day)
        data = {uid: _changing(ctx, uid, layers[uid], day) for uid in layers if uid in index}
        # Only what changed since the previous frame; plotly.js merges each frame onto its
        # ``baseframe`` chain (Plots.computeFrame), so a jump to any frame still shows that
        # day's whole map.
        changed = [uid for uid, value in data.items() if shown.get(uid) != value]
        shown.update(data)
        frame: dict[str, Any] = {
            "name": day.isoformat(),
            "data": [data[uid] for uid in changed],
            "traces": [index[uid] for uid in changed],
            "layout": {
                # Only the heading's date (count 1): the source line's date stays.
                "title": {"text": title.replace(f"{start_day:%-d %b %Y}", f"{day:%-d %b %Y}", 1)}
            },
        }
        if frames:
            frame["baseframe"] = frames[-1]["name"]
        frames.append(frame)
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
                                "frame": {"duration": FRAME_MS, "redraw": True},
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
                "pad": {"t": 0, "b": 4, "l": SLIDER_SIDE_PAD_PX, "r": SLIDER_SIDE_PAD_PX},
                "currentvalue": {"prefix": "Showing ", "font": {"size": 12}, "xanchor": "right"},
                "font": {"size": 9},
                "ticklen": 3,
            }
        ],
    )
    return base
