"""The timeline: one lane per country, interventions as bars, events as points.

Bars run from the first to the last day their (possibly partial) dates can mean; ongoing
ones run to today and end in an arrow. Colours are the map's kind colours.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashlib.data.dataset import Dataset
from dashlib.data.dates import format_partial
from dashlib.figures import theme
from dashlib.figures.common import (
    esc,
    first_source,
    frame_layout,
    source_line,
    today_default,
    wrap,
)
from dashlib.figures.map import troop_text
from dashlib.layers.acled.aggregate import CREDIT as ACLED_CREDIT
from dashlib.layers.acled.aggregate import aggregate_for_timeline
from dashlib.query import filters
from dashlib.query.prepared import row_strings
from dashlib.query.selection import Selection
from dashlib.query.summaries import TIMELINE_HEADLINE, timeline_summary, timeline_title

REGION_ORDER = ("Russia", "Eastern Europe", "South Caucasus", "Central Asia", "Baltic")
LANE_HEIGHT = 46
MS_PER_DAY = 86_400_000
SHORT_DAYS = 120
# Above this many events in view, the timeline counts them per country and month instead.
MAX_EVENT_MARKERS = 2_000


def lane_order(ds: Dataset, codes: set[str]) -> list[str]:
    """Countries with something to show, grouped by region, in a stable order."""
    frame = ds.countries[ds.countries["iso3"].isin(codes)].copy()
    frame["r"] = frame["region"].map({r: i for i, r in enumerate(REGION_ORDER)})
    return [str(code) for code in frame.sort_values(["r", "name"])["iso3"]]


def _sublanes(inter: pd.DataFrame, today: pd.Timestamp) -> pd.Series:
    """Index of the sub-lane per bar so bars in one country do not overlap."""
    slot = pd.Series(0, index=inter.index)
    for _, group in inter.groupby("country_iso3"):
        ends: list[pd.Timestamp] = []
        for index, row in group.sort_values("start").iterrows():
            end = row["end"] if not pd.isna(row["end"]) else today
            for i, last in enumerate(ends):
                if row["start"] > last:
                    ends[i] = end
                    slot[index] = i
                    break
            else:
                ends.append(end)
                slot[index] = len(ends) - 1
    return slot


def _bar_hover(ds: Dataset, r: Any) -> str:
    end = format_partial(str(r.end_date)) if isinstance(r.end_date, str) else "ongoing"
    parts = [
        f"<b>{esc(r.title)}</b>",
        f"{esc(format_partial(str(r.start_date)))} – {esc(end)}",
        esc(theme.KIND_LABELS.get(r.kind, r.kind))
        + (" · inside Russia" if r.inside_russia else ""),
        f"Troops: {esc(troop_text(r.troops_low, r.troops_high, r.troops_as_of))}",
        _wrap(esc(r.summary)),
        f"Source: {esc(first_source(ds, r.source_ids))}",
    ]
    return "<br>".join(parts)


def _wrap(text: str, width: int = 60) -> str:
    """``text`` in hover lines of at most ``width`` characters."""
    return "<br>".join(wrap(text, width))


def _event_hover(ds: Dataset, r: Any) -> str:
    return (
        f"<b>{esc(r.title)}</b><br>{esc(format_partial(str(r.date)))}"
        f"<br>{_wrap(esc(r.description or ''))}"
        f"<br>Source: {esc(first_source(ds, r.source_ids))}"
    )


def _monthly_events_trace(
    ds: Dataset, events: pd.DataFrame, lane_y: dict[str, int], names: dict[str, str]
) -> go.Scatter:
    """Events counted per country, month and kind: one marker per group, area by count.

    Used above :data:`MAX_EVENT_MARKERS` events, where one diamond per event would pile up
    into a solid band (the events table still lists each one).
    """
    month = events["when"].to_numpy().astype("datetime64[M]")
    groups = (
        pd.DataFrame({"country": events["country_iso3"].to_numpy(), "month": month})
        .assign(kind=events["kind"].to_numpy())
        .groupby(["country", "month", "kind"], sort=True)
        .size()
        .reset_index(name="n")
    )
    largest = float(groups["n"].max())
    when = pd.to_datetime(groups["month"])
    return go.Scatter(
        x=when.dt.strftime("%Y-%m-%d").tolist(),
        y=[lane_y[c] - 0.40 for c in groups["country"]],
        mode="markers",
        marker={
            "symbol": "diamond",
            "size": [5 + 11 * (float(n) / largest) ** 0.5 for n in groups["n"]],
            "color": [theme.KIND_COLORS.get(k, theme.MUTED) for k in groups["kind"]],
            "line": {"color": "#222222", "width": 0.6},
        },
        name=f"Events per month ({len(events):,} events)",
        hovertext=[
            f"<b>{int(n):,} event(s)</b>, {m:%B %Y}<br>{esc(names.get(c, c))} · "
            f"{esc(theme.KIND_LABELS.get(k, k))}<br>Grouped by month at this scale; "
            "the events table lists each one"
            for c, m, k, n in zip(groups["country"], when, groups["kind"], groups["n"], strict=True)
        ],
        hovertemplate="%{hovertext}<extra></extra>",
    )


# The date axis's labels: plotly.js picks the spacing for the plot's width and the zoom (about
# one label per 80 px, so a phone gets fewer than a desktop, and zooming into a month labels
# days), and the label's format follows that spacing, so no two labels read the same (a fixed
# "%Y" on monthly ticks read "2008" seven times; a fixed five-year step crowded a phone).
# Stops are matched in order, both ends included: a one-year step is labelled by its year.
DATE_TICK_FORMATS: list[dict[str, Any]] = [
    {"dtickrange": ["M12", None], "value": "%Y"},
    {"dtickrange": ["M1", "M12"], "value": "%b %Y"},
    {"dtickrange": [None, "M1"], "value": "%-d %b<br>%Y"},
]


def build_timeline_figure(
    ds: Dataset,
    selection: Selection,
    today: dt.date | None = None,
    height: int | None = None,
    acled: pd.DataFrame | None = None,
    *,
    text_width: int | None = None,
) -> go.Figure:
    """Interventions and events of the selection, one lane per country.

    ``text_width``: the narrowest the figure is ever drawn, where that is more than a phone's
    (a wide screen's page, an exported page): its title and notes are wrapped for it.

    With ``layer=acled`` in the selection and the ACLED layer given, monthly counts of ACLED
    events involving Russian forces run along the bottom of each lane (one marker per month).
    """
    today = today_default(today)
    now = pd.Timestamp(today)
    inter = filters.interventions(ds, selection, today)
    events = filters.events(ds, selection, today)
    lanes = lane_order(ds, set(inter["country_iso3"]) | set(events["country_iso3"]))
    lane_y = {code: i for i, code in enumerate(reversed(lanes))}
    names = dict(zip(ds.countries["iso3"], ds.countries["name"], strict=True))
    slots = _sublanes(inter, now) if len(inter) else pd.Series(dtype=int)
    depth = inter.assign(slot=slots).groupby("country_iso3")["slot"].max() if len(inter) else {}

    def bars_y(rows: pd.DataFrame) -> list[float]:
        return [
            lane_y[code] + 0.32 - (int(slots[i]) + 0.5) * (0.64 / (int(depth.get(code, 0)) + 1))
            for i, code in zip(rows.index, rows["country_iso3"], strict=True)
        ]

    def bars_hover(rows: pd.DataFrame) -> list[str]:
        positions = ds.interventions.index.get_indexer(rows.index).tolist()
        return row_strings(ds, "interventions", "timeline_hover", positions, _bar_hover)

    # Traces are collected and the figure made once: plotly's add_trace is slow per call.
    traces: list[Any] = []
    for kind in theme.KIND_ORDER:
        sub = inter[inter["kind"] == kind]
        if sub.empty:
            continue
        ends = sub["end"].fillna(now)
        n_lane = [int(depth.get(c, 0)) + 1 for c in sub["country_iso3"]]
        traces.append(
            go.Bar(
                orientation="h",
                base=sub["start"].dt.strftime("%Y-%m-%d").tolist(),
                x=((ends - sub["start"]).dt.days + 1).mul(MS_PER_DAY).tolist(),
                y=bars_y(sub),
                width=[0.6 / n for n in n_lane],
                marker={
                    "color": theme.KIND_COLORS[kind],
                    "line": {"color": "#333333", "width": 0.5},
                    "pattern": {
                        "shape": ["/" if o else "" for o in sub["ongoing"]],
                        "fgcolor": "rgba(255,255,255,0.55)",
                        "fillmode": "overlay",
                        "size": 7,
                        "solidity": 0.2,
                    },
                },
                name=theme.KIND_LABELS[kind],
                legendgroup=kind,
                hovertext=bars_hover(sub),
                hovertemplate="%{hovertext}<extra></extra>",
                customdata=sub["intervention_id"].tolist(),
            )
        )
        # Operations of a few weeks are thinner than a pixel at this scale: mark them with a
        # dot at their start so they stay visible (their bar keeps the true length).
        short = sub[(sub["end"].fillna(now) - sub["start"]).dt.days < SHORT_DAYS]
        if len(short):
            traces.append(
                go.Scatter(
                    x=short["start"].dt.strftime("%Y-%m-%d").tolist(),
                    y=bars_y(short),
                    mode="markers",
                    marker={
                        "symbol": "circle",
                        "size": 10,
                        "color": theme.KIND_COLORS[kind],
                        "line": {"color": "#333333", "width": 0.8},
                    },
                    name=theme.KIND_LABELS[kind],
                    legendgroup=kind,
                    showlegend=False,
                    hovertext=bars_hover(short),
                    hovertemplate="%{hovertext}<extra></extra>",
                    customdata=short["intervention_id"].tolist(),
                )
            )
        ongoing = sub[sub["ongoing"]]
        if len(ongoing):
            traces.append(
                go.Scatter(
                    x=[today.isoformat()] * len(ongoing),
                    y=bars_y(ongoing),
                    mode="markers",
                    marker={
                        "symbol": "triangle-right",
                        "size": 11,
                        "color": theme.KIND_COLORS[kind],
                        "line": {"color": "#333333", "width": 0.8},
                    },
                    name="Ongoing",
                    legendgroup=kind,
                    showlegend=False,
                    hovertext=[
                        f"<b>{esc(t)}</b><br>ongoing on {today:%d %b %Y}" for t in ongoing["title"]
                    ],
                    hovertemplate="%{hovertext}<extra></extra>",
                )
            )
    monthly = None
    if "acled" in selection.layers and acled is not None:
        start_range, end_range = selection.range_or(today)
        monthly = aggregate_for_timeline(acled, selection.countries or None, start_range, end_range)
        monthly = monthly[(monthly["events"] > 0) & monthly["country_iso3"].isin(lane_y)]
    if monthly is not None and len(monthly):
        largest = float(monthly["events"].max())
        traces.append(
            go.Scatter(
                x=monthly["period_start"].dt.strftime("%Y-%m-%d").tolist(),
                y=[lane_y[c] - 0.46 for c in monthly["country_iso3"]],
                mode="markers",
                marker={
                    "symbol": "square",
                    "color": "rgba(40,40,40,0.45)",
                    "size": [3 + 9 * (float(n) / largest) ** 0.5 for n in monthly["events"]],
                },
                name="ACLED events per month",
                hovertext=[
                    f"<b>{int(r.events):,} ACLED event(s)</b>, {r.period_start:%b %Y}<br>"
                    f"{int(r.fatalities):,} reported fatalities<br>Source: "
                    f"{esc(ACLED_CREDIT)}"
                    for r in monthly.itertuples(index=False)
                ],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    if len(events) > MAX_EVENT_MARKERS:
        traces.append(_monthly_events_trace(ds, events, lane_y, names))
    elif len(events):
        positions = ds.events.index.get_indexer(events.index)
        traces.append(
            go.Scatter(
                x=events["when"].dt.strftime("%Y-%m-%d").tolist(),
                y=[lane_y[c] - 0.40 for c in events["country_iso3"]],
                mode="markers",
                marker={
                    "symbol": "diamond",
                    "size": 9,
                    "color": [theme.KIND_COLORS[k] for k in events["kind"]],
                    "line": {"color": "#222222", "width": 1},
                },
                name="Event",
                hovertext=row_strings(ds, "events", "timeline_hover", positions, _event_hover),
                hovertemplate="%{hovertext}<extra></extra>",
                customdata=events["event_id"].tolist(),
            )
        )
    fig = go.Figure(traces)
    start, end = selection.range_or(today)
    if selection.intervention and len(inter):
        start = min(inter["start"]).date() - dt.timedelta(days=90)
        end = min(today, max(inter["end"].fillna(now)).date() + dt.timedelta(days=90))
    # A little room after the last day (for the ▶ of a running bar): a thirtieth of the span,
    # at most 30 days, so a one-month range ends with its month, not four weeks later.
    pad = dt.timedelta(days=min(30, max(1, (end - start).days // 30)))
    xaxis = dict(
        type="date",
        range=[start.isoformat(), (end + pad).isoformat()],
        showgrid=True,
        gridcolor="#EEEEEE",
        tickformatstops=DATE_TICK_FORMATS,
        zeroline=False,
        automargin=True,
    )
    yaxis = dict(
        tickvals=[lane_y[c] for c in lanes],
        ticktext=[esc(names.get(c, c)) for c in lanes],
        range=[-0.6, max(len(lanes), 1) - 0.4],
        showgrid=False,
        zeroline=False,
        fixedrange=True,
        automargin=True,
    )
    # Light separators between lanes and a dotted line at today, as plain shapes (one update
    # instead of a validated add_hline per lane).
    shapes: list[dict[str, Any]] = [
        {
            "type": "line",
            "xref": "paper",
            "x0": 0,
            "x1": 1,
            "yref": "y",
            "y0": lane_y[code] - 0.5,
            "y1": lane_y[code] - 0.5,
            "line": {"color": "#E0E0E0", "width": 1},
            "layer": "below",
        }
        for code in lanes
    ]
    shapes.append(
        {
            "type": "line",
            "yref": "paper",
            "y0": 0,
            "y1": 1,
            "xref": "x",
            "x0": today.isoformat(),
            "x1": today.isoformat(),
            "line": {"color": theme.MUTED, "width": 1, "dash": "dot"},
        }
    )
    title = timeline_title(ds, selection, TIMELINE_HEADLINE + " in the former Soviet Union")
    if selection.countries:
        title = timeline_title(ds, selection, TIMELINE_HEADLINE)
    if selection.intervention and len(inter):
        title = str(inter.iloc[0]["title"])
    frame_layout(
        fig,
        title=title,
        subtitle="Bars: interventions (hatched = ongoing, ▶ = still running today); "
        + (
            "◆ = events per country and month, area by count. "
            if len(events) > MAX_EVENT_MARKERS
            else "◆ = events. "
        )
        + "Colour = kind.",
        source=source_line(
            ds, inter["source_ids"].tolist() + pd.unique(events["source_ids"]).tolist()
        ),
        summary=timeline_summary(ds, selection, today),
        height=height or max(380, 230 + LANE_HEIGHT * len(lanes)),
        legend_gap=32,  # the year labels under the plot
        text_width=text_width,
        layout={
            "xaxis": xaxis,
            "yaxis": yaxis,
            "shapes": shapes,
            "barmode": "overlay",
            "bargap": 0,
            "showlegend": True,
            "hovermode": "closest",
            "margin": {"l": 110},
        },
    )
    return fig
