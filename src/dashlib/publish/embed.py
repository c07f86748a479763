"""Embed codes and standalone chart pages (pure: no streamlit import).

- :func:`iframe_snippet`: a responsive ``<iframe>`` plus a tiny listener script that sets the
  iframe's height from a ``postMessage`` the embedded page sends (as Datawrapper does). The app
  uses it for its "Embed" panel; the export gallery uses it for the exported files.
- :func:`dashlib.publish.pages.standalone_html` (a Jinja2 template) uses what is here: one chart
  as a self-sufficient HTML page built from the same figure
  the app shows. plotly.js comes from its CDN, or is inlined with ``offline=True``; the base
  map (our own topojson from ``static/topojson``, Crimea in Ukraine) is always seeded into the
  page as ``window.PlotlyGeoAssets`` before plotly.js loads, so no map request leaves the page.
  A map showing exactly the view a file in ``static/topojson/region`` was cut for gets that
  file (~90 KiB) instead of the whole base map (~400 KiB); see :func:`topojson_path`.
  The page posts its height to ``window.parent`` (see :data:`HEIGHT_POSTER_JS`).

Message format: ``{"dashlib-embed-height": <pixels>}``. The listener only resizes the iframe
whose window sent the message, so any number of embeds can share one page.

An exported map comes as two pages, ``NAME.html`` and its phone version ``NAME-phone.html``
(the builder's ``compact`` figure). Each page's first script (:func:`viewport_switch_js`)
sends a window on the other side of :data:`~dashlib.viewport.NARROW_PX` to the other page,
so every link and embed code names ``NAME.html`` and readers get the layout for their screen
(in an iframe, the iframe's own width decides). :func:`fit_height_js` keeps the map filling
its plot at any width near the one the figure was laid out for.
"""

from __future__ import annotations

import html
import json
import math
import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import plotly.graph_objects as go

from dashlib import paths
from dashlib.query.selection import Selection
from dashlib.viewport import NARROW_PX

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
    # No toolbar on exported pages: on a phone it sat over the chart's title (the gallery
    # offers the PNG; the app hides it too, ui/components.py).
    "displayModeBar": False,
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


# When plotly.js never arrived (a CMS's content policy blocking its CDN, a network error), the
# chart's box stays blank: show the chart's title, words and source instead, with a link to
# its PNG when the page has one. Checked after load (plotly.js loads synchronously before).
FALLBACK_JS = (
    "window.addEventListener('load',function(){if(!window.Plotly){"
    "document.documentElement.className+=' no-plotly';"
    "var d=document.getElementById('chart-plot');if(d){d.style.display='none';}}});"
)


def viewport_switch_js(target: str, *, narrow: bool) -> str:
    """The script that opens ``target`` (a file next to the page, e.g. ``map-phone.html``)
    in the page's place, with the same query string and fragment, when the window (an
    iframe's own) is narrower than ``NARROW_PX`` (``narrow``: the wide page's script) or at
    least that wide (the phone page's): one breakpoint, opposite sides, so never a loop.
    ``location.replace``: Back skips the page that sent the reader on. Run it first in
    ``<head>``, after the viewport ``<meta>`` (a phone's width is known from it).

    >>> js = viewport_switch_js("map.html", narrow=False)
    >>> js[js.index("if("):js.index(";})")]
    'if(w>=640)location.replace("map.html"+location.search+location.hash)'
    """
    test = f"w>0&&w<{NARROW_PX}" if narrow else f"w>={NARROW_PX}"
    return (
        f"(function(){{var w=window.innerWidth;if({test})"
        f"location.replace({_script_safe(json.dumps(target))}+location.search+location.hash);}})();"
    )


def fit_height_js(fig: go.Figure, width: int) -> str:
    """plotly ``post_script`` keeping the map filling its plot at the page's width: the
    builder makes ``fig`` as tall as its map's view needs at ``width`` px (no blank band
    above or below the map); at another width the plot's height is set in that same
    proportion to its width (again after the legend rewraps, and on every resize). Width
    and height are set together: once plotly.js has a height it no longer follows its
    container's width by itself."""
    margin = fig.layout.margin
    height = float(fig.layout.height or 0)
    if not height:
        return ""
    side = [80.0 if v is None else float(v) for v in (margin.l, margin.r, margin.t, margin.b)]
    aspect = (height - side[2] - side[3]) / (width - side[0] - side[1])
    return (
        "(function(){var gd=document.getElementById('{plot_id}'),n=0;function fit(){"
        "var L=gd._fullLayout,s=L&&L._size,w=gd.clientWidth;if(!s||!w||n>3)return;"
        f"var h=Math.round(s.t+s.b+(w-s.l-s.r)*{aspect:.6f});"
        "if(Math.abs(h-L.height)<1&&Math.abs(w-L.width)<1)return;n++;gd.style.height=h+'px';"
        "Plotly.relayout(gd,{width:w,height:h}).then(fit);}"
        "fit();window.addEventListener('resize',function(){n=0;fit();});})();"
    )


def embed_url(base_url: str, page: str, selection: Selection) -> str:
    """The app's URL for ``page`` in embed mode with the selection's parameters."""
    params = {"embed": "true", **selection.to_params()}
    return f"{base_url.rstrip('/')}/{page.strip('/')}?{urlencode(params)}"


def static_base_url(environ: Mapping[str, str] | None = None) -> str | None:
    """``DASHLIB_EMBED_BASE_URL``: where the exported static embeds are published, or None."""
    value = (os.environ if environ is None else environ).get("DASHLIB_EMBED_BASE_URL", "")
    return value.strip() or None


def static_embed_url(base_url: str, file_name: str) -> str:
    """The published address of an exported file (``NAME.html``) under ``base_url``.

    >>> static_embed_url("https://cdn.example.org/embeds", "map-geo.html")
    'https://cdn.example.org/embeds/map-geo.html'
    """
    return f"{base_url.rstrip('/')}/{file_name.lstrip('/')}"


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


def zooms_into_view(fig: go.Figure, view: dict[str, Any]) -> bool:
    """Whether every map of the figure (a country zoom, its locator inset) frames a part
    of ``view``'s lon/lat ranges in the same projection: the region file then holds it."""
    if not view or "lonaxis" not in view:
        return False
    for name in ("geo", "geo2", "geo3"):
        geo = fig.layout[name] if name in fig.layout else None
        if geo is None or (name != "geo" and geo.lonaxis.range is None):
            continue
        lon, lat = geo.lonaxis.range, geo.lataxis.range
        if lon is None or lat is None or geo.projection.type != view.get("type"):
            return False
        (lo0, lo1), (la0, la1) = view["lonaxis"], view["lataxis"]
        if not (lo0 <= lon[0] <= lon[1] <= lo1 and la0 <= lat[0] <= lat[1] <= la1):
            return False
        if geo.projection.scale not in (None, 1) or geo.center.lon is not None:
            return False
        # Turned to the middle of its own longitudes, as dashlib.figures.map_view frames it.
        if not math.isclose(geo.projection.rotation.lon or 0, (lon[0] + lon[1]) / 2, abs_tol=0.01):
            return False
        if geo.center.lat is not None:
            return False
    return True


def topojson_path(fig: go.Figure, name: str) -> Path:
    """The file to seed as base map ``name``: the region cut when it was cut for this very
    view (it then holds everything the map can show), else the whole base map."""
    region = paths.topojson_dir() / REGION_SUBDIR / f"{name}.json"
    data = _read_topojson(region)
    if data is not None and (
        shows_view(fig, data.get("view") or {}) or zooms_into_view(fig, data.get("view") or {})
    ):
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
