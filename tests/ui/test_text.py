"""dashlib.ui.text: the security contract for text from the data shown through st.markdown.

Whatever a cell holds, md_escape gives Markdown that renders as exactly that text (no link,
emphasis, HTML, image, code, Streamlit directive or LaTeX), and md_link only links http(s).
"""

from __future__ import annotations

import string
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from dashlib.ui.text import md_escape, md_highlight, md_link, safe_url

# CommonMark with the GFM extensions markdown-it ships (Streamlit renders CommonMark + GFM).
MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


class Rendered(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text += data


def render(markdown: str) -> Rendered:
    out = Rendered()
    out.feed(MARKDOWN.render(markdown))
    return out


HOSTILE = [
    "[click](javascript:alert(1))",
    "![x](https://evil.example/x.png)",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "**bold** _em_ `code` ~~gone~~",
    "# heading",
    "> quote",
    "- item",
    "1. item",
    "| a | b |\n|---|---|\n| c | d |",
    ":red[alert] :material/warning: $x^2$ $$y$$",
    "a\\*b \\\\ trailing backslash \\",
    "&amp; &lt;b&gt; &#x3C;",
    "https://example.org/a_b_c",
    "line one\nline two\r\nline three",
]


def assert_literal(text: str) -> None:
    escaped = md_escape(text)
    rendered = render(escaped)
    assert [tag for tag, _ in rendered.tags] in ([], ["p"]), (text, rendered.tags)
    expected = " ".join(text.replace("\r", " ").split("\n"))
    assert rendered.text.strip("\n") == expected.strip()  # CommonMark trims the paragraph


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_renders_as_itself(text: str) -> None:
    assert_literal(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=string.printable + "éЖ\u00a0", max_size=40))
def test_any_text_renders_as_itself(text: str) -> None:
    if text.strip() != text or "\n" in text or "\r" in text or "\x0b" in text or "\x0c" in text:
        text = " ".join(text.split())  # CommonMark collapses and trims outer whitespace
    assert_literal(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_every_punctuation_mark_is_escaped(text: str) -> None:
    """Streamlit directives (``:red[…]``, ``:material/…:``) and LaTeX (``$``) are not
    CommonMark: they are safe only because no punctuation reaches the renderer unescaped."""
    escaped = md_escape(text)
    i = 0
    while i < len(escaped):
        char = escaped[i]
        if char == "\\":
            assert i + 1 < len(escaped) and escaped[i + 1] in string.punctuation
            i += 2
            continue
        assert char not in string.punctuation and char not in "\r\n", escaped
        i += 1


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.org/a?b=c", "https://example.org/a?b=c"),
        (" http://example.org ", "http://example.org"),
        ("HTTPS://EXAMPLE.ORG", "HTTPS://EXAMPLE.ORG"),
        ("javascript:alert(1)", None),
        ("data:text/html,<script>", None),
        ("//example.org", None),
        ("https://exa mple.org", None),
        ('https://example.org/"onmouseover=', None),
        (None, None),
        (42, None),
    ],
)
def test_safe_url(url: object, safe: str | None) -> None:
    assert safe_url(url) == safe


def test_link_only_for_http() -> None:
    link = render(md_link("Reuters [report](x)", "https://example.org/a_(b)?q=é"))
    assert [t for t, _ in link.tags] == ["p", "a"]
    assert link.tags[1][1]["href"] == "https://example.org/a_%28b%29?q=%C3%A9"
    assert link.text.strip("\n") == "Reuters [report](x)"
    plain = render(md_link("click", "javascript:alert(1)"))
    assert [t for t, _ in plain.tags] == ["p"] and plain.text.strip("\n") == "click"


def test_url_with_spaces_is_not_linked() -> None:
    assert md_link("x", "https://example.org/a b") == "x"


def test_highlight_marks_only_matches() -> None:
    marked = md_highlight([("Putin ", False), ("*seizes*", True), (" ", True)])
    assert marked == r"Putin :orange-background[**\*seizes\***] "


def test_the_pages_scripts_have_no_less_than_sign() -> None:
    """st.html silently drops a script containing '<' (Streamlit 1.67): the width probe and
    the sidebar script would then never run."""
    from dashlib.ui import components

    chunk = components._plotly_chunk()
    assert chunk is not None  # Streamlit's lazily loaded plotly code is where we look for it
    for script in (
        components._PROBE_JS,
        components._NARROW_COOKIE_JS,
        components._ENTER_APPLIES_DATE_JS,
        components._CLOSE_SIDEBAR_JS,
        components.preload_js(chunk),
    ):
        body = script.removeprefix("<script>").removesuffix("</script>")
        assert "<" not in body
