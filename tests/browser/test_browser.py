"""Real-browser tests: Debian's Chromium, driven by playwright, against ``streamlit run``.

Run them with ``pytest -m browser tests/browser/``. They need /usr/bin/chromium: without
it they skip with a note, except under CI (``CI`` set), where a missing browser is a failure.
Never ``playwright install`` here: it downloads a browser, which cannot work offline.

One server on the shipped data/ serves most tests. A second server, on a copy of
tests/fixtures/valid with hostile text added, serves the XSS test and the check that a first
visitor arriving by a deep link still goes through app.py. One browser per session, a
fresh context (no cache, no cookies) per page visit. Each page is loaded once and what it did
(time to draw, requests, console errors, accessibility violations) is kept for the tests that
check those facts, so the suite stays well under three minutes.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from tools.browser import (
    REPO,
    AppServer,
    ConsoleError,
    Recorder,
    open_page,
    settle,
    start_app,
)

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).parents[1] / "fixtures"
CHART = '[data-testid="stPlotlyChart"] .main-svg'
# plotly draws the base map (land, country outlines) into .geolayer and one path per
# choropleth country into .choroplethlocation; both need the topojson the app serves itself
# from /app/static/topojson/ (the CDN is out of reach, so a drawn path proves it was used).
GEO_PATHS = (
    '[data-testid="stPlotlyChart"] .geolayer path, '
    '[data-testid="stPlotlyChart"] .choroplethlocation'
)
DESKTOP = {"width": 1280, "height": 900}
READY_TIMEOUT_MS = 60_000  # a cold server builds the figures first; warm pages take seconds

# url path -> what proves the page rendered
PAGES = {
    "/": "chart",  # the default page (Overview); Streamlit serves the default page only at /
    "/corrections": "title",
    "/map": "map",
    "/timeline": "chart",
    "/excerpts": "cards",
    "/about": "sources",
}

XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "<script>alert(2)</script>"
XSS_LINK = "[click](javascript:alert(3))"
TIMINGS: list[tuple[str, float]] = []


# --------------------------------------------------------------------------- environment


@pytest.fixture(scope="module", autouse=True)
def _timing_report(pytestconfig: pytest.Config) -> Iterator[None]:
    """Print each page's time from navigation to drawn content at the end of the session."""
    yield
    reporter = pytestconfig.pluginmanager.getplugin("terminalreporter")
    capture = pytestconfig.pluginmanager.getplugin("capturemanager")
    if reporter is None or capture is None or not TIMINGS:
        return
    with capture.global_and_fixture_disabled():  # teardown output is captured otherwise
        reporter.write_line("")
        reporter.write_line("browser: seconds from navigation to content visible (fresh context)")
        for label, seconds in TIMINGS:
            reporter.write_line(f"  {seconds:6.2f} s  {label}")


def _server(data_dir: Path, log: Path) -> AppServer:
    try:
        return start_app(data_dir, log)
    except RuntimeError as err:
        pytest.fail(str(err), pytrace=False)


@pytest.fixture(scope="module")
def app(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """The dashboard on the shipped data/.

    Its first visit opens "/" (the cold start: data loaded, figures built) and is kept as the
    "/" visit. Opening "/" first also matters: see
    test_first_visit_by_deep_link_goes_through_the_router for what a deep link does on a
    server whose entry page has never run.
    """
    server = _server(REPO / "data", tmp_path_factory.mktemp("app") / "streamlit.log")
    try:
        VISITS["/"] = _load_visit(browser, server, "/", "/ (cold server: first load)")
        yield server
    finally:
        server.stop()


def _since(started: float) -> float:
    return time.perf_counter() - started


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport=DESKTOP)
    yield ctx
    ctx.close()


# --------------------------------------------------------------------------- one visit per page


@dataclass
class Visit:
    path: str
    seconds: float | None = None  # navigation -> content visible; None when it never showed
    ready_error: str = ""
    charts: int = 0
    geo_paths: int = 0
    cards: int = 0
    sources_table: bool = False
    recorder: Recorder = field(default_factory=Recorder)
    violations: list[dict[str, Any]] = field(default_factory=list)
    axe_error: str = ""


def _geo_paths(page: Any, timeout_ms: float = 15_000) -> int:
    """How many land/country paths plotly drew, once it drew any (it fetches the topojson
    after the chart's svg is already visible)."""
    try:
        page.locator(GEO_PATHS).first.wait_for(state="attached", timeout=timeout_ms)
    except Exception:  # noqa: BLE001 - none drawn: the count says so
        pass
    return int(page.locator(GEO_PATHS).count())


def _ready_locator(page: Any, kind: str) -> Any:
    if kind in ("chart", "map"):
        return page.locator(CHART).first
    if kind == "cards":
        return page.get_by_text("What reporters wrote").first
    if kind == "title":
        return page.locator("h1").first
    return page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').first


def _count_cards(page: Any) -> int:
    """Quote cards: bordered containers in the main area that hold text."""
    return int(
        page.evaluate(
            """() => Array.from(document.querySelectorAll(
                    '[data-testid="stMain"] [data-testid="stVerticalBlock"]'))
                .filter(e => parseFloat(getComputedStyle(e).borderTopWidth) > 0
                          && e.querySelector('[data-testid="stMarkdown"]'))
                .length"""
        )
    )


def _run_axe(page: Any) -> list[dict[str, Any]]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return list(results.response.get("violations", []))


VISITS: dict[str, Visit] = {}


def _load_visit(browser: Any, server: AppServer, path: str, label: str = "") -> Visit:
    """Load ``path`` in a fresh context, wait for its content, keep what the page did."""
    kind = PAGES[path]
    result = Visit(path)
    context = browser.new_context(viewport=DESKTOP)
    try:
        page, result.recorder, started = open_page(context, server.url + path)
        try:
            _ready_locator(page, kind).wait_for(state="visible", timeout=READY_TIMEOUT_MS)
            result.seconds = _since(started)
            TIMINGS.append((label or path, result.seconds))
        except Exception as err:  # noqa: BLE001 - reported by test_page_renders
            result.ready_error = str(err).splitlines()[0]
        settle(page)
        result.charts = page.locator(CHART).count()
        if kind == "map":
            result.geo_paths = _geo_paths(page)
        if kind == "cards":
            result.cards = _count_cards(page)
        if kind == "sources":
            result.sources_table = page.locator(
                '[data-testid="stMain"] [data-testid="stDataFrame"]'
            ).first.is_visible()
        try:
            result.violations = _run_axe(page)
        except Exception as err:  # noqa: BLE001 - reported by test_accessibility
            result.axe_error = f"{type(err).__name__}: {err}"
    finally:
        context.close()
    return result


@pytest.fixture(scope="module")
def visit(app: AppServer, browser: Any) -> Callable[[str], Visit]:
    """Each page is loaded once; the tests of its rendering, requests, console and
    accessibility all read that one visit."""

    def load(path: str) -> Visit:
        if path not in VISITS:
            VISITS[path] = _load_visit(browser, app, path)
        return VISITS[path]

    return load


# --------------------------------------------------------------------------- 1-3, 6: every page


@pytest.mark.parametrize("path", list(PAGES))
def test_page_renders(visit: Callable[[str], Visit], path: str) -> None:
    v = visit(path)
    kind = PAGES[path]
    assert v.seconds is not None, f"{path}: content never became visible: {v.ready_error}"
    if kind in ("chart", "map"):
        assert v.charts > 0, f"{path}: no plotly chart drawn"
    if kind == "map":
        assert v.geo_paths > 0, (
            f"{path}: plotly drew no land/country paths (.geolayer path, .choroplethlocation); "
            "the offline topojson from /app/static/topojson/ was not used"
        )
    if kind == "cards":
        assert v.cards > 0, f"{path}: no quote cards (bordered containers with text)"
    if kind == "sources":
        assert v.sources_table, f"{path}: the sources table is not visible"


@pytest.mark.parametrize("path", list(PAGES))
def test_no_request_leaves_the_machine(visit: Callable[[str], Visit], path: str) -> None:
    v = visit(path)
    assert not v.recorder.external_requests, (
        f"{path}: requests to other hosts: {sorted(set(v.recorder.external_requests))}"
    )


def known_probe(error: ConsoleError, path: str) -> bool:
    """Streamlit's own harmless 404s on a deep link, and nothing else.

    Opened on a deep link such as /map, Streamlit's frontend does not yet know the app's base
    path, so it first tries the page path as one: GET /map/_stcore/health and
    /map/_stcore/host-config. Those 404 (Chromium logs "Failed to load resource ... 404"),
    then it falls back to the root and connects. The app cannot prevent these probes, so
    exactly these two URLs under the visited page's own path are ignored.
    """
    segment = urlparse(path).path.strip("/").split("/")[0]
    if not segment or "status of 404" not in error.text:
        return False
    probe = urlparse(error.url)
    return probe.path in {f"/{segment}/_stcore/health", f"/{segment}/_stcore/host-config"}


def _unexpected_errors(recorder: Recorder, path: str) -> list[str]:
    errors = [str(e) for e in recorder.console_errors if not known_probe(e, path)]
    errors += [f"uncaught: {e}" for e in recorder.page_errors]
    errors += [f"request failed: {r}" for r in recorder.failed_requests]
    return errors


@pytest.mark.parametrize("path", list(PAGES))
def test_no_console_errors(visit: Callable[[str], Visit], path: str) -> None:
    v = visit(path)
    errors = _unexpected_errors(v.recorder, path)
    assert not errors, f"{path}: console errors:\n" + "\n".join(errors)


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for item in violations:
        lines.append(f"- {item.get('id')} ({item.get('impact')}): {item.get('help')}")
        for node in item.get("nodes", [])[:8]:
            target = " ".join(str(t) for t in node.get("target", []))
            summary = (node.get("failureSummary") or "").replace("\n", " ")[:240]
            lines.append(f"    {target} :: {summary}")
    return "\n".join(lines)


@pytest.mark.parametrize("path", list(PAGES))
def test_accessibility(visit: Callable[[str], Visit], path: str) -> None:
    v = visit(path)
    assert not v.axe_error, f"{path}: axe-core did not run: {v.axe_error}"
    bad = [x for x in v.violations if x.get("impact") in ("serious", "critical")]
    assert not bad, f"{path}: serious/critical axe-core violations:\n{_describe(bad)}"


# --------------------------------------------------------------------------- 4: XSS


def _append_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    text = path.read_text(encoding="utf-8")
    with path.open("a", encoding="utf-8", newline="") as handle:
        if not text.endswith("\n"):
            handle.write("\n")
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        for row in rows:
            writer.writerow({name: row.get(name, "") for name in header})


@pytest.fixture(scope="module")
def xss_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/fixtures/valid plus an article and an excerpt full of hostile text; still valid.

    The schema only allows http(s) in url columns, so the javascript: links sit in the free
    text columns (excerpt text, speaker, speaker role, article title), where a Markdown
    renderer would turn them into links if the app did not escape them.
    """
    target = tmp_path_factory.mktemp("xss") / "data"
    shutil.copytree(FIXTURES / "valid", target)
    _append_rows(
        target / "articles.csv",
        [
            {
                "article_id": "art-xss",
                "title": "<b>Hostile</b> title [open](javascript:alert(4))",
                "outlet": '<a href="javascript:alert(5)">Outlet</a>',
                "authors": "A. Tester",
                "published": "2022-01-07",
                "published_precision": "day",
                "url": "https://example.org/xss",
                "machine_translation": "false",
                "source_ids": "src-a",
                "text_file": "art-xss.txt",
            }
        ],
    )
    _append_rows(
        target / "excerpts.csv",
        [
            {
                "excerpt_id": "ex-xss",
                "article_id": "art-xss",
                "paragraph": "1",
                "text": f"{XSS_IMG} then {XSS_SCRIPT} and {XSS_LINK}",
                "speaker": '<a href="javascript:alert(6)">Speaker</a>',
                "speaker_role": "[role](javascript:alert(7))",
                "intervention_ids": "int-one",
                "country_iso3s": "UKR",
                "editor_note": "<script>alert(8)</script> [note](javascript:alert(8))",
                "machine_translated_quote": "true",
            }
        ],
    )
    # The excerpt must be verbatim in a held text and a small share of it.
    (target / "articles" / "art-xss.txt").write_text(
        f"{XSS_IMG} then {XSS_SCRIPT} and {XSS_LINK}\n\n" + "filler " * 300 + "\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "dashlib", "validate", str(target)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, (
        f"the XSS fixture does not validate (exit {done.returncode}):\n"
        f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    return target


@pytest.fixture(scope="module")
def fixture_app(
    xss_data: Path, browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AppServer]:
    """A second server, on the XSS fixture copy. Nothing ever opens its root URL "/".

    Its first visitor arrives by an embed link; what that visit showed is kept in FIRST_VISIT
    for test_first_visit_by_deep_link_goes_through_the_router, whatever the test order.
    """
    server = _server(xss_data, tmp_path_factory.mktemp("xss-app") / "streamlit.log")
    try:
        context = browser.new_context(viewport=DESKTOP)
        try:
            page, _, started = open_page(context, server.url + "/map?embed=true")
            try:
                page.locator(CHART).first.wait_for(state="visible", timeout=READY_TIMEOUT_MS)
                TIMINGS.append(("/map?embed=true (second server, first visit)", _since(started)))
            except Exception as err:  # noqa: BLE001 - reported by the test
                FIRST_VISIT["error"] = str(err).splitlines()[0]
            settle(page)
            FIRST_VISIT["title"] = page.title()
            FIRST_VISIT["shown"] = _on_screen(page, '[data-testid="stSidebar"]') + _on_screen(
                page, '[data-testid="stSidebarNav"]'
            )
        finally:
            context.close()
        yield server
    finally:
        server.stop()


FIRST_VISIT: dict[str, Any] = {}


def test_excerpts_show_hostile_text_as_text(fixture_app: AppServer, context: Any) -> None:
    page, recorder, started = open_page(context, fixture_app.url + "/excerpts")
    shown = page.get_by_text(XSS_IMG, exact=False).first
    shown.wait_for(state="visible", timeout=READY_TIMEOUT_MS)
    TIMINGS.append(("/excerpts (XSS fixture, cold server)", _since(started)))
    settle(page, 1000)  # give any injected handler time to fire a dialog
    assert not recorder.dialogs, f"a dialog fired: {recorder.dialogs}"
    assert page.get_by_text(XSS_SCRIPT, exact=False).first.is_visible(), (
        f"{XSS_SCRIPT!r} is not shown as text"
    )
    assert page.get_by_text(XSS_LINK, exact=False).first.is_visible(), (
        f"{XSS_LINK!r} is not shown as text"
    )
    assert page.locator('img[src="x"]').count() == 0, "an <img src=x> element was injected"
    scripts = page.evaluate(
        "() => Array.from(document.scripts).filter(s => s.textContent.includes('alert(')).length"
    )
    assert scripts == 0, "a <script> from the data is in the page"
    links = page.locator('a[href^="javascript:" i]')
    assert links.count() == 0, "javascript: links: " + ", ".join(
        links.nth(i).evaluate("a => a.outerHTML") for i in range(links.count())
    )
    assert not recorder.dialogs, f"a dialog fired: {recorder.dialogs}"


# --------------------------------------------------------------------------- 5: phone width


def test_map_fits_a_phone(app: AppServer, browser: Any) -> None:
    ctx = browser.new_context(
        viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True
    )
    try:
        page, _, started = open_page(ctx, app.url + "/map")
        page.locator(CHART).first.wait_for(state="visible", timeout=READY_TIMEOUT_MS)
        TIMINGS.append(("/map at 375x812", _since(started)))
        settle(page)
        assert _geo_paths(page) > 0, "the map drew no countries at 375 px"
        widths = page.evaluate(
            """() => {
                const main = document.querySelector('[data-testid="stMain"]');
                return {
                    document: document.documentElement.scrollWidth,
                    main: main ? main.scrollWidth : 0,
                    mainClient: main ? main.clientWidth : 0,
                    widest: Array.from(document.querySelectorAll('[data-testid="stMain"] *'))
                        .map(e => [e.getBoundingClientRect().right, e])
                        .filter(([r]) => r > 376)
                        .slice(0, 5)
                        .map(([r, e]) => `${Math.round(r)}px ${e.tagName.toLowerCase()}`
                            + (e.dataset.testid ? `[data-testid=${e.dataset.testid}]` : '')
                            + (e.className && e.className.baseVal === undefined
                               ? '.' + String(e.className).split(' ')[0] : '')),
                };
            }"""
        )
        assert widths["document"] <= 375 + 1, f"horizontal scroll at 375 px: {widths}"
        assert widths["main"] <= widths["mainClient"] + 1, (
            f"the main area scrolls sideways at 375 px: {widths}"
        )
    finally:
        ctx.close()


# --------------------------------------------------------------------------- 7: deep links


def test_deep_link_restores_selection(app: AppServer, context: Any) -> None:
    page, _, started = open_page(context, app.url + "/timeline?country=UKR&from=2014-01-01")
    page.locator(CHART).first.wait_for(state="visible", timeout=READY_TIMEOUT_MS)
    TIMINGS.append(("/timeline?country=UKR&from=2014-01-01", _since(started)))
    settle(page)
    countries = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
        has_text="Countries"
    )
    assert countries.count() == 1, "no Countries multiselect in the sidebar"
    # Streamlit 1.67 draws each chosen option as a [data-tag] chip labelled with its name
    # (a hidden <template> copy of the chips exists too, hence :visible).
    chips = countries.locator("[data-tag]:visible")
    shown = [chips.nth(i).get_attribute("aria-label") for i in range(chips.count())]
    assert shown == ["Ukraine"], f"Countries shows {shown}, expected ['Ukraine']"
    query = parse_qs(urlparse(page.url).query)
    assert query.get("country") == ["UKR"], f"country param lost: {page.url}"
    assert query.get("from") == ["2014-01-01"], f"from param lost: {page.url}"


def test_deep_link_with_bad_params_explains_and_draws(app: AppServer, context: Any) -> None:
    page, _, started = open_page(context, app.url + "/map?country=XXX&date=06/01/2022")
    page.locator(CHART).first.wait_for(state="visible", timeout=READY_TIMEOUT_MS)
    TIMINGS.append(("/map?country=XXX&date=06/01/2022", _since(started)))
    note = page.locator('[data-testid="stAlert"]').filter(has_text="not understood")
    note.first.wait_for(state="visible", timeout=10_000)
    assert _geo_paths(page) > 0, "the map drew no countries"


def test_clicking_a_country_on_the_map_selects_it_everywhere(app: AppServer, context: Any) -> None:
    page, _, _ = open_page(context, app.url + "/map")
    page.locator(GEO_PATHS).first.wait_for(state="attached", timeout=READY_TIMEOUT_MS)
    settle(page, 1500)
    # Where plotly projects a point inside Kazakhstan (Aktobe region, away from any site: a
    # site shows its details instead of filtering), in page pixels.
    x, y = page.evaluate(
        """() => {
        const gd = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
        const geo = gd._fullLayout.geo._subplot;
        const [px, py] = geo.projection([60.0, 50.5]);
        const box = gd.querySelector('.geolayer').closest('svg').getBoundingClientRect();
        return [box.left + px, box.top + py];
    }"""
    )
    page.mouse.click(x, y)
    chips = page.locator(
        '[data-testid="stSidebar"] [data-testid="stMultiSelect"] [data-tag]:visible'
    )
    chips.first.wait_for(state="visible", timeout=20_000)
    assert [chips.nth(i).get_attribute("aria-label") for i in range(chips.count())] == [
        "Kazakhstan"
    ]
    page.wait_for_function("() => location.search.includes('country=KAZ')", timeout=10_000)
    # The same selection drives the timeline: only Kazakhstan's lane is drawn.
    page.get_by_role("link", name="Timeline").first.click()
    page.wait_for_function("() => location.pathname.endsWith('/timeline')", timeout=20_000)
    page.locator(CHART).first.wait_for(state="visible", timeout=READY_TIMEOUT_MS)
    settle(page, 1500)
    lanes = page.evaluate(
        """() => document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot')
        ._fullLayout.yaxis.ticktext"""
    )
    assert lanes == ["Kazakhstan"], lanes


# --------------------------------------------------------------------------- 8: embed


def _on_screen(page: Any, selector: str) -> list[str]:
    """The elements matching ``selector`` that a reader can see (visible, inside the viewport)."""
    found = []
    size = page.viewport_size or DESKTOP
    items = page.locator(selector)
    for i in range(items.count()):
        item = items.nth(i)
        if not item.is_visible():
            continue
        box = item.bounding_box()
        if box is None or box["width"] < 1 or box["height"] < 1:
            continue
        if box["x"] + box["width"] <= 0 or box["x"] >= size["width"]:
            continue
        if box["y"] + box["height"] <= 0 or box["y"] >= size["height"]:
            continue
        found.append(f"{selector} at {box}: {item.inner_text()[:120]!r}")
    return found


def test_embed_shows_only_the_chart(app: AppServer, context: Any) -> None:
    page, _, started = open_page(context, app.url + "/map?embed=true")
    page.locator(CHART).first.wait_for(state="visible", timeout=READY_TIMEOUT_MS)
    TIMINGS.append(("/map?embed=true", _since(started)))
    settle(page)
    assert _geo_paths(page) > 0, "the embedded map drew no countries"
    shown = _on_screen(page, '[data-testid="stSidebar"]')
    for nav in ("stSidebarNav", "stTopNav", "stTopNavLink", "stSidebarNavLink"):
        shown += _on_screen(page, f'[data-testid="{nav}"]')
    assert not shown, "embed mode shows a sidebar or navigation:\n" + "\n".join(shown)


def _app_title() -> str:
    found = re.search(r"page_title=\"([^\"]+)\"", (REPO / "app.py").read_text(encoding="utf-8"))
    assert found, "no page_title=... in app.py"
    return found.group(1)


def test_first_visit_by_deep_link_goes_through_the_router(fixture_app: AppServer) -> None:
    """A reader who arrives by an embed link before anyone opened "/" still gets app.py.

    Streamlit 1.67 keeps a server-wide flag (PagesManager.uses_pages_directory) that is true
    while a pages/ folder exists and no run has called st.navigation yet. Until then it runs a
    deep link such as /map by the old pages/-folder mode: pages/map.py alone, no
    st.set_page_config, no st.navigation, a sidebar listing the file names, even in embed
    mode. (Seen here before dashlib.ui.page.ensure_router existed.) After every server restart
    the first reader may well come from an embed in a story, so this guards that case. The
    main server's warm-up opens "/" first, which would hide it, so this check runs on the
    second server, where "/" is never opened.
    """
    assert not FIRST_VISIT.get("error"), f"no chart on the first visit: {FIRST_VISIT['error']}"
    title, shown = FIRST_VISIT["title"], FIRST_VISIT["shown"]
    assert title == _app_title() and not shown, (
        f"the deep link bypassed app.py: page title {title!r} (app.py sets {_app_title()!r});"
        " sidebar/navigation on screen:\n" + "\n".join(shown)
    )
