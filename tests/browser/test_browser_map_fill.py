"""The map fills its figure in plotly.js: no blank band above, below or beside the map.

plotly.js fits a geo view's frame into the plot keeping the frame's shape; where the plot
has another shape it leaves bands of paper. The builder makes the figure as tall as the view
needs at its width (figures/map.py); here plotly.js draws it, offline in Debian's Chromium,
at the phone's and the article's widths, and the map's background rectangle must cover the
plot area. The legend must also fit the bottom margin set for it (plotly.js would grow the
margin, shrinking the plot, otherwise).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import pytest

from dashlib.data.dataset import Dataset, load
from dashlib.figures import build_map_animation, build_map_figure
from dashlib.figures.map import COMPACT_WIDTH_PX, WIDTH_PX
from dashlib.query.selection import Selection
from tools.browser import CHROMIUM, REPO, offline_plotly_tab

from conftest import missing_tool

pytestmark = pytest.mark.browser

TODAY = dt.date(2026, 11, 27)
PAGE = """<!doctype html><html><body style="margin:0"><div id="a"></div>
<script src="/plotly.min.js"></script>
<script>
window.mapBands = async function(fig, width) {  // px of plot area the map leaves, per side
  const gd = document.getElementById('a');
  Plotly.purge(gd);
  gd.style.width = width + 'px';
  const layout = Object.assign({}, fig.layout, {width});
  await Plotly.newPlot(gd, fig.data, layout, {topojsonURL: '/app/static/topojson/app/'});
  const s = gd._fullLayout._size, page = gd.getBoundingClientRect();
  const bg = gd._fullLayout.geo._subplot.bgRect.node().getBoundingClientRect();
  const x = bg.left - page.left, y = bg.top - page.top;
  return {top: y - s.t, bottom: s.t + s.h - y - bg.height, left: x - s.l,
          right: s.l + s.w - x - bg.width, marginB: s.b, setB: fig.layout.margin.b,
          plotH: s.h};
};
</script></body></html>"""


@pytest.fixture(scope="module")
def shipped() -> Dataset:
    return load(REPO / "data")


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    if not CHROMIUM.exists():
        missing_tool(f"{CHROMIUM} not found: apt-get install -y chromium")
    with offline_plotly_tab(PAGE, {"width": 1000, "height": 900}) as tab:
        yield tab


def _bands(page: Any, fig: go.Figure, width: int) -> dict[str, float]:
    result: dict[str, float] = page.evaluate(
        "([fig, width]) => mapBands(fig, width)", [json.loads(fig.to_json()), width]
    )
    return result


def _assert_fills(result: dict[str, float]) -> None:
    for side in ("top", "bottom", "left", "right"):
        assert abs(result[side]) <= 1.5, result
    assert result["marginB"] == result["setB"], "the legend outgrew its margin"


@pytest.mark.parametrize("compact", [True, False])
@pytest.mark.parametrize("codes", [(), ("GEO",), ("ARM", "AZE")])
def test_the_map_fills_its_plot(
    page: Any, shipped: Dataset, compact: bool, codes: tuple[str, ...]
) -> None:
    """At a 375 px phone's width (the figure 343 px wide) and at article width."""
    width = COMPACT_WIDTH_PX if compact else WIDTH_PX
    fig = build_map_figure(shipped, Selection(countries=codes), TODAY, compact=compact)
    _assert_fills(_bands(page, fig, width))


def test_the_control_a_fixed_height_leaves_bands(page: Any, shipped: Dataset) -> None:
    """What the app did before: 560 px at a phone's width left ~24 px above and below."""
    fig = build_map_figure(shipped, Selection(), TODAY, compact=True, height=560)
    result = _bands(page, fig, COMPACT_WIDTH_PX)
    assert result["top"] > 10 and result["bottom"] > 10, result


def test_the_overview_map_fills_its_column(page: Any, shipped: Dataset) -> None:
    fig = build_map_figure(shipped, Selection(), TODAY, compact=True, width=460)
    _assert_fills(_bands(page, fig, 460))


@pytest.mark.parametrize("compact", [True, False])
def test_the_animated_map_fills_its_plot(page: Any, shipped: Dataset, compact: bool) -> None:
    width = COMPACT_WIDTH_PX if compact else WIDTH_PX
    fig = build_map_animation(shipped, Selection(countries=("ARM", "AZE")), TODAY, compact=compact)
    _assert_fills(_bands(page, fig, width))


SHOWING_VS_BUTTONS = """() => {
  const gd = document.querySelector('.js-plotly-plot');
  const box = e => { const b = e.getBoundingClientRect();
                     return [b.left, b.top, b.right, b.bottom]; };
  const label = [...gd.querySelectorAll('text')].find(t => t.textContent.startsWith('Showing'));
  return {label: label ? box(label) : null, text: label ? label.textContent : '',
          buttons: [...gd.querySelectorAll('.updatemenu-button')].map(box)};
}"""


@pytest.mark.parametrize("width", [320, 375])
@pytest.mark.parametrize("dated", [False, True])
def test_exported_animation_keeps_showing_clear_of_pause(
    page: Any, shipped: Dataset, tmp_path: Path, width: int, dated: bool
) -> None:
    """The exported page (plotly.js inlined) on a phone: the slider's "Showing …" label and
    the Play/Pause buttons never overlap, with the default frames (the app's Play steps) or
    given ones; both label their frames with a date, the longest label."""
    from dashlib.publish.pages import standalone_html

    days = [dt.date(2008, 8, 7), dt.date(2014, 2, 27), dt.date(2022, 1, 6), TODAY]
    fig = build_map_animation(shipped, Selection(), TODAY, frame_dates=days if dated else None)
    page_file = tmp_path / "map-animated.html"
    page_file.write_text(standalone_html(fig, offline=True), encoding="utf-8")
    tab = page.context.browser.new_page(viewport={"width": width, "height": 900})
    outside: list[str] = []
    try:
        tab.on("request", lambda r: None if r.url.startswith("file:") else outside.append(r.url))
        tab.goto(page_file.as_uri())
        tab.locator(".js-plotly-plot .main-svg").first.wait_for(state="visible")
        found = tab.evaluate(SHOWING_VS_BUTTONS)
    finally:
        tab.close()
    assert outside == []
    assert found["text"] == "Showing 27 Nov 2026"
    x0, y0, x1, y1 = found["label"]
    assert x1 <= width, found  # not cut at the right
    assert len(found["buttons"]) == 2
    for bx0, by0, bx1, by1 in found["buttons"]:
        apart = x1 <= bx0 or bx1 <= x0 or y1 <= by0 or by1 <= y0
        assert apart, found
