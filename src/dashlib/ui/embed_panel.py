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

from dashlib.publish.embed import iframe_snippet, standalone_html
from dashlib.publish.export import (
    ARTICLE_SCALE,
    ARTICLE_WIDTH,
    INSTALL_HINT,
    csv_bytes,
    find_browser,
    static_figure,
    topojson_url,
)
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


def show_embed_panel(
    fig: go.Figure,
    *,
    title: str,
    page: str,
    name: str,
    selection: Selection,
    table: pd.DataFrame | Callable[[], pd.DataFrame],
    key: str,
) -> None:
    """Iframe code and HTML/PNG/SVG/CSV downloads; ``table`` may be a function (built on click)."""
    slug = re.sub(r"[^a-z0-9]+", "-", f"{name} {'-'.join(selection.countries)}".lower()).strip("-")
    with lazy_expander("Embed & download", key) as is_open:
        if not is_open:
            return
        st.markdown("**Embed this view in a story** — the iframe resizes itself to its content:")
        st.code(
            iframe_snippet(
                app_base_url(), page, selection, title, int(fig.layout.height or 600) + 60
            ),
            language="html",
        )
        cols = st.columns(4)
        cols[0].download_button(
            "HTML",
            data=lambda: standalone_html(fig).encode("utf-8"),
            file_name=f"{slug}.html",
            mime="text/html",
            key=f"{key}_html",
            on_click="ignore",
        )
        cols[1].download_button(
            "PNG",
            data=lambda: _image(fig, "png"),
            file_name=f"{slug}.png",
            mime="image/png",
            key=f"{key}_png",
            on_click="ignore",
        )
        cols[2].download_button(
            "SVG",
            data=lambda: _image(fig, "svg"),
            file_name=f"{slug}.svg",
            mime="image/svg+xml",
            key=f"{key}_svg",
            on_click="ignore",
        )
        cols[3].download_button(
            "CSV (data)",
            data=lambda: csv_bytes(table() if callable(table) else table),
            file_name=f"{slug}.csv",
            mime="text/csv",
            key=f"{key}_csv",
            on_click="ignore",
        )
        st.caption(
            "Every file carries the title, source line, credit and data version. "
            "Images are rendered when you click (a few seconds)."
        )


def embed_height_script() -> Any:
    """In embed mode, tell the story page how tall the app's content is so its iframe fits.

    The script runs in a component frame nested in the app's frame: it measures the app's
    document (same origin) and posts to the story page, ``window.parent.parent``; the story
    page's listener (:data:`dashlib.publish.embed.RESIZE_LISTENER_JS`) accepts a message from
    a frame inside its iframe. It posts on load and whenever the content changes size.
    """
    from streamlit.components.v1 import html as component_html

    from dashlib.publish.embed import MESSAGE_KEY

    script = (
        "<script>(function(){var app=window.parent,story=app&&app.parent;"
        "if(!story||story===app)return;var doc=app.document,last=0;"
        "function content(){var b=doc.querySelector('[data-testid=\"stMainBlockContainer\"]');"
        "if(!b)return 0;var s=app.getComputedStyle(b);"
        "var inner=0;for(var i=0;i<b.children.length;i++){var r=b.children[i]"
        ".getBoundingClientRect();inner=Math.max(inner,r.bottom-b.getBoundingClientRect().top);}"
        "return Math.ceil(inner+parseFloat(s.paddingBottom||0));}"
        "function post(){var h=content();if(h>0&&Math.abs(h-last)>1){last=h;"
        "story.postMessage({'" + MESSAGE_KEY + "':h},'*');}}"
        "if(window.ResizeObserver){var ro=new ResizeObserver(post);"
        "var b=doc.querySelector('[data-testid=\"stMainBlockContainer\"]');"
        "if(b)ro.observe(b);ro.observe(doc.body);}"
        "app.addEventListener('resize',post);setInterval(post,1000);post();})();</script>"
    )
    return component_html(script, height=0)


def log_notes_to_console(notes: list[str]) -> Any:
    """Embed mode: the link's ignored settings go to the browser console, not to readers."""
    import json

    from streamlit.components.v1 import html as component_html

    text = json.dumps("dashlib embed: " + " ".join(notes)).replace("</", "<\\/")
    return component_html(f"<script>console.warn({text});</script>", height=0)
