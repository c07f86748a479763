"""Per-page HTML shells: link previews without JavaScript (served by the app server itself:
tests/publish/test_preview_server.py)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from dashlib.data.dataset import load
from dashlib.publish.shells import (
    BASE_URL_JS,
    PAGE_SEGMENTS,
    main,
    page_meta,
    shell_html,
    shells_by_path,
    streamlit_index,
)
from tools.browser import page_head as head

from conftest import FIXTURES, edit

TODAY = dt.date(2026, 11, 27)


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


def test_without_a_card_no_image_is_named() -> None:
    """No card drawn (no Chromium): the shell names no image rather than a missing one."""
    ds = load(FIXTURES / "valid")
    meta = page_meta(ds)[2]
    page = head(shell_html(streamlit_index(), meta, "https://reach.example.org", None))
    assert page.title == meta.title and page.meta["og:description"] == meta.description
    assert not {"og:image", "twitter:image", "og:image:alt"} & set(page.meta)
    assert page.meta["twitter:card"] == "summary"


def test_text_that_looks_like_a_regex_replacement_stays_text() -> None:
    """Descriptions come from the data: a backslash sequence is written as it is."""
    ds = load(FIXTURES / "valid")
    meta = page_meta(ds)[4]
    odd = type(meta)(meta.path, meta.file, r"Title \1 \g<0>", meta.description, meta.image)
    assert r"<title>Title \1 \g&lt;0&gt;</title>" in shell_html(streamlit_index(), odd, "/", None)


def test_command_line_writes_one_shell_per_page(tmp_path: Path) -> None:
    """For static hosting: one file per page; "/" and "/overview" share the overview's."""
    out = tmp_path / "shells"
    code = main([str(out), "--base-url", "https://r.example", "--data", str(FIXTURES / "valid")])
    assert code == 0
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted({f"{m.file}.html" for m in page_meta(load(FIXTURES / "valid"))})
    page = head((out / "overview.html").read_text(encoding="utf-8"))
    assert page.meta["og:url"] == "https://r.example/" and "og:image" not in page.meta


def test_a_shell_sets_the_width_cookies_and_the_server_before_the_apps_scripts() -> None:
    """So the first run of a first visit knows the screen (dashlib.viewport), and the page
    finds the server without trying its own path first (two 404s on every deep link)."""
    from dashlib.viewport import COOKIE_JS

    index = streamlit_index()
    ds = load(FIXTURES / "valid")
    shell = shells_by_path(index, page_meta(ds), "https://example.org", None)["map"]
    ours = shell.index(f"<script>{COOKIE_JS}{BASE_URL_JS}</script>")
    first_module = shell.index('<script type="module"')
    assert ours < first_module
    assert "<" not in COOKIE_JS + BASE_URL_JS


def test_the_base_url_script_knows_every_page() -> None:
    paths = {meta.path for meta in page_meta(load(FIXTURES / "valid"))}
    assert set(PAGE_SEGMENTS) == paths - {""}
