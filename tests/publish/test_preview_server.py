"""Link previews from the app server itself (dashlib.publish.preview_server, serve_app.py).

The middleware alone (in process, on a stand-in app), then the app as `make run` starts it
(`streamlit run serve_app.py`, through tools.browser.start_app), read with plain HTTP as a
link-preview robot does (no JavaScript), then in Chromium.
"""

from __future__ import annotations

import asyncio
import functools
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dashlib.data.dataset import load
from dashlib.publish.preview_server import PreviewMiddleware, Previews
from dashlib.publish.shells import page_meta
from tools.browser import (
    BROWSER_ACCEPT,
    CHROMIUM,
    CHROMIUM_ARGS,
    AppServer,
    PageHead,
    fetch,
    page_head,
    start_app,
)

from conftest import FIXTURES, edit, missing_tool

PAGES = ["", "overview", "map", "timeline", "excerpts", "about", "corrections"]


# --------------------------------------------------------------------------- the middleware


async def _downstream(scope: Any, receive: Any, send: Any) -> None:
    """Stands in for Streamlit: says what reached it."""
    body = f"app saw {scope['type']} {scope.get('path')}".encode()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


def call(
    app: Any, path: str, method: str = "GET", accept: str | None = BROWSER_ACCEPT, **scope: Any
) -> tuple[int, dict[str, str], bytes]:
    headers = [(b"host", b"reach.test:8501")]
    if accept is not None:
        headers.append((b"accept", accept.encode()))
    full = {"type": "http", "method": method, "path": path, "query_string": b"", "scheme": "http"}
    full.update(headers=headers, **scope)
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(full, receive, send))
    start = sent[0]
    out = {k.decode().lower(): v.decode() for k, v in start.get("headers", [])}
    return start["status"], out, b"".join(m.get("body", b"") for m in sent[1:])


@pytest.fixture
def no_chromium(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Previews:
    """Previews of the fixture data on a machine without Chromium, loaded."""
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium"))
    monkeypatch.delenv("DASHLIB_PUBLIC_URL", raising=False)
    monkeypatch.delenv("DASHLIB_PREVIEWS", raising=False)
    previews = Previews(data_dir=FIXTURES / "valid", cards_dir=tmp_path / "cards")
    previews.start()
    assert previews.card("map-social.png", wait=60) is None  # waited for the load: no card
    return previews


def test_pages_html_requests_get_their_shells_and_nothing_else_does(
    no_chromium: Previews,
) -> None:
    app = PreviewMiddleware(_downstream, no_chromium)
    metas = {m.path: m for m in page_meta(load(FIXTURES / "valid"))}
    for path in PAGES:
        status, headers, body = call(app, f"/{path}")
        page = page_head(body)
        assert status == 200 and headers["content-type"].startswith("text/html"), path
        assert page.title == metas[path].title, path
        assert headers["cache-control"] == "no-cache"
        canonical = "" if path == "overview" else path  # one page, one canonical URL
        assert page.meta["og:url"] == f"http://reach.test:8501/{canonical}"
        # No Chromium, no card: no image named (and its URL answers 404, not a page).
        assert "og:image" not in page.meta and page.meta["twitter:card"] == "summary"
    assert call(app, "/previews/map-social.png")[0] == 404
    assert call(app, "/map", method="HEAD")[0] == 200
    for path, kwargs in [
        ("/map", {"accept": "*/*"}),  # not a browser's page request
        ("/map", {"accept": None}),
        ("/map", {"method": "POST"}),
        ("/map/", {}),  # Streamlit's redirect
        ("/editor", {}),  # not a public page
        ("/_stcore/health", {}),
        ("/app/static/topojson/world_110m.json", {}),
        ("/static/js/index.js", {}),
    ]:
        assert call(app, path, **kwargs)[2] == f"app saw http {path}".encode(), (path, kwargs)

    async def websocket() -> list[str]:
        seen: list[str] = []

        async def inner(scope: Any, receive: Any, send: Any) -> None:
            seen.append(scope["type"])

        await PreviewMiddleware(inner, no_chromium)({"type": "websocket", "path": "/"}, None, None)  # type: ignore[arg-type]
        return seen

    assert asyncio.run(websocket()) == ["websocket"]


def test_base_url_path_and_public_url(no_chromium: Previews) -> None:
    app = PreviewMiddleware(_downstream, no_chromium, base_path=lambda: "/reach/")
    page = page_head(call(app, "/reach/map")[2])
    assert page.meta["og:url"] == "http://reach.test:8501/reach/map"
    assert page_head(call(app, "/reach/")[2]).meta["og:url"] == "http://reach.test:8501/reach/"
    assert call(app, "/reach")[2] == b"app saw http /reach"  # Streamlit redirects it to /reach/
    assert call(app, "/map")[2] == b"app saw http /map"  # outside the app's path
    no_chromium.public_url = "https://reach.example.org/news"
    page = page_head(call(app, "/reach/timeline")[2])
    assert page.meta["og:url"] == "https://reach.example.org/news/timeline"


def test_shells_follow_the_data_and_keep_the_last_valid(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, data_dir: Path
) -> None:
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium"))
    previews = Previews(data_dir=data_dir, public_url="https://r.example")
    previews.start()
    previews.card("map-social.png", wait=60)
    app = PreviewMiddleware(_downstream, previews)
    before = page_head(call(app, "/excerpts")[2]).meta["description"]
    count = len(load(data_dir).excerpts)
    assert before.startswith(f"{count} verbatim excerpts")
    lines = (data_dir / "excerpts.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (data_dir / "excerpts.csv").write_text("".join(lines[:-1]), encoding="utf-8")
    deadline = time.monotonic() + 60
    after = before
    while after == before and time.monotonic() < deadline:  # reloaded in the background
        time.sleep(0.2)
        after = page_head(call(app, "/excerpts")[2]).meta["description"]
    assert after.startswith(f"{count - 1} verbatim excerpts"), after
    # Files that do not validate: the last valid previews stay.
    edit(data_dir / "countries.csv", "iso3,name,", "code,name,")
    for _ in range(10):
        time.sleep(0.2)
        assert page_head(call(app, "/excerpts")[2]).meta["description"] == after


def test_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHLIB_PREVIEWS", "off")
    app = PreviewMiddleware(_downstream, Previews(data_dir=FIXTURES / "valid"))
    assert call(app, "/map")[2] == b"app saw http /map"
    assert call(app, "/previews/map-social.png")[2] == b"app saw http /previews/map-social.png"


# --------------------------------------------------------------------------- the real server


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """`streamlit run serve_app.py` (what `make run` starts) on the fixture data."""
    if not CHROMIUM.exists():
        missing_tool(f"{CHROMIUM} not found: the social cards are drawn in it")
    work = tmp_path_factory.mktemp("served")
    server = start_app(FIXTURES / "valid", work / "streamlit.log")
    try:
        yield server
    finally:
        server.stop()


def wait_for_shell(url: str, timeout: float = 60.0) -> PageHead:
    """The shell, once the server has loaded the data (until then: Streamlit's own page)."""
    deadline = time.monotonic() + timeout
    while True:
        page = page_head(fetch(url)[2])
        if page.title != "Streamlit" or time.monotonic() > deadline:
            return page
        time.sleep(0.2)


@pytest.mark.browser
def test_served_pages_preview_without_javascript(served: AppServer) -> None:
    metas = {m.path: m for m in page_meta(load(FIXTURES / "valid"))}
    started = time.monotonic()
    wait_for_shell(served.url + "/")
    for path, query in [
        ("", ""),
        ("map", "?country=GEO"),
        ("timeline", ""),
        ("excerpts", ""),
        ("about", ""),
    ]:
        status, headers, body = fetch(f"{served.url}/{path}{query}")
        page = page_head(body)
        meta = metas[path]
        assert status == 200 and headers["content-type"].startswith("text/html")
        assert page.title == meta.title and page.meta["og:title"] == meta.title, path
        assert page.meta["og:description"] == meta.description, path
        assert page.meta["og:url"] == f"{served.url}/{path}"  # the query is the browser's
        assert page.meta["og:image"] == f"{served.url}/previews/{meta.image}"
        assert page.scripts >= 1  # Streamlit's app script: the page still runs
    # The card: drawn in the background; the request waits for it.
    status, headers, image = fetch(f"{served.url}/previews/map-social.png", "image/*")
    assert status == 200 and headers["content-type"] == "image/png"
    assert image.startswith(b"\x89PNG") and image[16:24] == (1200).to_bytes(4, "big") + (
        675
    ).to_bytes(4, "big")
    status, _, image = fetch(f"{served.url}/previews/timeline-social.png", "image/*")
    assert status == 200 and image.startswith(b"\x89PNG")
    print(f"shells and cards ready {time.monotonic() - started:.1f} s after health")
    # Not intercepted: other Accept headers, the health check, static files, unknown pages.
    assert page_head(fetch(served.url + "/map", "*/*")[2]).title == "Streamlit"
    assert fetch(served.url + "/_stcore/health", None)[2] == b"ok"
    status, headers, body = fetch(served.url + "/app/static/topojson/world_110m.json", "*/*")
    assert headers["content-type"] == "application/json" and body.startswith(b"{")
    assert page_head(fetch(served.url + "/nowhere")[2]).title == "Streamlit"
    with pytest.raises(urllib.error.HTTPError):
        fetch(served.url + "/previews/nothing.png", "image/*")


@pytest.mark.browser
def test_a_page_served_from_its_shell_still_draws_the_map(served: AppServer) -> None:
    """Chromium opens /map?country=GEO from the shell: the app runs (websocket, static
    topojson, query string), and embed mode still hides the navigation."""
    from playwright.sync_api import sync_playwright

    wait_for_shell(served.url + "/map")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(viewport={"width": 1280, "height": 900})
            response = tab.goto(served.url + "/map?country=GEO")
            assert response is not None and "Map of Russian deployments" in response.text()
            chart = tab.locator('[data-testid="stPlotlyChart"] .main-svg').first
            chart.wait_for(state="visible", timeout=90_000)
            tab.wait_for_function(
                "document.querySelectorAll('[data-testid=\"stPlotlyChart\"] path').length > 20",
                timeout=60_000,
            )
            assert "country=GEO" in tab.url
            og = tab.locator('meta[property="og:image"]').get_attribute("content")
            assert og == f"{served.url}/previews/map-social.png"
            tab.goto(served.url + "/map?embed=true")
            tab.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for(
                state="visible", timeout=90_000
            )
            assert tab.locator('[data-testid="stSidebarNav"]').count() == 0
        finally:
            browser.close()


CHART = '[data-testid="stPlotlyChart"]'


def _console_error(errors: list[str], message: Any) -> None:
    if message.type == "error":
        errors.append(message.text)


def _failed_response(errors: list[str], response: Any) -> None:
    if response.status >= 400:
        errors.append(f"{response.status} {response.url}")


@pytest.mark.browser
def test_deep_links_open_without_a_console_error(
    served: AppServer, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Streamlit's page looks for the server at the page's own path first
    (/about/_stcore/health: a 404 and a console error on every deep link); a shell says
    where it is, at the root and under a base path."""
    from playwright.sync_api import sync_playwright

    prefixed = start_app(
        FIXTURES / "valid", tmp_path_factory.mktemp("prefixed") / "log", base_path="reach"
    )
    try:
        wait_for_shell(served.url + "/about")
        wait_for_shell(prefixed.url + "/reach/about")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                for url, heading in [
                    (served.url + "/about", "About the data"),
                    (served.url + "/map?country=GEO", "Map of Russian deployments"),
                    (served.url + "/excerpts", "What reporters wrote"),
                    (served.url + "/", "Russia's military reach"),
                    (prefixed.url + "/reach/timeline", "Timeline of interventions"),
                    (prefixed.url + "/reach", "Russia's military reach"),
                ]:
                    tab = browser.new_page(viewport={"width": 1280, "height": 900})
                    errors: list[str] = []
                    tab.on("console", functools.partial(_console_error, errors))
                    tab.on("response", functools.partial(_failed_response, errors))
                    tab.goto(url)
                    h1 = tab.locator('[data-testid="stMain"] h1').first
                    h1.wait_for(timeout=60_000)
                    assert h1.inner_text().startswith(heading), url
                    if "/map" in url or url.endswith(("/", "/reach")):  # the base map drawn
                        tab.locator(f"{CHART} .geolayer path").first.wait_for(
                            state="attached", timeout=60_000
                        )
                    tab.wait_for_timeout(1500)
                    assert errors == [], (url, errors)
                    tab.close()
            finally:
                browser.close()
    finally:
        prefixed.stop()
