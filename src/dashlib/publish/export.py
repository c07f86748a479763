"""``python -m dashlib export OUT_DIR``: every chart as files a newsroom can publish.

For each chart (the map today, the animated map 1991 → today, the timeline, and a map and a
timeline per country a story would use) it writes, from the app's own figure builders:

- ``NAME.html``  standalone page; plotly.js from its CDN, or inlined with ``--offline`` (then
  the page makes no network request at all); the base map is always inlined;
- ``NAME-phone.html``  for a map, its phone version (the builder's ``compact`` figure, as the
  app draws it on a phone); each of the two pages opens the other in its place on the other
  side of 640 px, so links and embed codes name only ``NAME.html``;
- ``NAME.png``   article width (800 CSS px) at 2× pixel density;
- ``NAME-social.png``  1200 × 675 social card;
- ``NAME.svg``   vector, with ``<title>``/``<desc>`` (the chart's text summary);
- ``NAME.csv``   the data behind the chart, UTF-8 with BOM for Excel, CSV injection
  neutralised (OWASP: cells starting with ``= + - @``, tab or CR get a leading ``'``);
- ``index.html`` a gallery of every chart with copy buttons for the embed codes.

Images are rendered by kaleido through the system Chromium, one browser start for the whole
export. The parts: :mod:`~dashlib.publish.catalogue` (which charts), :mod:`~dashlib.publish.pages`
(HTML from templates), :mod:`~dashlib.publish.csvsafe`, :mod:`~dashlib.publish.images`,
:mod:`~dashlib.publish.svg`, :mod:`~dashlib.publish.cli` (the command line).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from dashlib.data.dataset import Dataset
from dashlib.figures.map import COMPACT_WIDTH_PX, WIDTH_PX
from dashlib.publish.catalogue import Chart, build_figure, card_figure, chart_list, chart_table
from dashlib.publish.csvsafe import csv_bytes
from dashlib.publish.images import SOCIAL_SIZE, ChromiumMissing, image_jobs, render_images
from dashlib.publish.pages import gallery_html, standalone_html
from dashlib.publish.svg import describe_svg
from dashlib.query.selection import Selection

EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2
EXIT_NO_IMAGES = 3


@dataclass
class ChartTimes:
    build: float = 0.0
    html: float = 0.0
    csv: float = 0.0
    images: float = 0.0

    @property
    def total(self) -> float:
        return self.build + self.html + self.csv + self.images


@dataclass
class ExportResult:
    out_dir: Path
    charts: list[Chart]
    files: list[Path] = field(default_factory=list)
    times: dict[str, ChartTimes] = field(default_factory=dict)
    browser_start: float = 0.0
    wall: float = 0.0
    image_error: str = ""
    exit_code: int = EXIT_OK


def run_export(
    ds: Dataset,
    out_dir: Path,
    selection: Selection | None = None,
    *,
    offline: bool = False,
    images: bool = True,
    base_url: str | None = None,
    today: dt.date | None = None,
    browser: str | None = None,
    log: Callable[[str], None] = print,
) -> ExportResult:
    """Write every chart's HTML and CSV, then all images in one browser, then the gallery."""
    started = time.perf_counter()
    today = today or dt.date.today()
    selection = selection or Selection()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    charts = chart_list(ds, selection)
    result = ExportResult(out_dir, charts)
    batches: dict[str, list[dict[str, Any]]] = {}
    figures: dict[str, go.Figure] = {}
    for chart in charts:
        t = result.times[chart.name] = ChartTimes()
        t0 = time.perf_counter()
        fig = build_figure(ds, chart, today)
        figures[chart.name] = fig
        phone = build_figure(ds, chart, today, compact=True) if chart.phone_name else None
        t1 = time.perf_counter()
        pages = _write_pages(out_dir, chart, fig, phone, offline)
        t2 = time.perf_counter()
        table = out_dir / f"{chart.name}.csv"
        table.write_bytes(csv_bytes(chart_table(ds, chart, today)))
        t3 = time.perf_counter()
        t.build, t.html, t.csv = t1 - t0, t2 - t1, t3 - t2
        result.files += [*pages, table]
        card = card_figure(ds, chart, today, SOCIAL_SIZE) if images else None
        batches[chart.name] = image_jobs(fig, out_dir / chart.name, card)

    if images:
        _write_images(result, batches, figures, browser)

    gallery = out_dir / "index.html"
    gallery.write_text(
        gallery_html(ds, charts, figures, out_dir, base_url=base_url, offline=offline),
        encoding="utf-8",
    )
    result.files.append(gallery)
    result.wall = time.perf_counter() - started
    return result


def _write_pages(
    out_dir: Path, chart: Chart, fig: go.Figure, phone: go.Figure | None, offline: bool
) -> list[Path]:
    """``NAME.html`` and, for a map, ``NAME-phone.html``: each sends a window on the other
    side of the phone breakpoint to the other; both link the chart's one PNG."""
    png = f"{chart.name}.png"
    page = out_dir / f"{chart.name}.html"
    if phone is None or chart.phone_name is None:
        page.write_text(standalone_html(fig, offline=offline, png=png), encoding="utf-8")
        return [page]
    phone_page = out_dir / f"{chart.phone_name}.html"
    page.write_text(
        standalone_html(
            fig, offline=offline, png=png, fit_width=WIDTH_PX, phone_page=phone_page.name
        ),
        encoding="utf-8",
    )
    phone_page.write_text(
        standalone_html(
            phone, offline=offline, png=png, fit_width=COMPACT_WIDTH_PX, wide_page=page.name
        ),
        encoding="utf-8",
    )
    return [page, phone_page]


def _write_images(
    result: ExportResult,
    batches: dict[str, list[dict[str, Any]]],
    figures: dict[str, go.Figure],
    browser: str | None,
) -> None:
    """Render every chart's PNG/SVG in one browser; note what failed in ``result``."""
    try:
        times, result.browser_start, errors = render_images(batches, browser)
    except ChromiumMissing as err:
        result.image_error = str(err)
    except Exception as err:  # noqa: BLE001 - a browser crash must not lose the HTML/CSV
        result.image_error = f"PNG/SVG not written: {type(err).__name__}: {err}"
    else:
        for name, seconds in times.items():
            result.times[name].images = seconds
        if errors:
            result.image_error = f"{len(errors)} image(s) failed: " + "; ".join(errors)
        for chart in result.charts:
            svg = result.out_dir / f"{chart.name}.svg"
            if svg.exists():
                meta = figures[chart.name].layout.meta or {}
                describe_svg(svg, str(meta.get("title", "")), str(meta.get("summary", "")))
            result.files += [
                Path(j["path"]) for j in batches[chart.name] if Path(j["path"]).exists()
            ]
    if result.image_error:
        result.exit_code = EXIT_NO_IMAGES
