"""HTML pages an editor publishes: one chart's standalone page and the export's gallery.

Both are Jinja2 templates (``publish/templates/``) rendered with autoescaping on: every value
from the data (titles, summaries, sources, ids) is escaped wherever it lands. Only what this
module builds itself is marked safe: plotly's chart ``<div>`` and script, the base-map seed
(JSON made script-safe by :func:`dashlib.publish.embed.geo_assets_script`), and our own CSS
and JavaScript constants.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2
import plotly.graph_objects as go
import plotly.io as pio
from markupsafe import Markup

from dashlib.data.dataset import Dataset
from dashlib.figures import theme
from dashlib.publish.catalogue import Chart
from dashlib.publish.embed import (
    FALLBACK_JS,
    HEIGHT_POSTER_JS,
    PLOTLY_CONFIG,
    embed_url,
    fit_height_js,
    geo_assets_script,
    iframe_code,
    iframe_snippet,
    viewport_switch_js,
)
from dashlib.publish.images import ARTICLE_WIDTH
from dashlib.query.summaries import view_title
from dashlib.viewport import NARROW_PX

# Without the app's public address the gallery writes no live-app embed code (an iframe at
# localhost would embed nothing for a story's readers) and says how to get them.
NO_BASE_URL_NOTE = (
    "No live-app embed codes: this export was made without the app's public address. "
    "Run the export again with --base-url https://YOUR-APP-ADDRESS to add them."
)
# Said once at the top of the gallery: a map's phone version needs no embed code of its own.
PHONE_NOTE = (
    "On phones readers get a phone layout of each map: in a window or an iframe narrower than "
    f"{NARROW_PX} px, its page opens its phone version (“HTML, phone layout”: the map as the "
    "app draws it on a phone) in its place, keeping the link's parameters. Embed and link "
    "only the main page."
)
TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("dashlib.publish", "templates"),
    autoescape=True,  # every template, whatever its file name
    undefined=jinja2.StrictUndefined,  # a misspelt variable fails instead of printing nothing
    keep_trailing_newline=True,
)

PAGE_CSS = (
    "html,body{margin:0;padding:0;background:#fff;}"
    f"body{{font-family:{theme.FONT};color:{theme.INK};}}"
    "figure{margin:0;}"
    ".sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;"
    "clip:rect(0,0,0,0);white-space:nowrap;border:0;}"
    "noscript p,.fallback p{margin:8px;font-size:14px;line-height:1.4;}"
    ".fallback{display:none;}.no-plotly .fallback{display:block;}"
)

GALLERY_CSS = f"""
body{{font-family:{theme.FONT};color:{theme.INK};margin:0 auto;max-width:1100px;padding:24px;}}
h1{{font-size:26px;margin:0 0 4px}} .lead{{color:{theme.MUTED};margin:0 0 24px}}
.note{{background:#fff8e1;border-left:4px solid #f0b429;padding:8px 12px;margin:0 0 24px}}
.card{{border:1px solid #ddd;border-radius:8px;padding:16px;margin:0 0 24px}}
.card h2{{font-size:19px;margin:0 0 4px}} .card .desc{{color:{theme.MUTED};font-size:14px}}
.preview{{display:block;width:100%;max-width:800px;border:1px solid #eee}}
.files a{{margin-right:12px}} .files{{margin:8px 0}}
.code{{margin:10px 0}} .code label{{font-weight:600;font-size:14px;display:block}}
textarea{{width:100%;height:86px;font:12px/1.4 monospace;box-sizing:border-box}}
button{{font:inherit;font-size:14px;padding:4px 12px;cursor:pointer}}
.copied{{color:#007a3d;font-size:13px;margin-left:8px}}
"""

GALLERY_JS = """
document.querySelectorAll('textarea[data-rel]').forEach(function(t){
  if (!/^https?:$/.test(location.protocol)) return;
  var abs = new URL(t.dataset.rel, location.href).href;
  t.value = t.value.split('src="' + t.dataset.rel + '"').join('src="' + abs + '"');
});
document.querySelectorAll('button[data-copy]').forEach(function(b){
  b.addEventListener('click', function(){
    var t = document.getElementById(b.dataset.copy), note = b.nextElementSibling;
    function done(){
      note.textContent = 'Copied';
      setTimeout(function(){ note.textContent = ''; }, 1500);
    }
    function fallback(){ t.select(); document.execCommand('copy'); done(); }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(t.value).then(done, fallback);
    } else { fallback(); }
  });
});
"""

# The files an export may write for a chart, in the order the gallery lists them.
FILE_KINDS = (
    ("HTML", "{}.html"),
    ("HTML, phone layout", "{}-phone.html"),
    ("PNG", "{}.png"),
    ("Social card PNG", "{}-social.png"),
    ("SVG", "{}.svg"),
    ("CSV data", "{}.csv"),
)


def _meta(fig: go.Figure, key: str) -> str:
    meta = fig.layout.meta
    if isinstance(meta, dict):
        return str(meta.get(key) or "")
    return ""


def plot_div(fig: go.Figure, *, offline: bool = False, post_script: str = "") -> str:
    """plotly's ``<div>`` and script for ``fig`` (plotly.js inlined or from its CDN);
    ``post_script`` runs once plotly.js has drawn it."""
    height = fig.layout.height
    return str(
        pio.to_html(
            fig,
            config=PLOTLY_CONFIG,
            auto_play=False,
            include_plotlyjs=True if offline else "cdn",
            include_mathjax=False,
            full_html=False,
            default_width="100%",
            default_height=f"{int(height)}px" if height else "100%",
            div_id="chart-plot",
            post_script=post_script or None,
        )
    )


def standalone_html(
    fig: go.Figure,
    *,
    offline: bool = False,
    title: str | None = None,
    page_title: str | None = None,
    png: str | None = None,
    fit_width: int | None = None,
    phone_page: str | None = None,
    wide_page: str | None = None,
) -> str:
    """A complete HTML page with one chart, its accessible description and the height poster.

    ``png``: the address of the chart's PNG (relative to the page, e.g. ``map.png``), linked
    from the text shown when plotly.js cannot load (a CMS policy blocking its CDN) and from
    the ``<noscript>`` text.

    A map's pages (see :mod:`dashlib.publish.embed`): ``fit_width``, the width (px) the
    figure was laid out for: at another width the plot keeps its shape, so the map fills it
    (:func:`~dashlib.publish.embed.fit_height_js`); a wide page (``phone_page`` given) is
    drawn no wider than that, centred. ``phone_page``: the phone version a narrow window is
    sent to; ``wide_page``: on a phone version, the page a wide window is sent to, which is
    also its canonical address.
    """
    title = title or _meta(fig, "title") or theme.ISSUE_TITLE
    # File names next to the page, as relative URLs (a ":" would make one a scheme).
    phone_page, wide_page = (quote(p) if p else None for p in (phone_page, wide_page))
    switch = ""
    if phone_page:
        switch = viewport_switch_js(phone_page, narrow=True)
    elif wide_page:
        switch = viewport_switch_js(wide_page, narrow=False)
    css = PAGE_CSS
    if fit_width and not wide_page:
        css += f"#chart{{max-width:{int(fit_width)}px;margin:0 auto;}}"
    return TEMPLATES.get_template("chart.html").render(
        page_title=page_title or title,
        title=title,
        summary=_meta(fig, "summary"),
        source=_meta(fig, "source"),
        credit=theme.CREDIT,
        switch=Markup(switch),
        canonical=wide_page,
        css=Markup(css),
        geo_assets=Markup(geo_assets_script(fig)),
        plot=Markup(
            plot_div(
                fig,
                offline=offline,
                post_script=fit_height_js(fig, fit_width) if fit_width else "",
            )
        ),
        png=png,
        scripts=Markup(FALLBACK_JS + HEIGHT_POSTER_JS),
    )


@dataclass(frozen=True)
class Card:
    """What the gallery shows for one chart (every text escaped by the template)."""

    name: str
    label: str
    title: str
    summary: str
    page: str
    app_url: str | None
    height: int
    png: bool
    files: tuple[tuple[str, str], ...]
    hosted: str
    app: str | None


def web_url(url: str) -> str:
    """``url`` when it is an http(s) address, else ``#``: a link never runs a script
    (``javascript:``) however the base URL was given.

    >>> web_url("https://example.org/map?embed=true"), web_url("javascript:alert(1)")
    ('https://example.org/map?embed=true', '#')
    """
    return url if urlsplit(url).scheme in ("http", "https") else "#"


def live_title(ds: Dataset, chart: Chart) -> str:
    """The live app's iframe ``title`` for ``chart``: the view's name, dated only when the
    selection fixes the date (the live map otherwise shows whatever day the reader opens it,
    so the export's date would be wrong from the next day).

    The exported file's code keeps the figure's own title: that file is fixed at its date.
    """
    name = view_title(ds, chart.selection, chart.page)
    day = chart.selection.as_of
    return f"{name}, {day:%-d %b %Y}" if day is not None and chart.page == "map" else name


def card(chart: Chart, fig: go.Figure, out_dir: Path, base_url: str | None, ds: Dataset) -> Card:
    """The gallery card of ``chart``: its preview, the files written, its embed codes (the
    live app's only when the app's public ``base_url`` is known, titled by
    :func:`live_title`)."""
    meta: Mapping[str, Any] = fig.layout.meta or {}
    height = int(fig.layout.height or 600)
    title = str(meta.get("title") or chart.label)
    n = chart.name
    files = tuple(
        (label, pattern.format(n))
        for label, pattern in FILE_KINDS
        if (out_dir / pattern.format(n)).exists()
    )
    return Card(
        name=n,
        label=chart.label,
        title=title,
        summary=str(meta.get("summary", "")),
        page=chart.page,
        app_url=web_url(embed_url(base_url, chart.page, chart.selection)) if base_url else None,
        height=height,
        png=(out_dir / f"{n}.png").exists(),
        files=files,
        hosted=iframe_code(f"{n}.html", title, height),
        app=(
            iframe_snippet(
                base_url, chart.page, chart.selection, live_title(ds, chart), height + 60
            )
            if base_url
            else None
        ),
    )


def gallery_html(
    ds: Dataset,
    charts: list[Chart],
    figures: Mapping[str, go.Figure],
    out_dir: Path,
    *,
    base_url: str | None = None,
    offline: bool = False,
) -> str:
    """index.html: every chart with a preview, its files and copy-paste embed codes; the live
    app's codes only for a given ``base_url`` (else a note says how to add them)."""
    return TEMPLATES.get_template("gallery.html").render(
        issue_title=theme.ISSUE_TITLE,
        version=ds.version,
        last_updated=f"{ds.last_updated:%d %B %Y}",
        mode="plotly.js inlined (works offline)" if offline else "plotly.js from its CDN",
        credit=theme.CREDIT,
        cards=[card(c, figures[c.name], out_dir, base_url, ds) for c in charts],
        no_base_url_note=None if base_url else NO_BASE_URL_NOTE,
        phone_note=PHONE_NOTE if any(c.phone_name for c in charts) else None,
        article_width=ARTICLE_WIDTH,
        css=Markup(GALLERY_CSS),
        js=Markup(GALLERY_JS),
    )
