"""Exported standalone pages on a phone (375 px, touch), in Chromium: plotly's toolbar never
covers the chart's title (exported pages have none; the gallery offers the PNG); a map's page
and its phone version send each window to the layout for its width, the map fills its plot,
the animated map's labels stay on screen, an iframe elsewhere gets the phone layout and fits
it, and a blocked plotly.js leaves the chart in words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from dashlib.data.dataset import load
from dashlib.publish.catalogue import build_figure, chart_list
from dashlib.publish.embed import iframe_code
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


# ------------------------------------------------- a map's two pages (NAME.html, NAME-phone.html)

EMBEDS = "http://embeds.test"  # the exported files, as a newsroom's static host serves them
STORY = "http://story.test"  # a story page of another origin embedding them

# The map's blank bands (px of plot area it leaves, per side), as plotly.js drew the page's
# chart: its background rectangle against the plot area.
MAP_BANDS = """() => {
  const gd = document.getElementById('chart-plot'), s = gd._fullLayout._size;
  const page = gd.getBoundingClientRect();
  const bg = gd._fullLayout.geo._subplot.bgRect.node().getBoundingClientRect();
  const x = bg.left - page.left, y = bg.top - page.top;
  return {top: y - s.t, bottom: s.t + s.h - y - bg.height, left: x - s.l,
          right: s.l + s.w - x - bg.width, width: page.width};
}"""
# Every text of the animated map's slider (its steps' labels and "Showing …"), in page px.
SLIDER_TEXTS = """() => [...document.querySelectorAll('.slider-container text')]
  .filter((t) => t.textContent.trim())
  .map((t) => { const r = t.getBoundingClientRect();
                return {text: t.textContent, left: r.left, right: r.right}; })"""
DRAWN = (
    "() => { const gd = document.getElementById('chart-plot');"
    " return !!(gd && gd._fullLayout && gd.querySelector('.geolayer path')); }"
)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The export of the valid fixture as published: plotly.js from its CDN."""
    from dashlib.publish.export import run_export

    out = tmp_path_factory.mktemp("embeds")
    run_export(load(FIXTURES / "valid"), out, images=False, today=TODAY, log=str)
    return out


@contextmanager
def tab(
    browser: Any,
    exported: Path,
    width: int,
    *,
    story: str = "",
    block_plotly: bool = False,
) -> Iterator[Any]:
    """A tab ``width`` px wide (a phone's below 640) where EMBEDS serves the export, the
    plotly.js CDN answers with the installed plotly.js (or, ``block_plotly``, refuses, as a
    CMS's content policy would) and STORY serves ``story``; nothing leaves the machine."""
    import plotly

    plotly_js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    phone = width < 640
    context = browser.new_context(
        viewport={"width": width, "height": 812},
        is_mobile=phone,
        has_touch=phone,
        device_scale_factor=2 if phone else 1,
    )
    outside: list[str] = []

    def serve(route: Any) -> None:
        url = urlsplit(route.request.url)
        origin = f"{url.scheme}://{url.netloc}"
        if origin == EMBEDS and (exported / url.path.lstrip("/")).is_file():
            route.fulfill(path=str(exported / url.path.lstrip("/")))
        elif origin == STORY:
            route.fulfill(body=story, content_type="text/html")
        elif url.netloc == "cdn.plot.ly" and not block_plotly:
            # The page asks for it with crossorigin="anonymous" and an SRI hash of this file.
            route.fulfill(
                path=str(plotly_js),
                content_type="text/javascript",
                headers={"Access-Control-Allow-Origin": "*"},
            )
        else:
            if url.netloc != "cdn.plot.ly":
                outside.append(route.request.url)
            route.abort()

    context.route("**/*", serve)
    try:
        yield context.new_page()
    finally:
        context.close()
    assert outside == [], f"asked for what the export does not have: {outside}"


@pytest.mark.browser
@pytest.mark.parametrize(
    ("opened", "width", "lands_on"),
    [
        ("map.html", 375, "map-phone.html"),
        ("map.html", 639, "map-phone.html"),
        ("map.html", 640, "map.html"),
        ("map.html", 1280, "map.html"),
        ("map-phone.html", 1280, "map.html"),
        ("map-phone.html", 375, "map-phone.html"),
        ("map-animated.html", 375, "map-animated-phone.html"),
        ("map-geo.html", 375, "map-geo-phone.html"),
    ],
)
def test_each_window_lands_on_the_layout_for_its_width(
    browser: Any, exported: Path, opened: str, width: int, lands_on: str
) -> None:
    """The same link on a phone and on a computer: the page for the window's width, with the
    link's query string and fragment, in the history once (Back leaves the chart)."""
    with tab(browser, exported, width) as page:
        page.goto(f"{EMBEDS}/timeline.html")  # the reader comes from another page
        page.goto(f"{EMBEDS}/{opened}?country=GEO&date=2014-03-18#chart")
        page.wait_for_function(DRAWN, timeout=30_000)
        where = urlsplit(page.url)
        assert where.path == f"/{lands_on}"
        assert (where.query, where.fragment) == ("country=GEO&date=2014-03-18", "chart")
        page.go_back()
        assert urlsplit(page.url).path == "/timeline.html"


@pytest.mark.browser
@pytest.mark.parametrize(
    ("opened", "width"),
    [
        ("map.html", 375),
        ("map-geo.html", 375),
        ("map-animated.html", 375),
        ("map.html", 360),  # the page keeps the map's shape at a phone's other widths
        ("map.html", 430),
        ("map.html", 700),  # the article's figure, narrower than it was laid out for
        ("map.html", 1280),  # and no wider than that
    ],
)
def test_the_map_fills_its_plot_at_the_windows_width(
    browser: Any, exported: Path, opened: str, width: int
) -> None:
    with tab(browser, exported, width) as page:
        page.goto(f"{EMBEDS}/{opened}")
        page.wait_for_function(DRAWN, timeout=30_000)
        page.wait_for_timeout(500)  # the page sets the plot's height for its width
        bands = page.evaluate(MAP_BANDS)
    assert max(abs(bands[side]) for side in ("top", "bottom", "left", "right")) <= 3, bands
    assert bands["width"] == min(width, 800), bands


@pytest.mark.browser
@pytest.mark.parametrize(
    ("opened", "width", "resized"),
    [("map-animated.html", 375, 430), ("map.html", 1280, 700), ("map-geo.html", 660, 760)],
)
def test_the_map_keeps_filling_its_plot_when_the_window_is_resized(
    browser: Any, exported: Path, opened: str, width: int, resized: int
) -> None:
    """A phone turned, a window or an iframe resized: the plot takes the new width and the
    height that keeps the map filling it."""
    with tab(browser, exported, width) as page:
        page.goto(f"{EMBEDS}/{opened}")
        page.wait_for_function(DRAWN, timeout=30_000)
        page.wait_for_timeout(500)
        page.set_viewport_size({"width": resized, "height": 812})
        page.wait_for_timeout(800)
        bands = page.evaluate(MAP_BANDS)
    assert max(abs(bands[side]) for side in ("top", "bottom", "left", "right")) <= 3, bands
    assert bands["width"] == min(resized, 800), bands


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 375, 1280])
def test_every_slider_label_is_on_screen(browser: Any, exported: Path, width: int) -> None:
    """The animated map's date labels: none cut at the screen's edges (the first, centred on
    the slider's first step, used to start off the page)."""
    with tab(browser, exported, width) as page:
        page.goto(f"{EMBEDS}/map-animated.html")
        page.wait_for_function(DRAWN, timeout=30_000)
        page.wait_for_timeout(500)
        texts = page.evaluate(SLIDER_TEXTS)
        plot = page.locator("#chart-plot").bounding_box()
    assert urlsplit(page.url).path == ("/map-animated-phone.html" if width < 640 else
                                       "/map-animated.html")  # fmt: skip
    assert len(texts) >= 3 and any(t["text"].startswith("Showing") for t in texts), texts
    left, right = max(0, plot["x"]), min(width, plot["x"] + plot["width"])
    assert [t for t in texts if t["left"] < left or t["right"] > right] == [], texts


@pytest.mark.browser
def test_an_iframe_on_another_site_gets_the_phone_layout_and_fits_it(
    browser: Any, exported: Path
) -> None:
    """A story at another origin embeds map.html with the gallery's code in a 375 px column
    of a wide window: the iframe's own width decides, and its height follows the phone
    page's content."""
    code = iframe_code(f"{EMBEDS}/map.html?country=GEO", "Map", 200)
    story = f'<!DOCTYPE html><body style="margin:0"><div style="width:375px">{code}</div></body>'
    with tab(browser, exported, 1280, story=story) as page:
        page.goto(f"{STORY}/story.html")
        frame = page.frame_locator("iframe")
        frame.locator("#chart-plot .geolayer path").first.wait_for(state="attached")
        page.wait_for_function(
            "document.querySelector('iframe').getBoundingClientRect().height > 300",
            timeout=30_000,
        )
        page.wait_for_timeout(700)  # the last height message
        (inner,) = [f for f in page.frames if f != page.main_frame]
        assert urlsplit(inner.url).path == "/map-phone.html"
        assert urlsplit(inner.url).query == "country=GEO"
        content = inner.evaluate("Math.ceil(document.body.getBoundingClientRect().height)")
        box = page.locator("iframe").bounding_box()
    assert box["width"] == 375
    assert abs(box["height"] - content) <= 1, (box, content)


@pytest.mark.browser
def test_the_phone_page_says_the_chart_in_words_when_plotly_is_blocked(
    browser: Any, exported: Path
) -> None:
    with tab(browser, exported, 375, block_plotly=True) as page:
        page.goto(f"{EMBEDS}/map.html")
        fallback = page.locator(".fallback")
        fallback.wait_for(state="visible", timeout=10_000)
        assert urlsplit(page.url).path == "/map-phone.html"
        words = fallback.inner_text()
        assert "Source" in words and "Data version" in words
        assert fallback.get_by_role("link").get_attribute("href") == "map.png"


TITLE_BOX = """() => { const t = document.querySelector('#chart-plot .gtitle');
  const r = t.getBoundingClientRect();
  return {left: r.left, right: r.right, lines: t.querySelectorAll('tspan.line').length}; }"""


@pytest.mark.browser
@pytest.mark.parametrize("name", ["map", "map-animated", "map-geo"])
def test_a_main_map_pages_text_uses_its_width_and_fits_the_narrowest(
    browser: Any, exported: Path, name: str
) -> None:
    """Title, subtitle and source lines of a main map page are wrapped for the narrowest
    window that opens it (640 px), not for a phone's 343 px (four lines of subtitle beside
    an empty half of an 800 px figure): fewer lines than the phone page, none cut."""
    boxes = {}
    for width in (375, 640, 1280):
        with tab(browser, exported, width) as page:
            page.goto(f"{EMBEDS}/{name}.html")
            page.wait_for_function(DRAWN, timeout=30_000)
            boxes[width] = page.evaluate(TITLE_BOX)
            plot = page.locator("#chart-plot").bounding_box()
        assert boxes[width]["left"] >= plot["x"], (width, boxes[width])
        assert boxes[width]["right"] <= plot["x"] + plot["width"] - 4, (width, boxes[width])
    assert boxes[640]["lines"] == boxes[1280]["lines"] < boxes[375]["lines"], boxes
