"""Pure figure builders: ``build_*_figure(dataset, selection, today) -> go.Figure``.

One builder per chart serves the app, the embeds and the PNG/SVG exports.
"""

from dashlib.figures.map import build_map_figure
from dashlib.figures.map_animation import build_map_animation
from dashlib.figures.timeline import build_timeline_figure

__all__ = ["build_map_animation", "build_map_figure", "build_timeline_figure"]
