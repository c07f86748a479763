"""Embed codes and standalone chart pages (pure: no streamlit import).

- :func:`iframe_snippet`: a responsive ``<iframe>`` plus a tiny listener script that sets the
  iframe's height from a ``postMessage`` the embedded page sends (as Datawrapper does). The app
  uses it for its "Embed" panel; the export gallery uses it for the exported files.
- :func:`standalone_html`: one chart as a self-sufficient HTML page built from the same figure
  the app shows. plotly.js comes from its CDN, or is inlined with ``offline=True``; the base
  map (our own topojson from ``static/topojson``, Crimea in Ukraine) is always seeded into the
  page as ``window.PlotlyGeoAssets`` before plotly.js loads, so no map request leaves the page.
  A map showing exactly the view a file in ``static/topojson/region`` was cut for gets that
  file (~90 KiB) instead of the whole base map (~400 KiB); see :func:`topojson_path`.
  The page posts its height to ``window.parent`` (see :data:`HEIGHT_POSTER_JS`).

Message format: ``{"dashlib-embed-height": <pixels>}``. The listener only resizes the iframe
whose window sent the message, so any number of embeds can share one page.
"""

from __future__ import annotations

import html
import json
import math
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import plotly.graph_objects as go
import plotly.io as pio

from dashlib import paths
from dashlib.figures import theme
from dashlib.query.selection import Selection

# The base map cut to the dashboard's map view by scripts/build_boundaries.py, in this folder
# of paths.topojson_dir(). Same file names as the whole maps: plotly.js asks for
# ``<geo.scope>_<geo.resolution>m`` whatever the folder.
REGION_SUBDIR = "region"
MESSAGE_KEY = "dashlib-embed-height"
GEO_TRACES = {"choropleth", "scattergeo"}

# Sent by an embedded page: its height, on load and whenever it changes size.
HEIGHT_POSTER_JS = (
    "(function(){if(window.parent===window)return;var last=0;function post(){"
    "var h=Math.ceil(document.body.getBoundingClientRect().height);"
    "if(h&&h!==last){last=h;window.parent.postMessage({'" + MESSAGE_KEY + "':h},'*');}}"
    "window.addEventListener('load',post);window.addEventListener('resize',post);"
    "if(window.ResizeObserver){new ResizeObserver(post).observe(document.body);}"
    "setTimeout(post,500);})();"
)

# Runs once on the host page; resizes the iframe whose window sent a height, or whose window
# holds the frame that sent it: the live app (Streamlit) can only run script in a component
# frame nested inside the app's own frame, so its message comes from a grandchild. Walking up
# ``parent`` is allowed across origins; at most 3 levels, and only frames inside one of this
# page's own iframes count, so no other page can resize them.
RESIZE_LISTENER_JS = (
    "(function(){if(window.dashlibEmbedListener)return;window.dashlibEmbedListener=1;"
    "window.addEventListener('message',function(e){var h=e.data&&e.data['" + MESSAGE_KEY + "'];"
    "if(typeof h!=='number'||!(h>0)||!e.source)return;h=Math.min(Math.ceil(h),10000);"
    "var f=document.getElementsByTagName('iframe');for(var i=0;i<f.length;i++){"
    "var w=e.source;for(var k=0;k<3&&w;k++){if(f[i].contentWindow===w){"
    "f[i].style.height=h+'px';return;}if(w===w.parent)break;w=w.parent;}}});})();"
)

PLOTLY_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}

_PAGE_CSS = (
    "html,body{margin:0;padding:0;background:#fff;}"
    f"body{{font-family:{theme.FONT};color:{theme.INK};}}"
    "figure{margin:0;}"
    ".sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;"
    "clip:rect(0,0,0,0);white-space:nowrap;border:0;}"
    "noscript p,.fallback p{margin:8px;font-size:14px;line-height:1.4;}"
    ".fallback{display:none;}.no-plotly .fallback{display:block;}"
)

# When plotly.js never arrived (a CMS's content policy blocking its CDN, a network error), the
# chart's box stays blank: show the chart's title, words and source instead, with a link to
# its PNG when the page has one. Checked after load (plotly.js loads synchronously before).
FALLBACK_JS = (
    "window.addEventListener('load',function(){if(!window.Plotly){"
    "document.documentElement.className+=' no-plotly';"
    "var d=document.getElementById('chart-plot');if(d){d.style.display='none';}}});"
)


def embed_url(base_url: str, page: str, selection: Selection) -> str:
    """The app's URL for ``page`` in embed mode with the selection's parameters."""
    params = {"embed": "true", **selection.to_params()}
    return f"{base_url.rstrip('/')}/{page.strip('/')}?{urlencode(params)}"


def iframe_code(src: str, title: str, height: int) -> str:
    """The responsive iframe and the listener that resizes it (a copy-paste embed code)."""
    return (
        f'<iframe src="{html.escape(src)}" title="{html.escape(title)}" '
        f'style="width:100%;min-width:100%;border:0;height:{int(height)}px" '
        f'height="{int(height)}" scrolling="no" loading="lazy"></iframe>\n'
        f"<script>{RESIZE_LISTENER_JS}</script>"
    )


def iframe_snippet(
    base_url: str, page: str, selection: Selection, title: str, height: int = 650
) -> str:
    """Embed code for the app's ``page`` (``map``, ``timeline`` …) showing ``selection``.

    >>> s = iframe_snippet("https://x.org/", "map", Selection(countries=("GEO",)), "Map", 600)
    >>> 'src="https://x.org/map?embed=true&amp;country=GEO"' in s
    True
    """
    return iframe_code(embed_url(base_url, page, selection), title, height)


@cache
def _read_topojson(path: Path) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@cache
def topojson_text(path: Path) -> str:
    """A topojson file, compact, safe inside a ``<script>``."""
    data = _read_topojson(path)
    if data is None:
        raise FileNotFoundError(path)
    return _script_safe(json.dumps(data, separators=(",", ":")))


def topojson_names(fig: go.Figure) -> list[str]:
    """The base map plotly.js will ask for (``world_50m`` …); none for a chart without geo."""
    if not any(t.type in GEO_TRACES for t in fig.data):
        return []
    geo = fig.layout.geo
    return [f"{geo.scope or 'world'}_{int(geo.resolution or 110)}m"]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, abs_tol=1e-9)
    return bool(a == b)


def shows_view(fig: go.Figure, view: dict[str, Any]) -> bool:
    """Whether the figure's map is framed exactly as ``view`` (a region base map's ``view``
    member): same projection, rotation, lon/lat ranges and centre, not zoomed."""
    geo = fig.layout.geo
    proj, rot = geo.projection, geo.projection.rotation
    lon, lat = geo.lonaxis.range, geo.lataxis.range
    if lon is None or lat is None or rot.lon is None or proj.scale not in (None, 1):
        return False
    center = [geo.center.lon, geo.center.lat]
    default = [rot.lon, (lat[0] + lat[1]) / 2]  # plotly.js's defaults for a world map
    actual = {
        "type": proj.type,
        "rotation": [rot.lon, rot.lat or 0, rot.roll or 0],
        "parallels": list(proj.parallels or ()),
        "lonaxis": list(lon),
        "lataxis": list(lat),
        "center": [c if c is not None else d for c, d in zip(center, default, strict=True)],
    }
    return all(_same(value, view.get(key)) for key, value in actual.items())


def topojson_path(fig: go.Figure, name: str) -> Path:
    """The file to seed as base map ``name``: the region cut when it was cut for this very
    view (it then holds everything the map can show), else the whole base map."""
    region = paths.topojson_dir() / REGION_SUBDIR / f"{name}.json"
    data = _read_topojson(region)
    if data is not None and shows_view(fig, data.get("view") or {}):
        return region
    return paths.topojson_dir() / f"{name}.json"


def _script_safe(text: str) -> str:
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def geo_assets_script(fig: go.Figure) -> str:
    """``<script>`` seeding plotly.js's base maps (must come before plotly.js)."""
    names = topojson_names(fig)
    if not names:
        return ""
    parts = ",".join(f"{json.dumps(n)}:{topojson_text(topojson_path(fig, n))}" for n in names)
    return f"<script>window.PlotlyGeoAssets={{topojson:{{{parts}}}}};</script>"


def _meta(fig: go.Figure, key: str) -> str:
    meta = fig.layout.meta
    if isinstance(meta, dict):
        return str(meta.get(key) or "")
    return ""


def standalone_html(
    fig: go.Figure,
    *,
    offline: bool = False,
    title: str | None = None,
    page_title: str | None = None,
    png: str | None = None,
) -> str:
    """A complete HTML page with one chart, its accessible description and the height poster.

    ``png``: the address of the chart's PNG (relative to the page, e.g. ``map.png``), linked
    from the text shown when plotly.js cannot load (and from the ``<noscript>`` text).
    """
    title = title or _meta(fig, "title") or theme.ISSUE_TITLE
    summary = _meta(fig, "summary")
    source = _meta(fig, "source")
    height = fig.layout.height
    div = pio.to_html(
        fig,
        config=PLOTLY_CONFIG,
        auto_play=False,
        include_plotlyjs=True if offline else "cdn",
        include_mathjax=False,
        full_html=False,
        default_width="100%",
        default_height=f"{int(height)}px" if height else "100%",
        div_id="chart-plot",
    )
    e = html.escape
    image = f'<br><a href="{e(png)}">The chart as an image (PNG)</a>' if png else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(page_title or title)}</title>
<meta name="description" content="{e(summary)}">
<style>{_PAGE_CSS}</style>
{geo_assets_script(fig)}
</head>
<body>
<figure id="chart" aria-labelledby="chart-title" aria-describedby="chart-desc">
<figcaption class="sr-only"><span id="chart-title">{e(title)}</span>
<span id="chart-desc">{e(summary)}</span>
<span>{e(source)} {e(theme.CREDIT)}</span></figcaption>
{div}
<div class="fallback" role="note"><p><strong>{e(title)}.</strong> {e(summary)}<br>
{e(source)} {e(theme.CREDIT)}{image}</p></div>
<noscript><p><strong>{e(title)}.</strong> {e(summary)}<br>{e(source)} {e(theme.CREDIT)}{image}</p>
</noscript>
</figure>
<script>{FALLBACK_JS}{HEIGHT_POSTER_JS}</script>
</body>
</html>
"""
