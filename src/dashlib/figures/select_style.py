"""A click on the map selects what was clicked, and plotly.js must not fade everything else.

The map reports clicks as selections (``clickmode="event+select"``: Streamlit's
``on_select`` needs them). plotly.js then draws every trace of the subplot in its "selected"
or "unselected" style, and the default unselected style fades markers, countries and text
to a fifth of their colour: one tap on a site dimmed the whole map. Here each trace keeps
its own look whether a point is selected or not (the details card says what was tapped).
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

_SELECTABLE = {"choropleth", "scattergeo"}


def _style(trace: Any) -> dict[str, Any]:
    opacity = trace.marker.opacity
    style: dict[str, Any] = {
        "marker": {"opacity": opacity if isinstance(opacity, int | float) else 1.0}
    }
    color = getattr(getattr(trace, "textfont", None), "color", None)
    if isinstance(color, str):
        style["textfont"] = {"color": color}
    return style


def keep_colours_on_select(fig: go.Figure) -> go.Figure:
    """Give every selectable map trace the same selected and unselected style as its own."""
    for trace in fig.data:
        if trace.type in _SELECTABLE:
            style = _style(trace)
            trace.update(selected=style, unselected=style)
    return fig
