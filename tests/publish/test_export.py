"""``python -m dashlib export``: files, offline HTML, image sizes, SVG credits, safe CSV, embeds.

Browser tests (kaleido images, playwright) need Debian's Chromium at /usr/bin/chromium; they
skip without it, except under CI (env CI set) where they fail.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from dashlib import paths
from dashlib.data.dataset import load
from dashlib.publish import catalogue, csvsafe, export, images
from dashlib.publish.embed import (
    MESSAGE_KEY,
    REGION_SUBDIR,
    iframe_code,
    iframe_snippet,
    topojson_text,
    viewport_switch_js,
)
from dashlib.publish.pages import standalone_html
from dashlib.query.selection import Selection
from tools.browser import CHROMIUM, CHROMIUM_ARGS

from conftest import FIXTURES, REPO, edit, missing_tool

HAVE_CHROMIUM = os.access(CHROMIUM, os.X_OK)
HYPERLINK = '=HYPERLINK("http://x","y")'
BASE_URL = "https://news.example/reach"
TODAY = dt.date(2026, 6, 1)


def need_chromium() -> None:
    if not HAVE_CHROMIUM:
        missing_tool(f"{CHROMIUM} missing (apt-get install -y chromium)")


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dashlib", "export", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, **(env or {})},
        timeout=600,
    )


@pytest.fixture(scope="module")
def hostile_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The valid fixture with an intervention title that is a spreadsheet formula."""
    target = tmp_path_factory.mktemp("data") / "valid"
    shutil.copytree(FIXTURES / "valid", target)
    quoted = '"' + HYPERLINK.replace('"', '""') + '"'
    edit(target / "interventions.csv", "First test intervention", quoted)
    return target


@pytest.fixture(scope="module")
def exported(hostile_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One full offline export (HTML, CSV, PNG, SVG, gallery) through the command line."""
    need_chromium()
    out = tmp_path_factory.mktemp("embeds")
    done = run_cli(
        str(out), "--data", str(hostile_data), "--offline", "--base-url", BASE_URL,
        env={"BROWSER_PATH": str(CHROMIUM)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "wall time" in done.stdout
    return out


def chart_names() -> list[str]:
    ds = load(FIXTURES / "valid")
    return [c.name for c in catalogue.chart_list(ds, Selection())]


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def gallery_sources(path: Path) -> dict[str, str]:
    """The iframe URL of every embed code in the gallery, by textarea id."""
    text = path.read_text(encoding="utf-8")
    out = {}
    for ident, body in re.findall(r'<textarea id="([^"]+)"[^>]*>(.*?)</textarea>', text, re.S):
        snippet = html.unescape(body)  # what the copy button copies
        src = re.search(r'<iframe src="([^"]+)"', snippet)
        assert src, snippet
        out[ident] = html.unescape(src.group(1))
    return out


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


# ---------------------------------------------------------------- pure functions


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        (HYPERLINK, "'" + HYPERLINK),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Kyiv", "Kyiv"),
        ("", ""),
        (-3.5, -3.5),
        (None, None),
    ],
)
def test_neutralise(cell: object, safe: object) -> None:
    assert csvsafe.neutralise(cell) == safe


def test_csv_bytes_are_excel_safe() -> None:
    import pandas as pd

    data = csvsafe.csv_bytes(pd.DataFrame({"=bad": [HYPERLINK, "ok"], "n": [-1, 2]}))
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["'=bad", "n"], ["'" + HYPERLINK, "-1"], ["ok", "2"]]


def test_chart_list_has_story_views() -> None:
    names = chart_names()
    for name in ("map", "map-animated", "timeline"):
        assert name in names
    for code in ("ukr", "geo", "mda", "kaz"):  # the fixture has no ARM/AZE
        assert f"map-{code}" in names and f"timeline-{code}" in names


def test_a_maps_social_card_is_laid_out_for_the_card(tmp_path: Path) -> None:
    """The card job draws the map built at 1200 x 675 (its view and labels placed for
    that plot), not the article's figure resized; a timeline's card is its figure."""
    ds = load(FIXTURES / "valid")
    today = dt.date(2026, 6, 1)
    charts = {c.name: c for c in catalogue.chart_list(ds, Selection())}
    for name in ("map", "map-animated", "map-geo"):
        article = catalogue.build_figure(ds, charts[name], today)
        card = catalogue.card_figure(ds, charts[name], today, images.SOCIAL_SIZE)
        assert card is not None and card.layout.height == 675
        article_job, card_job, svg_job = images.image_jobs(article, tmp_path / name, card)
        assert card_job["path"].name == f"{name}-social.png"
        assert card_job["fig"]["layout"]["margin"] == card.layout.margin.to_plotly_json()
        assert card_job["fig"]["layout"]["height"] == 675 and "sliders" not in card_job["fig"]
        assert "updatemenus" not in card_job["fig"]["layout"]
        assert article_job["fig"]["layout"]["height"] == article.layout.height
        assert svg_job["fig"] is article_job["fig"]
    assert catalogue.card_figure(ds, charts["timeline"], today, images.SOCIAL_SIZE) is None


def test_iframe_snippet_points_at_selection() -> None:
    sel = Selection.from_params({"country": "GEO,UKR", "date": "2014-03-18"})[0]
    snippet = iframe_snippet(BASE_URL + "/", "map", sel, 'Map "A" <b>', 600)
    src = html.unescape(re.search(r'src="([^"]+)"', snippet).group(1))  # type: ignore[union-attr]
    url = urlparse(src)
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{BASE_URL}/map"
    assert parse_qs(url.query) == {
        "embed": ["true"],
        "country": ["GEO,UKR"],
        "date": ["2014-03-18"],
    }
    assert 'title="Map &quot;A&quot; &lt;b&gt;"' in snippet
    assert "addEventListener('message'" in snippet and MESSAGE_KEY in snippet


def test_standalone_html_seeds_base_map_and_describes_chart() -> None:
    ds = load(FIXTURES / "valid")
    chart = catalogue.chart_list(ds, Selection())[0]
    fig = catalogue.build_figure(ds, chart, ds.last_updated)
    page = standalone_html(fig)
    head = page[: page.index("</head>")]
    assert 'window.PlotlyGeoAssets={topojson:{"world_50m":' in head
    # The base map cut to the map's view (static/topojson/region), not the whole one.
    region = topojson_text(paths.topojson_dir() / REGION_SUBDIR / "world_50m.json")
    assert f'{{"world_50m":{region}}}' in head
    assert 'src="https://cdn.plot.ly/plotly-' in page  # CDN build: small
    assert len(page.encode("utf-8")) <= 150 * 1024
    assert page.index("PlotlyGeoAssets") < page.index("cdn.plot.ly")
    assert 'aria-describedby="chart-desc"' in page
    assert html.escape(fig.layout.meta["summary"]) in page
    assert f"Data version {ds.version}" in page
    assert MESSAGE_KEY in page and "window.parent.postMessage" in page


def _plot_json(page: str) -> dict[str, Any]:
    """The figure a page hands plotly.js: ``Plotly.newPlot(id, data, layout, …)`` and the
    frames of ``Plotly.addFrames``, as parsed JSON."""
    decoder = json.JSONDecoder()

    def values(call: str, count: int) -> list[Any]:
        found = re.search(call + r"""\(\s*["']chart-plot["']\s*,\s*""", page)
        if found is None:
            return [[]] * count
        out, at = [], found.end()
        for _ in range(count):
            value, at = decoder.raw_decode(page, at)
            out.append(value)
            at = re.compile(r"\s*,?\s*").match(page, at).end()  # type: ignore[union-attr]
        return out

    data, layout = values(r"Plotly\.newPlot", 2)
    (frames,) = values(r"Plotly\.addFrames", 1)
    return {"data": data, "layout": layout, "frames": frames}


def _as_sent(fig: Any) -> dict[str, Any]:
    """``fig`` as JSON the way a page sends it (uids kept: frames find traces by them)."""
    import plotly.io as pio

    sent: dict[str, Any] = json.loads(pio.json.to_json_plotly(fig.to_dict()))
    return sent


def _fallback(page: str) -> str:
    """The page's words without its chart: the text shown when plotly.js cannot load."""
    found = re.search(r'<div class="fallback"[^>]*>(.*?)</div>', page, re.S)
    assert found, "no fallback text"
    return found.group(1)


@pytest.fixture(scope="module")
def cdn_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The export's HTML and CSV of the valid fixture, plotly.js from its CDN."""
    out = tmp_path_factory.mktemp("cdn")
    export.run_export(load(FIXTURES / "valid"), out, images=False, today=TODAY, log=str)
    return out


def test_every_map_gets_its_phone_version_from_the_compact_builder(cdn_export: Path) -> None:
    """NAME-phone.html holds exactly the builder's ``compact=True`` figure (the phone layout
    the app draws), with the same words as NAME.html; a timeline has one page."""
    ds = load(FIXTURES / "valid")
    charts = catalogue.chart_list(ds, Selection())
    maps = [c for c in charts if c.kind in ("map", "map-animated")]
    assert {c.name for c in maps} >= {"map", "map-animated", "map-geo", "map-ukr"}
    for chart in maps:
        wide = (cdn_export / f"{chart.name}.html").read_text(encoding="utf-8")
        phone = (cdn_export / f"{chart.name}-phone.html").read_text(encoding="utf-8")
        built = _as_sent(catalogue.build_figure(ds, chart, TODAY, compact=True))
        shown = _plot_json(phone)
        assert shown["data"] == built["data"], chart.name
        assert shown["layout"] == built["layout"], chart.name
        assert shown["frames"] == built.get("frames", []), chart.name
        assert bool(shown["frames"]) == (chart.kind == "map-animated"), chart.name
        article = _as_sent(catalogue.build_figure(ds, chart, TODAY))
        assert _plot_json(wide)["layout"] == article["layout"], chart.name
        assert shown["layout"] != article["layout"]  # the phone's layout, not the article's
        # The same title, words, source line and PNG link for readers on either page.
        assert _fallback(phone) == _fallback(wide), chart.name
        assert (
            re.search(r"<title>(.*?)</title>", phone)[1]
            == (  # type: ignore[index]
                re.search(r"<title>(.*?)</title>", wide)[1]  # type: ignore[index]
            )
        )
        assert f'href="{chart.name}.png"' in _fallback(phone)
        assert f'<link rel="canonical" href="{chart.name}.html">' in phone
        assert 'rel="canonical"' not in wide
        for page in (wide, phone):  # the CDN budget of a map page holds for both
            assert 'src="https://cdn.plot.ly/plotly-' in page
            if chart.kind == "map":
                assert len(page.encode("utf-8")) <= 150 * 1024, chart.name
            # The switch is the head's first script: before the base map and plotly.js.
            head = page[: page.index("</head>")]
            assert head.index("<script>") == head.index("<script>(function(){var w=window")
            assert page.index("location.replace(") < page.index("PlotlyGeoAssets")
            assert MESSAGE_KEY in page  # both post their height to an embedding page
        assert f'location.replace("{chart.name}-phone.html"+location.search' in wide
        assert f'location.replace("{chart.name}.html"+location.search' in phone
    for chart in charts:
        if chart.kind == "timeline":
            assert chart.phone_name is None
            assert "location.replace" not in (cdn_export / f"{chart.name}.html").read_text()
            assert not (cdn_export / f"{chart.name}-phone.html").exists()


def test_pages_switch_at_the_apps_phone_breakpoint() -> None:
    """The exported pages switch where the app does (one constant, defined in the core)."""
    from dashlib.ui import components
    from dashlib.viewport import NARROW_PX

    assert components.NARROW_PX == NARROW_PX
    assert f"w<{NARROW_PX})" in viewport_switch_js("m-phone.html", narrow=True)
    assert f"w>={NARROW_PX})" in viewport_switch_js("m.html", narrow=False)


def test_the_gallery_lists_each_map_once_and_says_phones_get_their_layout(
    cdn_export: Path,
) -> None:
    gallery = html.unescape((cdn_export / "index.html").read_text(encoding="utf-8"))
    sources = gallery_sources(cdn_export / "index.html")
    assert sources["map-hosted"] == "map.html"
    assert not [src for src in sources.values() if "-phone" in src], sources
    assert gallery.count('<section class="card"') == len(chart_names())
    assert "phone layout" in gallery and "640 px" in gallery
    assert '<a href="map-phone.html" download>HTML, phone layout</a>' in gallery
    assert "timeline-phone.html" not in gallery


def test_bad_selection_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from dashlib.__main__ import main  # in process: a subprocess per case costs seconds

    for args, word in (
        (["--country", "XXX"], "unknown country 'XXX'"),
        (["--date", "2014-13-45"], "YYYY-MM-DD"),
        (["--from", "2020-01-01", "--to", "2010-01-01"], "'from' is after 'to'"),
        (["--kind", "invasion"], "unknown kind 'invasion'"),
    ):
        out = tmp_path / "out"
        code = main(["export", str(out), "--data", str(FIXTURES / "valid"), *args])
        stderr = capsys.readouterr().err
        assert code == 2, (args, stderr)
        lines = stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in stderr, stderr
        assert word in lines[0] and lines[0].startswith("export: bad selection")


def test_without_chromium_html_and_csv_still_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_cli(
        str(out), "--data", str(FIXTURES / "valid"), "--country", "UKR",
        env={"BROWSER_PATH": str(tmp_path / "no-such-chromium")},
    )  # fmt: skip
    assert done.returncode == export.EXIT_NO_IMAGES, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "apt-get install -y chromium" in lines[0], done.stderr
    assert "Traceback" not in done.stderr
    for name in ("map", "map-animated", "timeline"):
        assert (out / f"{name}.html").stat().st_size > 0
        assert (out / f"{name}.csv").stat().st_size > 0
        assert not (out / f"{name}.png").exists()
    assert (out / "index.html").exists()


def test_gallery_embed_code_follows_cli_selection(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_cli(
        str(out), "--data", str(FIXTURES / "valid"), "--no-images",
        "--country", "geo", "--from", "2000-01-01", "--base-url", BASE_URL,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    sources = gallery_sources(out / "index.html")
    assert sources["map-app"] == f"{BASE_URL}/map?embed=true&country=GEO&from=2000-01-01"
    assert sources["timeline-app"] == f"{BASE_URL}/timeline?embed=true&country=GEO&from=2000-01-01"
    assert sources["map-hosted"] == "map.html"
    assert not (out / "map-ukr.html").exists()  # --country: the selection is the view


def gallery_titles(path: Path) -> dict[str, str]:
    """The iframe ``title`` of every embed code in the gallery, by textarea id."""
    text = path.read_text(encoding="utf-8")
    out = {}
    for ident, body in re.findall(r'<textarea id="([^"]+)"[^>]*>(.*?)</textarea>', text, re.S):
        found = re.search(r'<iframe [^>]*title="([^"]*)"', html.unescape(body))
        assert found, body
        out[ident] = html.unescape(found.group(1))
    return out


def test_live_app_codes_are_dated_only_when_the_selection_fixes_the_date(
    tmp_path: Path,
) -> None:
    """The live /map embed shows the day a reader opens it: its title names no export date."""
    undated, dated = tmp_path / "undated", tmp_path / "dated"
    for out, extra in ((undated, []), (dated, ["--date", "2014-03-18"])):
        done = run_cli(
            str(out), "--data", str(FIXTURES / "valid"), "--no-images", "--base-url", BASE_URL,
            "--country", "UKR", *extra,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
    day = re.compile(r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{4}")
    titles = gallery_titles(undated / "index.html")
    assert titles["map-app"] and titles["timeline-app"]
    for ident, title in titles.items():
        if ident.endswith("-app"):
            assert not day.search(title), (ident, title)
            assert "Ukraine" in title, (ident, title)  # it still names the view
    assert day.search(titles["map-hosted"])  # the exported file is fixed at its date
    fixed = gallery_titles(dated / "index.html")
    assert "18 Mar 2014" in fixed["map-app"], fixed["map-app"]


def test_gallery_writes_live_app_codes_only_for_a_given_base_url(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_cli(str(out), "--data", str(FIXTURES / "valid"), "--no-images")
    assert done.returncode == 0, done.stderr
    page = (out / "index.html").read_text(encoding="utf-8")
    sources = gallery_sources(out / "index.html")
    assert sources["map-hosted"] == "map.html"  # the exported files' codes stay
    assert not [k for k in sources if k.endswith("-app")], sources  # no live-app code at all
    assert "localhost" not in page and '-app"' not in page
    assert "--base-url" in html.unescape(page)  # the gallery says how to get them
    assert "--base-url" in done.stdout  # and so does the command


# ---------------------------------------------------------------- the full export (browser)


@pytest.mark.browser
def test_every_file_exists(exported: Path) -> None:
    for name in chart_names():
        for suffix in (".html", ".csv", ".png", "-social.png", ".svg"):
            path = exported / f"{name}{suffix}"
            assert path.is_file() and path.stat().st_size > 0, path
    assert (exported / "index.html").is_file()


@pytest.mark.browser
def test_png_sizes(exported: Path) -> None:
    ds = load(FIXTURES / "valid")
    for chart in catalogue.chart_list(ds, Selection()):
        fig = catalogue.build_figure(ds, chart, dt.date.today())
        expected = (images.ARTICLE_WIDTH * 2, int(fig.layout.height) * 2)
        assert png_size(exported / f"{chart.name}.png") == expected, chart.name
        assert png_size(exported / f"{chart.name}-social.png") == (1200, 675), chart.name


@pytest.mark.browser
def test_svg_parses_and_carries_credits(exported: Path, hostile_data: Path) -> None:
    ds = load(hostile_data)
    for name in ("map", "timeline-ukr"):
        root = ET.parse(exported / f"{name}.svg").getroot()
        text = " ".join("".join(root.itertext()).split())
        assert "Source: Example Publisher" in text, name
        assert ds.version in text
        assert "Russia's military reach project" in text
        ns = "{http://www.w3.org/2000/svg}"
        desc = root.find(f"{ns}desc")
        assert desc is not None and len(desc.text or "") > 20


@pytest.mark.browser
def test_csv_neutralised_end_to_end(exported: Path) -> None:
    rows = read_csv(exported / "timeline-ukr.csv")
    cells = [cell for row in rows for cell in row]
    assert "'" + HYPERLINK in cells
    assert HYPERLINK not in cells
    assert rows[0][:2] == ["Type", "Title"]


@pytest.mark.browser
def test_gallery_embed_codes(exported: Path) -> None:
    sources = gallery_sources(exported / "index.html")
    assert sources["map-app"] == f"{BASE_URL}/map?embed=true"
    assert sources["map-ukr-app"] == f"{BASE_URL}/map?embed=true&country=UKR"
    assert sources["timeline-geo-app"] == f"{BASE_URL}/timeline?embed=true&country=GEO"
    assert sources["map-ukr-hosted"] == "map-ukr.html"
    assert len(sources) == 2 * len(chart_names())
    gallery = (exported / "index.html").read_text(encoding="utf-8")
    assert gallery.count(">Copy embed code</button>") == len(sources)


@pytest.mark.browser
def test_offline_html_draws_without_network(exported: Path) -> None:
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 900, "height": 900})
            page.on("request", lambda r: requests.append(r.url))
            for name in ("map", "timeline"):
                page.goto((exported / f"{name}.html").as_uri())
                page.wait_for_selector(".main-svg", timeout=30_000)
                if name == "map":
                    page.wait_for_function(
                        "document.querySelectorAll('.geo path.choroplethlocation').length > 3"
                        " && document.querySelectorAll('.geo .layer path').length > 0",
                        timeout=30_000,
                    )
            # The embed code resizes its iframe to the height the page posts.
            host = exported / "host.html"
            snippet = iframe_code("map.html", "Map", 200)
            host.write_text(f"<!DOCTYPE html><body>{snippet}</body>", encoding="utf-8")
            page.goto(host.as_uri())
            page.wait_for_function(
                "document.querySelector('iframe').getBoundingClientRect().height > 400",
                timeout=30_000,
            )
        finally:
            browser.close()
    remote = [u for u in requests if not u.startswith(("file:", "data:", "about:", "blob:"))]
    assert remote == []
