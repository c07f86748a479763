"""The "Embed & download" panel under each chart: iframe code and files for this selection."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

from dashlib.publish.browser import INSTALL_HINT, find_browser
from dashlib.publish.csvsafe import csv_bytes
from dashlib.publish.embed import (
    MESSAGE_KEY,
    iframe_code,
    iframe_snippet,
    static_base_url,
    static_embed_url,
)
from dashlib.publish.images import ARTICLE_SCALE, ARTICLE_WIDTH, static_figure, topojson_url
from dashlib.publish.pages import standalone_html
from dashlib.query.selection import Selection
from dashlib.ui.components import lazy_expander

FALLBACK_BASE_URL = "http://localhost:8501"


def app_base_url() -> str:
    """Scheme, host and port the reader used to reach the app (for embed codes)."""
    url = st.context.url or ""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return FALLBACK_BASE_URL


def _image(fig: go.Figure, fmt: str) -> bytes:
    """PNG/SVG of the chart as on paper (kaleido + Debian's Chromium), made on click."""
    browser = find_browser()
    if browser is None:
        raise RuntimeError(f"Chromium is not installed on the server ({INSTALL_HINT})")
    import os

    os.environ.setdefault("BROWSER_PATH", browser)
    pio.defaults.topojson = topojson_url()
    height = int(fig.layout.height or 600)
    spec = static_figure(fig, ARTICLE_WIDTH, height)
    scale = ARTICLE_SCALE if fmt == "png" else 1
    data: bytes = pio.to_image(spec, format=fmt, width=ARTICLE_WIDTH, height=height, scale=scale)
    return data


def download_html(fig: go.Figure, fit_width: int | None = None) -> bytes:
    """The chart as one HTML page (plotly.js from its CDN); a map keeps its shape at any width
    (``fit_width``: the width it was laid out for)."""
    return standalone_html(fig, fit_width=fit_width).encode("utf-8")


def show_embed_panel(
    fig: go.Figure | Callable[[], go.Figure],
    *,
    title: str,
    page: str,
    name: str,
    selection: Selection,
    table: pd.DataFrame | Callable[[], pd.DataFrame],
    key: str,
    fit_width: int | None = None,
) -> None:
    """Iframe code and HTML/PNG/SVG/CSV downloads; ``fig`` and ``table`` may be functions
    (called once the panel is open: a page's figure wrapped for a wide screen passes the one
    wrapped for a phone, which the files need: a downloaded page is read at any width).
    ``fit_width``: a map's, the width its figure was laid out for: the downloaded page keeps
    the map's shape at any width (no blank band above or below it), as the exported pages do."""
    slug = re.sub(r"[^a-z0-9]+", "-", f"{name} {'-'.join(selection.countries)}".lower()).strip("-")
    with lazy_expander("Embed & download", key) as is_open:
        if not is_open:
            return
        if callable(fig):
            fig = fig()
        height = int(fig.layout.height or 600) + 60
        live = iframe_snippet(app_base_url(), page, selection, title, height)
        published = static_base_url()
        if published:  # the static file first: it costs the server nothing per reader
            st.markdown(
                "**Embed this view in a story** (static, recommended: no server session per "
                f"reader) — download the HTML below and publish it as `{slug}.html` at "
                f"{published}:"
            )
            st.code(
                iframe_code(static_embed_url(published, f"{slug}.html"), title, height),
                language="html",
            )
            st.markdown("**Or the live app** — one server session per reader:")
        else:
            st.markdown(
                "**Embed this view in a story** — the iframe resizes itself to its content:"
            )
        st.code(live, language="html")
        files = (
            ("HTML", "html", "text/html", lambda: download_html(fig, fit_width)),
            ("PNG", "png", "image/png", lambda: _image(fig, "png")),
            ("SVG", "svg", "image/svg+xml", lambda: _image(fig, "svg")),
            (
                "CSV (data)",
                "csv",
                "text/csv",
                lambda: csv_bytes(table() if callable(table) else table),
            ),
        )
        for column, (label, ext, mime, data) in zip(st.columns(len(files)), files, strict=True):
            column.download_button(
                label,
                data=data,
                file_name=f"{slug}.{ext}",
                mime=mime,
                key=f"{key}_{ext}",
                on_click="ignore",
            )
        st.caption(
            "Every file carries the title, source line, credit and data version. "
            "Images are rendered when you click (a few seconds)."
        )


# Runs in the app's own document (st.html with JavaScript, not a component frame), so the
# message comes from the very window the story page's iframe holds. No "<" in the code:
# st.html's sanitiser silently drops a script that contains one (seen with Streamlit 1.67).
# Installed once per page load; posts on load and whenever the content changes size.
HEIGHT_SCRIPT = (
    "<script>(function(){var story=window.parent;"
    "if(!story||story===window||window.__dashlibHeight)return;window.__dashlibHeight=1;"
    "var last=0,sel='[data-testid=\"stMainBlockContainer\"]';"
    "function content(){var b=document.querySelector(sel);if(!b)return 0;"
    "var top=b.getBoundingClientRect().top,bottom=0;"
    "for(var i=0;b.children.length>i;i++){bottom=Math.max(bottom,"
    "b.children[i].getBoundingClientRect().bottom);}"
    "return Math.ceil(bottom-top+parseFloat(getComputedStyle(b).paddingBottom||0));}"
    "function post(){var h=content();if(h>0&&Math.abs(h-last)>1){last=h;"
    "story.postMessage({'" + MESSAGE_KEY + "':h},'*');}}"
    "if(window.ResizeObserver){var ro=new ResizeObserver(post);ro.observe(document.body);"
    "var b=document.querySelector(sel);if(b)ro.observe(b);}"
    "window.addEventListener('resize',post);setInterval(post,1000);post();})();</script>"
)


def embed_height_script() -> Any:
    """In embed mode, tell the story page how tall the app's content is so its iframe fits.

    The story page's listener (:data:`dashlib.publish.embed.RESIZE_LISTENER_JS`) resizes the
    iframe whose window (or a frame inside it) sent the height.
    """
    return st.html(HEIGHT_SCRIPT, unsafe_allow_javascript=True)


def log_notes_to_console(notes: list[str]) -> Any:
    """Embed mode: the link's ignored settings go to the browser console, not to readers."""
    import json

    # No "<" at all: st.html's sanitiser drops a script containing one (checked in 1.67).
    text = json.dumps("dashlib embed: " + " ".join(notes)).replace("<", "\\u003c")
    return st.html(f"<script>console.warn({text});</script>", unsafe_allow_javascript=True)
