"""dashlib.publish.pages: every template shows hostile data as text, never as markup.

Each string below would run a script or break out of its context if a template forgot to
escape it; each is fed through every value the templates print that can come from the data
(titles, summaries, sources, labels, ids) or from the command line (the base URL).
"""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashlib.data.dataset import Dataset
from dashlib.publish.catalogue import Chart
from dashlib.publish.pages import TEMPLATES, gallery_html, standalone_html
from dashlib.query.selection import Selection

HOSTILE = [
    "</script><script>alert('script')</script>",
    '<img src=x onerror="alert(1)">',
    "javascript:alert(document.cookie)",
    '" onmouseover="alert(2)" x="',
    "' autofocus onfocus='alert(3)",
    "</textarea><svg onload=alert(4)>",
    "{{ 7*7 }} & &amp; <!-- -->",
]


class Tags(HTMLParser):
    """Every start tag with its attributes, and the page's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: str) -> Tags:
    tags = Tags()
    tags.feed(page)
    return tags


def assert_inert(page: str, baseline: str) -> None:
    """No handler attribute, no script URL, and the same elements as the harmless page."""
    tags, base = parse(page), parse(baseline)
    for tag, attrs in tags.tags:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        for name in ("href", "src", "action", "formaction"):
            assert not (attrs.get(name) or "").strip().lower().startswith("javascript:"), attrs
    assert [t for t, _ in tags.tags] == [t for t, _ in base.tags]


def hostile_figure(text: str) -> go.Figure:
    fig = go.Figure(go.Scatter(x=[1, 2], y=[1, 2], name=text, hovertext=[text, text]))
    fig.update_layout(height=400, title=text, meta={"title": text, "summary": text, "source": text})
    return fig


@pytest.mark.parametrize("text", HOSTILE)
def test_standalone_page_shows_hostile_text_as_text(text: str) -> None:
    page = standalone_html(hostile_figure(text), page_title=text)
    assert_inert(page, standalone_html(hostile_figure("harmless"), page_title="harmless"))
    caption = "".join(parse(page).text)
    assert text in caption  # shown, as text, in the caption and <noscript>
    if "<" in text:
        assert text not in page  # never raw: not in the HTML, not in plotly's JSON either


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("side", ["phone_page", "wide_page"])
def test_a_maps_two_pages_show_hostile_text_as_text(text: str, side: str) -> None:
    """A map's page and its phone version (the switch script, the canonical link), even
    were a file name hostile: the name stays a file next to the page."""

    def page(text: str) -> str:
        pages = {side: f"{text}.html"}
        return standalone_html(hostile_figure(text), page_title=text, fit_width=343, **pages)

    assert_inert(page(text), page("harmless"))
    head = page(text)[: page(text).index("</head>")]
    assert head.count("<script>") == 1 and head.count("</script>") == 1  # nothing broke out
    assert "location.replace(" in head
    if side == "wide_page":
        (link,) = [a for t, a in parse(head).tags if t == "link"]
        assert ":" not in (link["href"] or "") and "<" not in (link["href"] or "")


def gallery(text: str, out_dir: Path, base_url: str) -> str:
    countries = pd.DataFrame({"iso3": ["UKR"], "name": [text]})  # the live code's title
    ds = cast(
        Dataset,
        SimpleNamespace(version=text, last_updated=dt.date(2026, 11, 27), countries=countries),
    )
    charts = [
        Chart("map" + text.replace("/", ""), "map", Selection(), text),
        Chart("timeline", "timeline", Selection(countries=("UKR",)), text),
    ]
    figures = {c.name: hostile_figure(text) for c in charts}
    for c in charts[:1]:  # one chart with files written: the image preview and the links
        for suffix in (".png", ".csv", ".svg"):
            (out_dir / f"{c.name}{suffix}").write_bytes(b"x")
    return gallery_html(ds, charts, figures, out_dir, base_url=base_url)


@pytest.mark.parametrize("text", HOSTILE)
def test_gallery_shows_hostile_text_as_text(text: str, tmp_path: Path) -> None:
    page = gallery(text, tmp_path / "a", text)
    harmless = gallery("harmless", tmp_path / "b", "https://news.example.org/app")
    assert_inert(page, harmless)
    assert text in "".join(parse(page).text)
    if "<" in text:
        assert text not in page


@pytest.fixture(autouse=True)
def _folders(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()


def test_every_template_is_tested_and_autoescaped() -> None:
    assert sorted(TEMPLATES.list_templates()) == ["chart.html", "gallery.html"]
    template: Any = TEMPLATES.from_string("{{ x }}")
    assert template.render(x="<b>") == "&lt;b&gt;"
