"""The app's copy of a figure: what plotly.js gets in the reader's browser.

Streamlit mounts a new chart whenever the figure changes (a filter, a date), then hands
plotly.js a JSON copy of the same figure once more (``Plotly.react``) right after drawing
it. plotly.js compares the copy with what it drew and redraws everything it finds changed:
an object-valued attribute (``layout.template``, ``layout.meta``, an inline ``geojson``)
compares by identity, so its copy always looks changed, and without ``layout.datarevision``
so does every data array. That second, useless redraw of the map blocked the page for
0.1-0.2 s after every filter change on this 2-core machine (bench/RESULTS.md).

The figures carry no template (``figures.common.frame_layout``); the copy made here also
leaves out ``layout.meta`` (the summary and credits the page and the exports read on the
server), points an inline GeoJSON the app also serves as a static file at its URL, and
sets ``layout.datarevision`` to a hash of the traces, so a real change of data still
counts. Exports and embeds keep the original figure: it is self-contained.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

from dashlib import paths
from dashlib.data.geo import for_plotly

# Streamlit serves static/ at /app/static/ (.streamlit/config.toml).
STATIC_URL = "/app/static/"
SERVED_GEOJSON = ("geo/crimea.geojson",)


def canonical_json(obj: Any) -> str:
    """One text per JSON value, whatever its key order, spacing or tuples."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"))


_served: dict[tuple[str, float], str] = {}


def served_geojson_urls(
    static_dir: Path | None = None, static_url: str = STATIC_URL
) -> dict[str, str]:
    """canonical JSON -> URL of each GeoJSON the app serves from ``static_dir`` at
    ``static_url`` (Streamlit's /app/static/, below the server's base path if it has one)."""
    folder = paths.static_dir(static_dir)
    out: dict[str, str] = {}
    for name in SERVED_GEOJSON:
        path = folder / name
        try:
            key = (str(path), path.stat().st_mtime)
        except OSError:
            continue
        if key not in _served:
            _served[key] = canonical_json(json.loads(path.read_text(encoding="utf-8")))
        out[_served[key]] = static_url + name
    return out


def write_served_geojson(
    geojson: dict[str, Any], name: str, static_dir: Path | None = None
) -> Path:
    """Write the plotly-ready ``geojson`` (``geo.for_plotly``) where the app serves it."""
    path = paths.static_dir(static_dir) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(canonical_json(for_plotly(geojson)) + "\n", encoding="utf-8")
    return path


def for_browser(fig: go.Figure, geojson_urls: dict[str, str] | None = None) -> go.Figure:
    """The copy of ``fig`` the app sends to the reader's browser (see the module's doc).

    ``geojson_urls`` is ``served_geojson_urls()``: an inline GeoJSON equal to a served file
    becomes that file's URL (plotly.js fetches it once and keeps it). Anything else stays.
    """
    figure = fig.to_dict()
    figure["layout"].pop("meta", None)
    for trace in figure["data"]:
        geojson = trace.get("geojson")
        if isinstance(geojson, dict) and geojson_urls:
            trace["geojson"] = geojson_urls.get(canonical_json(geojson), geojson)
    digest = hashlib.sha1(pio.to_json({"data": figure["data"]}, validate=False).encode())
    figure["layout"]["datarevision"] = digest.hexdigest()[:16]
    return SentFigure(figure)


class SentFigure(go.Figure):  # type: ignore[misc]
    """A figure whose plotly JSON is fixed when it is made: read-only.

    ``to_dict()`` hands out that dictionary itself. Streamlit calls it on every rerun, and a
    plotly figure's own ``to_dict()`` deep-copies everything (for the map, 36 animation
    frames: ~17 ms a rerun). The dictionary comes from a validated figure's ``to_dict()``.
    """

    def __init__(self, figure: dict[str, Any]) -> None:
        super().__init__()
        self._sent = figure

    def to_dict(self) -> dict[str, Any]:
        return self._sent
