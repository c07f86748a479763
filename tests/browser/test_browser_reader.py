"""The reader's journeys in Chromium (issue 16): live embeds, one date, map taps, Back, keys.

Run with ``pytest -m browser tests/test_browser_reader.py``. Same setup as test_browser.py:
Debian's Chromium through playwright, ``streamlit run`` on a free 127.0.0.1 port. The live
embed is tested the way a story uses it: the app's own embed code
(:func:`dashlib.publish.embed.iframe_snippet`, what the "Embed & download" panel shows) pasted
into a page served from another origin (a second local port).
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from dashlib.figures.map import COMPACT_WIDTH_PX
from dashlib.publish.embed import iframe_snippet
from dashlib.query.selection import Selection
from tools.browser import REPO, AppServer, free_port, start_app

pytestmark = pytest.mark.browser

CHART = '[data-testid="stPlotlyChart"] .main-svg'
PLOT = '[data-testid="stPlotlyChart"] .js-plotly-plot'
READY_MS = 60_000
SIDEBAR_DATE = '[data-testid="stSidebar"] [data-testid="stDateInput"] input'


@pytest.fixture(scope="module")
def app(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    # The shipped data: the journeys are about Crimea, the 2008 war and the CSTO deployment.
    server = start_app(REPO / "data", tmp_path_factory.mktemp("reader") / "streamlit.log")
    try:
        yield server
    finally:
        server.stop()


def _query(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.evaluate("location.href")).query)


def _open(browser: Any, url: str, **context: Any) -> tuple[Any, Any]:
    ctx = browser.new_context(**({"viewport": {"width": 1280, "height": 900}} | context))
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    page.goto(url, wait_until="domcontentloaded")
    page.locator(CHART).first.wait_for(state="visible", timeout=READY_MS)
    return ctx, page


# --------------------------------------------------------------------------- 1: live embeds


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib's name
        pass


@pytest.fixture(scope="module")
def story(app: AppServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A mock story page on another origin (another port) with the app's own embed code."""
    folder = tmp_path_factory.mktemp("story")
    code = iframe_snippet(
        app.url, "map", Selection(countries=("GEO",)), "Georgia: Russian military presence", 700
    )
    (folder / "story.html").write_text(
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Story</title></head><body style='margin:0'><p>Before the chart.</p>"
        f"{code}<p id='after'>After the chart.</p></body></html>",
        encoding="utf-8",
    )
    port = free_port()
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/story.html"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("width", [1280, 375])
def test_live_embed_resizes_to_its_content_on_another_origin(
    browser: Any, story: str, app: AppServer, width: int
) -> None:
    assert urlparse(story).port != urlparse(app.url).port  # two origins
    ctx = browser.new_context(
        viewport={"width": width, "height": 800}, is_mobile=width < 500, has_touch=width < 500
    )
    try:
        page = ctx.new_page()
        page.goto(story)
        frame = page.frame_locator("iframe")
        frame.locator(CHART).first.wait_for(state="visible", timeout=READY_MS)
        iframe = page.locator("iframe")
        assert iframe.get_attribute("title") == "Georgia: Russian military presence"
        # The app's content height, measured inside the frame (same element the app posts).
        app_frame = next(f for f in page.frames if f.url.startswith(app.url))
        content = """() => {
            const b = document.querySelector('[data-testid="stMainBlockContainer"]');
            const top = b.getBoundingClientRect().top;
            let bottom = 0;
            for (const c of b.children) bottom = Math.max(bottom, c.getBoundingClientRect().bottom);
            return Math.ceil(bottom - top + parseFloat(getComputedStyle(b).paddingBottom));
        }"""
        # Wait until the iframe is within 2 px of its content (the words under the chart
        # included) and stays there.
        page.wait_for_function(
            "([h]) => Math.abs(document.querySelector('iframe').getBoundingClientRect().height"
            " - h) <= 2",
            arg=[app_frame.evaluate(content)],
            timeout=20_000,
        )
        page.wait_for_timeout(1500)
        height = page.evaluate("document.querySelector('iframe').getBoundingClientRect().height")
        inner = app_frame.evaluate(content)
        assert abs(height - inner) <= 2, (height, inner)
        assert height != 700  # resized from the code's starting height
        # Nothing of the embed is cut off: its last line (the data date) is inside the iframe,
        # and the chart's title and source lines are inside the iframe's width.
        words = app_frame.locator("text=In words").first
        assert words.is_visible()
        texts_right = app_frame.evaluate(
            """() => Math.max(...Array.from(document.querySelectorAll(
                '[data-testid="stPlotlyChart"] .infolayer text, [data-testid="stPlotlyChart"]'
                + ' .annotation-text')).map(t => t.getBoundingClientRect().right))"""
        )
        assert texts_right <= width + 1, f"title or source line clipped at {width}px"
    finally:
        ctx.close()


def test_embed_mode_keeps_link_notes_out_of_the_story(browser: Any, app: AppServer) -> None:
    warnings: list[str] = []
    ctx = browser.new_context(viewport={"width": 800, "height": 900})
    try:
        page = ctx.new_page()
        page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
        page.goto(app.url + "/map?embed=true&bogus=1")
        page.locator(CHART).first.wait_for(state="visible", timeout=READY_MS)
        page.wait_for_timeout(1500)
        assert page.locator('[data-testid="stAlert"]').count() == 0
        assert any("unknown parameter 'bogus'" in w for w in warnings), warnings
    finally:
        ctx.close()


# --------------------------------------------------------------------------- 2: one date


def _crimea_visible(page: Any) -> bool:
    return bool(
        page.evaluate(
            f"""() => document.querySelector('{PLOT}').data
                .filter(t => (t.name || '').startsWith('Crimea'))
                .some(t => t.visible !== false && (t.locations || []).length > 0)"""
        )
    )


def test_a_url_date_shows_only_what_held_that_day(browser: Any, app: AppServer) -> None:
    ctx, page = _open(browser, app.url + "/map?date=2008-08-07")
    try:
        assert not _crimea_visible(page), "Crimea drawn occupied on 7 Aug 2008"
        words = page.locator("text=In words").first.locator("xpath=..").inner_text()
        assert "7 August 2008" in words.replace("07 August", "7 August") and "Crimea" not in words
        assert page.locator(SIDEBAR_DATE).first.input_value() == "2008-08-07"
    finally:
        ctx.close()
    ctx, page = _open(browser, app.url + "/map?date=2014-03-01")
    try:
        assert _crimea_visible(page)
    finally:
        ctx.close()


def _title(page: Any) -> str:
    return str(page.evaluate(f"document.querySelector('{PLOT}')._fullLayout.title.text"))


def test_play_and_the_slider_drive_the_url_sidebar_title_and_words(
    browser: Any, app: AppServer
) -> None:
    ctx, page = _open(browser, app.url + "/map?date=2008-08-01")
    try:
        page.get_by_role("button", name="Play").click()
        # Two steps later: the short 2008 war is a step of its own (8 Aug), not skipped.
        page.wait_for_function("() => location.search.includes('date=2008-08-09')", timeout=15_000)
        page.get_by_role("button", name="Pause").click()
        # Paused once the page shows Play again (a step already on its way may still land).
        page.get_by_role("button", name="Play").wait_for(timeout=20_000)
        page.wait_for_timeout(2500)
        day = _query(page)["date"][0]
        page.wait_for_timeout(2500)
        assert _query(page)["date"][0] == day, "Pause did not stop the steps"
        shown = dt.date.fromisoformat(day)
        assert page.locator(SIDEBAR_DATE).first.input_value() == day
        assert f"{shown.day} {shown:%b %Y}" in _title(page)
        words = page.locator("text=In words").first.locator("xpath=..").inner_text()
        assert f"{shown.day} {shown:%B %Y}" in words
        # The slider by keyboard: focus it, one arrow key = the next step, in the URL.
        page.locator('[data-testid="stMain"] input[type="range"]').first.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"() => !location.search.includes('date={day}')", timeout=15_000)
        after = dt.date.fromisoformat(_query(page)["date"][0])
        assert after > shown
        page.wait_for_function(
            f"() => document.querySelector('{PLOT}')._fullLayout.title.text"
            f".includes('{after.day} {after:%b %Y}')",
            timeout=15_000,
        )
        # Back undoes the step.
        page.go_back()
        page.wait_for_function(f"() => location.search.includes('date={day}')", timeout=15_000)
        page.wait_for_function(
            f"() => document.querySelector('{PLOT}')._fullLayout.title.text"
            f".includes('{shown.day} {shown:%b %Y}')",
            timeout=15_000,
        )
    finally:
        ctx.close()


_PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


@pytest.mark.parametrize("width", [1280, 375])
def test_pause_always_stops_play(browser: Any, app: AppServer, width: int) -> None:
    """Pause at different moments of Play's step cycle, by mouse, Space, Enter (or a tap)."""
    context: dict[str, Any] = _PHONE if width == 375 else {}
    ctx, page = _open(browser, app.url + "/map?date=1995-01-01", **context)
    failures: list[str] = []
    try:
        # 0.3 s to 3.3 s after Play: before, during and after the first steps' reruns.
        for trial, wait_ms in enumerate([300, 900, 1500, 2100, 2700, 3300]):
            how = ("tap" if width == 375 else "click", "Space", "Enter")[trial % 3]
            play = page.get_by_role("button", name="Play")
            play.wait_for(timeout=20_000)
            play.focus()
            page.keyboard.press("Enter")
            page.get_by_role("button", name="Pause").wait_for(timeout=20_000)
            page.wait_for_timeout(wait_ms)
            pause = page.get_by_role("button", name="Pause")
            if how == "click":
                pause.click()
            elif how == "tap":
                pause.tap()
            else:
                pause.focus()
                page.keyboard.press(how)
            page.get_by_role("button", name="Play").wait_for(timeout=20_000)
            page.wait_for_timeout(1500)  # a step already on its way may still land
            day = _query(page).get("date")
            page.wait_for_timeout(3000)  # two and a half steps of Play
            reads_play = page.get_by_role("button", name="Play").is_visible()
            if _query(page).get("date") != day or not reads_play:
                failures.append(f"{how} after {wait_ms} ms: {day} -> {_query(page).get('date')}")
        assert not failures, failures
        assert _query(page)["date"][0] > "1995-07-01", "Play never stepped"
    finally:
        ctx.close()


def test_a_typed_date_moves_the_map(browser: Any, app: AppServer) -> None:
    ctx, page = _open(browser, app.url + "/map")
    try:
        # Streamlit's date field is three typed parts (year, month, day), keyboard first.
        year = page.locator(
            '[data-testid="stMain"] [data-testid="stDateInput"] [role="spinbutton"]'
        )
        year.first.focus()
        page.keyboard.type("20220110")
        page.keyboard.press("Tab")  # to the calendar button
        page.keyboard.press("Tab")  # out of the field: the date is committed
        page.wait_for_function("() => location.search.includes('date=2022-01-10')", timeout=15_000)
        page.wait_for_function(
            f"() => document.querySelector('{PLOT}')._fullLayout.title.text"
            ".includes('10 Jan 2022')",
            timeout=15_000,
        )
        # Enter applies a typed date too, as a reader expects (ui/components.py).
        page.wait_for_timeout(1000)
        year.first.focus()
        page.keyboard.type("20080809")
        page.keyboard.press("Enter")
        page.wait_for_function("() => location.search.includes('date=2008-08-09')", timeout=15_000)
        page.wait_for_function(
            f"() => document.querySelector('{PLOT}')._fullLayout.title.text.includes('9 Aug 2008')",
            timeout=15_000,
        )
    finally:
        ctx.close()


# --------------------------------------------------------------------------- 4, 6: taps, Back


def _screen_point(page: Any, lon: float, lat: float) -> tuple[float, float]:
    x, y = page.evaluate(
        f"""([lon, lat]) => {{
        const gd = document.querySelector('{PLOT}');
        const geo = gd._fullLayout.geo._subplot;
        const [px, py] = geo.projection([lon, lat]);
        const box = gd.querySelector('.geolayer').closest('svg').getBoundingClientRect();
        return [box.left + px, box.top + py];
    }}""",
        [lon, lat],
    )
    return float(x), float(y)


def test_a_site_tap_shows_its_details_and_a_country_click_filters_back_undoes(
    browser: Any, app: AppServer
) -> None:
    ctx, page = _open(browser, app.url + "/map")
    try:
        page.locator('[data-testid="stPlotlyChart"] .geolayer path').first.wait_for(
            state="attached", timeout=READY_MS
        )
        page.wait_for_timeout(1500)
        # The first drawn site marker, wherever it is.
        lon, lat, name = page.evaluate(
            f"""() => {{
            const t = document.querySelector('{PLOT}').data
                .find(t => t.type === 'scattergeo' && t.customdata && t.customdata.length);
            return [t.lon[0], t.lat[0], t.customdata[0]];
        }}"""
        )
        x, y = _screen_point(page, lon, lat)
        page.mouse.click(x, y)
        del name  # a neighbouring site may be on top at this zoom: any site's card will do
        card = page.locator('[class*="st-key-site_card_"]')
        card.wait_for(state="visible", timeout=20_000)
        assert "Sources:" in card.inner_text()
        assert "country" not in _query(page), "a site tap filtered the app"
        # A country click filters; Back undoes it.
        x, y = _screen_point(page, 60.0, 50.5)  # inside Kazakhstan, away from its sites
        page.mouse.click(x, y)
        page.wait_for_function("() => location.search.includes('country=KAZ')", timeout=20_000)
        page.go_back()
        page.wait_for_function("() => !location.search.includes('country=')", timeout=20_000)
        chips = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"] [data-tag]')
        page.wait_for_timeout(1500)
        assert chips.locator("visible=true").count() == 0
    finally:
        ctx.close()


# --------------------------------------------------------------------------- 5: keyboard


def test_every_control_shows_visible_focus(browser: Any, app: AppServer) -> None:
    ctx, page = _open(browser, app.url + "/map")
    try:
        play = page.get_by_role("button", name="Play")
        play.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # focus by keyboard (:focus-visible)
        outline = page.evaluate(
            """() => { const s = getComputedStyle(document.activeElement);
                return [s.outlineStyle, parseFloat(s.outlineWidth), s.boxShadow]; }"""
        )
        assert outline[0] != "none" and outline[1] >= 2, outline
        link = page.locator('[data-testid="stSidebarNavLink"]').first
        link.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
        style = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
        )
        assert style[0] != "none" and style[1] >= 2, style
    finally:
        ctx.close()


def test_touch_targets_are_at_least_24_px(browser: Any, app: AppServer) -> None:
    ctx, page = _open(
        browser,
        app.url + "/map",
        viewport={"width": 375, "height": 812},
        is_mobile=True,
        has_touch=True,
    )
    try:
        small = page.evaluate(
            """() => Array.from(document.querySelectorAll(
                '[data-testid="stMain"] button, [data-testid="stMain"] a,'
                + ' [data-testid="stMain"] input:not([type="range"]),'
                + ' [data-testid="stMain"] [role="spinbutton"],'
                + ' [data-testid="stMain"] div:has(> div > input[type="range"])'))
              .filter(e => { const r = e.getBoundingClientRect();
                  return r.width > 0 && r.height > 0 && (r.width < 24 || r.height < 24); })
              .map(e => e.outerHTML.slice(0, 80))"""
        )
        assert not small, small
        # The map fills its figure's width and no toolbar sits over the title.
        assert page.locator(f"{PLOT} .modebar-container .modebar").count() == 0
    finally:
        ctx.close()


@pytest.mark.parametrize("path", ["/excerpts?q=peacekeepers", "/"])
def test_link_labels_are_never_cut_on_a_phone(browser: Any, app: AppServer, path: str) -> None:
    """Intervention links on excerpt cards ran off a 375 px screen, cut mid-word."""
    ctx = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True)
    page = ctx.new_page()
    try:
        page.goto(app.url + path, wait_until="domcontentloaded")
        page.locator('[data-testid="stMain"] [data-testid="stPageLink"]').first.wait_for(
            timeout=READY_MS
        )
        cut = page.evaluate(
            """() => Array.from(document.querySelectorAll(
                '[data-testid="stMain"] [data-testid="stPageLink"] span'))
              .filter(e => e.scrollWidth > e.clientWidth + 1
                           || e.getBoundingClientRect().right > window.innerWidth)
              .map(e => e.textContent)"""
        )
        assert not cut, cut
    finally:
        ctx.close()


_BROKEN_WORDS = """() => {
  const broken = [];
  const main = document.querySelector('[data-testid="stMain"]');
  for (const link of main.querySelectorAll('[data-testid="stPageLink"]')) {
    const walker = document.createTreeWalker(link, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.textContent.matchAll(/[^\\s-]+/g)) {  // a line may break at a hyphen
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        if (range.getClientRects().length > 1) broken.push(m[0]);
      }
    }
  }
  return broken; }"""


@pytest.mark.parametrize("width", [1280, 1000, 375])
def test_excerpt_links_never_break_a_word(browser: Any, app: AppServer, width: int) -> None:
    """The intervention links under a quote sat in equal columns: at 1280 px four of them
    wrapped letter by letter ("peacekeepin / g contingent"). Each is as wide as its label and
    the row wraps."""
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    page = ctx.new_page()
    try:
        page.goto(app.url + "/excerpts", wait_until="domcontentloaded")
        links = page.locator('[data-testid="stMain"] [data-testid="stPageLink"]')
        links.first.wait_for(timeout=READY_MS)
        page.wait_for_timeout(500)
        assert links.count() >= 5
        assert page.evaluate(_BROKEN_WORDS) == []
    finally:
        ctx.close()


def test_overview_map_is_above_the_fold_on_a_phone(browser: Any, app: AppServer) -> None:
    ctx, page = _open(
        browser, app.url + "/", viewport={"width": 375, "height": 812}, is_mobile=True
    )
    try:
        top = page.locator(CHART).first.bounding_box()
        assert top is not None and top["y"] < 812, top
    finally:
        ctx.close()


PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 11; Pixel 5) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/159.0.8154.6 Mobile Safari/537.36"
)
_BANDS = """box => { const gd = box.querySelector('.js-plotly-plot');
    const s = gd._fullLayout._size, r = gd.getBoundingClientRect();
    const b = gd._fullLayout.geo._subplot.bgRect.node().getBoundingClientRect();
    return [b.top - r.top - s.t, s.t + s.h - (b.bottom - r.top),
            b.left - r.left - s.l, s.l + s.w - (b.right - r.left)]; }"""


@pytest.mark.parametrize(
    ("width", "query", "agent"),
    [
        (375, "", None),
        (375, "?country=GEO", None),
        (390, "", PHONE_UA),  # iPhone 12-15: the map is drawn again for the screen's width
        (430, "", PHONE_UA),  # the largest phones
        (360, "?country=GEO", PHONE_UA),
    ],
)
def test_the_phone_map_fills_its_figure(
    browser: Any, app: AppServer, width: int, query: str, agent: str | None
) -> None:
    """No blank band around the map on a phone, whatever its width (the region and a zoom):
    the phone's map is drawn for the screen it is on (ui/components.py, the width probe)."""
    from dashlib.ui.components import PHONE_PAGE_PADDING_PX, phone_figure_width

    figure = phone_figure_width(width - PHONE_PAGE_PADDING_PX) or COMPACT_WIDTH_PX
    extra = {"user_agent": agent} if agent else {}
    ctx, page = _open(
        browser,
        app.url + "/map" + query,
        viewport={"width": width, "height": 812},
        is_mobile=True,
        has_touch=True,
        **extra,
    )
    try:
        box = page.locator(f".st-key-map_compact_w{figure}")
        box.locator(f"{PLOT} .geolayer path").first.wait_for(state="attached", timeout=READY_MS)
        page.wait_for_timeout(500)
        bands = box.evaluate(_BANDS)
        assert max(abs(v) for v in bands) <= 2.5, bands
        assert box.bounding_box()["width"] == pytest.approx(width - PHONE_PAGE_PADDING_PX, abs=1)
    finally:
        ctx.close()


@pytest.mark.parametrize(
    ("width", "agent"),
    [(390, PHONE_UA), (430, PHONE_UA), (375, None)],  # None: a narrow desktop window
)
def test_a_first_visit_draws_the_phone_map_for_its_screen_at_once(
    browser: Any, app: AppServer, width: int, agent: str | None
) -> None:
    """The page's HTML sets the width cookies before the app's websocket opens, so the
    first run of a first visit (a fresh browser: no cookie from before) already draws the
    map for the screen: the width probe never asks for a rerun, and no wide map is drawn
    first on a narrow desktop window."""
    from dashlib.ui.components import PHONE_PAGE_PADDING_PX, VIEWPORT_KEY, phone_figure_width

    figure = phone_figure_width(width - PHONE_PAGE_PADDING_PX) or COMPACT_WIDTH_PX
    extra = {"user_agent": agent} if agent else {}
    ctx = browser.new_context(viewport={"width": width, "height": 812}, is_mobile=True, **extra)
    page = ctx.new_page()
    try:
        page.goto(app.url + "/map", wait_until="domcontentloaded")
        box = page.locator(f".st-key-map_compact_w{figure}")
        box.locator(f"{PLOT} .geolayer path").first.wait_for(state="attached", timeout=READY_MS)
        page.wait_for_timeout(2000)  # the probe checks every 0.3 s once the run has ended
        probe = page.locator(f".st-key-{VIEWPORT_KEY}_box input")
        assert probe.input_value() == "", "the probe asked for a rerun"
        assert page.locator(".st-key-map_wide").count() == 0
    finally:
        ctx.close()


_TEXT_FIT = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')]
    .filter(gd => gd.getBoundingClientRect().width > 0).map(gd => {
      const r = gd.getBoundingClientRect(), t = gd.querySelector('.gtitle');
      const lines = t.querySelectorAll('tspan.line').length;
      return {plot: [r.left, r.right], title: [t.getBoundingClientRect().left,
              t.getBoundingClientRect().right], lines: lines}; })"""


@pytest.mark.parametrize("width", [800, 900, 1000, 1280, 1600])
@pytest.mark.parametrize("path", ["/map", "/timeline", "/"])
def test_chart_text_fits_a_desktop_window_and_uses_its_width(
    browser: Any, app: AppServer, path: str, width: int
) -> None:
    """A wide screen's chart has its title, subtitle and source lines wrapped for the width
    the chart has in that window (the width cookie the page's HTML sets, with the sidebar
    open beside the page): never cut at the chart's right edge, and at 1280 px no longer
    wrapped as for a phone (the map's subtitle took four lines beside an empty half)."""
    ctx, page = _open(browser, app.url + path, viewport={"width": width, "height": 900})
    try:
        page.wait_for_timeout(500)
        charts = page.evaluate(_TEXT_FIT)
        assert charts
        for chart in charts:
            assert chart["title"][1] <= chart["plot"][1] + 1, (path, width, chart)
        if width >= 1280 and path != "/":
            # title + subtitle + source and credit: 1 + 2 + 2 lines (a phone's: 1 + 4 + 3)
            assert charts[0]["lines"] <= 6, charts[0]
    finally:
        ctx.close()


@pytest.mark.parametrize("path", ["/map", "/timeline"])
@pytest.mark.parametrize(("first", "then"), [(1280, 900), (1024, 768), (1280, 375)])
def test_chart_text_is_wrapped_again_after_the_window_narrows(
    browser: Any, app: AppServer, path: str, first: int, then: int
) -> None:
    """Text wrapped for a wide window would run past the chart's edge once the window is
    narrowed (a tablet turned to portrait): the page notices the cut title and the chart is
    drawn again for the new width."""
    ctx, page = _open(browser, app.url + path, viewport={"width": first, "height": 900})
    try:
        page.wait_for_timeout(1000)  # the run has ended: the probe is watching
        page.set_viewport_size({"width": then, "height": 900})
        deadline = 30_000
        while deadline > 0:
            page.wait_for_timeout(500)
            deadline -= 500
            charts = page.evaluate(_TEXT_FIT)
            if charts and all(c["title"][1] <= c["plot"][1] + 1 for c in charts):
                break
        assert charts
        for chart in charts:
            assert chart["title"][1] <= chart["plot"][1] + 1, (path, first, then, chart)
    finally:
        ctx.close()


_DATE_BAR = """() => {
  const bar = document.querySelector('.st-key-date_bar');
  const play = bar.querySelector('button'), date = bar.querySelector('[data-testid="stDateInput"]');
  return {play: play.textContent.trim(), playCut: play.scrollWidth > play.clientWidth + 1,
          date: date.getBoundingClientRect().width, page: bar.getBoundingClientRect().width}; }"""


@pytest.mark.parametrize("width", [800, 900, 1000, 1100, 1280])
def test_a_desktop_window_map_fills_its_figure_and_its_date_bar_fits(
    browser: Any, app: AppServer, width: int
) -> None:
    """With the sidebar open, a 800-1100 px window leaves the map 440-640 px: the map was
    still laid out for 800 px (a blank band above it, labels over each other, "…Kherson
    Oblast" cut at the edge) and the date bar squeezed Play to "P." and the date to its year.
    Now the map is drawn for the page's width and the date bar wraps."""
    ctx, page = _open(browser, app.url + "/map", viewport={"width": width, "height": 900})
    try:
        box = page.locator(".st-key-map_wide")
        box.locator(f"{PLOT} .geolayer path").first.wait_for(state="attached", timeout=READY_MS)
        page.wait_for_timeout(500)
        bands = box.evaluate(_BANDS)
        assert max(abs(v) for v in bands) <= 2.5, bands
        bar = page.evaluate(_DATE_BAR)
        assert bar["play"].endswith("Play") and not bar["playCut"], bar
        assert bar["date"] >= 150, bar
    finally:
        ctx.close()


_SQUEEZED = """() => [...document.querySelectorAll('[data-testid="stMetricLabel"] *')]
    .filter(el => el.scrollWidth > el.clientWidth + 1).map(el => el.textContent)"""


@pytest.mark.parametrize("width", [800, 900, 1000, 1100])
def test_the_overview_map_and_figures_stack_where_they_do_not_fit(
    browser: Any, app: AppServer, width: int
) -> None:
    """With the sidebar open, a 800-1100 px window has no room for the overview's map and
    its key figures side by side: the figures go under the map (they squeezed it to 230 px,
    cut its title and cut the tiles' labels to "Act…")."""
    ctx, page = _open(browser, app.url + "/", viewport={"width": width, "height": 900})
    try:
        page.wait_for_timeout(500)
        chart = page.locator(PLOT).first.bounding_box()
        assert chart is not None and chart["width"] >= 400, chart
        assert page.evaluate(_SQUEEZED) == []
        metric = page.locator('[data-testid="stMetric"]').first.bounding_box()
        assert metric is not None and metric["y"] > chart["y"] + chart["height"], (chart, metric)
    finally:
        ctx.close()


# --------------------------------------------------------------------------- 7: exported page


def test_exported_page_falls_back_to_text_and_png_when_plotly_is_blocked(
    browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from dashlib.data.dataset import load
    from dashlib.figures import build_timeline_figure
    from dashlib.publish.pages import standalone_html

    ds = load(REPO / "tests" / "fixtures" / "valid")
    fig = build_timeline_figure(ds, Selection(), dt.date(2026, 11, 27))
    page_file = tmp_path_factory.mktemp("export") / "timeline.html"
    page_file.write_text(standalone_html(fig, png="timeline.png"), encoding="utf-8")
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        page.route(
            "**/*",
            lambda route: route.abort() if "plot.ly" in route.request.url else route.continue_(),
        )  # a CMS policy blocking plotly's CDN
        page.goto(page_file.as_uri())
        fallback = page.locator(".fallback")
        fallback.wait_for(state="visible", timeout=10_000)
        assert "In words" not in fallback.inner_text()  # the summary itself, not a label
        assert str(fig.layout.meta["summary"])[:40] in fallback.inner_text()
        assert fallback.get_by_role("link").get_attribute("href") == "timeline.png"
    finally:
        ctx.close()


# Chrome on Android: a phone's User-Agent, as bench/throttled.py sends.
PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 11; Pixel 5) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/159.0.8154.6 Mobile Safari/537.36"
)
# When the first chart and the first sidebar filter appeared (ms since navigation).
_FIRST_SEEN_JS = """
window.__seen = {};
new MutationObserver(function () {
  var s = window.__seen, now = performance.now();
  var chart = '[data-testid="stPlotlyChart"] .main-svg';
  var filter = '[data-testid="stSidebar"] [data-testid="stMultiSelect"]';
  if (!s.chart && document.querySelector(chart)) s.chart = now;
  if (!s.filter && document.querySelector(filter)) s.filter = now;
}).observe(document, {subtree: true, childList: true});
"""


@pytest.mark.parametrize("path", ["/map?country=GEO", "/?country=GEO"])
def test_a_phones_first_visit_draws_the_chart_then_the_filters(
    browser: Any, app: AppServer, path: str
) -> None:
    """The filters come once the chart is drawn, by themselves, holding the link's choice."""
    ctx = browser.new_context(
        viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True,
        user_agent=PHONE_UA,
    )  # fmt: skip
    ctx.add_init_script(_FIRST_SEEN_JS)
    page = ctx.new_page()
    try:
        page.goto(app.url + path, wait_until="commit")
        chip = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"] [data-tag]')
        chip.first.wait_for(state="attached", timeout=READY_MS)
        assert "Georgia" in chip.first.inner_text()
        seen = page.evaluate("window.__seen")
        assert seen["chart"] < seen["filter"], seen
        assert page.locator(".st-key-filters_later").count() == 0
        assert _query(page)["country"] == ["GEO"]
    finally:
        ctx.close()


def test_on_a_phone_the_filters_close_after_a_choice(browser: Any, app: AppServer) -> None:
    ctx, page = _open(
        browser,
        app.url + "/timeline",
        viewport={"width": 375, "height": 812},
        is_mobile=True,
        has_touch=True,
    )
    try:
        collapsed = "() => document.querySelector('[data-testid=\"stSidebar\"]')" \
            ".getAttribute('data-collapsed')"  # fmt: skip
        assert page.evaluate(collapsed) == "true"
        page.locator('[data-testid="stExpandSidebarButton"]').first.click()
        page.wait_for_function(f"() => ({collapsed})() === 'false'", timeout=10_000)
        page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"] input').first.click()
        page.keyboard.type("Georgia")
        page.keyboard.press("Enter")
        page.wait_for_function("() => location.search.includes('country=GEO')", timeout=15_000)
        page.wait_for_function(f"() => ({collapsed})() === 'true'", timeout=10_000)
    finally:
        ctx.close()


def test_tapping_a_site_on_a_phone_shows_its_card_under_the_map(
    browser: Any, app: AppServer
) -> None:
    ctx, page = _open(
        browser,
        app.url + "/map?country=KAZ",
        viewport={"width": 375, "height": 812},
        is_mobile=True,
        has_touch=True,
    )
    try:
        page.locator('[data-testid="stPlotlyChart"] .geolayer path').first.wait_for(
            state="attached", timeout=READY_MS
        )
        page.locator('[data-testid="stPlotlyChart"] .geolayer').first.scroll_into_view_if_needed()
        page.wait_for_timeout(1000)
        # The drawn marker of the first site (its DOM node: markers close together are set
        # apart on a small ring, so the site's own coordinates may not be under it).
        marker = page.evaluate_handle(
            f"""() => {{ const gd = document.querySelector('{PLOT}');
                const g = [...gd.querySelectorAll('.geo g.trace')].find(g => {{
                    const t = g.__data__ && g.__data__[0] && g.__data__[0].trace;
                    return t && t.customdata && t.customdata.length &&
                        g.querySelector('path.point'); }});
                return g ? g.querySelector('path.point') : null; }}"""
        ).as_element()
        assert marker is not None, "no site marker drawn"
        marker.evaluate("e => e.scrollIntoView({block: 'center'})")
        page.wait_for_timeout(800)
        box = marker.bounding_box()
        assert box, "the site marker has no box"
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        assert 0 <= y <= 812, "the site is not on screen"
        page.touchscreen.tap(x, y)
        card = page.locator('[class*="st-key-site_card_"]')
        card.wait_for(state="visible", timeout=20_000)
        chart_box = page.locator(PLOT).first.bounding_box()
        card_box = card.bounding_box()
        assert chart_box and card_box and card_box["y"] >= chart_box["y"] + chart_box["height"] - 1
        words = page.locator("text=In words").first.bounding_box()
        assert words and card_box["y"] < words["y"]  # between the map and its words
        assert _query(page).get("country") == ["KAZ"]  # the tap did not change the filter
    finally:
        ctx.close()


_HOVER_BOXES = """() => [...document.querySelectorAll('.hoverlayer .hovertext')].map(h => {
    const r = h.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; })"""
_FADED = """() => [...document.querySelectorAll(
        '.js-plotly-plot .choroplethlocation, .js-plotly-plot .scattergeo .point')]
    .map(e => parseFloat(getComputedStyle(e).opacity)).filter(o => o > 0 && o < 0.9).length"""


@pytest.mark.parametrize("agent", [PHONE_UA, None], ids=["phone-agent", "no-agent"])
def test_a_site_tap_on_a_phone_fits_the_screen_and_fades_nothing(
    browser: Any, app: AppServer, agent: str | None
) -> None:
    extra = {"user_agent": agent} if agent else {}
    ctx, page = _open(browser, app.url + "/map", **_PHONE, **extra)
    try:
        page.locator(f"{PLOT} .geolayer path").first.wait_for(state="attached", timeout=READY_MS)
        page.wait_for_timeout(1500)
        # The largest site marker (the audit's 201st base in Dushanbe), in mid-screen.
        biggest = """() => [...document.querySelectorAll('.js-plotly-plot .scattergeo .point')]
            .sort((a, b) => b.getBoundingClientRect().width - a.getBoundingClientRect().width)[0]"""
        page.evaluate(f"() => ({biggest})().scrollIntoView({{block: 'center'}})")
        page.wait_for_timeout(800)
        box = page.evaluate_handle(biggest).as_element().bounding_box()  # type: ignore[union-attr]
        assert box is not None
        page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.locator('[class*="st-key-site_card_"]').wait_for(state="visible", timeout=20_000)
        page.wait_for_timeout(1000)  # after the app's rerun
        labels = page.evaluate(_HOVER_BOXES)
        assert labels, "the tap opened no hover label"
        for label in labels:  # the tap's label lies within the screen
            assert label["left"] >= 0 and label["right"] <= 375, label
            assert label["top"] >= 0 and label["bottom"] <= 812, label
        assert page.evaluate(_FADED) == 0, "the tap faded the map"
        assert "country" not in _query(page)
    finally:
        ctx.close()
