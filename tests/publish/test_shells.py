"""Per-page HTML shells: link previews without JavaScript, served by HAProxy in front of the app."""

from __future__ import annotations

import datetime as dt
import html.parser
import re
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from dashlib.data.dataset import load
from dashlib.publish.shells import (
    haproxy_rules,
    page_meta,
    shell_html,
    streamlit_index,
    write_shells,
)
from tools.browser import CHROMIUM, CHROMIUM_ARGS, free_port, start_app

from conftest import FIXTURES, edit, missing_tool

TODAY = dt.date(2026, 11, 27)


class _Head(html.parser.HTMLParser):
    """The <title> and <meta> tags of a page, as a link-preview robot reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.meta: dict[str, str] = {}
        self.scripts = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "title":
            self._in_title = True
        if tag == "meta":
            key = found.get("property") or found.get("name")
            if key:
                self.meta[key] = found.get("content") or ""
        if tag == "script" and found.get("src"):
            self.scripts += 1

    def handle_endtag(self, tag: str) -> None:
        self._in_title = self._in_title and tag != "title"

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def head(text: str) -> _Head:
    parser = _Head()
    parser.feed(text)
    return parser


def test_each_page_has_its_own_title_description_and_image() -> None:
    ds = load(FIXTURES / "valid")
    index = streamlit_index()
    seen = set()
    for meta in page_meta(ds):
        page = head(shell_html(index, meta, "https://reach.example.org/", "https://cdn.example/e/"))
        assert page.title == meta.title and page.title != "Streamlit"
        assert page.meta["description"] == meta.description and len(meta.description) <= 200
        assert page.meta["og:title"] == meta.title
        assert page.meta["og:image"] == f"https://cdn.example/e/{meta.image}"
        assert page.meta["og:url"] == f"https://reach.example.org/{meta.path}"
        assert page.meta["twitter:card"] == "summary_large_image"
        assert page.scripts >= 1  # Streamlit's own app script is still there
        seen.add(meta.title)
    assert len(seen) >= 5  # not one title for every page


def test_values_are_escaped() -> None:
    ds = load(FIXTURES / "valid")
    meta = page_meta(ds)[2]
    shell = shell_html(streamlit_index(), meta, 'https://x.org/"><script>', "https://x.org/")
    assert '"><script>' not in shell and "&quot;&gt;&lt;script&gt;" in shell


DAY = re.compile(
    r"\b(\d{1,2} )?(January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}"
)


def test_descriptions_count_as_of_the_datas_last_check_not_today(data_dir: Path) -> None:
    """A shell written once must not lie tomorrow: the only day a description names is the
    day the data was last checked, and the counts are that day's."""
    from dashlib.query.summaries import key_figures

    ds = load(FIXTURES / "valid")
    checked = f"{ds.last_updated:%-d %B %Y}"
    metas = {m.path: m for m in page_meta(ds)}
    for meta in metas.values():
        days = {m.group(0) for m in DAY.finditer(meta.description)}
        assert days <= {checked}, (meta.path, meta.description)
    figures = key_figures(ds, ds.last_updated)
    assert f"{figures['sites_active']} sites active as of {checked}" in metas["map"].description
    # An earlier last check (every source accessed by then) moves the date with it.
    earlier = dt.date(2026, 10, 15)
    for accessed in sorted(set(ds.sources["accessed"].astype(str))):
        edit(data_dir / "sources.csv", f",{accessed},", f",{earlier.isoformat()},", count=9)
    moved = {m.path: m for m in page_meta(load(data_dir))}
    assert f"as of {earlier:%-d %B %Y}" in moved["map"].description


@pytest.mark.browser
def test_haproxy_serves_the_shells_and_the_app_still_runs(tmp_path: Path) -> None:
    """The deploy rule, for real: HAProxy answers /map with its shell; the app then draws."""
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not Path(haproxy).exists():
        missing_tool("haproxy is not installed (apt-get install haproxy)")
    if not CHROMIUM.exists():
        missing_tool(f"{CHROMIUM} not found")
    ds = load(FIXTURES / "valid")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    write_shells(ds, tmp_path / "shells", base, base + "/embeds")
    app = start_app(FIXTURES / "valid", tmp_path / "streamlit.log")
    config = tmp_path / "haproxy.cfg"
    config.write_text(
        "defaults\n  mode http\n  timeout connect 5s\n  timeout client 60s\n"
        "  timeout server 60s\n  timeout tunnel 1h\n"
        f"frontend web\n  bind 127.0.0.1:{port}\n"
        + "".join(
            f"  {line}\n" for line in haproxy_rules(ds, str(tmp_path / "shells")).splitlines()
        )
        + "  default_backend app\n"
        f"backend app\n  server s1 127.0.0.1:{app.port}\n",
        encoding="utf-8",
    )
    proxy = subprocess.Popen([haproxy, "-db", "-f", str(config)], stderr=subprocess.PIPE)
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(base + "/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        request = urllib.request.Request(base + "/map?country=UKR", headers={"Accept": "text/html"})
        with urllib.request.urlopen(request, timeout=10) as response:
            page = head(response.read().decode("utf-8"))
        assert page.title.startswith("Map of Russian deployments")
        assert page.meta["og:image"] == base + "/embeds/map-social.png"
        with urllib.request.urlopen(
            urllib.request.Request(base + "/", headers={"Accept": "text/html"})
        ) as response:
            assert head(response.read().decode("utf-8")).meta["og:title"]
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                tab = browser.new_page()
                tab.goto(base + "/map?country=UKR")
                tab.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for(
                    state="visible", timeout=60_000
                )
                assert "country=UKR" in tab.url
            finally:
                browser.close()
    finally:
        proxy.terminate()
        proxy.wait(timeout=10)
        app.stop()
