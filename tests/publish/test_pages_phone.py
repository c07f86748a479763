"""Exported standalone pages on a phone (375 px, touch), in Chromium: plotly's toolbar never
covers the chart's title (exported pages have none; the gallery offers the PNG)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dashlib.data.dataset import load
from dashlib.publish.catalogue import build_figure, chart_list
from dashlib.publish.pages import standalone_html
from dashlib.query.selection import Selection
from tools.browser import CHROMIUM, CHROMIUM_ARGS

from conftest import FIXTURES, missing_tool

TODAY = dt.date(2026, 6, 1)

BOXES = """() => {
  const box = (el) => { const r = el.getBoundingClientRect();
    return r.width && r.height ? [r.left, r.top, r.right, r.bottom] : null; };
  const title = document.querySelector('.js-plotly-plot .gtitle');
  const bars = [...document.querySelectorAll('.modebar, .modebar-container')]
    .filter((el) => getComputedStyle(el).display !== 'none'
                    && getComputedStyle(el).visibility !== 'hidden'
                    && Number(getComputedStyle(el).opacity) > 0)
    .map(box).filter(Boolean);
  return {title: title && box(title), bars};
}"""


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.browser
@pytest.mark.parametrize("name", ["map", "map-animated", "timeline"])
def test_no_toolbar_over_the_title_on_a_phone(tmp_path: Path, name: str) -> None:
    if not CHROMIUM.exists():
        missing_tool(f"{CHROMIUM} not found: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    ds = load(FIXTURES / "valid")
    (chart,) = [c for c in chart_list(ds, Selection()) if c.name == name]
    page_path = tmp_path / f"{name}.html"
    page_path.write_text(
        standalone_html(build_figure(ds, chart, TODAY), offline=True), encoding="utf-8"
    )
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                viewport={"width": 375, "height": 812},
                device_scale_factor=2,
                is_mobile=True,
                has_touch=True,
            )
            tab = context.new_page()
            tab.goto(page_path.as_uri())
            tab.wait_for_selector(".js-plotly-plot .gtitle", timeout=60_000)
            plot = tab.locator(".js-plotly-plot").first
            # A reader touches the chart (plotly shows its toolbar on hover / touch).
            box = plot.bounding_box()
            assert box is not None
            tab.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.6)
            plot.hover()
            tab.wait_for_timeout(300)
            seen = tab.evaluate(BOXES)
        finally:
            browser.close()
    assert seen["title"], "the chart's title was not drawn"
    assert not [bar for bar in seen["bars"] if _overlap(bar, seen["title"])], seen
