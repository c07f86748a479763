"""Helpers for the real-browser tests: run the app, open a page, record what the browser did.

Used by the browser tests and the benchmarks (bench/run.py). Nothing here downloads a browser:
they drive Debian's Chromium (/usr/bin/chromium) through the Python playwright package.
"""

from __future__ import annotations

import html.parser
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


def free_port() -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class AppServer:
    """A ``streamlit run`` process (the app as readers get it) serving one data folder."""

    process: subprocess.Popen[bytes]
    port: int
    data_dir: Path
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return ""

    def wait_for_previews(self, timeout: float = 150.0) -> None:
        """Until the link-preview cards are drawn (serve_app.py draws them in Chromium in the
        background after start, which would weigh on a measurement); at once for app.py."""
        try:
            urllib.request.urlopen(f"{self.url}/previews/map-social.png", timeout=timeout).close()
        except (urllib.error.URLError, OSError):
            pass  # app.py, previews off or no Chromium: nothing is being drawn

    def stop(self, timeout: float = 10.0) -> None:
        """Stop this server by its process id: terminate, then kill after ``timeout``."""
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=timeout)


def start_app(
    data_dir: Path,
    log_path: Path,
    timeout: float = 60.0,
    script: str = "serve_app.py",
    base_path: str = "",
) -> AppServer:
    """``streamlit run SCRIPT`` (by default serve_app.py, the dashboard as ``make run`` serves
    it: app.py with link previews) on a free 127.0.0.1 port with ``DASHLIB_DATA_DIR=data_dir``;
    wait until healthy. ``base_path``: Streamlit's ``server.baseUrlPath`` (the app is then
    at ``url + "/" + base_path``)."""
    port = free_port()
    env = dict(os.environ)
    env["DASHLIB_DATA_DIR"] = str(data_dir)
    if base_path:
        env["STREAMLIT_SERVER_BASE_URL_PATH"] = base_path
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("wb")
    try:
        process = subprocess.Popen(
            cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    finally:
        log.close()  # the child keeps its own handle
    server = AppServer(process, port, data_dir, log_path)
    health = f"{server.url}{'/' + base_path.strip('/') if base_path else ''}/_stcore/health"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"streamlit exited with {process.returncode} before it was healthy:\n"
                + server.log_tail()
            )
        try:
            with urllib.request.urlopen(health, timeout=2) as response:
                if response.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"streamlit not healthy after {timeout:.0f} s:\n{server.log_tail()}")


def leaves_machine(url: str) -> bool:
    """True when the request goes to a host other than this machine (data: and blob: stay)."""
    if not url.startswith(("http:", "https:", "ws:", "wss:")):
        return False
    return urlparse(url).hostname not in LOCAL_HOSTS


@dataclass
class ConsoleError:
    text: str
    url: str  # the resource or script the message is about ("" when unknown)

    def __str__(self) -> str:
        return f"{self.text} [{self.url}]" if self.url else self.text


@dataclass
class Recorder:
    """What a page did: console errors, failed requests, requests that left the machine."""

    console_errors: list[ConsoleError] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def attach(self, page: Any) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda err: self.page_errors.append(str(err)))
        page.on("requestfailed", self._on_failed)
        page.on("request", self._on_request)
        page.on("dialog", self._on_dialog)

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            location = message.location or {}
            self.console_errors.append(ConsoleError(message.text, location.get("url", "")))

    def _on_failed(self, request: Any) -> None:
        self.failed_requests.append(f"{request.method} {request.url}: {request.failure}")

    def _on_request(self, request: Any) -> None:
        if leaves_machine(request.url):
            self.external_requests.append(request.url)

    def _on_dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        try:
            dialog.dismiss()
        except Exception:  # noqa: BLE001 - the page may already be gone
            pass


def open_page(context: Any, url: str, timeout_ms: float = 30_000) -> tuple[Any, Recorder, float]:
    """Open ``url`` in a new tab of ``context`` with a recorder attached before navigation.

    Returns the page, its recorder and the ``time.perf_counter()`` value at navigation start
    (so callers can time how long the page takes to draw what they wait for).
    """
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    recorder = Recorder()
    recorder.attach(page)
    started = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded")
    return page, recorder, started


def settle(page: Any, ms: int = 500) -> None:
    """Let late requests and console messages arrive (the websocket keeps the page busy)."""
    try:
        page.wait_for_load_state("networkidle", timeout=5_000)
    except Exception:  # noqa: BLE001 - a long-poll or socket may keep it from idling
        pass
    page.wait_for_timeout(ms)


PLOTLY_ORIGIN = "http://dashlib.test"  # answered by the tab's route: nothing leaves the machine


@contextmanager
def offline_plotly_tab(html: str, viewport: dict[str, int] | None = None) -> Iterator[Any]:
    """A Chromium tab on ``html`` served at :data:`PLOTLY_ORIGIN`, which also serves the
    installed plotly.js at ``/plotly.min.js`` and the project's ``static/`` at
    ``/app/static/``; fails on leaving if any request went elsewhere."""
    import plotly
    from playwright.sync_api import sync_playwright

    plotly_js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"

    def serve(route: Any) -> None:
        path = route.request.url[len(PLOTLY_ORIGIN) :].split("?")[0]
        if path == "/":
            route.fulfill(body=html, content_type="text/html")
        elif path == "/plotly.min.js":
            route.fulfill(path=str(plotly_js), content_type="text/javascript")
        elif path.startswith("/app/static/"):
            route.fulfill(path=str(REPO / "static" / path[len("/app/static/") :]))
        else:
            route.fulfill(status=404, body="not here")

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        tab = browser.new_page(**({"viewport": viewport} if viewport else {}))
        outside: list[str] = []
        tab.route(f"{PLOTLY_ORIGIN}/**", serve)
        tab.on(
            "request", lambda r: None if r.url.startswith(PLOTLY_ORIGIN) else outside.append(r.url)
        )
        tab.goto(f"{PLOTLY_ORIGIN}/")
        yield tab
        assert outside == [], f"requests left the machine: {outside}"
        browser.close()


# ------------------------------------------------------------------ pages as robots read them

# What a browser sends for a page (link previews are answered only to Accept: text/html).
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


class PageHead(html.parser.HTMLParser):
    """A page's <title>, <meta> tags and script count, as a link-preview robot (no
    JavaScript) reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.meta: dict[str, str] = {}
        self.scripts = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self._in_title = tag == "title"
        key = found.get("property") or found.get("name")
        if tag == "meta" and key:
            self.meta[key] = found.get("content") or ""
        self.scripts += tag == "script" and bool(found.get("src"))

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        self.title += data if self._in_title else ""


def page_head(body: bytes | str) -> PageHead:
    parsed = PageHead()
    parsed.feed(body.decode("utf-8") if isinstance(body, bytes) else body)
    return parsed


def fetch(
    url: str, accept: str | None = BROWSER_ACCEPT, timeout: float = 150
) -> tuple[int, dict[str, str], bytes]:
    """A plain HTTP GET (no JavaScript): status, headers (lower-case names), body."""
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        headers = {k.lower(): v for k, v in response.headers.items()}
        return response.status, headers, response.read()
