"""PNG and SVG of the app's figures, rendered by kaleido in one Chromium for a whole export."""

from __future__ import annotations

import asyncio
import copy
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from dashlib import paths
from dashlib.publish.browser import DEFAULT_BROWSER, INSTALL_HINT, ChromiumMissing, find_browser

__all__ = ["ChromiumMissing", "image_jobs", "render_images", "static_figure", "topojson_url"]

ARTICLE_WIDTH = 800
ARTICLE_SCALE = 2
SOCIAL_SIZE = (1200, 675)


def topojson_url() -> str:
    """file:// URL of static/topojson/ so kaleido's plotly.js never fetches the CDN map."""
    return paths.topojson_dir().as_uri() + "/"


def static_figure(fig: go.Figure, width: int, height: int) -> dict[str, Any]:
    """The figure as drawn on paper: fixed size, without play button and slider."""
    spec = copy.deepcopy(fig.to_dict())
    spec.pop("frames", None)
    layout = spec.setdefault("layout", {})
    if layout.pop("updatemenus", None) is not None or layout.pop("sliders", None) is not None:
        layout.pop("sliders", None)
        # The controls sat above the chart; the title block alone needs its own height.
        top = (layout.get("meta") or {}).get("title_top", 78)
        layout.setdefault("margin", {})["t"] = top
    layout.update(width=width, height=height)
    return dict(spec)


def image_jobs(fig: go.Figure, base: Path, card: go.Figure | None = None) -> list[dict[str, Any]]:
    """kaleido jobs for one chart: article PNG (2×), social card PNG, SVG. ``card``: the
    chart laid out for the card's size (a map: ``catalogue.card_figure``), else ``fig``."""
    height = int(fig.layout.height or 600)
    sw, sh = SOCIAL_SIZE
    article = static_figure(fig, ARTICLE_WIDTH, height)
    topo = topojson_url()
    return [
        {
            "fig": article,
            "path": base.with_suffix(".png"),
            "opts": {
                "format": "png",
                "width": ARTICLE_WIDTH,
                "height": height,
                "scale": ARTICLE_SCALE,
            },
            "topojson": topo,
        },
        {
            "fig": static_figure(fig if card is None else card, sw, sh),
            "path": base.with_name(base.name + "-social.png"),
            "opts": {"format": "png", "width": sw, "height": sh, "scale": 1},
            "topojson": topo,
        },
        {
            "fig": article,
            "path": base.with_suffix(".svg"),
            "opts": {"format": "svg", "width": ARTICLE_WIDTH, "height": height, "scale": 1},
            "topojson": topo,
        },
    ]


def render_images(
    batches: Mapping[str, list[dict[str, Any]]], browser: str | None = None, tabs: int = 2
) -> tuple[dict[str, float], float, list[str]]:
    """Render every batch in ONE browser; return seconds per batch, start-up seconds, errors."""
    browser = browser or find_browser()
    if not browser:
        raise ChromiumMissing(
            f"PNG/SVG not written: Chromium not found (BROWSER_PATH or {DEFAULT_BROWSER}); "
            f"install it with: {INSTALL_HINT}"
        )
    import kaleido  # late: slow to import and only needed here
    import plotly.io as pio
    from choreographer.errors import BrowserFailedError, ChromeNotFoundError

    pio.defaults.topojson = topojson_url()  # also for any later fig.write_image()

    async def run() -> tuple[dict[str, float], float, list[str]]:
        times: dict[str, float] = {}
        errors: list[str] = []
        started = time.perf_counter()
        async with kaleido.Kaleido(n=tabs, path=browser, mathjax=False, timeout=120) as k:
            startup = time.perf_counter() - started
            for name, jobs in batches.items():
                t0 = time.perf_counter()
                failed = await k.write_fig_from_object(jobs, cancel_on_error=False)
                times[name] = time.perf_counter() - t0
                errors += [f"{name}: {type(e).__name__}: {e}" for e in failed or ()]
        return times, startup, errors

    try:
        return asyncio.run(run())
    except (ChromeNotFoundError, BrowserFailedError) as err:
        raise ChromiumMissing(
            f"PNG/SVG not written: Chromium could not start ({browser}); "
            f"install it with: {INSTALL_HINT}"
        ) from err
